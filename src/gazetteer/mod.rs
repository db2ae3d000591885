//! Finds the names of known entities and titles in a text, from the lists in `gazetteers/`.
//!
//! All surfaces are lower-cased (see [`crate::text::fold_case`]) into patterns looked up in the
//! folded text, so a match position is a position in the input. They are looked up only at
//! tokens that may start a surface, and only when a surface longer than the token's leading
//! word may go on from there: else that word alone is the only candidate. Then every start of
//! the text from there that is a pattern is found by a hash of the text so far, byte by byte
//! (see [`Patterns`]). A match counts only when it starts and ends on token boundaries and its
//! letter case is acceptable for its entry (see [`Gazetteer::find`]); among those, the
//! leftmost-longest win.

mod load;

use std::collections::BTreeMap;

use hashbrown::HashTable;
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;

pub use load::{Entry, EntryType, Form, EMBEDDED};

use crate::error::Error;
use crate::text::{fold_case, is_all_caps};
use crate::tokenize::{Analysis, Case, TokenKind};
use crate::words::{word_hash, HashBits, Words};

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

impl Group {
    /// [`Gazetteer::output_attributes`] of this group, built afresh.
    fn build_output_attributes(&self) -> BTreeMap<String, serde_json::Value> {
        let mut attributes: BTreeMap<String, serde_json::Value> = self
            .attributes
            .iter()
            .filter(|(k, _)| k.as_str() != "role")
            .map(|(k, v)| (k.clone(), v.clone().into()))
            .collect();
        if self.kind == EntryType::ThreatActor && !self.aliases.is_empty() {
            attributes.insert("aliases".to_string(), self.aliases.clone().into());
        }
        attributes
    }
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
    patterns: Patterns,
    pattern_entries: Vec<Vec<usize>>,
    /// Given names, folded, keyed by [`word_hash`] as the tokens' hashes are.
    given_names: Words<Box<str>>,
    /// [`Gazetteer::output_attributes`] of each group, built the first time a document names
    /// the group.
    output_attributes: Vec<OnceLock<BTreeMap<String, serde_json::Value>>>,
    /// Government bodies (kind government, agency or legislature) by (country code, last word
    /// of the name, folded): "US Department of the Treasury" under ("US", "treasury"). Keys
    /// shared by two bodies map to `None`.
    bodies: HashMap<(String, String), Option<usize>>,
    /// The leading letters and digits of every pattern: a token whose own leading letters and
    /// digits are not here cannot start a match, and the patterns are not searched.
    heads: HashTable<Head>,
    head_filter: HeadFilter,
    /// The first bytes that follow a head in its longer patterns: when the text after a head
    /// starts with none of them, no longer pattern can match there, and the patterns are not
    /// searched either.
    continuations: Continuations,
    /// Capitals that stand for an organisation seated there rather than for their country's
    /// government: the capital's entry, and the group of the organisation's `form=seat` line
    /// with the same surface ("Brussels" for the European Union).
    seat_of_capital: HashMap<usize, usize>,
}

/// What the matcher knows of one head: the leading run of letters and digits of some patterns.
#[derive(Debug)]
struct Head {
    /// The head, folded.
    text: Box<str>,
    /// Whether a match may start with a lower-case letter (an entry matched in any case, or
    /// written in lower case); if not, a lower-case token is not looked up.
    lower_ok: bool,
    /// The pattern that is the head alone, if any.
    whole: Option<usize>,
    /// Whether some pattern continues past the head.
    longer: bool,
}

/// The leading run of letters and digits of a (folded) string.
fn head(s: &str) -> &str {
    let ascii = s
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(s.len());
    if s.as_bytes().get(ascii).is_none_or(|b| b.is_ascii()) {
        return &s[..ascii];
    }
    let end = s[ascii..]
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(s.len(), |(i, _)| ascii + i);
    &s[..end]
}

/// The hash of a text's leading bytes, taken one byte at a time: the matcher hashes every
/// start of the text after a token as it reads on, where hashing each slice anew would read
/// the first bytes again and again. (An Fx step per byte; [`PrefixHash::get`] folds the well
/// mixed high half into the low bits, which pick a hash table's bucket.)
#[derive(Clone, Copy)]
struct PrefixHash(u64);

impl PrefixHash {
    /// The hash of no bytes.
    const EMPTY: PrefixHash = PrefixHash(0);

    /// The hash of the bytes so far followed by `b`.
    #[inline(always)]
    fn push(self, b: u8) -> PrefixHash {
        PrefixHash((self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0xf135_7aea_2e62_a9c5))
    }

    /// The hash of `bytes`.
    fn of(bytes: &[u8]) -> PrefixHash {
        bytes.iter().fold(PrefixHash::EMPTY, |h, &b| h.push(b))
    }

    /// The hash as the table and the filters take it.
    #[inline(always)]
    fn get(self) -> u64 {
        self.0 ^ (self.0 >> 32)
    }
}

/// Whether a pattern that goes on with byte `b` is asked of [`Patterns::stops`]: an ASCII
/// byte that is no letter or digit (a space, hyphen, full stop, apostrophe).
#[inline(always)]
fn is_stop(b: u8) -> bool {
    b.is_ascii() && !b.is_ascii_alphanumeric()
}

