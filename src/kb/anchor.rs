//! Decisions about single mentions, kept in the knowledge base: `[[untag]]` (this mention is
//! not an entity) and `[[assign]]` (this mention is that entity).
//!
//! A decision is anchored by the article and the words around the mention, not by offsets, so
//! it survives edits of the article elsewhere:
//!
//! ```toml
//! [[untag]]
//! article = "000_3f504db1f4b0c96a.txt"   # relative to the corpus root, '/' separators
//! text = "Ma"                             # the mention's text
//! before = "Alibaba's"                    # up to 3 words just before it, same paragraph
//! after = "to partner Philippines'"       # up to 3 words just after it, same paragraph
//!
//! [[assign]]
//! article = "002_0d1f260802f0c6c7.txt"
//! text = "Lam"
//! before = "executive election manifesto,"
//! after = "pledged to make"
//! entity = "carrie-lam"
//! ```
//!
//! The words are compared as [`crate::text::words_before`] and [`crate::text::words_after`]
//! compute them: folded, whitespace collapsed. Applying the decisions to recognised mentions is
//! [`crate::recognize::apply_anchors`]'s job.

use std::ops::Range;

use super::EntityId;
use crate::text::{floor_char_boundary, fold, words_after, words_before, CONTEXT_WORDS};

/// Where one mention stands, in terms that survive edits of the article elsewhere.
///
/// Loaded anchors hold their fields normalised (folded, whitespace collapsed, `article` without
/// a leading `./`), so an anchor made by [`Anchor::at`] for a mention equals the loaded anchor
/// that matches it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Anchor {
    /// The article's path relative to the corpus root, with `/` separators.
    pub article: String,
    /// The mention's text, folded.
    pub text: String,
    /// Up to [`CONTEXT_WORDS`] words just before the mention in its paragraph, folded, joined by
    /// single spaces; empty at the start of a paragraph.
    pub before: String,
    /// Up to [`CONTEXT_WORDS`] words just after the mention in its paragraph; empty at the end
    /// of a paragraph.
    pub after: String,
}

impl Anchor {
    /// The anchor of the mention at byte range `span` of `text`, the content of `article` (its
    /// path relative to the corpus root, `/` separators). The span is clamped into the text and
    /// onto character boundaries, so an editor selection of any shape is safe.
    pub fn at(article: impl Into<String>, text: &str, span: Range<usize>) -> Anchor {
        let start = floor_char_boundary(text, span.start);
        let end = floor_char_boundary(text, span.end).max(start);
        Anchor {
            article: article.into(),
            text: fold(&text[start..end]),
            before: words_before(text, start, CONTEXT_WORDS),
            after: words_after(text, end, CONTEXT_WORDS),
        }
    }
}

/// What a knowledge-base decision does to the mentions its anchor finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnchorAction {
    /// `[[untag]]`: the mention is no entity; it is dropped.
    Untag,
    /// `[[assign]]`: the mention names this entity, whatever recognition decided (typically the
    /// user's choice on an ambiguous mention).
    Assign(EntityId),
}

impl AnchorAction {
    /// The table name the action is written as, for messages (`untag`, `assign`).
    pub fn table(self) -> &'static str {
        match self {
            AnchorAction::Untag => "untag",
            AnchorAction::Assign(_) => "assign",
        }
    }
}

/// The position of a decision in [`crate::kb::KnowledgeBase::anchors`]; valid only for the
/// knowledge base it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnchorId(pub u32);

impl AnchorId {
    /// The index into [`crate::kb::KnowledgeBase::anchors`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One `[[untag]]` or `[[assign]]` table: the anchor, what to do, and where it is written (so
/// `dossier check` and the editor can point at a decision that no longer finds its mention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorRule {
    /// Which mention.
    pub anchor: Anchor,
    /// What to do with it.
    pub action: AnchorAction,
    /// Where the table stands.
    pub origin: AnchorOrigin,
}

/// Where an `[[untag]]` or `[[assign]]` table stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnchorOrigin {
    /// Index into [`crate::kb::KnowledgeBase::sources`].
    pub source: usize,
    /// The `[[untag]]` / `[[assign]]` header.
    pub header: Range<usize>,
    /// From the header to the end of the table's last value.
    pub extent: Range<usize>,
}

/// The form of an article path anchors are compared by: `./` prefixes dropped.
pub(crate) fn normalize_article(article: &str) -> &str {
    let mut article = article.trim();
    while let Some(rest) = article.strip_prefix("./") {
        article = rest.trim_start_matches('/');
    }
    article
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_holds_the_folded_mention_and_its_words() {
        let text = "Alibaba’s Ma to partner Philippines' Duterte\n\nMore.";
        let start = text.find("Ma ").unwrap_or(0);
        let anchor = Anchor::at("000.txt", text, start..start + 2);
        assert_eq!(
            anchor,
            Anchor {
                article: "000.txt".into(),
                text: "Ma".into(),
                before: "Alibaba's".into(),
                after: "to partner Philippines'".into(),
            }
        );
    }

    #[test]
    fn odd_spans_are_clamped() {
        let text = "马云 said";
        let anchor = Anchor::at("a", text, 1..100);
        assert_eq!(anchor.text, "马云 said");
        let (start, end) = (5, 2);
        let anchor = Anchor::at("a", text, start..end);
        assert_eq!(anchor.text, "", "a reversed span is empty");
    }

    #[test]
    fn articles_lose_leading_dot_slashes() {
        assert_eq!(normalize_article("./a/b.txt"), "a/b.txt");
        assert_eq!(normalize_article("././/b.txt"), "b.txt");
        assert_eq!(normalize_article("b.txt"), "b.txt");
    }
}
