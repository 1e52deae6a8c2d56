//! The tenant's sign-in service, as SuperOffice's (OpenID Connect) behaves for a
//! browser app: a discovery document, an authorize endpoint with a consent page,
//! the implicit flow (`id_token token`) or code + PKCE (switch `signin_flow`), a
//! token endpoint, a key set, RS256 ID tokens with SuperOffice's claims, and Bearer
//! tokens that the Web API accepts (see `api::gate`) with CORS for the origins in
//! `signin_origins`. Switches make it misbehave: `bad_token`, `token_seconds`,
//! `misdirected` (421).
//!
//! Routes: `GET /login/.well-known/openid-configuration`,
//! `GET /login/common/oauth/authorize` (the consent page), `POST
//! /login/common/oauth/consent` (its form), `POST /login/common/oauth/tokens`,
//! `GET /login/common/discovery/keys`.

mod token;

use crate::cli::SignInFlow;
use crate::crm::escape;
use crate::state::Shared;
use axum::{
    extract::{Form, Query, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};
pub use token::Keys;

/// Access tokens and codes the service has handed out.
#[derive(Default)]
pub struct Grants {
    /// Access token -> when it expires (seconds since the epoch).
    tokens: HashMap<String, u64>,
    /// Authorization code -> what it was issued for.
    codes: HashMap<String, Code>,
}

struct Code {
    client_id: String,
    redirect_uri: String,
    nonce: String,
    challenge: String,
}

/// At most this many live tokens and codes are kept (the oldest go).
const MAX_GRANTS: usize = 1_000;

impl Grants {
    /// Whether `token` is a live access token.
    pub fn valid(&self, token: &str) -> bool {
        self.tokens.get(token).is_some_and(|exp| *exp > now())
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The service's routes, on the tenant's origin.
pub fn routes(state: Shared) -> Router<Shared> {
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/common/oauth/authorize", get(authorize))
        .route("/common/oauth/consent", post(consent))
        .route("/common/oauth/tokens", post(tokens).options(preflight))
        .route("/common/discovery/keys", get(keys))
        .layer(middleware::from_fn_with_state(state, cors_for_pages))
}

/// The origin requests reach this server by (`http://127.0.0.1:8081`): the issuer,
/// the endpoints and the `webapi_url` are all on it.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

async fn discovery(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let origin = origin(&headers);
    let flow = state.lock().expect("state lock").switches.signin_flow;
    let mut methods = vec!["client_secret_post", "client_secret_basic"];
    if flow == SignInFlow::Pkce {
        methods.push("none");
    }
    Json(json!({
        "issuer": origin,
        "authorization_endpoint": format!("{origin}/login/common/oauth/authorize"),
        "token_endpoint": format!("{origin}/login/common/oauth/tokens"),
        "jwks_uri": format!("{origin}/login/common/discovery/keys"),
        "response_types_supported": ["code", "id_token", "id_token token", "code id_token"],
        "token_endpoint_auth_methods_supported": methods,
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid"],
        "subject_types_supported": ["public"],
    }))
    .into_response()
}

async fn keys() -> Response {
    Json(Keys::get().jwks()).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AuthorizeQuery {
    client_id: String,
    redirect_uri: String,
    response_type: String,
    scope: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
}

/// Whether the request is one this service answers (else a page that says why,
/// never a redirect to an unregistered URL).
fn refusal(state: &Shared, q: &AuthorizeQuery) -> Option<&'static str> {
    let t = state.lock().expect("state lock");
    let redirect_origin = url::Url::parse(&q.redirect_uri)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    if q.client_id != t.switches.client_id {
        Some("Unknown application (client_id).")
    } else if !t.switches.signin_origins.allows(&redirect_origin) {
        Some("The redirect URL is not registered for this application.")
    } else if q.scope.split(' ').all(|s| s != "openid") || q.nonce.is_empty() {
        Some("The request needs scope openid and a nonce.")
    } else {
        let pkce = t.switches.signin_flow == SignInFlow::Pkce;
        match q.response_type.as_str() {
            "id_token token" | "token id_token" => None,
            "code" if pkce && q.code_challenge_method == "S256" && q.code_challenge.len() >= 43 => {
                None
            }
            "code" => Some("This application must use PKCE (S256)."),
            _ => Some("Unsupported response_type."),
        }
    }
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}}\
button{{font:inherit;padding:.4rem 1rem;margin-right:.5rem}}</style></head><body>{body}</body></html>",
        title = escape(title)
    ))
}

