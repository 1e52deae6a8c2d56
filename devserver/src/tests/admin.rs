//! Sessions, sign-in cookies and the admin route.

use super::*;

#[tokio::test]
async fn logins_beyond_the_bound_forget_the_oldest() {
    let app = test_app(&[]);
    let first = sign_in(&app).await;
    let path = "/api/v1/Presence/GetAll";
    assert_eq!(api(&app, path, &first).await.status(), StatusCode::OK);
    for _ in 0..MAX_SESSIONS {
        sign_in(&app).await;
    }
    assert_eq!(admin(&app, "").await["sessions"], MAX_SESSIONS);
    assert_eq!(
        api(&app, path, &first).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn admin_keys_are_the_flags_and_change_only_what_they_name() {
    let app = test_app(&["--latency-ms", "5", "--closed-topics", "11,12"]);
    let changed = admin(&app, "failure_rate=0.5&malformed=deep-row&logged_out=true").await;
    let settings = &changed["settings"];
    assert_eq!(settings["failure_rate"], 0.5);
    assert_eq!(settings["malformed"], "deep-row");
    assert_eq!(settings["logged_out"], true);
    // Not named, so not reset to the flags' defaults.
    assert_eq!(settings["latency_ms"], 5);
    assert_eq!(settings["closed_topics"], json!([11, 12]));
    let emptied = admin(&app, "closed_topics=&retry_after=&malformed=error-200").await;
    assert_eq!(emptied["settings"]["closed_topics"], json!([]));
    assert_eq!(emptied["settings"]["malformed"], "error-200");

    for (query, reason) in [
        ("no_such_switch=1", "no-such-switch"),
        ("agents=10001", "0 to 10000"),
        ("failure_rate=2", "0 to 1"),
        ("malformed=sideways", "sideways"),
        ("latency_ms=5&broken_topics=x", "topic id"),
    ] {
        let response = get(&app, &format!("/api/dev/admin?{query}")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let message = text(response).await;
        assert!(message.contains(reason), "{query}: {message}");
    }
    // A refused query changes nothing, not even its valid part.
    let now = admin(&app, "").await;
    assert_eq!(now["settings"]["failure_rate"], 0.5);
    assert_eq!(now["settings"]["broken_topics"], json!([]));
}

#[tokio::test]
async fn admin_actions_change_agents_and_sessions() {
    let app = test_app(&[]);
    let auth = sign_in(&app).await;
    let path = "/api/v1/Presence/GetAll";
    let rows = json_of(api(&app, path, &auth).await).await;
    let first_before = rows
        .as_array()
        .and_then(|r| r.iter().find(|a| a["UserId"] == 101))
        .cloned();
    admin(&app, "set_agent=101&present=true&chats=7").await;
    let rows = json_of(api(&app, path, &auth).await).await;
    let first = rows
        .as_array()
        .and_then(|r| r.iter().find(|a| a["UserId"] == 101));
    assert_eq!(first.map(|a| a["OngoingChats"].clone()), Some(json!(7)));
    assert_ne!(first, first_before.as_ref(), "changed");
    let missing = get(&app, "/api/dev/admin?set_agent=999999").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    // Naming the same count again re-seeds: the changed agent is back as it was.
    admin(&app, "agents=25").await;
    let rows = json_of(api(&app, path, &auth).await).await;
    let again = rows
        .as_array()
        .and_then(|r| r.iter().find(|a| a["UserId"] == 101));
    assert_eq!(again, first_before.as_ref());
    let resized = admin(&app, "agents=3").await;
    assert_eq!(resized["settings"]["agents"], 3);
    let rows = json_of(api(&app, path, &auth).await).await;
    assert_eq!(rows.as_array().map(Vec::len), Some(3));
    assert_eq!(admin(&app, "end_sessions=true").await["sessions"], 0);
    let refused = api(&app, path, &auth).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_in_sets_the_crms_two_cookies_and_sign_out_clears_them() {
    let app = test_app(&[]);
    let cookies = |response: &Response| -> Vec<String> {
        response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    };
    let signed_in = cookies(&get(&app, "/api/dev/login").await);
    let session = signed_in
        .iter()
        .find(|c| c.starts_with("ASP.NET_SessionId="));
    let xsrf = signed_in.iter().find(|c| c.starts_with("XSRF-TOKEN="));
    let (session, xsrf) = (session.expect("session"), xsrf.expect("xsrf"));
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"));
    assert!(!xsrf.contains("HttpOnly"), "the page must read it: {xsrf}");
    assert!(session.contains("Path=/") && xsrf.contains("Path=/"));
    let auth = sign_in(&app).await;
    let out = send(
        &app,
        "/api/dev/logout",
        Some("localhost"),
        &[("cookie", &auth.0)],
    )
    .await;
    let cleared = cookies(&out);
    assert_eq!(cleared.len(), 2, "{cleared:?}");
    assert!(
        cleared.iter().all(|c| c.contains("Max-Age=0")),
        "{cleared:?}"
    );
    let after = api(&app, "/api/v1/Presence/GetAll", &auth).await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}
