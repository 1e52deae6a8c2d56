//! The browser side: carries out the core's decisions ([`crate::logic`]) with the
//! browser's APIs, and holds no rules of its own.

pub mod api;
pub mod dom;
pub mod feed;
pub mod intl;
pub mod js;
pub mod mount;
pub mod tabs;
pub mod timer;
pub mod topics;
