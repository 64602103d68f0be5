//! A filter that rules out, without touching the pattern table, most of the strings that are
//! not patterns.
//!
//! Where a head matches, the scan looks up the text up to each place a pattern of that head
//! could end, longest first, and most of those strings are not patterns. In a table of two
//! million patterns every such lookup is a cache miss, which at a million entities made the
//! lookups about a quarter of the scan. The sieve holds two bits per pattern in one 64-bit word
//! chosen by the pattern's hash (a blocked Bloom filter), about a byte per pattern: small
//! enough to stay in the core's cache, and it reuses the hash the table's index computes
//! anyway, so a string is hashed once whether or not it gets past. One to three strings in a
//! hundred that are not patterns get through, as the pattern count rounds to a power of two.

/// A blocked Bloom filter over pattern hashes: no false negatives, few false positives.
#[derive(Debug, Default)]
pub(super) struct Sieve {
    /// Empty when sized for nothing: then nothing gets through.
    words: Box<[u64]>,
}

impl Sieve {
    /// An empty sieve sized for about `count` hashes, at about a byte for each.
    pub(super) fn with_capacity(count: usize) -> Sieve {
        if count == 0 {
            return Sieve::default();
        }
        let len = count.div_ceil(8).next_power_of_two();
        Sieve {
            words: vec![0u64; len].into_boxed_slice(),
        }
    }

    /// Lets a string with this hash through from now on.
    pub(super) fn insert(&mut self, hash: u64) {
        let (word, bits) = Sieve::place(hash, self.words.len());
        if let Some(word) = self.words.get_mut(word) {
            *word |= bits;
        }
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

    fn holding(hashes: &[u64]) -> Sieve {
        let mut sieve = Sieve::with_capacity(hashes.len());
        for &hash in hashes {
            sieve.insert(hash);
        }
        sieve
    }

    proptest! {
        /// Whatever was added always gets through.
        #[test]
        fn what_was_added_gets_through(added in proptest::collection::vec(any::<u64>(), 0..300)) {
            let sieve = holding(&added);
            for hash in added {
                prop_assert!(sieve.may_hold(hash));
            }
        }
    }

    #[test]
    fn an_empty_sieve_lets_nothing_through() {
        let mut sieve = Sieve::with_capacity(0);
        sieve.insert(0);
        assert!(!sieve.may_hold(0));
        assert!(!sieve.may_hold(hash("Jack Ma")));
    }

    #[test]
    fn few_strings_that_were_not_added_get_through() {
        let names: Vec<String> = (0..100_000).map(|i| format!("Name {i}")).collect();
        let hashes: Vec<u64> = names.iter().map(|n| hash(n)).collect();
        let sieve = holding(&hashes);
        let through = (0..100_000)
            .filter(|i| sieve.may_hold(hash(&format!("Other {i}"))))
            .count();
        assert!(through < 5_000, "{through} of 100000 got through");
    }
}
