//! Loading a corpus's knowledge base and indexing its articles in the background, with
//! progress, and swapping the result in whole.

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

    pub(super) async fn reindex(&self, corpus: Arc<CorpusState>, first: bool) {
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
