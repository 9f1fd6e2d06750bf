//! Resources (issue 18): what each party commits in money or in kind — a pledge on an offer, a
//! need or an action, with its due date and its deliveries — and the exchange rates the
//! secretariat enters to total them in one reporting currency. Values are those of
//! [`crate::money`] (integers and fractions, never floating point).
//!
//! **Who sees a pledge.** A pledge carries a [`Marking`] like a document, and the one marking
//! rule applies to it: a pledge releasable to its party only (a party's internal cost of an
//! action) is a one-party record — it and its deliveries are appended to that party's private
//! log, never offered to the peer, never in the shared state hash (DESIGN.md §4 invariant 9);
//! its releasability is fixed when it is made ([`crate::state::check_document_revision`]).
//!
//! **Deliveries are an add-only set of the pledge** (`deliveries`, event
//! `pledge.delivery_recorded`), not records of their own: a delivery is a dated fact signed
//! once, like a piece of evidence; it belongs to exactly one pledge and lives in the same log
//! as its pledge without a rule of its own (a delivery of a private pledge is private because
//! its pledge is, [`crate::Change::is_private`]); and two deliveries recorded on both nodes at
//! once both count — an add-only set converges with no conflict, where last-writer-wins fields
//! would drop one. A delivery recorded by mistake is withdrawn, not edited: the withdrawal is
//! an element of a second add-only set (`withdrawn_deliveries`, event
//! `pledge.delivery_withdrawn`) naming the delivery's event, so the fold stays a union of sets
//! and the record keeps what was said and when it was taken back.
//!
//! **The reporting currency** is not a record: a total is computed for whatever currency the
//! reader asks for (`lajna_views::resources` takes it as a parameter; a node setting gives the
//! pages their default), from the rates entered as [`ExchangeRate`] records — shared, joint,
//! dated — so both parties get the same figure in the same currency.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::DomainError;
use crate::command::{Actor, Command, Emit};
use crate::fields::{Field, ILLUSTRATIVE, Preset};
use crate::marking::Marking;
use crate::money::{Currency, InKind, Money, Quantity, Rate, RateEntry, Rates};
use crate::records::{Record, RecordKind, Validate, check_references};
use crate::state::{BODY_VERSION, Change, Entry, State};
use crate::values::PartyCode;

/// Name of the add-only set of a pledge's deliveries.
pub const DELIVERIES: &str = "deliveries";

/// Event kind of a recorded delivery.
pub const DELIVERY_RECORDED: &str = "pledge.delivery_recorded";

/// Name of the add-only set of a pledge's withdrawn deliveries (each names a delivery's event).
pub const WITHDRAWN: &str = "withdrawn_deliveries";

/// Event kind of a withdrawn delivery.
pub const DELIVERY_WITHDRAWN: &str = "pledge.delivery_withdrawn";

/// What a pledge may be made on.
const PLEDGEABLE: &[RecordKind] = &[RecordKind::Offer, RecordKind::Need, RecordKind::Action];

fn is_false(b: &bool) -> bool {
    !*b
}

/// A value pledged: an amount of money, or a quantity in kind with its unit and an optional
/// valuation. JSON `{"money": {"minor": 2000000, "currency": "MAD"}}` or `{"in_kind":
/// {"quantity": "20", "unit": {"fr": "places de formation"}, "valuation": {…}}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pledged {
    /// An amount.
    Money(Money),
    /// A quantity in kind.
    InKind(InKind),
}

/// A value delivered against a pledge: money in the pledge's currency, or a quantity in the
/// pledge's unit (its money value is the pledge's valuation pro rata). JSON `{"money": {…}}`
/// or `{"in_kind": {"quantity": "5"}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivered {
    /// An amount, in the pledge's currency.
    Money(Money),
    /// A quantity, in the pledge's unit.
    InKind {
        /// How many.
        quantity: Quantity,
    },
}

/// A pledge: a party commits a value to an offer, a need or an action, due by a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pledge {
    /// The party that pledges.
    pub party: PartyCode,
    /// The offer, need or action it is made on (record id).
    pub about: String,
    /// The day it was pledged (the date of its value, for conversions).
    pub date: Date,
    /// The day it is due: past it, a pledge not fully delivered is "not honoured".
    pub due: Date,
    /// What is pledged.
    pub value: Pledged,
    /// Classification and releasability: releasable to `party` only, the pledge (and every
    /// delivery of it) stays in that party's private log.
    pub marking: Marking,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

