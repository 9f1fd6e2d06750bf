//! The resources page's forms (issue 18): a pledge, a delivery, an exchange rate — as people type
//! them (amounts and rates in their language's marks, days `dd/mm/yyyy` or ISO) read into the
//! domain's values, and the list of pledges with their deliveries as the page shows it.
//!
//! Reading is the domain's: [`Money::parse`], [`Quantity::parse`] and [`Rate::parse`] refuse a
//! decimal point in French or Arabic, too many decimals, an amount past 2^53 − 1 minor units and
//! a zero rate, each naming its field; the commands' own rules (a delivery before its pledge's
//! date, a due date before the pledge's) are checked by `decide`.

use jiff::civil::Date;
use lajna_domain::money::{Currency, InKind, Money, Quantity, Rate};
use lajna_domain::records::{Action, Need, Offer};
use lajna_domain::resources::{Delivered, Delivery, ExchangeRate, Pledge, Pledged, recorded};
use lajna_domain::{
    Classification, DomainError, Lang, LocalizedText, Marking, PartyCode, RecordKind, Releasability, State,
};
use lajna_i18n::{Arg, Tr};
use serde::Deserialize;

/// The new-pledge form, as typed.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct PledgeForm {
    /// The offer, need or action (record id).
    #[serde(default)]
    pub about: String,
    /// Day pledged.
    #[serde(default)]
    pub date: String,
    /// Day due.
    #[serde(default)]
    pub due: String,
    /// `money` or `in_kind`.
    #[serde(default)]
    pub sort: String,
    /// The amount (money), or the valuation (in kind, optional).
    #[serde(default)]
    pub amount: String,
    /// ISO 4217 code of the amount or valuation.
    #[serde(default)]
    pub currency: String,
    /// Quantity in kind.
    #[serde(default)]
    pub quantity: String,
    /// Unit in kind, in the page's language.
    #[serde(default)]
    pub unit: String,
    /// Classification code (`UNCLASSIFIED` …).
    #[serde(default)]
    pub classification: String,
    /// `on` when the pledge is the user's party's own (its private log).
    #[serde(default)]
    pub private: String,
}

/// The record-a-delivery form, as typed.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct DeliveryForm {
    /// Day delivered.
    #[serde(default)]
    pub date: String,
    /// Amount (a pledge of money) or quantity (in kind), in the pledge's currency or unit.
    #[serde(default)]
    pub value: String,
    /// Evidence: a document id, or empty.
    #[serde(default)]
    pub evidence: String,
}

/// The exchange-rate form, as typed: one `from` is `rate` `to` on `date`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
pub struct RateForm {
    /// ISO 4217 code.
    #[serde(default)]
    pub from: String,
    /// ISO 4217 code.
    #[serde(default)]
    pub to: String,
    /// Day of the rate.
    #[serde(default)]
    pub date: String,
    /// The rate as a decimal in the page's language (`10,8523`).
    #[serde(default)]
    pub rate: String,
}

fn day(text: &str, field: &str) -> Result<Date, DomainError> {
    lajna_domain::day::parse_day(text.trim())
        .ok_or_else(|| DomainError::NotADay { field: field.into(), value: text.trim().into() })
}

/// A required input, trimmed; blank is refused as [`crate::forms::required`] says.
fn required<'a>(text: &'a str, field: &str) -> Result<&'a str, DomainError> {
    let t = text.trim();
    if t.is_empty() { Err(crate::forms::required(field)) } else { Ok(t) }
}

impl PledgeForm {
    /// The pledge `party` makes, typed in `lang`.
    ///
    /// # Errors
    /// The first field that does not read, named ([`DomainError::field`]).
    pub fn pledge(&self, party: &PartyCode, lang: Lang) -> Result<Pledge, DomainError> {
        let about = required(&self.about, "about")?.to_string();
        let date = day(required(&self.date, "date")?, "date")?;
        let due = day(required(&self.due, "due")?, "due")?;
        let currency = || Currency::parse(required(&self.currency, "currency")?);
        let value = if self.sort == "in_kind" {
            let quantity = Quantity::parse(required(&self.quantity, "quantity")?, lang, "quantity")?;
            let unit = LocalizedText::parse("unit", &[(lang, required(&self.unit, "unit")?)])?;
            let valuation = match self.amount.trim() {
                "" => None,
                amount => Some(Money::parse(amount, currency()?, lang, "amount")?),
            };
            Pledged::InKind(InKind { quantity, unit, valuation })
        } else {
            Pledged::Money(Money::parse(required(&self.amount, "amount")?, currency()?, lang, "amount")?)
        };
        let classification = match self.classification.trim() {
            "" => Classification::default(),
            c => Classification::parse(c)?,
        };
        let releasable_to = if self.private == "on" { Releasability::Only(party.clone()) } else { Releasability::Both };
        Ok(Pledge {
            party: party.clone(),
            about,
            date,
            due,
            value,
            marking: Marking { classification, releasable_to },
            illustrative: false,
        })
    }
}

