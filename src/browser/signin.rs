//! Sign in with SuperOffice in the browser: it carries out what
//! [`crate::logic::signin`] decides. One sign-in per service and app for the page
//! (several instances sign in once), read from the discovery document at once so
//! that a click can open the pop-up synchronously (a pop-up opened later is
//! blocked). The pop-up's redirect page (`signed-in.html`) posts its answer to this
//! page only (exact origin), to its opener and over a channel named after the
//! attempt's state (a sign-in service that isolates its pages leaves the pop-up no
//! opener); the first answer for the attempt's own state is read, the ID token checked (RS256 with
//! WebCrypto, always) and the access token kept in memory
//! only, never in storage or a URL.

use crate::browser::api::fetch_public_json;
use crate::browser::js;
use crate::browser::timer::{now_ms, Timeout};
use crate::browser::urls::BrowserUrls as Urls;
use crate::logic::config::urls::UrlParser;
use crate::logic::config::SignInConfig;
use crate::logic::signin::authority::discovery_url;
use crate::logic::signin::callback::{self, Answer};
use crate::logic::signin::id_token::{self, Expected, Identity};
use crate::logic::signin::provider::{provider, Flow, Provider};
use crate::logic::signin::request::{Pending, SECRET_BYTES};
use crate::logic::signin::SignInError;
use crate::logic::wire::signin::{Claims, Discovery, Jwks, TokenHeader};
use crate::logic::wire::{Member, Object, Struct};
use leptos::prelude::*;
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// What the redirect page posts: `{ kind, params }`, `params` its fragment or query.
pub const MESSAGE_KIND: &str = "superoffice-sign-in";

/// A signed-in session: where the API is and the token it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub api_base: String,
    pub token: String,
    /// When the token ends (ms on the widget's clock).
    pub ends_at: f64,
}

/// Why the user must act.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// The sign-in service cannot be used (its discovery document).
    Unavailable,
    /// The browser blocked the pop-up.
    Blocked,
    /// The pop-up was closed before the sign-in ended.
    Closed,
    /// The answer or token was refused; nothing was sent anywhere.
    Refused(SignInError),
}

#[derive(Clone, Debug, PartialEq)]
pub enum SignInState {
    /// Reading the discovery document.
    Preparing,
    /// A click signs in.
    Ready,
    /// The pop-up is open.
    Waiting,
    SignedIn(Session),
    /// Signed in before, and a sign-in is needed again: the token ended, or the API
    /// refused it (401) or moved (421). The data stays on screen, marked.
    Again,
    Failed(Problem),
}

/// The URL of `embed.js`, which it leaves for the widget (the default redirect page
/// is beside it).
pub fn widget_base() -> Option<String> {
    let key = js_sys::Symbol::for_("superoffice.presence-widget.embed");
    js_sys::Reflect::get(&js_sys::global(), &key)
        .ok()?
        .as_string()
}

/// The access token's longest life, whatever the answer says.
const MAX_TOKEN_MS: f64 = 24.0 * 3_600_000.0;

pub struct SignIn {
    config: SignInConfig,
    allowed_origins: Vec<String>,
    pub state: ArcRwSignal<SignInState>,
    provider: RefCell<Option<Provider>>,
    pending: RefCell<Option<(Pending, web_sys::Window)>>,
    /// While waiting: looks whether the pop-up was closed.
    watch: RefCell<Option<Timeout>>,
    /// The attempt's channel, named after its state: the redirect page's answer
    /// comes this way when the pop-up lost its opener.
    channel: RefCell<Option<AnswerChannel>>,
    /// The attempt before this one, still listening on its channel: a pop-up that
    /// isolated itself looks closed, and the user who clicked again may yet finish
    /// in the first window.
    previous: RefCell<Option<(Pending, AnswerChannel)>>,
    /// When signed in: the token's end.
    ends: RefCell<Option<Timeout>>,
}

type Listener = Closure<dyn FnMut(web_sys::MessageEvent)>;

/// A sign-in attempt's `BroadcastChannel` and its listener; closed when dropped.
struct AnswerChannel {
    channel: web_sys::BroadcastChannel,
    _on_message: Listener,
}

