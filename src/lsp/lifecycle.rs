//! The server's life over time: finding corpora, indexing them in the background with
//! progress, keeping open documents and files on disk in step, reloading the knowledge base when
//! it changes, and telling the client (diagnostics, refreshes).
//!
//! Heavy work runs on blocking threads and is swapped in whole; bursts of changes are
//! coalesced: each debounced job carries a ticket, and only the latest ticket runs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use dashmap::DashMap;
use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode, DebounceEventResult, Debouncer};
use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::convert::{path_to_uri, uri_to_path, Lines, TextLines};
use super::diagnostics;
use super::document::OpenDoc;
use super::navigation;
use super::state::{build_index, load_knowledge, CorpusState, Knowledge, State, Workspace};
use super::tagging;
use crate::corpus::{Article, Corpus, CONFIG_FILE};
use crate::kb::EntityId;
use crate::text::LineCol;

/// Quiet time before a burst of knowledge-base edits reloads the knowledge base.
const RELOAD_DELAY: Duration = Duration::from_millis(250);
/// Quiet time before an edited article's diagnostics are republished.
const DIAGNOSTICS_DELAY: Duration = Duration::from_millis(150);
/// Quiet time before an edited article is written into the corpus index.
const INDEX_DELAY: Duration = Duration::from_millis(400);

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
    watcher: Mutex<Option<Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>>>,
    warned_no_corpus: AtomicBool,
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
            warned_no_corpus: AtomicBool::new(false),
        }))
    }

    fn state(&self) -> &State {
        &self.0.state
    }

    fn client(&self) -> &Client {
        &self.0.client
    }

    /// Records the workspace folders (or root) of `initialize`.
    pub fn set_roots(&self, params: &InitializeParams) {
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| uri_to_path(&f.uri))
            .collect();
        #[allow(deprecated)] // older clients send only rootUri
        if roots.is_empty() {
            if let Some(root) = params.root_uri.as_ref().and_then(uri_to_path) {
                roots.push(root);
            }
        }
        *self.0.roots.lock().unwrap_or_else(|e| e.into_inner()) = roots;
    }

    /// Finds the corpora of the workspace and indexes them in the background; starts watching
    /// files when the client does not.
    pub async fn start(&self) {
        let roots = self
            .0
            .roots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut started = Vec::new();
        for root in roots {
            for corpus in discover(&root) {
                let (state, new) = self.state().add_corpus(corpus);
                if new {
                    started.push(state);
                }
            }
        }
        if started.is_empty() {
            self.client()
                .log_message(
                    MessageType::INFO,
                    "dossier: no dossier.toml in the workspace; corpora will be found from the files you open",
                )
                .await;
        }
        self.watch_files().await;
        for corpus in started {
            self.spawn_reindex(corpus, true);
        }
    }

    /// Stops watching files (at `shutdown`).
    pub fn stop(&self) {
        self.0
            .watcher
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
    }

    async fn watch_files(&self) {
        if self.state().options().client_watches_files {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: vec![FileSystemWatcher {
                    glob_pattern: GlobPattern::String("**/*".to_owned()),
                    kind: None,
                }],
            };
            let registration = Registration {
                id: "dossier-watch".to_owned(),
                method: "workspace/didChangeWatchedFiles".to_owned(),
                register_options: serde_json::to_value(options).ok(),
            };
            if self
                .client()
                .register_capability(vec![registration])
                .await
                .is_ok()
            {
                return;
            }
        }
        // The client does not watch for us (Neovim on Linux, Helix): watch ourselves.
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
        let debouncer = new_debouncer(
            Duration::from_millis(300),
            move |result: DebounceEventResult| {
                if let Ok(events) = result {
                    let _ = tx.send(events.into_iter().map(|e| e.path).collect());
                }
            },
        );
        let Ok(mut debouncer) = debouncer else {
            self.client()
                .log_message(
                    MessageType::WARNING,
                    "dossier: cannot watch files; changes on disk are seen when files are opened",
                )
                .await;
            return;
        };
        for corpus in self.state().corpora() {
            let _ = debouncer
                .watcher()
                .watch(corpus.corpus.root(), RecursiveMode::Recursive);
        }
        *self.0.watcher.lock().unwrap_or_else(|e| e.into_inner()) = Some(debouncer);
        let life = self.clone();
        tokio::spawn(async move {
            while let Some(paths) = rx.recv().await {
                let changes = paths
                    .into_iter()
                    .map(|p| {
                        let gone = !p.exists();
                        (p, gone)
                    })
                    .collect();
                life.files_changed(changes).await;
            }
        });
    }

    fn watch_root(&self, root: &Path) {
        if let Some(debouncer) = self
            .0
            .watcher
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            let _ = debouncer.watcher().watch(root, RecursiveMode::Recursive);
        }
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

    /// Loads the knowledge base and indexes `corpus` on a blocking thread, reporting progress,
    /// then swaps the result in and tells the client.
    pub fn spawn_reindex(&self, corpus: Arc<CorpusState>, first: bool) {
        let life = self.clone();
        tokio::spawn(async move { life.reindex(corpus, first).await });
    }

    async fn reindex(&self, corpus: Arc<CorpusState>, first: bool) {
        let progress = if first && self.state().options().progress {
            let token = NumberOrString::String(format!(
                "dossier-index-{}",
                self.0.next_id.fetch_add(1, Ordering::Relaxed)
            ));
            match self.client().create_work_done_progress(token.clone()).await {
                Ok(()) => Some(
                    self.client()
                        .progress(token, "Dossier: indexing")
                        .with_message(corpus.corpus.root().display().to_string())
                        .with_percentage(0)
                        .begin()
                        .await,
                ),
                Err(_) => None,
            }
        } else {
            None
        };

        let state = self.0.state.clone();
        let job_corpus = corpus.clone();
        let generation = state.next_generation();
        let (tx, mut rx) = tokio::sync::watch::channel((0usize, 0usize));
        let (previous, last_good) = {
            let workspace = corpus.read();
            let articles: HashMap<PathBuf, Article> = workspace
                .index
                .docs()
                .map(|(_, d)| (d.article.path().to_path_buf(), d.article.clone()))
                .collect();
            (articles, workspace.knowledge.clone())
        };
        let open = state.open_articles(&corpus);
        let mut job = tokio::task::spawn_blocking(move || {
            let knowledge =
                load_knowledge(&state, &job_corpus.corpus, generation, Some(&last_good));
            let (index, stale) = build_index(
                &job_corpus.corpus,
                &knowledge,
                &open,
                &previous,
                |done, total| {
                    let _ = tx.send((done, total));
                },
            );
            (knowledge, index, stale)
        });
        let result = loop {
            tokio::select! {
                result = &mut job => break result,
                changed = rx.changed() => {
                    if changed.is_err() { continue; }
                    let (done, total) = *rx.borrow_and_update();
                    if let (Some(progress), true) = (&progress, total > 0) {
                        progress
                            .report_with_message(format!("{done}/{total} articles"), (done * 100 / total) as u32)
                            .await;
                    }
                }
            }
        };
        let Ok((knowledge, index, stale_anchors)) = result else {
            self.client()
                .log_message(
                    MessageType::ERROR,
                    "dossier: indexing failed; the previous index stays in force",
                )
                .await;
            return;
        };
        let articles = index.len();
        let entities = knowledge.kb.len();
        let knowledge = Arc::new(knowledge);
        {
            let mut workspace = corpus.write();
            *workspace = Workspace {
                knowledge: knowledge.clone(),
                index,
                stale_anchors,
            };
        }
        // Open documents of this corpus are rescanned with the new knowledge base.
        for mut entry in self.state().docs.iter_mut() {
            let in_corpus = entry
                .value()
                .path
                .as_deref()
                .and_then(|p| self.state().corpus_for(p))
                .is_none_or(|c| Arc::ptr_eq(&c, &corpus));
            if in_corpus {
                entry.value_mut().rescan(&knowledge);
            }
        }
        if let Some(progress) = progress {
            progress
                .finish_with_message(format!("{articles} articles, {entities} entities"))
                .await;
        }
        self.publish_corpus(&corpus).await;
        self.refresh().await;
    }

    /// Asks clients that can to re-request tokens and hints.
    async fn refresh(&self) {
        let options = self.state().options();
        if options.can_refresh_tokens {
            let _ = self.client().semantic_tokens_refresh().await;
        }
        if options.can_refresh_hints {
            let _ = self.client().inlay_hint_refresh().await;
        }
    }

    /// Publishes the knowledge-base problems of `corpus` and the diagnostics of its open
    /// articles.
    async fn publish_corpus(&self, corpus: &Arc<CorpusState>) {
        let encoding = self.state().options().encoding;
        let mut by_file: HashMap<PathBuf, Vec<Diagnostic>> = corpus
            .corpus
            .knowledge_paths()
            .into_iter()
            .chain([corpus.corpus.config_path()])
            .map(|p| (p, Vec::new()))
            .collect();
        {
            let workspace = corpus.read();
            let stale = workspace
                .stale_anchors
                .iter()
                .filter_map(|s| s.problem(&workspace.knowledge.kb));
            for problem in workspace.knowledge.problems.iter().cloned().chain(stale) {
                let problem = &problem;
                let Some(text) = self.state().kb_text(&problem.path) else {
                    continue;
                };
                let lines = crate::text::LineIndex::new(&text);
                let lines = TextLines {
                    text: &text,
                    lines: &lines,
                };
                by_file
                    .entry(problem.path.clone())
                    .or_default()
                    .push(diagnostics::from_problem(problem, &lines, encoding));
            }
        }
        for (path, diagnostics) in by_file {
            if let Some(uri) = path_to_uri(&path) {
                self.client()
                    .publish_diagnostics(uri, diagnostics, None)
                    .await;
            }
        }
        let open: Vec<Uri> = self.state().docs.iter().map(|e| e.key().clone()).collect();
        for uri in open {
            if matches!(self.kind_of(&uri), DocKind::Article) {
                self.publish_article(&uri).await;
            }
        }
    }

    async fn publish_article(&self, uri: &Uri) {
        let options = self.state().options();
        let version = self.state().docs.get(uri).map(|d| d.version);
        let diagnostics = self
            .state()
            .with_doc(uri, |view, ws| {
                diagnostics::for_article(&view, &ws.knowledge.kb, &options)
            })
            .unwrap_or_default();
        self.client()
            .publish_diagnostics(uri.clone(), diagnostics, version)
            .await;
    }

    /// What a document is to the server.
    pub fn kind_of(&self, uri: &Uri) -> DocKind {
        let Some(path) = uri_to_path(uri) else {
            return DocKind::Article;
        };
        if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
            return DocKind::Other;
        }
        if let Some(corpus) = self.state().corpus_for(&path) {
            if let Some(relative) = corpus.relative(&path) {
                if corpus.corpus.is_knowledge(relative) {
                    return DocKind::Knowledge(corpus);
                }
                if corpus.corpus.is_article(relative) {
                    return DocKind::Article;
                }
            }
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("txt" | "md" | "markdown" | "text") => DocKind::Article,
            _ => DocKind::Other,
        }
    }

    /// Whether a document is annotated.
    pub fn is_article(&self, uri: &Uri) -> bool {
        matches!(self.kind_of(uri), DocKind::Article)
    }

    /// Opens a document: synchronous, so nothing overtakes it.
    pub fn open(&self, uri: &Uri, version: i32, text: &str) -> Opened {
        let path = uri_to_path(uri);
        let mut new_corpus = None;
        if let Some(path) = &path {
            if self.state().corpus_for(path).is_none() {
                if let Ok(corpus) = Corpus::find(path) {
                    let (state, new) = self.state().add_corpus(corpus);
                    if new {
                        new_corpus = Some(state);
                    }
                }
            }
        }
        let no_corpus = self.state().corpora().is_empty();
        let kind = self.kind_of(uri);
        if let (DocKind::Knowledge(_), Some(path)) = (&kind, &path) {
            self.state()
                .kb_overlays
                .insert(path.clone(), text.to_owned());
        }
        let doc = match (&kind, self.state().corpus_for_uri(uri)) {
            (DocKind::Article, Some(corpus)) => {
                let workspace = corpus.read();
                let article = path.as_deref().and_then(|p| corpus.corpus.article_name(p));
                OpenDoc::new(path, article, version, text, &workspace.knowledge)
            }
            (DocKind::Article, None) => OpenDoc::new(path, None, version, text, no_knowledge()),
            _ => OpenDoc::plain(path, version, text),
        };
        self.state().docs.insert(uri.clone(), doc);
        Opened {
            kind,
            new_corpus,
            no_corpus,
        }
    }

    /// Follows up an open: indexes a newly found corpus, explains a missing one, publishes.
    pub async fn after_open(&self, uri: &Uri, opened: Opened) {
        if let Some(corpus) = opened.new_corpus {
            self.watch_root(corpus.corpus.root());
            self.spawn_reindex(corpus, true);
        }
        if opened.no_corpus
            && matches!(opened.kind, DocKind::Article)
            && !self.0.warned_no_corpus.swap(true, Ordering::Relaxed)
        {
            let where_ = uri_to_path(uri)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| uri.as_str().to_owned());
            self.client()
                .show_message(
                    MessageType::WARNING,
                    format!("Dossier found no dossier.toml above {where_}, so it has no knowledge base to annotate it with. Create one at the root of your corpus (see the Dossier README)."),
                )
                .await;
        }
        match opened.kind {
            DocKind::Article => self.publish_article(uri).await,
            DocKind::Knowledge(corpus) => self.schedule_reload(corpus),
            DocKind::Other => {}
        }
    }

    /// Applies the changes of a `didChange` in order, synchronously; stale versions are
    /// ignored.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Option<DocKind> {
        let encoding = self.state().options().encoding;
        let kind = self.kind_of(uri);
        let corpus = self.state().corpus_for_uri(uri);
        let workspace = corpus.as_ref().map(|c| c.read());
        let knowledge: &Knowledge = match &workspace {
            Some(w) => &w.knowledge,
            None => no_knowledge(),
        };
        let mut doc = self.state().docs.get_mut(uri)?;
        if version <= doc.version {
            return None;
        }
        for change in changes {
            match change.range {
                Some(range) => {
                    let span = doc.rope.span(range, encoding);
                    doc.edit(span, &change.text, knowledge);
                }
                None => doc.replace_all(&change.text, knowledge),
            }
        }
        doc.version = version;
        if let (DocKind::Knowledge(_), Some(path)) = (&kind, doc.path.clone()) {
            let text = doc.text();
            drop(doc);
            self.state().kb_overlays.insert(path, text);
        }
        Some(kind)
    }

    /// Follows up a change: debounced diagnostics and index update, or a knowledge reload.
    pub async fn after_change(&self, uri: &Uri, kind: DocKind) {
        match kind {
            DocKind::Knowledge(corpus) => self.schedule_reload(corpus),
            DocKind::Article => {
                let life = self.clone();
                let key = format!("diagnostics:{}", uri.as_str());
                let uri_for_diagnostics = uri.clone();
                tokio::spawn(async move {
                    if life.settle(key, DIAGNOSTICS_DELAY).await {
                        life.publish_article(&uri_for_diagnostics).await;
                    }
                });
                let life = self.clone();
                let key = format!("index:{}", uri.as_str());
                let uri = uri.clone();
                tokio::spawn(async move {
                    if life.settle(key, INDEX_DELAY).await {
                        // Copying a large article out of its rope is work for a blocking thread.
                        let _ =
                            tokio::task::spawn_blocking(move || life.flush_to_index(&uri)).await;
                    }
                });
            }
            DocKind::Other => {}
        }
    }

    /// Writes an open article into its corpus's index, so other documents see its edits.
    fn flush_to_index(&self, uri: &Uri) {
        // Take the rope (a cheap clone) and the shared mentions, not the whole document.
        let taken = self.state().docs.get(uri).and_then(|d| {
            let path = d.path.clone()?;
            Some((path, d.rope.clone(), d.shared_mentions(), d.generation()))
        });
        let Some((path, rope, mentions, generation)) = taken else {
            return;
        };
        let Some(corpus) = self.state().corpus_for(&path) else {
            return;
        };
        if !corpus
            .relative(&path)
            .is_some_and(|r| corpus.corpus.is_article(r))
        {
            return;
        }
        // The copy out of the rope and the line index are built before taking the lock.
        let title = corpus.corpus.title_for(&path).map(str::to_owned);
        let article = Article::new(path, rope.to_string()).titled(title.as_deref());
        let mut workspace = corpus.write();
        if generation != workspace.knowledge.generation {
            return; // a reindex is about to bring it in
        }
        workspace.index.upsert(article, mentions.as_ref().clone());
    }

    /// After a save, the disk holds what the index has; nothing to do but keep diagnostics.
    pub async fn after_save(&self, uri: &Uri) {
        if matches!(self.kind_of(uri), DocKind::Article) {
            self.flush_to_index(uri);
        }
    }

    /// Closes a document: the disk is the truth again.
    pub async fn close(&self, uri: &Uri) {
        let kind = self.kind_of(uri);
        self.state().docs.remove(uri);
        self.0.tokens.remove(uri);
        match kind {
            DocKind::Knowledge(corpus) => {
                if let Some(path) = uri_to_path(uri) {
                    self.state().kb_overlays.remove(&path);
                }
                self.schedule_reload(corpus);
            }
            DocKind::Article => {
                self.client()
                    .publish_diagnostics(uri.clone(), Vec::new(), None)
                    .await;
                if let Some(path) = uri_to_path(uri) {
                    self.files_changed(vec![(path.clone(), !path.exists())])
                        .await;
                }
            }
            DocKind::Other => {}
        }
    }

    /// Reloads the knowledge base of `corpus` once edits stop for a moment.
    pub fn schedule_reload(&self, corpus: Arc<CorpusState>) {
        let life = self.clone();
        let key = format!("reload:{}", corpus.corpus.root().display());
        tokio::spawn(async move {
            if life.settle(key, RELOAD_DELAY).await {
                life.reindex(corpus, false).await;
            }
        });
    }

    /// Files created, changed or deleted on disk (from the client or our own watcher).
    pub async fn files_changed(&self, changes: Vec<(PathBuf, bool)>) {
        let mut touched: Vec<Arc<CorpusState>> = Vec::new();
        let mut reload: Vec<Arc<CorpusState>> = Vec::new();
        for (path, deleted) in changes {
            if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
                // A new or changed corpus root: (re)open it.
                if let Some(root) = path.parent() {
                    if let Ok(corpus) = Corpus::open(root) {
                        let (state, _) = self.state().replace_corpus(corpus);
                        self.watch_root(root);
                        reload.push(state);
                    }
                }
                continue;
            }
            let Some(corpus) = self.state().corpus_for(&path) else {
                continue;
            };
            let Some(relative) = corpus.relative(&path).map(Path::to_path_buf) else {
                continue;
            };
            if corpus.corpus.is_knowledge(&relative) {
                if !self.state().kb_overlays.contains_key(&path) || deleted {
                    reload.push(corpus);
                }
                continue;
            }
            if !corpus.corpus.is_article(&relative) {
                continue;
            }
            let open = path_to_uri(&path).is_some_and(|uri| self.state().docs.contains_key(&uri));
            if open {
                continue; // unsaved edits win over the disk
            }
            let article = if deleted {
                None
            } else {
                Article::read(path.clone())
                    .ok()
                    .map(|article| article.titled(corpus.corpus.title_for(&path)))
            };
            {
                let mut workspace = corpus.write();
                match article {
                    Some(article) => {
                        let knowledge = &workspace.knowledge;
                        let mentions =
                            corpus
                                .corpus
                                .annotate(&knowledge.kb, &knowledge.recognizer, &article);
                        workspace.index.upsert(article, mentions);
                    }
                    None => {
                        workspace.index.remove(&path);
                    }
                }
            }
            if !touched.iter().any(|c| Arc::ptr_eq(c, &corpus)) {
                touched.push(corpus);
            }
        }
        for corpus in reload {
            self.schedule_reload(corpus);
        }
        if !touched.is_empty() {
            self.refresh().await;
        }
    }

    /// Remembers the tokens sent for `uri`, returning their result id.
    pub fn remember_tokens(&self, uri: &Uri, data: Vec<SemanticToken>) -> String {
        let id = self.0.next_id.fetch_add(1, Ordering::Relaxed).to_string();
        self.0.tokens.insert(uri.clone(), (id.clone(), data));
        id
    }

    /// The tokens last sent for `uri`, if they are the ones with `result_id`.
    pub fn previous_tokens(&self, uri: &Uri, result_id: &str) -> Option<Vec<SemanticToken>> {
        self.0
            .tokens
            .get(uri)
            .filter(|entry| entry.0 == result_id)
            .map(|entry| entry.1.clone())
    }

    /// The entity at a position: a mention in an article, or a table in a knowledge-base file.
    pub fn entity_at(&self, uri: &Uri, position: Position) -> Option<EntityId> {
        let encoding = self.state().options().encoding;
        if let DocKind::Knowledge(corpus) = self.kind_of(uri) {
            let path = uri_to_path(uri)?;
            let offset = self.state().docs.get(uri)?.rope.offset(position, encoding);
            let workspace = corpus.read();
            return navigation::entity_at_table(&workspace.knowledge.kb, &path, offset);
        }
        self.state()
            .with_doc(uri, |view, _| {
                let offset = view.lines.offset(position, encoding);
                view.mention_at(offset).and_then(|m| m.entity())
            })
            .flatten()
    }

    /// The card of the entity whose table is under the cursor in a knowledge-base file.
    pub fn hover_kb_table(&self, uri: &Uri, position: Position) -> Option<String> {
        let DocKind::Knowledge(corpus) = self.kind_of(uri) else {
            return None;
        };
        let entity = self.entity_at(uri, position)?;
        let workspace = corpus.read();
        Some(super::hover::entity_card(
            &workspace.knowledge.kb,
            &workspace.index,
            entity,
            None,
            &file_link,
        ))
    }

    /// The tagging actions available at a range.
    pub fn code_actions(&self, params: &CodeActionParams) -> CodeActionResponse {
        tagging::actions(
            self.state(),
            &self.kind_of(&params.text_document.uri),
            params,
        )
    }

    /// Runs a tagging command: sends its edit to the client with `workspace/applyEdit` and,
    /// once the client has applied it, makes it the server's knowledge base at once.
    pub async fn execute(&self, params: ExecuteCommandParams) -> RpcResult<Option<LSPAny>> {
        let Some(plan) = tagging::plan(self.state(), &params)? else {
            return Ok(None);
        };
        let response = self
            .client()
            .apply_edit(plan.edit.clone())
            .await
            .map_err(|e| {
                let mut error = tower_lsp_server::jsonrpc::Error::internal_error();
                error.message = format!("the editor did not apply the edit: {}", e.message).into();
                error
            })?;
        if !response.applied {
            let reason = response
                .failure_reason
                .unwrap_or_else(|| "no reason given".to_owned());
            self.client()
                .show_message(
                    MessageType::WARNING,
                    format!("Dossier: the editor did not apply the edit ({reason})."),
                )
                .await;
            return Ok(Some(serde_json::Value::Bool(false)));
        }
        // The editor may not tell us about the knowledge-base buffer (Neovim attaches servers
        // only to the file types it was told to), so the edited text becomes ours now.
        self.state()
            .kb_overlays
            .insert(plan.kb_path.clone(), plan.new_kb_text.clone());
        if let Some(corpus) = self.state().corpus_for(&plan.kb_path) {
            self.reindex(corpus, false).await;
        }
        Ok(Some(serde_json::Value::Bool(true)))
    }
}

/// The corpora under or around a workspace folder: its own `dossier.toml` or the nearest above
/// it, else those in its first two levels of folders.
fn discover(root: &Path) -> Vec<Corpus> {
    if let Ok(corpus) = Corpus::find(root) {
        return vec![corpus];
    }
    walkdir::WalkDir::new(root)
        .max_depth(3)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == CONFIG_FILE)
        .filter_map(|e| e.path().parent().and_then(|p| Corpus::open(p).ok()))
        .collect()
}
