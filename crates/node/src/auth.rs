//! Users, sign-in and what each role may do (DESIGN.md §6). Credentials and sessions are
//! node-local rows, never events. Passwords are hashed with Argon2id; sign-in takes the same
//! work whether or not the user exists; five failures in fifteen minutes for one user or one
//! address refuse further attempts until the window has passed.
//!
//! Sessions end when they should (issue 16, case C16): a change of a user's password, role,
//! clearance or disabled flag, or its replacement by [`Node::put_user`], ends the user's
//! sessions in the same store transaction as the change (the store's per-user `auth_epoch`,
//! `lajna_store` local tables) — all of them, except, for a password change made from a
//! session, that session ([`Node::set_password_keeping`]). [`Node::session`] finds only live
//! sessions of enabled users.

use std::sync::OnceLock;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use lajna_domain::records::*;
use lajna_domain::{Classification, Command, PartyCode, RecordKind, State};
use lajna_store::{AuditRow, SessionRow, UserRow};

use crate::{Node, NodeError, now_rfc3339};

/// Failed sign-ins allowed per user or address within [`THROTTLE_WINDOW_MINUTES`].
pub const MAX_FAILURES: i64 = 5;
/// The throttling window, minutes.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;
/// Session lifetime, hours.
pub const SESSION_HOURS: i64 = 12;
pub use crate::password::MIN_PASSWORD_CHARS;
// The plain types of users and refusals live in `lajna_door` (what the web sees of a node),
// re-exported here at their old paths.
pub use lajna_door::auth::{AuthError, NewSession, Role, SignedIn, User};

/// The user of a stored row.
///
/// # Errors
/// [`NodeError`] for a row holding an unknown party, role or clearance.
pub fn user_of_row(row: &UserRow) -> Result<User, NodeError> {
    Ok(User {
        username: row.username.clone(),
        party: PartyCode::parse(&row.party)?,
        role: Role::parse(&row.role)?,
        member: row.member.clone(),
        clearance: Classification::parse(&row.clearance)?,
    })
}

/// What `user` may do ([`lajna_door::auth::authorize`], the role × party rules), as a node error.
///
/// # Errors
/// [`NodeError::Auth`] with [`AuthError::Forbidden`] naming the rule.
pub fn authorize(user: &User, state: &State, command: &Command) -> Result<(), NodeError> {
    Ok(lajna_door::auth::authorize(user, state, command)?)
}

pub(crate) fn hash_password(password: &str) -> Result<String, NodeError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h: PasswordHash| h.to_string())
        .map_err(|e| NodeError::Config { path: "argon2".into(), message: e.to_string() })
}

fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of no one's password, verified when the user does not exist so that the answer
/// takes the same time either way.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no user has this password").unwrap_or_default())
}

/// 32 random bytes as 64 hex digits (tokens).
///
/// # Errors
/// [`NodeError::Ledger`] when the system has no random source.
pub fn random_hex() -> Result<String, NodeError> {
    lajna_door::auth::random_hex().map_err(|e| NodeError::Ledger(lajna_ledger::LedgerError::Random(e.to_string())))
}

/// The throttling counters of a sign-in: the user's and the address's.
pub(crate) fn throttle_keys(username: &str, address: &str) -> [String; 2] {
    [format!("user:{username}"), format!("addr:{address}")]
}

pub(crate) fn token_hash(token: &str) -> String {
    blake3::hash(token.as_bytes()).to_hex().to_string()
}

fn shifted(minutes: i64) -> String {
    let t = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(minutes);
    crate::rfc3339(t)
}

fn no_such(username: &str) -> NodeError {
    NodeError::Auth(AuthError::NoSuchUser(username.into()))
}

pub(crate) fn check_username(name: &str) -> Result<(), NodeError> {
    let ok = (2..=32).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if ok { Ok(()) } else { Err(NodeError::Auth(AuthError::BadUsername(name.into()))) }
}

