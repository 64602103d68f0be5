//! Requests answered with the server's moving parts: the semantic-token cache for deltas,
//! the entity at a position, knowledge-base hovers, and the tagging commands.

use super::*;

impl Lifecycle {
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
        Some(hover::entity_card(
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
        // Editors apply the edit to a buffer, which may not be on screen (Helix opens it in the
        // background): say where the change is and that it is not on disk until saved.
        let file = plan
            .kb_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.client()
            .show_message(
                MessageType::INFO,
                format!(
                    "Dossier: {file} edited and every article re-annotated; save {file} to keep it"
                ),
            )
            .await;
        Ok(Some(serde_json::Value::Bool(true)))
    }
}
