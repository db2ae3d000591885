//! Fixed word lists of the rules in code (titles, stop words, organisation suffixes...),
//! looked up in constant time, and the word hash they share with the tokens.
//!
//! A list is written as a `static` array literal next to the rule that reads it, as before;
//! the hash table behind it is built on first use and shared by every thread. Every token
//! carries the [`word_hash`] of its lower-case text (see [`crate::tokenize::Token::hash`]), so
//! looking a token up ([`WordSet::contains_token`]) hashes nothing.

use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::tokenize::Analysis;

/// The hash of a word, the same for every list and every token.
#[inline]
pub fn word_hash(word: &str) -> u64 {
    word_hash_bytes(word.as_bytes())
}

/// [`word_hash`] of the word whose UTF-8 bytes are `word`, for callers that hold bytes (the
/// tokenizer): no character-boundary checks. It hashes as `str` does (the bytes, then the
/// byte 0xff), so that the values are those of `FxBuildHasher.hash_one(word)`.
#[inline]
pub fn word_hash_bytes(word: &[u8]) -> u64 {
    let mut h = FxBuildHasher.build_hasher();
    h.write(word);
    h.write_u8(0xff);
    h.finish()
}

/// A hash table of `(word, value)` pairs keyed by [`word_hash`]; the first pair of a word wins.
pub(crate) fn word_table<T>(
    items: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> &str,
) -> HashTable<T> {
    let mut table: HashTable<T> = HashTable::new();
    for item in items {
        let hash = word_hash(key(&item));
        if table.find(hash, |x| key(x) == key(&item)).is_none() {
            table.insert_unique(hash, item, |x| word_hash(key(x)));
        }
    }
    table
}

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

/// Number words from one to ten (lower case).
pub static NUMBER_WORDS: WordSet = WordSet::new(&[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
]);

/// Whether `word` (lower case) names a month or a day of the week.
pub fn is_calendar_word(word: &str) -> bool {
    MONTHS.contains(word) || WEEKDAYS.contains(word)
}

/// A summary of word hashes in `64 * N` bits, tested before a hash table: a clear bit means
/// the word was never added. Most tokens are in no list, and one shift and mask turns them
/// away where a table probe and a compare cost several times more; built per document, it
/// is cleared in a few instructions where a hash table costs an allocation.
pub(crate) struct HashBits<const N: usize>([u64; N]);

impl<const N: usize> std::fmt::Debug for HashBits<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set: u32 = self.0.iter().map(|w| w.count_ones()).sum();
        write!(f, "HashBits({set} of {} bits set)", N * 64)
    }
}

/// The 512-bit summary every word list keeps of its keys.
type Summary = HashBits<8>;

/// A 4,096-bit summary for sets of the words one document adds.
pub(crate) type HashFilter = HashBits<64>;

impl<const N: usize> HashBits<N> {
    /// An empty summary.
    pub(crate) const fn new() -> Self {
        HashBits([0; N])
    }

    /// Bits 40 and up of the hash, as many as the summary has bits (`64 * N`, a power of
    /// two): well mixed in an Fx hash, and not the low bits that pick a table bucket nor the
    /// top seven that hashbrown keeps as the tag.
    #[inline(always)]
    fn bit(hash: u64) -> (usize, u64) {
        let b = (hash >> 40) as usize & (N * 64 - 1);
        (b >> 6, 1 << (b & 63))
    }

    /// Adds a word by its hash.
    #[inline]
    pub(crate) fn add(&mut self, hash: u64) {
        let (word, mask) = Self::bit(hash);
        self.0[word] |= mask;
    }

    /// Whether a word of hash `hash` may have been added (`false`: it surely was not).
    #[inline(always)]
    pub(crate) fn may_hold(&self, hash: u64) -> bool {
        let (word, mask) = Self::bit(hash);
        self.0[word] & mask != 0
    }
}

/// A hash table with the [`Summary`] of its keys.
struct Table<T> {
    summary: Summary,
    table: HashTable<T>,
}

impl<T> Table<T> {
    fn new(items: impl IntoIterator<Item = T>, key: impl Fn(&T) -> &str) -> Table<T> {
        let table = word_table(items, &key);
        let mut summary = Summary::new();
        for item in &table {
            summary.add(word_hash(key(item)));
        }
        Table { summary, table }
    }

    /// The entry whose key has hash `hash` and passes `eq`. The summary test is inlined into
    /// every caller, the probe is not: most look-ups end at the summary, and a call there
    /// would cost more than the test.
    #[inline(always)]
    fn find(&self, hash: u64, eq: impl FnMut(&T) -> bool) -> Option<&T> {
        if !self.summary.may_hold(hash) {
            return None;
        }
        self.probe(hash, eq)
    }

    /// The hash table part of [`Table::find`].
    #[inline(never)]
    fn probe(&self, hash: u64, eq: impl FnMut(&T) -> bool) -> Option<&T> {
        self.table.find(hash, eq)
    }
}

/// A set of lower-case words.
pub struct WordSet {
    words: &'static [&'static str],
    set: OnceLock<Words>,
}

