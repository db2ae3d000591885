//! Matches lists of lower-case phrases against a document's tokens.
//!
//! Phrases are tokenized with the document tokenizer, so `state-backed` or `didn't` split the
//! same way in the list as in the text. Lookup is by first token, longest phrase first.

use std::ops::Range;

use hashbrown::HashTable;
use rustc_hash::FxHashMap as HashMap;

use crate::tokenize::{tokenize, Analysis};
use crate::words::{word_hash, word_table, HashFilter};

/// Phrases by their first token, longest first.
type ByFirst<V> = HashTable<(String, Vec<(Vec<String>, V)>)>;

/// A set of phrases, each carrying a value.
#[derive(Debug)]
pub struct PhraseSet<V> {
    /// Keyed by the first token's [`crate::words::word_hash`], which every token carries.
    by_first: ByFirst<V>,
    /// One bit per first-token hash (4,096 bits, against some hundreds of first tokens):
    /// most tokens start no phrase, and a clear bit says so without a probe of the table.
    first_bits: HashFilter,
    /// The first tokens of phrases of one token.
    single_bits: HashFilter,
    /// The second tokens of phrases of several: common first tokens ("to blame for", "a
    /// member of", "is behind") rarely come before one of these.
    second_bits: HashFilter,
}

impl<V> Default for PhraseSet<V> {
    fn default() -> Self {
        PhraseSet {
            by_first: HashTable::new(),
            first_bits: HashFilter::new(),
            single_bits: HashFilter::new(),
            second_bits: HashFilter::new(),
        }
    }
}

