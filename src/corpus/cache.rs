//! The persistent index: what indexing found, kept under the corpus in `.dossier/index.bin`,
//! so that the next start (of the server or of `dossier check`) recognises only the articles
//! whose text changed.
//!
//! What makes an entry trusted:
//! - the file as a whole belongs to one knowledge base and one build of Dossier. Its key hashes
//!   the knowledge base's files as they were loaded (paths and texts, unsaved editor buffers
//!   included), `dossier.toml`, the file format, and the build that wrote it (its version and
//!   its executable's size and modification time: a rebuilt binary starts afresh, since its
//!   rules may find other mentions). Any other key and the whole file is ignored;
//! - each article's entry holds the xxh3 hash of the text it was recognised in. It is reused
//!   only for a text that hashes the same now. The text is read either way (the index keeps
//!   it, for hover titles and positions); what the cache saves is the recognition;
//! - the file ends with a checksum of everything before it, and every mention read back must
//!   fit its article (its span inside the text, on character boundaries; entities and anchors
//!   the knowledge base has). A file that fails any of this is ignored with a note for the log,
//!   never trusted: the articles are recognised afresh and the file rewritten.
//!
//! The cache is a convenience, never a source of truth: it is written atomically
//! ([`crate::atomic_file`]) and on a best-effort basis. A corpus on a read-only disk is indexed
//! as before, with a note. The folder carries its own `.gitignore`, so a corpus kept in git
//! does not pick it up.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use super::Corpus;
use crate::kb::{AnchorId, EntityId, KnowledgeBase};
use crate::recognize::{Form, Mention, Target};

/// The folder under a corpus's root that holds what Dossier keeps for itself.
pub const CACHE_DIR: &str = ".dossier";

/// The index file in [`CACHE_DIR`].
const FILE: &str = "index.bin";

/// The first bytes of an index file: what it is, before anything is decoded.
const MAGIC: &[u8; 8] = b"DOSSIDX\0";

/// Bumped whenever the layout of the file or of an entry changes.
const FORMAT: u32 = 1;

/// What a cache file must have been written for to be read: one build, one knowledge base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Key {
    format: u32,
    build: u64,
    knowledge: u64,
}

/// The file's contents after its magic bytes and before its checksum.
#[derive(Serialize, Deserialize)]
struct Stored {
    key: Key,
    articles: Vec<Entry>,
}

/// What indexing found in one article: its name in the corpus, its text's hash, and its
/// mentions and stale anchors, encoded (an entry reused from the last file is written back
/// without being decoded and encoded again).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    name: String,
    hash: u64,
    payload: Vec<u8>,
}

/// One mention as the file keeps it.
#[derive(Serialize, Deserialize)]
struct StoredMention {
    start: u64,
    end: u64,
    form: u8,
    title: Option<(u64, u64)>,
    entities: Vec<u32>,
    ambiguous: bool,
}

/// An entry's payload: the mentions and the anchors that matched none of them.
type Payload = (Vec<StoredMention>, Vec<u32>);

/// The cache of one indexing: the entries of the file found at its start, and where to write
/// the next one.
#[derive(Debug)]
pub struct IndexCache {
    dir: PathBuf,
    key: Option<Key>,
    old: HashMap<String, Entry>,
    /// Why the file found was not used, for the log.
    note: Option<String>,
}

impl IndexCache {
    /// Reads the cache of `corpus`, if it has one written for `kb` by this build. Never fails:
    /// a file that cannot be used leaves the cache empty, and [`IndexCache::note`] says why.
    pub fn open(corpus: &Corpus, kb: &KnowledgeBase) -> IndexCache {
        let dir = corpus.root().join(CACHE_DIR);
        let key = build_id().map(|build| Key {
            format: FORMAT,
            build,
            knowledge: knowledge_hash(corpus, kb),
        });
        let mut cache = IndexCache {
            dir,
            key,
            old: HashMap::new(),
            note: None,
        };
        let Some(key) = key else {
            cache.note =
                Some("dossier: no index cache: this program cannot tell its own build".into());
            return cache;
        };
        let path = cache.dir.join(FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return cache,
            Err(err) => {
                cache.note = Some(format!("dossier: {} ignored: {err}", path.display()));
                return cache;
            }
        };
        match decode(&bytes) {
            Ok(stored) if stored.key == key => {
                cache.old = stored
                    .articles
                    .into_iter()
                    .map(|entry| (entry.name.clone(), entry))
                    .collect();
            }
            // Another knowledge base or build: expected after every edit, not worth a note.
            Ok(_) => {}
            Err(why) => cache.note = Some(format!("dossier: {} ignored: {why}", path.display())),
        }
        cache
    }

