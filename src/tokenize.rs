//! Splits an article into tokens and sentences, each with exact byte and code-point offsets.
//!
//! Words come from Unicode word boundaries (UAX #29), which already keep decimals (`2.5`),
//! amounts (`1.2bn`) and inner apostrophes (`don't`) whole. On top of that the tokenizer:
//! - splits a possessive `'s` / `’s` from its word (`UK’s` → `UK` `’s`), so names end on a
//!   token boundary;
//! - joins an abbreviation or initial with its full stop (`Mr.`, `U.S.`, `J.`, `Jan.`) and runs
//!   of full stops into one ellipsis token;
//! - notes how many line breaks come before each token, for paragraphs and headlines.
//!
//! Sentences end at `.`, `!`, `?` and ellipses when what follows starts like a sentence, after
//! closing quotes and brackets; at blank lines; and at single line breaks that close a
//! headline, dateline, list item or indented paragraph. Titles (`Mr.`, `Sen.`) never end a
//! sentence; company and country abbreviations (`Ltd.`, `U.S.`) do when a sentence opener
//! follows.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::text::{fold_case, is_capital, starts_upper, Span};
use crate::words::{word_hash, word_hash_bytes, WordSet};

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters, possibly with digits, inner apostrophes or inner full stops (`U.S.`).
    Word,
    /// Starts with a digit (`2.5`, `1.2bn`, `2021`).
    Number,
    /// Punctuation (`,`, `.`, `“`, `...`).
    Punct,
    /// Anything else that is not white space (`$`, `%`, emoji).
    Symbol,
}

/// The letter case of a token's first character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// A capital: upper or title case (`A`, `Ä`, `ǅ`).
    Capital,
    /// A lower-case letter.
    Lower,
    /// No case: a digit, punctuation, or a letter of a script without case.
    Uncased,
}

/// One token of the input.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    /// Where it is.
    pub span: Span,
    /// [`word_hash`] of its lower-case text, for look-ups in word lists that hash nothing.
    pub hash: u64,
    /// What it is made of.
    pub kind: TokenKind,
    /// The case of its first character.
    pub case: Case,
    /// Whether it is made of ASCII letters and digits only (`false` when unknown).
    pub alnum: bool,
    /// Line breaks in the white space just before it (0, 1, or 2 for a blank line or more).
    pub breaks_before: u8,
    /// Whether white space separates it from the previous token.
    pub space_before: bool,
    /// Whether it is an abbreviation joined with its full stop (`Mr.`, `U.S.`, `J.`).
    pub abbreviation: bool,
}

/// One sentence: a run of tokens.
#[derive(Clone, Debug)]
pub struct Sentence {
    /// From the first token's start to the last token's end.
    pub span: Span,
    /// Index range into [`Analysis::tokens`].
    pub tokens: Range<usize>,
    /// Whether it reads as a headline or boilerplate line: no closing full stop and every
    /// content word capitalised, or all capitals.
    pub headline: bool,
}

/// The tokenized text that every later stage reads.
#[derive(Debug)]
pub struct Analysis<'t> {
    /// The input, after byte-order-mark removal.
    pub text: &'t str,
    /// `text` lower-cased with the same byte layout (see [`fold_case`]).
    pub folded: String,
    /// All tokens in order.
    pub tokens: Vec<Token>,
    /// All sentences in order; every token belongs to exactly one.
    pub sentences: Vec<Sentence>,
    /// Whether the text is wrapped by hand, with line breaks inside sentences (wire copy).
    pub wrapped: bool,
}

impl<'t> Analysis<'t> {
    /// The text of token `i`.
    pub fn tok(&self, i: usize) -> &'t str {
        self.tokens[i].span.slice(self.text)
    }

    /// The folded (lower-case) text of token `i`.
    pub fn lower(&self, i: usize) -> &str {
        self.tokens[i].span.slice(&self.folded)
    }

    /// Whether token `i` starts with a capital letter (see [`starts_upper`]).
    pub fn capital(&self, i: usize) -> bool {
        self.tokens[i].case == Case::Capital
    }

    /// Whether token `i` is `word` exactly (a byte comparison, for hot loops).
    pub fn tok_is(&self, i: usize, word: &str) -> bool {
        let s = self.tokens[i].span;
        &self.text.as_bytes()[s.byte_start as usize..s.byte_end as usize] == word.as_bytes()
    }

    /// Whether the folded text of token `i` is `word` (a byte comparison, for hot loops).
    pub fn lower_is(&self, i: usize, word: &str) -> bool {
        let s = self.tokens[i].span;
        &self.folded.as_bytes()[s.byte_start as usize..s.byte_end as usize] == word.as_bytes()
    }

    /// The span from token `a` to token `b - 1`; `a < b` required.
    pub fn span_of(&self, tokens: Range<usize>) -> Span {
        self.tokens[tokens.start]
            .span
            .join(self.tokens[tokens.end - 1].span)
    }

    /// The sentence holding token `i`.
    pub fn sentence_of(&self, i: usize) -> usize {
        self.sentences.partition_point(|s| s.tokens.end <= i)
    }

    /// [`Analysis::sentence_of`], searched from sentence `near` onwards in steps that double
    /// (when `i` is not before it). A caller that asks in token order finds the answer a few
    /// sentences on: a search over all sentences reads far parts of a long text's table that
    /// no cache holds.
    pub fn sentence_near(&self, i: usize, near: usize) -> usize {
        let s = &self.sentences;
        if near >= s.len() || s[near].tokens.start > i {
            return self.sentence_of(i);
        }
        // Every sentence before `lo` ends at or before `i`.
        let mut lo = near;
        let mut step = 1;
        while lo + step < s.len() && s[lo + step].tokens.end <= i {
            lo += step + 1;
            step *= 2;
        }
        let hi = (lo + step).min(s.len());
        lo + s[lo..hi].partition_point(|x| x.tokens.end <= i)
    }

    /// Whether token `i` opens a line that only wraps the text of the line before: the text
    /// is wrapped by hand (see [`Analysis::wrapped`]) and the line starts right after one line
    /// break, unindented ("the Securities and Exchange\nCommission").
    pub fn continues_line(&self, i: usize) -> bool {
        self.wrapped && wraps(self.text, &self.tokens, i)
    }
}

