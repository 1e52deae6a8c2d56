//! The live part of each card ([`CardLive`]: presence and chats), one signal per
//! card, kept apart from the stable part (name, topics), which is the card's key.
//! A refresh sets only the signals whose agent changed, so no signal has thousands
//! of listeners and a card hears only of its own agent.

use crate::logic::roster::Row;
use crate::logic::view_model::CardLive;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// The live signals of the cards that exist, by card key.
#[derive(Default)]
pub struct LiveStore {
    cells: HashMap<u64, ArcRwSignal<CardLive>>,
}

impl LiveStore {
    /// The card `key`'s signal, made with `now` if the card is new.
    pub fn cell(&mut self, key: u64, now: CardLive) -> ArcRwSignal<CardLive> {
        self.cells
            .entry(key)
            .or_insert_with(|| ArcRwSignal::new(now))
            .clone()
    }

    /// Brings every card in line with `rows` (by key): changed agents notify their
    /// card. A card whose key left the data keeps its signal until the card itself
    /// is disposed ([`LiveStore::dispose`]): a list may keep it detached, and put it
    /// back when the key returns.
    pub fn sync(&mut self, rows: &HashMap<u64, Arc<Row>>) {
        for (key, cell) in &self.cells {
            if let Some(row) = rows.get(key) {
                let now = CardLive::of(&row.agent);
                cell.maybe_update(|live| std::mem::replace(live, now) != now);
            }
        }
    }

    /// Forgets the card `key` (its owner was disposed).
    pub fn dispose(&mut self, key: u64) {
        self.cells.remove(&key);
    }
}
