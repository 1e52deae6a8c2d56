//! Requests to the SuperOffice Web API with the user's own CRM session.
//!
//! Every request carries the browser's cookies (`credentials: include`), asks for
//! JSON, and sends the XSRF token. It goes to the absolute API base that
//! [`crate::logic::config`] resolved and checked (so a `<base href>` cannot move it), and it
//! never follows a redirect: a redirect would carry the token to wherever the answer
//! points. Nothing in here throws: a header the browser refuses, a body too big or too
//! deep, all end as an [`ApiError`] the feed can recover from.

use crate::browser::timer::Timeout;
use crate::logic::error::ApiError;
use crate::logic::json::{self, Value};
use crate::logic::model::{read_presence, ReadError, Roster};
use crate::logic::xsrf;
use gloo_net::http::{Headers, Request};
use js_sys::JsString;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, RequestCredentials, RequestRedirect, ResponseType};

/// Longest body read, in UTF-16 units: 10,000 agents with all their field
/// properties are a few MB; anything far beyond is not an answer to show.
pub const MAX_BODY_CHARS: u32 = 32 * 1024 * 1024;

/// How a request is made: the feed derives these from its subscribed instances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallOptions {
    /// Sent as `Accept-Language`, e.g. "nb, en;q=0.9".
    pub accept_language: String,
    /// Milliseconds before the request is aborted.
    pub timeout_ms: u32,
}

/// The token from the `XSRF-TOKEN` cookie, else from SuperOffice's hidden input;
/// only a token that is a valid header value (see [`xsrf::usable_token`]).
pub fn xsrf_token() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let from_cookie = crate::browser::dom::cookie(&document)
        .and_then(|cookies| xsrf::token_from_cookies(&cookies));
    from_cookie.or_else(|| {
        crate::browser::dom::element_by_id(&document, xsrf::INPUT_ID)
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| xsrf::usable_token(&input.value()))
    })
}

/// The request headers; a value the browser refuses is left out, never thrown.
fn headers(options: &CallOptions) -> Headers {
    let raw = web_sys::Headers::new().ok();
    if let Some(raw) = &raw {
        let _ = raw.set("Accept", "application/json");
        let _ = raw.set("Accept-Language", &options.accept_language);
        if let Some(token) = xsrf_token() {
            let _ = raw.set("X-XSRF-TOKEN", &token);
        }
    }
    raw.map_or_else(Headers::new, Headers::from_raw)
}

/// `GET {base}{path}` as JSON, with a time-out. Non-success statuses become errors.
pub async fn get_json(base: &str, path: &str, options: &CallOptions) -> Result<Value, ApiError> {
    let text = get_text(base, path, options).await?;
    parse_body(&text).ok_or(ApiError::NotJson)
}

/// `GET {base}{path}`: the body of a success, as a JS string (copied into wasm memory
/// only when it is read; other tabs get it as it is); a non-success status, a
/// redirect or a failure as an error.
pub async fn get_text(base: &str, path: &str, options: &CallOptions) -> Result<JsString, ApiError> {
    let url = format!("{base}{path}");
    let controller = AbortController::new().ok();
    let request = Request::get(&url)
        .credentials(RequestCredentials::Include)
        .redirect(RequestRedirect::Manual)
        .headers(headers(options))
        .abort_signal(controller.as_ref().map(AbortController::signal).as_ref());
    // Abort when the time-out fires; the guard cancels the timer when we finish first.
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let abort = controller.clone();
    let _timer = controller.map(|controller| {
        let timed_out = timed_out.clone();
        Timeout::start(options.timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    });
    let failed = || {
        if timed_out.get() {
            ApiError::Timeout
        } else {
            ApiError::Network
        }
    };
    let response = request.send().await.map_err(|_| failed())?;
    if response.type_() == ResponseType::Opaqueredirect || (300..400).contains(&response.status()) {
        return Err(ApiError::Redirected);
    }
    let status = response.status();
    let ok = response.ok();
    let text = read_text(response.into(), &abort)
        .await
        .map_err(|_| failed())?;
    if !ok {
        let value = text.as_ref().and_then(parse_body);
        return Err(ApiError::from_status(status, value.as_ref()));
    }
    text.ok_or(ApiError::NotJson)
}

fn too_big(chars: u64) -> bool {
    chars > u64::from(MAX_BODY_CHARS)
}

/// A body's text copied into wasm memory, if it is not too big to be an answer.
fn body_text(text: &JsString) -> Option<String> {
    (!too_big(u64::from(text.length()))).then(|| String::from(text))
}

/// A body parsed as JSON, if it is JSON and not too big to be an answer.
fn parse_body(text: &JsString) -> Option<Value> {
    json::parse(&body_text(text)?).ok()
}

/// The body as text, or `None` when it is too big to be an answer (told by
/// `Content-Length` before reading, when the server says it).
async fn read_text(
    response: web_sys::Response,
    abort: &Option<AbortController>,
) -> Result<Option<JsString>, JsValue> {
    let declared = response
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|length| length.trim().parse::<u64>().ok());
    if declared.is_some_and(too_big) {
        if let Some(abort) = abort {
            abort.abort();
        }
        return Ok(None);
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text()?).await?;
    Ok(text.dyn_into::<JsString>().ok())
}

/// `GET {base}/v1/Presence/GetAll`: the decoded roster and the body's text (which a
/// polling tab shares with the others).
pub async fn fetch_presence(
    base: &str,
    options: &CallOptions,
) -> Result<(Roster, JsString), ApiError> {
    let text = get_text(base, "/v1/Presence/GetAll", options).await?;
    Ok((decode_presence_text(&text)?, text))
}

/// Decodes a `GetAll` body's text, converting only the members the widget reads.
/// Another tab's text goes through exactly the same checks as an answer's.
pub fn decode_presence_text(text: &JsString) -> Result<Roster, ApiError> {
    read_presence(&body_text(text).ok_or(ApiError::NotJson)?).map_err(|error| match error {
        ReadError::NotJson(_) => ApiError::NotJson,
        ReadError::Unexpected(error) => ApiError::Unexpected(error),
    })
}

/// A chat topic's name from `GET {base}/v1/ChatTopic/{id}`.
pub async fn fetch_topic_name(
    base: &str,
    id: i32,
    options: &CallOptions,
) -> Result<Option<String>, ApiError> {
    let body = get_json(base, &format!("/v1/ChatTopic/{id}"), options).await?;
    Ok(body
        .get("Name")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| {
            name.chars()
                .take(crate::browser::topics::MAX_NAME_CHARS)
                .collect()
        }))
}

/// Whether a chat topic is open now, from `GET {base}/v1/ChatTopic/{id}/IsOpen`.
pub async fn fetch_topic_open(
    base: &str,
    id: i32,
    options: &CallOptions,
) -> Result<Option<bool>, ApiError> {
    let body = get_json(base, &format!("/v1/ChatTopic/{id}/IsOpen"), options).await?;
    Ok(body.as_bool())
}
