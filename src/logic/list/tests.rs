use super::*;

use crate::logic::model::Agent;

fn ids(rows: &[Row]) -> Vec<i32> {
    rows.iter().map(|r| r.agent.user_id).collect()
}

/// Sorted with names in code-point order.
fn sorted(agents: &[Agent], order: Order) -> Vec<Row> {
    let rows = super::rows(agents, |id| format!("User {id}"), fold);
    let mut names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    names.sort_unstable();
    let rank = |name: &str| {
        names
            .binary_search_by(|n| n.as_str().cmp(name))
            .unwrap_or(0) as u32
    };
    sort_rows(rows, order, rank)
}

fn rows(agents: &[Agent]) -> Vec<Row> {
    sorted(agents, Order::AvailableFirst)
}

fn sample() -> Vec<Agent> {
    vec![
        Agent {
            user_id: 1,
            name: Some("Zoë Zimmer".into()),
            present: true,
            ongoing_chats: 2,
            topics: vec![1],
        },
        Agent {
            user_id: 2,
            name: Some("Åse Berg".into()),
            topics: vec![1, 2],
            ..Agent::default()
        },
        Agent {
            user_id: 3,
            name: Some("Anna Ek".into()),
            present: true,
            ongoing_chats: 2,
            topics: vec![2],
        },
        Agent {
            user_id: 4,
            name: Some("Bo Ny".into()),
            present: true,
            ..Agent::default()
        },
        Agent {
            user_id: 5,
            name: Some("Anna Ek".into()),
            present: true,
            ongoing_chats: 2,
            topics: vec![1],
        },
    ]
}

#[test]
fn available_first_sorts_by_presence_then_name_then_id() {
    assert_eq!(ids(&rows(&sample())), [3, 5, 4, 1, 2]);
}

#[test]
fn least_busy_first_sorts_available_agents_by_chats() {
    assert_eq!(ids(&sorted(&sample(), Order::LeastBusy)), [4, 3, 5, 1, 2]);
}

fn arranged(order: Order, pins: &[i32], me: Me) -> Vec<i32> {
    let rows = sorted(&sample(), order);
    let rows = arrange(
        &rows,
        order,
        &Pins::from_ids(pins.iter().copied()),
        me,
        |r| &r.agent,
    );
    ids(&rows)
}

#[test]
fn pins_and_the_users_own_card_come_first_when_asked() {
    let me = |first| Me {
        user_id: Some(1),
        first,
    };
    assert_eq!(
        arranged(Order::AvailableFirst, &[], Me::default()),
        [3, 5, 4, 1, 2]
    );
    // Pinned ones first, in their own order.
    assert_eq!(
        arranged(Order::AvailableFirst, &[2, 4], me(false)),
        [4, 2, 3, 5, 1]
    );
    // "Show me first" goes before the pins.
    assert_eq!(
        arranged(Order::AvailableFirst, &[2, 4], me(true)),
        [1, 4, 2, 3, 5]
    );
    // An id no card has changes nothing.
    let stranger = Me {
        user_id: Some(99),
        first: true,
    };
    assert_eq!(
        arranged(Order::AvailableFirst, &[], stranger),
        [3, 5, 4, 1, 2]
    );
}

#[test]
fn least_busy_first_never_suggests_the_user_first() {
    let me = |user_id| Me {
        user_id: Some(user_id),
        first: true,
    };
    // Pins and "Show me first" do not apply; the least busy (4) is the user: it goes
    // after every other available agent.
    assert_eq!(arranged(Order::LeastBusy, &[2], me(4)), [3, 5, 1, 4, 2]);
    assert_eq!(arranged(Order::LeastBusy, &[], me(5)), [4, 3, 1, 5, 2]);
    // Away, the user's card stays where it is.
    assert_eq!(arranged(Order::LeastBusy, &[], me(2)), [4, 3, 5, 1, 2]);
    // The only one available is still listed first: nobody else could be.
    let alone = [
        Agent {
            user_id: 7,
            name: Some("Me".into()),
            present: true,
            ongoing_chats: 3,
            ..Agent::default()
        },
        Agent {
            user_id: 8,
            name: Some("Off".into()),
            ..Agent::default()
        },
    ];
    let rows = sorted(&alone, Order::LeastBusy);
    let rows = arrange(&rows, Order::LeastBusy, &Pins::default(), me(7), |r| {
        &r.agent
    });
    assert_eq!(ids(&rows), [7, 8]);
}

#[test]
fn orders_are_stored_by_their_key() {
    for order in Order::ALL {
        assert_eq!(Order::from_key(order.key()), Some(order));
    }
    assert_eq!(Order::from_key("random"), None);
}

#[test]
fn sorting_is_the_same_whatever_the_input_order() {
    let mut backward = sample();
    backward.reverse();
    assert_eq!(rows(&sample()), rows(&backward));
}

