//! One agent's row: avatar with presence badge, name, status and chats, topics.
//!
//! Presence is one attribute (`data-present`): the stylesheet shows the matching
//! word, badge glyph and colours from it, so an agent going Away costs the DOM one
//! attribute change, plus its chat count and its move in the list. The brief glow
//! on a change is a Web Animation, which touches no attribute at all.

use super::icons;
use crate::browser::{intl, js};
use crate::components::reactive::effect;
use crate::logic::chips::{self, ChipPlan};
use crate::logic::i18n::{fill, Lang};
use crate::logic::list::{avatar_colour, initials, Row};
use crate::logic::model::TopicInfo;
use crate::logic::view_model::{topic_name, CardLive};
use crate::logic::watch::Target;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// How long a changed row glows (ms).
const GLOW_MS: f64 = 1200.0;

/// A card for one agent. Name, avatar and topic ids are drawn once (a change to
/// them gives the agent a new card, see [`crate::logic::list::row_key`]); the
/// `live` signal carries the changes a refresh brings and `topics` the topic names
/// as they arrive, and only this card listens to them.
#[component]
pub fn AgentCard(
    row: Arc<Row>,
    live: ArcRwSignal<CardLive>,
    /// What is known of the agent's topics, in the order of `row.agent.topics`.
    topics: ArcRwSignal<Vec<TopicInfo>>,
    lang: Lang,
    /// Pins or unpins this agent.
    on_pin: Callback<i32>,
    /// Starts or cancels "tell me when this agent is available".
    on_watch: Callback<Target>,
) -> impl IntoView {
    let s = lang.strings();
    let card = NodeRef::<leptos::html::Li>::new();
    let user_id = row.agent.user_id;
    let name = row.name.clone();
    let title = name.clone();

    // A brief glow when the agent changes after the first render (not when the user
    // pins or watches it).
    {
        let live = live.clone();
        effect(move |previous: Option<CardLive>| {
            let now = live.get();
            if previous.is_some_and(|p| p.agent_changed(&now)) {
                if let Some(element) = card.get_untracked() {
                    glow(&element);
                }
            }
            now
        });
    }

    let topic_ids = row.agent.topics.clone();
    let meta_px = chips::meta_px(lang);
    // The chips as each width shows them (see `logic::chips`), the "+N" or "N topics"
    // that goes with each width, and every name for the tooltip and screen readers.
    let chips = move || {
        let labels: Vec<(String, bool)> = topics.with(|topics| {
            topic_ids
                .iter()
                .zip(topics)
                .map(|(id, info)| (topic_name(*id, Some(info), lang), info.open == Some(false)))
                .collect()
        });
        let more = |n: usize| fill(s.more_topics, &[("n", &n.to_string())]);
        let plan = {
            let refs: Vec<(&str, bool)> = labels.iter().map(|(l, c)| (l.as_str(), *c)).collect();
            ChipPlan::new(&refs, meta_px, more)
        };
        let total = labels.len();
        let mut counts: Vec<usize> = plan.shown.to_vec();
        counts.dedup();
        let bands = |shown: usize| -> String {
            plan.bands_showing(shown)
                .map(|b| format!(" in-b{b}"))
                .collect()
        };
        let tails = counts
            .into_iter()
            .filter(|shown| 0 < *shown && *shown < total)
            .map(|shown| {
                let class = format!("chip more{}", bands(shown));
                view! { class = "pw", <li class=class>{more(total - shown)}</li> }
            })
            .collect_view();
        // No topics: no count (and an empty list, which the stylesheet hides).
        let (count_class, count) = match total {
            0 => (String::from("topic-count"), String::new()),
            n => (format!("topic-count{}", bands(0)), lang.topic_count(n)),
        };
        let names: Vec<String> = labels
            .iter()
            .map(|(label, closed)| match closed {
                true => format!("{label}{}", s.closed_suffix),
                false => label.clone(),
            })
            .collect();
        let names = names.join(", ");
        let chips = labels
            .into_iter()
            .enumerate()
            .map(|(index, (label, closed))| {
                let class = match plan.first_band(index) {
                    Some(band) => format!("chip from-b{band}"),
                    None => "chip".to_owned(),
                };
                view! { class = "pw",
                    <li class=class class:closed=closed>
                        {closed.then(|| view! { class = "pw", <icons::Closed/> })}
                        <span class="chip-text">{label}</span>
                    </li>
                }
            })
            .collect_view();
        let spoken = match total {
            0 => String::new(),
            _ => fill(s.topics_named, &[("list", &names)]),
        };
        view! { class = "pw",
            <span class=count_class aria-hidden="true" title=names.clone()>{count}</span>
            <ul class="topics" aria-hidden="true" title=names>{chips}{tails}</ul>
            <span class="sr-only">{spoken}</span>
        }
    };

    let present = {
        let live = live.clone();
        move || live.with(|live| live.present.to_string())
    };
    let chats = {
        let live = live.clone();
        move || live.with(|live| lang.chats(live.chats))
    };
    // The star and the bell are made once with the card, as two empty buttons the
    // stylesheet draws (thousands of cards: no SVG per card); their pressed state is
    // the card's live data, and the stylesheet shows the bell only for someone away
    // (or watched), so a change of presence costs the DOM nothing more.
    let pinned = {
        let live = live.clone();
        move || live.with(|live| live.pinned.to_string())
    };
    let watched = {
        let live = live.clone();
        move || live.with(|live| live.watched.to_string())
    };
    let pin_label = fill(s.pin, &[("name", &name)]);
    let watch_label = fill(s.watch_agent, &[("name", &name)]);
    view! { class = "pw",
        <li class=if row.you { "agent is-you" } else { "agent" } node_ref=card data-user-id=user_id.to_string() data-present=present>
            <span class=format!("avatar c{}", avatar_colour(user_id)) aria-hidden="true">
                {intl::upper(&initials(&name))}
                <span class="badge"></span>
            </span>
            <div class="agent-body">
                <span class="name" title=title>{name}</span>
                // On the user's own card only: that it is theirs is part of the card's
                // key, so the one card is made again when the user's id arrives.
                {row.you.then(|| view! { class = "pw", <span class="you">{s.you}</span> })}
                <div class="line2">
                    <span class="meta">
                        <span class="status">
                            <span class="when-available">{s.available}</span>
                            <span class="when-away">{s.away}</span>
                        </span>
                        <span class="sep" aria-hidden="true">" · "</span>
                        <span class="chats">{chats}</span>
                    </span>
                    {chips}
                </div>
            </div>
            <div class="marks">
                <button
                    type="button"
                    class="mark watch"
                    aria-pressed=watched
                    aria-label=watch_label
                    on:click=move |_| on_watch.run(Target::Agent(user_id))
                ></button>
                <button
                    type="button"
                    class="mark pin"
                    aria-pressed=pinned
                    aria-label=pin_label
                    on:click=move |_| on_pin.run(user_id)
                ></button>
            </div>
        </li>
    }
}

/// Fades the card's background from the glow colour, unless the user asked for
/// reduced motion. A Web Animation: no attribute or class changes, nothing for a
/// strict `style-src` policy to refuse, and no style read-back (which would force a
/// style recalculation of the whole page for every changed card).
fn glow(element: &web_sys::Element) {
    thread_local! {
        static REDUCED_MOTION: Option<web_sys::MediaQueryList> = web_sys::window()
            .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten());
    }
    if REDUCED_MOTION.with(|query| query.as_ref().is_some_and(|q| q.matches())) {
        return;
    }
    let frame = |colour: &str| {
        let frame = js_sys::Object::new();
        js::set(&frame, "backgroundColor", &colour.into());
        frame
    };
    let frames = js_sys::Array::of2(&frame("var(--_glow)"), &frame("transparent"));
    if let Some(animate) = js::method(element, "animate") {
        let _ = animate.call2(element, &frames, &JsValue::from_f64(GLOW_MS));
    }
}
