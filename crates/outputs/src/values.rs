//! The value columns of the follow-up matrix (issue 18 item 4): what the party owning an action
//! has pledged on it, in money or in kind, and what it has delivered — written by the export
//! and read back by the import.
//!
//! **Which pledges.** The shared pledges (not one-party: a party's private cost never leaves its
//! node, not even in its own matrix, which may be mailed on) that the action's owner party made
//! on the action. Pledges another party made on it are shown on the resources pages; a row has
//! one owner and each command of the row is written for it.
//!
//! **Three cells.** *Pledged*, *Currency or unit*, *Delivered*. One pledge, or several of one
//! currency (or of one unit in kind): their sums, and the currency's ISO 4217 code or the unit
//! in the matrix language. Pledges of several currencies or units: each pledge's text joined by
//! ` + ` in the pledged and delivered cells, the middle cell empty, and the row's values are read
//! back only as written (change them on the pledge's page). No pledge: three empty cells.
//!
//! **Numbers.** CSV writes plain decimals in the dialect's mark, with the currency's decimals and
//! no grouping (`20000,00`, `20000.00`): what the spreadsheets of that locale read as numbers.
//! XLSX writes a number cell when the amount has at most 15 significant digits (a double then
//! holds the nearest value and its shortest text is the decimal itself), else a text cell; the
//! import reads a number cell through that shortest text, never by arithmetic on the float.
//!
//! **Reading back.** A cell of three ASCII letters is a currency code (an unknown code is
//! refused, not taken for a unit); any other text is a unit in kind. Amounts are read as the
//! matrix language writes them ([`Money::parse`]: a decimal point in a French or Arabic matrix is
//! refused). Against the record: no pledge and a pledged value → a new pledge (dated the day of
//! the import, due with the action, unclassified and shared); one pledge with another value → a
//! revision of it; more delivered than recorded → a delivery of the difference dated the day of
//! the import; less delivered, a pledge emptied, a delivery on a row without a pledge, or a
//! change to a row of several pledges → refused, with the row and the column, nothing written.

use std::collections::HashMap;

use jiff::civil::Date;
use lajna_domain::money::{Currency, InKind, Money, QUANTITY_DECIMALS, Quantity};
use lajna_domain::resources::{Delivered, Delivery, Pledge, Pledged, deliveries};
use lajna_domain::{Command, DomainError, Lang, LocalizedText, Marking, PartyCode, RecordKind, State};
use serde_json::{Map, Value};

/// The shared pledges an action's owner made on it, as the three value cells show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pledges {
    /// No such pledge: three empty cells.
    None,
    /// Pledges of money all in one currency: their sum and the sum of their deliveries.
    Money {
        /// The pledge, when there is exactly one (what a changed row revises or delivers on).
        pledge: Option<String>,
        /// Sum pledged.
        pledged: Money,
        /// Sum delivered (deliveries not withdrawn).
        delivered: Money,
    },
    /// Pledges in kind all of one unit (as the matrix language shows it): sums in millionths.
    InKind {
        /// The pledge, when there is exactly one.
        pledge: Option<String>,
        /// The unit, in the matrix language.
        unit: String,
        /// Quantity pledged, in millionths.
        pledged: i128,
        /// Quantity delivered, in millionths.
        delivered: i128,
    },
    /// Pledges of several currencies or units: each pledge's value and delivered value as text,
    /// joined by ` + ` (`20000,00 MAD + 5 places`).
    Mixed {
        /// The pledged cell.
        pledged: String,
        /// The delivered cell.
        delivered: String,
    },
}

/// One pledge: its id, the record, and its deliveries not withdrawn.
pub type Made = (String, Pledge, Vec<Delivery>);

/// Every shared pledge of `state` on an action, by action id; each list by date, currency or
/// unit, then id.
#[must_use]
pub fn by_action(state: &State) -> HashMap<String, Vec<Made>> {
    let mut out: HashMap<String, Vec<Made>> = HashMap::new();
    for (id, pledge) in state.all::<Pledge>(RecordKind::Pledge) {
        let Some(entry) = state.entry(&id) else { continue };
        if entry.is_private() || state.entry(&pledge.about).is_none_or(|e| e.kind != RecordKind::Action) {
            continue;
        }
        out.entry(pledge.about.clone()).or_default().push((id, pledge, deliveries(entry)));
    }
    // By date, then currency (or unit), then id: the order people read a list of pledges in.
    let key = |(id, p, _): &Made| {
        let what = match &p.value {
            Pledged::Money(m) => m.currency().code().to_string(),
            Pledged::InKind(k) => k.unit.show(Lang::Fr).to_string(),
        };
        (p.date, what, id.clone())
    };
    for list in out.values_mut() {
        list.sort_by_cached_key(key);
    }
    out
}

