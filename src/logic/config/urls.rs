//! Where the session may go: API bases and allowed origins, judged on what the
//! browser's URL parser makes of them (never on how a string starts).

/// The page the widget is mounted in, as far as configuration cares.
#[derive(Clone, Copy, Debug)]
pub struct PageLocation<'a> {
    /// `location.href`: relative API bases resolve against it (never against a
    /// `<base href>`, which the host page controls).
    pub href: &'a str,
    /// `location.pathname`, e.g. "/Cust12345/default.aspx".
    pub path: &'a str,
    /// Where the widget's files are (the folder of `embed.js`), when known: the
    /// default sign-in redirect page is there.
    pub widget_base: Option<&'a str>,
    /// The page's own list of other origins its widgets may send the session to
    /// (`<meta name="presence-widget-allowed-origins">` in its `<head>`), when it
    /// declares one: an element's `data-allowed-origins` may then only narrow it.
    pub allowed_origins: Option<&'a str>,
}

/// A URL as the browser's URL parser reads it (`new URL(input, base)`), so that every
/// decision about where the session goes is made on what the request will use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedUrl {
    /// Without the colon: "https".
    pub scheme: String,
    /// "crm.example.com", "127.0.0.1", "[::1]".
    pub hostname: String,
    /// The serialised origin, e.g. "https://crm.example.com:8443".
    pub origin: String,
    /// The path, e.g. "/Cust12345/api".
    pub path: String,
    /// The URL carries a user name or password.
    pub credentials: bool,
    /// The URL carries a query or a fragment.
    pub query_or_fragment: bool,
}

/// The browser's URL parser (in the browser, `URL`; in host tests, the `url` crate,
/// which implements the same WHATWG standard).
pub trait UrlParser {
    fn parse(&self, input: &str, base: Option<&str>) -> Option<ParsedUrl>;
}

/// The `url` crate as [`UrlParser`], for host tests.
#[cfg(not(target_arch = "wasm32"))]
pub struct WhatwgUrls;

#[cfg(not(target_arch = "wasm32"))]
impl UrlParser for WhatwgUrls {
    fn parse(&self, input: &str, base: Option<&str>) -> Option<ParsedUrl> {
        let url = match base {
            Some(base) => url::Url::parse(base).ok()?.join(input).ok()?,
            None => url::Url::parse(input).ok()?,
        };
        Some(ParsedUrl {
            scheme: url.scheme().to_owned(),
            hostname: url.host_str().unwrap_or_default().to_owned(),
            origin: url.origin().ascii_serialization(),
            path: url.path().to_owned(),
            credentials: !url.username().is_empty() || url.password().is_some(),
            query_or_fragment: url.query().is_some_and(|q| !q.is_empty())
                || url.fragment().is_some_and(|f| !f.is_empty()),
        })
    }
}

/// Whether `url` names this machine: plain `http:` is allowed there only.
pub fn is_loopback(url: &ParsedUrl) -> bool {
    let host = url.hostname.as_str();
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host.strip_prefix("127.").is_some_and(|rest| {
            rest.split('.').count() == 3 && rest.split('.').all(|n| n.parse::<u8>().is_ok())
        })
}

/// The API base `value` resolved against the page, as the absolute prefix requests
/// use, if it is an http(s) URL without user name, query or fragment on the page's
/// origin or an allowed one.
pub(super) fn resolve_api_base(
    value: &str,
    page: &PageLocation<'_>,
    page_origin: &str,
    allowed_origins: &[String],
    urls: &dyn UrlParser,
) -> Result<String, super::Problem> {
    match urls.parse(value, Some(page.href)) {
        Some(url)
            if (url.scheme == "https" || url.scheme == "http")
                && !url.credentials
                && !url.query_or_fragment =>
        {
            if url.origin != page_origin && !allowed_origins.contains(&url.origin) {
                Err(super::Problem::ForeignOrigin { origin: url.origin })
            } else {
                Ok(format!("{}{}", url.origin, url.path.trim_end_matches('/')))
            }
        }
        _ => Err(super::Problem::NotAUrl),
    }
}

/// The origin of an entry of `data-allowed-origins`, if it is an `https:` origin
/// (or an `http:` one on this machine) and nothing more.
pub(super) fn allowed_origin(entry: &str, urls: &dyn UrlParser) -> Option<String> {
    let url = urls.parse(entry, None)?;
    let secure = url.scheme == "https" || (url.scheme == "http" && is_loopback(&url));
    (secure && !url.credentials && !url.query_or_fragment && url.path == "/").then_some(url.origin)
}

/// The API base for a page without `data-api-base`: SuperOffice Online serves each
/// tenant under `/CustNNNNN/`, and its API under `/CustNNNNN/api`.
pub fn default_api_base(page_path: &str) -> String {
    let first = page_path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    let digits = first
        .get(..4)
        .filter(|prefix| prefix.eq_ignore_ascii_case("cust"))
        .and_then(|_| first.get(4..))
        .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    match digits {
        Some(_) => format!("/{first}/api"),
        None => "/api".to_owned(),
    }
}
