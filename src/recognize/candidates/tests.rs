//! The candidate rules, one test per rule, a property over any text, and the seed corpus.

use proptest::prelude::*;

use super::*;
use crate::kb::{EntityId, Kind, KnowledgeBase};
use crate::recognize::{Form, Recognizer, Target};

/// `(candidate, title)` of every candidate, the title only for [`CandidateReason::AfterTitle`].
fn found_with(text: &str, mentions: &[Mention]) -> Vec<(String, Option<String>)> {
    find_candidates(text, mentions)
        .into_iter()
        .map(|c| {
            let title = match &c.reason {
                CandidateReason::AfterTitle(t) => text.get(t.clone()).map(str::to_owned),
                _ => None,
            };
            (text.get(c.span).unwrap_or("<bad span>").to_owned(), title)
        })
        .collect()
}

fn found(text: &str) -> Vec<(String, Option<String>)> {
    found_with(text, &[])
}

/// Candidates of `text` when `known` are mentions, at each of their occurrences.
fn found_knowing(text: &str, known: &[&str]) -> Vec<(String, Option<String>)> {
    let mentions: Vec<Mention> = known
        .iter()
        .flat_map(|k| text.match_indices(k).map(|(i, k)| mention(i..i + k.len())))
        .collect();
    found_with(text, &mentions)
}

fn mention(span: Range<usize>) -> Mention {
    Mention {
        span,
        target: Target::Entity(EntityId(0)),
        form: Form::Name,
        title: None,
    }
}

/// Candidates without a title.
fn names(names: &[&str]) -> Vec<(String, Option<String>)> {
    names.iter().map(|n| (n.to_string(), None)).collect()
}

fn titled(name: &str, title: &str) -> (String, Option<String>) {
    (name.to_owned(), Some(title.to_owned()))
}

#[test]
fn the_word_lists_are_sorted_lowercase_for_binary_search() {
    for list in [
        PARTICLES,
        HYPHEN_PARTICLES,
        FUNCTION_WORDS,
        DATES,
        LEADING_DATES,
        DATE_ABBREVIATIONS,
        UNAMBIGUOUS_DATE_ABBREVIATIONS,
        CONTINUING_ABBREVIATIONS,
        CLOSING_ABBREVIATIONS,
        AMBIGUOUS_TITLES,
        NOT_LOWERCASE_TITLES,
        MORE_TITLE_WORDS,
        TITLES,
    ] {
        let list = list.words;
        assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        assert!(
            list.iter().all(|w| *w == w.to_lowercase() && w.is_ascii()),
            "{list:?}"
        );
    }
    for word in AMBIGUOUS_TITLES
        .words
        .iter()
        .chain(NOT_LOWERCASE_TITLES.words)
    {
        assert!(is_title(word), "{word} is a title word");
    }
}

#[test]
fn two_capitalised_words_in_a_row_are_a_name() {
    assert_eq!(
        found("the ambassador to Malaysia, Bai Tian, spoke"),
        names(&["Malaysia", "Bai Tian"])
    );
    assert_eq!(
        found("the Special Conversation at"),
        names(&["Special Conversation"])
    );
    assert_eq!(found("a lone Capital word"), names(&["Capital"]));
    assert_eq!(found("a lone Capital word, in capital letters"), names(&[]));
}

#[test]
fn capitals_are_unicode_aware() {
    assert_eq!(
        found("met Éric Ñúñez and Łukasz Żukowski in Malacañang Palace"),
        names(&["Éric Ñúñez", "Łukasz Żukowski", "Malacañang Palace"])
    );
    assert_eq!(found("马云 阿里巴巴 and 42 Ok"), names(&[]));
}

#[test]
fn names_join_across_one_space_or_line_break_but_not_a_blank_line() {
    for text in [
        "Bai Tian",
        "Bai\u{a0}Tian",
        "Bai\nTian",
        "Bai\r\nTian",
        "Bai \t Tian",
    ] {
        assert_eq!(found(text), names(&[text]), "{text:?}");
    }
    for text in [
        "Bai\n\nTian",
        "Bai\r\n \r\nTian",
        "Bai, Tian",
        "Bai. Tian",
        "Bai (Tian)",
        "Bai/Tian",
        "Bai: Tian",
    ] {
        assert!(
            found(text).iter().all(|(c, _)| !c.contains("Bai")),
            "{text:?}"
        );
    }
}

