//! The knowledge-base loader on arbitrary bytes as TOML: it never panics, and whatever it
//! keeps and reports points inside the file on character boundaries.
#![no_main]

use dossier::kb::KnowledgeBase;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Files that are not UTF-8 are reported before the loader sees them; a lossy copy keeps
    // the rest of the bytes in play.
    let text = String::from_utf8_lossy(data);
    let (kb, problems) = KnowledgeBase::load([("kb.toml", text.as_ref())]);
    dossier_fuzz::check_loaded(&kb, &problems, &[("kb.toml", text.as_ref())]);
    // Two files: the second's ids and names meet the first's.
    let (kb, problems) =
        KnowledgeBase::load([("a.toml", text.as_ref()), ("b.toml", text.as_ref())]);
    dossier_fuzz::check_loaded(
        &kb,
        &problems,
        &[("a.toml", text.as_ref()), ("b.toml", text.as_ref())],
    );
});
