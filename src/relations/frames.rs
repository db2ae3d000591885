//! Finds the phrases that fill a rule's slots: the parties to the left and right of a trigger,
//! prepositional complements, and stretches of text.
//!
//! A party phrase is an entity mention (with a following "government"-like noun for a
//! country), a plural description ("the two men"), a pronoun resolved to the nearest fitting
//! entity, or a short noun phrase that holds entity mentions ("Chinese-affiliated
//! organisations") or none ("investigators"). Lists are joined by the lexicon's list words.

use rustc_hash::FxHashSet as HashSet;
use std::cell::OnceCell;
use std::ops::Range;

use crate::entities::{Entities, Mention, MentionKind};
use crate::gazetteer::EntryType;
use crate::text::starts_upper;
use crate::tokenize::{Analysis, TokenKind};

use super::phrases::PhraseSet;

/// The lexicon in lookup form.
#[derive(Debug)]
pub struct Lex {
    /// Reporting verbs.
    pub reporting: PhraseSet<()>,
    /// Skippable words between subject and verb.
    pub skip: HashSet<String>,
    /// The same list as phrases, for its entries of several words ("in fact").
    pub skip_phrases: PhraseSet<()>,
    /// Forms of "be".
    pub be: HashSet<String>,
    /// Phrase-ending words.
    pub barrier: HashSet<String>,
    /// List joiners.
    pub list: PhraseSet<()>,
    /// Government nouns.
    pub government: HashSet<String>,
    /// Support verbs of nominal triggers.
    pub support: HashSet<String>,
    /// Hypothetical markers.
    pub hypothetical: PhraseSet<()>,
    /// Heads of unnamed phrases that can be parties.
    pub party_nouns: HashSet<String>,
    /// Nouns a name may modify and still be the party ("the Peugeot group").
    pub org_heads: HashSet<String>,
    /// Words of blame.
    pub blame: HashSet<String>,
    /// Words of business or private life in a denied clause.
    pub not_blame: HashSet<String>,
    /// Nouns that describe parties ("companies", "officials").
    pub described_parties: HashSet<String>,
}

/// One phrase filling a slot.
#[derive(Clone, Debug)]
pub struct Np {
    /// Tokens of the phrase (what the argument quotes).
    pub tokens: Range<usize>,
    /// Entities it stands for (several for a plural description).
    pub entities: Vec<usize>,
    /// Whether the entities came through coreference or a modifier rather than a name.
    pub indirect: bool,
}

/// A name found inside a longer phrase: where it ends and what it names.
struct Named {
    end: usize,
    entity: usize,
}

/// What a phrase finder reads.
pub struct Ctx<'a, 't> {
    /// The document.
    pub a: &'a Analysis<'t>,
    /// Its entities.
    pub ents: &'a Entities,
    /// The lexicon.
    pub lex: &'a Lex,
    /// How many double quotation marks lie before each token (and after the last), counted on
    /// first use: see [`Ctx::crosses_quote`].
    quotes_before: OnceCell<Vec<u32>>,
}

impl<'a, 't> Ctx<'a, 't> {
    pub fn new(a: &'a Analysis<'t>, ents: &'a Entities, lex: &'a Lex) -> Self {
        Ctx {
            a,
            ents,
            lex,
            quotes_before: OnceCell::new(),
        }
    }
}

/// How many of the tokens before each token of `a` (and before its end) are double quotation
/// marks.
fn quote_counts(a: &Analysis) -> Vec<u32> {
    let mut counts = Vec::with_capacity(a.tokens.len() + 1);
    let mut n = 0;
    counts.push(n);
    for (i, t) in a.tokens.iter().enumerate() {
        if t.kind != TokenKind::Word && matches!(a.lower(i), "\"" | "“" | "”") {
            n += 1;
        }
        counts.push(n);
    }
    counts
}

/// The most mentions a pronoun's antecedent is looked for among, nearest first. A reader
/// looks back a few clauses, not over a sentence of hundreds of names, and a bound keeps such
/// a sentence's cost in proportion to its length.
const PRONOUN_LOOK_BACK: usize = 64;

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "these", "those", "this", "that", "some",
    "all", "both", "other", "several", "two", "three", "four", "five", "same", "further", "new",
    "more",
];
/// Nouns of a part that stand for the whole they are part of ("units of X", "part of X").
const PART_NOUNS: &[&str] = &[
    "part",
    "unit",
    "units",
    "branch",
    "arm",
    "wing",
    "division",
    "section",
    "subsidiary",
    "cell",
    "officials",
    "members",
    "officers",
    "elements",
    "agents",
    "inspectors",
    "monitors",
    "observers",
    "staff",
    "employees",
    "personnel",
    "representatives",
];
/// Participles that modify the noun after them rather than take it as an object: "A, B and
/// *affiliated* Iranian firms".
const MODIFIER_PARTICIPLES: &[&str] = &[
    "related",
    "affiliated",
    "associated",
    "linked",
    "connected",
    "allied",
    "armed",
    "named",
    "unnamed",
    "listed",
    "unlisted",
    "designated",
    "sanctioned",
    "suspected",
    "alleged",
    "based",
    "registered",
    "controlled",
    "owned",
    "backed",
    "sponsored",
    "unidentified",
    "unspecified",
    "leading",
    "existing",
    "remaining",
    "ruling",
    "governing",
    "trading",
    "operating",
    "shipping",
    "banking",
    "mining",
    "united",
    "selected",
    "elected",
    "retired",
    "exiled",
    "detained",
    "jailed",
    "accused",
    "wanted",
    "indicted",
];
/// Nouns that, after "its", name another party of the possessor's kind ("its neighbour").
const RELATIONAL_NOUNS: &[&str] = &["neighbor", "neighbour", "rival", "adversary", "foe"];
/// Nouns ending in -ly, which are no adverbs ("Brown's closest ally has denied ...").
const LY_NOUNS: &[&str] = &[
    "ally", "rally", "family", "assembly", "supply", "reply", "monopoly", "anomaly", "bully",
];
const PRONOUNS: &[&str] = &[
    "it",
    "they",
    "them",
    "he",
    "she",
    "him",
    "her",
    "itself",
    "themselves",
];