/// The consent page: "Allow" posts the request back, "Deny" refuses it.
async fn authorize(State(state): State<Shared>, Query(q): Query<AuthorizeQuery>) -> Response {
    if let Some(why) = refusal(&state, &q) {
        return (
            StatusCode::BAD_REQUEST,
            page(
                "Sign-in error",
                &format!("<h1>Sign-in error</h1><p>{}</p>", escape(why)),
            ),
        )
            .into_response();
    }
    let field = |name: &str, value: &str| {
        format!(
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            escape(value)
        )
    };
    let fields: String = [
        ("client_id", &q.client_id),
        ("redirect_uri", &q.redirect_uri),
        ("response_type", &q.response_type),
        ("scope", &q.scope),
        ("state", &q.state),
        ("nonce", &q.nonce),
        ("code_challenge", &q.code_challenge),
        ("code_challenge_method", &q.code_challenge_method),
    ]
    .iter()
    .map(|(name, value)| field(name, value))
    .collect();
    let isolated = state.lock().expect("state lock").switches.signin_isolated;
    let mut response = page(
        "Sign in to SuperOffice (development)",
        &format!(
            "<h1>Sign in to SuperOffice</h1><p>The chat presence widget asks to read \
chat presence as you (development tenant Cust12345).</p>\
<form method=\"post\" action=\"/login/common/oauth/consent\">{fields}\
<button name=\"answer\" value=\"allow\">Allow</button>\
<button name=\"answer\" value=\"deny\">Deny</button></form>"
        ),
    )
    .into_response();
    if isolated {
        response.headers_mut().insert(
            "cross-origin-opener-policy",
            axum::http::HeaderValue::from_static("same-origin"),
        );
    }
    response
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConsentForm {
    #[serde(flatten)]
    request: AuthorizeQuery,
    answer: String,
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        out.append_pair(key, value);
    }
    out.finish()
}

/// Back to the app's redirect URL: tokens in the fragment (implicit), a code in the
/// query (PKCE), or `error=access_denied`.
async fn consent(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<ConsentForm>,
) -> Response {
    let q = f.request;
    if let Some(why) = refusal(&state, &q) {
        return (
            StatusCode::BAD_REQUEST,
            page("Sign-in error", &format!("<p>{}</p>", escape(why))),
        )
            .into_response();
    }
    let implicit = q.response_type != "code";
    let separator = if implicit { '#' } else { '?' };
    if f.answer != "allow" {
        let answer = form(&[("error", "access_denied"), ("state", &q.state)]);
        return Redirect::to(&format!("{}{separator}{answer}", q.redirect_uri)).into_response();
    }
    let origin = origin(&headers);
    let mut t = state.lock().expect("state lock");
    let answer = if implicit {
        let issued = token::issue(&mut t, &origin, &q.client_id, &q.nonce);
        form(&[
            ("id_token", &issued.id_token),
            ("access_token", &issued.access_token),
            ("token_type", "Bearer"),
            ("expires_in", &issued.expires_in.to_string()),
            ("state", &q.state),
        ])
    } else {
        let code = t.new_secret();
        let grants = &mut t.grants;
        if grants.codes.len() >= MAX_GRANTS {
            grants.codes.clear();
        }
        grants.codes.insert(
            code.clone(),
            Code {
                client_id: q.client_id.clone(),
                redirect_uri: q.redirect_uri.clone(),
                nonce: q.nonce.clone(),
                challenge: q.code_challenge.clone(),
            },
        );
        form(&[("code", &code), ("state", &q.state)])
    };
    Redirect::to(&format!("{}{separator}{answer}", q.redirect_uri)).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    grant_type: String,
    client_id: String,
    code: String,
    redirect_uri: String,
    code_verifier: String,
}

fn oauth_error(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response()
}

/// The code flow's token endpoint: a code, once, for the verifier whose SHA-256 was
/// its challenge, from the client and redirect URL it was issued to.
async fn tokens(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<TokenForm>,
) -> Response {
    let mut t = state.lock().expect("state lock");
    if t.switches.signin_flow != SignInFlow::Pkce || f.grant_type != "authorization_code" {
        return oauth_error("unsupported_grant_type");
    }
    let Some(code) = t.grants.codes.remove(&f.code) else {
        return oauth_error("invalid_grant");
    };
    let challenge = token::base64url(&Sha256::digest(f.code_verifier.as_bytes()));
    if code.client_id != f.client_id
        || code.redirect_uri != f.redirect_uri
        || code.challenge != challenge
    {
        return oauth_error("invalid_grant");
    }
    let issued = token::issue(&mut t, &origin(&headers), &code.client_id, &code.nonce);
    Json(json!({
        "id_token": issued.id_token,
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
    }))
    .into_response()
}

async fn preflight() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// CORS for the pages of `signin_origins` (the key set and the token endpoint are
/// read from their pages), on these routes and, with the headers the widget sends,
/// on the Web API's ([`cors_for_api`]).
async fn cors_for_pages(State(state): State<Shared>, request: Request, next: Next) -> Response {
    cors(&state, request, next, "content-type").await
}

/// CORS for Bearer requests to the Web API from the pages of `signin_origins`.
pub async fn cors_for_api(State(state): State<Shared>, request: Request, next: Next) -> Response {
    cors(
        &state,
        request,
        next,
        "authorization, accept, accept-language, content-type",
    )
    .await
}

async fn cors(
    state: &Shared,
    request: Request,
    next: Next,
    allowed_headers: &'static str,
) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let allowed = origin.as_deref().is_some_and(|o| {
        state
            .lock()
            .expect("state lock")
            .switches
            .signin_origins
            .allows(o)
    });
    let preflight = request.method() == Method::OPTIONS;
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let (true, Some(origin)) = (allowed, origin) {
        if let Ok(origin) = HeaderValue::from_str(&origin) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        if preflight {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(allowed_headers),
            );
            headers.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
    }
    response
}
