//! The browser side: carries out the core's decisions ([`crate::logic`]) with the
//! browser's APIs. What to fetch and when, what to show and how to say it are
//! decided in the core; what remains here is how: requests, timers, tabs, the DOM.
//! (Topic look-ups keep their small scheduling here, next to the requests they
//! schedule.)

pub mod api;
pub mod dom;
pub mod feed;
pub mod focus;
pub mod intl;
pub mod js;
pub mod signin;
pub mod stored;
pub mod tabs;
pub mod texts;
pub mod timer;
pub mod topics;
pub mod urls;
