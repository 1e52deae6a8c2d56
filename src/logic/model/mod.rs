//! Chat presence as the widget understands it, decoded tolerantly from
//! `GET {base}/v1/Presence/GetAll`.
//!
//! The decoder accepts anything: unknown members are ignored, `null` and missing
//! members get defaults, and a row it cannot identify is skipped and counted, so one
//! bad row never hides the other agents.

use crate::logic::json::Value;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One chat agent's presence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agent {
    pub user_id: i32,
    /// The display name, trimmed; `None` when missing or blank (shown as "User <id>").
    pub name: Option<String>,
    pub present: bool,
    pub ongoing_chats: u32,
    /// Chat topic ids, each once, in the order the server sent them.
    pub topics: Vec<i32>,
}

impl Agent {
    /// The name to show, or `fallback(user_id)` when the server sent none.
    pub fn display_name(&self, fallback: impl FnOnce(i32) -> String) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => fallback(self.user_id),
        }
    }
}

/// What is known of a chat topic, from `ChatTopic/{id}` and `ChatTopic/{id}/IsOpen`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TopicInfo {
    /// The topic's name; `None` until resolved, or when it cannot be.
    pub name: Option<String>,
    /// Whether the topic is open now; `None` when unknown.
    pub open: Option<bool>,
}

/// The decoded presence list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    pub agents: Vec<Agent>,
    /// Rows without a usable `UserId` (or repeating one already seen), left out.
    pub skipped: usize,
}

/// Why a `GetAll` body could not be read as a presence list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The body was valid JSON but not an array: `kind` says what it was and `message`
    /// carries the server's own words when it sent `{"Message": …}` or an error body.
    NotAList {
        kind: &'static str,
        message: Option<String>,
    },
}

/// Decodes a `Presence/GetAll` body. Never panics, whatever the input.
pub fn decode_presence(body: &Value) -> Result<Roster, DecodeError> {
    let rows = body.as_array().ok_or_else(|| DecodeError::NotAList {
        kind: body.kind(),
        message: server_message(body),
    })?;
    Ok(decode_rows(rows))
}

/// Most rows read from one body (the largest tenants have a few thousand agents).
pub const MAX_ROWS: usize = 50_000;

/// The members of a row the decoder reads; the rest (`FieldProperties`, unknown
/// members) are skipped without being converted.
const ROW_MEMBERS: &[&str] = &[
    "UserId",
    "DisplayName",
    "OngoingChats",
    "Present",
    "ChatTopics",
];

/// A `GetAll` body read in one pass for what the widget uses: the rows' wanted
/// members, or (when the body is not a list) the body itself, for its message.
/// Decoding it gives exactly what [`decode_presence`] gives for the whole body.
#[derive(Clone, Debug, PartialEq)]
pub enum LeanBody {
    Rows(Vec<Value>),
    Other(Value),
}

/// Decodes a [`LeanBody`]; the same rules as [`decode_presence`].
pub fn decode_lean(body: &LeanBody) -> Result<Roster, DecodeError> {
    match body {
        LeanBody::Rows(rows) => Ok(decode_rows(rows)),
        LeanBody::Other(value) => decode_presence(value),
    }
}

fn decode_rows(rows: &[Value]) -> Roster {
    let mut roster = Roster {
        agents: Vec::with_capacity(rows.len()),
        skipped: 0,
    };
    let mut seen = std::collections::HashSet::with_capacity(rows.len());
    for row in rows {
        match decode_agent(row) {
            Some(agent) if seen.insert(agent.user_id) => roster.agents.push(agent),
            _ => roster.skipped += 1,
        }
    }
    roster
}