/// The patterns (distinct folded surfaces), and what lists the ones a text starts with at a
/// position: a hash table of the patterns keyed by [`PrefixHash`], looked up at each byte
/// of the text up to the longest pattern's length, with two filters in front of it. Building
/// it costs one hash of each pattern and nothing per search, where the Aho-Corasick
/// automata this replaced cost a batch run 155M instructions to build (a quarter of a run
/// over 2,000 articles) for a search that finds the same patterns.
struct Patterns {
    /// The patterns, none empty.
    texts: Vec<String>,
    /// Indices in `texts`, by the [`PrefixHash`] of the pattern.
    table: HashTable<u32>,
    /// One bit per pattern's hash: where the bit of the text so far is clear, no pattern
    /// ends, and the table is not probed. (2^18 bits: about one in twenty misses shares a
    /// bit with a pattern.)
    ends: Box<HashBits<4096>>,
    /// One bit per hash of each start of a pattern that the pattern goes on from with a
    /// [`is_stop`] byte ("minister" and "minister of" of "minister of state"). When the text
    /// reaches such a byte and the bit of the text so far is clear, no pattern goes on past
    /// it, and the search stops there. (2^19 bits.)
    stops: Box<HashBits<8192>>,
    /// The length in bytes of the longest pattern.
    longest: usize,
}

/// A pattern that starts the text at a position: its index in [`Patterns::texts`] and the
/// end of the match in the text.
struct AnchoredMatch {
    pattern: usize,
    end: usize,
}

impl Patterns {
    /// No patterns yet, room for `n`.
    fn with_capacity(n: usize) -> Patterns {
        Patterns {
            texts: Vec::with_capacity(n),
            table: HashTable::with_capacity(n),
            ends: Box::new(HashBits::new()),
            stops: Box::new(HashBits::new()),
            longest: 0,
        }
    }

    /// The index of `pattern` (not empty), added now if new.
    fn add(&mut self, pattern: String) -> usize {
        let bytes = pattern.as_bytes();
        let mut hash = PrefixHash::EMPTY;
        for &b in bytes {
            if is_stop(b) {
                self.stops.add(hash.get());
            }
            hash = hash.push(b);
        }
        let hash = hash.get();
        let texts = &self.texts;
        if let Some(&k) = self.table.find(hash, |&k| texts[k as usize] == pattern) {
            return k as usize;
        }
        let k = self.texts.len();
        self.table.insert_unique(hash, k as u32, |&k| {
            PrefixHash::of(texts[k as usize].as_bytes()).get()
        });
        self.ends.add(hash);
        self.longest = self.longest.max(bytes.len());
        self.texts.push(pattern);
        k
    }

    /// The pattern that is `text` exactly, if any; `hash` is the [`PrefixHash`] of `text`.
    #[inline]
    fn get(&self, text: &[u8], hash: PrefixHash) -> Option<usize> {
        let hash = hash.get();
        if !self.ends.may_hold(hash) {
            return None;
        }
        self.table
            .find(hash, |&k| self.texts[k as usize].as_bytes() == text)
            .map(|&k| k as usize)
    }

    /// Every pattern that `haystack` from byte `start` begins with and that ends at byte
    /// `from` or later, shortest first, into `out`.
    ///
    /// The bytes from `from` on are read one by one until the longest pattern's length, the
    /// end of the haystack, or a [`is_stop`] byte that no pattern goes on with after the
    /// text so far; at each, the table is asked whether the text so far is a pattern.
    fn prefixes(&self, haystack: &str, start: usize, from: usize, out: &mut Vec<AnchoredMatch>) {
        out.clear();
        let bytes = haystack.as_bytes();
        let last = bytes.len().min(start + self.longest);
        let mut hash = PrefixHash::of(&bytes[start..from]);
        let mut end = from;
        loop {
            if let Some(pattern) = self.get(&bytes[start..end], hash) {
                out.push(AnchoredMatch { pattern, end });
            }
            if end >= last {
                break;
            }
            let b = bytes[end];
            if is_stop(b) && !self.stops.may_hold(hash.get()) {
                break;
            }
            hash = hash.push(b);
            end += 1;
        }
    }
}

/// A quick test before the head look-up: one bit per hash of a head, in one table for heads
/// that may match in lower case and one for all. A clear bit means no such head (most tokens
/// stop here, in a table small enough to stay in cache); a set bit may be another head with
/// the same bits, so the hash map has the last word.
struct HeadFilter {
    /// 2^18 bits (32 KB): a few per cent of misses share a bit with a head.
    any: Box<HashBits<4096>>,
    lower: Box<HashBits<4096>>,
}

impl HeadFilter {
    fn new<'h>(heads: impl Iterator<Item = (&'h str, bool)>) -> HeadFilter {
        let mut filter = HeadFilter {
            any: Box::new(HashBits::new()),
            lower: Box::new(HashBits::new()),
        };
        for (h, lower) in heads {
            let hash = word_hash(h);
            filter.any.add(hash);
            if lower {
                filter.lower.add(hash);
            }
        }
        filter
    }

    /// Whether a head whose [`word_hash`] is `hash`, of a token that starts in lower case or
    /// not, may be a head.
    fn may_be(&self, hash: u64, lower_case: bool) -> bool {
        let table = if lower_case { &self.lower } else { &self.any };
        table.may_hold(hash)
    }
}