/// `units / 10^scale` with `mark` as decimal mark, no grouping (`2000000, 2, ','` → `20000,00`).
#[must_use]
pub fn plain_decimal(units: i128, scale: u32, mark: char) -> String {
    let sign = if units < 0 { "-" } else { "" };
    let pow = 10u128.pow(scale);
    let (int, frac) = (units.unsigned_abs() / pow, units.unsigned_abs() % pow);
    if scale == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}{mark}{frac:0>width$}", width = scale as usize)
    }
}

/// A quantity in millionths as a plain decimal, trailing zero decimals dropped.
fn plain_quantity(millionths: i128, mark: char) -> String {
    let (mut units, mut scale) = (millionths, QUANTITY_DECIMALS);
    while scale > 0 && units % 10 == 0 {
        units /= 10;
        scale -= 1;
    }
    plain_decimal(units, scale, mark)
}

fn money_text(m: Money, mark: char) -> String {
    plain_decimal(i128::from(m.minor()), m.currency().exponent(), mark)
}

impl Pledges {
    /// The pledges of `owner` among `made` (an action's shared pledges, [`by_action`]), with units
    /// in `lang`.
    #[must_use]
    pub fn of(made: Option<&Vec<Made>>, owner: &PartyCode, lang: Lang) -> Self {
        let own: Vec<&Made> = made.into_iter().flatten().filter(|(_, p, _)| p.party == *owner).collect();
        let Some((first_id, first, _)) = own.first() else { return Pledges::None };
        let one = (own.len() == 1).then(|| first_id.clone());
        let delivered_of = |d: &Delivery| match &d.value {
            Delivered::Money(m) => i128::from(m.minor()),
            Delivered::InKind { quantity } => quantity.millionths(),
        };
        let total = |pick: &dyn Fn(&Made) -> i128| own.iter().map(|m| pick(m)).sum::<i128>();
        let delivered = total(&|(_, _, ds)| ds.iter().map(delivered_of).sum());
        match &first.value {
            Pledged::Money(m0)
                if own
                    .iter()
                    .all(|(_, p, _)| matches!(&p.value, Pledged::Money(m) if m.currency() == m0.currency())) =>
            {
                let pledged = total(&|(_, p, _)| match &p.value {
                    Pledged::Money(m) => i128::from(m.minor()),
                    Pledged::InKind(_) => 0,
                });
                let money = |n: i128| i64::try_from(n).ok().and_then(|n| Money::new(n, m0.currency()).ok());
                if let (Some(pledged), Some(delivered)) = (money(pledged), money(delivered)) {
                    return Pledges::Money { pledge: one, pledged, delivered };
                }
            }
            Pledged::InKind(k0)
                if own.iter().all(
                    |(_, p, _)| matches!(&p.value, Pledged::InKind(k) if k.unit.show(lang) == k0.unit.show(lang)),
                ) =>
            {
                let pledged = total(&|(_, p, _)| match &p.value {
                    Pledged::InKind(k) => k.quantity.millionths(),
                    Pledged::Money(_) => 0,
                });
                return Pledges::InKind {
                    pledge: one,
                    unit: k0.unit.show(lang).trim().to_string(),
                    pledged,
                    delivered,
                };
            }
            _ => {}
        }
        let mark = crate::matrix::CsvDialect::of(lang).decimal;
        let text = |p: &Pledge, n: i128| match &p.value {
            Pledged::Money(m) => format!("{} {}", plain_decimal(n, m.currency().exponent(), mark), m.currency()),
            Pledged::InKind(k) => format!("{} {}", plain_quantity(n, mark), k.unit.show(lang).trim()),
        };
        let pledged_of = |p: &Pledge| match &p.value {
            Pledged::Money(m) => i128::from(m.minor()),
            Pledged::InKind(k) => k.quantity.millionths(),
        };
        let join = |f: &dyn Fn(&Made) -> String| own.iter().map(|m| f(m)).collect::<Vec<_>>().join(" + ");
        Pledges::Mixed {
            pledged: join(&|(_, p, _)| text(p, pledged_of(p))),
            delivered: join(&|(_, p, ds)| text(p, ds.iter().map(delivered_of).sum())),
        }
    }

