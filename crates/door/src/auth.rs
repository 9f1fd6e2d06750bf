//! Users as the web sees them, what each role may do (DESIGN.md §6) and why signing in or
//! acting was refused. Credentials, sessions and their checks live in the node
//! (`lajna_node::auth`, which re-exports these types at their old paths).

use lajna_domain::records::Action;
use lajna_domain::{Actor, Classification, Clearance, Command, PartyCode, RecordKind, State};

/// The shortest password accepted, characters (`lajna_node::password`, issue 16).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A user's role on this node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Co-chair: everything a secretary does, and endorsements.
    CoChair,
    /// Secretary: records missions, sessions, minutes, the roadmap; edits own-party records.
    Secretary,
    /// Action owner: reports progress and evidence on own-party actions.
    ActionOwner,
    /// Viewer: reads only.
    Viewer,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::CoChair, Role::Secretary, Role::ActionOwner, Role::Viewer];

    /// Code: `co-chair`, `secretary`, `action-owner`, `viewer`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Role::CoChair => "co-chair",
            Role::Secretary => "secretary",
            Role::ActionOwner => "action-owner",
            Role::Viewer => "viewer",
        }
    }

    /// The clearance a new user of this role gets (issue 6): co-chairs SECRET, secretaries
    /// CONFIDENTIAL, action owners RESTRICTED, viewers UNCLASSIFIED.
    #[must_use]
    pub fn default_clearance(self) -> Clearance {
        match self {
            Role::CoChair => Classification::Secret,
            Role::Secretary => Classification::Confidential,
            Role::ActionOwner => Classification::Restricted,
            Role::Viewer => Classification::Unclassified,
        }
    }

    /// Parses a code.
    ///
    /// # Errors
    /// [`AuthError::BadRole`].
    pub fn parse(code: &str) -> Result<Self, AuthError> {
        Self::ALL.into_iter().find(|r| r.code() == code).ok_or_else(|| AuthError::BadRole(code.into()))
    }
}

/// A signed-in user's live session as pages use it.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The user.
    pub user: User,
    /// The session's CSRF token.
    pub csrf: String,
    /// The user's time zone (tz database; UTC when unset or unknown).
    pub zone: jiff::tz::TimeZone,
    /// The user's unread notifications when the session was read (issue 14's header count).
    pub unread: i64,
}

/// A signed-in user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Login name.
    pub username: String,
    /// Party.
    pub party: PartyCode,
    /// Role.
    pub role: Role,
    /// Member record id, if the user is a member of the committee.
    pub member: Option<String>,
    /// The highest classification the user may see (DESIGN.md §6).
    pub clearance: Clearance,
}

impl User {
    /// The actor commands of this user run as.
    #[must_use]
    pub fn actor(&self) -> Actor {
        Actor { party: self.party.clone(), member: self.member.clone() }
    }

    /// Whether this user may write anything at all.
    #[must_use]
    pub fn can_write(&self) -> bool {
        self.role != Role::Viewer
    }
}

/// Why signing in or acting was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Unknown user, wrong password or disabled account (indistinguishable on purpose). HTTP 401.
    #[error("wrong username or password")]
    InvalidCredentials,
    /// Too many failures. HTTP 429.
    #[error("too many failed sign-ins; try again in {minutes} minutes")]
    Throttled {
        /// Minutes until the next attempt is accepted (at least 1).
        minutes: i64,
    },
    /// The user's role or party does not allow the command. HTTP 403.
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    /// No valid session. HTTP 401.
    #[error("sign in first")]
    SignedOut,
    /// A username that is not 2–32 of `a-z 0-9 . _ -`. HTTP 422.
    #[error("username {0:?}: use 2 to 32 characters among a-z, 0-9, '.', '_' and '-'")]
    BadUsername(String),
    /// A password shorter than [`MIN_PASSWORD_CHARS`]. HTTP 422.
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    WeakPassword,
    /// A password of the shipped list of common passwords, a listed word padded with digits
    /// or symbols, too repetitive, or holding the username (`crate::password`). HTTP 422.
    #[error("this password is too common or too easy to guess: choose another (a few unrelated words, for instance)")]
    CommonPassword,
    /// A role code that does not exist. HTTP 422.
    #[error("role {0:?} does not exist: use co-chair, secretary, action-owner or viewer")]
    BadRole(String),
    /// No such user. HTTP 404.
    #[error("no user {0:?}")]
    NoSuchUser(String),
    /// A username already taken. HTTP 422.
    #[error("user {0:?} already exists")]
    UserExists(String),
    /// An activation or reset link that was used, has expired or never existed. HTTP 422.
    #[error("this link was used already, has expired or does not exist: ask an administrator for a new one")]
    BadLink,
    /// Two-factor sign-in is on for this user and no code was given (the API's one-step
    /// sign-in; the web asks for it on a second page). HTTP 401.
    #[error("two-factor sign-in is on for this user: give the code of the authenticator app (\"code\")")]
    CodeRequired,
    /// A TOTP code that is wrong, too old, or used already, or an unknown or used recovery
    /// code. HTTP 401.
    #[error("wrong code, or a code used already")]
    WrongCode,
    /// The user's role requires two-factor sign-in (the setting `totp_required_roles`) and the
    /// user has not enrolled: the web sign-in leads to enrolment, the API refuses. HTTP 403.
    #[error("this role requires two-factor sign-in: sign in on the web page once to set it up")]
    EnrolmentRequired,
}