impl<V: Clone> PhraseSet<V> {
    /// Builds the set from `(phrase, value)` pairs.
    pub fn new<'p>(phrases: impl IntoIterator<Item = (&'p str, V)>) -> PhraseSet<V> {
        let mut by_first: HashMap<String, Vec<(Vec<String>, V)>> = HashMap::default();
        for (p, v) in phrases {
            let a = tokenize(p);
            let toks: Vec<String> = (0..a.tokens.len())
                .map(|i| a.lower(i).to_string())
                .collect();
            if let Some(first) = toks.first() {
                by_first.entry(first.clone()).or_default().push((toks, v));
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|x| std::cmp::Reverse(x.0.len()));
        }
        let mut first_bits = HashFilter::new();
        let mut single_bits = HashFilter::new();
        let mut second_bits = HashFilter::new();
        for (w, list) in &by_first {
            first_bits.add(word_hash(w));
            for (toks, _) in list {
                match toks.get(1) {
                    Some(second) => second_bits.add(word_hash(second)),
                    None => single_bits.add(word_hash(w)),
                }
            }
        }
        PhraseSet {
            by_first: word_table(by_first, |(w, _)| w),
            first_bits,
            single_bits,
            second_bits,
        }
    }

    /// Whether the set holds no phrase.
    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

    /// Whether a phrase may start at token `i` (before `end`): a clear bit of the first-token
    /// filter says no without a probe of the table (most tokens start no phrase).
    #[inline(always)]
    pub fn may_start(&self, a: &Analysis, i: usize, end: usize) -> bool {
        i < end
            && a.tokens
                .get(i)
                .is_some_and(|t| self.first_bits.may_hold(t.hash))
    }

    /// For a token `i` whose first-token bit is set: whether a phrase of one token may be it,
    /// or the next token (before `end`) may be the second of a longer phrase.
    #[inline]
    fn next_fits(&self, a: &Analysis, i: usize, end: usize) -> bool {
        self.single_bits.may_hold(a.tokens[i].hash)
            || (i + 1 < end
                && a.tokens
                    .get(i + 1)
                    .is_some_and(|t| self.second_bits.may_hold(t.hash)))
    }

    /// The tokens of `range` at which a phrase may start, in order, for scans of whole
    /// sentences: [`Self::may_start`], and for a token that starts only longer phrases, the
    /// second-token filter on the next token ("to" is common, "to blame for" is not; the
    /// probes of single look-ups rarely meet such tokens and skip this test).
    #[inline]
    pub fn candidates<'s>(
        &'s self,
        a: &'s Analysis,
        range: Range<usize>,
    ) -> impl Iterator<Item = usize> + 's {
        let (start, end) = (range.start, range.end);
        a.tokens[range]
            .iter()
            .enumerate()
            .filter(move |(_, t)| self.first_bits.may_hold(t.hash))
            .map(move |(k, _)| start + k)
            .filter(move |&i| self.next_fits(a, i, end))
    }

    /// Phrases starting at token `i` and ending before token `end`, longest first, as
    /// `(token count, value)`.
    #[inline]
    pub fn at<'s>(
        &'s self,
        a: &'s Analysis,
        i: usize,
        end: usize,
    ) -> impl Iterator<Item = (usize, &'s V)> + 's {
        let list: &[(Vec<String>, V)] = if self.may_start(a, i, end) {
            self.starting_with(a, i)
        } else {
            &[]
        };
        list.iter()
            .filter(move |(toks, _)| {
                i + toks.len() <= end
                    && toks
                        .iter()
                        .enumerate()
                        .skip(1)
                        .all(|(k, t)| a.lower_is(i + k, t))
            })
            .map(|(toks, v)| (toks.len(), v))
    }

    /// The phrases whose first token is token `i`, longest first (the table probe).
    fn starting_with<'s>(&'s self, a: &Analysis, i: usize) -> &'s [(Vec<String>, V)] {
        self.by_first
            .find(a.tokens[i].hash, |(w, _)| a.lower_is(i, w))
            .map_or(&[], |(_, list)| list.as_slice())
    }

    /// The longest phrase starting at token `i` (before `end`), as `(token count, value)`.
    #[inline]
    pub fn longest_at<'s>(
        &'s self,
        a: &'s Analysis,
        i: usize,
        end: usize,
    ) -> Option<(usize, &'s V)> {
        if !self.may_start(a, i, end) {
            return None;
        }
        self.longest_probed(a, i, end)
    }

    /// [`Self::longest_at`] past the filter test, out of line.
    #[inline(never)]
    fn longest_probed<'s>(
        &'s self,
        a: &'s Analysis,
        i: usize,
        end: usize,
    ) -> Option<(usize, &'s V)> {
        self.at(a, i, end).next()
    }

    /// The longest phrase ending just before token `end` and starting at or after `start`, as
    /// `(start token, value)`.
    pub fn ending_at<'s>(
        &'s self,
        a: &'s Analysis,
        start: usize,
        end: usize,
    ) -> Option<(usize, &'s V)> {
        (end.saturating_sub(6).max(start)..end).find_map(|i| {
            self.at(a, i, end)
                .find(|(n, _)| i + n == end)
                .map(|(_, v)| (i, v))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::Words;

    #[test]
    fn longest_first_and_tokenized_like_text() {
        let p = PhraseSet::new([("asset freeze", 1), ("asset", 2), ("state-backed", 3)]);
        let a = tokenize("an asset freeze by state-backed hackers");
        assert_eq!(p.longest_at(&a, 1, a.tokens.len()), Some((2, &1)));
        assert_eq!(p.longest_at(&a, 4, a.tokens.len()), Some((3, &3)));
        assert_eq!(p.ending_at(&a, 0, 3), Some((1, &1)));
        assert_eq!(p.longest_at(&a, 0, a.tokens.len()), None);
    }

    #[test]
    fn candidates_hold_every_phrase_start() {
        let p = PhraseSet::new([
            ("asset freeze", 1),
            ("sanctions", 2),
            ("don't", 3),
            ("é", 4),
            ("to blame for", 5),
        ]);
        let a = tokenize(
            "Asset freeze, sanctions and more sanctions; don't é\nasset freeze, to the \
             dismay of those to blame for it",
        );
        for range in [0..a.tokens.len(), 2..a.tokens.len() - 1, 3..3] {
            let starts: Vec<usize> = range
                .clone()
                .filter(|&i| p.longest_at(&a, i, range.end).is_some())
                .collect();
            let candidates: Vec<usize> = p.candidates(&a, range.clone()).collect();
            assert!(starts.iter().all(|i| candidates.contains(i)), "{range:?}");
            assert!(candidates.iter().all(|&i| p.may_start(&a, i, range.end)));
        }
        assert_eq!(p.longest_at(&a, a.tokens.len(), a.tokens.len() + 1), None);
        // The second-token filter: "to the" starts no phrase, "to blame" may.
        let to: Vec<usize> = (0..a.tokens.len())
            .filter(|&i| a.lower(i) == "to")
            .collect();
        let candidates: Vec<usize> = p.candidates(&a, 0..a.tokens.len()).collect();
        assert!(!candidates.contains(&to[0]) && candidates.contains(&to[1]));
    }

    #[test]
    fn words_match_whole_tokens() {
        let w = Words::from_words(["referee".to_string(), "state-backed".to_string()]);
        let a = tokenize("The referees and the referee");
        assert!(!w.contains_token(&a, 1) && w.contains_token(&a, 4));
        assert!(!Words::<String>::from_words([]).contains_token(&a, 0));
    }
}
