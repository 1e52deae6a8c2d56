//! The live part of each card, one pair of signals per card, kept apart from the
//! stable part (name, topic ids), which is the card's key: [`CardLive`] (presence
//! and chats) and what is known of its topics (names and opening states, which
//! arrive after the first cards). A refresh, or a topic's name arriving, sets only
//! the signals of the cards it changes, so no signal has thousands of listeners and
//! a card hears only of its own agent and topics.

use crate::logic::model::TopicInfo;
use crate::logic::roster::Row;
use crate::logic::view_model::{card_topics, CardLive};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// A card's live signals.
#[derive(Clone)]
pub struct CardCells {
    pub live: ArcRwSignal<CardLive>,
    /// What is known of the agent's topics, in the order of `row.agent.topics`.
    pub topics: ArcRwSignal<Vec<TopicInfo>>,
}

/// The live signals of the cards that exist, by card key.
#[derive(Default)]
pub struct LiveStore {
    cells: HashMap<u64, CardCells>,
}

impl LiveStore {
    /// The card `key`'s signals, made from `row` and `topics` if the card is new.
    pub fn cells(&mut self, key: u64, row: &Row, topics: &HashMap<i32, TopicInfo>) -> CardCells {
        self.cells
            .entry(key)
            .or_insert_with(|| CardCells {
                live: ArcRwSignal::new(CardLive::of(&row.agent)),
                topics: ArcRwSignal::new(card_topics(&row.agent.topics, topics)),
            })
            .clone()
    }

    /// Brings every card in line with `rows` (by key) and `topics`: changed agents
    /// and topics notify their cards. A card whose key left the data keeps its
    /// signals until the card itself is disposed ([`LiveStore::dispose`]): a list may
    /// keep it detached, and put it back when the key returns.
    pub fn sync(&mut self, rows: &HashMap<u64, Arc<Row>>, topics: &HashMap<i32, TopicInfo>) {
        for (key, cells) in &self.cells {
            if let Some(row) = rows.get(key) {
                let now = CardLive::of(&row.agent);
                cells
                    .live
                    .maybe_update(|live| std::mem::replace(live, now) != now);
                let known = card_topics(&row.agent.topics, topics);
                if cells.topics.with_untracked(|current| *current != known) {
                    cells.topics.set(known);
                }
            }
        }
    }

    /// Forgets the card `key` (its owner was disposed).
    pub fn dispose(&mut self, key: u64) {
        self.cells.remove(&key);
    }
}
