//! The committee domain of Lajna: parties, members, cooperation areas, missions, sessions,
//! decisions, communiqués, press documents, roadmaps, actions, needs, offers and training
//! (DESIGN.md §2), the commands that change them and the pure fold of their events.
//!
//! No IO, no crypto, no SQL, no clock: deterministic. Errors carry message keys
//! ([`DomainError::key`]) so the web layer can translate them.
//!
//! Flow: [`command::decide`] (validate a [`Command`] against the [`State`], produce
//! [`command::Emit`] bodies) → the ledger signs them → [`State::apply`] folds them, on every
//! node, in any causal order, with the same result.

pub mod attendance;
pub mod command;
pub mod day;
mod error;
pub mod fields;
pub mod hijri;
pub mod marking;
pub mod minutes;
pub mod money;
pub mod parity;
pub mod records;
pub mod reference;
pub mod resources;
pub mod signature;
pub mod state;
pub mod summary;
pub mod text;
pub mod values;

pub use command::{Actor, Command, Emit, decide};
pub use error::DomainError;
pub use hijri::HijriDate;
pub use marking::{Classification, Clearance, Marking, Releasability};
pub use minutes::{MinutesPhase, MinutesStatus, minutes_status};
pub use records::RecordKind;
pub use state::{Adoption, Change, Charter, Meta, PartyInfo, State, adoption, parse_event};
pub use text::{Lang, LocalizedText};
pub use values::{ActionStatus, PartyCode, Progress};

/// The tz database bundled in the binary (jiff's copy of IANA tzdb). One handle, used
/// everywhere, so that output never depends on the host's `/usr/share/zoneinfo`.
#[must_use]
pub fn tzdb() -> &'static jiff::tz::TimeZoneDatabase {
    static DB: std::sync::OnceLock<jiff::tz::TimeZoneDatabase> = std::sync::OnceLock::new();
    DB.get_or_init(jiff::tz::TimeZoneDatabase::bundled)
}

#[cfg(test)]
mod tests;
