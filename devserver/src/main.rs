//! A stand-in for a SuperOffice tenant, for developing and testing the widget.
//!
//! It behaves like the real Web API where the widget can tell: sessions in an
//! HttpOnly `ASP.NET_SessionId` cookie, the `XSRF-TOKEN` cookie and header check,
//! 401 with SuperOffice's error body, chat topics with names and opening state, and
//! presence that drifts over time. Switches (flags at start, or `/api/dev/admin` at
//! run time) give tests latency, failures, a logged-out tenant, malformed bodies and
//! up to 10,000 agents. Every route also answers under a tenant path
//! (`/Cust12345/api/...`), as CRM Online does.

mod data;

use axum::{
    extract::{Path, Query, Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
    routing::{any, get},
    Json, Router,
};
use data::Rng;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower_http::services::ServeDir;

const SESSION_COOKIE: &str = "ASP.NET_SessionId";
const XSRF_COOKIE: &str = "XSRF-TOKEN";
const MAX_AGENTS: usize = 10_000;

/// What the tests can switch at run time.
#[derive(Clone, Debug, serde::Serialize)]
struct Settings {
    agents: usize,
    latency_ms: u64,
    failure_rate: f64,
    logged_out: bool,
    /// none | not-json | truncated | object | null | error-200 | bad-rows | empty
    malformed: String,
    /// Seconds between presence drift steps; 0 freezes presence.
    drift_seconds: u64,
    closed_topics: Vec<i32>,
    /// Topic ids whose `ChatTopic/{id}` answers 500, to exercise unresolved names.
    broken_topics: Vec<i32>,
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
    last: Option<LastRequest>,
}

struct Tenant {
    settings: Settings,
    seed: u64,
    rng: Rng,
    agents: Vec<data::Agent>,
    last_drift: Instant,
    /// session id -> XSRF token
    sessions: HashMap<String, String>,
    stats: Stats,
    counter: u64,
}

type Shared = Arc<Mutex<Tenant>>;

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
            sessions: HashMap::new(),
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

/// The common gate of every Web API route: records the request, applies latency,
/// the logged-out switch, the session and XSRF check, and the failure rate.
async fn gate(
    state: &Shared,
    headers: &HeaderMap,
    route: &str,
    base: &str,
) -> Result<(), Response> {
    let latency = {
        let mut t = state.lock().expect("state lock");
        *t.stats.requests.entry(route.to_owned()).or_default() += 1;
        if route == "getall" {
            *t.stats.getall_by_base.entry(base.to_owned()).or_default() += 1;
        }
        t.settings.latency_ms
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

async fn get_all(
    State(state): State<Shared>,
    tenant: Option<Path<String>>,
    headers: HeaderMap,
) -> Response {
    let base = api_base(tenant.as_deref().map(String::as_str));
    if let Err(refusal) = gate(&state, &headers, "getall", &base).await {
        return refusal;
    }
    let mut t = state.lock().expect("state lock");
    t.drift_to_now();
    let json_text = |body: String| {
        (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response()
    };
    match t.settings.malformed.as_str() {
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
    }
}

/// The common part of the `ChatTopic/{id}` routes: the gate, then the known topic
/// (or SuperOffice's 404 error body).
async fn known_topic(
    state: &Shared,
    params: &HashMap<String, String>,
    headers: &HeaderMap,
    route: &str,
) -> Result<&'static data::Topic, Response> {
    let base = api_base(params.get("tenant").map(String::as_str));
    gate(state, headers, route, &base).await?;
    let id: i32 = params
        .get("id")
        .and_then(|id| id.parse().ok())
        .unwrap_or(-1);
    data::topic(id).ok_or_else(|| {
        error_body(
            StatusCode::NOT_FOUND,
            "SoNotFoundException",
            &format!("ChatTopic id {id} not found"),
        )
    })
}

async fn chat_topic(
    State(state): State<Shared>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    match known_topic(&state, &params, &headers, "topic").await {
        Err(refusal) => refusal,
        Ok(topic)
            if state
                .lock()
                .expect("state lock")
                .settings
                .broken_topics
                .contains(&topic.id) =>
        {
            error_body(
                StatusCode::INTERNAL_SERVER_ERROR,
                "SoServerException",
                "Topic store unavailable",
            )
        }
        Ok(topic) => Json(data::topic_json(topic)).into_response(),
    }
}

async fn chat_topic_is_open(
    State(state): State<Shared>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    match known_topic(&state, &params, &headers, "isopen").await {
        Err(refusal) => refusal,
        Ok(topic) => {
            let closed = state
                .lock()
                .expect("state lock")
                .settings
                .closed_topics
                .contains(&topic.id);
            Json(!closed).into_response()
        }
    }
}

#[derive(Deserialize)]
struct LoginQuery {
    #[serde(rename = "return")]
    return_to: Option<String>,
}

/// Only same-site paths, so the login route cannot be used as an open redirect.
fn safe_return(path: Option<String>) -> String {
    path.filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
        .unwrap_or_else(|| "/".to_owned())
}

async fn login(State(state): State<Shared>, Query(q): Query<LoginQuery>) -> Response {
    let (session, token) = {
        let mut t = state.lock().expect("state lock");
        let session = t.new_secret();
        let token = t.new_secret();
        t.sessions.insert(session.clone(), token.clone());
        (session, token)
    };
    let mut response = Redirect::to(&safe_return(q.return_to)).into_response();
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
    let mut response = Redirect::to(&safe_return(q.return_to)).into_response();
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
    /// Drift now, this many steps.
    drift_steps: Option<u32>,
    /// Change exactly this many distinct agents now (each toggles its presence).
    change_count: Option<usize>,
    /// Set one agent: `set_agent=101&present=true&chats=2`.
    set_agent: Option<i32>,
    present: Option<bool>,
    chats: Option<i32>,
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

/// Development-tenant responses must never be cached by the browser.
async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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
}

const USAGE: &str = "devserver [--port 8081] [--agents 25] [--latency-ms 0] [--failure-rate 0]
          [--logged-out] [--malformed KIND] [--drift-seconds 8] [--seed 42]
          [--serve /PREFIX=DIR]...
Malformed kinds: none not-json truncated object null error-200 bad-rows empty";

fn parse_args() -> Result<Options, String> {
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
        },
        seed: 42,
        serve: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
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
    Ok(options)
}

fn app(options: &Options) -> Router {
    let state: Shared = Arc::new(Mutex::new(Tenant::new(
        options.settings.clone(),
        options.seed,
    )));
    let mut router = Router::new()
        .nest("/api", api_routes())
        .nest("/{tenant}/api", api_routes())
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
    router
}

#[tokio::main]
async fn main() {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], options.port));
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("devserver: cannot listen on {address}: {e}");
            std::process::exit(1);
        }
    };
    let address = listener.local_addr().unwrap_or(address);
    println!(
        "devserver: SuperOffice-like tenant on http://{address} ({} agents); sign in at http://{address}/api/dev/login",
        options.settings.agents
    );
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