/// Whether a lower-case word is a personal pronoun the frames resolve ("it", "them").
pub fn is_pronoun(w: &str) -> bool {
    PRONOUNS.contains(&w) && !w.ends_with("self") && !w.ends_with("selves")
}

impl Ctx<'_, '_> {
    fn word(&self, i: usize) -> &str {
        self.a.lower(i)
    }

    fn is_barrier(&self, i: usize) -> bool {
        let t = &self.a.tokens[i];
        let w = self.word(i);
        (t.kind == TokenKind::Punct && !matches!(w, "-" | "“" | "”" | "\"" | "'" | "‘" | "’" | "&"))
            || self.lex.barrier.contains(w)
    }

    /// A party phrase ending at token `end - 1`, not starting before `lo`.
    pub fn np_ending(&self, lo: usize, end: usize) -> Option<Np> {
        if end <= lo {
            return None;
        }
        let t = end - 1;
        if let Some(p) = self.ents.plural_at(t) {
            if p.tokens.end == end && p.tokens.start >= lo {
                return Some(Np {
                    tokens: p.tokens.clone(),
                    entities: p.members.clone(),
                    indirect: true,
                });
            }
        }
        // ")" closing a bracketed mention: "... Group 31 (APT31)".
        let open = (t.saturating_sub(5).max(lo)..t)
            .rev()
            .find(|&p| self.word(p) == "(");
        if let Some(o) = open.filter(|&o| self.word(t) == ")" && o + 1 < t) {
            let inner = self.ents.at(o + 1).filter(|m| m.tokens.end == t);
            if let Some(m) = inner {
                let head = self.np_ending(lo, o);
                return Some(match head {
                    Some(h) if h.entities.contains(&m.entity) || h.entities.is_empty() => Np {
                        tokens: h.tokens.start..end,
                        entities: vec![m.entity],
                        indirect: false,
                    },
                    // "APT28 (Fancy Bear)": the name before the bracket, the alias after it.
                    Some(h) if !h.indirect => Np {
                        tokens: h.tokens.start..end,
                        entities: h.entities,
                        indirect: false,
                    },
                    _ => Np {
                        tokens: o + 1..t,
                        entities: vec![m.entity],
                        indirect: false,
                    },
                });
            }
        }
        if let Some(m) = self.ents.at(t) {
            // "China's embassy in Washington": the place modifies the head before it.
            let mut p = m.tokens.start;
            if p > lo && self.word(p - 1) == "the" {
                p -= 1;
            }
            if p >= lo + 2 && matches!(self.word(p - 1), "in" | "at" | "to") {
                if let Some(head) = self.np_ending(lo, p - 1) {
                    if !head.entities.is_empty() && !head.entities.contains(&m.entity) {
                        return Some(Np {
                            tokens: head.tokens.start..end,
                            entities: head.entities,
                            indirect: true,
                        });
                    }
                }
            }
            if m.tokens.end == end && m.kind != MentionKind::Adjective && m.tokens.start >= lo {
                let start = self.extend_determiner(lo, m.tokens.start);
                return Some(Np {
                    tokens: start..end,
                    entities: vec![m.entity],
                    indirect: m.kind == MentionKind::Description,
                });
            }
        }
        if PRONOUNS.contains(&self.word(t)) {
            let entities = self.pronoun(t);
            return (!entities.is_empty()).then_some(Np {
                tokens: t..end,
                entities,
                indirect: true,
            });
        }
        // A short noun phrase: lower-case words and modifiers, at most six tokens.
        let w = self.word(t);
        if self.a.tokens[t].kind != TokenKind::Word
            || self.is_barrier(t)
            || self.lex.skip.contains(w)
            || self.lex.be.contains(w)
            || DETERMINERS.contains(&w)
        {
            return None;
        }
        if let Some(m) = self.ents.at(t) {
            // A country adjective alone is not a party unless a noun follows (handled above).
            if m.kind == MentionKind::Adjective {
                return None;
            }
        }
        let mut start = t;
        while start > lo && t + 1 - start < 6 {
            let p = start - 1;
            let pw = self.word(p);
            let ok = (self.a.tokens[p].kind == TokenKind::Word
                && !self.is_barrier(p)
                && !PRONOUNS.contains(&pw)
                && !self.lex.skip.contains(pw)
                && !self.lex.be.contains(pw)
                && !self.lex.list.at(self.a, p, end).any(|_| true))
                || (pw == "-" && !self.a.tokens[p].space_before)
                || self.a.tokens[p].kind == TokenKind::Number
                || self
                    .ents
                    .at(p)
                    .is_some_and(|m| m.kind == MentionKind::Adjective);
            if !ok
                || DETERMINERS.contains(&pw)
                    && !matches!(
                        pw,
                        "two"
                            | "three"
                            | "four"
                            | "five"
                            | "same"
                            | "further"
                            | "new"
                            | "other"
                            | "several"
                    )
            {
                break;
            }
            // A verb taking the phrase as its object: "identifying Chinese-affiliated groups".
            if pw.ends_with("ing")
                && (self.ents.at(start).is_some() || DETERMINERS.contains(&self.word(start)))
            {
                break;
            }
            start = p;
        }
        // "China's foreign ministry": the possessor names the party, unless the phrase names
        // one itself ("Russia's GRU military intelligence service").
        let mut owned: Option<(usize, Vec<usize>)> = None;
        let names_own = (start..end).any(|i| {
            self.ents.at(i).is_some_and(|m| {
                !matches!(m.kind, MentionKind::Adjective | MentionKind::Description)
                    && m.tokens.start >= start
            })
        });
        if start >= lo + 2 && !names_own && matches!(self.a.tok(start - 1), "'s" | "’s") {
            if let Some(owner) = self.np_ending(lo, start - 1) {
                if !owner.entities.is_empty() {
                    owned = Some((owner.tokens.start, owner.entities));
                }
            }
        }
        let (start, entities) = match owned {
            Some(o) => o,
            None if names_own && matches!(self.a.tok(start.saturating_sub(1)), "'s" | "’s") => {
                let owner = self
                    .np_ending(lo, start - 1)
                    .map_or(start, |o| o.tokens.start);
                (owner, self.entities_in(start..end))
            }
            None => {
                let start = self.extend_determiner(lo, start);
                (start, self.entities_in(start..end))
            }
        };
        // "units of the Reconnaissance General Bureau" stands for the bureau; "the head of
        // the agency" stands for a person, not the agency.
        if start >= lo + 2 && self.word(start - 1) == "of" {
            if let Some(whole) = self.np_ending(lo, start - 1) {
                let head = self.word(whole.tokens.end - 1);
                let entities = if PART_NOUNS.contains(&head) {
                    entities
                } else {
                    Vec::new()
                };
                return Some(Np {
                    tokens: whole.tokens.start..end,
                    entities,
                    indirect: true,
                });
            }
        }
        Some(Np {
            tokens: start..end,
            entities,
            indirect: true,
        })
    }

