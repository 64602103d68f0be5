//! Writing the next index file while indexing goes, one entry at a time: at a million articles
//! the file is hundreds of megabytes, which neither the entries nor the file's bytes should be
//! held for whole in memory.
//!
//! The file found is only replaced if the new one would differ: while every entry so far is
//! one the file found holds unchanged, only their names are noted; the first that differs
//! starts the write (the noted ones first, from the file found), and a restart on an unchanged
//! corpus writes nothing at all. The write is atomic ([`AtomicWriter`]): nothing shows at the
//! path until every entry is in, and an indexing that fails or is dropped leaves the old file.

use std::io::Write;

use xxhash_rust::xxh3::Xxh3;

use super::{EntryRef, IndexCache, Kept, Key, FILE, MAGIC};
use crate::atomic_file::AtomicWriter;

/// The next index file, handed each article's entry in turn ([`IndexCache::writer`]).
pub struct CacheWriter<'a> {
    cache: &'a IndexCache,
    /// Entries that match the file found, seen before any that does not: written only if
    /// one that differs comes (or the file found holds more).
    same: Vec<Kept>,
    out: Option<Out>,
    /// Why the file cannot be written; nothing more is tried once it is set.
    failed: Option<String>,
    /// One entry's bytes, reused from entry to entry.
    scratch: Vec<u8>,
}

/// The file being written and the checksum of what went into it.
struct Out {
    file: AtomicWriter,
    sum: Xxh3,
}

impl<'a> CacheWriter<'a> {
    pub(super) fn new(cache: &'a IndexCache) -> CacheWriter<'a> {
        CacheWriter {
            cache,
            same: Vec::new(),
            out: None,
            failed: None,
            scratch: Vec::new(),
        }
    }

    /// Adds the entry of the next article.
    pub fn push(&mut self, kept: Kept) {
        let Some(key) = self.cache.key else {
            return;
        };
        if self.failed.is_some() {
            return;
        }
        if self.out.is_none() {
            if let Some(same) = self.unchanged(&kept) {
                self.same.push(same);
                return;
            }
            if let Err(why) = self.start(key) {
                self.fail(why);
                return;
            }
        }
        self.write(&kept);
    }

    /// Puts the new file in place, unless it would hold what the file found holds. Best
    /// effort: the error says why nothing was written.
    pub fn finish(mut self) -> Result<(), String> {
        let Some(key) = self.cache.key else {
            return Ok(());
        };
        if let Some(why) = self.failed.take() {
            return Err(why);
        }
        if self.out.is_none() {
            if self.same.len() == self.cache.old.len() {
                return Ok(());
            }
            self.start(key)?;
        }
        let Some(Out { mut file, mut sum }) = self.out.take() else {
            return Err(self.failed.take().unwrap_or_default());
        };
        let failed = |err: std::io::Error| self.not_written(err);
        sum.update(&[0]);
        file.write_all(&[0]).map_err(failed)?;
        file.write_all(&sum.digest().to_le_bytes())
            .map_err(failed)?;
        file.commit().map_err(failed)
    }

    /// `kept` as an entry of the file found with its stamp now, if the file found holds it
    /// unchanged.
    fn unchanged(&self, kept: &Kept) -> Option<Kept> {
        match kept {
            Kept::Old { name, stamp } => {
                let old = self.cache.old.get(name)?;
                (old.stamp == *stamp).then(|| kept.clone())
            }
            Kept::New(new) => {
                let old = self.cache.old.get(&new.name)?;
                let same = old.hash == new.hash
                    && old.stamp == new.stamp
                    && old.payload == new.payload.as_slice();
                same.then(|| Kept::Old {
                    name: new.name.clone(),
                    stamp: new.stamp,
                })
            }
        }
    }

    /// Opens the file, writes its header and the entries held back so far.
    fn start(&mut self, key: Key) -> Result<(), String> {
        let dir = &self.cache.dir;
        let path = dir.join(FILE);
        let failed = |err: std::io::Error| self.not_written(err);
        // Not `create_dir_all`: a corpus folder deleted meanwhile must stay deleted.
        match std::fs::create_dir(dir) {
            Err(err) if err.kind() != std::io::ErrorKind::AlreadyExists => return Err(failed(err)),
            _ => {}
        }
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            crate::atomic_file::write(
                &ignore,
                b"# Written by Dossier: its index cache, never to commit.\n*\n",
            )
            .map_err(failed)?;
        }
        let mut file = AtomicWriter::create(&path).map_err(failed)?;
        let mut header = MAGIC.to_vec();
        postcard::to_io(&(key, self.cache.began), &mut header).map_err(|e| self.not_written(e))?;
        file.write_all(&header).map_err(failed)?;
        let mut sum = Xxh3::new();
        sum.update(&header);
        self.out = Some(Out { file, sum });
        for kept in std::mem::take(&mut self.same) {
            self.write(&kept);
        }
        Ok(())
    }

    /// Appends one entry to the open file.
    fn write(&mut self, kept: &Kept) {
        let entry = match kept {
            Kept::Old { name, stamp } => match self.cache.old.get(name) {
                Some(old) => EntryRef {
                    stamp: *stamp,
                    ..old
                },
                None => return,
            },
            Kept::New(entry) => EntryRef::from(entry),
        };
        self.scratch.clear();
        self.scratch.push(1);
        let encoded = postcard::to_io(&entry, &mut self.scratch).map(|_| ());
        let Some(out) = &mut self.out else {
            return;
        };
        let written = encoded
            .map_err(|e| e.to_string())
            .and_then(|()| out.file.write_all(&self.scratch).map_err(|e| e.to_string()));
        match written {
            Ok(()) => out.sum.update(&self.scratch),
            Err(why) => {
                let why = self.not_written(why);
                self.fail(why);
            }
        }
    }

    /// The note for the log when the file cannot be written.
    fn not_written(&self, why: impl std::fmt::Display) -> String {
        let path = self.cache.dir.join(FILE);
        format!("dossier: {} not written: {why}", path.display())
    }

    /// Gives up on the file: dropping it discards what was written.
    fn fail(&mut self, why: String) {
        self.out = None;
        self.same.clear();
        self.failed = Some(why);
    }
}

/// The bytes of a file holding `entries`, as a writer writes them, for tests that forge one.
#[cfg(test)]
pub(super) fn encode(key: Key, began: u64, entries: &[EntryRef<'_>]) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    let header = postcard::to_stdvec(&(key, began)).unwrap_or_default();
    bytes.extend_from_slice(&header);
    for entry in entries {
        bytes.push(1);
        bytes.extend(postcard::to_stdvec(entry).unwrap_or_default());
    }
    bytes.push(0);
    let sum = xxhash_rust::xxh3::xxh3_64(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    bytes
}
