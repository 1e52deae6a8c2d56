//! What `GetAll` answers instead of its rows (`--malformed KIND`): each way a body
//! from a real server, proxy or broken deployment can be wrong, one variant each.

use crate::data;
use crate::deep;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Malformed {
    /// The rows, as they should be.
    None,
    /// An HTML error page.
    NotJson,
    /// JSON cut off in the middle of a row.
    Truncated,
    /// An object instead of the rows.
    Object,
    /// `null`.
    Null,
    /// SuperOffice's error body, with status 200.
    #[value(name = "error-200")]
    #[serde(rename = "error-200")]
    Error200,
    /// The rows plus rows that cannot be read (no id, wrong types, hostile text).
    BadRows,
    /// No rows.
    Empty,
    /// The rows, but the first row's `ChatTopics` is `[[[...]]]`, 50,000 deep.
    DeepRow,
    /// The rows, but the first row's `ChatTopics` is `{"Mask":{"Mask":...}}`.
    DeepObject,
    /// The whole body is `[[[...]]]`, 50,000 deep.
    DeepBody,
    /// 500 with `{"ErrorMessage":"deep error","Details":[[[...]]]}`.
    DeepError,
    /// A chunked list of rows that never ends.
    Endless,
    /// The largest body the widget reads: 50,000 agents, each in 100 topics.
    Largest,
}

fn json_text(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

impl Malformed {
    /// The answer for the tenant's `agents`.
    pub fn answer(self, agents: &[data::Agent]) -> Response {
        let rows = || agents.iter().map(data::Agent::to_json).collect::<Vec<_>>();
        match self {
            Malformed::None => json_text(Value::Array(rows()).to_string()),
            Malformed::NotJson => (
                [(header::CONTENT_TYPE, "text/html")],
                "<html><body><h1>Service Unavailable</h1></body></html>",
            )
                .into_response(),
            Malformed::Truncated => json_text(r#"[{"UserId": 101, "DisplayName": "Åse Ø"#.into()),
            Malformed::Object => json_text(
                r#"{"Message":"An error has occurred.","MessageDetail":"Presence store unavailable"}"#
                    .into(),
            ),
            Malformed::Null => json_text("null".into()),
            Malformed::Error200 => json_text(
                json!({"Error": true, "ErrorType": "SoException",
                       "ErrorMessage": "Chat is not licensed for this installation",
                       "ErrorSource": "SuperOffice.WebApi"})
                .to_string(),
            ),
            Malformed::Empty => json_text("[]".into()),
            Malformed::DeepRow => json_text(rows_with_first_chat_topics(
                agents,
                &deep::array(deep::DEPTH),
            )),
            Malformed::DeepObject => json_text(rows_with_first_chat_topics(
                agents,
                &deep::object(deep::DEPTH),
            )),
            Malformed::DeepBody => json_text(deep::array(deep::DEPTH)),
            Malformed::DeepError => (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "application/json")],
                deep::splice_field(
                    r#"{"ErrorMessage":"deep error"}"#,
                    "Details",
                    &deep::array(deep::DEPTH),
                ),
            )
                .into_response(),
            Malformed::Endless => endless(),
            Malformed::Largest => json_text(largest()),
            Malformed::BadRows => {
                let mut rows = rows();
                rows.extend([
                    json!({"DisplayName": "Row without id", "Present": true}),
                    json!({"UserId": null}),
                    json!("not a row"),
                    json!({"UserId": 990, "DisplayName": null, "OngoingChats": -2, "Present": null,
                           "ChatTopics": [11, 11, "x", null], "TableRight": null, "FieldProperties": null,
                           "Unexpected": {"nested": [1, 2, 3]}}),
                    json!({"UserId": 991, "DisplayName": "<img src=x onerror=alert(1)>", "Present": true,
                           "OngoingChats": 1e9, "ChatTopics": 12}),
                ]);
                json_text(Value::Array(rows).to_string())
            }
        }
    }
}

/// The agents' rows as a JSON array, the first row's `ChatTopics` (a member the
/// widget reads) replaced by the JSON text `chat_topics`.
fn rows_with_first_chat_topics(agents: &[data::Agent], chat_topics: &str) -> String {
    let mut body = String::from("[");
    for (i, agent) in agents.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        let mut row = agent.to_json();
        if i == 0 {
            if let Value::Object(fields) = &mut row {
                fields.remove("ChatTopics");
            }
            body.push_str(&deep::splice_field(
                &row.to_string(),
                "ChatTopics",
                chat_topics,
            ));
        } else {
            body.push_str(&row.to_string());
        }
    }
    body.push(']');
    body
}

/// 50,000 rows of 100 topics each (ids 1–1,000), half of them present: every
/// bound of the widget's reader reached at once (`MAX_ROWS`, `MAX_TOPICS`).
fn largest() -> String {
    use std::fmt::Write;
    let mut body = String::with_capacity(30 << 20);
    body.push('[');
    for i in 0..50_000u32 {
        if i > 0 {
            body.push(',');
        }
        let topics: Vec<String> = (0..100)
            .map(|t| (1 + (i * 7 + t * 13) % 1000).to_string())
            .collect();
        let _ = write!(
            body,
            r#"{{"UserId":{},"DisplayName":"Agent {}","Present":{},"OngoingChats":{},"ChatTopics":[{}]}}"#,
            i + 1,
            i + 1,
            i % 2 == 0,
            i % 4,
            topics.join(",")
        );
    }
    body.push(']');
    body
}

/// A `GetAll` answer that never ends (no `Content-Length`, chunked): rows, 72 KB a
/// chunk, for as long as the client reads.
fn endless() -> Response {
    use futures_util::stream::{self, StreamExt};
    let rows = axum::body::Bytes::from(r#"{"UserId":1,"DisplayName":"Again"},"#.repeat(2_000));
    let head = stream::once(async { axum::body::Bytes::from_static(b"[") });
    let body = head
        .chain(stream::repeat(rows))
        .map(Ok::<_, std::convert::Infallible>);
    (
        [(header::CONTENT_TYPE, "application/json")],
        axum::body::Body::from_stream(body),
    )
        .into_response()
}
