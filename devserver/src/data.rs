//! Seed data for the development tenant: agents, chat topics, and the drift that
//! makes presence change over time the way a real support floor does.

use serde_json::{json, Value};

/// A small, fast, seedable random source (xorshift64*); good enough for fake data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

#[derive(Clone, Debug)]
pub struct Agent {
    pub user_id: i32,
    pub name: String,
    pub present: bool,
    pub ongoing_chats: i32,
    pub topics: Vec<i32>,
}

impl Agent {
    pub fn to_json(&self) -> Value {
        json!({
            "UserId": self.user_id,
            "DisplayName": self.name,
            "OngoingChats": self.ongoing_chats,
            "Present": self.present,
            "ChatTopics": self.topics,
            "TableRight": { "Mask": "Select", "Reason": "" },
            "FieldProperties": {
                "DisplayName": {
                    "FieldRight": { "Mask": "Read", "Reason": "" },
                    "FieldType": "System.String",
                    "FieldLength": 254
                }
            }
        })
    }
}

pub struct Topic {
    pub id: i32,
    pub name: &'static str,
    pub description: &'static str,
    pub language: &'static str,
}

pub const TOPICS: &[Topic] = &[
    Topic {
        id: 11,
        name: "Billing",
        description: "Invoices, payments and refunds",
        language: "en",
    },
    Topic {
        id: 12,
        name: "Technical support",
        description: "Installation, errors and integrations",
        language: "en",
    },
    Topic {
        id: 13,
        name: "Sales",
        description: "Quotes, licences and upgrades",
        language: "en",
    },
    Topic {
        id: 14,
        name: "Kundeservice",
        description: "Norsk kundeservice",
        language: "no",
    },
    Topic {
        id: 15,
        name: "Enterprise accounts",
        description: "Named enterprise customers (08–16 CET)",
        language: "en",
    },
    Topic {
        id: 16,
        name: "Returns & warranty",
        description: "RMA, shipping and warranty claims",
        language: "en",
    },
];

/// The topic that is closed by default (outside its opening hours).
pub const CLOSED_TOPIC: i32 = 15;

pub fn topic(id: i32) -> Option<&'static Topic> {
    TOPICS.iter().find(|t| t.id == id)
}

pub fn topic_json(t: &Topic) -> Value {
    json!({
        "ChatTopicId": t.id,
        "Name": t.name,
        "Description": t.description,
        "Language": t.language,
        "OpeningHoursEnabled": t.id == CLOSED_TOPIC,
        "OpeningHours": null,
        "LastAccept": 4,
        "SecondsPrAccept": 30,
        "WelcomeMessage": format!("Welcome to {}!", t.name),
        // Minutes in the queue before agents, then managers, are warned.
        "WarnNewChatMinutes": 2 + t.id % 3,
        "WarnManagerNewChatMinutes": 6 + t.id % 3,
        "WarnChatMessageMinutes": 3,
        "WarnManagerChatMessageMinutes": 10,
        "TableRight": { "Mask": "Select", "Reason": "" },
        "FieldProperties": {}
    })
}

/// The 25 people of the default tenant, from many languages and scripts, with the
/// topics they answer (some several, a few none).
const SEED: &[(&str, &[i32])] = &[
    ("Åse Ødegård", &[14, 11]),
    ("Lars Johansson", &[12]),
    ("Mette Kjærgaard", &[11, 16]),
    ("Jürgen Weiß", &[12, 15]),
    ("Sanne de Vries", &[13]),
    ("María José García", &[11]),
    ("Nguyễn Thị Lan", &[12]),
    ("Aleksandra Wiśniewska", &[16]),
    ("渡辺 健二", &[12, 13]),
    ("Olamide Adeyemi", &[13, 15]),
    ("Siobhán Ní Bhriain", &[11]),
    ("Zoë van den Berg", &[14]),
    ("François Lefèvre", &[]),
    ("Priya Raghunathan", &[12, 16]),
    ("محمد الفارسي", &[11]),
    ("Chen Jing", &[13]),
    ("Ingrid Sætre", &[14, 12]),
    ("Björn Lindqvist", &[]),
    ("Anneke Jansen", &[16, 11]),
    ("Dimitrios Papadopoulos", &[15]),
    ("Eero Mäkinen", &[12]),
    ("Lucía Fernández", &[13, 11]),
    ("Tomasz Kowalczyk", &[12, 15, 16]),
    ("Maximilian Alexander von Hohenberg-Wittelsbach", &[15, 13]),
    ("Kwame Mensah", &[14]),
];