impl Node {
    /// Creates or replaces a user. The member, when given, must be a member of the same party.
    /// Replacing a user ends all its sessions.
    ///
    /// # Errors
    /// [`NodeError::Auth`] for a bad username, role or weak password; domain errors for an
    /// unknown party or member.
    pub async fn put_user(
        &self,
        username: &str,
        party: &str,
        role: &str,
        member: Option<&str>,
        password: &str,
    ) -> Result<(), NodeError> {
        check_username(username)?;
        let role = Role::parse(role)?;
        crate::password::check_password(username, password)?;
        let party = PartyCode::parse(party)?;
        self.with_state(|s| {
            s.require_party(&party)?;
            if let Some(m) = member {
                let rec = s
                    .get::<Member>(RecordKind::Member, m)
                    .ok_or_else(|| lajna_domain::DomainError::UnknownRecord { kind: "member".into(), id: m.into() })?;
                if rec.party != party {
                    return Err(lajna_domain::DomainError::UnknownParty { code: rec.party.to_string() });
                }
            }
            Ok::<_, lajna_domain::DomainError>(())
        })
        .await?;
        let row = UserRow {
            username: username.into(),
            party: party.to_string(),
            role: role.code().into(),
            member: member.map(String::from),
            password_hash: hash_password(password)?,
            disabled: false,
            clearance: role.default_clearance().code().into(),
            auth_epoch: 0,
        };
        self.store.put_user(&row).await?;
        let detail = format!("party {party}, role {}, clearance {}", role.code(), role.default_clearance().code());
        self.audit(username, party.as_str(), "user-changed", &detail, "local").await
    }

    /// Changes a user's clearance and ends all its sessions (audited: `user-changed`, old and
    /// new level).
    ///
    /// # Errors
    /// [`AuthError::NoSuchUser`]; [`NodeError::Domain`] for an unknown level.
    pub async fn set_clearance(&self, username: &str, clearance: &str) -> Result<(), NodeError> {
        let clearance = Classification::parse(clearance)?;
        let was = self.store.set_user_clearance(username, clearance.code()).await?.ok_or_else(|| no_such(username))?;
        let detail = format!("clearance {} (was {})", clearance.code(), was.clearance);
        self.audit(username, &was.party, "user-changed", &detail, "local").await
    }

    /// Changes a user's role, keeping its clearance, and ends all its sessions (audited:
    /// `user-changed`, old and new role).
    ///
    /// # Errors
    /// [`AuthError::NoSuchUser`], [`AuthError::BadRole`].
    pub async fn set_role(&self, username: &str, role: &str) -> Result<(), NodeError> {
        let role = Role::parse(role)?;
        let was = self.store.set_user_role(username, role.code()).await?.ok_or_else(|| no_such(username))?;
        let detail = format!("role {} (was {})", role.code(), was.role);
        self.audit(username, &was.party, "user-changed", &detail, "local").await
    }

    /// Changes a user's password and ends all its sessions (`lajna user passwd`).
    ///
    /// # Errors
    /// [`AuthError::NoSuchUser`], [`AuthError::WeakPassword`].
    pub async fn set_password(&self, username: &str, password: &str) -> Result<(), NodeError> {
        self.set_password_keeping(username, password, None).await
    }

    /// Changes a user's password and ends its sessions, except the one of the token `keep`
    /// when it is this user's (the session the password was changed from).
    ///
    /// # Errors
    /// [`AuthError::NoSuchUser`], [`AuthError::WeakPassword`].
    pub async fn set_password_keeping(
        &self,
        username: &str,
        password: &str,
        keep: Option<&str>,
    ) -> Result<(), NodeError> {
        if self.store.user(username).await?.is_none() {
            return Err(no_such(username));
        }
        crate::password::check_password(username, password)?;
        let hash = hash_password(password)?;
        let keep = keep.map(token_hash);
        let was =
            self.store.set_user_password(username, &hash, keep.as_deref()).await?.ok_or_else(|| no_such(username))?;
        self.audit(username, &was.party, "user-changed", "password", "local").await
    }

    /// Disables a user and ends all its sessions.
    ///
    /// # Errors
    /// [`AuthError::NoSuchUser`].
    pub async fn disable_user(&self, username: &str) -> Result<(), NodeError> {
        if !self.store.set_user_disabled(username, true).await? {
            return Err(no_such(username));
        }
        let party = self.store.user(username).await?.map(|r| r.party).unwrap_or_default();
        self.audit(username, &party, "user-changed", "disabled", "local").await
    }

