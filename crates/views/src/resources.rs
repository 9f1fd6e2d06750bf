//! Resources (issue 18): what each party pledged and delivered, per area and per roadmap, in a
//! reporting currency and in kind, and the pledges not honoured. Pure: a reader's snapshot
//! (which holds only the pledges that reader may see — a party's private costs are in its own
//! snapshot only), the reporting currency and today's date in, figures out.
//!
//! How a figure is made (the rules of `lajna_domain::money`, stated once):
//! - a value is converted at the latest rate dated on or before the value's own day — a
//!   pledge's date for what is pledged, a delivery's date for what is delivered — entered either
//!   way between the two currencies (the other way used as its exact inverse), never through a
//!   third currency; a value with no such rate is **not counted**, and counted as such
//!   ([`Figures::uncounted`], [`Totals::no_rate`]);
//! - each value is converted and rounded once to the reporting currency's minor unit (halves
//!   away from zero, `lajna_domain::money::round_half_away`), then the rounded values are added
//!   (every total is the sum of its lines), each addition checked (`Money::checked_add`);
//! - an in-kind pledge counts its valuation, when stated; a delivery in kind counts its share of
//!   that valuation (delivered ÷ pledged quantity), converted at the delivery's date, in one
//!   exact fraction rounded once;
//! - quantities in kind are totalled per unit (the unit's text as written), in millionths.
//!
//! Where a pledge belongs: an action's area and roadmap; a need's area, and the roadmap of the
//! action that fulfils it; an offer's, those of the need it answers. Otherwise "no area" / "no
//! roadmap" (`None`).

use std::collections::BTreeMap;

use jiff::civil::Date;
use lajna_domain::money::{AppliedRate, Conversion, Currency, Money, Rates};
use lajna_domain::records::{Action, Area, Need, Offer, Roadmap};
use lajna_domain::resources::{Delivered, Pledge, Pledged, deliveries, rates};
use lajna_domain::{DomainError, Lang, LocalizedText, RecordKind, State};

/// The pledged and delivered money of one party in one group, in the reporting currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures {
    /// Pledged, converted (values without a rate left out).
    pub pledged: Money,
    /// Delivered, converted (values without a rate left out).
    pub delivered: Money,
    /// Values (pledged or delivered) left out for want of a rate.
    pub uncounted: usize,
}

impl Figures {
    fn zero(currency: Currency) -> Self {
        let zero = Money::new(0, currency).unwrap_or_else(|_| unreachable!("zero is in range"));
        Self { pledged: zero, delivered: zero, uncounted: 0 }
    }
}

/// The quantities in kind of one party and unit, in millionths of the unit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InKindFigures {
    /// The unit, as the pledges write it.
    pub unit: LocalizedText,
    /// Pledged.
    pub pledged: i128,
    /// Delivered.
    pub delivered: i128,
}

/// A value left out of the totals: no rate between its currency and the reporting currency
/// dated on or before its day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoRate {
    /// The pledge.
    pub pledge: String,
    /// The value's currency.
    pub from: Currency,
    /// The value's day.
    pub on: Date,
}

/// A pledge not honoured: due before today, and less delivered than pledged (nothing, or too
/// little) — compared in the pledge's own terms (its currency, or its unit), no rate needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotHonoured {
    /// The pledge's id.
    pub pledge: String,
    /// Pledging party.
    pub party: String,
    /// The offer, need or action it is on.
    pub about: String,
    /// Due date.
    pub due: Date,
    /// Pledged, in minor units of `currency` or millionths of the unit.
    pub pledged: i128,
    /// Delivered, likewise.
    pub delivered: i128,
    /// The pledge's currency, `None` for a pledge in kind.
    pub currency: Option<Currency>,
}

