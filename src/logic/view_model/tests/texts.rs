//! What the panel says: the updated line, topic names, notices, watches.

use super::*;

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
    let a = Agent {
        user_id: 1,
        name: Some("A".into()),
        present: true,
        ongoing_chats: 2,
        topics: vec![11],
    };
    let plain = CardLive::of(&a, false, false);
    assert!(!plain.agent_changed(&CardLive::of(&a, true, true)));
    let away = Agent {
        user_id: 1,
        name: Some("A".into()),
        ongoing_chats: 2,
        topics: vec![11],
        ..Agent::default()
    };
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
    let agents = [Agent {
        user_id: 7,
        name: Some("Anna".into()),
        ..Agent::default()
    }];
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
