use super::*;

fn lang() -> Lang {
    Lang::default()
}

/// Code-point order, standing in for the browser's collator.
fn code_points(names: &mut dyn Iterator<Item = &str>) -> NameOrder {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .enumerate()
        .map(|(i, n)| (n.to_owned(), i as u32))
        .collect()
}

use crate::logic::model::Agent;

fn named(entries: &[(i32, &str, Option<bool>)]) -> HashMap<i32, TopicInfo> {
    entries
        .iter()
        .map(|(id, name, open)| {
            let info = TopicInfo {
                name: Some((*name).to_owned()),
                open: *open,
            };
            (*id, info)
        })
        .collect()
}

fn arc_rows(agents: &[Agent]) -> Vec<Arc<Row>> {
    sorted_rows(agents, lang(), |n| n.to_lowercase(), code_points)
        .into_iter()
        .map(Arc::new)
        .collect()
}

#[test]
fn rows_sort_available_first_then_fewest_chats_then_name() {
    let rows = arc_rows(&[
        Agent::test(1, "Zoë", true, 2, &[]),
        Agent::test(2, "Berg", false, 0, &[]),
        Agent::test(3, "Anna", true, 0, &[]),
        Agent::test(4, "", true, 0, &[]),
    ]);
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Anna", "User 4", "Zoë", "Berg"]);
    assert_eq!(rows[2].folded, "zoë");
}

#[test]
fn card_topics_follow_the_cards_order_and_default_to_unknown() {
    let topics = named(&[(11, "Billing", Some(true)), (12, "Sales", None)]);
    let known = card_topics(&[12, 99, 11], &topics);
    let names: Vec<Option<&str>> = known.iter().map(|t| t.name.as_deref()).collect();
    assert_eq!(names, [Some("Sales"), None, Some("Billing")]);
    assert_eq!(known[2].open, Some(true));
    assert_eq!(known[1], TopicInfo::default());
}

#[test]
fn card_live_is_presence_chats_and_the_users_marks() {
    let a = Agent::test(1, "A", true, 2, &[11]);
    assert_eq!(
        CardLive::of(&a, true, false),
        CardLive {
            present: true,
            chats: 2,
            pinned: true,
            watched: false,
        }
    );
}

#[test]
fn topic_ids_are_unique_and_ascending() {
    let rows = arc_rows(&[
        Agent::test(1, "A", true, 0, &[13, 11]),
        Agent::test(2, "B", true, 0, &[11, 12]),
    ]);
    assert_eq!(topic_ids(&rows), [11, 12, 13]);
}

#[test]
fn topic_options_are_named_counted_sorted_and_keep_the_chosen_topic() {
    let counts: BTreeMap<i32, Count> = [
        (
            11,
            Count {
                available: 2,
                total: 3,
            },
        ),
        (
            12,
            Count {
                available: 0,
                total: 1,
            },
        ),
        (
            13,
            Count {
                available: 1,
                total: 1,
            },
        ),
    ]
    .into_iter()
    .collect();
    let topics = named(&[(11, "Sales", Some(false)), (12, "Billing", Some(true))]);
    let options = topic_options(&counts, Some(99), &topics, &[], lang(), code_points);
    let labels: Vec<(i32, &str)> = options.iter().map(|o| (o.id, o.label.as_str())).collect();
    assert_eq!(
        labels,
        [
            (12, "Billing (0 of 1 available)"),
            (11, "Sales (2 of 3 available) – closed"),
            (13, "Topic 13 (1 of 1 available)"),
            (99, "Topic 99 (0 of 0 available)"),
        ]
    );
}

#[test]
fn the_live_region_names_the_chosen_topic() {
    let topics = named(&[(11, "Billing", None)]);
    assert_eq!(
        topic_prefix(Some(11), &topics, lang()).as_deref(),
        Some("Billing: ")
    );
    assert_eq!(
        topic_prefix(Some(5), &topics, lang()).as_deref(),
        Some("Topic 5: ")
    );
    assert_eq!(topic_prefix(None, &topics, lang()), None);
}

#[test]
fn show_more_holds_for_its_filter_only() {
    let billing = Filter {
        topic: Some(11),
        ..Filter::default()
    };
    assert_eq!(page_limit(None, &billing), PAGE);
    let more = (billing.clone(), 2 * PAGE);
    assert_eq!(page_limit(Some(&more), &billing), 2 * PAGE);
    assert_eq!(
        page_limit(Some(&more), &Filter::default()),
        PAGE,
        "a new filter starts over"
    );
}