    /// A party phrase starting at token `start`, ending before `hi`.
    pub fn np_starting(&self, start: usize, hi: usize) -> Option<Np> {
        let mut i = start;
        while i < hi
            && (DETERMINERS.contains(&self.word(i)) || self.word(i) == "“" || self.word(i) == "\"")
            && self.ents.at(i).is_none()
            && self.ents.plural_at(i).is_none()
        {
            i += 1;
        }
        if i >= hi {
            return None;
        }
        if let Some(p) = self.ents.plural_at(i) {
            if p.tokens.end <= hi {
                let s = p.tokens.start.min(start);
                return Some(Np {
                    tokens: s..p.tokens.end,
                    entities: p.members.clone(),
                    indirect: true,
                });
            }
        }
        if PRONOUNS.contains(&self.word(i)) {
            let entities = self.pronoun(i);
            return (!entities.is_empty()).then_some(Np {
                tokens: i..i + 1,
                entities,
                indirect: true,
            });
        }
        if let Some(np) = self.other_party(start, i) {
            return Some(np);
        }
        if let Some(m) = self.ents.at(i) {
            // "North Korea's Reconnaissance General Bureau": the possessed name.
            if m.tokens.end + 1 < hi && matches!(self.a.tok(m.tokens.end), "'s" | "’s") {
                if let Some(np) = self.np_starting(m.tokens.end + 1, hi) {
                    if !np.entities.is_empty() && !np.indirect {
                        return Some(Np {
                            tokens: i..np.tokens.end,
                            entities: np.entities,
                            indirect: false,
                        });
                    }
                }
            }
            if let Some(named) = self.named_after_place(m, hi) {
                return Some(Np {
                    tokens: start.min(i)..named.end,
                    entities: vec![named.entity],
                    indirect: false,
                });
            }
            if m.kind != MentionKind::Adjective && m.tokens.end <= hi {
                let mut end = m.tokens.end;
                let is_country = self.ents.list[m.entity].kind == EntryType::Gpe;
                while is_country && end < hi && self.lex.government.contains(self.word(end)) {
                    end += 1;
                }
                // "APT31 (also known as ...)" stays APT31; "Acme Ltd (Acme)" keeps its bracket.
                if end + 2 < hi
                    && self.word(end) == "("
                    && self.word(end + 2) == ")"
                    && self.ents.at(end + 1).is_some_and(|x| x.entity == m.entity)
                {
                    end += 3;
                }
                let direct = !matches!(m.kind, MentionKind::Description);
                return Some(Np {
                    tokens: start.min(i)..end,
                    entities: vec![m.entity],
                    indirect: !direct,
                });
            }
        }
        // A noun phrase of lower-case words and modifiers up to a barrier.
        let mut end = i;
        while end < hi && end < i + 7 {
            let w = self.word(end);
            let t = &self.a.tokens[end];
            let in_mention = self.ents.at(end);
            if let Some(m) = in_mention {
                if m.kind != MentionKind::Adjective {
                    // A name after modifiers: "Chinese hacking group APT31" -> up to the name.
                    end = m.tokens.end;
                    break;
                }
                end = m.tokens.end;
                continue;
            }
            let ok = (t.kind == TokenKind::Word
                && !self.is_barrier(end)
                && !self.lex.be.contains(w)
                && self.lex.list.longest_at(self.a, end, hi).is_none())
                || (w == "-" && !t.space_before)
                || t.kind == TokenKind::Number
                || matches!(w, "“" | "”" | "\"");
            if !ok {
                break;
            }
            end += 1;
        }
        while end > i && matches!(self.word(end - 1), "“" | "\"" | "-") {
            end -= 1;
        }
        if end == i {
            return None;
        }
        // "the government's taskforce": the possessed phrase.
        if end < hi && matches!(self.a.tok(end), "'s" | "’s") {
            if let Some(np) = self.np_starting(end + 1, hi) {
                return Some(np);
            }
        }
        let mut entities = self.entities_in(i..end);
        // "the Dutch", "the French": a nationality standing alone for its country.
        if entities.is_empty() && i > start && self.word(i - 1) == "the" {
            if let Some(m) = self.ents.at(i) {
                if m.kind == MentionKind::Adjective && m.tokens.start == i && m.tokens.end == end {
                    entities.push(m.entity);
                }
            }
        }
        // "units of the Reconnaissance General Bureau": the named whole.
        if entities.is_empty()
            && end + 1 < hi
            && self.word(end) == "of"
            && PART_NOUNS.contains(&self.word(end - 1))
        {
            if let Some(np) = self.np_starting(end + 1, hi) {
                if !np.entities.is_empty() {
                    let s = start;
                    return Some(Np {
                        tokens: s..np.tokens.end,
                        entities: np.entities,
                        indirect: true,
                    });
                }
            }
        }
        let s = start;
        Some(Np {
            tokens: s..end,
            entities,
            indirect: true,
        })
    }

