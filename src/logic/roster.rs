//! What the list shows: sorting, filtering and counting agents. Pure, so the rules
//! that decide who a support lead sees first are tested on the host.

use crate::logic::model::Agent;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The user's current choices in the controls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only agents in this chat topic; `None` = all topics.
    pub topic: Option<i32>,
    /// Case- and accent-insensitive part of the name; blank = everyone.
    pub query: String,
    /// Hide agents who are away.
    pub available_only: bool,
}

/// Available and total agents in a set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub available: usize,
    pub total: usize,
}

impl Count {
    fn add(&mut self, agent: &Agent) {
        self.total += 1;
        self.available += usize::from(agent.present);
    }
}

/// The order of the list: available first, then fewest ongoing chats, then name
/// (by `compare_names`, normally a locale-aware collator), then user id so that
/// equal rows never swap places between refreshes.
pub fn compare_agents(
    a: &Agent,
    b: &Agent,
    name_a: &str,
    name_b: &str,
    compare_names: &impl Fn(&str, &str) -> Ordering,
) -> Ordering {
    b.present
        .cmp(&a.present)
        .then(a.ongoing_chats.cmp(&b.ongoing_chats))
        .then_with(|| compare_names(name_a, name_b))
        .then(a.user_id.cmp(&b.user_id))
}

/// An agent as the list shows it: with the name to show and its folded form for search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub agent: Agent,
    pub name: String,
    pub folded: String,
}

/// The agents as rows, in server order. `fallback_name` names an agent the server
/// sent without one; `fold` gives a name's search form (see [`fold`]).
pub fn rows(
    agents: &[Agent],
    fallback_name: impl Fn(i32) -> String,
    fold: impl Fn(&str) -> String,
) -> Vec<Row> {
    agents
        .iter()
        .map(|agent| {
            let name = agent.display_name(&fallback_name);
            Row {
                folded: fold(&name),
                name,
                agent: agent.clone(),
            }
        })
        .collect()
}

/// A row's identity in the list: the user id, and a hash of the parts of a card that
/// almost never change: the name, and each topic's id and `label` (its name and
/// opening state). A card shows those as they were when it was made; the rare change
/// makes a new card, so no card listens to the long-lived topic data (a listener that
/// is dropped without unsubscribing would stay in that data's list for good).
pub fn row_key(row: &Row, label: impl Fn(i32) -> String) -> u64 {
    // FNV-1a: small, fast, and stable across builds.
    let mut hash: u32 = 0x811c_9dc5;
    let mut add = |bytes: &[u8]| {
        for byte in bytes.iter().chain([&0xff]) {
            hash = (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193);
        }
    };
    add(row.name.as_bytes());
    for topic in &row.agent.topics {
        add(&topic.to_le_bytes());
        add(label(*topic).as_bytes());
    }
    (u64::from(row.agent.user_id as u32) << 32) | u64::from(hash)
}

/// Puts rows in list order; `compare_names` orders names (a locale-aware collator).
pub fn sort_rows(rows: &mut [Row], compare_names: impl Fn(&str, &str) -> Ordering) {
    rows.sort_by(|a, b| compare_agents(&a.agent, &b.agent, &a.name, &b.name, &compare_names));
}

/// Search form of a text: lower-cased, Latin accents stripped, so "ase" finds
/// "Åse" and "muller" finds "Müller". The browser build lower-cases with the
/// browser's own Unicode tables and calls [`strip_accents`]; this host version is
/// the reference.
pub fn fold(text: &str) -> String {
    strip_accents(&text.to_lowercase())
}

/// Strips the accents of lower-case Latin letters (no Unicode tables needed).
pub fn strip_accents(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            'à'..='å' | 'ā' | 'ą' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'ć' | 'č' => out.push('c'),
            'è'..='ë' | 'ē' | 'ę' | 'ě' => out.push('e'),
            'ì'..='ï' | 'ı' => out.push('i'),
            'ñ' | 'ń' | 'ň' => out.push('n'),
            'ò'..='ö' | 'ø' | 'ő' => out.push('o'),
            'ù'..='ü' | 'ů' | 'ű' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ß' => out.push_str("ss"),
            'ł' => out.push('l'),
            'ś' | 'š' => out.push('s'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            'ř' => out.push('r'),
            'ð' | 'đ' => out.push('d'),
            'þ' => out.push_str("th"),
            // Combining marks, as left by a decomposed (NFD) input.
            '\u{300}'..='\u{36f}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Whether an agent passes the topic and name parts of a filter (not the
/// "available only" part: the summary counts the away agents it hides).
pub fn matches_scope(
    agent: &Agent,
    folded_name: &str,
    topic: Option<i32>,
    folded_query: &str,
) -> bool {
    topic.is_none_or(|t| agent.topics.contains(&t)) && folded_name.contains(folded_query)
}

/// Per-topic counts over all agents, keyed by topic id in ascending order.
pub fn topic_counts<'a>(agents: impl IntoIterator<Item = &'a Agent>) -> BTreeMap<i32, Count> {
    let mut counts: BTreeMap<i32, Count> = BTreeMap::new();
    for agent in agents {
        for topic in &agent.topics {
            counts.entry(*topic).or_default().add(agent);
        }
    }
    counts
}

/// The result of applying a filter to a sorted roster.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// Indices into the sorted agents, in list order.
    pub visible: Vec<usize>,
    /// Counts within the topic and name filter, ignoring "available only".
    pub summary: Count,
}

