//! The dictionary the scan looks names up in: every surface form of every entity, folded,
//! deduplicated, and annotated with who owns it and how strongly.
//!
//! One surface form is one pattern even when several entities share it (a weak `Lam` for two
//! people): the scan finds the form once and resolution decides whose it is. Each strong form
//! also gets an all-capitals variant, for datelines such as `KUALA LUMPUR:`. The automaton
//! holds only the [heads](head_of) of the patterns, and the patterns are looked up by
//! [`PatternTable::id`] where their head matches.

use std::hash::BuildHasher;
use std::num::NonZeroUsize;

use hashbrown::hash_table::{Entry, HashTable};
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::sieve::Sieve;
use crate::kb::{Entity, EntityId, KnowledgeBase};
use crate::text::fold;

/// How a surface form names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Form {
    /// The canonical name.
    Name,
    /// A strong alias: always this entity.
    Alias,
    /// A weak alias: this entity only where the article also names it strongly.
    WeakAlias,
}

/// One entity's claim on a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    /// Who the pattern names.
    pub entity: EntityId,
    /// How it names them.
    pub form: Form,
    /// Whether the pattern is the all-capitals variant of the form rather than the form itself.
    pub all_caps: bool,
}

impl Owner {
    /// Lower is stronger: a form as written, then its capitals variant, then a weak alias.
    pub fn rank(&self) -> u8 {
        match (self.form, self.all_caps) {
            (Form::WeakAlias, _) => 2,
            (_, true) => 1,
            (_, false) => 0,
        }
    }
}

/// Every folded surface form and its owners, indexed by pattern id.
#[derive(Debug, Default)]
pub struct PatternTable {
    /// Folded pattern strings, in pattern-id order.
    pub strings: Vec<String>,
    /// Owners of each pattern, strongest first, and by entity within a rank, so resolution can
    /// look an entity up by binary search among the thousands who share a surname.
    pub owners: Vec<Vec<Owner>>,
    /// What may stand where each head of the automaton matches, by the id the automaton
    /// reports (see [`head_of`]).
    pub heads: Vec<Head>,
    /// Rules out most strings that are not patterns before [`Self::id`] looks them up; filled
    /// from the hashes the index was built with.
    sieve: Sieve,
    /// The id of every pattern, found by its string. It holds ids only, hashed by the strings
    /// they index, so a million-entity knowledge base does not keep every pattern twice.
    index: HashTable<u32>,
}

/// The part of a pattern the automaton holds: up to its first space (after the first byte),
/// or all of it.
///
/// The two million patterns of a million entities start with about 110 thousand first words,
/// so an automaton of first words is built in 0.12–0.15 s, where one of the million patterns
/// outside capitals took 2.3 s and a gigabyte of fresh memory. Where a head matches, the patterns that start with it are looked up by
/// their lengths (see [`Head`]). Any non-empty prefix would find every pattern; a first word
/// keeps the automaton small while the lookups stay few.
pub fn head_of(pattern: &str) -> &str {
    let cut = pattern
        .bytes()
        .skip(1)
        .position(|b| b == b' ')
        .map_or(pattern.len(), |i| i + 1);
    &pattern[..cut]
}

/// The lengths of the patterns that may stand where one head matches, which the scan looks
/// up longest first: the patterns starting with the head, and the heads that are its own
/// prefixes and are patterns themselves (`Tanaka` where `Tanaka-Moreau` matched).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Head {
    /// Bit `n - 1` is set when a pattern of `n` bytes, at most 64, may stand there.
    short: u64,
    /// The length of the longest such pattern; all lengths above 64 up to it are tried.
    reach: usize,
    /// Bit `b % 64` is set for each byte `b` that follows the space after the head in a
    /// longer pattern: where the text goes on otherwise (`The man`, when the patterns are
    /// `The Guardian` and `The Economist`), only the head itself and shorter patterns can
    /// stand, and the longer lengths are not tried.
    then: u64,
}

impl Head {
    /// Counts `pattern`, which starts with a head of `head` bytes.
    fn add(&mut self, pattern: &str, head: usize) {
        let len = pattern.len();
        if let Some(bit) = Head::bit(len) {
            self.short |= bit;
        }
        self.reach = self.reach.max(len);
        if len > head {
            // The pattern goes on with a space, then this byte.
            self.then |= pattern
                .as_bytes()
                .get(head + 1)
                .map_or(u64::MAX, |&b| Head::then_bit(b));
        }
    }