    /// A place name that only modifies the person or organisation named after one or two
    /// lower-case nouns: "New York financier Asher Edelman", "Texas oil firm Dunhill Corp".
    /// The later name, which heads the phrase.
    fn named_after_place(&self, m: &Mention, hi: usize) -> Option<Named> {
        if self.ents.list[m.entity].kind != EntryType::Gpe {
            return None;
        }
        let mut j = m.tokens.end;
        // "New York-based ITT Corp": the place says where the named party is.
        let based = j + 2 < hi && self.word(j) == "-" && self.word(j + 1) == "based";
        if based {
            j += 2;
        }
        let nouns_from = j;
        while j < hi && j < nouns_from + 2 {
            let w = self.word(j);
            let noun = self.a.tokens[j].kind == TokenKind::Word
                && !starts_upper(self.a.tok(j))
                && !self.is_barrier(j)
                && !self.lex.government.contains(w)
                && !self.lex.skip.contains(w)
                && !self.lex.be.contains(w)
                && self.lex.reporting.longest_at(self.a, j, hi).is_none()
                && self.lex.list.longest_at(self.a, j, hi).is_none();
            if !noun {
                break;
            }
            j += 1;
        }
        let later = self.ents.at(j).filter(|n| {
            j > m.tokens.end
                && n.tokens.start == j
                && n.tokens.end <= hi
                && n.kind != MentionKind::Adjective
                && matches!(
                    self.ents.list[n.entity].kind,
                    EntryType::Person | EntryType::Org
                )
        })?;
        Some(Named {
            end: later.tokens.end,
            entity: later.entity,
        })
    }

    fn extend_determiner(&self, lo: usize, start: usize) -> usize {
        if start > lo
            && DETERMINERS.contains(&self.word(start - 1))
            && self.ents.at(start - 1).is_none()
        {
            start - 1
        } else {
            start
        }
    }

    /// The entities a noun phrase names: its name mentions, and a country adjective only when
    /// the phrase is about that country's state ("the Chinese government", "Russian
    /// diplomats") or a compound ties it ("Chinese-affiliated groups"), not for mere
    /// nationality ("North Korean hackers").
    fn entities_in(&self, tokens: Range<usize>) -> Vec<usize> {
        let state = tokens
            .clone()
            .any(|t| self.lex.government.contains(self.word(t)));
        let mut out = Vec::new();
        for t in tokens.clone() {
            if let Some(m) = self.ents.at(t) {
                let adjective = m.kind == MentionKind::Adjective;
                let compound = m.tokens.end < tokens.end && self.word(m.tokens.end) == "-";
                if (!adjective || state || compound) && !out.contains(&m.entity) {
                    out.push(m.entity);
                }
            }
        }
        out
    }

    /// The entities a pronoun at `t` stands for, in this or the two sentences before.
    pub fn pronoun(&self, t: usize) -> Vec<usize> {
        self.pronoun_except(t, &[])
    }

    /// The entities a pronoun at `t` stands for, never one of `not` (the party filling the
    /// other side of the same relation). The antecedent must agree with the pronoun ("he" and
    /// "she" a person, "it" a named non-person, "they" a plural description or two names
    /// joined by "and") and lie on the same side of every quotation mark; among the
    /// candidates the nearest subject wins over a nearer object ("The company said a jury in
    /// Norfolk, Va., is probing ... it will be indicted": the company, not Va.).
    pub fn pronoun_except(&self, t: usize, not: &[usize]) -> Vec<usize> {
        let s = self.a.sentence_of(t);
        let w = self.word(t);
        let plural = matches!(w, "they" | "them" | "themselves");
        if plural {
            let i = self.ents.plurals.partition_point(|p| p.tokens.end <= t);
            let p = self.ents.plurals[..i].last().filter(|p| {
                p.sentence + 2 >= s
                    && !self.crosses_quote(p.tokens.end, t)
                    && !p.members.iter().any(|e| not.contains(e))
            });
            return match p {
                Some(p) => p.members.clone(),
                None => self.pair_before(t, s, not),
            };
        }
        let fits = |m: &&Mention| {
            let kind = self.ents.list[m.entity].kind;
            let agrees = match w {
                "he" | "him" | "she" | "her" => kind == EntryType::Person,
                _ => kind != EntryType::Person && m.kind != MentionKind::Adjective,
            };
            agrees && !not.contains(&m.entity) && !self.crosses_quote(m.tokens.end, t)
        };
        let candidates: Vec<&Mention> = self
            .ents
            .before(t, s, 2)
            .take(PRONOUN_LOOK_BACK)
            .filter(fits)
            .collect();
        candidates
            .iter()
            .find(|m| self.subject_like(m.tokens.clone()))
            .or(candidates.first())
            .map(|m| vec![m.entity])
            .unwrap_or_default()
    }

