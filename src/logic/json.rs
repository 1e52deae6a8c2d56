//! A minimal JSON value, deserialisable from any serde format.
//!
//! The widget decodes the network body in two steps: the browser parses the text
//! (`JSON.parse`, which does not recurse), serde-wasm-bindgen converts it into this
//! [`Value`], and the decoders in [`crate::logic::model`] read what they need from it
//! (the `GetAll` rows through a one-pass reader that skips the members the widget
//! does not use). One small tree type keeps the wasm small (no serde_json, no
//! visitor per record type) and makes "never panic on hostile input" easy to hold:
//! every accessor here returns an `Option`.
//!
//! Conversion recurses once per level of nesting, so it is depth-limited
//! ([`MAX_DEPTH`]): a body nested tens of thousands of levels deep would otherwise
//! overflow the wasm stack and kill every widget on the page. Such a body is an
//! ordinary decoding error.

use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;

/// Deepest nesting of arrays and objects converted; SuperOffice's bodies are about
/// four levels deep.
pub const MAX_DEPTH: usize = 64;
/// Most array items and object members converted in one body: 10,000 agents with
/// every member the widget reads are about 100,000.
pub const MAX_NODES: usize = 2_000_000;

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    static NODES: Cell<usize> = const { Cell::new(0) };
}

/// Runs one body's conversion with a fresh node budget ([`MAX_NODES`]), so that no
/// body, however wide, can exhaust the wasm heap.
pub fn with_budget<T>(convert: impl FnOnce() -> T) -> T {
    NODES.with(|nodes| nodes.set(0));
    let converted = convert();
    NODES.with(|nodes| nodes.set(0));
    converted
}

/// Counts one more array item or object member against the budget.
pub(crate) fn spend<E: Error>() -> Result<(), E> {
    NODES.with(|nodes| {
        if nodes.get() >= MAX_NODES {
            return Err(E::custom("too many values"));
        }
        nodes.set(nodes.get() + 1);
        Ok(())
    })
}

/// One level of nesting entered; leaving it (on success or error) drops the guard.
pub(crate) struct Nesting(());

impl Nesting {
    pub(crate) fn enter<E: Error>() -> Result<Nesting, E> {
        DEPTH.with(|depth| {
            if depth.get() >= MAX_DEPTH {
                return Err(E::custom("nested too deeply"));
            }
            depth.set(depth.get() + 1);
            Ok(Nesting(()))
        })
    }
}

impl Drop for Nesting {
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

/// A parsed JSON value. Objects keep their key order; duplicate keys keep the first.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object, matched case-insensitively because SuperOffice
    /// serialises PascalCase but some proxies and older endpoints use camelCase.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members
                .iter()
                .find(|(k, _)| k == key)
                .or_else(|| members.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// An integer that fits `i32`, from a number with no fractional part or from a
    /// decimal string ("42"), which some serialisers emit for ids.
    pub fn as_i32(&self) -> Option<i32> {
        let n = match self {
            Value::Number(n) => *n,
            Value::String(s) => s.trim().parse::<f64>().ok()?,
            _ => return None,
        };
        if n.is_finite() && n.fract() == 0.0 && n >= i32::MIN as f64 && n <= i32::MAX as f64 {
            Some(n as i32)
        } else {
            None
        }
    }

    /// A short description of the value's kind, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let _level = Nesting::enter()?;
        // Cap the pre-allocation: the size hint comes from the network.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            spend()?;
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let _level = Nesting::enter()?;
        let mut members: Vec<(String, Value)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            spend()?;
            if !members.iter().any(|(k, _)| *k == key) {
                members.push((key, value));
            }
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("test JSON is valid")
    }

    #[test]
    fn reads_every_kind() {
        let v = parse(r#"{"a":[1,2.5,"x",true,null,{"b":{}}]}"#);
        let items = v.get("a").and_then(Value::as_array).expect("array");
        assert_eq!(items.len(), 6);
        assert_eq!(items[0].as_i32(), Some(1));
        assert_eq!(items[1].as_i32(), None, "fractional numbers are not ids");
        assert_eq!(items[2].as_str(), Some("x"));
        assert_eq!(items[3].as_bool(), Some(true));
        assert_eq!(items[4], Value::Null);
        assert_eq!(items[5].get("b").map(Value::kind), Some("an object"));
    }

    #[test]
    fn keys_match_exactly_first_then_ignoring_case() {
        let v = parse(r#"{"userId":1,"UserId":2}"#);
        assert_eq!(v.get("UserId").and_then(Value::as_i32), Some(2));
        assert_eq!(v.get("userid").and_then(Value::as_i32), Some(1));
        assert_eq!(v.get("missing"), None);
    }

    #[test]
    fn duplicate_keys_keep_the_first() {
        let v = parse(r#"{"a":1,"a":2}"#);
        assert_eq!(v.get("a").and_then(Value::as_i32), Some(1));
    }

    fn nested(depth: usize, open: &str, close: &str) -> String {
        format!("{}1{}", open.repeat(depth), close.repeat(depth))
    }

    #[test]
    fn nesting_is_limited_and_the_limit_resets() {
        let ok = nested(MAX_DEPTH, "[", "]");
        assert!(serde_json::from_str::<Value>(&ok).is_ok());
        let deep = nested(MAX_DEPTH + 1, "[", "]");
        let error = serde_json::from_str::<Value>(&deep).expect_err("too deep");
        assert!(error.to_string().contains("nested too deeply"), "{error}");
        let deep_objects = nested(MAX_DEPTH + 1, "{\"a\":", "}");
        assert!(serde_json::from_str::<Value>(&deep_objects).is_err());
        // A failed conversion leaves no depth behind for the next one.
        for _ in 0..3 {
            assert!(serde_json::from_str::<Value>(&deep).is_err());
            assert!(serde_json::from_str::<Value>(&ok).is_ok());
        }
    }

    #[test]
    fn wide_bodies_run_out_of_budget_and_the_budget_resets() {
        let wide = format!("[{}0]", "0,".repeat(MAX_NODES));
        assert!(with_budget(|| serde_json::from_str::<Value>(&wide)).is_err());
        assert!(with_budget(|| serde_json::from_str::<Value>("[1,2,3]")).is_ok());
    }

    #[test]
    fn integers_out_of_range_or_non_finite_are_refused() {
        assert_eq!(Value::Number(1e12).as_i32(), None);
        assert_eq!(Value::Number(f64::NAN).as_i32(), None);
        assert_eq!(Value::Number(-2147483648.0).as_i32(), Some(i32::MIN));
        assert_eq!(Value::String(" 17 ".into()).as_i32(), Some(17));
        assert_eq!(Value::String("x".into()).as_i32(), None);
    }
}
