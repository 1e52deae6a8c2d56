//! What SuperOffice's sign-in service sends (OpenID Connect): the discovery
//! document, the key set (JWKS), and an ID token's header and claims (base64url
//! JSON). Read as everything from outside is: declared members only, bounded,
//! a member of the wrong kind counting as missing. The rules that judge them are
//! in [`crate::logic::signin`].

use super::{List, Member, Struct};
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess};
use serde::Deserialize;
use std::fmt;

/// Longest URL, issuer or claim kept; longer ones are not what a provider sends.
pub const MAX_URL_CHARS: usize = 2_000;
/// Most entries read from a list of the discovery document.
const MAX_METHODS: usize = 32;
/// Most keys read from a key set.
pub const MAX_KEYS: usize = 32;
/// Longest RSA modulus kept (base64url of a 4096-bit key is 683 characters).
const MAX_KEY_CHARS: usize = 1_400;

/// `{authority}/.well-known/openid-configuration`, as far as the widget reads it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Discovery {
    pub issuer: Member,
    pub authorization_endpoint: Member,
    pub token_endpoint: Member,
    pub jwks_uri: Member,
    pub token_endpoint_auth_methods_supported: List<Member, MAX_METHODS, true>,
    pub response_types_supported: List<Member, MAX_METHODS, true>,
}

impl Struct for Discovery {
    const FIELDS: &'static [&'static str] = &[
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "jwks_uri",
        "token_endpoint_auth_methods_supported",
        "response_types_supported",
    ];
}

impl Discovery {
    /// Whether `list` names `value` (as text).
    pub fn lists(list: &List<Member, MAX_METHODS, true>, value: &str) -> bool {
        list.items.iter().any(|m| m.as_str() == Some(value))
    }
}

/// One key of a JWKS, as far as RS256 needs it.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Jwk {
    pub kty: Member,
    pub kid: Member,
    pub alg: Member,
    #[serde(rename = "use")]
    pub usage: Member,
    pub n: Member,
    pub e: Member,
}

impl Struct for Jwk {
    const FIELDS: &'static [&'static str] = &["kty", "kid", "alg", "use", "n", "e"];
}

/// An RSA public key for signatures, in the form WebCrypto imports (`n`, `e`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaKey {
    pub kid: Option<String>,
    pub n: String,
    pub e: String,
}

impl Jwk {
    /// The key, if it is an RSA key for signatures (RS256 or unspecified).
    pub fn rsa(&self) -> Option<RsaKey> {
        let signing = self.usage.as_str().is_none_or(|u| u == "sig");
        let rs256 = self.alg.as_str().is_none_or(|a| a == "RS256");
        (self.kty.as_str() == Some("RSA") && signing && rs256).then_some(())?;
        Some(RsaKey {
            kid: self.kid.short_str(200).map(str::to_owned),
            n: self.n.short_str(MAX_KEY_CHARS)?.to_owned(),
            e: self.e.short_str(16)?.to_owned(),
        })
    }
}

/// `jwks_uri`'s answer.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Jwks {
    pub keys: List<super::Object<Jwk>, MAX_KEYS, true>,
}

impl Struct for Jwks {
    const FIELDS: &'static [&'static str] = &["keys"];
}

/// An ID token's header.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenHeader {
    pub alg: Member,
    pub kid: Member,
    pub typ: Member,
}

impl Struct for TokenHeader {
    const FIELDS: &'static [&'static str] = &["alg", "kid", "typ"];
}

/// SuperOffice's claims are named by URL.
pub const WEBAPI_URL_CLAIM: &str = "http://schemes.superoffice.net/identity/webapi_url";
pub const ASSOCIATE_CLAIM: &str = "http://schemes.superoffice.net/identity/associateid";
pub const CONTEXT_CLAIM: &str = "http://schemes.superoffice.net/identity/ctx";

/// An ID token's claims, as far as the widget checks and uses them.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Claims {
    pub iss: Member,
    pub aud: Audience,
    pub exp: Member,
    pub iat: Member,
    pub nonce: Member,
    /// The access token's hash (left half of its SHA-256, base64url), which ties
    /// the ID token to the access token sent with it.
    pub at_hash: Member,
    /// The party the token was issued to, which must be this client when `aud`
    /// names several.
    pub azp: Member,
    #[serde(rename = "http://schemes.superoffice.net/identity/webapi_url")]
    pub webapi_url: Member,
    #[serde(rename = "http://schemes.superoffice.net/identity/associateid")]
    pub associate_id: Member,
    #[serde(rename = "http://schemes.superoffice.net/identity/ctx")]
    pub context: Member,
}

impl Struct for Claims {
    const FIELDS: &'static [&'static str] = &[
        "iss",
        "aud",
        "exp",
        "iat",
        "nonce",
        "at_hash",
        "azp",
        WEBAPI_URL_CLAIM,
        ASSOCIATE_CLAIM,
        CONTEXT_CLAIM,
    ];
}

/// `aud`: one audience as text, or a list of them (at most 8 read).
#[derive(Default, Debug, PartialEq)]
pub struct Audience(pub Vec<String>);

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AudienceVisitor)
    }
}

struct AudienceVisitor;

impl<'de> de::Visitor<'de> for AudienceVisitor {
    type Value = Audience;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an audience")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Audience, E> {
        // Too long is none at all: a cut audience could pass for another.
        let fits = value.chars().count() <= MAX_URL_CHARS;
        Ok(Audience(
            fits.then(|| value.to_owned()).into_iter().collect(),
        ))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Audience, A::Error> {
        let mut all = Vec::new();
        while let Some(item) = seq.next_element::<Member>()? {
            if all.len() == 8 {
                // The rest is passed over, not walked.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                break;
            }
            all.extend(item.short_str(MAX_URL_CHARS).map(str::to_owned));
        }
        Ok(Audience(all))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Audience, E> {
        Ok(Audience::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Audience, E> {
        Ok(Audience::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Audience, E> {
        Ok(Audience::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Audience, E> {
        Ok(Audience::default())
    }
    fn visit_unit<E>(self) -> Result<Audience, E> {
        Ok(Audience::default())
    }
    fn visit_none<E>(self) -> Result<Audience, E> {
        Ok(Audience::default())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Audience, A::Error> {
        // An object is no audience; its members are passed over, not read.
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Audience::default())
    }
}
