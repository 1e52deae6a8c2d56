//! A stand-in for a SuperOffice tenant, for developing and testing the widget.
//!
//! It behaves like the real Web API where the widget can tell: sessions in an
//! HttpOnly `ASP.NET_SessionId` cookie, the `XSRF-TOKEN` cookie and header check,
//! 401 with SuperOffice's error body, chat topics with names and opening state, and
//! presence that drifts over time. Switches (flags at start, or `/api/dev/admin` at
//! run time) give tests latency, failures, a logged-out tenant, malformed bodies and
//! up to 10,000 agents. Every route also answers under a tenant path
//! (`/Cust12345/api/...`), as CRM Online does.
//!
//! Switches (admin query parameter / flag):
//!
//! - `agents=N` / `--agents N` (at most 10,000), `latency_ms=MS` / `--latency-ms MS`,
//!   `failure_rate=0..1` / `--failure-rate R`, `logged_out=true|false` /
//!   `--logged-out`, `drift_seconds=S` / `--drift-seconds S` (0 freezes presence).
//! - `malformed=KIND` / `--malformed KIND`: what `GetAll` answers instead of its rows:
//!   `none`, `not-json`, `truncated`, `object`, `null`, `error-200`, `bad-rows`,
//!   `empty`, and the very deeply nested (50,000 levels) ones:
//!   `deep-row` (the rows, but the first row's `ChatTopics` is `[[[...]]]`),
//!   `deep-object` (the first row's `ChatTopics` is `{"Mask":{"Mask":...}}`),
//!   `deep-body` (the whole body is `[[[...]]]`) and `deep-error` (500 with
//!   `{"ErrorMessage":"deep error","Details":[[[...]]]}`); and `endless`, a chunked
//!   list of rows that never ends.
//! - `closed_topics=IDS` / `--closed-topics IDS`: topics whose `IsOpen` is false.
//! - `broken_topics=IDS` / `--broken-topics IDS`: topics whose `ChatTopic/{id}` and
//!   `ChatTopic/{id}/IsOpen` answer 500 with SuperOffice's error body.
//! - `deep_topics=IDS` / `--deep-topics IDS`: topics whose `ChatTopic/{id}` answers
//!   `{"ChatTopicId":id,"Name":"...","Extra":{"Mask":{"Mask":...}}}`, 50,000 deep
//!   (any id, known or not; `broken_topics` wins over it).
//! - `redirect=true|false` / `--redirect`: every Web API route (`GetAll`,
//!   `ChatTopic/{id}`, `IsOpen`) answers `302 Found` with
//!   `Location: /signin-proxy?return=<path>`, as a sign-in proxy in front of the CRM
//!   does once its own session has ended.
//! - `topic_latency_ms=MS` / `--topic-latency-ms MS`: extra delay of the two topic
//!   routes only, so that cards arrive before topic names.
//! - `widget_base=URL` / `--widget-base URL`: where the CRMScript-like panel page
//!   loads the widget from (by default the files origin's `/widget/`).
//! - Admin only: `drift_steps=N`, `change_count=N`, `set_agent=ID&present=..&chats=..`,
//!   `uncover_topic=ID` (every agent in that topic goes away, with no chats),
//!   `end_sessions=true`, `reset_stats=true`, `cache_control=VALUE` (sent with every
//!   `GetAll` answer, e.g. `private, max-age=300`; empty: none), `retry_after=VALUE`
//!   (`GetAll` answers 429 with that `Retry-After`, seconds or an HTTP date; empty:
//!   answers normally).
//!
//! `/api/dev/stats` counts requests per route (`requests`), `GetAll` per API base
//! (`getall_by_base`), per topic id (`topic_requests`, both topic routes), refusals
//! (`unauthorized`), sign-in-proxy redirects (`redirected`), and the last request.
//!
//! With `--files-port P --files DIR` a second origin serves the widget's files as a
//! static host would, and the tenant has a CRM-like page and a CRMScript-like panel
//! page (see [`crm`]).
//!
//! Safety: the server answers only requests whose `Host` is a loopback name
//! (`localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`), against DNS rebinding; the
//! sign-in routes redirect only within this origin; at most 1,000 sessions are kept.

mod crm;
mod data;
mod deep;
mod guard;

