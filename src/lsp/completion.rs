//! Completing entity names while typing a capitalised word in an article.
//!
//! The text before the cursor is read back up to four words, starting at a capital letter:
//! after `Finance Minister Lim G` the longest of `Lim G`, `G`... that begins some name or alias
//! (ignoring case) is replaced by the chosen one. Forms are kept sorted, so a lookup is a binary
//! search whatever the size of the knowledge base.
//!
//! Each item replaces the typed prefix with a `textEdit` whose range covers it (`Lim G`, not
//! only `G`), and a `filterText` that begins with exactly the typed text (`Lim guan Eng` after
//! `Lim g`): VS Code filters by the text of the range, case-sensitive clients by a prefix.
//! The edit is a snippet (the name escaped) when the client takes snippets: Neovim 0.11's
//! `vim.lsp.completion` inserts only the first word of a plain-text edit's `newText` (it cuts
//! it at the first space; fixed only in later versions), while it expands a snippet whole at
//! the start of the range; VS Code and Helix insert both forms whole. A client without
//! snippets gets plain text.

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertTextFormat,
    MarkupContent, MarkupKind, Range, TextEdit,
};

use crate::kb::{EntityId, KnowledgeBase};

/// How many completions a request returns at most.
const LIMIT: usize = 50;
/// How many words back a prefix may reach.
const MAX_WORDS: usize = 4;

/// Every surface form, sorted by its lowercase spelling.
#[derive(Debug, Default)]
pub struct FormIndex {
    forms: Vec<(String, String, EntityId)>,
}

impl FormIndex {
    /// Indexes the names and aliases of `kb`.
    pub fn new(kb: &KnowledgeBase) -> FormIndex {
        let mut forms: Vec<(String, String, EntityId)> = kb
            .iter()
            .flat_map(|(id, e)| {
                e.strong_forms()
                    .chain(e.weak_aliases.iter().map(String::as_str))
                    .map(move |f| (f.to_lowercase(), f.to_owned(), id))
            })
            .collect();
        forms.sort();
        forms.dedup();
        FormIndex { forms }
    }

    /// Forms beginning with `prefix`, ignoring case.
    pub fn starting_with(&self, prefix: &str) -> impl Iterator<Item = (&str, EntityId)> {
        let lower = prefix.to_lowercase();
        let start = self
            .forms
            .partition_point(|(l, _, _)| l.as_str() < lower.as_str());
        self.forms[start..]
            .iter()
            .take_while(move |(l, _, _)| l.starts_with(&lower))
            .map(|(_, form, id)| (form.as_str(), *id))
    }
}

/// Byte offsets (within `line_before`) where a prefix could start: the starts of the last few
/// words that begin with a capital letter, longest prefix first.
pub fn prefix_starts(line_before: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in line_before.char_indices().rev() {
        let is_word = c.is_alphanumeric() || c == '-' || c == '\'' || c == '’';
        if is_word {
            in_word = true;
            continue;
        }
        if in_word {
            words += 1;
            in_word = false;
            let start = i + c.len_utf8();
            if line_before[start..].starts_with(char::is_uppercase) {
                starts.push(start);
            }
            if words >= MAX_WORDS || c != ' ' {
                break;
            }
        } else if c != ' ' {
            break;
        }
    }
    if in_word && words < MAX_WORDS && line_before.starts_with(char::is_uppercase) {
        starts.push(0);
    }
    starts.reverse();
    starts
}

/// The text a client filters an item by: the typed `prefix` exactly as typed, then the rest of
/// `form` (which begins with it, ignoring case), so that a client matching the typed text
/// against it, case-sensitively or not, keeps the item. `prefix` itself where the two do not
/// line up letter for letter.
fn filter_text(prefix: &str, form: &str) -> String {
    let mut rest = form.char_indices();
    for p in prefix.chars() {
        match rest.next() {
            Some((_, f)) if f == p || f.to_lowercase().eq(p.to_lowercase()) => {}
            _ => return prefix.to_owned(),
        }
    }
    let tail = rest
        .next()
        .map_or("", |(i, _)| form.get(i..).unwrap_or_default());
    format!("{prefix}{tail}")
}

