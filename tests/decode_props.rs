//! Property tests: no input, however hostile, makes the decoders panic, and what
//! they accept keeps its promises. Host only (proptest does not run in the browser).
#![cfg(not(target_arch = "wasm32"))]

use presence_widget::logic::config::{parse_config, suspected_typos, PageLocation, WhatwgUrls};
use presence_widget::logic::json::{self, Value};
use presence_widget::logic::model::{decode_presence, read_presence, ReadError};
use presence_widget::logic::xsrf::token_from_cookies;
use proptest::prelude::*;

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(Value::Number),
        any::<i32>().prop_map(|n| Value::Number(n as f64)),
        ".{0,12}".prop_map(Value::String),
        "-?[0-9]{1,11}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("UserId".to_owned()),
            Just("DisplayName".to_owned()),
            Just("OngoingChats".to_owned()),
            Just("Present".to_owned()),
            Just("ChatTopics".to_owned()),
            Just("TableRight".to_owned()),
            Just("Mask".to_owned()),
            Just("FieldProperties".to_owned()),
            Just("Message".to_owned()),
            "[a-zA-Z]{0,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((keys, inner), 0..8).prop_map(Value::Object),
        ]
    })
}

/// The same value as serde_json's, to write test bodies as JSON text.
fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Number::from_f64(*n)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Object(members) => {
            let mut map = serde_json::Map::new();
            for (k, v) in members {
                map.entry(k.clone()).or_insert_with(|| to_json(v));
            }
            serde_json::Value::Object(map)
        }
    }
}

/// serde_json's value as ours (serde_json keeps a repeated key's last value, as we do
/// and as `JSON.parse` does; its objects are in key order, so `close` compares them
/// by key when `keys_only`).
fn from_json(value: &serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::Array(items.iter().map(from_json).collect()),
        serde_json::Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect(),
        ),
    }
}

/// Equal, with numbers within a few units in the last place (the parser's promise
/// beyond 2^53 and large exponents), objects member by member in order.
fn same(a: &Value, b: &Value) -> bool {
    close(a, b, false)
}