/// A hashed set of lower-case words: the built table of a [`WordSet`] (`&'static str`), or a
/// set read at run time (`String`, the relation rules' word lists). Every look-up through a
/// `WordSet` first checks that its table is built; a pass over every token fetches the table
/// once ([`WordSet::words`]) and asks it directly.
pub struct Words<W = &'static str>(Table<W>);

impl<W: AsRef<str>> Words<W> {
    /// Whether `word`, whose [`word_hash`] is `hash`, is in the set.
    #[inline(always)]
    pub fn contains_hashed(&self, word: &str, hash: u64) -> bool {
        self.0.find(hash, |w| w.as_ref() == word).is_some()
    }

    /// Whether the lower-case text of token `i` of `a` is in the set. The token's text is
    /// compared only when its hash matches an entry's, and as bytes: most tokens are in no
    /// list, and this runs for every token in several stages.
    #[inline(always)]
    pub fn contains_token(&self, a: &Analysis, i: usize) -> bool {
        self.0
            .find(a.tokens[i].hash, |w| a.lower_is(i, w.as_ref()))
            .is_some()
    }

    /// Whether the set holds no word.
    pub fn is_empty(&self) -> bool {
        self.0.table.is_empty()
    }

    /// The set of `words`, read at run time (a word given twice is kept once).
    pub fn from_words(words: impl IntoIterator<Item = W>) -> Words<W> {
        Words(Table::new(words, |w| w.as_ref()))
    }
}

impl<W: AsRef<str> + std::fmt::Debug> std::fmt::Debug for Words<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.table.iter()).finish()
    }
}

impl WordSet {
    /// The set of `words`.
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            set: OnceLock::new(),
        }
    }

    /// The set's table, built on first use.
    #[inline(always)]
    pub fn words(&self) -> &Words {
        self.set
            .get_or_init(|| Words(Table::new(self.words.iter().copied(), |w| w)))
    }

    /// Whether `word` is in the set (compared exactly).
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        self.contains_hashed(word, word_hash(word))
    }

    /// Whether `word`, whose [`word_hash`] is `hash`, is in the set.
    #[inline(always)]
    pub fn contains_hashed(&self, word: &str, hash: u64) -> bool {
        self.words().contains_hashed(word, hash)
    }

    /// Whether the lower-case text of token `i` of `a` is in the set (see
    /// [`Words::contains_token`]).
    #[inline(always)]
    pub fn contains_token(&self, a: &Analysis, i: usize) -> bool {
        self.words().contains_token(a, i)
    }
}

/// A map from lower-case words to a value (a label, a count, a kind).
pub struct WordMap<V: 'static = &'static str> {
    pairs: &'static [(&'static str, V)],
    map: OnceLock<Table<(&'static str, V)>>,
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
    #[inline]
    pub fn get(&self, word: &str) -> Option<V> {
        self.get_hashed(word, word_hash(word))
    }

    #[inline(always)]
    fn table(&self) -> &Table<(&'static str, V)> {
        self.map
            .get_or_init(|| Table::new(self.pairs.iter().copied(), |(w, _)| w))
    }

    /// The value of `word`, whose [`word_hash`] is `hash`, if it is in the map.
    #[inline(always)]
    pub fn get_hashed(&self, word: &str, hash: u64) -> Option<V> {
        self.table()
            .find(hash, |(w, _)| *w == word)
            .map(|&(_, v)| v)
    }

    /// The value of the lower-case text of token `i` of `a`, if it is in the map (compared
    /// as in [`WordSet::contains_token`]).
    #[inline(always)]
    pub fn get_token(&self, a: &Analysis, i: usize) -> Option<V> {
        self.table()
            .find(a.tokens[i].hash, |(w, _)| a.lower_is(i, w))
            .map(|&(_, v)| v)
    }
}

/// Whether token `i` of `a` names a month or a day of the week.
pub fn is_calendar_token(a: &Analysis, i: usize) -> bool {
    MONTHS.contains_token(a, i) || WEEKDAYS.contains_token(a, i)
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

    #[test]
    fn word_hash_is_the_fx_hash_of_the_str() {
        // Tables built before and the tokens' hashes must agree: the byte form hashes as
        // `str` does.
        for w in [
            "",
            "a",
            "of",
            "the",
            "mr",
            "sanctions",
            "naïve",
            "uk’s",
            "0123456789abcdefgh",
        ] {
            assert_eq!(word_hash(w), FxBuildHasher.hash_one(w), "{w}");
            assert_eq!(
                word_hash_bytes(w.as_bytes()),
                FxBuildHasher.hash_one(w),
                "{w}"
            );
        }
    }

    #[test]
    fn summary_keeps_every_word_of_a_long_list() {
        // Many words share summary bits; none may be turned away.
        static MANY: WordSet = WordSet::new(&[
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q",
            "r", "s", "t", "u", "v", "w", "x", "y", "z", "aa", "bb", "cc", "dd", "ee", "ff",
        ]);
        for w in MANY.words {
            assert!(MANY.contains(w), "{w}");
        }
        assert!(!MANY.contains("zz") && !MANY.contains("A"));
    }
}