impl Record for Pledge {
    const KIND: RecordKind = RecordKind::Pledge;
    const FIELDS: &'static [Field] = &[
        Field::party("party", "party").required().preset(Preset::OwnParty),
        Field::reference("about", "resources-about", PLEDGEABLE).required(),
        Field::date("date", "resources-pledge-date").required(),
        Field::date("due", "due").required().not_before("date"),
        Field::value("value", "resources-value").required(),
        Field::marking("marking", "documents-marking").required(),
        ILLUSTRATIVE,
    ];
    const OWNER: Option<&'static str> = Some("party");
    fn create(self) -> Command {
        Command::MakePledge(self)
    }
}

/// A money amount of a pledge or delivery must be more than zero. The refusal shows the amount
/// as written in English (`-100.00 MAD`), not in minor units (`-10000`) a reader never typed.
fn positive_money(field: &str, m: Money) -> Result<(), DomainError> {
    if m.minor() > 0 {
        Ok(())
    } else {
        Err(DomainError::NotPositive {
            field: field.into(),
            value: format!("{} {}", m.format(crate::Lang::En), m.currency().code()),
        })
    }
}

fn positive_quantity(field: &str, q: Quantity) -> Result<(), DomainError> {
    if q.is_positive() { Ok(()) } else { Err(DomainError::NotPositive { field: field.into(), value: String::from(q) }) }
}

impl Validate for Pledge {
    fn validate(&self, state: &State) -> Result<(), DomainError> {
        state.require_party(&self.party)?;
        check_references(self, state)?;
        if self.due < self.date {
            return Err(DomainError::EndBeforeStart {
                field: "due".into(),
                start: self.date.to_string(),
                end: self.due.to_string(),
            });
        }
        match &self.value {
            Pledged::Money(m) => positive_money("value.minor", *m)?,
            Pledged::InKind(k) => {
                positive_quantity("value.quantity", k.quantity)?;
                k.unit.check_short("value.unit")?;
                if let Some(v) = k.valuation {
                    positive_money("value.valuation.minor", v)?;
                }
            }
        }
        // A one-party pledge is the pledging party's own (its private log).
        if let Some(p) = self.marking.releasable_to.only()
            && p != &self.party
        {
            return Err(DomainError::InvalidValue { field: "releasable_to".into(), value: p.to_string() });
        }
        Ok(())
    }
}

/// An exchange rate entered by the secretariat (no online source): on `date`, one unit of
/// `from` is `numerator / denominator` units of `to` (a rate typed `10,8523` is 108523/10000).
/// Joint and shared: both parties total in the same rates. A correction is a revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRate {
    /// One unit of this currency…
    pub from: Currency,
    /// …in this one.
    pub to: Currency,
    /// The day the rate is dated: used for values dated on or after it, until a later one.
    pub date: Date,
    /// Numerator, 1 to 2^53 − 1 (a zero or negative one does not read: refused on receipt).
    #[serde(deserialize_with = "rate_term")]
    pub numerator: i64,
    /// Denominator, 1 to 2^53 − 1.
    #[serde(deserialize_with = "rate_term")]
    pub denominator: i64,
    /// Example data.
    #[serde(default, skip_serializing_if = "is_false")]
    pub illustrative: bool,
}

/// A term of a rate as read: 1 to 2^53 − 1.
fn rate_term<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = i64::deserialize(d)?;
    Rate::new(n, 1).map(|_| n).map_err(serde::de::Error::custom)
}

impl ExchangeRate {
    /// The rate as a fraction.
    ///
    /// # Errors
    /// As [`Rate::new`]: a zero or negative term.
    pub fn rate(&self) -> Result<Rate, DomainError> {
        Rate::new(self.numerator, self.denominator)
    }
}

impl Record for ExchangeRate {
    const KIND: RecordKind = RecordKind::Rate;
    const FIELDS: &'static [Field] = &[
        Field::choice("from", "resources-rate-from", Currency::CODES, "currency-").required(),
        Field::choice("to", "resources-rate-to", Currency::CODES, "currency-").required(),
        Field::date("date", "resources-rate-date").required(),
        Field::integer("numerator", "resources-rate-numerator").required(),
        Field::integer("denominator", "resources-rate-denominator").required().preset(Preset::Value("1")),
        ILLUSTRATIVE,
    ];
    fn create(self) -> Command {
        Command::EnterRate(self)
    }
}

impl Validate for ExchangeRate {
    fn validate(&self, _state: &State) -> Result<(), DomainError> {
        if self.from == self.to {
            return Err(DomainError::InvalidValue { field: "to".into(), value: self.to.code().into() });
        }
        self.rate().map(|_| ())
    }
}

