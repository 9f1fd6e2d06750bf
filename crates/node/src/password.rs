//! The password policy (issue 16 item 1), applied wherever a password is set — `lajna user add`
//! and `passwd`, the web's activation and reset links, the profile page — by
//! [`check_password`]: at least [`MIN_PASSWORD_CHARS`] characters, and not a common password.
//!
//! The common passwords ship with the binary (`common-passwords.txt`, one a line, lower case):
//! the 10,000 most frequent of the list the zxcvbn password-strength estimator publishes
//! (MIT licence, Dropbox; zxcvbn 4.5.0's `frequency_lists.py`, derived from public leaks),
//! followed by a few words a French- or Arabic-speaking defence committee would reach for
//! (`motdepasse`, `azerty`, `bamako`, `lajna`, …). Since most of those words are shorter than
//! twelve characters, a password is also refused when it is a listed word padded with digits
//! and symbols (`football2024!!`), when it has fewer than five different characters
//! (`121212121212`) or when it holds the username.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::NodeError;
use crate::auth::AuthError;

// The shortest accepted password, characters: one constant, in `lajna_door` (the refusal names it).
pub use lajna_door::auth::MIN_PASSWORD_CHARS;

/// Fewest different characters of an accepted password.
const MIN_DISTINCT_CHARS: usize = 5;

fn common() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| include_str!("common-passwords.txt").lines().filter(|l| !l.is_empty()).collect())
}

/// Whether `password` is a common one: listed, a listed word with digits or symbols around it,
/// or made of too few different characters.
#[must_use]
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let core = lower.trim_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace());
    let distinct: HashSet<char> = lower.chars().collect();
    common().contains(lower.as_str())
        || core.is_empty()
        || common().contains(core)
        || distinct.len() < MIN_DISTINCT_CHARS
}

/// Checks a new password of `username` against the policy.
///
/// # Errors
/// [`AuthError::WeakPassword`] when shorter than [`MIN_PASSWORD_CHARS`];
/// [`AuthError::CommonPassword`] when common (see [`is_common`]) or holding the username.
pub fn check_password(username: &str, password: &str) -> Result<(), NodeError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(NodeError::Auth(AuthError::WeakPassword));
    }
    let holds_name = username.len() >= 3 && password.to_lowercase().contains(&username.to_lowercase());
    if holds_name || is_common(password) {
        return Err(NodeError::Auth(AuthError::CommonPassword));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(password: &str) -> bool {
        check_password("mli-secretary", password).is_err()
    }

    #[test]
    fn short_common_padded_repetitive_and_named_passwords_are_refused() {
        assert!(refused("short-1A!"), "11 characters");
        assert!(refused("qwertyuiop12"), "a keyboard row padded with digits");
        assert!(refused("password1234"), "a listed word padded with digits");
        assert!(refused("Football2024!!"), "case and symbols do not hide it");
        assert!(refused("123456789012"), "digits only");
        assert!(refused("121212121212"), "two characters");
        assert!(refused("azerty123456"), "a French keyboard row");
        assert!(refused("MLI-secretary-2025"), "holds the username");
        assert!(refused("motdepasse2025"));
    }

    #[test]
    fn long_uncommon_passwords_are_accepted() {
        for p in ["tabouret-vert-Niger-7", "correct horse battery", "٣ جمل في الصحراء", "9f2c4a7e1b3d"] {
            assert!(!refused(p), "{p}");
        }
        assert!(common().len() > 10_000);
    }

    #[test]
    fn the_error_names_which_rule_refused() {
        assert_eq!(
            check_password("u", "abc").unwrap_err().to_string(),
            NodeError::Auth(AuthError::WeakPassword).to_string()
        );
        assert!(matches!(check_password("u", "password1234"), Err(NodeError::Auth(AuthError::CommonPassword))));
    }
}