impl AuthError {
    /// Message key for the UI catalogues.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::InvalidCredentials => "error-invalid-credentials",
            Self::Throttled { .. } => "error-throttled",
            Self::Forbidden(_) => "error-forbidden",
            Self::SignedOut => "error-signed-out",
            Self::BadUsername(_) => "error-bad-username",
            Self::WeakPassword => "error-weak-password",
            Self::CommonPassword => "error-common-password",
            Self::BadRole(_) => "error-bad-role",
            Self::NoSuchUser(_) => "error-no-such-user",
            Self::UserExists(_) => "error-user-exists",
            Self::BadLink => "error-bad-link",
            Self::CodeRequired => "error-code-required",
            Self::WrongCode => "error-wrong-code",
            Self::EnrolmentRequired => "error-enrolment-required",
        }
    }

    /// The HTTP status of the refusal (each variant's doc names it).
    #[must_use]
    pub fn http_status(&self) -> u16 {
        match self {
            Self::InvalidCredentials | Self::SignedOut | Self::CodeRequired | Self::WrongCode => 401,
            Self::Forbidden(_) | Self::EnrolmentRequired => 403,
            Self::NoSuchUser(_) => 404,
            Self::Throttled { .. } => 429,
            _ => 422,
        }
    }
}

/// 32 random bytes as 64 hex digits (tokens).
///
/// # Errors
/// The system has no random source.
pub fn random_hex() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}

/// A new session: the cookie token (give it to the browser, never store it) and the CSRF token.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// The user.
    pub user: User,
    /// Cookie value.
    pub token: String,
    /// CSRF token to put in forms and the `X-CSRF-Token` header.
    pub csrf: String,
}

fn owned_by(party: &PartyCode, user: &User) -> Result<(), AuthError> {
    if party == &user.party { Ok(()) } else { Err(AuthError::Forbidden("another party's record")) }
}

/// The party a record's JSON names in its owner field `field` ([`RecordKind::owner`]).
fn party_in(record: &serde_json::Map<String, serde_json::Value>, field: &str) -> Option<PartyCode> {
    record.get(field).and_then(serde_json::Value::as_str).and_then(|p| PartyCode::parse(p).ok())
}

