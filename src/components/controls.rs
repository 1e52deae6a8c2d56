//! The filter controls: the Topic select with its watch bell, the name search, the
//! "Available only" and "Pinned" switches, and the list's order. Native, labelled elements, so
//! keyboards and screen readers just work.

use super::icons;
use super::presence::UsePresenceReturn;
use crate::logic::i18n::Lang;
use crate::logic::list::{Order, Prefs};
use crate::logic::watch::Target;
use leptos::prelude::*;

/// A number of this widget instance's own, for element ids (see [`Controls`]).
pub(super) fn next_instance() -> u32 {
    thread_local!(static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
    NEXT.with(|next| next.replace(next.get().wrapping_add(1)))
}

#[component]
pub fn Controls(p: UsePresenceReturn, lang: Lang) -> impl IntoView {
    let s = lang.strings();
    let (options, filters, feed) = (p.coverage.topic_options, p.filters, p.feed);
    let (topic, query) = (filters.topic, filters.query);
    let prefs = feed.prefs;
    // Ids are unique per instance: a widget mounted without a shadow root of its own
    // shares the document's ids with the host and with other instances.
    let instance = next_instance();
    let topic_id = format!("pw-{instance}-topic");
    let search_id = format!("pw-{instance}-search");
    let order_id = format!("pw-{instance}-order");
    view! { class = "pw",
        <div class="controls">
            <div class="field topic-field">
                <label for=topic_id.clone()>{s.topic_label}</label>
                <select
                    id=topic_id
                    name="topic"
                    data-control="topic"
                    on:change=move |ev| topic.set(event_target_value(&ev).parse().ok())
                >
                    <option value="" selected=move || topic.get().is_none()>{s.all_topics}</option>
                    // A plain list rebuilt in place, with no reactive closure per option:
                    // labels change with every refresh, and an effect made per rebuilt
                    // option stays in the topic signal's listeners for good.
                    {move || {
                        let chosen = topic.get();
                        options
                            .get()
                            .into_iter()
                            .map(|option| {
                                view! { class = "pw",
                                    <option value=option.id.to_string() prop:selected=chosen == Some(option.id)>
                                        {option.label}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
                {move || {
                    p.coverage.topic_watch().map(|(id, watching)| {
                        view! { class = "pw",
                            <button
                                type="button"
                                class="icon-button topic-watch"
                                aria-pressed=watching.to_string()
                                aria-label=s.watch_topic
                                title=s.watch_topic
                                on:click=move |_| feed.toggle_watch(Target::Topic(id))
                            >
                                <icons::Bell/>
                            </button>
                        }
                    })
                }}
            </div>
            <div class="row">
                <div class="field search-field">
                    <label for=search_id.clone() class="sr-only">{s.search_label}</label>
                    <icons::Search/>
                    <input
                        id=search_id
                        type="search"
                        data-control="search"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=s.search_placeholder
                        prop:value=query
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                </div>
                <div class="switches">
                    <Switch label=s.available_only control="available-only" on=filters.available_only/>
                    <Switch label=s.pinned_only control="pinned-only" on=filters.pinned_only/>
                </div>
            </div>
            <div class="field order-field">
                <label for=order_id.clone()>{s.order_label}</label>
                <select
                    id=order_id
                    name="order"
                    data-control="order"
                    prop:value=move || prefs.with(|p| p.order.key())
                    on:change=move |ev| {
                        if let Some(order) = Order::from_key(&event_target_value(&ev)) {
                            feed.set_prefs(Prefs { order, ..prefs.get_untracked() });
                        }
                    }
                >
                    // Static options, the choice set once on the select.
                    <option value=Order::AvailableFirst.key()>{s.order_available}</option>
                    <option value=Order::LeastBusy.key()>{s.order_least_busy}</option>
                </select>
            </div>
        </div>
    }
}

/// A labelled on/off switch: a real checkbox with the switch role, drawn as a track.
#[component]
pub fn Switch(label: &'static str, control: &'static str, on: RwSignal<bool>) -> impl IntoView {
    view! { class = "pw",
        <label class="switch">
            <input
                type="checkbox"
                role="switch"
                data-control=control
                prop:checked=on
                on:change=move |ev| on.set(event_target_checked(&ev))
            />
            <span class="track" aria-hidden="true"></span>
            <span class="switch-label">{label}</span>
        </label>
    }
}
