//! Running the `dossier` binary as a user does, and reading what it prints.

#![allow(dead_code)]

pub mod lsp;
pub mod serving;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where `seeds/` is.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What a run of the binary left behind.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `dossier args…` in `dir`.
pub fn dossier_in(dir: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the dossier binary runs");
    Run {
        code: status.code(),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `dossier args…` at the repository root.
pub fn dossier(args: &[&str]) -> Run {
    dossier_in(&repo(), args)
}

/// A copy of `seeds/` in a temporary folder, with `extra` articles `(name, text)` beside them.
pub fn seed_copy(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for entry in std::fs::read_dir(repo().join("seeds")).expect("seeds/") {
        let entry = entry.expect("an entry");
        // Files only: not the index cache (`.dossier/`) an earlier run left in seeds/.
        if !entry.file_type().expect("a file type").is_file() {
            continue;
        }
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copied");
    }
    for (name, text) in extra {
        std::fs::write(dir.path().join(name), text).expect("written");
    }
    dir
}

/// The 0-based line and UTF-16 column of the first `needle` in the file at `path`.
pub fn position_of(path: &Path, needle: &str) -> (u32, u32) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    for (line, content) in text.split('\n').enumerate() {
        if let Some(byte) = content.find(needle) {
            return (line as u32, content[..byte].encode_utf16().count() as u32);
        }
    }
    panic!("{needle} is not in {}", path.display());
}

/// Says loudly that an editor's end-to-end tests cannot run here (`what` is missing), and
/// fails instead under `CI=true`, where every editor must run.
pub fn skip_editor(editor: &str, what: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("{what}; CI must run the {editor} end-to-end tests");
    }
    // Straight to the process's stderr: libtest captures `eprintln!` of a passing test.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "\n*** SKIPPED: the {editor} end-to-end tests: {what} ***\n"
    );
}
