//! What a discovery document allows: the endpoints (each on the authority's own
//! origin, so that a document cannot send the user's sign-in elsewhere) and the flow.

use super::authority::secure;
use super::SignInError;
use crate::logic::config::urls::UrlParser;
use crate::logic::wire::signin::{Discovery, MAX_URL_CHARS};

/// How the widget gets its tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Authorization code with PKCE (S256), for a provider that lets a client
    /// without a secret use its token endpoint (`none` among its methods).
    CodePkce,
    /// `response_type=id_token token`: SuperOffice's documented flow for
    /// single-page apps (its token endpoint asks for a secret a page cannot keep).
    Implicit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// Every ID token's `iss` must be exactly this.
    pub issuer: String,
    pub authorize: String,
    /// The token endpoint ([`Flow::CodePkce`] only).
    pub token: Option<String>,
    /// The key set, when the document names one: signatures are checked against it.
    pub jwks: Option<String>,
    pub flow: Flow,
}

/// The provider `document` describes, for the authority at `authority_origin`.
pub fn provider(
    document: &Discovery,
    authority_origin: &str,
    urls: &dyn UrlParser,
) -> Result<Provider, SignInError> {
    let endpoint = |member: &crate::logic::wire::Member| -> Option<String> {
        let url = urls.parse(member.short_str(MAX_URL_CHARS)?, None)?;
        (secure(&url) && url.origin == authority_origin && !url.credentials)
            .then(|| member.as_str().map(str::to_owned))?
    };
    let issuer = document
        .issuer
        .short_str(MAX_URL_CHARS)
        .filter(|i| !i.is_empty())
        .ok_or(SignInError::Discovery("it names no issuer"))?
        .to_owned();
    let authorize = endpoint(&document.authorization_endpoint).ok_or(SignInError::Discovery(
        "its authorize endpoint is missing or not on the sign-in service's origin",
    ))?;
    let jwks = endpoint(&document.jwks_uri);
    let token = endpoint(&document.token_endpoint);
    let types = &document.response_types_supported;
    let lists = |value| Discovery::lists(types, value);
    let public_client = Discovery::lists(&document.token_endpoint_auth_methods_supported, "none");
    let flow = if public_client && token.is_some() && (types.items.is_empty() || lists("code")) {
        Flow::CodePkce
    } else if types.items.is_empty() || lists("id_token token") || lists("token id_token") {
        Flow::Implicit
    } else {
        return Err(SignInError::Discovery(
            "it allows neither the code flow without a secret nor id_token token",
        ));
    };
    Ok(Provider {
        issuer,
        authorize,
        token: token.filter(|_| flow == Flow::CodePkce),
        jwks,
        flow,
    })
}
