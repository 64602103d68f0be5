//! Incremental annotation: after every edit of an arbitrary script, an open document's
//! mentions (rescanned only around the edit) equal a fresh annotation of its whole text.
#![no_main]

use arbitrary::Arbitrary;
use dossier::lsp::document::OpenDoc;
use dossier::lsp::state::Knowledge;
use dossier::recognize::{apply_anchors, Recognizer};
use dossier_fuzz::{check_mentions, text_of, KbSpec, TextPiece, ARTICLE};
use libfuzzer_sys::fuzz_target;

/// One change of the text.
#[derive(Arbitrary, Debug)]
enum Edit {
    /// Replaces `remove` bytes at `at` (both moved back to character boundaries) with `insert`.
    Splice {
        at: u16,
        remove: u8,
        insert: Vec<TextPiece>,
    },
    /// Replaces the whole text, as a full-sync change does.
    Replace(Vec<TextPiece>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    kb: KbSpec,
    /// Whether the document is article [`ARTICLE`] of the corpus, so that anchors apply.
    article: bool,
    start: Vec<TextPiece>,
    edits: Vec<Edit>,
}

/// The nearest character boundary of `text` at or before `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fuzz_target!(|input: Input| {
    let kb = input.kb.load();
    let knowledge = Knowledge {
        recognizer: Recognizer::new(&kb),
        kb,
        ..Knowledge::default()
    };
    let article = input.article.then(|| ARTICLE.to_owned());
    let start = text_of(&input.start, &knowledge.kb);
    let mut doc = OpenDoc::new(None, article.clone(), 1, &start, &knowledge);
    for edit in input.edits.iter().take(32) {
        match edit {
            Edit::Splice { at, remove, insert } => {
                let text = doc.text();
                let a = floor_boundary(&text, *at as usize);
                let b = floor_boundary(&text, a + *remove as usize);
                doc.edit(a..b, &text_of(insert, &knowledge.kb), &knowledge);
            }
            Edit::Replace(pieces) => doc.replace_all(&text_of(pieces, &knowledge.kb), &knowledge),
        }
        let text = doc.text();
        let mut fresh = knowledge.recognizer.recognize(&text);
        if let Some(article) = &article {
            apply_anchors(&text, article, &mut fresh, &knowledge.kb);
        }
        check_mentions(&knowledge.kb, &text, doc.mentions(), article.is_none());
        assert_eq!(
            doc.mentions(),
            &fresh[..],
            "incremental annotation differs from a fresh one after {edit:?} in {text:?}"
        );
    }
});
