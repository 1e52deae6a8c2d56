//! The wire types driven by `serde_json::Value`, which reads like serde-wasm-bindgen
//! (the value is built first, as `JSON.parse` builds it in the browser).

use super::presence::{
    PresenceBody, PrincipalBody, MAX_NAME_CHARS, MAX_ROWS, MAX_TOPICS, MAX_TOPIC_IDS,
};
use super::records::{FiredRecord, PinsRecord, PrefsRecord, TopicsRecord, WatchesRecord};
use super::tabs::TabMessage;
use super::Object;
use crate::logic::model::{Agent, DecodeError, Roster};
use crate::logic::watch::Target;
use serde_json::{json, Value};

// In the browser (`cargo test --target wasm32-unknown-unknown --lib`) these tests run
// under wasm-bindgen-test and read through the decoder that ships.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Reads `value` as the widget reads it: on the host through serde_json's value
/// (built first, as `JSON.parse` builds it); in the browser through `JSON.parse`
/// and serde-wasm-bindgen, the widget's own path, so a member list that leaves a
/// field out fails here.
fn read<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, String> {
    #[cfg(not(target_arch = "wasm32"))]
    return serde::Deserialize::deserialize(value)
        .map_err(|error: serde_json::Error| error.to_string());
    #[cfg(target_arch = "wasm32")]
    return read_text(&value.to_string());
}

/// The browser's reading of a body's text (`api::read` without its size check).
#[cfg(target_arch = "wasm32")]
fn read_text<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let parsed = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    serde_wasm_bindgen::from_value(parsed).map_err(|error| error.to_string())
}

/// A `GetAll` body as the widget reads it, or `Err(None)` when it is refused whole.
fn read_value(value: &Value) -> Result<Roster, Option<DecodeError>> {
    match read::<PresenceBody>(value) {
        Ok(PresenceBody(body)) => body.map_err(Some),
        Err(_) => Err(None),
    }
}

/// A body's text as the widget reads it (in the browser, `JSON.parse` sees the text
/// itself: repeated members, number forms).
fn decode(text: &str) -> Result<Roster, DecodeError> {
    #[cfg(not(target_arch = "wasm32"))]
    let read: Result<PresenceBody, String> = {
        let value: Value = serde_json::from_str(text).expect("test JSON is valid");
        read(&value)
    };
    #[cfg(target_arch = "wasm32")]
    let read: Result<PresenceBody, String> = read_text(text);
    let PresenceBody(body) = read.expect("not refused whole");
    body
}

/// `n` arrays, each holding the next, around `inner` (built without recursion).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn nested(n: usize, inner: Value) -> Value {
    (0..n).fold(inner, |value, _| Value::Array(vec![value]))
}

/// Takes a deep value apart without recursion (serde_json's drop recurses).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn flatten_drop(mut value: Value) {
    let mut stack = Vec::new();
    loop {
        match value {
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => stack.extend(members.into_iter().map(|(_, v)| v)),
            _ => {}
        }
        match stack.pop() {
            Some(next) => value = next,
            None => return,
        }
    }
}

/// The sample of `shared/api/presence-getall.md`, verbatim.
const DOC_SAMPLE: &str = r#"[
  {
"UserId": 248,
"DisplayName": "Connelly Inc and Sons",
"OngoingChats": 995,
"Present": true,
"ChatTopics": [
  648,
  179
],
"TableRight": {
  "Mask": "Delete",
  "Reason": ""
},
"FieldProperties": {
  "fieldName": {
    "FieldRight": {
      "Mask": "FULL",
      "Reason": ""
    },
    "FieldType": "System.String",
    "FieldLength": 582
  }
}
  }
]"#;

#[test]
fn decodes_the_reference_sample() {
    let roster = decode(DOC_SAMPLE).expect("sample decodes");
    assert_eq!(roster.skipped, 0);
    assert_eq!(
        roster.agents,
        vec![Agent {
            user_id: 248,
            name: Some("Connelly Inc and Sons".into()),
            present: true,
            ongoing_chats: 995,
            topics: vec![648, 179],
        }]
    );
}

