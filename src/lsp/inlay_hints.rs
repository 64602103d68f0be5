//! Entities as inlay hints, for editors without semantic tokens (Helix).
//!
//! Hints sit in the prose, so they must read as annotations and not as words, and add little
//! to the text. The first design (the kind, or `name · kind`, after every mention, dim and
//! unmarked) added 30 % to the seed articles and read like `Philippines place' Duterte`; this
//! one adds 10 % (`tests/lsp_hints.rs` prints the figures):
//!
//! - marked: labels are in single guillemets, which news text does not use;
//! - short, and said once: an entity's first mention in the article gets the kind after a full
//!   name (`Jack Ma ‹person›`) or the canonical name after any other form (`Ma ‹Jack Ma›`,
//!   `Alibaba’s ‹Alibaba Group›`); its later mentions get a bare `‹›`, which says "an entity,
//!   hover for its card" in two characters. News paragraphs are mostly one sentence, so "once
//!   per paragraph" still added 20 %. Role and country are in the tooltip and the hover card;
//! - after the whole mention, its possessive included, never between a name and its `’s`.
//!
//! Ambiguous mentions are labelled each time, `‹ambiguous›`: each needs a decision.

use std::collections::HashSet;
use std::ops::Range;

use tower_lsp_server::ls_types::{InlayHint, InlayHintKind, InlayHintLabel, InlayHintTooltip};

use super::convert::Encoding;
use super::state::DocView;
use crate::kb::{Kind, KnowledgeBase};
use crate::recognize::{possessive_len, Target};

/// The hints for the mentions overlapping byte range `within`.
pub fn hints(
    view: &DocView<'_>,
    kb: &KnowledgeBase,
    encoding: Encoding,
    within: Range<usize>,
) -> Vec<InlayHint> {
    let mut hinted = HashSet::new();
    let mut out = Vec::new();
    for mention in view.mentions {
        // Whether this is the entity's first mention depends on all those before the range;
        // everything else is worked out only for the mentions in it.
        let first = match &mention.target {
            Target::Entity(id) => hinted.insert(*id),
            Target::Ambiguous(_) => true,
        };
        if mention.span.start >= within.end || mention.span.end <= within.start {
            continue;
        }
        let surface = view.text(mention.span.clone());
        let (label, tooltip) = match &mention.target {
            Target::Entity(id) => {
                let Some(e) = kb.get(*id) else { continue };
                let label = if !first {
                    String::new()
                } else if surface.split_whitespace().eq(e.name.split_whitespace()) {
                    short_kind(e.kind).to_owned()
                } else {
                    e.name.clone()
                };
                (
                    label,
                    format!("{} — {}, {} ({})", e.name, e.kind, e.role, e.country),
                )
            }
            Target::Ambiguous(ids) => {
                let names: Vec<&str> = ids
                    .iter()
                    .filter_map(|&id| kb.get(id))
                    .map(|e| e.name.as_str())
                    .collect();
                (
                    "ambiguous".to_owned(),
                    format!("one of {}", names.join(", ")),
                )
            }
        };
        // The mention and the few bytes after it are all a possessive needs: the text is not
        // copied whole for every request.
        let after = view.text(mention.span.end..mention.span.end + POSSESSIVE_BYTES);
        let end = mention.span.end + possessive_len(&format!("{surface}{after}"), surface.len());
        out.push(InlayHint {
            position: view.lines.position(end, encoding),
            label: InlayHintLabel::String(format!("‹{label}›")),
            kind: Some(InlayHintKind::TYPE),
            text_edits: None,
            tooltip: Some(InlayHintTooltip::String(tooltip)),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    out
}

/// Enough bytes after a mention to hold a possessive and the character after it (`’` is
/// three bytes, then `s`, then a character of up to four).
const POSSESSIVE_BYTES: usize = 8;

/// A kind's name as a hint shows it: `organization` is long and the commonest kind.
fn short_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Organization => "org",
        other => other.as_str(),
    }
}
