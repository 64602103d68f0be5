//! Files changed on disk: from the client's `workspace/didChangeWatchedFiles`, or from our
//! own watcher where the client does not watch (Neovim on Linux, Helix).

use super::*;

impl Lifecycle {
    /// Stops watching files (at `shutdown`).
    pub fn stop(&self) {
        self.0
            .watcher
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
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

    pub(super) fn watch_root(&self, root: &Path) {
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
                Article::read(path.clone()).ok()
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
}