    /// For "they" at `t` with no plural description before it: the nearest mention when it
    /// closes a pair of names of one sort joined by "and" ("Zhu Hua and Zhang Shilong",
    /// "Britain and the United States"); nothing otherwise (a lone name is no "they").
    fn pair_before(&self, t: usize, s: usize, not: &[usize]) -> Vec<usize> {
        let Some(m) = self
            .ents
            .before(t, s, 2)
            .find(|m| m.kind != MentionKind::Adjective)
            .filter(|m| !self.crosses_quote(m.tokens.end, t))
        else {
            return Vec::new();
        };
        let mut and = m.tokens.start;
        if and > 0 && self.word(and - 1) == "the" {
            and -= 1;
        }
        if and < 2 || self.word(and - 1) != "and" {
            return Vec::new();
        }
        let person = |e: usize| self.ents.list[e].kind == EntryType::Person;
        let first = self.ents.at(and - 2).filter(|f| {
            f.kind != MentionKind::Adjective
                && f.entity != m.entity
                && person(f.entity) == person(m.entity)
        });
        match first {
            Some(f) if !not.contains(&f.entity) && !not.contains(&m.entity) => {
                vec![f.entity, m.entity]
            }
            _ => Vec::new(),
        }
    }

    /// Whether an unnamed phrase can be a party: its head is capitalised (a name the
    /// recogniser missed, "Critics" opening a sentence) or a party noun of the lexicon
    /// ("prosecutors", "the mayor"), not a misread word ("his resignation charging ...").
    pub fn party_like(&self, t: &Range<usize>) -> bool {
        let Some(head) = t.end.checked_sub(1).filter(|&h| h >= t.start) else {
            return false;
        };
        self.a.tokens[head].kind == TokenKind::Word
            && (starts_upper(self.a.tok(head)) || self.lex.party_nouns.contains(self.word(head)))
    }

    /// "its neighbour" at `i` (after the possessive, which starts at or after `start`): the
    /// party of the possessor's kind, named nearest before it, that is not the possessor
    /// ("Serbia protested to Albania, charging its neighbour with ...": Albania).
    fn other_party(&self, start: usize, i: usize) -> Option<Np> {
        if i == start || !matches!(self.word(i - 1), "its" | "their") {
            return None;
        }
        if !RELATIONAL_NOUNS.contains(&self.word(i)) {
            return None;
        }
        let owner = *self.pronoun(i - 1).first()?;
        let kind = self.ents.list[owner].kind;
        let s = self.a.sentence_of(i);
        let other = self.ents.before(i, s, 1).find(|m| {
            m.entity != owner
                && m.kind != MentionKind::Adjective
                && self.ents.list[m.entity].kind == kind
        })?;
        Some(Np {
            tokens: i - 1..i + 1,
            entities: vec![other.entity],
            indirect: true,
        })
    }

    /// Whether an odd number of double quotation marks lies between `from` and `to`: the two
    /// are on opposite sides of a quotation's edge. (Read off running counts: a pronoun weighs
    /// every mention before it, and counting the marks between each afresh made a long
    /// sentence's cost grow with the cube of its length.)
    fn crosses_quote(&self, from: usize, to: usize) -> bool {
        if from >= to {
            return false;
        }
        let before = self.quotes_before.get_or_init(|| quote_counts(self.a));
        (before[to] - before[from]) % 2 == 1
    }

    /// Whether a mention stands where a clause's subject stands: at the start of its sentence
    /// or clause (after a determiner or possessive), or right before an auxiliary, a form of
    /// "be", a reporting verb or a past tense; a mention after a preposition or a verb is an
    /// object, and a possessor ("Mr Howard's stance") is neither.
    fn subject_like(&self, m: Range<usize>) -> bool {
        let sent = self.a.sentences[self.a.sentence_of(m.start)].tokens.clone();
        // "Mr Howard's stance": a possessor is no subject.
        if m.end < sent.end && matches!(self.a.tok(m.end), "'s" | "’s") {
            return false;
        }
        let mut p = m.start;
        while p > sent.start && DETERMINERS.contains(&self.word(p - 1)) {
            p -= 1;
        }
        let opens = p == sent.start
            || matches!(
                self.word(p - 1),
                "\"" | "“" | "and" | "but" | "that" | "while" | "because" | "although"
            )
            || self
                .lex
                .reporting
                .ending_at(self.a, sent.start, p)
                .is_some();
        // "the Treasury sanctioned": a lower-case past tense right after the name.
        let past = m.end < sent.end
            && self.word(m.end).ends_with("ed")
            && !starts_upper(self.a.tok(m.end));
        let before_verb = m.end < sent.end
            && (past
                || self.lex.skip.contains(self.word(m.end))
                || self.lex.be.contains(self.word(m.end))
                || self
                    .lex
                    .reporting
                    .longest_at(self.a, m.end, sent.end)
                    .is_some());
        opens || before_verb
    }