/// Whether token `i` follows a single line break with no indent.
fn wraps(text: &str, tokens: &[Token], i: usize) -> bool {
    tokens[i].breaks_before == 1 && text[..tokens[i].span.byte_start as usize].ends_with('\n')
}

/// Whether `text` is wrapped by hand, as wire copy is: at least [`WRAPS`] lines open in lower
/// case right after a single line break, in the middle of a sentence. Text with one paragraph
/// per line, or a table, has no such lines.
fn hand_wrapped(text: &str, tokens: &[Token]) -> bool {
    let mut n = 0;
    for i in 1..tokens.len() {
        if tokens[i].case == Case::Lower && wraps(text, tokens, i) {
            n += 1;
            if n == WRAPS {
                return true;
            }
        }
    }
    false
}

/// How many lines opening in lower case make a text hand-wrapped.
const WRAPS: usize = 2;

/// Tokenizes `text` and splits it into sentences.
///
/// # Panics
/// When `text` is 4 GiB or longer: offsets are `u32` (see [`Span`]).
pub fn tokenize(text: &str) -> Analysis<'_> {
    assert!(
        u32::try_from(text.len()).is_ok_and(|n| n < u32::MAX),
        "texts of 4 GiB or more are not supported"
    );
    let folded = fold_case(text);
    let tokens = split_tokens(text, &folded);
    let wrapped = hand_wrapped(text, &tokens);
    let sentences = split_sentences(text, &folded, &tokens, wrapped);
    Analysis {
        text,
        folded,
        tokens,
        sentences,
        wrapped,
    }
}

/// Titles before a name: never the end of a sentence.
static TITLES: WordSet = WordSet::new(&[
    "mr", "mrs", "ms", "dr", "prof", "sen", "gov", "rep", "gen", "col", "lt", "sgt", "capt", "adm",
    "maj", "rev", "st", "fr", "hon", "pres", "supt", "insp", "cpl", "pte", "brig", "cmdr",
    "messrs",
]);
/// Abbreviations that may end a sentence when a sentence opener follows.
static ENDING_ABBREVIATIONS: WordSet = WordSet::new(&[
    "ltd", "inc", "co", "corp", "plc", "bros", "jr", "sr", "etc", "llc", "no", "nos", "vs",
    "approx", "dept", "est", "fig", "univ", "ave", "mt", "ft", "al", "cf", "vol", "pp", "op", "ed",
    "eds", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
]);
/// Words that, capitalised after an ending abbreviation, start a new sentence.
static OPENERS: WordSet = WordSet::new(&[
    "the",
    "a",
    "an",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "in",
    "on",
    "but",
    "and",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "our",
    "there",
    "however",
    "meanwhile",
    "officials",
    "both",
    "after",
    "as",
    "at",
    "for",
    "when",
    "while",
    "if",
    "other",
    "some",
    "according",
    "last",
    "earlier",
    "later",
    "separately",
    "also",
    "such",
]);

fn classify(word: &str) -> TokenKind {
    let first = word.chars().next().unwrap_or(' ');
    if first.is_numeric() {
        TokenKind::Number
    } else if first.is_alphabetic() {
        TokenKind::Word
    } else if first.is_ascii_punctuation() || is_unicode_punct(first) {
        TokenKind::Punct
    } else {
        TokenKind::Symbol
    }
}

