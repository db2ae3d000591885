//! The layout of an article's lines: datelines, bylines and rows of results tables.
//!
//! Capital letters mean different things on such lines than in running prose:
//! - A dateline opens a story with the place it was filed from, in capitals, perhaps its
//!   region, then a date, the agency or a dash: `BONN 1996-08-31`, `ROTTERDAM, Netherlands
//!   (Northsea Wire) —`, `BRUSSELS, July 29, 2014 —`. Its place is a city, never a government
//!   that speaks ("WASHINGTON —" says where the story was written, not who acted).
//! - A byline, the reporter's name alone on the line before the dateline, is a person.
//! - Results pages print tables: one line per match, team or athlete, names and numbers only
//!   (`Hartwell Rovers 2 Dunmore 0`, `2. Ana Petrova (Bulgaria) 12.74`). Such a line reads like
//!   a headline, every word capitalised, yet its names are names; and a name followed by a
//!   score, or on either side of `v`, is a team, even when a city gives it its name.

use std::ops::Range;

use crate::text::is_all_caps;
use crate::tokenize::{Analysis, Case, TokenKind};
use crate::words::{WordSet, MONTHS};

/// What a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Running text, a headline or anything else.
    Prose,
    /// A row of a results table.
    Table,
    /// A reporter's name before a dateline.
    Byline,
}

/// The parts of a dateline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dateline {
    /// The place, in capitals (`BONN`, `THE HAGUE`).
    pub place: Range<usize>,
    /// The region or country after a comma (`Netherlands`, `West Bank`), if any.
    pub region: Option<Range<usize>>,
    /// The agency in brackets (`Northsea Wire`), if any.
    pub agency: Option<Range<usize>>,
    /// Every token of the dateline, up to and including its date, agency or dash.
    pub tokens: Range<usize>,
    /// Whether the story's first sentence follows on the same line (`WASHINGTON — The
    /// Treasury ...`), rather than on the next (`BONN 1996-08-31`).
    pub running: bool,
}

/// The kinds of an article's lines and its datelines.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// The lines other than prose (table rows, bylines) in text order, with what they are;
    /// every other line is prose. Most articles have none, and a long text has few against
    /// its many lines: a search among them stays in cache.
    marked: Vec<(Range<usize>, LineKind)>,
    /// Datelines in text order.
    pub datelines: Vec<Dateline>,
}

/// Lower-case words a table row may hold: `Arsenal v Chelsea`, `Queen 's Park`.
static TABLE_LOWER: WordSet = WordSet::new(&[
    "v", "vs", "vs.", "'s", "’s", "s", "of", "and", "de", "van", "von", "der", "da", "du", "le",
    "la", "el", "al",
]);

/// Dashes that close a dateline.
fn is_dash(s: &str) -> bool {
    matches!(s, "—" | "–" | "-" | "--")
}

impl Layout {
    /// The layout of `a`. `other_name(t)` says that token `t` is part of a listed name that is
    /// no place (an organisation, a threat actor): such a line opens with no dateline.
    pub fn of(a: &Analysis, other_name: impl Fn(usize) -> bool) -> Layout {
        let starts = (1..a.tokens.len()).filter(|&t| a.tokens[t].breaks_before > 0);
        Layout::with_line_starts(a, starts, other_name)
    }

    /// [`Layout::of`], given the tokens after the first that a line break comes before, in
    /// order (found in a pass over the tokens that serves other stages too).
    pub fn with_line_starts(
        a: &Analysis,
        starts: impl Iterator<Item = usize>,
        other_name: impl Fn(usize) -> bool,
    ) -> Layout {
        let n = a.tokens.len();
        let mut marked = Vec::new();
        let mut datelines = Vec::new();
        // The line before, kept until the next is read: a dateline makes it a byline.
        let mut prev: Option<(Range<usize>, LineKind)> = None;
        // Each line ends where a line break comes before a token, and at the end of the text.
        // Its dateline is looked for as soon as it is known, while its tokens are in cache.
        let mut start = 0;
        for t in starts.chain((n > 0).then_some(n)) {
            let line = start..t;
            start = t;
            let mut kind = if is_table_row(a, line.clone()) {
                LineKind::Table
            } else {
                LineKind::Prose
            };
            // A dateline opens with its place in capitals: most lines are turned away here.
            let d = is_caps_word(a, line.start)
                .then(|| dateline(a, line.clone()))
                .flatten()
                .filter(|d| !d.place.clone().any(&other_name));
            if let Some(d) = d {
                kind = LineKind::Prose;
                if let Some(p) = prev.as_mut().filter(|p| is_byline(a, p.0.clone())) {
                    p.1 = LineKind::Byline;
                }
                datelines.push(d);
            }
            marked.extend(
                prev.replace((line, kind))
                    .filter(|(_, k)| *k != LineKind::Prose),
            );
        }
        marked.extend(prev.filter(|(_, k)| *k != LineKind::Prose));
        Layout { marked, datelines }
    }

