//! An open document: the editor's text as a rope, and its mentions kept up to date keystroke
//! by keystroke.
//!
//! An edit re-scans only the region around it: from the start of a line at least one longest
//! form before the edit to the end of a line at least one longest form after it, widened so that
//! no old hit straddles either end. Hits outside the region move with the text; the region's hits
//! are replaced; then the whole article is re-resolved, which costs a pass over the hits and no
//! reading of the text. A keystroke in a megabyte article touches a few hundred bytes of it.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use ropey::Rope;

use super::state::Knowledge;
use crate::recognize::{apply_anchors, Hit, Mention, Recognizer};

/// Bytes of text before a rescanned region read as context: more than a title's six words.
const CONTEXT: usize = 160;

/// The text and mentions of a document open in the editor.
#[derive(Debug, Clone)]
pub struct OpenDoc {
    /// Where it lives on disk, for a `file:` document.
    pub path: Option<PathBuf>,
    /// Its name in its corpus (relative path, `/` separators), which anchors refer to.
    article: Option<String>,
    /// Whether it is annotated at all (knowledge-base files and configuration are not).
    annotated: bool,
    /// The client's version of the text.
    pub version: i32,
    /// The text.
    pub rope: Rope,
    hits: Vec<Hit>,
    mentions: Arc<Vec<Mention>>,
    /// The knowledge generation the hits were found with.
    generation: u64,
}

impl OpenDoc {
    /// A document as opened, recognised whole. `article` is its name in its corpus.
    pub fn new(
        path: Option<PathBuf>,
        article: Option<String>,
        version: i32,
        text: &str,
        knowledge: &Knowledge,
    ) -> OpenDoc {
        let mut doc = OpenDoc {
            path,
            article,
            annotated: true,
            version,
            rope: Rope::from_str(text),
            hits: knowledge.recognizer.scan(text),
            mentions: Arc::default(),
            generation: knowledge.generation,
        };
        doc.resolve(knowledge);
        doc
    }

    /// A document that is kept but not annotated: a knowledge-base file, a `dossier.toml`.
    pub fn plain(path: Option<PathBuf>, version: i32, text: &str) -> OpenDoc {
        OpenDoc {
            path,
            article: None,
            annotated: false,
            version,
            rope: Rope::from_str(text),
            hits: Vec::new(),
            mentions: Arc::default(),
            generation: 0,
        }
    }

    /// Whether the document is annotated (an article, not a knowledge-base file).
    pub fn is_annotated(&self) -> bool {
        self.annotated
    }

    /// Decides the mentions from the hits, then applies the knowledge base's anchors for this
    /// article (which need the text, flattened only when the article has anchors).
    fn resolve(&mut self, knowledge: &Knowledge) {
        let mut mentions = knowledge.recognizer.resolve(&self.hits);
        if let Some(article) = &self.article {
            if knowledge.kb.anchors_for(article).next().is_some() {
                let text = self.rope.to_string();
                apply_anchors(&text, article, &mut mentions, &knowledge.kb);
            }
        }
        self.mentions = Arc::new(mentions);
    }

    /// Its name in its corpus, if it is an article of one.
    pub fn article_name(&self) -> Option<&str> {
        self.article.as_deref()
    }

    /// The mentions, in text order.
    pub fn mentions(&self) -> &[Mention] {
        &self.mentions
    }

    /// The mentions, shared: a request takes them and lets the document go at once.
    pub fn shared_mentions(&self) -> Arc<Vec<Mention>> {
        self.mentions.clone()
    }

    /// The knowledge generation the mentions were found with.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The whole text, as a string (costs a copy; for saving to the index, not per keystroke).
    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Recognises the whole text again, with a new knowledge base.
    pub fn rescan(&mut self, knowledge: &Knowledge) {
        if !self.annotated {
            return;
        }
        let text = self.rope.to_string();
        self.hits = knowledge.recognizer.scan(&text);
        self.generation = knowledge.generation;
        self.resolve(knowledge);
    }

    /// Replaces the whole text (a full-sync change).
    pub fn replace_all(&mut self, text: &str, knowledge: &Knowledge) {
        self.rope = Rope::from_str(text);
        self.hits.clear();
        self.mentions = Arc::default();
        self.rescan(knowledge);
    }

