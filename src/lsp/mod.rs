//! The language-server face: `dossier lsp`. It translates protocol types to and from the
//! core at the edge ([`convert`]) and keeps one file per feature.

pub mod convert;
pub mod document;
pub mod hover;
pub mod options;
pub mod semantic_tokens;
pub mod state;