const FIRST: &[&str] = &[
    "Åse",
    "Lars",
    "Mette",
    "Jürgen",
    "Sanne",
    "María",
    "Lan",
    "Ola",
    "Kenji",
    "Olamide",
    "Siobhán",
    "Zoë",
    "François",
    "Priya",
    "Chen",
    "Ingrid",
    "Björn",
    "Anneke",
    "Eero",
    "Lucía",
    "Tomasz",
    "Kwame",
    "Hanna",
    "Sofie",
    "Nils",
    "Fatima",
    "Jonas",
    "Elif",
    "Pieter",
    "Agnieszka",
];
const LAST: &[&str] = &[
    "Ødegård",
    "Johansson",
    "Kjærgaard",
    "Weiß",
    "de Vries",
    "García",
    "Nguyen",
    "Nordmann",
    "Watanabe",
    "Adeyemi",
    "Murphy",
    "van den Berg",
    "Lefèvre",
    "Raghunathan",
    "Jing",
    "Sætre",
    "Lindqvist",
    "Jansen",
    "Mäkinen",
    "Fernández",
    "Kowalczyk",
    "Mensah",
    "Schäfer",
    "Andersen",
    "Yılmaz",
    "Bakker",
    "Nowak",
    "Hansen",
    "Dubois",
    "Rossi",
];

/// `count` agents: the seed people first, then generated ones with ids from 1000.
pub fn agents(count: usize, rng: &mut Rng) -> Vec<Agent> {
    (0..count)
        .map(|i| {
            let (user_id, name, topics) = match SEED.get(i) {
                Some((name, topics)) => (101 + i as i32, name.to_string(), topics.to_vec()),
                None => {
                    let first = FIRST[rng.below(FIRST.len())];
                    let last = LAST[rng.below(LAST.len())];
                    let mut topics: Vec<i32> = Vec::new();
                    for _ in 0..rng.below(4) {
                        let t = TOPICS[rng.below(TOPICS.len())].id;
                        if !topics.contains(&t) {
                            topics.push(t);
                        }
                    }
                    (1000 + i as i32, format!("{first} {last}"), topics)
                }
            };
            let present = rng.unit() < 0.6;
            let ongoing_chats = if present { rng.below(4) as i32 } else { 0 };
            Agent {
                user_id,
                name,
                present,
                ongoing_chats,
                topics,
            }
        })
        .collect()
}

/// One drift step: a few agents toggle presence or take or finish a chat.
pub fn drift(agents: &mut [Agent], rng: &mut Rng) {
    let changes = (agents.len() / 10).max(1);
    for _ in 0..changes {
        let i = rng.below(agents.len());
        let Some(agent) = agents.get_mut(i) else {
            return;
        };
        if rng.unit() < 0.35 {
            agent.present = !agent.present;
            if !agent.present {
                agent.ongoing_chats = 0;
            }
        } else if agent.present {
            let delta = if rng.unit() < 0.5 { -1 } else { 1 };
            agent.ongoing_chats = (agent.ongoing_chats + delta).clamp(0, 4);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_has_the_promised_shape() {
        let agents = agents(25, &mut Rng::new(7));
        assert_eq!(agents.len(), 25);
        assert!(
            agents.iter().any(|a| a.topics.len() > 1),
            "some in several topics"
        );
        assert!(agents.iter().any(|a| a.topics.is_empty()), "some in none");
        assert!(agents.iter().any(|a| a.present) && agents.iter().any(|a| !a.present));
        let mut ids: Vec<i32> = agents.iter().map(|a| a.user_id).collect();
        ids.dedup();
        assert_eq!(ids.len(), 25);
        for a in &agents {
            for t in &a.topics {
                assert!(topic(*t).is_some(), "topic {t} exists");
            }
        }
    }

    #[test]
    fn large_tenants_have_unique_ids() {
        let agents = agents(10_000, &mut Rng::new(1));
        let mut ids: Vec<i32> = agents.iter().map(|a| a.user_id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 10_000);
    }

    #[test]
    fn drift_changes_something_but_keeps_invariants() {
        let mut rng = Rng::new(3);
        let before = agents(25, &mut rng);
        let mut after = before.clone();
        for _ in 0..5 {
            drift(&mut after, &mut rng);
        }
        assert!(before
            .iter()
            .zip(&after)
            .any(|(a, b)| a.present != b.present || a.ongoing_chats != b.ongoing_chats));
        assert!(after.iter().all(|a| (0..=4).contains(&a.ongoing_chats)));
        assert!(after.iter().all(|a| a.present || a.ongoing_chats == 0));
    }
}
