//! A stand-in for a SuperOffice tenant, for developing and testing the widget.
//!
//! It behaves like the real Web API where the widget can tell: sessions in an
//! HttpOnly `ASP.NET_SessionId` cookie, the `XSRF-TOKEN` cookie and header check,
//! 401 with SuperOffice's error body, chat topics with names and opening state, and
//! presence that drifts over time. Switches ([`cli::Switches`]: flags at start, the
//! same names as keys of `/api/dev/admin` at run time; `devserver --help` lists
//! them) give tests latency, failures, a logged-out tenant, malformed bodies
//! ([`malformed::Malformed`]) and up to 10,000 agents. Every route also answers
//! under a tenant path (`/Cust12345/api/...`), as CRM Online does.
//!
//! Where things are, as in axum's examples:
//!
//! - [`cli`]: the command line and the switches; [`state`]: the tenant behind one
//!   lock (switches, agents, sessions, stats);
//! - [`api`]: the Web API routes behind their gate (middleware: stats, the
//!   sign-in proxy, latency, session and XSRF, failures); [`malformed`]: the wrong
//!   bodies; [`data`]: agents, topics and drift; [`deep`]: deeply nested JSON;
//! - [`session`]: the CRM's own sign-in and sign-out (cookies); [`signin`]: the
//!   sign-in service (OpenID Connect) and its Bearer tokens; [`admin`]: `/api/dev/admin` and
//!   `/api/dev/stats`; [`crm`]: the CRM-like page, the CRMScript-like panel page
//!   and the files origin; [`guard`]: the loopback and return-path checks;
//! - [`app`]: the router and the layers that cut across it; `main.rs` only binds.
//!
//! `/api/dev/stats` counts requests per route (`requests`), `GetAll` per API base
//! (`getall_by_base`), per topic id (`topic_requests`, both topic routes), refusals
//! (`unauthorized`), sign-in-proxy redirects (`redirected`), and the last request.
//!
//! Safety: the server answers only requests whose `Host` is a loopback name
//! (`localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`), against DNS rebinding; the
//! sign-in routes redirect only within this origin; at most 1,000 sessions are kept.

mod admin;
mod api;
pub mod cli;
pub mod crm;
mod data;
mod deep;
mod guard;
pub mod malformed;
mod own;
mod queue;
mod session;
mod signin;
mod state;

use axum::{
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{any, get},
    Router,
};
pub use cli::Cli;
use state::{Shared, Tenant};
use std::sync::{Arc, Mutex};
use tower_http::services::ServeDir;

/// The tenant's origin: the Web API and the development routes, under `/api` and
/// under a tenant path, the CRM-like pages, and the folders of `--serve`.
pub fn app(cli: &Cli) -> Router {
    let files_dir = cli.files.clone().unwrap_or_default();
    let tenant = Tenant::new(cli.switches.clone(), files_dir, cli.seed);
    let state: Shared = Arc::new(Mutex::new(tenant));
    let api = || {
        api::routes(state.clone())
            .route("/dev/login", get(session::login))
            .route("/dev/logout", get(session::logout))
            .route("/dev/admin", any(admin::admin))
            .route("/dev/stats", get(admin::stats))
    };
    let mut router = Router::new()
        .nest("/api", api())
        .nest("/{tenant}/api", api())
        .nest("/login", signin::routes(state.clone()))
        .route("/{tenant}/default.aspx", get(crm::crm_page))
        .route(
            "/{tenant}/CS/scripts/customer.fcgi",
            get(crm::customer_fcgi),
        )
        .layer(middleware::from_fn(no_store))
        .with_state(state);
    for (prefix, dir) in &cli.serve {
        let service = ServeDir::new(dir).append_index_html_on_directories(true);
        router = if prefix.is_empty() {
            router.fallback_service(service)
        } else {
            router.nest_service(prefix, service)
        };
    }
    router.layer(middleware::from_fn(host_guard))
}

/// Answers only requests addressed to a loopback name, so that a hostile page whose
/// own name resolves to 127.0.0.1 (DNS rebinding) cannot read this tenant.
pub async fn host_guard(request: Request, next: Next) -> Response {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let allowed = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().is_ok_and(guard::loopback_host),
        _ => false,
    };
    if !allowed {
        return (StatusCode::FORBIDDEN, "Host not allowed").into_response();
    }
    next.run(request).await
}

/// Development-tenant responses are not cached by the browser, unless a route set
/// its own `Cache-Control` (the `cache_control` switch).
async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests;
