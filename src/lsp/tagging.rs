//! Tagging by code actions. Every action is a command: when the user picks it, the server
//! computes the edit against the knowledge base as it is *then*, sends it to the client with
//! `workspace/applyEdit` (so the editor applies it, and the user can undo it), and, once the
//! client says it applied it, makes the edited text its own knowledge base at once — whether or
//! not the client ever syncs the knowledge-base file back.
//!
//! The actions:
//! - on a selection, or at a cursor in a name (a candidate name, or capitalised words): "Tag
//!   «Bai Tian» as person" for each kind, and "Add «Guan Eng» as an alias of Lim Guan Eng" for
//!   the closest existing entities — `quickfix` on a candidate, `refactor` otherwise. On a
//!   candidate whose kind the text suggests ([`crate::recognize::Guess`]), that kind comes
//!   first, preferred, and its title says why: "Tag «Bai Tian» as person (after the title
//!   «Mr»)". Where the same candidate repeats in the article, the tag actions say so and fix
//!   every one of its hints: "Tag all 3 «Bai Tian» candidates in this article as person" (one
//!   entity is added, and every mention of it is then recognised);
//! - on a candidate: "Not a name: stop hinting «X» here", an `[[untag]]` of that stretch,
//!   which the hints honour (`quickfix`);
//! - on a mention: "Untag this mention" (`refactor.rewrite`);
//! - on an ambiguous mention: "This is Carrie Lam" for each candidate (`quickfix`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error as RpcError, Result as RpcResult};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, Command,
    Diagnostic, ExecuteCommandParams, NumberOrString, Range, TextEdit as LspTextEdit, Uri,
    WorkspaceEdit,
};

use super::convert::{path_to_uri, uri_to_path, Encoding, Lines, TextLines};
use super::diagnostics::code;
use super::lifecycle::DocKind;
use super::state::State;
use crate::kb::edit::{self, NewEntity, TextEdit};
use crate::kb::{Anchor, EntityId, Kind, KnowledgeBase};
use crate::recognize::{find_candidates, name_at, title_before, NameAt, Target};
use crate::text::{fold, LineIndex};

/// Tag a selection as a new entity.
pub const TAG: &str = "dossier.tag";
/// Add a selection as an alias of an existing entity.
pub const ADD_ALIAS: &str = "dossier.addAlias";
/// Untag one mention.
pub const UNTAG: &str = "dossier.untag";
/// Say which entity an ambiguous mention names.
pub const ASSIGN: &str = "dossier.assign";

/// The commands the server runs.
pub const COMMANDS: &[&str] = &[TAG, ADD_ALIAS, UNTAG, ASSIGN];

/// How many existing entities are offered for "Add as an alias of".
const ALIAS_SUGGESTIONS: usize = 3;
/// The longest selection offered for tagging, in characters.
const MAX_NAME: usize = 100;

/// The arguments of every command: where, what, and for whom.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Args {
    /// The article.
    uri: Uri,
    /// The range of the name or mention in it.
    range: Range,
    /// The text the range held when the action was offered: a changed text means a stale
    /// action, refused rather than applied to the wrong words.
    text: String,
    /// The kind, for [`TAG`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<Kind>,
    /// The entity id, for [`ADD_ALIAS`] and [`ASSIGN`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    entity: Option<String>,
}

/// An edit to send, and what the knowledge-base file holds once it is applied.
pub struct Plan {
    /// The edit for the client.
    pub edit: WorkspaceEdit,
    /// The knowledge-base file edited.
    pub kb_path: PathBuf,
    /// Its full text after the edit.
    pub new_kb_text: String,
}

/// An action running command `name` with `args`, of `kind`, fixing `diagnostics`.
fn command(
    title: String,
    kind: CodeActionKind,
    name: &str,
    args: &Args,
    diagnostics: Vec<Diagnostic>,
) -> CodeActionOrCommand {
    preferred(title, kind, name, args, diagnostics, false)
}

/// Like [`command`], marked preferred when `is_preferred` (the likeliest of its kind).
fn preferred(
    title: String,
    kind: CodeActionKind,
    name: &str,
    args: &Args,
    diagnostics: Vec<Diagnostic>,
    is_preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.clone(),
        kind: Some(kind),
        is_preferred: is_preferred.then_some(true),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        command: Some(Command {
            title,
            command: name.to_owned(),
            arguments: serde_json::to_value(args).ok().map(|v| vec![v]),
        }),
        ..CodeAction::default()
    })
}

