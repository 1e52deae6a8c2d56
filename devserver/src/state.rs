//! The tenant's state: its switches, agents, sessions and request statistics,
//! shared by every route behind one lock.

use crate::cli::Switches;
use crate::data::{self, Rng};
use crate::queue::{now_seconds, Queue};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Mixed into the seed for the queue's random source.
const QUEUE_SEED: u64 = 0x5155_4555;

/// At most this many signed-in sessions are kept.
pub const MAX_SESSIONS: usize = 1_000;

pub type Shared = Arc<Mutex<Tenant>>;

pub struct Tenant {
    pub switches: Switches,
    /// The files origin's folder (`--files`), whose `embed.js` the panel page names
    /// with its integrity hash.
    pub files_dir: String,
    seed: u64,
    pub rng: Rng,
    pub agents: Vec<data::Agent>,
    /// The chat sessions waiting, and their own random source (the agents' drift
    /// stays what it was without a queue).
    pub queue: Queue,
    queue_rng: Rng,
    last_drift: Instant,
    pub sessions: Sessions,
    /// The sign-in service's access tokens and authorization codes.
    pub grants: crate::signin::Grants,
    pub stats: Stats,
    counter: u64,
}

impl Tenant {
    pub fn new(switches: Switches, files_dir: String, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let agents = data::agents(switches.agents, &mut rng);
        let mut queue_rng = Rng::new(seed ^ QUEUE_SEED);
        let queue = Queue::new(switches.queue as usize, now_seconds(), &mut queue_rng);
        Tenant {
            switches,
            files_dir,
            seed,
            rng,
            agents,
            queue,
            queue_rng,
            last_drift: Instant::now(),
            sessions: Sessions::default(),
            grants: crate::signin::Grants::default(),
            stats: Stats::default(),
            counter: 0,
        }
    }

    /// The agents again from the seed (after `agents` changed).
    pub fn reseed(&mut self) {
        let mut rng = Rng::new(self.seed);
        self.agents = data::agents(self.switches.agents, &mut rng);
        self.rng = rng;
        self.restart_queue();
        self.last_drift = Instant::now();
    }

    /// The queue again from the seed, with `queue` sessions waiting.
    pub fn restart_queue(&mut self) {
        self.queue_rng = Rng::new(self.seed ^ QUEUE_SEED);
        self.queue = Queue::new(
            self.switches.queue as usize,
            now_seconds(),
            &mut self.queue_rng,
        );
    }

    pub fn new_secret(&mut self) -> String {
        self.counter += 1;
        let a = self.rng.next_u64() ^ self.counter;
        let b = self.rng.next_u64()
            ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
        format!("{a:016x}{b:016x}")
    }

    /// Applies the drift steps due since the last one (at most 20, after a long idle).
    pub fn drift_to_now(&mut self) {
        let period = self.switches.drift_seconds;
        if period == 0 {
            self.last_drift = Instant::now();
            return;
        }
        let due = self.last_drift.elapsed().as_secs() / period;
        let principal = self.switches.principal;
        let own = self
            .agents
            .iter()
            .find(|a| a.user_id == principal)
            .map(|a| (a.present, a.ongoing_chats));
        let now = now_seconds();
        for _ in 0..due.min(20) {
            data::drift(&mut self.agents, &mut self.rng);
            self.queue.step(&self.agents, now, &mut self.queue_rng);
        }
        // The user's own presence is theirs to change.
        if let Some((present, chats)) = own {
            if let Some(agent) = self.agents.iter_mut().find(|a| a.user_id == principal) {
                agent.present = present;
                if !present {
                    agent.ongoing_chats = chats;
                }
            }
        }
        if due > 0 {
            self.last_drift += Duration::from_secs(due * period);
        }
    }
}

#[derive(Default, Serialize, Clone)]
pub struct LastRequest {
    pub path: String,
    pub xsrf_header: Option<String>,
    pub session_cookie: bool,
    pub xsrf_matched: bool,
    /// The request carried `Authorization: Bearer …`.
    pub bearer: bool,
    pub accept: Option<String>,
    pub accept_language: Option<String>,
    pub origin: Option<String>,
}