use axum::{
    extract::{OriginalUri, Path, Query, Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
    routing::{any, get},
    Json, Router,
};
use data::Rng;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower_http::services::ServeDir;

const SESSION_COOKIE: &str = "ASP.NET_SessionId";
const XSRF_COOKIE: &str = "XSRF-TOKEN";
const MAX_AGENTS: usize = 10_000;
const MAX_SESSIONS: usize = 1_000;

/// What the tests can switch at run time.
#[derive(Clone, Debug, serde::Serialize)]
struct Settings {
    agents: usize,
    latency_ms: u64,
    failure_rate: f64,
    logged_out: bool,
    /// none | not-json | truncated | object | null | error-200 | bad-rows | empty |
    /// deep-row | deep-object | deep-body | deep-error | endless
    malformed: String,
    /// Seconds between presence drift steps; 0 freezes presence.
    drift_seconds: u64,
    closed_topics: Vec<i32>,
    /// Topic ids whose `ChatTopic/{id}` answers 500, to exercise unresolved names.
    broken_topics: Vec<i32>,
    /// Topic ids whose `ChatTopic/{id}` answers with a 50,000-deep `Extra` object.
    deep_topics: Vec<i32>,
    /// Every Web API route answers 302 to `/signin-proxy?return=<path>`.
    redirect: bool,
    /// Extra delay of the topic routes only (ms).
    topic_latency_ms: u64,
    /// `Cache-Control` sent with every `GetAll` answer ("" sends none), to prove
    /// that the widget never reads one from an HTTP cache.
    cache_control: String,
    /// When set, `GetAll` answers 429 with this `Retry-After` ("" answers normally).
    retry_after: String,
    /// The files origin's folder (`--files`), whose `embed.js` the panel page names
    /// with its integrity hash.
    #[serde(skip)]
    files_dir: String,
    /// Where the CRMScript-like panel page loads the widget from.
    widget_base: String,
}

#[derive(Default, serde::Serialize, Clone)]
struct LastRequest {
    path: String,
    xsrf_header: Option<String>,
    session_cookie: bool,
    xsrf_matched: bool,
    accept: Option<String>,
    accept_language: Option<String>,
    origin: Option<String>,
}

#[derive(Default, serde::Serialize, Clone)]
struct Stats {
    /// Requests per route name ("getall", "topic", "isopen").
    requests: BTreeMap<String, u64>,
    /// `GetAll` requests per API base path ("/api", "/Cust12345/api").
    getall_by_base: BTreeMap<String, u64>,
    unauthorized: u64,
    /// Requests per topic id, `ChatTopic/{id}` and `ChatTopic/{id}/IsOpen` together.
    topic_requests: BTreeMap<String, u64>,
    /// Web API requests answered with the sign-in proxy's 302 (`redirect=true`).
    redirected: u64,
    last: Option<LastRequest>,
}

/// The signed-in sessions (session id -> XSRF token), at most [`MAX_SESSIONS`]:
/// signing in beyond that forgets the oldest session.
#[derive(Default)]
struct Sessions {
    tokens: HashMap<String, String>,
    /// Session ids, oldest first.
    order: VecDeque<String>,
}

impl Sessions {
    fn insert(&mut self, id: String, token: String) {
        if self.tokens.insert(id.clone(), token).is_some() {
            self.order.retain(|old| *old != id);
        }
        self.order.push_back(id);
        while self.order.len() > MAX_SESSIONS {
            if let Some(oldest) = self.order.pop_front() {
                self.tokens.remove(&oldest);
            }
        }
    }

    fn get(&self, id: &str) -> Option<&String> {
        self.tokens.get(id)
    }

    fn remove(&mut self, id: &str) {
        if self.tokens.remove(id).is_some() {
            self.order.retain(|old| old != id);
        }
    }

    fn clear(&mut self) {
        self.tokens.clear();
        self.order.clear();
    }

    fn len(&self) -> usize {
        self.tokens.len()
    }
}

struct Tenant {
    settings: Settings,
    seed: u64,
    rng: Rng,
    agents: Vec<data::Agent>,
    last_drift: Instant,
    sessions: Sessions,
    stats: Stats,
    counter: u64,
}

pub(crate) type Shared = Arc<Mutex<Tenant>>;

impl Tenant {
    fn new(settings: Settings, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let agents = data::agents(settings.agents, &mut rng);
        Tenant {
            settings,
            seed,
            rng,
            agents,
            last_drift: Instant::now(),
            sessions: Sessions::default(),
            stats: Stats::default(),
            counter: 0,
        }
    }

    fn reseed(&mut self) {
        let mut rng = Rng::new(self.seed);
        self.agents = data::agents(self.settings.agents, &mut rng);
        self.rng = rng;
        self.last_drift = Instant::now();
    }

    fn new_secret(&mut self) -> String {
        self.counter += 1;
        let a = self.rng.next_u64() ^ self.counter;
        let b = self.rng.next_u64()
            ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
        format!("{a:016x}{b:016x}")
    }

    /// Applies the drift steps due since the last one (at most 20, after a long idle).
    fn drift_to_now(&mut self) {
        let period = self.settings.drift_seconds;
        if period == 0 {
            self.last_drift = Instant::now();
            return;
        }
        let due = self.last_drift.elapsed().as_secs() / period;
        for _ in 0..due.min(20) {
            data::drift(&mut self.agents, &mut self.rng);
        }
        if due > 0 {
            self.last_drift += Duration::from_secs(due * period);
        }
    }
}

fn error_body(status: StatusCode, error_type: &str, message: &str) -> Response {
    (
        status,
        Json(json!({
            "Error": true,
            "ErrorType": error_type,
            "ErrorMessage": message,
            "ErrorSource": "SuperOffice.WebApi"
        })),
    )
        .into_response()
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| n.trim() == name)
        .map(|(_, v)| v.trim())
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Which Web API request [`gate`] is looking at.
struct Call<'a> {
    /// The route name in the stats: "getall", "topic" or "isopen".
    route: &'a str,
    /// The API base path: "/api" or "/Cust12345/api".
    base: String,
    /// The full request path, for the sign-in proxy's `return=`.
    path: &'a str,
    /// The topic id as written in the path, on the topic routes.
    topic: Option<&'a str>,
}

/// Escapes `text` for a query-string value: unreserved characters and the harmless
/// path punctuation stay readable, everything else (`%`, `&`, `+`, `#`, `=`, `?`,
/// spaces, non-ASCII) is percent-encoded.
fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:@!$'()*,;".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// What a sign-in proxy in front of the CRM answers once its own session has ended.
fn sign_in_proxy_redirect(path: &str) -> Response {
    let location = format!("/signin-proxy?return={}", query_value(path));
    match HeaderValue::from_str(&location) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => StatusCode::FOUND.into_response(),
    }
}

