//! The sign-in service: discovery, consent, both flows, the key set, Bearer tokens
//! on the Web API with CORS, and each switch that makes it misbehave.

use super::*;
use axum::body::Body;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

const PAGE: &str = "http://127.0.0.1:8082";
const REDIRECT: &str = "http://127.0.0.1:8082/widget/signed-in.html";

fn signin_app(extra: &[&str]) -> Router {
    let mut args = vec!["--signin-origins", PAGE];
    args.extend_from_slice(extra);
    test_app(&args)
}

async fn post_form(app: &Router, path: &str, body: &str) -> Response {
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::HOST, "127.0.0.1:8081")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, PAGE)
        .body(Body::from(body.to_owned()))
        .expect("request");
    app.clone().oneshot(request).await.expect("infallible")
}

/// `GET path` on the tenant from a page of `origin`, with `Authorization: Bearer {token}`.
async fn with_token(app: &Router, path: &str, token: &str, origin: &str) -> Response {
    let bearer = format!("Bearer {token}");
    let headers = [("authorization", bearer.as_str()), ("origin", origin)];
    send(app, path, Some("127.0.0.1:8081"), &headers).await
}

fn query(pairs: &[(&str, &str)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish()
}

fn params(text: &str) -> std::collections::HashMap<String, String> {
    url::form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

/// Allows the consent page's request; answers the redirect's parameters.
async fn consent(
    app: &Router,
    request: &[(&str, &str)],
) -> std::collections::HashMap<String, String> {
    let page = get(
        app,
        &format!("/login/common/oauth/authorize?{}", query(request)),
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    // What the page's form sends back: its hidden fields, and the button.
    let html = text(page).await;
    assert!(html.contains("<button name=\"answer\" value=\"allow\">"));
    let mut form: Vec<(String, String)> = html
        .split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|field| {
            let name = field.split("name=\"").nth(1)?.split('"').next()?;
            let value = field.split("value=\"").nth(1)?.split('"').next()?;
            Some((
                name.to_owned(),
                value.replace("&amp;", "&").replace("&quot;", "\""),
            ))
        })
        .collect();
    assert_eq!(form.len(), 8, "every field of the request: {form:?}");
    form.push(("answer".into(), "allow".into()));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let back = post_form(app, "/login/common/oauth/consent", &query(&form)).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    let to = location(&back).to_owned();
    assert!(to.starts_with(REDIRECT), "{to}");
    let answer = to.split_once(['#', '?']).map_or("", |(_, a)| a);
    params(answer)
}

const IMPLICIT: [(&str, &str); 6] = [
    ("client_id", "dev-widget"),
    ("redirect_uri", REDIRECT),
    ("response_type", "id_token token"),
    ("scope", "openid"),
    ("state", "the-state"),
    ("nonce", "the-nonce"),
];

/// Whether the key set's key signed `token`; and its claims.
async fn verify(app: &Router, token: &str) -> (bool, Value) {
    let keys = json_of(get(app, "/login/common/discovery/keys").await).await;
    let key = &keys["keys"][0];
    let number = |name: &str| {
        BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(key[name].as_str().unwrap()).unwrap())
    };
    let public = RsaPublicKey::new(number("n"), number("e")).expect("a key");
    let (signed, signature) = token.rsplit_once('.').expect("three parts");
    let signature = Signature::try_from(&URL_SAFE_NO_PAD.decode(signature).unwrap()[..]).unwrap();
    let good = VerifyingKey::<Sha256>::new(public)
        .verify(signed.as_bytes(), &signature)
        .is_ok();
    let payload = signed.split('.').nth(1).unwrap();
    (
        good,
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn the_implicit_flow_gives_a_signed_id_token_and_a_bearer_token_the_api_takes() {
    let app = signin_app(&[]);
    let discovery = json_of(get(&app, "/login/.well-known/openid-configuration").await).await;
    assert_eq!(discovery["issuer"], "http://127.0.0.1:8081");
    assert_eq!(
        discovery["authorization_endpoint"],
        "http://127.0.0.1:8081/login/common/oauth/authorize"
    );
    assert!(!discovery["token_endpoint_auth_methods_supported"]
        .as_array()
        .unwrap()
        .contains(&json!("none")));

    let answer = consent(&app, &IMPLICIT).await;
    assert_eq!(answer["state"], "the-state");
    assert_eq!(answer["token_type"], "Bearer");
    let (signed, claims) = verify(&app, &answer["id_token"]).await;
    assert!(signed, "signed by the published key");
    assert_eq!(claims["iss"], "http://127.0.0.1:8081");
    assert_eq!(claims["aud"], "dev-widget");
    assert_eq!(claims["nonce"], "the-nonce");
    let digest = Sha256::digest(answer["access_token"].as_bytes());
    assert_eq!(
        claims["at_hash"],
        URL_SAFE_NO_PAD.encode(&digest[..16]),
        "tied to the access token"
    );
    assert_eq!(
        claims["http://schemes.superoffice.net/identity/webapi_url"],
        "http://127.0.0.1:8081/Cust12345/api/"
    );

    let token = &answer["access_token"];
    let rows = with_token(&app, "/Cust12345/api/v1/Presence/GetAll", token, PAGE).await;
    assert_eq!(rows.status(), StatusCode::OK);
    assert_eq!(rows.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], PAGE);
    let stats = stats(&app).await;
    assert_eq!(
        (stats["bearer"].clone(), stats["last"]["bearer"].clone()),
        (json!(1), json!(true))
    );

    let refused = with_token(&app, "/api/v1/Presence/GetAll", "guessed", PAGE).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(refused.headers()[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    // A page of an origin not told about gets no CORS answer.
    let foreign = with_token(
        &app,
        "/api/v1/Presence/GetAll",
        token,
        "http://127.0.0.1:9999",
    )
    .await;
    assert!(foreign
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());

    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/Cust12345/api/v1/Presence/GetAll")
        .header(header::HOST, "127.0.0.1:8081")
        .header(header::ORIGIN, PAGE)
        .header("access-control-request-headers", "authorization")
        .body(Body::empty())
        .unwrap();
    let preflight = app.clone().oneshot(preflight).await.unwrap();
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert!(preflight.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap()
        .contains("authorization"));
}

#[tokio::test]
async fn the_consent_page_refuses_what_is_not_registered_and_deny_says_so() {
    let app = signin_app(&[]);
    for (name, value) in [
        ("client_id", "another-app"),
        ("redirect_uri", "https://evil.example/cb"),
        ("nonce", ""),
        ("response_type", "code"),
    ] {
        let request: Vec<(&str, &str)> = IMPLICIT
            .iter()
            .map(|&(k, v)| if k == name { (k, value) } else { (k, v) })
            .collect();
        let page = get(
            &app,
            &format!("/login/common/oauth/authorize?{}", query(&request)),
        )
        .await;
        assert_eq!(page.status(), StatusCode::BAD_REQUEST, "{name}={value}");
    }
    let mut deny = IMPLICIT.to_vec();
    deny.push(("answer", "deny"));
    let back = post_form(&app, "/login/common/oauth/consent", &query(&deny)).await;
    assert_eq!(
        location(&back),
        format!("{REDIRECT}#error=access_denied&state=the-state")
    );
}

#[tokio::test]
async fn an_isolated_sign_in_page_says_so_in_its_opener_policy() {
    let url = format!("/login/common/oauth/authorize?{}", query(&IMPLICIT));
    let open = get(&signin_app(&[]), &url).await;
    assert_eq!(open.status(), StatusCode::OK);
    assert!(open.headers().get("cross-origin-opener-policy").is_none());
    let isolated = get(&signin_app(&["--signin-isolated"]), &url).await;
    assert_eq!(isolated.status(), StatusCode::OK);
    assert_eq!(
        isolated.headers()["cross-origin-opener-policy"],
        "same-origin"
    );
}

#[tokio::test]
async fn the_code_flow_exchanges_a_code_once_for_its_verifier() {
    let app = signin_app(&["--signin-flow", "pkce"]);
    let discovery = json_of(get(&app, "/login/.well-known/openid-configuration").await).await;
    assert!(discovery["token_endpoint_auth_methods_supported"]
        .as_array()
        .unwrap()
        .contains(&json!("none")));
    let verifier = "v".repeat(43);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let request = [
        ("client_id", "dev-widget"),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "openid"),
        ("state", "s"),
        ("nonce", "n"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let answer = consent(&app, &request).await;
    let code = answer["code"].clone();
    let exchange = |verifier: String| {
        let code = code.clone();
        let app = app.clone();
        async move {
            let body = query(&[
                ("grant_type", "authorization_code"),
                ("client_id", "dev-widget"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &verifier),
            ]);
            post_form(&app, "/login/common/oauth/tokens", &body).await
        }
    };
    let wrong = exchange("w".repeat(43)).await;
    assert_eq!(
        wrong.status(),
        StatusCode::BAD_REQUEST,
        "a wrong verifier spends the code too"
    );
    let answer = consent(&app, &request).await;
    let code = answer["code"].clone();
    let body = query(&[
        ("grant_type", "authorization_code"),
        ("client_id", "dev-widget"),
        ("code", &code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", &verifier),
    ]);
    let tokens = post_form(&app, "/login/common/oauth/tokens", &body).await;
    assert_eq!(tokens.status(), StatusCode::OK);
    assert_eq!(tokens.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], PAGE);
    let tokens = json_of(tokens).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(verify(&app, tokens["id_token"].as_str().unwrap()).await.0);
    let again = post_form(&app, "/login/common/oauth/tokens", &body).await;
    assert_eq!(
        again.status(),
        StatusCode::BAD_REQUEST,
        "a code is used once"
    );
}

#[tokio::test]
async fn switches_make_tokens_the_widget_must_refuse_and_a_moved_tenant() {
    let app = signin_app(&[]);
    for (bad, check) in [
        ("nonce", ("nonce", json!("replayed-nonce"))),
        ("issuer", ("iss", json!("https://impostor.example"))),
        ("audience", ("aud", json!("another-app"))),
        (
            "foreign-webapi",
            (
                "http://schemes.superoffice.net/identity/webapi_url",
                json!("https://evil.example/Cust12345/api/"),
            ),
        ),
    ] {
        admin(&app, &format!("bad_token={bad}")).await;
        let answer = consent(&app, &IMPLICIT).await;
        let (signed, claims) = verify(&app, &answer["id_token"]).await;
        assert!(signed, "{bad}");
        assert_eq!(claims[check.0], check.1, "{bad}");
    }
    admin(&app, "bad_token=audiences").await;
    let answer = consent(&app, &IMPLICIT).await;
    let claims = verify(&app, &answer["id_token"]).await.1;
    assert_eq!(claims["aud"], json!(["dev-widget", "another-app"]));
    assert!(claims.get("azp").is_none());
    admin(&app, "bad_token=no-at-hash").await;
    let answer = consent(&app, &IMPLICIT).await;
    assert!(verify(&app, &answer["id_token"])
        .await
        .1
        .get("at_hash")
        .is_none());
    admin(&app, "bad_token=at-hash").await;
    let answer = consent(&app, &IMPLICIT).await;
    assert!(verify(&app, &answer["id_token"]).await.1["at_hash"].is_string());
    admin(&app, "bad_token=signature").await;
    let answer = consent(&app, &IMPLICIT).await;
    assert!(
        !verify(&app, &answer["id_token"]).await.0,
        "not the published key"
    );
    admin(&app, "bad_token=expired").await;
    let answer = consent(&app, &IMPLICIT).await;
    let exp = verify(&app, &answer["id_token"]).await.1["exp"]
        .as_u64()
        .unwrap();
    assert!(exp < crate::signin::now());

    admin(&app, "bad_token=none&misdirected=true").await;
    let answer = consent(&app, &IMPLICIT).await;
    let moved = with_token(
        &app,
        "/api/v1/Presence/GetAll",
        &answer["access_token"],
        PAGE,
    )
    .await;
    assert_eq!(moved.status(), StatusCode::MISDIRECTED_REQUEST);
}

#[tokio::test]
async fn tokens_expire_after_their_lifetime() {
    let app = signin_app(&["--token-seconds", "1"]);
    let answer = consent(&app, &IMPLICIT).await;
    assert_eq!(answer["expires_in"], "1");
    let (path, token) = ("/api/v1/Presence/GetAll", &answer["access_token"]);
    assert_eq!(
        with_token(&app, path, token, PAGE).await.status(),
        StatusCode::OK
    );
    // Waits for the condition (a token lives whole seconds): refused within 3 s.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while with_token(&app, path, token, PAGE).await.status() == StatusCode::OK {
        assert!(
            std::time::Instant::now() < deadline,
            "the token outlived its lifetime"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        with_token(&app, path, token, PAGE).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