#[test]
fn a_line_break_joins_only_in_hard_wrapped_text() {
    let caption = format!(
        "Photographer: Jean Chung/Bloomberg\nPowered by Jack\nSmith, {}",
        "x ".repeat(60)
    );
    // `Smith` opens a line, where a capital says nothing.
    assert_eq!(found(&caption), names(&["Jean Chung", "Bloomberg", "Jack"]));
    let wrapped = "Photographer: Jean Chung/Bloomberg\nPowered by Jack\nSmith";
    assert_eq!(
        found(wrapped),
        names(&["Jean Chung", "Bloomberg\nPowered", "Jack\nSmith"])
    );
}

#[test]
fn words_keep_inner_apostrophes_hyphens_and_periods() {
    assert_eq!(
        found("by Ng Kang-chung and Conan O’Brien with U.S. Steel"),
        names(&["Ng Kang-chung", "Conan O’Brien", "U.S. Steel"])
    );
    assert_eq!(found("John F. Kennedy"), names(&["John F. Kennedy"]));
    assert_eq!(found("Bashar al-Assad"), names(&["Bashar al-Assad"]));
}

#[test]
fn a_possessive_ends_a_name_outside_its_span() {
    assert_eq!(
        found("Alibaba’s Jack Smith and Wang Jianlin's company"),
        names(&["Jack Smith", "Wang Jianlin"])
    );
    assert_eq!(
        found("Dalian Wanda Group Co.'s cinema"),
        names(&["Dalian Wanda Group Co."])
    );
}

#[test]
fn a_company_suffix_ends_a_name_a_sentence_period_ends_it_too() {
    assert_eq!(
        found("Alibaba Group Holding Ltd. Alibaba Cloud grew"),
        names(&["Alibaba Group Holding Ltd.", "Alibaba Cloud"])
    );
    assert_eq!(
        found("met Jack Smith. Tony Ng agreed"),
        names(&["Jack Smith", "Tony Ng"])
    );
}

#[test]
fn lowercase_particles_link_capitalised_words() {
    assert_eq!(
        found("Bank of America, Ludwig van Beethoven, Juan de la Cruz"),
        names(&["Bank of America", "Ludwig van Beethoven", "Juan de la Cruz"])
    );
    assert_eq!(
        found("the Global Engagement & Empowerment Forum"),
        names(&["Global Engagement & Empowerment Forum"])
    );
    assert_eq!(found("Boss of China’s giant"), names(&["Boss of China"]));
    // Never at the edges, and never more than two in a row.
    assert_eq!(found("of Bank of the West"), names(&["Bank", "West"]));
}

#[test]
fn and_separates_two_names() {
    assert_eq!(
        found("Jack Smith and Joe Tsai, Tmall and Taobao"),
        names(&["Jack Smith", "Joe Tsai", "Tmall", "Taobao"])
    );
}

#[test]
fn sentence_function_words_are_never_part_of_a_name() {
    assert_eq!(
        found("The Philippine Islands. In Kuala Lumpur, But Jack Smith"),
        names(&["Philippine Islands", "Kuala Lumpur", "Jack Smith"])
    );
    assert_eq!(
        found("The Philippines. On Tuesday, This Week"),
        names(&["Philippines", "Week"])
    );
    assert_eq!(found("“It’s Hong"), names(&["Hong"]));
}

#[test]
fn weekdays_and_months_are_stripped_from_the_edges() {
    assert_eq!(found("on Wednesday, Feb. 7, 2018"), names(&[]));
    assert_eq!(found("PUBLISHED : Thursday, 24 August, 2017"), names(&[]));
    assert_eq!(
        found("Monday Jack Smith said Jack Smith Tuesday"),
        names(&["Jack Smith", "Jack Smith"])
    );
    assert_eq!(
        found("In May Jack Smith met Theresa May"),
        names(&["Jack Smith", "Theresa May"])
    );
    assert_eq!(
        found("Jan Koum and Sun Yat-sen"),
        names(&["Jan Koum", "Sun Yat-sen"])
    );
}

#[test]
fn all_caps_runs_are_ignored() {
    for text in [
        "PUBLISHED",
        "UPDATED : Friday",
        "the MSMEs and SMEs",
        "US$43.1 billion",
        "JACK MA OPENS FIRST OFFICE",
    ] {
        assert_eq!(found(text), names(&[]), "{text:?}");
    }
    // Mixed into a name, capitals stay.
    assert_eq!(
        found("HSBC Holdings and BBC World Service"),
        names(&["HSBC Holdings", "BBC World Service"])
    );
}