    /// Skips auxiliaries, adverbs and commas leftwards from `end`; the new end.
    pub fn skip_left(&self, lo: usize, mut end: usize) -> usize {
        while end > lo {
            let w = self.word(end - 1);
            // "who prosecutors say worked for ...": a reporting clause inside a relative one.
            if let Some(np) = self.reporter_in_relative(lo, end) {
                end = np;
                continue;
            }
            if let Some((s, _)) = self.lex.skip_phrases.ending_at(self.a, lo, end) {
                // "X is suspected of being ...", but in "Iran, which Washington has accused of
                // being behind ..." the name before "has accused" is the accuser.
                let verb_of_other = matches!(self.word(s), "accused" | "suspected")
                    && s > lo
                    && !self.lex.be.contains(self.word(s - 1))
                    && self.word(s - 1) != ",";
                if verb_of_other {
                    break;
                }
                if s + 1 < end {
                    end = s;
                    continue;
                }
            }
            let adverb = w.ends_with("ly")
                && w.len() > 3
                && !LY_NOUNS.contains(&w)
                && !starts_upper(self.a.tok(end - 1));
            let apposition_comma = w == ","
                && end - 1 > lo
                && self
                    .np_ending(lo, end - 1)
                    .is_some_and(|np| !np.entities.is_empty());
            if self.lex.skip.contains(w) || self.lex.be.contains(w) || adverb || apposition_comma {
                end -= 1;
            } else if matches!(w, "who" | "which" | "that")
                && end >= lo + 2
                && (self.word(end - 2) == ","
                    || self.ents.at(end - 2).is_some()
                    || self.a.tokens[end - 2].kind == TokenKind::Word
                        && !self
                            .lex
                            .reporting
                            .at(self.a, end - 2, end - 1)
                            .any(|_| true))
            {
                // "Dmitry Badin, who is associated with ...", "a group that works for ..."
                end -= if self.word(end - 2) == "," { 2 } else { 1 };
            } else {
                break;
            }
        }
        end
    }

    /// For "who prosecutors said" ending at `end`: where the reporter phrase starts (so that
    /// "who" comes next); `None` when the tokens before `end` are no such clause.
    fn reporter_in_relative(&self, lo: usize, end: usize) -> Option<usize> {
        let (r, _) = self.lex.reporting.ending_at(self.a, lo, end)?;
        let np = self.np_ending(lo, r)?;
        let before = np.tokens.start.checked_sub(1).filter(|&b| b > lo)?;
        (np.tokens.len() <= 3 && matches!(self.word(before), "who" | "which" | "that"))
            .then_some(np.tokens.start)
    }

    /// The list of parties ending at `end` (after skipping auxiliaries), nearest last.
    pub fn parties_left(&self, lo: usize, end: usize) -> Vec<Np> {
        let mut out: Vec<Np> = Vec::new();
        let limit = end;
        let mut end = self.skip_left(lo, end);
        // "A, a specialist who defected in 2013, has been ...": the name before an indefinite
        // apposition (whose closing comma `skip_left` may have passed).
        // A comma right before the trigger opens its apposition ("B, a front for C").
        let closing = if end + 1 < limit && self.word(end) == "," {
            end + 1
        } else {
            end
        };
        if let Some(k) = self.before_apposition(lo, closing) {
            end = k;
        }
        // "A, one of its officers, have been ...": step into the apposition before the comma.
        if end > lo + 1 && self.word(end - 1) == "," && self.np_ending(lo, end - 1).is_some() {
            end -= 1;
        }
        while let Some(np) = self.np_ending(lo, end) {
            // An indefinite description in apposition: "APT31, a group with ties to ..."
            // ... or a predicate: "APT31 is a group with ties to ..."
            let before = np.tokens.start.saturating_sub(1);
            let appositive = np.entities.is_empty()
                && np.tokens.start > lo + 1
                && (self.word(before) == ","
                    || (matches!(self.word(np.tokens.start), "a" | "an")
                        && self.lex.be.contains(self.word(before))));
            if appositive {
                let head_end = if self.word(before) == "," {
                    before
                } else {
                    self.skip_left(lo, before)
                };
                if let Some(head) = self.np_ending(lo, head_end) {
                    if !head.entities.is_empty() {
                        // The list may go on before the head: "A, the head of X, and B".
                        end = head.tokens.start;
                        out.push(head);
                        if !self.join_left(lo, &mut end) {
                            break;
                        }
                        continue;
                    }
                }
            }
            end = np.tokens.start;
            out.push(np);
            if !self.join_left(lo, &mut end) {
                break;
            }
        }
        out.reverse();
        dedupe(out)
    }

    /// When `end` follows the comma closing an indefinite apposition ("A, a group linked to
    /// B,") or a relative clause ("A, which targets B and C,"), the end of the named phrase it
    /// describes.
    fn before_apposition(&self, lo: usize, end: usize) -> Option<usize> {
        if end < lo + 4 || self.word(end - 1) != "," {
            return None;
        }
        let floor = lo.max(end.saturating_sub(24));
        let k = (floor + 1..end - 2)
            .rev()
            .take_while(|&k| !matches!(self.word(k), ";" | ":" | "—" | "–" | "(" | ")"))
            .find(|&k| {
                self.word(k) == "," && matches!(self.word(k + 1), "a" | "an" | "which" | "who")
            })?;
        // A relative clause may hold a list ("which targets A, B and C,"); an indefinite
        // description with commas is more likely a list of parties itself.
        let relative = matches!(self.word(k + 1), "which" | "who");
        let list = !relative && (k + 1..end - 1).any(|i| self.word(i) == ",");
        if list {
            return None;
        }
        // "A, who worked for B, a front for C, has been ...": the description is B's, and A is
        // the subject, named or not.
        if !relative {
            let floor = lo.max(k.saturating_sub(16));
            let outer = (floor + 1..k)
                .rev()
                .take_while(|&j| self.word(j) != "," || matches!(self.word(j + 1), "who" | "which"))
                .find(|&j| self.word(j) == ",");
            if let Some(j) = outer {
                return self.np_ending(lo, j).map(|_| j);
            }
        }
        let head = self.np_ending(lo, k)?;
        (!head.entities.is_empty() && !head.indirect).then_some(k)
    }

