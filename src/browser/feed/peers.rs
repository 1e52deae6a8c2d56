//! A feed among the other tabs of its origin: joining their group, and the leader
//! and follower protocol ([`crate::browser::tabs`] carries the messages; the policy
//! decides what they mean).

use super::{Feed, Input};
use crate::browser::api;
use crate::browser::tabs::{JsBody, Message, TabLink};
use crate::logic::error::ApiError;
use crate::logic::policy::{Event, Role};
use leptos::prelude::*;
use std::rc::Rc;

impl Feed {
    /// Joins the other tabs showing this API base, if the browser can coordinate them.
    pub(super) fn join_tabs(self: &Rc<Self>) {
        let name = format!("presence-widget:{}", self.base);
        let on_message = {
            let weak = Rc::downgrade(self);
            move |message| {
                if let Some(feed) = weak.upgrade() {
                    feed.push(Input::Message(message));
                }
            }
        };
        let on_leader = {
            let weak = Rc::downgrade(self);
            move || {
                if let Some(feed) = weak.upgrade() {
                    feed.push(Input::Policy(Event::Elected));
                }
            }
        };
        if let Some(link) = TabLink::join(&name, on_message, on_leader) {
            *self.link.borrow_mut() = Some(link);
            self.push(Input::Policy(Event::Joined));
        }
    }

    pub(super) fn post(&self, message: &Message) {
        if let Some(link) = self.link.borrow().as_ref() {
            link.post(message);
        }
    }

    /// The leader tells the other tabs what it knows now.
    pub(super) fn share(&self) {
        let error = self.state.with_untracked(|s| s.error.clone());
        if let Some((body, at)) = self.last_body.borrow().as_ref() {
            self.post(&Message::Data {
                body: JsBody(body.clone()),
                at: *at,
            });
        }
        if let Some(error) = error {
            let next = self.policy.borrow().next_attempt_at();
            self.post(&Message::Failed { error, next });
        }
        self.share_topics();
    }

    pub(super) fn share_topics(&self) {
        if self.policy.borrow().role() == Role::Leader {
            self.post(&Message::Topics(self.topics.snapshot()));
        }
    }

    pub(super) fn on_message(self: &Rc<Self>, message: Message) {
        // Only a leader shares answers: a tab that took over from a quiet one follows
        // it again as soon as it is heard.
        if self.policy.borrow().role() == Role::Solo
            && matches!(message, Message::Data { .. } | Message::Failed { .. })
        {
            self.handle(Event::LeaderHeard);
        }
        let role = self.policy.borrow().role();
        match (role, message) {
            (Role::Leader, Message::Hello) => self.handle(Event::PeerHello),
            (Role::Leader, Message::Refresh) => self.handle(Event::PeerRefresh),
            (Role::Leader, Message::Ask) => self.handle(Event::PeerAsk),
            (Role::Leader, Message::Wanted { interval_ms }) => {
                self.handle(Event::PeerWanted { interval_ms })
            }
            (Role::Follower, Message::Data { body, at }) => {
                // Not newer than what is on screen (a replayed, repeated or late
                // share): kept out, and not decoded again.
                if self
                    .state
                    .with_untracked(|s| s.updated_at.is_some_and(|shown| at <= shown))
                {
                    return;
                }
                // The body on screen again (the poller shares what it has with every
                // tab that asks): only its time is news, and it is not read again.
                let same = self
                    .last_body
                    .borrow()
                    .as_ref()
                    .is_some_and(|(last, _)| *last == body.0);
                if same {
                    self.state.update(|s| {
                        s.updated_at = Some(at);
                        s.error = None;
                    });
                    *self.last_body.borrow_mut() = Some((body.0, at));
                    self.leader_next.set(None);
                    self.handle(Event::LeaderData { at });
                    return;
                }
                // A body this tab cannot read is dropped; the next one may do.
                if let Ok(roster) = api::decode_presence_text(&body.0) {
                    self.apply_success(roster, at);
                    // Kept to share if this tab is elected: a tab reloaded beside it then
                    // gets the list at once, instead of waiting out an unanswered Hello.
                    *self.last_body.borrow_mut() = Some((body.0, at));
                    self.leader_next.set(None);
                    self.handle(Event::LeaderData { at });
                }
            }
            (Role::Follower, Message::Failed { error, next }) => {
                let outcome = error.outcome();
                if error.ends_session() {
                    self.last_body.borrow_mut().take();
                }
                self.apply_failure(error);
                self.leader_next.set(next);
                let paused = matches!(
                    self.state.with_untracked(|s| s.error.clone()),
                    Some(ApiError::Busy { .. })
                );
                self.handle(Event::LeaderFailed {
                    outcome,
                    next,
                    paused,
                });
            }
            (Role::Follower, Message::Topics(entries)) => self.topics.merge(entries),
            _ => {}
        }
    }
}
