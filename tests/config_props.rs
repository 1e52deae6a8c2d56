//! Property tests of what the page hands the widget: its attributes and cookies.
//! Host only (proptest does not run in the browser).
#![cfg(not(target_arch = "wasm32"))]

use presence_widget::logic::config::{parse_config, suspected_typos, PageLocation, WhatwgUrls};
use presence_widget::logic::xsrf::token_from_cookies;
use proptest::prelude::*;

proptest! {
    #[test]
    fn configuration_never_panics(
        attrs in prop::collection::vec(("data-[a-z-]{0,22}", ".{0,40}"), 0..6),
        path in "/[A-Za-z0-9/]{0,20}",
    ) {
        let href = format!("https://crm.example.com{path}");
        let page = PageLocation { href: &href, path: &path, widget_base: None, allowed_origins: None };
        let _ = suspected_typos(&attrs);
        if let Ok(config) = parse_config(&attrs, &page, &WhatwgUrls) {
            // Without data-allowed-origins, the session never leaves the page's origin.
            let allowed = attrs.iter().any(|(name, _)| name == "data-allowed-origins");
            prop_assert!(allowed || config.api_base == "https://crm.example.com"
                || config.api_base.starts_with("https://crm.example.com/"), "{}", config.api_base);
        }
    }

    #[test]
    fn any_base_stays_on_the_page_origin_unless_allowed(
        base in "[/\\\\\t\n\r .:@a-z%?#]{0,24}",
    ) {
        let page = PageLocation { href: "https://crm.example.com/Cust1/panel.html", path: "/Cust1/panel.html", widget_base: None, allowed_origins: None };
        let attrs = vec![("data-api-base".to_owned(), base.clone())];
        if let Ok(config) = parse_config(&attrs, &page, &WhatwgUrls) {
            prop_assert!(config.api_base == "https://crm.example.com"
                || config.api_base.starts_with("https://crm.example.com/"), "{:?} -> {}", base, config.api_base);
        }
    }

    #[test]
    fn cookie_parsing_never_panics(cookies in ".{0,80}") {
        let _ = token_from_cookies(&cookies);
    }
}
