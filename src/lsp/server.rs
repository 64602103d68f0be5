//! The protocol handlers: each converts its parameters at the edge, calls one feature module
//! under a panic guard, and converts the answer back. No handler awaits before applying a
//! document change, so notifications can never overtake one another.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::{Error as RpcError, Result as RpcResult};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert::uri_to_path;
use super::lifecycle::Lifecycle;
use super::options::Options;
use super::state::State;
use super::{completion, hover, inlay_hints, navigation, semantic_tokens, symbols, tagging};
use crate::recognize::Target;

/// Runs a feature, turning a panic into a JSON-RPC error so the server stays up.
fn guard<T>(what: &str, f: impl FnOnce() -> T) -> RpcResult<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut error = RpcError::internal_error();
        error.message = format!("dossier failed in {what}: {detail}").into();
        error
    })
}

/// The language server.
pub struct Server {
    client: Client,
    state: Arc<State>,
    life: Lifecycle,
}

impl Server {
    /// A server answering `client`.
    pub fn new(client: Client) -> Server {
        let state = Arc::new(State::default());
        Server {
            life: Lifecycle::new(client.clone(), state.clone()),
            client,
            state,
        }
    }

    /// The handle on the client, for the layers in front of the server to log with.
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// The server's background work, for [`crate::lsp::serve`] to stop when the session ends
    /// however it ends.
    pub(crate) fn lifecycle(&self) -> Lifecycle {
        self.life.clone()
    }

    fn options(&self) -> Options {
        self.state.options()
    }

    /// Waits for the first load of the knowledge base serving `uri`, if it is under way: an
    /// answer from no knowledge base would be wrong, and some clients never ask again (Helix
    /// asks for hints once per edit). Bounded, so a request is answered whatever happens.
    async fn knowledge_ready(&self, uri: &Uri) {
        if let Some(corpus) = self.state.corpus_for_uri(uri) {
            corpus.wait_loaded(LOAD_WAIT).await;
        }
    }
}

