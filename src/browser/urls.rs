//! The browser's URL parser (`URL`), for the core's rules on where requests go.

use crate::logic::config::urls::{ParsedUrl, UrlParser};

/// The browser's URL parser.
pub struct BrowserUrls;

impl UrlParser for BrowserUrls {
    fn parse(&self, input: &str, base: Option<&str>) -> Option<ParsedUrl> {
        let url = match base {
            Some(base) => web_sys::Url::new_with_base(input, base),
            None => web_sys::Url::new(input),
        }
        .ok()?;
        Some(ParsedUrl {
            scheme: url.protocol().trim_end_matches(':').to_owned(),
            hostname: url.hostname(),
            origin: url.origin(),
            path: url.pathname(),
            credentials: !url.username().is_empty() || !url.password().is_empty(),
            query_or_fragment: !url.search().is_empty() || !url.hash().is_empty(),
        })
    }
}
