//! Loading a corpus's knowledge base and indexing its articles in the background, with
//! progress, and swapping the result in whole.

use tower_lsp_server::{Bounded, NotCancellable, OngoingProgress};

use super::background;

use super::*;

/// Quiet time before a burst of knowledge-base edits reloads the knowledge base.
const RELOAD_DELAY: Duration = Duration::from_millis(250);

impl Lifecycle {
    /// Loads the knowledge base and indexes `corpus` on a blocking thread, reporting progress,
    /// then swaps the result in and tells the client.
    pub fn spawn_reindex(&self, corpus: Arc<CorpusState>, first: bool) {
        let life = self.clone();
        tokio::spawn(async move { life.reindex(corpus, first).await });
    }

    /// Loads the knowledge base, then indexes the articles with it. The first load of a
    /// corpus is put in force on its own, as soon as it is read: requests wait for it (not for
    /// the whole index), and Helix, which asks for hints once, gets them. Later reloads swap
    /// the knowledge base and the index in together, the last good ones serving meanwhile.
    pub(super) async fn reindex(&self, corpus: Arc<CorpusState>, first: bool) {
        let state = self.0.state.clone();
        let generation = state.next_generation();
        let last_good = corpus.read().knowledge.clone();
        let loading = {
            let (state, corpus) = (state.clone(), corpus.clone());
            background::run_job("dossier-load", move || {
                load_knowledge(&state, &corpus.corpus, generation, Some(&last_good))
            })
        };
        // Asking the client for a progress token is a round trip: the load runs meanwhile.
        let progress = self.begin_progress(&corpus, first).await;
        let Ok(knowledge) = loading.await else {
            // Requests waiting for a first load must not wait for one that will not come.
            corpus.mark_loaded();
            self.failed("loading the knowledge base").await;
            return;
        };
        let knowledge = Arc::new(knowledge);
        let first_load = !corpus.is_loaded();
        if first_load {
            self.put_knowledge_in_force(&corpus, &knowledge);
            self.publish_open_articles(&corpus).await;
            self.refresh().await;
        }

        let (tx, mut rx) = tokio::sync::watch::channel((0usize, 0usize));
        let open = state.open_articles(&corpus);
        let mut job = {
            let (corpus, knowledge) = (corpus.clone(), knowledge.clone());
            Box::pin(background::run_job("dossier-index", move || {
                build_index(&corpus.corpus, &knowledge, &open, |done, total| {
                    let _ = tx.send((done, total));
                })
            }))
        };
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
        let Ok(report) = result else {
            self.failed("indexing").await;
            return;
        };
        let (index, stale_anchors) = (report.index, report.stale_anchors);
        if report.reused > 0 {
            let message = format!(
                "dossier: {} of {} articles taken from the index cache, unchanged since it was written ({} of them without reading them)",
                report.reused,
                index.len(),
                report.unread
            );
            self.client().log_message(MessageType::INFO, message).await;
        }
        self.left_out(&report.failures).await;
        for note in report.cache_notes {
            self.client().log_message(MessageType::WARNING, note).await;
        }
        let articles = index.len();
        let entities = knowledge.kb.len();
        {
            let mut workspace = corpus.write();
            if workspace.knowledge.generation > knowledge.generation {
                return; // a later reload is in force already
            }
            *workspace = Workspace {
                knowledge: knowledge.clone(),
                index,
                stale_anchors,
            };
        }
        if !first_load {
            self.rescan_open(&corpus, &knowledge);
        }
        // Published before the progress ends, so that a client (or a test) that waits for the
        // end has every diagnostic of the indexing.
        self.publish_corpus(&corpus).await;
        if let Some(progress) = progress {
            progress
                .finish_with_message(format!("{articles} articles, {entities} entities"))
                .await;
        }
        self.refresh().await;
    }

    /// Begins the progress report of an indexing, where the client shows progress. Every
    /// reindex reports, not only the first: its end carries the counts ("5 articles, 69
    /// entities") that editors show, and a knowledge base edited by hand changes them.
    async fn begin_progress(
        &self,
        corpus: &CorpusState,
        first: bool,
    ) -> Option<OngoingProgress<Bounded, NotCancellable>> {
        if !self.state().options().progress {
            return None;
        }
        let title = if first {
            "Dossier: indexing"
        } else {
            "Dossier: re-annotating"
        };
        let token = NumberOrString::String(format!(
            "dossier-index-{}",
            self.0.next_id.fetch_add(1, Ordering::Relaxed)
        ));
        self.client()
            .create_work_done_progress(token.clone())
            .await
            .ok()?;
        Some(
            self.client()
                .progress(token, title)
                .with_message(corpus.corpus.root().display().to_string())
                .with_percentage(0)
                .begin()
                .await,
        )
    }

    /// Puts a corpus's first knowledge base in force before its articles are indexed, with an
    /// index of the open articles only, and releases the requests waiting for it.
    fn put_knowledge_in_force(&self, corpus: &Arc<CorpusState>, knowledge: &Arc<Knowledge>) {
        {
            let mut workspace = corpus.write();
            if workspace.knowledge.generation > knowledge.generation {
                return;
            }
            *workspace = Workspace {
                knowledge: knowledge.clone(),
                index: crate::corpus::CorpusIndex::new(knowledge.kb.len()),
                stale_anchors: Vec::new(),
            };
        }
        // The open articles, rescanned once, go into the index with the mentions just found.
        self.rescan_open(corpus, knowledge);
        let open: Vec<Uri> = self.state().docs.iter().map(|e| e.key().clone()).collect();
        for uri in &open {
            self.write_to_index(uri);
        }
        corpus.mark_loaded();
    }

    /// Rescans the open documents of `corpus` (and stray ones it serves) with `knowledge`.
    fn rescan_open(&self, corpus: &Arc<CorpusState>, knowledge: &Knowledge) {
        for mut entry in self.state().docs.iter_mut() {
            let in_corpus = entry
                .value()
                .path
                .as_deref()
                .and_then(|p| self.state().corpus_for(p))
                .is_none_or(|c| Arc::ptr_eq(&c, corpus));
            if in_corpus && entry.value().is_annotated() {
                entry.value_mut().rescan(knowledge);
            }
        }
    }

    /// Logs the files an indexing left out (not UTF-8, unreadable, a symlink loop): they are
    /// no diagnostics of any open file, and a file missing from the corpus unexplained looks
    /// like a bug of the server.
    pub(super) async fn left_out(&self, failures: &[crate::corpus::Error]) {
        /// Enough to see what is wrong without flooding the log.
        const SHOWN: usize = 20;
        if failures.is_empty() {
            return;
        }
        let mut message = format!(
            "dossier: {} file(s) left out of the corpus:",
            failures.len()
        );
        for failure in failures.iter().take(SHOWN) {
            message.push_str(&format!("\n  {failure}"));
        }
        if failures.len() > SHOWN {
            message.push_str(&format!("\n  and {} more", failures.len() - SHOWN));
        }
        self.client()
            .log_message(MessageType::WARNING, message)
            .await;
    }

    async fn failed(&self, what: &str) {
        self.client()
            .log_message(
                MessageType::ERROR,
                format!("dossier: {what} failed; what was in force stays in force"),
            )
            .await;
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
}