/// A `Presence/SaveAll` request as it came.
#[derive(Serialize, Clone)]
pub struct Write {
    pub base: String,
    /// The body, verbatim.
    pub body: String,
    pub content_type: Option<String>,
    /// The status it was answered with.
    pub status: u16,
}

/// Most writes kept in the stats.
pub const MAX_WRITES: usize = 100;

/// `/api/dev/stats`.
#[derive(Default, Serialize, Clone)]
pub struct Stats {
    /// Requests per route name ("getall", "topic", "isopen", "principal", "saveall",
    /// "chatsession", "forcurrentuser", "useragent").
    pub requests: BTreeMap<String, u64>,
    /// `GetAll` requests per API base path ("/api", "/Cust12345/api").
    pub getall_by_base: BTreeMap<String, u64>,
    pub unauthorized: u64,
    /// Web API requests that carried a Bearer token (valid or not).
    pub bearer: u64,
    /// ID tokens the sign-in service issued.
    pub signed_in: u64,
    /// Requests per topic id, `ChatTopic/{id}` and `ChatTopic/{id}/IsOpen` together.
    pub topic_requests: BTreeMap<String, u64>,
    /// Web API requests answered with the sign-in proxy's 302 (`redirect`).
    pub redirected: u64,
    /// Every `Presence/SaveAll` request, oldest first (the last 100).
    pub writes: Vec<Write>,
    pub last: Option<LastRequest>,
}

/// The signed-in sessions (session id -> XSRF token), at most [`MAX_SESSIONS`]:
/// signing in beyond that forgets the oldest session.
#[derive(Default)]
pub struct Sessions {
    tokens: HashMap<String, String>,
    /// Sessions signed in as another user than `--principal` (`login?user=ID`).
    users: HashMap<String, i32>,
    /// Session ids, oldest first.
    order: VecDeque<String>,
}

impl Sessions {
    pub fn insert(&mut self, id: String, token: String) {
        if self.tokens.insert(id.clone(), token).is_some() {
            self.order.retain(|old| *old != id);
        }
        self.order.push_back(id);
        while self.order.len() > MAX_SESSIONS {
            if let Some(oldest) = self.order.pop_front() {
                self.tokens.remove(&oldest);
                self.users.remove(&oldest);
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&String> {
        self.tokens.get(id)
    }

    /// Signs session `id` in as the user whose `EjUserId` is `user`.
    pub fn set_user(&mut self, id: &str, user: i32) {
        if self.tokens.contains_key(id) {
            self.users.insert(id.to_owned(), user);
        }
    }

    /// The user session `id` signed in as, if not `--principal`.
    pub fn user(&self, id: &str) -> Option<i32> {
        self.users.get(id).copied()
    }

    pub fn remove(&mut self, id: &str) {
        self.users.remove(id);
        if self.tokens.remove(id).is_some() {
            self.order.retain(|old| old != id);
        }
    }

    pub fn clear(&mut self) {
        self.tokens.clear();
        self.users.clear();
        self.order.clear();
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_keep_the_newest_thousand() {
        let mut sessions = Sessions::default();
        for i in 0..MAX_SESSIONS + 5 {
            sessions.insert(format!("s{i}"), format!("t{i}"));
        }
        assert_eq!(sessions.len(), MAX_SESSIONS);
        assert_eq!(sessions.order.len(), MAX_SESSIONS);
        for i in 0..5 {
            assert!(sessions.get(&format!("s{i}")).is_none(), "s{i} evicted");
        }
        assert_eq!(sessions.get("s5").map(String::as_str), Some("t5"));
        let last = format!("s{}", MAX_SESSIONS + 4);
        assert!(sessions.get(&last).is_some());
        sessions.remove("s5");
        assert_eq!(sessions.len(), MAX_SESSIONS - 1);
        assert_eq!(sessions.order.len(), MAX_SESSIONS - 1);
        sessions.insert("again".into(), "x".into());
        sessions.insert("again".into(), "y".into());
        assert_eq!(sessions.len(), MAX_SESSIONS);
        assert_eq!(sessions.order.len(), MAX_SESSIONS);
        assert_eq!(sessions.get("again").map(String::as_str), Some("y"));
        assert!(
            sessions.get("s6").is_some(),
            "nothing evicted while below the bound"
        );
        sessions.clear();
        assert_eq!((sessions.len(), sessions.order.len()), (0, 0));
    }
}
