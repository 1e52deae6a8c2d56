//! The SuperOffice chat-availability widget.
//!
//! Pure logic (decoding, configuration, sorting and filtering) lives in modules that
//! compile and test on the host; the browser side (`api`, `feed`, `components`,
//! `mount`) only exists on `wasm32`.

pub mod backoff;
pub mod config;
pub mod error;
pub mod i18n;
pub mod json;
pub mod model;
pub mod reorder;
pub mod roster;
pub mod xsrf;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod feed;
#[cfg(target_arch = "wasm32")]
pub mod intl;
#[cfg(target_arch = "wasm32")]
pub mod mount;
#[cfg(target_arch = "wasm32")]
pub mod tabs;
#[cfg(target_arch = "wasm32")]
pub mod topics;

#[cfg(target_arch = "wasm32")]
pub use mount::mount_all;
