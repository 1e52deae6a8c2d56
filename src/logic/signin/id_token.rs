//! What an ID token must prove before any token is used: its three parts, an RS256
//! header naming a key of the provider's set, and claims from the provider's
//! issuer, for this app, for this request, not expired, naming an API the token
//! may go to. The signature itself is checked by the browser (WebCrypto) over
//! [`Parts::signed`] with the key [`key_for`] chooses.

use super::authority::api_base;
use super::request::Pending;
use super::SignInError;
use crate::logic::config::urls::UrlParser;
use crate::logic::wire::signin::{Claims, Jwks, RsaKey, TokenHeader, MAX_URL_CHARS};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Longest ID token read.
pub const MAX_TOKEN_CHARS: usize = 16 * 1024;
/// Clock difference allowed between the provider and this computer.
pub const LEEWAY_SECONDS: f64 = 60.0;

/// A compact JWS: `header.payload.signature`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts<'a> {
    /// `header.payload`, the bytes the signature is over.
    pub signed: &'a str,
    pub header: &'a str,
    pub payload: &'a str,
    pub signature: &'a str,
}

/// The parts of `token`, if it has exactly three non-empty base64url ones.
pub fn parts(token: &str) -> Option<Parts<'_>> {
    if token.len() > MAX_TOKEN_CHARS {
        return None;
    }
    let base64url = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let mut split = token.split('.');
    let (header, payload, signature) = (split.next()?, split.next()?, split.next()?);
    (split.next().is_none() && [header, payload, signature].into_iter().all(base64url)).then(|| {
        Parts {
            signed: &token[..header.len() + 1 + payload.len()],
            header,
            payload,
            signature,
        }
    })
}

/// A part's bytes (the header's and payload's are JSON text).
pub fn decode(part: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(part).ok()
}

/// The key that must have signed a token with `header`: RS256 only (never `none`,
/// never a symmetric algorithm), by `kid` when the header names one, else the
/// set's only key.
pub fn key_for(header: &TokenHeader, keys: &Jwks) -> Result<RsaKey, SignInError> {
    if header.alg.as_str() != Some("RS256") {
        return Err(SignInError::BadSignature);
    }
    let rsa: Vec<RsaKey> = keys.keys.items.iter().filter_map(|k| k.0.rsa()).collect();
    let chosen = match header.kid.as_str() {
        Some(kid) => rsa.into_iter().find(|k| k.kid.as_deref() == Some(kid)),
        None if rsa.len() == 1 => rsa.into_iter().next(),
        None => None,
    };
    chosen.ok_or(SignInError::BadSignature)
}

/// Whether `claims` belong with the access token whose SHA-256 is `digest`: their
/// `at_hash` is the left half of it, base64url (OpenID Connect Core 3.2.2.9). It is
/// `required` when the access token came with the ID token from the authorization
/// endpoint (`id_token token`, Core 3.2.2.10); from the token endpoint (the code
/// flow, Core 3.1.3.8) it may be left out.
pub fn check_at_hash(claims: &Claims, digest: &[u8], required: bool) -> Result<(), SignInError> {
    match claims.at_hash.as_str() {
        Some(at_hash) if at_hash == URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2]) => Ok(()),
        None if !required => Ok(()),
        _ => Err(SignInError::WrongAccessToken),
    }
}

/// Who signed in, and where their API is.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    /// The API base the token goes to (`webapi_url`, checked).
    pub api_base: String,
    pub associate_id: Option<i32>,
    /// The customer, e.g. `Cust26759`.
    pub context: Option<String>,
    /// When the ID token expires (seconds since the epoch).
    pub expires_at: f64,
}

/// What the claims are checked against.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub pending: &'a Pending,
    pub allowed_origins: &'a [String],
    /// Seconds since the epoch, on this computer's clock.
    pub now: f64,
}

/// The identity `claims` prove, or why they prove none.
pub fn check(
    claims: &Claims,
    expected: &Expected<'_>,
    urls: &dyn UrlParser,
) -> Result<Identity, SignInError> {
    if claims.iss.as_str() != Some(expected.issuer) {
        return Err(SignInError::WrongIssuer);
    }
    if !claims.aud.0.iter().any(|aud| aud == expected.client_id) {
        return Err(SignInError::WrongAudience);
    }
    // Several audiences: the party it was issued to must be this client (Core
    // 3.1.3.7, 6 and 7); an `azp` is always this client's.
    let azp = claims.azp.as_str();
    if azp.is_some_and(|azp| azp != expected.client_id) || (claims.aud.0.len() > 1 && azp.is_none())
    {
        return Err(SignInError::WrongAudience);
    }
    if claims.nonce.as_str() != Some(expected.pending.nonce.as_str()) {
        return Err(SignInError::NonceMismatch);
    }
    let expires_at = claims
        .exp
        .finite()
        .filter(|exp| *exp + LEEWAY_SECONDS > expected.now)
        .ok_or(SignInError::Expired)?;
    if claims
        .iat
        .finite()
        .is_some_and(|iat| iat > expected.now + LEEWAY_SECONDS)
    {
        return Err(SignInError::Expired);
    }
    let webapi_url = claims
        .webapi_url
        .short_str(MAX_URL_CHARS)
        .ok_or(SignInError::Malformed)?;
    Ok(Identity {
        api_base: api_base(webapi_url, expected.allowed_origins, urls)?,
        associate_id: claims.associate_id.as_id(),
        context: claims.context.short_str(64).map(str::to_owned),
        expires_at,
    })
}
