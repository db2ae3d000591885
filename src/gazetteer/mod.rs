//! Finds the names of known entities and titles in a text, from the lists in `gazetteers/`.
//!
//! All surfaces are lower-cased (see [`crate::text::fold_case`]) into one Aho-Corasick
//! automaton run over the folded text, so a match position is a position in the input. A match
//! counts only when it starts and ends on token boundaries and its letter case is acceptable for
//! its entry (see [`Gazetteer::find`]); among those, the leftmost-longest win.

mod load;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

pub use load::{Entry, EntryType, Form, EMBEDDED};

use crate::error::Error;
use crate::text::{fold_case, is_all_caps};
use crate::tokenize::Analysis;

/// One entity that gazetteer lines name: all lines with the same canonical id (or, lacking one,
/// the same type and name) are one group.
#[derive(Clone, Debug)]
pub struct Group {
    /// What it is.
    pub kind: EntryType,
    /// Display name.
    pub name: String,
    /// Stable id, if any.
    pub canonical: Option<String>,
    /// Attributes merged from its lines (name lines first).
    pub attributes: BTreeMap<String, String>,
    /// Every surface of the group that is a name (for threat actors' `aliases`).
    pub aliases: Vec<String>,
}

/// A gazetteer match in a document.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Tokens covered.
    pub tokens: Range<usize>,
    /// The matching line.
    pub entry: usize,
    /// The entity it names.
    pub group: usize,
}

/// The loaded lists and their matcher. Build once, share across threads.
pub struct Gazetteer {
    entries: Vec<Entry>,
    entry_group: Vec<usize>,
    groups: Vec<Group>,
    automaton: AhoCorasick,
    pattern_entries: Vec<Vec<usize>>,
    given_names: HashSet<String>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("entries", &self.entries.len())
            .field("groups", &self.groups.len())
            .finish()
    }
}

/// Words that signal a document about cyber matters, for aliases marked `context=cyber`.
const CYBER_WORDS: &[&str] = &[
    "cyber",
    "hack",
    "malware",
    "espionage",
    "intrusion",
    "ransomware",
    "phishing",
    "threat actor",
    "apt",
    "spyware",
    "breach",
    "backdoor",
    "exploit",
    "botnet",
    "ddos",
];

impl Gazetteer {
    /// Loads the embedded lists, then those in `extra` (each a directory of `.tsv` files), whose
    /// lines replace embedded lines with the same surface and type.
    pub fn load(extra: &[&Path]) -> Result<Gazetteer, Error> {
        let mut entries = Vec::new();
        for (name, text) in EMBEDDED {
            entries.extend(load::parse(&format!("embedded:{name}"), text.as_bytes())?);
        }
        load::check_ids(&entries)?;
        for dir in extra {
            let user = load::parse_dir(dir)?;
            load::check_ids(&user)?;
            entries.extend(user);
        }
        Ok(Gazetteer::from_entries(entries, load::GIVEN_NAMES))
    }

