//! Highlighting: one semantic token per mention, typed by the entity's kind.
//!
//! Token types are the six kinds (`person` … `product`); modifiers mark `ambiguous` mentions
//! (typed by their first candidate) and `weak` ones (named by a weak alias). A mention across a
//! line break is split into one token per line, since clients need not support multi-line
//! tokens. Deltas are the common prefix and suffix of the old and new token arrays: one edit.

use std::ops::Range;

use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensEdit,
    SemanticTokensLegend,
};

use super::convert::Encoding;
use super::state::DocView;
use crate::kb::{Kind, KnowledgeBase};
use crate::recognize::{Form, Target};

/// Bit of the `ambiguous` modifier.
const AMBIGUOUS: u32 = 1 << 0;
/// Bit of the `weak` modifier.
const WEAK: u32 = 1 << 1;

/// The legend announced at `initialize`: token types in [`Kind::ALL`] order.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: Kind::ALL
            .iter()
            .map(|k| SemanticTokenType::new(k.as_str()))
            .collect(),
        token_modifiers: vec![
            SemanticTokenModifier::new("ambiguous"),
            SemanticTokenModifier::new("weak"),
        ],
    }
}

fn token_type(kind: Kind) -> u32 {
    Kind::ALL.iter().position(|&k| k == kind).unwrap_or(0) as u32
}

/// The tokens of a document, or of the mentions overlapping byte range `within`.
pub fn tokens(
    view: &DocView<'_>,
    kb: &KnowledgeBase,
    encoding: Encoding,
    within: Option<Range<usize>>,
) -> Vec<SemanticToken> {
    let mut out = Vec::with_capacity(view.mentions.len());
    let (mut last_line, mut last_start) = (0u32, 0u32);
    let mentions = view.mentions.iter().filter(|m| match &within {
        Some(r) => m.span.start < r.end && m.span.end > r.start,
        None => true,
    });
    for mention in mentions {
        let Some(kind) = mention
            .candidates()
            .first()
            .and_then(|&id| kb.get(id))
            .map(|e| e.kind)
        else {
            continue;
        };
        let mut modifiers = 0;
        if matches!(mention.target, Target::Ambiguous(_)) {
            modifiers |= AMBIGUOUS;
        }
        if mention.form == Form::WeakAlias {
            modifiers |= WEAK;
        }
        let start = view.lines.position(mention.span.start, encoding);
        let end = view.lines.position(mention.span.end, encoding);
        for line in start.line..=end.line {
            let from = if line == start.line {
                start.character
            } else {
                0
            };
            let to = if line == end.line {
                end.character
            } else {
                // The rest of the line: its length in the client's units.
                let next = view.lines.offset(
                    tower_lsp_server::ls_types::Position::new(line, u32::MAX),
                    encoding,
                );
                view.lines.position(next, encoding).character
            };
            if to <= from {
                continue;
            }
            let delta_line = line - last_line;
            let delta_start = if delta_line == 0 {
                from - last_start
            } else {
                from
            };
            out.push(SemanticToken {
                delta_line,
                delta_start,
                length: to - from,
                token_type: token_type(kind),
                token_modifiers_bitset: modifiers,
            });
            (last_line, last_start) = (line, from);
        }
    }
    out
}

/// The one edit that turns `old` into `new`: what lies between their common prefix and suffix.
/// Empty when nothing changed.
pub fn delta(old: &[SemanticToken], new: &[SemanticToken]) -> Vec<SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let deleted = old.len() - prefix - suffix;
    let inserted = &new[prefix..new.len() - suffix];
    if deleted == 0 && inserted.is_empty() {
        return Vec::new();
    }
    vec![SemanticTokensEdit {
        start: (prefix * 5) as u32,
        delete_count: (deleted * 5) as u32,
        data: Some(inserted.to_vec()),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(delta_line: u32, delta_start: u32) -> SemanticToken {
        SemanticToken {
            delta_line,
            delta_start,
            length: 2,
            token_type: 0,
            token_modifiers_bitset: 0,
        }
    }

    #[test]
    fn a_delta_replaces_only_the_middle() {
        let old = [token(0, 0), token(1, 0), token(1, 4), token(2, 0)];
        let new = [
            token(0, 0),
            token(1, 0),
            token(0, 9),
            token(1, 4),
            token(2, 0),
        ];
        let edits = delta(&old, &new);
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].start, 10);
        assert_eq!(edits[0].delete_count, 0);
        assert_eq!(edits[0].data.as_deref(), Some(&[token(0, 9)][..]));
        assert!(delta(&new, &new).is_empty());
    }

    #[test]
    fn applying_the_delta_gives_the_new_tokens() {
        let old = [token(0, 0), token(1, 0), token(1, 4)];
        let new = [token(0, 0), token(3, 1)];
        let mut flat: Vec<SemanticToken> = old.to_vec();
        for edit in delta(&old, &new) {
            let start = edit.start as usize / 5;
            let end = start + edit.delete_count as usize / 5;
            flat.splice(start..end, edit.data.unwrap_or_default());
        }
        assert_eq!(flat, new);
    }
}
