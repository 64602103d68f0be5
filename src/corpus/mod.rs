//! A corpus: a folder with a `dossier.toml` at its root, its articles and its knowledge base,
//! and the index of who is mentioned where.
//!
//! Paths are kept the way the caller gave them: open `seeds` and the articles are
//! `seeds/000_….txt`, so the CLI prints paths relative to where the user stands, and the language
//! server, which opens absolute paths, gets absolute paths back.

mod article;
mod config;
mod error;
mod index;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};

pub use article::{read_text, title_of, Article};
pub use config::{Config, CONFIG_FILE};
pub use error::Error;
pub use index::{CorpusIndex, DocId, EntityStats};

use crate::kb::KnowledgeBase;
use crate::problem::{Problem, Severity};
use crate::recognize::Recognizer;
use crate::text::LineIndex;

/// An opened corpus: where it is and what its `dossier.toml` says.
#[derive(Debug, Clone)]
pub struct Corpus {
    root: PathBuf,
    config: Config,
    config_text: Arc<str>,
    articles: GlobSet,
}

impl Corpus {
    /// Opens the corpus whose root is `root` (the folder holding `dossier.toml`).
    pub fn open(root: impl Into<PathBuf>) -> Result<Corpus, Error> {
        let root = root.into();
        if !root.exists() {
            return Err(Error::NotFound { path: root });
        }
        let config_path = join(&root, Path::new(CONFIG_FILE));
        if !config_path.is_file() {
            return Err(Error::NoConfig { folder: root });
        }
        let config_text: Arc<str> = read_text(&config_path)?.into();
        let config = Config::parse(&config_path, &config_text).map_err(Error::Config)?;
        Corpus::with_config(root, config, config_text)
    }

    /// A folder that has no `dossier.toml`, read with the default settings: for annotating
    /// loose files against a knowledge base given by hand.
    pub fn with_defaults(root: impl Into<PathBuf>) -> Result<Corpus, Error> {
        let root = root.into();
        if !root.exists() {
            return Err(Error::NotFound { path: root });
        }
        Corpus::with_config(root, Config::default(), "".into())
    }

    fn with_config(root: PathBuf, config: Config, config_text: Arc<str>) -> Result<Corpus, Error> {
        let config_path = join(&root, Path::new(CONFIG_FILE));
        let mut builder = GlobSetBuilder::new();
        for glob in &config.articles {
            let parsed = Glob::new(glob.get_ref()).map_err(|err| {
                Error::Config(Box::new(Problem::new(
                    &config_path,
                    &config_text,
                    &LineIndex::new(&config_text),
                    glob.span(),
                    Severity::Error,
                    format!("invalid glob `{}`: {}", glob.get_ref(), err.kind()),
                )))
            })?;
            builder.add(parsed);
        }
        let articles = builder.build().map_err(|err| Error::Io {
            path: config_path,
            source: std::io::Error::other(err),
        })?;
        Ok(Corpus {
            root,
            config,
            config_text,
            articles,
        })
    }

    /// Opens the corpus around `start`: the nearest folder at or above it (or above the file)
    /// that holds a `dossier.toml`. A relative `start` gives a root relative to the current
    /// directory (`..` when the corpus root is the parent), so paths stay short and readable.
    pub fn find(start: &Path) -> Result<Corpus, Error> {
        let root = find_root(start)?;
        Corpus::open(root)
    }

    /// The corpus root, as given or found.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The settings read from `dossier.toml`.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The path of `dossier.toml`.
    pub fn config_path(&self) -> PathBuf {
        join(&self.root, Path::new(CONFIG_FILE))
    }

    /// The knowledge-base files `dossier.toml` names, in order.
    pub fn knowledge_paths(&self) -> Vec<PathBuf> {
        self.config
            .knowledge
            .iter()
            .map(|k| join(&self.root, Path::new(k.get_ref())))
            .collect()
    }

    /// Whether `relative` (a path relative to the root) is an article by the globs.
    pub fn is_article(&self, relative: &Path) -> bool {
        self.articles.is_match(relative) && !self.is_knowledge(relative)
    }

