//! What the panel shows, computed from the data and the user's choices. Pure, so
//! the view holds no data logic and every rule here is tested on the host; the
//! browser only supplies its collation order ([`NameOrder`]) and case folding.

use crate::logic::coverage::Change;
use crate::logic::i18n::{fill, Lang, TopicMark};
use crate::logic::list::{rows, sort_by_key, sort_rows, Count, Filter, Order, Row};
use crate::logic::model::{Agent, TopicInfo};
use crate::logic::watch::{Fired, Notice, Target, Watches};
use std::collections::{BTreeMap, HashMap};

/// Cards rendered at first, and added by each "Show more": a support lead filters a
/// tenant of thousands rather than scrolling it, and the page stays fast.
pub const PAGE: usize = 200;

/// Cards rendered before a panel first paints its first data, the rest following
/// after that paint: more than a tall sidebar shows, so the first screen is whole.
pub const FIRST_SCREEN: usize = 30;

/// Each distinct name's place in the language's alphabetical order (the browser's
/// `Intl.Collator` in the widget; code-point order in tests).
pub type NameOrder = HashMap<String, u32>;

/// The parts of a card that change with a refresh, or with the user's pins and
/// watches. The name, avatar and topic ids are part of the card's key (a change
/// there makes a new card); topic names are live too (see `components::live`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CardLive {
    pub present: bool,
    pub chats: u32,
    /// The user pinned this agent.
    pub pinned: bool,
    /// The user asked to be told when this agent is available.
    pub watched: bool,
}

impl CardLive {
    pub fn of(agent: &Agent, pinned: bool, watched: bool) -> CardLive {
        CardLive {
            present: agent.present,
            chats: agent.ongoing_chats,
            pinned,
            watched,
        }
    }

    /// Whether the agent changed (presence or chats), as opposed to the user's marks.
    pub fn agent_changed(&self, other: &CardLive) -> bool {
        (self.present, self.chats) != (other.present, other.chats)
    }
}

/// An entry of the Topic select: its id and its label ("Billing (2 of 3 available)").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicOption {
    pub id: i32,
    pub label: String,
}

/// A name's place in `order` (unknown names last).
fn rank_in(order: &NameOrder) -> impl Fn(&str) -> u32 + '_ {
    |name| order.get(name).copied().unwrap_or(u32::MAX)
}

/// A topic's name, or "Topic 12" while it is unknown.
pub fn topic_name(id: i32, info: Option<&TopicInfo>, lang: Lang) -> String {
    info.and_then(|i| i.name.clone())
        .unwrap_or_else(|| lang.topic_fallback(id))
}

/// The agents as rows in `order` (see [`Order`]), names in `names`' order, then id;
/// `me`'s row is the user's own. `fold` gives a name's search form.
pub fn sorted_rows(
    agents: &[Agent],
    lang: Lang,
    order: Order,
    me: Option<i32>,
    fold: impl Fn(&str) -> String,
    names: impl FnOnce(&mut dyn Iterator<Item = &str>) -> NameOrder,
) -> Vec<Row> {
    let mut rows = rows(agents, |id| lang.user_fallback(id), fold);
    for row in &mut rows {
        row.you = me == Some(row.agent.user_id);
    }
    let names = names(&mut rows.iter().map(|r| r.name.as_str()));
    sort_rows(rows, order, rank_in(&names))
}

/// What is known of each of `ids` (a card's topics, in its order); unknown ids
/// get an empty entry, shown as "Topic 12".
pub fn card_topics(ids: &[i32], topics: &HashMap<i32, TopicInfo>) -> Vec<TopicInfo> {
    ids.iter()
        .map(|id| topics.get(id).cloned().unwrap_or_default())
        .collect()
}

