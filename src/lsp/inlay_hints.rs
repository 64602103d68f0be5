//! Entities as inlay hints, for editors without semantic tokens (Helix): after each mention,
//! its kind, or the canonical name and kind when the text uses another form.

use std::ops::Range;

use tower_lsp_server::ls_types::{InlayHint, InlayHintKind, InlayHintLabel, InlayHintTooltip};

use super::convert::Encoding;
use super::state::DocView;
use crate::kb::KnowledgeBase;
use crate::recognize::Target;

/// The hints for the mentions overlapping byte range `within`.
pub fn hints(
    view: &DocView<'_>,
    kb: &KnowledgeBase,
    encoding: Encoding,
    within: Range<usize>,
) -> Vec<InlayHint> {
    view.mentions
        .iter()
        .filter(|m| m.span.start < within.end && m.span.end > within.start)
        .filter_map(|mention| {
            let label = match &mention.target {
                Target::Entity(id) => {
                    let e = kb.get(*id)?;
                    let surface = view.text(mention.span.clone());
                    if surface.split_whitespace().eq(e.name.split_whitespace()) {
                        e.kind.to_string()
                    } else {
                        format!("{} · {}", e.name, e.kind)
                    }
                }
                Target::Ambiguous(ids) => format!("ambiguous: {} candidates", ids.len()),
            };
            let tooltip = mention.entity().and_then(|id| kb.get(id)).map(|e| {
                InlayHintTooltip::String(format!("{} — {} ({})", e.name, e.role, e.country))
            });
            Some(InlayHint {
                position: view.lines.position(mention.span.end, encoding),
                label: InlayHintLabel::String(label),
                kind: Some(InlayHintKind::TYPE),
                text_edits: None,
                tooltip,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
        })
        .collect()
}
