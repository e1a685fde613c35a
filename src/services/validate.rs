//! Input rules shared by the use cases; each failure names its field.

use crate::ApiError;

pub const MAX_EMAIL_LEN: usize = 254;
pub const MIN_PASSWORD_LEN: usize = 8;
/// argon2 accepts any length; the cap stops megabyte "passwords" from being hashed.
pub const MAX_PASSWORD_LEN: usize = 256;
pub const MAX_NAME_LEN: usize = 100;

/// Trims and lower-cases; emails identify logins case-insensitively.
pub fn email(raw: &str) -> Result<String, ApiError> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(ApiError::validation("email", "Email is required"));
    }
    if email.len() > MAX_EMAIL_LEN {
        return Err(ApiError::validation("email", format!("Email must be at most {MAX_EMAIL_LEN} characters")));
    }
    if !email_address::EmailAddress::is_valid(&email) || !email.contains('@') {
        return Err(ApiError::validation("email", "Invalid email format"));
    }
    Ok(email)
}

pub fn password(raw: &str) -> Result<(), ApiError> {
    let n = raw.chars().count();
    if n < MIN_PASSWORD_LEN {
        return Err(ApiError::validation("password", format!("Password must be at least {MIN_PASSWORD_LEN} characters")));
    }
    if n > MAX_PASSWORD_LEN {
        return Err(ApiError::validation("password", format!("Password must be at most {MAX_PASSWORD_LEN} characters")));
    }
    Ok(())
}

/// A required, trimmed display name.
pub fn name(field: &str, raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(ApiError::validation(field, "This field is required"));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(ApiError::validation(field, format!("Must be at most {MAX_NAME_LEN} characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::validation(field, "Must not contain control characters"));
    }
    Ok(name.to_string())
}

/// URL-safe slug from an organization name ("Acme & Co." → "acme-co").
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').chars().take(48).collect::<String>();
    if slug.is_empty() { "org".to_string() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email("  Ana@Example.COM ").unwrap(), "ana@example.com");
        assert_eq!(email("not-an-email").unwrap_err().field.as_deref(), Some("email"));
        assert!(email("").is_err());
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(email(&long).unwrap_err().message.contains("254"));
    }

    #[test]
    fn passwords_and_names() {
        assert!(password("short").is_err());
        assert!(password("long enough").is_ok());
        assert!(name("full_name", "   ").is_err());
        assert_eq!(name("full_name", "  Ana Lima ").unwrap(), "Ana Lima");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Acme & Co."), "acme-co");
        assert_eq!(slugify("  Été Café  "), "t-caf");
        assert_eq!(slugify("!!!"), "org");
    }
}

/// A calendar day written `YYYY-MM-DD`.
pub fn day(field: &str, raw: &str) -> Result<chrono::NaiveDate, ApiError> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| ApiError::validation(field, "Use a date like 2026-03-31"))
}

/// An optional day: blank is `None`, anything else must be a `YYYY-MM-DD` day (returned normalised).
pub fn optional_day(field: &str, raw: &str) -> Result<Option<String>, ApiError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    day(field, raw).map(|d| Some(d.format("%Y-%m-%d").to_string()))
}
