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
//! The cost is two passes over the hits, and the text is not read at all.

use super::patterns::Owner;
use super::{Hit, Mention, Target};
use crate::kb::{EntityId, Kind};

pub(super) fn resolve(hits: &[Hit], owners: &[Vec<Owner>], kinds: &[Kind]) -> Vec<Mention> {
    let strongest = |hit: &Hit| -> &[Owner] {
        let all = owners
            .get(hit.pattern as usize)
            .map_or(&[][..], Vec::as_slice);
        let best = all.first().map_or(0, Owner::rank);
        &all[..all.partition_point(|o| o.rank() == best)]
    };

    // A few dozen entities per article: a sorted list beats hashing.
    let mut named_strongly: Vec<EntityId> = hits
        .iter()
        .filter_map(|hit| match strongest(hit) {
            [only] if only.rank() < 2 => Some(only.entity),
            _ => None,
        })
        .collect();
    named_strongly.sort_unstable();
    named_strongly.dedup();

    let mut mentions = Vec::with_capacity(hits.len());
    let mut in_article = Vec::new();
    for hit in hits {
        let best = strongest(hit);
        let Some(first) = best.first() else { continue };
        let (target, form) = match best {
            [only] if only.rank() < 2 => (Target::Entity(only.entity), only.form),
            _ => {
                named_in_article(best, &named_strongly, &mut in_article);
                match in_article.as_slice() {
                    [only] => (Target::Entity(only.entity), only.form),
                    [] if best.len() == 1 => continue,
                    [] => (ambiguous(best.iter()), first.form),
                    several => (ambiguous(several.iter()), first.form),
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
/// into `out`. Walks the shorter list and binary-searches the longer, so a surname shared by
/// thousands costs a few lookups per mention, not thousands.
fn named_in_article(best: &[Owner], named: &[EntityId], out: &mut Vec<Owner>) {
    out.clear();
    if named.len() < best.len() {
        for id in named {
            if let Ok(at) = best.binary_search_by_key(id, |o| o.entity) {
                out.push(best[at]);
            }
        }
    } else {
        out.extend(
            best.iter()
                .filter(|o| named.binary_search(&o.entity).is_ok()),
        );
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
