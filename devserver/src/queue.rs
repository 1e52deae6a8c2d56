//! The chat queue: sessions waiting to be picked up in the tenant's topics, as
//! SuperOffice gives them (`shared/api/superoffice-chat-queue.md`): the `ChatSession`
//! archive list with its OData subset, `ChatSession/ForCurrentUser`, and each
//! topic's members (`ChatTopic/{id}/UserAgent`).
//!
//! Choices where SuperOffice's docs are silent (the widget must survive the others):
//! - `status` is the number (`4`) with `$mode=Full`, its display text (`"Waiting"`)
//!   without;
//! - a column whose name holds `/` keeps it (`chatTopic/chatTopicId`), and with
//!   `$jsonSafe=true` has it as `_` (`chatTopic_chatTopicId`);
//! - datetimes are in the tenant's base zone, an hour east of UTC, written without an
//!   offset, unless the request says `SO-TimeZone: UTC` (then in UTC), with
//!   `includeTZOffset` also writing the offset (`+0000`). A tenant without time zones
//!   (`--no-time-zones`) ignores the header.

use crate::api::error_body;
use crate::data::{self, Agent, Rng};
use crate::session::session_user;
use crate::state::Shared;
use axum::{
    extract::{OriginalUri, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use axum_extra::extract::CookieJar;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

/// The tenant's base time zone: an hour east of UTC (a Norwegian tenant in winter).
pub const BASE_OFFSET_SECONDS: i64 = 3600;
/// Most rows one `ChatSession` answer holds, whatever `$top` asks.
const MAX_TOP: usize = 1000;
/// The status of a session waiting to be picked up.
const IN_QUEUE: i32 = 4;

/// One session waiting in a topic.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    pub id: i32,
    pub topic: i32,
    /// When the customer asked for a chat (s since the epoch, UTC).
    pub requested: i64,
    /// Pending sessions in its topic + 1 when it was requested.
    pub initial_position: usize,
}

/// The sessions waiting now, oldest first.
#[derive(Clone, Debug, Default)]
pub struct Queue {
    pub waiting: Vec<Waiting>,
    next_id: i32,
}

pub fn now_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Queue {
    /// `n` sessions waiting in the seed's topics, requested in the last 15 minutes.
    pub fn new(n: usize, now: i64, rng: &mut Rng) -> Queue {
        let mut queue = Queue {
            waiting: Vec::new(),
            next_id: 5001,
        };
        let mut ages: Vec<i64> = (0..n).map(|_| rng.below(15 * 60) as i64).collect();
        ages.sort_unstable_by(|a, b| b.cmp(a));
        for age in ages {
            let topic = data::TOPICS[rng.below(data::TOPICS.len())].id;
            queue.arrive(topic, now - age);
        }
        queue
    }

    fn arrive(&mut self, topic: i32, requested: i64) {
        let initial_position = self.waiting.iter().filter(|w| w.topic == topic).count() + 1;
        self.waiting.push(Waiting {
            id: self.next_id,
            topic,
            requested,
            initial_position,
        });
        self.next_id += 1;
    }

    /// One drift step: a customer may ask for a chat, and the oldest waiting in a
    /// topic with an agent available may be picked up.
    pub fn step(&mut self, agents: &[Agent], now: i64, rng: &mut Rng) {
        if rng.unit() < 0.4 {
            let topic = data::TOPICS[rng.below(data::TOPICS.len())].id;
            self.arrive(topic, now);
        }
        let answered = self.waiting.iter().position(|w| {
            agents
                .iter()
                .any(|a| a.present && a.topics.contains(&w.topic))
        });
        if let Some(index) = answered {
            if rng.unit() < 0.5 {
                self.waiting.remove(index);
            }
        }
    }
}

/// How a request asks for its datetimes (`SO-TimeZone`), as this tenant honours it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dates {
    /// Seconds east of UTC of the zone they are written in.
    offset: i64,
    /// The offset is written (`includeTZOffset`).
    written: bool,
}

impl Dates {
    /// From the `SO-TimeZone` header; a tenant without time zones ignores it.
    pub fn of(header: Option<&str>, time_zones: bool) -> Dates {
        let base = Dates {
            offset: BASE_OFFSET_SECONDS,
            written: false,
        };
        let Some(header) = header.filter(|_| time_zones) else {
            return base;
        };
        let mut parts = header.split(',').map(str::trim);
        let utc =
            matches!(parts.next(), Some(zone) if zone.eq_ignore_ascii_case("UTC") || zone == "1");
        let written = parts.any(|p| p.eq_ignore_ascii_case("includeTZOffset"));
        Dates {
            // This tenant knows UTC and its own zone only.
            offset: if utc { 0 } else { BASE_OFFSET_SECONDS },
            written,
        }
    }

