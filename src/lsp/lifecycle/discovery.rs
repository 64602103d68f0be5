//! Finding the corpora of a workspace: the folders of `initialize`, and the `dossier.toml`
//! files under or above them.

use super::*;

impl Lifecycle {
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
