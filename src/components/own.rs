//! The user's own bar, shown once their card is known: "I'm available for chat"
//! (their own presence, the one thing the widget writes) and "Show me first", with
//! what went wrong with the last change.
//!
//! A refused switch is `aria-disabled="true"`, not `disabled`: a disabled control loses
//! the focus to the page's body, and the reason is said beside it.
//!
//! Both switches are written out rather than [`super::controls::Switch`] made general
//! (blockable, hideable, a signal and a callback): measured, that one component
//! cost 0.8 to 1.4 KB of brotli'd wasm for a dozen lines of markup.

use super::controls::next_instance;
use super::panel::hand_focus_on;
use super::presence::UseFeedReturn;
use crate::logic::i18n::Lang;
use crate::logic::list::{Order, Prefs};
use crate::logic::own::OwnNotice;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn OwnBar(
    feed: UseFeedReturn,
    lang: Lang,
    /// The panel, which takes the focus when the bar goes with it (the session ended).
    panel: NodeRef<leptos::html::Section>,
) -> impl IntoView {
    let s = lang.strings();
    // Built again only when the user's card comes or goes, not with every refresh
    // (the focus stays on the switch).
    let me = Memo::new(move |_| feed.me());
    let notice_id = format!("pw-{}-own-notice", next_instance());
    move || {
        let me = me.get()?;
        hand_focus_on(panel, ".own", &[".failure .button", ".refresh"]);
        // What the user's card shows now (their choice included).
        let shown = move || {
            feed.roster.with(|r| {
                r.as_ref()
                    .and_then(|r| r.agent(me))
                    .is_some_and(|a| a.present)
            })
        };
        let blocked = move || feed.own.with(|own| own.blocked);
        // Always in the page, so that what it says is announced (a live region
        // added with its text is not).
        let notice = move || {
            feed.own.with(|own| match own.notice {
                Some(OwnNotice::Refused) => s.own_refused,
                Some(OwnNotice::SignedOut) => s.signed_out,
                Some(OwnNotice::Failed) => s.own_failed,
                None => "",
            })
        };
        let on_change = move |ev: leptos::ev::Event| {
            let checked = event_target_checked(&ev);
            if blocked() {
                // Put the box back: nothing is sent.
                if let Some(input) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    input.set_checked(!checked);
                }
                return;
            }
            feed.choose_own(checked);
        };
        let prefs = feed.prefs;
        let me_first = move || prefs.with(|p| p.order == Order::AvailableFirst);
        Some(view! { class = "pw",
            <div class="own">
                <label class="switch">
                    <input
                        type="checkbox"
                        role="switch"
                        data-control="own-available"
                        prop:checked=shown
                        aria-disabled=move || blocked().to_string()
                        aria-describedby=notice_id.clone()
                        on:change=on_change
                    />
                    <span class="track" aria-hidden="true"></span>
                    <span class="switch-label">{s.own_available}</span>
                </label>
                // Hidden, not removed, under "Least busy first" (where it does not apply).
                <label class="switch quiet" hidden=move || !me_first()>
                    <input
                        type="checkbox"
                        role="switch"
                        data-control="me-first"
                        prop:checked=move || prefs.with(|p| p.me_first)
                        on:change=move |ev| {
                            let me_first = event_target_checked(&ev);
                            feed.set_prefs(Prefs { me_first, ..prefs.get_untracked() });
                        }
                    />
                    <span class="track" aria-hidden="true"></span>
                    <span class="switch-label">{s.me_first}</span>
                </label>
                <p class="own-notice" id=notice_id.clone() role="status">{notice}</p>
            </div>
        })
    }
}
