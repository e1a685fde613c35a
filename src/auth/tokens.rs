//! Short-lived HS256 access tokens (JWT) and opaque refresh/invitation tokens (stored hashed).

use base64::Engine;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::Role;
use crate::ApiError;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AccessClaims {
    pub sub: String,
    pub org: String,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
    /// Distinguishes access tokens from any other JWT signed with the same secret.
    pub typ: String,
}

const ACCESS_TYPE: &str = "access";

pub fn issue_access(secret: &str, user_id: &str, org_id: &str, role: Role, now: i64, ttl: i64) -> Result<String, ApiError> {
    let claims = AccessClaims {
        sub: user_id.to_string(),
        org: org_id.to_string(),
        role,
        iat: now,
        exp: now + ttl,
        typ: ACCESS_TYPE.to_string(),
    };
    encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(secret.as_bytes())).map_err(|e| {
        tracing::error!(error = %e, "signing access token failed");
        ApiError::internal()
    })
}

/// Accepts only HS256 tokens signed with `secret`, unexpired (no leeway), of the access type.
/// `alg: none`, other algorithms, tampered payloads and wrong secrets all fail here.
pub fn verify_access(secret: &str, token: &str) -> Result<AccessClaims, ApiError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let data = decode::<AccessClaims>(token, &DecodingKey::from_secret(secret.as_bytes()), &validation)
        .map_err(|_| ApiError::unauthenticated("Invalid or expired access token"))?;
    if data.claims.typ != ACCESS_TYPE {
        return Err(ApiError::unauthenticated("Invalid or expired access token"));
    }
    Ok(data.claims)
}

/// 256 random bits, URL-safe.
pub fn opaque_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored as SHA-256 digests so a database leak does not leak live sessions.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "test-secret-0123456789abcdef";

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    #[test]
    fn round_trip() {
        let t = issue_access(SECRET, "u1", "o1", Role::Admin, now(), 60).unwrap();
        let c = verify_access(SECRET, &t).unwrap();
        assert_eq!((c.sub.as_str(), c.org.as_str(), c.role), ("u1", "o1", Role::Admin));
    }

    #[test]
    fn rejects_expired_wrong_secret_tampered_and_alg_none() {
        let expired = issue_access(SECRET, "u1", "o1", Role::Owner, now() - 120, 60).unwrap();
        assert!(verify_access(SECRET, &expired).is_err());

        let good = issue_access(SECRET, "u1", "o1", Role::Viewer, now(), 60).unwrap();
        assert!(verify_access("another-secret", &good).is_err());

        // Swap the payload for one claiming the owner role, keeping the old signature.
        let parts: Vec<&str> = good.split('.').collect();
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = String::from_utf8(engine.decode(parts[1]).unwrap()).unwrap().replace("viewer", "owner");
        let tampered = format!("{}.{}.{}", parts[0], engine.encode(payload.as_bytes()), parts[2]);
        assert!(verify_access(SECRET, &tampered).is_err());

        let none_header = engine.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let unsigned = format!("{}.{}.", none_header, parts[1]);
        assert!(verify_access(SECRET, &unsigned).is_err());
    }

    #[test]
    fn opaque_tokens_are_unique_and_digests_stable() {
        let (a, b) = (opaque_token(), opaque_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), digest(&b));
    }
}