#[test]
fn digits_are_not_name_words() {
    assert_eq!(
        found("Forum 2017 Special and Covid 19 Task Force"),
        names(&["Special", "Covid", "Task Force"])
    );
    assert_eq!(found("the 3rd Carlos"), names(&["Carlos"]));
}

#[test]
fn a_name_after_a_title_is_a_candidate_even_alone() {
    assert_eq!(found("said Mr Smith, who"), vec![titled("Smith", "Mr")]);
    assert_eq!(found("said Mr. Smith"), vec![titled("Smith", "Mr.")]);
    assert_eq!(
        found("partner President Rodrigo Duterte in"),
        vec![titled("Rodrigo Duterte", "President")]
    );
    assert_eq!(
        found("alongside Prime Minister Datuk Seri Najib Razak, announced"),
        vec![titled("Najib Razak", "Prime Minister Datuk Seri")]
    );
    assert_eq!(
        found("Tan Sri Muhyiddin Yassin"),
        vec![titled("Muhyiddin Yassin", "Tan Sri")]
    );
    assert_eq!(
        found("Secretary of State Antony Blinken"),
        vec![titled("Antony Blinken", "Secretary of State")]
    );
    assert_eq!(
        found("President Smith Monday"),
        vec![titled("Smith", "President")]
    );
}

#[test]
fn capitalised_words_before_a_title_are_its_qualifiers() {
    assert_eq!(
        found("businesses, Finance Secretary Carlos Dominguez said"),
        vec![titled("Carlos Dominguez", "Finance Secretary")]
    );
    for text in [
        "the Finance Secretary said",
        "Communications and Multimedia Minister",
        "the Foreign Affairs Minister",
        "Deputy Prime Minister",
    ] {
        assert_eq!(found(text), names(&[]), "{text:?}");
    }
}

#[test]
fn a_lowercase_title_just_before_a_name_counts() {
    assert_eq!(
        found("and mayor Ying Yong."),
        vec![titled("Ying Yong", "mayor")]
    );
    assert_eq!(
        found("former prime minister Najib Razak as"),
        vec![titled("Najib Razak", "prime minister")]
    );
    assert_eq!(
        found("opposition leader Anwar said"),
        vec![titled("Anwar", "leader")]
    );
    // Too common in lowercase to mean a title: the names are names, without one.
    assert_eq!(
        found("hard to judge Alibaba, a prime London site"),
        names(&["Alibaba", "London"])
    );
}

#[test]
fn title_words_that_begin_ordinary_names_are_names_when_alone() {
    assert_eq!(
        found("General Motors, Sri Lanka, King Charles, Burger King"),
        names(&["General Motors", "Sri Lanka", "King Charles", "Burger King"])
    );
    assert_eq!(
        found("Chief Executive Carrie Lam"),
        vec![titled("Carrie Lam", "Chief Executive")]
    );
    assert_eq!(found("Sen. Smith"), vec![titled("Smith", "Sen.")]);
    assert_eq!(
        found("Deputy Chief Executive Officer Joe Tsai, spokesman Tom Ng"),
        vec![
            titled("Joe Tsai", "Deputy Chief Executive Officer"),
            titled("Tom Ng", "spokesman")
        ]
    );
}

#[test]
fn a_candidate_never_overlaps_a_mention() {
    assert_eq!(
        found_knowing("Alibaba founder Jack Ma", &["Alibaba", "Jack Ma"]),
        names(&[])
    );
    assert_eq!(
        found_knowing("Finance Minister Lim Guan Eng and", &["Lim Guan Eng"]),
        names(&[])
    );
    assert_eq!(found_knowing("said Mr Ma.", &["Ma"]), names(&[]));
    assert_eq!(
        found_knowing("The Philippines has", &["Philippines"]),
        names(&[])
    );
    assert_eq!(found_knowing("in Hong Kong on", &["Hong Kong"]), names(&[]));
}

#[test]
fn beside_a_mention_only_two_words_stand_alone() {
    // `Rodrigo` alone beside the known `Duterte` is not a name by itself.
    assert_eq!(
        found_knowing("President Rodrigo Duterte", &["Duterte"]),
        names(&[])
    );
    assert_eq!(
        found_knowing("Hong Kong Disney Land opened", &["Hong Kong"]),
        names(&["Disney Land"])
    );
    assert_eq!(
        found_knowing(
            "Hangzhou Normal University of China",
            &["Hangzhou", "China"]
        ),
        names(&["Normal University"])
    );
}

