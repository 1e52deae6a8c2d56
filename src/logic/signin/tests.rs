use super::authority::{api_base, authority, discovery_url, DEFAULT_AUTHORITY};
use super::callback::{read, Answer};
use super::id_token::{check, decode, key_for, parts, Expected};
use super::provider::{provider, Flow, Provider};
use super::request::{base64url, Pending, SECRET_BYTES};
use super::SignInError;
use crate::logic::config::urls::WhatwgUrls;
use crate::logic::wire::signin::{Claims, Discovery, Jwks, TokenHeader};
use crate::logic::wire::Object;
use serde::Deserialize;
use serde_json::{json, Value};

const AUTHORITY: &str = "https://sod.superoffice.com";
const NOW: f64 = 1_800_000_000.0;

fn superoffice_document() -> Value {
    // As SuperOffice's discovery metadata lists it: secrets only.
    json!({
        "issuer": "https://sod.superoffice.com",
        "authorization_endpoint": "https://sod.superoffice.com/login/common/oauth/authorize",
        "token_endpoint": "https://sod.superoffice.com/login/common/oauth/tokens",
        "jwks_uri": "https://sod.superoffice.com/login/common/discovery/keys",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "response_types_supported": ["code", "id_token", "id_token token", "code id_token"],
        "Extra": {"deep": [[[[1]]]]}
    })
}

fn provider_of(document: Value) -> Result<Provider, SignInError> {
    let Object(document) = Object::<Discovery>::deserialize(document).expect("an object");
    provider(&document, AUTHORITY, &WhatwgUrls)
}

fn pending(flow: Flow) -> Pending {
    let mut random = [0u8; 3 * SECRET_BYTES];
    for (i, byte) in random.iter_mut().enumerate() {
        *byte = i as u8;
    }
    Pending::new(
        &random,
        flow,
        "https://intranet.example.com/widget/signed-in.html",
    )
}

#[test]
fn authorities_are_secure_urls_and_name_their_discovery_document() {
    assert_eq!(
        authority(DEFAULT_AUTHORITY, &WhatwgUrls).as_deref(),
        Some("https://online.superoffice.com/login")
    );
    assert_eq!(
        authority("https://sod.superoffice.com/login/", &WhatwgUrls).as_deref(),
        Some("https://sod.superoffice.com/login")
    );
    assert!(authority("http://127.0.0.1:8081/login", &WhatwgUrls).is_some());
    for bad in [
        "http://sod.superoffice.com/login",
        "https://user:pw@sod.superoffice.com/login",
        "https://sod.superoffice.com/login?x=1",
        "javascript:alert(1)",
        "",
    ] {
        assert_eq!(authority(bad, &WhatwgUrls), None, "{bad}");
    }
    assert_eq!(
        discovery_url("https://sod.superoffice.com/login"),
        "https://sod.superoffice.com/login/.well-known/openid-configuration"
    );
}

#[test]
fn superoffice_gets_the_implicit_flow_and_a_public_client_provider_pkce() {
    let superoffice = provider_of(superoffice_document()).expect("usable");
    assert_eq!(superoffice.flow, Flow::Implicit);
    assert_eq!(superoffice.token, None, "no token endpoint without PKCE");
    assert_eq!(superoffice.issuer, "https://sod.superoffice.com");
    assert!(superoffice.jwks.is_some());
    let mut public = superoffice_document();
    public["token_endpoint_auth_methods_supported"] = json!(["none", "client_secret_post"]);
    let pkce = provider_of(public).expect("usable");
    assert_eq!(pkce.flow, Flow::CodePkce);
    assert!(pkce.token.is_some());
}

