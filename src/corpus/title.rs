//! An article's headline, read from its text: what hover cards, symbols and the CLI's table
//! call it. Scraped news often starts with page furniture (`Close ↓`) or a date stamp
//! (`date 2018-01-30 Finance Secretary …`); neither is a headline.
//!
//! The rules, in order:
//! 1. Markdown front matter (YAML between `---` lines at the very top) with a `title:` wins.
//! 2. Otherwise the first line that is not furniture, after the front matter if any:
//!    furniture is a line with no word of three letters or more (`↓`, `12 | 3`), or one whose
//!    words are all page controls (`Close ↓`, `Share`, `Print`, `Menu`).
//! 3. A leading date stamp (`2018-01-30`, `date 2018-01-30`, `Published: 30/01/2018`) and the
//!    `#`s of a Markdown heading are taken off.
//! 4. The result is cut at a word boundary to at most [`MAX_TITLE`] characters, with `…`.
//!
//! `dossier.toml`'s `[titles]` table overrides all of this per article (see `config`).

/// The longest title, in characters (`…` included).
pub const MAX_TITLE: usize = 80;

/// Words that make a line page furniture when it has no others.
const CONTROLS: &[&str] = &[
    "close",
    "menu",
    "share",
    "print",
    "search",
    "advertisement",
    "skip",
    "content",
    "to",
];

/// Labels a date stamp may carry.
const DATE_LABELS: &[&str] = &["date", "dated", "published", "updated", "posted"];

/// The headline of an article's text, by the rules of this module ("" when it has none).
pub fn headline(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front_title, body) = front_matter(text);
    let raw = front_title
        .map(unquote)
        .or_else(|| body.lines().find_map(headline_of_line))
        .unwrap_or_default();
    truncate(raw.trim(), MAX_TITLE)
}

/// The `title:` of the front matter at the start of `text`, if any, and the text after the
/// front matter (all of `text` when there is none).
fn front_matter(text: &str) -> (Option<&str>, &str) {
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return (None, text);
    }
    let mut title = None;
    let mut consumed = text.find('\n').map_or(text.len(), |i| i + 1);
    for line in lines {
        consumed += line.len();
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return (title, &text[consumed..]);
        }
        if let Some(value) = trimmed.strip_prefix("title:") {
            title = Some(value.trim()).filter(|v| !v.is_empty());
        }
    }
    // An unclosed block is not front matter.
    (None, text)
}

/// `value` without the quotes YAML may put around it.
fn unquote(value: &str) -> &str {
    ['"', '\'']
        .iter()
        .find_map(|&q| value.strip_prefix(q).and_then(|v| v.strip_suffix(q)))
        .unwrap_or(value)
}

/// The headline a line gives, if it is not furniture.
fn headline_of_line(line: &str) -> Option<&str> {
    let line = line.trim();
    let line = line.trim_start_matches('#').trim_start();
    let line = strip_date(line);
    (!is_furniture(line)).then_some(line)
}

/// Whether a line is page furniture rather than text.
fn is_furniture(line: &str) -> bool {
    let words: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has_word = words
        .iter()
        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3);
    let all_controls = words
        .iter()
        .all(|w| CONTROLS.iter().any(|c| w.eq_ignore_ascii_case(c)));
    !has_word || all_controls
}

/// `line` without a leading date stamp (and the label and separator around it).
fn strip_date(line: &str) -> &str {
    let mut rest = line;
    if let Some((first, after)) = split_word(rest) {
        let label = first.trim_end_matches(':');
        if DATE_LABELS.iter().any(|l| label.eq_ignore_ascii_case(l)) {
            rest = after.trim_start_matches(':').trim_start();
        }
    }
    match split_word(rest) {
        Some((first, after)) if is_date(first) => after
            .trim_start_matches(['-', '–', '—', '|', ':', ','])
            .trim_start(),
        _ => line,
    }
}

