//! Opening what a command works on: the corpus a path belongs to, its knowledge base and the
//! recognizer built from it.

use std::error::Error as StdError;
use std::path::{Path, PathBuf};

use dossier::corpus::{Corpus, Error, CONFIG_FILE};
use dossier::kb::KnowledgeBase;
use dossier::problem::Problem;
use dossier::recognize::Recognizer;

/// A CLI failure: printed as `error: …` and exit status 2.
pub type CliError = Box<dyn StdError + Send + Sync>;

/// A corpus with its knowledge base loaded and ready to recognise.
pub struct Session {
    pub corpus: Corpus,
    pub kb: KnowledgeBase,
    pub problems: Vec<Problem>,
    pub recognizer: Recognizer,
}

impl Session {
    /// Loads the knowledge base of `corpus`, or the files in `knowledge` when given.
    pub fn new(corpus: Corpus, knowledge: &[PathBuf]) -> Result<Session, CliError> {
        let (kb, problems) = if knowledge.is_empty() {
            corpus.load_knowledge()
        } else {
            let mut files = Vec::new();
            for path in knowledge {
                files.push((path.clone(), dossier::corpus::read_text(path)?));
            }
            KnowledgeBase::load(files)
        };
        let recognizer = Recognizer::new(&kb);
        Ok(Session {
            corpus,
            kb,
            problems,
            recognizer,
        })
    }

    /// Whether the knowledge base has errors (some entities or forms were left out).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// Prints the knowledge base's errors on stderr, so a bad file never goes unnoticed.
    pub fn report_errors(&self) {
        let errors: Vec<&Problem> = self.problems.iter().filter(|p| p.is_error()).collect();
        for problem in &errors {
            eprintln!("{problem}");
        }
        if !errors.is_empty() {
            eprintln!(
                "note: the knowledge base has {} error(s); the entities they concern are left out (run `dossier check` for details)",
                errors.len()
            );
        }
    }
}

/// The corpus a path names: the folder itself when it holds a `dossier.toml`, else the nearest
/// corpus above it; the corpus around the current directory when no path is given.
pub fn open_corpus(path: Option<&Path>) -> Result<Corpus, Error> {
    match path {
        None => Corpus::find(Path::new(".")),
        Some(dir) if dir.is_dir() && dir.join(CONFIG_FILE).is_file() => Corpus::open(dir),
        Some(other) => Corpus::find(other),
    }
}

/// Like [`open_corpus`], but when a knowledge base is given by hand a path outside any corpus
/// is fine: a folder is read with the default article globs, a file on its own.
pub fn open_corpus_or_folder(path: &Path, knowledge: &[PathBuf]) -> Result<Corpus, Error> {
    match open_corpus(Some(path)) {
        Err(Error::NoCorpus { .. }) if !knowledge.is_empty() => {
            let folder = if path.is_dir() {
                path
            } else {
                path.parent().unwrap_or(Path::new("."))
            };
            Corpus::with_defaults(folder)
        }
        other => other,
    }
}