#[test]
fn nulls_and_missing_members_get_defaults() {
    let roster = decode(
        r#"[{"UserId":1,"DisplayName":null,"OngoingChats":null,"Present":null,
             "ChatTopics":null,"TableRight":null,"FieldProperties":null},
            {"UserId":2}]"#,
    )
    .expect("decodes");
    for agent in &roster.agents {
        assert_eq!(agent.name, None);
        assert!(!agent.present, "missing Present counts as Away");
        assert_eq!(agent.ongoing_chats, 0);
        assert!(agent.topics.is_empty());
    }
    assert_eq!(
        roster.agents[0].display_name(|id| format!("User {id}")),
        "User 1"
    );
}

#[test]
fn odd_values_are_normalised() {
    let roster = decode(
        r#"[{"UserId":"7","DisplayName":"  Åse Ødegård ","OngoingChats":-3,"Present":true,
             "ChatTopics":[1,1,"2",2.5,null,3,1],"Extra":{"deep":[1]}}]"#,
    )
    .expect("decodes");
    let agent = &roster.agents[0];
    assert_eq!(agent.user_id, 7);
    assert_eq!(agent.name.as_deref(), Some("Åse Ødegård"));
    assert_eq!(agent.ongoing_chats, 0, "negative chat counts count as 0");
    assert_eq!(
        agent.topics,
        vec![1, 2, 3],
        "duplicates once, junk ids dropped"
    );
}

#[test]
fn rows_without_a_usable_user_id_are_skipped_and_counted() {
    let roster = decode(
        r#"[{"UserId":1},{"DisplayName":"no id"},{"UserId":null},{"UserId":1.5},
            {"UserId":"abc"},42,"row",null,{"UserId":1},{"UserId":3000000000}]"#,
    )
    .expect("decodes");
    assert_eq!(roster.agents.len(), 1);
    assert_eq!(roster.skipped, 9, "including the repeated UserId 1");
}

