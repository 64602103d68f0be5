//! The server's life over time: finding corpora ([`discovery`]), indexing them in the
//! background with progress ([`indexing`]), keeping open documents ([`documents`]) and files on
//! disk ([`watching`]) in step, telling the client ([`publishing`]), and the requests that need
//! these moving parts ([`queries`]).
//!
//! Heavy work runs on blocking threads and is swapped in whole; bursts of changes are
//! coalesced: each debounced job carries a ticket, and only the latest ticket runs.

mod background;
mod discovery;
mod documents;
mod indexing;
mod publishing;
mod queries;
mod watching;

// The imports the submodules share (each has `use super::*`).
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use dashmap::DashMap;
use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::convert::{path_to_uri, uri_to_path, Lines, TextLines};
use super::diagnostics;
use super::document::OpenDoc;
use super::hover;
use super::navigation;
use super::state::{build_index, load_knowledge, CorpusState, Knowledge, State, Workspace};
use super::tagging;
use crate::corpus::{Article, Corpus, IndexedDoc, CONFIG_FILE};
use crate::kb::EntityId;
use crate::text::LineCol;

/// What an opened or changed document is to the server.
#[derive(Debug, Clone)]
pub enum DocKind {
    /// An article (of a corpus, or a stray one served by the nearest knowledge base).
    Article,
    /// A knowledge-base file of the corpus at this root.
    Knowledge(Arc<CorpusState>),
    /// A `dossier.toml`, or any other file the server does not annotate.
    Other,
}

/// The outcome of opening a document.
#[derive(Debug)]
pub struct Opened {
    kind: DocKind,
    new_corpus: Option<Arc<CorpusState>>,
    no_corpus: bool,
}

/// A link that opens `path` at `at`, for hover cards: a `file:` URI with a `#L` fragment.
pub fn file_link(path: &Path, at: LineCol) -> String {
    let uri = path_to_uri(path)
        .map(|u| u.as_str().to_owned())
        .unwrap_or_default();
    format!("{uri}#L{},{}", at.line + 1, at.column + 1)
}

fn no_knowledge() -> &'static Knowledge {
    static EMPTY: OnceLock<Knowledge> = OnceLock::new();
    EMPTY.get_or_init(Knowledge::default)
}

/// The server's moving parts; cheap to clone into background tasks.
#[derive(Clone)]
pub struct Lifecycle(Arc<Inner>);

struct Inner {
    client: Client,
    state: Arc<State>,
    roots: Mutex<Vec<PathBuf>>,
    tokens: DashMap<Uri, (String, Vec<SemanticToken>)>,
    next_id: AtomicU64,
    tickets: DashMap<String, u64>,
    watcher: Mutex<Option<notify::RecommendedWatcher>>,
    /// Set (under `watcher`'s lock) when the session ends, so that a watcher still being set
    /// up then is dropped instead of outliving the session.
    stopped: AtomicBool,
    warned_no_corpus: AtomicBool,
    /// Turns for the index flushes of edited articles, one per core: when the user stops
    /// typing in many articles at once, their flushes queue here instead of each taking a
    /// thread of its own, which grew the process by a thread (its stack, its allocator heap)
    /// per article (`cargo bench --bench lsp_soak`).
    flushes: tokio::sync::Semaphore,
}

impl Lifecycle {
    /// Moving parts for a server talking to `client` about `state`.
    pub fn new(client: Client, state: Arc<State>) -> Lifecycle {
        Lifecycle(Arc::new(Inner {
            client,
            state,
            roots: Mutex::new(Vec::new()),
            tokens: DashMap::new(),
            next_id: AtomicU64::new(1),
            tickets: DashMap::new(),
            watcher: Mutex::new(None),
            stopped: AtomicBool::new(false),
            warned_no_corpus: AtomicBool::new(false),
            flushes: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
        }))
    }

    fn state(&self) -> &State {
        &self.0.state
    }

    fn client(&self) -> &Client {
        &self.0.client
    }

    /// Whether `ticket_key`'s latest ticket is `ticket` after waiting `delay`: debouncing.
    async fn settle(&self, key: String, delay: Duration) -> bool {
        let ticket = {
            let mut entry = self.0.tickets.entry(key.clone()).or_insert(0);
            *entry += 1;
            *entry
        };
        tokio::time::sleep(delay).await;
        self.0.tickets.get(&key).is_some_and(|t| *t == ticket)
    }
}
