//! The user on this feed: who they are (`currentPrincipal`, asked once per feed),
//! and the writes of their own presence that [`OwnPresence`] decides. A write is
//! followed by a refresh, which the polling tab makes and shares, so every tab
//! shows the change at once.

use super::{Feed, Input};
use crate::browser::api;
use crate::browser::timer::{now_ms, Timeout};
use crate::logic::error::ApiError;
use crate::logic::model::Roster;
use crate::logic::own::OwnPresence;
use crate::logic::policy::Event;
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

/// A `currentPrincipal` answer, with what it was asked under.
pub(super) struct PrincipalAnswer {
    /// The feed's session count when it was asked.
    session: u32,
    /// The page's session token when it was asked.
    token: Option<String>,
    /// The page's session token changed while it was on its way.
    token_changed: bool,
    answer: Result<Option<i32>, ApiError>,
}

/// A write's outcome, with the session it was made under.
pub(super) struct Written {
    session: u32,
    result: Result<(), ApiError>,
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
        let token = api::session_token(&options);
        spawn_local(async move {
            let answer = api::fetch_principal(&feed.base, &options).await;
            let token_changed = api::session_token(&options) != token;
            feed.push(Input::Principal(PrincipalAnswer {
                session,
                token,
                token_changed,
                answer,
            }));
        });
    }

    pub(super) fn on_principal(self: &Rc<Self>, asked: PrincipalAnswer) {
        // Asked for a session that has ended since: its user may not be this one.
        if self.session.get() != asked.session {
            return;
        }
        let (state, me) = match asked.answer {
            // The page's session changed under the request: the answer may be
            // either session's user. Asked again with the next answer.
            Ok(_) if asked.token_changed => (Principal::Retry, None),
            Ok(me) => (Principal::Known, me),
            // Asked again once an answer shows the CRM (and the session) is back.
            Err(error)
                if (error.is_transient() || error.ends_session())
                    && self.principal_asks.get() < MAX_PRINCIPAL_ASKS =>
            {
                (Principal::Retry, None)
            }
            Err(_) => (Principal::Known, None),
        };
        self.principal.set(state);
        self.own.maybe_update(|own| {
            let before = own.clone();
            own.learn(me, asked.token, now_ms());
            *own != before
        });
        self.own_next();
    }

    /// The user was read under the session the page has now (its XSRF token; a
    /// sign-in's feed is its own session).
    fn same_user(&self) -> bool {
        let token = api::token_beside(self.bearer.as_deref());
        self.own
            .with_untracked(|own| own.same_session(token.as_deref()))
    }

    /// Whether the user on this feed is still the one read under the page's session
    /// now. When not (someone else signed in to the CRM in this browser), the feed
    /// forgets them, drops any choice waiting to be written, and asks who the user
    /// is now: nothing is ever written in another user's name.
    fn session_holds(self: &Rc<Self>) -> bool {
        if self.same_user() {
            return true;
        }
        self.forget_user();
        if !self.released.get() {
            self.ask_principal();
        }
        false
    }

    /// A roster arrived (from a request or another tab): the user's choice may be
    /// confirmed by it, and a failed `currentPrincipal` is asked again.
    pub(super) fn own_answer(self: &Rc<Self>, roster: &Roster) {
        if !self.session_holds() {
            return;
        }
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
    pub(super) fn on_choice(self: &Rc<Self>, present: bool) {
        if !self.session_holds() {
            return;
        }
        self.own.update(|own| own.choose(present, now_ms()));
        self.own_next();
    }

    /// Writes what has settled, or waits until it does.
    pub(super) fn own_next(self: &Rc<Self>) {
        if !self.session_holds() {
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
                    feed.push(Input::OwnDue);
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
        self.own.update(OwnPresence::forget);
        self.principal.set(Principal::Retry);
        self.principal_asks.set(0);
        self.session.set(self.session.get().wrapping_add(1));
    }

    /// The feed goes: a choice still settling is written now, not dropped (the card
    /// showed it).
    pub(super) fn flush_own(&self) {
        if !self.same_user() {
            return;
        }
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
        let session = self.session.get();
        spawn_local(async move {
            let result = api::save_presence(&feed.base, user_id, present, &options).await;
            feed.push(Input::Written(Written { session, result }));
        });
    }

    pub(super) fn on_written(self: &Rc<Self>, written: Written) {
        let Written { session, result } = written;
        // Written for a session that has changed since: its outcome is not the
        // next user's (whose switch it would confirm, refuse or sign out).
        if self.session.get() == session {
            self.own
                .update(|own| own.done(result.as_ref().map(drop), now_ms()));
        }
        // Fresh data for every tab, through the polling one: the change, or the
        // truth after a failure (a write that timed out may have been taken); a
        // session that ended is then said as it always is. A refusal changed
        // nothing.
        if !matches!(result, Err(ApiError::Forbidden | ApiError::NotFound)) {
            self.handle(Event::Refresh);
        }
        self.own_next();
    }
}
