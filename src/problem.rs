//! Problems found in a user's files, located precisely enough to jump to.
//!
//! The knowledge-base loader, the corpus checker and the language server all report through
//! this one type, so the CLI prints `file:line:col: message` and the editor underlines the same
//! range from the same data.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use crate::text::{LineCol, LineIndex};

/// How much a problem matters: errors make `dossier check` fail; the rest only inform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The file cannot be used as written; the last good state stays in force.
    Error,
    /// Works, but probably not as the author meant.
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One problem at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as the corpus knows it.
    pub path: PathBuf,
    /// Byte range in the file's text; empty when the problem is about a point.
    pub span: Range<usize>,
    /// Where `span` starts, 0-based, column in code points.
    pub start: LineCol,
    /// How much it matters.
    pub severity: Severity,
    /// One plain sentence saying what is wrong and, where it can, what to do.
    pub message: String,
}

impl Problem {
    /// A problem at `span` of `text`, which is the content of `path`.
    pub fn new(
        path: impl Into<PathBuf>,
        text: &str,
        lines: &LineIndex,
        span: Range<usize>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        let start = lines.line_col(text, span.start);
        Problem {
            path: path.into(),
            span,
            start,
            severity,
            message: message.into(),
        }
    }

    /// Whether this problem makes the file unusable.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Renders as `path:line:col: severity: message`, 1-based as compilers and editors print it.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.start.line + 1,
            self.start.column + 1,
            self.severity,
            self.message
        )
    }
}
