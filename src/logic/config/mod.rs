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

#[cfg(not(target_arch = "wasm32"))]
pub use attributes::readme_table;
pub use attributes::{
    suspected_typos, Attribute, ATTRIBUTES, DEFAULT_REFRESH_SECONDS, DEFAULT_TIMEOUT_SECONDS,
    MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS, MOUNT_ATTRIBUTE,
};
#[cfg(not(target_arch = "wasm32"))]
pub use urls::WhatwgUrls;
pub use urls::{default_api_base, is_loopback, PageLocation, ParsedUrl, UrlParser};

use std::fmt;

/// `self.origin` of a page with an opaque origin: a frame sandboxed without
/// `allow-same-origin`, or a file. Nothing the widget needs works there.
pub const OPAQUE_ORIGIN: &str = "null";

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
    pub theme: Theme,
    /// Origins allowed besides the page's own (`data-allowed-origins`).
    pub allowed_origins: Vec<String>,
    /// Sign in with SuperOffice (`data-client-id`): Bearer tokens instead of the
    /// CRM session.
    pub sign_in: Option<SignInConfig>,
}

/// How an instance signs in with SuperOffice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInConfig {
    /// The app's client id from SuperOffice's Developer Portal.
    pub client_id: String,
    /// The sign-in service, e.g. "https://online.superoffice.com/login".
    pub authority: String,
    /// The page the sign-in returns to, on the host page's origin.
    pub redirect_uri: String,
}

/// A configuration being read: the attributes fill it in table order.
pub(crate) struct Draft {
    config: Config,
    /// `data-api-base` as written, resolved when every allowed origin is known.
    api_base: Option<String>,
    /// Origins allowed besides the page's own.
    allowed_origins: Vec<String>,
    client_id: Option<String>,
    authority: Option<String>,
    /// `data-redirect-uri` as written, resolved against the page.
    redirect_uri: Option<String>,
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
    /// A client id with characters no Developer Portal id has.
    NotAClientId,
    /// A redirect page that is not on the host page's own origin (the sign-in's
    /// answer must reach this page and no other).
    RedirectElsewhere,
    /// Sign-in attributes without `data-client-id`.
    NeedsClientId,
    /// An origin of `data-allowed-origins` that the page's own list
    /// ([`PAGE_ORIGINS_META`]) does not name.
    NotInPageList,
}

/// The `<meta name>` of the page's own list of allowed origins.
pub const PAGE_ORIGINS_META: &str = "presence-widget-allowed-origins";

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
            Problem::NotAClientId => write!(
                f,
                "{attribute}=\"{value}\" is not a client id: copy it from your app in SuperOffice's Developer Portal."
            ),
            Problem::RedirectElsewhere => write!(
                f,
                "{attribute}=\"{value}\" must be a page on this page's own origin (where signed-in.html is served next to embed.js)."
            ),
            Problem::NeedsClientId => write!(
                f,
                "{attribute} is set, but data-client-id is not: without it the widget uses the CRM session."
            ),
            Problem::NotAnOrigin => write!(
                f,
                "{attribute} entry \"{value}\" is not an https origin like https://crm.example.com (plain http only for localhost)."
            ),
            Problem::NotInPageList => write!(
                f,
                "{attribute} entry \"{value}\" is not in this page's <meta name=\"{PAGE_ORIGINS_META}\"> list, which an element may only narrow."
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
            theme: Theme::Auto,
            allowed_origins: Vec::new(),
            sign_in: None,
        },
        api_base: None,
        allowed_origins: Vec::new(),
        client_id: None,
        authority: None,
        redirect_uri: None,
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

    if let Some(listed) = page.allowed_origins {
        narrow_to_page_list(&mut draft, attributes, listed, urls, &mut errors);
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

    draft.config.allowed_origins = draft.allowed_origins.clone();
    draft.config.sign_in = sign_in(&mut draft, page, &page_origin, urls, &mut errors);

    if errors.is_empty() {
        Ok(draft.config)
    } else {
        Err(errors)
    }
}

/// Where the page declares its own list of allowed origins, the element's list may
/// only narrow it: an element without `data-allowed-origins` gets the page's list,
/// and an origin the page does not list is refused (markup a sanitizer let through,
/// which keeps `data-*`, cannot send the session elsewhere).
fn narrow_to_page_list(
    draft: &mut Draft,
    attributes: &[(String, String)],
    listed: &str,
    urls: &dyn UrlParser,
    errors: &mut Vec<ConfigError>,
) {
    let page_list: Vec<String> = listed
        .split([' ', ','])
        .filter_map(|entry| urls::allowed_origin(entry, urls))
        .collect();
    // Present, even empty, the element's list holds: empty narrows to none.
    let has_attribute = attributes
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("data-allowed-origins"));
    if !has_attribute {
        draft.allowed_origins = page_list;
        return;
    }
    let (kept, refused): (Vec<String>, Vec<String>) = std::mem::take(&mut draft.allowed_origins)
        .into_iter()
        .partition(|origin| page_list.contains(origin));
    draft.allowed_origins = kept;
    errors.extend(refused.into_iter().map(|origin| ConfigError {
        attribute: "data-allowed-origins".to_owned(),
        value: origin,
        problem: Problem::NotInPageList,
    }));
}

/// The sign-in configuration, when `data-client-id` asks for one: the authority as
/// given or SuperOffice's production one, and the redirect page resolved against
/// this page (by default `signed-in.html` beside `embed.js`), which must be on this
/// page's origin.
fn sign_in(
    draft: &mut Draft,
    page: &PageLocation<'_>,
    page_origin: &str,
    urls: &dyn UrlParser,
    errors: &mut Vec<ConfigError>,
) -> Option<SignInConfig> {
    let Some(client_id) = draft.client_id.take() else {
        for (name, given) in [
            ("data-authority", draft.authority.is_some()),
            ("data-redirect-uri", draft.redirect_uri.is_some()),
        ] {
            if given {
                errors.push(ConfigError {
                    attribute: name.to_owned(),
                    value: String::new(),
                    problem: Problem::NeedsClientId,
                });
            }
        }
        return None;
    };
    let authority = draft
        .authority
        .take()
        .unwrap_or_else(|| crate::logic::signin::authority::DEFAULT_AUTHORITY.to_owned());
    let redirect = draft.redirect_uri.take();
    let written = redirect
        .clone()
        .unwrap_or_else(|| "signed-in.html".to_owned());
    let base = page.widget_base.unwrap_or(page.href);
    let resolved = urls
        .parse(
            &written,
            Some(if redirect.is_some() { page.href } else { base }),
        )
        .filter(|url| url.origin == page_origin && !url.credentials);
    match resolved {
        Some(url) => Some(SignInConfig {
            client_id,
            authority,
            redirect_uri: format!("{}{}", url.origin, url.path),
        }),
        None => {
            errors.push(ConfigError {
                attribute: "data-redirect-uri".to_owned(),
                value: written,
                problem: Problem::RedirectElsewhere,
            });
            None
        }
    }
}
