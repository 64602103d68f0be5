//! The dictionary the automaton is built from: every surface form of every entity, folded,
//! deduplicated, and annotated with who owns it and how strongly.
//!
//! One surface form is one pattern even when several entities share it (a weak `Lam` for two
//! people): the automaton finds the form once and resolution decides whose it is. Each strong
//! form also gets an all-capitals variant, for datelines such as `KUALA LUMPUR:`; those are
//! looked up by [`PatternTable::id`] rather than put in the automaton (see `capitals`).

use std::hash::BuildHasher;
use std::num::NonZeroUsize;

use hashbrown::hash_table::{Entry, HashTable};
use rustc_hash::FxBuildHasher;

use super::boundary::is_word_char;
use super::capitals;
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
    /// For each pattern of the automaton, the shorter ones that are its prefixes and may end
    /// a word where it does not, longest first: where the longest match is glued to the next
    /// word, one of these may still stand (`Alibaba Group Holdings` holds `Alibaba Group` when
    /// the longer pattern is `Alibaba Group Holding`). Empty for the patterns looked up.
    pub fallbacks: Vec<Vec<u32>>,
    /// The ids of the patterns the automaton holds, in the order of their strings; the others
    /// are forms in capitals, looked up where the text has capitals (see `capitals`).
    pub in_automaton: Vec<u32>,
    /// The id of every pattern, found by its string. It holds ids only, hashed by the strings
    /// they index, so a million-entity knowledge base does not keep every pattern twice.
    index: HashTable<u32>,
}

/// The hash of a pattern in the index: fast and unkeyed, since the patterns come from the
/// knowledge base, not from an attacker.
fn hash(pattern: &str) -> u64 {
    FxBuildHasher.hash_one(pattern)
}

impl PatternTable {
    /// Collects the patterns of every entity of `kb`. With `look_up_capitals`, the forms in
    /// capitals that `capitals` can find are left out of the automaton's patterns.
    #[cfg(test)]
    pub fn new(kb: &KnowledgeBase, look_up_capitals: bool) -> Self {
        PatternTable::new_while(kb, look_up_capitals, |_| ()).0
    }

    /// Like [`PatternTable::new`], running `meanwhile` on another thread over the automaton's
    /// patterns and ids, sorted, as soon as they are known: the automaton builds while the
    /// table sorts its owners and finds its fallbacks, which a million entities make worth a
    /// second core.
    pub fn new_while<R: Send>(
        kb: &KnowledgeBase,
        look_up_capitals: bool,
        meanwhile: impl Fn(&[(&str, u32)]) -> R + Sync,
    ) -> (Self, R) {
        let mut table = PatternTable::collect(kb);
        let in_automaton: Vec<u32> = (0..table.strings.len() as u32)
            .filter(|&id| !(look_up_capitals && table.looked_up(id)))
            .collect();
        let PatternTable {
            strings,
            owners,
            fallbacks,
            in_automaton: sorted_ids,
            ..
        } = &mut table;
        let strings: &[String] = strings;
        let sorted = sorted_on_two_threads(
            in_automaton
                .into_iter()
                .map(|id| (strings[id as usize].as_str(), id))
                .collect(),
        );
        *sorted_ids = sorted.iter().map(|&(_, id)| id).collect();
        let result = std::thread::scope(|scope| {
            let building = std::thread::Builder::new()
                .spawn_scoped(scope, || meanwhile(&sorted))
                .ok();
            for owners in owners.iter_mut() {
                owners.sort_unstable_by_key(|o| (o.rank(), o.entity));
            }
            *fallbacks = prefix_fallbacks(strings, sorted_ids);
            // No thread could be started: in turn, here.
            building.map_or_else(|| meanwhile(&sorted), join_or_resume)
        });
        (table, result)
    }

