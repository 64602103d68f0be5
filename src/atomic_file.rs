//! All-or-nothing writes: every file Dossier writes over (a knowledge base the CLI edits, an
//! export, the corpus files `dossier generate` makes) goes through [`write`], so a crash, a kill
//! or a full disk mid-write leaves either the old file or the new one, never a torn one.
//!
//! The bytes go to a temporary file in the same folder, which is flushed to disk, renamed over
//! the target and followed by a flush of the folder, so the rename itself survives a power cut.
//! The `atomic-write-file` crate does exactly this (and keeps the old file's permissions and
//! owner); this module is the one place that calls it, so the kill test in
//! `tests/atomic_writes.rs` covers every writer.

use std::io::{self, Write};
use std::path::Path;

use atomic_write_file::AtomicWriteFile;

/// Replaces the file at `path` with `contents`, atomically and durably. On any error the file
/// at `path` is untouched and the temporary file is removed.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = AtomicWriteFile::open(path)?;
    match file.write_all(contents).and_then(|()| file.flush()) {
        Ok(()) => file.commit(),
        Err(err) => {
            // The write's error is the one worth reporting; a failed cleanup leaves only a
            // hidden temporary file beside the target.
            let _ = file.discard();
            Err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("a temporary folder: {err}"));
        let path = dir.path().join("entities.toml");
        assert!(std::fs::write(&path, "old").is_ok());
        assert!(write(&path, b"new").is_ok());
        assert_eq!(std::fs::read_to_string(&path).ok().as_deref(), Some("new"));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("entities.toml")]);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("a temporary folder: {err}"));
        let path = dir.path().join("entities.toml");
        assert!(std::fs::write(&path, "old").is_ok());
        let private = std::fs::Permissions::from_mode(0o600);
        assert!(std::fs::set_permissions(&path, private).is_ok());
        assert!(write(&path, b"new").is_ok());
        let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600));
    }

    #[test]
    fn a_folder_that_does_not_exist_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("a temporary folder: {err}"));
        let path = dir.path().join("missing").join("entities.toml");
        assert!(write(&path, b"new").is_err());
    }
}