/// The common gate of every Web API route: records the request, applies the
/// sign-in-proxy redirect, latency, the logged-out switch, the session and XSRF
/// check, and the failure rate.
async fn gate(state: &Shared, headers: &HeaderMap, call: &Call<'_>) -> Result<(), Response> {
    let Call {
        route, base, path, ..
    } = call;
    let latency = {
        let mut t = state.lock().expect("state lock");
        *t.stats.requests.entry((*route).to_owned()).or_default() += 1;
        if *route == "getall" {
            *t.stats.getall_by_base.entry(base.clone()).or_default() += 1;
        }
        if let Some(id) = call.topic {
            *t.stats.topic_requests.entry(id.to_owned()).or_default() += 1;
        }
        if t.settings.redirect {
            t.stats.redirected += 1;
            return Err(sign_in_proxy_redirect(path));
        }
        let topic_latency = if call.topic.is_some() {
            t.settings.topic_latency_ms
        } else {
            0
        };
        t.settings.latency_ms + topic_latency
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let mut t = state.lock().expect("state lock");
    let session = cookie(headers, SESSION_COOKIE)
        .and_then(|id| t.sessions.get(id))
        .cloned();
    let xsrf = header_str(headers, "x-xsrf-token");
    let matched = matches!((&session, &xsrf), (Some(expected), Some(sent)) if expected == sent);
    t.stats.last = Some(LastRequest {
        path: format!("{base}/{route}"),
        xsrf_header: xsrf.clone(),
        session_cookie: session.is_some(),
        xsrf_matched: matched,
        accept: header_str(headers, header::ACCEPT),
        accept_language: header_str(headers, header::ACCEPT_LANGUAGE),
        origin: header_str(headers, header::ORIGIN),
    });
    if t.settings.logged_out || session.is_none() {
        t.stats.unauthorized += 1;
        return Err(error_body(
            StatusCode::UNAUTHORIZED,
            "SoAuthenticationException",
            "Not authenticated: the session has ended or was never started",
        ));
    }
    if !matched {
        t.stats.unauthorized += 1;
        let message = if xsrf.is_none() {
            "The X-XSRF-TOKEN header is missing"
        } else {
            "The X-XSRF-TOKEN header does not match the session"
        };
        return Err(error_body(
            StatusCode::UNAUTHORIZED,
            "SoXsrfException",
            message,
        ));
    }
    if t.settings.failure_rate > 0.0 && t.rng.unit() < t.settings.failure_rate {
        return Err(error_body(
            StatusCode::INTERNAL_SERVER_ERROR,
            "SoServerException",
            "The service is temporarily unavailable (simulated failure)",
        ));
    }
    Ok(())
}

fn api_base(tenant: Option<&str>) -> String {
    tenant.map_or_else(|| "/api".to_owned(), |t| format!("/{t}/api"))
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

async fn get_all(
    State(state): State<Shared>,
    tenant: Option<Path<String>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let call = Call {
        route: "getall",
        base: api_base(tenant.as_deref().map(String::as_str)),
        path: uri.path(),
        topic: None,
    };
    if let Err(refusal) = gate(&state, &headers, &call).await {
        return refusal;
    }
    let mut t = state.lock().expect("state lock");
    if let Ok(pause) = HeaderValue::from_str(&t.settings.retry_after) {
        if !pause.is_empty() {
            let mut busy = error_body(
                StatusCode::TOO_MANY_REQUESTS,
                "SoTooManyRequestsException",
                "Too many requests (simulated)",
            );
            busy.headers_mut().insert(header::RETRY_AFTER, pause);
            return busy;
        }
    }
    t.drift_to_now();
    let json_text = |body: String| {
        (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response()
    };
    let mut response = match t.settings.malformed.as_str() {
        "not-json" => (
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body><h1>Service Unavailable</h1></body></html>",
        )
            .into_response(),
        "truncated" => json_text(r#"[{"UserId": 101, "DisplayName": "Åse Ø"#.to_owned()),
        "object" => json_text(
            r#"{"Message":"An error has occurred.","MessageDetail":"Presence store unavailable"}"#
                .to_owned(),
        ),
        "null" => json_text("null".to_owned()),
        "error-200" => json_text(
            json!({"Error": true, "ErrorType": "SoException", "ErrorMessage": "Chat is not licensed for this installation", "ErrorSource": "SuperOffice.WebApi"}).to_string(),
        ),
        "empty" => json_text("[]".to_owned()),
        "deep-row" => json_text(rows_with_first_chat_topics(
            &t.agents,
            &deep::array(deep::DEPTH),
        )),
        "deep-object" => json_text(rows_with_first_chat_topics(
            &t.agents,
            &deep::object(deep::DEPTH),
        )),
        "deep-body" => json_text(deep::array(deep::DEPTH)),
        "endless" => endless(),
        "deep-error" => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "application/json")],
            deep::splice_field(
                r#"{"ErrorMessage":"deep error"}"#,
                "Details",
                &deep::array(deep::DEPTH),
            ),
        )
            .into_response(),
        "bad-rows" => {
            let mut rows: Vec<Value> = t.agents.iter().map(data::Agent::to_json).collect();
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
        _ => json_text(Value::Array(t.agents.iter().map(data::Agent::to_json).collect()).to_string()),
    };
    if let Ok(value) = HeaderValue::from_str(&t.settings.cache_control) {
        if !value.is_empty() {
            response.headers_mut().insert(header::CACHE_CONTROL, value);
        }
    }
    response
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

/// The common part of the `ChatTopic/{id}` routes: the gate, then the topic id.
async fn topic_gate(
    state: &Shared,
    params: &HashMap<String, String>,
    path: &str,
    headers: &HeaderMap,
    route: &str,
) -> Result<i32, Response> {
    let raw_id = params.get("id").map_or("", String::as_str);
    let call = Call {
        route,
        base: api_base(params.get("tenant").map(String::as_str)),
        path,
        topic: Some(raw_id),
    };
    gate(state, headers, &call).await?;
    Ok(raw_id.parse().unwrap_or(-1))
}

fn topic_not_found(id: i32) -> Response {
    error_body(
        StatusCode::NOT_FOUND,
        "SoNotFoundException",
        &format!("ChatTopic id {id} not found"),
    )
}

fn topic_store_unavailable() -> Response {
    error_body(
        StatusCode::INTERNAL_SERVER_ERROR,
        "SoServerException",
        "Topic store unavailable",
    )
}

/// A topic whose `Extra` field nests [`deep::DEPTH`] objects deep.
fn deep_topic(id: i32) -> Response {
    let name = data::topic(id).map_or_else(|| format!("Topic {id}"), |t| t.name.to_owned());
    let head = json!({ "ChatTopicId": id, "Name": name }).to_string();
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        deep::splice_field(&head, "Extra", &deep::object(deep::DEPTH)),
    )
        .into_response()
}

async fn chat_topic(
    State(state): State<Shared>,
    Path(params): Path<HashMap<String, String>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let id = match topic_gate(&state, &params, uri.path(), &headers, "topic").await {
        Ok(id) => id,
        Err(refusal) => return refusal,
    };
    let (broken, deep) = {
        let t = state.lock().expect("state lock");
        (
            t.settings.broken_topics.contains(&id),
            t.settings.deep_topics.contains(&id),
        )
    };
    match data::topic(id) {
        Some(_) if broken => topic_store_unavailable(),
        _ if deep => deep_topic(id),
        Some(topic) => Json(data::topic_json(topic)).into_response(),
        None => topic_not_found(id),
    }
}

async fn chat_topic_is_open(
    State(state): State<Shared>,
    Path(params): Path<HashMap<String, String>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let id = match topic_gate(&state, &params, uri.path(), &headers, "isopen").await {
        Ok(id) => id,
        Err(refusal) => return refusal,
    };
    let Some(topic) = data::topic(id) else {
        return topic_not_found(id);
    };
    let t = state.lock().expect("state lock");
    if t.settings.broken_topics.contains(&topic.id) {
        return topic_store_unavailable();
    }
    Json(!t.settings.closed_topics.contains(&topic.id)).into_response()
}

#[derive(Deserialize)]
struct LoginQuery {
    #[serde(rename = "return")]
    return_to: Option<String>,
}

async fn login(State(state): State<Shared>, Query(q): Query<LoginQuery>) -> Response {
    let (session, token) = {
        let mut t = state.lock().expect("state lock");
        let session = t.new_secret();
        let token = t.new_secret();
        t.sessions.insert(session.clone(), token.clone());
        (session, token)
    };
    let mut response = Redirect::to(&guard::safe_return(q.return_to.as_deref())).into_response();
    let headers = response.headers_mut();
    for value in [
        format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Lax"),
        format!("{XSRF_COOKIE}={token}; Path=/; SameSite=Lax"),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

async fn logout(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    if let Some(id) = cookie(&headers, SESSION_COOKIE) {
        state.lock().expect("state lock").sessions.remove(id);
    }
    let mut response = Redirect::to(&guard::safe_return(q.return_to.as_deref())).into_response();
    for name in [SESSION_COOKIE, XSRF_COOKIE] {
        if let Ok(value) = HeaderValue::from_str(&format!("{name}=; Path=/; Max-Age=0")) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[derive(Deserialize, Default)]
struct AdminQuery {
    agents: Option<usize>,
    latency_ms: Option<u64>,
    failure_rate: Option<f64>,
    logged_out: Option<bool>,
    malformed: Option<String>,
    drift_seconds: Option<u64>,
    /// Comma-separated topic ids.
    closed_topics: Option<String>,
    broken_topics: Option<String>,
    deep_topics: Option<String>,
    cache_control: Option<String>,
    retry_after: Option<String>,
    redirect: Option<bool>,
    topic_latency_ms: Option<u64>,
    widget_base: Option<String>,
    /// Drift now, this many steps.
    drift_steps: Option<u32>,
    /// Change exactly this many distinct agents now (each toggles its presence).
    change_count: Option<usize>,
    /// Set one agent: `set_agent=101&present=true&chats=2`.
    set_agent: Option<i32>,
    present: Option<bool>,
    chats: Option<i32>,
    /// Every agent in this topic goes away (the topic is uncovered while open).
    uncover_topic: Option<i32>,
    /// Forget every session (as a CRM restart does).
    end_sessions: Option<bool>,
    reset_stats: Option<bool>,
}

fn id_list(text: &str) -> Vec<i32> {
    text.split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// `GET|POST /api/dev/admin?...`: changes the switches, answers the current settings.
async fn admin(State(state): State<Shared>, Query(q): Query<AdminQuery>) -> Response {
    let mut t = state.lock().expect("state lock");
    if let Some(n) = q.agents {
        t.settings.agents = n.min(MAX_AGENTS);
        t.reseed();
    }
    if let Some(ms) = q.latency_ms {
        t.settings.latency_ms = ms.min(120_000);
    }
    if let Some(rate) = q.failure_rate {
        t.settings.failure_rate = rate.clamp(0.0, 1.0);
    }
    if let Some(value) = q.cache_control {
        t.settings.cache_control = value;
    }
    if let Some(value) = q.retry_after {
        t.settings.retry_after = value;
    }
    if let Some(flag) = q.logged_out {
        t.settings.logged_out = flag;
    }
    if let Some(kind) = q.malformed {
        t.settings.malformed = kind;
    }
    if let Some(seconds) = q.drift_seconds {
        t.settings.drift_seconds = seconds;
    }
    if let Some(ids) = q.closed_topics {
        t.settings.closed_topics = id_list(&ids);
    }
    if let Some(ids) = q.broken_topics {
        t.settings.broken_topics = id_list(&ids);
    }
    if let Some(ids) = q.deep_topics {
        t.settings.deep_topics = id_list(&ids);
    }
    if let Some(flag) = q.redirect {
        t.settings.redirect = flag;
    }
    if let Some(ms) = q.topic_latency_ms {
        t.settings.topic_latency_ms = ms.min(120_000);
    }
    if let Some(base) = q.widget_base {
        t.settings.widget_base = base;
    }
    for _ in 0..q.drift_steps.unwrap_or(0).min(1000) {
        let Tenant { agents, rng, .. } = &mut *t;
        data::drift(agents, rng);
    }
    if let Some(count) = q.change_count {
        let Tenant { agents, rng, .. } = &mut *t;
        let count = count.min(agents.len());
        let mut chosen: Vec<usize> = Vec::with_capacity(count);
        while chosen.len() < count {
            let i = rng.below(agents.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        for i in chosen {
            if let Some(agent) = agents.get_mut(i) {
                agent.present = !agent.present;
                agent.ongoing_chats = if agent.present { 1 } else { 0 };
            }
        }
    }
    if let Some(id) = q.set_agent {
        let Some(agent) = t.agents.iter_mut().find(|a| a.user_id == id) else {
            return error_body(
                StatusCode::NOT_FOUND,
                "SoNotFoundException",
                "No such agent",
            );
        };
        if let Some(present) = q.present {
            agent.present = present;
        }
        if let Some(chats) = q.chats {
            agent.ongoing_chats = chats;
        }
    }
    if let Some(topic) = q.uncover_topic {
        for agent in t.agents.iter_mut().filter(|a| a.topics.contains(&topic)) {
            agent.present = false;
            agent.ongoing_chats = 0;
        }
    }
    if q.end_sessions == Some(true) {
        t.sessions.clear();
    }
    if q.reset_stats == Some(true) {
        t.stats = Stats::default();
    }
    Json(json!({ "settings": t.settings, "sessions": t.sessions.len() })).into_response()
}

async fn stats(State(state): State<Shared>) -> Response {
    Json(state.lock().expect("state lock").stats.clone()).into_response()
}

/// Answers only requests addressed to a loopback name, so that a hostile page whose
/// own name resolves to 127.0.0.1 (DNS rebinding) cannot read this tenant.
pub(crate) async fn host_guard(request: Request, next: Next) -> Response {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let allowed = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().is_ok_and(guard::loopback_host),
        _ => false,
    };
    if !allowed {
        return (StatusCode::FORBIDDEN, "Host not allowed").into_response();
    }
    next.run(request).await
}

/// Development-tenant responses are not cached by the browser, unless a route set
/// its own `Cache-Control` (the `cache_control` switch).
async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

fn api_routes() -> Router<Shared> {
    Router::new()
        .route("/v1/Presence/GetAll", get(get_all))
        .route("/v1/ChatTopic/{id}", get(chat_topic))
        .route("/v1/ChatTopic/{id}/IsOpen", get(chat_topic_is_open))
        .route("/dev/login", get(login))
        .route("/dev/logout", get(logout))
        .route("/dev/admin", any(admin))
        .route("/dev/stats", get(stats))
}

struct Options {
    port: u16,
    settings: Settings,
    seed: u64,
    /// (URL prefix, directory) pairs served as static files.
    serve: Vec<(String, String)>,
    /// The files origin: its port, and the directory it serves.
    files: Option<(u16, String)>,
}

const USAGE: &str = "devserver [--port 8081] [--agents 25] [--latency-ms 0] [--failure-rate 0]
          [--logged-out] [--malformed KIND] [--drift-seconds 8] [--seed 42]
          [--closed-topics 15] [--broken-topics IDS] [--deep-topics IDS] [--redirect]
          [--topic-latency-ms 0] [--widget-base URL]
          [--serve /PREFIX=DIR]... [--files-port PORT --files DIR]
Malformed kinds: none not-json truncated object null error-200 bad-rows empty
                 deep-row deep-object deep-body deep-error (50,000 levels deep)
IDS: comma-separated topic ids, e.g. 11,12
--redirect: Web API routes answer 302 to /signin-proxy?return=<path>
--files-port/--files: a second origin serving DIR under /widget/ (and /store/,
  wasm as application/octet-stream) with CORS, for the CRM-like page
  /Cust12345/default.aspx and its CRMScript-like side panel
Only Host headers naming loopback (localhost, *.localhost, 127.0.0.0/8, [::1]) are served.";

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        port: 8081,
        settings: Settings {
            agents: 25,
            latency_ms: 0,
            failure_rate: 0.0,
            logged_out: false,
            malformed: "none".into(),
            drift_seconds: 8,
            closed_topics: vec![data::CLOSED_TOPIC],
            broken_topics: Vec::new(),
            deep_topics: Vec::new(),
            redirect: false,
            topic_latency_ms: 0,
            cache_control: String::new(),
            retry_after: String::new(),
            files_dir: String::new(),
            widget_base: String::new(),
        },
        seed: 42,
        serve: Vec::new(),
        files: None,
    };
    let mut files_port = None;
    let mut files_dir = None;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let bad = |e: &dyn std::fmt::Display| format!("{flag}: {e}");
        match flag.as_str() {
            "--port" => options.port = value()?.parse().map_err(|e| bad(&e))?,
            "--agents" => {
                options.settings.agents = value()?
                    .parse::<usize>()
                    .map_err(|e| bad(&e))?
                    .min(MAX_AGENTS)
            }
            "--latency-ms" => {
                options.settings.latency_ms = value()?.parse().map_err(|e| bad(&e))?
            }
            "--failure-rate" => {
                options.settings.failure_rate = value()?.parse().map_err(|e| bad(&e))?
            }
            "--logged-out" => options.settings.logged_out = true,
            "--malformed" => options.settings.malformed = value()?,
            "--drift-seconds" => {
                options.settings.drift_seconds = value()?.parse().map_err(|e| bad(&e))?
            }
            "--seed" => options.seed = value()?.parse().map_err(|e| bad(&e))?,
            "--closed-topics" => options.settings.closed_topics = id_list(&value()?),
            "--broken-topics" => options.settings.broken_topics = id_list(&value()?),
            "--deep-topics" => options.settings.deep_topics = id_list(&value()?),
            "--redirect" => options.settings.redirect = true,
            "--topic-latency-ms" => {
                options.settings.topic_latency_ms = value()?.parse().map_err(|e| bad(&e))?
            }
            "--widget-base" => options.settings.widget_base = value()?,
            "--files-port" => files_port = Some(value()?.parse().map_err(|e| bad(&e))?),
            "--files" => files_dir = Some(value()?),
            "--serve" => {
                let spec = value()?;
                let (prefix, dir) = spec
                    .split_once('=')
                    .ok_or(format!("--serve {spec}: expected /PREFIX=DIR"))?;
                options
                    .serve
                    .push((prefix.trim_end_matches('/').to_owned(), dir.to_owned()));
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown flag {other}\n{USAGE}")),
        }
    }
    options.files = match (files_port, files_dir) {
        (Some(port), Some(dir)) => Some((port, dir)),
        (None, None) => None,
        _ => return Err(format!("--files-port and --files go together\n{USAGE}")),
    };
    Ok(options)
}

fn app(options: &Options) -> Router {
    let mut settings = options.settings.clone();
    if let Some((_, dir)) = &options.files {
        settings.files_dir = dir.clone();
    }
    let state: Shared = Arc::new(Mutex::new(Tenant::new(settings, options.seed)));
    let mut router = Router::new()
        .nest("/api", api_routes())
        .nest("/{tenant}/api", api_routes())
        .route("/{tenant}/default.aspx", get(crm::crm_page))
        .route(
            "/{tenant}/CS/scripts/customer.fcgi",
            get(crm::customer_fcgi),
        )
        .layer(middleware::from_fn(no_store))
        .with_state(state);
    for (prefix, dir) in &options.serve {
        let service = ServeDir::new(dir).append_index_html_on_directories(true);
        router = if prefix.is_empty() {
            router.fallback_service(service)
        } else {
            router.nest_service(prefix, service)
        };
    }
    router.layer(middleware::from_fn(host_guard))
}

async fn bind(port: u16) -> (tokio::net::TcpListener, std::net::SocketAddr) {
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => {
            let address = listener.local_addr().unwrap_or(address);
            (listener, address)
        }
        Err(e) => {
            eprintln!("devserver: cannot listen on {address}: {e}");
            std::process::exit(1);
        }
    }
}

#[tokio::main]
async fn main() {
    let mut options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let (listener, address) = bind(options.port).await;
    let mut lines = vec![format!(
        "devserver: SuperOffice-like tenant on http://{address} ({} agents); sign in at http://{address}/api/dev/login",
        options.settings.agents
    )];
    if let Some((port, dir)) = options.files.clone() {
        let (files_listener, files_address) = bind(port).await;
        if options.settings.widget_base.is_empty() {
            options.settings.widget_base = format!("http://{files_address}/widget/");
        }
        lines.push(format!(
            "devserver: widget files (CORS) on http://{files_address}/widget/; CRM-like page at http://{address}/api/dev/login?return=/Cust12345/default.aspx"
        ));
        tokio::spawn(async move {
            if let Err(e) = axum::serve(files_listener, crm::files_app(&dir)).await {
                eprintln!("devserver: files origin: {e}");
                std::process::exit(1);
            }
        });
    }
    println!("{}", lines.join("\n"));
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app(&options))
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("devserver: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{to_bytes, Body};
    use tower::ServiceExt;

    fn test_app(extra: &[&str]) -> Router {
        let args = ["--drift-seconds", "0"].iter().chain(extra);
        let options = parse_args(args.map(|s| (*s).to_owned())).expect("options");
        app(&options)
    }

    async fn send(
        app: &Router,
        path: &str,
        host: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Response {
        let mut request = Request::builder().uri(path);
        if let Some(host) = host {
            request = request.header(header::HOST, host);
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        app.clone()
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("infallible")
    }

    async fn get(app: &Router, path: &str) -> Response {
        send(app, path, Some("127.0.0.1:8081"), &[]).await
    }

    async fn text(response: Response) -> String {
        let bytes = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("utf-8")
    }

    async fn json_of(response: Response) -> Value {
        serde_json::from_str(&text(response).await).expect("json")
    }

    fn location(response: &Response) -> &str {
        response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .expect("Location")
    }

    /// Signs in; answers the `Cookie` and `X-XSRF-TOKEN` header values.
    async fn sign_in(app: &Router) -> (String, String) {
        let response = get(app, "/api/dev/login").await;
        let cookies: Vec<String> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .map(str::to_owned)
            .collect();
        let token = cookies
            .iter()
            .find_map(|c| c.strip_prefix("XSRF-TOKEN="))
            .expect("XSRF cookie")
            .to_owned();
        (cookies.join("; "), token)
    }

    async fn api(app: &Router, path: &str, auth: &(String, String)) -> Response {
        let headers = [
            ("cookie", auth.0.as_str()),
            ("x-xsrf-token", auth.1.as_str()),
        ];
        send(app, path, Some("localhost:8081"), &headers).await
    }

    async fn admin(app: &Router, query: &str) -> Value {
        let response = get(app, &format!("/api/dev/admin?{query}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        json_of(response).await
    }

    async fn stats(app: &Router) -> Value {
        json_of(get(app, "/api/dev/stats").await).await
    }

    #[test]
    fn sessions_keep_the_newest_thousand() {
        let mut sessions = Sessions::default();
        for i in 0..MAX_SESSIONS + 5 {
            sessions.insert(format!("s{i}"), format!("t{i}"));
        }
        assert_eq!(sessions.len(), MAX_SESSIONS);
        assert_eq!(sessions.order.len(), MAX_SESSIONS);
        for i in 0..5 {
            assert!(sessions.get(&format!("s{i}")).is_none(), "s{i} evicted");
        }
        assert_eq!(sessions.get("s5").map(String::as_str), Some("t5"));
        let last = format!("s{}", MAX_SESSIONS + 4);
        assert!(sessions.get(&last).is_some());
        sessions.remove("s5");
        assert_eq!(sessions.len(), MAX_SESSIONS - 1);
        assert_eq!(sessions.order.len(), MAX_SESSIONS - 1);
        sessions.insert("again".into(), "x".into());
        sessions.insert("again".into(), "y".into());
        assert_eq!(sessions.len(), MAX_SESSIONS);
        assert_eq!(sessions.order.len(), MAX_SESSIONS);
        assert_eq!(sessions.get("again").map(String::as_str), Some("y"));
        assert!(
            sessions.get("s6").is_some(),
            "nothing evicted while below the bound"
        );
        sessions.clear();
        assert_eq!((sessions.len(), sessions.order.len()), (0, 0));
    }

    #[test]
    fn query_values_are_escaped() {
        assert_eq!(
            query_value("/Cust1/api/v1/ChatTopic/11"),
            "/Cust1/api/v1/ChatTopic/11"
        );
        assert_eq!(
            query_value("/a b&c=d+e%f#g?h"),
            "/a%20b%26c%3Dd%2Be%25f%23g%3Fh"
        );
    }

    #[test]
    fn new_flags_parse() {
        let args = [
            "--deep-topics",
            "11, 12",
            "--broken-topics",
            "13",
            "--closed-topics",
            "",
            "--redirect",
            "--malformed",
            "deep-row",
        ];
        let options = parse_args(args.iter().map(|s| (*s).to_owned())).expect("options");
        assert_eq!(options.settings.deep_topics, [11, 12]);
        assert_eq!(options.settings.broken_topics, [13]);
        assert!(options.settings.closed_topics.is_empty());
        assert!(options.settings.redirect);
        assert_eq!(options.settings.malformed, "deep-row");
    }

    #[tokio::test]
    async fn sign_in_routes_redirect_only_within_the_origin() {
        let app = test_app(&[]);
        for (query, expected) in [
            (
                "return=/intranet/page.html%3Fx%3D1%23y",
                "/intranet/page.html?x=1#y",
            ),
            ("return=/Cust12345/default.aspx", "/Cust12345/default.aspx"),
            ("return=/%09/evil.example", "/"),
            ("return=/%5Cevil.example", "/"),
            ("return=%5C%5Cevil", "/"),
            ("return=https://evil", "/"),
            ("return=//evil", "/"),
            ("return=/.//evil", "/"),
            ("return=/a%0D%0A/b", "/"),
            ("return=", "/"),
            ("", "/"),
        ] {
            for route in ["login", "logout"] {
                let response = get(&app, &format!("/api/dev/{route}?{query}")).await;
                assert!(response.status().is_redirection(), "{route}?{query}");
                assert_eq!(location(&response), expected, "{route}?{query}");
            }
        }
    }

    #[tokio::test]
    async fn only_loopback_hosts_are_served() {
        let app = test_app(&[]);
        for host in ["evil.example", "127.0.0.1.evil.example", "0.0.0.0:8081", ""] {
            for path in ["/api/dev/stats", "/api/dev/login", "/no/such/page"] {
                let response = send(&app, path, Some(host), &[]).await;
                assert_eq!(response.status(), StatusCode::FORBIDDEN, "{host} {path}");
                assert_eq!(text(response).await, "Host not allowed");
            }
        }
        let missing = send(&app, "/api/dev/stats", None, &[]).await;
        assert_eq!(missing.status(), StatusCode::FORBIDDEN);
        let twice = send(
            &app,
            "/api/dev/stats",
            Some("localhost"),
            &[("host", "evil.example")],
        )
        .await;
        assert_eq!(twice.status(), StatusCode::FORBIDDEN);
        for host in [
            "localhost",
            "app.localhost:3000",
            "[::1]:80",
            "127.0.0.1:8081",
        ] {
            let response = send(&app, "/api/dev/stats", Some(host), &[]).await;
            assert_eq!(response.status(), StatusCode::OK, "{host}");
        }
    }

    #[tokio::test]
    async fn deep_malformations() {
        let app = test_app(&[]);
        let auth = sign_in(&app).await;
        let path = "/api/v1/Presence/GetAll";

        admin(&app, "malformed=deep-row").await;
        let response = api(&app, path, &auth).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = text(response).await;
        assert!(body.starts_with(r#"[{"ChatTopics":"#) || body.starts_with(r#"[{""#));
        assert!(body.contains(r#""ChatTopics":[[[[[["#));
        assert_eq!(deep::tests::nesting(&body), Some(deep::DEPTH + 2));
        assert!(body.len() > 2 * deep::DEPTH && body.len() < 2 * deep::DEPTH + 20_000);
        assert_eq!(body.matches(r#""UserId":"#).count(), 25);

        admin(&app, "malformed=deep-object").await;
        let body = text(api(&app, path, &auth).await).await;
        assert!(body.contains(r#""ChatTopics":{"Mask":{"Mask":{"#));
        assert_eq!(deep::tests::nesting(&body), Some(deep::DEPTH + 2));

        admin(&app, "malformed=deep-body").await;
        let body = text(api(&app, path, &auth).await).await;
        assert_eq!(body, deep::array(deep::DEPTH));

        admin(&app, "malformed=deep-error").await;
        let response = api(&app, path, &auth).await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let body = text(response).await;
        assert!(body.starts_with(r#"{"ErrorMessage":"deep error","Details":[[["#));
        assert_eq!(deep::tests::nesting(&body), Some(deep::DEPTH + 1));

        admin(&app, "malformed=none").await;
        let rows = json_of(api(&app, path, &auth).await).await;
        assert_eq!(rows.as_array().map(Vec::len), Some(25));
    }

    #[tokio::test]
    async fn deep_and_broken_topics() {
        let app = test_app(&[]);
        let auth = sign_in(&app).await;
        let settings = admin(&app, "deep_topics=12,99&broken_topics=13").await;
        assert_eq!(settings["settings"]["deep_topics"], json!([12, 99]));

        let response = api(&app, "/Cust12345/api/v1/ChatTopic/12", &auth).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = text(response).await;
        assert!(body.starts_with(
            r#"{"ChatTopicId":12,"Name":"Technical support","Extra":{"Mask":{"Mask":"#
        ));
        assert_eq!(deep::tests::nesting(&body), Some(deep::DEPTH + 1));
        let unknown = text(api(&app, "/api/v1/ChatTopic/99", &auth).await).await;
        assert!(unknown.starts_with(r#"{"ChatTopicId":99,"Name":"Topic 99","Extra":{"#));
        // IsOpen of a deep topic is ordinary.
        let open = api(&app, "/api/v1/ChatTopic/12/IsOpen", &auth).await;
        assert_eq!(json_of(open).await, json!(true));

        for path in ["/api/v1/ChatTopic/13", "/api/v1/ChatTopic/13/IsOpen"] {
            let response = api(&app, path, &auth).await;
            assert_eq!(
                response.status(),
                StatusCode::INTERNAL_SERVER_ERROR,
                "{path}"
            );
            assert_eq!(json_of(response).await["ErrorType"], "SoServerException");
        }
        let normal = json_of(api(&app, "/api/v1/ChatTopic/11", &auth).await).await;
        assert_eq!(normal["Name"], "Billing");
        let closed = api(&app, "/api/v1/ChatTopic/15/IsOpen", &auth).await;
        assert_eq!(json_of(closed).await, json!(false));
        let missing = api(&app, "/api/v1/ChatTopic/77/IsOpen", &auth).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);

        let stats = stats(&app).await;
        assert_eq!(
            stats["topic_requests"],
            json!({"11": 1, "12": 2, "13": 2, "15": 1, "77": 1, "99": 1})
        );
        assert_eq!(stats["requests"], json!({"isopen": 4, "topic": 4}));
        assert_eq!(stats["redirected"], 0);
    }

    #[tokio::test]
    async fn sign_in_proxy_redirects_every_web_api_route() {
        let app = test_app(&[]);
        let auth = sign_in(&app).await;
        let settings = admin(&app, "redirect=true").await;
        assert_eq!(settings["settings"]["redirect"], true);
        let paths = [
            "/api/v1/Presence/GetAll",
            "/Cust12345/api/v1/Presence/GetAll",
            "/api/v1/ChatTopic/11",
            "/Cust12345/api/v1/ChatTopic/11/IsOpen",
        ];
        for path in paths {
            // Signed in or not: the proxy answers before the CRM sees the request.
            for response in [api(&app, path, &auth).await, get(&app, path).await] {
                assert_eq!(response.status(), StatusCode::FOUND, "{path}");
                assert_eq!(
                    location(&response),
                    format!("/signin-proxy?return={path}"),
                    "{path}"
                );
            }
        }
        let counted = stats(&app).await;
        assert_eq!(counted["redirected"], 8);
        assert_eq!(
            counted["requests"],
            json!({"getall": 4, "topic": 2, "isopen": 2})
        );
        assert_eq!(
            counted["getall_by_base"],
            json!({"/api": 2, "/Cust12345/api": 2})
        );
        assert_eq!(counted["topic_requests"], json!({"11": 4}));
        assert_eq!(counted["unauthorized"], 0);

        admin(&app, "redirect=false").await;
        let response = api(&app, paths[0], &auth).await;
        assert_eq!(response.status(), StatusCode::OK);
        // The sign-in routes themselves are never redirected to the proxy.
        let login = get(&app, "/api/dev/login?return=/x").await;
        assert_eq!(location(&login), "/x");
        let reset = admin(&app, "reset_stats=true").await;
        assert_eq!(reset["sessions"], 2);
        assert_eq!(stats(&app).await["redirected"], 0);
    }

    #[tokio::test]
    async fn logins_beyond_the_bound_forget_the_oldest() {
        let app = test_app(&[]);
        let first = sign_in(&app).await;
        let path = "/api/v1/Presence/GetAll";
        assert_eq!(api(&app, path, &first).await.status(), StatusCode::OK);
        for _ in 0..MAX_SESSIONS {
            sign_in(&app).await;
        }
        assert_eq!(admin(&app, "").await["sessions"], MAX_SESSIONS);
        assert_eq!(
            api(&app, path, &first).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }

    #[tokio::test]
    async fn the_panel_script_checks_its_key_like_the_crm() {
        let app = test_app(&["--widget-base", "https://cdn.example.com/w/"]);
        let script =
            "/Cust12345/CS/scripts/customer.fcgi?action=safeParse&includeId=presence-panel";
        let page = get(&app, &format!("{script}&key=dev-panel-key&lang=nb")).await;
        assert_eq!(page.status(), StatusCode::OK);
        // No files folder here: no embed.js to name the integrity of.
        assert_eq!(
            text(page).await,
            crm::panel_page("https://cdn.example.com/w/", Some("nb"), "")
        );
        for wrong in [
            format!("{script}&key=guess"),
            script.to_owned(),
            "/Cust12345/CS/scripts/customer.fcgi?action=safeParse&includeId=other&key=dev-panel-key"
                .to_owned(),
        ] {
            assert_eq!(get(&app, &wrong).await.status(), StatusCode::FORBIDDEN, "{wrong}");
        }
        let unknown_lang = get(
            &app,
            &format!("{script}&key=dev-panel-key&lang=%22%3E%3Cb%3E"),
        )
        .await;
        assert!(!text(unknown_lang).await.contains("<b>"));
        let not_a_tenant = "/evil/CS/scripts/customer.fcgi?action=safeParse&includeId=presence-panel&key=dev-panel-key";
        assert_eq!(
            get(&app, not_a_tenant).await.status(),
            StatusCode::NOT_FOUND
        );
    }

    #[tokio::test]
    async fn a_panel_script_without_a_proper_widget_base_loads_nothing() {
        let app = test_app(&["--widget-base", "/widget/"]);
        let page = get(
            &app,
            "/Cust12345/CS/scripts/customer.fcgi?action=safeParse&includeId=presence-panel&key=dev-panel-key",
        )
        .await;
        assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!text(page).await.contains("embed.js"));
    }

    #[tokio::test]
    async fn the_crm_page_fills_in_the_panel_urls_variables() {
        let app = test_app(&[]);
        let page = text(get(&app, "/Cust12345/default.aspx?lang=de").await).await;
        assert!(page.contains(
            "src=\"http://127.0.0.1:8081/Cust12345/CS/scripts/customer.fcgi?action=safeParse&amp;includeId=presence-panel&amp;key=dev-panel-key&amp;lang=de\""
        ));
        assert!(page.contains("<html lang=\"de\">"));
    }

    #[tokio::test]
    async fn the_files_origin_serves_like_a_static_host() {
        let dir = std::env::temp_dir().join(format!("devserver-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("embed.js"), "export {};").expect("embed.js");
        let wasm = "presence-widget-0123456789abcdef_bg.wasm";
        std::fs::write(dir.join(wasm), b"\0asm").expect("wasm");
        let app = crm::files_app(dir.to_str().expect("utf-8 path"));
        let header_of = |response: &Response, name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let embed = get(&app, "/widget/embed.js").await;
        assert_eq!(embed.status(), StatusCode::OK);
        assert_eq!(header_of(&embed, header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
        assert_eq!(header_of(&embed, header::CACHE_CONTROL), "no-cache");
        let typed = get(&app, &format!("/widget/{wasm}")).await;
        assert_eq!(header_of(&typed, header::CONTENT_TYPE), "application/wasm");
        assert!(header_of(&typed, header::CACHE_CONTROL).contains("immutable"));
        let untyped = get(&app, &format!("/store/{wasm}")).await;
        assert_eq!(
            header_of(&untyped, header::CONTENT_TYPE),
            "application/octet-stream"
        );
        let rebinding = send(&app, "/widget/embed.js", Some("evil.example"), &[]).await;
        assert_eq!(rebinding.status(), StatusCode::FORBIDDEN);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
