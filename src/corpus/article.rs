//! An article: its text, its lines and its title, read once and shared.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Error;
use crate::text::{utf8_error_position, LineIndex};

/// One article of a corpus.
#[derive(Debug, Clone)]
pub struct Article {
    path: PathBuf,
    text: Arc<str>,
    lines: LineIndex,
    title: String,
}

impl Article {
    /// An article from text already in memory (an editor buffer, a test).
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Article {
        let text = text.into();
        Article {
            path: path.into(),
            lines: LineIndex::new(&text),
            title: title_of(&text),
            text,
        }
    }

    /// Reads an article from disk; one of 4 GiB or more is refused before it is read.
    pub fn read(path: impl Into<PathBuf>) -> Result<Article, Error> {
        let path = path.into();
        if let Ok(meta) = std::fs::metadata(&path) {
            if meta.len() >= super::packed::MAX_ARTICLE_BYTES {
                return Err(Error::TooLarge {
                    path,
                    size: meta.len(),
                });
            }
        }
        let text = read_text(&path)?;
        Ok(Article::new(path, text))
    }

    /// The path, as the corpus names it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The full text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The full text, shared.
    pub fn shared_text(&self) -> &Arc<str> {
        &self.text
    }

    /// The line index of the text.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The title: its headline ([`title_of`]) unless `dossier.toml` gives one.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// This article titled `title` when one is given (by `dossier.toml`'s `[titles]`), for
    /// the headlines the text itself gets wrong.
    pub fn titled(mut self, title: Option<&str>) -> Article {
        if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
            self.title = title.to_owned();
        }
        self
    }
}

/// The title of an article's text: its headline, skipping page furniture and date stamps
/// (see [`super::title`]).
pub fn title_of(text: &str) -> String {
    super::title::headline(text)
}

/// Reads a file that must be UTF-8 text, naming the first bad byte's position if it is not.
/// A leading byte-order mark is kept: offsets count it, as editors do.
pub fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound {
            path: path.to_path_buf(),
        },
        _ => Error::Io {
            path: path.to_path_buf(),
            source,
        },
    })?;
    String::from_utf8(bytes).map_err(|err| {
        let (line, column) = utf8_error_position(err.as_bytes(), &err.utf8_error());
        Error::NotUtf8 {
            path: path.to_path_buf(),
            line,
            column,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_the_headline_unless_one_is_given() {
        let article = Article::new("a.txt", "Close ↓\nJack Ma opens office\nbody");
        assert_eq!(article.title(), "Jack Ma opens office");
        assert_eq!(article.clone().titled(Some(" Given ")).title(), "Given");
        assert_eq!(article.titled(Some("")).title(), "Jack Ma opens office");
    }
}