/// A quick test of the bytes after a head: one bit per hash of a head and the first bytes
/// (at most [`Continuations::LEN`]) that follow it in a longer pattern. A clear bit for every
/// prefix of the text after the head means that no longer pattern with this head starts
/// there; a set bit may be another pair with the same bits, so the search of the patterns
/// has the last word.
struct Continuations {
    /// 2^19 bits (64 KB): a few per cent of misses share a bit with a continuation.
    bits: Box<HashBits<8192>>,
}

impl Continuations {
    /// How many bytes after the head are kept.
    const LEN: usize = 3;

    /// The hash of a head whose [`word_hash`] is `head_hash` followed by `next` (at most
    /// [`Continuations::LEN`] bytes): the product of the pair by an odd constant, whose high
    /// bits depend on every bit of the pair.
    fn pair_hash(head_hash: u64, next: &[u8]) -> u64 {
        let packed = next
            .iter()
            .fold(next.len() as u64, |acc, &b| acc << 8 | u64::from(b));
        (head_hash ^ packed).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    fn new<'p>(pairs: impl Iterator<Item = (u64, &'p [u8])>) -> Continuations {
        let mut bits = Box::new(HashBits::new());
        for (head_hash, rest) in pairs {
            bits.add(Continuations::pair_hash(
                head_hash,
                &rest[..rest.len().min(Continuations::LEN)],
            ));
        }
        Continuations { bits }
    }

    /// Whether a longer pattern of the head whose [`word_hash`] is `head_hash` may go on
    /// with `after`, the text after the head.
    fn may_follow(&self, head_hash: u64, after: &[u8]) -> bool {
        (1..=after.len().min(Continuations::LEN)).any(|n| {
            self.bits
                .may_hold(Continuations::pair_hash(head_hash, &after[..n]))
        })
    }
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("entries", &self.entries.len())
            .field("groups", &self.groups.len())
            .finish()
    }
}

/// Word stems that signal a document about cyber matters, for aliases marked `context=cyber`.
const CYBER_STEMS: &[&str] = &[
    "cyber",
    "hack",
    "malware",
    "espionage",
    "intrusion",
    "ransomware",
    "phishing",
    "spyware",
    "breach",
    "backdoor",
    "exploit",
    "botnet",
    "ddos",
    "infosec",
];

/// Whether a word of the document starts with a cyber stem, or is an `APT` group name.
fn talks_cyber(a: &Analysis) -> bool {
    (0..a.tokens.len()).any(|i| {
        let w = a.lower(i);
        CYBER_STEMS.iter().any(|s| w.starts_with(s))
            || (w.starts_with("apt") && w[3..].chars().next().is_some_and(|c| c.is_ascii_digit()))
    })
}

