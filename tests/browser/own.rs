//! The user's own card and switch, against a fake tenant that says who the user is.

use super::*;

fn signed_in_tenant(base: &str, me: &str) {
    tenant(base, AGENTS);
    route(&format!("{base}/v1/User/currentPrincipal"), 200, me, 0);
    route(&format!("{base}/v1/Presence/SaveAll"), 204, "", 0);
}

#[wasm_bindgen_test]
async fn the_users_card_says_you_and_their_switch_writes_only_their_presence() {
    signed_in_tenant("/t-you/api", r#"{"AssociateId": 9, "EjUserId": 3}"#);
    let host = mount(&[
        ("data-api-base", "/t-you/api"),
        ("data-refresh-seconds", "0"),
    ]);
    until("you", || {
        one(&host, "li.is-you[data-user-id='3']").is_some()
    })
    .await;
    assert_eq!(all(&host, "li.is-you").len(), 1);
    assert_eq!(text(&host, "li[data-user-id='3'] .you"), "You");
    let switch: HtmlInputElement = one(&host, "[data-control=own-available]")
        .expect("the switch")
        .dyn_into()
        .expect("input");
    assert!(switch.checked(), "Anna Ek is available");
    switch.click();
    until("the card at once", || {
        one(&host, "li[data-user-id='3']").and_then(|c| c.get_attribute("data-present"))
            == Some("false".into())
    })
    .await;
    until("the write", || {
        call_count("/t-you/api/v1/Presence/SaveAll") == 1
    })
    .await;
    let call = last_call_json("/t-you/api/v1/Presence/SaveAll");
    assert!(call.contains(r#""method":"POST""#), "{call}");
    assert!(
        call.contains(r#""body":"[{\"UserId\":3,\"Present\":false}]""#),
        "{call}"
    );
    assert!(
        call.contains(r#""content-type":"application/json""#),
        "{call}"
    );
    assert!(call.contains(r#""credentials":"include""#), "{call}");
    host.remove();
}

#[wasm_bindgen_test]
async fn no_card_of_the_user_marks_nobody_and_offers_no_switch() {
    for (base, me) in [
        ("/t-you-none/api", r#"{"EjUserId": 77}"#),
        ("/t-you-odd/api", r#"[{"EjUserId": 3}]"#),
        ("/t-you-text/api", "not json"),
    ] {
        signed_in_tenant(base, me);
        // The list comes well after the user's answer, which is read by then (a
        // late one could only let this test pass wrongly, never fail it).
        route(&format!("{base}/v1/Presence/GetAll"), 200, AGENTS, 300);
        let host = mount(&[("data-api-base", base), ("data-refresh-seconds", "0")]);
        until("cards", || user_ids(&host).len() == 5).await;
        // An answer that cannot be read may pass: asked again with the next answer
        // (at most three times in all).
        let asked = call_count(&format!("{base}/v1/User/currentPrincipal"));
        assert!((1..=3).contains(&asked), "{base}: {asked}");
        assert!(one(&host, "li.is-you").is_none(), "{base}");
        assert!(
            one(&host, "[data-control=own-available]").is_none(),
            "{base}"
        );
        assert_eq!(text(&host, ".summary"), "3 of 5 agents available");
        host.remove();
    }
}
