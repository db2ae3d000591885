//! Finds names that no list has: runs of capitalised words, typed by their form and context.
//!
//! A run is a sequence of capitalised tokens, with connectors (`of`, `and`, `de`, hyphens...)
//! kept inside when a capitalised word follows. It is typed as:
//! - a person when a title opens it (`Deputy PM Oliver Dowden`, `Sir Iain Duncan Smith`), its
//!   first word is a known given name, a reporting verb or role noun frames it (`..., Smith
//!   said`, `spokesman John Kirby`), or it follows a plural noun of people (`two individuals,
//!   Zhao Guangzong and Ni Gaobin`);
//! - an organisation when its last word says so (`... Company Ltd`, `... Group`, `... LLC`) or
//!   its first words do (`Ministry of ...`), or an organisation noun follows it in lower case
//!   (`the Defending Democracy taskforce`);
//! - otherwise a person when it has two or three plain words, else nothing.
//!
//! Headlines, all-capital lines and a sentence's opening word are not names by themselves;
//! rows of results tables and bylines, which look like headlines, are read all the same, and
//! a dateline's place and agency are read apart (see [`super::layout`]). On a table's row a
//! name followed by a score is a team.

use std::ops::Range;

use crate::gazetteer::{EntryType, Form, Gazetteer, Hit};
use crate::tokenize::{Analysis, TokenKind};
use crate::words::{is_calendar_token, WordMap, WordSet, Words, MONTHS, WEEKDAYS};

use super::layout::{is_all_caps_token, Layout, LineKind};
use super::LowercaseVocab;

/// What a run names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKind {
    /// A person.
    Person,
    /// An organisation.
    Org,
    /// A single capitalised word of unknown type: a person's short form, if anything.
    Single,
    /// A place (a dateline's city or region).
    Place,
}

/// A name found by form and context.
#[derive(Clone, Debug)]
pub struct Run {
    /// The tokens of the name (titles excluded).
    pub tokens: Range<usize>,
    /// What it names.
    pub kind: RunKind,
    /// Tokens of a title before the name, if any.
    pub title: Option<Range<usize>>,
    /// An organisation's or place's kind (company, government, team; city, region).
    pub org_kind: Option<&'static str>,
    /// Whether only its form typed it (two or three plain capitalised words are a person by
    /// default): a later, surer reading of the same name wins. For a single word: whether it
    /// is a piece of a longer name, which gets no type by guess.
    pub guessed: bool,
}

impl Run {
    /// A name of `kind` guessed from its context, not its form.
    fn guessed(tokens: Range<usize>, kind: RunKind) -> Run {
        Run {
            tokens,
            kind,
            title: None,
            org_kind: None,
            guessed: true,
        }
    }

    /// An organisation's name found by its form, of kind `org_kind` if known.
    fn org(tokens: Range<usize>, org_kind: Option<&'static str>) -> Run {
        Run {
            tokens,
            kind: RunKind::Org,
            title: None,
            org_kind,
            guessed: false,
        }
    }
}

/// Words that end an organisation's name, with the kind they give.
pub(crate) static ORG_LAST: WordMap = WordMap::new(&[
    ("ltd", "company"),
    ("ltd.", "company"),
    ("limited", "company"),
    ("inc", "company"),
    ("inc.", "company"),
    ("llc", "company"),
    ("plc", "company"),
    ("co.", "company"),
    ("corp", "company"),
    ("corp.", "company"),
    ("corporation", "company"),
    ("company", "company"),
    ("group", "company"),
    ("holdings", "company"),
    ("technologies", "company"),
    ("technology", "company"),
    ("industries", "company"),
    ("systems", "company"),
    ("solutions", "company"),
    ("airlines", "company"),
    ("bank", "company"),
    ("gmbh", "company"),
    ("ag", "company"),
    ("s.a.", "company"),
    ("sa", "company"),
    ("spa", "company"),
    ("s.p.a.", "company"),
    ("ab", "company"),
    ("nv", "company"),
    ("n.v.", "company"),
    ("bv", "company"),
    ("oyj", "company"),
    ("asa", "company"),
    ("partners", "company"),
    ("associates", "company"),
    ("enterprises", "company"),
    ("labs", "company"),
    ("networks", "company"),
    ("energy", "company"),
    ("motors", "company"),
    ("capital", "company"),
    ("entertainment", "company"),
    ("media", "company"),
    ("studios", "company"),
    ("venture", "company"),
    ("ventures", "company"),
    ("ministry", "government"),
    ("department", "government"),
    ("office", "government"),
    ("government", "government"),
    ("agency", "agency"),
    ("bureau", "agency"),
    ("service", "agency"),
    ("services", "agency"),
    ("directorate", "agency"),
    ("administration", "agency"),
    ("authority", "agency"),
    ("commission", "agency"),
    ("taskforce", "agency"),
    ("force", "military"),
    ("forces", "military"),
    ("army", "military"),
    ("navy", "military"),
    ("guard", "military"),
    ("corps", "military"),
    ("brigade", "military"),
    ("regiment", "military"),
    ("command", "military"),
    ("parliament", "legislature"),
    ("assembly", "legislature"),
    ("congress", "legislature"),
    ("senate", "legislature"),
    ("court", "court"),
    ("tribunal", "court"),
    ("police", "agency"),
    ("council", "body"),
    ("board", "body"),
    ("committee", "body"),
    ("institute", "body"),
    ("university", "body"),
    ("college", "body"),
    ("association", "body"),
    ("foundation", "body"),
    ("federation", "body"),
    ("union", "body"),
    ("organisation", "body"),
    ("organization", "body"),
    ("centre", "body"),
    ("center", "body"),
    ("unit", "body"),
    ("team", "body"),
    ("party", "party"),
    ("movement", "party"),
    ("front", "party"),
    ("alliance", "body"),
    ("club", "body"),
    ("league", "body"),
    ("society", "body"),
    ("network", "body"),
    ("times", "company"),
    ("post", "company"),
    ("news", "company"),
    ("journal", "company"),
    ("exchange", "company"),
    ("fund", "company"),
    ("communications", "company"),
    ("telecom", "company"),
    ("telecommunications", "company"),
    ("electronics", "company"),
    ("software", "company"),
    ("electric", "company"),
    ("power", "company"),
    ("oil", "company"),
    ("petroleum", "company"),
    ("petrochemical", "company"),
    ("chemical", "company"),
    ("chemicals", "company"),
    ("pharmaceutical", "company"),
    ("pharmaceuticals", "company"),
    ("medical", "company"),
    ("steel", "company"),
    ("cement", "company"),
    ("mining", "company"),
    ("metals", "company"),
    ("motor", "company"),
    ("airways", "company"),
    ("shipping", "company"),
    ("logistics", "company"),
    ("railways", "company"),
    ("construction", "company"),
    ("trading", "company"),
    ("insurance", "company"),
    ("securities", "company"),
    ("investments", "company"),
    ("bros", "company"),
    ("bros.", "company"),
    ("embassy", "government"),
    ("consulate", "government"),
]);

