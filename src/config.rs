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
    /// The language tag asked for with `data-lang`, if any (resolved in [`crate::i18n`]).
    pub lang: Option<String>,
    pub theme: Theme,
}

/// The page the widget is mounted in, as far as configuration cares.
#[derive(Clone, Debug)]
pub struct PageLocation<'a> {
    /// `location.origin`, e.g. "https://crm.example.com".
    pub origin: &'a str,
    /// `location.pathname`, e.g. "/Cust12345/default.aspx".
    pub path: &'a str,
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
    /// Not a path starting with "/" nor an http(s) URL.
    NotAUrl,
    /// An absolute API base on an origin the host did not allow.
    ForeignOrigin { origin: String },
    /// An entry of `data-allowed-origins` that is not an origin.
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
                "{attribute}=\"{value}\" must be a path starting with / or an https:// address."
            ),
            Problem::ForeignOrigin { origin } => write!(
                f,
                "{attribute}=\"{value}\" is on another origin ({origin}); list it in data-allowed-origins to send your CRM session there."
            ),
            Problem::NotAnOrigin => write!(
                f,
                "{attribute} entry \"{value}\" is not an origin like https://crm.example.com."
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
pub fn parse_config(
    attributes: &[(String, String)],
    page: &PageLocation<'_>,
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

    for (name, _) in attributes {
        let name = name.to_ascii_lowercase();
        if name.starts_with("data-") && !KNOWN_ATTRIBUTES.contains(&name.as_str()) {
            if let Some(suggestion) = near_known_attribute(&name) {
                fail(&name, "", Problem::Misspelt { suggestion });
            }
        }
    }

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
        Some(value) if crate::i18n::Lang::from_tag(value).is_some() => Some(value.to_owned()),
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

    let mut allowed_origins = vec![page.origin.to_ascii_lowercase()];
    for entry in get("data-allowed-origins")
        .unwrap_or_default()
        .split([' ', ','])
        .filter(|e| !e.is_empty())
    {
        match split_origin(entry) {
            Some((origin, rest)) if rest.is_empty() || rest == "/" => allowed_origins.push(origin),
            _ => fail("data-allowed-origins", entry, Problem::NotAnOrigin),
        }
    }

    let api_base = match get("data-api-base").filter(|v| !v.is_empty()) {
        None => default_api_base(page.path),
        Some(value) => {
            let trimmed = value.trim_end_matches('/');
            if trimmed.starts_with('/') && !trimmed.starts_with("//") {
                trimmed.to_owned()
            } else if let Some((origin, _)) = split_origin(trimmed) {
                if allowed_origins.contains(&origin) {
                    trimmed.to_owned()
                } else {
                    fail("data-api-base", value, Problem::ForeignOrigin { origin });
                    String::new()
                }
            } else if value == "/" {
                String::new()
            } else {
                fail("data-api-base", value, Problem::NotAUrl);
                String::new()
            }
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

/// Splits an http(s) URL into its lower-cased origin and the rest ("/path?query").
pub fn split_origin(url: &str) -> Option<(String, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    let valid_host = !host.is_empty()
        && !host.contains('@')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    valid_host.then(|| {
        (
            format!("{scheme}://{}", host.to_ascii_lowercase()),
            &rest[end..],
        )
    })
}

/// A known attribute within two edits of `name`, for "did you mean" messages.
fn near_known_attribute(name: &str) -> Option<&'static str> {
    KNOWN_ATTRIBUTES
        .iter()
        .copied()
        .find(|known| edit_distance(name, known) <= 2)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: PageLocation<'static> = PageLocation {
        origin: "https://intranet.example.com",
        path: "/team/chat.html",
    };

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn parse(pairs: &[(&str, &str)]) -> Result<Config, Vec<ConfigError>> {
        parse_config(&attrs(pairs), &PAGE)
    }

    #[test]
    fn defaults() {
        assert_eq!(
            parse(&[("data-presence-widget", "")]),
            Ok(Config {
                api_base: "/api".into(),
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
        assert_eq!(config.api_base, "/Cust12345/api");
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
            origin: "https://online.superoffice.com",
            path: "/Cust999/panel.html",
        };
        assert_eq!(
            parse_config(&[], &page).map(|c| c.api_base),
            Ok("/Cust999/api".into())
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
    fn typos_of_known_attributes_are_flagged_but_host_attributes_are_not() {
        let errors = parse(&[("data-refesh-seconds", "10")]).expect_err("typo");
        assert_eq!(
            errors[0].to_string(),
            "Unknown attribute data-refesh-seconds; did you mean data-refresh-seconds?"
        );
        assert!(parse(&[("data-testid", "x"), ("class", "y"), ("data-v-1a2b", "")]).is_ok());
    }
}
