//! What can stop a corpus from being opened or an article from being read, each said in one
//! sentence a user can act on.

use std::path::PathBuf;

use crate::problem::Problem;

/// Why a corpus or one of its files could not be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path given does not exist.
    #[error("{} does not exist", path.display())]
    NotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// A folder was given as a corpus root but holds no `dossier.toml`.
    #[error("{} is not a corpus: it has no dossier.toml (create one; see the README)", folder.display())]
    NoConfig {
        /// The folder as given.
        folder: PathBuf,
    },
    /// No folder at or above the starting point holds a `dossier.toml`.
    #[error("no dossier.toml found in {} or any folder above it; create one (see the README) or pass --knowledge FILE", start.display())]
    NoCorpus {
        /// Where the search started.
        start: PathBuf,
    },
    /// `dossier.toml` is not valid.
    #[error("{0}")]
    Config(Box<Problem>),
    /// A file exists but is not UTF-8 text.
    #[error("{}:{line}:{column}: {} is not UTF-8 text; save it as UTF-8", path.display(), path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column (in characters) of the first invalid byte.
        column: usize,
    },
    /// An article too large for the index (4 GiB or more): left out rather than misplaced.
    #[error("{}: {size} bytes is too large for an article; Dossier reads articles under 4 GiB", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
    /// The operating system refused a read or a listing.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}