/// What `user` may do (DESIGN.md §6, issue 3): viewers write nothing; action owners report
/// progress and evidence on their party's actions; secretaries and co-chairs record the joint
/// records (missions, sessions, areas, roadmaps, decisions, press) and their own party's
/// records (those whose table names an owner field, `lajna_domain::records::Record::OWNER`:
/// actions, communiqués, needs, offers, training, members, notes); only co-chairs endorse.
///
/// # Errors
/// [`AuthError::Forbidden`] naming the rule.
pub fn authorize(user: &User, state: &State, command: &Command) -> Result<(), AuthError> {
    let forbid = |why| Err(AuthError::Forbidden(why));
    if user.role == Role::Viewer {
        return forbid("viewers read only");
    }
    let action_owner = |id: &str| -> Result<(), AuthError> {
        match state.get::<Action>(RecordKind::Action, id) {
            Some(a) => owned_by(&a.owner, user),
            None => Ok(()), // the domain refuses unknown actions with its own message
        }
    };
    match command {
        Command::ReportProgress { action, .. } | Command::AddEvidence { action, .. } => return action_owner(action),
        _ if user.role == Role::ActionOwner => return forbid("action owners only report progress and evidence"),
        _ => {}
    }
    match command {
        // A member holding a co-chair's signature delegation endorses a decision or roadmap on a
        // dated command: the domain checks the delegation (issue 16 item 4).
        Command::Endorse { on: None, .. } | Command::EndorseMinutes { .. } if user.role != Role::CoChair => {
            forbid("only co-chairs endorse")
        }
        Command::DelegateSignature { .. } | Command::WithdrawSignatureDelegation { .. }
            if user.role != Role::CoChair =>
        {
            forbid("only co-chairs delegate their signature")
        }
        // A party's secretary or co-chair records its delegation; the domain refuses the other
        // party's delegation with its own message (`error-delegation-other-party`).
        Command::RecordDelegation { .. } if !matches!(user.role, Role::CoChair | Role::Secretary) => {
            forbid("only secretaries and co-chairs record a delegation")
        }
        // Pledges carry a marking like documents (issue 18): made no higher than the user's
        // clearance, revised or delivered only by a user the pledge's marking allows.
        Command::MakePledge(p) if p.marking.classification > user.clearance => {
            forbid("a pledge above the user's clearance")
        }
        Command::Revise { kind: RecordKind::Pledge, id, .. }
        | Command::RecordDelivery { pledge: id, .. }
        | Command::WithdrawDelivery { pledge: id, .. }
            if !state
                .entry(id)
                .map(lajna_domain::state::Entry::marking)
                .unwrap_or_default()
                .allows(&user.party, user.clearance) =>
        {
            forbid("a pledge above the user's clearance")
        }
        Command::RegisterDocument(d) => {
            if d.marking.classification > user.clearance {
                return forbid("a document above the user's clearance");
            }
            match d.marking.releasable_to.only() {
                Some(p) => owned_by(p, user),
                None => Ok(()),
            }
        }
        Command::Revise { kind: RecordKind::Document, id, .. } => {
            let marking = state.entry(id).map(lajna_domain::state::Entry::marking).unwrap_or_default();
            if !marking.allows(&user.party, user.clearance) {
                return forbid("a document above the user's clearance");
            }
            Ok(())
        }
        Command::Revise { kind, id, set } => {
            // The field that names the owning party, for records a party owns; joint records
            // (missions, sessions, areas, roadmaps, decisions, press) have none.
            let Some(field) = kind.owner() else { return Ok(()) };
            let party = state.entry(id).filter(|e| e.kind == *kind).and_then(|e| party_in(&e.content(), field));
            if let Some(p) = &party {
                owned_by(p, user)?;
            }
            // Handing the record to the other party is a change of that party's record too.
            if let Some(p) = party_in(set, field)
                && Some(&p) != party.as_ref()
            {
                owned_by(&p, user)?;
            }
            Ok(())
        }
        // A record created for a party (its owner field) must be the user's party's.
        _ => match command.created() {
            Some((kind, serde_json::Value::Object(record))) => {
                kind.owner().and_then(|field| party_in(&record, field)).map_or(Ok(()), |p| owned_by(&p, user))
            }
            _ => Ok(()),
        },
    }
}

/// The client of a request that came over a connection from `peer` (with `forwarded_for`, the
/// values of its `X-Forwarded-For` headers in order): `peer` itself, unless it
/// is one of the trusted `proxies`; then, walking `X-Forwarded-For` (every such header, in
/// order; RFC 7239 §5.2's chain, the de facto header) from the right, the first address that is
/// not a trusted proxy — each proxy appends the address it saw, so what lies left of an
/// untrusted hop was written by the client and is not believed. An entry that is not a bare
/// address stops the walk at the last trusted hop. The port is the connection's (the header
/// has none).
#[must_use]
pub fn client_address<'a>(
    peer: std::net::SocketAddr,
    forwarded_for: impl Iterator<Item = &'a str>,
    proxies: &[ipnet::IpNet],
) -> std::net::SocketAddr {
    let trusted = |ip: std::net::IpAddr| proxies.iter().any(|net| net.contains(&ip.to_canonical()));
    let mut client = peer.ip().to_canonical();
    if !trusted(client) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for.flat_map(|v| v.split(',')).collect();
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.trim().parse::<std::net::IpAddr>() else { break };
        client = ip.to_canonical();
        if !trusted(client) {
            break;
        }
    }
    std::net::SocketAddr::new(client, peer.port())
}
