//! Records kept in session and local storage (JSON text under the widget's keys).
//! Any script of the origin can write there: each record is bounded, an entry that
//! cannot be read is skipped, and a record of the wrong shape reads as none.

use super::presence::MAX_NAME_CHARS;
use super::{List, Member, Struct};
use crate::logic::model::TopicInfo;
use crate::logic::pins::MAX_PINS;
use crate::logic::policy::plausible_time;
use crate::logic::watch::{Fired, Notice, Target, Watch, MAX_NOTICES, MAX_WATCHES};
use serde::Deserialize;

/// Most topics kept per API base (their ids come from the server).
pub const MAX_TOPIC_ENTRIES: usize = 500;
/// Topic entries older than this are not shown after a reload.
pub const TOPICS_MAX_AGE_MS: f64 = 30.0 * 60_000.0;
/// How long another tab's fired watch is still news.
pub const FIRED_NEWS_MS: f64 = 2.0 * 60_000.0;

/// A topic as it is stored and shared: `[id, name or null, open or null]`.
#[derive(Deserialize)]
pub struct TopicEntry(Member, Member, Member);

impl TopicEntry {
    /// The entry, if every part of it is what it should be.
    pub fn checked(self) -> Option<(i32, TopicInfo)> {
        let TopicEntry(id, name, open) = self;
        let name = match name {
            Member::Missing => None,
            name => Some(name.short_str(MAX_NAME_CHARS)?.to_owned()),
        };
        let open = match open {
            Member::Missing => None,
            open => Some(open.as_bool()?),
        };
        Some((id.as_i32()?, TopicInfo { name, open }))
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

/// Pinned colleagues: `[user id, …]`.
#[derive(Deserialize)]
pub struct PinsRecord(List<Member, { MAX_PINS * 4 }>);

impl PinsRecord {
    pub fn ids(&self) -> Vec<i32> {
        self.0.items.iter().filter_map(Member::as_i32).collect()
    }
}

/// Watches: `[[kind, id, since], …]`.
#[derive(Deserialize)]
pub struct WatchesRecord(List<WatchEntry, { MAX_WATCHES * 4 }>);

#[derive(Deserialize)]
struct WatchEntry(Member, Member, Member);

impl WatchesRecord {
    /// The readable watches (which are live is [`crate::logic::watch::Watches`]'s call).
    pub fn watches(&self) -> impl Iterator<Item = Watch> + '_ {
        self.0.items.iter().filter_map(|WatchEntry(kind, id, since)| {
            Some(Watch {
                target: target(kind, id)?,
                since: since.as_f64()?,
            })
        })
    }
}

/// The log of fired watches the polling tab keeps for the others:
/// `[[kind, id, at, user id, name], …]`.
#[derive(Deserialize)]
pub struct FiredRecord(List<FiredEntry, { MAX_NOTICES * 4 }>);

#[derive(Deserialize)]
struct FiredEntry(Member, Member, Member, Member, Member);

impl FiredRecord {
    /// The entries still news at `now` (fired in the last [`FIRED_NEWS_MS`]).
    pub fn news(&self, now: f64) -> Vec<Notice> {
        self.0
            .items
            .iter()
            .filter_map(|FiredEntry(kind, id, at, user_id, name)| {
                let at = at.as_f64().filter(|at| plausible_time(*at, now))?;
                (now - at < FIRED_NEWS_MS).then_some(())?;
                Some(Notice {
                    fired: Fired {
                        target: target(kind, id)?,
                        user_id: user_id.as_i32()?,
                    },
                    name: name.short_str(MAX_NAME_CHARS)?.to_owned(),
                    at,
                })
            })
            .collect()
    }
}

/// Topic names and opening states saved for the next load of the page, with when
/// the record was saved and when each entry was last confirmed by the server.
#[derive(Deserialize)]
pub struct TopicsRecord {
    #[serde(default)]
    at: Member,
    topics: List<TopicEntry, MAX_TOPIC_ENTRIES>,
    #[serde(default)]
    checked: Option<List<Member, MAX_TOPIC_ENTRIES>>,
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
            .filter_map(|(index, entry)| {
                let (id, info) = entry.checked()?;
                let at = checked.get(index).and_then(Member::as_f64).unwrap_or(saved_at);
                (fresh(at) && at <= saved_at).then_some((id, info, at))
            })
            .collect()
    }
}
