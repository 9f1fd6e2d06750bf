//! The JSON the API answers with (`/api/v1`): records with their derived fields (adoption,
//! a session's opening instant and delegations), documents with their marking label, actions
//! with their overdue figures and decision reference. Pure, like the page models: the web layer
//! reads the snapshot and sends these.

use std::collections::BTreeMap;

use lajna_domain::records::{Action, Indicator};
use lajna_domain::{LocalizedText, RecordKind, summary};
use serde::Serialize;
use serde_json::Value;

/// Collections served read-only by `GET /api/v1/{collection}`: URL name → record kind.
pub const COLLECTIONS: [(&str, RecordKind); 13] = [
    ("members", RecordKind::Member),
    ("areas", RecordKind::Area),
    ("missions", RecordKind::Mission),
    ("sessions", RecordKind::Session),
    ("decisions", RecordKind::Decision),
    ("communiques", RecordKind::Communique),
    ("press", RecordKind::Press),
    ("roadmaps", RecordKind::Roadmap),
    ("needs", RecordKind::Need),
    ("offers", RecordKind::Offer),
    ("training", RecordKind::Training),
    // Issue 18: pledges (with their deliveries, as the reader may see them: a party's private
    // cost only to that party) and the exchange rates.
    ("pledges", RecordKind::Pledge),
    ("rates", RecordKind::Rate),
];

/// The record kind of collection `name`, if it is one.
#[must_use]
pub fn collection(name: &str) -> Option<RecordKind> {
    COLLECTIONS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// A projection document as the API shows it: its fields, `id`, and for decisions and
/// roadmaps the `adoption` (who endorsed the current version; adopted only with both).
#[must_use]
pub fn record_json(doc: Value, kind: RecordKind, parties: &[String]) -> Value {
    let mut doc = doc;
    let id = doc.pointer("/_meta/id").cloned().unwrap_or(Value::Null);
    if matches!(kind, RecordKind::Decision | RecordKind::Roadmap) {
        let adoption = serde_json::to_value(lajna_domain::adoption(&doc, parties)).unwrap_or(Value::Null);
        doc["adoption"] = adoption;
    }
    if kind == RecordKind::Session
        && let Ok(session) = serde_json::from_value::<lajna_domain::records::Session>(doc.clone())
        && let Some(instant) = session.opening_instant()
    {
        // Derived, not stored: the venue-local time and the tz database give the instant.
        doc["opening_utc"] = Value::String(lajna_door::rfc3339(instant));
    }
    if kind == RecordKind::Session {
        // Each party's newest recorded delegation, and where each head of delegation stands.
        let delegations = lajna_domain::attendance::delegations_in_doc(&doc, parties);
        let heads: serde_json::Map<String, Value> = parties
            .iter()
            .map(|p| {
                let status = lajna_domain::attendance::HeadStatus::of(delegations.iter().find(|d| &d.party == p));
                (p.clone(), serde_json::to_value(status).unwrap_or(Value::Null))
            })
            .collect();
        doc["delegations"] = serde_json::to_value(&delegations).unwrap_or(Value::Null);
        doc["heads"] = Value::Object(heads);
    }
    doc["id"] = id;
    doc
}

/// A document as the API shows it: its fields, `id`, `marking_label` (e.g. `SECRET — MAR
/// ONLY`), the `file` URL (relative, any page language) and when and by which party it was
/// registered.
#[must_use]
pub fn document_json(v: &lajna_door::documents::DocumentView, parties: &[lajna_domain::PartyCode]) -> Value {
    let mut doc = serde_json::to_value(&v.document).unwrap_or(Value::Null);
    doc["id"] = Value::String(v.id.clone());
    doc["marking_label"] =
        Value::String(lajna_domain::Marking::banner([&v.document.marking], parties).unwrap_or_else(|| {
            format!("UNCLASSIFIED — {}", parties.iter().map(|p| p.as_str()).collect::<Vec<_>>().join("+"))
        }));
    doc["file"] = Value::String(format!("/en/documents/{}/file", v.id));
    doc["registered_at"] = Value::String(v.registered_at.clone());
    doc["registered_by"] = Value::String(v.registered_by.clone());
    doc
}

/// An action as the API shows it.
#[derive(Serialize, Debug, Clone)]
pub struct ActionJson {
    /// Id (the id of the event that planned it).
    pub id: String,
    /// Title per language.
    pub title: LocalizedText,
    /// Owner party (ISO 3166 alpha-3).
    pub owner_party: String,
    /// Owning unit per language.
    pub unit: LocalizedText,
    /// Area id.
    pub area: String,
    /// Roadmap id.
    pub roadmap: String,
    /// Start date (ISO 8601).
    pub start: String,
    /// Due date (ISO 8601).
    pub due: String,
    /// Status code.
    pub status: &'static str,
    /// Progress, integer percent.
    pub progress: u8,
    /// Overdue on the node's reference date.
    pub overdue: bool,
    /// Days late (0 when not overdue).
    pub days_late: i64,
    /// Indicator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<Indicator>,
    /// Example data, not a fact.
    pub illustrative: bool,
    /// The decision it carries out (decision id), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// That decision's reference (`D-2025/1-3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_reference: Option<String>,
    /// Why it is delayed, blocked or cancelled, as last stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<LocalizedText>,
    /// The date a done action was completed, as reported (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed: Option<String>,
}

/// The API form of action `id` on `today`, with its decision's reference from `references`.
#[must_use]
pub fn to_json(id: &str, a: &Action, today: jiff::civil::Date, references: &BTreeMap<String, String>) -> ActionJson {
    ActionJson {
        id: id.to_string(),
        title: a.title.clone(),
        owner_party: a.owner.to_string(),
        unit: a.unit.clone(),
        area: a.area.clone(),
        roadmap: a.roadmap.clone(),
        start: a.start.to_string(),
        due: a.due.to_string(),
        status: a.status.code(),
        progress: a.progress.percent(),
        overdue: summary::is_overdue(a, today),
        days_late: summary::days_late(a, today),
        indicator: a.indicator.clone(),
        illustrative: a.illustrative,
        decision: a.decision.clone(),
        decision_reference: a.decision.as_ref().and_then(|d| references.get(d).cloned()),
        reason: a.reason.clone(),
        completed: a.completed.map(|d| d.to_string()),
    }
}

/// Default number of items of a page of an API list (`GET /api/v1/actions`, `/api/v1/{collection}`).
pub const PAGE_DEFAULT: usize = 50;
/// Largest page of an API list a client may ask for (`limit`); larger values are clamped.
pub const PAGE_MAX: usize = 500;

/// Whether the `If-None-Match` header lines `values` name `tag` (weak comparison, RFC 9110
/// §13.1.2: `W/"x"` matches `"x"`) or are `*`.
pub fn etag_matches<'a>(values: impl IntoIterator<Item = &'a str>, tag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    values.into_iter().flat_map(|v| v.split(',')).any(|t| t.trim() == "*" || bare(t) == bare(tag))
}

