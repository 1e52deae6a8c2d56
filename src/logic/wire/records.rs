//! Records kept in session and local storage (JSON text under the widget's keys).
//! Any script of the origin can write there: each record is bounded, an entry that
//! cannot be read is skipped, and a record of the wrong shape reads as none.

use super::presence::MAX_NAME_CHARS;
use super::{List, Member, Struct};
use crate::logic::model::TopicInfo;
use crate::logic::policy::plausible_time;
use crate::logic::watch::{Fired, Notice, Target, Watch, MAX_NOTICES};
use serde::Deserialize;

/// Most topics kept per API base (their ids come from the server).
pub const MAX_TOPIC_ENTRIES: usize = 500;
/// Most entries read from a record or a message's list: a few times what the widget
/// ever writes (200 pins, 50 watches, 500 topics), one bound for all of them.
pub const MAX_ENTRIES: usize = 800;

/// An entry of a record: a short list of members read by position (one reader for
/// every kind of entry; what is not a list reads as an empty entry).
#[derive(Deserialize)]
pub struct Entry(List<Member, 8, true>);

/// A list of entries, as every record and message holds them.
pub type Entries = List<Entry, MAX_ENTRIES>;

impl Entry {
    /// The member at `index`, or [`Member::Missing`].
    fn at(&self, index: usize) -> &Member {
        const MISSING: &Member = &Member::Missing;
        self.0.items.get(index).unwrap_or(MISSING)
    }
}
/// Topic entries older than this are not shown after a reload.
pub const TOPICS_MAX_AGE_MS: f64 = 30.0 * 60_000.0;
/// How long another tab's fired watch is still news.
pub const FIRED_NEWS_MS: f64 = 2.0 * 60_000.0;

impl Entry {
    /// A topic as it is stored and shared, `[id, name or null, open or null]`, if
    /// every part of it is what it should be.
    pub fn topic(&self) -> Option<(i32, TopicInfo)> {
        let name = match self.at(1) {
            Member::Missing => None,
            name => Some(name.short_str(MAX_NAME_CHARS)?.to_owned()),
        };
        let open = match self.at(2) {
            Member::Missing => None,
            open => Some(open.as_bool()?),
        };
        Some((self.at(0).as_i32()?, TopicInfo { name, open }))
    }
}

/// A watch's target as stored: `"topic"` or `"agent"`, and an id.
pub fn target(kind: &Member, id: &Member) -> Option<Target> {
    let id = id.as_i32()?;
    match kind.as_str()? {
        "topic" => Some(Target::Topic(id)),
        "agent" => Some(Target::Agent(id)),
        _ => None,
    }
}

/// The list's order and "Show me first": `[order key, me first]`.
#[derive(Deserialize)]
pub struct PrefsRecord(Entry);

impl PrefsRecord {
    pub fn order(&self) -> Option<crate::logic::list::Order> {
        crate::logic::list::Order::from_key(self.0.at(0).as_str()?)
    }

    pub fn me_first(&self) -> bool {
        self.0.at(1).as_bool() == Some(true)
    }
}

/// Pinned colleagues: `[user id, …]`.
#[derive(Deserialize)]
pub struct PinsRecord(List<Member, MAX_ENTRIES>);

impl PinsRecord {
    pub fn ids(&self) -> Vec<i32> {
        self.0.items.iter().filter_map(Member::as_i32).collect()
    }
}

/// Watches: `[[kind, id, since], …]`.
#[derive(Deserialize)]
pub struct WatchesRecord(Entries);

impl WatchesRecord {
    /// The readable watches (which are live is [`crate::logic::watch::Watches`]'s call).
    pub fn watches(&self) -> impl Iterator<Item = Watch> + '_ {
        self.0.items.iter().filter_map(|entry| {
            Some(Watch {
                target: target(entry.at(0), entry.at(1))?,
                since: entry.at(2).as_f64()?,
            })
        })
    }
}

/// The log of fired watches the polling tab keeps for the others:
/// `[[kind, id, at, user id, name], …]`.
#[derive(Deserialize)]
pub struct FiredRecord(Entries);

impl FiredRecord {
    /// The entries still news at `now` (fired in the last [`FIRED_NEWS_MS`]).
    pub fn news(&self, now: f64) -> Vec<Notice> {
        self.0
            .items
            .iter()
            .filter_map(|entry| {
                let at = entry.at(2).as_f64().filter(|at| plausible_time(*at, now))?;
                (now - at < FIRED_NEWS_MS).then_some(())?;
                Some(Notice {
                    fired: Fired {
                        target: target(entry.at(0), entry.at(1))?,
                        user_id: entry.at(3).as_i32()?,
                    },
                    name: entry.at(4).short_str(MAX_NAME_CHARS)?.to_owned(),
                    at,
                })
            })
            .take(MAX_NOTICES)
            .collect()
    }
}

/// Topic names and opening states saved for the next load of the page, with when
/// the record was saved and when each entry was last confirmed by the server.
#[derive(Deserialize)]
pub struct TopicsRecord {
    #[serde(default)]
    at: Member,
    topics: Entries,
    #[serde(default)]
    checked: Option<List<Member, MAX_ENTRIES>>,
}

impl Struct for TopicsRecord {
    const FIELDS: &'static [&'static str] = &["at", "topics", "checked"];
}

impl TopicsRecord {
    /// The entries no older than [`TOPICS_MAX_AGE_MS`] at `now`, each with when it
    /// was confirmed.
    pub fn fresh(self, now: f64) -> Vec<(i32, TopicInfo, f64)> {
        let fresh = |at: f64| plausible_time(at, now) && now - at <= TOPICS_MAX_AGE_MS;
        let Some(saved_at) = self.at.as_f64().filter(|at| fresh(*at)) else {
            return Vec::new();
        };
        let checked = self.checked.map(|list| list.items).unwrap_or_default();
        self.topics
            .items
            .into_iter()
            .enumerate()
            .take(MAX_TOPIC_ENTRIES)
            .filter_map(|(index, entry)| {
                let (id, info) = entry.topic()?;
                let at = checked
                    .get(index)
                    .and_then(Member::as_f64)
                    .unwrap_or(saved_at);
                (fresh(at) && at <= saved_at).then_some((id, info, at))
            })
            .collect()
    }
}
