use super::*;

fn lang(tag: &str) -> Lang {
    Lang::from_tag(tag).expect("a language the widget speaks")
}

#[test]
fn lists_and_uncovered_topics_read_as_sentences() {
    let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(lang("en").list(&names(&["A", "B", "C"])), "A, B and C");
    assert_eq!(lang("de").list(&names(&["A", "B"])), "A und B");
    assert_eq!(
        lang("en").uncovered(&names(&["Billing"])).as_deref(),
        Some("Billing is open and nobody is available")
    );
    assert_eq!(
        lang("sv")
            .uncovered(&names(&["Fakturor", "Sälj"]))
            .as_deref(),
        Some("Fakturor och Sälj är öppna och ingen är tillgänglig")
    );
    assert_eq!(lang("en").uncovered(&[]), None);
    assert_eq!(
        lang("en").topic_option("Billing", 0, 3, TopicMark::Uncovered),
        "Billing (0 of 3 available) – nobody available"
    );
}

#[test]
fn picks_the_first_supported_language() {
    assert_eq!(Language::pick(["", "fr-FR", "nb-NO", "de"]).tag, "nb");
    assert_eq!(Language::pick(["no"]).tag, "nb");
    assert_eq!(Language::pick(["NL_be"]).tag, "nl");
    assert_eq!(Language::pick(["fr", "ja"]).tag, "en");
    assert_eq!(Language::pick([]).tag, "en");
}

#[test]
fn summaries_and_plurals() {
    assert_eq!(lang("en").summary(4, 6), "4 of 6 agents available");
    assert_eq!(lang("en").summary(1, 1), "1 of 1 agent available");
    assert_eq!(lang("en").summary(0, 0), "0 of 0 agents available");
    assert_eq!(lang("nb").summary(2, 3), "2 av 3 agenter tilgjengelige");
    assert_eq!(lang("de").summary(1, 1), "1 von 1 Agent verfügbar");
    assert_eq!(lang("en").chats(2), "2 chats");
    assert_eq!(lang("en").chats(1), "1 chat");
    assert_eq!(lang("en").chats(0), "No chats");
    assert_eq!(lang("sv").chats(3), "3 chattar");
    assert_eq!(
        lang("nl").skipped_rows(2),
        "2 items konden niet worden gelezen"
    );
}

#[test]
fn numbers_group_digits_per_language() {
    assert_eq!(
        lang("en").summary(1234, 10000),
        "1,234 of 10,000 agents available"
    );
    assert_eq!(lang("nb").number(10000), "10\u{a0}000");
    assert_eq!(lang("de").number(1234567), "1.234.567");
    assert_eq!(lang("nl").number(999), "999");
    assert_eq!(lang("da").number(0), "0");
}

#[test]
fn topic_options_name_counts_and_closed() {
    assert_eq!(
        lang("en").topic_option("Billing", 2, 3, TopicMark::None),
        "Billing (2 of 3 available)"
    );
    assert_eq!(
        lang("nb").topic_option("Salg", 0, 1, TopicMark::Closed),
        "Salg (0 av 1 tilgjengelige) – stengt"
    );
}

#[test]
fn ages_read_naturally() {
    assert_eq!(lang("en").updated_ago(2), "Updated just now");
    assert_eq!(lang("en").updated_ago(12), "Updated 12 s ago");
    assert_eq!(lang("en").updated_ago(185), "Updated 3 min ago");
    assert_eq!(lang("en").updated_ago(7300), "Updated 2 h ago");
    assert_eq!(lang("de").updated_ago(30), "Vor 30 s aktualisiert");
    assert_eq!(lang("en").retrying_in(40, false), "retrying in 40 s");
    assert_eq!(lang("en").retrying_in(4, true), "Retrying in 4 s");
}

#[test]
fn fill_leaves_unknown_placeholders_alone() {
    assert_eq!(fill("{a} {b} {", &[("a", "1")]), "1 {b} {");
    assert_eq!(fill("{a}{a}", &[("a", "{a}")]), "{a}{a}");
}

#[test]
fn every_language_fills_every_placeholder() {
    for lang in Lang::all() {
        let s = lang.strings();
        for text in [
            lang.summary(3, 5),
            lang.topic_option("X", 1, 2, TopicMark::Closed),
            lang.topic_option("X", 0, 2, TopicMark::Uncovered),
            lang.uncovered(&["A".into(), "B".into(), "C".into()])
                .unwrap_or_default(),
            lang.chats(2),
            lang.updated_ago(30),
            lang.updated_ago(300),
            lang.updated_ago(30000),
            lang.retrying_in(9, false),
            lang.retrying_in(9, true),
            lang.user_fallback(5),
            lang.topic_fallback(5),
            lang.skipped_rows(1),
            lang.show_more(200, 9800),
            fill(s.not_found, &[("base", "/api")]),
            fill(s.server_error, &[("status", "500")]),
            fill(s.unexpected, &[("kind", "null")]),
        ] {
            assert!(!text.contains('{'), "{lang:?}: {text}");
        }
    }
}