impl Drop for AnswerChannel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

/// The name of the channel the redirect page answers attempt `state` on
/// (`signed-in.js` names it the same way).
fn channel_name(state: &str) -> String {
    format!("{MESSAGE_KIND}:{state}")
}

/// The `params` of a redirect page's message, if it is one from this page's origin.
fn answer_params(event: &web_sys::MessageEvent) -> Option<String> {
    if event.origin() != page_origin() {
        return None;
    }
    let data = event.data();
    if js::get(&data, "kind").as_string().as_deref() != Some(MESSAGE_KIND) {
        return None;
    }
    js::get(&data, "params").as_string()
}

thread_local! {
    static SIGN_INS: RefCell<HashMap<(String, String), Rc<SignIn>>> = RefCell::new(HashMap::new());
    static LISTENING: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn page_origin() -> String {
    window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

impl SignIn {
    /// The page's sign-in for this service and app (with the first instance's
    /// allowed origins), read from its discovery document on first use.
    pub fn for_config(config: &SignInConfig, allowed_origins: &[String]) -> Rc<SignIn> {
        let key = (config.authority.clone(), config.client_id.clone());
        if let Some(existing) = SIGN_INS.with(|all| all.borrow().get(&key).cloned()) {
            return existing;
        }
        listen();
        let sign_in = Rc::new(SignIn {
            config: config.clone(),
            allowed_origins: allowed_origins.to_vec(),
            state: ArcRwSignal::new(SignInState::Preparing),
            provider: RefCell::new(None),
            pending: RefCell::new(None),
            watch: RefCell::new(None),
            channel: RefCell::new(None),
            previous: RefCell::new(None),
            ends: RefCell::new(None),
        });
        SIGN_INS.with(|all| all.borrow_mut().insert(key, Rc::clone(&sign_in)));
        let this = Rc::clone(&sign_in);
        wasm_bindgen_futures::spawn_local(async move { this.discover().await });
        sign_in
    }

    async fn discover(&self) {
        let authority_origin = Urls
            .parse(&self.config.authority, None)
            .map(|u| u.origin)
            .unwrap_or_default();
        let document = fetch_public_json(&discovery_url(&self.config.authority), None).await;
        let found = document
            .and_then(|d| serde_wasm_bindgen::from_value::<Object<Discovery>>(d).ok())
            .map(|Object(d)| provider(&d, &authority_origin, &Urls));
        match found {
            Some(Ok(provider)) => {
                *self.provider.borrow_mut() = Some(provider);
                self.state.set(SignInState::Ready);
            }
            _ => self.state.set(SignInState::Failed(Problem::Unavailable)),
        }
    }

    /// Opens the pop-up: call it from the user's click, synchronously.
    pub fn begin(self: &Rc<Self>) {
        let Some(provider) = self.provider.borrow().clone() else {
            // Not read yet (or unusable): read it again, saying so meanwhile.
            self.state.set(SignInState::Preparing);
            let this = Rc::clone(self);
            wasm_bindgen_futures::spawn_local(async move { this.discover().await });
            return;
        };
        let Some(window) = window() else { return };
        // A pop-up still open is brought forward, not sent to a new request (which
        // would lose what the user typed there).
        if let Some((_, popup)) = self.pending.borrow().as_ref() {
            if !popup.closed().unwrap_or(true) {
                let _ = popup.focus();
                return;
            }
        }
        let mut random = [0u8; 3 * SECRET_BYTES];
        let Some(crypto) = window.crypto().ok() else {
            return;
        };
        if crypto.get_random_values_with_u8_array(&mut random).is_err() {
            return;
        }
        let pending = Pending::new(&random, provider.flow, &self.config.redirect_uri);
        // A name of this attempt's own: a fixed one would let any frame of the page
        // load something else into the window this widget opened.
        let name = format!("superoffice-sign-in-{}", &pending.state[..16]);
        let popup = window
            .open_with_url_and_target_and_features("", &name, "popup,width=520,height=680")
            .ok()
            .flatten();
        let Some(popup) = popup else {
            self.state.set(SignInState::Failed(Problem::Blocked));
            return;
        };
        let replaced = self
            .pending
            .borrow_mut()
            .replace((pending.clone(), popup.clone()));
        let channel = self.channel.replace(self.open_channel(&pending.state));
        if let Some(((old, _), channel)) = replaced.zip(channel) {
            *self.previous.borrow_mut() = Some((old, channel));
        }
        self.state.set(SignInState::Waiting);
        self.watch_popup();
        let client_id = self.config.client_id.clone();
        match (provider.flow, pending.verifier.clone()) {
            (Flow::CodePkce, Some(verifier)) => {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(challenge) = sha256(verifier.as_bytes()).await {
                        let url = pending.authorize_url(&provider, &client_id, Some(&challenge));
                        let _ = popup.location().set_href(&url);
                    }
                });
            }
            _ => {
                let url = pending.authorize_url(&provider, &client_id, None);
                let _ = popup.location().set_href(&url);
            }
        }
    }

    /// Every half second while waiting: a pop-up closed without an answer ends the
    /// attempt (with a message and the button again, never a loop).
    fn watch_popup(self: &Rc<Self>) {
        self.watch_popup_after(false);
    }

    /// Closed at two looks in a row: the redirect page closes itself right after
    /// posting, and its message may be on its way at the first.
    fn watch_popup_after(self: &Rc<Self>, seen_closed: bool) {
        let weak = Rc::downgrade(self);
        let timer = Timeout::start(500, move || {
            let Some(this) = weak.upgrade() else { return };
            let closed = this
                .pending
                .borrow()
                .as_ref()
                .map(|(_, popup)| popup.closed().unwrap_or(true));
            match closed {
                // Closed, or isolated from this page by the sign-in service's opener
                // policy (which looks the same from here): the attempt goes on
                // listening on its channel, and the button is offered again.
                Some(true) if seen_closed => {
                    if this.channel.borrow().is_none() {
                        this.pending.borrow_mut().take();
                    }
                    this.state.set(SignInState::Failed(Problem::Closed));
                }
                Some(closed) => this.watch_popup_after(closed),
                None => {}
            }
        });
        *self.watch.borrow_mut() = Some(timer);
    }

    /// Listens on the attempt's channel (`None` where the browser has none).
    fn open_channel(self: &Rc<Self>, state: &str) -> Option<AnswerChannel> {
        let channel = web_sys::BroadcastChannel::new(&channel_name(state)).ok()?;
        let weak = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                if let (Some(this), Some(params)) = (weak.upgrade(), answer_params(&event)) {
                    this.answer(None, params);
                }
            },
        );
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(AnswerChannel {
            channel,
            _on_message: on_message,
        })
    }

    /// The redirect page's answer, if it came from this sign-in's pop-up (`source`,
    /// a window message) or over its attempt's channel (`None`).
    fn answer(self: &Rc<Self>, source: Option<&JsValue>, params: String) {
        // An answer to another request (something else loaded into the pop-up) is
        // passed over: it must not cancel the sign-in the user is doing.
        let ours =
            |pending: &Pending| callback::read(&params, pending) != Err(SignInError::StateMismatch);
        let current = self.pending.borrow().as_ref().and_then(|(pending, popup)| {
            let from_it = source.is_none_or(|s| JsValue::from(popup) == *s);
            (from_it && ours(pending)).then(|| pending.clone())
        });
        // Over a channel, the attempt before this one may answer too.
        let previous = || {
            let previous = self.previous.borrow();
            let (pending, _) = previous.as_ref().filter(|_| source.is_none())?;
            ours(pending).then(|| pending.clone())
        };
        let Some(pending) = current.or_else(previous) else {
            return;
        };
        // Used once: whichever way and for whichever attempt it came first, the
        // sign-in ends here.
        if let Some((_, popup)) = self.pending.borrow_mut().take() {
            let _ = popup.close();
        }
        self.channel.borrow_mut().take();
        self.previous.borrow_mut().take();
        self.watch.borrow_mut().take();
        let this = Rc::clone(self);
        wasm_bindgen_futures::spawn_local(async move {
            match this.finish(&params, &pending).await {
                Ok(session) => this.signed_in(session),
                Err(error) => this.state.set(SignInState::Failed(Problem::Refused(error))),
            }
        });
    }

    async fn finish(&self, params: &str, pending: &Pending) -> Result<Session, SignInError> {
        let provider = self
            .provider
            .borrow()
            .clone()
            .ok_or(SignInError::Malformed)?;
        let answer = callback::read(params, pending)?;
        let implicit = matches!(answer, Answer::Tokens { .. });
        let (id_token, access_token, expires_in) = match answer {
            Answer::Tokens {
                id_token,
                access_token,
                expires_in,
            } => (id_token, access_token, expires_in),
            Answer::Code(code) => {
                let body = pending
                    .token_request(&self.config.client_id, &code)
                    .ok_or(SignInError::Malformed)?;
                let token = provider.token.as_deref().ok_or(SignInError::Malformed)?;
                let answer = fetch_public_json(token, Some(&body))
                    .await
                    .ok_or(SignInError::Malformed)?;
                let Object(answer) = serde_wasm_bindgen::from_value::<Object<TokenAnswer>>(answer)
                    .map_err(|_| SignInError::Malformed)?;
                (
                    answer.id_token.0.ok_or(SignInError::Malformed)?,
                    answer.access_token.0.ok_or(SignInError::Malformed)?,
                    answer.expires_in.finite().map(|s| s as u32),
                )
            }
        };
        let identity = self
            .check(&provider, &id_token, &access_token, implicit, pending)
            .await?;
        let life = expires_in.map_or(3_600_000.0, |s| f64::from(s) * 1000.0);
        let token_end = js_sys::Date::now() + life.min(MAX_TOKEN_MS);
        let ends_at =
            now_ms() + (token_end.min(identity.expires_at * 1000.0) - js_sys::Date::now());
        Ok(Session {
            api_base: identity.api_base,
            token: access_token,
            ends_at,
        })
    }

    /// The ID token's checks: its form, its signature (when the key set can be
    /// read), then its claims.
    async fn check(
        &self,
        provider: &Provider,
        token: &str,
        access_token: &str,
        implicit: bool,
        pending: &Pending,
    ) -> Result<Identity, SignInError> {
        let parts = id_token::parts(token).ok_or(SignInError::Malformed)?;
        let header: TokenHeader = decode_json(parts.header).ok_or(SignInError::Malformed)?;
        let claims: Claims = decode_json(parts.payload).ok_or(SignInError::Malformed)?;
        // Never skipped: no key set, or one that cannot be read, is no sign-in.
        let url = provider.jwks.as_deref().ok_or(SignInError::BadSignature)?;
        let keys = fetch_public_json(url, None)
            .await
            .ok_or(SignInError::BadSignature)?;
        let Object(keys) = serde_wasm_bindgen::from_value::<Object<Jwks>>(keys)
            .map_err(|_| SignInError::BadSignature)?;
        let key = id_token::key_for(&header, &keys)?;
        let signature = id_token::decode(parts.signature).ok_or(SignInError::BadSignature)?;
        if !verify_rs256(&key.n, &key.e, &signature, parts.signed.as_bytes()).await {
            return Err(SignInError::BadSignature);
        }
        let digest = sha256(access_token.as_bytes())
            .await
            .ok_or(SignInError::WrongAccessToken)?;
        id_token::check_at_hash(&claims, &digest, implicit)?;
        let expected = Expected {
            issuer: &provider.issuer,
            client_id: &self.config.client_id,
            pending,
            allowed_origins: &self.allowed_origins,
            now: js_sys::Date::now() / 1000.0,
        };
        id_token::check(&claims, &expected, &Urls)
    }

    fn signed_in(self: &Rc<Self>, session: Session) {
        let weak = Rc::downgrade(self);
        let wait = (session.ends_at - now_ms()).clamp(0.0, MAX_TOKEN_MS) as u32;
        *self.ends.borrow_mut() = Some(Timeout::start(wait, move || {
            if let Some(this) = weak.upgrade() {
                this.again();
            }
        }));
        self.state.set(SignInState::SignedIn(session));
    }

    /// The token ended, or the API refused it or moved: the user signs in again.
    pub fn again(&self) {
        self.ends.borrow_mut().take();
        if matches!(self.state.get_untracked(), SignInState::SignedIn(_)) {
            self.state.set(SignInState::Again);
        }
    }
}

