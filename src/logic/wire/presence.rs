//! The Web API's answers: `Presence/GetAll`, `ChatTopic/{id}`, `ChatTopic/{id}/IsOpen`
//! and the error bodies SuperOffice sends with a failure.
//!
//! Tolerant by design: unknown members are ignored, `null`, missing members and
//! members of the wrong kind get defaults, and a row without a usable `UserId` (or
//! repeating one) is skipped and counted, so one bad row never hides the others.
//! SuperOffice writes PascalCase; the camelCase spelling some proxies use is read too.

use super::{List, Member, Object, Struct};
use crate::logic::model::{Agent, DecodeError, Roster};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;

/// Most rows read from one body (the largest tenants have a few thousand agents);
/// a longer body is refused rather than shown cut.
pub const MAX_ROWS: usize = 50_000;
/// Most chat topics read per agent (the rest are passed over): an agent is in a
/// handful, and a list of millions must not freeze the page.
pub const MAX_TOPICS: usize = 100;
/// Most topic items read from one body in all (five per agent of the largest
/// tenants), whatever they hold: a body within the other bounds (50,000 rows of 100
/// topics each) would otherwise be five million items to read, compare and keep.
/// Topics past it are passed over.
pub const MAX_TOPIC_IDS: usize = 250_000;
/// Longest display name or topic name kept (longer ones are cut, with "…").
pub const MAX_NAME_CHARS: usize = 200;
/// Longest server message kept.
pub const MAX_MESSAGE_CHARS: usize = 300;

/// One row of `GetAll`, as far as the widget reads it (`TableRight`,
/// `FieldProperties` and the rest are never looked at).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Row {
    #[serde(rename = "UserId", alias = "userId")]
    user_id: Member,
    #[serde(rename = "DisplayName", alias = "displayName")]
    display_name: Member,
    #[serde(rename = "Present", alias = "present")]
    present: Member,
    #[serde(rename = "OngoingChats", alias = "ongoingChats")]
    ongoing_chats: Member,
    #[serde(rename = "ChatTopics", alias = "chatTopics")]
    chat_topics: Topics,
}

thread_local! {
    /// Topic ids the body being read may still hold (see [`MAX_TOPIC_IDS`]): set
    /// by the body's reader, spent by each row's [`Topics`].
    static TOPIC_IDS_LEFT: Cell<usize> = const { Cell::new(MAX_TOPIC_IDS) };
}

/// An agent's chat topics: their first [`MAX_TOPICS`] distinct ids (within the
/// body's [`MAX_TOPIC_IDS`]), in the order given; anything but a list is none.
#[derive(Default)]
struct Topics(Vec<i32>);

impl<'de> Deserialize<'de> for Topics {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TopicsVisitor)
    }
}

struct TopicsVisitor;

