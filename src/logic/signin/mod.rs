//! Sign in with SuperOffice (OpenID Connect), the rules: where the sign-in service
//! is ([`authority`]), which flow it allows ([`provider`]), the authorize request
//! ([`request`]), what the redirect page hands back ([`callback`]), and what an ID
//! token must prove before any token is used ([`id_token`]). The browser only
//! supplies random bytes, SHA-256 and the RS256 signature check (WebCrypto);
//! every decision is made here and tested on the host.
//!
//! Facts and their sources: `shared/api/superoffice-sign-in.md`. Not wired into the
//! widget yet (issue 21): nothing here is reachable from a mount element.

pub mod authority;
pub mod callback;
pub mod id_token;
pub mod provider;
pub mod request;

/// Why a sign-in was refused; nothing is sent anywhere after any of these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInError {
    /// The discovery document is unusable (what is wrong with it).
    Discovery(&'static str),
    /// The answer is not for the request this widget made (`state`).
    StateMismatch,
    /// The ID token is not one this widget asked for (`nonce`).
    NonceMismatch,
    /// The ID token comes from another issuer than the discovery document's.
    WrongIssuer,
    /// The ID token is for another app (`aud` without this client id).
    WrongAudience,
    /// The ID token has expired (or never says when it does).
    Expired,
    /// The ID token is not signed RS256 by a key of the provider's key set (or the
    /// key set cannot be read: the signature is never skipped).
    BadSignature,
    /// The ID token is for another access token than the one sent with it (`at_hash`).
    WrongAccessToken,
    /// The ID token or the answer cannot be read.
    Malformed,
    /// The token's `webapi_url` is on an origin that may not receive the token.
    ForeignApi { origin: String },
    /// The sign-in service said no (`error`, e.g. `access_denied`).
    Refused { error: String },
}

// Host only: the browser's URL parser stands in as the `url` crate.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
