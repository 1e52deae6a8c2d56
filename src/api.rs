//! Requests to the SuperOffice Web API with the user's own CRM session.
//!
//! Every request carries the browser's cookies (`credentials: include`), asks for
//! JSON, and sends the XSRF token. The token is only ever sent to the configured API
//! base, whose origin [`crate::config`] has already checked.

use crate::error::ApiError;
use crate::json::Value;
use crate::model::{decode_lean, LeanBody, Roster};
use crate::xsrf;
use gloo_net::http::Request;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, RequestCredentials};

/// The request settings shared by one widget instance's calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The API base, e.g. "/api" or "/Cust12345/api".
    pub base: String,
    /// Sent as `Accept-Language`.
    pub lang: &'static str,
    /// Milliseconds before a request is aborted.
    pub timeout_ms: u32,
}

/// The token from the `XSRF-TOKEN` cookie, else from SuperOffice's hidden input.
pub fn xsrf_token() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let from_cookie = document
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|html| html.cookie().ok())
        .and_then(|cookies| xsrf::token_from_cookies(&cookies));
    from_cookie.or_else(|| {
        document
            .get_element_by_id(xsrf::INPUT_ID)
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|input| input.value().trim().to_owned())
            .filter(|token| !token.is_empty())
    })
}

/// `GET {base}{path}` as JSON, with a time-out. Non-success statuses become errors.
pub async fn get_json(endpoint: &Endpoint, path: &str) -> Result<Value, ApiError> {
    to_value(&get_js(endpoint, path).await?).ok_or(ApiError::NotJson)
}

/// `GET {base}{path}`, parsed by the browser's JSON parser but not yet converted.
pub async fn get_js(endpoint: &Endpoint, path: &str) -> Result<JsValue, ApiError> {
    let url = format!("{}{path}", endpoint.base);
    let controller = AbortController::new().ok();
    let mut request = Request::get(&url)
        .credentials(RequestCredentials::Include)
        .header("Accept", "application/json")
        .header("Accept-Language", endpoint.lang)
        .abort_signal(controller.as_ref().map(AbortController::signal).as_ref());
    if let Some(token) = xsrf_token() {
        request = request.header("X-XSRF-TOKEN", &token);
    }
    // Abort when the time-out fires; the guard cancels the timer when we finish first.
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let _timer = controller.map(|controller| {
        let timed_out = timed_out.clone();
        Timeout::start(endpoint.timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    });
    let failed = |_| {
        if timed_out.get() {
            ApiError::Timeout
        } else {
            ApiError::Network
        }
    };
    let response = request.send().await.map_err(failed)?;
    let text = response.text().await.map_err(failed)?;
    let body = js_sys::JSON::parse(&text).ok();
    if !response.ok() {
        let value = body.as_ref().and_then(to_value);
        return Err(ApiError::from_status(response.status(), value.as_ref()));
    }
    body.ok_or(ApiError::NotJson)
}

/// Converts a parsed JSON value into [`Value`].
fn to_value(parsed: &JsValue) -> Option<Value> {
    serde_wasm_bindgen::from_value(parsed.clone()).ok()
}

/// `GET {base}/v1/Presence/GetAll`: the decoded roster and the parsed body (which a
/// polling tab shares with the others).
pub async fn fetch_presence(endpoint: &Endpoint) -> Result<(Roster, JsValue), ApiError> {
    let body = get_js(endpoint, "/v1/Presence/GetAll").await?;
    Ok((decode_presence_js(&body)?, body))
}

/// Decodes a parsed `GetAll` body, converting only the members the widget reads.
pub fn decode_presence_js(body: &JsValue) -> Result<Roster, ApiError> {
    let lean: LeanBody =
        serde_wasm_bindgen::from_value(body.clone()).map_err(|_| ApiError::NotJson)?;
    decode_lean(&lean).map_err(ApiError::Unexpected)
}

/// A chat topic's name from `GET {base}/v1/ChatTopic/{id}`.
pub async fn fetch_topic_name(endpoint: &Endpoint, id: i32) -> Result<Option<String>, ApiError> {
    let body = get_json(endpoint, &format!("/v1/ChatTopic/{id}")).await?;
    Ok(body
        .get("Name")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned))
}

/// Whether a chat topic is open now, from `GET {base}/v1/ChatTopic/{id}/IsOpen`.
pub async fn fetch_topic_open(endpoint: &Endpoint, id: i32) -> Result<Option<bool>, ApiError> {
    let body = get_json(endpoint, &format!("/v1/ChatTopic/{id}/IsOpen")).await?;
    Ok(body.as_bool())
}

/// A `setTimeout` that is cleared when dropped.
pub struct Timeout {
    id: Option<i32>,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn start(ms: u32, f: impl FnOnce() + 'static) -> Timeout {
        let mut f = Some(f);
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f();
            }
        });
        let id = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                ms.min(i32::MAX as u32) as i32,
            )
            .ok()
        });
        Timeout {
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let (Some(id), Some(window)) = (self.id, web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
    }
}
