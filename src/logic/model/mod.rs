//! Chat presence as the widget understands it (read from the Web API's answers by
//! [`crate::logic::wire::presence`]).

/// One chat agent's presence (tests build one with struct update from `default()`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
    /// Rows that could not be read, had no usable `UserId` or repeated one, left out.
    pub skipped: usize,
}

impl Roster {
    /// The agent with this chat user id, if the list has one.
    pub fn agent(&self, user_id: i32) -> Option<&Agent> {
        self.agents.iter().find(|agent| agent.user_id == user_id)
    }
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