impl Gazetteer {
    /// Loads the embedded lists, then those in `extra` (each a directory of `.tsv` files), whose
    /// lines replace embedded lines with the same surface and type.
    pub fn load(extra: &[&Path]) -> Result<Gazetteer, Error> {
        // The embedded files are parsed in parallel, then joined in their order.
        let parsed: Vec<Vec<Entry>> = EMBEDDED
            .par_iter()
            .map(|(name, text)| load::parse(&format!("embedded:{name}"), text.as_bytes()))
            .collect::<Result<_, _>>()?;
        let mut entries: Vec<Entry> = Vec::with_capacity(parsed.iter().map(Vec::len).sum());
        for file in parsed {
            entries.extend(file);
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
        let entries = last_lines_win(entries);
        // The groups and the patterns are built from the entries independently: at start-up
        // they run side by side.
        let (grouped, ((patterns, heads), given_names)) = rayon::join(
            || groups_of(&entries),
            || {
                rayon::join(
                    || {
                        // One pattern per distinct folded surface; the curly apostrophe
                        // gets its own spelling.
                        let (patterns, pattern_entries) = patterns_of(&entries);
                        let heads = heads_of(&patterns.texts, &pattern_entries, &entries);
                        ((patterns, pattern_entries), heads)
                    },
                    || given_names_of(given_names),
                )
            },
        );
        let (patterns, pattern_entries) = patterns;
        let (heads, head_filter, continuations) = heads;
        let Grouped {
            groups,
            entry_group,
            bodies,
            seat_of_capital,
        } = grouped;
        let output_attributes = groups.iter().map(|_| OnceLock::new()).collect();
        Gazetteer {
            entries,
            entry_group,
            groups,
            output_attributes,
            patterns,
            pattern_entries,
            given_names,
            bodies,
            heads,
            head_filter,
            continuations,
            seat_of_capital,
        }
    }

    /// The organisation that capital entry `i` stands for when it is no place ("Brussels
    /// decided": the European Union), if a list seats one there.
    pub fn seated_in(&self, i: usize) -> Option<usize> {
        self.seat_of_capital.get(&i).copied()
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

    /// The attributes an entity of group `g` shows in the output: all but `role`, and a
    /// threat actor's `aliases`. Built once, the first time a document names the group.
    pub fn output_attributes(&self, g: usize) -> &BTreeMap<String, serde_json::Value> {
        self.output_attributes[g].get_or_init(|| self.groups[g].build_output_attributes())
    }

    /// The group of entry `i`.
    pub fn group_of(&self, i: usize) -> usize {
        self.entry_group[i]
    }

    /// Whether `folded_word` (lower case) is a known given name.
    pub fn is_given_name(&self, folded_word: &str) -> bool {
        self.given_names
            .contains_hashed(folded_word, word_hash(folded_word))
    }

    /// Whether the lower-case text of token `i` of `a` is a known given name; the token's
    /// hash is at hand, so nothing is hashed.
    pub fn is_given_token(&self, a: &Analysis, i: usize) -> bool {
        self.given_names.contains_token(a, i)
    }

    /// The group of a country by its ISO 3166 alpha-2 code, if listed.
    pub fn country(&self, code: &str) -> Option<usize> {
        let id = format!("ISO3166:{code}");
        self.groups
            .iter()
            .position(|g| g.canonical.as_deref() == Some(id.as_str()))
    }

    /// The organisation of `country` whose name ends like group `g`'s name ("US Department
    /// of the Treasury" for HM Treasury in the US), if exactly one does.
    pub fn counterpart(&self, g: usize, country: &str) -> Option<usize> {
        let last = self.groups[g].name.split_whitespace().last()?;
        let key = (country.to_string(), fold_case(last));
        self.bodies.get(&key).copied().flatten()
    }

    /// Every pattern that `haystack` from byte `start` begins with and that covers `head`,
    /// shortest first, into `out`; `head` (whose [`word_hash`] is `head_hash`) is the leading
    /// letters and digits of the token at `start`. (A shorter pattern ends inside the token,
    /// so it never matches.)
    ///
    /// The patterns are searched only when a pattern longer than the head may match: when the
    /// text after the head starts like a continuation of the head, or with a letter or digit
    /// (the token ended inside a run of letters, as between two Chinese characters, and a
    /// pattern with a longer head may go on). Else the head alone is the only candidate.
    fn prefixes(
        &self,
        head: &Head,
        head_hash: u64,
        haystack: &str,
        start: usize,
        out: &mut Vec<AnchoredMatch>,
    ) {
        let head_end = start + head.text.len();
        let after = &haystack[head_end..];
        let may_go_on = after.starts_with(char::is_alphanumeric)
            || (head.longer && self.continuations.may_follow(head_hash, after.as_bytes()));
        if may_go_on {
            self.patterns.prefixes(haystack, start, head_end, out);
            return;
        }
        out.clear();
        if let Some(pattern) = head.whole {
            out.push(AnchoredMatch {
                pattern,
                end: head_end,
            });
        }
    }

    /// Finds the leftmost-longest acceptable matches in `a`, in text order, none overlapping.
    ///
    /// A match is acceptable when it covers whole tokens and its text is the entry's surface
    /// exactly, or any case of it for entries marked `match=fold`, or the surface with a capital
    /// first letter when the surface is lower case (a role noun opening a sentence), or all
    /// capitals of a surface of five or more characters (a headline). Aliases marked
    /// `context=cyber` need a document that talks about cyber matters.
    ///
    /// A single line break between two words of a name reads as a space ("Soviet\nUnion" in
    /// wire copy wrapped at a fixed width), when both words are in one sentence; the hit's
    /// tokens, and so its text, are those of the input, line break included.
    pub fn find(&self, a: &Analysis) -> Vec<Hit> {
        let tokens = &a.tokens;
        let haystack = wrapped_lines_joined(a);
        let mut cyber: Option<bool> = None;
        let mut hits: Vec<Hit> = Vec::new();
        let mut prefixes = Vec::new();
        let mut next_free = 0;
        for (ts, tok) in tokens.iter().enumerate() {
            if ts < next_free {
                continue;
            }
            // A surface starts with a letter or digit.
            if !matches!(tok.kind, TokenKind::Word | TokenKind::Number) {
                continue;
            }
            let lower_case = tok.case == Case::Lower;
            // Most tokens are plain words whose hash is at hand: filter them before slicing.
            if tok.alnum && !self.head_filter.may_be(tok.hash, lower_case) {
                continue;
            }
            let folded = tok.span.slice(&a.folded);
            let h = if tok.alnum { folded } else { head(folded) };
            let hash = if h.len() == folded.len() {
                tok.hash
            } else {
                word_hash(h)
            };
            if !self.head_filter.may_be(hash, lower_case) {
                continue;
            }
            let head = match self.heads.find(hash, |x| *x.text == *h) {
                Some(head) if head.lower_ok || !lower_case => head,
                _ => continue,
            };
            // The longest surface starting at this token; if it is not acceptable (mid-token
            // end, wrong case), the next longest, four at most.
            self.prefixes(
                head,
                hash,
                &haystack,
                tok.span.byte_start as usize,
                &mut prefixes,
            );
            for m in prefixes.iter().rev().take(4) {
                let Ok(te) = tokens.binary_search_by_key(&m.end, |t| t.span.byte_end as usize)
                else {
                    continue;
                };
                let found = &a.text[tok.span.byte_start as usize..m.end];
                let wrapped = found.contains('\n');
                if wrapped && a.sentence_of(ts) != a.sentence_of(te) {
                    continue;
                }
                let found = if wrapped {
                    std::borrow::Cow::Owned(found.replace('\n', " "))
                } else {
                    std::borrow::Cow::Borrowed(found)
                };
                let accepted = self.pattern_entries[m.pattern].iter().copied().find(|&ei| {
                    let e = &self.entries[ei];
                    accepts(e, &found)
                        && (!e.cyber_context || *cyber.get_or_insert_with(|| talks_cyber(a)))
                });
                if let Some(ei) = accepted {
                    hits.push(Hit {
                        tokens: ts..te + 1,
                        entry: ei,
                        group: self.entry_group[ei],
                    });
                    next_free = te + 1;
                    break;
                }
            }
        }
        hits
    }
}

/// `entries` where the last line for each (surface, type) replaces the earlier ones, in the
/// position of the first.
fn last_lines_win(entries: Vec<Entry>) -> Vec<Entry> {
    let mut last: HashMap<(&str, EntryType), usize> =
        HashMap::with_capacity_and_hasher(entries.len(), Default::default());
    for (i, e) in entries.iter().enumerate() {
        last.insert((e.surface.as_str(), e.kind), i);
    }
    if last.len() == entries.len() {
        // No line replaces another (the embedded lists alone): nothing moves.
        return entries;
    }
    let mut replacement: Vec<Option<usize>> = vec![None; entries.len()];
    let mut first_seen: HashMap<(&str, EntryType), ()> = HashMap::default();
    for (i, e) in entries.iter().enumerate() {
        let key = (e.surface.as_str(), e.kind);
        if first_seen.insert(key, ()).is_none() {
            replacement[i] = Some(last[&key]);
        }
    }
    drop((last, first_seen));
    let mut slots: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
    let mut entries: Vec<Entry> = Vec::with_capacity(slots.len());
    entries.extend(
        replacement
            .iter()
            .filter_map(|r| r.and_then(|j| slots[j].take())),
    );
    entries
}

/// What [`groups_of`] finds: the parts of a [`Gazetteer`] that come from its groups.
struct Grouped {
    groups: Vec<Group>,
    entry_group: Vec<usize>,
    bodies: HashMap<(String, String), Option<usize>>,
    seat_of_capital: HashMap<usize, usize>,
}

/// The groups of `entries` (by canonical id, else by type and name), the group of each entry,
/// the government bodies by country and last word, and the capitals that seat an
/// organisation.
fn groups_of(entries: &[Entry]) -> Grouped {
    // Sized for the most groups there can be: growing a large table or vector moves
    // everything it holds.
    let mut group_index: HashMap<(Option<&str>, EntryType, &str), usize> =
        HashMap::with_capacity_and_hasher(entries.len(), Default::default());
    let mut groups: Vec<Group> = Vec::with_capacity(entries.len());
    let mut entry_group = Vec::with_capacity(entries.len());
    for e in entries {
        let key = match &e.canonical {
            Some(c) => (Some(c.as_str()), EntryType::Title, ""),
            None => (None, e.kind, e.name.as_str()),
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
            // Most lines of a group repeat its values: copy only what changes.
            match group.attributes.get_mut(k) {
                Some(old) if e.form == Form::Name && old != v => old.clone_from(v),
                Some(_) => {}
                None => {
                    group.attributes.insert(k.clone(), v.clone());
                }
            }
        }
        if matches!(e.form, Form::Name | Form::Abbreviation) && e.kind == EntryType::ThreatActor {
            group.aliases.push(e.surface.clone());
        }
    }
    for g in &mut groups {
        g.aliases.sort();
        g.aliases.dedup();
    }
    let mut bodies: HashMap<(String, String), Option<usize>> = HashMap::default();
    for (g, group) in groups.iter().enumerate() {
        let (Some(country), Some(last)) = (
            group.attributes.get("country"),
            group.name.split_whitespace().last(),
        ) else {
            continue;
        };
        let kind = group.attributes.get("kind").map(String::as_str);
        if group.kind != EntryType::Org
            || !matches!(kind, Some("government" | "agency" | "legislature"))
        {
            continue;
        }
        bodies
            .entry((country.clone(), fold_case(last)))
            .and_modify(|b| *b = None)
            .or_insert(Some(g));
    }
    let seat_of_capital = seats_of_capitals(entries, &entry_group);
    Grouped {
        groups,
        entry_group,
        bodies,
        seat_of_capital,
    }
}

/// The known given names of a list with one per line (`#` opens a comment line), folded.
fn given_names_of(list: &str) -> Words<Box<str>> {
    Words::from_words(
        list.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| Box::<str>::from(fold_case(l))),
    )
}

/// One pattern per distinct folded surface of `entries` of two characters or more (the curly
/// apostrophe gets its own spelling), with the entries of each in their order.
fn patterns_of(entries: &[Entry]) -> (Patterns, Vec<Vec<usize>>) {
    let mut patterns = Patterns::with_capacity(entries.len() + 64);
    let mut pattern_entries: Vec<Vec<usize>> = Vec::with_capacity(entries.len() + 64);
    let mut add = |pattern: String, entry: usize| {
        let k = patterns.add(pattern);
        if k == pattern_entries.len() {
            pattern_entries.push(vec![entry]);
        } else {
            pattern_entries[k].push(entry);
        }
    };
    for (i, e) in entries.iter().enumerate() {
        if e.surface.chars().count() < 2 {
            continue;
        }
        let folded = fold_case(&e.surface);
        if folded.contains('\'') {
            add(folded.replace('\'', "’"), i);
        }
        add(folded, i);
    }
    (patterns, pattern_entries)
}

/// The heads of `patterns` (with the entries of each), a filter of their hashes, and
/// a filter of what follows each head in its longer patterns.
fn heads_of(
    patterns: &[String],
    pattern_entries: &[Vec<usize>],
    entries: &[Entry],
) -> (HashTable<Head>, HeadFilter, Continuations) {
    let mut heads: HashTable<Head> = HashTable::with_capacity(patterns.len());
    let mut rests: Vec<(u64, &[u8])> = Vec::with_capacity(patterns.len());
    for (k, (p, es)) in patterns.iter().zip(pattern_entries).enumerate() {
        let lower = es.iter().any(|&i| {
            let e = &entries[i];
            e.fold || e.surface.chars().next().is_some_and(char::is_lowercase)
        });
        let h = head(p);
        let hash = word_hash(h);
        let info = match heads.find_mut(hash, |x| *x.text == *h) {
            Some(info) => info,
            None => heads
                .insert_unique(
                    hash,
                    Head {
                        text: h.into(),
                        lower_ok: false,
                        whole: None,
                        longer: false,
                    },
                    |x| word_hash(&x.text),
                )
                .into_mut(),
        };
        info.lower_ok |= lower;
        if h.len() == p.len() {
            info.whole = Some(k);
        } else {
            info.longer = true;
            rests.push((hash, &p.as_bytes()[h.len()..]));
        }
    }
    let head_filter = HeadFilter::new(heads.iter().map(|x| (&*x.text, x.lower_ok)));
    let continuations = Continuations::new(rests.into_iter());
    (heads, head_filter, continuations)
}

/// Capital entries whose surface an organisation's `form=seat` line shares, mapped to that
/// organisation's group.
fn seats_of_capitals(entries: &[Entry], entry_group: &[usize]) -> HashMap<usize, usize> {
    let seats: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntryType::Org && e.form == Form::Seat)
        .map(|(i, e)| (e.surface.as_str(), entry_group[i]))
        .collect();
    entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntryType::Gpe && e.form == Form::Capital)
        .filter_map(|(i, e)| seats.get(e.surface.as_str()).map(|&g| (i, g)))
        .collect()
}