impl DeliveryForm {
    /// The delivery of `pledge`, typed in `lang`: an amount in the pledge's currency, or a
    /// quantity of its unit.
    ///
    /// # Errors
    /// The first field that does not read, named.
    pub fn delivery(&self, pledge: &Pledge, lang: Lang) -> Result<Delivery, DomainError> {
        let date = day(required(&self.date, "date")?, "date")?;
        let text = required(&self.value, "value")?;
        let value = match &pledge.value {
            Pledged::Money(m) => Delivered::Money(Money::parse(text, m.currency(), lang, "value")?),
            Pledged::InKind(_) => Delivered::InKind { quantity: Quantity::parse(text, lang, "value")? },
        };
        let evidence = Some(self.evidence.trim().to_string()).filter(|e| !e.is_empty());
        Ok(Delivery { date, value, evidence })
    }
}

impl RateForm {
    /// The rate, typed in `lang`.
    ///
    /// # Errors
    /// The first field that does not read, named (a rate of zero: [`DomainError::NotPositive`]).
    pub fn rate(&self, lang: Lang) -> Result<ExchangeRate, DomainError> {
        let from = Currency::parse(required(&self.from, "from")?)?;
        let to = Currency::parse(required(&self.to, "to")?)?;
        let date = day(required(&self.date, "date")?, "date")?;
        let rate = Rate::parse(required(&self.rate, "rate")?, lang, "rate")?;
        Ok(ExchangeRate {
            from,
            to,
            date,
            numerator: rate.numerator,
            denominator: rate.denominator,
            illustrative: false,
        })
    }
}

/// The forms of a page shown again after a refusal: what was typed, and which form the refusal
/// belongs to with its message.
#[derive(Clone, Debug, Default)]
pub struct Typed {
    /// The new-pledge form.
    pub pledge: PledgeForm,
    /// The new-rate form.
    pub rate: RateForm,
    /// The pledge whose delivery form was refused (empty: none).
    pub delivery_of: String,
    /// That delivery form.
    pub delivery: DeliveryForm,
    /// (`pledge`, `rate` or a pledge id; the message in the reader's language).
    pub error: Option<(String, String)>,
}

impl Typed {
    /// The refusal of the form `name` (`pledge`, `rate` or a pledge id), if it was refused.
    #[must_use]
    pub fn error_for(&self, name: impl AsRef<str>) -> Option<&str> {
        self.error.as_ref().filter(|(at, _)| at == name.as_ref()).map(|(_, m)| m.as_str())
    }
}

/// One delivery of a pledge, as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryLine {
    /// The event that recorded it (what a withdrawal names).
    pub event: String,
    /// Day, as the reader writes days.
    pub date: String,
    /// What was delivered, in the pledge's terms.
    pub value: String,
}

/// One pledge, as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PledgeLine {
    /// Pledge id.
    pub id: String,
    /// Pledging party.
    pub party: String,
    /// Title of the offer, need or action it is on.
    pub about: String,
    /// What is pledged (`20 places de formation (valeur 400 000,00 MAD)`, `20 000,00 MAD`).
    pub value: String,
    /// Day pledged and day due.
    pub date: String,
    /// Day due.
    pub due: String,
    /// The marking as a banner text (`CONFIDENTIEL — MAR SEULEMENT`-like code), empty when
    /// unclassified and shared.
    pub marking: String,
    /// Deliveries not withdrawn.
    pub deliveries: Vec<DeliveryLine>,
    /// Whether the reader's party made it (records and withdraws its deliveries).
    pub own: bool,
}

/// The title of the offer, need or action `id`, in `lang`.
#[must_use]
pub fn about_title(state: &State, id: &str, lang: Lang) -> String {
    let title = match state.entry(id).map(|e| e.kind) {
        Some(RecordKind::Action) => state.get::<Action>(RecordKind::Action, id).map(|a| a.title),
        Some(RecordKind::Need) => state.get::<Need>(RecordKind::Need, id).map(|n| n.title),
        Some(RecordKind::Offer) => state.get::<Offer>(RecordKind::Offer, id).map(|o| o.title),
        _ => None,
    };
    title.map(|t| t.show(lang).to_string()).unwrap_or_default()
}

