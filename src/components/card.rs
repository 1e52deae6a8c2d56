//! One agent's row: avatar with presence badge, name, status and chats, topics.
//!
//! Presence is one attribute (`data-present`): the stylesheet shows the matching
//! word, badge glyph and colours from it, so an agent going Away costs the DOM one
//! attribute change, plus its chat count and its move in the list. The brief glow
//! on a change is a Web Animation, which touches no attribute at all.

use super::icons;
use crate::i18n::{fill, Lang};
use crate::intl;
use crate::roster::{avatar_colour, initials, Row};
use crate::topics::TopicInfo;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// Topic chips shown before "+N": one in the narrowest sidebars, two in a normal
/// one (the stylesheet picks by the widget's width; wide layouts show them all).
const NARROW_CHIPS: usize = 1;
const COMPACT_CHIPS: usize = 2;
/// How long a changed row glows (ms).
const GLOW_MS: f64 = 1200.0;

/// A card kept by user id: `row` follows that agent through refreshes, so a change
/// updates the card's text in place and unchanged cards are not touched at all.
#[component]
pub fn AgentCard(
    user_id: i32,
    row: Memo<Option<Arc<Row>>>,
    topics: Signal<HashMap<i32, TopicInfo>>,
    lang: Lang,
) -> impl IntoView {
    let s = lang.strings();
    let card = NodeRef::<leptos::html::Li>::new();
    let name =
        Memo::new(move |_| row.with(|r| r.as_ref().map(|r| r.name.clone()).unwrap_or_default()));
    let presence =
        move || row.with(|r| r.as_ref().map(|r| (r.agent.present, r.agent.ongoing_chats)));

    // A brief glow when the agent changes after the first render.
    Effect::new(move |previous: Option<Option<(bool, u32)>>| {
        let now = presence();
        if previous.is_some_and(|p| p != now) {
            if let Some(element) = card.get_untracked() {
                glow(&element);
            }
        }
        now
    });

    // The card's own chip labels: a change to some other topic does not touch it.
    let chip_labels = Memo::new(move |_| {
        row.with(|r| {
            let ids = r
                .as_ref()
                .map(|r| r.agent.topics.as_slice())
                .unwrap_or_default();
            topics.with(|names| {
                ids.iter()
                    .map(|id| {
                        let info = names.get(id);
                        let label = info
                            .and_then(|i| i.name.clone())
                            .unwrap_or_else(|| lang.topic_fallback(*id));
                        (label, info.and_then(|i| i.open) == Some(false))
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let chips = move || {
        let labels = chip_labels.get();
        let more = |shown: usize| labels.len().saturating_sub(shown);
        let more_chip = |hidden: usize, class: &'static str| {
            (hidden > 0).then(|| {
                let label = fill(s.more_topics, &[("n", &hidden.to_string())]);
                view! { <li class=class aria-hidden="true">{label}</li> }
            })
        };
        let narrow = more_chip(more(NARROW_CHIPS), "chip more narrow");
        let compact = more_chip(more(COMPACT_CHIPS), "chip more compact");
        let chips = labels
            .into_iter()
            .enumerate()
            .map(|(index, (label, closed))| {
                let class = match index {
                    0 => "chip",
                    i if i < COMPACT_CHIPS => "chip second",
                    _ => "chip extra",
                };
                let title = label.clone();
                view! {
                    <li class=class class:closed=closed title=title>
                        {closed.then(|| view! { <icons::Closed/> })}
                        <span class="chip-text">{label}</span>
                        {closed.then(|| view! { <span class="sr-only">{s.closed_suffix}</span> })}
                    </li>
                }
            })
            .collect_view();
        (chips, narrow, compact)
    };

    view! {
        <li
            class="agent"
            node_ref=card
            data-user-id=user_id.to_string()
            data-present=move || presence().is_some_and(|(present, _)| present).to_string()
        >
            <span class=format!("avatar c{}", avatar_colour(user_id)) aria-hidden="true">
                {move || name.with(|n| intl::upper(&initials(n)))}
                <span class="badge">
                    <icons::PresenceGlyph present=true/>
                    <icons::PresenceGlyph present=false/>
                </span>
            </span>
            <div class="agent-body">
                <span class="name" title=name>{name}</span>
                <div class="line2">
                    <span class="meta">
                        <span class="status">
                            <span class="when-available">{s.available}</span>
                            <span class="when-away">{s.away}</span>
                        </span>
                        <span class="sep" aria-hidden="true">" · "</span>
                        <span class="chats">{move || lang.chats(presence().map_or(0, |(_, chats)| chats))}</span>
                    </span>
                    <ul class="topics">{chips}</ul>
                </div>
            </div>
        </li>
    }
}

/// Fades the card's background from the glow colour, unless the user asked for
/// reduced motion. A Web Animation: no attribute or class changes, nothing for a
/// strict `style-src` policy to refuse.
fn glow(element: &web_sys::Element) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let reduced = window
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    if reduced {
        return;
    }
    let colour = window
        .get_computed_style(element)
        .ok()
        .flatten()
        .and_then(|style| style.get_property_value("--_glow").ok())
        .unwrap_or_default();
    let frame = |colour: &str| {
        let frame = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&frame, &"backgroundColor".into(), &colour.trim().into());
        frame
    };
    let frames = js_sys::Array::of2(&frame(&colour), &frame("transparent"));
    if let Ok(animate) = js_sys::Reflect::get(element, &"animate".into()) {
        if let Some(animate) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&animate) {
            let _ = animate.call2(element, &frames, &JsValue::from_f64(GLOW_MS));
        }
    }
}
