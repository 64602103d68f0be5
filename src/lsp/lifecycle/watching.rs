//! Files changed on disk: from the client's `workspace/didChangeWatchedFiles`, or from our
//! own watcher where the client does not watch (Neovim on Linux, Helix).

use notify::event::{EventKind, EventKindMask, ModifyKind};
use notify::{Config, RecommendedWatcher, RecursiveMode, Watcher};

use super::*;

/// Quiet time that ends a burst of file-system events.
const WATCH_QUIET: Duration = Duration::from_millis(300);

/// The events the watcher asks the kernel for: those that can change what a file holds, or
/// which files there are. Not opens and closes: the server opens every article it indexes,
/// and with inotify's `IN_OPEN` and `IN_CLOSE_NOWRITE` each of those reads woke the watcher's
/// thread twice (a tenth of the indexing time, and at a million articles enough events to
/// overflow the kernel's queue, which loses real changes). A write is reported as a data
/// modification, so the close after it is not needed either; nor are metadata changes.
const WATCHED_KINDS: EventKindMask = EventKindMask::CREATE
    .union(EventKindMask::REMOVE)
    .union(EventKindMask::MODIFY_DATA)
    .union(EventKindMask::MODIFY_NAME);

/// Whether a file-system event can change what a file holds. The watcher asks only for such
/// events ([`WATCHED_KINDS`]), but a backend may still report metadata changes or accesses;
/// reacting to those made the server re-read the corpus every half second and republish
/// diagnostics forever.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(modify) => !matches!(modify, ModifyKind::Metadata(_)),
        // A backend that cannot tell what happened: better one needless check than a miss.
        EventKind::Any => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

/// What the watcher's thread hands to the server.
enum Watched {
    /// A file whose content may have changed, or which was created or removed.
    Changed(PathBuf),
    /// The kernel's event queue overflowed: changes were missed, which ones is unknown.
    Lost,
}

impl Lifecycle {
    /// Stops watching files: at `shutdown`, and when the session ends without one.
    pub fn stop(&self) {
        let mut watcher = self.0.watcher.lock().unwrap_or_else(|e| e.into_inner());
        self.0.stopped.store(true, Ordering::SeqCst);
        watcher.take();
    }

    pub(super) async fn watch_files(&self) {
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
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Watched>();
        let handler = move |result: notify::Result<notify::Event>| {
            if let Ok(event) = result {
                if event.need_rescan() {
                    let _ = tx.send(Watched::Lost);
                } else if changes_content(&event.kind) {
                    for path in event.paths {
                        let _ = tx.send(Watched::Changed(path));
                    }
                }
            }
        };
        let watcher =
            RecommendedWatcher::new(handler, Config::default().with_event_kinds(WATCHED_KINDS));
        let Ok(mut watcher) = watcher else {
            self.client()
                .log_message(
                    MessageType::WARNING,
                    "dossier: cannot watch files; changes on disk are seen when files are opened",
                )
                .await;
            return;
        };
        for corpus in self.state().corpora() {
            let _ = watcher.watch(corpus.corpus.root(), RecursiveMode::Recursive);
        }
        {
            let mut slot = self.0.watcher.lock().unwrap_or_else(|e| e.into_inner());
            if self.0.stopped.load(Ordering::SeqCst) {
                return; // the session ended while the watcher was being set up
            }
            *slot = Some(watcher);
        }
        let life = self.clone();
        tokio::spawn(async move { life.follow_watcher(rx).await });
    }

    /// Turns the watcher's paths into [`Lifecycle::files_changed`] calls, one per burst: a
    /// save is several events (write, close, and for atomic saves a rename), and a `git
    /// checkout` is thousands.
    async fn follow_watcher(&self, mut rx: tokio::sync::mpsc::UnboundedReceiver<Watched>) {
        while let Some(first) = rx.recv().await {
            let mut burst = Vec::new();
            let mut lost = false;
            let mut next = Some(first);
            while let Some(watched) = next {
                match watched {
                    Watched::Changed(path) => burst.push(path),
                    Watched::Lost => lost = true,
                }
                next = tokio::time::timeout(WATCH_QUIET, rx.recv())
                    .await
                    .ok()
                    .flatten();
            }
            if lost {
                // Any file may have changed unseen: index every corpus again. Articles whose
                // stamps are unchanged since the index cache was written are not read again.
                self.client()
                    .log_message(
                        MessageType::WARNING,
                        "dossier: the file watcher lost events (too many at once); re-indexing",
                    )
                    .await;
                for corpus in self.state().corpora() {
                    self.schedule_reload(corpus);
                }
                continue;
            }
            burst.sort();
            burst.dedup();
            let changes = burst
                .into_iter()
                .map(|p| {
                    let gone = !p.exists();
                    (p, gone)
                })
                .collect();
            self.files_changed(changes).await;
        }
    }

    pub(super) fn watch_root(&self, root: &Path) {
        if let Some(watcher) = self
            .0
            .watcher
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_mut()
        {
            let _ = watcher.watch(root, RecursiveMode::Recursive);
        }
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
                        let same = self.state().corpus_for(&path).is_some_and(|served| {
                            served.corpus.root() == root
                                && served.corpus.config() == corpus.config()
                        });
                        if same {
                            continue; // saved without a change of settings
                        }
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
                match Article::read(path.clone()) {
                    Ok(article) => Some(article.titled(corpus.corpus.title_for(&path))),
                    Err(err) => {
                        // Out of the index, as a deleted file, but not without a word.
                        self.left_out(&[err]).await;
                        None
                    }
                }
            };
            let changed = match article {
                Some(article) => self.reannotate(&corpus, article),
                None => corpus.write().index.remove(&path).is_some(),
            };
            if !changed {
                continue;
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

    /// Annotates an article read from disk off the lock and puts it in the index; whether
    /// anything changed (a file saved with the same text, or a `touch`, changes nothing).
    fn reannotate(&self, corpus: &CorpusState, article: Article) -> bool {
        let mut knowledge = {
            let workspace = corpus.read();
            let unchanged = workspace
                .index
                .doc_id(article.path())
                .and_then(|id| workspace.index.doc(id))
                .is_some_and(|doc| doc.describes(article.text()));
            if unchanged {
                return false;
            }
            workspace.knowledge.clone()
        };
        loop {
            let mentions = corpus
                .corpus
                .annotate(&knowledge.kb, &knowledge.recognizer, &article);
            let doc = IndexedDoc::new(&article, mentions);
            let mut workspace = corpus.write();
            if workspace.knowledge.generation == knowledge.generation {
                workspace.index.insert(doc);
                return true;
            }
            // The knowledge base was reloaded meanwhile: annotate with the new one.
            knowledge = workspace.knowledge.clone();
        }
    }
}