#[test]
fn a_discovery_document_cannot_send_the_sign_in_elsewhere() {
    let mut elsewhere = superoffice_document();
    elsewhere["authorization_endpoint"] = json!("https://evil.example/authorize");
    assert!(matches!(
        provider_of(elsewhere),
        Err(SignInError::Discovery(_))
    ));
    let mut plain = superoffice_document();
    plain["authorization_endpoint"] = json!("http://sod.superoffice.com/authorize");
    assert!(matches!(provider_of(plain), Err(SignInError::Discovery(_))));
    let mut keys = superoffice_document();
    keys["jwks_uri"] = json!("https://evil.example/keys");
    assert_eq!(
        provider_of(keys).expect("usable").jwks,
        None,
        "no foreign key set"
    );
    let mut nameless = superoffice_document();
    nameless["issuer"] = json!(["x"]);
    assert!(matches!(
        provider_of(nameless),
        Err(SignInError::Discovery(_))
    ));
    let mut neither = superoffice_document();
    neither["response_types_supported"] = json!(["code"]);
    assert!(matches!(
        provider_of(neither),
        Err(SignInError::Discovery(_))
    ));
    assert!(
        Object::<Discovery>::deserialize(json!([1, 2])).is_err(),
        "an array is no document"
    );
}

#[test]
fn authorize_requests_carry_state_nonce_and_for_pkce_the_challenge() {
    let implicit = provider_of(superoffice_document()).expect("usable");
    let request = pending(Flow::Implicit);
    assert_eq!(request.state.len(), 43, "256 bits, base64url");
    assert_ne!(request.state, request.nonce);
    assert_eq!(request.verifier, None);
    let url = request.authorize_url(&implicit, "my-client", None);
    assert!(url.starts_with(
        "https://sod.superoffice.com/login/common/oauth/authorize?client_id=my-client&"
    ));
    assert!(url.contains("&response_type=id_token+token&"), "{url}");
    assert!(url.contains(&format!("&state={}", request.state)), "{url}");
    assert!(url.contains(&format!("&nonce={}", request.nonce)), "{url}");
    assert!(
        url.contains("redirect_uri=https%3A%2F%2Fintranet.example.com%2Fwidget%2Fsigned-in.html")
    );
    assert!(url.contains("scope=openid"));

    let mut public = superoffice_document();
    public["token_endpoint_auth_methods_supported"] = json!(["none"]);
    let pkce = provider_of(public).expect("usable");
    let request = pending(Flow::CodePkce);
    let verifier = request.verifier.clone().expect("a verifier");
    assert_eq!(verifier.len(), 43);
    let url = request.authorize_url(&pkce, "my-client", Some(&[0xfb; 32]));
    assert!(
        url.contains("response_type=code&code_challenge=-_v7"),
        "{url}"
    );
    assert!(url.contains("code_challenge_method=S256"));
    let body = request
        .token_request("my-client", "the code")
        .expect("a body");
    assert!(body.contains("grant_type=authorization_code") && body.contains("code=the+code"));
    assert!(body.contains(&format!("code_verifier={verifier}")));
    assert!(!body.contains("secret"));
    assert_eq!(base64url(&[0xff, 0xee]), "_-4");
}

#[test]
fn the_redirect_pages_answer_must_be_for_this_request() {
    let request = pending(Flow::Implicit);
    let state = &request.state;
    let good =
        format!("id_token=a.b.c&access_token=xyz&token_type=Bearer&expires_in=3600&state={state}");
    assert_eq!(
        read(&good, &request),
        Ok(Answer::Tokens {
            id_token: "a.b.c".into(),
            access_token: "xyz".into(),
            expires_in: Some(3600)
        })
    );
    assert_eq!(
        read("id_token=a&access_token=b&state=other", &request),
        Err(SignInError::StateMismatch)
    );
    assert_eq!(
        read("id_token=a&access_token=b", &request),
        Err(SignInError::StateMismatch)
    );
    assert_eq!(
        read(
            &format!("error=access_denied&error_description=no&state={state}"),
            &request
        ),
        Err(SignInError::Refused {
            error: "access_denied".into()
        })
    );
    let twice = format!("id_token=a&id_token=b&access_token=c&state={state}");
    assert_eq!(read(&twice, &request), Err(SignInError::Malformed));
    let code_for_implicit = format!("code=x&state={state}");
    assert_eq!(
        read(&code_for_implicit, &request),
        Err(SignInError::Malformed)
    );
    let huge = format!(
        "id_token={}&access_token=b&state={state}",
        "a".repeat(20_000)
    );
    assert_eq!(read(&huge, &request), Err(SignInError::Malformed));
    let pkce = pending(Flow::CodePkce);
    let code = format!("code=abc&state={}", pkce.state);
    assert_eq!(read(&code, &pkce), Ok(Answer::Code("abc".into())));
}

