//! An instance's configuration, read from its mount element's `data-*` attributes.
//!
//! Parsing is pure (attributes and page location in, [`Config`] or problems out) so
//! every rule is tested on the host. Problems are reported, never panicked on: the
//! instance shows them and the rest of the page carries on.

use std::fmt;

/// Default seconds between refreshes.
pub const DEFAULT_REFRESH_SECONDS: u32 = 30;
/// Shortest allowed refresh interval; anything faster only loads the CRM.
pub const MIN_REFRESH_SECONDS: u32 = 2;
/// Longest allowed refresh interval (a day).
pub const MAX_REFRESH_SECONDS: u32 = 86_400;

/// Every attribute the widget reads; others on the mount element are the host's own.
pub const KNOWN_ATTRIBUTES: &[&str] = &[
    "data-presence-widget",
    "data-api-base",
    "data-refresh-seconds",
    "data-topic",
    "data-allowed-origins",
    "data-timeout-seconds",
    "data-lang",
    "data-theme",
];

/// Default seconds before a request is given up.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 10;

/// The colour scheme: follow the system, or force one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The prefix `/v1/...` is appended to: a path on the page's origin ("/api") or
    /// an absolute URL on an allowed origin, with no trailing slash.
    pub api_base: String,
    /// Seconds between automatic refreshes; 0 turns them off.
    pub refresh_seconds: u32,
    /// The initially selected chat topic.
    pub topic: Option<i32>,
    /// Seconds before a request is aborted and counted as failed.
    pub timeout_seconds: u32,
    /// The language tag asked for with `data-lang`, if any (resolved in [`crate::logic::i18n`]).
    pub lang: Option<String>,
    pub theme: Theme,
}

/// The page the widget is mounted in, as far as configuration cares.
#[derive(Clone, Copy, Debug)]
pub struct PageLocation<'a> {
    /// `location.href`: relative API bases resolve against it (never against a
    /// `<base href>`, which the host page controls).
    pub href: &'a str,
    /// `location.pathname`, e.g. "/Cust12345/default.aspx".
    pub path: &'a str,
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub attribute: String,
    pub value: String,
    pub problem: Problem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not a whole number in `min..=max`; `zero_allowed` when 0 is also accepted.
    Range {
        min: u32,
        max: u32,
        zero_allowed: bool,
    },
    /// Not a path nor an http(s) URL, or one with a user name, query or fragment.
    NotAUrl,
    /// An absolute API base on an origin the host did not allow.
    ForeignOrigin { origin: String },
    /// An entry of `data-allowed-origins` that is not an `https:` origin (or an
    /// `http:` one on this machine).
    NotAnOrigin,
    /// Not one of the listed words.
    OneOf { choices: &'static str },
    /// An attribute name close to one the widget knows: probably a typo.
    Misspelt { suggestion: &'static str },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ConfigError {
            attribute, value, ..
        } = self;
        match &self.problem {
            Problem::Range {
                min,
                max,
                zero_allowed: true,
            } => write!(
                f,
                "{attribute}=\"{value}\" must be 0 or a whole number from {min} to {max}."
            ),
            Problem::Range { min, max, .. } => write!(
                f,
                "{attribute}=\"{value}\" must be a whole number from {min} to {max}."
            ),
            Problem::NotAUrl => write!(
                f,
                "{attribute}=\"{value}\" must be a path such as /api or an https:// address, without user name, query or fragment."
            ),
            Problem::ForeignOrigin { origin } => write!(
                f,
                "{attribute}=\"{value}\" is on another origin ({origin}); list it in data-allowed-origins to send your CRM session there."
            ),
            Problem::NotAnOrigin => write!(
                f,
                "{attribute} entry \"{value}\" is not an https origin like https://crm.example.com (plain http only for localhost)."
            ),
            Problem::OneOf { choices } => {
                write!(f, "{attribute}=\"{value}\" must be one of: {choices}.")
            }
            Problem::Misspelt { suggestion } => {
                write!(f, "Unknown attribute {attribute}; did you mean {suggestion}?")
            }
        }
    }
}

