//! A filter that rules out, without touching the pattern table, most of the strings that are
//! not patterns.
//!
//! Where a head matches, the scan looks up the text up to each place a pattern of that head
//! could end, longest first, and most of those strings are not patterns. In a table of two
//! million patterns every such lookup is a cache miss, which at a million entities made the
//! lookups a third of the scan. The sieve holds two bits per pattern in one 64-bit word
//! chosen by the pattern's hash (a blocked Bloom filter), about a byte per pattern: small
//! enough to stay in the core's cache, and it reuses the hash the table's index computes
//! anyway, so a string is hashed once whether or not it gets past. About one string in fifty
//! that is not a pattern gets through.

/// A blocked Bloom filter over pattern hashes: no false negatives, few false positives.
#[derive(Debug, Default)]
pub(super) struct Sieve {
    /// Empty when nothing was added: then nothing gets through.
    words: Box<[u64]>,
}

impl Sieve {
    /// A sieve holding `hashes`, sized at about a byte for each.
    pub(super) fn new(hashes: impl ExactSizeIterator<Item = u64>) -> Sieve {
        if hashes.len() == 0 {
            return Sieve::default();
        }
        let len = hashes.len().div_ceil(8).next_power_of_two();
        let mut words = vec![0u64; len].into_boxed_slice();
        for hash in hashes {
            let (word, bits) = Sieve::place(hash, len);
            words[word] |= bits;
        }
        Sieve { words }
    }

    /// Whether a string with this hash may have been added; `false` only when it was not.
    pub(super) fn may_hold(&self, hash: u64) -> bool {
        let (word, bits) = Sieve::place(hash, self.words.len());
        self.words.get(word).is_some_and(|w| w & bits == bits)
    }

    /// The word a hash falls in (low bits, the table's bucket bits) and its two bits there
    /// (the top twelve, which the table hardly uses).
    fn place(hash: u64, words: usize) -> (usize, u64) {
        let word = (hash as usize) & words.wrapping_sub(1);
        let bits = (1u64 << (hash >> 58)) | (1u64 << ((hash >> 52) & 63));
        (word, bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::hash::BuildHasher;

    fn hash(s: &str) -> u64 {
        rustc_hash::FxBuildHasher.hash_one(s)
    }

    proptest! {
        /// Whatever was added always gets through.
        #[test]
        fn what_was_added_gets_through(added in proptest::collection::vec(any::<u64>(), 0..300)) {
            let sieve = Sieve::new(added.iter().copied());
            for hash in added {
                prop_assert!(sieve.may_hold(hash));
            }
        }
    }

    #[test]
    fn an_empty_sieve_lets_nothing_through() {
        let sieve = Sieve::new(std::iter::empty());
        assert!(!sieve.may_hold(0));
        assert!(!sieve.may_hold(hash("Jack Ma")));
    }

    #[test]
    fn few_strings_that_were_not_added_get_through() {
        let names: Vec<String> = (0..100_000).map(|i| format!("Name {i}")).collect();
        let sieve = Sieve::new(names.iter().map(|n| hash(n)));
        let through = (0..100_000)
            .filter(|i| sieve.may_hold(hash(&format!("Other {i}"))))
            .count();
        assert!(through < 5_000, "{through} of 100000 got through");
    }
}
