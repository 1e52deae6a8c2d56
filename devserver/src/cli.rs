//! The command line, with clap's derive. Each of the tenant's switches is written
//! once, in [`Switches`]: its flag, its default, its bounds and its help text; the
//! run-time admin route (`/api/dev/admin?latency_ms=200`) parses the same
//! definitions, so a flag and its admin key can never disagree.

use crate::data::CLOSED_TOPIC;
use crate::malformed::Malformed;
use clap::{ArgAction, Args, Parser};
use serde::Serialize;

/// At most this many agents (`--agents`).
pub const MAX_AGENTS: usize = 10_000;

#[derive(Parser, Clone, Debug)]
#[command(
    name = "devserver",
    about = "A SuperOffice-like tenant for developing and testing the presence widget",
    after_help = "Every switch is also an admin key at run time: \
/api/dev/admin?latency_ms=200&malformed=deep-row (flag name with _ for -).\n\
Only Host headers naming loopback (localhost, *.localhost, 127.0.0.0/8, [::1]) are served."
)]
pub struct Cli {
    /// Port of the tenant (0: any free port).
    #[arg(long, default_value_t = 8081)]
    pub port: u16,
    /// Seed of the generated agents and their drift.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Serves DIR's files under /PREFIX on the tenant's origin (repeatable).
    #[arg(long, value_name = "/PREFIX=DIR", value_parser = serve_spec)]
    pub serve: Vec<(String, String)>,
    /// A second origin serving the widget's files (`--files`) under /widget/ (and
    /// /store/, wasm as application/octet-stream) with CORS, for the CRM-like page
    /// /Cust12345/default.aspx and its CRMScript-like side panel.
    #[arg(long, value_name = "PORT", requires = "files")]
    pub files_port: Option<u16>,
    /// The folder the files origin serves.
    #[arg(long, value_name = "DIR", requires = "files_port")]
    pub files: Option<String>,
    #[command(flatten)]
    pub switches: Switches,
}

