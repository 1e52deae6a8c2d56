//! Requests to the SuperOffice Web API with the user's own CRM session (or a
//! sign-in's token): reads, and the one write, the user's own presence.
//!
//! Every request carries the browser's cookies (`credentials: include`), asks for
//! JSON, and sends the XSRF token. It goes to the absolute API base that
//! [`crate::logic::config`] resolved and checked (so a `<base href>` cannot move it), and it
//! never follows a redirect: a redirect would carry the token to wherever the answer
//! points. Nothing in here throws: a header the browser refuses, a body too big or too
//! deep, all end as an [`ApiError`] the feed can recover from.

use crate::browser::timer::Timeout;
use crate::logic::backoff::retry_after_ms;
use crate::logic::error::ApiError;
use crate::logic::model::Roster;
use crate::logic::wire::presence::{PresenceBody, PrincipalBody, ServerWords, TopicBody};
use crate::logic::wire::tabs::MAX_BODY_CHARS;
use crate::logic::wire::{Member, Object};
use crate::logic::xsrf;
use gloo_net::http::{Headers, Request};
use js_sys::JsString;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, RequestCache, RequestCredentials, RequestRedirect, ResponseType};

#[wasm_bindgen]
extern "C" {
    /// The browser's own `JSON.parse`, on the JS string as it came (js_sys's takes a
    /// `&str`, a copy through wasm memory). No reviver: its walk would be recursive.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;

    /// The page's `fetch`, whatever the host made of it (monitoring wrappers replace
    /// it): it may throw, and may answer with anything.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn page_fetch(request: &web_sys::Request) -> Result<JsValue, JsValue>;

    /// A UTF-8 `TextDecoder` whose `decode` answers the JS string (web-sys's copies
    /// it into wasm memory as a `String`).
    type Utf8Decoder;
    #[wasm_bindgen(constructor, js_class = "TextDecoder", catch)]
    fn new() -> Result<Utf8Decoder, JsValue>;
    #[wasm_bindgen(method, js_class = "TextDecoder", js_name = decode, catch)]
    fn decode_chunk(
        this: &Utf8Decoder,
        chunk: &JsValue,
        options: &JsValue,
    ) -> Result<JsString, JsValue>;
}

/// Longest wait for the sign-in service.
const PUBLIC_TIMEOUT_MS: u32 = 10_000;

/// A public JSON document or answer from the sign-in service: `GET url`, or `POST
/// url` with a form `body`; no cookies, never from a cache, no redirect followed,
/// bounded like every body and given up after 10 s; `None` for anything but a
/// success with JSON.
pub async fn fetch_public_json(url: &str, form: Option<&str>) -> Option<JsValue> {
    let controller = AbortController::new().ok();
    let builder = match form {
        Some(_) => Request::post(url),
        None => Request::get(url),
    }
    .credentials(RequestCredentials::Omit)
    .redirect(RequestRedirect::Error)
    .cache(RequestCache::NoStore)
    .abort_signal(controller.as_ref().map(AbortController::signal).as_ref());
    let request = match form {
        Some(body) => builder
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .ok()?,
        None => builder.build().ok()?,
    };
    let abort = controller.clone();
    let _timer = controller.map(|c| Timeout::start(PUBLIC_TIMEOUT_MS, move || c.abort()));
    let response = send(request.into()).await?;
    if !response.ok() {
        return None;
    }
    let text = read_text(response, &abort).await.ok()??;
    json_parse(&text).ok()
}

