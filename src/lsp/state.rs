//! What the server knows: the corpora it serves, each with its knowledge base and index, and the
//! documents the editor has open.
//!
//! Readers never wait behind heavy work. A corpus's knowledge and index sit behind a lock that
//! is only ever held briefly: a full (re)index is built off the lock, on a blocking thread, and
//! swapped in whole; a single article's update is an in-place upsert of microseconds. Open
//! documents live in a concurrent map, each updated synchronously by its own notifications.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use dashmap::DashMap;
use tower_lsp_server::ls_types::Uri;

use super::completion::FormIndex;
use super::convert::{uri_to_path, Lines, TextLines};
use super::document::OpenDoc;
use super::options::Options;
use crate::corpus::{Article, Corpus, CorpusIndex, IndexReport, StaleAnchor};
use crate::kb::KnowledgeBase;
use crate::problem::Problem;
use crate::recognize::{Mention, Recognizer};

/// A knowledge base ready to use: the entities, their automaton and what is wrong with them.
#[derive(Debug, Default)]
pub struct Knowledge {
    /// The entities in force: the last good ones when the files have errors.
    pub kb: KnowledgeBase,
    /// The automaton built from them.
    pub recognizer: Recognizer,
    /// Problems of the knowledge-base files as they are now.
    pub problems: Vec<Problem>,
    /// Every name and alias, sorted for completion.
    pub forms: FormIndex,
    /// Increases with every reload; mentions found with another generation are stale.
    pub generation: u64,
}

/// A corpus's knowledge and index, replaced together so entity ids always agree.
#[derive(Debug, Default)]
pub struct Workspace {
    /// The knowledge base in force.
    pub knowledge: Arc<Knowledge>,
    /// Every article's mentions.
    pub index: CorpusIndex,
    /// The `[[untag]]`/`[[assign]]` tables that applied to nothing at the last indexing.
    pub stale_anchors: Vec<StaleAnchor>,
}

/// One corpus served by the server.
#[derive(Debug)]
pub struct CorpusState {
    /// Its root and settings.
    pub corpus: Corpus,
    workspace: RwLock<Workspace>,
    /// Whether its knowledge base has been loaded once. Until then an answer would be wrong,
    /// not merely incomplete (every name a candidate, no hints), and Helix never asks again.
    loaded: tokio::sync::watch::Sender<bool>,
}

impl CorpusState {
    /// A corpus with nothing loaded yet.
    pub fn new(corpus: Corpus) -> CorpusState {
        CorpusState {
            corpus,
            workspace: RwLock::new(Workspace::default()),
            loaded: tokio::sync::watch::Sender::new(false),
        }
    }

    /// Whether the knowledge base has been loaded once.
    pub fn is_loaded(&self) -> bool {
        *self.loaded.borrow()
    }

    /// Records the first load of the knowledge base, releasing the requests waiting for it.
    pub fn mark_loaded(&self) {
        self.loaded.send_replace(true);
    }

    /// Waits at most `limit` for the first load of the knowledge base; whether it is loaded.
    pub async fn wait_loaded(&self, limit: std::time::Duration) -> bool {
        if self.is_loaded() {
            return true; // every request after the first load: no subscription
        }
        let mut loaded = self.loaded.subscribe();
        let waited = tokio::time::timeout(limit, loaded.wait_for(|l| *l)).await;
        matches!(waited, Ok(Ok(_)))
    }

    /// Shared access, held briefly.
    pub fn read(&self) -> RwLockReadGuard<'_, Workspace> {
        self.workspace.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Exclusive access, held only to swap or upsert.
    pub fn write(&self) -> RwLockWriteGuard<'_, Workspace> {
        self.workspace.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The path of `path` relative to the root, if it is inside the corpus.
    pub fn relative<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        path.strip_prefix(self.corpus.root()).ok()
    }
}

/// A document as a request sees it: open in the editor, or known only from the index.
pub struct DocView<'a> {
    /// Its mentions, in text order.
    pub mentions: &'a [Mention],
    /// Its lines, for positions.
    pub lines: &'a dyn Lines,
    /// The text of a span.
    text: &'a dyn Fn(std::ops::Range<usize>) -> String,
}

impl DocView<'_> {
    /// The text of `span`.
    pub fn text(&self, span: std::ops::Range<usize>) -> String {
        (self.text)(span)
    }

    /// The mention under byte `offset` (inclusive of its end, where editors put the cursor
    /// after typing a name).
    pub fn mention_at(&self, offset: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.span.end < offset);
        self.mentions.get(i).filter(|m| m.span.start <= offset)
    }
}