/// The Topic select's entries: every topic in the data (and the chosen one, even
/// when nobody is in it now), by name in `order`, then id.
pub fn topic_options(
    counts: &BTreeMap<i32, Count>,
    chosen: Option<i32>,
    topics: &HashMap<i32, TopicInfo>,
    uncovered: &[i32],
    lang: Lang,
    order: impl FnOnce(&mut dyn Iterator<Item = &str>) -> NameOrder,
) -> Vec<TopicOption> {
    let mut counts = counts.clone();
    if let Some(chosen) = chosen {
        counts.entry(chosen).or_default();
    }
    let options: Vec<(String, TopicOption)> = counts
        .into_iter()
        .map(|(id, count)| {
            let info = topics.get(&id);
            let name = topic_name(id, info, lang);
            let mark = if info.and_then(|i| i.open) == Some(false) {
                TopicMark::Closed
            } else if uncovered.binary_search(&id).is_ok() {
                TopicMark::Uncovered
            } else {
                TopicMark::None
            };
            let label = lang.topic_option(&name, count.available, count.total, mark);
            (name, TopicOption { id, label })
        })
        .collect();
    let order = order(&mut options.iter().map(|(name, _)| name.as_str()));
    let rank = rank_in(&order);
    sort_by_key(options, |(name, option)| (false, rank(name), 0, option.id))
        .into_iter()
        .map(|(_, option)| option)
        .collect()
}

/// The topic's name for the live region ("Billing: "), when one is chosen.
pub fn topic_prefix(
    topic: Option<i32>,
    topics: &HashMap<i32, TopicInfo>,
    lang: Lang,
) -> Option<String> {
    let id = topic?;
    Some(format!("{}: ", topic_name(id, topics.get(&id), lang)))
}

/// How many cards to render: a page more per "Show more" for this filter; a new
/// filter starts again from the first page (no effect resets it: it is derived).
pub fn page_limit(more: Option<&(Filter, usize)>, filter: &Filter) -> usize {
    match more {
        Some((shown_for, limit)) if shown_for == filter => *limit,
        _ => PAGE,
    }
}

/// The keys of the cards to render: the first `limit` visible rows'.
pub fn shown_keys(visible: &[usize], keys: &[u64], limit: usize) -> Vec<u64> {
    visible
        .iter()
        .take(limit)
        .filter_map(|i| keys.get(*i).copied())
        .collect()
}

/// Why the list is empty, said in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Empty {
    NoAgents,
    NoPins,
    /// Pins exist, but none of those agents is in the data.
    NoPinsHere,
    NobodyMatches,
    NobodyInTopic,
    NobodyAvailable,
    /// The chosen topic is open and nobody in it is available (its name).
    Uncovered(String),
}

