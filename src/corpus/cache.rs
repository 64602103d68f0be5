//! The persistent index: what indexing found, kept under the corpus in `.dossier/index.bin`,
//! so that the next start (of the server or of `dossier check`) reads and recognises only the
//! articles that changed.
//!
//! What makes an entry trusted:
//! - the file as a whole belongs to one knowledge base and one build of Dossier. Its key hashes
//!   the knowledge base's files as they were loaded (paths and texts, unsaved editor buffers
//!   included), `dossier.toml`, the file format, and the build that wrote it (its version and
//!   its executable's size and modification time: a rebuilt binary starts afresh, since its
//!   rules may find other mentions). Any other key and the whole file is ignored;
//! - each article's entry holds the xxh3 hash of the text it was recognised in, and the file's
//!   [`Stamp`] (size, modification and change times, inode) taken before that text was read.
//!   An article whose stamp is the same now is taken from the entry without being read — but
//!   only if it had last changed a while ([`RACY`]) before the indexing that wrote the entry
//!   began: a file written twice within one tick of the file system's clock keeps its stamp,
//!   and a change made as the entry was written could otherwise pass unseen (git's "racy
//!   clean" problem). Any other article is read, and its entry reused only for a text that
//!   hashes the same;
//! - the file ends with a checksum of everything before it, and every mention read back must
//!   fit its article (its span inside the text, on character boundaries, or inside the file's
//!   size when the text is not read; entities and anchors the knowledge base has). A file that
//!   fails any of this is ignored with a note for the log, never trusted: the articles are
//!   recognised afresh and the file rewritten. Features that later need an unread article's
//!   text check it against the hash ([`super::Corpus::reread`]).
//!
//! The cache is a convenience, never a source of truth: it is written atomically
//! ([`crate::atomic_file`]) and on a best-effort basis. A corpus on a read-only disk is indexed
//! as before, with a note. The folder carries its own `.gitignore`, so a corpus kept in git
//! does not pick it up.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use super::index::{InDoc, IndexedDoc};
use super::Corpus;
use crate::kb::{AnchorId, EntityId, KnowledgeBase};
use crate::recognize::{Form, Mention, Target};
use crate::text::Place;

/// The folder under a corpus's root that holds what Dossier keeps for itself.
pub const CACHE_DIR: &str = ".dossier";

/// The index file in [`CACHE_DIR`].
const FILE: &str = "index.bin";

/// The first bytes of an index file: what it is, before anything is decoded.
const MAGIC: &[u8; 8] = b"DOSSIDX\0";

/// Bumped whenever the layout of the file or of an entry changes.
const FORMAT: u32 = 3;

/// How long before an indexing began an article must have last changed for its stamp alone to
/// vouch for it at the next start: more than the coarsest clock of a file system in use (two
/// seconds, FAT's).
pub const RACY: Duration = Duration::from_secs(3);

/// What a cache file must have been written for to be read: one build, one knowledge base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Key {
    format: u32,
    build: u64,
    knowledge: u64,
}

/// The file's contents after its magic bytes and before its checksum, borrowed from them.
struct Stored<'a> {
    key: Key,
    /// When the indexing that wrote the file began, in nanoseconds since the Unix epoch.
    began: u64,
    articles: Vec<EntryRef<'a>>,
}

/// What a file's metadata says of its contents: equal stamps, and the file was not written to
/// since (within the limits [`RACY`] guards against).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    modified: u64,
    /// Status change time (any write, rename or restored modification time changes it) and
    /// inode, where the platform has them; zero elsewhere.
    changed: u64,
    inode: u64,
}

impl Stamp {
    /// The stamp of the file at `path`, if its metadata can be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = nanos(meta.modified().ok()?)?;
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            let changed = u64::try_from(meta.ctime()).ok()? * 1_000_000_000
                + u64::try_from(meta.ctime_nsec()).ok()?;
            (changed, meta.ino())
        };
        #[cfg(not(unix))]
        let (changed, inode) = (0, 0);
        Some(Stamp {
            size: meta.len(),
            modified,
            changed,
            inode,
        })
    }

    /// The latest time the stamp records a change at.
    fn latest(&self) -> u64 {
        self.modified.max(self.changed)
    }
}

