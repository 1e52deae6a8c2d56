//! `use_cards`: what each card is made from, its agent's row and its own live
//! signals (see `components::live`), kept in line with every refresh.

use super::feed::UseFeedReturn;
use super::list::Ordered;
use crate::components::live::{CardCells, CardContext, LiveStore};
use crate::components::reactive::effect;
use crate::logic::list::Row;
use leptos::prelude::*;
use std::sync::Arc;

/// What a card is made from.
pub struct CardData {
    pub row: Arc<Row>,
    pub cells: CardCells,
}

/// Makes the data of cards by key; `Copy`, so the view's closures can hold it.
#[derive(Clone, Copy)]
pub struct Cards {
    ordered: Memo<Ordered>,
    live: StoredValue<LiveStore, LocalStorage>,
    feed: UseFeedReturn,
}

pub fn use_cards(feed: UseFeedReturn, ordered: Memo<Ordered>) -> Cards {
    let live = StoredValue::new_local(LiveStore::default());
    let UseFeedReturn {
        topics,
        pins,
        watches,
        ..
    } = feed;
    // The one effect that writes the cards' signals: it hands each refresh's
    // changes, and each topic name that arrives, to the cards it concerns, so that a
    // card hears only of its agent and topics (no signal with thousands of
    // listeners, see `live`).
    effect(move |_| {
        let (ordered, topics, pins, watches) =
            (ordered.read(), topics.read(), pins.read(), watches.read());
        let context = CardContext {
            topics: &topics,
            pins: &pins,
            watches: &watches,
        };
        live.update_value(|store| store.sync(&ordered.by_key, &context));
    });
    Cards {
        ordered,
        live,
        feed,
    }
}

impl Cards {
    /// The data for the card `key`, if its row exists. Call it under the card's own
    /// owner: the card's live signals are forgotten when that owner is disposed.
    pub fn data(self, key: u64) -> Option<CardData> {
        let row = self
            .ordered
            .with_untracked(|o| o.by_key.get(&key).cloned())?;
        let UseFeedReturn {
            topics,
            pins,
            watches,
            ..
        } = self.feed;
        let (topics, pins, watches) = (
            topics.read_untracked(),
            pins.read_untracked(),
            watches.read_untracked(),
        );
        let context = CardContext {
            topics: &topics,
            pins: &pins,
            watches: &watches,
        };
        let cells = self
            .live
            .try_update_value(|store| store.cells(key, &row, &context))?;
        let store = self.live;
        on_cleanup(move || {
            store.try_update_value(|store| store.dispose(key));
        });
        Some(CardData { row, cells })
    }

    /// Whether the card `key` may come back (its agent is still in the data).
    pub fn is_alive(self, key: u64) -> bool {
        self.ordered.with_untracked(|o| o.by_key.contains_key(&key))
    }
}
