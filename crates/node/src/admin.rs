//! Users administered in the web (issue 16 item 1): a party's co-chair or secretary lists its
//! party's users, adds one with a one-time activation link, disables and enables, changes role
//! and clearance, makes a password reset link, resets a lost second factor, and sees and ends a
//! user's sessions; and any user changes their own password. Node-local rows (`lajna_store` local tables, migration
//! 0010 for the links), never events.
//!
//! The rules, checked here once for every front end ([`Node::administered`]): the administrator
//! holds a role of the setting `user_admins` (default: co-chair and secretary); the user is of the administrator's party (an MLI secretary never
//! touches a MAR user); a secretary neither administers a co-chair nor makes one; nobody grants a
//! clearance above their own; nobody changes their own role, clearance or disabled flag here.
//! Every change is an audit line `user-changed` of the user's party naming the administrator,
//! and every change of authority ends the user's sessions (C16, the store's `auth_epoch`).
//!
//! A link's token is shown once; the store keeps its BLAKE3 hash. It works once, for
//! [`LINK_HOURS`] hours; the user's newer link replaces an unused older one. A user added here
//! has no password until the link is used (no password hash verifies against `!`).

use jiff::{SignedDuration, Timestamp};
use lajna_domain::{Classification, Clearance};
use lajna_store::UserRow;

use crate::auth::{AuthError, Role, User, hash_password, random_hex, token_hash};
use crate::{Node, NodeError, rfc3339};

/// How long an activation or reset link works, hours.
pub const LINK_HOURS: i64 = 72;

/// The password hash of a user who has not activated their account: no password matches it.
const NO_PASSWORD: &str = "!";

// What the web sees of user administration lives in `lajna_door` (re-exported here).
pub use lajna_door::admin::{SessionInfo, UserChange, UserSummary};

fn forbid(why: &'static str) -> NodeError {
    NodeError::Auth(AuthError::Forbidden(why))
}

/// Whether `admin` may give `role` and `clearance` to a user of its party.
fn may_grant(admin: &User, role: Role, clearance: Clearance) -> Result<(), NodeError> {
    if role == Role::CoChair && admin.role != Role::CoChair {
        return Err(forbid("only a co-chair makes a co-chair"));
    }
    if clearance > admin.clearance {
        return Err(forbid("a clearance above the administrator's"));
    }
    Ok(())
}

impl Node {
    /// Whether `user` may administer users at all (their party's): a role of the setting
    /// `user_admins` (default: co-chair and secretary).
    #[must_use]
    pub fn is_user_admin(&self, user: &User) -> bool {
        self.config.user_admins.iter().any(|r| r == user.role.code())
    }

    fn check_admin(&self, user: &User) -> Result<(), NodeError> {
        if self.is_user_admin(user) { Ok(()) } else { Err(forbid("this role does not administer users (user_admins)")) }
    }

    /// The row of `username` if `admin` may administer it (see the module's rules).
    ///
    /// # Errors
    /// [`AuthError::Forbidden`]; [`AuthError::NoSuchUser`] for an unknown user of no party.
    pub async fn administered(&self, admin: &User, username: &str) -> Result<UserRow, NodeError> {
        self.check_admin(admin)?;
        let row =
            self.store.user(username).await?.ok_or_else(|| NodeError::Auth(AuthError::NoSuchUser(username.into())))?;
        if row.party != admin.party.as_str() {
            return Err(forbid("another party's user"));
        }
        if row.role == Role::CoChair.code() && admin.role != Role::CoChair {
            return Err(forbid("only a co-chair administers a co-chair"));
        }
        Ok(row)
    }

    /// The users of `admin`'s party with their live sessions, by name.
    ///
    /// # Errors
    /// [`AuthError::Forbidden`] when `admin` administers no users; store errors.
    pub async fn party_users(&self, admin: &User) -> Result<Vec<UserSummary>, NodeError> {
        self.check_admin(admin)?;
        let now = rfc3339(Timestamp::now());
        let mut out = vec![];
        for row in self.store.users().await?.into_iter().filter(|r| r.party == admin.party.as_str()) {
            let sessions = self.store.user_sessions(&row.username, &now).await?.len();
            let user = crate::auth::user_of_row(&row)?;
            out.push(UserSummary {
                username: row.username,
                party: user.party,
                role: user.role,
                clearance: user.clearance,
                disabled: row.disabled,
                pending: row.password_hash == NO_PASSWORD,
                sessions,
            });
        }
        Ok(out)
    }