    fn then_bit(byte: u8) -> u64 {
        1u64 << (byte % 64)
    }

    /// The room to try lengths in, where a head of `head` bytes matched and `rest` is the
    /// text after it: all of it where a longer pattern may go on, else the head's own length.
    pub fn room(&self, head: usize, rest: &[u8]) -> usize {
        match rest {
            [b' ', next, ..] if self.then & Head::then_bit(*next) != 0 => head + rest.len(),
            _ => head,
        }
    }

    fn bit(len: usize) -> Option<u64> {
        (1..=64).contains(&len).then(|| 1u64 << (len - 1))
    }

    /// The lengths to try where the head matches with `room` bytes of text left, longest
    /// first.
    pub fn lengths(&self, room: usize) -> impl Iterator<Item = usize> + '_ {
        let reach = self.reach.min(room);
        let long = (65..=reach).rev();
        let mut short = match reach {
            0 => 0,
            64.. => self.short,
            _ => self.short & ((1u64 << reach) - 1),
        };
        let short = std::iter::from_fn(move || {
            (short != 0).then(|| {
                let len = 64 - short.leading_zeros() as usize;
                short &= !(1u64 << (len - 1));
                len
            })
        });
        long.chain(short)
    }
}

/// The hash of a pattern in the index: fast and unkeyed, since the patterns come from the
/// knowledge base, not from an attacker.
fn hash(pattern: &str) -> u64 {
    FxBuildHasher.hash_one(pattern)
}

impl PatternTable {
    /// Collects the patterns of every entity of `kb`.
    #[cfg(test)]
    pub fn new(kb: &KnowledgeBase) -> Self {
        PatternTable::new_while(kb, |_| ()).0
    }

    /// Like [`PatternTable::new`], running `meanwhile` on another thread over the automaton's
    /// heads, sorted, with their ids, as soon as they are known: the heads are found and the
    /// automaton built while the table fills its sieve and sorts its owners.
    pub fn new_while<R: Send>(
        kb: &KnowledgeBase,
        meanwhile: impl Fn(&[(&str, u32)]) -> R + Sync,
    ) -> (Self, R) {
        let (mut table, hashes) = PatternTable::collect(kb);
        let PatternTable {
            strings,
            owners,
            heads: table_heads,
            sieve,
            ..
        } = &mut table;
        let strings: &[String] = strings;
        let all = || strings.iter().map(String::as_str);
        // The heads and their automaton on one core; the sieve and the owners on the other.
        let automaton = || {
            let (sorted, heads) = heads_of(all());
            (heads, meanwhile(&sorted))
        };
        let (heads, result) = std::thread::scope(|scope| {
            let building = std::thread::Builder::new()
                .spawn_scoped(scope, automaton)
                .ok();
            *sieve = Sieve::with_capacity(hashes.len());
            for hash in hashes {
                sieve.insert(hash);
            }
            for owners in owners.iter_mut() {
                owners.sort_unstable_by_key(|o| (o.rank(), o.entity));
            }
            // No thread could be started: in turn, here.
            building.map_or_else(automaton, join_or_resume)
        });
        *table_heads = heads;
        (table, result)
    }

    /// Every folded form of `kb` and its capitals, with their owners in the order met; and the
    /// hash of each pattern, for the sieve, which is left empty.
    fn collect(kb: &KnowledgeBase) -> (Self, Vec<u64>) {
        let entities: Vec<(EntityId, &Entity)> = kb.iter().collect();
        // Folding and capitalising the forms is most of the work, and each entity's forms
        // are its own: they are made on every core, then added in entity order.
        let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        let share = entities.len().div_ceil(threads).max(1);
        let patterns_of = |share: &[(EntityId, &Entity)]| {
            let mut patterns = Vec::with_capacity(2 * share.len());
            for &(entity, e) in share {
                push_patterns(entity, e, &mut patterns);
            }
            patterns
        };
        let forms: Vec<Vec<(String, u64, Owner)>> = std::thread::scope(|scope| {
            let shares: Vec<_> = entities
                .chunks(share)
                .map(|share| {
                    let thread = std::thread::Builder::new()
                        .spawn_scoped(scope, move || patterns_of(share))
                        .ok();
                    (share, thread)
                })
                .collect();
            // A share whose thread could not be started is made here.
            shares
                .into_iter()
                .map(|(share, thread)| thread.map_or_else(|| patterns_of(share), join_or_resume))
                .collect()
        });
        let count: usize = forms.iter().map(Vec::len).sum();
        let mut table = PatternTable {
            strings: Vec::with_capacity(count),
            owners: Vec::with_capacity(count),
            heads: Vec::new(),
            sieve: Sieve::default(),
            index: HashTable::with_capacity(count),
        };
        let mut hashes = Vec::with_capacity(count);
        for (pattern, hash, owner) in forms.into_iter().flatten() {
            if table.add(pattern, hash, owner) {
                hashes.push(hash);
            }
        }
        (table, hashes)
    }