/// `folded` with each line break that stands alone between two words made a space (one byte
/// for one, so offsets stay), so that patterns match names wrapped onto the next line. Breaks
/// next to other white space (blank lines, indented paragraphs, CRLF) stay.
///
/// Line breaks lie only in the white space before a token that counts one
/// ([`crate::tokenize::Token::breaks_before`]) and after the last token: only those gaps are
/// searched, not the whole text.
fn wrapped_lines_joined<'a>(a: &'a Analysis) -> std::borrow::Cow<'a, str> {
    let folded = a.folded.as_str();
    let bytes = folded.as_bytes();
    let alone = |i: usize| {
        i > 0
            && i + 1 < bytes.len()
            && !bytes[i - 1].is_ascii_whitespace()
            && !bytes[i + 1].is_ascii_whitespace()
    };
    // Where the line breaks to join are, gap by gap.
    let mut breaks: Vec<usize> = Vec::new();
    let mut lone_in = |gap: Range<usize>| {
        for i in gap {
            if bytes[i] == b'\n' && alone(i) {
                breaks.push(i);
            }
        }
    };
    let mut gap_start = 0;
    for tok in &a.tokens {
        if tok.breaks_before > 0 {
            lone_in(gap_start..tok.span.byte_start as usize);
        }
        gap_start = tok.span.byte_end as usize;
    }
    lone_in(gap_start..bytes.len());
    if breaks.is_empty() {
        return std::borrow::Cow::Borrowed(folded);
    }
    let mut joined = String::with_capacity(bytes.len());
    let mut copied = 0;
    for i in breaks {
        joined.push_str(&folded[copied..i]);
        joined.push(' ');
        copied = i + 1;
    }
    joined.push_str(&folded[copied..]);
    std::borrow::Cow::Owned(joined)
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

    #[test]
    fn only_lone_line_breaks_between_words_are_joined() {
        // The search of the gaps between tokens finds what a scan of every byte finds.
        let every_byte = |folded: &str| {
            let b = folded.as_bytes();
            let alone = |i: usize| {
                i > 0
                    && i + 1 < b.len()
                    && !b[i - 1].is_ascii_whitespace()
                    && !b[i + 1].is_ascii_whitespace()
            };
            let j: Vec<u8> = (0..b.len())
                .map(|i| {
                    if b[i] == b'\n' && alone(i) {
                        b' '
                    } else {
                        b[i]
                    }
                })
                .collect();
            String::from_utf8(j).unwrap()
        };
        for text in [
            "the Federal\nReserve said\n\nIt rose\r\nthen\n  fell\n",
            "\nWire\ncopy\n",
            "a\u{a0}\nb c\n\u{2028}d e\n\u{a0}f",
            "x\u{b}\ny.\nZ\tq\n",
            "no breaks at all",
            "",
        ] {
            let a = tokenize(text);
            assert_eq!(wrapped_lines_joined(&a), every_byte(&a.folded), "{text:?}");
        }
    }

    /// The patterns that `haystack` from `start` begins with and that end at `from` or later,
    /// as (pattern, end) shortest first: the plain definition, by a test of every pattern.
    fn plain_prefixes(
        texts: &[String],
        haystack: &str,
        start: usize,
        from: usize,
    ) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = texts
            .iter()
            .enumerate()
            .filter(|(_, p)| haystack[start..].starts_with(p.as_str()) && start + p.len() >= from)
            .map(|(k, p)| (k, start + p.len()))
            .collect();
        found.sort_by_key(|&(_, end)| end);
        found
    }

    fn pairs(v: &[AnchoredMatch]) -> Vec<(usize, usize)> {
        v.iter().map(|m| (m.pattern, m.end)).collect()
    }

    fn patterns(list: &[&str]) -> Patterns {
        let mut patterns = Patterns::with_capacity(list.len());
        for p in list {
            patterns.add(p.to_string());
        }
        patterns
    }

    #[test]
    fn prefixes_are_the_patterns_that_start_at_the_position() {
        let patterns = patterns(&["united states", "xunited", "unit", "states", "united"]);
        let mut out = Vec::new();
        let text = "the united states said";
        patterns.prefixes(text, 4, 5, &mut out);
        // Shortest first; "states", which ends inside "united states", starts elsewhere.
        let got: Vec<(&str, usize)> = out
            .iter()
            .map(|m| (patterns.texts[m.pattern].as_str(), m.end))
            .collect();
        assert_eq!(got, [("unit", 8), ("united", 10), ("united states", 17)]);
        // Only those that end at `from` or later.
        patterns.prefixes(text, 4, 10, &mut out);
        assert_eq!(pairs(&out), [(4, 10), (0, 17)]);
        patterns.prefixes(text, 0, 3, &mut out);
        assert!(out.is_empty());
        patterns.prefixes(text, text.len(), text.len(), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn prefixes_agree_with_a_test_of_every_pattern() {
        // Shared starts, patterns that end inside a word or a longer pattern, every kind of
        // byte after a word, and patterns longer than any text.
        let patterns = patterns(&[
            "u.s.",
            "u.s",
            "u.s. treasury",
            "us",
            "people's army",
            "people’s army",
            "people’s",
            "al-qaeda",
            "al",
            "al-",
            "al qaeda in the arabian peninsula",
            "new york",
            "new york times",
            "new yorker",
            "minister of state",
            "minister of state for europe",
            "minister for",
            "中国",
            "中国国家安全部",
            "国家",
            "straße",
            "straße group",
            "apt28",
            "apt",
            "apt 28",
            "istanbul",
            "i̇stanbul",
            "o'brien",
            "o’brien",
            "st. petersburg",
            "1st",
            "a",
            "a very long pattern that is longer than every text below and then some more",
        ]);
        let texts = [
            "the u.s. treasury and the u.s.-based u.s people's army, people’s army people’sarmy",
            "al-qaeda al qaeda in the arabian peninsula al-qaeda-linked al- al",
            "new york times new yorkers new york\ntimes the minister of state for europe, minister for",
            "中国国家安全部 and 中国 and 中国国家 国家安全",
            "straße group, straße-group, apt28 apt 28 apt28x apt 2",
            "i̇stanbul istanbul o'brien o’brien st. petersburg st.petersburg 1st",
            "a",
            "",
            "u.s. treasur",
            "minister of state for euro",
        ];
        let mut out = Vec::new();
        for text in texts {
            for (start, c) in text.char_indices() {
                let heads = [
                    start,
                    start + c.len_utf8(),
                    start + head(&text[start..]).len(),
                ];
                for from in heads {
                    patterns.prefixes(text, start, from, &mut out);
                    let want = plain_prefixes(&patterns.texts, text, start, from);
                    assert_eq!(pairs(&out), want, "{text:?} at {start} from {from}");
                }
            }
        }
    }

    /// The patterns that [`Gazetteer::prefixes`] finds at every token with a known head,
    /// against a test of every pattern at each.
    fn check_prefixes(g: &Gazetteer, text: &str) {
        let a = tokenize(text);
        let haystack = wrapped_lines_joined(&a);
        let mut fast = Vec::new();
        for tok in &a.tokens {
            let h = head(tok.span.slice(&a.folded));
            let hash = word_hash(h);
            let Some(head) = g.heads.find(hash, |x| *x.text == *h) else {
                continue;
            };
            let start = tok.span.byte_start as usize;
            g.prefixes(head, hash, &haystack, start, &mut fast);
            let want = plain_prefixes(&g.patterns.texts, &haystack, start, start + h.len());
            assert_eq!(pairs(&fast), want, "{text:?} at {start}");
        }
    }

    #[test]
    fn prefixes_agree_with_a_test_of_every_pattern_in_texts() {
        let texts = [
            "The US and us and the united states, the United\nStates and the unit.",
            "UNITED STATES-led talks; the U.S. Treasury and U.S.-based firms",
            "People's Liberation Army, People’s Liberation Army, People’sLiberation",
            "APT28 and APT 28, apt28x, Sandworm Team and Sandworm-team",
            "in İstanbul and İSTANBUL, istanbul2, Straße and STRASSE",
            "中国国家安全部 and 中国 and 北京 said 1 2 3",
            "New York, New Zealand, new yorkers, the Kremlin, the kremlin's",
            "United\r\nStates and United\n\nStates and United\n",
            "",
            "US",
            "United",
        ];
        let g = gaz(T);
        let embedded = Gazetteer::load(&[]).expect("embedded lists load");
        for text in texts {
            check_prefixes(&g, text);
            check_prefixes(&embedded, text);
        }
    }

    #[test]
    fn continuations_hold_every_prefix_of_a_kept_continuation() {
        let hash = word_hash("united");
        let filter = Continuations::new([(hash, &b" states"[..]), (hash, &b"-"[..])].into_iter());
        assert!(filter.may_follow(hash, b" states said"));
        assert!(filter.may_follow(hash, b" sta"));
        assert!(filter.may_follow(hash, b"-led"));
        assert!(!filter.may_follow(hash, b""));
        assert!(!filter.may_follow(word_hash("unite"), b" states"));
    }

    #[test]
    fn a_later_line_replaces_an_earlier_one_in_its_place() {
        let entries = load::parse(
            "t.tsv",
            b"A\tORG\t-\tFirst\t-\tm\nB\tORG\t-\tB\t-\tm\nA\tGPE\t-\tA\t-\tm\n",
        )
        .unwrap();
        let mut later = entries[0].clone();
        later.name = "Second".into();
        let names = |v: &[Entry]| -> Vec<String> { v.iter().map(|e| e.name.clone()).collect() };
        assert_eq!(names(&last_lines_win(entries.clone())), ["First", "B", "A"]);
        assert_eq!(
            names(&last_lines_win([entries, vec![later]].concat())),
            ["Second", "B", "A"]
        );
    }

    #[test]
    fn patterns_are_distinct_with_their_entries_in_order() {
        let entries = load::parse(
            "t.tsv",
            "People's Army\tORG\t-\tPA\t-\tm\n\
             X\tORG\t-\tX\t-\tm\n\
             UK\tGPE\t-\tUK\t-\tm\n\
             people's army\tTITLE\t-\tpa\t-\tm\n\
             uk\tORG\t-\tuk\t-\tm\n"
                .as_bytes(),
        )
        .unwrap();
        let (patterns, pattern_entries) = patterns_of(&entries);
        let got: Vec<(&str, &[usize])> = patterns
            .texts
            .iter()
            .map(String::as_str)
            .zip(pattern_entries.iter().map(Vec::as_slice))
            .collect();
        assert_eq!(
            got,
            [
                ("people’s army", &[0, 3][..]),
                ("people's army", &[0, 3][..]),
                ("uk", &[2, 4][..]),
            ]
        );
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
        People's Liberation Army\tORG\t-\tPLA\tmatch=fold\tm\n\
        Sandworm\tTHREAT_ACTOR\tATTACK:G0034\tSandworm Team\tmatch=fold\tm\n\
        APT28\tTHREAT_ACTOR\tATTACK:G0007\tAPT28\tmatch=fold\tm\n";

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
        // Threat-actor names without a digit always need a cyber document; APT28 does not.
        assert!(found(&g, "The sandworm in the novel is huge.").is_empty());
        assert_eq!(
            found(&g, "Sandworm deployed a wiper and a backdoor."),
            ["Sandworm"]
        );
        assert_eq!(found(&g, "APT28 was mentioned at the dinner."), ["APT28"]);
    }

    #[test]
    fn groups_share_canonical_ids() {
        let g = gaz(T);
        let a = tokenize("US and United States");
        let hits = g.find(&a);
        assert_eq!(hits[0].group, hits[1].group);
        assert_eq!(g.group(hits[0].group).name, "United States");
    }

    #[test]
    fn given_names_hold_common_names_but_no_common_words_or_places() {
        let g = Gazetteer::load(&[]).expect("embedded lists load");
        for name in ["dennis", "ken", "william", "victor", "jean"] {
            assert!(g.is_given_name(name), "{name}");
        }
        for word in ["will", "may", "mark", "georgia", "jordan", "said"] {
            assert!(!g.is_given_name(word), "{word}");
        }
    }

    #[test]
    fn a_single_line_break_inside_a_name_reads_as_a_space() {
        let g = gaz(T);
        // (The document's first line ends a sentence: the story starts on the second.)
        let text = "Talks.\nOfficials said the talks with the United\nStates would resume soon.";
        // The hit's text is the input's, line break included.
        assert_eq!(found(&g, text), ["United\nStates"]);
        // A blank line, or a sentence ending at the line break, keeps the words apart.
        assert!(found(&g, "Talks ended in the United\n\nStates said no.").is_empty());
        assert!(found(&g, "Prices rose at United.\nStates said no.").is_empty());
    }
}
