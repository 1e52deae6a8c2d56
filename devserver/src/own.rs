//! The signed-in user's own routes: `User/currentPrincipal` (who they are: the
//! user the session signed in as, else `--principal`) and `Presence/SaveAll` (the one write the widget makes, answered
//! as `--save-all` says). Both sit behind the API gate, so a write needs the
//! session and its XSRF token, or a sign-in's token, as every read does; the gate
//! records every write, refused there or here (`/api/dev/stats`, `writes`).

use crate::api::error_body;
use crate::cli::SaveAll;
use crate::session::session_user;
use crate::state::{Shared, Write, MAX_WRITES};
use axum::{
    body::Bytes,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use axum_extra::extract::cookie::CookieJar;
use serde_json::{json, Value};

pub async fn current_principal(State(state): State<Shared>, jar: CookieJar) -> Response {
    let t = state.lock().expect("state lock");
    let id = session_user(&t.sessions, &jar, t.switches.principal);
    if id == 0 {
        return error_body(
            StatusCode::INTERNAL_SERVER_ERROR,
            "SoServerException",
            "currentPrincipal is unavailable (simulated)",
        );
    }
    let name = t
        .agents
        .iter()
        .find(|a| a.user_id == id)
        .map_or_else(|| "Pat Lead".to_owned(), |a| a.name.clone());
    Json(json!({
        "AssociateId": id + 10_000,
        "EjUserId": id,
        "UserName": name.to_lowercase().replace(' ', "."),
        "FullName": name,
        "Licenses": [{"Name": "chat", "Granted": true}],
    }))
    .into_response()
}

/// The entries of a `SaveAll` body as (UserId, Present), if it is an array of
/// objects that each have both, and nothing else.
fn entries(body: &[u8]) -> Option<Vec<(i64, bool)>> {
    let Value::Array(items) = serde_json::from_slice(body).ok()? else {
        return None;
    };
    items
        .iter()
        .map(|item| {
            let object = item.as_object().filter(|o| o.len() == 2)?;
            Some((
                object.get("UserId")?.as_i64()?,
                object.get("Present")?.as_bool()?,
            ))
        })
        .collect()
}

pub async fn save_all(State(state): State<Shared>, jar: CookieJar, body: Bytes) -> Response {
    let mut t = state.lock().expect("state lock");
    let principal = session_user(&t.sessions, &jar, t.switches.principal);
    match (t.switches.save_all, entries(&body)) {
        (SaveAll::Forbidden, _) => error_body(
            StatusCode::FORBIDDEN,
            "SoAccessDeniedException",
            "You may not change chat presence here",
        ),
        (SaveAll::NotFound, _) => error_body(
            StatusCode::NOT_FOUND,
            "SoNotFoundException",
            "Presence/SaveAll is not available",
        ),
        (SaveAll::Error, _) => error_body(
            StatusCode::INTERNAL_SERVER_ERROR,
            "SoServerException",
            "Could not save presence (simulated)",
        ),
        (SaveAll::Ok, None) => error_body(
            StatusCode::BAD_REQUEST,
            "SoBadRequestException",
            "Expected [{\"UserId\": …, \"Present\": …}]",
        ),
        (SaveAll::Ok, Some(entries))
            if entries.iter().any(|(id, _)| *id != i64::from(principal)) =>
        {
            error_body(
                StatusCode::FORBIDDEN,
                "SoAccessDeniedException",
                "Only your own presence can be set",
            )
        }
        (SaveAll::Ok, Some(entries)) => {
            for (_, present) in entries {
                if let Some(agent) = t.agents.iter_mut().find(|a| a.user_id == principal) {
                    agent.present = present;
                    if !present {
                        agent.ongoing_chats = 0;
                    }
                }
            }
            StatusCode::NO_CONTENT.into_response()
        }
    }
}

/// Records a `SaveAll` request in the stats (the API gate calls it for every one,
/// whatever answered it).
pub fn record_write(
    state: &Shared,
    base: String,
    body: &[u8],
    content_type: Option<String>,
    status: StatusCode,
) {
    let mut t = state.lock().expect("state lock");
    let writes = &mut t.stats.writes;
    writes.push(Write {
        base,
        body: String::from_utf8_lossy(body).into_owned(),
        content_type,
        status: status.as_u16(),
    });
    let excess = writes.len().saturating_sub(MAX_WRITES);
    writes.drain(..excess);
}

#[cfg(test)]
mod tests {
    use super::entries;

    #[test]
    fn only_exact_entries_are_read() {
        assert_eq!(
            entries(br#"[{"UserId":101,"Present":false}]"#),
            Some(vec![(101, false)])
        );
        for bad in [
            &br#"{"UserId":101,"Present":false}"#[..],
            br#"[{"UserId":101}]"#,
            br#"[{"UserId":"101","Present":true}]"#,
            br#"[{"UserId":101,"Present":true,"Extra":1}]"#,
            b"not json",
        ] {
            assert_eq!(entries(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }
}