    /// Appends an audit line naming no record (sign-ins, user changes).
    pub(crate) async fn audit(
        &self,
        username: &str,
        party: &str,
        action: &str,
        detail: &str,
        address: &str,
    ) -> Result<(), NodeError> {
        let line = AuditRow {
            at: now_rfc3339(),
            username: username.into(),
            action: action.into(),
            detail: detail.into(),
            address: address.into(),
            party: party.into(),
            record: String::new(),
        };
        Ok(self.store.audit(&line).await?)
    }

    /// Signs a user in from `address` with a password only, throttled per user and per address.
    /// For a user with two-factor sign-in on, or whose role requires it, see
    /// [`Node::sign_in_with_code`] and [`Node::begin_sign_in`] (`crate::two_factor`).
    ///
    /// # Errors
    /// [`AuthError::Throttled`] (checked first, before any password work),
    /// [`AuthError::InvalidCredentials`], [`AuthError::CodeRequired`],
    /// [`AuthError::EnrolmentRequired`].
    pub async fn sign_in(&self, username: &str, password: &str, address: &str) -> Result<NewSession, NodeError> {
        self.sign_in_with_code(username, password, None, address).await
    }

    /// The user row of `username` if `password` is theirs and they are enabled, throttled per
    /// user and per address; a failure is counted and audited.
    ///
    /// # Errors
    /// [`AuthError::Throttled`] (checked first, before any password work),
    /// [`AuthError::InvalidCredentials`].
    pub(crate) async fn check_credentials(
        &self,
        username: &str,
        password: &str,
        address: &str,
    ) -> Result<UserRow, NodeError> {
        let keys = throttle_keys(username, address);
        self.check_throttle(&keys, username, address, "sign-in-refused").await?;
        let row = self.store.user(username).await?;
        let ok = match &row {
            Some(r) => password_matches(password, &r.password_hash) && !r.disabled,
            None => {
                let _ = password_matches(password, dummy_hash());
                false
            }
        };
        let party = row.as_ref().map(|r| r.party.clone()).unwrap_or_default();
        let Some(row) = row.filter(|_| ok) else {
            self.store.record_login_failure(&keys, &now_rfc3339()).await?;
            self.audit(username, &party, "sign-in-refused", "wrong credentials", address).await?;
            return Err(NodeError::Auth(AuthError::InvalidCredentials));
        };
        Ok(row)
    }

    /// Opens a session for the user of `row` (whose credentials were just checked), audited
    /// `sign-in` with `detail`.
    ///
    /// # Errors
    /// [`AuthError::InvalidCredentials`] when the user's credentials or authority changed
    /// since `row` was read.
    pub(crate) async fn open_session(
        &self,
        row: &UserRow,
        address: &str,
        detail: &str,
    ) -> Result<NewSession, NodeError> {
        let (username, party) = (row.username.as_str(), row.party.as_str());
        let user = crate::auth::user_of_row(row)?;
        let (token, csrf) = (random_hex()?, random_hex()?);
        let session = SessionRow {
            username: user.username.clone(),
            csrf: csrf.clone(),
            expires_at: shifted(SESSION_HOURS * 60),
            auth_epoch: row.auth_epoch,
            tz: String::new(),
        };
        if !self.store.put_session(&token_hash(&token), &session).await? {
            // The user's credentials or authority changed while its password was checked.
            self.audit(username, party, "sign-in-refused", "credentials changed", address).await?;
            return Err(NodeError::Auth(AuthError::InvalidCredentials));
        }
        self.store.clear_login_failures(&throttle_keys(username, address)[0]).await?;
        self.audit(username, party, "sign-in", detail, address).await?;
        Ok(NewSession { user, token, csrf })
    }

