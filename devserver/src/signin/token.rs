//! The sign-in service's tokens: RS256 ID tokens with SuperOffice's claims, signed
//! with the development key (`keys/signing.pem`) and published in its key set, and
//! opaque access tokens the Web API accepts until they expire.

use super::{now, MAX_GRANTS};
use crate::cli::BadToken;
use crate::state::Tenant;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::OnceLock;

/// The key id the key set publishes.
const KID: &str = "dev-1";

pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub struct Keys {
    signing: RsaPrivateKey,
    impostor: RsaPrivateKey,
}

impl Keys {
    /// The development keys, read once.
    pub fn get() -> &'static Keys {
        static KEYS: OnceLock<Keys> = OnceLock::new();
        KEYS.get_or_init(|| Keys {
            signing: RsaPrivateKey::from_pkcs8_pem(include_str!("../../keys/signing.pem"))
                .expect("keys/signing.pem is a PKCS#8 RSA key"),
            impostor: RsaPrivateKey::from_pkcs8_pem(include_str!("../../keys/impostor.pem"))
                .expect("keys/impostor.pem is a PKCS#8 RSA key"),
        })
    }

    /// The key set: the signing key's public half only.
    pub fn jwks(&self) -> Value {
        let public = self.signing.to_public_key();
        json!({ "keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
            "n": base64url(&public.n().to_bytes_be()),
            "e": base64url(&public.e().to_bytes_be()),
        }]})
    }

    /// A compact JWS of `claims`, signed by `key`.
    fn sign(key: &RsaPrivateKey, claims: &Value) -> String {
        let header = json!({ "alg": "RS256", "typ": "JWT", "kid": KID });
        let signed = format!(
            "{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes())
        );
        let signature = SigningKey::<Sha256>::new(key.clone()).sign(signed.as_bytes());
        format!("{signed}.{}", base64url(&signature.to_bytes()))
    }
}

pub struct Issued {
    pub id_token: String,
    pub access_token: String,
    pub expires_in: u64,
}

/// Tokens for `client_id`'s request with `nonce`, on the tenant at `origin`, as the
/// `bad_token` switch has them.
pub fn issue(t: &mut Tenant, origin: &str, client_id: &str, nonce: &str) -> Issued {
    let lifetime = t.switches.token_seconds;
    let now = now();
    let bad = t.switches.bad_token;
    let pick = |wrong: BadToken, good: &str, other: &str| -> String {
        if bad == wrong { other } else { good }.to_owned()
    };
    let exp = if bad == BadToken::Expired {
        now - 600
    } else {
        now + lifetime
    };
    let webapi = pick(
        BadToken::ForeignWebapi,
        &format!("{origin}/Cust12345/api/"),
        "https://evil.example/Cust12345/api/",
    );
    // Real access tokens are JWTs of a few kilobytes: `long_tokens` makes both
    // tokens longer than the widget's limit for ordinary strings (4,096).
    let access_token = match t.switches.long_tokens {
        true => format!("{}.{}", t.new_secret(), "a".repeat(6_000)),
        false => t.new_secret(),
    };
    let digest = <sha2::Sha256 as sha2::Digest>::digest(access_token.as_bytes());
    let at_hash = match bad {
        BadToken::AtHash => base64url(b"another token's hash"),
        _ => base64url(&digest[..16]),
    };
    let claims = json!({
        "at_hash": at_hash,
        "iss": pick(BadToken::Issuer, origin, "https://impostor.example"),
        "aud": pick(BadToken::Audience, client_id, "another-app"),
        "sub": "dev-user-5",
        "exp": exp,
        "iat": now,
        "nonce": pick(BadToken::Nonce, nonce, "replayed-nonce"),
        "http://schemes.superoffice.net/identity/webapi_url": webapi,
        "http://schemes.superoffice.net/identity/associateid": "5",
        "http://schemes.superoffice.net/identity/ctx": "Cust12345",
        "http://schemes.superoffice.net/identity/netserver_url": format!("{origin}/Cust12345/Remote/Services88/"),
    });
    let mut claims = claims;
    match bad {
        BadToken::NoAtHash => {
            if let Some(claims) = claims.as_object_mut() {
                claims.remove("at_hash");
            }
        }
        BadToken::Audiences => claims["aud"] = json!([client_id, "another-app"]),
        _ => {}
    }
    if t.switches.long_tokens {
        claims["dev_padding"] = json!("p".repeat(5_000));
    }
    let keys = Keys::get();
    let key = if bad == BadToken::Signature {
        &keys.impostor
    } else {
        &keys.signing
    };
    let id_token = Keys::sign(key, &claims);
    let grants = &mut t.grants;
    grants.tokens.retain(|_, exp| *exp > now);
    if grants.tokens.len() >= MAX_GRANTS {
        grants.tokens.clear();
    }
    grants.tokens.insert(access_token.clone(), now + lifetime);
    t.stats.signed_in += 1;
    Issued {
        id_token,
        access_token,
        expires_in: lifetime,
    }
}
