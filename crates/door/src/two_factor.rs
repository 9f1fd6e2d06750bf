//! Two-factor sign-in as the web sees it (issue 16 item 3): what enrolment shows, the outcome of
//! a password, a user's state. The codes and their checks are the node's
//! (`lajna_node::two_factor`, which re-exports these types at their old paths).

use crate::auth::NewSession;

/// What enrolment shows: the secret as text and as a QR code.
#[derive(Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The shared secret, base32 (to type into the app when the QR code cannot be scanned).
    pub secret: String,
    /// `otpauth://totp/Lajna:USER?secret=…&issuer=Lajna&…`: what the QR code holds.
    pub uri: String,
    /// The QR code of `uri`, an inline `<svg>` element (no XML declaration).
    pub qr_svg: String,
}

impl std::fmt::Debug for Enrolment {
    /// Never shows the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment { .. }")
    }
}

/// The outcome of a password checked by `Node::begin_sign_in`.
#[derive(Debug)]
pub enum SignInStep {
    /// Signed in (no second factor for this user).
    Done(NewSession),
    /// A second step is due, for `Node::finish_step`.
    Due {
        /// `code` (a TOTP or recovery code) or `enrol` (the role requires two-factor and the
        /// user has not enrolled).
        stage: &'static str,
        /// The half-done sign-in's token (give it to the browser, never store it).
        token: String,
        /// For `enrol`: what to show.
        enrol: Option<Enrolment>,
    },
}

/// A user's two-factor state as the profile shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TwoFactorStatus {
    /// Whether sign-in asks for a code.
    pub on: bool,
    /// Whether the user's role requires it (then it cannot be turned off).
    pub required: bool,
    /// Unused recovery codes.
    pub codes_left: i64,
}
