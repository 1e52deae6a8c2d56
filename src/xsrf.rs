//! The anti-forgery token SuperOffice expects in `X-XSRF-TOKEN`.
//!
//! SuperOffice's own client reads it from the script-readable `XSRF-TOKEN` cookie,
//! else from the hidden input `#XSRF_TOKEN` that CRM pages carry; the widget does
//! the same (the input lookup lives in [`crate::api`], this part is pure).

/// Name of the cookie that carries the token.
pub const COOKIE_NAME: &str = "XSRF-TOKEN";
/// Id (and name) of the hidden input SuperOffice pages carry.
pub const INPUT_ID: &str = "XSRF_TOKEN";

/// The token in a `document.cookie` string, percent-decoded, if present and non-empty.
pub fn token_from_cookies(cookies: &str) -> Option<String> {
    cookies
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| name.trim() == COOKIE_NAME)
        .map(|(_, value)| value.trim().trim_matches('"'))
        .filter(|value| !value.is_empty())
        .map(|value| percent_decode(value).unwrap_or_else(|| value.to_owned()))
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is not UTF-8.
fn percent_decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_among_other_cookies() {
        assert_eq!(
            token_from_cookies("a=1; XSRF-TOKEN=abc%2Bdef%3D; b=2").as_deref(),
            Some("abc+def=")
        );
        assert_eq!(token_from_cookies("XSRF-TOKEN=\"q\"").as_deref(), Some("q"));
    }

    #[test]
    fn missing_empty_or_lookalike_cookies_give_none() {
        assert_eq!(token_from_cookies(""), None);
        assert_eq!(token_from_cookies("XSRF-TOKEN="), None);
        assert_eq!(
            token_from_cookies("X-XSRF-TOKEN=nope; XSRF-TOKENS=no"),
            None
        );
    }

    #[test]
    fn malformed_escapes_keep_the_raw_value() {
        assert_eq!(
            token_from_cookies("XSRF-TOKEN=a%zz").as_deref(),
            Some("a%zz")
        );
        assert_eq!(token_from_cookies("XSRF-TOKEN=a%").as_deref(), Some("a%"));
        assert_eq!(
            token_from_cookies("XSRF-TOKEN=%C3%A9").as_deref(),
            Some("é")
        );
    }
}