/// Everything the server holds.
#[derive(Debug, Default)]
pub struct State {
    options: RwLock<Options>,
    corpora: RwLock<Vec<Arc<CorpusState>>>,
    /// Documents open in the editor, by URI.
    pub docs: DashMap<Uri, OpenDoc>,
    /// Knowledge-base texts that differ from the disk: open buffers, or edits the server sent.
    pub kb_overlays: DashMap<PathBuf, String>,
    generation: AtomicU64,
}

impl State {
    /// The options in force.
    pub fn options(&self) -> Options {
        self.options
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Sets the options agreed at `initialize`.
    pub fn set_options(&self, options: Options) {
        *self.options.write().unwrap_or_else(|e| e.into_inner()) = options;
    }

    /// Every corpus served.
    pub fn corpora(&self) -> Vec<Arc<CorpusState>> {
        self.corpora
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Adds a corpus unless one with the same root is served already; returns the one served.
    pub fn add_corpus(&self, corpus: Corpus) -> (Arc<CorpusState>, bool) {
        let mut corpora = self.corpora.write().unwrap_or_else(|e| e.into_inner());
        if let Some(existing) = corpora.iter().find(|c| c.corpus.root() == corpus.root()) {
            return (existing.clone(), false);
        }
        let state = Arc::new(CorpusState::new(corpus));
        corpora.push(state.clone());
        (state, true)
    }

    /// Serves `corpus` in place of the one with the same root (its `dossier.toml` changed),
    /// or adds it; the new state starts empty and must be indexed.
    pub fn replace_corpus(&self, corpus: Corpus) -> (Arc<CorpusState>, bool) {
        let mut corpora = self.corpora.write().unwrap_or_else(|e| e.into_inner());
        let state = Arc::new(CorpusState::new(corpus));
        match corpora
            .iter_mut()
            .find(|c| c.corpus.root() == state.corpus.root())
        {
            Some(slot) => {
                *slot = state.clone();
                (state, false)
            }
            None => {
                corpora.push(state.clone());
                (state, true)
            }
        }
    }

    /// The corpus a path belongs to: the one with the deepest root above it.
    pub fn corpus_for(&self, path: &Path) -> Option<Arc<CorpusState>> {
        self.corpora()
            .into_iter()
            .filter(|c| path.starts_with(c.corpus.root()))
            .max_by_key(|c| c.corpus.root().components().count())
    }

    /// The corpus serving a document: the one it lies in, else the first one served, so that
    /// a stray article still gets the nearest knowledge base there is.
    pub fn corpus_for_uri(&self, uri: &Uri) -> Option<Arc<CorpusState>> {
        uri_to_path(uri)
            .and_then(|p| self.corpus_for(&p))
            .or_else(|| self.corpora().into_iter().next())
    }

    /// A fresh knowledge generation number.
    pub fn next_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Runs `f` on the document at `uri` with its corpus's workspace, rescanning an open
    /// document first if the knowledge base changed since it was scanned.
    pub fn with_doc<R>(
        &self,
        uri: &Uri,
        f: impl FnOnce(DocView<'_>, &Workspace) -> R,
    ) -> Option<R> {
        let corpus = self.corpus_for_uri(uri)?;
        let workspace = corpus.read();
        let knowledge = &workspace.knowledge;
        if let Some(mut doc) = self.docs.get_mut(uri) {
            if doc.generation() != knowledge.generation && doc.is_annotated() {
                doc.rescan(knowledge);
            }
        }
        // Take what the request needs and let the document go, so that no map lock is held
        // while the feature runs (it may look up other documents).
        let open = self
            .docs
            .get(uri)
            .map(|doc| (doc.rope.clone(), doc.shared_mentions()));
        if let Some((rope, mentions)) = open {
            // Spans are snapped to character boundaries (a byte range a feature computed, such
            // as "the few bytes after a mention", must not panic inside a character).
            let text = |span: std::ops::Range<usize>| {
                let floor =
                    |at: usize| rope.char_to_byte(rope.byte_to_char(at.min(rope.len_bytes())));
                let (start, end) = (floor(span.start), floor(span.end));
                rope.byte_slice(start..end.max(start)).to_string()
            };
            let view = DocView {
                mentions: &mentions,
                lines: &rope,
                text: &text,
            };
            return Some(f(view, &workspace));
        }
        // An article the client has not opened: the index keeps no text, so it is read, with
        // the workspace let go meanwhile (a large or uncached file must not hold off the
        // index's writers, nor the requests queued behind them).
        let path = uri_to_path(uri)?;
        workspace.index.doc_id(&path)?;
        drop(workspace);
        let article = corpus.corpus.read_article(&path).ok()?;
        let workspace = corpus.read();
        let knowledge = &workspace.knowledge;
        let id = workspace.index.doc_id(&path)?;
        let doc = workspace.index.doc(id)?;
        let mentions =
            corpus
                .corpus
                .mentions_of(doc, &article, &knowledge.kb, &knowledge.recognizer);
        let lines = TextLines {
            text: article.text(),
            lines: article.lines(),
        };
        let article_text = article.text();
        let text = |span: std::ops::Range<usize>| {
            let floor = |at: usize| crate::text::floor_char_boundary(article_text, at);
            let (start, end) = (floor(span.start), floor(span.end));
            article_text
                .get(start..end.max(start))
                .map(str::to_owned)
                .unwrap_or_default()
        };
        let view = DocView {
            mentions: &mentions,
            lines: &lines,
            text: &text,
        };
        Some(f(view, &workspace))
    }

    /// The text of a knowledge-base file as the server should read it: the overlay if any.
    pub fn kb_text(&self, path: &Path) -> Option<String> {
        self.read_kb(path).ok()
    }

    /// Like [`State::kb_text`], saying why a file on disk could not be read.
    fn read_kb(&self, path: &Path) -> Result<String, crate::corpus::Error> {
        match self.kb_overlays.get(path) {
            Some(text) => Ok(text.clone()),
            None => crate::corpus::read_text(path),
        }
    }

    /// Texts of the open documents under `corpus` that are its articles, by path.
    pub fn open_articles(&self, corpus: &CorpusState) -> HashMap<PathBuf, String> {
        self.docs
            .iter()
            .filter_map(|entry| {
                let path = entry.value().path.clone()?;
                let relative = corpus.relative(&path)?;
                corpus
                    .corpus
                    .is_article(relative)
                    .then(|| (path, entry.value().text()))
            })
            .collect()
    }
}

/// Loads the knowledge of `corpus`, reading overlays before the disk. When the files have
/// errors, the entities of `last_good` stay in force and only the problems are new.
pub fn load_knowledge(
    state: &State,
    corpus: &Corpus,
    generation: u64,
    last_good: Option<&Knowledge>,
) -> Knowledge {
    let (kb, problems) = corpus.load_knowledge_with(|path| state.read_kb(path));
    let broken = problems.iter().any(Problem::is_error);
    match (broken, last_good) {
        (true, Some(good)) if !good.kb.is_empty() => Knowledge {
            kb: good.kb.clone(),
            recognizer: Recognizer::new(&good.kb),
            forms: FormIndex::new(&good.kb),
            problems,
            generation,
        },
        _ => Knowledge {
            recognizer: Recognizer::new(&kb),
            forms: FormIndex::new(&kb),
            kb,
            problems,
            generation,
        },
    }
}

/// Recognises every article of `corpus` with `knowledge`, open buffers winning over the disk.
/// `progress` is told `(done, total)` now and then. Articles and folders that cannot be read
/// are left out and returned, for the log: the user must hear why a file is missing from the
/// corpus.
pub fn build_index(
    corpus: &Corpus,
    knowledge: &Knowledge,
    open: &HashMap<PathBuf, String>,
    progress: impl FnMut(usize, usize),
) -> IndexReport {
    let open_text = |path: &Path| open.get(path).map(|text| Article::new(path, text.as_str()));
    let mut report =
        match corpus.index_report_with(&knowledge.kb, &knowledge.recognizer, open_text, progress) {
            Ok(report) => report,
            Err(err) => IndexReport {
                index: CorpusIndex::new(knowledge.kb.len()),
                failures: vec![err],
                stale_anchors: Vec::new(),
                cache_notes: Vec::new(),
                reused: 0,
                unread: 0,
            },
        };
    add_unsaved(corpus, knowledge, open, &mut report.index);
    report
}

/// Adds the open articles that are not on disk yet (new files the editor has not saved) to
/// `index`: open documents are the corpus's truth.
fn add_unsaved(
    corpus: &Corpus,
    knowledge: &Knowledge,
    open: &HashMap<PathBuf, String>,
    index: &mut CorpusIndex,
) {
    for (path, text) in open {
        if index.doc_id(path).is_none() {
            let article = Article::new(path.clone(), text.as_str()).titled(corpus.title_for(path));
            let mentions = corpus.annotate(&knowledge.kb, &knowledge.recognizer, &article);
            index.upsert(&article, mentions);
        }
    }
}
