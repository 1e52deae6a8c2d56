//! The live part of each card, one pair of signals per card, kept apart from the
//! stable part (name, topic ids), which is the card's key: [`CardLive`] (presence,
//! chats, and the user's pin and watch) and what is known of its topics (names and
//! opening states, which arrive after the first cards). A refresh, a topic's name
//! arriving or a pin sets only the signals of the cards it changes, so no signal
//! has thousands of listeners and a card hears only of its own agent and topics.

use crate::logic::list::Row;
use crate::logic::model::TopicInfo;
use crate::logic::pins::Pins;
use crate::logic::view_model::{card_topics, CardLive};
use crate::logic::watch::{Target, Watches};
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

/// What, besides its agent, a card's live data comes from.
pub struct CardContext<'a> {
    pub topics: &'a HashMap<i32, TopicInfo>,
    pub pins: &'a Pins,
    pub watches: &'a Watches,
}

impl CardContext<'_> {
    fn live(&self, row: &Row) -> CardLive {
        let id = row.agent.user_id;
        let watched = self.watches.contains(Target::Agent(id));
        CardLive::of(&row.agent, self.pins.contains(id), watched)
    }
}

/// The live signals of the cards that exist, by card key.
#[derive(Default)]
pub struct LiveStore {
    cells: HashMap<u64, CardCells>,
}

impl LiveStore {
    /// The card `key`'s signals, made from `row` and `context` if the card is new.
    pub fn cells(&mut self, key: u64, row: &Row, context: &CardContext) -> CardCells {
        self.cells
            .entry(key)
            .or_insert_with(|| CardCells {
                live: ArcRwSignal::new(context.live(row)),
                topics: ArcRwSignal::new(card_topics(&row.agent.topics, context.topics)),
            })
            .clone()
    }

    /// Brings every card in line with `rows` (by key) and `context`: changed agents,
    /// topics, pins and watches notify their cards. A card whose key left the data
    /// keeps its signals until the card itself is disposed ([`LiveStore::dispose`]):
    /// a list may keep it detached, and put it back when the key returns.
    pub fn sync(&mut self, rows: &HashMap<u64, Arc<Row>>, context: &CardContext) {
        for (key, cells) in &self.cells {
            if let Some(row) = rows.get(key) {
                let now = context.live(row);
                cells
                    .live
                    .maybe_update(|live| std::mem::replace(live, now) != now);
                let known = card_topics(&row.agent.topics, context.topics);
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
