//! The CRM-like pages and the files origin, piece by piece.

use super::*;

#[test]
fn only_plain_absolute_bases_may_load_the_widget() {
    assert!(widget_base("https://cdn.example.com/presence/1.2.0/").is_some());
    assert!(widget_base("http://127.0.0.1:9000/widget/").is_some());
    for bad in [
        "http://cdn.example.com/presence/",
        "https://cdn.example.com/presence",
        "//cdn.example.com/presence/",
        "/widget/",
        "javascript:alert(1)//",
        "https://user@cdn.example.com/x/",
        "https://cdn.example.com/x/?a=1/",
        "https://cdn.example.com/x\"/",
        "https://cdn.example.com/x;/",
    ] {
        assert!(widget_base(bad).is_none(), "{bad}");
    }
}

#[test]
fn languages_are_tags_or_nothing() {
    for good in ["en", "nb", "nb-NO", "zh-Hant-TW", "US"] {
        assert_eq!(language_tag(good), Some(good));
    }
    let long = "a".repeat(36);
    for bad in [
        "",
        "e",
        "en_US",
        "en\"",
        "<b>",
        "1en",
        "en us",
        long.as_str(),
    ] {
        assert_eq!(language_tag(bad), None, "{bad}");
    }
}

#[test]
fn the_panel_page_escapes_and_names_only_what_it_must() {
    let page = panel_page("https://cdn.example.com/w/", Some("nb"), "sha384-abc");
    assert!(page.contains("<html lang=\"nb\">"));
    assert!(page.contains("script-src https://cdn.example.com/w/ 'wasm-unsafe-eval';"));
    assert!(page.contains("connect-src 'self' https://cdn.example.com/w/;"));
    assert!(page.contains("src=\"https://cdn.example.com/w/embed.js\""));
    assert!(page.contains("<div data-presence-widget></div>"));
    assert!(!panel_page("https://a/", None, "").contains(" lang="));
}

#[test]
fn the_style_hash_is_the_styles() {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(PANEL_STYLE.as_bytes());
    let encoded = base64(&digest);
    assert_eq!(format!("sha256-{encoded}"), PANEL_STYLE_HASH);
}

/// The CRMScript in `deploy/` prints this page: its template, with the code
/// block taken out and its two prints done, is [`panel_page`] to the byte.
#[test]
fn the_crmscript_prints_this_page() {
    let script = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../deploy/superoffice-online/presence-panel.crmscript"
    ))
    .expect("the CRMScript");
    let template = script
        .split_once("%EJSCRIPT_START%\n")
        .and_then(|(_, rest)| rest.split_once("%EJSCRIPT_END%"))
        .map(|(template, _)| template)
        .expect("an EJScript template");
    let (code, page) = template.split_once("%>").expect("a code block first");
    assert!(code.starts_with("<%"));
    assert!(code.contains("getCgiVariable(\"lang\")"));
    let base = "https://cdn.example.com/w/";
    let printed = page
        .replace("<%print(widgetBase);%>", base)
        .replace("<%print(langAttribute);%>", " lang=\"nb\"")
        .replace("<%print(embedIntegrity);%>", "sha384-abc");
    assert_eq!(printed, panel_page(base, Some("nb"), "sha384-abc"));
}

#[test]
fn integrity_values_are_sha384_in_base64() {
    // `printf abc | openssl dgst -sha384 -binary | openssl base64 -A`
    assert_eq!(
        sri(b"abc"),
        "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
    );
}

#[test]
fn hashed_names_are_the_builds() {
    assert!(hashed("presence-widget-0123456789abcdef.js"));
    assert!(hashed("presence-widget-0123456789abcdef_bg.wasm"));
    assert!(
        hashed("presence-widget-9c16f972b03a585_bg.wasm"),
        "a hash with a leading zero dropped"
    );
    assert!(!hashed("embed.js"));
    assert!(!hashed("presence-widget.js"));
}