/// Whether an action of `kind` is among the kinds `only` asks for (all, when it asks for none
/// in particular). Kinds are hierarchical: `refactor.rewrite` is a `refactor`.
fn is_wanted(kind: Option<&CodeActionKind>, only: Option<&[CodeActionKind]>) -> bool {
    let Some(only) = only else { return true };
    let kind = kind.map_or("", CodeActionKind::as_str);
    only.iter().any(|o| {
        kind == o.as_str()
            || kind
                .strip_prefix(o.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// The diagnostics of `context` with code `code` whose range, as a byte span, satisfies `keep`.
fn diagnostics_with(
    context: &[Diagnostic],
    code: &str,
    span_of: impl Fn(Range) -> std::ops::Range<usize>,
    keep: impl Fn(&std::ops::Range<usize>) -> bool,
) -> Vec<Diagnostic> {
    context
        .iter()
        .filter(|d| d.code == Some(NumberOrString::String(code.to_owned())))
        .filter(|d| keep(&span_of(d.range)))
        .cloned()
        .collect()
}

/// The actions offered at a range of a document, of the kinds the client asks for.
///
/// A cursor — an empty range (VS Code, Neovim) or one character (Helix, whose cursor is a
/// one-character selection) — acts on the whole name it stands in: the candidate hinted there,
/// or the capitalised words around it ([`name_at`]). Only a longer selection is taken as is.
///
/// Kinds: tagging a candidate fixes its hint, and settling an ambiguous mention fixes its
/// diagnostic, so both are `quickfix` (with the diagnostic attached when the client sent it);
/// tagging any other selection is a `refactor`, and untagging a mention, offered on every
/// mention, is `refactor.rewrite`, so that editors do not show a lightbulb on every name.
pub fn actions(state: &State, kind: &DocKind, params: &CodeActionParams) -> CodeActionResponse {
    if !matches!(kind, DocKind::Article) {
        return Vec::new();
    }
    let only = params.context.only.as_deref();
    let mut out = all_actions(state, params);
    out.retain(|a| match a {
        CodeActionOrCommand::CodeAction(a) => is_wanted(a.kind.as_ref(), only),
        CodeActionOrCommand::Command(_) => only.is_none(),
    });
    out
}

fn all_actions(state: &State, params: &CodeActionParams) -> CodeActionResponse {
    let encoding = state.options().encoding;
    let uri = &params.text_document.uri;
    let context = &params.context.diagnostics;
    state
        .with_doc(uri, |view, workspace| {
            let kb = &workspace.knowledge.kb;
            let mut out = Vec::new();
            let span = view.lines.span(params.range, encoding);
            let span_of = |range: Range| view.lines.span(range, encoding);
            let args = |range: Range, text: String| Args {
                uri: uri.clone(),
                range,
                text,
                kind: None,
                entity: None,
            };
            let cursor = view.text(span.clone()).chars().nth(1).is_none();

            // On a mention: untag it, or settle its ambiguity.
            if let Some(mention) = view
                .mention_at(span.start)
                .filter(|m| m.span.end >= span.end)
            {
                let range = view.lines.range(mention.span.clone(), encoding);
                let text = view.text(mention.span.clone());
                if let Target::Ambiguous(ids) = &mention.target {
                    let fixed =
                        diagnostics_with(context, code::AMBIGUOUS, span_of, |s| *s == mention.span);
                    for &id in ids.iter() {
                        let Some(e) = kb.get(id) else { continue };
                        let a = Args {
                            entity: Some(e.id.clone()),
                            ..args(range, text.clone())
                        };
                        out.push(command(
                            format!("This is {} ({})", e.name, e.kind),
                            CodeActionKind::QUICKFIX,
                            ASSIGN,
                            &a,
                            fixed.clone(),
                        ));
                    }
                }
                out.push(command(
                    format!("Untag this «{text}»"),
                    CodeActionKind::REFACTOR_REWRITE,
                    UNTAG,
                    &args(range, text),
                    Vec::new(),
                ));
                return out;
            }

            // At a cursor, the name it stands in; a selection as it is.
            let text = view.text(0..usize::MAX);
            let (span, hinted) = if cursor {
                let at = span.start;
                let hint = diagnostics_with(context, code::CANDIDATE, span_of, |s| {
                    s.start <= at && at <= s.end
                })
                .first()
                .map(|d| span_of(d.range));
                match hint {
                    Some(hint) => (hint, true),
                    None => match name_at(&text, at, view.mentions) {
                        Some(NameAt::Candidate(c)) => (c.span, true),
                        Some(NameAt::Words(words)) => (words, false),
                        None => return out,
                    },
                }
            } else {
                (span, false)
            };
            let name = text.get(span.clone()).unwrap_or_default();
            let trimmed = name.trim();
            if trimmed.is_empty() || trimmed.chars().count() > MAX_NAME || trimmed.contains('\n') {
                return out;
            }
            let start = span.start + (name.len() - name.trim_start().len());
            let span = start..start + trimmed.len();
            let candidates = find_candidates(&text, view.mentions);
            let this = candidates.iter().find(|c| c.span == span);
            let candidate = hinted || this.is_some();
            // The same name hinted elsewhere in the article: one tag fixes them all.
            let folded = fold(trimmed);
            let same: Vec<&std::ops::Range<usize>> = candidates
                .iter()
                .map(|c| &c.span)
                .filter(|s| text.get((*s).clone()).is_some_and(|t| fold(t) == folded))
                .collect();
            let (tag_kind, fixed) = if candidate {
                let fixed = diagnostics_with(context, code::CANDIDATE, span_of, |s| {
                    *s == span || same.contains(&s)
                });
                (CodeActionKind::QUICKFIX, fixed)
            } else {
                (CodeActionKind::REFACTOR, Vec::new())
            };
            let guess = this.and_then(|c| c.guess.as_ref());
            let mut kinds = Kind::ALL.to_vec();
            if let Some(g) = guess {
                kinds.retain(|&k| k != g.kind);
                kinds.insert(0, g.kind);
            }
            let range = view.lines.range(span.clone(), encoding);
            for kind in kinds {
                let a = Args {
                    kind: Some(kind),
                    ..args(range, trimmed.to_owned())
                };
                let likeliest = guess.filter(|g| g.kind == kind);
                let why = likeliest.map_or(String::new(), |g| format!(" ({})", g.describe(&text)));
                let title = if candidate && same.len() > 1 {
                    format!(
                        "Tag all {} «{trimmed}» candidates in this article as {kind}{why}",
                        same.len()
                    )
                } else {
                    format!("Tag «{trimmed}» as {kind}{why}")
                };
                out.push(preferred(
                    title,
                    tag_kind.clone(),
                    TAG,
                    &a,
                    fixed.clone(),
                    likeliest.is_some(),
                ));
            }
            // A candidate that is no name: untag it here (an `[[untag]]` the hints honour).
            if candidate {
                out.push(command(
                    format!("Not a name: stop hinting «{trimmed}» here"),
                    tag_kind.clone(),
                    UNTAG,
                    &args(range, trimmed.to_owned()),
                    diagnostics_with(context, code::CANDIDATE, span_of, |s| *s == span),
                ));
            }
            for id in closest_entities(kb, trimmed) {
                let Some(e) = kb.get(id) else { continue };
                let a = Args {
                    entity: Some(e.id.clone()),
                    ..args(range, trimmed.to_owned())
                };
                out.push(command(
                    format!("Add «{trimmed}» as an alias of {}", e.name),
                    tag_kind.clone(),
                    ADD_ALIAS,
                    &a,
                    fixed.clone(),
                ));
            }
            out
        })
        .unwrap_or_default()
}

/// The entities whose forms are closest to `name`: those sharing a word with it first, then
/// by similarity of spelling.
fn closest_entities(kb: &KnowledgeBase, name: &str) -> Vec<EntityId> {
    let folded = fold(name);
    let words: Vec<&str> = folded.split(' ').filter(|w| w.len() > 1).collect();
    let mut scored: Vec<(f64, EntityId)> = kb
        .iter()
        .filter(|(_, e)| {
            !e.strong_forms()
                .chain(e.weak_aliases.iter().map(String::as_str))
                .any(|f| fold(f) == folded)
        })
        .filter_map(|(id, e)| {
            let best = e
                .strong_forms()
                .map(|form| {
                    let form = fold(form);
                    let shared = form.split(' ').filter(|w| words.contains(w)).count() as f64;
                    shared + strsim::jaro_winkler(&form, &folded)
                })
                .fold(0.0, f64::max);
            (best >= 1.0).then_some((best, id))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(ALIAS_SUGGESTIONS)
        .map(|(_, id)| id)
        .collect()
}

fn invalid(message: impl Into<String>) -> RpcError {
    let mut error = RpcError::invalid_params(message.into());
    error.data = None;
    error
}

/// The edit a command stands for, computed against the knowledge base as it is now.
pub fn plan(state: &State, params: &ExecuteCommandParams) -> RpcResult<Option<Plan>> {
    if !COMMANDS.contains(&params.command.as_str()) {
        return Err(invalid(format!("unknown command {}", params.command)));
    }
    let value = params
        .arguments
        .first()
        .cloned()
        .ok_or_else(|| invalid("the command needs its arguments"))?;
    let args: Args =
        serde_json::from_value(value).map_err(|e| invalid(format!("bad arguments: {e}")))?;
    let corpus = state
        .corpus_for_uri(&args.uri)
        .ok_or_else(|| invalid("this document belongs to no corpus with a knowledge base"))?;
    let encoding = state.options().encoding;

    // The article as the editor has it now.
    let (text, span) = state
        .with_doc(&args.uri, |view, _| {
            let span = view.lines.span(args.range, encoding);
            (view.text(0..usize::MAX), span)
        })
        .ok_or_else(|| invalid("the document is not open"))?;
    if text.get(span.clone()) != Some(args.text.as_str()) {
        return Err(invalid(
            "the text changed since the action was offered; try again",
        ));
    }

    let workspace = corpus.read();
    let kb = &workspace.knowledge.kb;
    let first_kb = corpus
        .corpus
        .knowledge_paths()
        .into_iter()
        .next()
        .ok_or_else(|| invalid("the corpus names no knowledge-base file"))?;
    let article_name = || {
        uri_to_path(&args.uri)
            .and_then(|p| corpus.corpus.article_name(&p))
            .ok_or_else(|| invalid("the document is not an article of the corpus"))
    };
    let entity_id = || {
        args.entity
            .clone()
            .ok_or_else(|| invalid("the command needs an entity"))
    };

    let (kb_path, edit) = match params.command.as_str() {
        TAG => {
            let kind = args
                .kind
                .ok_or_else(|| invalid("the command needs a kind"))?;
            let kb_text = kb_text(state, &first_kb)?;
            let role = (kind == Kind::Person)
                .then(|| title_before(&text, span.start, 0))
                .flatten()
                .and_then(|t| text.get(t))
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            let entity = NewEntity {
                id: edit::unique_id(kb, &args.text),
                name: args.text.clone(),
                kind,
                role,
                country: String::new(),
                aliases: Vec::new(),
                weak_aliases: Vec::new(),
            };
            (first_kb, edit::append_entity(&kb_text, &entity))
        }
        ADD_ALIAS => {
            let slug = entity_id()?;
            let id = kb
                .by_slug(&slug)
                .ok_or_else(|| invalid(format!("no entity `{slug}`")))?;
            let path = kb
                .source_of(id)
                .map(|s| s.path.clone())
                .ok_or_else(|| invalid("the entity has no file"))?;
            let edit = edit::add_alias(kb, id, &args.text, false).ok_or_else(|| {
                invalid(format!(
                    "«{}» cannot be added as an alias of `{slug}`",
                    args.text
                ))
            })?;
            (path, edit)
        }
        UNTAG => {
            let anchor = Anchor::at(article_name()?, &text, span);
            let kb_text = kb_text(state, &first_kb)?;
            (first_kb, edit::untag(&kb_text, &anchor))
        }
        ASSIGN => {
            let slug = entity_id()?;
            kb.by_slug(&slug)
                .ok_or_else(|| invalid(format!("no entity `{slug}`")))?;
            let anchor = Anchor::at(article_name()?, &text, span);
            let kb_text = kb_text(state, &first_kb)?;
            (first_kb, edit::assign(&kb_text, &anchor, &slug))
        }
        _ => return Ok(None),
    };
    drop(workspace);
    finish(state, kb_path, &edit, encoding).map(Some)
}

fn kb_text(state: &State, path: &std::path::Path) -> RpcResult<String> {
    // A knowledge file that does not exist yet is created by the edit.
    Ok(state.kb_text(path).unwrap_or_default())
}

/// Turns a core edit of a knowledge-base file into the workspace edit and the text after it.
fn finish(state: &State, kb_path: PathBuf, edit: &TextEdit, encoding: Encoding) -> RpcResult<Plan> {
    let text = state.kb_text(&kb_path).unwrap_or_default();
    let new_kb_text = edit
        .apply(&text)
        .ok_or_else(|| invalid("the knowledge base changed while the edit was made; try again"))?;
    let uri = path_to_uri(&kb_path)
        .ok_or_else(|| invalid("the knowledge-base path is not a file path"))?;
    let lines = LineIndex::new(&text);
    let range = TextLines {
        text: &text,
        lines: &lines,
    }
    .range(edit.range.clone(), encoding);
    #[allow(clippy::mutable_key_type)] // Uri's interior is not mutated
    let changes = std::collections::HashMap::from([(
        uri,
        vec![LspTextEdit {
            range,
            new_text: edit.new_text.clone(),
        }],
    )]);
    Ok(Plan {
        edit: WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        },
        kb_path,
        new_kb_text,
    })
}