#[test]
fn any_mention_spans_are_safe() {
    let text = "Jack Smith met Bai Tian";
    let weird = [
        mention(30..40),
        mention(Range { start: 12, end: 5 }),
        mention(7..7),
        mention(usize::MAX - 1..usize::MAX),
        mention(16..17),
    ];
    assert_eq!(found_with(text, &weird), names(&["Jack Smith"]));
    // Unsorted mentions work as well as sorted ones.
    let unsorted = [mention(15..18), mention(0..4)];
    assert_eq!(found_with(text, &unsorted), names(&[]));
}

/// The seed corpus is supposed to name every entity in its knowledge base, so what is left
/// over must be short, and every item on it must be a judgement call rather than junk.
#[test]
fn seed_corpus_leaves_few_candidates() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let kb_text = std::fs::read_to_string(root.join("entities.toml")).unwrap_or_default();
    let (kb, problems) = KnowledgeBase::load([("entities.toml", kb_text)]);
    assert!(problems.iter().all(|p| !p.is_error()), "{problems:?}");
    let recognizer = Recognizer::new(&kb);
    let mut paths: Vec<_> = std::fs::read_dir(&root)
        .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    paths.sort();
    assert_eq!(paths.len(), 5, "the five seed articles");
    let mut all = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mentions = recognizer.recognize(&text);
        assert!(mentions.len() > 10, "{path:?} is recognised");
        let file = path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        for (candidate, title) in found_with(&text, &mentions) {
            println!("{file}: {candidate:?} (title: {title:?})");
            all.push((file.clone(), candidate, title));
        }
    }
    let texts: Vec<&str> = all.iter().map(|(_, c, _)| c.as_str()).collect();
    for junk in [
        "PUBLISHED",
        "UPDATED",
        "Close",
        "The Philippines",
        "Finance Secretary",
        "Hong Kong",
        "Communications and Multimedia Minister",
        "KUALA LUMPUR",
        "Bloomberg\nPowered",
    ] {
        assert!(!texts.iter().any(|t| t.contains(junk)), "{junk}");
    }
    // A named moment of a forum, and the title of a talk (misspelling `Ali Baba`): neither is
    // in the knowledge base, and both read as names a user may want to tag or dismiss.
    let expected = [
        ("000_3f504db1f4b0c96a.txt", "Special Conversation", None),
        ("004_ac904a43fe2c1a0f.txt", "Alo Baba Transformation", None),
    ];
    let expected: Vec<(String, String, Option<String>)> = expected
        .iter()
        .map(|(f, c, t): &(&str, &str, Option<&str>)| {
            (f.to_string(), c.to_string(), t.map(str::to_owned))
        })
        .collect();
    assert_eq!(all, expected);
}

/// The invariants of [`find_candidates`] on one input.
fn check(text: &str, mentions: &[Mention]) -> Result<(), TestCaseError> {
    let mut last_end = 0;
    for candidate in find_candidates(text, mentions) {
        let span = candidate.span.clone();
        prop_assert!(span.start >= last_end && span.start < span.end, "{span:?}");
        prop_assert!(span.end <= text.len());
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        for m in mentions {
            prop_assert!(
                m.span.start.max(span.start) >= m.span.end.min(span.end),
                "{span:?} overlaps {:?}",
                m.span
            );
        }
        if let CandidateReason::AfterTitle(title) = &candidate.reason {
            prop_assert!(title.start < title.end && title.end <= span.start);
            prop_assert!(text.is_char_boundary(title.start) && text.is_char_boundary(title.end));
        }
        last_end = span.end;
    }
    Ok(())
}