/// As [`same`], but with `by_key` objects are compared as maps (serde_json's are
/// in key order, ours in text order).
fn close(a: &Value, b: &Value, by_key: bool) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => {
            a == b || (a - b).abs() <= a.abs().max(b.abs()) * 1e-14 + f64::MIN_POSITIVE
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| close(a, b, by_key))
        }
        (Value::Object(a), Value::Object(b)) if by_key => {
            a.len() == b.len()
                && a.iter().all(|(key, a)| {
                    b.iter()
                        .find(|(k, _)| k == key)
                        .is_some_and(|(_, b)| close(a, b, true))
                })
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, a), (kb, b))| ka == kb && close(a, b, false))
        }
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decoding_any_value_never_panics_and_keeps_its_promises(body in any_value()) {
        if let Ok(roster) = decode_presence(&body) {
            let rows = body.as_array().map_or(0, <[Value]>::len);
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
                prop_assert!(agent.name.as_deref().is_none_or(|n| !n.trim().is_empty()));
            }
        } else {
            prop_assert!(body.as_array().is_none());
        }
    }

    /// The one-pass reader the browser uses gives exactly what the reference
    /// decoder gives for the whole parsed value, and the parser reads back what
    /// serde_json wrote.
    #[test]
    fn lean_reading_agrees_with_the_reference(body in any_value()) {
        let text = serde_json::to_string(&to_json(&body)).expect("serialisable");
        let value = json::parse(&text).expect("what serde_json writes parses");
        prop_assert!(same(&value, &from_json(&to_json(&body))), "{}", text);
        let lean = read_presence(&text).map_err(|error| match error {
            ReadError::Unexpected(error) => error,
            ReadError::NotJson(error) => panic!("{error:?} for {text}"),
        });
        prop_assert_eq!(lean, decode_presence(&value));
    }

    /// Valid where serde_json finds JSON, refused where it does not (except the two
    /// places where the browser's JSON.parse, which the widget follows, is more
    /// lenient than serde_json: numbers beyond f64 and unpaired surrogate escapes),
    /// and the same values where both read it.
    #[test]
    fn the_parser_agrees_with_serde_json(text in r#"[\[\]{}",: a-fu0-9.eE+\\-]{0,40}|.{0,200}"#) {
        let ours = json::parse(&text);
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(theirs) => prop_assert!(ours.as_ref().is_ok_and(|ours| close(ours, &from_json(&theirs), true)), "{:?}: {:?}", text, ours),
            Err(error) if error.to_string().contains("out of range") || error.to_string().contains("surrogate") => {}
            Err(_) => prop_assert!(ours.is_err(), "{:?} parsed as {:?}", text, ours),
        }
        let _ = read_presence(&text);
    }

    #[test]
    fn rows_with_valid_ids_always_survive(ids in prop::collection::vec(any::<i32>(), 0..50), junk in any_value()) {
        let rows: Vec<Value> = ids.iter().map(|id| Value::Object(vec![
            ("UserId".into(), Value::Number(*id as f64)),
            ("DisplayName".into(), junk.clone()),
            ("OngoingChats".into(), junk.clone()),
            ("Present".into(), junk.clone()),
            ("ChatTopics".into(), junk.clone()),
            ("TableRight".into(), junk.clone()),
        ])).collect();
        let roster = decode_presence(&Value::Array(rows)).expect("an array always decodes");
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        prop_assert_eq!(roster.agents.len(), unique.len());
    }

    #[test]
    fn configuration_never_panics(
        attrs in prop::collection::vec(("data-[a-z-]{0,22}", ".{0,40}"), 0..6),
        path in "/[A-Za-z0-9/]{0,20}",
    ) {
        let href = format!("https://crm.example.com{path}");
        let page = PageLocation { href: &href, path: &path };
        let _ = suspected_typos(&attrs);
        if let Ok(config) = parse_config(&attrs, &page, &WhatwgUrls) {
            // Without data-allowed-origins, the session never leaves the page's origin.
            let allowed = attrs.iter().any(|(name, _)| name == "data-allowed-origins");
            prop_assert!(allowed || config.api_base == "https://crm.example.com"
                || config.api_base.starts_with("https://crm.example.com/"), "{}", config.api_base);
        }
    }

    #[test]
    fn any_base_stays_on_the_page_origin_unless_allowed(
        base in "[/\\\\\t\n\r .:@a-z%?#]{0,24}",
    ) {
        let page = PageLocation { href: "https://crm.example.com/Cust1/panel.html", path: "/Cust1/panel.html" };
        let attrs = vec![("data-api-base".to_owned(), base.clone())];
        if let Ok(config) = parse_config(&attrs, &page, &WhatwgUrls) {
            prop_assert!(config.api_base == "https://crm.example.com"
                || config.api_base.starts_with("https://crm.example.com/"), "{:?} -> {}", base, config.api_base);
        }
    }

    #[test]
    fn cookie_parsing_never_panics(cookies in ".{0,80}") {
        let _ = token_from_cookies(&cookies);
    }
}

proptest! {
    /// Applying the plan the way the list does (walk the new order from the end,
    /// insert every key that does not stay before the one after it) always yields
    /// the new order, and moves no more than needed.
    #[test]
    fn reordering_plans_produce_the_new_order(
        old in prop::collection::hash_set(0u16..60, 0..40),
        new in prop::collection::hash_set(0u16..60, 0..40),
        shuffle in any::<u64>(),
    ) {
        use presence_widget::logic::reorder::stays;
        let old: Vec<u16> = old.into_iter().collect();
        let mut new: Vec<u16> = new.into_iter().collect();
        new.sort_by_key(|k| (u64::from(*k).wrapping_mul(shuffle | 1)) % 1009);
        let kept: Vec<u16> = old.iter().copied().filter(|k| new.contains(k)).collect();
        let plan = stays(&kept, &new);
        let mut dom = kept.clone();
        let mut next: Option<u16> = None;
        for (i, key) in new.iter().enumerate().rev() {
            if !plan[i] {
                dom.retain(|k| k != key);
                let at = next.and_then(|n| dom.iter().position(|k| *k == n)).unwrap_or(dom.len());
                dom.insert(at, *key);
            }
            next = Some(*key);
        }
        prop_assert_eq!(&dom, &new);
        // Kept keys that stay form an increasing run of their old positions.
        let stayed: Vec<usize> = new.iter().zip(&plan).filter(|(_, s)| **s)
            .map(|(k, _)| kept.iter().position(|o| o == k).unwrap_or(usize::MAX)).collect();
        prop_assert!(stayed.windows(2).all(|w| w[0] < w[1]));
    }
}
