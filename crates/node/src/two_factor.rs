//! Two-factor sign-in (issue 16 item 3): a time-based one-time password (TOTP, RFC 6238 —
//! HMAC-SHA-1, 6 digits, 30-second steps, as every authenticator app reads an `otpauth://`
//! URI) computed by the `totp-rs` crate, and recovery codes.
//!
//! - Any user may turn it on from the profile page ([`Node::enrolment`], then
//!   [`Node::confirm_enrolment`] with a first code); the roles of the setting
//!   `totp_required_roles` (default: co-chair) must: after the password, a user of such a role
//!   who has not enrolled is led to enrolment ([`SignInStep::Enrol`]) and gets no session until
//!   a first code confirms it; they cannot turn it off.
//! - Enrolment shows the secret as text and as a QR code of its `otpauth://` URI, drawn by this
//!   node as SVG (`qrcode`), never by a remote service. The secret is kept in the store
//!   (migration 0011), never logged (no `Debug` shows it).
//! - A code is accepted for the current 30-second step, the previous one, and the next one
//!   (clocks of phone and server a step apart); one from two or more steps away is refused. A
//!   code is accepted once: the step of the last accepted code is kept and no code of that step
//!   or an earlier one is accepted again (RFC 6238 §5.2, replay).
//! - [`RECOVERY_CODES`] recovery codes are shown once, at enrolment, and kept as BLAKE3 hashes
//!   (as activation links are); each works once, in place of a code.
//! - Wrong codes count towards sign-in throttling (5 failures in 15 minutes per user or
//!   address) and are audited (`sign-in-refused`, `wrong code`); turning it on or off is
//!   audited (`user-changed`).
//!
//! The time is this node's clock ([`Node::now`]), which tests fix.

use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};
use lajna_store::{SignInStepRow, UserRow};
use totp_rs::{Algorithm, Secret, Totp};

use crate::auth::{AuthError, NewSession, User, random_hex, throttle_keys, token_hash};
use crate::{Node, NodeError, now_rfc3339, rfc3339};

/// The TOTP time step, seconds (RFC 6238's default, what authenticator apps use).
pub const STEP_SECONDS: u64 = 30;
/// Steps accepted either side of the current one: 1 (the previous and the next code too).
pub const SKEW_STEPS: u16 = 1;
/// How many recovery codes enrolment makes.
pub const RECOVERY_CODES: usize = 10;
/// How long a half-done sign-in (password given, code or enrolment still due) lasts, minutes.
pub const STEP_MINUTES: i64 = 10;
/// The issuer an authenticator app shows beside the account.
const ISSUER: &str = "Lajna";

/// The node's clock: the system's, or a fixed instant (tests).
#[derive(Debug)]
pub(crate) struct Clock(AtomicI64);

impl Default for Clock {
    fn default() -> Self {
        Self(AtomicI64::new(i64::MIN))
    }
}

// What the web sees of two-factor sign-in lives in `lajna_door` (re-exported here).
pub use lajna_door::two_factor::{Enrolment, SignInStep, TwoFactorStatus};

fn totp(secret: &str) -> Result<Totp, NodeError> {
    let bytes = Secret::try_from_base32(secret).map_err(|_| corrupt("a stored TOTP secret is not base32"))?;
    totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(SKEW_STEPS)
        .with_step_duration(STEP_SECONDS)
        .with_secret(bytes)
        .build()
        .map_err(|e| corrupt(&e.to_string()))
}

fn corrupt(message: &str) -> NodeError {
    NodeError::Config { path: "totp".into(), message: message.into() }
}

fn wrong_code() -> NodeError {
    NodeError::Auth(AuthError::WrongCode)
}

/// The code an authenticator app shows at Unix time `unix` for `secret` (base32): six digits.
///
/// # Errors
/// [`NodeError::Config`] for a secret that is not base32 of at least 128 bits.
pub fn code_at(secret: &str, unix: u64) -> Result<String, NodeError> {
    Ok(totp(secret)?.generate(unix).to_string())
}

/// The QR code of `text` as an inline SVG element.
fn qr_svg(text: &str) -> Result<String, NodeError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| corrupt(&e.to_string()))?;
    let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
    // The renderer writes a standalone document; inline in HTML only the element is wanted.
    Ok(svg.find("<svg").map_or(svg.clone(), |at| svg[at..].to_string()))
}

/// A recovery code: 10 letters and digits of the base32 alphabet, shown `XXXXX-XXXXX`.
fn recovery_code() -> Result<String, NodeError> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(|e| NodeError::Ledger(lajna_ledger::LedgerError::Random(e.to_string())))?;
    let letters: String = bytes.iter().map(|b| char::from(ALPHABET[usize::from(b % 32)])).collect();
    Ok(format!("{}-{}", &letters[..5], &letters[5..]))
}