/// Legal forms of companies: a name ending so is a company's whoever it is named after
/// ("Johnson Controls Inc", "Ford Motor Co.").
static LEGAL_FORMS: WordSet = WordSet::new(&[
    "ltd", "ltd.", "limited", "inc", "inc.", "llc", "plc", "co.", "corp", "corp.", "gmbh", "ag",
    "s.a.", "sa", "spa", "s.p.a.", "ab", "nv", "n.v.", "bv", "oyj", "asa",
]);

/// Words that open an organisation's name.
static ORG_FIRST: WordMap = WordMap::new(&[
    ("ministry", "government"),
    ("department", "government"),
    ("office", "government"),
    ("bank", "company"),
    ("university", "body"),
    ("council", "body"),
    ("committee", "body"),
    ("commission", "agency"),
    ("bureau", "agency"),
    ("house", "legislature"),
    ("court", "court"),
    ("board", "body"),
    ("federal", "agency"),
    ("national", "body"),
    ("royal", "body"),
    ("state", "government"),
    ("institute", "body"),
    ("centre", "body"),
    ("center", "body"),
    ("organisation", "body"),
    ("organization", "body"),
    ("association", "body"),
    ("federation", "body"),
    ("union", "body"),
    ("agency", "agency"),
    ("party", "body"),
]);

/// Lower-case nouns that make the capitalised run before them an organisation.
static ORG_NOUN_AFTER: WordMap = WordMap::new(&[
    ("taskforce", "agency"),
    ("task", "agency"),
    ("unit", "body"),
    ("agency", "agency"),
    ("committee", "body"),
    ("commission", "agency"),
    ("group", "company"),
    ("company", "company"),
    ("ministry", "government"),
    ("department", "government"),
    ("party", "party"),
    ("campaign", "body"),
]);

/// Lower-case words before a name that say it is a person.
static ROLE_BEFORE: WordSet = WordSet::new(&[
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "secretary",
    "official",
    "lawyer",
    "analyst",
    "director",
    "chief",
    "head",
    "president",
    "chairman",
    "chairwoman",
    "commander",
    "ambassador",
    "envoy",
    "prosecutor",
    "judge",
    "researcher",
    "mp",
    "senator",
    "lawmaker",
    "colleague",
    "businessman",
    "businesswoman",
    "citizen",
    "national",
    "hacker",
    "officer",
    "agent",
    "journalist",
    "activist",
    "dissident",
    "premier",
    "chancellor",
    "governor",
    "mayor",
    "general",
    "counsel",
    "attorney",
    "deputy",
    "founder",
]);

/// Verbs that, right after a name, make it a speaking person.
static SPEAKS_AFTER: WordSet = WordSet::new(&[
    "said",
    "says",
    "told",
    "added",
    "argued",
    "wrote",
    "noted",
    "warned",
    "insisted",
    "explained",
]);

/// Plural nouns of people, which an apposition of names may follow.
static PEOPLE_PLURAL: WordSet = WordSet::new(&[
    "individuals",
    "men",
    "women",
    "people",
    "nationals",
    "hackers",
    "officers",
    "suspects",
    "defendants",
    "operatives",
    "officials",
    "persons",
    "citizens",
    "members",
    "executives",
    "agents",
    "brothers",
]);

/// Plural nouns that open a sentence before "of" and a name: "Shares of Dallow & Pike".
static PARTITIVE: WordSet = WordSet::new(&[
    "representatives",
    "shares",
    "stocks",
    "units",
    "members",
    "officials",
    "employees",
    "workers",
    "residents",
    "supporters",
    "investors",
    "customers",
    "parts",
]);

/// Words inside a name that join capitalised words.
static CONNECTORS: WordSet = WordSet::new(&[
    "of", "and", "for", "the", "de", "du", "da", "van", "von", "der", "den", "al", "bin", "bint",
    "el", "la", "le", "&", "on", "in",
]);

/// Particles inside a person's family name: "van der Westhuizen", "al-Baghdadi",
/// "Ata-ur-Rehman", "de la Cruz".
static PARTICLES: WordSet = WordSet::new(&[
    "van", "von", "der", "den", "de", "la", "le", "du", "da", "del", "della", "di", "dos", "das",
    "al", "el", "bin", "bint", "ibn", "ur", "ul", "ter", "ten", "zu",
]);

/// The end of a run of name particles at `i` that a name word follows, if there is one:
/// two particles ("van der"), a particle and a hyphen ("al-"), or a particle between hyphens
/// ("-ur-"). Hyphens here touch the words on both sides.
fn particles(a: &Analysis, i: usize, end: usize) -> Option<usize> {
    let joined = |t: usize| t < end && !a.tokens[t].space_before && a.tokens[t].breaks_before == 0;
    let particle =
        |t: usize| t < end && a.tokens[t].breaks_before == 0 && PARTICLES.contains_token(a, t);
    let name = |t: usize| t < end && a.tokens[t].breaks_before == 0 && is_name_word(a, t);
    let hyphen = |t: usize| joined(t) && a.tok_is(t, "-");
    if particle(i) && particle(i + 1) && name(i + 2) {
        return Some(i + 3);
    }
    if particle(i) && hyphen(i + 1) && joined(i + 2) && name(i + 2) {
        return Some(i + 3);
    }
    if hyphen(i)
        && joined(i + 1)
        && particle(i + 1)
        && hyphen(i + 2)
        && joined(i + 3)
        && name(i + 3)
    {
        return Some(i + 4);
    }
    None
}

/// Capitalised words that are not names on their own (besides months and days, see
/// [`is_calendar_token`]).
static NOT_NAMES: WordSet = WordSet::new(&[
    "i",
    "mr",
    "mrs",
    "ms",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "god",
    "internet",
    "web",
    "covid",
    "covid-19",
    "ok",
    "tv",
    "ceo",
    "cfo",
    "ai",
    "pm",
    "am",
    "a.m.",
    "p.m.",
    "gmt",
    "utc",
    "bst",
    "est",
    "edt",
    "bc",
    "ad",
    "no.",
    "st.",
    "jan",
    "jan.",
    "feb",
    "feb.",
    "mar.",
    "apr",
    "apr.",
    "jun.",
    "jul.",
    "aug",
    "aug.",
    "sep",
    "sep.",
    "sept",
    "sept.",
    "oct",
    "oct.",
    "nov",
    "nov.",
    "dec",
    "dec.",
    "mon.",
    "tue",
    "tue.",
    "tues.",
    "wed.",
    "thu",
    "thu.",
    "thurs.",
    "fri.",
    // Acronyms of weapons and craft: common nouns, no names.
    "ied",
    "ieds",
    "vbied",
    "vbieds",
    "uav",
    "uavs",
    "rpg",
    "rpgs",
    "manpads",
    "christmas",
    "easter",
    "thanksgiving",
    "ramadan",
    "eid",
    "diwali",
    "hanukkah",
    "passover",
    "halloween",
]);