    /// Why the cache found was not used (unreadable, corrupt, foreign), for the log.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// How many articles the file found holds.
    pub fn len(&self) -> usize {
        self.old.len()
    }

    /// Whether the file found held no article (or there was none).
    pub fn is_empty(&self) -> bool {
        self.old.is_empty()
    }

    /// The entry and the decoded mentions and stale anchors of the article `name`, if the
    /// cache holds them for exactly `text` and they fit it and `kb`.
    pub fn lookup(
        &self,
        name: &str,
        text: &str,
        kb: &KnowledgeBase,
    ) -> Option<(Entry, Vec<Mention>, Vec<AnchorId>)> {
        let entry = self.old.get(name)?;
        if entry.hash != xxh3_64(text.as_bytes()) {
            return None;
        }
        let (mentions, stale) = decode_payload(&entry.payload, text, kb)?;
        Some((entry.clone(), mentions, stale))
    }

    /// Writes the cache of an indexing that found `entries`, unless they are what the file
    /// holds already. Best effort: the error says why nothing was written.
    pub fn save(&self, entries: Vec<Entry>) -> Result<(), String> {
        let Some(key) = self.key else {
            return Ok(());
        };
        let unchanged = entries.len() == self.old.len()
            && entries.iter().all(|e| {
                self.old
                    .get(&e.name)
                    .is_some_and(|old| old.hash == e.hash && old.payload == e.payload)
            });
        if unchanged {
            return Ok(());
        }
        let stored = Stored {
            key,
            articles: entries,
        };
        let bytes = encode(&stored)?;
        let path = self.dir.join(FILE);
        let failed =
            |err: std::io::Error| format!("dossier: {} not written: {err}", path.display());
        // Not `create_dir_all`: a corpus folder deleted meanwhile must stay deleted.
        match std::fs::create_dir(&self.dir) {
            Err(err) if err.kind() != std::io::ErrorKind::AlreadyExists => return Err(failed(err)),
            _ => {}
        }
        let ignore = self.dir.join(".gitignore");
        if !ignore.exists() {
            crate::atomic_file::write(
                &ignore,
                b"# Written by Dossier: its index cache, never to commit.\n*\n",
            )
            .map_err(failed)?;
        }
        crate::atomic_file::write(&path, &bytes).map_err(failed)
    }
}

impl Entry {
    /// The entry of the article `name` with `text`, recognised afresh.
    pub fn new(name: String, text: &str, mentions: &[Mention], stale: &[AnchorId]) -> Entry {
        let stored: Vec<StoredMention> = mentions.iter().map(StoredMention::from).collect();
        let stale: Vec<u32> = stale.iter().map(|a| a.0).collect();
        // Encoding plain integers into a Vec cannot fail; were it to, the empty payload does
        // not decode, and the article is recognised afresh next time.
        let payload = postcard::to_stdvec(&(stored, stale)).unwrap_or_default();
        Entry {
            name,
            hash: xxh3_64(text.as_bytes()),
            payload,
        }
    }
}

impl From<&Mention> for StoredMention {
    fn from(mention: &Mention) -> StoredMention {
        StoredMention {
            start: mention.span.start as u64,
            end: mention.span.end as u64,
            form: match mention.form {
                Form::Name => 0,
                Form::Alias => 1,
                Form::WeakAlias => 2,
            },
            title: mention
                .title
                .as_ref()
                .map(|t| (t.start as u64, t.end as u64)),
            entities: mention.candidates().iter().map(|e| e.0).collect(),
            ambiguous: matches!(mention.target, Target::Ambiguous(_)),
        }
    }
}

