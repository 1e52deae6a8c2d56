//! The CRM around the widget, as far as deploying it goes: a CRM-like page with a
//! side panel, the CRMScript page that CRM Online serves in that panel, and a second
//! origin that serves the widget's files as a static host or CDN would.
//!
//! - `GET /{tenant}/default.aspx?lang=..`: a CRM-like page whose 300 px side panel is
//!   an iframe on the web panel URL, with the CRM's template variables (`<cscu>`,
//!   `<csiu>`, `<uctx>`, `<usid>`, `<lang>`) filled in as the CRM does.
//! - `GET /{tenant}/CS/scripts/customer.fcgi?action=safeParse&includeId=..&key=..`:
//!   what `deploy/superoffice-online/presence-panel.crmscript` prints (same markup,
//!   same checks); a wrong include id or key gets a 403 page, as the real one errs.
//! - The files origin ([`files_app`]): the widget's `dist/` under `/widget/`, with
//!   CORS and caching headers, and again under `/store/` where `.wasm` files are
//!   labelled `application/octet-stream`, as a file store that does not know wasm.

use axum::{
    extract::{Path, Query, Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{Html, IntoResponse, Response},
    Router,
};
use serde::Deserialize;
use tower_http::services::ServeDir;

/// The web panel's include id and key in the development tenant.
pub const INCLUDE_ID: &str = "presence-panel";
pub const KEY: &str = "dev-panel-key";
/// The web panel URL as an administrator enters it. `<cscu>` is the tenant's
/// `customer.fcgi` URL; the CRM fills in a Service variable only when a `?`
/// follows it.
pub const PANEL_URL: &str =
    "<cscu>?action=safeParse&includeId=presence-panel&key=dev-panel-key&lang=<lang>";
/// The panel page's only style, allowed by its hash under the page's CSP.
pub const PANEL_STYLE: &str = "html,body{margin:0;background:transparent}";
pub const PANEL_STYLE_HASH: &str = "sha256-WYkY0BOPEWJ8rhuE7h6ggXDZY48p5KADJb7vmGBLneQ=";
/// The signed-in associate the CRM-like page pretends to be (`<usid>`).
const USID: &str = "17";

/// Escapes text for HTML text and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A tenant path segment as CRM Online has them (`Cust12345`), or `None`.
fn tenant_name(tenant: &str) -> Option<&str> {
    let digits = tenant.strip_prefix("Cust")?;
    (!digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(tenant)
}

/// The panel URL's `lang` if it looks like a language tag ("en", "nb-NO"): 2 to 35
/// letters, digits and hyphens, starting with a letter (the CRMScript's own check).
/// It goes into the page's `lang` attribute, never anything else.
pub fn language_tag(value: &str) -> Option<&str> {
    let ok = (2..=35).contains(&value.len())
        && value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ok.then_some(value)
}

/// The widget's files as the panel page loads them: an absolute `https:` (here also
/// loopback `http:`) URL ending in `/`. Anything else is refused: the page would
/// otherwise load script from wherever a setting points.
pub fn widget_base(value: &str) -> Option<&str> {
    let url = url::Url::parse(value).ok()?;
    let loopback = url.host_str().is_some_and(crate::guard::loopback_host);
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    let plain = url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
        && !value.contains(['"', '\'', '<', '>', ' ', ';', ','])
        && value.ends_with('/');
    (scheme_ok && plain).then_some(value)
}

/// The page a CRMScript prints for the web panel: the widget from `base` on a page of
/// the tenant's own origin, so that it reads the tenant's `XSRF-TOKEN` and calls
/// `/CustNNNNN/api` (found from the page's path). Its CSP names only the widget's
/// files and the page's own origin.
pub fn panel_page(base: &str, lang: Option<&str>, integrity: &str) -> String {
    let lang = lang
        .map(|l| format!(" lang=\"{}\"", escape(l)))
        .unwrap_or_default();
    let base = escape(base);
    let integrity = escape(integrity);
    format!(
        r#"<!doctype html>
<html{lang}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {base} 'wasm-unsafe-eval'; connect-src 'self' {base}; style-src '{PANEL_STYLE_HASH}'; base-uri 'none'; form-action 'none'">
<title>Chat presence</title>
<style>{PANEL_STYLE}</style>
<script type="module" src="{base}embed.js" integrity="{integrity}" crossorigin="anonymous"></script>
</head>
<body>
<div data-presence-widget></div>
</body>
</html>
"#
    )
}

/// `sha384-…`: a file's Subresource Integrity value.
pub fn sri(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("sha384-{}", base64(&sha2::Sha384::digest(bytes)))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, b| n << 8 | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[derive(Deserialize, Default)]
pub struct ScriptQuery {
    action: Option<String>,
    #[serde(rename = "includeId")]
    include_id: Option<String>,
    key: Option<String>,
    lang: Option<String>,
}

fn refusal(status: StatusCode, text: &str) -> Response {
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Error</title></head>\
<body><h1>Error</h1><p>{}</p></body></html>",
        escape(text)
    );
    (status, Html(page)).into_response()
}

/// `GET /{tenant}/CS/scripts/customer.fcgi`: the CRMScript-like panel page.
pub async fn customer_fcgi(
    State(state): State<crate::state::Shared>,
    Path(tenant): Path<String>,
    Query(q): Query<ScriptQuery>,
) -> Response {
    if tenant_name(&tenant).is_none() {
        return refusal(StatusCode::NOT_FOUND, "No such customer.");
    }
    if q.action.as_deref() != Some("safeParse") {
        return refusal(StatusCode::BAD_REQUEST, "Unknown action.");
    }
    if q.include_id.as_deref() != Some(INCLUDE_ID) || q.key.as_deref() != Some(KEY) {
        return refusal(StatusCode::FORBIDDEN, "Script not found, or wrong key.");
    }
    let (base, files_dir) = {
        let t = state.lock().expect("state lock");
        (t.switches.widget_base.clone(), t.files_dir.clone())
    };
    // As the package fills it in: the Subresource Integrity of the embed.js served.
    let integrity = std::fs::read(std::path::Path::new(&files_dir).join("embed.js"))
        .map(|bytes| sri(&bytes))
        .unwrap_or_default();
    let Some(base) = widget_base(&base) else {
        return refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The widget's address is not set.",
        );
    };
    Html(panel_page(
        base,
        q.lang.as_deref().and_then(language_tag),
        &integrity,
    ))
    .into_response()
}

#[derive(Deserialize, Default)]
pub struct CrmQuery {
    lang: Option<String>,
}

/// `GET /{tenant}/default.aspx`: a CRM-like page with the web panel in its side panel.
pub async fn crm_page(
    Path(tenant): Path<String>,
    Query(q): Query<CrmQuery>,
    request: Request,
) -> Response {
    let Some(tenant) = tenant_name(&tenant) else {
        return refusal(StatusCode::NOT_FOUND, "No such customer.");
    };
    let lang = q.lang.as_deref().and_then(language_tag).unwrap_or("en");
    // `<csiu>`: the CRM's own origin as this request reached it; `<cscu>`: the
    // tenant's customer.fcgi on it.
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let csiu = format!("http://{host}");
    let cscu = format!("{csiu}/{tenant}/CS/scripts/customer.fcgi");
    let panel = PANEL_URL
        .replace("<cscu>", &cscu)
        .replace("<csiu>", &csiu)
        .replace("<uctx>", tenant)
        .replace("<usid>", USID)
        .replace("<lang>", lang);
    Html(format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SuperOffice CRM – {tenant} (development)</title>
<link rel="icon" href="data:,">
<style>
  * {{ box-sizing: border-box; }}
  html, body {{ margin: 0; height: 100%; font: 14px/1.4 system-ui, sans-serif; color: #1d2b36; background: #eef1f4; }}
  body {{ display: grid; grid-template-rows: 48px 1fr; grid-template-columns: 56px 1fr 300px; height: 100vh; }}
  .top {{ grid-column: 1 / -1; display: flex; align-items: center; gap: 12px; padding: 0 16px; background: #0a5e58; color: #fff; }}
  .top strong {{ font-size: 16px; }}
  .top span {{ opacity: .8; }}
  .nav {{ background: #123c3a; }}
  .main {{ padding: 20px 24px; overflow: auto; }}
  .card {{ background: #fff; border-radius: 6px; padding: 16px 20px; box-shadow: 0 1px 2px rgba(0,0,0,.08); max-width: 640px; }}
  .card h1 {{ margin: 0 0 4px; font-size: 20px; }}
  .card p {{ margin: 4px 0; color: #4a5a66; }}
  .side-panel {{ display: flex; flex-direction: column; border-left: 1px solid #d3dae0; background: #fff; }}
  .side-panel h2 {{ margin: 0; padding: 10px 12px; font-size: 13px; font-weight: 600; border-bottom: 1px solid #e3e8ec; }}
  .side-panel iframe {{ flex: 1; width: 300px; border: 0; }}
</style>
</head>
<body>
<header class="top"><strong>SuperOffice CRM</strong><span>{tenant} · development tenant</span></header>
<nav class="nav" aria-label="Navigator"></nav>
<main class="main">
  <section class="card">
    <h1>Example Company AS</h1>
    <p>Customer since 2019 · Oslo</p>
    <p>The side panel on the right is a web panel whose URL is
       <code>{panel_template}</code>; it loads the chat presence widget from the files origin.</p>
  </section>
</main>
<aside class="side-panel" aria-label="Side panel">
  <h2>Chat presence</h2>
  <iframe name="presence" title="Chat presence" src="{panel}"></iframe>
</aside>
</body>
</html>
"#,
        panel_template = escape(PANEL_URL),
        panel = escape(&panel),
    ))
    .into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IntranetQuery {
    /// The tenant's origin (its sign-in service and Web API).
    tenant: String,
    /// How many instances (1 to 4).
    instances: Option<usize>,
    lang: Option<String>,
}

/// `GET /intranet/sign-in.html?tenant=http://127.0.0.1:8081`: an intranet page on
/// the files origin, another origin than the CRM's, whose widgets sign in with
/// SuperOffice (the tenant's sign-in service) and call its Web API with a Bearer
/// token. The tenant must be an origin on this machine.
pub async fn intranet_page(Query(q): Query<IntranetQuery>) -> Response {
    let tenant = url::Url::parse(&q.tenant)
        .ok()
        .filter(|u| u.scheme() == "http" && u.host_str().is_some_and(crate::guard::loopback_host))
        .map(|u| u.origin().ascii_serialization());
    let Some(tenant) = tenant else {
        return refusal(
            StatusCode::BAD_REQUEST,
            "tenant= must be the development tenant's origin.",
        );
    };
    let lang = q.lang.as_deref().and_then(language_tag).unwrap_or("en");
    let tenant = escape(&tenant);
    let widget = format!(
        "<div data-presence-widget data-client-id=\"dev-widget\" data-authority=\"{tenant}/login\" \
data-allowed-origins=\"{tenant}\" data-refresh-seconds=\"0\"></div>"
    );
    let widgets = widget.repeat(q.instances.unwrap_or(1).clamp(1, 4));
    Html(format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>Intranet (development)</title><link rel=\"icon\" href=\"data:,\">\
<script type=\"module\" src=\"/widget/embed.js\"></script></head>\
<body style=\"font:14px system-ui,sans-serif;max-width:28rem;margin:1rem auto\">\
<h1 style=\"font-size:18px\">Team intranet</h1>{widgets}</body></html>"
    ))
    .into_response()
}

/// Whether a file name is content-hashed by the build (`presence-widget-0123456789abcdef.js`;
/// Trunk writes the 64-bit hash without leading zeros, so it may be shorter than 16).
fn hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (1..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// Headers a static host sends for the widget's files: CORS for any origin (the
/// files are public; no credentials are involved), `embed.js` revalidated on every
/// load, hashed files cached for good, and for `/store/` the wasm mislabelled.
async fn static_host_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let name = path.rsplit('/').next().unwrap_or("");
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    let cache = if hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if path.starts_with("/store/") && name.ends_with(".wasm") {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        );
    }
    response
}

/// The files origin: `dir` under `/widget/` and `/store/`, and an intranet page
/// that signs in with SuperOffice ([`intranet_page`]).
pub fn files_app(dir: &str) -> Router {
    Router::new()
        .route("/intranet/sign-in.html", axum::routing::get(intranet_page))
        .nest_service("/widget", ServeDir::new(dir))
        .nest_service("/store", ServeDir::new(dir))
        .layer(middleware::from_fn(static_host_headers))
        .layer(middleware::from_fn(crate::host_guard))
}

#[cfg(test)]
mod tests;
