//! The user's own routes: who they are, and the one write.

use super::*;

async fn post(app: &Router, path: &str, auth: Option<&(String, String)>, body: &str) -> Response {
    let mut request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::HOST, "127.0.0.1:8081")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some((cookie, token)) = auth {
        request = request
            .header("cookie", cookie)
            .header("x-xsrf-token", token);
    }
    app.clone()
        .oneshot(request.body(Body::from(body.to_owned())).expect("request"))
        .await
        .expect("infallible")
}

async fn present_of(app: &Router, auth: &(String, String), id: i64) -> bool {
    let agents = json_of(api(app, "/api/v1/Presence/GetAll", auth).await).await;
    agents
        .as_array()
        .and_then(|a| a.iter().find(|a| a["UserId"] == id))
        .and_then(|a| a["Present"].as_bool())
        .expect("the agent")
}

#[tokio::test]
async fn the_principal_is_the_configured_user() {
    let app = test_app(&["--principal", "103"]);
    let auth = sign_in(&app).await;
    let me = json_of(api(&app, "/Cust1/api/v1/User/currentPrincipal", &auth).await).await;
    assert_eq!(me["EjUserId"], 103);
    assert!(me["AssociateId"].is_i64());
    let refused = get(&app, "/api/v1/User/currentPrincipal").await;
    assert_eq!(
        refused.status(),
        StatusCode::UNAUTHORIZED,
        "behind the gate"
    );
    let failing = test_app(&["--principal", "0"]);
    let auth = sign_in(&failing).await;
    let answer = api(&failing, "/api/v1/User/currentPrincipal", &auth).await;
    assert_eq!(answer.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn a_session_signed_in_as_another_user_is_that_user() {
    let app = test_app(&[]);
    let first = sign_in(&app).await;
    let second = sign_in_at(&app, "/api/dev/login?user=102").await;
    let me = json_of(api(&app, "/api/v1/User/currentPrincipal", &second).await).await;
    assert_eq!(me["EjUserId"], 102);
    let me = json_of(api(&app, "/api/v1/User/currentPrincipal", &first).await).await;
    assert_eq!(me["EjUserId"], 101, "the first session is still its user");
    // The second user may set only their own presence: the first user's id is refused.
    let refused = post(
        &app,
        "/api/v1/Presence/SaveAll",
        Some(&second),
        r#"[{"UserId":101,"Present":false}]"#,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let before = present_of(&app, &second, 102).await;
    let body = format!(r#"[{{"UserId":102,"Present":{}}}]"#, !before);
    let taken = post(&app, "/api/v1/Presence/SaveAll", Some(&second), &body).await;
    assert_eq!(taken.status(), StatusCode::NO_CONTENT);
    assert_eq!(present_of(&app, &second, 102).await, !before);
}

#[tokio::test]
async fn save_all_sets_the_users_own_presence_and_records_every_write() {
    let app = test_app(&[]);
    let auth = sign_in(&app).await;
    let before = present_of(&app, &auth, 101).await;
    let body = format!(r#"[{{"UserId":101,"Present":{}}}]"#, !before);
    let answer = post(&app, "/api/v1/Presence/SaveAll", Some(&auth), &body).await;
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    assert_eq!(present_of(&app, &auth, 101).await, !before);
    // Someone else's presence, a wrong body, no session: refused, nothing changes.
    let other = post(
        &app,
        "/api/v1/Presence/SaveAll",
        Some(&auth),
        r#"[{"UserId":102,"Present":true}]"#,
    )
    .await;
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    let wrong = post(
        &app,
        "/api/v1/Presence/SaveAll",
        Some(&auth),
        r#"{"UserId":101}"#,
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let anonymous = post(&app, "/api/v1/Presence/SaveAll", None, &body).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(present_of(&app, &auth, 101).await, !before);
    let stats = json_of(get(&app, "/api/dev/stats").await).await;
    let writes = stats["writes"].as_array().expect("writes");
    assert_eq!(writes.len(), 4, "every write, the anonymous one too");
    assert_eq!(writes[3]["status"], 401);
    assert_eq!(writes[0]["body"], body);
    assert_eq!(writes[0]["status"], 204);
    assert_eq!(writes[0]["base"], "/api");
    assert_eq!(writes[0]["content_type"], "application/json");
    assert_eq!(writes[1]["status"], 403);
}

#[tokio::test]
async fn save_all_answers_as_switched() {
    for (switch, status) in [
        ("forbidden", StatusCode::FORBIDDEN),
        ("not-found", StatusCode::NOT_FOUND),
        ("error", StatusCode::INTERNAL_SERVER_ERROR),
    ] {
        let app = test_app(&["--save-all", switch]);
        let auth = sign_in(&app).await;
        let before = present_of(&app, &auth, 101).await;
        let body = format!(r#"[{{"UserId":101,"Present":{}}}]"#, !before);
        let answer = post(&app, "/api/v1/Presence/SaveAll", Some(&auth), &body).await;
        assert_eq!(answer.status(), status, "{switch}");
        assert_eq!(present_of(&app, &auth, 101).await, before, "{switch}");
    }
}
