//! The pure core: everything that decides what the widget does and shows, with no
//! browser in sight, so every rule is tested on the host.

pub mod backoff;
pub mod chips;
pub mod clock;
pub mod config;
pub mod coverage;
pub mod error;
pub mod i18n;
pub mod inbox;
pub mod list;
pub mod model;
pub mod own;
pub mod pins;
pub mod policy;
pub mod queue;
pub mod reorder;
pub mod signin;
pub mod view_model;
pub mod watch;
pub mod wire;
pub mod xsrf;
