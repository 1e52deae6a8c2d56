//! An instance's configuration, read from its mount element's `data-*` attributes
//! ([`attributes`] lists them once).
//!
//! Parsing is pure (attributes and page location in, [`Config`] or problems out) so
//! every rule is tested on the host. Problems are reported, never panicked on: the
//! instance shows them and the rest of the page carries on.

mod attributes;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
pub mod urls;

pub use attributes::{
    readme_table, suspected_typos, Attribute, ATTRIBUTES, DEFAULT_REFRESH_SECONDS,
    DEFAULT_TIMEOUT_SECONDS, MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS, MOUNT_ATTRIBUTE,
};
#[cfg(not(target_arch = "wasm32"))]
pub use urls::WhatwgUrls;
pub use urls::{default_api_base, is_loopback, PageLocation, ParsedUrl, UrlParser};

use std::fmt;

/// The colour scheme: follow the system, or force one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// The value of `data-theme` the stylesheet reads on the shadow host.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The absolute prefix `/v1/...` is appended to, e.g.
    /// "https://crm.example.com/Cust12345/api", with no trailing slash.
    pub api_base: String,
    /// Seconds between automatic refreshes; 0 turns them off.
    pub refresh_seconds: u32,
    /// The initially selected chat topic.
    pub topic: Option<i32>,
    /// Seconds before a request is aborted and counted as failed.
    pub timeout_seconds: u32,
    /// The language tag asked for with `data-lang`, if any (resolved in
    /// [`crate::logic::i18n`]).
    pub lang: Option<String>,
    pub theme: Theme,
}

/// A configuration being read: the attributes fill it in table order.
pub(crate) struct Draft {
    config: Config,
    /// `data-api-base` as written, resolved when every allowed origin is known.
    api_base: Option<String>,
    /// Origins allowed besides the page's own.
    allowed_origins: Vec<String>,
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
    OneOf { choices: Vec<&'static str> },
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
                let choices = choices.join(", ");
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
    let mut draft = Draft {
        config: Config {
            api_base: String::new(),
            refresh_seconds: DEFAULT_REFRESH_SECONDS,
            topic: None,
            timeout_seconds: DEFAULT_TIMEOUT_SECONDS,
            lang: None,
            theme: Theme::Auto,
        },
        api_base: None,
        allowed_origins: Vec::new(),
    };
    let mut errors = Vec::new();
    for attribute in ATTRIBUTES {
        let value = attributes
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(attribute.name))
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty());
        if let Some(value) = value {
            let mut report = |value: &str, problem| {
                errors.push(ConfigError {
                    attribute: attribute.name.to_owned(),
                    value: value.to_owned(),
                    problem,
                })
            };
            (attribute.read)(value, &mut draft, urls, &mut report);
        }
    }

    // Resolved as the request will be: against the page's own address.
    let page_origin = urls
        .parse(page.href, None)
        .map(|url| url.origin)
        .unwrap_or_default();
    let base = draft
        .api_base
        .take()
        .unwrap_or_else(|| default_api_base(page.path));
    match urls::resolve_api_base(&base, page, &page_origin, &draft.allowed_origins, urls) {
        Ok(resolved) => draft.config.api_base = resolved,
        Err(problem) => errors.push(ConfigError {
            attribute: "data-api-base".to_owned(),
            value: base,
            problem,
        }),
    }

    if errors.is_empty() {
        Ok(draft.config)
    } else {
        Err(errors)
    }
}
