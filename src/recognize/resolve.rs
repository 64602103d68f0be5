//! Whom each hit names, decided for the article as a whole.
//!
//! One sense per discourse: an article that names Jack Ma in full means him by every `Ma`, even
//! one in its headline before the full name appears. So resolution first collects the entities
//! the article names strongly — by a name or strong alias that belongs to one entity only — and
//! then settles every other hit against that set:
//!
//! - a strong form of one entity names it;
//! - otherwise the strongest owners are narrowed to those the article names strongly: one left
//!   names it; several left are ambiguous;
//! - none left: a weak alias of a single entity is dropped (the article may mean anyone called
//!   `Ma`), and a form several entities share is reported ambiguous among them all.
//!
//! A weak alias that ends an unknown name ([`Hit::after_name`]: `Pony Ma`, `Wing Lam`) names
//! none of its entities, however the article names them: it is dropped, and the name around it
//! is left for the candidate rules to offer.
//!
//! The cost is two passes over the hits, and the text is not read at all.

use std::collections::HashMap;

use super::patterns::{Form, Owner};
use super::{Hit, Mention, Target};
use crate::kb::{EntityId, Kind};

/// The owners of a pattern (sorted strongest first) that share the strongest rank.
fn strongest(owners: &[Owner]) -> &[Owner] {
    let best = owners.first().map_or(0, Owner::rank);
    &owners[..owners.partition_point(|o| o.rank() == best)]
}

/// The one entity a pattern names by itself, if any: its only strongest owner, when that
/// owner names it by name or strong alias (a weak alias always depends on the article).
pub(super) fn sole_owner(owners: &[Owner]) -> Option<Owner> {
    match strongest(owners) {
        [only] if only.rank() < 2 => Some(*only),
        _ => None,
    }
}

pub(super) fn resolve(hits: &[Hit], owners: &[Vec<Owner>], kinds: &[Kind]) -> Vec<Mention> {
    // A few dozen entities per article: a sorted list beats hashing.
    let mut named_strongly: Vec<EntityId> = hits
        .iter()
        .filter_map(|hit| Some(hit.sole_owner?.entity))
        .collect();
    named_strongly.sort_unstable();
    named_strongly.dedup();

    // Every hit of a shared form resolves the same way within an article: decided once per
    // form, since a surname may be shared by thousands and named a hundred times.
    let mut shared: HashMap<u32, Option<(Target, Form)>> = HashMap::new();
    let mut in_article = Vec::new();
    let mut mentions = Vec::with_capacity(hits.len());
    for hit in hits {
        let (target, form) = match hit.sole_owner {
            Some(only) => (Target::Entity(only.entity), only.form),
            None => {
                let decided = shared.entry(hit.pattern).or_insert_with(|| {
                    let best = strongest(
                        owners
                            .get(hit.pattern as usize)
                            .map_or(&[][..], Vec::as_slice),
                    );
                    let first = best.first()?;
                    named_in_article(best, &named_strongly, &mut in_article);
                    Some(match in_article.as_slice() {
                        [only] => (Target::Entity(only.entity), only.form),
                        [] if best.len() == 1 => return None,
                        [] => (ambiguous(best.iter()), first.form),
                        several => (ambiguous(several.iter()), first.form),
                    })
                });
                match decided {
                    Some((_, Form::WeakAlias)) if hit.after_name => continue,
                    Some((target, form)) => (target.clone(), *form),
                    None => continue,
                }
            }
        };
        let title = hit.title.clone().filter(|_| hit_is_person(&target, kinds));
        mentions.push(Mention {
            span: hit.span.clone(),
            title,
            target,
            form,
        });
    }
    mentions
}

/// The owners among `best` (one rank, sorted by entity) whose entity is in `named` (sorted),
/// into `out`. A short list is looked up in the long one by binary search; two long ones (a
/// surname shared by hundreds, in an article naming thousands) are merged in one walk.
fn named_in_article(best: &[Owner], named: &[EntityId], out: &mut Vec<Owner>) {
    out.clear();
    let (short, long) = (best.len().min(named.len()), best.len().max(named.len()));
    if short.saturating_mul(16) < long {
        if named.len() < best.len() {
            out.extend(named.iter().filter_map(|id| {
                let at = best.binary_search_by_key(id, |o| o.entity).ok()?;
                Some(best[at])
            }));
        } else {
            out.extend(
                best.iter()
                    .filter(|o| named.binary_search(&o.entity).is_ok()),
            );
        }
        return;
    }
    let mut named = named.iter().peekable();
    for owner in best {
        while named.next_if(|&&id| id < owner.entity).is_some() {}
        if named.peek() == Some(&&owner.entity) {
            out.push(*owner);
        }
    }
}

fn ambiguous<'a>(owners: impl Iterator<Item = &'a Owner>) -> Target {
    let mut ids: Vec<EntityId> = owners.map(|o| o.entity).collect();
    ids.sort_unstable();
    ids.dedup();
    Target::Ambiguous(ids.into_boxed_slice())
}

fn hit_is_person(target: &Target, kinds: &[Kind]) -> bool {
    match target {
        Target::Entity(id) => kinds.get(id.index()) == Some(&Kind::Person),
        Target::Ambiguous(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owners(ids: &[u32]) -> Vec<Owner> {
        ids.iter()
            .map(|&i| Owner {
                entity: EntityId(i),
                form: Form::WeakAlias,
                all_caps: false,
            })
            .collect()
    }

    fn found(best: &[Owner], named: &[u32]) -> Vec<u32> {
        let named: Vec<EntityId> = named.iter().map(|&i| EntityId(i)).collect();
        let mut out = Vec::new();
        named_in_article(best, &named, &mut out);
        out.iter().map(|o| o.entity.0).collect()
    }

    #[test]
    fn owners_named_in_the_article_are_found_by_lookup_and_by_merge() {
        let many: Vec<u32> = (0..100).map(|i| i * 3).collect();
        // A short list against a long one: binary search, either way round.
        assert_eq!(found(&owners(&many), &[4, 6, 299, 300]), [6]);
        assert_eq!(found(&owners(&[7, 9, 12]), &many), [9, 12]);
        // Two long lists: merged.
        let others: Vec<u32> = (0..100).map(|i| i * 2).collect();
        let both: Vec<u32> = (0..100).map(|i| i * 6).filter(|&i| i < 200).collect();
        assert_eq!(found(&owners(&many), &others), both);
        assert_eq!(found(&owners(&[]), &others), Vec::<u32>::new());
    }
}