/// What the tests can switch, at start (flags) or at run time (admin keys).
#[derive(Args, Clone, Debug, Serialize)]
pub struct Switches {
    /// Chat agents in the tenant (at most 10,000).
    #[arg(long, default_value_t = 25, value_parser = agent_count)]
    pub agents: usize,
    /// Delay of every Web API answer, in ms (at most 120,000).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(..=120_000))]
    pub latency_ms: u64,
    /// Share of Web API requests that fail with 500, from 0 to 1.
    #[arg(long, default_value_t = 0.0, value_parser = rate)]
    pub failure_rate: f64,
    /// Every Web API request is refused with 401, as after the session ended.
    #[arg(long, default_value_t = false, action = ArgAction::Set, num_args = 0..=1,
          default_missing_value = "true")]
    pub logged_out: bool,
    /// Chat sessions waiting in the queue at start (at most 1,000); customers then
    /// arrive and are picked up as the tenant drifts. Naming it at run time starts
    /// the queue again with this many.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(..=1000))]
    pub queue: u64,
    /// `ChatSession` answers 403, as for a user who may not read the archive
    /// (`ChatSession/ForCurrentUser` still answers).
    #[arg(long, default_value_t = false, action = ArgAction::Set, num_args = 0..=1,
          default_missing_value = "true")]
    pub sessions_forbidden: bool,
    /// A tenant without time zones: datetimes stay naive in its base zone (an hour
    /// east of UTC) whatever `SO-TimeZone` asks.
    #[arg(long, default_value_t = false, action = ArgAction::Set, num_args = 0..=1,
          default_missing_value = "true")]
    pub no_time_zones: bool,
    /// What `GetAll` answers instead of its rows.
    #[arg(long, value_enum, default_value_t = Malformed::None)]
    pub malformed: Malformed,
    /// Seconds between presence drift steps; 0 freezes presence.
    #[arg(long, default_value_t = 8)]
    pub drift_seconds: u64,
    /// Topics whose `IsOpen` is false (comma-separated ids).
    #[arg(long, value_name = "IDS", default_value_t = Ids(vec![CLOSED_TOPIC]), value_parser = ids)]
    pub closed_topics: Ids,
    /// Topics whose `ChatTopic/{id}` and `IsOpen` answer 500 with SuperOffice's error
    /// body (comma-separated ids).
    #[arg(long, value_name = "IDS", default_value_t = Ids::default(), value_parser = ids)]
    pub broken_topics: Ids,
    /// Topics (known or not) whose `ChatTopic/{id}` carries an `Extra` object 50,000
    /// levels deep; `broken_topics` wins over it.
    #[arg(long, value_name = "IDS", default_value_t = Ids::default(), value_parser = ids)]
    pub deep_topics: Ids,
    /// Every Web API route answers 302 to `/signin-proxy?return=<path>`, as a
    /// sign-in proxy in front of the CRM does once its own session has ended.
    #[arg(long, default_value_t = false, action = ArgAction::Set, num_args = 0..=1,
          default_missing_value = "true")]
    pub redirect: bool,
    /// Extra delay of the two topic routes only, in ms, so that cards arrive before
    /// topic names.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(..=120_000))]
    pub topic_latency_ms: u64,
    /// `Cache-Control` sent with every `GetAll` answer, e.g. `private, max-age=300`
    /// (empty: none), to prove that the widget never reads from the HTTP cache.
    #[arg(long, value_name = "VALUE", default_value = "")]
    pub cache_control: String,
    /// `GetAll` answers 429 with this `Retry-After`, seconds or an HTTP date (empty:
    /// answers normally).
    #[arg(long, value_name = "VALUE", default_value = "")]
    pub retry_after: String,
    /// Where the CRMScript-like panel page loads the widget from (default: the files
    /// origin's /widget/).
    #[arg(long, value_name = "URL", default_value = "")]
    pub widget_base: String,
    /// The sign-in service's flow: `implicit` (SuperOffice's documented one for
    /// single-page apps: its token endpoint wants a secret) or `pkce` (the discovery
    /// document lists `none`, and the token endpoint takes a PKCE verifier).
    #[arg(long, value_enum, default_value_t = SignInFlow::Implicit)]
    pub signin_flow: SignInFlow,
    /// The sign-in pages isolate themselves, as more and more identity providers
    /// do (`Cross-Origin-Opener-Policy: same-origin`): the pop-up loses its opener,
    /// and looks closed to the page that opened it.
    #[arg(long, default_value_t = false, action = ArgAction::Set, num_args = 0..=1,
          default_missing_value = "true")]
    pub signin_isolated: bool,
    /// Tokens as long as real ones can be: an access token of 6,000 characters and an
    /// ID token of about 9,000.
    #[arg(long, default_value_t = false, action = ArgAction::Set, num_args = 0..=1,
          default_missing_value = "true")]
    pub long_tokens: bool,
    /// The app's client id at the sign-in service.
    #[arg(long, value_name = "ID", default_value = "dev-widget")]
    pub client_id: String,
    /// Origins whose pages may sign in (their redirect URL) and call the Web API
    /// with a Bearer token (CORS), comma-separated.
    #[arg(long, value_name = "ORIGINS", default_value = "", value_parser = origins)]
    pub signin_origins: Origins,
    /// Lifetime of the access and ID tokens, in seconds.
    #[arg(long, default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub token_seconds: u64,
    /// An ID token that must be refused: `nonce`, `issuer`, `audience`, `signature`
    /// (signed by a key not in the key set), `expired`, `foreign-webapi` (a
    /// `webapi_url` on another origin), `at-hash` (another access token's),
    /// `no-at-hash` (none: refused in the implicit flow only, where an access token
    /// comes with it), `audiences` (this app among others, no `azp`);
    /// `none` for good ones.
    #[arg(long, value_enum, default_value_t = BadToken::None)]
    pub bad_token: BadToken,
    /// Every Bearer request to the Web API answers 421 Misdirected Request, as after
    /// the tenant moved.
    #[arg(long, default_value_t = false, action = ArgAction::Set, num_args = 0..=1,
          default_missing_value = "true")]
    pub misdirected: bool,
    /// The signed-in user's `EjUserId`, as `User/currentPrincipal` answers it (the
    /// first seeded agent by default; an id no agent has for a user who is not a chat
    /// agent; 0: the route answers 500). Drift never changes this agent's presence:
    /// only the user does.
    #[arg(long, value_name = "ID", default_value_t = 101)]
    pub principal: i32,
    /// What `Presence/SaveAll` answers: `ok` (204, and the presence changes),
    /// `forbidden` (403), `not-found` (404) or `error` (500).
    #[arg(long, value_enum, default_value_t = SaveAll::Ok)]
    pub save_all: SaveAll,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SaveAll {
    Ok,
    Forbidden,
    NotFound,
    Error,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignInFlow {
    Implicit,
    Pkce,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BadToken {
    None,
    Nonce,
    Issuer,
    Audience,
    Signature,
    Expired,
    ForeignWebapi,
    /// An `at_hash` that is not the access token's.
    AtHash,
    /// No `at_hash` at all (required beside an access token in the implicit flow).
    NoAtHash,
    /// Several audiences (this app among them) and no `azp`.
    Audiences,
}

/// Origins, written comma-separated (`http://127.0.0.1:8082`; empty: none).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Origins(pub Vec<String>);

impl Origins {
    pub fn allows(&self, origin: &str) -> bool {
        self.0.iter().any(|o| o == origin)
    }
}

impl std::fmt::Display for Origins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(","))
    }
}