/// The token endpoint's answer (code flow).
#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenAnswer {
    id_token: Token,
    access_token: Token,
    expires_in: Member,
}

/// A token from the token endpoint, whole and up to [`id_token::MAX_TOKEN_CHARS`]
/// (a [`Member`]'s text is cut far shorter, and real access tokens are JWTs of a few
/// kilobytes), else none. Its length is looked at before it is copied out of the JS
/// string.
#[derive(Default)]
struct Token(Option<String>);

impl<'de> Deserialize<'de> for Token {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value: JsValue = serde_wasm_bindgen::preserve::deserialize(deserializer)?;
        Ok(Token(
            value
                .dyn_ref::<js_sys::JsString>()
                .filter(|text| (1..=id_token::MAX_TOKEN_CHARS).contains(&(text.length() as usize)))
                .map(String::from),
        ))
    }
}

impl Struct for TokenAnswer {
    const FIELDS: &'static [&'static str] = &["id_token", "access_token", "expires_in"];
}

/// A token part's JSON, read as `T`.
fn decode_json<T: serde::de::DeserializeOwned + Struct>(part: &str) -> Option<T> {
    let bytes = id_token::decode(part)?;
    let text = String::from_utf8(bytes).ok()?;
    let value = js_sys::JSON::parse(&text).ok()?;
    serde_wasm_bindgen::from_value::<Object<T>>(value)
        .ok()
        .map(|Object(t)| t)
}