    /// The three cells (pledged, currency or unit, delivered) as text with `mark` as decimal mark.
    #[must_use]
    pub fn cells(&self, mark: char) -> [String; 3] {
        match self {
            Pledges::None => Default::default(),
            Pledges::Money { pledged, delivered, .. } => {
                [money_text(*pledged, mark), pledged.currency().code().to_string(), money_text(*delivered, mark)]
            }
            Pledges::InKind { unit, pledged, delivered, .. } => {
                [plain_quantity(*pledged, mark), unit.clone(), plain_quantity(*delivered, mark)]
            }
            Pledges::Mixed { pledged, delivered } => [pledged.clone(), String::new(), delivered.clone()],
        }
    }

    /// The pledged and delivered values as numbers for an XLSX cell, with their number format,
    /// when each is exactly written by its shortest text (at most 15 significant digits).
    #[must_use]
    pub fn numbers(&self) -> Option<([f64; 2], String)> {
        let fits = |units: i128| units.unsigned_abs() < 1_000_000_000_000_000;
        let (units, scale, format) = match self {
            Pledges::Money { pledged, delivered, .. } => {
                let e = pledged.currency().exponent();
                let format = if e == 0 { "#,##0".to_string() } else { format!("#,##0.{}", "0".repeat(e as usize)) };
                ([i128::from(pledged.minor()), i128::from(delivered.minor())], e, format)
            }
            Pledges::InKind { pledged, delivered, .. } => {
                ([*pledged, *delivered], QUANTITY_DECIMALS, "#,##0.######".to_string())
            }
            _ => return None,
        };
        if !units.iter().all(|u| fits(*u)) {
            return None;
        }
        // Integers below 10^15 are exact doubles, and so is the power of ten: the quotient is the
        // double nearest the decimal (IEEE 754 division is correctly rounded).
        let pow = 10f64.powi(scale as i32);
        #[allow(clippy::cast_precision_loss)]
        Some((units.map(|u| u as f64 / pow), format))
    }
}

/// An amount cell as read: its text, and whether it was a number cell of a spreadsheet (then
/// written with a point, whatever the matrix language).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AmountCell {
    /// The text (a number cell's shortest decimal text).
    pub text: String,
    /// Read from a number cell.
    pub number: bool,
}

/// The value cells of a row as read (`None` in [`crate::import::RowValues`] when the matrix has
/// none of the three columns).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueCells {
    /// Pledged.
    pub pledged: AmountCell,
    /// Currency code or unit in kind.
    pub unit: String,
    /// Delivered.
    pub delivered: AmountCell,
}

/// What the cells say, typed.
enum Given {
    None,
    Money { pledged: Money, delivered: Money },
    InKind { unit: String, pledged: Quantity, delivered: Quantity },
}

/// A refusal of a value cell: the domain's rule, with its column.
fn refused(field: &'static str, e: DomainError) -> crate::import::Refusal {
    crate::import::Refusal { key: e.key(), field: Some(field), detail: e.to_string(), domain: Some(e) }
}

fn import_refusal(key: &'static str, field: &'static str, detail: impl Into<String>) -> crate::import::Refusal {
    crate::import::Refusal { key, field: Some(field), detail: detail.into(), domain: None }
}

/// Reads an amount cell of `currency` (`lang`'s marks for text, a point for a number cell);
/// empty reads as zero when `empty_is_zero`.
fn money_of(cell: &AmountCell, currency: Currency, lang: Lang, field: &'static str) -> Result<Money, DomainError> {
    let lang = if cell.number { Lang::En } else { lang };
    let m = Money::parse(&cell.text, currency, lang, field)?;
    if m.minor() < 0 {
        return Err(DomainError::NotPositive { field: field.into(), value: cell.text.trim().into() });
    }
    Ok(m)
}