fn origins(text: &str) -> Result<Origins, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match url::Url::parse(s) {
            Ok(url) if url.origin().ascii_serialization() == s => Ok(s.to_owned()),
            _ => Err(format!("{s:?} is not an origin (scheme://host:port)")),
        })
        .collect::<Result<_, _>>()
        .map(Origins)
}

/// Topic ids, written comma-separated (`11,12`; empty: none).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Ids(pub Vec<i32>);

impl Ids {
    pub fn contains(&self, id: &i32) -> bool {
        self.0.contains(id)
    }
}

impl std::fmt::Display for Ids {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<String> = self.0.iter().map(i32::to_string).collect();
        f.write_str(&ids.join(","))
    }
}

fn ids(text: &str) -> Result<Ids, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| format!("{s:?} is not a topic id")))
        .collect::<Result<_, _>>()
        .map(Ids)
}

fn agent_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n <= MAX_AGENTS => Ok(n),
        _ => Err(format!("a number from 0 to {MAX_AGENTS}")),
    }
}

fn rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err("a number from 0 to 1".to_owned()),
    }
}

fn serve_spec(spec: &str) -> Result<(String, String), String> {
    let (prefix, dir) = spec
        .split_once('=')
        .ok_or(format!("{spec}: expected /PREFIX=DIR"))?;
    Ok((prefix.trim_end_matches('/').to_owned(), dir.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("devserver").chain(args.iter().copied()))
    }

    #[test]
    fn flags_parse() {
        let cli = parse(&[
            "--deep-topics",
            "11, 12",
            "--broken-topics",
            "13",
            "--closed-topics",
            "",
            "--redirect",
            "--malformed",
            "deep-row",
            "--serve",
            "/widget/=dist",
        ])
        .expect("flags");
        let s = &cli.switches;
        assert_eq!(s.deep_topics, Ids(vec![11, 12]));
        assert_eq!(s.broken_topics, Ids(vec![13]));
        assert_eq!(s.closed_topics, Ids::default());
        assert!(s.redirect && !s.logged_out);
        assert_eq!(s.malformed, Malformed::DeepRow);
        assert_eq!(cli.serve, [("/widget".to_owned(), "dist".to_owned())]);
        let defaults = parse(&[]).expect("defaults");
        assert_eq!(defaults.switches.closed_topics, Ids(vec![CLOSED_TOPIC]));
        assert_eq!((defaults.port, defaults.switches.agents), (8081, 25));
    }

    #[test]
    fn bad_flags_are_refused_with_their_reason() {
        for args in [
            &["--agents", "10001"][..],
            &["--failure-rate", "2"],
            &["--latency-ms", "-1"],
            &["--malformed", "sideways"],
            &["--closed-topics", "11,x"],
            &["--files-port", "0"],
            &["--no-such-flag"],
        ] {
            assert!(parse(args).is_err(), "{args:?}");
        }
        let message = parse(&["--agents", "10001"]).unwrap_err().to_string();
        assert!(message.contains("0 to 10000"), "{message}");
    }
}
