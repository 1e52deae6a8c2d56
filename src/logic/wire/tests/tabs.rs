//! Messages from other tabs: kinds, sizes, and times read on this tab's clock.

use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// `value` as a tab message, read as the widget reads one (in the browser, from the
/// JavaScript value posted).
fn tab_message(value: &Value, now: f64) -> Option<TabMessage<String>> {
    #[cfg(not(target_arch = "wasm32"))]
    return TabMessage::read(value, now);
    #[cfg(target_arch = "wasm32")]
    return TabMessage::read(
        serde_wasm_bindgen::Deserializer::from(js_sys::JSON::parse(&value.to_string()).ok()?),
        now,
    );
}

#[test]
fn tab_messages_are_checked() {
    let now = 1_000_000_000_000.0;
    let read = |value: Value| tab_message(&value, now);
    assert_eq!(read(json!({"kind": "hello"})), Some(TabMessage::Hello));
    assert_eq!(
        read(json!({"kind": "wanted", "interval": 2000})),
        Some(TabMessage::Wanted {
            interval_ms: 2000.0
        })
    );
    assert_eq!(
        read(json!({"kind": "wanted", "interval": 1})),
        None,
        "too short"
    );
    assert_eq!(
        read(json!({"kind": "data", "body": "[]", "at": now})),
        Some(TabMessage::Data {
            body: "[]".into(),
            at: now
        })
    );
    assert_eq!(
        read(json!({"kind": "data", "body": "[]", "at": now + 3_600_000.0})),
        None,
        "from the future"
    );
    assert_eq!(
        read(json!({"kind": "data", "body": 5, "at": now})),
        None,
        "a body is text"
    );
    assert_eq!(read(json!(["kind", "hello"])), None);
    assert_eq!(read(json!("hello")), None);
    assert_eq!(read(json!({"kind": "hello".repeat(10)})), None);
    let Some(TabMessage::Failed { error, next }) = read(json!({
        "kind": "failed", "code": "server", "status": 503, "detail": "d".repeat(10_000), "next": now + 1e12,
    })) else {
        panic!("a failure is read");
    };
    assert_eq!(next, None, "an implausible retry time is dropped");
    let crate::logic::error::ApiError::Server {
        status: 503,
        message: Some(detail),
    } = error
    else {
        panic!("{error:?}");
    };
    assert_eq!(
        detail.chars().count(),
        crate::logic::wire::tabs::MAX_DETAIL_CHARS
    );
    let topics = read(
        json!({"kind": "topics", "topics": [[1, "Sales", true], [2, null, null], [3, 4, null], "x", [1.5, "a", true]]}),
    );
    let Some(TabMessage::Topics(entries)) = topics else {
        panic!("{topics:?}")
    };
    assert_eq!(
        entries.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![1, 2]
    );
}

// Host only: serde_json writes a deep value's text recursively.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_deep_body_is_no_message() {
    let now = 1_000_000_000_000.0;
    let mut message = json!({"kind": "data", "at": now});
    message["body"] = nested(5_000, json!(1));
    assert_eq!(tab_message(&message, now), None);
    flatten_drop(message);
}

#[test]
fn tab_message_times_are_durations_read_on_the_receivers_clock() {
    let now = 1_000_000_000_000.0;
    let read = |value: Value| tab_message(&value, now);
    // The sender's clock runs an hour ahead (it kept its time through a step back):
    // its `at` is "in the future" here, its age is not.
    let ahead = now + 3_600_000.0;
    assert_eq!(
        read(json!({"kind": "data", "body": "[]", "at": ahead - 5_000.0, "age": 5_000})),
        Some(TabMessage::Data {
            body: "[]".into(),
            at: now - 5_000.0
        })
    );
    let Some(TabMessage::Failed { next, .. }) = read(json!({
        "kind": "failed", "code": "network", "status": 0, "next": ahead + 30_000.0, "wait": 30_000,
    })) else {
        panic!("a failure is read");
    };
    assert_eq!(next, Some(now + 30_000.0));
    // Durations are bounded like the times they stand for.
    for (age, wait) in [(-60_000.0, 1e12), (1e12, -1e9)] {
        assert_eq!(
            read(json!({"kind": "data", "body": "[]", "at": now, "age": age})),
            None,
            "{age}"
        );
        let failed = read(json!({"kind": "failed", "code": "network", "wait": wait}));
        assert!(
            matches!(failed, Some(TabMessage::Failed { next: None, .. })),
            "{wait}: {failed:?}"
        );
    }
    // A tab of an older release sends times only.
    assert_eq!(
        read(json!({"kind": "data", "body": "[]", "at": now - 1.0})),
        Some(TabMessage::Data {
            body: "[]".into(),
            at: now - 1.0
        })
    );
}
