//! The user's own chat presence: who they are (`User/currentPrincipal`'s
//! `EjUserId`) and their switch ("I'm available for chat"), which writes
//! `Presence/SaveAll`. Pure: the feed carries out what it decides, and this is the
//! only place that decides a write.
//!
//! - The card changes at once: the user's choice is shown in place of the server's
//!   answers until an answer shows it (or, after a write the server took, for
//!   [`CONFIRM_MS`] at most: the server is the truth after that).
//! - One request per decision: a choice settles for [`SETTLE_MS`] before it is
//!   written, so a quick double toggle writes the final state once; a choice made
//!   while a write is in flight is written after it.
//! - A refused write goes back at once and says why; a 403 or 404 disables the
//!   switch (the CRM does not let the user change it here).
//! - Who "you" are is bound to the session it was read under (its XSRF token): a
//!   write under another session (someone else signed in to the CRM in this
//!   browser) is never made with the old id; the user is forgotten and asked for
//!   again, and the choice is dropped.

use crate::logic::error::ApiError;
use crate::logic::model::Roster;

/// How long a choice waits for the next one before it is written (ms).
pub const SETTLE_MS: f64 = 600.0;
/// How long a written choice is shown over answers that do not show it yet (ms).
pub const CONFIRM_MS: f64 = 30_000.0;

/// What the switch says under itself after a failed write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnNotice {
    /// 403 or 404: the switch is disabled.
    Refused,
    /// 401 or a redirect: the session ended.
    SignedOut,
    /// Anything else: rolled back, try again.
    Failed,
}

