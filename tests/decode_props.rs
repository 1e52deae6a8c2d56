//! Property tests of everything read from outside (`logic::wire`), driven by
//! serde_json's values as the browser drives them with serde-wasm-bindgen: no value,
//! however hostile, makes a reader panic, and what is accepted keeps its promises.
//! Host only (proptest does not run in the browser).
#![cfg(not(target_arch = "wasm32"))]

use presence_widget::logic::wire::presence::{
    PresenceBody, MAX_NAME_CHARS, MAX_TOPICS, ROW_MEMBERS,
};
use presence_widget::logic::wire::records::{FiredRecord, PinsRecord, TopicsRecord, WatchesRecord};
use presence_widget::logic::wire::tabs::TabMessage;
use presence_widget::logic::wire::Object;
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Any JSON value, with the members and kinds the readers look for among them.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>()
            .prop_map(|n| serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)),
        any::<i32>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        "-?[0-9]{1,11}".prop_map(Value::String),
        Just(Value::String("topic".into())),
        Just(Value::String("data".into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let keys = prop_oneof![
            proptest::sample::select(ROW_MEMBERS).prop_map(str::to_owned),
            Just("TableRight".to_owned()),
            Just("FieldProperties".to_owned()),
            Just("Message".to_owned()),
            Just("kind".to_owned()),
            Just("at".to_owned()),
            Just("topics".to_owned()),
            "[a-zA-Z]{0,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((keys, inner), 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn roster(
    body: &Value,
) -> Option<Result<presence_widget::logic::model::Roster, presence_widget::logic::model::DecodeError>>
{
    PresenceBody::deserialize(body)
        .ok()
        .map(|PresenceBody(body)| body)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_body_reads_and_keeps_its_promises(body in any_value()) {
        match roster(&body) {
            Some(Ok(roster)) => {
                let rows = body.as_array().map_or(0, Vec::len);
                prop_assert_eq!(roster.agents.len() + roster.skipped, rows);
                let mut ids: Vec<i32> = roster.agents.iter().map(|a| a.user_id).collect();
                ids.sort_unstable();
                ids.dedup();
                prop_assert_eq!(ids.len(), roster.agents.len(), "user ids are unique");
                for agent in &roster.agents {
                    let mut topics = agent.topics.clone();
                    topics.sort_unstable();
                    topics.dedup();
                    prop_assert_eq!(topics.len(), agent.topics.len(), "topics are unique");
                    prop_assert!(agent.topics.len() <= MAX_TOPICS);
                    let readable = |n: &str| !n.trim().is_empty() && n.chars().count() <= MAX_NAME_CHARS;
                    prop_assert!(agent.name.as_deref().is_none_or(readable));
                }
            }
            Some(Err(_)) => prop_assert!(!body.is_array(), "a list is a roster"),
            None => prop_assert!(false, "only a list beyond the row limit is refused whole"),
        }
    }

    /// What serde_json writes and reads back (the text a tab or the server sends)
    /// reads the same as the value itself.
    #[test]
    fn text_and_value_read_the_same(body in any_value()) {
        let text = serde_json::to_string(&body).expect("serialisable");
        let again: Value = serde_json::from_str(&text).expect("parses");
        prop_assert_eq!(roster(&again), roster(&body));
    }

    #[test]
    fn rows_with_valid_ids_always_survive(ids in prop::collection::vec(any::<i32>(), 0..50), junk in any_value()) {
        let rows: Vec<Value> = ids.iter().map(|id| serde_json::json!({
            "UserId": id, "DisplayName": junk, "OngoingChats": junk, "Present": junk,
            "ChatTopics": junk, "TableRight": junk,
        })).collect();
        let Some(Ok(roster)) = roster(&Value::Array(rows)) else {
            panic!("an array of objects always reads");
        };
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        prop_assert_eq!(roster.agents.len(), unique.len());
    }

    /// Messages and records: never a panic, and only plausible content.
    #[test]
    fn any_message_or_record_reads_safely(value in any_value(), now in 0.0..4e12f64) {
        if let Some(TabMessage::Data { at, .. }) = TabMessage::<String>::read(&value, now) {
            prop_assert!(at <= now + 2_000.0);
        }
        if let Ok(pins) = PinsRecord::deserialize(&value) {
            prop_assert!(pins.ids().len() <= value.as_array().map_or(0, Vec::len));
        }
        if let Ok(watches) = WatchesRecord::deserialize(&value) {
            prop_assert!(watches.watches().count() <= value.as_array().map_or(0, Vec::len));
        }
        if let Ok(fired) = FiredRecord::deserialize(&value) {
            prop_assert!(fired.news(now).iter().all(|n| n.at <= now + 2_000.0));
        }
        if let Ok(Object(topics)) = Object::<TopicsRecord>::deserialize(&value) {
            let plausible = |(_, info, at): &(i32, presence_widget::logic::model::TopicInfo, f64)| {
                *at <= now + 2_000.0 && info.name.as_ref().is_none_or(|n| n.chars().count() <= MAX_NAME_CHARS)
            };
            prop_assert!(topics.fresh(now).iter().all(plausible));
        }
    }

    /// What the sign-in service sends: never a panic; a key, an audience or an
    /// endpoint is only ever what the value said, within bounds.
    #[test]
    fn any_sign_in_document_reads_safely(value in any_value()) {
        use presence_widget::logic::wire::signin::{Claims, Discovery, Jwks, TokenHeader};
        if let Ok(Object(keys)) = Object::<Jwks>::deserialize(&value) {
            for key in keys.keys.items.iter().filter_map(|k| k.0.rsa()) {
                prop_assert!(key.n.chars().count() <= 1_400 && key.e.chars().count() <= 16);
            }
        }
        if let Ok(Object(claims)) = Object::<Claims>::deserialize(&value) {
            prop_assert!(claims.aud.0.len() <= 8);
            if let Some(aud) = value.get("aud").and_then(Value::as_str) {
                prop_assert_eq!(claims.aud.0.first().map(String::as_str), Some(aud).filter(|a| a.chars().count() <= 2_000));
            }
        }
        let _ = Object::<Discovery>::deserialize(&value);
        let _ = Object::<TokenHeader>::deserialize(&value);
    }
}
