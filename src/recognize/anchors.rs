//! Applying the knowledge base's decisions about single mentions — `[[untag]]` and `[[assign]]`
//! (see [`crate::kb::anchor`]) — to the mentions recognised in an article.
//!
//! An anchor finds the mentions of its article whose folded text is its `text` and whose
//! context — the words before and after, computed as [`Anchor::at`] computes them — equals its
//! `before` and `after`. Rules:
//!
//! - an anchor whose context matches several mentions (the same sentence twice in one article)
//!   applies to all of them: it cannot tell them apart, and neither could a reader of the TOML;
//! - an anchor that matches no mention is *stale*: the article changed around it, or the
//!   knowledge base no longer recognises the name. Stale anchors are returned so that
//!   `dossier check` and the editor can point at them; they change nothing;
//! - where several anchors match one mention, the last in file order wins (an untag after an
//!   assign drops the mention; an assign after an untag keeps it, with its entity);
//! - an anchor changes only the mentions it matches: an assigned `Ma` does not make the other
//!   `Ma`s of the article count as Jack Ma, and an untagged full name still counts for one sense
//!   per discourse, which recognition decided before the anchors apply.
//!
//! The cost is one lookup per mention in a table of the article's anchors by text, plus the
//! context of those mentions whose text some anchor has — a few words read on each side. The
//! article's text is never rescanned.
//!
//! [`Anchor::at`]: crate::kb::Anchor::at

use std::collections::HashMap;
use std::ops::Range;

use super::{title_before, Mention, Target};
use crate::kb::{AnchorAction, AnchorId, Kind, KnowledgeBase};
use crate::text::{fold, words_after, words_before, CONTEXT_WORDS};

/// Applies the anchors of `article` (its path relative to the corpus root, `/` separators) to
/// the `mentions` recognised in its `text`: untagged mentions are removed, assigned ones get
/// their entity (and, for a person, the title before them). Returns the anchors of the article
/// that matched no mention, in file order.
pub fn apply_anchors(
    text: &str,
    article: &str,
    mentions: &mut Vec<Mention>,
    kb: &KnowledgeBase,
) -> Vec<AnchorId> {
    let mut by_text: HashMap<&str, Vec<AnchorId>> = HashMap::new();
    for (id, rule) in kb.anchors_for(article) {
        by_text
            .entry(rule.anchor.text.as_str())
            .or_default()
            .push(id);
    }
    if by_text.is_empty() {
        return Vec::new();
    }

    let mut used: HashMap<AnchorId, bool> =
        by_text.values().flatten().map(|&id| (id, false)).collect();
    // The winning decision for each mention, by index.
    let mut decisions: Vec<(usize, AnchorAction)> = Vec::new();
    for (i, mention) in mentions.iter().enumerate() {
        let Some(written) = text.get(mention.span.clone()) else {
            continue;
        };
        let Some(candidates) = by_text.get(fold(written).as_str()) else {
            continue;
        };
        let before = words_before(text, mention.span.start, CONTEXT_WORDS);
        let after = words_after(text, mention.span.end, CONTEXT_WORDS);
        let mut winner = None;
        for &id in candidates {
            let Some(rule) = kb.anchor(id) else { continue };
            if rule.anchor.before == before && rule.anchor.after == after {
                used.insert(id, true);
                if winner.is_none_or(|(best, _)| id > best) {
                    winner = Some((id, rule.action));
                }
            }
        }
        if let Some((_, action)) = winner {
            decisions.push((i, action));
        }
    }

    if !decisions.is_empty() {
        apply(text, mentions, &decisions, kb);
    }
    let mut stale: Vec<AnchorId> = used
        .into_iter()
        .filter(|&(_, matched)| !matched)
        .map(|(id, _)| id)
        .collect();
    stale.sort_unstable();
    stale
}