/// Last words of capitalised phrases that name places, events, documents or markets, not
/// people: "Wall Street", "Middle East", "World Series", "Human Rights". Such a run is no
/// person by default (a title, a given name or a reporting verb still make it one).
pub(crate) static NOT_PERSON_LAST: WordSet = WordSet::new(&[
    "street",
    "avenue",
    "road",
    "square",
    "lane",
    "boulevard",
    "east",
    "west",
    "north",
    "south",
    "sea",
    "ocean",
    "river",
    "valley",
    "island",
    "islands",
    "bay",
    "gulf",
    "coast",
    "peninsula",
    "strait",
    "lake",
    "mountains",
    "county",
    "province",
    "district",
    "region",
    "series",
    "cup",
    "championship",
    "championships",
    "open",
    "games",
    "award",
    "awards",
    "prize",
    "rights",
    "day",
    "war",
    "index",
    "market",
    "markets",
    "airport",
    "station",
    "stadium",
    "park",
    "hall",
    "bridge",
    "hotel",
    "church",
    "league",
    "trophy",
    "tournament",
    "festival",
    "act",
    "treaty",
    "accord",
    "agreement",
    "plan",
    "report",
    "programme",
    "program",
    "olympics",
    "grand",
    "prix",
    "week",
    "year",
    "era",
]);

/// First words of capitalised phrases that name operations, exercises or bases, not people:
/// "Operation Steel Curtain", "Exercise Eager Lion", "Fort Campbell". Such a run is no person
/// by default.
static NOT_PERSON_FIRST: WordSet = WordSet::new(&["operation", "exercise", "fort", "camp"]);

/// Finds the runs of `a`, given the gazetteer hits (which runs may absorb), the layout of
/// its lines and which sentences are headlines ([`is_headline`]).
pub fn runs(
    a: &Analysis,
    gaz: &Gazetteer,
    hits: &[Hit],
    lowercase_vocab: &LowercaseVocab,
    layout: &Layout,
    headlines: &[bool],
    marks: &[u32],
) -> Vec<Run> {
    let n = a.tokens.len();
    // hit_at[t] = index of the hit covering token t.
    let mut hit_at: Vec<u32> = vec![u32::MAX; n];
    for (h, hit) in hits.iter().enumerate() {
        for t in hit.tokens.clone() {
            hit_at[t] = h as u32;
        }
    }
    let is_title =
        |t: usize| hit_at[t] != u32::MAX && hits[hit_at[t] as usize].kind_is(gaz, EntryType::Title);
    let cx = Context {
        a,
        gaz,
        hits,
        hit_at: &hit_at,
        is_title: &is_title,
        vocab: lowercase_vocab,
        layout,
        names: NameWords::get(),
        marks,
    };
    let mut out = Vec::with_capacity(n / 16);
    dateline_runs(&cx, &mut out);
    let mut k = 0; // a place in the marks, for [`scan`]
    for (s, &headline) in a.sentences.iter().zip(headlines) {
        if headline {
            // Only the rows of a table and a byline hold names on such lines.
            let mut lines = layout.lines_in(s.tokens.clone(), LineKind::Table);
            lines.extend(layout.lines_in(s.tokens.clone(), LineKind::Byline));
            for line in lines {
                scan(&cx, line, &mut k, &mut out);
            }
            continue;
        }
        scan(&cx, s.tokens.clone(), &mut k, &mut out);
    }
    out
}

/// Whether sentence `s` reads as a headline (title case, or all capitals), whose capitals
/// make no names by themselves.
pub(crate) fn is_headline(a: &Analysis, s: &crate::tokenize::Sentence) -> bool {
    s.headline
        || s.tokens
            .clone()
            .filter(|&t| a.tokens[t].kind == TokenKind::Word)
            .all(|t| is_all_caps_token(a, t))
}

/// What the recognizer reads besides the tokens.
struct Context<'c> {
    a: &'c Analysis<'c>,
    gaz: &'c Gazetteer,
    hits: &'c [Hit],
    hit_at: &'c [u32],
    is_title: &'c dyn Fn(usize) -> bool,
    vocab: &'c LowercaseVocab<'c>,
    layout: &'c Layout,
    names: NameWords,
    /// The tokens that open a line or are capitalised words, in order: where [`scan`] may
    /// find a dateline or a name.
    marks: &'c [u32],
}

/// The places and the agency of each dateline that no list names: `KELLSBY, Dunmoor (Coast
/// Wire) —`. Relation rules stop at the dash of a dateline that runs on into the story's
/// first sentence, so its place is no party of that sentence.
fn dateline_runs(cx: &Context, out: &mut Vec<Run>) {
    let unlisted = |r: &Range<usize>| r.clone().all(|t| cx.hit_at[t] == u32::MAX);
    for d in &cx.layout.datelines {
        let parts = [
            (Some(d.place.clone()), RunKind::Place, "city"),
            (d.region.clone(), RunKind::Place, "region"),
            (d.agency.clone(), RunKind::Org, "company"),
        ];
        for (tokens, kind, sub_kind) in parts {
            if let Some(tokens) = tokens.filter(|r| unlisted(r)) {
                out.push(Run {
                    tokens,
                    kind,
                    title: None,
                    org_kind: Some(sub_kind),
                    guessed: false,
                });
            }
        }
    }
}