    /// The line other than prose holding token `t`, with its kind, if any.
    fn marked_line(&self, t: usize) -> Option<&(Range<usize>, LineKind)> {
        let i = self.marked.partition_point(|(r, _)| r.end <= t);
        self.marked.get(i).filter(|(r, _)| r.start <= t)
    }

    /// The kind of the line holding token `t`.
    pub fn kind(&self, t: usize) -> LineKind {
        self.marked_line(t).map_or(LineKind::Prose, |(_, k)| *k)
    }

    /// The lines of a kind other than prose inside `tokens`, clipped to it (prose lines are
    /// not kept: none are returned for [`LineKind::Prose`]).
    pub fn lines_in(&self, tokens: Range<usize>, kind: LineKind) -> Vec<Range<usize>> {
        let i = self.marked.partition_point(|(r, _)| r.end <= tokens.start);
        self.marked[i..]
            .iter()
            .take_while(|(r, _)| r.start < tokens.end)
            .filter(|(_, k)| *k == kind)
            .map(|(r, _)| r.start.max(tokens.start)..r.end.min(tokens.end))
            .collect()
    }

    /// The dateline holding token `t`, if any.
    pub fn dateline_at(&self, t: usize) -> Option<&Dateline> {
        let i = self.datelines.partition_point(|d| d.tokens.end <= t);
        self.datelines.get(i).filter(|d| d.tokens.start <= t)
    }

    /// Whether the name on `tokens` stands in a team's place: on a table row, followed by a
    /// score (`Dunmore 0`), or on either side of `v` (`Hartwell Rovers v Dunmore`).
    pub fn team_slot(&self, a: &Analysis, tokens: &Range<usize>) -> bool {
        let line = match self.marked_line(tokens.start) {
            Some((line, LineKind::Table)) => line.clone(),
            _ => return false,
        };
        let versus = |t: usize| line.contains(&t) && matches!(a.lower(t), "v" | "vs" | "vs.");
        let after = tokens.end;
        (after < line.end && is_score(a.tok(after)))
            || versus(after)
            || (tokens.start > 0 && versus(tokens.start - 1))
    }
}

