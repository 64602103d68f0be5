//! What the benchmark programs share: timing, and reading the synthetic corpora of
//! `target/bench-data` (which `cargo bench --bench table` generates).

use std::path::{Path, PathBuf};

/// The allocator the `dossier` binary uses, so in-process timings are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

use dossier::corpus::{Article, Corpus};
use dossier::kb::KnowledgeBase;

/// The repository, where `target/` lives.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Best of `runs` wall times of `f`, in seconds, with `f`'s last result. The previous result
/// is dropped before each run, so a large one is not freed on the clock.
pub fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        drop(last.take());
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed().as_secs_f64());
        last = Some(out);
    }
    (best, last.expect("runs > 0"))
}

/// The knowledge base of the corpus `dir`, which must load without errors.
pub fn load_kb(dir: &Path) -> KnowledgeBase {
    let corpus = Corpus::open(dir).expect("the corpus opens");
    let (kb, problems) = corpus.load_knowledge();
    assert!(
        !problems.iter().any(|p| p.is_error()),
        "the synthetic knowledge base is clean"
    );
    kb
}

/// The text of every article of the corpus `dir`.
pub fn texts(dir: &Path) -> Vec<String> {
    let corpus = Corpus::open(dir).expect("the corpus opens");
    corpus
        .article_paths()
        .expect("articles")
        .into_iter()
        .filter_map(|p| Article::read(p).ok().map(|a| a.text().to_owned()))
        .collect()
}
