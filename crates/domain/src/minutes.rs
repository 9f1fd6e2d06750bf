//! The minutes (procès-verbal) of a session: draft → agreed → locked, then amendments.
//!
//! - **Draft**: the session's `minutes` field (a last-writer-wins per-language text), edited
//!   by `session.revised`. Its *version* is the id of the event that last wrote the field
//!   (`Entry.fields["minutes"].0`), so any edit needs new endorsements.
//! - **Agreed**: both parties' co-chairs endorsed the same version (`session.minutes_endorsed`,
//!   each naming the version and carrying the text it endorses, added to the add-only set
//!   [`ENDORSEMENTS`]). From then on the minutes are **locked**: `decide` refuses a revision of
//!   the field, and the agreed text is read from the endorsements, so even a concurrent edit by
//!   a node that had not yet heard of the agreement cannot change it.
//! - **Amendments** (`session.minutes_amended`, add-only set [`AMENDMENTS`]): a full corrected
//!   text, whose version is the amendment event's id; it takes effect when both parties
//!   endorsed it. The text in force is that of the newest adopted amendment (by stamp), else
//!   the agreed text.
//!
//! Everything here is a function of add-only sets and one register, so every node derives the
//! same status from the same events, whatever order they arrived in.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::state::{Entry, Stamp};
use crate::text::LocalizedText;

/// The field holding the draft minutes.
pub const MINUTES: &str = "minutes";
/// Add-only set of minutes endorsements: `{version, minutes, party, member, at, event}`.
pub const ENDORSEMENTS: &str = "minutes_endorsements";
/// Add-only set of amendments: `{minutes, party, member, at, event}`; the amendment's id is `event`.
pub const AMENDMENTS: &str = "minutes_amendments";

/// A version of the minutes and who endorsed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MinutesVersion {
    /// Version: id of the event that wrote this text.
    pub version: String,
    /// The text.
    pub text: LocalizedText,
    /// Parties whose co-chair endorsed this version, sorted.
    pub endorsed_by: Vec<String>,
    /// Parties still to endorse it, sorted.
    pub awaiting: Vec<String>,
}

/// An amendment of locked minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Amendment {
    /// Id (the amendment event's id), also its version.
    pub id: String,
    /// Party that proposed it.
    pub party: String,
    /// Author time (RFC 3339 UTC, informational).
    pub at: String,
    /// The corrected minutes, complete.
    pub text: LocalizedText,
    /// Parties whose co-chair endorsed it, sorted.
    pub endorsed_by: Vec<String>,
    /// Parties still to endorse it, sorted.
    pub awaiting: Vec<String>,
    /// Both parties endorsed it.
    pub adopted: bool,
    /// Not adopted, and a newer amendment was adopted: it can no longer take effect.
    pub superseded: bool,
}

/// Where the minutes stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MinutesPhase {
    /// Being written or endorsed; editable.
    Draft,
    /// Agreed by both parties, hence locked; corrections are amendments.
    Agreed,
}

/// The derived status of a session's minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MinutesStatus {
    /// The draft (the `minutes` field) and its endorsements, when there is a text.
    pub draft: Option<MinutesVersion>,
    /// The first version both parties endorsed: the minutes are locked when there is one.
    pub agreed: Option<MinutesVersion>,
    /// Amendments, oldest first.
    pub amendments: Vec<Amendment>,
}

impl MinutesStatus {
    /// Whether the minutes are locked (a version was agreed by both parties).
    #[must_use]
    pub fn locked(&self) -> bool {
        self.agreed.is_some()
    }

    /// Draft or agreed.
    #[must_use]
    pub fn phase(&self) -> MinutesPhase {
        if self.locked() { MinutesPhase::Agreed } else { MinutesPhase::Draft }
    }

    /// The minutes in force: (version, text). The draft until agreement; then the newest
    /// adopted amendment, else the agreed text.
    #[must_use]
    pub fn effective(&self) -> Option<(&str, &LocalizedText)> {
        match &self.agreed {
            None => self.draft.as_ref().map(|d| (d.version.as_str(), &d.text)),
            Some(agreed) => Some(
                self.amendments
                    .iter()
                    .rev()
                    .find(|a| a.adopted)
                    .map_or((agreed.version.as_str(), &agreed.text), |a| (a.id.as_str(), &a.text)),
            ),
        }
    }