#[test]
fn shown_keys_take_the_first_visible_rows() {
    let keys = [10, 11, 12, 13];
    assert_eq!(shown_keys(&[3, 1, 0], &keys, 2), [13, 11]);
    assert_eq!(
        shown_keys(&[3, 9], &keys, 5),
        [13],
        "an index out of range is skipped"
    );
}

#[test]
fn empty_lists_say_why() {
    let count = |total| Count {
        available: 0,
        total,
    };
    let search = Filter {
        query: "zz".into(),
        ..Filter::default()
    };
    let reason = |rows, filter: &Filter, summary| Empty::reason(rows, filter, summary, true, None);
    assert_eq!(reason(0, &search, count(0)), Empty::NoAgents);
    assert_eq!(reason(5, &search, count(0)), Empty::NobodyMatches);
    assert_eq!(
        reason(5, &Filter::default(), count(0)),
        Empty::NobodyInTopic
    );
    assert_eq!(
        reason(5, &Filter::default(), count(2)),
        Empty::NobodyAvailable
    );
    let pinned = Filter {
        pinned_only: true,
        ..Filter::default()
    };
    assert_eq!(
        Empty::reason(5, &pinned, count(0), false, None),
        Empty::NoPins
    );
    assert_eq!(
        Empty::reason(5, &pinned, count(0), true, None),
        Empty::NoPinsHere
    );
    let pinned_in_topic = Filter {
        topic: Some(12),
        ..pinned.clone()
    };
    assert_eq!(
        Empty::reason(5, &pinned_in_topic, count(0), true, None),
        Empty::NobodyInTopic
    );
    // An uncovered topic, filtered to available agents: the list says why.
    let billing = Filter {
        topic: Some(11),
        available_only: true,
        ..Filter::default()
    };
    let uncovered = Empty::reason(5, &billing, count(3), true, Some("Billing".into()));
    assert_eq!(
        uncovered.text(lang()),
        "Billing is open and nobody is available"
    );
    assert_eq!(
        Empty::reason(
            5,
            &Filter {
                topic: None,
                ..billing
            },
            count(3),
            true,
            Some("Billing".into())
        ),
        Empty::NobodyAvailable,
        "only with that topic chosen"
    );
    assert_eq!(
        Empty::NobodyMatches.text(lang()),
        "Nobody matches your search"
    );
}

#[test]
fn the_updated_line_says_how_old_and_when_the_retry_is() {
    let now = 1_000_000.0;
    assert_eq!(updated_line(lang(), None, None, now, None), "");
    assert_eq!(
        updated_line(lang(), Some(now - 185_000.0), None, now, None),
        "Updated 3 min ago"
    );
    assert_eq!(
        updated_line(lang(), Some(now - 1_000.0), Some(now + 39_200.0), now, None),
        "Updated just now – retrying in 40 s"
    );
    assert_eq!(
        updated_line(lang(), None, Some(now + 2_000.0), now, None),
        "Retrying in 2 s"
    );
    let german = Lang::from_tag("de").expect("spoken");
    assert_eq!(
        updated_line(german, None, Some(now + 4_000.0), now, None),
        "Neuer Versuch in 4 s"
    );
}

#[test]
fn topics_are_named_or_numbered() {
    let info = TopicInfo {
        name: Some("Billing".into()),
        open: None,
    };
    assert_eq!(topic_name(11, Some(&info), lang()), "Billing");
    assert_eq!(
        topic_name(11, Some(&TopicInfo::default()), lang()),
        "Topic 11"
    );
    assert_eq!(
        topic_name(12, None, Lang::from_tag("de").expect("spoken")),
        "Thema 12"
    );
}

#[test]
fn the_notice_and_the_live_region_name_uncovered_topics() {
    let topics = named(&[(11, "Billing", Some(true)), (12, "Sales", Some(true))]);
    assert_eq!(
        uncovered_notice(&[11, 12], &topics, lang()).as_deref(),
        Some("Billing and Sales are open and nobody is available")
    );
    assert_eq!(uncovered_notice(&[], &topics, lang()), None);
    let change = Change {
        uncovered: vec![11],
        covered: vec![12],
    };
    assert_eq!(
        coverage_announcement(&change, &topics, lang()).as_deref(),
        Some("Billing is open and nobody is available. Sales: someone is available again")
    );
    assert_eq!(
        coverage_announcement(&Change::default(), &topics, lang()),
        None
    );
}