    /// The id of the pattern `pattern`, if it is one. Most strings the scan looks up are not,
    /// and those are mostly ruled out by the sieve without touching the table.
    pub fn id(&self, pattern: &str) -> Option<u32> {
        let hash = hash(pattern);
        if !self.sieve.may_hold(hash) {
            return None;
        }
        self.index
            .find(hash, |&id| self.strings[id as usize] == pattern)
            .copied()
    }

    /// Adds `owner` to `pattern`, whose [`hash`] is `hash`, making it a pattern if it is new:
    /// then `true`.
    fn add(&mut self, pattern: String, hash_of_pattern: u64, owner: Owner) -> bool {
        let strings = &mut self.strings;
        let entry = self.index.entry(
            hash_of_pattern,
            |&id| strings[id as usize] == pattern,
            |&id| hash(&strings[id as usize]),
        );
        let (id, new) = match entry {
            Entry::Occupied(found) => (*found.get(), false),
            Entry::Vacant(slot) => {
                let id = strings.len() as u32;
                strings.push(pattern);
                self.owners.push(Vec::new());
                slot.insert(id);
                (id, true)
            }
        };
        // Entities are added one after another, so a repeat can only be among the last
        // owners, those of the same entity: a surname shared by thousands stays linear.
        let owners = &mut self.owners[id as usize];
        let repeated = owners
            .iter()
            .rev()
            .take_while(|o| o.entity == owner.entity)
            .any(|o| *o == owner);
        if !repeated {
            owners.push(owner);
        }
        new
    }
}