/// SHA-256 by WebCrypto.
async fn sha256(bytes: &[u8]) -> Option<Vec<u8>> {
    let subtle = window()?.crypto().ok()?.subtle();
    let digest = subtle.digest_with_str_and_u8_array("SHA-256", bytes).ok()?;
    let digest = wasm_bindgen_futures::JsFuture::from(digest).await.ok()?;
    Some(js_sys::Uint8Array::new(&digest).to_vec())
}

/// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) by WebCrypto.
async fn verify_rs256(n: &str, e: &str, signature: &[u8], signed: &[u8]) -> bool {
    let Some(subtle) = window().and_then(|w| w.crypto().ok()).map(|c| c.subtle()) else {
        return false;
    };
    let jwk = js_sys::Object::new();
    for (key, value) in [("kty", "RSA"), ("n", n), ("e", e), ("alg", "RS256")] {
        js::set(&jwk, key, &JsValue::from_str(value));
    }
    let algorithm = js_sys::Object::new();
    js::set(&algorithm, "name", &JsValue::from_str("RSASSA-PKCS1-v1_5"));
    js::set(&algorithm, "hash", &JsValue::from_str("SHA-256"));
    let usages = js_sys::Array::of1(&JsValue::from_str("verify"));
    let Ok(imported) = subtle.import_key_with_object("jwk", &jwk, &algorithm, false, &usages)
    else {
        return false;
    };
    let Ok(key) = wasm_bindgen_futures::JsFuture::from(imported).await else {
        return false;
    };
    let Ok(key) = key.dyn_into::<web_sys::CryptoKey>() else {
        return false;
    };
    let Ok(verified) =
        subtle.verify_with_object_and_u8_array_and_u8_array(&algorithm, &key, signature, signed)
    else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(verified)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        == Some(true)
}

/// One `message` listener for the page: answers from a redirect page of this origin.
fn listen() {
    LISTENING.with(|listening| {
        if listening.borrow().is_some() {
            return;
        }
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|event: web_sys::MessageEvent| {
                // Only this page's origin: the redirect page is on it, and posts to it only.
                let Some(params) = answer_params(&event) else {
                    return;
                };
                let Some(source) = event.source() else { return };
                let source = JsValue::from(source);
                let all: Vec<Rc<SignIn>> =
                    SIGN_INS.with(|all| all.borrow().values().cloned().collect());
                for sign_in in all {
                    sign_in.answer(Some(&source), params.clone());
                }
            });
        if let Some(window) = window() {
            let _ = window
                .add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        }
        *listening.borrow_mut() = Some(on_message);
    });
}
