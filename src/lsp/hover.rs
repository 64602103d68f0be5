//! The hover card: who or what an entity is, where the corpus mentions it, and whom it appears
//! with. Rendered as Markdown, which every client shows.
//!
//! Rendering takes a `link` function from an article and a position to a URL, so the card is
//! the same in tests (relative paths) and in editors (`file:` URIs with a `#L` line fragment).

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

use crate::corpus::CorpusIndex;
use crate::kb::{EntityId, KnowledgeBase};
use crate::text::LineCol;

/// How many related articles and companions a card lists before "and N more".
const LIST_LIMIT: usize = 8;

/// The card of one entity. `title_here` is the title the hovered mention carries, if any.
pub fn entity_card(
    kb: &KnowledgeBase,
    index: &CorpusIndex,
    entity: EntityId,
    title_here: Option<&str>,
    link: &dyn Fn(&Path, LineCol) -> String,
) -> String {
    let Some(e) = kb.get(entity) else {
        return String::new();
    };
    let mut md = String::new();
    let _ = writeln!(md, "### {}", escape(&e.name));
    let mut facts = vec![format!("*{}*", e.kind)];
    if !e.country.is_empty() {
        facts.push(escape(&e.country));
    }
    let _ = writeln!(md, "{}\n", facts.join(" · "));
    if !e.role.is_empty() {
        let _ = writeln!(md, "{}\n", escape(&e.role));
    }
    if let Some(description) = &e.description {
        let _ = writeln!(md, "{}\n", escape(description));
    }
    if !e.aliases.is_empty() || !e.weak_aliases.is_empty() {
        let mut line = String::from("**Also:** ");
        line.push_str(
            &e.aliases
                .iter()
                .map(|a| escape(a))
                .collect::<Vec<_>>()
                .join(", "),
        );
        if !e.weak_aliases.is_empty() {
            if !e.aliases.is_empty() {
                line.push_str("; ");
            }
            let weak: Vec<String> = e.weak_aliases.iter().map(|a| escape(a)).collect();
            let _ = write!(line, "*{}* (where the full name appears)", weak.join(", "));
        }
        let _ = writeln!(md, "{line}\n");
    }

    let stats = index.stats(entity);
    let titles: BTreeSet<String> = stats.titles().into_iter().map(|(t, _)| t).collect();
    if let Some(title) = title_here {
        let _ = writeln!(md, "**Titled here:** {}\n", escape(title));
    }
    if !titles.is_empty() {
        let titles: Vec<String> = titles.iter().map(|t| escape(t)).collect();
        let _ = writeln!(md, "**Titles in the corpus:** {}\n", titles.join(", "));
    }

    let articles = stats.articles();
    match articles.len() {
        0 => {
            let _ = writeln!(md, "Mentioned in no article yet.\n");
        }
        n => {
            let _ = writeln!(
                md,
                "**Mentioned in {n} article{}** ({} mention{})",
                plural(n),
                stats.mention_count(),
                plural(stats.mention_count() as usize)
            );
            for (doc, count) in articles.iter().take(LIST_LIMIT) {
                let Some(indexed) = index.doc(*doc) else {
                    continue;
                };
                let at = stats.first_mention(*doc).unwrap_or_default();
                let title = match indexed.title() {
                    "" => file_name(indexed.path()),
                    title => title.to_owned(),
                };
                let _ = writeln!(
                    md,
                    "- [{}]({}) — {count} mention{}",
                    escape(&title),
                    link(indexed.path(), at),
                    plural(*count as usize)
                );
            }
            if n > LIST_LIMIT {
                let _ = writeln!(md, "- and {} more", n - LIST_LIMIT);
            }
            md.push('\n');
        }
    }

    let companions = stats.appears_with(LIST_LIMIT);
    if !companions.is_empty() {
        let names: Vec<String> = companions
            .iter()
            .filter_map(|&(other, n)| kb.get(other).map(|o| format!("{} ({n})", escape(&o.name))))
            .collect();
        let _ = writeln!(md, "**Often appears with:** {}", names.join(", "));
    }
    md.trim_end().to_owned()
}

/// The card of an ambiguous mention: its candidates, for the user to choose.
pub fn ambiguous_card(kb: &KnowledgeBase, surface: &str, candidates: &[EntityId]) -> String {
    let mut md = format!(
        "### {} — ambiguous\nThis article does not say which one it means:\n",
        escape(surface)
    );
    for &id in candidates {
        if let Some(e) = kb.get(id) {
            let _ = write!(md, "\n- **{}** (*{}*", escape(&e.name), e.kind);
            if !e.country.is_empty() {
                let _ = write!(md, ", {}", escape(&e.country));
            }
            md.push(')');
            if !e.role.is_empty() {
                let _ = write!(md, " — {}", escape(&e.role));
            }
        }
    }
    md.push_str("\n\nName one of them in full in the article, or use the code action *This is …*.");
    md
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Escapes the characters Markdown would read as formatting in plain text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;
    use crate::recognize::Recognizer;

    fn seeds() -> (KnowledgeBase, CorpusIndex) {
        let corpus = Corpus::open(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"));
        let corpus = corpus.unwrap_or_else(|e| panic!("the seed corpus opens: {e}"));
        let (kb, problems) = corpus.load_knowledge();
        assert!(problems.is_empty(), "{problems:?}");
        let recognizer = Recognizer::new(&kb);
        let (index, failures) = corpus
            .index(&kb, &recognizer)
            .unwrap_or_else(|e| panic!("the seeds index: {e}"));
        assert!(failures.is_empty());
        (kb, index)
    }

    fn relative_link(path: &Path, at: LineCol) -> String {
        format!("{}#L{},{}", file_name(path), at.line + 1, at.column + 1)
    }

    #[test]
    fn jack_ma_card() {
        let (kb, index) = seeds();
        let id = kb.by_slug("jack-ma").unwrap_or(EntityId(u32::MAX));
        insta::assert_snapshot!(entity_card(&kb, &index, id, Some("Mr"), &relative_link));
    }

    #[test]
    fn kuala_lumpur_card() {
        let (kb, index) = seeds();
        let id = kb.by_slug("kuala-lumpur").unwrap_or(EntityId(u32::MAX));
        insta::assert_snapshot!(entity_card(&kb, &index, id, None, &relative_link));
    }

    #[test]
    fn ambiguous_card_lists_candidates() {
        let (kb, _) = seeds();
        let ids: Vec<EntityId> = ["carrie-lam", "lim-guan-eng"]
            .iter()
            .filter_map(|s| kb.by_slug(s))
            .collect();
        insta::assert_snapshot!(ambiguous_card(&kb, "Lam", &ids));
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(escape("a*b_[c]"), "a\\*b\\_\\[c\\]");
    }
}
