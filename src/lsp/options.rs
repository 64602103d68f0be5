//! What a client can choose in `initializationOptions`, and what it can do.

use serde::Deserialize;
use tower_lsp_server::ls_types::{
    ClientCapabilities, ClientInfo, DiagnosticSeverity, InitializeParams,
};

use super::convert::Encoding;

/// How entities are made visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Display {
    /// Semantic tokens, coloured by kind (VS Code, Neovim).
    SemanticTokens,
    /// An inlay hint after each mention naming its kind (Helix, which has no semantic tokens).
    InlayHints,
    /// A hint-level diagnostic on each mention.
    Diagnostics,
}

/// The user's choices, from `initializationOptions`; every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct RawOptions {
    /// `semanticTokens`, `inlayHints` or `diagnostics`; by default semantic tokens when the
    /// client supports them, else inlay hints.
    display: Option<Display>,
    /// Severity of "not in the knowledge base" hints: `hint`, `information`, `warning`, `off`.
    candidate_severity: Option<String>,
}

/// Settings in force for one client.
#[derive(Debug, Clone)]
pub struct Options {
    /// Column encoding agreed with the client.
    pub encoding: Encoding,
    /// How entities are shown.
    pub display: Display,
    /// Severity of candidate-name diagnostics; `None` turns them off.
    pub candidate_severity: Option<DiagnosticSeverity>,
    /// Whether the client can refresh semantic tokens when asked.
    pub can_refresh_tokens: bool,
    /// Whether the client can refresh inlay hints when asked.
    pub can_refresh_hints: bool,
    /// Whether the client watches files for us (dynamic registration of watched files, from a
    /// client that reports changes made by anyone).
    pub client_watches_files: bool,
    /// Whether the client shows work-done progress.
    pub progress: bool,
    /// Whether the client takes snippets in completions: the form of edit Neovim 0.11 inserts
    /// whole when a name has several words (see [`super::completion`]).
    pub completion_snippets: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            encoding: Encoding::Utf16,
            display: Display::SemanticTokens,
            candidate_severity: Some(DiagnosticSeverity::HINT),
            can_refresh_tokens: false,
            can_refresh_hints: false,
            client_watches_files: false,
            progress: false,
            completion_snippets: false,
        }
    }
}

/// Whether the client, though it offers to watch files, tells the server only of the files it
/// writes itself. Helix (25.07) does: an article dropped into the corpus by anything else, a
/// `git pull` or a script, was never indexed. The server watches such a client's files itself.
fn reports_only_its_own_writes(client: Option<&ClientInfo>) -> bool {
    client.is_some_and(|c| c.name.eq_ignore_ascii_case("helix"))
}

impl Options {
    /// Reads the options and capabilities of an `initialize` request. Unknown or malformed
    /// options fall back to defaults, with the reason returned for the log.
    pub fn from_initialize(params: &InitializeParams) -> (Options, Option<String>) {
        let caps: &ClientCapabilities = &params.capabilities;
        let (raw, warning) = match &params.initialization_options {
            None => (RawOptions::default(), None),
            Some(value) => match serde_json::from_value::<RawOptions>(value.clone()) {
                Ok(raw) => (raw, None),
                Err(err) => (
                    RawOptions::default(),
                    Some(format!("ignoring initializationOptions: {err}")),
                ),
            },
        };
        let has_tokens = caps
            .text_document
            .as_ref()
            .and_then(|t| t.semantic_tokens.as_ref())
            .is_some();
        let workspace = caps.workspace.as_ref();
        let options = Options {
            encoding: Encoding::negotiate(
                caps.general
                    .as_ref()
                    .and_then(|g| g.position_encodings.as_deref()),
            ),
            display: raw.display.unwrap_or(if has_tokens {
                Display::SemanticTokens
            } else {
                Display::InlayHints
            }),
            candidate_severity: match raw.candidate_severity.as_deref() {
                Some("off") => None,
                Some("information") => Some(DiagnosticSeverity::INFORMATION),
                Some("warning") => Some(DiagnosticSeverity::WARNING),
                _ => Some(DiagnosticSeverity::HINT),
            },
            can_refresh_tokens: workspace
                .and_then(|w| w.semantic_tokens.as_ref())
                .and_then(|s| s.refresh_support)
                .unwrap_or(false),
            can_refresh_hints: workspace
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|s| s.refresh_support)
                .unwrap_or(false),
            client_watches_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false)
                && !reports_only_its_own_writes(params.client_info.as_ref()),
            completion_snippets: caps
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false),
            progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
        };
        (options, warning)
    }
}
