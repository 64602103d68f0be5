//! The dictionary the automaton is built from: every surface form of every entity, folded,
//! deduplicated, and annotated with who owns it and how strongly.
//!
//! One surface form is one pattern even when several entities share it (a weak `Lam` for two
//! people): the automaton finds the form once and resolution decides whose it is. Each strong
//! form also gets an all-capitals variant, for datelines such as `KUALA LUMPUR:`.

use rustc_hash::FxHashMap;

use super::boundary::is_word_char;
use crate::kb::{EntityId, KnowledgeBase};
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

/// Every folded surface form and its owners, indexed by the automaton's pattern ids.
#[derive(Debug, Default)]
pub struct PatternTable {
    /// Folded pattern strings, in pattern-id order.
    pub strings: Vec<String>,
    /// Owners of each pattern, strongest first, and by entity within a rank, so resolution can
    /// look an entity up by binary search among the thousands who share a surname.
    pub owners: Vec<Vec<Owner>>,
    /// For each pattern, the shorter patterns that are its prefixes and end where a word may
    /// end, longest first: where the longest match is glued to the next word, one of these may
    /// still stand (`Alibaba Group Holdings` holds `Alibaba Group` when the longer pattern is
    /// `Alibaba Group Holding`).
    pub fallbacks: Vec<Vec<u32>>,
}

impl PatternTable {
    /// Collects the patterns of every entity of `kb`.
    pub fn new(kb: &KnowledgeBase) -> Self {
        let mut table = PatternTable::default();
        // Two patterns per form (the form and its capitals), hashed with a fast non-keyed hash:
        // a million-entity knowledge base has millions of patterns, none chosen by an attacker.
        let form_count: usize = kb
            .entities()
            .iter()
            .map(|e| 1 + e.aliases.len() + e.weak_aliases.len())
            .sum();
        let mut ids: FxHashMap<String, u32> =
            FxHashMap::with_capacity_and_hasher(2 * form_count, Default::default());
        table.strings.reserve(2 * form_count);
        table.owners.reserve(2 * form_count);
        for (entity, e) in kb.iter() {
            let forms = std::iter::once((e.name.as_str(), Form::Name))
                .chain(e.aliases.iter().map(|a| (a.as_str(), Form::Alias)))
                .chain(e.weak_aliases.iter().map(|a| (a.as_str(), Form::WeakAlias)));
            for (surface, form) in forms {
                let folded = fold(surface);
                if folded.is_empty() {
                    continue;
                }
                if form != Form::WeakAlias {
                    let caps = folded.to_uppercase();
                    if caps != folded {
                        table.add(
                            &mut ids,
                            caps,
                            Owner {
                                entity,
                                form,
                                all_caps: true,
                            },
                        );
                    }
                }
                table.add(
                    &mut ids,
                    folded,
                    Owner {
                        entity,
                        form,
                        all_caps: false,
                    },
                );
            }
        }
        for owners in &mut table.owners {
            owners.sort_unstable_by_key(|o| (o.rank(), o.entity));
        }
        table.fallbacks = table
            .strings
            .iter()
            .map(|s| prefix_patterns(s, &ids))
            .collect();
        table
    }

    fn add(&mut self, ids: &mut FxHashMap<String, u32>, pattern: String, owner: Owner) {
        let id = *ids.entry(pattern).or_insert_with_key(|pattern| {
            self.strings.push(pattern.clone());
            self.owners.push(Vec::new());
            (self.strings.len() - 1) as u32
        });
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

/// The patterns that are prefixes of `pattern` ending just before a non-word character,
/// longest first. A prefix ending inside a word can never be a whole-word match there.
fn prefix_patterns(pattern: &str, ids: &FxHashMap<String, u32>) -> Vec<u32> {
    let mut found = Vec::new();
    for (at, c) in pattern.char_indices().rev() {
        if at == 0 || is_word_char(c) {
            continue;
        }
        let prefix = pattern[..at].trim_end();
        if let Some(&id) = ids.get(prefix) {
            if found.last() != Some(&id) {
                found.push(id);
            }
        }
    }
    found
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
    fn fallbacks_are_prefix_patterns_at_word_ends() {
        let kb = KnowledgeBase::from_entities(vec![
            entity("a", "Alibaba", &[], &[]),
            entity("b", "Alibaba Group Holding Ltd.", &["Alibaba Group"], &[]),
            entity("c", "Alibab", &[], &[]),
        ]);
        let table = PatternTable::new(&kb);
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