/// The figures of the resources page for one reporting currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    /// The reporting currency.
    pub currency: Currency,
    /// Per area id (`None`: no area), then per party.
    pub by_area: BTreeMap<Option<String>, BTreeMap<String, Figures>>,
    /// Per roadmap id (`None`: no roadmap), then per party.
    pub by_roadmap: BTreeMap<Option<String>, BTreeMap<String, Figures>>,
    /// Per party, every pledge.
    pub by_party: BTreeMap<String, Figures>,
    /// In kind: per (party, unit as written — its JSON text), the quantities.
    pub in_kind: BTreeMap<(String, String), InKindFigures>,
    /// Every rate used, by record, with its date (as entered, or inverted).
    pub rates: Vec<AppliedRate>,
    /// The values left out.
    pub no_rate: Vec<NoRate>,
    /// Pledges due before today and not fully delivered, by due date then id.
    pub not_honoured: Vec<NotHonoured>,
}

/// Where a pledge's record belongs: (area, roadmap).
fn place(state: &State, about: &str) -> (Option<String>, Option<String>) {
    let roadmap_of =
        |action: Option<&String>| action.and_then(|a| state.get::<Action>(RecordKind::Action, a)).map(|a| a.roadmap);
    let need_place =
        |id: &str| state.get::<Need>(RecordKind::Need, id).map(|n| (n.area.clone(), roadmap_of(n.action.as_ref())));
    match state.entry(about).map(|e| e.kind) {
        Some(RecordKind::Action) => {
            state.get::<Action>(RecordKind::Action, about).map(|a| (Some(a.area), Some(a.roadmap))).unwrap_or_default()
        }
        Some(RecordKind::Need) => need_place(about).unwrap_or_default(),
        Some(RecordKind::Offer) => state
            .get::<Offer>(RecordKind::Offer, about)
            .and_then(|o| o.need)
            .and_then(|n| need_place(&n))
            .unwrap_or_default(),
        _ => (None, None),
    }
}

