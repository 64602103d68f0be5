//! Telling the client what changed: diagnostics of knowledge-base files and open articles,
//! and refresh requests for tokens and hints.

use super::*;

impl Lifecycle {
    /// Asks clients that can to re-request tokens and hints.
    pub(super) async fn refresh(&self) {
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
    pub(super) async fn publish_corpus(&self, corpus: &Arc<CorpusState>) {
        let encoding = self.state().options().encoding;
        let mut by_file: HashMap<PathBuf, Vec<Diagnostic>> = corpus
            .corpus
            .knowledge_paths()
            .into_iter()
            .chain([corpus.corpus.config_path()])
            .map(|p| (p, Vec::new()))
            .collect();
        let mut unplaced = Vec::new();
        {
            let workspace = corpus.read();
            let stale = workspace
                .stale_anchors
                .iter()
                .filter_map(|s| s.problem(&workspace.knowledge.kb));
            for problem in workspace.knowledge.problems.iter().cloned().chain(stale) {
                let problem = &problem;
                let Some(text) = self.state().kb_text(&problem.path) else {
                    // No text to place it in (the file is gone, `dossier.toml` of a deleted
                    // corpus included): the log is the only place left to say it.
                    unplaced.push(problem.to_string());
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
        for problem in unplaced {
            self.client()
                .log_message(MessageType::ERROR, format!("dossier: {problem}"))
                .await;
        }
        for (path, diagnostics) in by_file {
            if let Some(uri) = path_to_uri(&path) {
                self.client()
                    .publish_diagnostics(uri, diagnostics, None)
                    .await;
            }
        }
        self.publish_open_articles(corpus).await;
    }

    /// Publishes the diagnostics of the open articles that `corpus` serves.
    pub(super) async fn publish_open_articles(&self, corpus: &Arc<CorpusState>) {
        let open: Vec<Uri> = self.state().docs.iter().map(|e| e.key().clone()).collect();
        for uri in open {
            let served = self
                .state()
                .corpus_for_uri(&uri)
                .is_some_and(|c| Arc::ptr_eq(&c, corpus));
            if served && matches!(self.kind_of(&uri), DocKind::Article) {
                self.publish_article(&uri).await;
            }
        }
    }

    /// Publishes an open article's diagnostics, once its knowledge base is loaded: before,
    /// every name in it would be "not in the knowledge base".
    pub(super) async fn publish_article(&self, uri: &Uri) {
        let loaded = self
            .state()
            .corpus_for_uri(uri)
            .is_some_and(|c| c.is_loaded());
        if !loaded {
            return; // the first load publishes it
        }
        let options = self.state().options();
        let version = self.state().docs.get(uri).map(|d| d.version);
        let corpus = self.state().corpus_for_uri(uri);
        let config = corpus.as_ref().map(|c| c.corpus.config());
        let article = corpus.as_ref().and_then(|c| {
            crate::lsp::convert::uri_to_path(uri).and_then(|p| c.corpus.article_name(&p))
        });
        let silenced = diagnostics::Silenced {
            config,
            article: article.as_deref(),
        };
        let diagnostics = self
            .state()
            .with_doc(uri, |view, ws| {
                diagnostics::for_article(&view, &ws.knowledge.kb, &options, &silenced)
            })
            .unwrap_or_default();
        self.client()
            .publish_diagnostics(uri.clone(), diagnostics, version)
            .await;
    }
}
