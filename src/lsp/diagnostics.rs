//! What the editor underlines: knowledge-base problems where they are, ambiguous mentions,
//! names the knowledge base does not know (at the severity the user chose), and, when entities
//! are shown as diagnostics, every mention.

use tower_lsp_server::ls_types::{Diagnostic, DiagnosticSeverity, NumberOrString};

use super::convert::{Encoding, Lines};
use super::options::{Display, Options};
use super::state::DocView;
use crate::corpus::Config;
use crate::kb::KnowledgeBase;
use crate::problem::{Problem, Severity};
use crate::recognize::{find_candidates, is_untagged, CandidateReason, Form, Target};

/// The `source` field of every diagnostic, so users can tell (and filter) ours.
pub const SOURCE: &str = "dossier";

/// Diagnostic codes, which code actions key on.
pub mod code {
    /// A form several entities share, unresolved in this article.
    pub const AMBIGUOUS: &str = "ambiguous";
    /// A name the knowledge base does not know.
    pub const CANDIDATE: &str = "candidate";
    /// A mention shown as a diagnostic (display mode `diagnostics`).
    pub const MENTION: &str = "mention";
}

/// A core problem as a diagnostic, placed with `lines` (the file's text).
pub fn from_problem(problem: &Problem, lines: &dyn Lines, encoding: Encoding) -> Diagnostic {
    Diagnostic {
        range: lines.range(problem.span.clone(), encoding),
        severity: Some(match problem.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        source: Some(SOURCE.to_owned()),
        message: problem.message.clone(),
        ..Diagnostic::default()
    }
}

/// What silences a candidate hint: the corpus's ignore list, and `[[untag]]`s of the article.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silenced<'a> {
    /// The corpus's settings, with `[candidates] ignore`.
    pub config: Option<&'a Config>,
    /// The article's name in the corpus, which `[[untag]]` anchors name.
    pub article: Option<&'a str>,
}

/// The diagnostics of an article; candidates `silenced` are not hinted.
pub fn for_article(
    view: &DocView<'_>,
    kb: &KnowledgeBase,
    options: &Options,
    silenced: &Silenced<'_>,
) -> Vec<Diagnostic> {
    let encoding = options.encoding;
    let mut out = Vec::new();
    for mention in view.mentions {
        let range = view.lines.range(mention.span.clone(), encoding);
        match &mention.target {
            Target::Ambiguous(ids) => {
                let names: Vec<String> = ids
                    .iter()
                    .filter_map(|&id| kb.get(id))
                    .map(|e| format!("{} ({})", e.name, e.kind))
                    .collect();
                out.push(Diagnostic {
                    range,
                    severity: Some(DiagnosticSeverity::WARNING),
                    code: Some(NumberOrString::String(code::AMBIGUOUS.to_owned())),
                    source: Some(SOURCE.to_owned()),
                    message: format!(
                        "`{}` is ambiguous: {}. Name the one meant in full, or choose with a code action.",
                        view.text(mention.span.clone()),
                        names.join(" or ")
                    ),
                    ..Diagnostic::default()
                });
            }
            Target::Entity(id) if options.display == Display::Diagnostics => {
                let Some(e) = kb.get(*id) else { continue };
                // Short: Helix shows it inline, beside the text, and the card is in the hover.
                let weak = if mention.form == Form::WeakAlias {
                    ", short form"
                } else {
                    ""
                };
                out.push(Diagnostic {
                    range,
                    severity: Some(DiagnosticSeverity::HINT),
                    code: Some(NumberOrString::String(code::MENTION.to_owned())),
                    source: Some(SOURCE.to_owned()),
                    message: format!("{} ({}{weak})", e.name, e.kind),
                    ..Diagnostic::default()
                });
            }
            Target::Entity(_) => {}
        }
    }
    if let Some(severity) = options.candidate_severity {
        let text = view.text(0..usize::MAX);
        for candidate in find_candidates(&text, view.mentions) {
            let name = text.get(candidate.span.clone()).unwrap_or_default();
            if silenced.config.is_some_and(|c| c.ignores_candidate(name))
                || silenced
                    .article
                    .is_some_and(|a| is_untagged(kb, a, &text, candidate.span.clone()))
            {
                continue;
            }
            let why = match (&candidate.reason, &candidate.guess) {
                (_, Some(guess)) => format!(
                    " (likely {} {}: {})",
                    article(guess.kind),
                    guess.kind,
                    guess.describe(&text)
                ),
                (CandidateReason::AfterTitle(title), None) => format!(
                    " (after the title «{}»)",
                    text.get(title.clone()).unwrap_or_default()
                ),
                _ => String::new(),
            };
            out.push(Diagnostic {
                range: view.lines.range(candidate.span, encoding),
                severity: Some(severity),
                code: Some(NumberOrString::String(code::CANDIDATE.to_owned())),
                source: Some(SOURCE.to_owned()),
                message: format!(
                    "«{name}»{why} is not in the knowledge base; tag it with a code action"
                ),
                ..Diagnostic::default()
            });
        }
    }
    out.sort_by_key(|d| (d.range.start.line, d.range.start.character));
    out
}

/// `a` or `an` before a kind's name.
fn article(kind: crate::kb::Kind) -> &'static str {
    match kind {
        crate::kb::Kind::Organization | crate::kb::Kind::Initiative | crate::kb::Kind::Event => {
            "an"
        }
        _ => "a",
    }
}