/// The totals of every pledge of `state` in `currency`, with the pledges not honoured on
/// `today`.
///
/// # Errors
/// [`DomainError::AmountTooLarge`] when a converted value or a total leaves ±(2^53 − 1) minor
/// units: never a wrapped figure.
pub fn totals(state: &State, currency: Currency, today: Date) -> Result<Totals, DomainError> {
    let rates = rates(state);
    let mut t = Totals {
        currency,
        by_area: BTreeMap::new(),
        by_roadmap: BTreeMap::new(),
        by_party: BTreeMap::new(),
        in_kind: BTreeMap::new(),
        rates: vec![],
        no_rate: vec![],
        not_honoured: vec![],
    };
    for (id, entry) in state.entries().filter(|(_, e)| e.kind == RecordKind::Pledge) {
        let Some(pledge) = state.get::<Pledge>(RecordKind::Pledge, id) else { continue };
        let delivered = deliveries(entry);
        let party = pledge.party.to_string();
        // (pledged, delivered, uncounted) of this pledge in the reporting currency.
        let mut mine = Figures::zero(currency);
        let convert =
            |value: Money, part: (i128, i128), on: Date, t: &mut Totals| -> Result<Option<Money>, DomainError> {
                match rates_convert(&rates, value, part, currency, on)? {
                    Conversion::Converted { value, rate } => {
                        if rate.record.is_some() && !t.rates.contains(&rate) {
                            t.rates.push(rate);
                        }
                        Ok(Some(value))
                    }
                    Conversion::NoRate { from, on, .. } => {
                        t.no_rate.push(NoRate { pledge: id.clone(), from, on });
                        Ok(None)
                    }
                }
            };
        let (own_pledged, own_delivered, currency_of) = match &pledge.value {
            Pledged::Money(m) => {
                match convert(*m, (1, 1), pledge.date, &mut t)? {
                    Some(v) => mine.pledged = mine.pledged.checked_add(v)?,
                    None => mine.uncounted += 1,
                }
                let mut own = 0i128;
                for d in &delivered {
                    let Delivered::Money(dm) = d.value else { continue };
                    own += i128::from(dm.minor());
                    match convert(dm, (1, 1), d.date, &mut t)? {
                        Some(v) => mine.delivered = mine.delivered.checked_add(v)?,
                        None => mine.uncounted += 1,
                    }
                }
                (i128::from(m.minor()), own, Some(m.currency()))
            }
            Pledged::InKind(k) => {
                let whole = k.quantity.millionths();
                if let Some(v) = k.valuation {
                    match convert(v, (1, 1), pledge.date, &mut t)? {
                        Some(v) => mine.pledged = mine.pledged.checked_add(v)?,
                        None => mine.uncounted += 1,
                    }
                }
                let mut own = 0i128;
                for d in &delivered {
                    let Delivered::InKind { quantity } = d.value else { continue };
                    own += quantity.millionths();
                    if let Some(v) = k.valuation {
                        match convert(v, (quantity.millionths(), whole), d.date, &mut t)? {
                            Some(v) => mine.delivered = mine.delivered.checked_add(v)?,
                            None => mine.uncounted += 1,
                        }
                    }
                }
                let unit = serde_json::to_string(&k.unit).unwrap_or_default();
                let kind = t
                    .in_kind
                    .entry((party.clone(), unit))
                    .or_insert_with(|| InKindFigures { unit: k.unit.clone(), ..InKindFigures::default() });
                kind.pledged += whole;
                kind.delivered += own;
                (whole, own, None)
            }
        };
        let (area, roadmap) = place(state, &pledge.about);
        for figures in [
            t.by_area.entry(area).or_default().entry(party.clone()).or_insert_with(|| Figures::zero(currency)),
            t.by_roadmap.entry(roadmap).or_default().entry(party.clone()).or_insert_with(|| Figures::zero(currency)),
            t.by_party.entry(party.clone()).or_insert_with(|| Figures::zero(currency)),
        ] {
            figures.pledged = figures.pledged.checked_add(mine.pledged)?;
            figures.delivered = figures.delivered.checked_add(mine.delivered)?;
            figures.uncounted += mine.uncounted;
        }
        if pledge.due < today && own_delivered < own_pledged {
            t.not_honoured.push(NotHonoured {
                pledge: id.clone(),
                party,
                about: pledge.about.clone(),
                due: pledge.due,
                pledged: own_pledged,
                delivered: own_delivered,
                currency: currency_of,
            });
        }
    }
    t.not_honoured.sort_by(|a, b| (a.due, &a.pledge).cmp(&(b.due, &b.pledge)));
    t.rates.sort_by(|a, b| (a.from, a.date, &a.record).cmp(&(b.from, b.date, &b.record)));
    Ok(t)
}

fn rates_convert(
    rates: &Rates,
    value: Money,
    (num, den): (i128, i128),
    to: Currency,
    on: Date,
) -> Result<Conversion, DomainError> {
    rates.convert(value, num, den, to, on)
}

/// The label of an area (its title in `lang`) or of a roadmap, by id; `None` for an id that
/// names neither.
#[must_use]
pub fn group_label(state: &State, id: &str, lang: Lang) -> Option<String> {
    state
        .get::<Area>(RecordKind::Area, id)
        .map(|a| a.title.show(lang).to_string())
        .or_else(|| state.get::<Roadmap>(RecordKind::Roadmap, id).map(|r| r.title.show(lang).to_string()))
}

/// One line of a resources table, as the reader reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The area's or roadmap's title, "no area" / "no roadmap", or the party.
    pub group: String,
    /// Party code.
    pub party: String,
    /// Pledged, `1 234,56 MAD`.
    pub pledged: String,
    /// Delivered, likewise.
    pub delivered: String,
    /// Delivered out of pledged, a whole percent rounded down; `None` when nothing is counted
    /// as pledged.
    pub percent: Option<u8>,
    /// "n values without a rate … not counted", when there are.
    pub uncounted: Option<String>,
}

/// A pledge not honoured, as the reader reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LateLine {
    /// Pledge id.
    pub pledge: String,
    /// Party code.
    pub party: String,
    /// The title of the offer, need or action it is on.
    pub about: String,
    /// Due date, as the reader writes days.
    pub due: String,
    /// Pledged, in its own terms (`20 places de formation`, `150 000,00 EUR`).
    pub pledged: String,
    /// Delivered, likewise.
    pub delivered: String,
}