proptest! {
    /// Whatever the text and the mentions (even empty, reversed or outside the text),
    /// candidates are in order, do not overlap each other or a mention, lie on character
    /// boundaries inside the text, and are never empty.
    #[test]
    fn candidates_are_ordered_disjoint_and_avoid_mentions(
        text in "(Jack|Ma|Mr|Mr.|Minister|Prime|The|of|and|Bai|Tian|KL|PUBLISHED|Ñandú|Élan|Ltd.|May|al-Assad|’s|[ \u{a0}\n\r’'.,&:ñ马😀-]|2017)*",
        spans in proptest::collection::vec((0usize..120, 0usize..30), 0..6),
    ) {
        let mentions: Vec<Mention> = spans.iter().map(|&(s, len)| mention(s..s + len)).collect();
        check(&text, &mentions)?;
    }

    /// The same on any string at all.
    #[test]
    fn any_text_is_safe(
        text in any::<String>(),
        spans in proptest::collection::vec((0usize..200, 0usize..200), 0..4),
    ) {
        let mentions: Vec<Mention> = spans.iter().map(|&(s, e)| mention(s..e)).collect();
        check(&text, &mentions)?;
    }

    /// Mentions found by a recognizer are avoided the same way.
    #[test]
    fn recognised_mentions_are_never_candidates(
        text in "(Jack Ma|Jack|Ma|Mr|Alibaba|Group|Bai Tian|Kuala Lumpur|[ \u{a0}\n’.,])*",
    ) {
        let (kb, _) = KnowledgeBase::load([("kb.toml", r#"
            [[entity]]
            id = "jack-ma"
            name = "Jack Ma"
            kind = "person"
            weak_aliases = ["Ma"]
            [[entity]]
            id = "kl"
            name = "Kuala Lumpur"
            kind = "place"
        "#)]);
        let mentions = Recognizer::new(&kb).recognize(&text);
        check(&text, &mentions)?;
    }
}

#[test]
fn one_word_capitalised_mid_sentence_is_a_name() {
    assert_eq!(
        found("shares of Bloomberg rose, Mr Ma said"),
        vec![(String::from("Bloomberg"), None), titled("Ma", "Mr")]
    );
    assert_eq!(found("a deal with WhatsApp"), names(&["WhatsApp"]));
    // An initial or one letter is too little.
    assert_eq!(found("with J. and with X too"), names(&[]));
}

#[test]
fn one_word_at_a_sentence_start_needs_capitals_mid_sentence_elsewhere() {
    assert_eq!(found("Bloomberg rose. Shares fell."), names(&[]));
    assert_eq!(
        found("Bloomberg rose. Shares of Bloomberg fell."),
        names(&["Bloomberg", "Shares of Bloomberg"])
    );
    // A run's first word at a sentence's start that is written in lowercase elsewhere, and
    // never capitalised mid-sentence, is an ordinary word.
    assert_eq!(
        found("Bloomberg rose. Shares of Bloomberg fell, and shares rose."),
        names(&["Bloomberg", "Bloomberg"])
    );
    // Lines of a text that is not hard-wrapped, and quotations, start like sentences.
    let long = format!("{}\nBloomberg\n“Reuters", "x ".repeat(70));
    assert_eq!(found(&long), names(&[]));
    // The evidence may come from elsewhere in the corpus.
    let lexicon = Lexicon::from_texts(["Bloomberg rose.", "shares of Bloomberg fell"]);
    let spans: Vec<_> = lexicon
        .find("Bloomberg rose.", &[])
        .into_iter()
        .map(|c| c.span)
        .collect();
    assert_eq!(spans, vec![Range { start: 0, end: 9 }]);
}

#[test]
fn one_word_the_corpus_mostly_writes_in_lowercase_is_no_name() {
    assert_eq!(found("the Company said the company would"), names(&[]));
    assert_eq!(found("the Company said"), names(&["Company"]));
    let lexicon = Lexicon::from_texts(["the Company said", "a company, a company"]);
    assert!(lexicon.find("the Company said", &[]).is_empty());
}

#[test]
fn mixed_case_brands_are_names() {
    assert_eq!(
        found("sold on eBay and on iPhone, via eWTP and e-commerce"),
        names(&["eBay", "iPhone", "eWTP"])
    );
}

#[test]
fn acronyms_and_letter_digit_names_are_names_but_not_common_acronyms() {
    assert_eq!(
        found("the G7 and DBKL met at GTF2017 with NATO"),
        names(&["G7", "DBKL", "GTF2017", "NATO"])
    );
    assert_eq!(
        found("the CEO said GDP and SMEs grew by RM1 billion, a USD figure"),
        names(&[])
    );
}

#[test]
fn all_capitals_beside_all_capitals_is_a_shout() {
    assert_eq!(found("Then ALIBABA TO BUY and NATO"), names(&["NATO"]));
}

#[test]
fn demonyms_and_titles_alone_are_no_names() {
    assert_eq!(
        found("a Malaysian firm, two Filipinos, the Muslim vote, the Chief and the President"),
        names(&[])
    );
    // A plural country is no demonym.
    assert_eq!(found("in the Philippines"), names(&["Philippines"]));
    // Inside a longer name they stay.
    assert_eq!(
        found("the Chinese Communist Party"),
        names(&["Chinese Communist Party"])
    );
}

#[test]
fn one_word_beside_a_mention_is_no_name_by_itself() {
    assert_eq!(
        found_knowing("the Hong Kong Disney park", &["Hong Kong"]),
        names(&[])
    );
}

#[test]
fn and_joins_names_of_organisations_and_initiatives() {
    assert_eq!(
        found("the Belt and Road Initiative and the Ministry of Trade and Industry"),
        names(&["Belt and Road Initiative", "Ministry of Trade and Industry"])
    );
    // Before a title, both sides qualify it.
    assert_eq!(
        found("said Communications and Multimedia Minister Gobind Singh Deo"),
        vec![titled(
            "Gobind Singh Deo",
            "Communications and Multimedia Minister"
        )]
    );
}

#[test]
fn a_hyphenated_compound_gives_its_name_part() {
    assert_eq!(
        found("several Beijing-backed and London-based firms, Yuet-ngor and Kang-chung"),
        names(&["Beijing", "London", "Yuet-ngor", "Kang-chung"])
    );
}

#[test]
fn a_dateline_is_a_place() {
    // `Alibaba` opens a clause after the colon: no evidence of a name there.
    let text = "KUALA LUMPUR: Alibaba said.\n\nHONG KONG (Reuters) - More.\n\nPUBLISHED : Monday";
    let found: Vec<_> = find_candidates(text, &[])
        .into_iter()
        .map(|c| (text[c.span].to_owned(), c.reason, c.guess.map(|g| g.kind)))
        .collect();
    assert_eq!(
        found,
        [
            (
                "KUALA LUMPUR".to_owned(),
                CandidateReason::Dateline,
                Some(Kind::Place)
            ),
            (
                "HONG KONG".to_owned(),
                CandidateReason::Dateline,
                Some(Kind::Place)
            ),
            ("Reuters".to_owned(), CandidateReason::Word, None),
        ]
    );
}

/// The guessed kind of each candidate of `text`, and why.
fn guessed(text: &str) -> Vec<(String, Option<(Kind, String)>)> {
    find_candidates(text, &[])
        .into_iter()
        .map(|c| {
            let guess = c.guess.map(|g| (g.kind, g.describe(text)));
            (text[c.span].to_owned(), guess)
        })
        .collect()
}

#[test]
fn a_suffix_guesses_the_kind_first() {
    assert_eq!(
        guessed("met Acme Holdings Ltd. in Bai Tian Street, and the Hang Seng Bank"),
        [
            (
                "Acme Holdings Ltd.".to_owned(),
                Some((Kind::Organization, "ends in «Ltd»".to_owned()))
            ),
            (
                "Bai Tian Street".to_owned(),
                Some((Kind::Place, "ends in «Street»".to_owned()))
            ),
            (
                "Hang Seng Bank".to_owned(),
                Some((Kind::Organization, "ends in «Bank»".to_owned()))
            ),
        ]
    );
}

#[test]
fn a_title_or_a_verb_of_saying_guesses_a_person() {
    assert_eq!(
        guessed("so Mr Smith left, and Bai Tian said so"),
        [
            (
                "Smith".to_owned(),
                Some((Kind::Person, "after the title «Mr»".to_owned()))
            ),
            (
                "Bai Tian".to_owned(),
                Some((Kind::Person, "before «said»".to_owned()))
            ),
        ]
    );
}

#[test]
fn a_preposition_of_place_guesses_a_place() {
    assert_eq!(
        guessed("a shop in Seoul, from Kuala Lumpur; Bai Tian"),
        [
            (
                "Seoul".to_owned(),
                Some((Kind::Place, "after «in»".to_owned()))
            ),
            (
                "Kuala Lumpur".to_owned(),
                Some((Kind::Place, "after «from»".to_owned()))
            ),
            ("Bai Tian".to_owned(), None),
        ]
    );
}

/// Words of English news and of the rules' edge cases, for texts that skimming must read as
/// every word does: lowercase stretches to skip (accents and curly quotes in them), titles
/// before names, particles and `and` inside them, abbreviations, possessives, hyphens,
/// amounts, shouting, line breaks.
const NEWS_WORDS: &str = "(the shares of it rose |said prime minister |opposition leader |\
    the mayor |a spokesman for |and the |the company would not say |the Company said |\
    Shares of |shares|Shares|said|the|The|of|and|&|de|bin|minister|prime|mayor|\
    opposition|leader|Mr|Mr.|Ltd.|Co.’s|Co.'s|e.g.|U.S.|US|us|it|IT|G7|RM1|trillion|eBay|iPhone|\
    state-backed|Beijing-backed|de-Gaulle|al-Assad|Bank|America|Belt|Road|Initiative|Jack|Ma|\
    Bai|Tian|KUALA|LUMPUR|PUBLISHED|Élan|ñandú|Company|company|May|Monday|Feb.|Malaysian|CEO|\
    Anwar|Yuet-ngor|O’Brien|x|yz|_a|2017|\u{a0}| |  | | | |\n|\n\n|\r\n|[.,:;!?“”\"«()—–-]|\
    \u{2028}|\u{85}|马|😀|Ⅳ|ǅ|café|résumé|élan|ÉLAN|naïve|straße|foo-Élan|it’s|“he said”|\
    ‘quoted’|…|—)*";

proptest! {
    /// Skimming past lowercase stretches finds exactly what reading every word finds, with
    /// and without mentions, with the article's evidence and a corpus's.
    #[test]
    fn skimming_finds_what_every_word_finds(
        text in NEWS_WORDS,
        spans in proptest::collection::vec((0usize..300, 0usize..20), 0..4),
        other in NEWS_WORDS,
    ) {
        same_by_skimming(&text, &spans, &other)?;
    }

    /// The same on any string at all.
    #[test]
    fn skimming_any_text_finds_what_every_word_finds(
        text in any::<String>(),
        spans in proptest::collection::vec((0usize..200, 0usize..20), 0..4),
    ) {
        same_by_skimming(&text, &spans, "")?;
    }
}

/// Lines longer than [`LONGEST_WRAPPED_LINE`] change how line breaks read: the same with
/// them.
#[test]
fn skimming_long_lines_finds_what_every_word_finds() {
    let runner = proptest::test_runner::Config {
        cases: 64,
        ..Default::default()
    };
    proptest!(runner, |(head in NEWS_WORDS, tail in NEWS_WORDS)| {
        let text = format!("{head}{}\n{tail}", " the shares of it".repeat(9));
        same_by_skimming(&text, &[], &head)?;
    });
}

fn same_by_skimming(
    text: &str,
    spans: &[(usize, usize)],
    other: &str,
) -> Result<(), TestCaseError> {
    let mentions: Vec<Mention> = spans.iter().map(|&(s, len)| mention(s..s + len)).collect();
    for m in [&[][..], &mentions[..]] {
        prop_assert_eq!(
            find_with(text, m, None),
            find_with_every_word(text, m, None)
        );
        let lexicon = Lexicon::from_texts([text, other]);
        prop_assert_eq!(
            find_with(text, m, Some(&lexicon)),
            find_with_every_word(text, m, Some(&lexicon))
        );
    }
    Ok(())
}

/// The seed corpus and synthetic articles read the same skimmed, with the seeds' mentions.
#[test]
fn skimming_real_articles_finds_what_every_word_finds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let kb_text = std::fs::read_to_string(root.join("entities.toml")).unwrap_or_default();
    let (kb, _) = KnowledgeBase::load([("entities.toml", kb_text)]);
    let recognizer = Recognizer::new(&kb);
    let mut texts: Vec<String> = std::fs::read_dir(&root)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.path())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    assert_eq!(texts.len(), 5);
    let entities = crate::synth::entities(200, 7);
    texts.extend((0..20).map(|i| crate::synth::article(&entities, i, 7, 5000, 3)));
    let lexicon = Lexicon::from_texts(texts.iter().map(String::as_str));
    for text in &texts {
        let mentions = recognizer.recognize(text);
        for m in [&[][..], &mentions[..]] {
            assert_eq!(
                find_with(text, m, None),
                find_with_every_word(text, m, None)
            );
            assert_eq!(
                find_with(text, m, Some(&lexicon)),
                find_with_every_word(text, m, Some(&lexicon))
            );
        }
    }
}