/// The mentions and stale anchors of a payload, or `None` unless every one fits `text` and
/// `kb`: a span inside the text on character boundaries, entities and anchors that exist.
fn decode_payload(
    payload: &[u8],
    text: &str,
    kb: &KnowledgeBase,
) -> Option<(Vec<Mention>, Vec<AnchorId>)> {
    let (stored, stale): Payload = postcard::from_bytes(payload).ok()?;
    let fits = |start: u64, end: u64| -> Option<std::ops::Range<usize>> {
        let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
        (start <= end && text.get(start..end).is_some()).then_some(start..end)
    };
    let entity = |id: u32| ((id as usize) < kb.len()).then_some(EntityId(id));
    let mut mentions = Vec::with_capacity(stored.len());
    for m in stored {
        let span = fits(m.start, m.end)?;
        let title = match m.title {
            Some((start, end)) => Some(fits(start, end)?),
            None => None,
        };
        let entities = m
            .entities
            .into_iter()
            .map(entity)
            .collect::<Option<Vec<_>>>()?;
        let target = match (m.ambiguous, entities.as_slice()) {
            (false, [one]) => Target::Entity(*one),
            (true, [_, _, ..]) => Target::Ambiguous(entities.into_boxed_slice()),
            _ => return None,
        };
        let form = match m.form {
            0 => Form::Name,
            1 => Form::Alias,
            2 => Form::WeakAlias,
            _ => return None,
        };
        mentions.push(Mention {
            span,
            target,
            form,
            title,
        });
    }
    let anchors = kb.anchors().len();
    let stale = stale
        .into_iter()
        .map(|a| ((a as usize) < anchors).then_some(AnchorId(a)))
        .collect::<Option<Vec<_>>>()?;
    Some((mentions, stale))
}

/// The file's bytes: magic, contents, and the checksum of both.
fn encode(stored: &Stored) -> Result<Vec<u8>, String> {
    let mut bytes = MAGIC.to_vec();
    let body = postcard::to_stdvec(stored)
        .map_err(|e| format!("dossier: index cache not written: {e}"))?;
    bytes.extend_from_slice(&body);
    let sum = xxh3_64(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    Ok(bytes)
}

/// The contents of a file's bytes, or what is wrong with them.
fn decode(bytes: &[u8]) -> Result<Stored, String> {
    let Some(body) = bytes.strip_prefix(MAGIC.as_slice()) else {
        return Err("not a Dossier index cache".into());
    };
    let Some(split) = body.len().checked_sub(8) else {
        return Err("truncated".into());
    };
    let (body, sum) = body.split_at(split);
    let expected = u64::from_le_bytes(sum.try_into().map_err(|_| "truncated".to_owned())?);
    if xxh3_64(&bytes[..MAGIC.len() + body.len()]) != expected {
        return Err("its checksum does not match (truncated or corrupt)".into());
    }
    postcard::from_bytes(body).map_err(|e| format!("cannot be decoded: {e}"))
}

/// This build of Dossier: its version and its executable's size and modification time, or
/// `None` when the executable cannot be found (then nothing is cached).
fn build_id() -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&meta.len().to_le_bytes());
    hasher.update(&modified.as_nanos().to_le_bytes());
    Some(hasher.digest())
}

/// The hash of what recognition depends on besides the article: the knowledge base's files as
/// loaded, and `dossier.toml`.
fn knowledge_hash(corpus: &Corpus, kb: &KnowledgeBase) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(corpus.config_text.as_bytes());
    for source in kb.sources() {
        // Relative to the corpus, so that a corpus moved or copied keeps its cache.
        let path = source
            .path
            .strip_prefix(corpus.root())
            .unwrap_or(&source.path);
        update_path(&mut hasher, path);
        hasher.update(&(source.text.len() as u64).to_le_bytes());
        hasher.update(source.text.as_bytes());
    }
    hasher.digest()
}

fn update_path(hasher: &mut Xxh3, path: &Path) {
    let path = path.to_string_lossy();
    hasher.update(&(path.len() as u64).to_le_bytes());
    hasher.update(path.as_bytes());
}

#[cfg(test)]
mod tests;