/// Byte classes of the ASCII fast path, one table look-up per byte.
const WHITE: u8 = 1;
/// Letters, digits and `_`: what UAX #29 keeps inside a word.
const WORD: u8 = 2;
const ALPHA: u8 = 4;
const DIGIT: u8 = 8;
const NON_ASCII: u8 = 16;
/// Bytes that may continue a word after a letter or digit: `_ : . ' , ;`.
const JOINER: u8 = 32;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if !c.is_ascii() {
            NON_ASCII
        } else if c.is_ascii_whitespace() {
            WHITE
        } else if c.is_ascii_alphabetic() {
            WORD | ALPHA
        } else if c.is_ascii_digit() {
            WORD | DIGIT
        } else if c == b'_' {
            WORD | JOINER
        } else if matches!(c, b':' | b'.' | b'\'' | b',' | b';') {
            JOINER
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The kind and case of a token that starts with ASCII byte `b` ([`classify`] and
/// [`case_at`] in one table look-up).
static ASCII_START: [(TokenKind, Case); 128] = {
    let mut t = [(TokenKind::Symbol, Case::Uncased); 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_digit() {
            (TokenKind::Number, Case::Uncased)
        } else if c.is_ascii_uppercase() {
            (TokenKind::Word, Case::Capital)
        } else if c.is_ascii_lowercase() {
            (TokenKind::Word, Case::Lower)
        } else if c.is_ascii_punctuation() {
            (TokenKind::Punct, Case::Uncased)
        } else {
            (TokenKind::Symbol, Case::Uncased)
        };
        b += 1;
    }
    t
};

fn is_unicode_punct(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '‘'
            | '’'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '„'
            | '‚'
            | '…'
            | '–'
            | '—'
            | '‐'
            | '‑'
            | '‒'
            | '―'
            | '•'
            | '·'
            | '¡'
            | '¿'
            | '「'
            | '」'
            | '『'
            | '』'
            | '（'
            | '）'
            | '、'
            | '。'
            | '，'
            | '：'
            | '；'
            | '！'
            | '？'
            | '،'
            | '؛'
            | '؟'
    )
}

/// Whether the word token `prev` before a full stop is an abbreviation or initial that keeps
/// the stop; `word` and `lower` are its text and folded text.
fn takes_stop(prev: &Token, word: &str, lower: &str) -> bool {
    if prev.span.char_end - prev.span.char_start == 1 {
        return word.chars().all(char::is_alphabetic);
    }
    // U.S, U.K, e.g, i.e, a.m, p.m: letters separated by inner full stops (none in a word of
    // ASCII letters and digits only).
    if !prev.alnum && word.as_bytes().contains(&b'.') {
        return word
            .split('.')
            .all(|p| !p.is_empty() && p.chars().count() <= 2);
    }
    // The token's hash is the hash of its folded text: no need to hash it again.
    TITLES.contains_hashed(lower, prev.hash)
        || ENDING_ABBREVIATIONS.contains_hashed(lower, prev.hash)
}

/// Splits `text` into tokens. White space is ASCII white space here; a run between two such
/// spaces is split by [`ascii_word`] when it is all ASCII (a text without other characters is
/// checked once) and by the full Unicode rules otherwise.
///
/// Kept out of line: alone, its loop keeps more of its state in registers.
#[inline(never)]
fn split_tokens(text: &str, folded: &str) -> Vec<Token> {
    let mut sp = Splitter {
        text,
        folded,
        // News text averages 5.4 bytes a token and almost no article has fewer than 4: one
        // allocation, where a guess of 5 bytes grew the vector for one article in eight.
        tokens: Vec::with_capacity(text.len() / 4 + 16),
        skew: 0,
        breaks: 0,
        space: false,
    };
    let bytes = text.as_bytes();
    // Everything before `ascii_end` is known to be ASCII.
    let mut ascii_end = if text.is_ascii() { bytes.len() } else { 0 };
    let mut pos = 0;
    while pos < bytes.len() {
        let mut first = bytes[pos];
        // Most white space is one space before a word: the word is taken at once.
        if first == b' ' {
            match bytes.get(pos + 1) {
                Some(&next) if CLASS[next as usize] != WHITE => {
                    sp.space = true;
                    pos += 1;
                    first = next;
                }
                _ => {
                    pos = sp.white_run(pos);
                    continue;
                }
            }
        } else if CLASS[first as usize] == WHITE {
            pos = sp.white_run(pos);
            continue;
        }
        if pos >= ascii_end {
            let (end, ascii) = sp.run_from(pos);
            if !ascii {
                pos = end;
                continue;
            }
            ascii_end = end;
        }
        let (end, plain) = ascii_word(bytes, pos, first);
        sp.ascii_token(pos, end, first, plain);
        pos = end;
    }
    sp.tokens
}

/// Where the run of non-white bytes from `pos` ends: at the next ASCII white space.
fn run_end(bytes: &[u8], pos: usize) -> usize {
    bytes[pos..]
        .iter()
        .position(|&b| CLASS[b as usize] == WHITE)
        .map_or(bytes.len(), |n| pos + n)
}

/// The case of the character at byte `start` of `text`.
#[inline(always)]
fn case_at(text: &str, start: usize) -> Case {
    let b = text.as_bytes()[start];
    if b.is_ascii() {
        return if b.is_ascii_uppercase() {
            Case::Capital
        } else if b.is_ascii_lowercase() {
            Case::Lower
        } else {
            Case::Uncased
        };
    }
    case_of_char_at(text, start)
}

/// [`case_at`] for a character outside ASCII, kept out of line so that the ASCII test inlines
/// into [`Splitter::push`].
#[inline(never)]
fn case_of_char_at(text: &str, start: usize) -> Case {
    let c = text[start..].chars().next().unwrap_or(' ');
    if is_capital(c) {
        Case::Capital
    } else if c.is_lowercase() {
        Case::Lower
    } else {
        Case::Uncased
    }
}

/// The state of [`split_tokens`]: tokens so far, and the white space seen since the last
/// token.
///
/// Code-point offsets are byte offsets less `skew`, the bytes beyond the first of every
/// character before the current position: in ASCII text (most text) it stays 0.
struct Splitter<'a> {
    text: &'a str,
    folded: &'a str,
    tokens: Vec<Token>,
    skew: usize,
    breaks: u8,
    space: bool,
}