fn claims(value: Value) -> Claims {
    Object::<Claims>::deserialize(value).expect("claims").0
}

fn good_claims(request: &Pending) -> Value {
    json!({
        "iss": "https://sod.superoffice.com",
        "aud": "my-client",
        "exp": NOW + 3600.0,
        "iat": NOW,
        "nonce": request.nonce,
        "http://schemes.superoffice.net/identity/webapi_url": "https://sod.superoffice.com/Cust26759/api/",
        "http://schemes.superoffice.net/identity/associateid": "5",
        "http://schemes.superoffice.net/identity/ctx": "Cust26759",
    })
}

#[test]
fn an_id_token_is_from_the_issuer_for_this_app_and_request_and_not_expired() {
    let request = pending(Flow::Implicit);
    let allowed: Vec<String> = Vec::new();
    let expected = Expected {
        issuer: "https://sod.superoffice.com",
        client_id: "my-client",
        pending: &request,
        allowed_origins: &allowed,
        now: NOW,
    };
    let identity = check(&claims(good_claims(&request)), &expected, &WhatwgUrls).expect("good");
    assert_eq!(
        identity.api_base,
        "https://sod.superoffice.com/Cust26759/api"
    );
    assert_eq!(identity.associate_id, Some(5));
    assert_eq!(identity.context.as_deref(), Some("Cust26759"));
    let refused = |change: &dyn Fn(&mut Value)| {
        let mut value = good_claims(&request);
        change(&mut value);
        check(&claims(value), &expected, &WhatwgUrls).unwrap_err()
    };
    assert_eq!(
        refused(&|c| c["iss"] = json!("https://evil.example")),
        SignInError::WrongIssuer
    );
    assert_eq!(
        refused(&|c| c["aud"] = json!("other")),
        SignInError::WrongAudience
    );
    assert_eq!(
        refused(&|c| c["aud"] = json!({"my-client": 1})),
        SignInError::WrongAudience
    );
    assert_eq!(
        refused(&|c| c["nonce"] = json!("replayed")),
        SignInError::NonceMismatch
    );
    assert_eq!(
        refused(&|c| c["exp"] = json!(NOW - 120.0)),
        SignInError::Expired
    );
    assert_eq!(refused(&|c| c["exp"] = json!("soon")), SignInError::Expired);
    assert_eq!(
        refused(&|c| c["iat"] = json!(NOW + 3600.0)),
        SignInError::Expired
    );
    assert_eq!(
        refused(
            &|c| c["http://schemes.superoffice.net/identity/webapi_url"] =
                json!("https://evil.example/api/")
        ),
        SignInError::ForeignApi {
            origin: "https://evil.example".into()
        }
    );
    // One of several audiences: only when it was issued to this client (`azp`).
    let mut listed = good_claims(&request);
    listed["aud"] = json!(["other", "my-client"]);
    listed["azp"] = json!("my-client");
    assert!(
        check(&claims(listed), &expected, &WhatwgUrls).is_ok(),
        "one of several audiences, issued to this client"
    );
    assert_eq!(
        refused(&|c| c["aud"] = json!(["other", "my-client"])),
        SignInError::WrongAudience,
        "several audiences and no azp"
    );
    assert_eq!(
        refused(&|c| {
            c["aud"] = json!(["other", "my-client"]);
            c["azp"] = json!("other");
        }),
        SignInError::WrongAudience,
        "issued to another client"
    );
    assert_eq!(
        refused(&|c| c["azp"] = json!("other")),
        SignInError::WrongAudience,
        "an azp is this client's, one audience or several"
    );
    let mut single = good_claims(&request);
    single["aud"] = json!(["my-client"]);
    assert!(
        check(&claims(single), &expected, &WhatwgUrls).is_ok(),
        "a list of one"
    );
}