/// Applies `filter` to rows already in list order: each row is an agent and its
/// folded name; `filter.query` is folded the same way (see [`fold`]).
pub fn apply_filter<'a>(
    rows: impl IntoIterator<Item = (&'a Agent, &'a str)>,
    filter: &Filter,
) -> View {
    let query = filter.query.trim();
    let mut view = View::default();
    for (index, (agent, name)) in rows.into_iter().enumerate() {
        if !matches_scope(agent, name, filter.topic, query) {
            continue;
        }
        view.summary.add(agent);
        if agent.present || !filter.available_only {
            view.visible.push(index);
        }
    }
    view
}

/// Up to two letters for an avatar: the first letters of the first and last words,
/// as written (the view upper-cases them with the browser's Unicode tables).
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == ',')
        .filter(|w| w.chars().next().is_some_and(|c| !c.is_ascii_punctuation()))
        .collect();
    let first_letter = |w: &&str| w.chars().next();
    match words.as_slice() {
        [] => "?".to_owned(),
        [only] => first_letter(only).into_iter().collect(),
        [first, .., last] => first_letter(first)
            .into_iter()
            .chain(first_letter(last))
            .collect(),
    }
}

/// Number of avatar colours in the stylesheet (`.avatar.c0` … `.avatar.c11`).
pub const AVATAR_COLOURS: u8 = 12;

/// A stable avatar colour for a user, spread so neighbouring ids differ. Colours are
/// classes, not inline styles, so a strict `style-src` policy holds.
pub fn avatar_colour(user_id: i32) -> u8 {
    ((user_id as u32).wrapping_mul(2_654_435_761) >> 24) as u8 % AVATAR_COLOURS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(user_id: i32, name: &str, present: bool, chats: u32, topics: &[i32]) -> Agent {
        Agent {
            user_id,
            name: Some(name.into()),
            present,
            ongoing_chats: chats,
            topics: topics.to_vec(),
        }
    }

    fn ids(rows: &[Row]) -> Vec<i32> {
        rows.iter().map(|r| r.agent.user_id).collect()
    }

    fn rows(agents: &[Agent]) -> Vec<Row> {
        let mut rows = super::rows(agents, |id| format!("User {id}"), fold);
        sort_rows(&mut rows, |a, b| a.cmp(b));
        rows
    }

    fn sample() -> Vec<Agent> {
        vec![
            agent(1, "Zoë Zimmer", true, 2, &[1]),
            agent(2, "Åse Berg", false, 0, &[1, 2]),
            agent(3, "Anna Ek", true, 2, &[2]),
            agent(4, "Bo Ny", true, 0, &[]),
            agent(5, "Anna Ek", true, 2, &[1]),
        ]
    }

    #[test]
    fn sorts_available_then_fewest_chats_then_name_then_id() {
        assert_eq!(ids(&rows(&sample())), [4, 3, 5, 1, 2]);
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
        let view = |topic, query: &str, available_only| {
            apply_filter(
                agents
                    .iter()
                    .map(|a| (a, fold(a.name.as_deref().unwrap_or_default())))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(|(a, n)| (*a, n.as_str())),
                &Filter {
                    topic,
                    query: query.into(),
                    available_only,
                },
            )
        };
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
        let mut nameless = agent(9, "", true, 0, &[]);
        nameless.name = None;
        let rows = rows(&[nameless, agent(8, "Åse", true, 0, &[])]);
        assert_eq!(rows[0].name, "User 9");
        assert_eq!(rows[1].folded, "ase");
    }

    #[test]
    fn row_keys_change_with_name_or_topics_only() {
        let label = |t: i32| format!("Topic {t}");
        let row_key = |row: &Row| super::row_key(row, label);
        let base = rows(&[agent(7, "Ann", true, 0, &[1, 2])]).remove(0);
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
        let negative = rows(&[agent(-5, "X", true, 0, &[])]).remove(0);
        assert_eq!((row_key(&negative) >> 32) as u32 as i32, -5);
        let renamed_topic =
            super::row_key(&base, |t| if t == 2 { "Sales".into() } else { label(t) });
        assert_ne!(renamed_topic, key, "a topic's new name makes a new card");
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
}