impl Splitter<'_> {
    /// White space of `len` bytes and `n` code points holding `breaks` line breaks.
    fn white(&mut self, breaks: usize, len: usize, n: usize) {
        self.breaks = (self.breaks as usize + breaks).min(2) as u8;
        self.space = true;
        self.skew += len - n;
    }

    /// The ASCII white space from byte `pos` on; returns where it ends. (Out of line: most
    /// white space is one space, which [`split_tokens`] takes itself.)
    #[inline(never)]
    fn white_run(&mut self, pos: usize) -> usize {
        let b = self.text.as_bytes();
        let mut end = pos;
        let mut breaks = 0;
        while end < b.len() && CLASS[b[end] as usize] == WHITE {
            if b[end] == b'\n' || (b[end] == b'\r' && b.get(end + 1) != Some(&b'\n')) {
                breaks += 1;
            }
            end += 1;
        }
        self.white(breaks, end - pos, end - pos);
        end
    }

    /// The run of non-white bytes from byte `pos` when it is not known to be ASCII: splits it
    /// by [`Splitter::unicode_run`] if it holds other characters. Returns where the run ends
    /// and whether it is ASCII (and so left for [`ascii_word`]).
    #[inline(never)]
    fn run_from(&mut self, pos: usize) -> (usize, bool) {
        let end = run_end(self.text.as_bytes(), pos);
        let ascii = self.text.as_bytes()[pos..end].is_ascii();
        if !ascii {
            self.unicode_run(pos, &self.text[pos..end]);
        }
        (end, ascii)
    }

    /// Text split at UAX #29 word boundaries, white space included: a run without ASCII white
    /// space that holds other characters (or, in tests, a whole text).
    fn unicode_run(&mut self, start: usize, run: &str) {
        for (i, w) in run.split_word_bound_indices() {
            let n = w.chars().count();
            if w.starts_with(char::is_whitespace) {
                self.white(line_breaks(w), w.len(), n);
            } else {
                self.segment(start + i, w, n, classify(w), false);
            }
        }
    }

    /// The word [`ascii_word`] found from byte `start` to `end`; its first byte is `first`.
    #[inline(always)]
    fn ascii_token(&mut self, start: usize, end: usize, first: u8, plain: bool) {
        let text = self.text;
        let b = text.as_bytes();
        let (kind, case) = ASCII_START[first as usize & 127];
        // Only a full stop joins the token before it, and only a word ending in `s` that is not
        // only letters and digits (`plain`) can hold a possessive.
        let len = end - start;
        if len == 1 && first == b'.' {
            if !self.join_full_stop(start) {
                self.push_cased(start, end, len, kind, case, false);
            }
        } else if !plain && len > 2 && matches!(b[end - 1], b's' | b'S') {
            self.segment(start, &text[start..end], len, kind, false);
        } else {
            self.push_cased(start, end, len, kind, case, plain);
        }
    }

    /// A word-boundary segment of `n` code points at byte `start`, of kind `kind`; `alnum`
    /// when it is ASCII letters and digits only.
    fn segment(&mut self, start: usize, seg: &str, n: usize, kind: TokenKind, alnum: bool) {
        let end = start + seg.len();
        // Possessive: "UK's" -> "UK" + "'s".
        if let Some(base_len) = possessive_base(seg) {
            let base_chars = if n == seg.len() {
                base_len
            } else {
                seg[..base_len].chars().count()
            };
            self.push(start, start + base_len, base_chars, kind, false);
            self.push(
                start + base_len,
                end,
                n - base_chars,
                TokenKind::Punct,
                false,
            );
            return;
        }
        // A full stop right after an abbreviation joins it; runs of full stops are one token.
        if seg.len() == 1 && seg.as_bytes()[0] == b'.' && self.join_full_stop(start) {
            return;
        }
        self.push(start, end, n, kind, alnum);
    }

    /// Joins the full stop at byte `start` to the token before it when that token is an
    /// abbreviation or initial, or a run of full stops; returns whether it did.
    fn join_full_stop(&mut self, start: usize) -> bool {
        let end = start + 1;
        let Some(prev) = self.tokens.last_mut() else {
            return false;
        };
        if prev.span.byte_end as usize != start {
            return false;
        }
        let pw = prev.span.slice(self.text);
        let pl = prev.span.slice(self.folded);
        let joins =
            (prev.kind == TokenKind::Word && !prev.abbreviation && takes_stop(prev, pw, pl))
                || pw.bytes().all(|b| b == b'.');
        if joins {
            prev.abbreviation = prev.kind == TokenKind::Word;
            prev.alnum = false;
            prev.span.byte_end = end as u32;
            prev.span.char_end = (end - self.skew) as u32;
            prev.hash = word_hash(prev.span.slice(self.folded));
        }
        joins
    }

    /// A token of kind `kind` from byte `start` to `end`, `n` code points long.
    fn push(&mut self, start: usize, end: usize, n: usize, kind: TokenKind, alnum: bool) {
        let case = case_at(self.text, start);
        self.push_cased(start, end, n, kind, case, alnum);
    }

    /// [`Splitter::push`] for a token whose first character's case is known. (Inlined into
    /// the loop over plain words, where most tokens come from: a call costs a fifth of it.)
    #[inline(always)]
    fn push_cased(
        &mut self,
        start: usize,
        end: usize,
        n: usize,
        kind: TokenKind,
        case: Case,
        alnum: bool,
    ) {
        let char_start = start - self.skew;
        self.skew += (end - start) - n;
        let span = Span {
            byte_start: start as u32,
            byte_end: end as u32,
            char_start: char_start as u32,
            char_end: (end - self.skew) as u32,
        };
        let token = Token {
            span,
            hash: word_hash_bytes(&self.folded.as_bytes()[start..end]),
            kind,
            case,
            alnum,
            breaks_before: self.breaks,
            space_before: self.space,
            abbreviation: false,
        };
        // The vector almost never grows (see `split_tokens`). Tested here, the push below
        // knows that it has room and makes no call; a call in the loop made the compiler keep
        // every field of the token on the stack.
        if self.tokens.len() < self.tokens.capacity() {
            self.tokens.push(token);
        } else {
            self.push_growing(token);
        }
        self.breaks = 0;
        self.space = false;
    }

    /// Adds `token` when the vector is full.
    #[cold]
    #[inline(never)]
    fn push_growing(&mut self, token: Token) {
        self.tokens.push(token);
    }
}

/// The byte length of the word before a possessive `'s` / `’s` ending `seg`, if it has one:
/// letters, digits and full stops only.
fn possessive_base(seg: &str) -> Option<usize> {
    let b = seg.as_bytes();
    if b.len() <= 2 || !matches!(b[b.len() - 1], b's' | b'S') {
        return None;
    }
    let rest = &seg[..seg.len() - 1];
    let base = rest.strip_suffix('\'').or_else(|| rest.strip_suffix('’'))?;
    (!base.is_empty() && base.chars().all(|c| c.is_alphanumeric() || c == '.'))
        .then_some(base.len())
}

