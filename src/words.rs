//! Fixed word lists of the rules in code (titles, stop words, organisation suffixes...),
//! looked up in constant time.
//!
//! A list is written as a `static` array literal next to the rule that reads it, as before;
//! the hash table behind it is built on first use and shared by every thread.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

/// Month names (lower case): dates, never names, and time phrases in reported speech.
pub static MONTHS: WordSet = WordSet::new(&[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]);

/// Day names (lower case).
pub static WEEKDAYS: WordSet = WordSet::new(&[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
]);

/// Whether `word` (lower case) names a month or a day of the week.
pub fn is_calendar_word(word: &str) -> bool {
    MONTHS.contains(word) || WEEKDAYS.contains(word)
}

/// A set of lower-case words.
pub struct WordSet {
    words: &'static [&'static str],
    set: OnceLock<FxHashSet<&'static str>>,
}

impl WordSet {
    /// The set of `words`.
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            set: OnceLock::new(),
        }
    }

    /// Whether `word` is in the set (compared exactly).
    pub fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(word)
    }
}

/// A map from lower-case words to a value (a label, a count, a kind).
pub struct WordMap<V: 'static = &'static str> {
    pairs: &'static [(&'static str, V)],
    map: OnceLock<FxHashMap<&'static str, V>>,
}

impl<V: Copy + Send + Sync + 'static> WordMap<V> {
    /// The map of `pairs`; the first pair of a word wins.
    pub const fn new(pairs: &'static [(&'static str, V)]) -> WordMap<V> {
        WordMap {
            pairs,
            map: OnceLock::new(),
        }
    }

    /// The value of `word`, if it is in the map.
    pub fn get(&self, word: &str) -> Option<V> {
        self.map
            .get_or_init(|| {
                let mut m = FxHashMap::default();
                for &(w, v) in self.pairs {
                    m.entry(w).or_insert(v);
                }
                m
            })
            .get(word)
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SET: WordSet = WordSet::new(&["of", "and"]);
    static MAP: WordMap =
        WordMap::new(&[("ltd", "company"), ("ltd", "other"), ("army", "military")]);
    static COUNTS: WordMap<usize> = WordMap::new(&[("two", 2), ("three", 3)]);

    #[test]
    fn looks_up_exact_words() {
        assert!(SET.contains("of"));
        assert!(!SET.contains("Of"));
        assert!(!SET.contains("o"));
        assert_eq!(MAP.get("ltd"), Some("company"));
        assert_eq!(MAP.get("army"), Some("military"));
        assert_eq!(MAP.get("navy"), None);
        assert_eq!(COUNTS.get("three"), Some(3));
        assert!(is_calendar_word("monday") && is_calendar_word("may"));
        assert!(!is_calendar_word("monday's") && !is_calendar_word("Monday"));
    }
}
