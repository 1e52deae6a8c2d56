//! The CRM-like page, the CRMScript-like panel page and the files origin.

use super::*;

#[tokio::test]
async fn the_panel_script_checks_its_key_like_the_crm() {
    let app = test_app(&["--widget-base", "https://cdn.example.com/w/"]);
    let script = "/Cust12345/CS/scripts/customer.fcgi?action=safeParse&includeId=presence-panel";
    let page = get(&app, &format!("{script}&key=dev-panel-key&lang=nb")).await;
    assert_eq!(page.status(), StatusCode::OK);
    // No files folder here: no embed.js to name the integrity of.
    assert_eq!(
        text(page).await,
        crm::panel_page("https://cdn.example.com/w/", Some("nb"), "")
    );
    for wrong in [
        format!("{script}&key=guess"),
        script.to_owned(),
        "/Cust12345/CS/scripts/customer.fcgi?action=safeParse&includeId=other&key=dev-panel-key"
            .to_owned(),
    ] {
        assert_eq!(
            get(&app, &wrong).await.status(),
            StatusCode::FORBIDDEN,
            "{wrong}"
        );
    }
    let unknown_lang = get(
        &app,
        &format!("{script}&key=dev-panel-key&lang=%22%3E%3Cb%3E"),
    )
    .await;
    assert!(!text(unknown_lang).await.contains("<b>"));
    let not_a_tenant = "/evil/CS/scripts/customer.fcgi?action=safeParse&includeId=presence-panel&key=dev-panel-key";
    assert_eq!(
        get(&app, not_a_tenant).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_panel_script_without_a_proper_widget_base_loads_nothing() {
    let app = test_app(&["--widget-base", "/widget/"]);
    let page = get(
        &app,
        "/Cust12345/CS/scripts/customer.fcgi?action=safeParse&includeId=presence-panel&key=dev-panel-key",
    )
    .await;
    assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!text(page).await.contains("embed.js"));
}

#[tokio::test]
async fn the_crm_page_fills_in_the_panel_urls_variables() {
    let app = test_app(&[]);
    let page = text(get(&app, "/Cust12345/default.aspx?lang=de").await).await;
    assert!(page.contains(
        "src=\"http://127.0.0.1:8081/Cust12345/CS/scripts/customer.fcgi?action=safeParse&amp;includeId=presence-panel&amp;key=dev-panel-key&amp;lang=de\""
    ));
    assert!(page.contains("<html lang=\"de\">"));
}

#[tokio::test]
async fn the_files_origin_serves_like_a_static_host() {
    let dir = std::env::temp_dir().join(format!("devserver-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("embed.js"), "export {};").expect("embed.js");
    let wasm = "presence-widget-0123456789abcdef_bg.wasm";
    std::fs::write(dir.join(wasm), b"\0asm").expect("wasm");
    let app = crm::files_app(dir.to_str().expect("utf-8 path"));
    let header_of = |response: &Response, name: header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let embed = get(&app, "/widget/embed.js").await;
    assert_eq!(embed.status(), StatusCode::OK);
    assert_eq!(header_of(&embed, header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert_eq!(header_of(&embed, header::CACHE_CONTROL), "no-cache");
    let typed = get(&app, &format!("/widget/{wasm}")).await;
    assert_eq!(header_of(&typed, header::CONTENT_TYPE), "application/wasm");
    assert!(header_of(&typed, header::CACHE_CONTROL).contains("immutable"));
    let untyped = get(&app, &format!("/store/{wasm}")).await;
    assert_eq!(
        header_of(&untyped, header::CONTENT_TYPE),
        "application/octet-stream"
    );
    let rebinding = send(&app, "/widget/embed.js", Some("evil.example"), &[]).await;
    assert_eq!(rebinding.status(), StatusCode::FORBIDDEN);
    let _ = std::fs::remove_dir_all(&dir);
}
