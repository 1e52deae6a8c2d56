//! The chat queue's answers: rows of the `ChatSession` archive list (the column
//! names as the archive gives them, with or without `$jsonSafe`) and the entities of
//! `ChatSession/ForCurrentUser`. Status comes as the number (`4`) or as its name
//! (`InQueue`, or the text the archive shows, `Waiting`); rows of any other status
//! are not waiting, and rows that cannot be read are skipped and counted.

use super::member::{Member, Object, Struct};
use super::List;
use crate::logic::queue::{Stamp, Waiting};
use serde::Deserialize;

/// Most sessions one answer may hold (the request's `$top`); a longer list is
/// refused whole.
pub const MAX_SESSIONS: usize = 1_000;

/// The status of a session waiting to be picked up.
const IN_QUEUE: f64 = 4.0;

/// One session, as an archive row or as an entity.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SessionRow {
    #[serde(rename = "chatSessionId", alias = "ChatSessionId")]
    id: Member,
    #[serde(
        rename = "chatTopic/chatTopicId",
        alias = "chatTopic_chatTopicId",
        alias = "TopicId"
    )]
    topic: Member,
    #[serde(rename = "whenRequested", alias = "WhenRequested")]
    when_requested: Member,
    #[serde(rename = "status", alias = "Status")]
    status: Member,
}

impl Struct for SessionRow {
    const FIELDS: &'static [&'static str] = &[
        "chatSessionId",
        "ChatSessionId",
        "chatTopic/chatTopicId",
        "chatTopic_chatTopicId",
        "TopicId",
        "whenRequested",
        "WhenRequested",
        "status",
        "Status",
    ];
}

/// What a row is.
enum Read {
    Waiting(Waiting),
    /// In another state: not in the queue.
    Other,
    /// Without a usable id, topic, time or status.
    Unusable,
}

impl SessionRow {
    fn read(self) -> Read {
        let waiting = match (&self.status, self.status.as_str()) {
            (Member::Number(n), _) => *n == IN_QUEUE,
            (_, Some(name)) => ["InQueue", "Waiting"]
                .iter()
                .any(|known| name.trim().eq_ignore_ascii_case(known)),
            _ => return Read::Unusable,
        };
        if !waiting {
            return Read::Other;
        }
        let session = (|| {
            Some(Waiting {
                id: self.id.as_id()?,
                topic: self.topic.as_id()?,
                requested: Stamp::parse(self.when_requested.as_str()?)?,
            })
        })();
        session.map_or(Read::Unusable, Read::Waiting)
    }
}

/// `ChatSession`'s answer: `{"value": [rows], "odata.nextLink": …}`, read as
/// `Object<ArchivePage>` (the derive alone would read an array by position). An
/// answer without its `value` list is no page: in the browser an array reads as an
/// object without members, so that is how one is told apart from an empty queue.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ArchivePage {
    #[serde(rename = "value")]
    value: Option<List<Object<SessionRow>, MAX_SESSIONS>>,
    #[serde(rename = "odata.nextLink")]
    next_link: Member,
}

impl Struct for ArchivePage {
    const FIELDS: &'static [&'static str] = &["value", "odata.nextLink"];
}

/// The sessions waiting, from one answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueRead {
    pub waiting: Vec<Waiting>,
    /// Rows that could not be read.
    pub skipped: usize,
    /// The answer says more rows follow (beyond the request's `$top`).
    pub more: bool,
}

fn read_rows(rows: List<Object<SessionRow>, MAX_SESSIONS>, more: bool) -> QueueRead {
    let mut read = QueueRead {
        waiting: Vec::with_capacity(rows.items.len()),
        skipped: rows.skipped,
        more,
    };
    for Object(row) in rows.items {
        match row.read() {
            Read::Waiting(session) if !read.waiting.iter().any(|w| w.id == session.id) => {
                read.waiting.push(session)
            }
            Read::Other => {}
            _ => read.skipped += 1,
        }
    }
    read
}

impl ArchivePage {
    /// The sessions waiting, or `None` when the answer is no page.
    pub fn sessions(self) -> Option<QueueRead> {
        let more = self.next_link.as_str().is_some_and(|link| !link.is_empty());
        Some(read_rows(self.value?, more))
    }
}

/// `ChatSession/ForCurrentUser`'s answer: a list of entities.
#[derive(Deserialize, Default)]
pub struct UserSessions(List<Object<SessionRow>, MAX_SESSIONS>);

impl UserSessions {
    pub fn sessions(self) -> QueueRead {
        read_rows(self.0, false)
    }
}
