//! Tagging by code actions: every action is a command that, when run, sends the client a
//! `workspace/applyEdit` on the knowledge-base file, so the editor applies it (and can undo it)
//! and the server knows it was applied.

use tower_lsp_server::jsonrpc::Result as RpcResult;
use tower_lsp_server::ls_types::{
    CodeActionParams, CodeActionResponse, ExecuteCommandParams, WorkspaceEdit,
};

use super::lifecycle::DocKind;
use super::state::State;

/// The commands the server runs.
pub const COMMANDS: &[&str] = &[];

/// An edit to send, and what the knowledge-base file holds once it is applied.
pub struct Plan {
    /// The edit for the client.
    pub edit: WorkspaceEdit,
    /// The knowledge-base file edited.
    pub kb_path: std::path::PathBuf,
    /// Its full text after the edit.
    pub new_kb_text: String,
}

/// The actions offered at a range.
pub fn actions(_state: &State, _kind: &DocKind, _params: &CodeActionParams) -> CodeActionResponse {
    Vec::new()
}

/// The edit a command stands for.
pub fn plan(_state: &State, _params: &ExecuteCommandParams) -> RpcResult<Option<Plan>> {
    Ok(None)
}