/// Finds the runs among `range`, a sentence or one line of it. `k` is a place in the marks
/// (see [`next_candidate`]), left where the scan ended: ranges come in text order, and the
/// next scan starts from there rather than from a search over all marks (in a long text,
/// mostly far from cache). A place past `range.start` is searched for anew.
fn scan(cx: &Context, range: Range<usize>, k: &mut usize, out: &mut Vec<Run>) {
    let a = cx.a;
    let mut i = range.start;
    if *k > 0 && cx.marks[*k - 1] as usize >= i {
        *k = cx.marks.partition_point(|&m| (m as usize) < i);
    }
    while i < range.end {
        // Most tokens are no capitalised word inside a line: skip to the next that may be.
        if i > range.start {
            match next_candidate(cx.marks, k, i, range.end) {
                Some(next) => i = next,
                None => break,
            }
        }
        let line_start = i == range.start || a.tokens[i].breaks_before > 0;
        // A dateline's words are read apart (see [`dateline_runs`]). (No search in the many
        // stories without a dateline.)
        if line_start && !cx.layout.datelines.is_empty() {
            if let Some(d) = cx.layout.dateline_at(i) {
                i = d.tokens.end.max(i + 1);
                continue;
            }
        }
        if !cx.names.is_name_word(a, i) {
            i += 1;
            continue;
        }
        let mut start = i;
        let mut end = name_end(a, cx.names, i, range.end);
        i = end;
        // A sentence's opening word is not a name by itself, nor a clause's after a dash or a
        // colon ("VIENNA (Wire) - The European Union ...").
        while start < end
            && (opens_sentence(a, range.start, start) || after_dash_or_colon(a, range.start, start))
            && is_common(a, start, cx.vocab)
        {
            start += 1;
        }
        // Nor is a function word opening a line: "WASHINGTON 1996-08-30 / The State
        // Department said ...", where the dateline and the story read as one sentence.
        while start < end
            && a.tokens[start].breaks_before > 0
            && super::STOPWORDS.contains_token(a, start)
        {
            start += 1;
        }
        // Nor is it before "in" or "on": "Shares in Dalmor Petroleum", "Talks on Kellmark";
        // nor a plural noun before "of": "Shares of Dallow & Pike".
        if start + 2 < end
            && opens_sentence(a, range.start, start)
            && (matches!(a.lower(start + 1), "in" | "on")
                || (a.lower_is(start + 1, "of") && PARTITIVE.contains_token(a, start)))
        {
            start += 2;
        }
        // Trailing connectors never end a name.
        while end > start && (CONNECTORS.contains_token(a, end - 1) || a.lower_is(end - 1, "-")) {
            end -= 1;
        }
        if start >= end {
            continue;
        }
        split_and_classify(cx, start..end, range.clone(), out);
    }
}

/// The first token from `i` on, before `end`, that opens a line or is a capitalised word:
/// the only tokens at which [`scan`] may find a dateline or a name. `marks` are those tokens
/// in order, and `k` a place in them at or before the first mark from `i` on; it moves
/// there, so that a scan with rising `i` reads each mark once.
fn next_candidate(marks: &[u32], k: &mut usize, i: usize, end: usize) -> Option<usize> {
    while *k < marks.len() && (marks[*k] as usize) < i {
        *k += 1;
    }
    marks.get(*k).map(|&m| m as usize).filter(|&m| m < end)
}

/// Where the name that starts with the name word at `start` ends, within `range_end`: it
/// goes on over name words on the same line, and over connectors, hyphens, particles,
/// numbers of units ("Group 31") and legal forms after a comma ("Co., Ltd.") followed by
/// more of the name.
fn name_end(a: &Analysis, names: NameWords, start: usize, range_end: usize) -> usize {
    let mut end = start + 1;
    loop {
        if end < range_end && names.is_name_word(a, end) && same_line(a, end) {
            end += 1;
            continue;
        }
        // connector or hyphen followed by a name word
        if end + 1 < range_end && same_line(a, end) {
            let hyphen = a.lower_is(end, "-")
                && !a.tokens[end].space_before
                && !a.tokens[end + 1].space_before;
            if (hyphen || CONNECTORS.contains_token(a, end)) && names.is_name_word(a, end + 1) {
                end += 2;
                continue;
            }
            if let Some(next) = particles(a, end, range_end) {
                end = next;
                continue;
            }
            // "Group 31", "Unit 61398"
            if a.tokens[end].kind == TokenKind::Number
                && matches!(
                    a.lower(end - 1),
                    "group"
                        | "unit"
                        | "team"
                        | "centre"
                        | "center"
                        | "bear"
                        | "panda"
                        | "kitten"
                        | "spider"
                        | "chollima"
                )
            {
                end += 1;
                continue;
            }
            // "Co., Ltd."
            if a.lower_is(end, ",")
                && matches!(
                    a.lower(end + 1),
                    "ltd" | "ltd." | "inc" | "inc." | "llc" | "limited"
                )
            {
                end += 2;
                continue;
            }
        }
        break;
    }
    end
}

/// Whether token `t` goes on the line of the token before it: on the same line, or at the
/// start of a line that wraps a full one ("... the Federal" / "Reserve said ..."), or any
/// unindented line of a text wrapped by hand ([`Analysis::continues_line`]); not after a
/// blank line or a short one elsewhere (a headline, a table's row). The gazetteer matcher
/// reads a line break inside a sentence as a space too, so that both see one name.
fn same_line(a: &Analysis, t: usize) -> bool {
    match a.tokens[t].breaks_before {
        0 => true,
        1 => a.continues_line(t) || !super::opens_short_line(a, t),
        _ => false,
    }
}

impl Hit {
    fn kind_is(&self, gaz: &Gazetteer, kind: EntryType) -> bool {
        gaz.entry(self.entry).kind == kind
    }
}

/// The word lists that tell a name word, fetched once for a pass over many tokens (see
/// [`Words`]).
#[derive(Clone, Copy)]
struct NameWords {
    not_names: &'static Words,
    months: &'static Words,
    weekdays: &'static Words,
}

impl NameWords {
    fn get() -> NameWords {
        NameWords {
            not_names: NOT_NAMES.words(),
            months: MONTHS.words(),
            weekdays: WEEKDAYS.words(),
        }
    }

    /// Whether token `i` of `a` is a capitalised word that is no month, no day and not in
    /// [`NOT_NAMES`]. Inlined: it runs for every token, and most tokens fail the first tests.
    #[inline(always)]
    fn is_name_word(&self, a: &Analysis, i: usize) -> bool {
        a.tokens[i].kind == TokenKind::Word
            && a.capital(i)
            && !self.not_names.contains_token(a, i)
            && !self.months.contains_token(a, i)
            && !self.weekdays.contains_token(a, i)
    }
}

/// Whether token `i` of `a` is a name word (see [`NameWords::is_name_word`]).
fn is_name_word(a: &Analysis, i: usize) -> bool {
    NameWords::get().is_name_word(a, i)
}

fn opens_sentence(a: &Analysis, sentence_start: usize, i: usize) -> bool {
    let mut j = sentence_start;
    while j < i && a.tokens[j].kind == TokenKind::Punct {
        j += 1;
    }
    j == i
}

/// Dashes and the colon, which open a clause (no letters: their folded text is their text).
static DASH_OR_COLON: WordSet = WordSet::new(&["-", "—", "–", "--", ":"]);

/// Whether token `i` follows a dash or a colon inside the sentence.
fn after_dash_or_colon(a: &Analysis, sentence_start: usize, i: usize) -> bool {
    i > sentence_start && DASH_OR_COLON.contains_token(a, i - 1)
}

fn is_common(a: &Analysis, i: usize, lowercase_vocab: &LowercaseVocab) -> bool {
    // The document's own vocabulary last: its table is the costliest to ask.
    let l = a.lower(i);
    super::STOPWORDS.contains_token(a, i)
        || l.ends_with("ly")
        || l.ends_with("ing")
        || lowercase_vocab.contains_token(a, i)
}

