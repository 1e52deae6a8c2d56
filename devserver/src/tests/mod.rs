//! The tenant's routes driven through [`app`] with `oneshot`, as a browser would
//! send them (a `Host` header included).

use super::*;
use axum::body::{to_bytes, Body};
use axum::http::{header, StatusCode};
use clap::Parser;
use serde_json::{json, Value};
use state::MAX_SESSIONS;
use tower::ServiceExt;

fn test_app(extra: &[&str]) -> Router {
    let args = ["devserver", "--drift-seconds", "0"].iter().chain(extra);
    app(&Cli::try_parse_from(args).expect("flags"))
}

async fn send(app: &Router, path: &str, host: Option<&str>, extra: &[(&str, &str)]) -> Response {
    let mut request = Request::builder().uri(path);
    if let Some(host) = host {
        request = request.header(header::HOST, host);
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    app.clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("infallible")
}

async fn get(app: &Router, path: &str) -> Response {
    send(app, path, Some("127.0.0.1:8081"), &[]).await
}

async fn text(response: Response) -> String {
    let bytes = to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

async fn json_of(response: Response) -> Value {
    serde_json::from_str(&text(response).await).expect("json")
}

fn location(response: &Response) -> &str {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("Location")
}

/// Signs in; answers the `Cookie` and `X-XSRF-TOKEN` header values.
async fn sign_in(app: &Router) -> (String, String) {
    sign_in_at(app, "/api/dev/login").await
}

/// Signs in through `login` (e.g. `/api/dev/login?user=102`).
async fn sign_in_at(app: &Router, login: &str) -> (String, String) {
    let response = get(app, login).await;
    let cookies: Vec<String> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect();
    let token = cookies
        .iter()
        .find_map(|c| c.strip_prefix("XSRF-TOKEN="))
        .expect("XSRF cookie")
        .to_owned();
    (cookies.join("; "), token)
}

async fn api(app: &Router, path: &str, auth: &(String, String)) -> Response {
    let headers = [
        ("cookie", auth.0.as_str()),
        ("x-xsrf-token", auth.1.as_str()),
    ];
    send(app, path, Some("localhost:8081"), &headers).await
}

async fn admin(app: &Router, query: &str) -> Value {
    let response = get(app, &format!("/api/dev/admin?{query}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    json_of(response).await
}

async fn stats(app: &Router) -> Value {
    json_of(get(app, "/api/dev/stats").await).await
}

#[tokio::test]
async fn sign_in_routes_redirect_only_within_the_origin() {
    let app = test_app(&[]);
    for (query, expected) in [
        (
            "return=/intranet/page.html%3Fx%3D1%23y",
            "/intranet/page.html?x=1#y",
        ),
        ("return=/Cust12345/default.aspx", "/Cust12345/default.aspx"),
        ("return=/%09/evil.example", "/"),
        ("return=/%5Cevil.example", "/"),
        ("return=%5C%5Cevil", "/"),
        ("return=https://evil", "/"),
        ("return=//evil", "/"),
        ("return=/.//evil", "/"),
        ("return=/a%0D%0A/b", "/"),
        ("return=", "/"),
        ("", "/"),
    ] {
        for route in ["login", "logout"] {
            let response = get(&app, &format!("/api/dev/{route}?{query}")).await;
            assert!(response.status().is_redirection(), "{route}?{query}");
            assert_eq!(location(&response), expected, "{route}?{query}");
        }
    }
}

#[tokio::test]
async fn only_loopback_hosts_are_served() {
    let app = test_app(&[]);
    for host in ["evil.example", "127.0.0.1.evil.example", "0.0.0.0:8081", ""] {
        for path in ["/api/dev/stats", "/api/dev/login", "/no/such/page"] {
            let response = send(&app, path, Some(host), &[]).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{host} {path}");
            assert_eq!(text(response).await, "Host not allowed");
        }
    }
    let missing = send(&app, "/api/dev/stats", None, &[]).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let twice = send(
        &app,
        "/api/dev/stats",
        Some("localhost"),
        &[("host", "evil.example")],
    )
    .await;
    assert_eq!(twice.status(), StatusCode::FORBIDDEN);
    for host in [
        "localhost",
        "app.localhost:3000",
        "[::1]:80",
        "127.0.0.1:8081",
    ] {
        let response = send(&app, "/api/dev/stats", Some(host), &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn deep_malformations() {
    let app = test_app(&[]);
    let auth = sign_in(&app).await;
    let path = "/api/v1/Presence/GetAll";

    admin(&app, "malformed=deep-row").await;
    let response = api(&app, path, &auth).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = text(response).await;
    assert!(body.starts_with(r#"[{"ChatTopics":"#) || body.starts_with(r#"[{""#));
    assert!(body.contains(r#""ChatTopics":[[[[[["#));
    assert_eq!(deep::tests::nesting(&body), Some(deep::DEPTH + 2));
    assert!(body.len() > 2 * deep::DEPTH && body.len() < 2 * deep::DEPTH + 20_000);
    assert_eq!(body.matches(r#""UserId":"#).count(), 25);

    admin(&app, "malformed=deep-object").await;
    let body = text(api(&app, path, &auth).await).await;
    assert!(body.contains(r#""ChatTopics":{"Mask":{"Mask":{"#));
    assert_eq!(deep::tests::nesting(&body), Some(deep::DEPTH + 2));

    admin(&app, "malformed=deep-body").await;
    let body = text(api(&app, path, &auth).await).await;
    assert_eq!(body, deep::array(deep::DEPTH));

    admin(&app, "malformed=deep-error").await;
    let response = api(&app, path, &auth).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let body = text(response).await;
    assert!(body.starts_with(r#"{"ErrorMessage":"deep error","Details":[[["#));
    assert_eq!(deep::tests::nesting(&body), Some(deep::DEPTH + 1));

    admin(&app, "malformed=none").await;
    let rows = json_of(api(&app, path, &auth).await).await;
    assert_eq!(rows.as_array().map(Vec::len), Some(25));
}

#[tokio::test]
async fn deep_and_broken_topics() {
    let app = test_app(&[]);
    let auth = sign_in(&app).await;
    let settings = admin(&app, "deep_topics=12,99&broken_topics=13").await;
    assert_eq!(settings["settings"]["deep_topics"], json!([12, 99]));

    let response = api(&app, "/Cust12345/api/v1/ChatTopic/12", &auth).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = text(response).await;
    assert!(body
        .starts_with(r#"{"ChatTopicId":12,"Name":"Technical support","Extra":{"Mask":{"Mask":"#));
    assert_eq!(deep::tests::nesting(&body), Some(deep::DEPTH + 1));
    let unknown = text(api(&app, "/api/v1/ChatTopic/99", &auth).await).await;
    assert!(unknown.starts_with(r#"{"ChatTopicId":99,"Name":"Topic 99","Extra":{"#));
    // IsOpen of a deep topic is ordinary.
    let open = api(&app, "/api/v1/ChatTopic/12/IsOpen", &auth).await;
    assert_eq!(json_of(open).await, json!(true));

    for path in ["/api/v1/ChatTopic/13", "/api/v1/ChatTopic/13/IsOpen"] {
        let response = api(&app, path, &auth).await;
        assert_eq!(
            response.status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "{path}"
        );
        assert_eq!(json_of(response).await["ErrorType"], "SoServerException");
    }
    let normal = json_of(api(&app, "/api/v1/ChatTopic/11", &auth).await).await;
    assert_eq!(normal["Name"], "Billing");
    let closed = api(&app, "/api/v1/ChatTopic/15/IsOpen", &auth).await;
    assert_eq!(json_of(closed).await, json!(false));
    let missing = api(&app, "/api/v1/ChatTopic/77/IsOpen", &auth).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let stats = stats(&app).await;
    assert_eq!(
        stats["topic_requests"],
        json!({"11": 1, "12": 2, "13": 2, "15": 1, "77": 1, "99": 1})
    );
    assert_eq!(stats["requests"], json!({"isopen": 4, "topic": 4}));
    assert_eq!(stats["redirected"], 0);
}

#[tokio::test]
async fn sign_in_proxy_redirects_every_web_api_route() {
    let app = test_app(&[]);
    let auth = sign_in(&app).await;
    let settings = admin(&app, "redirect=true").await;
    assert_eq!(settings["settings"]["redirect"], true);
    let paths = [
        "/api/v1/Presence/GetAll",
        "/Cust12345/api/v1/Presence/GetAll",
        "/api/v1/ChatTopic/11",
        "/Cust12345/api/v1/ChatTopic/11/IsOpen",
    ];
    for path in paths {
        // Signed in or not: the proxy answers before the CRM sees the request.
        for response in [api(&app, path, &auth).await, get(&app, path).await] {
            assert_eq!(response.status(), StatusCode::FOUND, "{path}");
            assert_eq!(
                location(&response),
                format!("/signin-proxy?return={path}"),
                "{path}"
            );
        }
    }
    let counted = stats(&app).await;
    assert_eq!(counted["redirected"], 8);
    assert_eq!(
        counted["requests"],
        json!({"getall": 4, "topic": 2, "isopen": 2})
    );
    assert_eq!(
        counted["getall_by_base"],
        json!({"/api": 2, "/Cust12345/api": 2})
    );
    assert_eq!(counted["topic_requests"], json!({"11": 4}));
    assert_eq!(counted["unauthorized"], 0);

    admin(&app, "redirect=false").await;
    let response = api(&app, paths[0], &auth).await;
    assert_eq!(response.status(), StatusCode::OK);
    // The sign-in routes themselves are never redirected to the proxy.
    let login = get(&app, "/api/dev/login?return=/x").await;
    assert_eq!(location(&login), "/x");
    let reset = admin(&app, "reset_stats=true").await;
    assert_eq!(reset["sessions"], 2);
    assert_eq!(stats(&app).await["redirected"], 0);
}

mod admin;
mod own;
mod pages;
mod queue;
mod signin;