#[test]
fn the_token_goes_only_to_superoffice_or_an_allowed_origin() {
    let none: Vec<String> = Vec::new();
    let ok = |url: &str| api_base(url, &none, &WhatwgUrls);
    assert_eq!(
        ok("https://online.superoffice.com/Cust1/api/").as_deref(),
        Ok("https://online.superoffice.com/Cust1/api")
    );
    for foreign in [
        "https://superoffice.com.evil.example/api/",
        "https://evilsuperoffice.com/api/",
        "http://sod.superoffice.com/Cust1/api/",
    ] {
        assert!(
            matches!(ok(foreign), Err(SignInError::ForeignApi { .. })),
            "{foreign}"
        );
    }
    assert_eq!(
        ok("https://u:p@sod.superoffice.com/api/"),
        Err(SignInError::Malformed)
    );
    assert_eq!(ok("javascript:alert(1)"), Err(SignInError::Malformed));
    let listed = vec!["http://127.0.0.1:8081".to_owned()];
    assert_eq!(
        api_base("http://127.0.0.1:8081/Cust1/api/", &listed, &WhatwgUrls).as_deref(),
        Ok("http://127.0.0.1:8081/Cust1/api")
    );
}

#[test]
fn tokens_are_three_base64url_parts_signed_rs256_by_a_named_key() {
    let token = "eyJh.eyJz.c2ln";
    let split = parts(token).expect("three parts");
    assert_eq!(split.signed, "eyJh.eyJz");
    assert_eq!(split.signature, "c2ln");
    assert_eq!(decode(split.signature).as_deref(), Some(&b"sig"[..]));
    for bad in ["a.b", "a.b.c.d", "a..c", "a.b.c=", "a.b+.c", ""] {
        assert_eq!(parts(bad), None, "{bad}");
    }
    assert_eq!(parts(&format!("{}.b.c", "a".repeat(20_000))), None);
    let keys = Object::<Jwks>::deserialize(json!({"keys": [
        {"kty": "RSA", "kid": "one", "use": "sig", "alg": "RS256", "n": "nnn", "e": "AQAB"},
        {"kty": "RSA", "kid": "enc", "use": "enc", "n": "mmm", "e": "AQAB"},
        {"kty": "oct", "kid": "hmac", "k": "secret"},
        "not a key",
    ]}))
    .expect("a key set")
    .0;
    let header = |value: Value| Object::<TokenHeader>::deserialize(value).expect("header").0;
    let key = key_for(&header(json!({"alg": "RS256", "kid": "one"})), &keys).expect("a key");
    assert_eq!((key.n.as_str(), key.e.as_str()), ("nnn", "AQAB"));
    for refused in [
        json!({"alg": "none", "kid": "one"}),
        json!({"alg": "HS256", "kid": "hmac"}),
        json!({"alg": "RS256", "kid": "enc"}),
        json!({"alg": "RS256", "kid": "missing"}),
    ] {
        assert_eq!(
            key_for(&header(refused.clone()), &keys),
            Err(SignInError::BadSignature),
            "{refused}"
        );
    }
    // Without a kid, only a set of one key says which.
    assert!(key_for(&header(json!({"alg": "RS256"})), &keys).is_ok());
}

#[test]
fn an_id_token_names_the_access_token_it_came_with() {
    use super::id_token::check_at_hash;
    let digest: Vec<u8> = (0u8..32).collect();
    let with = |at_hash: Value| claims(json!({ "at_hash": at_hash }));
    for required in [true, false] {
        assert_eq!(
            check_at_hash(&with(json!(base64url(&digest[..16]))), &digest, required),
            Ok(())
        );
        assert_eq!(
            check_at_hash(&with(json!(base64url(&digest[16..]))), &digest, required),
            Err(SignInError::WrongAccessToken)
        );
    }
    // Without one: refused for `id_token token` (OpenID Connect Core 3.2.2.10), taken
    // from the token endpoint (the code flow, Core 3.1.3.8).
    assert_eq!(
        check_at_hash(&claims(json!({})), &digest, true),
        Err(SignInError::WrongAccessToken)
    );
    assert_eq!(check_at_hash(&claims(json!({})), &digest, false), Ok(()));
}