/// Nanoseconds since the Unix epoch, if `time` is after it (and before 2554).
fn nanos(time: SystemTime) -> Option<u64> {
    u64::try_from(time.duration_since(UNIX_EPOCH).ok()?.as_nanos()).ok()
}

/// What indexing found in one article: its name in the corpus, its text's hash, the stamp of
/// its file, and what the index keeps of it, encoded (an entry reused from the last file is
/// written back without being decoded and encoded again).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    name: String,
    hash: u64,
    stamp: Option<Stamp>,
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

/// What the index keeps of an article besides its mentions, as the file keeps it.
#[derive(Serialize, Deserialize)]
struct StoredDoc {
    title: String,
    /// Each mention's start and end: line, UTF-8 column and UTF-16 column of each.
    places: Vec<[u32; 6]>,
    counts: Vec<StoredCount>,
}

/// One entity in one article ([`InDoc`]) as the file keeps it.
#[derive(Serialize, Deserialize)]
struct StoredCount {
    entity: u32,
    count: u32,
    first: [u32; 2],
    titles: Vec<String>,
}

/// An entry's payload: the mentions, the anchors that matched none of them, and the rest of
/// what the index keeps.
type Payload = (Vec<StoredMention>, Vec<u32>, StoredDoc);

/// What an entry holds, decoded for an article: the entry to write back, the article as the
/// index keeps it, and its stale anchors.
pub type Reused = (Kept, IndexedDoc, Vec<AnchorId>);

/// An entry of the next file: one of the file found, by name, with its file's stamp now (kept
/// where it is rather than copied: at a million articles the file is hundreds of megabytes),
/// or a new one.
#[derive(Debug, Clone)]
pub enum Kept {
    /// The entry of the article of this name in the file found.
    Old {
        /// The article's name in the corpus.
        name: String,
        /// Its file's stamp now.
        stamp: Option<Stamp>,
    },
    /// An entry made by this indexing.
    New(Entry),
}

/// An entry as read and written: the same bytes as [`Entry`], borrowed from the file found or
/// from a new entry.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct EntryRef<'a> {
    name: &'a str,
    hash: u64,
    stamp: Option<Stamp>,
    payload: &'a [u8],
}

/// The file found: its bytes, and where each article's entry lies in them. Entries stay in
/// place: copied out one by one, a million articles' entries took as much memory again.
#[derive(Debug, Default)]
struct OldFile {
    bytes: Vec<u8>,
    entries: HashMap<String, OldEntry>,
}

/// Where one entry of the file found lies.
#[derive(Debug, Clone)]
struct OldEntry {
    hash: u64,
    stamp: Option<Stamp>,
    payload: std::ops::Range<usize>,
}

impl OldFile {
    /// The entries of a file's `bytes`, or what is wrong with them, with the key and start of
    /// the indexing that wrote it.
    fn read(bytes: Vec<u8>) -> Result<(Key, u64, OldFile), String> {
        let (key, began, entries) = {
            let decoded = decode(&bytes)?;
            let base = bytes.as_ptr() as usize;
            let entries = decoded
                .articles
                .iter()
                .map(|e| {
                    let start = e.payload.as_ptr() as usize - base;
                    let entry = OldEntry {
                        hash: e.hash,
                        stamp: e.stamp,
                        payload: start..start + e.payload.len(),
                    };
                    (e.name.to_owned(), entry)
                })
                .collect();
            (decoded.key, decoded.began, entries)
        };
        Ok((key, began, OldFile { bytes, entries }))
    }