fn org_kind(a: &Analysis, tokens: &Range<usize>) -> Option<&'static str> {
    // "Centre 16", "Military Unit 26165": a numbered unit.
    let listed = || tokens.clone().any(|t| matches!(a.lower(t), "and" | "&"));
    if tokens.len() >= 2 && a.tokens[tokens.end - 1].kind == TokenKind::Number && !listed() {
        if let Some(k) = ORG_LAST.get_token(a, tokens.end - 2) {
            return Some(k);
        }
    }
    if let Some(k) = ORG_LAST.get_token(a, tokens.end - 1) {
        let one_word_body = || {
            matches!(
                a.lower(tokens.end - 1),
                "parliament" | "congress" | "senate"
            )
        };
        if tokens.len() >= 2 || one_word_body() {
            return Some(k);
        }
    }
    // "Chicago Board of Trade", "Federation of Small Businesses": a body's head, "of" and
    // the name of what it serves. (A government is left to the lists, which make
    // "Government of Iraq" a mention of Iraq.)
    if let Some(o) = tokens.clone().find(|&t| a.lower_is(t, "of")) {
        let head_ok = |h: usize| !a.lower_is(h, "government") && !LEGAL_FORMS.contains_token(a, h);
        if o > tokens.start && o + 1 < tokens.end && !listed() && head_ok(o - 1) {
            if let Some(k) = ORG_LAST.get_token(a, o - 1) {
                return Some(k);
            }
        }
    }
    // "Bank Melli", "Bank Leumi": "Bank" and one name (not "Bank Holiday", "Bank Street").
    if tokens.len() == 2
        && a.lower_is(tokens.start, "bank")
        && a.tokens[tokens.start + 1].kind == TokenKind::Word
        && !NOT_PERSON_LAST.contains_token(a, tokens.start + 1)
        && !matches!(a.lower(tokens.start + 1), "holiday" | "holidays")
    {
        return Some("company");
    }
    if tokens.len() >= 3 {
        if let Some(k) = ORG_FIRST.get_token(a, tokens.start) {
            if CONNECTORS.contains_token(a, tokens.start + 1) || tokens.len() >= 3 {
                return Some(k);
            }
        }
    }
    None
}

