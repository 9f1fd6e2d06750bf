//! Calendar feeds as the web sees them (issue 4): a feed just created, a user's feed, the path
//! of a feed. Tokens and their checks are the node's (`lajna_node::feeds`, which re-exports
//! [`NewFeed`] and [`feed_path`]).

/// A feed just created: its id and the secret token, which is never stored and cannot be shown
/// again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFeed {
    /// Number naming the feed (for listing and revoking).
    pub id: i64,
    /// The secret: the feed URL is `/calendar/{token}.ics`.
    pub token: String,
}

/// The path of a feed on the web server: `/calendar/{token}.ics`.
#[must_use]
pub fn feed_path(token: &str) -> String {
    format!("/calendar/{token}.ics")
}

/// A calendar feed of a user (`lajna_store::FeedRow`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedRow {
    /// Number naming the feed on this node (not a secret).
    pub id: i64,
    /// Owner.
    pub username: String,
    /// Creation time, RFC 3339 UTC.
    pub created_at: String,
    /// Revocation time, RFC 3339 UTC; `None` while the feed works.
    pub revoked_at: Option<String>,
}