/// Whether `Accept-Encoding` header lines accept gzip (RFC 9110 §12.5.3): `gzip` (or
/// `x-gzip`) listed without `q=0`, or, when it is not listed, `*` without `q=0`.
#[must_use]
pub fn gzip_ok<'a>(lines: impl IntoIterator<Item = &'a str>) -> bool {
    let (mut gzip, mut any) = (None, None);
    for coding in lines.into_iter().flat_map(|l| l.split(',')) {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default().to_ascii_lowercase();
        let q = parts.find_map(|p| p.to_ascii_lowercase().strip_prefix("q=").map(|v| v.trim().parse::<f32>()));
        let accepted = !matches!(q, Some(Ok(v)) if v <= 0.0);
        match name.as_str() {
            "gzip" | "x-gzip" => gzip = Some(accepted),
            "*" => any = Some(accepted),
            _ => {}
        }
    }
    gzip.or(any).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn gzip_is_accepted_as_rfc_9110_says() {
        for (lines, ok) in [
            (&["gzip, deflate, br"][..], true),
            (&["br;q=1.0, GZIP;q=0.5"], true),
            (&["gzip;q=0"], false),
            (&["gzip; q=0.000, *"], false),
            (&["*"], true),
            (&["*;q=0"], false),
            (&["identity"], false),
            (&[], false),
            (&["deflate", "x-gzip"], true),
        ] {
            assert_eq!(super::gzip_ok(lines.iter().copied()), ok, "{lines:?}");
        }
    }
}
