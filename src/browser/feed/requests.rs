//! A feed's requests: how they are made (from every subscribed instance's
//! settings), and what their answers do to the published state.

use super::{Feed, Input};
use crate::browser::api::{self, CallOptions};
use crate::browser::timer::now_ms;
use crate::logic::error::ApiError;
use crate::logic::i18n::Lang;
use crate::logic::model::Roster;
use crate::logic::policy::{Event, Outcome};
use js_sys::JsString;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use std::sync::Arc;

impl Feed {
    /// How requests are made now: the longest time-out any instance accepts, and
    /// every instance's language, in the order they came.
    pub(super) fn call_options(&self) -> CallOptions {
        let accept_language =
            Lang::accept_language(self.langs.borrow().iter().map(|(_, lang)| *lang));
        CallOptions {
            accept_language,
            timeout_ms: self.policy.borrow().timeout_ms() as u32,
            bearer: self.bearer.clone(),
        }
    }

    pub(super) fn start_request(self: &Rc<Self>, request: u32) {
        let options = self.call_options();
        self.topics.set_options(options.clone());
        let feed = Rc::clone(self);
        spawn_local(async move {
            let result = api::fetch_presence(&feed.base, &options).await;
            feed.push(Input::Answer { request, result });
        });
    }

    /// A request's answer: published, shared with the other tabs (through the
    /// policy's actions) and handed to the policy.
    pub(super) fn on_answer(
        self: &Rc<Self>,
        request: u32,
        result: Result<(Roster, JsString), ApiError>,
    ) {
        if !self.policy.borrow().is_current(request) {
            return;
        }
        let mut not_before = None;
        let outcome = match result {
            Ok((roster, body)) => {
                let at = now_ms();
                self.check_watches(&roster);
                self.apply_success(roster, at);
                *self.last_body.borrow_mut() = Some((body, at));
                Outcome::Success
            }
            Err(error) => {
                let outcome = error.outcome();
                not_before = error.not_before(now_ms());
                if error.ends_session() {
                    self.last_body.borrow_mut().take();
                }
                self.apply_failure(error);
                outcome
            }
        };
        self.handle(Event::Done {
            request,
            outcome,
            not_before,
        });
    }

    pub(super) fn apply_success(self: &Rc<Self>, roster: Roster, at: f64) {
        self.own_answer(&roster);
        self.state.update(|s| {
            s.roster = Some(Arc::new(roster));
            s.updated_at = Some(at);
            s.error = None;
        });
    }

    pub(super) fn apply_failure(&self, error: ApiError) {
        let signed_in = self.bearer.is_some();
        if error.ends_session() && !signed_in {
            self.forget_user();
        }
        self.state.update(|s| {
            // Data shown after the session ended would be shown as current. A sign-in's
            // data stays: its bar says it is not current, and one click signs in again.
            if error.ends_session() && !signed_in {
                s.roster = None;
                s.updated_at = None;
            }
            s.error = Some(error);
        });
    }
}