/// One delivery of a pledge: the day, what was delivered, and the archived document that
/// evidences it, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The day delivered (not before the pledge's date).
    pub date: Date,
    /// What was delivered.
    pub value: Delivered,
    /// A document of the archive that evidences it (document id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

fn malformed(reason: impl Into<String>) -> DomainError {
    DomainError::MalformedBody { kind: DELIVERY_RECORDED.into(), reason: reason.into() }
}

/// The change of a `pledge.delivery_recorded` body (`{"v", "record", "date", "value",
/// "evidence"?}`): the delivery added to the pledge's set, typed.
pub(crate) fn parse(record: String, obj: &Map<String, Value>) -> Result<Change, DomainError> {
    let fields: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "v" | "record"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let delivery: Delivery = serde_json::from_value(Value::Object(fields)).map_err(|e| malformed(e.to_string()))?;
    let value = serde_json::to_value(&delivery).map_err(|e| malformed(e.to_string()))?;
    Ok(Change::Add { kind: RecordKind::Pledge, record, set: DELIVERIES, value })
}

/// The change of a `pledge.delivery_withdrawn` body (`{"v", "record", "delivery"}`): the
/// delivery's event id added to the pledge's withdrawn set.
pub(crate) fn parse_withdrawal(record: String, obj: &Map<String, Value>) -> Result<Change, DomainError> {
    let malformed =
        |reason: &str| DomainError::MalformedBody { kind: DELIVERY_WITHDRAWN.into(), reason: reason.into() };
    let delivery = obj.get("delivery").and_then(Value::as_str).ok_or_else(|| malformed("no delivery"))?;
    if delivery.len() != 64 || !delivery.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(malformed("delivery is not an event id"));
    }
    Ok(Change::Add { kind: RecordKind::Pledge, record, set: WITHDRAWN, value: json!({"delivery": delivery}) })
}

/// The check of a received withdrawal against the state: it names a delivery of the pledge (the
/// delivery is among its parents, so it is always held first).
pub(crate) fn check_withdrawal(state: &State, record: &str, value: &Value) -> Result<(), DomainError> {
    let delivery = value.get("delivery").and_then(Value::as_str).unwrap_or_default();
    let entry = state.require(RecordKind::Pledge, record)?;
    if delivery_events(entry).any(|e| e == delivery) {
        Ok(())
    } else {
        Err(DomainError::UnknownRecord { kind: "delivery".into(), id: delivery.into() })
    }
}

/// The event ids of every delivery ever recorded on a pledge, withdrawn or not.
fn delivery_events(entry: &Entry) -> impl Iterator<Item = &str> {
    entry.sets.get(DELIVERIES).into_iter().flat_map(|s| s.values()).filter_map(|v| v.get("event")?.as_str())
}

/// The event ids of the withdrawn deliveries of a pledge.
fn withdrawn(entry: &Entry) -> Vec<&str> {
    entry.sets.get(WITHDRAWN).into_iter().flat_map(|s| s.values()).filter_map(|v| v.get("delivery")?.as_str()).collect()
}

/// The pledge `id` with its entry, when `actor`'s party made it (only the pledging party records
/// or withdraws its deliveries).
fn own_pledge<'a>(state: &'a State, actor: &Actor, id: &str) -> Result<(&'a Entry, Pledge), DomainError> {
    let entry = state.require(RecordKind::Pledge, id)?;
    let pledge: Pledge = state
        .get(RecordKind::Pledge, id)
        .ok_or_else(|| DomainError::UnknownRecord { kind: "pledge".into(), id: id.into() })?;
    if pledge.party != actor.party {
        return Err(DomainError::InvalidValue { field: "party".into(), value: actor.party.to_string() });
    }
    Ok((entry, pledge))
}

/// `decide` for `WithdrawDelivery`: the pledging party withdraws a delivery of its pledge that
/// is not withdrawn yet.
pub(crate) fn withdraw(state: &State, actor: &Actor, id: &str, delivery: &str) -> Result<Vec<Emit>, DomainError> {
    let (entry, _) = own_pledge(state, actor, id)?;
    if !delivery_events(entry).any(|e| e == delivery) || withdrawn(entry).contains(&delivery) {
        return Err(DomainError::UnknownRecord { kind: "delivery".into(), id: delivery.into() });
    }
    Ok(vec![Emit {
        kind: DELIVERY_WITHDRAWN.into(),
        body: json!({"v": BODY_VERSION, "record": id, "delivery": delivery}),
    }])
}