    /// Refuses when one of `keys` (`user:…`, `addr:…`) has [`MAX_FAILURES`] failures within
    /// the window, auditing `action` (`throttled`) for `username`.
    pub(crate) async fn check_throttle(
        &self,
        keys: &[String; 2],
        username: &str,
        address: &str,
        action: &str,
    ) -> Result<(), NodeError> {
        let since = shifted(-THROTTLE_WINDOW_MINUTES);
        for key in keys {
            let (n, first) = self.store.login_failures(key, &since).await?;
            if n >= MAX_FAILURES {
                let first: jiff::Timestamp = first.and_then(|f| f.parse().ok()).unwrap_or_else(jiff::Timestamp::now);
                let until = first + jiff::SignedDuration::from_mins(THROTTLE_WINDOW_MINUTES);
                let minutes = ((until - jiff::Timestamp::now()).as_secs() + 59) / 60;
                let party = self.store.user(username).await?.map(|r| r.party).unwrap_or_default();
                self.audit(username, &party, action, "throttled", address).await?;
                return Err(NodeError::Auth(AuthError::Throttled { minutes: minutes.max(1) }));
            }
        }
        Ok(())
    }

    /// Checks a signed-in user's password again before a deliberate act (an endorsement,
    /// issue 13 item 8), from `address`. Throttled like [`Node::sign_in`], on the same failure
    /// counters (a failure here counts towards sign-in's limit, and the reverse); the password
    /// is compared by Argon2 verification (constant time), with the same work for a user that
    /// no longer exists. Audited: `password-confirmed`, or `password-refused` with the reason.
    ///
    /// # Errors
    /// [`AuthError::Throttled`] (checked first, before any password work);
    /// [`AuthError::InvalidCredentials`] for a wrong password, or a user since disabled or
    /// removed. Nothing else changes on any error.
    pub async fn confirm_password(&self, user: &User, password: &str, address: &str) -> Result<(), NodeError> {
        let (username, party) = (user.username.as_str(), user.party.as_str());
        let keys = [format!("user:{username}"), format!("addr:{address}")];
        self.check_throttle(&keys, username, address, "password-refused").await?;
        let row = self.store.user(username).await?;
        let hash: &str = match &row {
            Some(r) => &r.password_hash,
            None => dummy_hash(),
        };
        let ok = password_matches(password, hash) && row.as_ref().is_some_and(|r| !r.disabled);
        if !ok {
            self.store.record_login_failure(&keys, &now_rfc3339()).await?;
            self.audit(username, party, "password-refused", "wrong password", address).await?;
            return Err(NodeError::Auth(AuthError::InvalidCredentials));
        }
        self.store.clear_login_failures(&keys[0]).await?;
        self.audit(username, party, "password-confirmed", "", address).await
    }

    /// The user and CSRF token of a live session.
    ///
    /// # Errors
    /// Store errors only; an unknown, expired or ended token (its user's credentials or
    /// authority changed since it was made) or a disabled user's is `Ok(None)`.
    pub async fn session(&self, token: &str) -> Result<Option<(User, String)>, NodeError> {
        Ok(self.signed_in(token).await?.map(|s| (s.user, s.csrf)))
    }

    /// The live session of `token` with the user's time zone, for pages that show times in the
    /// viewer's zone (an unknown or empty zone name reads as UTC), and the user's unread
    /// notifications (the header's count). `None` as [`Node::session`].
    ///
    /// # Errors
    /// Store errors.
    pub async fn signed_in(&self, token: &str) -> Result<Option<SignedIn>, NodeError> {
        // Every page asks: a live session is kept in memory while nothing it was read from
        // changed (`Store::local_version_within`, which sees another process's change too).
        let (hash, now) = (token_hash(token), jiff::Timestamp::now());
        let version = self.store.local_version_within(SESSION_FRESH).await;
        if let Some(kept) = self.sessions.get(&hash, version, now) {
            return Ok(Some(kept));
        }
        let Some((s, row, unread)) = self.store.session_user(&hash, &crate::rfc3339(now)).await? else {
            return Ok(None);
        };
        // The bundled database, as the scheduler and every output: never the host's zoneinfo.
        let zone = lajna_domain::tzdb().get(&s.tz).unwrap_or(jiff::tz::TimeZone::UTC);
        let signed_in = SignedIn { user: crate::auth::user_of_row(&row)?, csrf: s.csrf, zone, unread };
        if let Ok(expires) = s.expires_at.parse::<jiff::Timestamp>() {
            self.sessions.put(hash, version, expires, signed_in.clone());
        }
        Ok(Some(signed_in))
    }