    /// Replaces bytes `range` of the text with `new_text` and brings the mentions up to date,
    /// rescanning only around the edit. `range` must lie on character boundaries.
    pub fn edit(&mut self, range: Range<usize>, new_text: &str, knowledge: &Knowledge) {
        let recognizer: &Recognizer = &knowledge.recognizer;
        let len = self.rope.len_bytes();
        let range = range.start.min(len)..range.end.min(len).max(range.start.min(len));
        let start_char = self.rope.byte_to_char(range.start);
        let end_char = self.rope.byte_to_char(range.end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, new_text);
        if !self.annotated {
            return;
        }
        let delta = new_text.len() as isize - range.len() as isize;

        // The region to rescan, in new coordinates, widened until no old hit straddles an end.
        let reach = recognizer.longest_form().max(1);
        let new_len = self.rope.len_bytes();
        let mut start = self.line_start_at_or_before(range.start.saturating_sub(reach));
        let mut end =
            self.line_end_at_or_after((range.start + new_text.len() + reach).min(new_len));
        // Hits are in text order and never overlap, so their starts and ends both ascend:
        // every lookup below is a binary search, and a keystroke costs no pass over the hits.
        let after_edit = self.hits.partition_point(|h| h.span.start < range.end);
        // The hits wholly before the region stay; those after it move with the text.
        let kept_before = loop {
            let first_not_before = self.hits.partition_point(|h| h.span.end <= start);
            let straddling_start = self
                .hits
                .get(first_not_before)
                .filter(|h| h.span.start < start)
                .map(|h| h.span.start);
            let moved = &self.hits[after_edit..];
            let straddling_end = moved
                .get(moved.partition_point(|h| h.shifted(delta).span.end <= end))
                .map(|h| h.shifted(delta))
                .filter(|h| h.span.start < end)
                .map(|h| h.span.end);
            match (straddling_start, straddling_end) {
                (None, None) => break first_not_before,
                (s, e) => {
                    if let Some(s) = s {
                        start = self.line_start_at_or_before(s);
                    }
                    if let Some(e) = e {
                        end = self.line_end_at_or_after(e);
                    }
                }
            }
        };

        // A little text before the region is context for boundaries and titles.
        let context = self
            .rope
            .char_to_byte(self.rope.byte_to_char(start.saturating_sub(CONTEXT)));
        let person_end = self.hits[..kept_before]
            .iter()
            .rev()
            .find(|h| recognizer.may_be_person(h.pattern))
            .map_or(0, |h| h.span.end.saturating_sub(context));
        let region = self.rope.byte_slice(context..end).to_string();
        let fresh = recognizer
            .scan_from(&region, start - context, person_end)
            .into_iter()
            .map(|h| h.shifted(context as isize));
        let moved_from = self.hits[after_edit..]
            .partition_point(|h| h.shifted(delta).span.start < end)
            + after_edit;
        for hit in &mut self.hits[moved_from..] {
            *hit = hit.shifted(delta);
        }
        self.hits.splice(kept_before..moved_from, fresh);
        self.resolve(knowledge);
    }

    fn line_start_at_or_before(&self, offset: usize) -> usize {
        let offset = offset.min(self.rope.len_bytes());
        self.rope.line_to_byte(self.rope.byte_to_line(offset))
    }

    fn line_end_at_or_after(&self, offset: usize) -> usize {
        let offset = offset.min(self.rope.len_bytes());
        let line = self.rope.byte_to_line(offset);
        if line + 1 >= self.rope.len_lines() {
            self.rope.len_bytes()
        } else {
            self.rope.line_to_byte(line + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::KnowledgeBase;
    use proptest::prelude::*;

    const KB: &str = r#"
[[entity]]
id = "jack-ma"
name = "Jack Ma"
kind = "person"
weak_aliases = ["Ma"]
role = "r"
country = "China"

[[entity]]
id = "alibaba-group"
name = "Alibaba Group"
kind = "organization"
aliases = ["Alibaba"]
role = "r"
country = "China"
"#;

    fn knowledge() -> Knowledge {
        let (kb, _) = KnowledgeBase::load([("kb.toml", KB)]);
        Knowledge {
            recognizer: Recognizer::new(&kb),
            kb,
            ..Knowledge::default()
        }
    }

    #[test]
    fn typing_a_name_recognises_it_and_later_mentions_move() {
        let knowledge = knowledge();
        let mut doc = OpenDoc::new(None, None, 1, "Ma said.\n\nAlibaba grew.", &knowledge);
        assert_eq!(doc.mentions().len(), 1, "Ma alone is not Jack Ma");
        doc.edit(0..0, "Jack ", &knowledge);
        let text = doc.text();
        let found: Vec<&str> = doc
            .mentions()
            .iter()
            .map(|m| &text[m.span.clone()])
            .collect();
        assert_eq!(found, ["Jack Ma", "Alibaba"]);
    }

    #[test]
    fn a_far_edit_makes_a_weak_alias_count_everywhere() {
        let knowledge = knowledge();
        let body = "x\n".repeat(500);
        let text = format!("Ma spoke.\n{body}Later, Jack said.");
        let mut doc = OpenDoc::new(None, None, 1, &text, &knowledge);
        assert!(doc.mentions().is_empty());
        let at = doc.text().find("Jack said").unwrap_or(0) + "Jack".len();
        doc.edit(at..at, " Ma", &knowledge);
        assert_eq!(
            doc.mentions().len(),
            2,
            "the headline's Ma now names Jack Ma"
        );
    }

    proptest! {
        /// After any sequence of edits, the incremental result equals recognising the final
        /// text from scratch.
        #[test]
        fn incremental_edits_match_a_full_rescan(
            start in "(Jack|Ma|Mr|Minister|Alibaba|Group|Pony| |\n|\n\n|x|’s|ñ){0,30}",
            edits in proptest::collection::vec((0usize..200, 0usize..6, "(Jack|Ma|Mr| |\n|Alibaba|Group|Pony|x|😀){0,3}"), 1..8)
        ) {
            let knowledge = knowledge();
            let mut doc = OpenDoc::new(None, None, 1, &start, &knowledge);
            for (at, remove, insert) in edits {
                let text = doc.text();
                let mut a = at.min(text.len());
                while !text.is_char_boundary(a) { a -= 1; }
                let mut b = (a + remove).min(text.len());
                while !text.is_char_boundary(b) { b -= 1; }
                doc.edit(a..b, &insert, &knowledge);
                let expected = knowledge.recognizer.recognize(&doc.text());
                prop_assert_eq!(doc.mentions(), &expected[..]);
            }
        }
    }
}
