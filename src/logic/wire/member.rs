//! The two building blocks of every wire type: a [`Member`] that accepts any value
//! and keeps only what a scalar can say, and [`Object`], which reads a derived struct
//! from JSON objects only (never from an array, as serde's derive would).

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
#[cfg(not(target_arch = "wasm32"))]
use serde::de::{IgnoredAny, SeqAccess};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// One member's value as far as a scalar goes. Reading it never fails on valid
/// data: a list or an object is passed over (not walked) and remembered only as
/// such, so a member of the wrong kind counts as missing wherever it is used.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Member {
    /// Missing, `null` or `undefined`.
    #[default]
    Missing,
    Bool(bool),
    Number(f64),
    Text(String),
    List,
    Object,
}

impl Member {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Member::Bool(value) => Some(*value),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Member::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// A finite number, such as a time in ms since the epoch.
    pub fn finite(&self) -> Option<f64> {
        self.as_f64().filter(|n| n.is_finite())
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Member::Text(text) => Some(text),
            _ => None,
        }
    }

    /// An integer in `i32`'s range, the type of every SuperOffice id.
    pub fn as_i32(&self) -> Option<i32> {
        let n = self.as_f64()?;
        (n.fract() == 0.0 && n >= f64::from(i32::MIN) && n <= f64::from(i32::MAX))
            .then_some(n as i32)
    }

    /// An id as the Web API may send it: a number, or a string of one ("007", "+7").
    pub fn as_id(&self) -> Option<i32> {
        match self {
            Member::Text(text) => text.trim().parse().ok(),
            _ => self.as_i32(),
        }
    }

    /// A string of at most `max` characters (a longer one is not accepted).
    pub fn short_str(&self, max: usize) -> Option<&str> {
        self.as_str().filter(|text| text.chars().nth(max).is_none())
    }

    /// The text trimmed, `None` when blank, and at most `max` characters (a longer
    /// one is cut and ends in "…"): what a name or a message from outside may take
    /// of the screen.
    pub fn clipped(&self, max: usize) -> Option<String> {
        let text = self.as_str()?.trim();
        if text.is_empty() {
            return None;
        }
        if text.chars().nth(max).is_none() {
            return Some(text.to_owned());
        }
        let mut clipped: String = text.chars().take(max.saturating_sub(1)).collect();
        clipped.push('…');
        Some(clipped)
    }

    /// What kind of value it was, in the words of an error message.
    pub fn kind(&self) -> &'static str {
        match self {
            Member::Missing => "null",
            Member::Bool(_) => "a boolean",
            Member::Number(_) => "a number",
            Member::Text(_) => "a string",
            Member::List => "an array",
            Member::Object => "an object",
        }
    }
}

/// The most of a text member kept (UTF-16 units; every limit on one is below it): a
/// longer one is cut before it is copied, so no string from outside fills memory.
pub const MAX_MEMBER_CHARS: usize = 4096;

impl Member {
    /// A text member, cut at [`MAX_MEMBER_CHARS`].
    pub fn text(text: &str) -> Member {
        Member::Text(text.chars().take(MAX_MEMBER_CHARS).collect())
    }
}

/// In the browser a member is read from the JS value itself instead
/// (`browser::js`): classified without copying a long string or a buffer into wasm
/// memory, and a list or object of any length is not walked at all.
#[cfg(not(target_arch = "wasm32"))]
impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MemberVisitor)
    }
}

#[cfg(not(target_arch = "wasm32"))]
struct MemberVisitor;

#[cfg(not(target_arch = "wasm32"))]
impl<'de> Visitor<'de> for MemberVisitor {
    type Value = Member;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_unit<E>(self) -> Result<Member, E> {
        Ok(Member::Missing)
    }
    fn visit_none<E>(self) -> Result<Member, E> {
        Ok(Member::Missing)
    }
    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Member, D::Error> {
        Member::deserialize(inner)
    }
    fn visit_bool<E>(self, value: bool) -> Result<Member, E> {
        Ok(Member::Bool(value))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Member, E> {
        Ok(Member::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Member, E> {
        Ok(Member::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Member, E> {
        Ok(Member::Number(n))
    }
    fn visit_str<E>(self, text: &str) -> Result<Member, E> {
        Ok(Member::text(text))
    }
    // Lists and objects are passed over item by item without looking inside
    // (serde_json's values insist on being drained).
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Member, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Member::List)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Member, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Member::Object)
    }
}

/// A derived struct of [`Member`]s and lists, read only from an object.
pub trait Struct: DeserializeOwned {
    /// Every member name it reads, aliases included (what `#[derive(Deserialize)]`
    /// asks a deserializer for; serde-wasm-bindgen reads exactly these and no other).
    const FIELDS: &'static [&'static str];
}

/// `T` read from an object; anything else (an array among them: serde's derive would
/// read one by position) is an error, which the list holding it counts as a skipped
/// item.
pub struct Object<T>(pub T);

impl<'de, T: Struct> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("Object", T::FIELDS, ObjectVisitor(PhantomData))
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Struct> Visitor<'de> for ObjectVisitor<T> {
    type Value = Object<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Object)
    }
}
