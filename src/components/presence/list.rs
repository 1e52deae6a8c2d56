//! `use_list`: the agents in list order (the user's order, pinned colleagues and
//! the user first where it says so),
//! the user's filter applied, and the page of cards to render ("Show more", and the
//! first screen before the rest).

use super::feed::UseFeedReturn;
use super::filters::UseFiltersReturn;
use crate::browser::intl;
use crate::browser::timer::AfterPaint;
use crate::components::reactive::effect;
use crate::logic::i18n::Lang;
use crate::logic::list::{apply_filter, arrange, row_key, Count, Filter, Me, Order, Row, View};
use crate::logic::view_model::{page_limit, shown_keys, sorted_rows, FIRST_SCREEN, PAGE};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// When no frame comes to paint the first screen (a hidden tab or iframe), the rest
/// of the cards follow after this long.
const REST_FALLBACK_MS: u32 = 100;

/// The agents in list order, each one's card key (same order) and the rows by key;
/// compared by identity.
#[derive(Clone, Default)]
pub struct Ordered {
    pub rows: Arc<Vec<Arc<Row>>>,
    pub keys: Arc<Vec<u64>>,
    pub by_key: Arc<HashMap<u64, Arc<Row>>>,
}

impl PartialEq for Ordered {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.rows, &other.rows)
    }
}

impl Ordered {
    fn new(rows: Arc<Vec<Arc<Row>>>) -> Ordered {
        let keys: Vec<u64> = rows.iter().map(|r| row_key(r)).collect();
        let by_key = keys.iter().copied().zip(rows.iter().cloned()).collect();
        Ordered {
            rows,
            keys: Arc::new(keys),
            by_key: Arc::new(by_key),
        }
    }
}

#[derive(Clone, Copy)]
pub struct UseListReturn {
    pub ordered: Memo<Ordered>,
    /// Which of `ordered` match the filter, and the counts within its scope.
    pub view: Memo<View>,
    /// The keys of the cards to render, in list order.
    pub shown_keys: Memo<Vec<u64>>,
    more: RwSignal<Option<(Filter, usize)>>,
    filter: Memo<Filter>,
}

pub fn use_list(feed: UseFeedReturn, filters: UseFiltersReturn, lang: Lang) -> UseListReturn {
    let UseFeedReturn {
        roster,
        pins,
        prefs,
        ..
    } = feed;
    let filter = filters.filter;
    let order = move || prefs.with(|p| p.order);
    let sorted = Memo::new(move |_| {
        let (order, me) = (order(), feed.me_id.get());
        roster.with(|roster| {
            let Some(roster) = roster else {
                return Ordered::default();
            };
            let rows = sorted_rows(&roster.agents, lang, order, me, intl::fold, |names| {
                intl::name_order(lang.tag(), names)
            });
            Ordered::new(Arc::new(rows.into_iter().map(Arc::new).collect()))
        })
    });
    // Pinned colleagues and the user first, as the order says: one pass over the
    // sorted rows, no second sort.
    let ordered = Memo::new(move |_| {
        let (sorted, pins, prefs) = (sorted.read(), pins.read(), prefs.get());
        let me = Me {
            user_id: feed.me_id.get(),
            first: prefs.me_first,
        };
        let moves_nobody = match prefs.order {
            Order::AvailableFirst => pins.is_empty() && !(me.first && me.user_id.is_some()),
            Order::LeastBusy => me.user_id.is_none(),
        };
        match moves_nobody {
            // The sorted list itself, no copy per refresh.
            true => sorted.clone(),
            false => Ordered::new(Arc::new(arrange(
                &sorted.rows,
                prefs.order,
                &pins,
                me,
                |r| &r.agent,
            ))),
        }
    });
    let view = Memo::new(move |_| {
        let (ordered, filter, pins) = (ordered.read(), filter.read(), pins.read());
        let marked = ordered
            .rows
            .iter()
            .map(|r| (&r.agent, r.folded.as_str(), pins.contains(r.agent.user_id)));
        apply_filter(marked, &filter)
    });
    // "Show more" holds for the filter it was pressed under (see `page_limit`).
    let more = RwSignal::new(None::<(Filter, usize)>);
    // The first data's cards come in two steps: a screenful at once, the rest once
    // the browser has painted it, so that a panel shows cards as early as it can.
    let first_screen = RwSignal::new(true);
    let shown = Memo::new(move |_| {
        let limit = match first_screen.get() {
            true => limit(more, filter).min(FIRST_SCREEN),
            false => limit(more, filter),
        };
        shown_keys(&view.read().visible, &ordered.read().keys, limit)
    });
    let rest = StoredValue::new_local(None::<AfterPaint>);
    effect(move |_| {
        // Started once: cards changing again before the paint (names arriving) must
        // not push the rest back.
        let waiting = rest.with_value(Option::is_some);
        if first_screen.get() && !waiting && shown.with(|keys| !keys.is_empty()) {
            let paint = AfterPaint::start(REST_FALLBACK_MS, move || first_screen.set(false));
            rest.set_value(Some(paint));
        }
    });
    on_cleanup(move || {
        rest.try_update_value(|rest| rest.take());
    });
    UseListReturn {
        ordered,
        view,
        shown_keys: shown,
        more,
        filter,
    }
}

impl UseListReturn {
    /// Counts within the chosen topic and search.
    pub fn summary(self) -> Count {
        self.view.with(|v| v.summary)
    }

    /// Matching agents beyond those rendered.
    pub fn not_shown(self) -> usize {
        let visible = self.view.with(|v| v.visible.len());
        visible.saturating_sub(limit(self.more, self.filter))
    }

    /// Renders the next page of matching agents.
    pub fn show_more(self) {
        let shown = untrack(|| limit(self.more, self.filter));
        self.more
            .set(Some((self.filter.get_untracked(), shown + PAGE)));
    }
}

/// How many matching agents may be rendered: a page, or more after "Show more".
fn limit(more: RwSignal<Option<(Filter, usize)>>, filter: Memo<Filter>) -> usize {
    page_limit(more.read().as_ref(), &filter.read())
}