/// Line breaks in white space: `\r\n`, a lone `\r` or `\n`, U+2028 and U+2029 count one each.
fn line_breaks(ws: &str) -> usize {
    let b = ws.as_bytes();
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    if !ws.is_ascii() {
        n += ws
            .chars()
            .filter(|&c| c == '\u{2028}' || c == '\u{2029}')
            .count();
    }
    n
}

/// The UAX #29 word that starts at byte `start` (whose value is `first`) of an ASCII run of
/// `b` (not white space):
/// letters, digits and `_` join; `:`, `.` and `'` join two letters; `.`, `,`, `;` and `'` join
/// two digits; anything else stands alone. Returns where the word ends, and whether it is
/// only letters and digits.
#[inline(always)]
fn ascii_word(b: &[u8], start: usize, first: u8) -> (usize, bool) {
    let first = CLASS[first as usize];
    let plain = first & (ALPHA | DIGIT) != 0;
    if first & WORD == 0 {
        return (start + 1, plain);
    }
    let end = alnum_end(b, start + 1);
    if end < b.len() && CLASS[b[end] as usize] & JOINER != 0 {
        // `_` always joins; the others only before a letter or digit (most words end at a
        // comma or full stop before white space).
        let before_alnum = b
            .get(end + 1)
            .is_some_and(|&c| CLASS[c as usize] & (ALPHA | DIGIT) != 0);
        if before_alnum || b[end] == b'_' {
            return joined_word(b, end, plain);
        }
    }
    (end, plain)
}

/// Where the run of ASCII letters and digits from byte `from` of `b` ends.
#[inline(always)]
fn alnum_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() && CLASS[b[i] as usize] & (ALPHA | DIGIT) != 0 {
        i += 1;
    }
    i
}

/// The rest of an [`ascii_word`] that reaches a joiner at byte `i` (`1.5`, `U.S`, `x_y`,
/// `don't`), `plain` telling whether the word so far is letters and digits only. Kept out of
/// line: most words end at white space or punctuation that joins nothing.
#[inline(never)]
fn joined_word(b: &[u8], mut i: usize, mut plain: bool) -> (usize, bool) {
    let class = |c: u8| CLASS[c as usize];
    loop {
        if i == b.len() || class(b[i]) & JOINER == 0 {
            return (i, plain);
        }
        if b[i] == b'_' {
            i += 1;
        } else {
            let (prev, next) = (
                class(b[i - 1]),
                class(b.get(i + 1).copied().unwrap_or(b' ')),
            );
            let letters = prev & next & ALPHA != 0 && matches!(b[i], b':' | b'.' | b'\'');
            let digits = prev & next & DIGIT != 0 && matches!(b[i], b'.' | b',' | b';' | b'\'');
            if !(letters || digits) {
                return (i, plain);
            }
            i += 2;
        }
        plain = false;
        // A run of letters and digits in one tight scan.
        i = alnum_end(b, i);
    }
}

fn is_terminal(t: &str) -> bool {
    match t.as_bytes().first() {
        Some(b'!' | b'?') => t.len() == 1,
        Some(b'.') => t.bytes().all(|b| b == b'.'),
        Some(&b) if b >= 0x80 => matches!(t, "…" | "。" | "！" | "？" | "؟"),
        _ => false,
    }
}

fn is_closing(t: &str) -> bool {
    matches!(
        t,
        "”" | "’" | "\"" | "'" | ")" | "]" | "»" | "›" | "」" | "』" | "）"
    )
}

fn is_opening(t: &str) -> bool {
    matches!(
        t,
        "“" | "‘" | "\"" | "'" | "(" | "[" | "«" | "‹" | "„" | "「" | "『" | "（"
    )
}

/// Whether token `i` starts like a new sentence.
fn starts_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = tokens[i].span.slice(text);
    let first = t.chars().next().unwrap_or(' ');
    starts_upper(t)
        || first.is_numeric()
        || is_opening(t)
        || matches!(t, "-" | "—" | "–" | "•" | "*")
        || (!first.is_alphabetic() && !first.is_ascii_punctuation() && !is_unicode_punct(first))
}

fn split_sentences(text: &str, folded: &str, tokens: &[Token], wrapped: bool) -> Vec<Sentence> {
    let n = tokens.len();
    // Token indices where a new sentence starts (news sentences average over 20 tokens).
    let mut bounds = Vec::with_capacity(n / 16 + 4);
    let mut line_start = 0usize; // first token of the current line
                                 // Only a line break, punctuation or an abbreviation can end a sentence: most tokens are
                                 // none of these, and are passed over by a tight search.
    let may_end = |t: &Token| t.breaks_before > 0 || t.kind == TokenKind::Punct || t.abbreviation;
    let mut next = 0;
    while let Some(k) = tokens[next..].iter().position(may_end) {
        let i = next + k;
        next = i + 1;
        let tok = &tokens[i];
        if i > 0 && tok.breaks_before > 0 {
            if tok.breaks_before >= 2
                || line_break_ends_sentence(text, folded, tokens, line_start, i, wrapped)
            {
                bounds.push(i);
            }
            line_start = i;
        }
        // Only punctuation and abbreviations (words) end a sentence; every sentence-ending
        // punctuation token starts with `.`, `!`, `?` or a byte outside ASCII.
        let ends = if tok.kind == TokenKind::Punct {
            let first = text.as_bytes()[tok.span.byte_start as usize];
            matches!(first, b'.' | b'!' | b'?' | 0x80..) && is_terminal(tok.span.slice(text))
        } else {
            tok.abbreviation && abbreviation_ends_sentence(text, folded, tokens, i)
        };
        if !ends {
            continue;
        }
        let mut j = i + 1;
        while j < n
            && !tokens[j].space_before
            && tokens[j].breaks_before == 0
            && is_closing(tokens[j].span.slice(text))
        {
            j += 1;
        }
        // A closing quote after a space still belongs here when it cannot open.
        while j < n
            && tokens[j].breaks_before == 0
            && matches!(tokens[j].span.slice(text), "”" | ")" | "]" | "»")
        {
            j += 1;
        }
        if j < n
            && tokens[j].breaks_before == 0
            && (tok.abbreviation || starts_sentence(text, tokens, j))
        {
            bounds.push(j);
        }
    }
    bounds.sort_unstable();
    bounds.dedup();
    let mut sentences = Vec::with_capacity(bounds.len() + 1);
    let mut start = 0;
    for b in bounds.into_iter().chain(std::iter::once(n)) {
        if b > start {
            let span = tokens[start].span.join(tokens[b - 1].span);
            let headline = is_headline(text, folded, &tokens[start..b]);
            sentences.push(Sentence {
                span,
                tokens: start..b,
                headline,
            });
            start = b;
        }
    }
    sentences
}