    /// Adds a user of `admin`'s party with no password, and returns its activation link's
    /// token (show it once). The clearance is the role's default unless given.
    ///
    /// # Errors
    /// [`AuthError::Forbidden`], [`AuthError::BadUsername`], [`AuthError::BadRole`],
    /// [`AuthError::UserExists`]; [`NodeError::Domain`] for an unknown clearance. Nothing is
    /// written on any error.
    pub async fn add_user_with_link(
        &self,
        admin: &User,
        username: &str,
        role: &str,
        clearance: Option<&str>,
        address: &str,
    ) -> Result<String, NodeError> {
        self.check_admin(admin)?;
        crate::auth::check_username(username)?;
        let role = Role::parse(role)?;
        let clearance = match clearance.filter(|c| !c.is_empty()) {
            Some(c) => Classification::parse(c)?,
            None => role.default_clearance(),
        };
        may_grant(admin, role, clearance)?;
        let row = UserRow {
            username: username.into(),
            party: admin.party.to_string(),
            role: role.code().into(),
            member: None,
            password_hash: NO_PASSWORD.into(),
            disabled: false,
            clearance: clearance.code().into(),
            auth_epoch: 0,
        };
        if !self.store.create_user(&row).await? {
            return Err(NodeError::Auth(AuthError::UserExists(username.into())));
        }
        let token = self.make_link(admin, username, "activate", Timestamp::now()).await?;
        let detail = format!("added: role {}, clearance {}, by {}", role.code(), clearance.code(), admin.username);
        self.audit(username, admin.party.as_str(), "user-changed", &detail, address).await?;
        Ok(token)
    }

    async fn make_link(
        &self,
        admin: &User,
        username: &str,
        purpose: &str,
        now: Timestamp,
    ) -> Result<String, NodeError> {
        let token = random_hex()?;
        let expires = rfc3339(now + SignedDuration::from_hours(LINK_HOURS));
        self.store
            .put_user_link(&token_hash(&token), username, purpose, &admin.username, &rfc3339(now), &expires)
            .await?;
        Ok(token)
    }

    /// Makes a password reset link for `username` (show it once); the user's password stays
    /// until the link is used.
    ///
    /// # Errors
    /// As [`Node::administered`].
    pub async fn reset_link(&self, admin: &User, username: &str, address: &str) -> Result<String, NodeError> {
        let row = self.administered(admin, username).await?;
        let token = self.make_link(admin, username, "reset", Timestamp::now()).await?;
        let detail = format!("reset link, by {}", admin.username);
        self.audit(username, &row.party, "user-changed", &detail, address).await?;
        Ok(token)
    }

    /// Changes a user's role, clearance or disabled flag on behalf of `admin`; ends all the
    /// user's sessions.
    ///
    /// # Errors
    /// As [`Node::administered`]; [`AuthError::Forbidden`] for a change of one's own account
    /// or a grant above the administrator's; [`AuthError::BadRole`], [`NodeError::Domain`] for
    /// an unknown code. Nothing is written on any error.
    pub async fn change_user(
        &self,
        admin: &User,
        username: &str,
        change: UserChange<'_>,
        address: &str,
    ) -> Result<(), NodeError> {
        let row = self.administered(admin, username).await?;
        if username == admin.username {
            return Err(forbid("one's own account"));
        }
        let current = crate::auth::user_of_row(&row)?;
        let (changed, detail) = match change {
            UserChange::Role(role) => {
                let role = Role::parse(role)?;
                may_grant(admin, role, current.clearance)?;
                let was = self.store.set_user_role(username, role.code()).await?;
                (was.is_some(), format!("role {} (was {})", role.code(), row.role))
            }
            UserChange::Clearance(c) => {
                let c = Classification::parse(c)?;
                may_grant(admin, current.role, c)?;
                let was = self.store.set_user_clearance(username, c.code()).await?;
                (was.is_some(), format!("clearance {} (was {})", c.code(), row.clearance))
            }
            UserChange::Disabled(d) => {
                let changed = self.store.set_user_disabled(username, d).await?;
                (changed, (if d { "disabled" } else { "enabled" }).to_string())
            }
        };
        if !changed {
            return Err(NodeError::Auth(AuthError::NoSuchUser(username.into())));
        }
        self.audit(username, &row.party, "user-changed", &format!("{detail}, by {}", admin.username), address).await
    }

    /// Resets the second factor of a user `admin` administers, who lost their authenticator
    /// and recovery codes (issue 16): the TOTP secret, recovery codes and half-done sign-ins are
    /// forgotten and every session of the user ends, in one transaction; audited. The user signs
    /// in with the password alone, or — when their role requires two-factor — is led to enrol
    /// again. Returns whether the user had a second factor; `false` changes nothing.
    ///
    /// # Errors
    /// As [`Node::administered`]; [`AuthError::Forbidden`] for one's own account (turn it off
    /// on the profile instead). Nothing is written on any error.
    pub async fn reset_user_two_factor(&self, admin: &User, username: &str, address: &str) -> Result<bool, NodeError> {
        let row = self.administered(admin, username).await?;
        if username == admin.username {
            return Err(forbid("one's own account"));
        }
        self.reset_second_factor_as(&row, &format!("by {}", admin.username), address).await
    }