    /// The entry of the article `name`.
    fn get(&self, name: &str) -> Option<EntryRef<'_>> {
        let (name, entry) = self.entries.get_key_value(name)?;
        Some(EntryRef {
            name,
            hash: entry.hash,
            stamp: entry.stamp,
            payload: self.bytes.get(entry.payload.clone())?,
        })
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    /// A file found holding `entries`, for tests that make one up.
    #[cfg(test)]
    fn of(entries: &[Entry]) -> OldFile {
        let mut old = OldFile::default();
        for e in entries {
            let start = old.bytes.len();
            old.bytes.extend_from_slice(&e.payload);
            let entry = OldEntry {
                hash: e.hash,
                stamp: e.stamp,
                payload: start..old.bytes.len(),
            };
            old.entries.insert(e.name.clone(), entry);
        }
        old
    }
}

impl<'a> From<&'a Entry> for EntryRef<'a> {
    fn from(entry: &'a Entry) -> EntryRef<'a> {
        EntryRef {
            name: &entry.name,
            hash: entry.hash,
            stamp: entry.stamp,
            payload: &entry.payload,
        }
    }
}

/// The cache of one indexing: the entries of the file found at its start, and where to write
/// the next one.
#[derive(Debug)]
pub struct IndexCache {
    dir: PathBuf,
    key: Option<Key>,
    old: OldFile,
    /// When this indexing began (ns since the epoch), for the file it writes.
    began: u64,
    /// An article whose stamp says it last changed before this (ns since the epoch) is taken
    /// from the file found on its stamp alone; zero when no file was found.
    settled_before: u64,
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
            old: OldFile::default(),
            began: nanos(SystemTime::now()).unwrap_or(0),
            settled_before: 0,
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
        match OldFile::read(bytes) {
            Ok((found, began, old)) if found == key => {
                let racy = u64::try_from(RACY.as_nanos()).unwrap_or(u64::MAX);
                cache.settled_before = began.saturating_sub(racy);
                cache.old = old;
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
        self.old.len() == 0
    }

    /// What the cache holds for the article `name` at `path`, read as `text` now, if it holds
    /// it for exactly that text and it fits the text and `kb`. The entry comes back with the
    /// file's stamp now, for the next file.
    pub fn lookup(
        &self,
        name: &str,
        path: &Path,
        text: &str,
        stamp: Option<Stamp>,
        kb: &KnowledgeBase,
    ) -> Option<Reused> {
        let entry = self.old.get(name)?;
        if entry.hash != xxh3_64(text.as_bytes()) {
            return None;
        }
        let fits = |start: usize, end: usize| start <= end && text.get(start..end).is_some();
        let (doc, stale) = decode_payload(&entry, path, fits, kb)?;
        let kept = Kept::Old {
            name: name.to_owned(),
            stamp,
        };
        Some((kept, doc, stale))
    }

    /// What the cache holds for the article `name` at `path` without reading it, if its file's
    /// stamp is the one recorded, and it had settled before the last indexing began ([`RACY`]).
    pub fn lookup_unread(
        &self,
        name: &str,
        path: &Path,
        stamp: Stamp,
        kb: &KnowledgeBase,
    ) -> Option<Reused> {
        let entry = self.old.get(name)?;
        if entry.stamp != Some(stamp) || stamp.latest() >= self.settled_before {
            return None;
        }
        let size = usize::try_from(stamp.size).ok()?;
        let fits = |start: usize, end: usize| start <= end && end <= size;
        let (doc, stale) = decode_payload(&entry, path, fits, kb)?;
        let kept = Kept::Old {
            name: name.to_owned(),
            stamp: Some(stamp),
        };
        Some((kept, doc, stale))
    }

    /// A writer of the next file, to be handed each article's entry in the corpus's order.
    pub fn writer(&self) -> CacheWriter<'_> {
        CacheWriter::new(self)
    }
}