/// The resources page for one reporting currency, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// "Totals in MAD".
    pub heading: String,
    /// Per area, then per party.
    pub by_area: Vec<Line>,
    /// Per roadmap, then per party.
    pub by_roadmap: Vec<Line>,
    /// Per party.
    pub by_party: Vec<Line>,
    /// In kind: party, unit, pledged, delivered.
    pub in_kind: Vec<(String, String, String, String)>,
    /// The rates used: `1 EUR = 10,8523 MAD (taux du 01/01/2026)`.
    pub rates: Vec<String>,
    /// The values left out, per currency: `2 values without a rate from EUR to MAD: not counted.`
    pub no_rate: Vec<String>,
    /// Pledges not honoured.
    pub not_honoured: Vec<LateLine>,
}

fn amount(m: Money, lang: Lang) -> String {
    format!("{}\u{A0}{}", m.format(lang), m.currency())
}

fn percent(f: &Figures) -> Option<u8> {
    let (p, d) = (i128::from(f.pledged.minor()), i128::from(f.delivered.minor()));
    (p > 0).then(|| u8::try_from((d * 100 / p).clamp(0, 255)).unwrap_or(u8::MAX))
}

fn lines(
    groups: &BTreeMap<Option<String>, BTreeMap<String, Figures>>,
    label: impl Fn(Option<&String>) -> String,
    tr: &lajna_i18n::Tr<'_>,
) -> Vec<Line> {
    let mut out = vec![];
    for (group, parties) in groups {
        for (party, f) in parties {
            out.push(Line {
                group: label(group.as_ref()),
                party: party.clone(),
                pledged: amount(f.pledged, tr.lang),
                delivered: amount(f.delivered, tr.lang),
                percent: percent(f),
                uncounted: (f.uncounted > 0).then(|| {
                    let n = i64::try_from(f.uncounted).unwrap_or(i64::MAX);
                    tr.n("resources-uncounted", "count", n)
                }),
            });
        }
    }
    out
}

/// The resources page of `state` for a reader of `tr.lang`, in `currency`, on `today`.
///
/// # Errors
/// As [`totals`].
pub fn page(state: &State, currency: Currency, today: Date, tr: &lajna_i18n::Tr<'_>) -> Result<Page, DomainError> {
    use lajna_i18n::Arg;
    let lang = tr.lang;
    let t = totals(state, currency, today)?;
    let titled =
        |id: Option<&String>, none: &str| id.and_then(|id| group_label(state, id, lang)).unwrap_or_else(|| tr.t(none));
    let by_area = lines(&t.by_area, |g| titled(g, "resources-no-area"), tr);
    let by_roadmap = lines(&t.by_roadmap, |g| titled(g, "resources-no-roadmap"), tr);
    let parties: BTreeMap<Option<String>, BTreeMap<String, Figures>> = [(None, t.by_party.clone())].into();
    let by_party = lines(&parties, |_| String::new(), tr);
    let in_kind = t
        .in_kind
        .iter()
        .map(|((party, _), f)| {
            (
                party.clone(),
                f.unit.show(lang).to_string(),
                lajna_domain::money::Quantity::format_millionths(f.pledged, lang),
                lajna_domain::money::Quantity::format_millionths(f.delivered, lang),
            )
        })
        .collect();
    let rates = t
        .rates
        .iter()
        .map(|r| {
            tr.catalog.get(
                lang,
                "resources-rate-used",
                &[
                    ("from", Arg::Text(r.from.code().into())),
                    ("to", Arg::Text(r.to.code().into())),
                    ("rate", Arg::Text(r.rate.format(lang))),
                    ("date", Arg::Text(lajna_domain::day::show_day(r.date, lang))),
                ],
            )
        })
        .collect();
    let about = |id: &str| input::about_title(state, id, lang);
    let own = |n: &NotHonoured, v: i128| match n.currency {
        Some(c) => format!("{}\u{A0}{c}", money_text(v, c, lang)),
        None => {
            let unit = state
                .get::<Pledge>(RecordKind::Pledge, &n.pledge)
                .and_then(|p| match p.value {
                    Pledged::InKind(k) => Some(k.unit.show(lang).to_string()),
                    Pledged::Money(_) => None,
                })
                .unwrap_or_default();
            format!("{} {unit}", lajna_domain::money::Quantity::format_millionths(v, lang))
        }
    };
    let not_honoured = t
        .not_honoured
        .iter()
        .map(|n| LateLine {
            pledge: n.pledge.clone(),
            party: n.party.clone(),
            about: about(&n.about),
            due: lajna_domain::day::show_day(n.due, lang),
            pledged: own(n, n.pledged),
            delivered: own(n, n.delivered),
        })
        .collect();
    let mut missing: BTreeMap<Currency, i64> = BTreeMap::new();
    for n in &t.no_rate {
        *missing.entry(n.from).or_default() += 1;
    }
    let no_rate = missing
        .into_iter()
        .map(|(from, count)| {
            tr.catalog.get(
                lang,
                "resources-no-rate",
                &[
                    ("count", Arg::Num(count)),
                    ("from", Arg::Text(from.code().into())),
                    ("to", Arg::Text(currency.code().into())),
                ],
            )
        })
        .collect();
    let heading = tr.s("resources-reporting", "currency", currency.code());
    Ok(Page { heading, by_area, by_roadmap, by_party, in_kind, rates, no_rate, not_honoured })
}

