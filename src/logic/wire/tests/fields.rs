//! Each wire type's member list (`Struct::FIELDS`, which the browser's decoder,
//! serde-wasm-bindgen, reads members by) is the list serde's derive asks for: a
//! member missing from it would read in every host test (serde_json hands the
//! derive every member) and be dropped in the browser.

use super::super::member::Struct;
use super::super::presence::{PrincipalBody, Row, ServerWords, TopicBody};
use super::super::queue::{ArchivePage, SessionRow};
use super::super::records::TopicsRecord;
use super::super::signin::{Claims, Discovery, Jwk, Jwks, TokenHeader};
use super::super::tabs::Envelope;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::cell::RefCell;
use std::fmt;

/// A deserializer that only notes the member names it is asked for.
struct Asked<'a>(&'a RefCell<Vec<&'static str>>);

#[derive(Debug)]
struct Noted;

impl fmt::Display for Noted {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("noted")
    }
}

impl std::error::Error for Noted {}

impl de::Error for Noted {
    fn custom<T: fmt::Display>(_: T) -> Noted {
        Noted
    }
}

impl<'de> Deserializer<'de> for Asked<'_> {
    type Error = Noted;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Noted> {
        self.0.borrow_mut().extend_from_slice(fields);
        Err(Noted)
    }

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Noted> {
        Err(Noted)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        enum identifier ignored_any
    }
}

/// The member names `T`'s derive asks for, sorted.
fn derived<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
    let asked = RefCell::new(Vec::new());
    let _ = T::deserialize(Asked(&asked));
    let mut names = asked.into_inner();
    names.sort_unstable();
    names
}

fn listed<T: Struct>() -> Vec<&'static str> {
    let mut names = T::FIELDS.to_vec();
    names.sort_unstable();
    names
}

macro_rules! same_members {
    ($($t:ty),* $(,)?) => {
        $(assert_eq!(derived::<$t>(), listed::<$t>(), "{}", stringify!($t));)*
    };
}

#[test]
fn every_wire_types_member_list_is_the_one_its_derive_reads() {
    same_members!(
        Row,
        ServerWords,
        TopicBody,
        PrincipalBody,
        TopicsRecord,
        Discovery,
        Jwk,
        Jwks,
        TokenHeader,
        Claims,
        Envelope<String>,
        SessionRow,
        ArchivePage,
    );
}
