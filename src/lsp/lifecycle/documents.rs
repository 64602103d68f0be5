//! Documents the editor opens, changes, saves and closes: kept in step synchronously, then
//! followed up (diagnostics, the corpus index, knowledge reloads) in the background.

use super::*;

/// Quiet time before an edited article's diagnostics are republished.
const DIAGNOSTICS_DELAY: Duration = Duration::from_millis(150);
/// Quiet time before an edited article is written into the corpus index.
const INDEX_DELAY: Duration = Duration::from_millis(400);

impl Lifecycle {
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
        if matches!(kind, DocKind::Article) {
            // Open documents are the corpus's truth, saved or not.
            self.flush_to_index(uri);
        }
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

    /// Applies the changes of a `didChange` in order, synchronously. A change to a document
    /// that is not open, or with a version no newer than the one held, is not applied: the
    /// error says why, for the log, since the editor and the server now disagree on the text.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Result<DocKind, String> {
        let encoding = self.state().options().encoding;
        let kind = self.kind_of(uri);
        let corpus = self.state().corpus_for_uri(uri);
        let workspace = corpus.as_ref().map(|c| c.read());
        let knowledge: &Knowledge = match &workspace {
            Some(w) => &w.knowledge,
            None => no_knowledge(),
        };
        let Some(mut doc) = self.state().docs.get_mut(uri) else {
            return Err(format!(
                "dossier: ignored a change to {}, which is not open (no didOpen came for it)",
                uri.as_str()
            ));
        };
        if version <= doc.version {
            return Err(format!(
                "dossier: ignored a change to {} with version {version}, not newer than version {} already applied",
                uri.as_str(),
                doc.version
            ));
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
        Ok(kind)
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
                        let Ok(_turn) = life.0.flushes.acquire().await else {
                            return; // closed: the server is going away
                        };
                        // Copying a large article out of its rope is work for a blocking thread.
                        let flushing = life.clone();
                        let _ = tokio::task::spawn_blocking(move || flushing.flush_to_index(&uri))
                            .await;
                    }
                });
            }
            DocKind::Other => {}
        }
    }

    /// Writes an open article into its corpus's index, so other documents see it and its
    /// edits, saved or not.
    pub(super) fn flush_to_index(&self, uri: &Uri) {
        let loaded = uri_to_path(uri)
            .and_then(|path| self.state().corpus_for(&path))
            .is_some_and(|corpus| corpus.is_loaded());
        if loaded {
            self.write_to_index(uri); // else the first load indexes the open articles
        }
    }

    /// Puts an open article's text and mentions in its corpus's index, if they were found
    /// with the knowledge base in force.
    pub(super) fn write_to_index(&self, uri: &Uri) {
        // The rope (a cheap clone) and the shared mentions, not the whole document.
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
        let doc = IndexedDoc::new(&article, mentions.as_ref().clone());
        let mut workspace = corpus.write();
        if generation != workspace.knowledge.generation {
            return; // a reindex is about to bring it in
        }
        workspace.index.insert(doc);
    }

    /// After a save, the disk holds what the index has; nothing to do but keep diagnostics.
    pub async fn after_save(&self, uri: &Uri) {
        if matches!(self.kind_of(uri), DocKind::Article) {
            self.flush_to_index(uri);
        }
    }

    /// Closes a document: the disk is the truth again. Closing one that is not open changes
    /// nothing and is logged, as a sign that the editor and the server are out of step.
    pub async fn close(&self, uri: &Uri) {
        let kind = self.kind_of(uri);
        if self.state().docs.remove(uri).is_none() {
            self.client()
                .log_message(
                    MessageType::WARNING,
                    format!(
                        "dossier: ignored didClose of {}, which is not open",
                        uri.as_str()
                    ),
                )
                .await;
            return;
        }
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
}