fn split_and_classify(cx: &Context, run: Range<usize>, sentence: Range<usize>, out: &mut Vec<Run>) {
    let (a, gaz, hits, hit_at, is_title) = (cx.a, cx.gaz, cx.hits, cx.hit_at, cx.is_title);
    let lowercase_vocab = cx.vocab;
    // An organisation's name before a title: "FBI Director Christopher Wray".
    let mut start = run.start;
    if hit_at[start] != u32::MAX {
        let h = &hits[hit_at[start] as usize];
        if !h.kind_is(gaz, EntryType::Title)
            && h.tokens.start == start
            && h.tokens.end < run.end
            && is_title(h.tokens.end)
        {
            start = h.tokens.end;
        }
    }
    // Titles at the front.
    let mut title: Option<Range<usize>> = None;
    while start < run.end && is_title(start) {
        let h = &hits[hit_at[start] as usize];
        title = Some(title.map_or(h.tokens.clone(), |t| t.start..h.tokens.end));
        start = h.tokens.end;
    }
    // A lower-case title just before the run ("ambassador", "spokesman"): "leader Sir Iain".
    let role_before = run.start > sentence.start && {
        let p = run.start - 1;
        ROLE_BEFORE.contains_token(a, p)
            || (hit_at[p] != u32::MAX && hits[hit_at[p] as usize].kind_is(gaz, EntryType::Title))
    };
    if start >= run.end {
        return;
    }
    let body = start..run.end;
    // The whole body lies in one gazetteer entity (which may go on past the run, as in
    // "Organization for Security and Co-operation in Europe"): the gazetteer has it.
    if hit_at[body.start] != u32::MAX {
        let h = &hits[hit_at[body.start] as usize];
        if h.tokens.start <= body.start
            && h.tokens.end >= body.end
            && !h.kind_is(gaz, EntryType::Title)
        {
            return;
        }
    }
    // "Dr. Amira Saleh of Kestrel Analytics Inc.": a titled person of an organisation. (An
    // inner "of" needs three tokens: most bodies, one word, skip the search.)
    let of = (body.len() >= 3)
        .then(|| body.clone().find(|&t| a.lower_is(t, "of")))
        .flatten();
    // Whether the word at `t` is a given name; the body's first word is asked up to three
    // times.
    let given_first = gaz.is_given_token(a, body.start);
    let is_given = |t: usize| {
        if t == body.start {
            given_first
        } else {
            gaz.is_given_token(a, t)
        }
    };
    let titled = title.is_some() || role_before || given_first;
    if let Some(o) = of.filter(|&o| titled && o > body.start && o + 1 < body.end) {
        let org = o + 1..body.end;
        if let Some(kind) = org_kind(a, &org).filter(|_| hit_at[org.start] == u32::MAX) {
            out.push(Run {
                tokens: body.start..o,
                kind: RunKind::Person,
                title,
                org_kind: None,
                guessed: false,
            });
            out.push(Run::org(org, Some(kind)));
            return;
        }
    }
    // "Douglas & Lomason", "Edwards & Sons Co": names joined by an ampersand make one firm.
    if ampersand_firm(a, hit_at, &body) {
        out.push(Run::org(body, Some("company")));
        return;
    }
    // "Kestrel Shipping and Harrow Trading": two bodies, each by its form, not one.
    let two_bodies = body.len() >= 3
        && body
            .clone()
            .find(|&t| LIST_JOINS.contains_token(a, t))
            .is_some_and(|x| x >= body.start + 2 && ORG_LAST.get_token(a, x - 1).is_some());
    // The body's kind by its form; a part that is the whole body has the same.
    let body_kind = org_kind(a, &body);
    let whole = body_kind
        .or_else(|| body_of_place(cx, &body))
        .or_else(|| after_adjective(cx, &body));
    if let Some(kind) = whole.filter(|_| !two_bodies) {
        out.push(Run::org(body, Some(kind)));
        return;
    }
    // "Mount Sinjar", "Diyala Province": a place by its form.
    if is_place_by_form(a, &body) && body.clone().all(|t| hit_at[t] == u32::MAX) {
        out.push(Run {
            tokens: body,
            kind: RunKind::Place,
            title: None,
            org_kind: Some("region"),
            guessed: false,
        });
        return;
    }
    // A lower-case organisation noun right after: "the Defending Democracy taskforce".
    if body.end < sentence.end {
        if let Some(k) = ORG_NOUN_AFTER.get_token(a, body.end) {
            let no_hits = body.clone().all(|t| hit_at[t] == u32::MAX);
            if no_hits && !a.capital(body.end) {
                let mut end = body.end + 1;
                if a.lower_is(body.end, "task") && end < sentence.end && a.lower_is(end, "force") {
                    end += 1;
                }
                out.push(Run::org(body.start..end, Some(k)));
                return;
            }
        }
    }
    // Split at "and" and commas inside unclassified runs: "Zhao Guangzong and Ni Gaobin".
    let parts = parts_of(a, &body);
    let person_context =
        title.is_some() || role_before || people_apposition(a, run.start, sentence.start);
    let piece = body.clone().any(|t| PIECE_JOINS.contains_token(a, t));
    for (k, part) in parts.enumerate() {
        // "Northern Iraq", "South West England": a part of a listed place.
        if compass_region(cx, &part) {
            out.push(Run {
                tokens: part,
                kind: RunKind::Place,
                title: None,
                org_kind: Some("region"),
                guessed: false,
            });
            continue;
        }
        // "American Dennis Mitchell": a nationality, then a person's name.
        if let Some(name) = person_after_nationality(cx, &part) {
            out.push(Run {
                tokens: name,
                kind: RunKind::Person,
                title: None,
                org_kind: None,
                guessed: false,
            });
            continue;
        }
        // Parts holding gazetteer entities are theirs, unless a place only names something
        // else: "Air France", "China Daily".
        if part.clone().any(|t| {
            hit_at[t] != u32::MAX && !hits[hit_at[t] as usize].kind_is(gaz, EntryType::Title)
        }) {
            if named_after_place(a, gaz, hits, hit_at, &part, lowercase_vocab) {
                out.push(Run::org(part, None));
            }
            continue;
        }
        // "Unit 26165 and Group 12": each part of a list may be a body by its form.
        let legal = LEGAL_FORMS.contains_token(a, part.end - 1);
        let part_kind = if part == body {
            body_kind
        } else {
            org_kind(a, &part)
        };
        let org = part_kind.filter(|_| legal || !is_given(part.start));
        if let Some(kind) = org.filter(|_| part.len() >= 2) {
            out.push(Run::org(part, Some(kind)));
            continue;
        }
        // Name particles ("van der", "al-") do not count as words.
        let words = part
            .clone()
            .filter(|&t| {
                a.tokens[t].kind == TokenKind::Word
                    && (a.capital(t) || !PARTICLES.contains_token(a, t))
            })
            .count();
        let speaks = part.end < sentence.end && {
            let mut j = part.end;
            if a.lower_is(j, ",") && j + 1 < sentence.end {
                j += 1;
            }
            SPEAKS_AFTER.contains_token(a, j)
        };
        // "..., said Okafor." The speaker after the verb, closing the clause.
        let spoke = part.start > sentence.start
            && SAID.contains_token(a, part.start - 1)
            && (part.end >= sentence.end || CLAUSE_ENDS.contains_token(a, part.end));
        // "a police official in Liege said": the place is where the speaker is.
        let located = located_here(a, part.start, part.end, sentence.clone());
        let speaks = (speaks || spoke) && !located;
        let given = is_given(part.start);
        let person = (k == 0 && person_context)
            || given
            || speaks
            || (words >= 2 && is_initial(a.tok(part.start)))
            // (At the run's start, `person_context` asked already.)
            || (part.start != run.start && people_apposition(a, part.start, sentence.start));
        let caps = part.clone().all(|t| is_all_caps_token(a, t));
        if person && words <= 5 && !caps {
            let t = if k == 0 { title.clone() } else { None };
            out.push(Run {
                tokens: part,
                kind: RunKind::Person,
                title: t,
                org_kind: None,
                guessed: false,
            });
        } else if words <= 4 && cx.layout.team_slot(a, &part) {
            // "Hartwell Rovers 2 Dunmore 0": a team on a results table.
            out.push(Run::org(part, Some("team")));
        } else if (2..=3).contains(&words) && !caps && has_acronym(a, &part) {
            // "Vantor LNG", "CITIC Pacific": people's names hold no acronym.
            out.push(Run::guessed(part, RunKind::Org));
        } else if (2..=3).contains(&words) && !caps && !piece && located {
            // "in Atlantic City", "the town of Bou Haroun": a place, by its context.
            out.push(Run::guessed(part, RunKind::Place));
        } else if (2..=3).contains(&words)
            && !caps
            && after_article(a, part.start, sentence.start)
            && is_plural_name(a.tok(part.end - 1))
            && part.clone().all(|t| !lowercase_vocab.contains_token(a, t))
        {
            // "the Blue Jays", "the All Blacks": a team or group, no person.
            out.push(Run::guessed(part, RunKind::Org));
        } else if (2..=3).contains(&words)
            && !caps
            && !piece
            && !NOT_PERSON_LAST.contains_token(a, part.end - 1)
            && !NOT_PERSON_FIRST.contains_token(a, part.start)
            && !after_article(a, part.start, sentence.start)
        {
            out.push(Run::guessed(part, RunKind::Person));
        } else if words == 1
            && caps
            && (2..=6).contains(
                &a.tok(part.start)
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .count(),
            )
        {
            out.push(Run::org(part, None));
        } else if words == 1 {
            // A single capitalised word: kept for coreference with a person's short form.
            // Cut out of a longer name by "of", "for", "in"... ("the Rally for the Return of
            // Refugees"), it is a piece of that name, no name of its own to guess a type for.
            out.push(Run {
                tokens: part,
                kind: RunKind::Single,
                title: None,
                org_kind: None,
                guessed: piece,
            });
        }
    }
}

/// Reporting verbs before a speaker closing a clause: "..., said Okafor."
static SAID: WordSet = WordSet::new(&["said", "says", "added"]);

/// Punctuation that closes a clause after a speaker's name.
static CLAUSE_ENDS: WordSet = WordSet::new(&[",", ".", ";"]);

/// Words that join the names of a list: "Zhao Guangzong and Ni Gaobin".
static LIST_JOINS: WordSet = WordSet::new(&["and", "&"]);

/// Words that cut a piece out of a longer name: "the Rally for the Return of Refugees".
static PIECE_JOINS: WordSet = WordSet::new(&["of", "for", "the"]);

/// Words that join the words of a name other than by an ampersand.
static NAME_JOINS: WordSet = WordSet::new(&["and", "of", "for", "the", "on", "in"]);

/// Words that split a run into its parts (see [`parts_of`]).
static SPLITS: WordSet = WordSet::new(&["and", "&", "of", "for", "the", "on", "in"]);

/// The parts of `body` between the words that split it ("and", "&", "of", "for", "the",
/// "on", "in"), in order, none empty.
fn parts_of<'b>(a: &'b Analysis, body: &Range<usize>) -> impl Iterator<Item = Range<usize>> + 'b {
    let splits = body
        .clone()
        .filter(move |&t| SPLITS.contains_token(a, t))
        .chain(std::iter::once(body.end));
    let mut start = body.start;
    splits.filter_map(move |t| {
        let part = start..t;
        start = t + 1;
        (!part.is_empty()).then_some(part)
    })
}