/// Reads the configuration from the mount element's attributes (name, value).
/// Attributes it does not own are never a reason to refuse: see [`suspected_typos`].
pub fn parse_config(
    attributes: &[(String, String)],
    page: &PageLocation<'_>,
    urls: &dyn UrlParser,
) -> Result<Config, Vec<ConfigError>> {
    let get = |name: &str| {
        attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    };
    let mut errors = Vec::new();
    let mut fail = |attribute: &str, value: &str, problem| {
        errors.push(ConfigError {
            attribute: attribute.to_owned(),
            value: value.to_owned(),
            problem,
        })
    };

    let refresh_seconds = match get("data-refresh-seconds").filter(|v| !v.is_empty()) {
        None => DEFAULT_REFRESH_SECONDS,
        Some(value) => match value.parse::<u32>() {
            Ok(0) => 0,
            Ok(n) if (MIN_REFRESH_SECONDS..=MAX_REFRESH_SECONDS).contains(&n) => n,
            _ => {
                fail(
                    "data-refresh-seconds",
                    value,
                    Problem::Range {
                        min: MIN_REFRESH_SECONDS,
                        max: MAX_REFRESH_SECONDS,
                        zero_allowed: true,
                    },
                );
                DEFAULT_REFRESH_SECONDS
            }
        },
    };

    let topic = match get("data-topic").filter(|v| !v.is_empty()) {
        None => None,
        Some(value) => match value.parse::<i32>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                fail(
                    "data-topic",
                    value,
                    Problem::Range {
                        min: 1,
                        max: i32::MAX as u32,
                        zero_allowed: false,
                    },
                );
                None
            }
        },
    };

    let timeout_seconds = match get("data-timeout-seconds").filter(|v| !v.is_empty()) {
        None => DEFAULT_TIMEOUT_SECONDS,
        Some(value) => match value.parse::<u32>() {
            Ok(n) if (1..=120).contains(&n) => n,
            _ => {
                fail(
                    "data-timeout-seconds",
                    value,
                    Problem::Range {
                        min: 1,
                        max: 120,
                        zero_allowed: false,
                    },
                );
                DEFAULT_TIMEOUT_SECONDS
            }
        },
    };

    let lang = match get("data-lang").filter(|v| !v.is_empty()) {
        None => None,
        Some(value) if crate::logic::i18n::Lang::from_tag(value).is_some() => {
            Some(value.to_owned())
        }
        Some(value) => {
            fail(
                "data-lang",
                value,
                Problem::OneOf {
                    choices: "en, nb, sv, da, de, nl",
                },
            );
            None
        }
    };

    let theme = match get("data-theme").map(str::to_ascii_lowercase).as_deref() {
        None | Some("") | Some("auto") => Theme::Auto,
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        Some(_) => {
            let value = get("data-theme").unwrap_or_default();
            fail(
                "data-theme",
                value,
                Problem::OneOf {
                    choices: "light, dark, auto",
                },
            );
            Theme::Auto
        }
    };

    let page_origin = urls
        .parse(page.href, None)
        .map(|url| url.origin)
        .unwrap_or_default();
    let mut allowed_origins = vec![page_origin.clone()];
    for entry in get("data-allowed-origins")
        .unwrap_or_default()
        .split([' ', ','])
        .filter(|e| !e.is_empty())
    {
        match urls.parse(entry, None) {
            Some(url)
                if (url.scheme == "https" || (url.scheme == "http" && is_loopback(&url)))
                    && !url.credentials
                    && !url.query_or_fragment
                    && url.path == "/" =>
            {
                allowed_origins.push(url.origin)
            }
            _ => fail("data-allowed-origins", entry, Problem::NotAnOrigin),
        }
    }

    // Resolved as the request will be: against the page's own address.
    let requested_base = get("data-api-base").filter(|v| !v.is_empty());
    let base = requested_base.map_or_else(|| default_api_base(page.path), str::to_owned);
    let api_base = match urls.parse(&base, Some(page.href)) {
        Some(url)
            if (url.scheme == "https" || url.scheme == "http")
                && !url.credentials
                && !url.query_or_fragment =>
        {
            if url.origin != page_origin && !allowed_origins.contains(&url.origin) {
                let origin = url.origin;
                fail("data-api-base", &base, Problem::ForeignOrigin { origin });
                String::new()
            } else {
                format!("{}{}", url.origin, url.path.trim_end_matches('/'))
            }
        }
        _ => {
            fail("data-api-base", &base, Problem::NotAUrl);
            String::new()
        }
    };

    if errors.is_empty() {
        Ok(Config {
            api_base,
            refresh_seconds,
            topic,
            timeout_seconds,
            lang,
            theme,
        })
    } else {
        Err(errors)
    }
}