/// The stored hash of `username`'s recovery code `code` (its letters, upper case, no dash or
/// space; the username keeps two users' equal codes apart).
fn recovery_hash(username: &str, code: &str) -> String {
    let letters: String = code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect();
    token_hash(&format!("{username}:{letters}"))
}

impl Node {
    /// This node's clock: the system's, unless a test fixed it ([`Node::set_clock`]).
    #[must_use]
    pub fn now(&self) -> Timestamp {
        match self.clock.0.load(Ordering::SeqCst) {
            i64::MIN => Timestamp::now(),
            s => Timestamp::from_second(s).unwrap_or_else(|_| Timestamp::now()),
        }
    }

    /// Fixes this node's clock at `at` (to the second), or gives it back to the system (`None`).
    #[cfg(feature = "test-support")]
    pub fn set_clock(&self, at: Option<Timestamp>) {
        self.clock.0.store(at.map_or(i64::MIN, |t| t.as_second()), Ordering::SeqCst);
    }

    fn unix_now(&self) -> u64 {
        u64::try_from(self.now().as_second()).unwrap_or(0)
    }

    /// Whether `role` must sign in with a second factor (the setting `totp_required_roles`).
    #[must_use]
    pub fn totp_required(&self, role: crate::auth::Role) -> bool {
        self.config.totp_required_roles.iter().any(|r| r == role.code())
    }

    /// `user`'s two-factor state.
    ///
    /// # Errors
    /// Store errors.
    pub async fn two_factor(&self, user: &User) -> Result<TwoFactorStatus, NodeError> {
        let on = self.store.totp(&user.username).await?.is_some_and(|t| t.confirmed);
        let codes_left = self.store.recovery_codes_left(&user.username).await?;
        Ok(TwoFactorStatus { on, required: self.totp_required(user.role), codes_left })
    }

    /// The enrolment of `username` under way: its unconfirmed secret, made now if it has none.
    ///
    /// # Errors
    /// [`AuthError::Forbidden`] when two-factor is on already (turn it off first).
    async fn enrolment_of(&self, username: &str) -> Result<Enrolment, NodeError> {
        let secret = match self.store.totp(username).await? {
            Some(t) if t.confirmed => return Err(NodeError::Auth(AuthError::Forbidden("two-factor sign-in is on"))),
            Some(t) => t.secret,
            None => {
                let mut bytes = [0u8; 20];
                getrandom::fill(&mut bytes)
                    .map_err(|e| NodeError::Ledger(lajna_ledger::LedgerError::Random(e.to_string())))?;
                let secret = Secret::from(bytes).to_base32();
                if !self.store.put_totp_secret(username, &secret).await? {
                    return Err(NodeError::Auth(AuthError::Forbidden("two-factor sign-in is on")));
                }
                secret
            }
        };
        // The username is `a-z 0-9 . _ -` only (`check_username`) and the secret base32: no
        // character of the URI needs escaping.
        let uri = format!(
            "otpauth://totp/{ISSUER}:{username}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits=6&period={STEP_SECONDS}"
        );
        let qr_svg = qr_svg(&uri)?;
        Ok(Enrolment { secret, uri, qr_svg })
    }

    /// What `user`'s profile shows to turn two-factor on: the secret and its QR code (the same
    /// until confirmed, so that a page shown again matches what the app scanned).
    ///
    /// # Errors
    /// [`AuthError::Forbidden`] when it is on already; store errors.
    pub async fn enrolment(&self, user: &User) -> Result<Enrolment, NodeError> {
        self.enrolment_of(&user.username).await
    }

