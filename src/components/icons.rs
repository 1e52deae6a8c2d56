//! Small inline SVG glyphs; decorative (the words beside them carry the meaning).

use leptos::prelude::*;

#[component]
pub fn Refresh() -> impl IntoView {
    view! { class = "pw",
        <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v3h-3" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}

#[component]
pub fn Search() -> impl IntoView {
    view! { class = "pw",
        <svg class="icon search-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" stroke-width="1.6"/>
            <path d="M10.5 10.5 14 14" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>
        </svg>
    }
}

#[component]
pub fn Warning() -> impl IntoView {
    view! { class = "pw",
        <svg class="icon notice-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M8 1.8 15 14H1z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>
            <path d="M8 6v3.5M8 11.6v.1" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>
        </svg>
    }
}

#[component]
pub fn SignedOut() -> impl IntoView {
    view! { class = "pw",
        <svg class="icon notice-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <rect x="3" y="7" width="10" height="7" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.5"/>
            <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" stroke-width="1.5"/>
        </svg>
    }
}

#[component]
pub fn Closed() -> impl IntoView {
    view! { class = "pw",
        <svg class="icon chip-icon" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
            <circle cx="6" cy="6" r="4.5" fill="none" stroke="currentColor" stroke-width="1.3"/>
            <path d="M3 9 9 3" stroke="currentColor" stroke-width="1.3"/>
        </svg>
    }
}

/// A bell: outlined, filled by the stylesheet when its button is pressed.
#[component]
pub fn Bell() -> impl IntoView {
    view! { class = "pw",
        <svg class="icon bell-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M4 11.5V7.2a4 4 0 0 1 8 0v4.3l1.2 1.3H2.8z" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round"/>
            <path d="M6.6 14.2a1.5 1.5 0 0 0 2.8 0" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/>
        </svg>
    }
}

#[component]
pub fn Close() -> impl IntoView {
    view! { class = "pw",
        <svg class="icon close-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M4.5 4.5l7 7M11.5 4.5l-7 7" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>
        </svg>
    }
}
