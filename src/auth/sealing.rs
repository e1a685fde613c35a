//! Sealing secrets at rest (platform credentials, webhook secrets) with AES-256-GCM. A sealed
//! value is base64(nonce ‖ ciphertext ‖ tag) with a fresh random 96-bit nonce each time.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 12;

/// The 256-bit key from the configured value (at least 32 characters of secret material).
pub fn derive_key(configured: &str) -> [u8; 32] {
    Sha256::digest(configured.as_bytes()).into()
}

pub fn seal(key: &[u8; 32], plaintext: &str) -> String {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let mut out = nonce.to_vec();
    out.extend(cipher.encrypt(&nonce, plaintext.as_bytes()).expect("AES-GCM encryption cannot fail for in-memory input"));
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// None when the value was sealed with another key or was tampered with.
pub fn open(key: &[u8; 32], sealed: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(sealed).ok()?;
    if bytes.len() <= NONCE_LEN {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    let plain = cipher.decrypt(Nonce::from_slice(nonce), ciphertext).ok()?;
    String::from_utf8(plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_never_repeat() {
        let key = derive_key("a-long-enough-configured-secret-value!");
        let a = seal(&key, "sk_live_123");
        let b = seal(&key, "sk_live_123");
        assert_ne!(a, b, "fresh nonce per seal");
        assert!(!a.contains("sk_live"));
        assert_eq!(open(&key, &a).as_deref(), Some("sk_live_123"));
        assert_eq!(open(&derive_key("another-key-another-key-another-key"), &a), None);
        let mut tampered = base64::engine::general_purpose::STANDARD.decode(&a).unwrap();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(open(&key, &base64::engine::general_purpose::STANDARD.encode(tampered)), None);
    }
}