/// Sends a request gloo-net built. Not gloo-net's own `send`: it panics (which traps
/// the wasm) when `fetch` answers with anything but this realm's `Response`, as a
/// host's wrapper returning another frame's does. Here that is a failed request.
async fn send(request: web_sys::Request) -> Option<web_sys::Response> {
    let answer = js_sys::Promise::resolve(&page_fetch(&request).ok()?);
    wasm_bindgen_futures::JsFuture::from(answer)
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// How a request is made: the feed derives these from its subscribed instances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallOptions {
    /// Sent as `Accept-Language`, e.g. "nb, en;q=0.9".
    pub accept_language: String,
    /// Milliseconds before the request is aborted.
    pub timeout_ms: u32,
    /// Sign in with SuperOffice: `Authorization: Bearer` with no cookies and no
    /// XSRF header, instead of the CRM session.
    pub bearer: Option<String>,
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

/// The XSRF token a request with `options` carries: none beside a Bearer token.
pub fn session_token(options: &CallOptions) -> Option<String> {
    token_beside(options.bearer.as_deref())
}

/// The page's XSRF token, unless the requests carry `bearer` instead.
pub fn token_beside(bearer: Option<&str>) -> Option<String> {
    bearer.is_none().then(xsrf_token).flatten()
}

/// The request headers (with `json`, for a JSON body, and `xsrf`, the session's
/// token); a value the browser refuses is left out, never thrown.
fn headers(options: &CallOptions, json: bool, xsrf: Option<&str>) -> Headers {
    let raw = web_sys::Headers::new().ok();
    if let Some(raw) = &raw {
        let _ = raw.set("Accept", "application/json");
        if json {
            let _ = raw.set("Content-Type", "application/json");
        }
        let _ = raw.set("Accept-Language", &options.accept_language);
        match &options.bearer {
            Some(token) => {
                let _ = raw.set("Authorization", &format!("Bearer {token}"));
            }
            None => {
                if let Some(token) = xsrf {
                    let _ = raw.set("X-XSRF-TOKEN", token);
                }
            }
        }
    }
    raw.map_or_else(Headers::new, Headers::from_raw)
}

/// `GET {base}{path}` read as `T`, with a time-out. Non-success statuses become
/// errors; a body that is not JSON or not a `T` is [`ApiError::NotJson`].
async fn get<T: DeserializeOwned>(
    base: &str,
    path: &str,
    options: &CallOptions,
) -> Result<T, ApiError> {
    read(&get_text(base, path, options).await?).ok_or(ApiError::NotJson)
}

/// `GET {base}{path}`: the body of a success, as a JS string (copied into wasm memory
/// only when it is read; other tabs get it as it is); a non-success status, a
/// redirect or a failure as an error.
pub async fn get_text(base: &str, path: &str, options: &CallOptions) -> Result<JsString, ApiError> {
    call(base, path, None, options).await
}

/// `GET {base}{path}`, or with `json` a `POST` of that JSON text: the body of a
/// success, or the failure, under the same rules for both. A `GET` refused with
/// 401 while the session was renewed under it goes once more with the new token
/// (see [`xsrf::renewed_during`]). A `POST` never does: the renewed session may be
/// another user's, and the write was made in the name of the old one.
async fn call(
    base: &str,
    path: &str,
    json: Option<String>,
    options: &CallOptions,
) -> Result<JsString, ApiError> {
    let sent = session_token(options);
    let answer = call_once(base, path, json.clone(), options, sent.as_deref()).await;
    let now = session_token(options);
    match answer {
        Err(ApiError::SignedOut)
            if json.is_none() && xsrf::renewed_during(sent.as_deref(), now.as_deref()) =>
        {
            call_once(base, path, json, options, now.as_deref()).await
        }
        answer => answer,
    }
}

/// One request of [`call`], carrying the XSRF token `xsrf`.
async fn call_once(
    base: &str,
    path: &str,
    json: Option<String>,
    options: &CallOptions,
    xsrf: Option<&str>,
) -> Result<JsString, ApiError> {
    let url = format!("{base}{path}");
    let controller = AbortController::new().ok();
    // Never from an HTTP cache: an answer sent with `max-age` would freeze the
    // widget while it says "Updated just now".
    // The session's cookies, or none at all beside a Bearer token.
    let credentials = match options.bearer {
        Some(_) => RequestCredentials::Omit,
        None => RequestCredentials::Include,
    };
    let builder = match json {
        Some(_) => Request::post(&url),
        None => Request::get(&url),
    }
    .credentials(credentials)
    .redirect(RequestRedirect::Manual)
    .cache(RequestCache::NoStore)
    .headers(headers(options, json.is_some(), xsrf))
    .abort_signal(controller.as_ref().map(AbortController::signal).as_ref());
    let request = match json {
        Some(body) => builder.body(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
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
        } else if crate::browser::dom::offline() {
            ApiError::Offline
        } else {
            ApiError::Network
        }
    };
    let response = send(request.into()).await.ok_or_else(failed)?;
    if response.type_() == ResponseType::Opaqueredirect || (300..400).contains(&response.status()) {
        return Err(ApiError::Redirected);
    }
    let status = response.status();
    let ok = response.ok();
    // A server that is overloaded says for how long (429, 503); honoured by every
    // tab, since only one of them polls.
    let pause = matches!(status, 429 | 503)
        .then(|| response.headers().get("Retry-After").ok().flatten())
        .flatten()
        .and_then(|value| retry_after_ms(&value, crate::browser::timer::now_ms()));
    let text = read_text(response, &abort).await.map_err(|_| failed())?;
    if !ok {
        if status == 429 || pause.is_some() {
            return Err(ApiError::Busy {
                status,
                wait_ms: pause.map(|ms| ms as u32),
            });
        }
        let words = text.as_ref().and_then(read::<Object<ServerWords>>);
        return Err(ApiError::from_status(
            status,
            words.and_then(|Object(words)| words.message()),
        ));
    }
    text.ok_or(ApiError::NotJson)
}

fn too_big(chars: u64) -> bool {
    chars > MAX_BODY_CHARS as u64
}

/// A body's text parsed by the browser and read as `T`, if it is JSON, not too big
/// to be an answer, and a `T`.
fn read<T: DeserializeOwned>(text: &JsString) -> Option<T> {
    if too_big(u64::from(text.length())) {
        return None;
    }
    serde_wasm_bindgen::from_value(json_parse(text).ok()?).ok()
}

/// The body as text, or `None` when it is too big to be an answer: told by
/// `Content-Length` before reading when the server says it, else found while reading
/// it chunk by chunk (a compressed or chunked body that never ends, a gzip bomb):
/// each chunk is decoded as it comes, and reading stops as soon as the text is
/// longer than the limit, so no more than the limit is ever held.
async fn read_text(
    response: web_sys::Response,
    abort: &Option<AbortController>,
) -> Result<Option<JsString>, JsValue> {
    let give_up = || {
        if let Some(abort) = abort {
            abort.abort();
        }
        Ok(None)
    };
    let declared = response
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|length| length.trim().parse::<u64>().ok());
    if declared.is_some_and(too_big) {
        return give_up();
    }
    // A host's fetch wrapper may hand over a body already read or being read
    // (`getReader` would throw through the widget): a failed request instead.
    if response.body_used() {
        return Err(JsValue::NULL);
    }
    let Some(body) = response.body() else {
        return Ok(Some(JsString::from("")));
    };
    if body.locked() {
        return Err(JsValue::NULL);
    }
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let decoder = Utf8Decoder::new()?;
    let streaming = js_sys::Object::new();
    crate::browser::js::set(&streaming, "stream", &JsValue::TRUE);
    let mut text = JsString::from("");
    loop {
        let read = wasm_bindgen_futures::JsFuture::from(reader.read()).await?;
        if crate::browser::js::get(&read, "done").as_bool() != Some(false) {
            break;
        }
        // A chunk that is not bytes fails the request (`decode` throws).
        let chunk = crate::browser::js::get(&read, "value");
        let piece: JsValue = decoder.decode_chunk(&chunk, &streaming)?.into();
        text = text.concat(&piece);
        if too_big(u64::from(text.length())) {
            let _ = reader.cancel();
            return give_up();
        }
    }
    // The end of a character cut between the last chunks, if any.
    let rest = decoder.decode_chunk(&JsValue::UNDEFINED, &JsValue::UNDEFINED)?;
    Ok(Some(text.concat(&rest.into())))
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

/// Decodes a `GetAll` body's text; another tab's text goes through exactly the same
/// checks as an answer's.
pub fn decode_presence_text(text: &JsString) -> Result<Roster, ApiError> {
    let PresenceBody(body) = read(text).ok_or(ApiError::NotJson)?;
    body.map_err(ApiError::Unexpected)
}

/// The signed-in user's chat user id, from `GET {base}/v1/User/currentPrincipal`
/// (`None` when the answer has no usable `EjUserId`).
pub async fn fetch_principal(base: &str, options: &CallOptions) -> Result<Option<i32>, ApiError> {
    let Object(principal) =
        get::<Object<PrincipalBody>>(base, "/v1/User/currentPrincipal", options).await?;
    Ok(principal.chat_user_id())
}

/// Sets the user's own chat presence: `POST {base}/v1/Presence/SaveAll` with exactly
/// `[{"UserId": user_id, "Present": present}]`, the one write the widget makes.
pub async fn save_presence(
    base: &str,
    user_id: i32,
    present: bool,
    options: &CallOptions,
) -> Result<(), ApiError> {
    let body = format!(r#"[{{"UserId":{user_id},"Present":{present}}}]"#);
    call(base, "/v1/Presence/SaveAll", Some(body), options)
        .await
        .map(drop)
}

/// A chat topic's name from `GET {base}/v1/ChatTopic/{id}`.
pub async fn fetch_topic_name(
    base: &str,
    id: i32,
    options: &CallOptions,
) -> Result<Option<String>, ApiError> {
    let Object(topic) =
        get::<Object<TopicBody>>(base, &format!("/v1/ChatTopic/{id}"), options).await?;
    Ok(topic.name())
}

/// Whether a chat topic is open now, from `GET {base}/v1/ChatTopic/{id}/IsOpen`.
pub async fn fetch_topic_open(
    base: &str,
    id: i32,
    options: &CallOptions,
) -> Result<Option<bool>, ApiError> {
    let open = get::<Member>(base, &format!("/v1/ChatTopic/{id}/IsOpen"), options).await?;
    Ok(open.as_bool())
}
