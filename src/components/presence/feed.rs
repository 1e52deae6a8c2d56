//! `use_feed`: the page's feed for the panel's API base, subscribed for as long as
//! the calling owner lives, as signals the other hooks and the view read. The feed
//! (`crate::browser::feed`) is the only writer of these signals.

use super::super::clock::use_clock;
use crate::browser::feed::{Feed, FeedState};
use crate::browser::signin::Session;
use crate::browser::timer::local_offset_ms;
use crate::logic::config::Config;
use crate::logic::error::ApiError;
use crate::logic::i18n::Lang;
use crate::logic::list::Prefs;
use crate::logic::model::{Roster, TopicInfo};
use crate::logic::own::OwnPresence;
use crate::logic::pins::Pins;
use crate::logic::view_model::updated_line;
use crate::logic::watch::{Notice, Target, Watches};
use leptos::prelude::*;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// The feed's state and the user's marks on its API base (`Copy`: handles only).
#[derive(Clone, Copy)]
pub struct UseFeedReturn {
    pub state: RwSignal<FeedState>,
    /// The last roster, kept through later failures.
    pub roster: Memo<Option<Arc<Roster>>>,
    /// The last attempt's failure.
    pub error: Memo<Option<ApiError>>,
    /// What is known of each chat topic (names arrive after the first data).
    pub topics: RwSignal<HashMap<i32, TopicInfo>>,
    pub pins: RwSignal<Pins>,
    pub watches: RwSignal<Watches>,
    /// Fired watches still on screen.
    pub fired: RwSignal<Vec<Notice>>,
    /// Storage refused the user's pins or watches (said once, until a reload).
    pub unkept: RwSignal<bool>,
    /// The user's own id and presence switch.
    pub own: RwSignal<OwnPresence>,
    /// The user's chat user id alone (it changes far less often than `own`).
    pub me_id: Memo<Option<i32>>,
    /// The list's order and "Show me first".
    pub prefs: RwSignal<Prefs>,
    now: RwSignal<f64>,
    lang: Lang,
    feed: StoredValue<Rc<Feed>, LocalStorage>,
}

/// The feed of `config`'s API base, or with `bearer` the feed of that sign-in.
pub fn use_feed(config: &Config, bearer: Option<Session>, lang: Lang) -> UseFeedReturn {
    let feed = match &bearer {
        Some(session) => Feed::for_base(&session.api_base, Some(&session.token)),
        None => Feed::for_base(&config.api_base, None),
    };
    let subscription = feed.subscribe(config.refresh_seconds, config.timeout_seconds * 1000, lang);
    let subscription = StoredValue::new_local(Some(subscription));
    on_cleanup(move || {
        subscription.try_update_value(|s| s.take());
    });
    let state: RwSignal<FeedState> = feed.state.clone().into();
    let own: RwSignal<OwnPresence> = feed.own.clone().into();
    UseFeedReturn {
        state,
        // With the user's own choice on their card until the server shows it.
        roster: Memo::new(move |_| {
            let roster = state.with(|s| s.roster.clone())?;
            let shown = own.with(|own| own.apply(&roster));
            Some(shown.map_or(roster, Arc::new))
        }),
        error: Memo::new(move |_| state.with(|s| s.error.clone())),
        topics: feed.topics.known.clone().into(),
        pins: feed.marks.pins.clone().into(),
        watches: feed.marks.watches.clone().into(),
        fired: feed.marks.notices.clone().into(),
        unkept: feed.marks.unkept.clone().into(),
        own,
        me_id: Memo::new(move |_| own.with(|own| own.me)),
        prefs: feed.marks.prefs.clone().into(),
        now: use_clock().into(),
        lang,
        feed: StoredValue::new_local(feed),
    }
}

impl UseFeedReturn {
    /// Data has arrived (and the session has not ended since).
    pub fn has_data(self) -> bool {
        self.roster.with(Option::is_some)
    }

    /// A request is in flight.
    pub fn loading(self) -> bool {
        self.state.with(|s| s.loading)
    }

    /// Rows of the data that could not be read.
    pub fn skipped(self) -> usize {
        self.roster.with(|r| r.as_ref().map_or(0, |r| r.skipped))
    }

    /// "Updated 3 min ago – retrying in 40 s", ticking with the page's clock.
    pub fn updated_line(self) -> String {
        let (updated_at, next_at) = self.state.with(|s| (s.updated_at, s.next_attempt_at));
        let (retrying, busy) = self.error.with(|e| {
            let retrying = e.as_ref().is_some_and(ApiError::is_transient);
            (retrying, matches!(e, Some(ApiError::Busy { .. })))
        });
        let clock = busy.then(local_offset_ms);
        let retry_at = next_at.filter(|_| retrying);
        updated_line(self.lang, updated_at, retry_at, self.now.get(), clock)
    }

    pub fn refresh(self) {
        self.feed.with_value(|feed| feed.refresh());
    }

    /// The user's own card is known: the id `currentPrincipal` gave is in the data.
    pub fn me(self) -> Option<i32> {
        let me = self.me_id.get()?;
        self.roster
            .with(|r| r.as_ref().is_some_and(|r| r.agent(me).is_some()))
            .then_some(me)
    }

    /// The user flipped "I'm available for chat".
    pub fn choose_own(self, present: bool) {
        self.feed.with_value(|feed| feed.choose_own(present));
    }

    pub fn set_prefs(self, prefs: Prefs) {
        self.feed.with_value(|feed| feed.set_prefs(prefs));
    }

    pub fn toggle_pin(self, user_id: i32) {
        self.feed.with_value(|feed| feed.toggle_pin(user_id));
    }

    pub fn toggle_watch(self, target: Target) {
        self.feed.with_value(|feed| feed.toggle_watch(target));
    }

    pub fn dismiss(self, notice: &Notice) {
        self.feed.with_value(|feed| feed.dismiss(notice.clone()));
    }

    /// Asks for the names of these topics (each id once per page).
    pub fn request_topics(self, ids: Vec<i32>) {
        self.feed.with_value(|feed| feed.request_topics(ids));
    }
}
