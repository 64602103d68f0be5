//! Dossier's core: the knowledge base, recognition, the corpus index, and the problems found in
//! them. Nothing here knows about the terminal or the Language Server Protocol; the CLI
//! (`src/main.rs`, `src/cli/`) and the language server are thin faces over it, and speak to it in
//! byte offsets and its own types.

pub mod atomic_file;
pub mod corpus;
pub mod evaluate;
pub mod export;
pub mod kb;
pub mod lsp;
pub mod problem;
pub mod recognize;
pub mod synth;
pub mod text;
