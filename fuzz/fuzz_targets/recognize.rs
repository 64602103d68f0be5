//! The recogniser on arbitrary knowledge bases and texts: every mention's range lies on
//! character boundaries, in order, and slices to text that folds to a form of its entity.
#![no_main]

use arbitrary::Arbitrary;
use dossier::recognize::{apply_anchors, Recognizer};
use dossier_fuzz::{check_mentions, text_of, KbSpec, TextPiece, ARTICLE};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    kb: KbSpec,
    texts: Vec<Vec<TextPiece>>,
}

fuzz_target!(|input: Input| {
    let kb = input.kb.load();
    let recognizer = Recognizer::new(&kb);
    for pieces in input.texts.iter().take(4) {
        let text = text_of(pieces, &kb);
        let mut mentions = recognizer.recognize(&text);
        check_mentions(&kb, &text, &mentions, true);
        // Scanning and resolving apart is what the server does.
        assert_eq!(recognizer.resolve(&recognizer.scan(&text)), mentions);
        apply_anchors(&text, ARTICLE, &mut mentions, &kb);
        check_mentions(&kb, &text, &mentions, false);
    }
});