fn abbreviation_ends_sentence(text: &str, folded: &str, tokens: &[Token], i: usize) -> bool {
    let Some(next) = tokens.get(i + 1) else {
        return true;
    };
    if next.breaks_before > 0 {
        return true;
    }
    let lower = tokens[i].span.slice(folded).trim_end_matches('.');
    if TITLES.contains(lower) || lower.chars().count() == 1 {
        return false;
    }
    let nt = next.span.slice(folded);
    if !starts_upper(next.span.slice(text)) && !is_opening(nt) {
        return false;
    }
    OPENERS.contains_hashed(nt, next.hash) || is_opening(nt)
}

fn line_break_ends_sentence(
    text: &str,
    folded: &str,
    tokens: &[Token],
    line_start: usize,
    i: usize,
    wrapped: bool,
) -> bool {
    let last = tokens[i - 1].span.slice(text);
    if is_terminal(last)
        || is_closing(last) && i >= 2 && is_terminal(tokens[i - 2].span.slice(text))
    {
        return true;
    }
    let prev = &tokens[i - 1];
    if last.ends_with(',') || LINE_GOES_ON.contains_hashed(prev.span.slice(folded), prev.hash) {
        return false;
    }
    // Inside a hand-wrapped paragraph a line of capitalised words is part of a name
    // ("Officials at the Securities and Exchange\nCommission"), not a headline.
    if wrapped && line_start > 0 && wraps(text, tokens, i) {
        return false;
    }
    let line = &tokens[line_start..i];
    // Headline or dateline: every content word capitalised, or all capitals.
    if is_headline(text, folded, line) {
        return true;
    }
    // A line ending in a colon, or the first line of the document (a title) unless the next
    // line opens in lower case ("BankAmerica Corp is not under\npressure to act") or the text
    // is wrapped by hand.
    if last == ":"
        || line_start == 0 && tokens[i].case != Case::Lower && !(wrapped && wraps(text, tokens, i))
    {
        return true;
    }
    let next = tokens[i].span.slice(text);
    let first = tokens[line_start].span.slice(text);
    if matches!(next, "-" | "*" | "•" | "–" | "—") || matches!(first, "-" | "*" | "•" | "–" | "—")
    {
        return true;
    }
    // An indented next line starts a paragraph (wire copy indents paragraphs).
    let gap_start = tokens[i - 1].span.byte_end as usize;
    let gap = &text[gap_start..tokens[i].span.byte_start as usize];
    let after_newline = gap.rsplit('\n').next().unwrap_or("");
    after_newline.len() >= 2 && starts_sentence(text, tokens, i)
}

/// Words that leave a line unfinished: a line ending in one goes on on the next line.
static LINE_GOES_ON: WordSet = WordSet::new(&[
    "and", "or", "of", "the", "a", "an", "to", "in", "on", "at", "for", "by", "with", "from",
    "that", "its", "his", "her", "their", "is", "was", "are", "were", "has", "have", "had", "will",
    "would",
]);

/// Short words that headlines leave in lower case.
static HEADLINE_LOWER: WordSet = WordSet::new(&[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from", "as",
    "vs", "over", "after", "into", "amid", "is", "are", "be",
]);