    /// Whether `relative` is one of the knowledge-base files.
    pub fn is_knowledge(&self, relative: &Path) -> bool {
        self.config
            .knowledge
            .iter()
            .any(|k| Path::new(k.get_ref()) == relative)
    }

    /// Every article of the corpus, sorted by path. Hidden folders (`.git`) and `target` are
    /// skipped; files are not read.
    pub fn article_paths(&self) -> Result<Vec<PathBuf>, Error> {
        let mut paths = Vec::new();
        let walker = walkdir::WalkDir::new(&self.root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_skipped_dir(e));
        for entry in walker {
            let entry = entry.map_err(|err| Error::Io {
                path: err.path().unwrap_or(&self.root).to_path_buf(),
                source: err.into(),
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(&self.root) else {
                continue;
            };
            if self.is_article(relative) {
                paths.push(join(&self.root, relative));
            }
        }
        paths.sort();
        Ok(paths)
    }

    /// Reads and loads the knowledge base. A knowledge file that cannot be read becomes a
    /// problem at its entry in `dossier.toml`, so it is reported like any other.
    pub fn load_knowledge(&self) -> (KnowledgeBase, Vec<Problem>) {
        self.load_knowledge_with(read_text)
    }

    /// Like [`Corpus::load_knowledge`], reading each file through `read`: an editor passes
    /// its unsaved buffers this way.
    pub fn load_knowledge_with(
        &self,
        mut read: impl FnMut(&Path) -> Result<String, Error>,
    ) -> (KnowledgeBase, Vec<Problem>) {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        let config_path = self.config_path();
        let lines = LineIndex::new(&self.config_text);
        for (entry, path) in self.config.knowledge.iter().zip(self.knowledge_paths()) {
            match read(&path) {
                Ok(text) => files.push((path, text)),
                Err(err) => problems.push(Problem::new(
                    &config_path,
                    &self.config_text,
                    &lines,
                    entry.span(),
                    Severity::Error,
                    err.to_string(),
                )),
            }
        }
        let (kb, mut found) = KnowledgeBase::load(files);
        problems.append(&mut found);
        (kb, problems)
    }

    /// Reads and recognises every article, building the index. Articles that cannot be read
    /// are left out and returned as errors, so one bad file does not hide the rest.
    pub fn index(
        &self,
        kb: &KnowledgeBase,
        recognizer: &Recognizer,
    ) -> Result<(CorpusIndex, Vec<Error>), Error> {
        let paths = self.article_paths()?;
        let mut index = CorpusIndex::new(kb.len());
        let mut failures = Vec::new();
        for path in paths {
            match Article::read(path) {
                Ok(article) => {
                    let mentions = recognizer.recognize(article.text());
                    index.upsert(article, mentions);
                }
                Err(err) => failures.push(err),
            }
        }
        Ok((index, failures))
    }
}

fn is_skipped_dir(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_dir()
        && entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with('.') || name == "target" || name == "node_modules")
}

/// Joins `relative` to `root`, leaving out a `.` root so paths read `a.txt`, not `./a.txt`.
fn join(root: &Path, relative: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        relative.to_path_buf()
    } else {
        root.join(relative)
    }
}

/// The nearest folder at or above `start` holding a `dossier.toml`, expressed relative to the
/// current directory when `start` is relative.
fn find_root(start: &Path) -> Result<PathBuf, Error> {
    if !start.exists() {
        return Err(Error::NotFound {
            path: start.to_path_buf(),
        });
    }
    let absolute = std::fs::canonicalize(start).map_err(|source| Error::Io {
        path: start.to_path_buf(),
        source,
    })?;
    let first = if absolute.is_dir() {
        absolute.as_path()
    } else {
        absolute.parent().unwrap_or(&absolute)
    };
    let found = first
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .ok_or_else(|| Error::NoCorpus {
            start: start.to_path_buf(),
        })?;
    if start.is_absolute() {
        return Ok(found.to_path_buf());
    }
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .map_err(|source| Error::Io {
            path: PathBuf::from("."),
            source,
        })?;
    Ok(match pathdiff::diff_paths(found, &cwd) {
        Some(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Some(relative) => relative,
        None => found.to_path_buf(),
    })
}
