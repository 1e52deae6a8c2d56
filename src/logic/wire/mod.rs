//! Everything that crosses a trust boundary, read through serde types: the Web API's
//! answers (parsed by the browser's `JSON.parse`, then read with serde-wasm-bindgen),
//! other tabs' messages (structured clones) and records in session and local storage
//! (JSON text any script of the origin can write). The same types are driven on the
//! host by `serde_json::Value`, which behaves like serde-wasm-bindgen: the value is
//! already built, so reading one member cannot disturb another.
//!
//! The rules every type here keeps, with its limits beside it:
//! - Nothing recurses into data: each type reads a fixed depth of members, and a
//!   member it does not declare, or one of an unexpected kind, is passed over with
//!   [`serde::de::IgnoredAny`] (serde-wasm-bindgen does not even look at it). A value
//!   nested 60,000 deep costs what a `null` costs. `#[serde(flatten)]`, untagged and
//!   internally tagged enums buffer and recurse, so none is used.
//! - A member of the wrong kind counts as missing ([`Member`]); an item of a list
//!   that cannot be read is skipped and counted ([`List`]); every list has a bound.

mod list;
pub mod member;
pub mod presence;
pub mod queue;
pub mod records;
pub mod signin;
pub mod tabs;

pub use list::List;
pub use member::{Member, Object, Struct};

#[cfg(test)]
mod tests;