/// Whether one of the words of `part` is an acronym: two or more capitals, no full stop
/// (`LNG`, `CITIC`; not `J.` or `U.S.`).
fn has_acronym(a: &Analysis, part: &Range<usize>) -> bool {
    part.clone().any(|t| {
        let w = a.tok(t);
        a.tokens[t].kind == TokenKind::Word
            && !w.contains('.')
            && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && is_all_caps_token(a, t)
    })
}

/// The kind of a body named after the place it serves, "HEAD of PLACE": the head a word that
/// ends organisations' names, the place one listed country or region ("Central Bank of
/// Iran", "News Agency of Kellmark", "Interim Force of Norway"). A government is left to
/// the lists, which make "government of China" a mention of China.
fn body_of_place(cx: &Context, body: &Range<usize>) -> Option<&'static str> {
    // A head, "of" and a place: three tokens at least.
    if body.len() < 3 {
        return None;
    }
    let a = cx.a;
    let o = body.clone().find(|&t| a.lower_is(t, "of"))?;
    // "Kia Motor Corp of South Korea": a company's legal form ends its name.
    if o == body.start
        || o + 1 >= body.end
        || a.lower_is(o - 1, "government")
        || LEGAL_FORMS.contains_token(a, o - 1)
    {
        return None;
    }
    let head = (body.start..o).all(|t| cx.hit_at[t] == u32::MAX);
    let h = cx.hit_at[o + 1];
    if !head || h == u32::MAX {
        return None;
    }
    let hit = &cx.hits[h as usize];
    let entry = cx.gaz.entry(hit.entry);
    let place = entry.kind == EntryType::Gpe
        && entry.form == Form::Name
        && hit.tokens.start == o + 1
        && hit.tokens.end == body.end;
    if !place {
        return None;
    }
    ORG_LAST.get_token(a, o - 1)
}

/// Where a country's adjective that opens `range` ends ("Canadian" in "Canadian Centre for
/// ..."), when the gazetteer found one there.
fn adjective_opening(cx: &Context, range: &Range<usize>) -> Option<usize> {
    let h = cx.hit_at[range.start];
    if h == u32::MAX {
        return None;
    }
    let hit = &cx.hits[h as usize];
    let entry = cx.gaz.entry(hit.entry);
    (entry.kind == EntryType::Gpe
        && entry.form == Form::Adjective
        && hit.tokens.start == range.start)
        .then_some(hit.tokens.end)
}

/// The kind of a body whose name opens with a country's adjective and then reads as a body
/// by its first word: "Canadian Centre for Ethics in Sport", "Iranian Institute of Kellmark".
fn after_adjective(cx: &Context, body: &Range<usize>) -> Option<&'static str> {
    let rest = adjective_opening(cx, body)?..body.end;
    if rest.len() < 3 || rest.clone().any(|t| cx.hit_at[t] != u32::MAX) {
        return None;
    }
    ORG_FIRST.get_token(cx.a, rest.start)
}

/// Whether a name's last word reads as a plural: "Jays", "Blacks" (not "Ross", "Davis").
fn is_plural_name(word: &str) -> bool {
    word.chars().count() > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("is")
        && !word.ends_with("us")
}

/// First words of places named by their form: "Mount Sinjar", "Lake Tharthar".
static PLACE_FIRST: WordSet = WordSet::new(&["mount", "lake"]);

/// Last words of places named by their form: "Diyala Province", "Kherson Oblast".
static PLACE_LAST: WordSet = WordSet::new(&[
    "province",
    "governorate",
    "prefecture",
    "oblast",
    "district",
    "mountains",
    "river",
]);

/// Whether `body`, two or three capitalised words, names a place by its form.
fn is_place_by_form(a: &Analysis, body: &Range<usize>) -> bool {
    if !(2..=3).contains(&body.len()) {
        return false;
    }
    let words = body.clone().all(|t| a.tokens[t].kind == TokenKind::Word);
    let plain = |t: usize| !CONNECTORS.contains_token(a, t);
    words
        && body.clone().all(plain)
        && (PLACE_FIRST.contains_token(a, body.start) || PLACE_LAST.contains_token(a, body.end - 1))
}

/// Compass words that name a part of a place: "Northern Iraq", "South West England".
static COMPASS: WordSet = WordSet::new(&[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
]);

/// The name after a country's adjective opening `part`, when it opens with a given name and
/// has two or three plain words: "American Dennis Mitchell", "Mexican Ariel Cruz" (not
/// "British Airways").
fn person_after_nationality(cx: &Context, part: &Range<usize>) -> Option<Range<usize>> {
    // An adjective and two words at least.
    if part.len() < 3 {
        return None;
    }
    let name = adjective_opening(cx, part)?..part.end;
    let plain = name.clone().all(|t| {
        cx.hit_at[t] == u32::MAX
            && cx.a.tokens[t].kind == TokenKind::Word
            && !is_all_caps_token(cx.a, t)
    });
    let given = name.start < name.end && cx.gaz.is_given_token(cx.a, name.start);
    let fits = (2..=3).contains(&name.len()) && org_kind(cx.a, &name).is_none();
    (plain && given && fits).then_some(name)
}

/// Whether `part` is one or two compass words and then one listed country or region, whole.
fn compass_region(cx: &Context, part: &Range<usize>) -> bool {
    // A compass word and a place at least.
    if part.len() < 2 {
        return false;
    }
    let a = cx.a;
    let compass = (part.start..part.end.min(part.start + 2))
        .take_while(|&t| cx.hit_at[t] == u32::MAX && COMPASS.contains_token(a, t))
        .count();
    if compass == 0 || part.start + compass >= part.end {
        return false;
    }
    let h = cx.hit_at[part.start + compass];
    if h == u32::MAX {
        return false;
    }
    let hit = &cx.hits[h as usize];
    let entry = cx.gaz.entry(hit.entry);
    entry.kind == EntryType::Gpe
        && entry.form == Form::Name
        && hit.tokens.start == part.start + compass
        && hit.tokens.end == part.end
}

/// Whether the name `i..end` follows "in", "at" or "near" (not where someone works, "an
/// analyst at") or a place noun and "of" ("the town of"), and is no owner ("in Kesk's
/// view"): it names where something is.
fn located_here(a: &Analysis, i: usize, end: usize, sentence: Range<usize>) -> bool {
    if i < sentence.start + 1 {
        return false;
    }
    let p = i - 1;
    let at_work =
        a.lower_is(p, "at") && p > sentence.start && super::WORKS_AT.contains_token(a, p - 1);
    let prep = (a.lower_is(p, "in") || a.lower_is(p, "at") || a.lower_is(p, "near")) && !at_work;
    let place_of =
        a.lower_is(p, "of") && p > sentence.start && super::PLACE_OF.contains_token(a, p - 1);
    let owner = || end < sentence.end && matches!(a.tok(end), "'s" | "’s" | "'" | "’");
    (prep || place_of) && !owner()
}