#[test]
fn uncovered_options_are_marked_and_closed_ones_stay_closed() {
    let counts: BTreeMap<i32, Count> = [
        (
            11,
            Count {
                available: 0,
                total: 2,
            },
        ),
        (
            15,
            Count {
                available: 0,
                total: 1,
            },
        ),
    ]
    .into_iter()
    .collect();
    let topics = named(&[(11, "Billing", Some(true)), (15, "Night", Some(false))]);
    let options = topic_options(&counts, None, &topics, &[11], lang(), |names| {
        names
            .enumerate()
            .map(|(i, n)| (n.to_owned(), i as u32))
            .collect()
    });
    let labels: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Billing (0 of 2 available) – nobody available",
            "Night (0 of 1 available) – closed"
        ]
    );
}

#[test]
fn fired_watches_say_who_and_where() {
    let topics = named(&[(11, "Billing", Some(true))]);
    let agent = Fired {
        target: Target::Agent(7),
        user_id: 7,
    };
    assert_eq!(
        fired_text(&agent, "Anna", &topics, lang()),
        "Anna is available"
    );
    let topic = Fired {
        target: Target::Topic(11),
        user_id: 7,
    };
    assert_eq!(
        fired_text(&topic, "Anna", &topics, lang()),
        "Anna is available in Billing"
    );
}

#[test]
fn only_the_agent_changing_makes_a_card_glow() {
    let a = Agent::test(1, "A", true, 2, &[11]);
    let plain = CardLive::of(&a, false, false);
    assert!(!plain.agent_changed(&CardLive::of(&a, true, true)));
    let away = Agent::test(1, "A", false, 2, &[11]);
    assert!(plain.agent_changed(&CardLive::of(&away, false, false)));
}

#[test]
fn a_servers_pause_is_said_as_a_clock_time() {
    // 2026-12-01 10:41:20 UTC; the page one hour east of UTC.
    let now = 1_796_121_680_000.0;
    let hour = 3_600_000.0;
    assert_eq!(
        updated_line(lang(), None, Some(now + 12_000.0), now, Some(hour)),
        "Trying again at 11:42"
    );
    assert_eq!(
        updated_line(
            lang(),
            Some(now - 1_000.0),
            Some(now + 12_000.0),
            now,
            Some(0.0)
        ),
        "Updated just now – trying again at 10:42"
    );
    assert_eq!(
        updated_line(lang(), None, Some(now + 14.0 * hour), now, Some(-hour)),
        "Trying again at 23:42",
        "wraps at midnight"
    );
}

#[test]
fn watching_chips_name_topics_and_colleagues_gone_from_the_data() {
    let mut watches = Watches::default();
    watches.toggle(Target::Topic(11), 1.0);
    watches.toggle(Target::Agent(7), 2.0);
    watches.toggle(Target::Agent(8), 3.0);
    let agents = [Agent::test(7, "Anna", false, 0, &[])];
    let topics = named(&[(11, "Billing", None)]);
    let chips = watching_chips(&watches, &topics, &agents, lang());
    let texts: Vec<&str> = chips.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        ["Watching Billing", "Watching Anna", "Watching User 8"]
    );
    assert_eq!(chips[0].0, Target::Topic(11));
}

#[test]
fn notices_are_said_once_each_and_together() {
    let notice = |at: f64, name: &str| {
        let fired = Fired {
            target: Target::Agent(1),
            user_id: 1,
        };
        let n = Notice {
            fired,
            name: name.into(),
            at,
        };
        (n, format!("{name} is available"))
    };
    let notices = [notice(10.0, "Anna"), notice(20.0, "Bo")];
    let plain: Vec<Notice> = notices.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(newest_notice(&plain), 20.0);
    assert_eq!(newest_notice(&[]), f64::NEG_INFINITY);
    assert_eq!(
        notices_since(&notices, 5.0).as_deref(),
        Some("Anna is available. Bo is available")
    );
    assert_eq!(
        notices_since(&notices, 10.0).as_deref(),
        Some("Bo is available")
    );
    assert_eq!(notices_since(&notices, 20.0), None);
}
