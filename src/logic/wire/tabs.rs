//! Messages between the tabs of one origin (a `BroadcastChannel`). Any page of the
//! origin can post on the channel, not only ours: a message is read from its
//! structured clone, checked for kind, sizes and plausible times, and dropped when
//! anything is off.
//!
//! Times travel as durations from the sender's now (`age`: how old the data is,
//! `wait`: how long until the next attempt), read against the receiver's now: the
//! tabs' clocks may differ (a tab open while the computer's clock was set back keeps
//! its own running ahead, see `logic::clock`), durations do not. The absolute `at`
//! and `next` are sent too, for tabs of an older release, and read only when a
//! message has no duration.

use super::records::{Entries, MAX_TOPIC_ENTRIES};
use super::{Member, Object, Struct};
use crate::logic::config::{MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS};
use crate::logic::error::ApiError;
use crate::logic::model::TopicInfo;
use crate::logic::policy::plausible_time;
use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;

/// Longest error detail accepted from another tab (longer ones are cut).
pub const MAX_DETAIL_CHARS: usize = 400;
/// Longest wait before a retry another tab may announce: a server's longest pause
/// (`Retry-After`, an hour), with room for the backoff's jitter.
pub const MAX_NEXT_MS: f64 = crate::logic::backoff::MAX_RETRY_AFTER_MS + 60_000.0;
/// Longest body, in UTF-16 units, read from a tab or an answer: 10,000 agents with
/// all their field properties are a few MB; anything far beyond is not an answer.
pub const MAX_BODY_CHARS: usize = 32 * 1024 * 1024;

/// A body's text as it travels: a JS string in the browser (never copied into wasm
/// memory on the way), a `String` in host tests.
pub trait BodyText {
    /// Its length in UTF-16 units, as JS counts it.
    fn utf16_len(&self) -> usize;
}

impl BodyText for String {
    fn utf16_len(&self) -> usize {
        self.encode_utf16().count()
    }
}

/// What tabs tell each other.
#[derive(Clone, Debug, PartialEq)]
pub enum TabMessage<B> {
    /// A tab joined: the leader answers with what it has.
    Hello,
    /// A follower's user wants fresh data now.
    Refresh,
    /// A follower's data is overdue: does the leader still poll?
    Ask,
    /// A visible follower wants a refresh every `interval_ms`.
    Wanted { interval_ms: f64 },
    /// A good `GetAll` body's text and when it arrived. Text, not a parsed value: a
    /// structured clone can carry what JSON cannot (sparse arrays of any length,
    /// shared sub-objects), and text goes through the same checks as an answer.
    Data { body: B, at: f64 },
    /// The last attempt failed; `next` is when the leader tries again.
    Failed { error: ApiError, next: Option<f64> },
    /// Topic names and opening states the leader has resolved.
    Topics(Vec<(i32, TopicInfo)>),
}

/// A message as posted: one object whose `kind` says which members count.
#[derive(Deserialize)]
pub(super) struct Envelope<B> {
    #[serde(default)]
    kind: Member,
    #[serde(default)]
    interval: Member,
    #[serde(default = "Option::default")]
    body: Option<B>,
    #[serde(default)]
    at: Member,
    #[serde(default)]
    code: Member,
    #[serde(default)]
    status: Member,
    #[serde(default)]
    detail: Member,
    #[serde(default)]
    next: Member,
    #[serde(default)]
    age: Member,
    #[serde(default)]
    wait: Member,
    #[serde(default)]
    topics: Option<Entries>,
}

impl<B: DeserializeOwned> Struct for Envelope<B> {
    const FIELDS: &'static [&'static str] = &[
        "kind", "interval", "body", "at", "code", "status", "detail", "next", "age", "wait",
        "topics",
    ];
}

impl<B: BodyText + DeserializeOwned> TabMessage<B> {
    /// Reads a message another tab posted, at time `now`; `None` for anything not
    /// understood.
    pub fn read<'de, D: Deserializer<'de>>(data: D, now: f64) -> Option<TabMessage<B>> {
        let Object(envelope) = Object::<Envelope<B>>::deserialize(data).ok()?;
        envelope.message(now)
    }
}

impl<B: BodyText> Envelope<B> {
    fn message(self, now: f64) -> Option<TabMessage<B>> {
        Some(match self.kind.short_str(16)? {
            "hello" => TabMessage::Hello,
            "refresh" => TabMessage::Refresh,
            "ask" => TabMessage::Ask,
            "wanted" => {
                let interval_ms = self.interval.as_f64()?;
                let (min, max) = (
                    f64::from(MIN_REFRESH_SECONDS) * 1000.0,
                    f64::from(MAX_REFRESH_SECONDS) * 1000.0,
                );
                (interval_ms >= min && interval_ms <= max)
                    .then_some(TabMessage::Wanted { interval_ms })?
            }
            "data" => {
                let at = match self.age.finite() {
                    Some(age) => Some(now - age),
                    None => self.at.as_f64(),
                };
                let at = at.filter(|at| plausible_time(*at, now))?;
                let body = self.body.filter(|b| b.utf16_len() <= MAX_BODY_CHARS)?;
                TabMessage::Data { body, at }
            }
            "failed" => {
                let code = self.code.short_str(32)?;
                let status = self
                    .status
                    .as_f64()
                    .filter(|s| s.fract() == 0.0 && (0.0..1000.0).contains(s))
                    .map_or(0, |s| s as u16);
                // Cut, not refused: the error itself is worth showing.
                let detail = self
                    .detail
                    .as_str()
                    .map(|detail| detail.chars().take(MAX_DETAIL_CHARS).collect());
                let next = match self.wait.finite() {
                    Some(wait) => Some(now + wait),
                    None => self.next.finite(),
                };
                let next =
                    next.filter(|next| *next >= now - 60_000.0 && *next <= now + MAX_NEXT_MS);
                TabMessage::Failed {
                    error: ApiError::from_parts(code, status, detail),
                    next,
                }
            }
            "topics" => TabMessage::Topics(
                self.topics?
                    .items
                    .iter()
                    .take(MAX_TOPIC_ENTRIES)
                    .filter_map(|entry| entry.topic())
                    .collect(),
            ),
            _ => return None,
        })
    }
}
