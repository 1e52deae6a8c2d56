//! Lists from outside, read item by item with a bound.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Unexpected};
use std::fmt;
use std::marker::PhantomData;

/// At most `MAX` items of a list; an item that cannot be read is skipped and
/// counted.
///
/// A list that is a `MEMBER` of a row (an agent's topics) reads its first `MAX`
/// items and passes over the rest, and counts as empty when it is not a list at all.
/// Any other list (a body, a record) is refused when it is longer (a cut one would
/// pass for whole) or is not a list.
#[derive(Clone, Debug, PartialEq)]
pub struct List<T, const MAX: usize, const MEMBER: bool = false> {
    pub items: Vec<T>,
    /// Items that could not be read.
    pub skipped: usize,
}

impl<T, const MAX: usize, const MEMBER: bool> Default for List<T, MAX, MEMBER> {
    fn default() -> Self {
        List {
            items: Vec::new(),
            skipped: 0,
        }
    }
}

impl<'de, T: Deserialize<'de>, const MAX: usize, const MEMBER: bool> Deserialize<'de>
    for List<T, MAX, MEMBER>
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let visitor = Visitor::<T, MAX, MEMBER>(PhantomData);
        if MEMBER {
            deserializer.deserialize_any(visitor)
        } else {
            deserializer.deserialize_seq(visitor)
        }
    }
}

struct Visitor<T, const MAX: usize, const MEMBER: bool>(PhantomData<T>);

impl<T, const MAX: usize, const MEMBER: bool> Visitor<T, MAX, MEMBER> {
    /// What a value that is not a list gives.
    fn not_a_list<E: de::Error>(self, unexpected: Unexpected) -> Result<List<T, MAX, MEMBER>, E> {
        if MEMBER {
            Ok(List::default())
        } else {
            Err(E::invalid_type(unexpected, &"a list"))
        }
    }
}

impl<'de, T: Deserialize<'de>, const MAX: usize, const MEMBER: bool> de::Visitor<'de>
    for Visitor<T, MAX, MEMBER>
{
    type Value = List<T, MAX, MEMBER>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut list = List::default();
        // Every pass takes an item: the deserializers used here (serde-wasm-bindgen,
        // serde_json's values) move past an item that failed, and the bound ends the
        // loop for any that would not.
        for _ in 0..MAX {
            match seq.next_element::<T>() {
                Ok(Some(item)) => list.items.push(item),
                Ok(None) => return Ok(list),
                Err(_) => list.skipped += 1,
            }
        }
        if MEMBER {
            drain_seq(&mut seq)?;
        } else if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom("too many items"));
        }
        Ok(list)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if MEMBER {
            drain_map(&mut map)?;
        }
        self.not_a_list(Unexpected::Map)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.not_a_list(Unexpected::Unit)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.not_a_list(Unexpected::Unit)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        self.not_a_list(Unexpected::Other("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        self.not_a_list(Unexpected::Other("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        self.not_a_list(Unexpected::Other("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        self.not_a_list(Unexpected::Other("a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        self.not_a_list(Unexpected::Other("a string"))
    }
}

/// Passes over the rest of a list. Only serde_json's values (the host tests) insist
/// on it; serde-wasm-bindgen does not, and there a sparse array from a structured
/// clone could hold billions of holes.
pub(super) fn drain_seq<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<(), A::Error> {
    if cfg!(not(target_arch = "wasm32")) {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
    }
    Ok(())
}

/// As [`drain_seq`], for an object.
pub(super) fn drain_map<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    if cfg!(not(target_arch = "wasm32")) {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    }
    Ok(())
}