    /// The amendment with id `id`.
    #[must_use]
    pub fn amendment(&self, id: &str) -> Option<&Amendment> {
        self.amendments.iter().find(|a| a.id == id)
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Who endorsed what: version → party → stamp of that party's first endorsement; and the
/// text carried by the first endorsement of each version.
type Endorsements<'a> = (BTreeMap<&'a str, BTreeMap<&'a str, &'a Stamp>>, BTreeMap<&'a str, LocalizedText>);

fn endorsements(entry: &Entry) -> Endorsements<'_> {
    let mut by_version: BTreeMap<&str, BTreeMap<&str, &Stamp>> = BTreeMap::new();
    let mut texts = BTreeMap::new();
    for (stamp, e) in entry.sets.get(ENDORSEMENTS).into_iter().flatten() {
        let version = str_of(e, "version");
        by_version.entry(version).or_default().entry(str_of(e, "party")).or_insert(stamp);
        if let Some(text) = e.get("minutes").and_then(|t| serde_json::from_value::<LocalizedText>(t.clone()).ok()) {
            texts.entry(version).or_insert(text);
        }
    }
    (by_version, texts)
}

fn split(endorsers: Option<&BTreeMap<&str, &Stamp>>, parties: &[String]) -> (Vec<String>, Vec<String>) {
    let mut endorsed_by: Vec<String> =
        parties.iter().filter(|p| endorsers.is_some_and(|e| e.contains_key(p.as_str()))).cloned().collect();
    endorsed_by.sort();
    let mut awaiting: Vec<String> = parties.iter().filter(|p| !endorsed_by.contains(p)).cloned().collect();
    awaiting.sort();
    (endorsed_by, awaiting)
}

/// Derives the status of a session's minutes from its record and the committee's parties.
#[must_use]
pub fn minutes_status(entry: &Entry, parties: &[String]) -> MinutesStatus {
    let (by_version, texts) = endorsements(entry);
    let amendment_ids: Vec<&str> =
        entry.sets.get(AMENDMENTS).into_iter().flatten().map(|(_, a)| str_of(a, "event")).collect();
    let complete = |version: &str| -> Option<&Stamp> {
        let endorsers = by_version.get(version)?;
        if parties.is_empty() {
            return None;
        }
        parties.iter().map(|p| endorsers.get(p.as_str()).copied()).collect::<Option<Vec<_>>>()?.into_iter().max()
    };

    let draft = entry.fields.get(crate::minutes::MINUTES).and_then(|(stamp, value)| {
        let text: LocalizedText = serde_json::from_value(value.clone()).ok()?;
        let (endorsed_by, awaiting) = split(by_version.get(stamp.id.as_str()), parties);
        Some(MinutesVersion { version: stamp.id.clone(), text, endorsed_by, awaiting })
    });

    // The agreed version: of the base (non-amendment) versions both parties endorsed, the one
    // whose agreement (the later of the two first endorsements) came first.
    let agreed = by_version
        .keys()
        .filter(|v| !amendment_ids.contains(v))
        .filter_map(|v| complete(v).map(|at| (at, *v)))
        .min()
        .and_then(|(_, v)| {
            let (endorsed_by, awaiting) = split(by_version.get(v), parties);
            texts.get(v).map(|text| MinutesVersion {
                version: v.to_string(),
                text: text.clone(),
                endorsed_by,
                awaiting,
            })
        });

    let mut amendments: Vec<Amendment> = entry
        .sets
        .get(AMENDMENTS)
        .into_iter()
        .flatten()
        .filter_map(|(_, a)| {
            let id = str_of(a, "event").to_string();
            let text: LocalizedText = serde_json::from_value(a.get("minutes")?.clone()).ok()?;
            let (endorsed_by, awaiting) = split(by_version.get(id.as_str()), parties);
            Some(Amendment {
                adopted: complete(&id).is_some(),
                party: str_of(a, "party").to_string(),
                at: str_of(a, "at").to_string(),
                id,
                text,
                endorsed_by,
                awaiting,
                superseded: false,
            })
        })
        .collect();
    let mut later_adopted = false;
    for a in amendments.iter_mut().rev() {
        a.superseded = !a.adopted && later_adopted;
        later_adopted |= a.adopted;
    }
    MinutesStatus { draft, agreed, amendments }
}