/// The first whitespace-separated word of `text` and what follows it.
fn split_word(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    if text.is_empty() {
        return None;
    }
    Some(text.split_once(char::is_whitespace).unwrap_or((text, "")))
}

/// Whether `word` is a numeric date: `2018-01-30` (a time may follow a `T`), `30/01/2018`,
/// `30.01.2018`.
fn is_date(word: &str) -> bool {
    let word = word.trim_end_matches([',', ':']);
    let date = word.split_once('T').map_or(word, |(d, _)| d);
    for separator in ['-', '/', '.'] {
        let parts: Vec<&str> = date.split(separator).collect();
        let numeric = parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
        let has_year =
            parts.iter().any(|p| p.len() == 4) || parts.last().is_some_and(|p| p.len() == 2);
        if parts.len() == 3 && numeric && has_year {
            return true;
        }
    }
    false
}

/// `text` cut at a word boundary to at most `max` characters, `…` included.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let limit = text
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..limit];
    // Back to the last space, unless that would lose more than half.
    let cut = match head.rfind(char::is_whitespace) {
        Some(space) if space >= limit / 2 => &head[..space],
        _ => head,
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c));
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_the_headline() {
        assert_eq!(
            headline("\n  \n Jack Ma opens office \nbody"),
            "Jack Ma opens office"
        );
        assert_eq!(headline(""), "");
    }

    #[test]
    fn furniture_lines_are_skipped() {
        assert_eq!(
            headline("Close ↓\nJack Ma's platform\n"),
            "Jack Ma's platform"
        );
        assert_eq!(
            headline("↓\n12 | 3\nSHARE  PRINT\nReal headline"),
            "Real headline"
        );
        assert_eq!(headline("Skip to content\nReal headline"), "Real headline");
    }

    #[test]
    fn a_short_name_is_a_headline() {
        assert_eq!(headline("Jack Ma\n\nAlibaba's Jack Ma wants"), "Jack Ma");
    }

    #[test]
    fn a_leading_date_stamp_is_taken_off() {
        assert_eq!(
            headline(" date 2018-01-30 Finance Secretary meets Jack Ma"),
            "Finance Secretary meets Jack Ma"
        );
        assert_eq!(
            headline("2017-08-24T08:03 — Jack Ma in KL"),
            "Jack Ma in KL"
        );
        assert_eq!(
            headline("Published: 30/01/2018 Jack Ma in KL"),
            "Jack Ma in KL"
        );
        assert_eq!(headline("2018-01-30\nJack Ma in KL"), "Jack Ma in KL");
        // A label without a date, and a number that is no date, stay.
        assert_eq!(headline("Date night in KL"), "Date night in KL");
        assert_eq!(headline("2018 budget passes"), "2018 budget passes");
    }

    #[test]
    fn front_matter_title_wins() {
        let text = "---\nlayout: post\ntitle: \"Ma in KL\"\n---\n# Something else\n";
        assert_eq!(headline(text), "Ma in KL");
    }

    #[test]
    fn without_a_title_the_text_after_front_matter_is_read() {
        let text = "---\nlayout: post\n---\n# Jack Ma opens office\n";
        assert_eq!(headline(text), "Jack Ma opens office");
        // Unclosed, it is not front matter; `---` is furniture, the next line is read.
        assert_eq!(
            headline("---\nJack Ma opens office\n"),
            "Jack Ma opens office"
        );
    }

    #[test]
    fn long_lines_are_cut_at_a_word() {
        let line = "Finance Secretary Carlos Dominguez 3rd will be meeting with Alibaba Group founder Jack Ma later this week";
        let title = headline(line);
        assert_eq!(
            title,
            "Finance Secretary Carlos Dominguez 3rd will be meeting with Alibaba Group…"
        );
        assert!(title.chars().count() <= MAX_TITLE);
        let unbroken = "x".repeat(200);
        assert_eq!(headline(&unbroken).chars().count(), MAX_TITLE);
    }
}
