//! What sits where the list is when there is no list to show.

use super::icons;
use crate::logic::i18n::Lang;
use leptos::prelude::*;

/// Placeholder rows while the first answer is on its way: same height as real rows,
/// so nothing jumps when they arrive. A wait that goes on is said in words under
/// them: the stylesheet shows the note after a few seconds (no timer), outside the
/// status region, so that screen readers are not told of it before it shows.
#[component]
pub fn Skeleton(lang: Lang) -> impl IntoView {
    let s = lang.strings();
    let label = s.loading;
    view! { class = "pw",
        <div class="skeleton" role="status" aria-label=label aria-busy="true">
            {(0..5)
                .map(|_| {
                    view! { class = "pw",
                        <div class="skeleton-row" aria-hidden="true">
                            <span class="sk-avatar"></span>
                            <span class="sk-lines">
                                <span class="sk-line"></span>
                                <span class="sk-line short"></span>
                            </span>
                        </div>
                    }
                })
                .collect_view()}
        </div>
        <p class="still-loading">{s.still_loading}</p>
    }
}

/// An empty list, said in words.
#[component]
pub fn Empty(message: Signal<String>) -> impl IntoView {
    view! { class = "pw", <p class="empty">{message}</p> }
}

/// A failure with a message and a Retry button.
#[component]
pub fn Failure(
    message: String,
    signed_out: bool,
    retry_label: &'static str,
    on_retry: Callback<()>,
) -> impl IntoView {
    view! { class = "pw",
        <div class="notice error failure" class:signed-out=signed_out role="alert">
            {if signed_out {
                view! { class = "pw", <icons::SignedOut/> }.into_any()
            } else {
                view! { class = "pw", <icons::Warning/> }.into_any()
            }}
            <div>
                <p class="notice-title">{message}</p>
                <button type="button" class="button" on:click=move |_| on_retry.run(())>
                    {retry_label}
                </button>
            </div>
        </div>
    }
}
