//! What can go wrong when the widget asks the Web API, classified for the user.

use crate::json::Value;
use crate::model::{server_message, DecodeError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 401: the CRM session ended, or the XSRF token is missing or stale.
    SignedOut,
    /// 403: signed in, but not allowed to see chat presence.
    Forbidden,
    /// 404: the API base is wrong (or the entity does not exist).
    NotFound,
    /// Any other non-success status, with the server's own message if it sent one.
    Server {
        status: u16,
        message: Option<String>,
    },
    /// The request never got an answer (offline, DNS, CORS, connection reset).
    Network,
    /// No answer within the time-out.
    Timeout,
    /// A success status whose body is not JSON (a proxy's HTML page, a truncated body).
    NotJson,
    /// JSON, but not what the endpoint promises.
    Unexpected(DecodeError),
}

impl ApiError {
    /// Classifies a non-success HTTP status and its (possibly absent) JSON body.
    pub fn from_status(status: u16, body: Option<&Value>) -> ApiError {
        match status {
            401 => ApiError::SignedOut,
            403 => ApiError::Forbidden,
            404 => ApiError::NotFound,
            _ => ApiError::Server {
                status,
                message: body.and_then(server_message),
            },
        }
    }

    /// Whether trying again later may help without the user doing anything.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Server { .. } | ApiError::Network | ApiError::Timeout | ApiError::NotJson
        )
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
        let body: Value = serde_json::from_str(
            r#"{"Error":true,"ErrorType":"SoServerException","ErrorMessage":"Down for maintenance","ErrorSource":"x"}"#,
        )
        .expect("valid");
        assert_eq!(
            ApiError::from_status(503, Some(&body)),
            ApiError::Server {
                status: 503,
                message: Some("Down for maintenance".into())
            }
        );
        assert!(ApiError::Timeout.is_transient());
        assert!(!ApiError::SignedOut.is_transient());
    }
}
