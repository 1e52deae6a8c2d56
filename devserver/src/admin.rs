//! `/api/dev/admin` and `/api/dev/stats`: what tests switch and read at run time.
//! The switches' keys are the command line's flags ([`Switches`], parsed by the
//! same clap definitions); the actions below exist only here.

use crate::api::error_body;
use crate::cli::Switches;
use crate::data;
use crate::state::{Shared, Stats, Tenant};
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use clap::{Args, Command, FromArgMatches};
use serde_json::json;

/// What the admin route does once, besides changing switches.
#[derive(Args, Debug, Default)]
struct Actions {
    /// Drift presence now, this many steps (at most 1,000).
    #[arg(long)]
    drift_steps: Option<u32>,
    /// Change exactly this many distinct agents now (each toggles its presence).
    #[arg(long)]
    change_count: Option<usize>,
    /// Set one agent: `set_agent=101&present=true&chats=2`.
    #[arg(long)]
    set_agent: Option<i32>,
    #[arg(long)]
    present: Option<bool>,
    #[arg(long)]
    chats: Option<i32>,
    /// Every agent in this topic goes away (the topic is uncovered while open).
    #[arg(long)]
    uncover_topic: Option<i32>,
    /// Forget every session (as a CRM restart does).
    #[arg(long)]
    end_sessions: Option<bool>,
    #[arg(long)]
    reset_stats: Option<bool>,
}

/// Reads `key=value` pairs as flags: each switch's own parser, bounds included,
/// and only the switches named change (no defaults applied).
fn parse(pairs: &[(String, String)], switches: &mut Switches) -> Result<Actions, String> {
    let command = Actions::augment_args(Switches::augment_args_for_update(
        Command::new("admin").no_binary_name(true),
    ))
    .mut_args(|arg| arg.default_value(None));
    let argv = pairs
        .iter()
        .map(|(key, value)| format!("--{}={value}", key.replace('_', "-")));
    let matches = command
        .try_get_matches_from(argv)
        .map_err(|e| e.to_string())?;
    switches
        .update_from_arg_matches(&matches)
        .map_err(|e| e.to_string())?;
    Actions::from_arg_matches(&matches).map_err(|e| e.to_string())
}

/// `GET|POST /api/dev/admin?...`: changes the switches, runs the actions, answers
/// the current switches. A key it does not know, or a value out of bounds, is a
/// 400 that says why, and changes nothing.
pub async fn admin(
    State(state): State<Shared>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let mut t = state.lock().expect("state lock");
    let mut switches = t.switches.clone();
    let actions = match parse(&pairs, &mut switches) {
        Ok(actions) => actions,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    // Naming `agents` re-seeds every agent, even at the same count: a test starts
    // from the tenant's first data.
    let reseed = pairs.iter().any(|(key, _)| key == "agents");
    t.switches = switches;
    if reseed {
        t.reseed();
    } else if pairs.iter().any(|(key, _)| key == "queue") {
        t.restart_queue();
    }
    if run(&mut t, &actions).is_err() {
        return error_body(
            StatusCode::NOT_FOUND,
            "SoNotFoundException",
            "No such agent",
        );
    }
    Json(json!({ "settings": t.switches, "sessions": t.sessions.len() })).into_response()
}

/// Runs `actions`; `Err` when `set_agent` names no agent.
fn run(t: &mut Tenant, actions: &Actions) -> Result<(), ()> {
    let Tenant { agents, rng, .. } = t;
    for _ in 0..actions.drift_steps.unwrap_or(0).min(1000) {
        data::drift(agents, rng);
    }
    if let Some(count) = actions.change_count {
        let count = count.min(agents.len());
        let mut chosen: Vec<usize> = Vec::with_capacity(count);
        while chosen.len() < count {
            let i = rng.below(agents.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        for i in chosen {
            if let Some(agent) = agents.get_mut(i) {
                agent.present = !agent.present;
                agent.ongoing_chats = if agent.present { 1 } else { 0 };
            }
        }
    }
    if let Some(id) = actions.set_agent {
        let agent = agents.iter_mut().find(|a| a.user_id == id).ok_or(())?;
        if let Some(present) = actions.present {
            agent.present = present;
        }
        if let Some(chats) = actions.chats {
            agent.ongoing_chats = chats;
        }
    }
    if let Some(topic) = actions.uncover_topic {
        for agent in agents.iter_mut().filter(|a| a.topics.contains(&topic)) {
            agent.present = false;
            agent.ongoing_chats = 0;
        }
    }
    if actions.end_sessions == Some(true) {
        t.sessions.clear();
    }
    if actions.reset_stats == Some(true) {
        t.stats = Stats::default();
    }
    Ok(())
}

pub async fn stats(State(state): State<Shared>) -> Response {
    Json(state.lock().expect("state lock").stats.clone()).into_response()
}
