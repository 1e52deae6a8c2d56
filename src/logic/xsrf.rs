//! The anti-forgery token SuperOffice expects in `X-XSRF-TOKEN`.
//!
//! SuperOffice's own client reads it from the script-readable `XSRF-TOKEN` cookie,
//! else from the hidden input `#XSRF_TOKEN` that CRM pages carry; the widget does
//! the same (the input lookup lives in `browser::api`, this part is pure).
//!
//! A token is only used when it can travel as a header value: a page can set any
//! cookie, and a value the browser refuses in `Headers.set` must read as "no token"
//! (the session message), not as an exception in the middle of a request.

/// Name of the cookie that carries the token.
pub const COOKIE_NAME: &str = "XSRF-TOKEN";
/// Id (and name) of the hidden input SuperOffice pages carry.
pub const INPUT_ID: &str = "XSRF_TOKEN";

/// Longest token accepted; SuperOffice's are a few dozen characters.
pub const MAX_TOKEN_LEN: usize = 4096;

/// The token in a `document.cookie` string, percent-decoded, if present and usable
/// (see [`usable_token`]). The first `XSRF-TOKEN` cookie wins, as in SuperOffice's
/// own client.
pub fn token_from_cookies(cookies: &str) -> Option<String> {
    cookies
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| name.trim() == COOKIE_NAME)
        .map(|(_, value)| value.trim().trim_matches('"'))
        .and_then(|value| usable_token(&percent_decode(value).unwrap_or_else(|| value.to_owned())))
}

/// The token if it is non-empty, not too long, and made only of visible ASCII
/// characters (what SuperOffice issues, and always a valid header value).
pub fn usable_token(token: &str) -> Option<String> {
    let token = token.trim();
    let usable = !token.is_empty()
        && token.len() <= MAX_TOKEN_LEN
        && token.bytes().all(|b| b.is_ascii_graphic());
    usable.then(|| token.to_owned())
}

/// Whether a request refused as signed out (401) should go again at once: the
/// session's token changed while it was on its way (the user signed in again in
/// another tab, and the cookies the browser sent were newer than the header read a
/// moment before). Only a token that is there now, and differs from the one sent.
pub fn renewed_during(sent: Option<&str>, now: Option<&str>) -> bool {
    now.is_some() && now != sent
}

/// Decodes `%XX` escapes (a malformed one stays as written); `None` if the result
/// is not UTF-8.
fn percent_decode(value: &str) -> Option<String> {
    percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
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
    }

    #[test]
    fn a_request_goes_again_only_for_a_token_that_changed_under_it() {
        assert!(renewed_during(Some("old"), Some("new")));
        // A session that appeared while the request was out (none was sent).
        assert!(renewed_during(None, Some("new")));
        // The same token: the session really ended.
        assert!(!renewed_during(Some("same"), Some("same")));
        // The cookie is gone: signed out, not renewed.
        assert!(!renewed_during(Some("old"), None));
        assert!(!renewed_during(None, None));
    }

    #[test]
    fn tokens_that_are_not_header_values_are_unusable() {
        // Each of these made `Headers.set` throw inside the request.
        for cookie in [
            "XSRF-TOKEN=%C3%A9",
            "XSRF-TOKEN=%E2%9C%93abc",
            "XSRF-TOKEN=a%0Ab",
            "XSRF-TOKEN=a%0D%0AX-Evil:%201",
            "XSRF-TOKEN=a%00b",
            "XSRF-TOKEN=a%20b",
            "XSRF-TOKEN=%F0%9F%98%80",
        ] {
            assert_eq!(token_from_cookies(cookie), None, "{cookie}");
        }
        assert_eq!(usable_token(&"a".repeat(MAX_TOKEN_LEN + 1)), None);
        assert_eq!(
            usable_token(" ok-Token_1+/= ").as_deref(),
            Some("ok-Token_1+/=")
        );
        assert_eq!(usable_token("é"), None);
        assert_eq!(usable_token(""), None);
    }
}