#[test]
fn filters_by_topic_query_and_availability() {
    let agents = sample();
    let view_of = |topic, query: &str, available_only, pinned_only| {
        apply_filter(
            agents
                .iter()
                .map(|a| (a, fold(a.name.as_deref().unwrap_or_default())))
                .collect::<Vec<_>>()
                .iter()
                .map(|(a, n)| (*a, n.as_str(), a.user_id % 2 == 1)),
            &Filter {
                topic,
                query: query.into(),
                available_only,
                pinned_only,
            },
        )
    };
    let view = |topic, query: &str, available_only| view_of(topic, query, available_only, false);
    // Odd ids are pinned here: "Pinned" narrows the scope, and the summary with it.
    let pinned = view_of(None, "", false, true);
    assert_eq!(pinned.visible, [0, 2, 4]);
    assert_eq!(pinned.summary.total, 3);
    let all = view(None, "", false);
    assert_eq!(all.visible, [0, 1, 2, 3, 4]);
    assert_eq!(
        all.summary,
        Count {
            available: 4,
            total: 5
        }
    );

    let topic1 = view(Some(1), "", false);
    assert_eq!(topic1.visible, [0, 1, 4]);
    assert_eq!(
        topic1.summary,
        Count {
            available: 2,
            total: 3
        }
    );

    let available = view(Some(1), "", true);
    assert_eq!(available.visible, [0, 4]);
    assert_eq!(
        available.summary, topic1.summary,
        "the toggle hides, it does not recount"
    );

    assert_eq!(
        view(None, &fold(" ASE "), false).visible,
        [1],
        "accent- and case-insensitive"
    );
    assert_eq!(view(None, "ek", false).visible, [2, 4]);
    assert_eq!(view(Some(99), "", false).summary, Count::default());
}

#[test]
fn rows_carry_shown_and_folded_names() {
    let mut nameless = Agent {
        user_id: 9,
        present: true,
        ..Agent::default()
    };
    nameless.name = None;
    let rows = rows(&[
        nameless,
        Agent {
            user_id: 8,
            name: Some("Åse".into()),
            present: true,
            ..Agent::default()
        },
    ]);
    assert_eq!(rows[0].name, "User 9");
    assert_eq!(rows[1].folded, "ase");
}

#[test]
fn row_keys_change_with_name_or_topics_only() {
    let base = rows(&[Agent {
        user_id: 7,
        name: Some("Ann".into()),
        present: true,
        topics: vec![1, 2],
        ..Agent::default()
    }])
    .remove(0);
    let key = row_key(&base);
    assert_eq!(
        (key >> 32) as u32 as i32,
        7,
        "the key starts with the user id"
    );
    let mut busier = base.clone();
    busier.agent.present = false;
    busier.agent.ongoing_chats = 3;
    assert_eq!(
        row_key(&busier),
        key,
        "presence and chats do not change the key"
    );
    let mut renamed = base.clone();
    renamed.name = "Anne".into();
    assert_ne!(row_key(&renamed), key);
    let mut moved = base.clone();
    moved.agent.topics = vec![2, 1];
    assert_ne!(row_key(&moved), key);
    let negative = rows(&[Agent {
        user_id: -5,
        name: Some("X".into()),
        present: true,
        ..Agent::default()
    }])
    .remove(0);
    assert_eq!((row_key(&negative) >> 32) as u32 as i32, -5);
}

#[test]
fn counts_per_topic() {
    let counts = topic_counts(&sample());
    assert_eq!(counts.keys().copied().collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        counts[&1],
        Count {
            available: 2,
            total: 3
        }
    );
    assert_eq!(
        counts[&2],
        Count {
            available: 1,
            total: 2
        }
    );
}

#[test]
fn folds_accents() {
    assert_eq!(fold("Åse Ødegård"), "ase odegard");
    assert_eq!(fold("Müller-Straße"), "muller-strasse");
    assert_eq!(fold("ÆØÅ"), "aeoa");
    assert_eq!(fold("Łukasz Żółć"), "lukasz zolc");
    assert_eq!(fold("李小龍"), "李小龍");
    // A decomposed input loses its combining marks too.
    assert_eq!(strip_accents("a\u{30a}se"), "ase");
}

#[test]
fn initials_from_first_and_last_word() {
    assert_eq!(initials("Åse Ødegård"), "ÅØ");
    assert_eq!(initials("Jean-Luc Picard"), "JP");
    assert_eq!(initials("Cher"), "C");
    assert_eq!(initials("  "), "?");
    assert_eq!(initials("李 小龍"), "李小");
    assert_eq!(initials("van der Berg, Jan"), "vJ");
    assert_eq!(initials("(Anna) Ek"), "E");
}

#[test]
fn avatar_colours_are_stable_spread_and_in_range() {
    assert_eq!(avatar_colour(42), avatar_colour(42));
    assert!((-1000..1000).all(|id| avatar_colour(id) < AVATAR_COLOURS));
    let used: std::collections::HashSet<u8> = (100..125).map(avatar_colour).collect();
    assert!(
        used.len() >= 8,
        "25 neighbouring ids use {} colours",
        used.len()
    );
}