impl<'de> Visitor<'de> for TopicsVisitor {
    type Value = Topics;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of topic ids")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Topics, A::Error> {
        let left = TOPIC_IDS_LEFT.get();
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        // Every pass takes an item, read or not (see `List`), and each costs the
        // body's budget, whatever it turns out to be (a repeat, a string, junk).
        let mut taken = 0;
        while taken < MAX_TOPICS.min(left) {
            taken += 1;
            match seq.next_element::<Member>() {
                Ok(Some(member)) => {
                    if let Some(id) = member.as_id().filter(|id| seen.insert(*id)) {
                        ids.push(id);
                    }
                }
                Ok(None) => break,
                Err(_) => {}
            }
        }
        TOPIC_IDS_LEFT.set(left - taken);
        super::list::drain_seq(&mut seq)?;
        Ok(Topics(ids))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Topics, A::Error> {
        super::list::drain_map(&mut map)?;
        Ok(Topics::default())
    }
    fn visit_unit<E>(self) -> Result<Topics, E> {
        Ok(Topics::default())
    }
    fn visit_none<E>(self) -> Result<Topics, E> {
        Ok(Topics::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Topics, E> {
        Ok(Topics::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Topics, E> {
        Ok(Topics::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Topics, E> {
        Ok(Topics::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Topics, E> {
        Ok(Topics::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Topics, E> {
        Ok(Topics::default())
    }
}

/// The members of a row the widget reads, in both spellings: the decoder's list,
/// and the property tests' (`tests/decode_props.rs` generates rows from it).
pub const ROW_MEMBERS: &[&str] = &[
    "UserId",
    "userId",
    "DisplayName",
    "displayName",
    "Present",
    "present",
    "OngoingChats",
    "ongoingChats",
    "ChatTopics",
    "chatTopics",
];

impl Struct for Row {
    const FIELDS: &'static [&'static str] = ROW_MEMBERS;
}

impl Row {
    /// The agent of this row, or `None` when it has no usable `UserId`.
    fn agent(self) -> Option<Agent> {
        let user_id = self.user_id.as_id()?;
        let ongoing_chats = self
            .ongoing_chats
            .as_f64()
            .filter(|n| n.is_finite() && *n > 0.0)
            .map_or(0, |n| n.min(u32::MAX as f64) as u32);
        let Topics(topics) = self.chat_topics;
        Some(Agent {
            user_id,
            name: self.display_name.clipped(MAX_NAME_CHARS),
            present: self.present.as_bool().unwrap_or(false),
            ongoing_chats,
            topics,
        })
    }
}

/// What a SuperOffice error body (`ErrorMessage`) or an Agents-style answer
/// (`Message`) says.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ServerWords {
    #[serde(rename = "ErrorMessage", alias = "errorMessage")]
    error_message: Member,
    #[serde(rename = "Message", alias = "message")]
    message: Member,
}

impl Struct for ServerWords {
    const FIELDS: &'static [&'static str] = &["ErrorMessage", "errorMessage", "Message", "message"];
}

impl ServerWords {
    /// The server's own words, shortened: a hostile or verbose server must not flood
    /// the widget.
    pub fn message(&self) -> Option<String> {
        [&self.error_message, &self.message]
            .into_iter()
            .find_map(|member| member.clipped(MAX_MESSAGE_CHARS))
    }
}

/// A `GetAll` body: the roster, or what the body was instead of a list.
pub struct PresenceBody(pub Result<Roster, DecodeError>);

impl<'de> Deserialize<'de> for PresenceBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BodyVisitor)
    }
}

struct BodyVisitor;

impl BodyVisitor {
    fn not_a_list<E>(member: Member) -> Result<PresenceBody, E> {
        Ok(PresenceBody(Err(DecodeError::NotAList {
            kind: member.kind(),
            message: None,
        })))
    }
}

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = PresenceBody;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of agents")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<PresenceBody, A::Error> {
        TOPIC_IDS_LEFT.set(MAX_TOPIC_IDS);
        let rows: List<Object<Row>, MAX_ROWS> =
            List::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        let mut roster = Roster {
            agents: Vec::with_capacity(rows.items.len()),
            skipped: rows.skipped,
        };
        let mut seen = HashSet::with_capacity(rows.items.len());
        for Object(row) in rows.items {
            match row.agent() {
                Some(agent) if seen.insert(agent.user_id) => roster.agents.push(agent),
                _ => roster.skipped += 1,
            }
        }
        Ok(PresenceBody(Ok(roster)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PresenceBody, A::Error> {
        let words = ServerWords::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(PresenceBody(Err(DecodeError::NotAList {
            kind: "an object",
            message: words.message(),
        })))
    }
    fn visit_unit<E>(self) -> Result<PresenceBody, E> {
        Self::not_a_list(Member::Missing)
    }
    fn visit_bool<E>(self, value: bool) -> Result<PresenceBody, E> {
        Self::not_a_list(Member::Bool(value))
    }
    fn visit_i64<E>(self, n: i64) -> Result<PresenceBody, E> {
        Self::not_a_list(Member::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<PresenceBody, E> {
        Self::not_a_list(Member::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<PresenceBody, E> {
        Self::not_a_list(Member::Number(n))
    }
    fn visit_str<E>(self, _: &str) -> Result<PresenceBody, E> {
        Self::not_a_list(Member::Text(String::new()))
    }
}

/// `ChatTopic/{id}`: the topic's name, if it has one.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TopicBody {
    #[serde(rename = "Name", alias = "name")]
    name: Member,
}

impl Struct for TopicBody {
    const FIELDS: &'static [&'static str] = &["Name", "name"];
}

impl TopicBody {
    pub fn name(&self) -> Option<String> {
        self.name.clipped(MAX_NAME_CHARS)
    }
}

/// `User/currentPrincipal`: the signed-in user's chat user id (`EjUserId`, the id
/// presence rows carry as `UserId`), if it is a usable one.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PrincipalBody {
    #[serde(rename = "EjUserId")]
    ej_user_id: Member,
}

impl Struct for PrincipalBody {
    const FIELDS: &'static [&'static str] = &["EjUserId"];
}

impl PrincipalBody {
    pub fn chat_user_id(&self) -> Option<i32> {
        self.ej_user_id.as_id().filter(|id| *id > 0)
    }
}