    /// Steps left over list joiners (", and", ", along with"); whether any was found.
    fn join_left(&self, lo: usize, end: &mut usize) -> bool {
        let mut joined = false;
        loop {
            if *end > lo && matches!(self.word(*end - 1), "," | "—" | "–") {
                *end -= 1;
                joined = true;
                continue;
            }
            match self.lex.list.ending_at(self.a, lo, *end) {
                Some((s, _)) => {
                    *end = s;
                    joined = true;
                }
                None => break,
            }
        }
        joined
    }

    /// The list of parties starting at `start` and ending before `hi`.
    pub fn parties_right(&self, start: usize, hi: usize) -> Vec<Np> {
        let mut out = Vec::new();
        let mut i = start;
        while let Some(np) = self.np_starting(i, hi) {
            i = self.skip_alias(np.tokens.end, hi);
            out.push(np);
            // Apposition of names after a plural: "the individuals, A and B,".
            let mut joined = false;
            loop {
                if i < hi
                    && matches!(self.word(i), "—" | "–" | ":")
                    && i + 1 < hi
                    && self.ents.at(i + 1).is_some()
                {
                    i += 1;
                    joined = true;
                    continue;
                }
                if i < hi && self.word(i) == "," {
                    // ", a cyber espionage group ...": an apposition, not another member.
                    if i + 1 < hi && matches!(self.word(i + 1), "a" | "an" | "which" | "who") {
                        break;
                    }
                    // ', "The ...', ", told ..." or ", Prime Minister X said": a quotation,
                    // a verb or a speaker follows, not another member.
                    if i + 1 < hi && matches!(self.word(i + 1), "\"" | "“" | "”" | "'" | "‘")
                        || self.lex.reporting.longest_at(self.a, i + 1, hi).is_some()
                        || self.speaker_at(i + 1, hi)
                    {
                        break;
                    }
                    i += 1;
                    joined = true;
                    continue;
                }
                match self.lex.list.longest_at(self.a, i, hi) {
                    Some((n, _)) => {
                        i += n;
                        joined = true;
                    }
                    None => break,
                }
            }
            // "sanctioned B and barred American banks from ...": a verb phrase is joined, not
            // another member.
            if !joined || self.verb_phrase_at(i, hi) {
                break;
            }
        }
        dedupe(out)
    }

    /// When a list of parties ends at `end` with a relative clause (", which it said recruited
    /// ..."), where the list goes on after it: the first party after the clause's closing
    /// list joiner (", and B"), within 30 tokens and the sentence. `None` when no named party
    /// follows the joiner ("..., and praised B") or the sentence ends first.
    pub fn list_after_relative(&self, end: usize, sent_end: usize) -> Option<usize> {
        if end + 2 >= sent_end
            || self.word(end) != ","
            || !matches!(self.word(end + 1), "which" | "who")
        {
            return None;
        }
        let limit = sent_end.min(end + 30);
        let comma = (end + 2..limit)
            .take_while(|&k| !matches!(self.word(k), ";" | "." | "—" | "–" | "(" | ":"))
            .find(|&k| {
                self.word(k) == "," && self.lex.list.longest_at(self.a, k + 1, sent_end).is_some()
            })?;
        let (n, _) = self.lex.list.longest_at(self.a, comma + 1, sent_end)?;
        let next = comma + 1 + n;
        let named = self.ents.at(next).is_some_and(|m| m.tokens.start == next)
            || (self.word(next) == "the"
                && next + 1 < sent_end
                && self
                    .ents
                    .at(next + 1)
                    .is_some_and(|m| m.tokens.start == next + 1));
        named.then_some(next)
    }

    /// Whether a verb with its object starts at `i`: a lower-case word in -ed or -ing that names
    /// nothing and is no modifier participle ("affiliated", "leading"), followed by a word
    /// that opens a noun phrase (a determiner, a pronoun, a number or a capitalised word):
    /// "barred American banks", "closed its embassy", not "affiliated companies".
    pub fn verb_phrase_at(&self, i: usize, hi: usize) -> bool {
        if i + 1 >= hi || self.a.tokens[i].kind != TokenKind::Word || self.ents.at(i).is_some() {
            return false;
        }
        let w = self.word(i);
        let verb = (w.ends_with("ed") || w.ends_with("ing"))
            && w.len() > 4
            && !starts_upper(self.a.tok(i))
            && !MODIFIER_PARTICIPLES.contains(&w);
        let next = i + 1;
        let opens_phrase = DETERMINERS.contains(&self.word(next))
            || PRONOUNS.contains(&self.word(next))
            || self.word(next) == "us"
            || self.a.tokens[next].kind == TokenKind::Number
            || starts_upper(self.a.tok(next));
        verb && opens_phrase
    }

    /// The end of a phrase's head: its first preposition, punctuation, verb form of "be" or
    /// auxiliary, at most six tokens in.
    pub fn head_end(&self, phrase: Range<usize>) -> usize {
        let end = phrase.end.min(phrase.start + 6);
        (phrase.start..end)
            .find(|&i| {
                let w = self.word(i);
                i > phrase.start
                    && (self.is_barrier(i) || self.lex.be.contains(w) || self.lex.skip.contains(w))
            })
            .unwrap_or(end)
    }

    /// After a phrase that ends in a name, the end of the lower-case nouns the name modifies
    /// ("the Medibank *intrusion*", "the SolarWinds *supply-chain compromise*"); `end` when
    /// none follow.
    pub fn noun_tail(&self, end: usize, hi: usize) -> usize {
        if end == 0 || self.ents.at(end - 1).is_none() {
            return end;
        }
        let mut i = end;
        while i < hi && i < end + 4 {
            let w = self.word(i);
            let t = &self.a.tokens[i];
            let noun = t.kind == TokenKind::Word
                && !starts_upper(self.a.tok(i))
                && !self.is_barrier(i)
                && !self.lex.be.contains(w)
                && !self.lex.skip.contains(w)
                && self.lex.reporting.longest_at(self.a, i, hi).is_none()
                && self.lex.list.longest_at(self.a, i, hi).is_none();
            let hyphen = w == "-" && !t.space_before && i + 1 < hi;
            if !(noun || hyphen) {
                break;
            }
            i += 1;
        }
        while i > end && self.word(i - 1) == "-" {
            i -= 1;
        }
        i
    }

