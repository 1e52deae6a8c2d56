//! Signing in and out of the development tenant, as the CRM's own sign-in does for
//! the widget: an HttpOnly `ASP.NET_SessionId` cookie and a readable `XSRF-TOKEN`
//! cookie whose value every Web API request must echo in `X-XSRF-TOKEN`.

use crate::guard;
use crate::state::{Sessions, Shared};
use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;

pub const SESSION_COOKIE: &str = "ASP.NET_SessionId";
pub const XSRF_COOKIE: &str = "XSRF-TOKEN";

#[derive(Deserialize)]
pub struct ReturnQuery {
    /// Where to go afterwards: a path on this origin (anything else goes to `/`).
    #[serde(rename = "return")]
    return_to: Option<String>,
    /// Sign in as this `EjUserId` rather than `--principal` (another person at the
    /// same browser).
    user: Option<i32>,
}

/// The XSRF token of the session whose cookie `jar` carries, if it is signed in.
pub fn session_token(sessions: &Sessions, jar: &CookieJar) -> Option<String> {
    let id = jar.get(SESSION_COOKIE)?;
    sessions.get(id.value()).cloned()
}

fn cookie(name: &'static str, value: String, http_only: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(http_only)
        .same_site(SameSite::Lax)
        .build()
}

/// The `EjUserId` of the user whose session cookie `jar` carries: the one it signed
/// in as, else `--principal` (also for requests without a session).
pub fn session_user(sessions: &Sessions, jar: &CookieJar, principal: i32) -> i32 {
    jar.get(SESSION_COOKIE)
        .and_then(|id| sessions.user(id.value()))
        .unwrap_or(principal)
}

/// `GET /api/dev/login?return=/path[&user=ID]`: a new session, then back to `return`.
pub async fn login(
    State(state): State<Shared>,
    jar: CookieJar,
    Query(q): Query<ReturnQuery>,
) -> Response {
    let (session, token) = {
        let mut t = state.lock().expect("state lock");
        let session = t.new_secret();
        let token = t.new_secret();
        t.sessions.insert(session.clone(), token.clone());
        if let Some(user) = q.user {
            t.sessions.set_user(&session, user);
        }
        (session, token)
    };
    let jar = jar
        .add(cookie(SESSION_COOKIE, session, true))
        .add(cookie(XSRF_COOKIE, token, false));
    let back = Redirect::to(&guard::safe_return(q.return_to.as_deref()));
    (jar, back).into_response()
}

/// `GET /api/dev/logout?return=/path`: the session ends and both cookies go.
pub async fn logout(
    State(state): State<Shared>,
    jar: CookieJar,
    Query(q): Query<ReturnQuery>,
) -> Response {
    if let Some(id) = jar.get(SESSION_COOKIE) {
        state
            .lock()
            .expect("state lock")
            .sessions
            .remove(id.value());
    }
    let jar = jar
        .remove(Cookie::build(SESSION_COOKIE).path("/"))
        .remove(Cookie::build(XSRF_COOKIE).path("/"));
    let back = Redirect::to(&guard::safe_return(q.return_to.as_deref()));
    (jar, back).into_response()
}
