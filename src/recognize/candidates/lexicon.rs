//! What a corpus says about how its words are written: the evidence that lets one word be read
//! as a name by itself — it is capitalised mid-sentence somewhere, so a capital at a sentence's
//! start means a name there too (one sense per discourse) — or not: the corpus mostly writes it
//! in lowercase (`Shares`, `Company`, the words of a title-case headline).

use std::cell::OnceCell;

use std::hash::Hasher;

use rustc_hash::{FxBuildHasher, FxHasher};

use super::{find_with, tokenize, Candidate, Shape, Word};
use crate::recognize::Mention;

/// How often a word (folded to lowercase) is written each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Usage {
    /// With capitals, not at a sentence's start: evidence of a name.
    pub mid: u32,
    /// With capitals at a sentence's start: no evidence either way.
    pub initial: u32,
    /// In lowercase: evidence of an ordinary word.
    pub lower: u32,
}

/// How the words of a set of texts are written, gathered once for a corpus so that every
/// article's candidates use the whole corpus's evidence. [`find_candidates`](super::find_candidates)
/// without one uses the article's own words.
///
/// Words are kept by a 64-bit hash of their lowercase form, not their text: nothing is
/// allocated per word, and two words of a corpus sharing a hash (about one chance in 10^8 for
/// a million distinct words) would only share their counts.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: hashbrown::HashMap<u64, Usage, FxBuildHasher>,
}

impl Lexicon {
    /// The evidence of `texts`.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let mut lexicon = Lexicon::default();
        for text in texts {
            lexicon.add(text);
        }
        lexicon
    }

    /// Adds the evidence of one more text.
    pub fn add(&mut self, text: &str) {
        self.add_words(text, &tokenize(text));
    }

    fn add_words(&mut self, text: &str, words: &[Word]) {
        for word in words {
            let Some(w) = text.get(word.span.clone()) else {
                continue;
            };
            let usage = self.words.entry(key(w.trim_end_matches('.'))).or_default();
            match word.shape {
                Shape::Capitalised | Shape::Mixed | Shape::Upper if word.initial => {
                    usage.initial += 1;
                }
                Shape::Capitalised | Shape::Mixed | Shape::Upper => usage.mid += 1,
                Shape::Lower | Shape::Particle => usage.lower += 1,
                Shape::Initial | Shape::Other => {}
            }
        }
    }

    /// How the corpus writes `word`.
    pub(super) fn usage(&self, word: &str) -> Usage {
        self.words
            .get(&key(word.trim_end_matches('.')))
            .copied()
            .unwrap_or_default()
    }

    /// The candidates of `text` (see [`find_candidates`](super::find_candidates)), read with
    /// this evidence rather than the article's alone.
    pub fn find(&self, text: &str, mentions: &[Mention]) -> Vec<Candidate> {
        find_with(text, mentions, Some(self))
    }
}

/// The word as the lexicon keys it: a hash of its lowercase form.
fn key(word: &str) -> u64 {
    let mut h = FxHasher::default();
    if word.is_ascii() {
        for b in word.bytes() {
            h.write_u8(b.to_ascii_lowercase());
        }
    } else {
        for c in word.chars().flat_map(char::to_lowercase) {
            h.write_u32(c as u32);
        }
    }
    h.finish()
}

/// The evidence a search reads: a corpus's, or the article's own, gathered on first need.
pub(super) enum Evidence<'l> {
    Corpus(&'l Lexicon),
    Article(OnceCell<Lexicon>),
}

impl<'l> Evidence<'l> {
    pub fn new(lexicon: Option<&'l Lexicon>) -> Evidence<'l> {
        match lexicon {
            Some(l) => Evidence::Corpus(l),
            None => Evidence::Article(OnceCell::new()),
        }
    }

    /// How the corpus (or the article `text`, split into `words`) writes `word`.
    pub fn usage(&self, text: &str, words: &[Word], word: &str) -> Usage {
        match self {
            Evidence::Corpus(l) => l.usage(word),
            Evidence::Article(cell) => cell
                .get_or_init(|| {
                    let mut l = Lexicon {
                        words: hashbrown::HashMap::with_capacity_and_hasher(
                            words.len() / 2,
                            FxBuildHasher,
                        ),
                    };
                    l.add_words(text, words);
                    l
                })
                .usage(word),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_by_how_they_are_written() {
        let l = Lexicon::from_texts(["Shares rose. The shares of Acme fell.", "Acme said."]);
        assert_eq!(
            l.usage("Shares"),
            Usage {
                mid: 0,
                initial: 1,
                lower: 1
            }
        );
        assert_eq!(
            l.usage("ACME"),
            Usage {
                mid: 1,
                initial: 1,
                lower: 0
            }
        );
        assert_eq!(l.usage("none"), Usage::default());
    }
}
