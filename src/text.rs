//! Positions in the input text: the one span type every stage shares, and case folding that
//! keeps byte positions.
//!
//! Every stage works on byte offsets (what Rust slicing needs) and the output contract speaks
//! in code points (what Python slicing needs). A [`Span`] carries both, computed once by the
//! tokenizer, so no later stage re-measures the text.

/// A half-open range of the input in bytes and in Unicode scalar values (code points).
///
/// Offsets are `u32`: a span is 16 bytes rather than 32, which halves the size of every token
/// and mention an article makes (the tokenizer refuses texts of 4 GiB or more).
///
/// Invariant: `&text[byte_start..byte_end]` is the spanned text and it holds exactly
/// `char_end - char_start` code points that start at code point `char_start`. Spans are built
/// only by the tokenizer and by joining other spans; no stage rewrites them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte of the span.
    pub byte_start: u32,
    /// One past the last byte of the span.
    pub byte_end: u32,
    /// First code point of the span.
    pub char_start: u32,
    /// One past the last code point of the span.
    pub char_end: u32,
}

impl Span {
    /// The smallest span covering both `self` and `other`.
    pub fn join(self, other: Span) -> Span {
        Span {
            byte_start: self.byte_start.min(other.byte_start),
            byte_end: self.byte_end.max(other.byte_end),
            char_start: self.char_start.min(other.char_start),
            char_end: self.char_end.max(other.char_end),
        }
    }

    /// The spanned text.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.byte_start as usize..self.byte_end as usize]
    }

    /// Whether the span covers no text.
    pub fn is_empty(&self) -> bool {
        self.byte_start == self.byte_end
    }
}

/// Removes a leading byte-order mark, as the contract says offsets count from after it.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Lower-cases `text` character by character without moving any byte.
///
/// A character is replaced only when its lower-case form is a single character of the same
/// UTF-8 length (`A`→`a`, `Ä`→`ä`, `Σ`→`σ`); characters whose lower case is longer, shorter or
/// several characters (`İ`, the Kelvin sign `K`) are kept as they are. The result therefore
/// has exactly the byte layout of the input, and a position found in it is a position in the
/// input. The curly apostrophe is kept too; matchers that care add both spellings.
pub fn fold_case(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // A run of ASCII at once, then one other character.
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(ascii);
        let from = out.len();
        out.push_str(run);
        out[from..].make_ascii_lowercase();
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            out.push(fold_char(c));
        }
        rest = chars.as_str();
    }
    debug_assert_eq!(out.len(), text.len());
    out
}

/// The folded form of one character under the rule of [`fold_case`].
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// Whether a word starts with a capital (upper-case or title-case) letter.
pub fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(is_capital)
}

/// Whether a character is an upper-case or title-case letter (`A`, `Ä`, `ǅ`).
pub fn is_capital(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    c.is_uppercase() || (c.is_alphabetic() && fold_char(c) != c && !c.is_lowercase())
}

/// Whether every letter of `word` is a capital and it has at least one letter.
pub fn is_all_caps(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_alphabetic() {
            if !is_capital(c) {
                return false;
            }
            letters += 1;
        }
    }
    letters > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_every_byte_position() {
        for s in [
            "İstanbul",
            "ǅemal",
            "Straße",
            "ẞ",
            "KELVIN K",
            "Łódź",
            "ΣΊΣΥΦΟΣ",
            "UK’s",
        ] {
            let f = fold_case(s);
            assert_eq!(f.len(), s.len(), "{s}");
            for (a, b) in s.char_indices().zip(f.char_indices()) {
                assert_eq!(a.0, b.0, "{s}");
            }
        }
        assert_eq!(fold_case("Łódź İstanbul"), "łódź İstanbul");
        assert_eq!(fold_case("UK’s"), "uk’s");
    }

    #[test]
    fn capitals() {
        assert!(starts_upper("ǅemal"));
        assert!(starts_upper("Ärger"));
        assert!(!starts_upper("ärger"));
        assert!(!starts_upper("1990"));
        assert!(is_all_caps("U.S."));
        assert!(!is_all_caps("Mr."));
        assert!(!is_all_caps("..."));
    }

    #[test]
    fn spans_join_and_slice() {
        let text = "ab cd";
        let a = Span {
            byte_start: 0,
            byte_end: 2,
            char_start: 0,
            char_end: 2,
        };
        let b = Span {
            byte_start: 3,
            byte_end: 5,
            char_start: 3,
            char_end: 5,
        };
        assert_eq!(a.join(b).slice(text), "ab cd");
        assert_eq!(strip_bom("\u{feff}x"), "x");
    }
}