impl OwnNotice {
    fn of(error: &ApiError) -> OwnNotice {
        match error {
            ApiError::Forbidden | ApiError::NotFound => OwnNotice::Refused,
            ApiError::SignedOut | ApiError::Redirected => OwnNotice::SignedOut,
            _ => OwnNotice::Failed,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnPresence {
    /// The user's chat user id (`EjUserId`), once `currentPrincipal` answered.
    pub me: Option<i32>,
    /// The XSRF token of the session `me` was read under (`None` beside a Bearer
    /// token, whose feed is its session).
    session: Option<String>,
    /// The user's last choice, shown in place of the server's answers.
    wanted: Option<bool>,
    /// When the last choice is written, while one waits.
    settle_at: Option<f64>,
    /// The value being written now.
    sending: Option<bool>,
    /// A written choice is shown over the answers until then.
    confirm_until: Option<f64>,
    /// The CRM refused a write with 403 or 404: no more are tried.
    pub blocked: bool,
    pub notice: Option<OwnNotice>,
    /// A choice not yet confirmed when the session changed, and whose it was: made
    /// again if the next session's user is that same user (one who signed in again).
    carried: Option<(i32, bool)>,
}

impl OwnPresence {
    /// `currentPrincipal` answered `me` for the session whose token it carried, at
    /// `now`. A choice carried over from the last session is made again if it was
    /// this same user's.
    pub fn learn(&mut self, me: Option<i32>, session: Option<String>, now: f64) {
        self.me = me;
        self.session = session;
        if let Some((whose, present)) = self.carried.take() {
            if me == Some(whose) {
                self.choose(present, now);
            }
        }
    }

    /// The session changed or ended: whoever comes next may be someone else, so
    /// the user, any refusal and what is being written are forgotten. A choice not
    /// yet confirmed is kept aside, for the same user only (see [`learn`]).
    ///
    /// [`learn`]: OwnPresence::learn
    pub fn forget(&mut self) {
        let pending = self.wanted.filter(|_| self.busy());
        let carried = self.me.zip(pending).or(self.carried);
        *self = OwnPresence {
            carried,
            ..OwnPresence::default()
        };
    }

    /// Whether the user is still the one read under the session whose token is
    /// `session` now: when not, nothing may be written in their name.
    pub fn same_session(&self, session: Option<&str>) -> bool {
        self.me.is_none() || self.session.as_deref() == session
    }

    /// What the user's card shows, given what the server says.
    pub fn shown(&self, server: bool) -> bool {
        self.wanted.unwrap_or(server)
    }

    /// The user's choice differs from what the server said last (for the overlay).
    pub fn overrides(&self, server: bool) -> bool {
        self.wanted.is_some_and(|wanted| wanted != server)
    }

    /// The user flipped the switch to `present`.
    pub fn choose(&mut self, present: bool, now: f64) {
        if self.blocked || self.me.is_none() {
            return;
        }
        self.wanted = Some(present);
        self.settle_at = Some(now + SETTLE_MS);
        self.confirm_until = None;
        self.notice = None;
    }

    /// When the feed should look again: a choice settles ([`OwnPresence::due`]), or
    /// a written one that no answer has shown yet gives way ([`OwnPresence::expire`]).
    pub fn wake_at(&self) -> Option<f64> {
        match self.sending {
            Some(_) => None,
            None => self.settle_at.or(self.confirm_until),
        }
    }

    /// The write to make now, if a choice has settled and none is in flight:
    /// `(user id, present)`.
    pub fn due(&mut self, now: f64) -> Option<(i32, bool)> {
        let Some(me) = self.me else {
            self.settle_at = None;
            return None;
        };
        if self.sending.is_some() || self.settle_at.is_none_or(|at| at > now) {
            return None;
        }
        self.settle_at = None;
        self.sending = self.wanted;
        self.wanted.map(|present| (me, present))
    }

    /// A choice that waits to settle, to be written now (the widget is going away).
    pub fn flush(&mut self) -> Option<(i32, bool)> {
        self.settle_at.take()?;
        match self.sending {
            Some(_) => None,
            None => self.wanted.zip(self.me).map(|(present, me)| (me, present)),
        }
    }

    /// The write in flight ended.
    pub fn done(&mut self, result: Result<(), &ApiError>, now: f64) {
        let sent = self.sending.take();
        match result {
            // Confirmed, and a newer choice that came back to it need not be written.
            Ok(()) if self.wanted == sent => {
                self.settle_at = None;
                self.confirm_until = Some(now + CONFIRM_MS);
            }
            // A newer choice waits: it is written next.
            Ok(()) => {}
            Err(error) => {
                let notice = OwnNotice::of(error);
                self.blocked |= notice == OwnNotice::Refused;
                self.notice = Some(notice);
                self.wanted = None;
                self.settle_at = None;
                self.confirm_until = None;
            }
        }
    }

    /// An answer arrived in which the user's card says `server` (`None`: no card).
    pub fn answer(&mut self, server: Option<bool>, now: f64) {
        if self.busy() {
            return;
        }
        if server.is_some() && server == self.wanted {
            self.wanted = None;
            self.confirm_until = None;
        } else {
            self.expire(server, now);
        }
    }

    /// A written choice that no answer has shown by now gives way to what the
    /// server says (`server`, the last answer's), and the user hears it did not
    /// hold (the CRM took the write but kept, or someone set back, the old state).
    pub fn expire(&mut self, server: Option<bool>, now: f64) {
        if self.busy() || self.confirm_until.is_none_or(|until| now < until) {
            return;
        }
        if server.is_some_and(|server| self.wanted != Some(server)) {
            self.notice = Some(OwnNotice::Failed);
        }
        self.wanted = None;
        self.confirm_until = None;
    }

    /// `roster` as the user's card shows it, when the user's choice differs from it.
    pub fn apply(&self, roster: &Roster) -> Option<Roster> {
        let me = self.me?;
        let at = roster.agents.iter().position(|a| a.user_id == me)?;
        if !self.overrides(roster.agents[at].present) {
            return None;
        }
        let mut shown = roster.clone();
        shown.agents[at].present = !shown.agents[at].present;
        Some(shown)
    }

    /// A write is waiting or in flight.
    pub fn busy(&self) -> bool {
        self.sending.is_some() || self.settle_at.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_in() -> OwnPresence {
        OwnPresence {
            me: Some(7),
            ..OwnPresence::default()
        }
    }

    #[test]
    fn a_choice_shows_at_once_and_is_written_once_it_settles() {
        let mut own = signed_in();
        own.choose(false, 0.0);
        assert!(!own.shown(true));
        assert_eq!(own.due(SETTLE_MS - 1.0), None, "not before it settles");
        assert_eq!(own.wake_at(), Some(SETTLE_MS));
        assert_eq!(own.due(SETTLE_MS), Some((7, false)));
        assert_eq!(own.due(SETTLE_MS + 1.0), None, "written once");
        own.done(Ok(()), 1000.0);
        // An answer from before the write does not undo the choice…
        own.answer(Some(true), 1100.0);
        assert!(!own.shown(true));
        // …one that shows it ends the overlay.
        own.answer(Some(false), 1200.0);
        assert_eq!(
            own,
            OwnPresence {
                me: Some(7),
                ..OwnPresence::default()
            }
        );
    }

    #[test]
    fn a_quick_double_toggle_writes_the_final_state_once() {
        let mut own = signed_in();
        own.choose(false, 0.0);
        own.choose(true, 200.0);
        assert_eq!(
            own.due(SETTLE_MS),
            None,
            "the second choice restarted the wait"
        );
        assert_eq!(own.due(200.0 + SETTLE_MS), Some((7, true)));
        assert_eq!(own.due(10_000.0), None);
    }

    #[test]
    fn a_choice_during_a_write_is_written_after_it() {
        let mut own = signed_in();
        own.choose(false, 0.0);
        assert_eq!(own.due(SETTLE_MS), Some((7, false)));
        own.choose(true, SETTLE_MS + 10.0);
        assert_eq!(own.due(SETTLE_MS * 3.0), None, "one write at a time");
        assert_eq!(own.wake_at(), None);
        own.done(Ok(()), SETTLE_MS * 3.0);
        assert_eq!(own.due(SETTLE_MS * 3.0), Some((7, true)));
    }

    #[test]
    fn a_refused_write_rolls_back_and_says_why() {
        for (error, notice, blocked) in [
            (ApiError::Forbidden, OwnNotice::Refused, true),
            (ApiError::NotFound, OwnNotice::Refused, true),
            (ApiError::SignedOut, OwnNotice::SignedOut, false),
            (ApiError::Network, OwnNotice::Failed, false),
        ] {
            let mut own = signed_in();
            own.choose(false, 0.0);
            own.due(SETTLE_MS);
            own.done(Err(&error), 700.0);
            assert!(own.shown(true), "{error:?}: back to what the server says");
            assert_eq!((own.notice, own.blocked), (Some(notice), blocked));
            own.choose(false, 800.0);
            assert_eq!(own.due(10_000.0).is_some(), !blocked, "{error:?}");
        }
    }

    #[test]
    fn the_roster_shows_the_users_choice_on_their_card_only() {
        use crate::logic::model::Agent;
        let roster = Roster {
            agents: vec![
                Agent {
                    user_id: 7,
                    name: Some("Me".into()),
                    present: true,
                    ongoing_chats: 1,
                    ..Agent::default()
                },
                Agent {
                    user_id: 8,
                    name: Some("O".into()),
                    present: true,
                    ..Agent::default()
                },
            ],
            skipped: 0,
        };
        let mut own = signed_in();
        assert_eq!(own.apply(&roster), None);
        own.choose(true, 0.0);
        assert_eq!(own.apply(&roster), None, "the same as the server's");
        own.choose(false, 0.0);
        let shown = own.apply(&roster).expect("changed");
        assert!(!shown.agents[0].present);
        assert!(shown.agents[1].present, "nobody else");
        own.me = Some(99);
        assert_eq!(own.apply(&roster), None, "no card, no change");
    }

    #[test]
    fn the_user_is_bound_to_the_session_they_were_read_under() {
        let mut own = OwnPresence::default();
        assert!(
            own.same_session(Some("any")),
            "nobody known: nothing to forget"
        );
        own.learn(Some(7), Some("first".into()), 0.0);
        assert!(own.same_session(Some("first")));
        assert!(!own.same_session(Some("second")), "another session");
        assert!(!own.same_session(None), "no session now");
        own.learn(Some(7), None, 0.0);
        assert!(own.same_session(None), "a sign-in's feed: no page session");
        assert!(!own.same_session(Some("first")));
    }

    #[test]
    fn a_choice_pending_when_the_session_changes_is_made_again_for_the_same_user_only() {
        let mut own = OwnPresence::default();
        own.learn(Some(7), Some("first".into()), 0.0);
        own.choose(false, 0.0);
        own.forget();
        assert_eq!(own.me, None, "forgotten");
        assert_eq!(own.due(SETTLE_MS * 2.0), None, "nothing written meanwhile");
        // The same person signed in again: their choice is made again.
        own.learn(Some(7), Some("second".into()), 1_000.0);
        assert!(!own.shown(true));
        assert_eq!(own.due(1_000.0 + SETTLE_MS), Some((7, false)));
        // Someone else: nothing of the last user's is made.
        let mut own = OwnPresence::default();
        own.learn(Some(7), Some("first".into()), 0.0);
        own.choose(false, 0.0);
        own.forget();
        own.learn(Some(8), Some("second".into()), 1_000.0);
        assert!(own.shown(true));
        assert_eq!(own.due(10_000.0), None);
        // A confirmed choice is not carried: there is nothing to make again.
        let mut own = OwnPresence::default();
        own.learn(Some(7), None, 0.0);
        own.forget();
        own.learn(Some(7), None, 0.0);
        assert_eq!(own.due(10_000.0), None);
    }

    #[test]
    fn nothing_is_written_without_a_known_user() {
        let mut own = OwnPresence::default();
        own.choose(false, 0.0);
        assert_eq!(own.due(SETTLE_MS), None);
        assert!(own.shown(true));
    }

    #[test]
    fn a_written_choice_gives_way_to_the_server_after_a_while_and_says_so() {
        let mut own = signed_in();
        own.choose(false, 0.0);
        own.due(SETTLE_MS);
        own.done(Ok(()), 1000.0);
        assert_eq!(
            own.wake_at(),
            Some(1000.0 + CONFIRM_MS),
            "looked at again then"
        );
        own.answer(Some(true), 1000.0 + CONFIRM_MS - 1.0);
        assert!(!own.shown(true));
        own.expire(Some(true), 1000.0 + CONFIRM_MS - 1.0);
        assert!(!own.shown(true), "not yet");
        own.expire(Some(true), 1000.0 + CONFIRM_MS);
        assert!(
            own.shown(true),
            "the CRM kept the old state: the server wins"
        );
        assert_eq!(own.notice, Some(OwnNotice::Failed));
        assert_eq!(own.wake_at(), None);
    }

    #[test]
    fn a_choice_back_to_the_one_being_written_is_not_written_again() {
        let mut own = signed_in();
        own.choose(false, 0.0);
        assert_eq!(own.due(SETTLE_MS), Some((7, false)));
        own.choose(true, SETTLE_MS + 1.0);
        own.choose(false, SETTLE_MS + 2.0);
        own.done(Ok(()), SETTLE_MS + 3.0);
        assert_eq!(own.due(SETTLE_MS * 5.0), None);
        assert!(!own.shown(true));
    }

    #[test]
    fn a_settling_choice_is_flushed_when_the_widget_goes() {
        let mut own = signed_in();
        assert_eq!(own.flush(), None);
        own.choose(false, 0.0);
        assert_eq!(own.flush(), Some((7, false)));
        assert_eq!(own.flush(), None, "once");
        assert_eq!(own.due(SETTLE_MS), None);
        let mut nobody = OwnPresence::default();
        nobody.choose(true, 0.0);
        assert_eq!(nobody.due(0.0), None);
        assert_eq!(nobody.wake_at(), None, "no timer for nobody");
    }
}