    /// Confirms `username`'s enrolment with a first `code` and returns the recovery codes,
    /// to show once. Audited `user-changed` `two-factor on`.
    async fn confirm(&self, username: &str, party: &str, code: &str, address: &str) -> Result<Vec<String>, NodeError> {
        let keys = throttle_keys(username, address);
        self.check_throttle(&keys, username, address, "sign-in-refused").await?;
        let pending = self.store.totp(username).await?.filter(|t| !t.confirmed);
        let step = match &pending {
            Some(t) => totp(&t.secret)?.check(code.trim(), self.unix_now()),
            None => None,
        };
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code()).collect::<Result<_, _>>()?;
        let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(username, c)).collect();
        let confirmed = match step.and_then(|s| i64::try_from(s).ok()) {
            Some(step) => self.store.confirm_totp(username, step, &hashes).await?,
            None => false,
        };
        if !confirmed {
            self.store.record_login_failure(&keys, &now_rfc3339()).await?;
            self.audit(username, party, "sign-in-refused", "wrong code (enrolment)", address).await?;
            return Err(wrong_code());
        }
        self.audit(username, party, "user-changed", "two-factor on", address).await?;
        Ok(codes)
    }

    /// Turns two-factor on for a signed-in user with the first code of the app that scanned
    /// [`Node::enrolment`]; returns the [`RECOVERY_CODES`] recovery codes, to show once.
    ///
    /// # Errors
    /// [`AuthError::WrongCode`] (nothing changes: the same secret stays to try again),
    /// [`AuthError::Throttled`].
    pub async fn confirm_enrolment(&self, user: &User, code: &str, address: &str) -> Result<Vec<String>, NodeError> {
        self.confirm(&user.username, user.party.as_str(), code, address).await
    }

    /// Turns two-factor off for a signed-in user who gives their password again. Audited.
    ///
    /// # Errors
    /// [`AuthError::Forbidden`] when the user's role requires it; as
    /// [`Node::confirm_password`].
    pub async fn turn_off_two_factor(&self, user: &User, password: &str, address: &str) -> Result<(), NodeError> {
        if self.totp_required(user.role) {
            return Err(NodeError::Auth(AuthError::Forbidden("two-factor sign-in is required for this role")));
        }
        self.confirm_password(user, password, address).await?;
        if self.store.delete_totp(&user.username).await? {
            self.audit(&user.username, user.party.as_str(), "user-changed", "two-factor off", address).await?;
        }
        Ok(())
    }

    /// Checks a second factor of `row`'s user: a TOTP code of the accepted steps not used
    /// before, or an unused recovery code (which is then used up). Throttled; a failure is
    /// counted and audited. Returns the audit detail of the sign-in.
    async fn check_code(&self, row: &UserRow, code: &str, address: &str) -> Result<&'static str, NodeError> {
        let (username, party) = (row.username.as_str(), row.party.as_str());
        let keys = throttle_keys(username, address);
        self.check_throttle(&keys, username, address, "sign-in-refused").await?;
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let ok = match self.store.totp(username).await?.filter(|t| t.confirmed) {
            Some(t) if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) => {
                match totp(&t.secret)?.check(&code, self.unix_now()).and_then(|s| i64::try_from(s).ok()) {
                    Some(step) => self.store.accept_totp_step(username, step).await?.then_some("code"),
                    None => None,
                }
            }
            Some(_) => self
                .store
                .use_recovery_code(username, &recovery_hash(username, &code))
                .await?
                .then_some("recovery code"),
            None => None,
        };
        match ok {
            Some(how) => Ok(how),
            None => {
                self.store.record_login_failure(&keys, &now_rfc3339()).await?;
                self.audit(username, party, "sign-in-refused", "wrong code", address).await?;
                Err(wrong_code())
            }
        }
    }

    /// A half-done sign-in of `row` at `stage`: its token.
    async fn half_done(&self, row: &UserRow, stage: &str) -> Result<String, NodeError> {
        let token = random_hex()?;
        let step = SignInStepRow { username: row.username.clone(), stage: stage.into(), auth_epoch: row.auth_epoch };
        let expires = rfc3339(Timestamp::now() + SignedDuration::from_mins(STEP_MINUTES));
        self.store.put_sign_in_step(&token_hash(&token), &step, &expires).await?;
        Ok(token)
    }

    /// The web's first sign-in step: the password, then what is still due — nothing (a
    /// session), a code or enrolment ([`SignInStep::Due`]).
    ///
    /// # Errors
    /// As [`Node::sign_in`].
    pub async fn begin_sign_in(&self, username: &str, password: &str, address: &str) -> Result<SignInStep, NodeError> {
        let row = self.check_credentials(username, password, address).await?;
        let user = crate::auth::user_of_row(&row)?;
        let (stage, enrol) = match self.store.totp(username).await? {
            Some(t) if t.confirmed => ("code", None),
            _ if self.totp_required(user.role) => ("enrol", Some(self.enrolment_of(username).await?)),
            _ => return Ok(SignInStep::Done(self.open_session(&row, address, "").await?)),
        };
        Ok(SignInStep::Due { stage, token: self.half_done(&row, stage).await?, enrol })
    }

    /// One-step sign-in (the API): the password and, when two-factor is on, `code` (a TOTP or
    /// recovery code).
    ///
    /// # Errors
    /// As [`Node::sign_in`]; [`AuthError::WrongCode`].
    pub async fn sign_in_with_code(
        &self,
        username: &str,
        password: &str,
        code: Option<&str>,
        address: &str,
    ) -> Result<NewSession, NodeError> {
        let row = self.check_credentials(username, password, address).await?;
        let user = crate::auth::user_of_row(&row)?;
        match (self.store.totp(username).await?.filter(|t| t.confirmed), code) {
            (Some(_), Some(code)) => {
                let how = self.check_code(&row, code, address).await?;
                self.open_session(&row, address, how).await
            }
            (Some(_), None) => Err(NodeError::Auth(AuthError::CodeRequired)),
            (None, _) if self.totp_required(user.role) => Err(NodeError::Auth(AuthError::EnrolmentRequired)),
            (None, _) => self.open_session(&row, address, "").await,
        }
    }

    /// The user row of a half-done sign-in at `stage` that still works.
    async fn step_row(&self, token: &str, stage: &str) -> Result<UserRow, NodeError> {
        let step = self.store.sign_in_step(&token_hash(token), &now_rfc3339()).await?;
        match step.filter(|s| s.stage == stage) {
            Some(s) => self.store.user(&s.username).await?.ok_or(NodeError::Auth(AuthError::SignedOut)),
            None => Err(NodeError::Auth(AuthError::SignedOut)),
        }
    }

    /// The username of a half-done sign-in at `stage` (`code` or `enrol`) that still works.
    ///
    /// # Errors
    /// [`AuthError::SignedOut`] for an unknown, used or expired one, or when the user's
    /// credentials or authority changed meanwhile.
    pub async fn sign_in_step(&self, token: &str, stage: &str) -> Result<String, NodeError> {
        Ok(self.step_row(token, stage).await?.username)
    }

    /// The second sign-in step: the code of a half-done sign-in — at stage `code`, a TOTP or
    /// recovery code; at stage `enrol`, the first code of the app that scanned
    /// [`Node::step_enrolment`], which turns two-factor on and makes the recovery codes (show
    /// them once; empty at stage `code`). The half-done sign-in ends with success; a wrong
    /// code leaves it to try again (throttled).
    ///
    /// # Errors
    /// [`AuthError::SignedOut`] for an unknown, used or expired half-done sign-in, or when the
    /// user's credentials or authority changed meanwhile (start again);
    /// [`AuthError::WrongCode`], [`AuthError::Throttled`].
    pub async fn finish_step(
        &self,
        token: &str,
        code: &str,
        address: &str,
    ) -> Result<(NewSession, Vec<String>), NodeError> {
        let step = self.store.sign_in_step(&token_hash(token), &now_rfc3339()).await?;
        let signed_out = || NodeError::Auth(AuthError::SignedOut);
        let step = step.ok_or_else(signed_out)?;
        let row = self.store.user(&step.username).await?.ok_or_else(signed_out)?;
        let (how, codes) = match step.stage.as_str() {
            "code" => (self.check_code(&row, code, address).await?, vec![]),
            _ => ("enrolled", self.confirm(&row.username, &row.party, code, address).await?),
        };
        self.store.delete_sign_in_step(&token_hash(token), &now_rfc3339()).await?;
        Ok((self.open_session(&row, address, how).await?, codes))
    }

    /// What enrolment shows between password and session, for a half-done sign-in at stage
    /// `enrol` (the same secret until it is confirmed).
    ///
    /// # Errors
    /// [`AuthError::SignedOut`] as [`Node::finish_step`], or at stage `code`.
    pub async fn step_enrolment(&self, token: &str) -> Result<Enrolment, NodeError> {
        let step = self.store.sign_in_step(&token_hash(token), &now_rfc3339()).await?;
        match step.filter(|s| s.stage == "enrol") {
            Some(s) => self.enrolment_of(&s.username).await,
            None => Err(NodeError::Auth(AuthError::SignedOut)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1: the 20-byte ASCII secret "12345678901234567890" gives
    /// 94287082 at 59 s (8 digits); its 6 low digits are what a 6-digit app shows.
    #[test]
    fn the_codes_are_rfc_6238s() {
        let secret = Secret::from(*b"12345678901234567890").to_base32();
        assert_eq!(code_at(&secret, 59).unwrap(), "287082");
        assert_eq!(code_at(&secret, 1_111_111_109).unwrap(), "081804");
        assert_eq!(code_at(&secret, 20_000_000_000).unwrap(), "353130");
    }

    #[test]
    fn recovery_codes_read_without_case_dashes_or_spaces() {
        let code = recovery_code().unwrap();
        assert_eq!((code.len(), &code[5..6]), (11, "-"));
        let typed = code.to_lowercase().replace('-', " ");
        assert_eq!(recovery_hash("u", &typed), recovery_hash("u", &code));
        assert_ne!(recovery_hash("v", &code), recovery_hash("u", &code), "per user");
    }

    #[test]
    fn the_qr_code_is_an_svg_element() {
        let svg = qr_svg("otpauth://totp/Lajna:u?secret=AAAA").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{}", &svg[..40]);
    }
}
