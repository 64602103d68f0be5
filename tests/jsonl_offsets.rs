//! For every text, the JSONL record's code-point offsets slice the text to the record's `text`,
//! and its `line`/`character` point at the same place.

use dossier::corpus::Article;
use dossier::export::jsonl;
use dossier::kb::KnowledgeBase;
use dossier::recognize::Recognizer;
use proptest::prelude::*;

const KB: &str = r#"
[[entity]]
id = "jack-ma"
name = "Jack Ma"
kind = "person"
aliases = ["马云"]
weak_aliases = ["Ma"]
role = "r"
country = "China"

[[entity]]
id = "malacanang"
name = "Malacañang"
kind = "place"
role = "r"
country = "Philippines"

[[entity]]
id = "alibaba-group"
name = "Alibaba Group"
kind = "organization"
aliases = ["Alibaba"]
role = "r"
country = "China"
"#;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn offsets_slice_the_text_to_the_reported_text(
        text in "(Jack Ma|Jack\u{a0}Ma|Jack\nMa|Ma|马云|Malacañang|Alibaba|Alibaba Group|ALIBABA|[ \n\r\t’'“”😀🇵🇭é\u{301}x.,])*"
    ) {
        let (kb, problems) = KnowledgeBase::load([("kb.toml", KB)]);
        prop_assert!(problems.is_empty());
        let recognizer = Recognizer::new(&kb);
        let article = Article::new("a.txt", text.as_str());
        let mentions = recognizer.recognize(&text);
        let chars: Vec<char> = text.chars().collect();
        let lines: Vec<Vec<char>> = text.split('\n').map(|l| l.chars().collect()).collect();
        for record in jsonl::records("a.txt", &article, &mentions, &kb) {
            let slice: String = chars[record.start..record.end].iter().collect();
            prop_assert_eq!(record.text, slice.as_str());
            let line = &lines[record.line];
            let from_line: String = line[record.character..].iter().take(record.end - record.start).collect();
            prop_assert!(slice.starts_with(&from_line));
            prop_assert!(!from_line.is_empty());
        }
    }
}
