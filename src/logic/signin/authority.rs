//! Where the sign-in service is (`data-authority`), and where the ID token's
//! `webapi_url` may send the token.

use super::SignInError;
use crate::logic::config::urls::{is_loopback, ParsedUrl, UrlParser};

/// SuperOffice's production sign-in service (`sod` for development tenants,
/// `qaonline` for stage).
pub const DEFAULT_AUTHORITY: &str = "https://online.superoffice.com/login";

/// `https:` anywhere, `http:` only on this machine, as for allowed origins.
pub fn secure(url: &ParsedUrl) -> bool {
    url.scheme == "https" || (url.scheme == "http" && is_loopback(url))
}

/// The authority `value` as an absolute URL without a trailing slash, if it is a
/// secure URL without credentials, query or fragment.
pub fn authority(value: &str, urls: &dyn UrlParser) -> Option<String> {
    let url = urls.parse(value.trim(), None)?;
    (secure(&url) && !url.credentials && !url.query_or_fragment)
        .then(|| format!("{}{}", url.origin, url.path.trim_end_matches('/')))
}

/// Where the discovery document of `authority` is.
pub fn discovery_url(authority: &str) -> String {
    format!("{authority}/.well-known/openid-configuration")
}

/// The API base of a `webapi_url` claim (`https://sod.superoffice.com/Cust26759/api/`
/// gives `…/Cust26759/api`), if its origin may receive the token: `https:` on
/// `superoffice.com` or one of its subdomains, or listed in `allowed_origins`.
pub fn api_base(
    webapi_url: &str,
    allowed_origins: &[String],
    urls: &dyn UrlParser,
) -> Result<String, SignInError> {
    let url = urls.parse(webapi_url, None).ok_or(SignInError::Malformed)?;
    if url.credentials || url.query_or_fragment || !(url.scheme == "https" || url.scheme == "http")
    {
        return Err(SignInError::Malformed);
    }
    let superoffice = url.scheme == "https"
        && (url.hostname == "superoffice.com" || url.hostname.ends_with(".superoffice.com"));
    if superoffice || allowed_origins.contains(&url.origin) {
        Ok(format!("{}{}", url.origin, url.path.trim_end_matches('/')))
    } else {
        Err(SignInError::ForeignApi { origin: url.origin })
    }
}
