//! "Tell me when someone is available": watches on a topic or an agent, which fire
//! once on the first data that fulfils them and then end. They are kept per origin
//! and API base (so they survive a reload of the panel) and expire after a working
//! day.

use crate::logic::model::Agent;
use std::collections::{HashMap, HashSet};

/// How long a watch waits: a working day.
pub const WATCH_TTL_MS: f64 = 10.0 * 3_600_000.0;
/// Most watches kept (they come from storage any page script can write).
pub const MAX_WATCHES: usize = 50;

/// What a watch waits for: anyone available in a topic, or one agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Topic(i32),
    Agent(i32),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Watch {
    pub target: Target,
    /// When it was set (ms since the epoch).
    pub since: f64,
}

/// Notices kept on screen at once (the oldest goes first).
pub const MAX_NOTICES: usize = 3;

/// A fired watch as the widget shows it, with the name of who is available.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub fired: Fired,
    pub name: String,
    /// When it fired (ms since the epoch): with `fired`, its identity.
    pub at: f64,
}

/// A watch that fired, and who is available for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fired {
    pub target: Target,
    pub user_id: i32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Watches(Vec<Watch>);

impl Watches {
    /// The live watches among `list` at `now`: not expired, not from the future,
    /// each target once, at most [`MAX_WATCHES`].
    pub fn new(list: impl IntoIterator<Item = Watch>, now: f64) -> Watches {
        let mut watches = Watches::default();
        for mut watch in list {
            if !watch.since.is_finite() {
                continue;
            }
            // One set "in the future" (another tab's clock, or a clock set back since)
            // counts from now: kept, and still bounded by the time-to-live.
            watch.since = watch.since.min(now);
            let live = now - watch.since < WATCH_TTL_MS;
            if live && !watches.contains(watch.target) && watches.0.len() < MAX_WATCHES {
                watches.0.push(watch);
            }
        }
        watches
    }

    pub fn list(&self) -> &[Watch] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, target: Target) -> bool {
        self.0.iter().any(|w| w.target == target)
    }

    /// Starts or cancels the watch on `target`; answers whether it watches now.
    pub fn toggle(&mut self, target: Target, now: f64) -> bool {
        if self.contains(target) {
            self.0.retain(|w| w.target != target);
            false
        } else if self.0.len() < MAX_WATCHES {
            self.0.push(Watch { target, since: now });
            true
        } else {
            false
        }
    }

    /// Drops the watches that expired by `now`; answers whether any did.
    pub fn expire(&mut self, now: f64) -> bool {
        let before = self.0.len();
        self.0.retain(|w| now - w.since < WATCH_TTL_MS);
        self.0.len() != before
    }

    /// The watches that `agents` fulfil, each with the available agent to tell of
    /// (for a topic, the one with the fewest chats, then the lowest id); those
    /// watches end. One pass over the agents; nothing at all without watches.
    pub fn take_fired(&mut self, agents: &[Agent]) -> Vec<Fired> {
        if self.0.is_empty() {
            return Vec::new();
        }
        let mut best: HashMap<Target, &Agent> = HashMap::new();
        let watched: HashSet<Target> = self.0.iter().map(|w| w.target).collect();
        for agent in agents.iter().filter(|a| a.present) {
            let candidates = std::iter::once(Target::Agent(agent.user_id))
                .chain(agent.topics.iter().map(|t| Target::Topic(*t)));
            for target in candidates {
                if !watched.contains(&target) {
                    continue;
                }
                let better = best.get(&target).is_none_or(|b| {
                    (agent.ongoing_chats, agent.user_id) < (b.ongoing_chats, b.user_id)
                });
                if better {
                    best.insert(target, agent);
                }
            }
        }
        let fired: Vec<Fired> = self
            .0
            .iter()
            .filter_map(|w| {
                best.get(&w.target).map(|agent| Fired {
                    target: w.target,
                    user_id: agent.user_id,
                })
            })
            .collect();
        self.0.retain(|w| !best.contains_key(&w.target));
        fired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(user_id: i32, present: bool, chats: u32, topics: &[i32]) -> Agent {
        Agent {
            user_id,
            name: Some(format!("Agent {user_id}")),
            present,
            ongoing_chats: chats,
            topics: topics.to_vec(),
        }
    }

    const NOW: f64 = 1_800_000_000_000.0;

    #[test]
    fn a_topic_watch_fires_on_the_least_busy_available_agent_and_ends() {
        let mut watches = Watches::default();
        assert!(watches.toggle(Target::Topic(11), NOW));
        let away = [agent(1, false, 0, &[11]), agent(2, true, 0, &[12])];
        assert!(
            watches.take_fired(&away).is_empty(),
            "nobody in 11 is available"
        );
        assert!(watches.contains(Target::Topic(11)));
        let back = [
            agent(1, true, 2, &[11]),
            agent(3, true, 1, &[11, 12]),
            agent(4, true, 1, &[11]),
        ];
        assert_eq!(
            watches.take_fired(&back),
            [Fired {
                target: Target::Topic(11),
                user_id: 3
            }]
        );
        assert!(watches.is_empty(), "a watch fires once");
        assert!(watches.take_fired(&back).is_empty());
    }

    #[test]
    fn an_agent_watch_fires_when_that_agent_is_available() {
        let mut watches = Watches::default();
        watches.toggle(Target::Agent(7), NOW);
        watches.toggle(Target::Topic(12), NOW);
        let data = [agent(7, false, 0, &[11]), agent(8, true, 0, &[11])];
        assert!(watches.take_fired(&data).is_empty());
        let data = [agent(7, true, 3, &[11])];
        assert_eq!(
            watches.take_fired(&data),
            [Fired {
                target: Target::Agent(7),
                user_id: 7
            }]
        );
        assert_eq!(watches.list().len(), 1, "the topic watch waits on");
    }

    #[test]
    fn cancelling_and_expiry_end_a_watch() {
        let mut watches = Watches::default();
        assert!(watches.toggle(Target::Agent(7), NOW));
        assert!(
            !watches.toggle(Target::Agent(7), NOW),
            "a second click cancels"
        );
        assert!(watches.is_empty());
        watches.toggle(Target::Agent(7), NOW);
        assert!(!watches.expire(NOW + WATCH_TTL_MS - 1.0));
        assert!(watches.expire(NOW + WATCH_TTL_MS));
        assert!(watches.is_empty());
    }

    #[test]
    fn stored_watches_are_checked() {
        let watch = |target, since| Watch { target, since };
        let stored = [
            watch(Target::Agent(1), NOW - 1_000.0),
            watch(Target::Agent(1), NOW - 2_000.0),
            watch(Target::Agent(2), NOW - WATCH_TTL_MS),
            watch(Target::Agent(3), NOW + 86_400_000.0),
            watch(Target::Agent(4), f64::NAN),
            watch(Target::Topic(1), NOW),
        ];
        let watches = Watches::new(stored, NOW);
        let targets: Vec<Target> = watches.list().iter().map(|w| w.target).collect();
        assert_eq!(
            targets,
            [Target::Agent(1), Target::Agent(3), Target::Topic(1)],
            "one from the future counts from now, never silently dropped"
        );
        assert_eq!(watches.list()[1].since, NOW);
        let many = (0..100).map(|i| watch(Target::Agent(i), NOW));
        assert_eq!(Watches::new(many, NOW).list().len(), MAX_WATCHES);
    }
}