/// The longest a request waits for the first load of a knowledge base (a million entities
/// load in about three seconds).
const LOAD_WAIT: Duration = Duration::from_secs(30);

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> RpcResult<InitializeResult> {
        let (options, warning) = Options::from_initialize(&params);
        if let Some(warning) = warning {
            self.client.log_message(MessageType::WARNING, warning).await;
        }
        let encoding = options.encoding;
        self.state.set_options(options);
        self.life.set_roots(&params);
        let text_sync = TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "dossier".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(text_sync)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: semantic_tokens::legend(),
                            range: Some(true),
                            full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                            ..SemanticTokensOptions::default()
                        },
                    ),
                ),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions::default()),
                inlay_hint_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR,
                            CodeActionKind::REFACTOR_REWRITE,
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: tagging::COMMANDS.iter().map(|c| (*c).to_owned()).collect(),
                    ..ExecuteCommandOptions::default()
                }),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.life.start().await;
    }

    async fn shutdown(&self) -> RpcResult<()> {
        self.life.stop();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let opened = guard("didOpen", || {
            self.life.open(&doc.uri, doc.version, &doc.text)
        });
        match opened {
            Ok(opened) => self.life.after_open(&doc.uri, opened).await,
            Err(failed) => {
                self.client
                    .log_message(MessageType::ERROR, failed.message)
                    .await;
            }
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let changed = guard("didChange", || {
            self.life.change(&uri, version, params.content_changes)
        });
        match changed {
            Ok(Ok(kind)) => self.life.after_change(&uri, kind).await,
            Ok(Err(ignored)) => {
                self.client.log_message(MessageType::WARNING, ignored).await;
            }
            // A notification has no answer to carry the error: the log is the only place.
            Err(failed) => {
                self.client
                    .log_message(MessageType::ERROR, failed.message)
                    .await;
            }
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.life.after_save(&params.text_document.uri).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.life.close(&params.text_document.uri).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let changes = params
            .changes
            .into_iter()
            .filter_map(|c| uri_to_path(&c.uri).map(|p| (p, c.typ == FileChangeType::DELETED)))
            .collect();
        self.life.files_changed(changes).await;
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> RpcResult<Option<SemanticTokensResult>> {
        self.knowledge_ready(&params.text_document.uri).await;
        let encoding = self.options().encoding;
        let uri = params.text_document.uri;
        let tokens = guard("semanticTokens/full", || {
            self.state.with_doc(&uri, |view, ws| {
                semantic_tokens::tokens(&view, &ws.knowledge.kb, encoding, None)
            })
        })?;
        Ok(tokens.map(|data| {
            let result_id = self.life.remember_tokens(&uri, data.clone());
            SemanticTokensResult::Tokens(SemanticTokens {
                result_id: Some(result_id),
                data,
            })
        }))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> RpcResult<Option<SemanticTokensFullDeltaResult>> {
        self.knowledge_ready(&params.text_document.uri).await;
        let encoding = self.options().encoding;
        let uri = params.text_document.uri;
        let tokens = guard("semanticTokens/full/delta", || {
            self.state.with_doc(&uri, |view, ws| {
                semantic_tokens::tokens(&view, &ws.knowledge.kb, encoding, None)
            })
        })?;
        let Some(data) = tokens else { return Ok(None) };
        let previous = self.life.previous_tokens(&uri, &params.previous_result_id);
        let result_id = self.life.remember_tokens(&uri, data.clone());
        Ok(Some(match previous {
            Some(old) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                result_id: Some(result_id),
                edits: semantic_tokens::delta(&old, &data),
            }),
            None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                result_id: Some(result_id),
                data,
            }),
        }))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> RpcResult<Option<SemanticTokensRangeResult>> {
        self.knowledge_ready(&params.text_document.uri).await;
        let encoding = self.options().encoding;
        let tokens = guard("semanticTokens/range", || {
            self.state.with_doc(&params.text_document.uri, |view, ws| {
                let within = view.lines.span(params.range, encoding);
                semantic_tokens::tokens(&view, &ws.knowledge.kb, encoding, Some(within))
            })
        })?;
        Ok(tokens.map(|data| {
            SemanticTokensRangeResult::Tokens(SemanticTokens {
                result_id: None,
                data,
            })
        }))
    }

    async fn hover(&self, params: HoverParams) -> RpcResult<Option<Hover>> {
        self.knowledge_ready(&params.text_document_position_params.text_document.uri)
            .await;
        let encoding = self.options().encoding;
        let at = params.text_document_position_params;
        guard("hover", || {
            if let Some(card) = self.life.hover_kb_table(&at.text_document.uri, at.position) {
                return Some(Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: card,
                    }),
                    range: None,
                });
            }
            self.state
                .with_doc(&at.text_document.uri, |view, ws| {
                    let offset = view.lines.offset(at.position, encoding);
                    let mention = view.mention_at(offset)?;
                    let kb = &ws.knowledge.kb;
                    let value = match &mention.target {
                        Target::Entity(id) => {
                            let title = mention.title.clone().map(|t| view.text(t));
                            hover::entity_card(
                                kb,
                                &ws.index,
                                *id,
                                title.as_deref(),
                                &super::lifecycle::file_link,
                            )
                        }
                        Target::Ambiguous(ids) => {
                            hover::ambiguous_card(kb, &view.text(mention.span.clone()), ids)
                        }
                    };
                    Some(Hover {
                        contents: HoverContents::Markup(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value,
                        }),
                        range: Some(view.lines.range(mention.span.clone(), encoding)),
                    })
                })
                .flatten()
        })
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> RpcResult<Option<GotoDefinitionResponse>> {
        self.knowledge_ready(&params.text_document_position_params.text_document.uri)
            .await;
        let encoding = self.options().encoding;
        let at = params.text_document_position_params;
        guard("definition", || {
            self.state
                .with_doc(&at.text_document.uri, |view, ws| {
                    let offset = view.lines.offset(at.position, encoding);
                    let mention = view.mention_at(offset)?;
                    let locations: Vec<Location> = mention
                        .candidates()
                        .iter()
                        .filter_map(|&id| {
                            navigation::definition(&self.state, &ws.knowledge.kb, id, encoding)
                        })
                        .collect();
                    match locations.len() {
                        0 => None,
                        1 => locations
                            .into_iter()
                            .next()
                            .map(GotoDefinitionResponse::Scalar),
                        _ => Some(GotoDefinitionResponse::Array(locations)),
                    }
                })
                .flatten()
        })
    }

    async fn references(&self, params: ReferenceParams) -> RpcResult<Option<Vec<Location>>> {
        self.knowledge_ready(&params.text_document_position.text_document.uri)
            .await;
        let encoding = self.options().encoding;
        let at = params.text_document_position;
        let uri = at.text_document.uri.clone();
        guard("references", || {
            let entity = self.life.entity_at(&uri, at.position)?;
            let corpus = self.state.corpus_for_uri(&uri)?;
            let workspace = corpus.read();
            let mut locations = navigation::references(&self.state, &workspace, entity, encoding);
            if params.context.include_declaration {
                if let Some(definition) =
                    navigation::definition(&self.state, &workspace.knowledge.kb, entity, encoding)
                {
                    locations.insert(0, definition);
                }
            }
            Some(locations)
        })
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> RpcResult<Option<Vec<DocumentHighlight>>> {
        self.knowledge_ready(&params.text_document_position_params.text_document.uri)
            .await;
        let encoding = self.options().encoding;
        let at = params.text_document_position_params;
        guard("documentHighlight", || {
            self.state
                .with_doc(&at.text_document.uri, |view, _| {
                    let offset = view.lines.offset(at.position, encoding);
                    let mention = view.mention_at(offset)?;
                    Some(navigation::highlights(&view, mention, encoding))
                })
                .flatten()
        })
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> RpcResult<Option<DocumentSymbolResponse>> {
        self.knowledge_ready(&params.text_document.uri).await;
        let encoding = self.options().encoding;
        guard("documentSymbol", || {
            self.state
                .with_doc(&params.text_document.uri, |view, ws| {
                    symbols::document_symbols(&view, &ws.knowledge.kb, encoding)
                })
                .map(DocumentSymbolResponse::Nested)
        })
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> RpcResult<Option<WorkspaceSymbolResponse>> {
        for corpus in self.state.corpora() {
            corpus.wait_loaded(LOAD_WAIT).await;
        }
        let encoding = self.options().encoding;
        guard("workspace/symbol", || {
            let mut found = Vec::new();
            for corpus in self.state.corpora() {
                let workspace = corpus.read();
                found.extend(symbols::workspace_symbols(
                    &self.state,
                    &workspace.knowledge.kb,
                    &params.query,
                    encoding,
                ));
            }
            Some(WorkspaceSymbolResponse::Flat(found))
        })
    }

    async fn completion(&self, params: CompletionParams) -> RpcResult<Option<CompletionResponse>> {
        self.knowledge_ready(&params.text_document_position.text_document.uri)
            .await;
        let encoding = self.options().encoding;
        let snippets = self.options().completion_snippets;
        let at = params.text_document_position;
        guard("completion", || {
            let uri = &at.text_document.uri;
            if !self.life.is_article(uri) {
                return None;
            }
            self.state.with_doc(uri, |view, ws| {
                let cursor = view.lines.offset(at.position, encoding);
                let line_start = view
                    .lines
                    .offset(Position::new(at.position.line, 0), encoding);
                let line_before = view.text(line_start..cursor);
                let items = completion::complete(
                    &ws.knowledge.forms,
                    &ws.knowledge.kb,
                    &line_before,
                    snippets,
                    |start| {
                        Range::new(
                            view.lines.position(line_start + start, encoding),
                            at.position,
                        )
                    },
                );
                CompletionResponse::Array(items)
            })
        })
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> RpcResult<Option<Vec<InlayHint>>> {
        self.knowledge_ready(&params.text_document.uri).await;
        let encoding = self.options().encoding;
        if self.options().display != super::options::Display::InlayHints {
            return Ok(None);
        }
        guard("inlayHint", || {
            self.state.with_doc(&params.text_document.uri, |view, ws| {
                let within = view.lines.span(params.range, encoding);
                inlay_hints::hints(&view, &ws.knowledge.kb, encoding, within)
            })
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> RpcResult<Option<CodeActionResponse>> {
        self.knowledge_ready(&params.text_document.uri).await;
        let actions = guard("codeAction", || self.life.code_actions(&params))?;
        Ok(Some(actions))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> RpcResult<Option<LSPAny>> {
        self.life.execute(params).await
    }
}