/// The API base for a page without `data-api-base`: SuperOffice Online serves each
/// tenant under `/CustNNNNN/`, and its API under `/CustNNNNN/api`.
pub fn default_api_base(page_path: &str) -> String {
    let first = page_path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    let is_tenant = first.len() > 4
        && first[..4].eq_ignore_ascii_case("cust")
        && first[4..].bytes().all(|b| b.is_ascii_digit());
    if is_tenant {
        format!("/{first}/api")
    } else {
        "/api".to_owned()
    }
}

/// Attributes on a mount element that look like misspellings of the widget's own
/// (e.g. `data-refesh-seconds`): worth a console warning, never a refusal, because
/// the host's own attributes (`data-tag`, `data-time`) may look alike.
pub fn suspected_typos(attributes: &[(String, String)]) -> Vec<ConfigError> {
    attributes
        .iter()
        .map(|(name, _)| name.to_ascii_lowercase())
        .filter(|name| name.starts_with("data-") && !KNOWN_ATTRIBUTES.contains(&name.as_str()))
        .filter_map(|name| {
            near_known_attribute(&name).map(|suggestion| ConfigError {
                attribute: name,
                value: String::new(),
                problem: Problem::Misspelt { suggestion },
            })
        })
        .collect()
}

/// A known attribute close to `name`, for "did you mean" warnings: one edit (a
/// swap of neighbours counts as one) for short names, two for long ones, so that
/// `data-lnag` is caught and `data-tag` or `data-time` is not.
fn near_known_attribute(name: &str) -> Option<&'static str> {
    KNOWN_ATTRIBUTES.iter().copied().find(|known| {
        let allowed = if known.len() <= "data-topic".len() {
            1
        } else {
            2
        };
        edit_distance(name, known) <= allowed
    })
}