    /// Every folded form of `kb` and its capitals, with their owners in the order met.
    fn collect(kb: &KnowledgeBase) -> Self {
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
            fallbacks: Vec::new(),
            in_automaton: Vec::new(),
            index: HashTable::with_capacity(count),
        };
        for (pattern, hash, owner) in forms.into_iter().flatten() {
            table.add(pattern, hash, owner);
        }
        table
    }

    /// Whether the pattern is only ever a form in capitals, which `capitals` finds.
    fn looked_up(&self, id: u32) -> bool {
        self.owners[id as usize].iter().all(|o| o.all_caps)
            && capitals::found_without_automaton(&self.strings[id as usize])
    }

    /// The length of the longest pattern left out of the automaton; 0 when there is none.
    pub fn longest_looked_up(&self) -> usize {
        let mut in_automaton = vec![false; self.strings.len()];
        for &id in &self.in_automaton {
            in_automaton[id as usize] = true;
        }
        self.strings
            .iter()
            .zip(in_automaton)
            .filter(|(_, held)| !held)
            .map(|(s, _)| s.len())
            .max()
            .unwrap_or(0)
    }

    /// The id of the pattern `pattern`, if it is one.
    pub fn id(&self, pattern: &str) -> Option<u32> {
        self.index
            .find(hash(pattern), |&id| self.strings[id as usize] == pattern)
            .copied()
    }

    /// Adds `owner` to `pattern`, whose [`hash`] is `hash`, making it a pattern if it is new.
    fn add(&mut self, pattern: String, hash_of_pattern: u64, owner: Owner) {
        let strings = &mut self.strings;
        let entry = self.index.entry(
            hash_of_pattern,
            |&id| strings[id as usize] == pattern,
            |&id| hash(&strings[id as usize]),
        );
        let id = match entry {
            Entry::Occupied(found) => *found.get(),
            Entry::Vacant(slot) => {
                let id = strings.len() as u32;
                strings.push(pattern);
                self.owners.push(Vec::new());
                slot.insert(id);
                id
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
    }
}

/// The fallbacks of every pattern of the automaton, `in_automaton` (ids sorted by their
/// `strings`): its proper prefixes among them that may end a word where it goes on (see
/// [`may_end_a_word_inside`]).
///
/// In sorted order, the patterns that are prefixes of the current one are exactly those on a
/// stack kept as the order walks down and up the trie, so no prefix is ever looked up.
fn prefix_fallbacks(strings: &[String], in_automaton: &[u32]) -> Vec<Vec<u32>> {
    let mut fallbacks = vec![Vec::new(); strings.len()];
    let mut prefixes: Vec<u32> = Vec::new(); // shortest first
    for &id in in_automaton {
        let pattern = strings[id as usize].as_str();
        while let Some(&last) = prefixes.last() {
            if pattern.starts_with(strings[last as usize].as_str()) {
                break;
            }
            prefixes.pop();
        }
        fallbacks[id as usize] = prefixes
            .iter()
            .rev()
            .filter(|&&p| may_end_a_word_inside(pattern, strings[p as usize].len()))
            .copied()
            .collect();
        prefixes.push(id);
    }
    fallbacks
}

/// The result of a scoped thread; a panic in it is its own, carried on rather than hidden.
fn join_or_resume<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// `items` sorted, each half on its own thread and then merged: the automaton waits for this
/// sort of a million strings.
fn sorted_on_two_threads<T: Ord + Send>(mut items: Vec<T>) -> Vec<T> {
    let middle = items.len() / 2;
    let (left, right) = items.split_at_mut(middle);
    let left_sorted = std::thread::scope(|scope| {
        let sorting = std::thread::Builder::new()
            .spawn_scoped(scope, || left.sort_unstable())
            .ok();
        right.sort_unstable();
        sorting.map(join_or_resume).is_some()
    });
    if !left_sorted {
        items[..middle].sort_unstable(); // no thread could be started: here
    }
    let mut merged = Vec::with_capacity(items.len());
    let mut right = items.split_off(middle).into_iter().peekable();
    let mut left = items.into_iter().peekable();
    while let (Some(l), Some(r)) = (left.peek(), right.peek()) {
        let next = if l <= r { left.next() } else { right.next() };
        merged.extend(next);
    }
    merged.extend(left);
    merged.extend(right);
    merged
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

/// Whether the first `len` bytes of `pattern` may end a word where `pattern` goes on: when
/// they end in a character that is not part of a word (`Corp.` inside `Corp.Ltd`), or such a
/// character follows them (`Alibaba` inside `Alibaba Group`). A prefix ending inside a word can
/// never be a whole-word match there.
fn may_end_a_word_inside(pattern: &str, len: usize) -> bool {
    let (prefix, rest) = pattern.split_at_checked(len).unwrap_or((pattern, ""));
    let not_word = |c: Option<char>| c.is_some_and(|c| !is_word_char(c));
    not_word(prefix.chars().next_back()) || not_word(rest.chars().next())
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
        let table = PatternTable::new(&kb, true);
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

    proptest::proptest! {
        #[test]
        fn sorting_on_two_threads_sorts(items in proptest::collection::vec(0u8..20, 0..50)) {
            let mut expected = items.clone();
            expected.sort_unstable();
            proptest::prop_assert_eq!(sorted_on_two_threads(items), expected);
        }
    }

    #[test]
    fn fallbacks_are_prefix_patterns_at_word_ends() {
        let kb = KnowledgeBase::from_entities(vec![
            entity("a", "Alibaba", &[], &[]),
            entity("b", "Alibaba Group Holding Ltd.", &["Alibaba Group"], &[]),
            entity("c", "Alibab", &[], &[]),
        ]);
        let table = PatternTable::new(&kb, true);
        let long = table
            .strings
            .iter()
            .position(|s| s == "Alibaba Group Holding Ltd.")
            .unwrap_or(0);
        let names: Vec<&str> = table.fallbacks[long]
            .iter()
            .map(|&i| table.strings[i as usize].as_str())
            .collect();
        assert_eq!(names, ["Alibaba Group", "Alibaba"]);
    }
}
