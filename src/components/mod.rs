//! The widget's views. They hold no data rules: those live in the pure core
//! ([`crate::logic`], above all [`crate::logic::view_model`]), and
//! `presence::use_presence` wires them to signals for the panel. `keyed_list` is
//! reusable on its own (exported), `live` keeps each card's live signal, `clock`
//! the page's one-second tick.
//!
//! Every `view!` starts with the scope class `pw` (`view! { class = "pw", … }`):
//! without one, Leptos builds a view's static parts from HTML text through
//! `innerHTML`, which a page under Trusted Types (`require-trusted-types-for
//! 'script'`) refuses, so the widget would never render there. With it, every node
//! is created one by one (`tests/no_inner_html.rs` keeps it so).

mod card;
mod clock;
mod controls;
mod icons;
mod keyed_list;
mod live;
mod own;
mod panel;
mod presence;
mod reactive;
mod signin;
mod states;

pub use keyed_list::{Key, KeyedList, Mounted};
pub use panel::PresencePanel;
pub use presence::{use_presence, CardData, Cards, UsePresenceReturn};

use crate::logic::config::{Config, ConfigError};
use crate::logic::i18n::Lang;
use leptos::prelude::*;

/// One widget instance: its configuration problems, or the presence panel. On a
/// page whose origin is `opaque` (a sandboxed frame without same-origin access, a
/// file) it says why it cannot work, and does nothing else: no session, storage
/// or other tab can ever be reached from there.
#[component]
pub fn Widget(config: Result<Config, Vec<ConfigError>>, lang: Lang, opaque: bool) -> impl IntoView {
    if opaque {
        return view! { class = "pw",
            <div class="notice error config" role="alert">
                <icons::Warning/>
                <p class="notice-title">{lang.strings().sandboxed}</p>
            </div>
        }
        .into_any();
    }
    match config {
        Ok(config) => match config.sign_in.clone() {
            Some(sign_in) => {
                view! { class = "pw", <signin::SignInGate config sign_in lang/> }.into_any()
            }
            None => {
                view! { class = "pw", <PresencePanel config lang bearer=None on_refused=None/> }
                    .into_any()
            }
        },
        Err(problems) => view! { class = "pw", <ConfigProblems problems lang/> }.into_any(),
    }
}

/// Shown instead of the panel when the mount element's attributes are wrong, so the
/// administrator sees what to fix (and the page keeps working).
#[component]
pub fn ConfigProblems(problems: Vec<ConfigError>, lang: Lang) -> impl IntoView {
    view! { class = "pw",
        <div class="notice error config" role="alert">
            <icons::Warning/>
            <div>
                <p class="notice-title">{lang.strings().config_heading}</p>
                <ul class="problems">
                    {problems
                        .into_iter()
                        .map(|problem| view! { class = "pw", <li><code>{problem.to_string()}</code></li> })
                        .collect_view()}
                </ul>
            </div>
        </div>
    }
}