impl Entry {
    /// The entry of the article `name`, indexed as `doc` from a file stamped `stamp` (none for
    /// an editor's buffer) with `stale` anchors.
    pub fn new(name: String, stamp: Option<Stamp>, doc: &IndexedDoc, stale: &[AnchorId]) -> Entry {
        let (stored, places): (Vec<StoredMention>, Vec<[u32; 6]>) = doc
            .placed_mentions()
            .map(|(m, [a, b])| {
                let place = [a.line, a.utf8, a.utf16, b.line, b.utf8, b.utf16];
                (StoredMention::from(&m), place)
            })
            .unzip();
        let stale: Vec<u32> = stale.iter().map(|a| a.0).collect();
        let counts = doc
            .entity_counts()
            .iter()
            .map(|c| StoredCount {
                entity: c.entity.0,
                count: c.count,
                first: c.first,
                titles: c.titles.to_vec(),
            })
            .collect();
        let rest = StoredDoc {
            title: doc.title().to_owned(),
            places,
            counts,
        };
        // Encoding plain integers and strings into a Vec cannot fail; were it to, the empty
        // payload does not decode, and the article is recognised afresh next time.
        let payload = postcard::to_stdvec(&(stored, stale, rest)).unwrap_or_default();
        Entry {
            name,
            hash: doc.text_hash(),
            stamp,
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

/// The article and stale anchors of an entry, or `None` unless all of it fits: every span by
/// `fits` (the text, or the file's size), entities and anchors the knowledge base has, a place
/// for every mention.
fn decode_payload(
    entry: &EntryRef<'_>,
    path: &Path,
    fits: impl Fn(usize, usize) -> bool,
    kb: &KnowledgeBase,
) -> Option<(IndexedDoc, Vec<AnchorId>)> {
    let (stored, stale, rest): Payload = postcard::from_bytes(entry.payload).ok()?;
    let span = |start: u64, end: u64| -> Option<std::ops::Range<usize>> {
        let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
        fits(start, end).then_some(start..end)
    };
    let entity = |id: u32| ((id as usize) < kb.len()).then_some(EntityId(id));
    let mut mentions = Vec::with_capacity(stored.len());
    for m in stored {
        let title = match m.title {
            Some((start, end)) => Some(span(start, end)?),
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
            span: span(m.start, m.end)?,
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
    let place = |line, utf8, utf16| Place { line, utf8, utf16 };
    let places = rest
        .places
        .iter()
        .map(|&[l, a, b, m, c, d]| [place(l, a, b), place(m, c, d)])
        .collect();
    let counts = rest
        .counts
        .into_iter()
        .map(|c| {
            Some(InDoc {
                entity: entity(c.entity)?,
                count: c.count,
                first: c.first,
                titles: c.titles.into_boxed_slice(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let doc = IndexedDoc::from_parts(
        path.to_path_buf(),
        rest.title,
        entry.hash,
        mentions,
        places,
        counts,
    )?;
    Some((doc, stale))
}

/// The contents of a file's bytes, or what is wrong with them. After the magic bytes: the key
/// and when its indexing began, then each entry after a `1`, a `0` after the last, and the
/// checksum of all of it ([`writer`] writes it so, one entry at a time).
fn decode(bytes: &[u8]) -> Result<Stored<'_>, String> {
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
    let undecodable = |e: postcard::Error| format!("cannot be decoded: {e}");
    let ((key, began), mut rest): ((Key, u64), _) =
        postcard::take_from_bytes(body).map_err(undecodable)?;
    let mut articles = Vec::new();
    loop {
        match rest.split_first() {
            Some((1, more)) => {
                let (entry, more) = postcard::take_from_bytes(more).map_err(undecodable)?;
                articles.push(entry);
                rest = more;
            }
            Some((0, [])) => break,
            _ => return Err("cannot be decoded: an entry is cut or misplaced".into()),
        }
    }
    Ok(Stored {
        key,
        began,
        articles,
    })
}

/// This build of Dossier: its version and its executable's size and modification time, or
/// `None` when the executable cannot be found (then nothing is cached).
fn build_id() -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let modified = nanos(meta.modified().ok()?)?;
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&meta.len().to_le_bytes());
    hasher.update(&modified.to_le_bytes());
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

mod writer;
pub use writer::CacheWriter;

#[cfg(test)]
mod tests;
