//! The user's own bar, shown once their card is known: "I'm available for chat"
//! (their own presence, the one thing the widget writes) and "Show me first", with
//! what went wrong with the last change.
//!
//! A refused switch is blocked (see [`Switch`]), and the reason is said beside it.

use super::controls::{next_instance, Switch};
use super::panel::hand_focus_on;
use super::presence::UseFeedReturn;
use crate::logic::i18n::Lang;
use crate::logic::list::{Order, Prefs};
use crate::logic::own::OwnNotice;
use leptos::prelude::*;

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
        let prefs = feed.prefs;
        let me_first = move || prefs.with(|p| p.order == Order::AvailableFirst);
        Some(view! { class = "pw",
            <div class="own">
                <Switch
                    label=s.own_available
                    control="own-available"
                    checked=Signal::derive(shown)
                    on_change=Callback::new(move |on| feed.choose_own(on))
                    blocked=Signal::derive(blocked)
                    described_by=notice_id.clone()
                />
                // Hidden, not removed, under "Least busy first" (where it does not apply).
                <Switch
                    label=s.me_first
                    control="me-first"
                    quiet=true
                    checked=Signal::derive(move || prefs.with(|p| p.me_first))
                    on_change=Callback::new(move |me_first| {
                        feed.set_prefs(Prefs { me_first, ..prefs.get_untracked() })
                    })
                    hidden=Signal::derive(move || !me_first())
                />
                <p class="own-notice" id=notice_id.clone() role="status">{notice}</p>
            </div>
        })
    }
}