/// `text` as a snippet that inserts it literally: `$`, `}` and `\` escaped.
fn snippet_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Completions replacing the longest capitalised prefix before the cursor. `prefix_range(start)`
/// gives the editor range from byte `start` of `line_before` to the cursor; `snippets` says
/// whether the client takes snippets, the one form of edit every editor inserts whole.
pub fn complete(
    forms: &FormIndex,
    kb: &KnowledgeBase,
    line_before: &str,
    snippets: bool,
    prefix_range: impl Fn(usize) -> Range,
) -> Vec<CompletionItem> {
    for start in prefix_starts(line_before) {
        let prefix = &line_before[start..];
        let range = prefix_range(start);
        let items: Vec<CompletionItem> = forms
            .starting_with(prefix)
            .filter(|(form, _)| *form != prefix)
            .take(LIMIT)
            .filter_map(|(form, id)| {
                let entity = kb.get(id)?;
                let detail = if form == entity.name {
                    format!("{} · {}", entity.kind, entity.role)
                } else {
                    format!("{} · {} · {}", entity.name, entity.kind, entity.role)
                };
                Some(CompletionItem {
                    label: form.to_owned(),
                    kind: Some(CompletionItemKind::REFERENCE),
                    detail: Some(detail),
                    documentation: entity.description.as_ref().map(|d| {
                        Documentation::MarkupContent(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value: d.clone(),
                        })
                    }),
                    filter_text: Some(filter_text(prefix, form)),
                    insert_text_format: Some(if snippets {
                        InsertTextFormat::SNIPPET
                    } else {
                        InsertTextFormat::PLAIN_TEXT
                    }),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range,
                        new_text: if snippets {
                            snippet_literal(form)
                        } else {
                            form.to_owned()
                        },
                    })),
                    ..CompletionItem::default()
                })
            })
            .collect();
        if !items.is_empty() {
            return items;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_start_at_capitalised_words_longest_first() {
        assert_eq!(
            prefix_starts("said Finance Minister Lim G"),
            [5, 13, 22, 26]
        );
        assert_eq!(prefix_starts("Jack M"), [0, 5]);
        assert_eq!(prefix_starts("the boss, Ali"), [10]);
        assert_eq!(prefix_starts("lowercase words"), Vec::<usize>::new());
        assert_eq!(prefix_starts(""), Vec::<usize>::new());
    }

    #[test]
    fn forms_are_found_by_prefix_ignoring_case() {
        let (kb, _) = KnowledgeBase::load([(
            "kb.toml",
            "[[entity]]\nid = \"lim\"\nname = \"Lim Guan Eng\"\nkind = \"person\"\naliases = [\"Guan Eng\"]\nrole = \"Finance Minister\"\ncountry = \"Malaysia\"\n",
        )]);
        let forms = FormIndex::new(&kb);
        let found: Vec<&str> = forms.starting_with("lim g").map(|(f, _)| f).collect();
        assert_eq!(found, ["Lim Guan Eng"]);
        let items = complete(&forms, &kb, "Minister Lim G", false, |_| Range::default());
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].label, "Lim Guan Eng");
        assert_eq!(
            items[0].detail.as_deref(),
            Some("person · Finance Minister")
        );
    }

    #[test]
    fn the_filter_text_begins_with_the_typed_text() {
        assert_eq!(
            filter_text("Rodrigo Dut", "Rodrigo Duterte"),
            "Rodrigo Duterte"
        );
        assert_eq!(filter_text("Lim g", "Lim Guan Eng"), "Lim guan Eng");
        assert_eq!(filter_text("Lim Guan Eng", "Lim Guan Eng"), "Lim Guan Eng");
        assert_eq!(filter_text("MALA", "Malacañang"), "MALAcañang");
        // Letters that change length in lowercase: the typed text alone.
        assert_eq!(filter_text("İs", "is tanbul"), "İs");
        assert_eq!(filter_text("", "Ma"), "Ma");
    }

    #[test]
    fn a_snippet_inserts_the_name_literally() {
        assert_eq!(snippet_literal("Rodrigo Duterte"), "Rodrigo Duterte");
        assert_eq!(snippet_literal("Ke$ha {x} a\\b"), "Ke\\$ha {x\\} a\\\\b");
    }
}
