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

use ropey::Rope;

use crate::recognize::{Hit, Mention, Recognizer};

/// Bytes of text before a rescanned region read as context: more than a title's six words.
const CONTEXT: usize = 160;

/// The text and mentions of a document open in the editor.
#[derive(Debug, Clone)]
pub struct OpenDoc {
    /// Where it lives on disk, for a `file:` document.
    pub path: Option<PathBuf>,
    /// The client's version of the text.
    pub version: i32,
    /// The text.
    pub rope: Rope,
    hits: Vec<Hit>,
    mentions: Vec<Mention>,
    /// The knowledge generation the hits were found with.
    generation: u64,
}

impl OpenDoc {
    /// A document as opened, recognised whole.
    pub fn new(
        path: Option<PathBuf>,
        version: i32,
        text: &str,
        recognizer: &Recognizer,
        generation: u64,
    ) -> OpenDoc {
        let hits = recognizer.scan(text);
        OpenDoc {
            path,
            version,
            rope: Rope::from_str(text),
            mentions: recognizer.resolve(&hits),
            hits,
            generation,
        }
    }

    /// The mentions, in text order.
    pub fn mentions(&self) -> &[Mention] {
        &self.mentions
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
    pub fn rescan(&mut self, recognizer: &Recognizer, generation: u64) {
        let text = self.rope.to_string();
        self.hits = recognizer.scan(&text);
        self.mentions = recognizer.resolve(&self.hits);
        self.generation = generation;
    }

    /// Replaces the whole text (a full-sync change).
    pub fn replace_all(&mut self, text: &str, recognizer: &Recognizer) {
        self.rope = Rope::from_str(text);
        self.rescan(recognizer, self.generation);
    }

    /// Replaces bytes `range` of the text with `new_text` and brings the mentions up to date,
    /// rescanning only around the edit. `range` must lie on character boundaries.
    pub fn edit(&mut self, range: Range<usize>, new_text: &str, recognizer: &Recognizer) {
        let len = self.rope.len_bytes();
        let range = range.start.min(len)..range.end.min(len).max(range.start.min(len));
        let start_char = self.rope.byte_to_char(range.start);
        let end_char = self.rope.byte_to_char(range.end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, new_text);
        let delta = new_text.len() as isize - range.len() as isize;

        // The region to rescan, in new coordinates, widened until no old hit straddles an end.
        let reach = recognizer.longest_form().max(1);
        let new_len = self.rope.len_bytes();
        let mut start = self.line_start_at_or_before(range.start.saturating_sub(reach));
        let mut end =
            self.line_end_at_or_after((range.start + new_text.len() + reach).min(new_len));
        loop {
            let straddling_start = self
                .hits
                .iter()
                .take_while(|h| h.span.start < start)
                .find(|h| h.span.end > start)
                .map(|h| h.span.start);
            let straddling_end = self
                .hits
                .iter()
                .filter(|h| h.span.start >= range.end)
                .map(|h| h.shifted(delta))
                .find(|h| h.span.start < end && h.span.end > end)
                .map(|h| h.span.end);
            match (straddling_start, straddling_end) {
                (None, None) => break,
                (s, e) => {
                    if let Some(s) = s {
                        start = self.line_start_at_or_before(s);
                    }
                    if let Some(e) = e {
                        end = self.line_end_at_or_after(e);
                    }
                }
            }
        }

        // A little text before the region is context for boundaries and titles.
        let context = self
            .rope
            .char_to_byte(self.rope.byte_to_char(start.saturating_sub(CONTEXT)));
        let person_end = self
            .hits
            .iter()
            .take_while(|h| h.span.end <= start)
            .filter(|h| recognizer.may_be_person(h.pattern))
            .last()
            .map_or(0, |h| h.span.end.saturating_sub(context));
        let region = self.rope.byte_slice(context..end).to_string();
        let fresh = recognizer.scan_from(&region, start - context, person_end);
        let before = self
            .hits
            .iter()
            .take_while(|h| h.span.end <= start)
            .cloned();
        let after = self
            .hits
            .iter()
            .filter(|h| h.span.start >= range.end)
            .map(|h| h.shifted(delta))
            .filter(|h| h.span.start >= end);
        let hits: Vec<Hit> = before
            .chain(fresh.iter().map(|h| h.shifted(context as isize)))
            .chain(after)
            .collect();
        self.mentions = recognizer.resolve(&hits);
        self.hits = hits;
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

    fn recognizer() -> Recognizer {
        let (kb, _) = KnowledgeBase::load([("kb.toml", KB)]);
        Recognizer::new(&kb)
    }

    #[test]
    fn typing_a_name_recognises_it_and_later_mentions_move() {
        let recognizer = recognizer();
        let mut doc = OpenDoc::new(None, 1, "Ma said.\n\nAlibaba grew.", &recognizer, 0);
        assert_eq!(doc.mentions().len(), 1, "Ma alone is not Jack Ma");
        doc.edit(0..0, "Jack ", &recognizer);
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
        let recognizer = recognizer();
        let body = "x\n".repeat(500);
        let mut doc = OpenDoc::new(
            None,
            1,
            &format!("Ma spoke.\n{body}Later, Jack said."),
            &recognizer,
            0,
        );
        assert!(doc.mentions().is_empty());
        let at = doc.text().find("Jack said").unwrap_or(0) + "Jack".len();
        doc.edit(at..at, " Ma", &recognizer);
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
            start in "(Jack|Ma|Mr|Minister|Alibaba|Group| |\n|\n\n|x|’s|ñ){0,30}",
            edits in proptest::collection::vec((0usize..200, 0usize..6, "(Jack|Ma|Mr| |\n|Alibaba|Group|x|😀){0,3}"), 1..8)
        ) {
            let recognizer = recognizer();
            let mut doc = OpenDoc::new(None, 1, &start, &recognizer, 0);
            for (at, remove, insert) in edits {
                let text = doc.text();
                let mut a = at.min(text.len());
                while !text.is_char_boundary(a) { a -= 1; }
                let mut b = (a + remove).min(text.len());
                while !text.is_char_boundary(b) { b -= 1; }
                doc.edit(a..b, &insert, &recognizer);
                let expected = recognizer.recognize(&doc.text());
                prop_assert_eq!(doc.mentions(), &expected[..]);
            }
        }
    }
}