/// The distinct heads of `patterns`, sorted, each with its id (its place in that order), and
/// what may stand where each matches, by id.
fn heads_of<'p>(patterns: impl Iterator<Item = &'p str>) -> (Vec<(&'p str, u32)>, Vec<Head>) {
    let mut found: FxHashMap<&str, Head> = FxHashMap::default();
    for pattern in patterns {
        let head = head_of(pattern);
        found.entry(head).or_default().add(pattern, head.len());
    }
    let mut sorted: Vec<(&str, Head)> = found.into_iter().collect();
    sorted.sort_unstable_by_key(|&(head, _)| head);
    // A shorter head matches wherever a longer one it begins does, and what stands there
    // may be that shorter head as a pattern itself; its longer patterns cannot stand there,
    // since they go on with a space where the longer head does not. In sorted order, the
    // heads that begin the current one are exactly those on a stack kept as the order walks
    // down and up the trie, each with the pattern lengths it passes on.
    let mut prefixes: Vec<(&str, u64)> = Vec::new();
    for (head, lengths) in sorted.iter_mut() {
        while prefixes
            .last()
            .is_some_and(|(prefix, _)| !head.starts_with(prefix))
        {
            prefixes.pop();
        }
        let inherited = prefixes.last().map_or(0, |&(_, bits)| bits);
        // Whether the head is a pattern itself: the inherited lengths are all shorter.
        let own = Head::bit(head.len()).map_or(0, |bit| lengths.short & bit);
        lengths.short |= inherited;
        prefixes.push((head, inherited | own));
    }
    sorted
        .into_iter()
        .zip(0..)
        .map(|((head, lengths), id)| ((head, id), lengths))
        .unzip()
}

/// The result of a scoped thread; a panic in it is its own, carried on rather than hidden.
fn join_or_resume<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Pushes the patterns of entity `e`, each with its [`hash`] and its claim: every folded form,
/// and the capitals of each strong one.
fn push_patterns(entity: EntityId, e: &Entity, patterns: &mut Vec<(String, u64, Owner)>) {
    let forms = std::iter::once((e.name.as_str(), Form::Name))
        .chain(e.aliases.iter().map(|a| (a.as_str(), Form::Alias)))
        .chain(e.weak_aliases.iter().map(|a| (a.as_str(), Form::WeakAlias)));
    for (surface, form) in forms {
        let folded = fold(surface);
        if folded.is_empty() {
            continue;
        }
        let owner = |all_caps| Owner {
            entity,
            form,
            all_caps,
        };
        if form != Form::WeakAlias {
            let caps = folded.to_uppercase();
            if caps != folded {
                let h = hash(&caps);
                patterns.push((caps, h, owner(true)));
            }
        }
        let h = hash(&folded);
        patterns.push((folded, h, owner(false)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Entity, Kind, Origin};

    pub(crate) fn entity(id: &str, name: &str, aliases: &[&str], weak: &[&str]) -> Entity {
        Entity {
            id: id.into(),
            name: name.into(),
            kind: Kind::Person,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            weak_aliases: weak.iter().map(|s| s.to_string()).collect(),
            role: String::new(),
            country: String::new(),
            description: None,
            wikidata: None,
            origin: Origin::default(),
        }
    }

    #[test]
    fn shared_forms_are_one_pattern_with_several_owners() {
        let kb = KnowledgeBase::from_entities(vec![
            entity("carrie-lam", "Carrie Lam", &[], &["Lam"]),
            entity("lam-ching", "Lam Ching", &[], &["Lam"]),
        ]);
        let table = PatternTable::new(&kb);
        let lam = table
            .strings
            .iter()
            .position(|s| s == "Lam")
            .unwrap_or(usize::MAX);
        assert_eq!(table.owners[lam].len(), 2);
        assert!(
            !table.strings.contains(&"LAM".to_owned()),
            "weak aliases get no capitals variant"
        );
        assert!(table.strings.contains(&"CARRIE LAM".to_owned()));
    }

    #[test]
    fn heads_are_first_words_tried_longest_first() {
        assert_eq!(head_of("Jack Ma"), "Jack");
        assert_eq!(head_of("Tanaka-Moreau"), "Tanaka-Moreau");
        assert_eq!(head_of(" x y"), " x", "a head is never empty");
        let kb = KnowledgeBase::from_entities(vec![
            entity("a", "Alibaba", &[], &[]),
            entity("b", "Alibaba Group Holding Ltd.", &["Alibaba Group"], &[]),
            entity("c", "Alib", &[], &[]),
            entity("d", "Alibabas Tower", &[], &[]),
        ]);
        let table = PatternTable::new(&kb);
        let (sorted, heads) = heads_of(table.strings.iter().map(String::as_str));
        let lengths = |head: &str, room: usize| -> Vec<usize> {
            let id = sorted
                .iter()
                .find(|(h, _)| *h == head)
                .map_or(u32::MAX, |p| p.1);
            heads[id as usize].lengths(room).collect()
        };
        // Capitals are heads like any other.
        assert_eq!(lengths("Alibaba", 99), [26, 13, 7, 4]);
        assert_eq!(lengths("Alibaba", 13), [13, 7, 4]);
        assert_eq!(
            lengths("Alibabas", 99),
            [14, 7, 4],
            "the heads it begins with"
        );
        assert_eq!(lengths("Alib", 99), [4]);
        assert_eq!(lengths("ALIBABA", 99), [26, 13, 7, 4]);
    }

    #[test]
    fn longer_lengths_are_tried_only_where_a_longer_pattern_may_go_on() {
        let mut head = Head::default();
        head.add("The", 3);
        head.add("The Guardian", 3);
        head.add("The Economist", 3);
        assert_eq!(head.room(3, b" man said"), 3);
        assert_eq!(head.room(3, b" Guardian said"), 3 + 14);
        assert_eq!(
            head.room(3, b" Gazette"),
            3 + 8,
            "a filter: it may let some through"
        );
        assert_eq!(head.room(3, b". Guardian"), 3);
        assert_eq!(head.room(3, b""), 3);
        assert_eq!(head.lengths(3).collect::<Vec<_>>(), [3]);
    }

    #[test]
    fn lengths_past_64_bytes_are_all_tried() {
        let mut head = Head::default();
        head.add("abc", 3);
        head.add(&"a".repeat(64), 64);
        head.add(&"a".repeat(67), 67);
        let lengths: Vec<usize> = head.lengths(100).collect();
        assert_eq!(lengths, [67, 66, 65, 64, 3]);
        assert_eq!(head.lengths(64).collect::<Vec<_>>(), [64, 3]);
        assert_eq!(head.lengths(2).count(), 0);
    }
}