    /// `seconds` (since the epoch, UTC) as SuperOffice writes a datetime.
    pub fn format(self, seconds: i64) -> String {
        let local = seconds + self.offset;
        let (days, time) = (local.div_euclid(86_400), local.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        let clock = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            time / 3600,
            time % 3600 / 60,
            time % 60
        );
        if !self.written {
            return clock;
        }
        let sign = if self.offset < 0 { '-' } else { '+' };
        let minutes = self.offset.abs() / 60;
        format!("{clock}{sign}{:02}{:02}", minutes / 60, minutes % 60)
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The archive's columns this tenant serves, by their archive names.
const COLUMNS: &[&str] = &[
    "chatSessionId",
    "whenRequested",
    "status",
    "chatTopic/chatTopicId",
    "chatTopic/name",
    "timeInQueue",
    "queueLength",
];

/// What an OData list request asks, or why it cannot be answered.
#[derive(Debug, PartialEq)]
pub struct ListQuery {
    columns: Vec<&'static str>,
    /// Statuses the filter keeps (`None`: every status).
    statuses: Option<Vec<i32>>,
    top: usize,
    skip: usize,
    full: bool,
    json_safe: bool,
}

impl ListQuery {
    pub fn parse(params: &HashMap<String, String>) -> Result<ListQuery, String> {
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim())
        };
        let columns = match get("$select") {
            None | Some("") => COLUMNS.to_vec(),
            Some(list) => list
                .split(',')
                .map(|name| {
                    let name = name.trim();
                    COLUMNS
                        .iter()
                        .find(|c| c.eq_ignore_ascii_case(name))
                        .copied()
                        .ok_or_else(|| format!("Unknown column '{name}' in $select"))
                })
                .collect::<Result<_, _>>()?,
        };
        let statuses = get("$filter").map(status_filter).transpose()?;
        let number = |name: &str, default: usize| match get(name) {
            None => Ok(default),
            Some(n) => n.parse().map_err(|_| format!("{name} is not a number")),
        };
        let flag = |name: &str| {
            get(name).is_some_and(|v| v.eq_ignore_ascii_case("full") || v == "true" || v == "1")
        };
        Ok(ListQuery {
            columns,
            statuses,
            top: number("$top", MAX_TOP)?.min(MAX_TOP),
            skip: number("$skip", 0)?,
            full: flag("$mode"),
            json_safe: flag("$jsonSafe"),
        })
    }
}

/// `status = 4` or `status in (4,5)`; nothing else.
fn status_filter(filter: &str) -> Result<Vec<i32>, String> {
    let refuse = || {
        format!("Unsupported $filter '{filter}' (this tenant knows status = N and status in (N,…))")
    };
    let rest = filter
        .trim()
        .strip_prefix("status")
        .ok_or_else(refuse)?
        .trim_start();
    let list = if let Some(value) = rest.strip_prefix('=') {
        value.to_owned()
    } else {
        let rest = rest.strip_prefix("in").ok_or_else(refuse)?.trim();
        rest.strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .ok_or_else(refuse)?
            .to_owned()
    };
    list.split(',')
        .map(|n| n.trim().parse().map_err(|_| refuse()))
        .collect()
}

/// The display text of a status, as the archive shows it without `$mode=Full`.
fn status_text(status: i32) -> &'static str {
    match status {
        IN_QUEUE => "Waiting",
        _ => "Other",
    }
}

fn topic_name(id: i32) -> String {
    data::topic(id).map_or_else(|| format!("Topic {id}"), |t| t.name.to_owned())
}

/// The archive's page of `queue` for `query`, with `odata.nextLink` when more rows
/// follow (`path` is the request's path and query, to carry on from).
pub fn archive_page(queue: &Queue, query: &ListQuery, dates: Dates, now: i64, path: &str) -> Value {
    let wanted = |status: i32| query.statuses.as_ref().is_none_or(|s| s.contains(&status));
    let rows: Vec<&Waiting> = if wanted(IN_QUEUE) {
        queue.waiting.iter().collect()
    } else {
        Vec::new()
    };
    let page = rows.iter().skip(query.skip).take(query.top);
    let value: Vec<Value> = page
        .map(|w| {
            let mut row = Map::new();
            row.insert("PrimaryKey".into(), json!(w.id));
            row.insert("EntityName".into(), json!("chatsession"));
            for column in &query.columns {
                let cell = match *column {
                    "chatSessionId" => json!(w.id),
                    "whenRequested" => json!(dates.format(w.requested)),
                    "status" if query.full => json!(IN_QUEUE),
                    "status" => json!(status_text(IN_QUEUE)),
                    "chatTopic/chatTopicId" => json!(w.topic),
                    "chatTopic/name" => json!(topic_name(w.topic)),
                    "timeInQueue" => json!((now - w.requested).max(0)),
                    "queueLength" => json!(w.initial_position - 1),
                    _ => Value::Null,
                };
                let name = if query.json_safe {
                    column.replace('/', "_")
                } else {
                    (*column).to_owned()
                };
                row.insert(name, cell);
            }
            Value::Object(row)
        })
        .collect();
    let mut answer = json!({
        "odata.metadata": "https://localhost/api/v1/$metadata#ChatSession",
        "value": value,
    });
    let next = query.skip + query.top;
    if next < rows.len() {
        let without_skip: Vec<&str> = path
            .split(['?', '&'])
            .skip(1)
            .filter(|p| {
                !p.to_ascii_lowercase().starts_with("%24skip=")
                    && !p.to_ascii_lowercase().starts_with("$skip=")
            })
            .collect();
        let base = path.split('?').next().unwrap_or(path);
        let mut query = without_skip.join("&");
        if !query.is_empty() {
            query.push('&');
        }
        answer["odata.nextLink"] = json!(format!("{base}?{query}$skip={next}"));
    }
    answer
}

