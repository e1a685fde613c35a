//! argon2id password hashes (PHC strings, salted per password).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::ApiError;

/// Hashing is CPU-bound for tens of milliseconds, so it runs off the async workers.
pub async fn hash(password: &str) -> Result<String, ApiError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        ApiError::internal()
    })?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        ApiError::internal()
    })
}

pub async fn verify(password: &str, phc: &str) -> bool {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&phc)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A valid hash of a random password, verified against when the email is unknown so that
/// "no such user" and "wrong password" take the same time.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"omnify-dummy-password-for-timing", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_the_right_password() {
        let h = hash("correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h).await);
        assert!(!verify("wrong horse battery", &h).await);
        assert!(!verify("anything", "not-a-phc-string").await);
    }

    #[tokio::test]
    async fn same_password_gets_different_salts() {
        assert_ne!(hash("password123").await.unwrap(), hash("password123").await.unwrap());
    }
}
