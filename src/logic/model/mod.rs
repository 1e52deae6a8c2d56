//! Chat presence as the widget understands it, decoded tolerantly from
//! `GET {base}/v1/Presence/GetAll`.
//!
//! The decoder accepts anything: unknown members are ignored, `null` and missing
//! members get defaults, and a row it cannot identify is skipped and counted, so one
//! bad row never hides the other agents.

use crate::logic::json::{JsonError, Parser, Value};
use std::collections::HashSet;

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

/// Most chat topics read per agent (each is checked against those before it): an
/// agent is in a handful, and a list of millions must not freeze the page.
pub const MAX_TOPICS: usize = 100;

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

/// Why a `GetAll` body's text gave no roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Not JSON, or JSON beyond the parser's limits.
    NotJson(JsonError),
    /// JSON, but not a presence list.
    Unexpected(DecodeError),
}

/// Reads a `GetAll` body's text in one pass, building only the members of each row
/// that the widget uses (the rest, such as `FieldProperties`, are checked and
/// skipped). Gives exactly what [`decode_presence`] gives for the parsed body.
pub fn read_presence(text: &str) -> Result<Roster, ReadError> {
    let mut parser = Parser::new(text);
    if parser.peek() != Some(b'[') {
        let body = parser.value().map_err(ReadError::NotJson)?;
        parser.end().map_err(ReadError::NotJson)?;
        return decode_presence(&body).map_err(ReadError::Unexpected);
    }
    let mut roster = Roster::default();
    let mut seen = HashSet::new();
    let mut rows = 0;
    parser
        .array(|parser| {
            rows += 1;
            if rows > MAX_ROWS {
                return Err(JsonError::TooMany);
            }
            let row = if parser.peek() == Some(b'{') {
                lean_row(parser)?
            } else {
                parser.skip()?;
                Value::Null
            };
            roster.add(decode_agent(&row), &mut seen);
            Ok(())
        })
        .and_then(|()| parser.end())
        .map_err(ReadError::NotJson)?;
    Ok(roster)
}

/// One row's object with only its [`ROW_MEMBERS`] built.
fn lean_row(parser: &mut Parser) -> Result<Value, JsonError> {
    let mut members: Vec<(String, Value)> = Vec::new();
    parser.object(|parser, key| {
        let wanted = ROW_MEMBERS.iter().any(|m| m.eq_ignore_ascii_case(&key));
        if !wanted {
            return parser.skip();
        }
        // As in `JSON.parse`: a repeated key keeps its first place and its last value.
        // Wanted keys are matched ignoring case, so a hostile row could spell them
        // thousands of ways: only the first 32 spellings are kept, which keeps this
        // look-up short.
        let value = parser.value()?;
        let kept = members.len();
        match members.iter_mut().find(|(k, _)| *k == key) {
            Some(member) => member.1 = value,
            None if kept < 32 => members.push((key, value)),
            None => {}
        }
        Ok(())
    })?;
    Ok(Value::Object(members))
}

fn decode_rows(rows: &[Value]) -> Roster {
    let mut roster = Roster::default();
    let mut seen = HashSet::with_capacity(rows.len());
    for row in rows {
        roster.add(decode_agent(row), &mut seen);
    }
    roster
}

impl Roster {
    /// Adds a decoded row: an agent whose user id is new, or one more skipped row.
    fn add(&mut self, agent: Option<Agent>, seen: &mut HashSet<i32>) {
        match agent {
            Some(agent) if seen.insert(agent.user_id) => self.agents.push(agent),
            _ => self.skipped += 1,
        }
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
        .take(MAX_TOPICS)
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
