//! The instance of a page on another origin than the CRM: "Sign in with SuperOffice",
//! then the presence panel on the token's API. The bar above the list says what the
//! sign-in needs (a click, the pop-up, a new sign-in once the token ended) and the
//! last data stays on screen, marked, until the user signs in again.

use super::icons;
use super::panel::PresencePanel;
use super::reactive::effect;
use crate::browser::focus;
use crate::browser::signin::{Problem, Session, SignIn, SignInState};
use crate::logic::config::{Config, SignInConfig};
use crate::logic::i18n::{fill, Lang};
use crate::logic::signin::SignInError;
use leptos::prelude::*;

#[component]
pub fn SignInGate(config: Config, sign_in: SignInConfig, lang: Lang) -> impl IntoView {
    let s = lang.strings();
    let service = SignIn::for_config(&sign_in, &config.allowed_origins);
    let state: RwSignal<SignInState> = service.state.clone().into();
    let service = StoredValue::new_local(service);
    let begin = move |_| service.with_value(|s| s.begin());
    // The session the panel shows: the last one signed in, kept while a new sign-in
    // is needed, so that its data stays on screen (marked by the panel).
    let session = Memo::new(move |before: Option<&Option<Session>>| match state.get() {
        SignInState::SignedIn(session) => Some(session),
        _ => before.cloned().flatten(),
    });
    let refused = Callback::new(move |_| service.with_value(|s| s.again()));
    // The bar stays in the page (a live region that appears with its text is often
    // not announced, and a button rebuilt loses the focus); only its text and its
    // button's label change.
    let had_session = move || session.with(Option::is_some);
    let text = move || match state.get() {
        SignInState::SignedIn(_) | SignInState::Ready => String::new(),
        SignInState::Preparing => s.sign_in_preparing.to_owned(),
        SignInState::Waiting => s.sign_in_waiting.to_owned(),
        SignInState::Again => s.sign_in_ended.to_owned(),
        // After a failed new sign-in, the list on screen is still not current.
        SignInState::Failed(problem) if had_session() => {
            format!("{} {}", problem_text(&problem, lang), s.sign_in_ended)
        }
        SignInState::Failed(problem) => problem_text(&problem, lang),
    };
    let signed_in = move || matches!(state.get(), SignInState::SignedIn(_));
    // Shown while preparing too: a button hidden under the user's focus drops it.
    let no_button = move || matches!(state.get(), SignInState::SignedIn(_));
    let label = move || {
        if had_session() {
            s.sign_in_again
        } else {
            s.sign_in
        }
    };
    let root = NodeRef::<leptos::html::Div>::new();
    // Signed in: the button goes; a focus on it moves to the panel's Refresh.
    effect(move |_| {
        if signed_in() {
            if let Some(root) = root.get_untracked() {
                if focus::has_focus(&root, ".sign-in-button") {
                    wasm_bindgen_futures::spawn_local(async move {
                        focus::focus_first(&root, &[".refresh"]);
                    });
                }
            }
        }
    });
    let config = StoredValue::new(config);
    view! { class = "pw",
        <div class="signed-in-widget" node_ref=root>
            <div class="sign-in" class:is-quiet=signed_in role="status">
                <p class="sign-in-text" hidden=move || text().is_empty()><icons::Warning/>{text}</p>
                <button type="button" class="button sign-in-button" hidden=no_button on:click=begin>{label}</button>
            </div>
            {move || session.get().map(|session| {
                let config = config.get_value();
                view! { class = "pw", <PresencePanel config lang bearer=Some(session) on_refused=Some(refused)/> }
            })}
        </div>
    }
}

/// What the bar says after a failed attempt.
fn problem_text(problem: &Problem, lang: Lang) -> String {
    let s = lang.strings();
    match problem {
        Problem::Unavailable => s.sign_in_unavailable.to_owned(),
        Problem::Blocked => s.sign_in_blocked.to_owned(),
        Problem::Closed => s.sign_in_closed.to_owned(),
        Problem::Refused(error) => {
            let reason = match error {
                SignInError::Discovery(_) => "discovery",
                SignInError::StateMismatch => "state",
                SignInError::NonceMismatch => "nonce",
                SignInError::WrongIssuer => "issuer",
                SignInError::WrongAudience => "audience",
                SignInError::Expired => "expired",
                SignInError::BadSignature => "signature",
                SignInError::WrongAccessToken => "at_hash",
                SignInError::Malformed => "malformed",
                SignInError::ForeignApi { .. } => "webapi_url",
                SignInError::Refused { .. } => "refused",
            };
            fill(s.sign_in_refused, &[("reason", reason)])
        }
    }
}