/// A waiting session as `ChatSessionEntity` (`ChatSession/ForCurrentUser`).
fn entity(w: &Waiting, dates: Dates) -> Value {
    json!({
        "ChatSessionId": w.id,
        "TopicId": w.topic,
        "User": null,
        "CustomerAlias": format!("Visitor {}", w.id),
        "CustomerName": "",
        "Status": "InQueue",
        "WhenRequested": dates.format(w.requested),
        "WhenStarted": "0001-01-01T00:00:00",
        "WhenEnded": "0001-01-01T00:00:00",
        "InitialQueuePos": w.initial_position,
        "ChatbotIsActive": false,
        "TableRight": { "Mask": "Select", "Reason": "" },
        "FieldProperties": {}
    })
}

/// Whether `user` may respond in `topic` (a few members may only listen).
pub fn can_respond(user: i32, topic: i32) -> bool {
    (user + topic) % 7 != 0
}

fn dates_of(headers: &HeaderMap, time_zones: bool) -> Dates {
    let header = headers.get("so-timezone").and_then(|v| v.to_str().ok());
    Dates::of(header, time_zones)
}

/// `GET …/v1/ChatSession`: the archive list, its OData subset only.
pub async fn chat_sessions(
    State(state): State<Shared>,
    Query(params): Query<HashMap<String, String>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let mut t = state.lock().expect("state lock");
    if t.switches.sessions_forbidden {
        return error_body(
            StatusCode::FORBIDDEN,
            "SoAccessDeniedException",
            "You do not have access to chat sessions",
        );
    }
    let query = match ListQuery::parse(&params) {
        Ok(query) => query,
        Err(message) => {
            return error_body(StatusCode::BAD_REQUEST, "SoArgumentException", &message)
        }
    };
    t.drift_to_now();
    let dates = dates_of(&headers, !t.switches.no_time_zones);
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    Json(archive_page(&t.queue, &query, dates, now_seconds(), path)).into_response()
}

/// `GET …/v1/ChatSession/ForCurrentUser`: the sessions waiting in the user's topics.
pub async fn for_current_user(
    State(state): State<Shared>,
    jar: CookieJar,
    headers: HeaderMap,
) -> Response {
    let mut t = state.lock().expect("state lock");
    t.drift_to_now();
    let user = session_user(&t.sessions, &jar, t.switches.principal);
    let topics: Vec<i32> = t
        .agents
        .iter()
        .find(|a| a.user_id == user)
        .map(|a| a.topics.clone())
        .unwrap_or_default();
    let dates = dates_of(&headers, !t.switches.no_time_zones);
    let sessions: Vec<Value> = t
        .queue
        .waiting
        .iter()
        .filter(|w| topics.contains(&w.topic))
        .map(|w| entity(w, dates))
        .collect();
    Json(sessions).into_response()
}

/// `GET …/v1/ChatTopic/{id}/UserAgent`: the topic's members and their rights.
pub async fn user_agents(
    State(state): State<Shared>,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    let id = params
        .get("id")
        .and_then(|id| id.parse().ok())
        .unwrap_or(-1);
    if data::topic(id).is_none() {
        return error_body(
            StatusCode::NOT_FOUND,
            "SoNotFoundException",
            &format!("ChatTopic id {id} not found"),
        );
    }
    let t = state.lock().expect("state lock");
    let members: Vec<Value> = t
        .agents
        .iter()
        .filter(|a| a.topics.contains(&id))
        .map(|a| {
            json!({
                "TopicId": id,
                "User": {
                    "AssociateId": a.user_id + 10_000,
                    "FullName": a.name,
                    "EjUserId": a.user_id,
                },
                "CanListen": true,
                "CanRespond": can_respond(a.user_id, id),
                "CanManage": false,
                "CanNotify": true,
            })
        })
        .collect();
    Json(members).into_response()
}
