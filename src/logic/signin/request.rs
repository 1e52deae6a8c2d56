//! The authorize request: `state` and `nonce` (and the PKCE verifier) from the
//! browser's random bytes, and the URL the pop-up opens.

use super::provider::{Flow, Provider};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Random bytes per secret: 32 (256 bits) each.
pub const SECRET_BYTES: usize = 32;

/// What one sign-in keeps in memory until its answer comes back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// Echoed by the provider: the answer is for this request.
    pub state: String,
    /// Carried in the ID token: the token was issued for this request.
    pub nonce: String,
    /// PKCE's secret half ([`Flow::CodePkce`]); its SHA-256 goes in the request.
    pub verifier: Option<String>,
    pub redirect_uri: String,
}

/// base64url without padding, as OAuth writes random values and hashes.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Pending {
    /// A request's secrets from `random` (3 × [`SECRET_BYTES`] from
    /// `crypto.getRandomValues`).
    pub fn new(random: &[u8; 3 * SECRET_BYTES], flow: Flow, redirect_uri: &str) -> Pending {
        let (state, rest) = random.split_at(SECRET_BYTES);
        let (nonce, verifier) = rest.split_at(SECRET_BYTES);
        Pending {
            state: base64url(state),
            nonce: base64url(nonce),
            verifier: (flow == Flow::CodePkce).then(|| base64url(verifier)),
            redirect_uri: redirect_uri.to_owned(),
        }
    }

    /// The URL the pop-up opens. `challenge` is the SHA-256 of the verifier (S256),
    /// for the code flow.
    pub fn authorize_url(
        &self,
        provider: &Provider,
        client_id: &str,
        challenge: Option<&[u8]>,
    ) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", "openid")
            .append_pair("state", &self.state)
            .append_pair("nonce", &self.nonce);
        match (provider.flow, challenge) {
            (Flow::CodePkce, Some(challenge)) => {
                query
                    .append_pair("response_type", "code")
                    .append_pair("code_challenge", &base64url(challenge))
                    .append_pair("code_challenge_method", "S256");
            }
            _ => {
                query
                    .append_pair("response_type", "id_token token")
                    .append_pair("response_mode", "fragment");
            }
        }
        let join = if provider.authorize.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{join}{}", provider.authorize, query.finish())
    }

    /// The token request's body (code flow): form-encoded, no secret.
    pub fn token_request(&self, client_id: &str, code: &str) -> Option<String> {
        let verifier = self.verifier.as_deref()?;
        Some(
            form_urlencoded::Serializer::new(String::new())
                .append_pair("grant_type", "authorization_code")
                .append_pair("client_id", client_id)
                .append_pair("code", code)
                .append_pair("redirect_uri", &self.redirect_uri)
                .append_pair("code_verifier", verifier)
                .finish(),
        )
    }
}