/// Whether `s` is a score: one to three digits.
fn is_score(s: &str) -> bool {
    (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether number token `s` is a date or a year (`1996-08-31`, `29/07/2014`, `2014`).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let year = b.windows(4).any(|w| {
        w.iter().all(u8::is_ascii_digit) && (w.starts_with(b"19") || w.starts_with(b"20"))
    });
    year && (b.len() == 4 || s.contains('-') || s.contains('/'))
}

/// Whether the line is a row of a table: capitalised names, numbers and a few connectors,
/// no other lower-case word, in one of the shapes tables print: ending with a number
/// (`Dunmore 0`, `HARTWELL 74 59 .556 -`, `Ana Petrova (Bulgaria) 12.74`, `Tom Vale (12th)`),
/// opening with a rank and listing names (`62 Nolan Hale`, `2. Ana Petrova (Bulgaria)`), or
/// setting two teams against each other (`Hartwell Rovers v Dunmore`).
fn is_table_row(a: &Analysis, line: Range<usize>) -> bool {
    let mut names = 0;
    let mut numbers = false;
    let mut versus = false;
    let lower = TABLE_LOWER.words();
    for t in line.clone() {
        match a.tokens[t].kind {
            TokenKind::Word if a.capital(t) => names += 1,
            TokenKind::Word if lower.contains_token(a, t) => {
                versus |= matches!(a.lower(t), "v" | "vs" | "vs.");
            }
            TokenKind::Word => return false,
            TokenKind::Number => numbers = true,
            _ => {}
        }
    }
    if names == 0 {
        return false;
    }
    if versus {
        return true;
    }
    // Numbers other than dates, asked only of the few lines that get here.
    let score = |t: usize| a.tokens[t].kind == TokenKind::Number && !is_date(a.tok(t));
    if !numbers || !line.clone().any(score) {
        return false;
    }
    // Ends with a number, before closing brackets or a dash.
    let mut last = line.end - 1;
    while last > line.start && matches!(a.tok(last), ")" | "-" | "—" | "–") {
        last -= 1;
    }
    let last_tok = a.tok(last);
    if a.tokens[last].kind == TokenKind::Number && !is_date(last_tok) {
        return true;
    }
    // Opens with a rank: "62 Nolan Hale", "2. Ana Petrova (Bulgaria)", "6= Eva Lind".
    let first = line.start;
    if a.tokens[first].kind != TokenKind::Number || is_date(a.tok(first)) {
        return false;
    }
    let mut next = first + 1;
    let marked = next < line.end && matches!(a.tok(next), "." | "=");
    if marked {
        next += 1;
    }
    let listed = line.clone().any(|t| matches!(a.tok(t), "," | "(" | ";"));
    next < line.end
        && a.tokens[next].kind == TokenKind::Word
        && a.capital(next)
        && (marked || listed || names <= 3)
}

/// Whether token `t` is [`is_all_caps`]: every letter a capital, and at least one letter.
/// A token that opens with a lower-case letter is not, and a token of ASCII letters and
/// digits is when it has no lower-case letter and a letter; only the rest are read as text.
#[inline]
pub(crate) fn is_all_caps_token(a: &Analysis, t: usize) -> bool {
    let token = &a.tokens[t];
    if token.case == Case::Lower {
        return false;
    }
    let text = a.tok(t);
    if token.alnum {
        let b = text.as_bytes();
        return !b.iter().any(u8::is_ascii_lowercase) && b.iter().any(u8::is_ascii_alphabetic);
    }
    is_all_caps(text)
}

/// A capitalised word of a dateline's place: all capitals (`BONN`, `ST.`), or a short
/// connector inside (`THE HAGUE`). Inlined: it is asked of every line's first word.
#[inline]
fn is_caps_word(a: &Analysis, t: usize) -> bool {
    // A word opens with a letter, so all capitals opens with a capital: most words stop there.
    a.tokens[t].kind == TokenKind::Word
        && a.capital(t)
        && is_all_caps_token(a, t)
        && a.tok(t).chars().nth(1).is_some()
}

/// The dateline opening `line`, if it has one.
fn dateline(a: &Analysis, line: Range<usize>) -> Option<Dateline> {
    let mut i = line.start;
    while i < line.end && i - line.start < 6 {
        if is_caps_word(a, i) {
            i += 1;
        } else if i > line.start
            && a.tok_is(i, "-")
            && !a.tokens[i].space_before
            && i + 1 < line.end
            && !a.tokens[i + 1].space_before
            && is_caps_word(a, i + 1)
        {
            i += 2;
        } else {
            break;
        }
    }
    if i == line.start || i >= line.end {
        return None;
    }
    let place = line.start..i;
    let mut region = None;
    if a.tok_is(i, ",") {
        let s = i + 1;
        let mut j = s;
        while j < line.end
            && j - s < 3
            && a.tokens[j].kind == TokenKind::Word
            && a.capital(j)
            && !is_all_caps(a.tok(j))
            && !MONTHS.contains(a.lower(j).trim_end_matches('.'))
        {
            j += 1;
        }
        if j > s {
            region = Some(s..j);
        }
        i = j;
        if i < line.end && a.tok_is(i, ",") {
            i += 1;
        }
    }
    let (end, agency) = closing(a, i, &line)?;
    Some(Dateline {
        place,
        region,
        agency,
        tokens: line.start..end,
        running: end < line.end,
    })
}

/// What closes a dateline at token `i`: a date (`1996-08-31`, `July 29, 2014`), an agency in
/// brackets, or a dash before running text. Returns the end of the dateline and the agency.
fn closing(a: &Analysis, i: usize, line: &Range<usize>) -> Option<(usize, Option<Range<usize>>)> {
    if i >= line.end {
        return None;
    }
    let t = a.tok(i);
    if a.tokens[i].kind == TokenKind::Number && is_date(t) {
        // The tokenizer may cut "1996-08-31" at its hyphens.
        let mut end = i + 1;
        while end < line.end
            && !a.tokens[end].space_before
            && (a.tokens[end].kind == TokenKind::Number || matches!(a.tok(end), "-" | "/"))
        {
            end += 1;
        }
        return Some((end, None));
    }
    if MONTHS.contains(a.lower(i).trim_end_matches('.'))
        && i + 1 < line.end
        && a.tokens[i + 1].kind == TokenKind::Number
    {
        return Some((i + 2, None));
    }
    if t == "(" {
        let close = (i + 1..line.end.min(i + 6)).find(|&j| a.tok_is(j, ")"))?;
        let inside = i + 1..close;
        let named = !inside.is_empty()
            && inside
                .clone()
                .all(|j| a.tokens[j].kind == TokenKind::Word && a.capital(j));
        if !named {
            return None;
        }
        let mut end = close + 1;
        if end < line.end && is_dash(a.tok(end)) {
            end += 1;
        }
        return Some((end, Some(inside)));
    }
    // A dash, then running text (a headline in capitals is no dateline: "SOCCER - CLUB FINED").
    if is_dash(t) && i + 1 < line.end {
        let next = a.tok(i + 1);
        let running = a.tokens[i + 1].kind != TokenKind::Word || !is_all_caps(next);
        return running.then_some((i + 1, None));
    }
    None
}

/// Whether the line is two or three capitalised words and nothing else: a byline.
fn is_byline(a: &Analysis, line: Range<usize>) -> bool {
    (2..=3).contains(&line.len())
        && line
            .clone()
            .all(|t| a.tokens[t].kind == TokenKind::Word && a.capital(t) && !is_all_caps(a.tok(t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    /// The lines of `a`, found plainly: each ends before a token after a line break, and at
    /// the end of the text.
    fn plain_lines(a: &Analysis) -> Vec<Range<usize>> {
        let n = a.tokens.len();
        let mut ends: Vec<usize> = (1..n).filter(|&t| a.tokens[t].breaks_before > 0).collect();
        if n > 0 {
            ends.push(n);
        }
        let starts = std::iter::once(0).chain(ends.iter().copied());
        starts
            .zip(ends.iter().copied())
            .map(|(s, e)| s..e)
            .collect()
    }

    #[test]
    fn lines_and_line_kinds_agree_with_a_plain_search() {
        let texts = [
            "",
            "x",
            "\n\nA\n",
            "Hartwell Rovers 2 Dunmore 0\nKelland v Dunmore\nThe match was played.\n",
            "Marta Kowalska\nBONN 1996-08-31\nThe Ärger — ungefähr.\n\n62 Nolan Hale\n",
        ];
        for text in texts {
            let a = tokenize(text);
            let n = a.tokens.len();
            let layout = Layout::of(&a, |_| false);
            // The marked lines are whole lines, and every other line is prose.
            let lines = plain_lines(&a);
            for (r, k) in &layout.marked {
                assert!(lines.contains(r) && *k != LineKind::Prose, "{text:?} {r:?}");
            }
            for t in 0..n {
                let kind = (layout.marked.iter())
                    .find(|(r, _)| r.contains(&t))
                    .map_or(LineKind::Prose, |(_, k)| *k);
                assert_eq!(layout.kind(t), kind, "{text:?} {t}");
            }
            for kind in [LineKind::Table, LineKind::Byline] {
                let all: Vec<Range<usize>> = (layout.marked.iter())
                    .filter(|(_, k)| *k == kind)
                    .map(|(r, _)| r.clone())
                    .collect();
                assert_eq!(layout.lines_in(0..n, kind), all, "{text:?} {kind:?}");
            }
        }
    }

    fn kinds(text: &str) -> Vec<LineKind> {
        let a = tokenize(text);
        let layout = Layout::of(&a, |_| false);
        plain_lines(&a)
            .iter()
            .map(|r| layout.kind(r.start))
            .collect()
    }

    fn dateline_parts(text: &str) -> Option<(String, Option<String>, Option<String>)> {
        let a = tokenize(text);
        let layout = Layout::of(&a, |_| false);
        let d = layout.datelines.first()?;
        let s = |r: &Range<usize>| a.span_of(r.clone()).slice(a.text).to_string();
        Some((
            s(&d.place),
            d.region.as_ref().map(s),
            d.agency.as_ref().map(s),
        ))
    }

    #[test]
    fn finds_datelines_in_their_usual_forms() {
        assert_eq!(
            dateline_parts("HARTWELL 2003-05-14\nThe council met."),
            Some(("HARTWELL".into(), None, None))
        );
        let a = tokenize("HARTWELL 2003-05-14\nThe council met.");
        assert!(!Layout::of(&a, |_| false).datelines[0].running);
        assert_eq!(
            dateline_parts("PORT AVERY, Kelland (Coast Wire) — Officials met on Monday."),
            Some((
                "PORT AVERY".into(),
                Some("Kelland".into()),
                Some("Coast Wire".into())
            ))
        );
        assert_eq!(
            dateline_parts("LISBON, May 3, 2021 — Ministers agreed."),
            Some(("LISBON".into(), None, None))
        );
        assert_eq!(
            dateline_parts("WASHINGTON — The Treasury acted."),
            Some(("WASHINGTON".into(), None, None))
        );
    }

    #[test]
    fn capitals_before_a_dash_in_a_headline_are_no_dateline() {
        assert_eq!(
            dateline_parts("TENNIS - VALE WINS IN STRAIGHT SETS ."),
            None
        );
        assert_eq!(dateline_parts("NATO allies met in Brussels."), None);
        assert_eq!(dateline_parts("The UK acted on Monday."), None);
        // A listed organisation opening the line is no place.
        let a = tokenize("FBI — The bureau said on Monday it had made arrests.");
        assert!(Layout::of(&a, |t| t == 0).datelines.is_empty());
    }

    #[test]
    fn finds_the_byline_before_a_dateline() {
        assert_eq!(
            kinds("Talks resume\nMara Collins\nGENEVA 2019-02-01\nThe talks resumed."),
            [
                LineKind::Prose,
                LineKind::Byline,
                LineKind::Prose,
                LineKind::Prose
            ]
        );
        // Without a dateline after it, a short capitalised line is a headline.
        assert_eq!(
            kinds("Talks Resume\nThe talks resumed."),
            [LineKind::Prose; 2]
        );
    }

    #[test]
    fn finds_rows_of_results_tables() {
        for row in [
            "Hartwell Rovers 2 Dunmore 0",
            "HARTWELL 74 59 .556 -",
            "2. Ana Petrova ( Bulgaria ) 12.74",
            "62 Nolan Hale",
            "65 Nolan Hale , Tim Berg ( Norway )",
            "Kelland - Tom Vale ( 31st ) , Ivo Marsh ( 75th )",
            "Hartwell Rovers v Dunmore",
            "Queen 's Park 3 1 1 1 6 8 4",
        ] {
            assert_eq!(kinds(row), [LineKind::Table], "{row}");
        }
        for line in [
            "The fund rose 2 percent on Monday 12",
            "Sanctions Hit 12 Firms In Two Countries",
            "3 Things To Know About The Sanctions",
            "LISBON 2021-05-03",
            "APT31 Hackers Named",
            "World Cup 1998",
        ] {
            assert_eq!(kinds(line), [LineKind::Prose], "{line}");
        }
    }

    #[test]
    fn a_name_before_a_score_or_beside_v_is_a_team() {
        let a = tokenize("Hartwell Rovers 2 Dunmore 0\nDunmore v Kelland\nThe Dunmore 2 plan.");
        let layout = Layout::of(&a, |_| false);
        assert!(layout.team_slot(&a, &(0..2)));
        assert!(layout.team_slot(&a, &(3..4)));
        assert!(layout.team_slot(&a, &(5..6)));
        assert!(layout.team_slot(&a, &(7..8)));
        assert!(!layout.team_slot(&a, &(9..10)));
        assert!(!layout.team_slot(&a, &(10..11)));
    }
}
