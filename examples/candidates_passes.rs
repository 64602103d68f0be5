//! Recognition or candidate finding, `N` passes over the seed articles, for counting
//! instructions under valgrind, which the wall clock of a loaded machine cannot stand in for:
//!
//! ```sh
//! cargo build --release --example candidates_passes
//! E=target/release/examples/candidates_passes
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null $E none 0   # setup only
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null $E rec 10   # + 10 recognitions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null $E cand 10  # + 10 candidate passes
//! ```
//!
//! (each total less the setup's, over 10, is one pass). A corpus folder after the count
//! (`$E cand 1 target/bench-data/e100000-a1000`) is read instead of the seeds. Candidates are
//! found with the mentions already recognised, as `cargo bench --bench table -- --candidates`
//! times them.

use std::hint::black_box;

use dossier::corpus::{Article, Corpus};
use dossier::recognize::{find_candidates, Mention, Recognizer};

/// The allocator the `dossier` binary uses, so that the counts are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("none", String::as_str);
    let passes: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let dir = args.get(3).map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"),
        std::path::PathBuf::from,
    );
    let corpus = Corpus::open(&dir).expect("the seed corpus opens");
    let (kb, _) = corpus.load_knowledge();
    let texts: Vec<String> = corpus
        .article_paths()
        .expect("the seed articles are listed")
        .into_iter()
        .filter_map(|p| Article::read(p).ok().map(|a| a.text().to_owned()))
        .collect();
    let recognizer = Recognizer::new(&kb);
    let mentions: Vec<Vec<Mention>> = texts.iter().map(|t| recognizer.recognize(t)).collect();
    let mut found = 0;
    for _ in 0..passes {
        found += match mode {
            "rec" => texts
                .iter()
                .map(|t| black_box(recognizer.recognize(t)).len())
                .sum::<usize>(),
            "cand" => texts
                .iter()
                .zip(&mentions)
                .map(|(t, m)| black_box(find_candidates(t, m)).len())
                .sum::<usize>(),
            _ => 0,
        };
    }
    println!("{found}");
}