/// Whether the name at `i` follows the definite article: "the White Sox", "the Old City".
/// People's names take no article, so such a name is no person by its form alone.
pub(crate) fn after_article(a: &Analysis, i: usize, sentence_start: usize) -> bool {
    i > sentence_start && a.lower_is(i - 1, "the")
}

/// Whether `word` is an initial: one capital letter and a full stop (`J.`).
fn is_initial(word: &str) -> bool {
    let mut c = word.chars();
    matches!((c.next(), c.next(), c.next()), (Some(l), Some('.'), None) if l.is_uppercase())
}

/// Whether `body` is capitalised words joined by one ampersand, with no other joining word
/// and no listed name: a firm's name ("Douglas & Lomason", "A.G. Edwards & Sons").
fn ampersand_firm(a: &Analysis, hit_at: &[u32], body: &Range<usize>) -> bool {
    // A name on either side of the ampersand.
    if body.len() < 3 {
        return false;
    }
    let mut amp = body.clone().filter(|&t| a.tok_is(t, "&"));
    let inner =
        matches!((amp.next(), amp.next()), (Some(x), None) if x > body.start && x + 1 < body.end);
    let joined = body.clone().any(|t| NAME_JOINS.contains_token(a, t));
    inner && !joined && body.clone().all(|t| hit_at[t] == u32::MAX)
}

/// Whether `part`, two or three capitalised words, is a name built on a place: one
/// gazetteer place (or its adjective) at either end and capitalised words that are no
/// entry, no common word and no plural ("Air France", "China Daily", "British Airways";
/// not "Syrian Kurds", "U.S. Open", "Chinese New Year").
fn named_after_place(
    a: &Analysis,
    gaz: &Gazetteer,
    hits: &[Hit],
    hit_at: &[u32],
    part: &Range<usize>,
    lowercase_vocab: &LowercaseVocab,
) -> bool {
    if !(2..=3).contains(&part.len())
        || part.clone().any(|t| a.tokens[t].kind != TokenKind::Word)
        || part
            .clone()
            .any(|t| is_all_caps_token(a, t) && a.tok(t).chars().count() > 3)
    {
        return false;
    }
    let h = match (hit_at[part.start], hit_at[part.end - 1]) {
        (h, u32::MAX) | (u32::MAX, h) if h != u32::MAX => &hits[h as usize],
        _ => return false,
    };
    let entry = gaz.entry(h.entry);
    if entry.kind != EntryType::Gpe || !(h.tokens.start == part.start || h.tokens.end == part.end) {
        return false;
    }
    let rest: Vec<usize> = part.clone().filter(|t| !h.tokens.contains(t)).collect();
    // A sentence's opening word before a place is no part of its name: "Unlike Britain".
    let s = &a.sentences[a.sentence_of(part.start)];
    if rest.first() == Some(&part.start) && opens_sentence(a, s.tokens.start, part.start) {
        return false;
    }
    let plain = |t: usize| {
        hit_at[t] == u32::MAX
            && !lowercase_vocab.contains_token(a, t)
            && !super::STOPWORDS.contains_token(a, t)
            && !NOT_NAMES.contains_token(a, t)
            && !is_calendar_token(a, t)
            && !NOT_PERSON_LAST.contains_token(a, t)
    };
    let people = entry.form == Form::Adjective && a.lower(part.end - 1).ends_with('s');
    !rest.is_empty() && rest.iter().all(|&t| plain(t)) && !people
}

/// Whether the name at `i` follows "PLURAL-NOUN," or "PLURAL-NOUN, NAME and": an apposition
/// listing people.
fn people_apposition(a: &Analysis, i: usize, sentence_start: usize) -> bool {
    let mut j = i;
    // Walk back over earlier names of the list ("A, B and C").
    for _ in 0..12 {
        if j <= sentence_start {
            return false;
        }
        if a.lower_is(j - 1, ",") || a.lower_is(j - 1, "and") || a.lower_is(j - 1, ":") {
            if j >= 2 && PEOPLE_PLURAL.contains_token(a, j - 2) {
                return true;
            }
            j -= 1;
            continue;
        }
        if is_name_word(a, j - 1) {
            j -= 1;
            continue;
        }
        return false;
    }
    false
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    /// Texts with non-ASCII letters, apostrophes, hyphens, digits, line breaks, and none.
    pub(crate) const TRICKY: &[&str] = &[
        "",
        "x",
        "A",
        "\n\n\n",
        "Ünal said Émile's well-known co-pilot (ÉLAN) met\nthe Board in 1996-08-31.",
        "the THE The tHe\n\n( both (( BOTH these those Those —\n  José O'Neil's 'quote' d’Alema al-Baghdadi",
        "Ärger und Ölpreise: ÖL 12,5 % — ungefähr\r\nDie 3 Ǆemal ǅemal ΣΊΣΥΦΟΣ σίσυφος",
    ];

    /// The tokens of `a` that open a line or are capitalised words: the plain definition
    /// of the marks that [`super::LowercaseVocab::of`] notes.
    pub(crate) fn marks(a: &Analysis) -> Vec<u32> {
        let mark = |t: usize| {
            a.tokens[t].breaks_before > 0 || (a.tokens[t].kind == TokenKind::Word && a.capital(t))
        };
        (0..a.tokens.len())
            .filter(|&t| mark(t))
            .map(|t| t as u32)
            .collect()
    }

    #[test]
    fn next_candidate_agrees_with_the_test_per_token() {
        for text in TRICKY {
            let a = tokenize(text);
            let n = a.tokens.len();
            let marks = marks(&a);
            let slow = |i: usize, end: usize| {
                (i..end).find(|&t| {
                    a.tokens[t].breaks_before > 0
                        || (a.tokens[t].kind == TokenKind::Word && a.capital(t))
                })
            };
            for end in 0..=n {
                for i in 0..=end {
                    // From the start of the marks, and from the place a scan would have.
                    let mut k = 0;
                    let fresh = next_candidate(&marks, &mut k, i, end);
                    assert_eq!(fresh, slow(i, end), "{text:?} {i}..{end}");
                    let mut k = marks.partition_point(|&m| (m as usize) < i);
                    assert_eq!(next_candidate(&marks, &mut k, i, end), fresh);
                }
            }
        }
    }

    #[test]
    fn all_caps_tokens_agree_with_the_text() {
        for text in TRICKY
            .iter()
            .chain(&["IBM's CEO U.S. A1 1A ÉLAN Élan 'S 'S' X'Y ALL-CAPS"])
        {
            let a = tokenize(text);
            for t in 0..a.tokens.len() {
                assert_eq!(
                    is_all_caps_token(&a, t),
                    crate::text::is_all_caps(a.tok(t)),
                    "{text:?} {t}"
                );
            }
        }
    }
}