fn quantity_of(cell: &AmountCell, lang: Lang, field: &'static str) -> Result<Quantity, DomainError> {
    let lang = if cell.number { Lang::En } else { lang };
    let q = Quantity::parse(&cell.text, lang, field)?;
    if q.millionths() < 0 {
        return Err(DomainError::NotPositive { field: field.into(), value: cell.text.trim().into() });
    }
    Ok(q)
}

/// The cells typed: every cell error found.
fn read(cells: &ValueCells, lang: Lang) -> Result<Given, Vec<crate::import::Refusal>> {
    let (pledged, unit, delivered) = (cells.pledged.text.trim(), cells.unit.trim(), cells.delivered.text.trim());
    if pledged.is_empty() && unit.is_empty() && delivered.is_empty() {
        return Ok(Given::None);
    }
    let mut errors = Vec::new();
    if pledged.is_empty() {
        errors.push(import_refusal("import-missing-value", "pledged", ""));
    }
    if unit.is_empty() {
        errors.push(import_refusal("import-missing-value", "currency", ""));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let zero_if_empty = |c: &AmountCell| AmountCell {
        text: if c.text.trim().is_empty() { "0".into() } else { c.text.clone() },
        number: c.number,
    };
    let delivered_cell = zero_if_empty(&cells.delivered);
    if unit.len() == 3 && unit.bytes().all(|b| b.is_ascii_alphabetic()) {
        let currency = Currency::parse(unit).map_err(|e| vec![refused("currency", e)])?;
        let p = money_of(&cells.pledged, currency, lang, "pledged");
        let d = money_of(&delivered_cell, currency, lang, "delivered");
        match (p, d) {
            (Ok(pledged), Ok(delivered)) => Ok(Given::Money { pledged, delivered }),
            (p, d) => Err([p.err().map(|e| refused("pledged", e)), d.err().map(|e| refused("delivered", e))]
                .into_iter()
                .flatten()
                .collect()),
        }
    } else {
        let p = quantity_of(&cells.pledged, lang, "pledged");
        let d = quantity_of(&delivered_cell, lang, "delivered");
        match (p, d) {
            (Ok(pledged), Ok(delivered)) => Ok(Given::InKind { unit: unit.to_string(), pledged, delivered }),
            (p, d) => Err([p.err().map(|e| refused("pledged", e)), d.err().map(|e| refused("delivered", e))]
                .into_iter()
                .flatten()
                .collect()),
        }
    }
}

/// What a row's value cells change: the fields (`pledged`, `delivered`) and the commands, each
/// to be written for the action's owner. `made` are the action's shared pledges ([`by_action`]),
/// `due` the action's due date (a new pledge's), `today` the import's day (a new pledge's date
/// and a delivery's).
///
/// # Errors
/// Every refusal of the cells, each with its column (module documentation).
pub fn plan(
    made: Option<&Vec<Made>>,
    owner: &PartyCode,
    action: &str,
    due: Date,
    cells: &ValueCells,
    lang: Lang,
    today: Date,
) -> Result<(Vec<&'static str>, Vec<Command>), Vec<crate::import::Refusal>> {
    let current = Pledges::of(made, owner, lang);
    let written = current.cells(crate::matrix::CsvDialect::of(lang).decimal);
    let as_read = [cells.pledged.text.trim(), cells.unit.trim(), cells.delivered.text.trim()];
    if as_read == [written[0].as_str(), written[1].as_str(), written[2].as_str()] {
        return Ok((vec![], vec![]));
    }
    if matches!(current, Pledges::Mixed { .. }) {
        return Err(vec![import_refusal("import-value-several", "pledged", "")]);
    }
    let given = read(cells, lang)?;
    let mut changed = Vec::new();
    let mut commands = Vec::new();
    match (&current, given) {
        (Pledges::None, Given::None) => {}
        (_, Given::None) => return Err(vec![import_refusal("import-value-emptied", "pledged", written[0].clone())]),
        (Pledges::None, given) => {
            let (value, delivered) = match given {
                Given::Money { pledged, delivered } => (Pledged::Money(pledged), delivered.minor() != 0),
                Given::InKind { unit, pledged, delivered } => (
                    Pledged::InKind(InKind {
                        quantity: pledged,
                        unit: crate::import::with_lang(LocalizedText::default(), lang, &unit),
                        valuation: None,
                    }),
                    delivered.millionths() != 0,
                ),
                Given::None => return Ok((changed, commands)),
            };
            if delivered {
                return Err(vec![import_refusal("import-value-delivery-first", "delivered", "")]);
            }
            changed.push("pledged");
            commands.push(Command::MakePledge(Pledge {
                party: owner.clone(),
                about: action.to_string(),
                date: today,
                due: due.max(today),
                value,
                marking: Marking::default(),
                illustrative: false,
            }));
        }
        (Pledges::Money { pledge, pledged: was, delivered: was_delivered }, Given::Money { pledged, delivered }) => {
            let pledge = pledge.as_ref().ok_or_else(|| vec![import_refusal("import-value-several", "pledged", "")])?;
            if pledged != *was {
                if pledged.currency() != was.currency() && was_delivered.minor() != 0 {
                    return Err(vec![import_refusal("import-value-kind-changed", "currency", was.currency().code())]);
                }
                changed.push("pledged");
                commands.push(revise(pledge, &Pledged::Money(pledged)));
            }
            let more = delivered.minor()
                - if delivered.currency() == was_delivered.currency() { was_delivered.minor() } else { 0 };
            deliver(
                &mut changed,
                &mut commands,
                pledge,
                more,
                || Money::new(more, delivered.currency()).map(Delivered::Money),
                today,
            )?;
        }
        (
            Pledges::InKind { pledge, unit: was_unit, pledged: was, delivered: was_delivered },
            Given::InKind { unit, pledged, delivered },
        ) => {
            let pledge = pledge.as_ref().ok_or_else(|| vec![import_refusal("import-value-several", "pledged", "")])?;
            if pledged.millionths() != *was || unit != *was_unit {
                let old = made.into_iter().flatten().find(|(id, _, _)| id == pledge).map(|(_, p, _)| p);
                let (old_unit, valuation) = match old.map(|p| &p.value) {
                    Some(Pledged::InKind(k)) => (k.unit.clone(), k.valuation),
                    _ => (LocalizedText::default(), None),
                };
                changed.push("pledged");
                commands.push(revise(
                    pledge,
                    &Pledged::InKind(InKind {
                        quantity: pledged,
                        unit: if unit == *was_unit {
                            old_unit
                        } else {
                            crate::import::with_lang(old_unit, lang, &unit)
                        },
                        valuation,
                    }),
                ));
            }
            let more = delivered.millionths() - was_delivered;
            deliver(
                &mut changed,
                &mut commands,
                pledge,
                more,
                || Quantity::from_millionths(more).map(|quantity| Delivered::InKind { quantity }),
                today,
            )?;
        }
        // A pledge in money read as one in kind, or the other way round: changed on the pledge's
        // page, not by the matrix.
        (Pledges::Money { .. }, Given::InKind { .. }) | (Pledges::InKind { .. }, Given::Money { .. }) => {
            return Err(vec![import_refusal("import-value-kind-changed", "currency", written[1].clone())]);
        }
        (Pledges::Mixed { .. }, _) => return Err(vec![import_refusal("import-value-several", "pledged", "")]),
    }
    Ok((changed, commands))
}

/// A delivery of `more` (minor units or millionths) when more is delivered than recorded; a
/// refusal when less is.
fn deliver(
    changed: &mut Vec<&'static str>,
    commands: &mut Vec<Command>,
    pledge: &str,
    more: impl TryInto<i128> + Copy,
    value: impl FnOnce() -> Result<Delivered, DomainError>,
    today: Date,
) -> Result<(), Vec<crate::import::Refusal>> {
    let more: i128 = more.try_into().unwrap_or(0);
    if more < 0 {
        return Err(vec![import_refusal("import-value-delivered-less", "delivered", "")]);
    }
    if more > 0 {
        let value = value().map_err(|e| vec![refused("delivered", e)])?;
        changed.push("delivered");
        commands.push(Command::RecordDelivery {
            pledge: pledge.to_string(),
            delivery: Delivery { date: today, value, evidence: None },
        });
    }
    Ok(())
}

/// The revision of a pledge's value.
fn revise(pledge: &str, value: &Pledged) -> Command {
    let mut set = Map::new();
    set.insert("value".into(), serde_json::to_value(value).unwrap_or(Value::Null));
    Command::Revise { kind: RecordKind::Pledge, id: pledge.to_string(), set }
}
