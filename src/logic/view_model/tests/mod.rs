use super::*;
use std::sync::Arc;

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
    sorted_rows(
        agents,
        lang(),
        Order::AvailableFirst,
        None,
        |n| n.to_lowercase(),
        code_points,
    )
    .into_iter()
    .map(Arc::new)
    .collect()
}

#[test]
fn rows_sort_available_first_then_fewest_chats_then_name() {
    let rows = arc_rows(&[
        Agent {
            user_id: 1,
            name: Some("Zoë".into()),
            present: true,
            ongoing_chats: 2,
            ..Agent::default()
        },
        Agent {
            user_id: 2,
            name: Some("Berg".into()),
            ..Agent::default()
        },
        Agent {
            user_id: 3,
            name: Some("Anna".into()),
            present: true,
            ..Agent::default()
        },
        Agent {
            user_id: 4,
            present: true,
            ..Agent::default()
        },
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
    let a = Agent {
        user_id: 1,
        name: Some("A".into()),
        present: true,
        ongoing_chats: 2,
        topics: vec![11],
    };
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

mod texts;
