//! All-or-nothing writes: every file Dossier writes over (a knowledge base the CLI edits, an
//! export, the corpus files `dossier generate` makes) goes through [`write`], so a crash, a kill
//! or a full disk mid-write leaves either the old file or the new one, never a torn one.
//!
//! The bytes go to a temporary file in the same folder, which is flushed to disk, renamed over
//! the target and followed by a flush of the folder, so the rename itself survives a power cut.
//! The `atomic-write-file` crate does exactly this (and keeps the old file's permissions and
//! owner); this module is the one place that calls it, so the kill test in
//! `tests/atomic_writes.rs` covers every writer.
//!
//! A process killed midway may leave its temporary file behind, hidden, named
//! `.entities.toml.AbC123` beside `entities.toml` (the kill test found this: on Linux the
//! temporary file has no name until the last moment, but it gets one before the rename). No
//! corpus reads such a file, and the next write of the same file sweeps away those more than
//! [`STALE_AFTER`] old: a live writer finishes long before that.

use std::ffi::OsStr;
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use atomic_write_file::AtomicWriteFile;

/// How old a leftover temporary file must be before a write sweeps it away.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

/// Replaces the file at `path` with `contents`, atomically and durably. On any error the file
/// at `path` is untouched and the temporary file is removed.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    sweep_leftovers(path);
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

/// A replacement of a file being written bit by bit over a long job (the index cache, as its
/// entries come in): nothing is seen at the path until [`AtomicWriter::commit`], and dropping
/// the writer instead discards what was written, leaving the old file in place.
pub struct AtomicWriter {
    file: io::BufWriter<AtomicWriteFile>,
}

impl AtomicWriter {
    /// Starts replacing the file at `path`.
    pub fn create(path: &Path) -> io::Result<AtomicWriter> {
        sweep_leftovers(path);
        let file = AtomicWriteFile::open(path)?;
        Ok(AtomicWriter {
            file: io::BufWriter::with_capacity(1 << 16, file),
        })
    }

    /// Puts what was written in place of the file, durably.
    pub fn commit(self) -> io::Result<()> {
        let mut file = self
            .file
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.flush()?;
        file.commit()
    }
}

impl Write for AtomicWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.file.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Whether `name` is that of a temporary file of a write to `target`: `.{target}.` and six
/// letters or digits.
pub fn is_leftover_of(name: &OsStr, target: &OsStr) -> bool {
    let (Some(name), Some(target)) = (name.to_str(), target.to_str()) else {
        return false;
    };
    name.strip_prefix('.')
        .and_then(|rest| rest.strip_prefix(target))
        .and_then(|rest| rest.strip_prefix('.'))
        .is_some_and(|suffix| {
            suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Removes the stale temporary files killed writes to `path` left. Best effort: a folder that
/// cannot be listed, or a file someone else removes first, is no reason to fail the write.
fn sweep_leftovers(path: &Path) {
    let (Some(folder), Some(target)) = (path.parent(), path.file_name()) else {
        return;
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        if !is_leftover_of(&entry.file_name(), target) {
            continue;
        }
        let modified = entry.metadata().and_then(|m| m.modified());
        let stale =
            modified.is_ok_and(|m| now.duration_since(m).is_ok_and(|age| age > STALE_AFTER));
        if stale {
            let _ = std::fs::remove_file(entry.path());
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
    fn leftovers_are_named_after_their_target() {
        let target = OsStr::new("entities.toml");
        for (name, leftover) in [
            (".entities.toml.AbC123", true),
            (".entities.toml.abc12", false),
            (".entities.toml.abc1234", false),
            (".entities.toml.abc-12", false),
            ("entities.toml.AbC123", false),
            (".other.toml.AbC123", false),
            ("entities.toml", false),
        ] {
            assert_eq!(is_leftover_of(OsStr::new(name), target), leftover, "{name}");
        }
    }

    #[test]
    fn a_write_sweeps_away_stale_leftovers_only() {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("a temporary folder: {err}"));
        let path = dir.path().join("entities.toml");
        let stale = dir.path().join(".entities.toml.AbC123");
        let fresh = dir.path().join(".entities.toml.XyZ789");
        let other = dir.path().join(".people.toml.AbC123");
        for file in [&stale, &fresh, &other] {
            assert!(std::fs::write(file, "half").is_ok());
        }
        let long_ago = SystemTime::now() - STALE_AFTER * 2;
        for file in [&stale, &other] {
            let touched = std::fs::File::options()
                .write(true)
                .open(file)
                .and_then(|f| f.set_modified(long_ago));
            assert!(touched.is_ok(), "{touched:?}");
        }
        assert!(write(&path, b"new").is_ok());
        assert!(!stale.exists(), "a stale leftover is swept away");
        assert!(fresh.exists(), "a live writer's file is left alone");
        assert!(
            other.exists(),
            "another file's leftovers are its own writes' business"
        );
    }

    #[test]
    fn a_folder_that_does_not_exist_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("a temporary folder: {err}"));
        let path = dir.path().join("missing").join("entities.toml");
        assert!(write(&path, b"new").is_err());
    }
}
