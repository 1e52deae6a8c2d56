//! What the list shows: sorting, filtering and counting agents. Pure, so the rules
//! that decide who a support lead sees first are tested on the host.

use crate::logic::model::Agent;
use crate::logic::pins::Pins;
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
    /// Only pinned colleagues (part of the scope the summary counts).
    pub pinned_only: bool,
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

/// How the list is ordered (the "Order" select), remembered per API base.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// Available agents, then away ones, each by name: rows stay put while chat
    /// counts change, and a name is where one expects it.
    #[default]
    AvailableFirst,
    /// Who can take a transfer: available agents by ongoing chats (fewest first),
    /// then away agents; pins and "Show me first" do not apply, and the user's own
    /// card comes after every other available agent.
    LeastBusy,
}

impl Order {
    pub const ALL: [Order; 2] = [Order::AvailableFirst, Order::LeastBusy];

    /// Its name in storage and in the select's values.
    pub fn key(self) -> &'static str {
        match self {
            Order::AvailableFirst => "available",
            Order::LeastBusy => "least-busy",
        }
    }

    pub fn from_key(key: &str) -> Option<Order> {
        Order::ALL.into_iter().find(|order| order.key() == key)
    }
}

/// The order of the list as a key: available first, then (least busy first only)
/// fewest ongoing chats, then the name's `rank` (its place in a locale-aware
/// collator's order), then user id, so that equal rows never swap places between
/// refreshes.
pub fn sort_key(agent: &Agent, order: Order, rank: u32) -> (bool, u32, u32, i32) {
    let chats = match order {
        Order::AvailableFirst => 0,
        Order::LeastBusy => agent.ongoing_chats,
    };
    (!agent.present, chats, rank, agent.user_id)
}

/// The user's choices of order, remembered per API base like pins.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prefs {
    pub order: Order,
    /// "Show me first".
    pub me_first: bool,
}

/// The user's own place in the list, besides the order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Me {
    /// The signed-in user's chat user id, when a card has it.
    pub user_id: Option<i32>,
    /// "Show me first" is on.
    pub first: bool,
}

/// Rows already sorted by `order`, in the list's final order: under
/// [`Order::AvailableFirst`], the user's own card first when asked, then the pinned
/// ones, each group in its own order (one pass, no second sort); under
/// [`Order::LeastBusy`], the sorted order with the user's own card moved after the
/// last other available agent, so it is never the one suggested.
pub fn arrange<T: Clone>(
    rows: &[T],
    order: Order,
    pins: &Pins,
    me: Me,
    agent: impl Fn(&T) -> &Agent,
) -> Vec<T> {
    let is_me = |row: &T| me.user_id == Some(agent(row).user_id);
    match order {
        Order::AvailableFirst => {
            let rank = |row: &T| match (me.first && is_me(row), pins.contains(agent(row).user_id)) {
                (true, _) => 0,
                (false, true) => 1,
                (false, false) => 2,
            };
            let mut groups: [Vec<T>; 3] = Default::default();
            for row in rows {
                groups[rank(row)].push(row.clone());
            }
            groups.concat()
        }
        Order::LeastBusy => {
            let mut out = rows.to_vec();
            // Away, the user's card stays where the order put it: nobody suggests an
            // away agent.
            if let Some(at) = out.iter().position(|r| is_me(r) && agent(r).present) {
                let mine = out.remove(at);
                let available = out.iter().take_while(|r| agent(r).present).count();
                out.insert(available, mine);
            }
            out
        }
    }
}

/// An agent as the list shows it: with the name to show and its folded form for search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub agent: Agent,
    pub name: String,
    pub folded: String,
    /// The signed-in user's own card (part of its key: it rarely changes).
    pub you: bool,
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
                you: false,
            }
        })
        .collect()
}

/// A row's identity in the list: the user id, and a hash of the parts of a card that
/// almost never change: the name, whether it is the user's own, and the topic ids. The rare change makes a new
/// card. Presence, chats and what is known of each topic (its name and opening
/// state) are the card's live data: they change the card, not its identity.
pub fn row_key(row: &Row) -> u64 {
    // FNV-1a: small, fast, and stable across builds.
    let mut hash: u32 = 0x811c_9dc5;
    let mut add = |bytes: &[u8]| {
        for byte in bytes.iter().chain([&0xff]) {
            hash = (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193);
        }
    };
    add(row.name.as_bytes());
    add(&[u8::from(row.you)]);
    for topic in &row.agent.topics {
        add(&topic.to_le_bytes());
    }
    (u64::from(row.agent.user_id as u32) << 32) | u64::from(hash)
}

/// Puts rows in `order`; `rank` gives a name's place in the names' order. Each
/// row's key is made once (a name's rank is a look-up), not in every comparison.
pub fn sort_rows(rows: Vec<Row>, order: Order, rank: impl Fn(&str) -> u32) -> Vec<Row> {
    sort_by_key(rows, |row| sort_key(&row.agent, order, rank(&row.name)))
}

/// A sort key: the one shape every list the widget orders is sorted by.
pub type SortKey = (bool, u32, u32, i32);

/// Puts `items` in the order of their keys (each made once). The sort itself runs on
/// (key, index) pairs, whatever the items are: one sort in the wasm for every list.
pub fn sort_by_key<T>(items: Vec<T>, key: impl Fn(&T) -> SortKey) -> Vec<T> {
    let mut keyed: Vec<(SortKey, u32)> = items
        .iter()
        .enumerate()
        .map(|(index, item)| (key(item), index as u32))
        .collect();
    keyed.sort_unstable();
    let mut items: Vec<Option<T>> = items.into_iter().map(Some).collect();
    keyed
        .into_iter()
        .filter_map(|(_, index)| items[index as usize].take())
        .collect()
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

/// Applies `filter` to rows already in list order: each row is an agent, its
/// folded name and whether it is pinned; `filter.query` is folded the same way
/// (see [`fold`]).
pub fn apply_filter<'a>(
    rows: impl IntoIterator<Item = (&'a Agent, &'a str, bool)>,
    filter: &Filter,
) -> View {
    let query = filter.query.trim();
    let mut view = View::default();
    for (index, (agent, name, pinned)) in rows.into_iter().enumerate() {
        if (filter.pinned_only && !pinned) || !matches_scope(agent, name, filter.topic, query) {
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
mod tests;
