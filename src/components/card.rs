//! One agent's row: avatar with presence badge, name, status and chats, topics.

use super::icons;
use crate::i18n::{fill, Lang};
use crate::roster::{avatar_colour, initials, Row};
use crate::topics::TopicInfo;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Topic chips shown before "+N": one in the narrowest sidebars, two in a normal
/// one (the stylesheet picks by the widget's width; wide layouts show them all).
const NARROW_CHIPS: usize = 1;
const COMPACT_CHIPS: usize = 2;
/// How long a changed row glows.
const CHANGED_MS: u64 = 1200;

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
    let present = Memo::new(move |_| row.with(|r| r.as_ref().is_some_and(|r| r.agent.present)));
    let name =
        Memo::new(move |_| row.with(|r| r.as_ref().map(|r| r.name.clone()).unwrap_or_default()));
    let chats = Memo::new(move |_| row.with(|r| r.as_ref().map_or(0, |r| r.agent.ongoing_chats)));
    let topic_ids = Memo::new(move |_| {
        row.with(|r| {
            r.as_ref()
                .map(|r| r.agent.topics.clone())
                .unwrap_or_default()
        })
    });

    // A brief glow when the agent changes after the first render.
    let changed = RwSignal::new(false);
    Effect::new(move |previous: Option<(bool, u32)>| {
        let now = (present.get(), chats.get());
        if previous.is_some_and(|p| p != now) {
            changed.set(true);
            set_timeout(
                move || changed.try_set(false).map_or((), drop),
                std::time::Duration::from_millis(CHANGED_MS),
            );
        }
        now
    });

    // The card's own chip labels: a change to some other topic does not touch it.
    let chip_labels = Memo::new(move |_| {
        topic_ids.with(|ids| {
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
        let chips = labels
            .iter()
            .cloned()
            .enumerate()
            .map(|(index, (label, closed))| {
                let second = (NARROW_CHIPS..COMPACT_CHIPS).contains(&index);
                let extra = index >= COMPACT_CHIPS;
                let title = label.clone();
                view! {
                    <li class="chip" class:second=second class:extra=extra class:closed=closed title=title>
                        {closed.then(|| view! { <icons::Closed/> })}
                        <span class="chip-text">{label}</span>
                        {closed.then(|| view! { <span class="sr-only">{s.closed_suffix}</span> })}
                    </li>
                }
            })
            .collect_view();
        let more_chip = |hidden: usize, class: &'static str| {
            (hidden > 0).then(|| {
                let label = fill(s.more_topics, &[("n", &hidden.to_string())]);
                view! { <li class=class aria-hidden="true">{label}</li> }
            })
        };
        (
            chips,
            more_chip(more(NARROW_CHIPS), "chip more narrow"),
            more_chip(more(COMPACT_CHIPS), "chip more compact"),
        )
    };

    view! {
        <li
            class="agent"
            class:away=move || !present.get()
            class:changed=move || changed.get()
            data-user-id=user_id.to_string()
            data-present=move || present.get().to_string()
        >
            <span class=format!("avatar c{}", avatar_colour(user_id)) aria-hidden="true">
                {move || name.with(|n| initials(n))}
                <span class="badge" class:available=present>
                    {move || view! { <icons::PresenceGlyph present=present.get()/> }}
                </span>
            </span>
            <div class="agent-body">
                <span class="name" title=name>{name}</span>
                <div class="line2">
                    <span class="meta">
                        <span class="status">{move || if present.get() { s.available } else { s.away }}</span>
                        <span class="sep" aria-hidden="true">" · "</span>
                        <span class="chats">{move || lang.chats(chats.get())}</span>
                    </span>
                    <Show when=move || topic_ids.with(|t| !t.is_empty())>
                        <ul class="topics">{chips}</ul>
                    </Show>
                </div>
            </div>
        </li>
    }
}