/// Whether an `[[untag]]` of `article` anchors the stretch `span` of `text`: how a user
/// silences one candidate name (an untag of a stretch that is no mention), so the editor does
/// not hint at it and the anchor is not stale.
pub fn is_untagged(kb: &KnowledgeBase, article: &str, text: &str, span: Range<usize>) -> bool {
    let mut rules = kb
        .anchors_for(article)
        .filter(|(_, r)| r.action == AnchorAction::Untag)
        .peekable();
    if rules.peek().is_none() {
        return false;
    }
    let here = crate::kb::Anchor::at(article, text, span);
    rules.any(|(_, r)| {
        r.anchor.text == here.text && r.anchor.before == here.before && r.anchor.after == here.after
    })
}

/// Carries out the decisions, which are sorted by mention index.
fn apply(
    text: &str,
    mentions: &mut Vec<Mention>,
    decisions: &[(usize, AnchorAction)],
    kb: &KnowledgeBase,
) {
    let mut decisions = decisions.iter().peekable();
    let mut kept = Vec::with_capacity(mentions.len());
    // The end of the last person (or ambiguous) mention: a title never reaches back past it.
    let mut person_end = 0;
    for (i, mut mention) in std::mem::take(mentions).into_iter().enumerate() {
        match decisions
            .next_if(|(at, _)| *at == i)
            .map(|(_, action)| *action)
        {
            Some(AnchorAction::Untag) => continue,
            Some(AnchorAction::Assign(entity)) => {
                let is_person = kb.get(entity).is_some_and(|e| e.kind == Kind::Person);
                mention.title = is_person
                    .then(|| title_before(text, mention.span.start, person_end))
                    .flatten();
                mention.target = Target::Entity(entity);
            }
            None => {}
        }
        let bounds_titles = match &mention.target {
            Target::Entity(id) => kb.get(*id).is_some_and(|e| e.kind == Kind::Person),
            Target::Ambiguous(_) => true,
        };
        if bounds_titles {
            person_end = mention.span.end;
        }
        kept.push(mention);
    }
    *mentions = kept;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::edit::{assign, untag};
    use crate::kb::Anchor;
    use crate::recognize::Recognizer;

    const KB: &str = r#"
[[entity]]
id = "jack-ma"
name = "Jack Ma"
kind = "person"
weak_aliases = ["Ma"]
role = "Founder of Alibaba Group"
country = "China"

[[entity]]
id = "ma-ying-jeou"
name = "Ma Ying-jeou"
kind = "person"
weak_aliases = ["Ma"]
role = "Former president"
country = "Taiwan"

[[entity]]
id = "alibaba-group"
name = "Alibaba Group"
kind = "organization"
aliases = ["Alibaba"]
role = "Chinese technology company"
country = "China"
"#;

    const ARTICLE: &str = "Alibaba's Ma to partner Philippines' Duterte\n\nJack Ma met officials. Ma said the deal was good. Later Ma left.";

    /// The knowledge base with the tables `tables` appended, which must load cleanly.
    fn kb_with(tables: &str) -> KnowledgeBase {
        let (kb, problems) = KnowledgeBase::load([("kb.toml", format!("{KB}{tables}"))]);
        assert!(problems.is_empty(), "{problems:?}");
        kb
    }

    /// The mentions of `text` after the anchors of `a.txt`, as (text, entity id or "?") pairs,
    /// and the stale anchors.
    fn annotate(kb: &KnowledgeBase, text: &str) -> (Vec<(String, String)>, Vec<AnchorId>) {
        let mut mentions = Recognizer::new(kb).recognize(text);
        let stale = apply_anchors(text, "a.txt", &mut mentions, kb);
        let shown = mentions
            .iter()
            .map(|m| {
                let who = m
                    .entity()
                    .map_or("?".to_owned(), |id| kb.entity(id).id.clone());
                (text[m.span.clone()].to_owned(), who)
            })
            .collect();
        (shown, stale)
    }

    fn table(kind: &str, text: &str, before: &str, after: &str, extra: &str) -> String {
        format!("\n[[{kind}]]\narticle = \"a.txt\"\ntext = \"{text}\"\nbefore = \"{before}\"\nafter = \"{after}\"\n{extra}")
    }

    fn count(mentions: &[(String, String)], text: &str) -> usize {
        mentions.iter().filter(|(t, _)| t == text).count()
    }

    #[test]
    fn an_untag_of_a_candidate_silences_it() {
        let text = "He spoke during the Special Conversation at the forum. The Special Conversation ended.";
        let first = text.find("Special").unwrap_or(0);
        let second = text.rfind("Special").unwrap_or(0);
        let anchor = Anchor::at("a.txt", text, first..first + 20);
        let kb_text = untag("", &anchor).apply("").unwrap_or_default();
        let (kb, problems) = KnowledgeBase::load([("kb.toml", kb_text)]);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(is_untagged(&kb, "a.txt", text, first..first + 20));
        assert!(!is_untagged(&kb, "a.txt", text, second..second + 20));
        assert!(!is_untagged(&kb, "b.txt", text, first..first + 20));
    }

    #[test]
    fn an_untag_removes_exactly_its_mention() {
        let kb = kb_with(&table(
            "untag",
            "Ma",
            "Ma met officials.",
            "said the deal",
            "",
        ));
        let (mentions, stale) = annotate(&kb, ARTICLE);
        assert_eq!(stale, []);
        assert_eq!(count(&mentions, "Ma"), 2, "{mentions:?}");
        let (all, _) = annotate(&kb_with(""), ARTICLE);
        assert_eq!(all.len(), mentions.len() + 1);
    }

    #[test]
    fn an_untag_survives_edits_elsewhere_and_goes_stale_when_its_words_change() {
        let kb = kb_with(&table(
            "untag",
            "Ma",
            "Ma met officials.",
            "said the deal",
            "",
        ));
        let edited = format!(
            "UPDATE: a correction.\n\n{}",
            ARTICLE.replace("Jack Ma met", "Yesterday, Jack Ma met")
        );
        let (mentions, stale) = annotate(&kb, &edited);
        assert_eq!(stale, []);
        assert_eq!(count(&mentions, "Ma"), 2, "{mentions:?}");
        let reworded = ARTICLE.replace("Ma said the deal", "Ma said that the deal");
        let (mentions, stale) = annotate(&kb, &reworded);
        assert_eq!(stale, [AnchorId(0)]);
        assert_eq!(count(&mentions, "Ma"), 3, "a stale anchor changes nothing");
    }

    #[test]
    fn an_untag_at_a_paragraph_start_and_in_a_headline() {
        let kb = kb_with(&table(
            "untag",
            "Ma",
            "Alibaba's",
            "to partner Philippines'",
            "",
        ));
        let (mentions, stale) = annotate(&kb, &ARTICLE.replace("Alibaba's", "Alibaba’s"));
        assert_eq!(stale, [], "curly and straight apostrophes are one");
        assert_eq!(count(&mentions, "Ma"), 2);
        assert_eq!(
            mentions[0],
            ("Alibaba".to_owned(), "alibaba-group".to_owned())
        );
    }

    #[test]
    fn an_anchor_matching_several_mentions_applies_to_all() {
        let kb = kb_with(&table("untag", "Ma", "", "said.", ""));
        let text = "Jack Ma spoke.\n\nMa said.\n\nMa said.\n\nMa said again.";
        let (mentions, stale) = annotate(&kb, text);
        assert_eq!(stale, []);
        assert_eq!(count(&mentions, "Ma"), 1);
    }

    #[test]
    fn an_assign_resolves_an_ambiguous_mention() {
        let text = "Jack Ma met Ma Ying-jeou. Ma said no.";
        let (mentions, _) = annotate(&kb_with(""), text);
        assert_eq!(mentions[2], ("Ma".to_owned(), "?".to_owned()));
        let kb = kb_with(&table(
            "assign",
            "Ma",
            "met Ma Ying-jeou.",
            "said no.",
            "entity = \"ma-ying-jeou\"\n",
        ));
        let (mentions, stale) = annotate(&kb, text);
        assert_eq!(stale, []);
        assert_eq!(mentions[2], ("Ma".to_owned(), "ma-ying-jeou".to_owned()));
        assert_eq!(mentions.len(), 3);
    }

    #[test]
    fn an_assigned_person_gets_the_title_before_them() {
        let kb = kb_with(&table(
            "assign",
            "Ma",
            "Ma and President",
            "said no. Ma",
            "entity = \"ma-ying-jeou\"\n",
        ));
        let text = "Jack Ma and President Ma said no. Ma Ying-jeou left.";
        let mut mentions = Recognizer::new(&kb).recognize(text);
        let stale = apply_anchors(text, "a.txt", &mut mentions, &kb);
        assert_eq!(stale, []);
        let ma = &mentions[1];
        assert_eq!(ma.entity(), kb.by_slug("ma-ying-jeou"));
        assert_eq!(ma.title.clone().map(|t| &text[t]), Some("President"));
    }

    #[test]
    fn the_last_matching_decision_wins() {
        let untag_then_assign = format!(
            "{}{}",
            table("untag", "Ma", "met Ma Ying-jeou.", "said no.", ""),
            table(
                "assign",
                "Ma",
                "met Ma Ying-jeou.",
                "said no.",
                "entity = \"jack-ma\"\n"
            )
        );
        let text = "Jack Ma met Ma Ying-jeou. Ma said no.";
        let (mentions, stale) = annotate(&kb_with(&untag_then_assign), text);
        assert_eq!(stale, []);
        assert_eq!(mentions[2], ("Ma".to_owned(), "jack-ma".to_owned()));
        let assign_then_untag = format!(
            "{}{}",
            table(
                "assign",
                "Ma",
                "met Ma Ying-jeou.",
                "said no.",
                "entity = \"jack-ma\"\n"
            ),
            table("untag", "Ma", "met Ma Ying-jeou.", "said no.", "")
        );
        let (mentions, stale) = annotate(&kb_with(&assign_then_untag), text);
        assert_eq!(stale, []);
        assert_eq!(mentions.len(), 2);
    }

    #[test]
    fn anchors_of_other_articles_and_other_texts_do_nothing() {
        let kb = kb_with(&format!(
            "{}{}",
            table("untag", "Ma", "", "said.", "").replace("a.txt", "b.txt"),
            table("untag", "Jack", "", "Ma met", "")
        ));
        let (mentions, stale) = annotate(&kb, ARTICLE);
        assert_eq!(
            stale,
            [AnchorId(1)],
            "only this article's anchors can be stale here"
        );
        assert_eq!(mentions, annotate(&kb_with(""), ARTICLE).0);
    }

    #[test]
    fn an_anchor_made_for_a_mention_finds_it_through_the_edit_functions() {
        let kb = kb_with("");
        let mentions = Recognizer::new(&kb).recognize(ARTICLE);
        let ma = mentions
            .iter()
            .rfind(|m| &ARTICLE[m.span.clone()] == "Ma")
            .map(|m| m.span.clone())
            .unwrap_or(0..0);
        let anchor = Anchor::at("a.txt", ARTICLE, ma);
        assert_eq!(anchor.before, "was good. Later");
        assert_eq!(anchor.after, "left.");
        let kb_text = KB.to_owned();
        for (edit, expected) in [
            (untag(&kb_text, &anchor), None),
            (
                assign(&kb_text, &anchor, "ma-ying-jeou"),
                Some("ma-ying-jeou"),
            ),
        ] {
            let text = edit.apply(&kb_text).unwrap_or_default();
            let (kb, problems) = KnowledgeBase::load([("kb.toml", text)]);
            assert!(problems.is_empty(), "{problems:?}");
            let (mentions, stale) = annotate(&kb, ARTICLE);
            assert_eq!(stale, []);
            let last = mentions.last().map(|(t, who)| (t.as_str(), who.as_str()));
            match expected {
                None => assert_eq!(last, Some(("Ma", "jack-ma")), "the last `Ma` is gone"),
                Some(id) => assert_eq!(last, Some(("Ma", id))),
            }
            assert_eq!(mentions.len(), if expected.is_some() { 5 } else { 4 });
        }
    }
}