impl Empty {
    /// For a list with `rows` agents in all, the user's `filter`, the counts within
    /// its scope, whether anyone is pinned, and the chosen topic's name if it is
    /// uncovered.
    pub fn reason(
        rows: usize,
        filter: &Filter,
        summary: Count,
        has_pins: bool,
        uncovered_topic: Option<String>,
    ) -> Empty {
        if rows == 0 {
            Empty::NoAgents
        } else if filter.pinned_only && !has_pins {
            Empty::NoPins
        } else if filter.pinned_only
            && summary.total == 0
            && filter.topic.is_none()
            && filter.query.trim().is_empty()
        {
            Empty::NoPinsHere
        } else if !filter.query.trim().is_empty() && summary.total == 0 {
            Empty::NobodyMatches
        } else if summary.total == 0 {
            Empty::NobodyInTopic
        } else if let Some(name) = uncovered_topic.filter(|_| filter.topic.is_some()) {
            Empty::Uncovered(name)
        } else {
            Empty::NobodyAvailable
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        let s = lang.strings();
        match self {
            Empty::NoAgents => s.no_agents.to_owned(),
            Empty::NoPins => s.no_pinned.to_owned(),
            Empty::NoPinsHere => s.no_pinned_here.to_owned(),
            Empty::NobodyMatches => s.nobody_matches.to_owned(),
            Empty::NobodyInTopic => s.nobody_in_topic.to_owned(),
            Empty::NobodyAvailable => s.nobody_available.to_owned(),
            Empty::Uncovered(name) => lang
                .uncovered(std::slice::from_ref(name))
                .unwrap_or_default(),
        }
    }
}

/// The notice under the summary: "Billing is open and nobody is available".
pub fn uncovered_notice(
    ids: &[i32],
    topics: &HashMap<i32, TopicInfo>,
    lang: Lang,
) -> Option<String> {
    let names: Vec<String> = ids
        .iter()
        .map(|id| topic_name(*id, topics.get(id), lang))
        .collect();
    lang.uncovered(&names)
}

/// What the live region says when topics become uncovered or covered again.
pub fn coverage_announcement(
    change: &Change,
    topics: &HashMap<i32, TopicInfo>,
    lang: Lang,
) -> Option<String> {
    let name = |id: &i32| topic_name(*id, topics.get(id), lang);
    let covered = change
        .covered
        .iter()
        .map(|id| fill(lang.strings().covered_again, &[("topic", &name(id))]));
    let parts: Vec<String> = uncovered_notice(&change.uncovered, topics, lang)
        .into_iter()
        .chain(covered)
        .collect();
    (!parts.is_empty()).then(|| parts.join(". "))
}

/// What a fired watch says: "Anna is available", "Anna is available in Billing".
pub fn fired_text(
    fired: &Fired,
    name: &str,
    topics: &HashMap<i32, TopicInfo>,
    lang: Lang,
) -> String {
    let s = lang.strings();
    match fired.target {
        Target::Agent(_) => fill(s.fired_agent, &[("name", name)]),
        Target::Topic(id) => fill(
            s.fired_topic,
            &[
                ("name", name),
                ("topic", &topic_name(id, topics.get(&id), lang)),
            ],
        ),
    }
}

/// The waiting watches as chips: each target and "Watching Billing" ("Watching
/// Anna"; a colleague no longer in the data by the fallback name).
pub fn watching_chips(
    watches: &Watches,
    topics: &HashMap<i32, TopicInfo>,
    agents: &[Agent],
    lang: Lang,
) -> Vec<(Target, String)> {
    let agent_name = |id: i32| {
        agents
            .iter()
            .find(|a| a.user_id == id)
            .map(|a| a.display_name(|id| lang.user_fallback(id)))
            .unwrap_or_else(|| lang.user_fallback(id))
    };
    watches
        .list()
        .iter()
        .map(|w| {
            let name = match w.target {
                Target::Topic(id) => topic_name(id, topics.get(&id), lang),
                Target::Agent(id) => agent_name(id),
            };
            (w.target, fill(lang.strings().watching, &[("name", &name)]))
        })
        .collect()
}

/// When the newest of `notices` fired (`-∞` for none): what the live region has said.
pub fn newest_notice(notices: &[Notice]) -> f64 {
    notices
        .iter()
        .map(|n| n.at)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// The texts of `notices` that fired after `seen`, in one sentence for the live
/// region (several that fire together are said at once).
pub fn notices_since(notices: &[(Notice, String)], seen: f64) -> Option<String> {
    let news: Vec<&str> = notices
        .iter()
        .filter(|(notice, _)| notice.at > seen)
        .map(|(_, text)| text.as_str())
        .collect();
    (!news.is_empty()).then(|| news.join(". "))
}

/// "Updated 3 min ago", and " – retrying in 40 s" while a transient failure waits
/// for its retry; times in ms since the epoch. After a server asked for a pause,
/// the retry is said as a clock time ("trying again at 10:42"): `clock` is then the
/// page's offset from UTC in ms.
pub fn updated_line(
    lang: Lang,
    updated_at: Option<f64>,
    retry_at: Option<f64>,
    now: f64,
    clock: Option<f64>,
) -> String {
    let mut line = updated_at
        .map(|at| lang.updated_ago(((now - at).max(0.0) / 1000.0) as u64))
        .unwrap_or_default();
    if let Some(next) = retry_at {
        let alone = line.is_empty();
        if !alone {
            line.push_str(" – ");
        }
        match clock {
            Some(offset) => line.push_str(&lang.retrying_at(&clock_time(next + offset), alone)),
            None => {
                let seconds = ((next - now).max(0.0) / 1000.0).ceil() as u64;
                line.push_str(&lang.retrying_in(seconds, alone));
            }
        }
    }
    line
}

/// "10:42": hours and minutes of a time in ms (already shifted to local time).
/// Rounded up, so that "at 10:42" is never before the attempt.
fn clock_time(ms: f64) -> String {
    let minutes = ((ms / 60_000.0).ceil() as i64).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests;