fn is_headline(text: &str, folded: &str, toks: &[Token]) -> bool {
    let Some(last) = toks.last() else {
        return false;
    };
    if matches!(last.span.slice(text), "." | "!" | "?") || last.span.slice(text).ends_with("...") {
        return false;
    }
    // A line in all capitals has every word capitalised, so one count decides both cases.
    let mut caps = 0;
    for t in toks.iter().filter(|t| t.kind == TokenKind::Word) {
        if t.case == Case::Capital {
            caps += 1;
        } else if !HEADLINE_LOWER.contains_hashed(t.span.slice(folded), t.hash) {
            return false;
        }
    }
    caps >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_near_agrees_with_sentence_of_from_any_hint() {
        let text = "One. Two three. Four!\n\nFive six seven. Eight. ".repeat(9);
        let a = tokenize(&text);
        let n = a.sentences.len();
        for i in 0..=a.tokens.len() {
            for near in 0..=n + 1 {
                assert_eq!(a.sentence_near(i, near), a.sentence_of(i), "{i} {near}");
            }
        }
    }

    fn toks(text: &str) -> Vec<String> {
        let a = tokenize(text);
        (0..a.tokens.len()).map(|i| a.tok(i).to_string()).collect()
    }

    fn sents(text: &str) -> Vec<String> {
        let a = tokenize(text);
        a.sentences
            .iter()
            .map(|s| s.span.slice(text).to_string())
            .collect()
    }

    #[test]
    fn tokens_stay_small() {
        // An article of 10 MB makes about 1.8 million tokens: each byte here is 1.8 MB there.
        assert!(std::mem::size_of::<Token>() <= 32);
    }

    #[test]
    fn abbreviations_and_possessives() {
        assert_eq!(
            toks("Mr. Dowden met U.S. officials."),
            ["Mr.", "Dowden", "met", "U.S.", "officials", "."]
        );
        assert_eq!(
            toks("the UK’s system and UK's"),
            ["the", "UK", "’s", "system", "and", "UK", "'s"]
        );
        assert_eq!(
            toks("$1.2bn, 2.5% ... and…"),
            ["$", "1.2bn", ",", "2.5", "%", "...", "and", "…"]
        );
        assert_eq!(toks("J. K. Rowling"), ["J.", "K.", "Rowling"]);
    }

    #[test]
    fn sentence_ends() {
        assert_eq!(
            sents("Mr. Smith left. Dr. Jones came."),
            ["Mr. Smith left.", "Dr. Jones came."]
        );
        assert_eq!(
            sents("He said: \"It is over.\" Then he left."),
            ["He said: \"It is over.\"", "Then he left."]
        );
        assert_eq!(
            sents("“Is it?” he asked. Yes."),
            ["“Is it?” he asked.", "Yes."]
        );
        assert_eq!(
            sents("It rose 2.5 per cent on Jan. 5 to $1.2bn."),
            ["It rose 2.5 per cent on Jan. 5 to $1.2bn."]
        );
        assert_eq!(
            sents("He joined Acme Ltd. The firm grew."),
            ["He joined Acme Ltd.", "The firm grew."]
        );
        assert_eq!(
            sents("U.S. Treasury acted. The U.S. The end."),
            ["U.S. Treasury acted.", "The U.S.", "The end."]
        );
        assert_eq!(sents("Wait... Then go."), ["Wait...", "Then go."]);
    }

    #[test]
    fn headlines_paragraphs_and_line_ends() {
        let t = "Treasury Targets Hackers\r\nLONDON — The Treasury acted on\r\nMonday against them.\r\n\r\nRead More";
        assert_eq!(
            sents(t),
            [
                "Treasury Targets Hackers",
                "LONDON — The Treasury acted on\r\nMonday against them.",
                "Read More"
            ]
        );
        let a = tokenize(t);
        assert!(a.sentences[0].headline);
        assert!(!a.sentences[1].headline);
        assert!(a.sentences[2].headline);
    }

    #[test]
    fn hand_wrapped_lines_go_on() {
        // Wire copy: lines break inside sentences and names, paragraphs are indented.
        let wire = "Treasury balances at the Federal\nReserve rose on Monday, the\nbank said in a \
                    report on the\nbudget.\n    Officials at the Securities and Exchange\n\
                    Commission did not comment.";
        assert_eq!(
            sents(wire),
            [
                "Treasury balances at the Federal\nReserve rose on Monday, the\nbank said in a \
                 report on the\nbudget.",
                "Officials at the Securities and Exchange\nCommission did not comment."
            ]
        );
        let a = tokenize(wire);
        assert!(a.wrapped);
        let reserve = (0..a.tokens.len())
            .find(|&i| a.tok(i) == "Reserve")
            .unwrap();
        let officials = (0..a.tokens.len())
            .find(|&i| a.tok(i) == "Officials")
            .unwrap();
        assert!(a.continues_line(reserve));
        assert!(
            !a.continues_line(officials),
            "an indented line opens a paragraph"
        );
        assert!(!a.sentences[1].headline);
    }

    #[test]
    fn lines_of_text_not_wrapped_by_hand_stay_apart() {
        // One paragraph per line: a title, then the body; no line opens in lower case.
        let t = "Sanctions hit two Baltic shipping firms\nThe Treasury acted on Monday.\nTwo \
                 firms were named.";
        assert_eq!(
            sents(t),
            [
                "Sanctions hit two Baltic shipping firms",
                "The Treasury acted on Monday.",
                "Two firms were named."
            ]
        );
        let a = tokenize(t);
        assert!(!a.wrapped);
        let treasury = (0..a.tokens.len())
            .find(|&i| a.tok(i) == "Treasury")
            .unwrap();
        assert!(!a.continues_line(treasury));
        // A first line the next line carries on in lower case is no title.
        assert_eq!(
            sents("Talks between the two sides were\nput off, officials said."),
            ["Talks between the two sides were\nput off, officials said."]
        );
    }

    #[test]
    fn token_case_hash_and_alnum() {
        let text = "Mr. UK's naïve ǅemal x_y 2.5 U.S. ok 中国 İ";
        let a = tokenize(text);
        let got: Vec<(&str, Case, bool)> = (0..a.tokens.len())
            .map(|i| (a.tok(i), a.tokens[i].case, a.tokens[i].alnum))
            .collect();
        use Case::*;
        assert_eq!(
            got,
            [
                ("Mr.", Capital, false),
                ("UK", Capital, false),
                ("'s", Uncased, false),
                ("naïve", Lower, false),
                ("ǅemal", Capital, false),
                ("x_y", Lower, false),
                ("2.5", Uncased, false),
                ("U.S.", Capital, false),
                ("ok", Lower, true),
                ("中", Uncased, false),
                ("国", Uncased, false),
                ("İ", Capital, false),
            ]
        );
        for i in 0..a.tokens.len() {
            assert_eq!(a.tokens[i].hash, word_hash(a.lower(i)));
        }
    }

    #[test]
    fn offsets_are_code_points() {
        let text = "İstanbul ǅemal’s café 🎉. Next.";
        let a = tokenize(text);
        let chars: Vec<char> = text.chars().collect();
        for t in &a.tokens {
            let by_chars: String = chars[t.span.char_start as usize..t.span.char_end as usize]
                .iter()
                .collect();
            assert_eq!(by_chars, t.span.slice(text));
        }
        assert_eq!(a.sentences.len(), 2);
    }

    #[test]
    fn ascii_segments_match_unicode_word_bounds() {
        // Every non-space segment of the fast path equals UAX #29's, on crafted and
        // pseudo-random ASCII.
        let mut cases: Vec<String> = [
            "U.S. e.g. a.m. 2.5 1,000,000 3;4 10:30 a:b don't rock'n'roll x_y _a a_ 1.2bn $1.2bn",
            "it's 'quoted' \"double\" (paren) [x] a--b a-b ... .5 5. a.1 1.a v1.2.3 http://x.y/z?q=1&r=2",
            "o'clock 'tis 99' '99 a'' ''a A.B.C. a..b 1..2 1,,2 x@y.com #tag @user",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let alphabet = b"ab19_.,;:'\"-()$ ";
        let mut seed: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..2000 {
            let mut s = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize] as char);
            }
            cases.push(s);
        }
        for case in &cases {
            let mut fast: Vec<(usize, &str)> = Vec::new();
            let b = case.as_bytes();
            let mut at = 0;
            while at < b.len() {
                if b[at] == b' ' {
                    at += 1;
                    continue;
                }
                let (end, _) = ascii_word(b, at, b[at]);
                fast.push((at, &case[at..end]));
                at = end;
            }
            let slow: Vec<(usize, &str)> = case
                .split_word_bound_indices()
                .filter(|(_, w)| !w.trim().is_empty())
                .collect();
            assert_eq!(fast, slow, "{case:?}");
        }
    }

    /// The tokens of `text` split by UAX #29 alone, without the ASCII fast path.
    fn unicode_only(text: &str) -> Vec<Token> {
        let folded = fold_case(text);
        let mut sp = Splitter {
            text,
            folded: &folded,
            tokens: Vec::new(),
            skew: 0,
            breaks: 0,
            space: false,
        };
        sp.unicode_run(0, text);
        sp.tokens
    }

    /// Everything of a token but `alnum`, which only the fast path knows.
    fn fields(t: &Token) -> (Span, u64, TokenKind, Case, u8, bool, bool) {
        let Token {
            span,
            hash,
            kind,
            case,
            alnum: _,
            breaks_before,
            space_before,
            abbreviation,
        } = *t;
        (
            span,
            hash,
            kind,
            case,
            breaks_before,
            space_before,
            abbreviation,
        )
    }

    #[test]
    fn fast_path_agrees_with_unicode_rules() {
        // Crafted cases, then pseudo-random strings over an alphabet of awkward characters.
        // (Not U+000B nor a combining mark after a space: there the fast path's split at ASCII
        // white space differs from UAX #29 by design.)
        let mut cases: Vec<String> = [
            "",
            "\r\n\r\n",
            "U.S. officials met Mr. Smith's aides on Jan. 5.",
            "J. K. Rowling, e.g. a.m. A.B.C.'s rock'n'roll it's' x'S UK’s",
            "1,000.50 2.5% $1.2bn 10:30 3;4 v1.2.3 a..b ... .5 5. x_y _a a_",
            "naïve café Łódź İstanbul ǅemal’s 中国 🎉. Next… “Quoted.” «Non»",
            "ALL CAPS HEADLINE\nNext line\r\nand\rmore\u{2028}here\u{a0}too",
            "well-known co-operate — dash – and ‐ hyphens",
            "    indented\n\n\tTabbed. End",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let alphabet: Vec<char> = "aBzUsS19_.,;:'\"-($ \n\r\té’İ…\u{a0}€中.s "
            .chars()
            .collect();
        let mut seed: u64 = 0x2545f4914f6cdd1d;
        for len in 0..3000 {
            let mut s = String::new();
            for _ in 0..(len % 17) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            cases.push(s);
        }
        for case in &cases {
            let fast = tokenize(case).tokens;
            let slow = unicode_only(case);
            let f: Vec<_> = fast.iter().map(fields).collect();
            let s: Vec<_> = slow.iter().map(fields).collect();
            assert_eq!(f, s, "{case:?}");
            for t in fast.iter().filter(|t| t.alnum) {
                assert!(t
                    .span
                    .slice(case)
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric()));
            }
        }
    }

    #[test]
    fn ascii_start_table_agrees_with_classify_and_case_at() {
        for b in 0..128u8 {
            let s = (b as char).to_string();
            let (kind, case) = ASCII_START[b as usize];
            assert_eq!(kind, classify(&s), "{b}");
            assert_eq!(case, case_at(&s, 0), "{b}");
        }
    }

    #[test]
    fn words_ending_at_joiners_and_full_stops() {
        // Joiners before white space, punctuation, line breaks and the end of the text; full
        // stops after abbreviations, plain words, numbers and other full stops.
        for text in [
            "end. end.\r\nnext, 1, 2.5. x_ _y a_. a,b 1,b a,1 1,000. U.S. e.g. Mr.. ..",
            "Ltd. Inc.\n\nThe rock'n'roll' don't. 'tis, it's. UK's. Smiths’. A.B.C.'s.",
            "word.\tword:\r\nword; word' word'.word;word a:b 10:30. 3;4; Jr. JR. jr.",
            "a.",
            "a,",
            "1.",
            "1,",
            "_",
            "_.",
            ".",
            "...",
            "x'",
            "x's",
            "x’s",
            "Mr.",
            "U.S",
        ] {
            let fast = tokenize(text).tokens;
            let slow = unicode_only(text);
            let f: Vec<_> = fast.iter().map(fields).collect();
            let s: Vec<_> = slow.iter().map(fields).collect();
            assert_eq!(f, s, "{text:?}");
        }
    }

    #[test]
    fn empty_and_blank() {
        assert!(tokenize("").sentences.is_empty());
        assert!(tokenize(" \n\n\t ").tokens.is_empty());
    }
}