    /// Ends a session.
    ///
    /// # Errors
    /// Store errors.
    pub async fn sign_out(&self, token: &str) -> Result<(), NodeError> {
        if let Some(s) = self.store.session(&token_hash(token), &now_rfc3339()).await? {
            let party = self.store.user(&s.username).await?.map(|r| r.party).unwrap_or_default();
            self.audit(&s.username, &party, "sign-out", "", "").await?;
        }
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }

    /// Runs a command as a signed-in user: the role and party rules of [`authorize`] first,
    /// then [`Node::execute`]. Both checks see the same state (the store's write lock).
    ///
    /// # Errors
    /// [`AuthError::Forbidden`], then as [`Node::execute`]; nothing is written on any error.
    pub async fn execute_as(&self, user: &User, command: &Command) -> Result<Vec<lajna_ledger::EventId>, NodeError> {
        self.execute_checked(&user.actor(), command, |state| authorize(user, state, command)).await
    }

    /// A co-chair delegates their signature to the member `delegate` from `from` to `to`
    /// (dates as typed, `YYYY-MM-DD`; issue 16 item 4, `lajna_domain::signature`).
    ///
    /// # Errors
    /// [`DomainError::InvalidValue`] naming `from` or `to` for a date that does not read; as
    /// [`Node::execute_as`].
    ///
    /// [`DomainError::InvalidValue`]: lajna_domain::DomainError::InvalidValue
    pub async fn delegate_signature(
        &self,
        user: &User,
        delegate: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<lajna_ledger::EventId>, NodeError> {
        let date = |field: &str, v: &str| {
            v.trim()
                .parse::<jiff::civil::Date>()
                .map_err(|_| lajna_domain::DomainError::InvalidValue { field: field.into(), value: v.into() })
        };
        let command =
            Command::DelegateSignature { delegate: delegate.into(), from: date("from", from)?, to: date("to", to)? };
        self.execute_as(user, &command).await
    }

    /// [`Node::execute_as`] for an act on the version of record `id` that the user read
    /// (endorsing a decision or a roadmap): refused with [`DomainError::StaleVersion`] when the
    /// record's current version is another, checked under the same lock as the command, so an
    /// edit made after the user read the text is never endorsed in their name.
    ///
    /// [`DomainError::StaleVersion`]: lajna_domain::DomainError::StaleVersion
    ///
    /// # Errors
    /// As [`Node::execute_as`], and the stale version; nothing is written on any error.
    pub async fn execute_as_read(
        &self,
        user: &User,
        command: &Command,
        id: &str,
        version: &str,
    ) -> Result<Vec<lajna_ledger::EventId>, NodeError> {
        self.execute_checked(&user.actor(), command, |state| {
            authorize(user, state, command)?;
            match state.entry(id) {
                Some(e) if e.version() != version => {
                    Err(lajna_domain::DomainError::StaleVersion { version: version.into() }.into())
                }
                _ => Ok(()),
            }
        })
        .await
    }
}

/// How old the store's last look at the database may be when a session is served from memory:
/// a user disabled or a session ended by another process (the CLI) counts for every request
/// that starts this long after it (this process's own changes count at once).
const SESSION_FRESH: std::time::Duration = std::time::Duration::from_millis(2);

/// Live sessions as last read from the store, by token hash, each with the store's
/// [`lajna_store::Store::local_version_within`] read before it and its expiry (UTC): served
/// while the version has not moved and the session has not expired. At most
/// [`Sessions::CAPACITY`]; when full, it starts again empty.
#[derive(Debug, Default)]
pub(crate) struct Sessions(std::sync::Mutex<std::collections::HashMap<String, (u64, jiff::Timestamp, SignedIn)>>);

impl Sessions {
    /// Sessions kept at most.
    const CAPACITY: usize = 4096;

    fn get(&self, hash: &str, version: u64, now: jiff::Timestamp) -> Option<SignedIn> {
        let kept = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.get(hash).filter(|(v, expires, _)| *v == version && now < *expires).map(|(_, _, s)| s.clone())
    }

    fn put(&self, hash: String, version: u64, expires: jiff::Timestamp, session: SignedIn) {
        let mut kept = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.len() >= Self::CAPACITY {
            kept.clear();
        }
        kept.insert(hash, (version, expires, session));
    }
}
