//! The corpus's candidate names gathered into one list, most frequent first: what
//! `dossier suggest` prints, so that a newsroom sees in one place what its knowledge base
//! lacks.

use std::collections::HashMap;

use serde::Serialize;

use crate::kb::Kind;
use crate::recognize::{Lexicon, Mention};
use crate::text::LineIndex;

/// One article to gather candidates from.
pub struct SuggestDoc<'a> {
    /// How the article is named in the output (its path as given).
    pub doc: &'a str,
    /// Its text.
    pub text: &'a str,
    /// The mentions recognised in it.
    pub mentions: &'a [Mention],
}

/// A candidate name with where and how often the corpus writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The name, whitespace runs as one space.
    pub name: String,
    /// How many times it is a candidate.
    pub count: usize,
    /// The articles it is a candidate in, in the order given.
    pub articles: Vec<String>,
    /// The kind guessed most often for it, if any guess was made.
    pub kind: Option<Kind>,
    /// Why, for the first occurrence guessed that kind.
    pub why: Option<String>,
    /// The article of the first occurrence.
    pub doc: String,
    /// Its 0-based line, and code-point column.
    pub line: usize,
    /// See `line`.
    pub character: usize,
    /// The line it stands in, on one line and cut to about [`CONTEXT`] characters around it.
    pub context: String,
}

/// How many characters of context a suggestion shows.
pub const CONTEXT: usize = 100;

/// The candidate names of `docs`, read with `lexicon` (the corpus's evidence), without those
/// `ignored` says to leave out (given the article, the byte span and the name: an ignore list,
/// or an `[[untag]]` there); most frequent first, then in more articles, then by name.
pub fn suggest(
    docs: &[SuggestDoc<'_>],
    lexicon: &Lexicon,
    ignored: impl Fn(&SuggestDoc<'_>, std::ops::Range<usize>, &str) -> bool,
) -> Vec<Suggestion> {
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Suggestion> = Vec::new();
    let mut kinds: Vec<Vec<(Kind, String)>> = Vec::new();
    for doc in docs {
        let lines = LineIndex::new(doc.text);
        for c in lexicon.find(doc.text, doc.mentions) {
            let Some(raw) = doc.text.get(c.span.clone()) else {
                continue;
            };
            let name = one_line(raw);
            if ignored(doc, c.span.clone(), &name) {
                continue;
            }
            let i = *by_name.entry(name.clone()).or_insert_with(|| {
                let at = lines.line_col(doc.text, c.span.start);
                out.push(Suggestion {
                    name: name.clone(),
                    count: 0,
                    articles: Vec::new(),
                    kind: None,
                    why: None,
                    doc: doc.doc.to_owned(),
                    line: at.line,
                    character: at.column,
                    context: context(doc.text, c.span.clone()),
                });
                kinds.push(Vec::new());
                out.len() - 1
            });
            let (Some(s), Some(k)) = (out.get_mut(i), kinds.get_mut(i)) else {
                continue;
            };
            s.count += 1;
            if s.articles.last().map(String::as_str) != Some(doc.doc) {
                s.articles.push(doc.doc.to_owned());
            }
            if let Some(g) = &c.guess {
                k.push((g.kind, g.describe(doc.text)));
            }
        }
    }
    for (s, k) in out.iter_mut().zip(&kinds) {
        let mut best: Option<(usize, Kind)> = None;
        for &(kind, _) in k {
            let n = k.iter().filter(|(x, _)| *x == kind).count();
            if best.is_none_or(|(m, _)| n > m) {
                best = Some((n, kind));
            }
        }
        if let Some((_, kind)) = best {
            s.kind = Some(kind);
            s.why = k.iter().find(|(x, _)| *x == kind).map(|(_, w)| w.clone());
        }
    }
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.articles.len().cmp(&a.articles.len()))
            .then(a.name.cmp(&b.name))
    });
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The line holding `span`, on one line, cut to about [`CONTEXT`] characters centred on it.
fn context(text: &str, span: std::ops::Range<usize>) -> String {
    let start = text
        .get(..span.start)
        .and_then(|b| b.rfind(['\n', '\r']))
        .map_or(0, |i| i + 1);
    let end = text
        .get(span.end..)
        .and_then(|a| a.find(['\n', '\r']))
        .map_or(text.len(), |i| span.end + i);
    let before: Vec<char> = text
        .get(start..span.start)
        .unwrap_or_default()
        .chars()
        .collect();
    let name = text.get(span.clone()).unwrap_or_default();
    let after: Vec<char> = text
        .get(span.end..end)
        .unwrap_or_default()
        .chars()
        .collect();
    let room = CONTEXT.saturating_sub(name.chars().count()) / 2;
    let mut line = String::new();
    if before.len() > room {
        line.push('…');
        line.extend(&before[before.len() - room..]);
    } else {
        line.extend(&before);
    }
    line.push_str(name);
    if after.len() > room {
        line.extend(&after[..room]);
        line.push('…');
    } else {
        line.extend(&after);
    }
    one_line(&line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_counted_across_articles_most_frequent_first() {
        let a = "Mr Bai Tian spoke. Later Bai Tian said no.";
        let b = "Bai Tian met the Acme Holdings board.";
        let docs = [
            SuggestDoc {
                doc: "a.txt",
                text: a,
                mentions: &[],
            },
            SuggestDoc {
                doc: "b.txt",
                text: b,
                mentions: &[],
            },
        ];
        let lexicon = Lexicon::from_texts([a, b]);
        let found = suggest(&docs, &lexicon, |_, _, _| false);
        let names: Vec<(&str, usize, usize, Option<Kind>)> = found
            .iter()
            .map(|s| (s.name.as_str(), s.count, s.articles.len(), s.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("Bai Tian", 3, 2, Some(Kind::Person)),
                ("Acme Holdings", 1, 1, Some(Kind::Organization)),
            ]
        );
        assert_eq!(found[0].why.as_deref(), Some("after the title «Mr»"));
        assert_eq!((found[0].line, found[0].character), (0, 3));
        assert_eq!(found[1].context, b);
        let ignored = suggest(&docs, &lexicon, |_, _, n| n == "Bai Tian");
        assert_eq!(ignored.len(), 1);
    }

    #[test]
    fn context_is_one_cut_line_around_the_name() {
        let text = format!(
            "first line\n{} Bai Tian {}\nlast",
            "x".repeat(200),
            "y".repeat(200)
        );
        let at = text.find("Bai").unwrap_or(0);
        let line = context(&text, at..at + 8);
        assert!(line.starts_with('…') && line.ends_with('…'), "{line}");
        assert!(line.contains(" Bai Tian "), "{line}");
        assert!(line.chars().count() <= CONTEXT + 2, "{line}");
    }
}
