//! What the redirect page hands back: the parameters of its URL's fragment
//! (implicit flow) or query (code flow), checked against the pending request.

use super::request::Pending;
use super::SignInError;

/// Longest parameter value read (an ID token is a few KB).
pub const MAX_VALUE_CHARS: usize = 16 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Implicit flow: the tokens themselves.
    Tokens {
        id_token: String,
        access_token: String,
        /// Seconds, when the provider says.
        expires_in: Option<u32>,
    },
    /// Code flow: a code to exchange at the token endpoint.
    Code(String),
}

/// Reads `params` (the redirect URL's fragment or query, without `#` or `?`) for
/// `pending`: the provider's refusal, an answer to another request, or the answer.
pub fn read(params: &str, pending: &Pending) -> Result<Answer, SignInError> {
    let mut state = None;
    let (mut id_token, mut access_token, mut expires_in, mut code, mut error) =
        (None, None, None, None, None);
    for (key, value) in form_urlencoded::parse(params.as_bytes()) {
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(SignInError::Malformed);
        }
        let slot = match key.as_ref() {
            "state" => &mut state,
            "id_token" => &mut id_token,
            "access_token" => &mut access_token,
            "expires_in" => &mut expires_in,
            "code" => &mut code,
            "error" => &mut error,
            _ => continue,
        };
        // A parameter given twice is not an answer this widget can trust.
        if slot.replace(value.into_owned()).is_some() {
            return Err(SignInError::Malformed);
        }
    }
    if state.as_deref() != Some(pending.state.as_str()) {
        return Err(SignInError::StateMismatch);
    }
    if let Some(error) = error {
        return Err(SignInError::Refused {
            error: error.chars().take(100).collect(),
        });
    }
    match (id_token, access_token, code) {
        (Some(id_token), Some(access_token), None) if pending.verifier.is_none() => {
            Ok(Answer::Tokens {
                id_token,
                access_token,
                expires_in: expires_in.and_then(|s| s.parse().ok()),
            })
        }
        (None, None, Some(code)) if pending.verifier.is_some() => Ok(Answer::Code(code)),
        _ => Err(SignInError::Malformed),
    }
}
