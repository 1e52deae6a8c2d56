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
    assert_eq!(Lang::pick(["", "fr-FR", "nb-NO", "de"]), lang("nb"));
    assert_eq!(Lang::pick(["no"]), lang("nb"));
    assert_eq!(Lang::pick(["NL_be"]), lang("nl"));
    assert_eq!(Lang::pick(["fr", "ja"]), lang("en"));
    assert_eq!(Lang::pick([]), lang("en"));
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
    for lang in Lang::ALL.iter().copied() {
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
    let tags = Lang::tags();
    for (i, tag) in tags.iter().enumerate() {
        assert!(!tags[..i].contains(tag), "{tag} twice");
    }
    for lang in Lang::ALL.iter().copied() {
        assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        for alias in lang.aliases() {
            assert_eq!(Lang::from_tag(alias), Some(lang));
        }
    }
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
    let all = Lang::accept_language(Lang::ALL.iter().copied());
    assert!(all.starts_with("en, nb;q=0.9, sv;q=0.8"), "{all}");
}

/// Every text of a language, by field (a pair's forms as `.0` and `.1`).
fn texts(s: &Strings) -> Vec<(&'static str, &'static str)> {
    vec![
        ("summary.0", s.summary.0),
        ("summary.1", s.summary.1),
        ("topic_option", s.topic_option),
        ("closed_suffix", s.closed_suffix),
        ("all_topics", s.all_topics),
        ("topic_label", s.topic_label),
        ("search_label", s.search_label),
        ("search_placeholder", s.search_placeholder),
        ("available_only", s.available_only),
        ("available", s.available),
        ("away", s.away),
        ("chats.0", s.chats.0),
        ("chats.1", s.chats.1),
        ("no_chats", s.no_chats),
        ("user_fallback", s.user_fallback),
        ("topic_fallback", s.topic_fallback),
        ("refresh", s.refresh),
        ("updated_now", s.updated_now),
        ("updated_seconds", s.updated_seconds),
        ("updated_minutes", s.updated_minutes),
        ("updated_hours", s.updated_hours),
        ("retrying_in", s.retrying_in),
        ("retrying_in_alone", s.retrying_in_alone),
        ("retrying_at", s.retrying_at),
        ("retrying_at_alone", s.retrying_at_alone),
        ("loading", s.loading),
        ("agents_list", s.agents_list),
        ("no_agents", s.no_agents),
        ("nobody_in_topic", s.nobody_in_topic),
        ("nobody_matches", s.nobody_matches),
        ("nobody_available", s.nobody_available),
        ("signed_out", s.signed_out),
        ("redirected", s.redirected),
        ("forbidden", s.forbidden),
        ("not_found", s.not_found),
        ("server_error", s.server_error),
        ("network_error", s.network_error),
        ("timeout", s.timeout),
        ("busy", s.busy),
        ("offline", s.offline),
        ("not_json", s.not_json),
        ("unexpected", s.unexpected),
        ("retry", s.retry),
        ("config_heading", s.config_heading),
        ("sandboxed", s.sandboxed),
        ("still_loading", s.still_loading),
        ("more_topics", s.more_topics),
        ("skipped_rows.0", s.skipped_rows.0),
        ("skipped_rows.1", s.skipped_rows.1),
        ("stale", s.stale),
        ("show_more", s.show_more),
        ("pin", s.pin),
        ("pinned_only", s.pinned_only),
        ("unkept", s.unkept),
        ("sign_in", s.sign_in),
        ("sign_in_again", s.sign_in_again),
        ("sign_in_preparing", s.sign_in_preparing),
        ("sign_in_waiting", s.sign_in_waiting),
        ("sign_in_ended", s.sign_in_ended),
        ("sign_in_blocked", s.sign_in_blocked),
        ("sign_in_closed", s.sign_in_closed),
        ("sign_in_unavailable", s.sign_in_unavailable),
        ("sign_in_refused", s.sign_in_refused),
        ("no_pinned", s.no_pinned),
        ("no_pinned_here", s.no_pinned_here),
        ("watch_agent", s.watch_agent),
        ("watch_topic", s.watch_topic),
        ("watching", s.watching),
        ("cancel", s.cancel),
        ("fired_agent", s.fired_agent),
        ("fired_topic", s.fired_topic),
        ("dismiss", s.dismiss),
        ("uncovered_one", s.uncovered_one),
        ("uncovered_many", s.uncovered_many),
        ("list_and", s.list_and),
        ("uncovered_suffix", s.uncovered_suffix),
        ("covered_again", s.covered_again),
        ("notification_title", s.notification_title),
        ("you", s.you),
        ("own_available", s.own_available),
        ("me_first", s.me_first),
        ("order_label", s.order_label),
        ("order_available", s.order_available),
        ("order_least_busy", s.order_least_busy),
        ("own_refused", s.own_refused),
        ("own_failed", s.own_failed),
        ("topic_count.0", s.topic_count.0),
        ("topic_count.1", s.topic_count.1),
        ("topics_named", s.topics_named),
    ]
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
    let english = texts(Lang::default().strings());
    // Every field is listed: the struct holds nothing but these texts.
    assert_eq!(
        english.len() * std::mem::size_of::<&str>(),
        std::mem::size_of::<Strings>(),
        "a field of Strings is missing from texts()"
    );
    for lang in Lang::ALL.iter().copied() {
        for ((field, text), (_, en)) in texts(lang.strings()).into_iter().zip(&english) {
            assert_eq!(
                placeholders(text),
                placeholders(en),
                "{lang:?} {field}: {text:?}"
            );
        }
    }
}