    /// Builds the matcher over `entries`; a later entry replaces an earlier one with the same
    /// surface and type.
    pub fn from_entries(entries: Vec<Entry>, given_names: &str) -> Gazetteer {
        let mut index: HashMap<(String, EntryType), usize> = HashMap::new();
        let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
        for e in entries {
            match index.get(&(e.surface.clone(), e.kind)) {
                Some(&i) => kept[i] = e,
                None => {
                    index.insert((e.surface.clone(), e.kind), kept.len());
                    kept.push(e);
                }
            }
        }
        let entries = kept;

        // Groups: by canonical id, else by type and name.
        let mut group_index: HashMap<String, usize> = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut entry_group = Vec::with_capacity(entries.len());
        for e in &entries {
            let key = match &e.canonical {
                Some(c) => c.clone(),
                None => format!("{:?}\u{0}{}", e.kind, e.name),
            };
            let g = *group_index.entry(key).or_insert_with(|| {
                groups.push(Group {
                    kind: e.kind,
                    name: e.name.clone(),
                    canonical: e.canonical.clone(),
                    attributes: BTreeMap::new(),
                    aliases: Vec::new(),
                });
                groups.len() - 1
            });
            entry_group.push(g);
            let group = &mut groups[g];
            for (k, v) in &e.attributes {
                if k == "form" || k == "given" || k == "lower" {
                    continue;
                }
                if e.form == Form::Name || !group.attributes.contains_key(k) {
                    group.attributes.insert(k.clone(), v.clone());
                }
            }
            if matches!(e.form, Form::Name | Form::Abbreviation) && e.kind == EntryType::ThreatActor
            {
                group.aliases.push(e.surface.clone());
            }
        }
        for g in &mut groups {
            g.aliases.sort();
            g.aliases.dedup();
        }

        // One pattern per distinct folded surface; the curly apostrophe gets its own spelling.
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_entries: Vec<Vec<usize>> = Vec::new();
        let mut by_pattern: HashMap<String, usize> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if e.surface.chars().count() < 2 {
                continue;
            }
            let folded = fold_case(&e.surface);
            let mut spellings = vec![folded.clone()];
            if folded.contains('\'') {
                spellings.push(folded.replace('\'', "’"));
            }
            for s in spellings {
                let p = *by_pattern.entry(s.clone()).or_insert_with(|| {
                    patterns.push(s);
                    pattern_entries.push(Vec::new());
                    patterns.len() - 1
                });
                pattern_entries[p].push(i);
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("gazetteer automaton within aho-corasick's size limits");
        let given_names = given_names
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(fold_case)
            .collect();
        Gazetteer {
            entries,
            entry_group,
            groups,
            automaton,
            pattern_entries,
            given_names,
        }
    }

    /// Every gazetteer line in force.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Entry `i`.
    pub fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    /// Group `g`.
    pub fn group(&self, g: usize) -> &Group {
        &self.groups[g]
    }

    /// The group of entry `i`.
    pub fn group_of(&self, i: usize) -> usize {
        self.entry_group[i]
    }

    /// Whether `folded_word` (lower case) is a known given name.
    pub fn is_given_name(&self, folded_word: &str) -> bool {
        self.given_names.contains(folded_word)
    }

    /// The group of a country by its ISO 3166 alpha-2 code, if listed.
    pub fn country(&self, code: &str) -> Option<usize> {
        let id = format!("ISO3166:{code}");
        self.groups
            .iter()
            .position(|g| g.canonical.as_deref() == Some(id.as_str()))
    }

    /// Finds the leftmost-longest acceptable matches in `a`, in text order, none overlapping.
    ///
    /// A match is acceptable when it covers whole tokens and its text is the entry's surface
    /// exactly, or any case of it for entries marked `match=fold`, or the surface with a capital
    /// first letter when the surface is lower case (a role noun opening a sentence), or all
    /// capitals of a surface of five or more characters (a headline). Aliases marked
    /// `context=cyber` need a document that talks about cyber matters.
    pub fn find(&self, a: &Analysis) -> Vec<Hit> {
        let tokens = &a.tokens;
        let mut cyber: Option<bool> = None;
        let mut cands: Vec<(usize, usize, usize)> = Vec::new();
        for m in self.automaton.find_overlapping_iter(a.folded.as_str()) {
            let Ok(ts) = tokens.binary_search_by_key(&m.start(), |t| t.span.byte_start) else {
                continue;
            };
            let Ok(te) = tokens.binary_search_by_key(&m.end(), |t| t.span.byte_end) else {
                continue;
            };
            let found = &a.text[m.start()..m.end()];
            let accepted = self.pattern_entries[m.pattern().as_usize()]
                .iter()
                .copied()
                .find(|&ei| {
                    let e = &self.entries[ei];
                    accepts(e, found)
                        && (!e.cyber_context
                            || *cyber.get_or_insert_with(|| {
                                CYBER_WORDS.iter().any(|w| a.folded.contains(w))
                            }))
                });
            if let Some(ei) = accepted {
                cands.push((ts, te + 1, ei));
            }
        }
        cands.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
        let mut hits: Vec<Hit> = Vec::new();
        let mut next_free = 0;
        for (s, e, ei) in cands {
            if s < next_free {
                continue;
            }
            next_free = e;
            hits.push(Hit {
                tokens: s..e,
                entry: ei,
                group: self.entry_group[ei],
            });
        }
        hits
    }
}

fn accepts(e: &Entry, found: &str) -> bool {
    if found == e.surface || e.fold {
        return true;
    }
    if found.contains('’') && found.replace('’', "'") == e.surface {
        return true;
    }
    let mut sc = e.surface.chars();
    let mut fc = found.chars();
    if let (Some(s0), Some(f0)) = (sc.next(), fc.next()) {
        if s0.is_lowercase()
            && f0.to_lowercase().eq(std::iter::once(s0))
            && sc.as_str() == fc.as_str()
        {
            return true;
        }
    }
    is_all_caps(found) && e.surface.chars().count() >= 5
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn gaz(tsv: &str) -> Gazetteer {
        Gazetteer::from_entries(load::parse("t.tsv", tsv.as_bytes()).unwrap(), "Oliver\n")
    }

    fn found(g: &Gazetteer, text: &str) -> Vec<String> {
        let a = tokenize(text);
        g.find(&a)
            .iter()
            .map(|h| a.span_of(h.tokens.clone()).slice(text).to_string())
            .collect()
    }

    const T: &str = "US\tGPE\tISO3166:US\tUnited States\tcountry=US\tm\n\
        United States\tGPE\tISO3166:US\tUnited States\tcountry=US;match=fold\tm\n\
        İstanbul\tGPE\t-\tİstanbul\tkind=city;match=fold\tm\n\
        Straße\tORG\t-\tStraße Group\tmatch=fold\tm\n\
        ambassador\tTITLE\t-\tambassador\tlower=1\tm\n\
        Turla\tTHREAT_ACTOR\tATTACK:G0010\tTurla\tcontext=cyber\tm\n\
        UK\tGPE\tISO3166:GB\tUnited Kingdom\tcountry=GB\tm\n\
        People's Liberation Army\tORG\t-\tPLA\tmatch=fold\tm\n";

    #[test]
    fn case_rules() {
        let g = gaz(T);
        assert_eq!(
            found(&g, "The US and us and the united states"),
            ["US", "united states"]
        );
        assert_eq!(
            found(&g, "Ambassador Lee met the ambassador."),
            ["Ambassador", "ambassador"]
        );
        assert_eq!(
            found(&g, "in İSTANBUL and istanbul and İstanbul"),
            ["İSTANBUL", "İstanbul"]
        );
        assert_eq!(found(&g, "STRASSE and straße"), ["straße"]);
    }

    #[test]
    fn token_boundaries_and_apostrophes() {
        let g = gaz(T);
        assert_eq!(found(&g, "USB UKRAINE the UK’s plan"), ["UK"]);
        assert_eq!(
            found(&g, "the People’s Liberation Army"),
            ["People’s Liberation Army"]
        );
    }

    #[test]
    fn cyber_context() {
        let g = gaz(T);
        assert!(found(&g, "Add the Turla beans and simmer.").is_empty());
        assert_eq!(found(&g, "Turla hackers used new malware."), ["Turla"]);
    }

    #[test]
    fn groups_share_canonical_ids() {
        let g = gaz(T);
        let a = tokenize("US and United States");
        let hits = g.find(&a);
        assert_eq!(hits[0].group, hits[1].group);
        assert_eq!(g.group(hits[0].group).name, "United States");
    }
}
