//! The Web API routes the widget calls (`GetAll`, `ChatTopic/{id}`,
//! `ChatTopic/{id}/IsOpen`, the user's own in [`crate::own`], and the chat queue's
//! in [`crate::queue`]), under `/api` and under a tenant path
//! (`/Cust12345/api`), behind [`gate`]: the part every real route shares.

use crate::data;
use crate::deep;
use crate::session::session_token;
use crate::state::{LastRequest, Shared};
use axum::{
    extract::{MatchedPath, OriginalUri, Path, RawPathParams, Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use axum_extra::extract::CookieJar;
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;

/// The Web API routes, each behind the gate.
pub fn routes(state: Shared) -> Router<Shared> {
    Router::new()
        .route("/v1/Presence/GetAll", get(get_all))
        .route("/v1/ChatTopic/{id}", get(chat_topic))
        .route("/v1/ChatTopic/{id}/IsOpen", get(chat_topic_is_open))
        .route(
            "/v1/ChatTopic/{id}/UserAgent",
            get(crate::queue::user_agents),
        )
        .route("/v1/ChatSession", get(crate::queue::chat_sessions))
        .route(
            "/v1/ChatSession/ForCurrentUser",
            get(crate::queue::for_current_user),
        )
        .route(
            "/v1/User/currentPrincipal",
            get(crate::own::current_principal),
        )
        .route("/v1/Presence/SaveAll", post(crate::own::save_all))
        .route_layer(middleware::from_fn_with_state(state.clone(), gate))
        // Outside the gate: a CORS preflight carries no credentials.
        .layer(middleware::from_fn_with_state(
            state,
            crate::signin::cors_for_api,
        ))
}

/// SuperOffice's error body.
pub fn error_body(status: StatusCode, error_type: &str, message: &str) -> Response {
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

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The route's name in the stats, from its matched path.
fn route_name(matched: &str) -> &'static str {
    if matched.ends_with("/IsOpen") {
        "isopen"
    } else if matched.ends_with("/GetAll") {
        "getall"
    } else if matched.ends_with("/currentPrincipal") {
        "principal"
    } else if matched.ends_with("/SaveAll") {
        "saveall"
    } else if matched.ends_with("/ChatSession") {
        "chatsession"
    } else if matched.ends_with("/ForCurrentUser") {
        "forcurrentuser"
    } else if matched.ends_with("/UserAgent") {
        "useragent"
    } else {
        "topic"
    }
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

/// The common gate of every Web API route (middleware): records the request,
/// applies the sign-in-proxy redirect, latency, the logged-out switch, the session
/// and XSRF check (or, for `Authorization: Bearer`, the sign-in service's token and
/// the `misdirected` switch), and the failure rate.
async fn gate(
    State(state): State<Shared>,
    matched: MatchedPath,
    params: RawPathParams,
    OriginalUri(uri): OriginalUri,
    jar: CookieJar,
    request: Request,
    next: Next,
) -> Response {
    let route = route_name(matched.as_str());
    let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
    let base = param("tenant").map_or_else(|| "/api".to_owned(), |t| format!("/{t}/api"));
    let topic = param("id").map(str::to_owned);
    if route != "saveall" {
        return checked(
            &state,
            route,
            &base,
            topic.as_deref(),
            &uri,
            &jar,
            request,
            next,
        )
        .await;
    }
    // Every write is recorded as it came, refused here or not.
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let content_type = header_str(&parts.headers, header::CONTENT_TYPE);
    let request = Request::from_parts(parts, axum::body::Body::from(body.clone()));
    let response = checked(&state, route, &base, None, &uri, &jar, request, next).await;
    crate::own::record_write(&state, base, &body, content_type, response.status());
    response
}

#[allow(clippy::too_many_arguments)]
async fn checked(
    state: &Shared,
    route: &'static str,
    base: &str,
    topic: Option<&str>,
    uri: &axum::http::Uri,
    jar: &CookieJar,
    request: Request,
    next: Next,
) -> Response {
    let latency = {
        let mut t = state.lock().expect("state lock");
        *t.stats.requests.entry(route.to_owned()).or_default() += 1;
        if route == "getall" {
            *t.stats.getall_by_base.entry(base.to_owned()).or_default() += 1;
        }
        if let Some(id) = topic.filter(|_| matches!(route, "topic" | "isopen")) {
            *t.stats.topic_requests.entry(id.to_owned()).or_default() += 1;
        }
        if t.switches.redirect {
            t.stats.redirected += 1;
            return sign_in_proxy_redirect(uri.path());
        }
        let topic_latency = topic.map_or(0, |_| t.switches.topic_latency_ms);
        t.switches.latency_ms + topic_latency
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let headers = request.headers();
    {
        let mut t = state.lock().expect("state lock");
        let session = session_token(&t.sessions, jar);
        let xsrf = header_str(headers, "x-xsrf-token");
        let matched = matches!((&session, &xsrf), (Some(expected), Some(sent)) if expected == sent);
        let bearer = header_str(headers, header::AUTHORIZATION)
            .and_then(|value| value.strip_prefix("Bearer ").map(str::to_owned));
        t.stats.last = Some(LastRequest {
            path: format!("{base}/{route}"),
            xsrf_header: xsrf.clone(),
            session_cookie: session.is_some(),
            xsrf_matched: matched,
            bearer: bearer.is_some(),
            accept: header_str(headers, header::ACCEPT),
            accept_language: header_str(headers, header::ACCEPT_LANGUAGE),
            origin: header_str(headers, header::ORIGIN),
        });
        if let Some(token) = bearer {
            t.stats.bearer += 1;
            if t.switches.misdirected {
                return error_body(
                    StatusCode::MISDIRECTED_REQUEST,
                    "SoMisdirectedRequestException",
                    "This tenant is served elsewhere now: sign in again",
                );
            }
            if t.switches.logged_out || !t.grants.valid(&token) {
                t.stats.unauthorized += 1;
                let mut refused = error_body(
                    StatusCode::UNAUTHORIZED,
                    "SoAuthenticationException",
                    "The access token is not valid (expired or unknown)",
                );
                refused.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
                return refused;
            }
        } else if t.switches.logged_out || session.is_none() {
            t.stats.unauthorized += 1;
            return error_body(
                StatusCode::UNAUTHORIZED,
                "SoAuthenticationException",
                "Not authenticated: the session has ended or was never started",
            );
        } else if !matched {
            t.stats.unauthorized += 1;
            let message = if xsrf.is_none() {
                "The X-XSRF-TOKEN header is missing"
            } else {
                "The X-XSRF-TOKEN header does not match the session"
            };
            return error_body(StatusCode::UNAUTHORIZED, "SoXsrfException", message);
        }
        if t.switches.failure_rate > 0.0 && t.rng.unit() < t.switches.failure_rate {
            return error_body(
                StatusCode::INTERNAL_SERVER_ERROR,
                "SoServerException",
                "The service is temporarily unavailable (simulated failure)",
            );
        }
    }
    next.run(request).await
}

async fn get_all(State(state): State<Shared>) -> Response {
    let mut t = state.lock().expect("state lock");
    if let Ok(pause) = HeaderValue::from_str(&t.switches.retry_after) {
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
    let mut response = t.switches.malformed.answer(&t.agents);
    if let Ok(value) = HeaderValue::from_str(&t.switches.cache_control) {
        if !value.is_empty() {
            response.headers_mut().insert(header::CACHE_CONTROL, value);
        }
    }
    response
}

/// The topic id as written in the path (`-1` when it is not a number).
fn topic_id(params: &HashMap<String, String>) -> i32 {
    params
        .get("id")
        .and_then(|id| id.parse().ok())
        .unwrap_or(-1)
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
) -> Response {
    let id = topic_id(&params);
    let (broken, deep) = {
        let t = state.lock().expect("state lock");
        (
            t.switches.broken_topics.contains(&id),
            t.switches.deep_topics.contains(&id),
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
) -> Response {
    let Some(topic) = data::topic(topic_id(&params)) else {
        return topic_not_found(topic_id(&params));
    };
    let t = state.lock().expect("state lock");
    if t.switches.broken_topics.contains(&topic.id) {
        return topic_store_unavailable();
    }
    Json(!t.switches.closed_topics.contains(&topic.id)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn routes_are_named_by_their_matched_path() {
        assert_eq!(route_name("/api/v1/Presence/GetAll"), "getall");
        assert_eq!(route_name("/{tenant}/api/v1/ChatTopic/{id}"), "topic");
        assert_eq!(route_name("/api/v1/ChatTopic/{id}/IsOpen"), "isopen");
        assert_eq!(route_name("/api/v1/User/currentPrincipal"), "principal");
        assert_eq!(route_name("/{tenant}/api/v1/Presence/SaveAll"), "saveall");
        assert_eq!(route_name("/api/v1/ChatSession"), "chatsession");
        assert_eq!(
            route_name("/{tenant}/api/v1/ChatSession/ForCurrentUser"),
            "forcurrentuser"
        );
        assert_eq!(route_name("/api/v1/ChatTopic/{id}/UserAgent"), "useragent");
    }
}
