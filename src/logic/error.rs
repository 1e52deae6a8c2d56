//! What can go wrong when the widget asks the Web API, classified for the user.

use crate::logic::model::DecodeError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 401: the CRM session ended, or the XSRF token is missing or stale.
    SignedOut,
    /// A redirect (never followed, so the token stays home): usually a sign-in proxy
    /// in front of the CRM, meaning the session is gone.
    Redirected,
    /// 403: signed in, but not allowed to see chat presence.
    Forbidden,
    /// 404: the API base is wrong (or the entity does not exist).
    NotFound,
    /// Any other non-success status, with the server's own message if it sent one.
    Server {
        status: u16,
        message: Option<String>,
    },
    /// The request never got an answer (DNS, CORS, connection reset).
    Network,
    /// The browser says it has no network (`navigator.onLine`).
    Offline,
    /// No answer within the time-out.
    Timeout,
    /// 429, or 503 with `Retry-After`: the server asked for a pause of `wait_ms`
    /// (from `Retry-After`, at most an hour), if it said how long.
    Busy { status: u16, wait_ms: Option<u32> },
    /// A success status whose body is not JSON (a proxy's HTML page, a truncated body).
    NotJson,
    /// JSON, but not what the endpoint promises.
    Unexpected(DecodeError),
}

impl ApiError {
    /// Classifies a non-success HTTP status, with the server's own words if its body
    /// had any ([`crate::logic::wire::presence::ServerWords`]).
    pub fn from_status(status: u16, message: Option<String>) -> ApiError {
        match status {
            401 => ApiError::SignedOut,
            403 => ApiError::Forbidden,
            404 => ApiError::NotFound,
            429 => ApiError::Busy {
                status,
                wait_ms: None,
            },
            _ => ApiError::Server { status, message },
        }
    }

    /// Whether trying again later may help without the user doing anything. A body
    /// that is not what the endpoint promises is usually a passing server fault.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Server { .. }
                | ApiError::Network
                | ApiError::Offline
                | ApiError::Timeout
                | ApiError::Busy { .. }
                | ApiError::NotJson
                | ApiError::Unexpected(_)
        )
    }

    /// One of each kind of failure (with and without the server's words), for tests.
    #[cfg(test)]
    pub(crate) fn examples() -> Vec<ApiError> {
        vec![
            ApiError::SignedOut,
            ApiError::Redirected,
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::Server {
                status: 503,
                message: Some("Down for maintenance".into()),
            },
            ApiError::Server {
                status: 500,
                message: None,
            },
            ApiError::Network,
            ApiError::Timeout,
            ApiError::NotJson,
            ApiError::Unexpected(DecodeError::NotAList {
                kind: "an object",
                message: Some("Use the Agents endpoint\nnow".into()),
            }),
            ApiError::Unexpected(DecodeError::NotAList {
                kind: "null",
                message: None,
            }),
            ApiError::Busy {
                status: 429,
                wait_ms: None,
            },
            ApiError::Offline,
        ]
    }

    /// What the answer means for polling.
    pub fn outcome(&self) -> crate::logic::policy::Outcome {
        use crate::logic::policy::Outcome;
        match self {
            ApiError::SignedOut | ApiError::Redirected => Outcome::SignedOut,
            ApiError::Forbidden | ApiError::NotFound => Outcome::Refused,
            _ => Outcome::Transient,
        }
    }

    /// When the server said to try again at the earliest, for an answer at `now`.
    pub fn not_before(&self, now: f64) -> Option<f64> {
        match self {
            ApiError::Busy {
                wait_ms: Some(ms), ..
            } => Some(now + f64::from(*ms)),
            _ => None,
        }
    }

    /// Whether the session is gone: data shown after that would pass for current.
    pub fn ends_session(&self) -> bool {
        matches!(self, ApiError::SignedOut | ApiError::Redirected)
    }

    /// A flat form (code, status, detail) for sharing between tabs.
    pub fn to_parts(&self) -> (&'static str, u16, Option<String>) {
        match self {
            ApiError::SignedOut => ("signed-out", 401, None),
            ApiError::Redirected => ("redirected", 0, None),
            ApiError::Forbidden => ("forbidden", 403, None),
            ApiError::NotFound => ("not-found", 404, None),
            ApiError::Server { status, message } => ("server", *status, message.clone()),
            ApiError::Network => ("network", 0, None),
            ApiError::Offline => ("offline", 0, None),
            ApiError::Timeout => ("timeout", 0, None),
            // The wait travels as the leader's next attempt, not with the error.
            ApiError::Busy { status, .. } => ("busy", *status, None),
            ApiError::NotJson => ("not-json", 0, None),
            ApiError::Unexpected(DecodeError::NotAList { kind, message }) => (
                "unexpected",
                0,
                Some(format!("{kind}\n{}", message.as_deref().unwrap_or(""))),
            ),
        }
    }

    /// The inverse of [`ApiError::to_parts`]; unknown codes read as a network failure.
    pub fn from_parts(code: &str, status: u16, detail: Option<String>) -> ApiError {
        match code {
            "signed-out" => ApiError::SignedOut,
            "redirected" => ApiError::Redirected,
            "forbidden" => ApiError::Forbidden,
            "not-found" => ApiError::NotFound,
            "server" => ApiError::Server {
                status,
                message: detail,
            },
            "timeout" => ApiError::Timeout,
            "offline" => ApiError::Offline,
            "busy" => ApiError::Busy {
                status,
                wait_ms: None,
            },
            "not-json" => ApiError::NotJson,
            "unexpected" => {
                let detail = detail.unwrap_or_default();
                let (kind, message) = detail.split_once('\n').unwrap_or((&detail, ""));
                let kind = [
                    "null",
                    "a boolean",
                    "a number",
                    "a string",
                    "an array",
                    "an object",
                ]
                .into_iter()
                .find(|known| *known == kind)
                .unwrap_or("an object");
                ApiError::Unexpected(DecodeError::NotAList {
                    kind,
                    message: (!message.is_empty()).then(|| message.to_owned()),
                })
            }
            _ => ApiError::Network,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classified() {
        assert_eq!(ApiError::from_status(401, None), ApiError::SignedOut);
        assert_eq!(ApiError::from_status(403, None), ApiError::Forbidden);
        assert_eq!(ApiError::from_status(404, None), ApiError::NotFound);
        assert_eq!(
            ApiError::from_status(503, Some("Down for maintenance".into())),
            ApiError::Server {
                status: 503,
                message: Some("Down for maintenance".into())
            }
        );
        assert!(ApiError::Timeout.is_transient());
        assert!(!ApiError::SignedOut.is_transient());
        assert!(!ApiError::Redirected.is_transient());
        assert!(ApiError::Redirected.ends_session());
        use crate::logic::policy::Outcome;
        assert_eq!(ApiError::Redirected.outcome(), Outcome::SignedOut);
        assert_eq!(ApiError::NotFound.outcome(), Outcome::Refused);
        assert_eq!(ApiError::NotJson.outcome(), Outcome::Transient);
    }

    #[test]
    fn errors_survive_the_trip_between_tabs() {
        for error in ApiError::examples() {
            let (code, status, detail) = error.to_parts();
            assert_eq!(ApiError::from_parts(code, status, detail), error);
        }
        assert_eq!(ApiError::from_parts("???", 0, None), ApiError::Network);
    }
}
