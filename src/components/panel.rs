//! The presence panel: header with summary and refresh, controls, and the list or
//! whatever state stands in for it. View only: the data comes from
//! [`use_presence`](super::presence::use_presence).

use super::card::AgentCard;
use super::controls::Controls;
use super::icons;
use super::keyed_list::KeyedList;
use super::own::OwnBar;
use super::presence::{use_presence, UsePresenceReturn};
use super::states::{Empty, Failure, Skeleton};
use crate::browser::focus;
use crate::browser::signin::Session;
use crate::components::reactive::effect;
use crate::logic::config::Config;
use crate::logic::error::ApiError;
use crate::logic::i18n::Lang;
use crate::logic::view_model::PAGE;
use leptos::prelude::*;

/// The panel for `config`, on the CRM session; with `bearer`, on that sign-in's API
/// (`on_refused` hears when the API refuses its token or moved, 401 or 421).
#[component]
pub fn PresencePanel(
    config: Config,
    lang: Lang,
    bearer: Option<Session>,
    on_refused: Option<Callback<()>>,
) -> impl IntoView {
    let signed_in = bearer.is_some();
    let base = bearer
        .as_ref()
        .map_or_else(|| config.api_base.clone(), |b| b.api_base.clone());
    let p = use_presence(&config, bearer, lang);
    let errors = ErrorWords {
        lang,
        base: StoredValue::new(base),
        signed_in,
    };
    if let Some(refused) = on_refused {
        let error = p.feed.error;
        effect(move |_| {
            if error.with(|e| e.as_ref().is_some_and(|e| errors.needs_sign_in(e))) {
                refused.run(());
            }
        });
    }
    let feed = p.feed;
    // Focus handed on when a focused control goes with its view (see `focus`).
    let panel = NodeRef::<leptos::html::Section>::new();

    view! { class = "pw",
        // data-version: which build a panel runs, for whoever inspects it.
        <section
            node_ref=panel
            class="panel"
            class:is-stale=move || feed.error.with(Option::is_some)
            lang=lang.tag()
            data-version=env!("CARGO_PKG_VERSION")
            on:keydown=move |ev| keyboard(&ev, p.filters.query)
        >
            {header(p, lang)}
            {move || p.coverage.uncovered().map(|text| view! { class = "pw",
                <p class="uncovered"><icons::Warning/><span>{text}</span></p>
            })}
            {watching_chips(p, lang)}
            {fired_notices(p, lang)}
            {move || feed.unkept.get().then(|| view! { class = "pw", <p class="unkept" role="status">{lang.strings().unkept}</p> })}
            <p class="sr-only" role="status" aria-live="polite">{p.announcement}</p>
            <OwnBar feed lang panel/>
            <Controls p lang/>
            <div class="list-area">{list_area(p, lang, panel, errors)}</div>
        </section>
    }
}

/// How the panel words a failure, and which failures the sign-in bar says instead.
#[derive(Clone, Copy)]
struct ErrorWords {
    lang: Lang,
    /// The API base, named in what the administrator can check.
    base: StoredValue<String>,
    signed_in: bool,
}

impl ErrorWords {
    fn text(self, error: &ApiError) -> String {
        self.base
            .with_value(|base| self.lang.error_text(error, base))
    }

    /// A sign-in's token refused (401), answered by a redirect (a sign-in page: the
    /// token is not taken there), or its tenant moved (421): the sign-in bar above
    /// says so and signs in again, so the stale banner does not repeat it.
    fn needs_sign_in(self, error: &ApiError) -> bool {
        self.signed_in
            && matches!(
                error,
                ApiError::SignedOut | ApiError::Redirected | ApiError::Server { status: 421, .. }
            )
    }
}

/// The summary (the polite live region), when the data was updated, and Refresh.
fn header(p: UsePresenceReturn, lang: Lang) -> impl IntoView {
    let (feed, s) = (p.feed, lang.strings());
    view! { class = "pw",
        <header class="header">
            <div class="heading">
                // The polite live region announces summary changes, not every card;
                // with a topic chosen it names it ("Billing: 2 of 3 agents available").
                <p class="summary" role="status" aria-live="polite">
                    <span class="sr-only">{move || p.coverage.topic_prefix()}</span>
                    {move || {
                        feed.has_data().then(|| {
                            let count = p.list.summary();
                            lang.summary(count.available, count.total)
                        })
                    }}
                </p>
                <p class="updated">{move || feed.updated_line()}</p>
            </div>
            <button
                type="button"
                class="icon-button refresh"
                class:spinning=move || feed.loading()
                aria-label=s.refresh
                title=s.refresh
                on:click=move |_| feed.refresh()
            >
                <icons::Refresh/>
            </button>
        </header>
    }
}