/// Edit distance with adjacent transpositions (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: distance between a[..i] and b[..j]; a few dozen characters at most.
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const PAGE: PageLocation<'static> = PageLocation {
        href: "https://intranet.example.com/team/chat.html?x=1#top",
        path: "/team/chat.html",
    };

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn parse(pairs: &[(&str, &str)]) -> Result<Config, Vec<ConfigError>> {
        parse_config(&attrs(pairs), &PAGE, &WhatwgUrls)
    }

    fn base(value: &str) -> Result<String, Vec<ConfigError>> {
        parse(&[("data-api-base", value)]).map(|c| c.api_base)
    }

    #[test]
    fn defaults() {
        assert_eq!(
            parse(&[("data-presence-widget", "")]),
            Ok(Config {
                api_base: "https://intranet.example.com/api".into(),
                refresh_seconds: 30,
                topic: None,
                timeout_seconds: 10,
                lang: None,
                theme: Theme::Auto,
            })
        );
    }

    #[test]
    fn reads_every_attribute() {
        let config = parse(&[
            ("data-api-base", "/Cust12345/api/"),
            ("data-refresh-seconds", " 5 "),
            ("data-topic", "3"),
            ("data-timeout-seconds", "4"),
            ("data-lang", "nb-NO"),
            ("data-theme", "Dark"),
        ])
        .expect("valid");
        assert_eq!(config.timeout_seconds, 4);
        assert_eq!(config.lang.as_deref(), Some("nb-NO"));
        assert_eq!(config.theme, Theme::Dark);
        assert_eq!(
            config.api_base,
            "https://intranet.example.com/Cust12345/api"
        );
        assert_eq!(config.refresh_seconds, 5);
        assert_eq!(config.topic, Some(3));
        assert_eq!(
            parse(&[("data-refresh-seconds", "0")]).map(|c| c.refresh_seconds),
            Ok(0)
        );
    }

    #[test]
    fn invalid_values_are_reported_with_the_attribute() {
        let errors = parse(&[
            ("data-refresh-seconds", "fast"),
            ("data-topic", "-1"),
            ("data-api-base", "javascript:alert(1)"),
        ])
        .expect_err("invalid");
        let names: Vec<&str> = errors.iter().map(|e| e.attribute.as_str()).collect();
        assert_eq!(
            names,
            ["data-refresh-seconds", "data-topic", "data-api-base"]
        );
        assert_eq!(
            errors[0].to_string(),
            "data-refresh-seconds=\"fast\" must be 0 or a whole number from 2 to 86400."
        );
        for value in ["1", "86401", "2.5", "-3"] {
            assert!(
                parse(&[("data-refresh-seconds", value)]).is_err(),
                "{value}"
            );
        }
        for value in ["0", "abc", "1e3"] {
            assert!(parse(&[("data-topic", value)]).is_err(), "{value}");
        }
        for (name, value) in [
            ("data-timeout-seconds", "0"),
            ("data-timeout-seconds", "121"),
            ("data-lang", "fr"),
            ("data-theme", "blue"),
        ] {
            assert!(parse(&[(name, value)]).is_err(), "{name}={value}");
        }
    }

    #[test]
    fn tenant_paths_pick_the_tenant_api() {
        assert_eq!(
            default_api_base("/Cust12345/default.aspx"),
            "/Cust12345/api"
        );
        assert_eq!(default_api_base("/cust7/"), "/cust7/api");
        assert_eq!(default_api_base("/Customer/x"), "/api");
        assert_eq!(default_api_base("/Cust/x"), "/api");
        assert_eq!(default_api_base("/"), "/api");
        assert_eq!(default_api_base(""), "/api");
        let page = PageLocation {
            href: "https://online.superoffice.com/Cust999/panel.html",
            path: "/Cust999/panel.html",
        };
        assert_eq!(
            parse_config(&[], &page, &WhatwgUrls).map(|c| c.api_base),
            Ok("https://online.superoffice.com/Cust999/api".into())
        );
    }

    #[test]
    fn foreign_origins_need_permission() {
        let foreign = ("data-api-base", "https://crm.example.com/Cust1/api");
        let errors = parse(&[foreign]).expect_err("refused");
        assert_eq!(
            errors[0].problem,
            Problem::ForeignOrigin {
                origin: "https://crm.example.com".into()
            }
        );
        let allowed = parse(&[
            foreign,
            (
                "data-allowed-origins",
                "https://other.example.com, HTTPS://CRM.example.com/",
            ),
        ])
        .expect("allowed");
        assert_eq!(allowed.api_base, "https://crm.example.com/Cust1/api");
        // The page's own origin is always allowed, spelled absolutely.
        assert!(parse(&[("data-api-base", "https://intranet.example.com/api")]).is_ok());
        // Scheme-relative and look-alike URLs are not the page's origin.
        assert!(parse(&[("data-api-base", "//evil.example/api")]).is_err());
        assert!(parse(&[(
            "data-api-base",
            "https://intranet.example.com@evil.example/api"
        )])
        .is_err());
        assert!(parse(&[(
            "data-api-base",
            "https://intranet.example.com.evil.example/api"
        )])
        .is_err());
        assert!(parse(&[("data-allowed-origins", "ftp://x")]).is_err());
    }

    #[test]
    fn bases_are_judged_as_the_browser_resolves_them() {
        // Path-shaped strings that the URL parser sends to another host.
        for sneaky in [
            "/\\evil.example/api",
            "\\\\evil.example/api",
            "/\t\\evil.example/api",
            "/\t/evil.example/api",
            "/\n/evil.example/api",
            "/\r/evil.example/api",
            "//evil.example/api",
            "https:evil.example/api",
            "https:/evil.example/api",
        ] {
            match base(sneaky) {
                Err(errors) => assert_eq!(
                    errors[0].problem,
                    Problem::ForeignOrigin {
                        origin: "https://evil.example".into()
                    },
                    "{sneaky:?}"
                ),
                Ok(resolved) => assert!(
                    resolved.starts_with("https://intranet.example.com/"),
                    "{sneaky:?} -> {resolved}"
                ),
            }
        }
        // Relative bases resolve against the page's address.
        assert_eq!(
            base("api").as_deref(),
            Ok("https://intranet.example.com/team/api")
        );
        assert_eq!(
            base("../x/api/").as_deref(),
            Ok("https://intranet.example.com/x/api")
        );
        assert_eq!(base("/").as_deref(), Ok("https://intranet.example.com"));
        assert_eq!(
            base("/a b/é").as_deref(),
            Ok("https://intranet.example.com/a%20b/%C3%A9"),
            "requested exactly as the browser would"
        );
        // Not an http(s) base, or one with parts that would change the request.
        for refused in [
            "javascript:alert(1)",
            "data:text/plain,x",
            "https://user:pw@intranet.example.com/api",
            "/api?x=1",
            "/api#frag",
            "http://[",
        ] {
            assert_eq!(
                base(refused).map_err(|e| e[0].problem.clone()),
                Err(Problem::NotAUrl),
                "{refused}"
            );
        }
    }

    #[test]
    fn allowed_origins_must_be_https_except_on_this_machine() {
        let with = |origins: &str, api: &str| {
            parse(&[("data-allowed-origins", origins), ("data-api-base", api)])
                .map(|c| c.api_base)
                .map_err(|e| e.into_iter().map(|e| e.problem).collect::<Vec<_>>())
        };
        assert_eq!(
            with("http://crm.example.com", "http://crm.example.com/api"),
            Err(vec![
                Problem::NotAnOrigin,
                Problem::ForeignOrigin {
                    origin: "http://crm.example.com".into()
                }
            ])
        );
        for loopback in [
            "http://localhost:8081",
            "http://127.0.0.1:8081",
            "http://[::1]:8081",
            "http://app.localhost:8081",
        ] {
            assert!(
                with(loopback, &format!("{loopback}/api")).is_ok(),
                "{loopback}"
            );
        }
        for not_an_origin in [
            "https://crm.example.com/api",
            "https://u@crm.example.com",
            "https://crm.example.com?x",
            "crm.example.com",
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example",
        ] {
            assert_eq!(
                with(not_an_origin, "/api"),
                Err(vec![Problem::NotAnOrigin]),
                "{not_an_origin}"
            );
        }
        assert_eq!(
            with(
                "HTTPS://CRM.Example.com:443/",
                "https://crm.example.com/x/api/"
            )
            .as_deref(),
            Ok("https://crm.example.com/x/api")
        );
    }

    #[test]
    fn unknown_attributes_never_refuse_and_near_misses_are_only_suspected() {
        let host_attributes = [
            ("data-tag", "x"),
            ("data-time", "10:00"),
            ("data-range", "1-3"),
            ("data-line", "2"),
            ("data-flag", "on"),
            ("data-testid", "x"),
            ("data-v-1a2b", ""),
            ("data-refesh-seconds", "10"),
            ("class", "y"),
        ];
        assert!(parse(&host_attributes).is_ok(), "never refused");
        let suspected: Vec<String> = suspected_typos(&attrs(&host_attributes))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            suspected,
            ["Unknown attribute data-refesh-seconds; did you mean data-refresh-seconds?"]
        );
        for typo in [
            "data-lnag",
            "data-tehme",
            "data-topics",
            "data-api-bse",
            "data-alowed-origins",
        ] {
            assert_eq!(suspected_typos(&attrs(&[(typo, "")])).len(), 1, "{typo}");
        }
    }
}
