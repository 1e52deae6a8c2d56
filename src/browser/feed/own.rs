//! The user on this feed: who they are (`currentPrincipal`, asked once per feed),
//! and the writes of their own presence that [`OwnPresence`] decides. A write is
//! followed by a refresh, which the polling tab makes and shares, so every tab
//! shows the change at once.

use super::Feed;
use crate::browser::api;
use crate::browser::timer::{now_ms, Timeout};
use crate::logic::error::ApiError;
use crate::logic::model::Roster;
use crate::logic::own::OwnPresence;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// Most times a feed asks `currentPrincipal` (a CRM whose route keeps failing is
/// not asked with every refresh).
const MAX_PRINCIPAL_ASKS: u8 = 3;

/// Where the feed is with `currentPrincipal`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Principal {
    Asking,
    Known,
    /// It failed in a way that may pass (or the session had ended): asked again
    /// with the next answer.
    Retry,
}

impl Feed {
    /// Asks who the user is. Whatever goes wrong, nobody is marked and nothing else
    /// changes.
    pub(super) fn ask_principal(self: &Rc<Self>) {
        self.principal.set(Principal::Asking);
        self.principal_asks.set(self.principal_asks.get() + 1);
        let feed = Rc::clone(self);
        let options = self.call_options();
        let session = self.session.get();
        spawn_local(async move {
            let answer = api::fetch_principal(&feed.base, &options).await;
            // Asked for a session that has ended since: its user may not be this one.
            if feed.released.get() || feed.session.get() != session {
                return;
            }
            let (state, me) = match answer {
                Ok(me) => (Principal::Known, me),
                // Asked again once an answer shows the CRM (and the session) is back.
                Err(error)
                    if (error.is_transient() || error.ends_session())
                        && feed.principal_asks.get() < MAX_PRINCIPAL_ASKS =>
                {
                    (Principal::Retry, None)
                }
                Err(_) => (Principal::Known, None),
            };
            feed.principal.set(state);
            feed.own.maybe_update(|own| {
                let changed = own.me != me;
                own.me = me;
                changed
            });
        });
    }

    /// A roster arrived (from a request or another tab): the user's choice may be
    /// confirmed by it, and a failed `currentPrincipal` is asked again.
    pub(super) fn own_answer(self: &Rc<Self>, roster: &Roster) {
        if self.principal.get() == Principal::Retry {
            self.ask_principal();
        }
        let Some(me) = self.own.with_untracked(|own| own.me) else {
            return;
        };
        let server = roster.agent(me).map(|agent| agent.present);
        self.own.maybe_update(|own| {
            let before = own.clone();
            own.answer(server, now_ms());
            *own != before
        });
    }

    /// The user flipped their own switch.
    pub fn choose_own(self: &Rc<Self>, present: bool) {
        self.own.update(|own| own.choose(present, now_ms()));
        self.own_next();
    }

    /// Writes what has settled, or waits until it does.
    fn own_next(self: &Rc<Self>) {
        if self.released.get() {
            return;
        }
        let now = now_ms();
        let mut due = None;
        self.own.maybe_update(|own| {
            due = own.due(now);
            due.is_some()
        });
        if let Some((user_id, present)) = due {
            self.own_timer.borrow_mut().take();
            self.write_own(user_id, present);
            return;
        }
        let server = self.own_on_server();
        self.own.maybe_update(|own| {
            let before = own.clone();
            own.expire(server, now);
            *own != before
        });
        let wake_at = self.own.with_untracked(OwnPresence::wake_at);
        let timer = wake_at.map(|at| {
            let weak = Rc::downgrade(self);
            let delay = (at - now).clamp(0.0, f64::from(i32::MAX)).ceil() as u32;
            Timeout::start(delay, move || {
                if let Some(feed) = weak.upgrade() {
                    feed.own_next();
                }
            })
        });
        *self.own_timer.borrow_mut() = timer;
    }

    /// What the last answer says of the user's own presence.
    fn own_on_server(&self) -> Option<bool> {
        let me = self.own.with_untracked(|own| own.me)?;
        self.state
            .with_untracked(|s| s.roster.as_ref()?.agent(me).map(|agent| agent.present))
    }

    /// The session ended: whoever signs in next may be someone else, so the feed
    /// forgets who the user was (and any refusal) and asks again with the next
    /// answer.
    pub(super) fn forget_user(&self) {
        self.own_timer.borrow_mut().take();
        self.own.set(OwnPresence::default());
        self.principal.set(Principal::Retry);
        self.principal_asks.set(0);
        self.session.set(self.session.get().wrapping_add(1));
    }

    /// The feed goes: a choice still settling is written now, not dropped (the card
    /// showed it).
    pub(super) fn flush_own(&self) {
        let mut pending = None;
        self.own.maybe_update(|own| {
            pending = own.flush();
            pending.is_some()
        });
        if let Some((user_id, present)) = pending {
            let (base, options) = (self.base.clone(), self.call_options());
            spawn_local(async move {
                let _ = api::save_presence(&base, user_id, present, &options).await;
            });
        }
    }

    fn write_own(self: &Rc<Self>, user_id: i32, present: bool) {
        let feed = Rc::clone(self);
        let options = self.call_options();
        spawn_local(async move {
            let result = api::save_presence(&feed.base, user_id, present, &options).await;
            if feed.released.get() {
                return;
            }
            feed.own
                .update(|own| own.done(result.as_ref().map(drop), now_ms()));
            // Fresh data for every tab, through the polling one: the change, or the
            // truth after a failure (a write that timed out may have been taken); a
            // session that ended is then said as it always is. A refusal changed
            // nothing.
            if !matches!(result, Err(ApiError::Forbidden | ApiError::NotFound)) {
                feed.refresh();
            }
            feed.own_next();
        });
    }
}
