//! Credentials: password hashing, access and refresh tokens, session cookies.

pub mod cookies;
pub mod password;
pub mod sealing;
pub mod tokens;