/// The check of a received delivery against the state: its evidence names a document.
pub(crate) fn check_received(state: &State, value: &Value) -> Result<(), DomainError> {
    let delivery: Delivery = serde_json::from_value(value.clone()).map_err(|e| malformed(e.to_string()))?;
    match &delivery.evidence {
        Some(doc) => state.require(RecordKind::Document, doc).map(|_| ()),
        None => Ok(()),
    }
}

/// `decide` for `RecordDelivery`: by the pledging party, not before the pledge's date, of the
/// pledge's sort (money in its currency, or a quantity of its unit), more than zero, its
/// evidence a document the pledge's readers may all see (a shared pledge cannot cite a
/// one-party document: the other party could not check it).
pub(crate) fn record(state: &State, actor: &Actor, id: &str, delivery: &Delivery) -> Result<Vec<Emit>, DomainError> {
    let (entry, pledge) = own_pledge(state, actor, id)?;
    if delivery.date < pledge.date {
        return Err(DomainError::DeliveryBeforePledge {
            date: delivery.date.to_string(),
            pledged: pledge.date.to_string(),
        });
    }
    match (&pledge.value, &delivery.value) {
        (Pledged::Money(p), Delivered::Money(d)) => {
            if d.currency() != p.currency() {
                return Err(DomainError::InvalidValue {
                    field: "value.currency".into(),
                    value: d.currency().code().into(),
                });
            }
            positive_money("value.minor", *d)?;
        }
        (Pledged::InKind(_), Delivered::InKind { quantity }) => positive_quantity("value.quantity", *quantity)?,
        (_, Delivered::Money(_)) => {
            return Err(DomainError::InvalidValue { field: "value".into(), value: "money".into() });
        }
        (_, Delivered::InKind { .. }) => {
            return Err(DomainError::InvalidValue { field: "value".into(), value: "in_kind".into() });
        }
    }
    if let Some(doc) = &delivery.evidence {
        let document = state.require(RecordKind::Document, doc)?;
        if document.is_private() && !entry.is_private() {
            return Err(DomainError::InvalidValue { field: "evidence".into(), value: doc.clone() });
        }
    }
    let mut body = json!({"v": BODY_VERSION, "record": id, "date": delivery.date, "value": delivery.value});
    if let Some(doc) = &delivery.evidence {
        body["evidence"] = json!(doc);
    }
    Ok(vec![Emit { kind: DELIVERY_RECORDED.into(), body }])
}

/// `decide` for `EnterRate`: one rate per pair and day (a correction is a revision of it).
pub(crate) fn enter_rate(state: &State, rate: &ExchangeRate) -> Result<(), DomainError> {
    let same = state
        .all::<ExchangeRate>(RecordKind::Rate)
        .into_iter()
        .any(|(_, r)| r.from == rate.from && r.to == rate.to && r.date == rate.date);
    if same {
        return Err(DomainError::InvalidValue {
            field: "date".into(),
            value: format!("{}/{} {}", rate.from, rate.to, rate.date),
        });
    }
    Ok(())
}

/// The deliveries of a pledge's record that are not withdrawn, in the order of their events
/// ((lamport, id)).
#[must_use]
pub fn deliveries(entry: &Entry) -> Vec<Delivery> {
    recorded(entry).into_iter().map(|(_, d)| d).collect()
}

/// [`deliveries`] with the id of the event that recorded each (what a withdrawal names).
#[must_use]
pub fn recorded(entry: &Entry) -> Vec<(String, Delivery)> {
    let withdrawn = withdrawn(entry);
    entry
        .sets
        .get(DELIVERIES)
        .into_iter()
        .flat_map(|set| set.values())
        .filter_map(|v| {
            let event = v.get("event")?.as_str()?;
            if withdrawn.contains(&event) {
                return None;
            }
            Some((event.to_string(), serde_json::from_value(v.clone()).ok()?))
        })
        .collect()
}

/// Every exchange rate of the state that reads as a rate.
#[must_use]
pub fn rates(state: &State) -> Rates {
    let entries = state
        .all::<ExchangeRate>(RecordKind::Rate)
        .into_iter()
        .filter_map(|(id, r)| {
            Some(RateEntry { rate: r.rate().ok()?, record: id, from: r.from, to: r.to, date: r.date })
        })
        .collect();
    Rates::new(entries)
}

#[cfg(test)]
mod tests;
