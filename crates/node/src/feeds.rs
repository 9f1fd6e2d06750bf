//! Calendar feeds (issue 4, "Calendar"): per-user feed URLs that carry a revocable secret token,
//! because a calendar client cannot sign in. The token is 256 random bits, shown once; the node
//! keeps only its BLAKE3 hash (as for sessions, DESIGN.md §6). A token resolves to its user only
//! while it is not revoked and the user is not disabled. Creating and revoking a feed are
//! written to the audit trail.

use lajna_store::{AuditRow, FeedRow};

use crate::auth::{AuthError, User};
use crate::{Node, NodeError, now_rfc3339};

// A new feed and its path live in `lajna_door` (re-exported here).
pub use lajna_door::feeds::{NewFeed, feed_path};

fn new_token() -> Result<String, NodeError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| NodeError::Ledger(lajna_ledger::LedgerError::Random(e.to_string())))?;
    Ok(hex::encode(bytes))
}

fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

impl Node {
    async fn feed_audit(&self, username: &str, action: &str, detail: String, address: &str) -> Result<(), NodeError> {
        // The party names whose co-chair and secretary read the line (issue 6, migration 0006).
        let party = self.store.user(username).await?.map(|u| u.party).unwrap_or_default();
        let line = AuditRow {
            at: now_rfc3339(),
            username: username.into(),
            action: action.into(),
            detail,
            address: address.into(),
            party,
            record: String::new(),
        };
        Ok(self.store.audit(&line).await?)
    }

    /// Creates a calendar feed for `username`, asked from `address` (for the audit trail).
    ///
    /// # Errors
    /// [`AuthError::NoSuchUser`] for an unknown or disabled user; store errors.
    pub async fn create_feed(&self, username: &str, address: &str) -> Result<NewFeed, NodeError> {
        match self.store.user(username).await? {
            Some(u) if !u.disabled => {}
            _ => return Err(NodeError::Auth(AuthError::NoSuchUser(username.into()))),
        }
        let token = new_token()?;
        let id = self.store.put_feed(&token_hash(&token), username, &now_rfc3339()).await?;
        self.feed_audit(username, "feed-created", format!("calendar feed {id}"), address).await?;
        Ok(NewFeed { id, token })
    }

    /// The feeds of `username`, oldest first, revoked ones included.
    ///
    /// # Errors
    /// Store errors.
    pub async fn feeds(&self, username: &str) -> Result<Vec<FeedRow>, NodeError> {
        Ok(self.store.feeds(username).await?)
    }

    /// Revokes feed `id` of `username`. Returns false when that user has no such live feed.
    ///
    /// # Errors
    /// Store errors.
    pub async fn revoke_feed(&self, username: &str, id: i64, address: &str) -> Result<bool, NodeError> {
        let done = self.store.revoke_feed(id, username, &now_rfc3339()).await?;
        if done {
            self.feed_audit(username, "feed-revoked", format!("calendar feed {id}"), address).await?;
        }
        Ok(done)
    }

    /// The user a feed token belongs to: `None` for an unknown or revoked token, or a user who
    /// is disabled or no longer exists.
    ///
    /// # Errors
    /// Store errors.
    pub async fn feed_user(&self, token: &str) -> Result<Option<User>, NodeError> {
        let Some(feed) = self.store.feed_by_hash(&token_hash(token)).await? else { return Ok(None) };
        if feed.revoked_at.is_some() {
            return Ok(None);
        }
        match self.store.user(&feed.username).await? {
            Some(row) if !row.disabled => Ok(Some(crate::auth::user_of_row(&row)?)),
            _ => Ok(None),
        }
    }
}