#[test]
fn bodies_that_are_not_lists_say_what_they_were() {
    assert_eq!(
        decode(r#"{"Message":"An error has occurred.","MessageDetail":"x"}"#),
        Err(DecodeError::NotAList {
            kind: "an object",
            message: Some("An error has occurred.".into())
        })
    );
    assert_eq!(
        decode("null"),
        Err(DecodeError::NotAList {
            kind: "null",
            message: None
        })
    );
    assert_eq!(
        decode(r#"{"Error":true,"ErrorType":"X","ErrorMessage":"Boom","ErrorSource":"Y"}"#),
        Err(DecodeError::NotAList {
            kind: "an object",
            message: Some("Boom".into())
        })
    );
}

#[test]
fn server_messages_are_shortened() {
    let long = format!(r#"{{"Message":"{}"}}"#, "é".repeat(1000));
    let Err(DecodeError::NotAList { message, .. }) = decode(&long) else {
        panic!("an object is not a list");
    };
    let message = message.expect("message");
    assert_eq!(message.chars().count(), 300);
    assert!(message.ends_with('…'));
}

#[test]
fn bodies_beyond_the_row_limit_are_refused_whole() {
    let rows = |n: usize| Value::Array(vec![json!({}); n]);
    assert_eq!(
        read_value(&rows(MAX_ROWS + 1)),
        Err(None),
        "more than MAX_ROWS rows"
    );
    assert_eq!(read_value(&rows(MAX_ROWS)).map(|r| r.skipped), Ok(MAX_ROWS));
}

#[test]
fn a_bodys_topic_ids_are_bounded_in_all_and_distinct_per_agent() {
    // Within every other bound (rows, topics per row), far more ids than a body may
    // bring: the first MAX_TOPIC_IDS are read, the rest passed over.
    let rows = MAX_TOPIC_IDS / MAX_TOPICS + 10;
    let body: Vec<Value> = (0..rows)
        .map(|i| json!({ "UserId": i + 1, "ChatTopics": (0..MAX_TOPICS).collect::<Vec<_>>() }))
        .collect();
    let roster = read_value(&Value::Array(body)).expect("read");
    assert_eq!(roster.agents.len(), rows, "every agent is kept");
    let ids: usize = roster.agents.iter().map(|a| a.topics.len()).sum();
    assert_eq!(ids, MAX_TOPIC_IDS);
    assert!(roster.agents[rows - 1].topics.is_empty());
    // Repeats and junk cost the budget too: they are read as much as ids are.
    let junk: Vec<Value> = (0..rows)
        .map(|i| json!({ "UserId": i + 1, "ChatTopics": vec![json!(5); MAX_TOPICS] }))
        .chain([json!({ "UserId": 0, "ChatTopics": [1] })])
        .collect();
    let roster = read_value(&Value::Array(junk)).expect("read");
    assert!(
        roster.agents[rows].topics.is_empty(),
        "the budget was spent on repeats"
    );
    // The bound is the body's: the next body starts afresh.
    let again = decode(r#"[{"UserId": 1, "ChatTopics": [3, 1, 3, "1", 2, 1]}]"#).expect("read");
    assert_eq!(
        again.agents[0].topics,
        [3, 1, 2],
        "distinct, in their order"
    );
}

// Host only: serde_json writes a deep value's text recursively (the browser tests
// read bodies 60,000 deep through JSON.parse).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn deep_values_cost_nothing_where_they_stand() {
    // A row, a member and a topic nested thousands deep: each is passed over without
    // being walked (the browser test does this 60,000 deep through JSON.parse).
    let deep = || nested(5_000, json!(1));
    let body = Value::Array(vec![
        deep(),
        json!({"UserId": 7, "ChatTopics": [1], "Extra": 0}),
        json!({"UserId": 8, "DisplayName": "x"}),
    ]);
    let Value::Array(mut rows) = body else {
        unreachable!()
    };
    rows[1]["DisplayName"] = deep();
    rows[1]["Extra"] = deep();
    rows[1]["ChatTopics"].as_array_mut().unwrap().push(deep());
    rows[2]["ChatTopics"] = deep();
    let body = Value::Array(rows);
    let roster = read_value(&body).expect("still a list");
    flatten_drop(body);
    assert_eq!(roster.skipped, 1, "the deep row");
    assert_eq!(roster.agents[0].user_id, 7);
    assert_eq!(roster.agents[0].name, None, "a deep name counts as missing");
    assert_eq!(roster.agents[0].topics, vec![1]);
    assert!(roster.agents[1].topics.is_empty());
}

#[test]
fn repeated_members_read_as_the_browser_reads_them() {
    // JSON.parse keeps a repeated key's last value, as serde_json's values do.
    let roster = decode(r#"[{"UserId":5,"DisplayName":"Old","DisplayName":"New"}]"#).unwrap();
    assert_eq!(roster.agents[0].name.as_deref(), Some("New"));
    // Two spellings of one member make the row ambiguous: it is skipped.
    let roster = decode(r#"[{"UserId":5,"userId":6},{"userId":7,"displayName":"c"}]"#).unwrap();
    assert_eq!(roster.skipped, 1);
    assert_eq!(roster.agents[0].user_id, 7);
    assert_eq!(
        roster.agents[0].name.as_deref(),
        Some("c"),
        "camelCase is read"
    );
}

#[test]
fn rows_are_objects_never_arrays() {
    // serde's derive would read `[7, "x"]` by position.
    let roster = decode(r#"[[7,"x",true],{"UserId":8}]"#).unwrap();
    assert_eq!(roster.skipped, 1);
    assert_eq!(roster.agents.len(), 1);
}

#[test]
fn a_million_topics_are_read_in_linear_time() {
    let ids: Vec<Value> = (0..1_000_000).map(|i| json!(i)).collect();
    let roster = read_value(&json!([{"UserId": 1, "ChatTopics": ids}])).expect("a list");
    assert_eq!(roster.agents[0].topics.len(), MAX_TOPICS);
}

#[test]
fn names_are_clipped() {
    let long = "n".repeat(5 * MAX_NAME_CHARS);
    let roster = read_value(&json!([{"UserId": 1, "DisplayName": long}])).unwrap();
    let name = roster.agents[0].name.clone().unwrap();
    assert_eq!(name.chars().count(), MAX_NAME_CHARS);
    assert!(name.ends_with('…'));
}

#[test]
fn wrong_kinds_in_every_member_count_as_missing() {
    let odd = [
        json!(null),
        json!(true),
        json!(-1.5),
        json!("x"),
        json!([1, [2]]),
        json!({"a": {}}),
    ];
    for value in odd {
        let row = json!({
            "UserId": 3, "DisplayName": value, "Present": value, "OngoingChats": value,
            "ChatTopics": value, "TableRight": value, "FieldProperties": value,
        });
        let roster = read_value(&json!([row])).expect("a list");
        let agent = &roster.agents[0];
        assert_eq!(agent.user_id, 3, "{value}");
        assert!(!agent.present || value == json!(true), "{value}");
        assert_eq!(agent.ongoing_chats, 0, "{value}");
        if !value.is_array() {
            assert!(agent.topics.is_empty(), "{value}");
        }
    }
}

#[test]
fn stored_records_are_checked() {
    let now = 1_000_000_000_000.0;
    let pins = read::<PinsRecord>(&json!([1, "2", 3.5, null, 4, [5]])).unwrap();
    assert_eq!(pins.ids(), vec![1, 4]);
    assert!(read::<PinsRecord>(&json!({"0": 1})).is_err(), "not a list");
    assert!(
        read::<PinsRecord>(&Value::Array(vec![json!(1); 100_000])).is_err(),
        "too long"
    );
    let watches = read::<WatchesRecord>(&json!([
        ["topic", 4, now],
        ["agent", 5],
        ["team", 6, now],
        ["agent", 7, now]
    ]))
    .unwrap();
    let targets: Vec<Target> = watches.watches().map(|w| w.target).collect();
    assert_eq!(targets, vec![Target::Topic(4), Target::Agent(7)]);
    let fired = read::<FiredRecord>(&json!([
        ["agent", 7, now - 1000.0, 7, "Ann"],
        ["agent", 8, now - 3_600_000.0, 8, "old news"],
        ["topic", 9, now, 10, "n".repeat(1000)],
    ]))
    .unwrap();
    let news = fired.news(now);
    assert_eq!(news.len(), 1);
    assert_eq!(news[0].name, "Ann");
    let Object(topics) = read::<Object<TopicsRecord>>(&json!({
        "at": now, "topics": [[1, "Sales", true], [2, "Old", null]], "checked": [now, now - 3_600_000.0],
    }))
    .unwrap();
    let fresh = topics.fresh(now);
    assert_eq!(fresh.len(), 1);
    assert_eq!(fresh[0].1.name.as_deref(), Some("Sales"));
    assert!(read::<Object<TopicsRecord>>(&json!([1, 2])).is_err());
}

mod fields;
mod queue;
mod tabs;

#[test]
fn the_principal_gives_its_chat_user_id_only_when_usable() {
    let id = |value: Value| {
        read::<Object<PrincipalBody>>(&value)
            .ok()
            .and_then(|Object(p)| p.chat_user_id())
    };
    let sample =
        json!({"AssociateId": 5, "EjUserId": 105, "UserName": "anna", "Licenses": [{"x": 1}]});
    assert_eq!(id(sample), Some(105));
    assert_eq!(id(json!({"EjUserId": "105"})), Some(105));
    for bad in [
        json!({"AssociateId": 5}),
        json!({"EjUserId": 0}),
        json!({"EjUserId": -3}),
        json!({"EjUserId": 1.5}),
        json!({"EjUserId": [105]}),
        json!({"EjUserId": 1e12}),
        json!([{"EjUserId": 105}]),
        json!(null),
    ] {
        assert_eq!(id(bad.clone()), None, "{bad}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_deep_principal_gives_no_id() {
    let deep = nested(5_000, json!({"EjUserId": 105}));
    assert_eq!(
        read::<Object<PrincipalBody>>(&deep)
            .ok()
            .and_then(|Object(p)| p.chat_user_id()),
        None
    );
    flatten_drop(deep);
    // Built by hand: `json!` would serialize the deep value recursively.
    let mut deep_member = json!({});
    deep_member["EjUserId"] = nested(5_000, json!(105));
    assert_eq!(
        read::<Object<PrincipalBody>>(&deep_member)
            .ok()
            .and_then(|Object(p)| p.chat_user_id()),
        None
    );
    flatten_drop(deep_member);
}

#[test]
fn prefs_read_their_order_and_switch_or_nothing() {
    use crate::logic::list::Order;
    let read = |value: Value| {
        read::<PrefsRecord>(&value)
            .ok()
            .map(|r| (r.order(), r.me_first()))
    };
    assert_eq!(
        read(json!(["least-busy", true])),
        Some((Some(Order::LeastBusy), true))
    );
    assert_eq!(
        read(json!(["available", false])),
        Some((Some(Order::AvailableFirst), false))
    );
    assert_eq!(read(json!(["sideways", "yes"])), Some((None, false)));
    assert_eq!(read(json!([])), Some((None, false)));
    assert!(read(json!({"order": "least-busy"})).is_none_or(|r| r == (None, false)));
}
