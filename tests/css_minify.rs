//! The build script's stylesheet minifier (`build/css.rs`), tested on the host.

#[path = "../build/css.rs"]
mod css;