impl<'de> Deserialize<'de> for LeanBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BodyVisitor;
        impl<'de> Visitor<'de> for BodyVisitor {
            type Value = LeanBody;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a presence list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LeanBody, A::Error> {
                let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(LeanRow(row)) = seq.next_element()? {
                    if rows.len() >= MAX_ROWS {
                        return Err(serde::de::Error::custom("too many rows"));
                    }
                    rows.push(row);
                }
                Ok(LeanBody::Rows(rows))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<LeanBody, A::Error> {
                let value = Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(LeanBody::Other(value))
            }
            fn visit_bool<E>(self, v: bool) -> Result<LeanBody, E> {
                Ok(LeanBody::Other(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<LeanBody, E> {
                Ok(LeanBody::Other(Value::Number(v as f64)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<LeanBody, E> {
                Ok(LeanBody::Other(Value::Number(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<LeanBody, E> {
                Ok(LeanBody::Other(Value::Number(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<LeanBody, E> {
                Ok(LeanBody::Other(Value::String(v.to_owned())))
            }
            fn visit_none<E>(self) -> Result<LeanBody, E> {
                Ok(LeanBody::Other(Value::Null))
            }
            fn visit_unit<E>(self) -> Result<LeanBody, E> {
                Ok(LeanBody::Other(Value::Null))
            }
        }
        deserializer.deserialize_any(BodyVisitor)
    }
}

/// One row: an object of its wanted members, or `Null` for a row that is not an object.
struct LeanRow(Value);

impl<'de> Deserialize<'de> for LeanRow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = LeanRow;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a presence row")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LeanRow, A::Error> {
                let mut members: Vec<(String, Value)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let wanted = ROW_MEMBERS.iter().any(|m| m.eq_ignore_ascii_case(&key));
                    if wanted && !members.iter().any(|(k, _)| *k == key) {
                        let value = map.next_value::<Value>()?;
                        members.push((key, value));
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(LeanRow(Value::Object(members)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LeanRow, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LeanRow(Value::Null))
            }
            fn visit_bool<E>(self, _: bool) -> Result<LeanRow, E> {
                Ok(LeanRow(Value::Null))
            }
            fn visit_i64<E>(self, _: i64) -> Result<LeanRow, E> {
                Ok(LeanRow(Value::Null))
            }
            fn visit_u64<E>(self, _: u64) -> Result<LeanRow, E> {
                Ok(LeanRow(Value::Null))
            }
            fn visit_f64<E>(self, _: f64) -> Result<LeanRow, E> {
                Ok(LeanRow(Value::Null))
            }
            fn visit_str<E>(self, _: &str) -> Result<LeanRow, E> {
                Ok(LeanRow(Value::Null))
            }
            fn visit_none<E>(self) -> Result<LeanRow, E> {
                Ok(LeanRow(Value::Null))
            }
            fn visit_unit<E>(self) -> Result<LeanRow, E> {
                Ok(LeanRow(Value::Null))
            }
        }
        deserializer.deserialize_any(RowVisitor)
    }
}

/// Decodes one row, or `None` when it has no usable `UserId`.
pub fn decode_agent(row: &Value) -> Option<Agent> {
    let user_id = row.get("UserId")?.as_i32()?;
    let name = row
        .get("DisplayName")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    let present = row.get("Present").and_then(Value::as_bool).unwrap_or(false);
    let ongoing_chats = row
        .get("OngoingChats")
        .and_then(Value::as_f64)
        .filter(|n| n.is_finite() && *n > 0.0)
        .map_or(0, |n| n.min(u32::MAX as f64) as u32);
    let mut topics: Vec<i32> = Vec::new();
    for id in row
        .get("ChatTopics")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_i32)
    {
        if !topics.contains(&id) {
            topics.push(id);
        }
    }
    Some(Agent {
        user_id,
        name,
        present,
        ongoing_chats,
        topics,
    })
}

/// The human-readable message of a SuperOffice error body (`ErrorMessage`) or of an
/// Agents-style answer (`Message`), if the value carries one.
pub fn server_message(body: &Value) -> Option<String> {
    ["ErrorMessage", "Message"]
        .iter()
        .filter_map(|key| body.get(key).and_then(Value::as_str))
        .map(str::trim)
        .find(|message| !message.is_empty())
        .map(|message| {
            // A hostile or verbose server must not flood the widget.
            let mut short: String = message.chars().take(300).collect();
            if short.len() < message.len() {
                short.push('…');
            }
            short
        })
}

#[cfg(test)]
mod tests;