/// What can be pledged on, for the form's choice: (id, kind, title), by kind then title.
#[must_use]
pub fn pledgeable(state: &State, lang: Lang) -> Vec<(String, RecordKind, String)> {
    let mut out: Vec<(String, RecordKind, String)> = state
        .entries()
        .filter(|(_, e)| matches!(e.kind, RecordKind::Action | RecordKind::Need | RecordKind::Offer))
        .map(|(id, e)| (id.clone(), e.kind, about_title(state, id, lang)))
        .collect();
    out.sort_by(|a, b| (a.1.code(), &a.2, &a.0).cmp(&(b.1.code(), &b.2, &b.0)));
    out
}

/// A pledged or delivered value in its own terms, as `lang` writes it.
fn value_text(value: &Pledged, lang: Lang) -> String {
    match value {
        Pledged::Money(m) => format!("{}\u{A0}{}", m.format(lang), m.currency()),
        Pledged::InKind(k) => {
            let q = format!("{} {}", k.quantity.format(lang), k.unit.show(lang));
            match k.valuation {
                Some(v) => format!("{q} ({}\u{A0}{})", v.format(lang), v.currency()),
                None => q,
            }
        }
    }
}

/// Every pledge of the reader's snapshot, by due date then id, with its deliveries.
#[must_use]
pub fn pledges(state: &State, party: &PartyCode, lang: Lang) -> Vec<PledgeLine> {
    let mut out: Vec<(Date, PledgeLine)> = state
        .entries()
        .filter(|(_, e)| e.kind == RecordKind::Pledge)
        .filter_map(|(id, entry)| {
            let p = state.get::<Pledge>(RecordKind::Pledge, id)?;
            let unit = match &p.value {
                Pledged::InKind(k) => Some(k.unit.show(lang).to_string()),
                Pledged::Money(_) => None,
            };
            let deliveries = recorded(entry)
                .into_iter()
                .map(|(event, d)| DeliveryLine {
                    event,
                    date: lajna_domain::day::show_day(d.date, lang),
                    value: match (&d.value, &unit) {
                        (Delivered::Money(m), _) => format!("{}\u{A0}{}", m.format(lang), m.currency()),
                        (Delivered::InKind { quantity }, u) => {
                            format!("{} {}", quantity.format(lang), u.clone().unwrap_or_default())
                        }
                    },
                })
                .collect();
            let marking = if p.marking == Marking::default() {
                String::new()
            } else {
                let only = p.marking.releasable_to.only().map(|o| format!(" — {o}")).unwrap_or_default();
                format!("{}{only}", p.marking.classification.code())
            };
            Some((
                p.due,
                PledgeLine {
                    id: id.clone(),
                    party: p.party.to_string(),
                    about: about_title(state, &p.about, lang),
                    value: value_text(&p.value, lang),
                    date: lajna_domain::day::show_day(p.date, lang),
                    due: lajna_domain::day::show_day(p.due, lang),
                    marking,
                    deliveries,
                    own: p.party == *party,
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    out.into_iter().map(|(_, line)| line).collect()
}

/// The refusal of a resources form (`form`: `pledge`, `rate`, or a pledge's id for its delivery
/// form) as the reader sees it above that form: the field's label, then why — "Montant : ce
/// champ est obligatoire." for an empty field instead of "« » n'est pas une valeur valide ici.".
/// `message` is the domain error's translated text; a field the form does not show keeps it
/// as it is.
#[must_use]
pub fn in_field(tr: &Tr<'_>, form: &str, e: &DomainError, message: String) -> String {
    let field = e.field().map(|f| f.split('.').next().unwrap_or(f));
    let label = match (form, field) {
        (_, Some("about")) => "resources-about",
        ("pledge", Some("date")) => "resources-pledge-date",
        ("rate", Some("date")) => "resources-rate-date",
        (_, Some("date")) => "resources-delivery-date",
        (_, Some("due")) => "due",
        (_, Some("amount")) => "resources-amount",
        (_, Some("currency")) => "resources-currency",
        (_, Some("quantity")) => "resources-quantity",
        (_, Some("unit")) => "resources-unit",
        (_, Some("from")) => "resources-rate-from",
        (_, Some("to")) => "resources-rate-to",
        (_, Some("rate")) => "resources-rate",
        ("pledge" | "rate", Some("value")) => "resources-value",
        (_, Some("value")) => "resources-delivery-value",
        _ => return message,
    };
    let empty = matches!(e, DomainError::InvalidValue { value, .. } if value.is_empty());
    let why = if empty { tr.t("forms-required") } else { message };
    tr.catalog.get(tr.lang, "error-in-field", &[("field", Arg::Text(tr.t(label))), ("message", Arg::Text(why))])
}
