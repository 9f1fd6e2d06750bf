//! User administration as the web sees it (issue 16 item 1): the list, a session, a change.
//! The rules are the node's (`lajna_node::admin`, which re-exports these types).

use lajna_domain::{Clearance, PartyCode};

use crate::auth::Role;

/// One user as the administrator's list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSummary {
    /// Login name.
    pub username: String,
    /// Party.
    pub party: PartyCode,
    /// Role.
    pub role: Role,
    /// Clearance.
    pub clearance: Clearance,
    /// Whether sign-in is refused.
    pub disabled: bool,
    /// Whether the user has not set a password yet (an unused activation link).
    pub pending: bool,
    /// Live sessions.
    pub sessions: usize,
}

/// A live session as the administrator sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// The session's id: the BLAKE3 hash of its cookie (which it does not reveal).
    pub id: String,
    /// Opened, RFC 3339 UTC.
    pub created_at: String,
    /// Expires, RFC 3339 UTC.
    pub expires_at: String,
}

/// What an administrator changes.
#[derive(Clone, Copy, Debug)]
pub enum UserChange<'a> {
    /// A new role code.
    Role(&'a str),
    /// A new clearance code.
    Clearance(&'a str),
    /// Disable (`true`) or enable.
    Disabled(bool),
}