/// The watches waiting to fire, each a chip that cancels it.
fn watching_chips(p: UsePresenceReturn, lang: Lang) -> impl IntoView {
    let (feed, s) = (p.feed, lang.strings());
    move || {
        let watching = p.watch_texts.watching.get();
        (!watching.is_empty()).then(|| view! { class = "pw",
            <ul class="watching">
                {watching.into_iter().map(|(target, label)| {
                    let cancel = format!("{} – {label}", s.cancel);
                    view! { class = "pw",
                        <li class="chip watching-chip">
                            <icons::Bell/>
                            <span class="chip-text">{label}</span>
                            <button type="button" class="chip-close" aria-label=cancel.clone() title=cancel
                                on:click=move |_| feed.toggle_watch(target)>
                                <icons::Close/>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })
    }
}

/// The watches that fired, each until dismissed.
fn fired_notices(p: UsePresenceReturn, lang: Lang) -> impl IntoView {
    let (feed, s) = (p.feed, lang.strings());
    move || {
        p.watch_texts.notices.get().into_iter().map(|(notice, text)| {
        let dismiss = format!("{}: {text}", s.dismiss);
        view! { class = "pw",
            <div class="fired">
                <icons::Bell/>
                <span class="fired-text">{text}</span>
                <button type="button" class="chip-close" aria-label=dismiss.clone() title=dismiss
                    on:click=move |_| feed.dismiss(&notice)>
                    <icons::Close/>
                </button>
            </div>
        }
    }).collect_view()
    }
}

/// The list, or what takes its place (a failure, the loading rows); with the list,
/// the stale banner above it, and "Show more" and the skipped rows' note below.
fn list_area(
    p: UsePresenceReturn,
    lang: Lang,
    panel: NodeRef<leptos::html::Section>,
    errors: ErrorWords,
) -> impl IntoView {
    let (feed, s) = (p.feed, lang.strings());
    let on_pin = Callback::new(move |id| feed.toggle_pin(id));
    let on_watch = Callback::new(move |target| feed.toggle_watch(target));
    let card = move |key: u64| match p.cards.data(key) {
        Some(data) => {
            let (row, live, topics) = (data.row, data.cells.live, data.cells.topics);
            view! { class = "pw", <AgentCard row live topics lang on_pin on_watch/> }.into_any()
        }
        None => ().into_any(),
    };
    // What takes the list's place; the list itself is built once per `Content`, so
    // that a failure after data (or its end) never rebuilds the cards.
    let mode = Memo::new(move |_| {
        let has_data = feed.has_data();
        feed.error.with(|error| match error {
            // No data, or none that may still be shown (the session ended; a sign-in's
            // data stays, marked, until the user signs in again).
            Some(error) if !has_data || (error.ends_session() && !errors.signed_in) => {
                Mode::Failure(error.clone())
            }
            None if !has_data => Mode::Loading,
            _ => Mode::Content,
        })
    });
    move || {
        match mode.get() {
        Mode::Failure(error) => {
            hand_focus_on(panel, ".failure .button", &[".failure .button", ".refresh"]);
            view! { class = "pw",
                <Failure
                    message=errors.text(&error)
                    signed_out=error.ends_session()
                    retry_label=s.retry
                    on_retry=Callback::new(move |_| feed.refresh())
                />
            }
            .into_any()
        }
        Mode::Loading => view! { class = "pw", <Skeleton lang/> }.into_any(),
        Mode::Content => view! { class = "pw",
            {stale_banner(p, lang, panel, errors)}
            {move || p.list.shown_keys.with(Vec::is_empty).then(|| view! { class = "pw",
                <Empty message=Signal::derive(move || p.empty().text(lang))/>
            })}
            // Always there, empty or not: the list keeps the focus when its last
            // focused card leaves it (see `keyed_list`).
            {cards_list(p.list.shown_keys, s.agents_list, card, move |key| p.cards.is_alive(key))}
            {move || {
                let hidden = p.list.not_shown();
                (hidden > 0).then(|| {
                    hand_focus_on(panel, ".show-more", &[".show-more", ".agents"]);
                    view! { class = "pw",
                        <button type="button" class="button show-more" on:click=move |_| p.list.show_more()>
                            {lang.show_more(hidden.min(PAGE), hidden)}
                        </button>
                    }
                })
            }}
            {move || {
                let skipped = feed.skipped();
                (skipped > 0).then(|| view! { class = "pw", <p class="skipped">{lang.skipped_rows(skipped)}</p> })
            }}
        }
        .into_any(),
    }
    }
}

/// Over data that is no longer current: what failed since, and Retry.
fn stale_banner(
    p: UsePresenceReturn,
    lang: Lang,
    panel: NodeRef<leptos::html::Section>,
    errors: ErrorWords,
) -> impl IntoView {
    let (feed, s) = (p.feed, lang.strings());
    move || {
        feed.error.get().filter(|e| !errors.needs_sign_in(e)).map(|error| {
        hand_focus_on(panel, ".stale .button", &[".stale .button", ".refresh"]);
        view! { class = "pw",
            <div class="stale" role="status">
                <icons::Warning/>
                <span class="stale-text">
                    <strong>{s.stale}</strong>" "{errors.text(&error)}
                </span>
                <button type="button" class="button small" on:click=move |_| feed.refresh()>{s.retry}</button>
            </div>
        }
    })
    }
}

/// The cards' list: [`KeyedList`], or Leptos' `<For>` in the benchmark's comparison
/// build (`--features bench-for-list`), which shows why it is not `<For>`.
fn cards_list(
    keys: Memo<Vec<u64>>,
    label: &'static str,
    card: impl Fn(u64) -> AnyView + Clone + Send + 'static,
    alive: impl Fn(u64) -> bool + 'static,
) -> AnyView {
    if cfg!(feature = "bench-for-list") {
        let _ = alive;
        view! { class = "pw",
            <ul class="agents" aria-label=label>
                <For each=move || keys.get() key=|key| *key children=move |key| card(key)/>
            </ul>
        }
        .into_any()
    } else {
        let list = NodeRef::<leptos::html::Ul>::new();
        view! { class = "pw",
            <ul class="agents" aria-label=label node_ref=list>
                <KeyedList keys container=list render=card alive/>
            </ul>
        }
        .into_any()
    }
}

/// Call in the reactive scope of a view that holds `control`: if `control` has the
/// focus when the view goes, the focus moves, once the new view is in place, to the
/// first of `then` found in the panel (never to the host page's body).
pub(super) fn hand_focus_on(
    panel: NodeRef<leptos::html::Section>,
    control: &'static str,
    then: &'static [&'static str],
) {
    on_cleanup(move || {
        let Some(within) = panel.get_untracked() else {
            return;
        };
        if focus::has_focus(&within, control) {
            // After the view that replaces this one is built (a microtask).
            wasm_bindgen_futures::spawn_local(async move { focus::focus_first(&within, then) });
        }
    });
}

/// What the panel shows in the list's place.
#[derive(Clone, PartialEq)]
enum Mode {
    Failure(ApiError),
    Loading,
    Content,
}

/// Keys the widget answers while focus is inside it (never the host page's): `/`
/// goes to the search field, Escape clears the search.
fn keyboard(ev: &leptos::ev::KeyboardEvent, query: RwSignal<String>) {
    use wasm_bindgen::JsCast;
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
        return;
    }
    let target = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let typing = target.as_ref().is_some_and(|t| {
        matches!(
            t.tag_name().to_ascii_lowercase().as_str(),
            "input" | "select" | "textarea"
        )
    });
    match ev.key().as_str() {
        "/" if !typing => {
            let panel = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let search = panel
                .and_then(|p| p.query_selector("[data-control=search]").ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(search) = search {
                ev.prevent_default();
                let _ = search.focus();
            }
        }
        "Escape" if !query.with_untracked(String::is_empty) => {
            ev.prevent_default();
            query.set(String::new());
        }
        _ => {}
    }
}