/// [`page`], or when a figure cannot be made (a total past 2^53 − 1 minor units) the page that
/// says so in the reader's language instead of its tables: never a failed page.
#[must_use]
pub fn page_or_message(state: &State, currency: Currency, today: Date, tr: &lajna_i18n::Tr<'_>) -> Page {
    page(state, currency, today, tr).unwrap_or_else(|e| Page {
        heading: tr.s("resources-reporting", "currency", currency.code()),
        by_area: vec![],
        by_roadmap: vec![],
        by_party: vec![],
        in_kind: vec![],
        rates: vec![],
        no_rate: vec![tr.catalog.domain_message(tr.lang, &e).1],
        not_honoured: vec![],
    })
}

/// The dashboard's line: what every party pledged and delivered in `currency`, the share
/// delivered, and how many pledges are not honoured on `today`; `None` when the reader sees no
/// pledge, or a total cannot be made (the resources page says why).
#[must_use]
pub fn summary_line(state: &State, currency: Currency, today: Date, tr: &lajna_i18n::Tr<'_>) -> Option<String> {
    use lajna_i18n::Arg;
    let t = totals(state, currency, today).ok()?;
    if t.by_party.is_empty() {
        return None;
    }
    let mut all = Figures::zero(currency);
    for f in t.by_party.values() {
        all.pledged = all.pledged.checked_add(f.pledged).ok()?;
        all.delivered = all.delivered.checked_add(f.delivered).ok()?;
    }
    let late = i64::try_from(t.not_honoured.len()).unwrap_or(i64::MAX);
    Some(tr.catalog.get(
        tr.lang,
        "resources-dashboard",
        &[
            ("pledged", Arg::Text(amount(all.pledged, tr.lang))),
            ("delivered", Arg::Text(amount(all.delivered, tr.lang))),
            ("percent", Arg::Num(percent(&all).map_or(0, i64::from))),
            ("late", Arg::Num(late)),
        ],
    ))
}

/// A sum of minor units of `currency` (which may exceed one amount's range) as `lang` writes it.
fn money_text(minor: i128, currency: Currency, lang: Lang) -> String {
    match i64::try_from(minor).ok().and_then(|m| Money::new(m, currency).ok()) {
        Some(m) => m.format(lang),
        None => minor.to_string(),
    }
}

#[cfg(test)]
mod tests;

pub mod input;