#[test]
fn every_language_is_listed_once_with_its_own_tag() {
    let tags = Language::tags();
    for (i, tag) in tags.iter().enumerate() {
        assert!(!tags[..i].contains(tag), "{tag} twice");
    }
    for language in LANGUAGES {
        assert_eq!(
            Language::from_tag(language.tag).map(|l| l.tag),
            Some(language.tag)
        );
        for alias in language.aliases {
            assert_eq!(Language::from_tag(alias).map(|l| l.tag), Some(language.tag));
        }
    }
    assert_eq!(
        Lang::all().len(),
        LANGUAGES.len(),
        "tests carry every language"
    );
    assert_eq!(Lang::default(), lang("en"));
}

#[test]
fn accept_language_lists_each_language_once_by_preference() {
    assert_eq!(
        Lang::accept_language([lang("nb"), lang("de"), lang("nb")]),
        "nb, de;q=0.9"
    );
    assert_eq!(Lang::accept_language([lang("en")]), "en");
    assert_eq!(Lang::accept_language([]), "");
    let all = Lang::accept_language(Lang::all());
    assert!(all.starts_with("en, nb;q=0.9, sv;q=0.8"), "{all}");
}

/// The `{name}` placeholders of a template, sorted.
fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names
}

#[test]
fn every_template_has_the_same_placeholders_in_every_language() {
    let english = Lang::default().strings().texts();
    for lang in Lang::all() {
        for ((field, text), (_, en)) in lang.strings().texts().into_iter().zip(&english) {
            assert_eq!(
                placeholders(text),
                placeholders(en),
                "{lang:?} {field}: {text:?}"
            );
        }
    }
}

/// A language file as `web/lang/{tag}.json` holds it: its texts in order, one per line.
fn language_file(lang: Lang) -> String {
    let texts: Vec<String> = lang
        .strings()
        .texts()
        .iter()
        .map(|(_, text)| serde_json::to_string(text).expect("a string"))
        .collect();
    format!("[\n{}\n]\n", texts.join(",\n"))
}

/// The wasm carries English; the other languages' files are these tables, written
/// out (`UPDATE_LANGUAGE_FILES=1 cargo test` writes them after a change of words).
#[test]
fn the_language_files_are_the_tables() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/lang");
    let update = std::env::var_os("UPDATE_LANGUAGE_FILES").is_some();
    let mut expected: Vec<String> = Vec::new();
    for lang in Lang::all().into_iter().filter(|l| *l != Lang::default()) {
        let path = dir.join(format!("{}.json", lang.tag()));
        let text = language_file(lang);
        if update {
            std::fs::create_dir_all(&dir).expect("web/lang is writable");
            std::fs::write(&path, &text).expect("web/lang is writable");
        }
        let written = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            written == text,
            "{} is not the {lang:?} table: run UPDATE_LANGUAGE_FILES=1 cargo test",
            path.display()
        );
        expected.push(format!("{}.json", lang.tag()));
        // And read back, as the widget reads it, it is the same words.
        let parsed: Vec<String> = serde_json::from_str(&written).expect("a JSON array");
        let leaked: Vec<&'static str> = parsed
            .into_iter()
            .map(|t| &*Box::leak(t.into_boxed_str()))
            .collect();
        let read = Strings::from_texts(&leaked).expect("as many texts");
        assert_eq!(read.texts(), lang.strings().texts());
    }
    // The other tags each language answers to, for embed.js's early guess.
    let aliases: String = LANGUAGES
        .iter()
        .flat_map(|l| {
            l.aliases
                .iter()
                .map(move |alias| format!("{alias} {}\n", l.tag))
        })
        .collect();
    let path = dir.join("aliases.txt");
    if update {
        std::fs::write(&path, &aliases).expect("web/lang is writable");
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        aliases,
        "{} is not the tables' aliases: run UPDATE_LANGUAGE_FILES=1 cargo test",
        path.display()
    );
    expected.push("aliases.txt".to_owned());
    let mut present: Vec<String> = std::fs::read_dir(&dir)
        .expect("web/lang")
        .filter_map(|entry| Some(entry.ok()?.file_name().to_str()?.to_owned()))
        .collect();
    present.sort_unstable();
    expected.sort_unstable();
    assert_eq!(present, expected, "web/lang holds a file of no language");
}

#[test]
fn texts_of_another_length_are_no_language() {
    let english: Vec<&'static str> = Lang::default()
        .strings()
        .texts()
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    assert_eq!(english.len(), Strings::COUNT);
    let short = &english[..english.len() - 1];
    assert!(Strings::from_texts(short).is_none());
    let long: Vec<&'static str> = english.iter().copied().chain(["extra"]).collect();
    assert!(Strings::from_texts(&long).is_none());
    assert!(Strings::from_texts(&english).is_some());
}
