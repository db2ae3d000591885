//! Matches lists of lower-case phrases against a document's tokens.
//!
//! Phrases are tokenized with the document tokenizer, so `state-backed` or `didn't` split the
//! same way in the list as in the text. Lookup is by first token, longest phrase first.

use rustc_hash::FxHashMap as HashMap;

use crate::tokenize::{tokenize, Analysis};

/// A set of phrases, each carrying a value.
#[derive(Debug, Default)]
pub struct PhraseSet<V> {
    by_first: HashMap<String, Vec<(Vec<String>, V)>>,
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
        PhraseSet { by_first }
    }

    /// Phrases starting at token `i` and ending before token `end`, longest first, as
    /// `(token count, value)`.
    pub fn at<'s>(
        &'s self,
        a: &'s Analysis,
        i: usize,
        end: usize,
    ) -> impl Iterator<Item = (usize, &'s V)> + 's {
        let first = if i < end {
            self.by_first.get(a.lower(i))
        } else {
            None
        };
        first
            .into_iter()
            .flatten()
            .filter(move |(toks, _)| {
                i + toks.len() <= end
                    && toks
                        .iter()
                        .enumerate()
                        .skip(1)
                        .all(|(k, t)| a.lower(i + k) == t)
            })
            .map(|(toks, v)| (toks.len(), v))
    }

    /// The longest phrase starting at token `i` (before `end`), as `(token count, value)`.
    pub fn longest_at<'s>(
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

    #[test]
    fn longest_first_and_tokenized_like_text() {
        let p = PhraseSet::new([("asset freeze", 1), ("asset", 2), ("state-backed", 3)]);
        let a = tokenize("an asset freeze by state-backed hackers");
        assert_eq!(p.longest_at(&a, 1, a.tokens.len()), Some((2, &1)));
        assert_eq!(p.longest_at(&a, 4, a.tokens.len()), Some((3, &3)));
        assert_eq!(p.ending_at(&a, 0, 3), Some((1, &1)));
        assert_eq!(p.longest_at(&a, 0, a.tokens.len()), None);
    }
}