    /// Whether a speaker starts at `i`: a capitalised phrase of at most six tokens followed,
    /// after at most two more words, by a reporting verb ("U.S. Trade Representative Clayton
    /// Yeutter said", "Agriculture Ministry officials said").
    fn speaker_at(&self, i: usize, hi: usize) -> bool {
        let i = if i < hi && self.word(i) == "the" {
            i + 1
        } else {
            i
        };
        let mut j = i;
        while j < hi && j < i + 6 && (starts_upper(self.a.tok(j)) || self.ents.at(j).is_some()) {
            j += 1;
        }
        if j == i {
            return false;
        }
        // "Agriculture Ministry officials said": a few lower-case words may end the phrase.
        (j..(j + 3).min(hi)).any(|k| {
            self.lex.reporting.longest_at(self.a, k, hi).is_some()
                && (j..k).all(|m| self.a.tokens[m].kind == TokenKind::Word && !self.is_barrier(m))
        })
    }

    /// After a phrase, the end of an alias apposition (", known as Evil Corp," or ", also
    /// called X,"), so that a list goes on after it; `end` when none follows.
    fn skip_alias(&self, end: usize, hi: usize) -> usize {
        let mut k = end;
        if k < hi && self.word(k) == "," {
            k += 1;
        }
        if k < hi && self.word(k) == "also" {
            k += 1;
        }
        let alias =
            k + 2 < hi && matches!(self.word(k), "known" | "called" | "dubbed" | "nicknamed");
        if !alias {
            return end;
        }
        let k = if self.word(k + 1) == "as" {
            k + 2
        } else {
            k + 1
        };
        match self.ents.at(k) {
            Some(m) if m.tokens.end <= hi => m.tokens.end,
            _ => end,
        }
    }

    /// The end of the clause that starts at `start`: the first barrier token at or after it.
    pub fn clause_end(&self, start: usize, hi: usize) -> usize {
        // A clause is read at most 60 tokens far, which keeps long sentences linear.
        let hi = hi.min(start + 60);
        (start..hi)
            .find(|&i| {
                let w = self.word(i);
                let dash_list =
                    matches!(w, "—" | "–") && i + 1 < hi && self.ents.at(i + 1).is_some();
                (matches!(w, "." | ";" | "!" | "?" | "—" | "–") && !dash_list)
                    || (w == ","
                        && i + 1 < hi
                        && matches!(
                            self.word(i + 1),
                            "but"
                                | "while"
                                | "which"
                                | "who"
                                | "although"
                                | "whereas"
                                | "and"
                                | "said"
                                | "says"
                                | "according"
                        ))
            })
            .unwrap_or(hi)
    }

    /// The text of a stretch from `start` to the clause's end, as tokens.
    pub fn text_from(&self, start: usize, hi: usize) -> Option<Range<usize>> {
        // At most 40 tokens, so that a sentence without punctuation cannot make every
        // argument as long as itself.
        let hi = hi.min(start + 40);
        let end = self.clause_end(start, hi);
        let end = (start..end)
            .find(|&i| {
                self.word(i) == ","
                    && i + 1 < end
                    && (self.lex.reporting.longest_at(self.a, i + 1, end).is_some()
                        || self.ents.at(i + 1).is_some()
                            && self
                                .lex
                                .reporting
                                .longest_at(
                                    self.a,
                                    self.ents.at(i + 1).map_or(i + 1, |m| m.tokens.end),
                                    end,
                                )
                                .is_some())
            })
            .unwrap_or(end);
        let mut end = end;
        while end > start && matches!(self.word(end - 1), "," | "“" | "\"" | "(") {
            end -= 1;
        }
        (end > start).then_some(start..end)
    }
}

/// Drops later phrases whose entities all appeared earlier (appositions restating a list).
fn dedupe(nps: Vec<Np>) -> Vec<Np> {
    let named: HashSet<usize> = nps
        .iter()
        .filter(|n| !n.indirect)
        .flat_map(|n| n.entities.iter().copied())
        .collect();
    let mut seen: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for np in nps {
        // A description whose people are all named in the same list gives way to the names.
        if np.indirect && !np.entities.is_empty() && np.entities.iter().all(|e| named.contains(e)) {
            continue;
        }
        if !np.entities.is_empty() && np.entities.iter().all(|e| seen.contains(e)) {
            continue;
        }
        seen.extend(np.entities.iter().copied());
        out.push(np);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    #[test]
    fn quote_counts_agree_with_counting_the_marks_between() {
        let text = "“We did not,” he said. Officials said \"they were\" behind it, \
                    and ”the rest” of it \u{201c}stands\u{201d}. It's 'single' quotes.";
        let a = tokenize(text);
        let counts = quote_counts(&a);
        assert_eq!(counts.len(), a.tokens.len() + 1);
        assert_eq!(counts[a.tokens.len()], 8, "four pairs of double marks");
        for from in 0..=a.tokens.len() {
            for to in from..=a.tokens.len() {
                let marks = (from..to)
                    .filter(|&i| matches!(a.tok(i), "\"" | "“" | "”"))
                    .count();
                assert_eq!((counts[to] - counts[from]) as usize, marks, "{from}..{to}");
            }
        }
    }
}