    /// The operator's reset of a user's second factor (`lajna user reset-2fa`), as
    /// [`Node::reset_user_two_factor`] without the administrator's rules; audited from `local`.
    ///
    /// # Errors
    /// [`AuthError::NoSuchUser`]; store errors.
    pub async fn reset_second_factor(&self, username: &str) -> Result<bool, NodeError> {
        let row =
            self.store.user(username).await?.ok_or_else(|| NodeError::Auth(AuthError::NoSuchUser(username.into())))?;
        self.reset_second_factor_as(&row, "by the operator", "local").await
    }

    async fn reset_second_factor_as(&self, row: &UserRow, by: &str, address: &str) -> Result<bool, NodeError> {
        if self.store.totp(&row.username).await?.is_none() {
            return Ok(false);
        }
        self.store
            .reset_second_factor(&row.username)
            .await?
            .ok_or_else(|| NodeError::Auth(AuthError::NoSuchUser(row.username.clone())))?;
        self.audit(&row.username, &row.party, "user-changed", &format!("two-factor reset, {by}"), address).await?;
        Ok(true)
    }

    /// The live sessions of a user `admin` administers (its own included).
    ///
    /// # Errors
    /// As [`Node::administered`].
    pub async fn user_sessions(&self, admin: &User, username: &str) -> Result<Vec<SessionInfo>, NodeError> {
        self.administered(admin, username).await?;
        let rows = self.store.user_sessions(username, &rfc3339(Timestamp::now())).await?;
        Ok(rows.into_iter().map(|(id, created_at, expires_at)| SessionInfo { id, created_at, expires_at }).collect())
    }

    /// Ends one session of a user (`id` from [`Node::user_sessions`]), or all when `None`.
    /// Returns how many ended.
    ///
    /// # Errors
    /// As [`Node::administered`].
    pub async fn end_sessions(
        &self,
        admin: &User,
        username: &str,
        id: Option<&str>,
        address: &str,
    ) -> Result<u64, NodeError> {
        let row = self.administered(admin, username).await?;
        let n = self.store.end_user_sessions(username, id).await?;
        let detail = format!("{n} session(s) ended, by {}", admin.username);
        self.audit(username, &row.party, "user-changed", &detail, address).await?;
        Ok(n)
    }

    /// The user and purpose (`activate`, `reset`) of a link that works at `now`.
    ///
    /// # Errors
    /// [`AuthError::BadLink`] for a used, expired or unknown link.
    pub async fn link_at(&self, token: &str, now: Timestamp) -> Result<(String, String), NodeError> {
        self.store.user_link(&token_hash(token), &rfc3339(now)).await?.ok_or(NodeError::Auth(AuthError::BadLink))
    }

    /// Sets the password of a link's user at `now` (the policy of `crate::password`), uses the
    /// link up and ends the user's sessions (a disabled user stays disabled). Returns the
    /// username.
    ///
    /// # Errors
    /// [`AuthError::BadLink`]; [`AuthError::WeakPassword`], [`AuthError::CommonPassword`] (the
    /// link still works). Nothing is written on any error.
    pub async fn use_link_at(&self, token: &str, password: &str, now: Timestamp) -> Result<String, NodeError> {
        let (username, purpose) = self.link_at(token, now).await?;
        crate::password::check_password(&username, password)?;
        let hash = hash_password(password)?;
        let was = self
            .store
            .use_user_link(&token_hash(token), &rfc3339(now), &hash)
            .await?
            .ok_or(NodeError::Auth(AuthError::BadLink))?;
        let detail = if purpose == "activate" { "activated" } else { "password reset" };
        self.audit(&username, &was.party, "user-changed", detail, "link").await?;
        Ok(username)
    }

    /// A signed-in user changes their own password: the current one is checked first (as
    /// [`Node::confirm_password`], throttled), then the policy; every other session of the user
    /// ends, the one of `keep` (the session making the change) stays.
    ///
    /// # Errors
    /// [`AuthError::InvalidCredentials`], [`AuthError::Throttled`], [`AuthError::WeakPassword`],
    /// [`AuthError::CommonPassword`]. Nothing changes on any error.
    pub async fn change_own_password(
        &self,
        user: &User,
        current: &str,
        new: &str,
        keep: &str,
        address: &str,
    ) -> Result<(), NodeError> {
        crate::password::check_password(&user.username, new)?;
        self.confirm_password(user, current, address).await?;
        self.set_password_keeping(&user.username, new, Some(keep)).await
    }
}
