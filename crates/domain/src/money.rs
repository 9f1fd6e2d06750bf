//! Money, quantities in kind and exchange rates (issue 18): what each party pledges and
//! delivers. Integers only — no floating point anywhere: an amount is a whole number of its
//! currency's minor unit, a quantity a fixed decimal, a rate a fraction of two integers, and a
//! conversion one exact fraction rounded once by one stated rule ([`round_half_away`]).
//!
//! Text in and out follows the reader's language: French and Arabic write `1 234,56` (a comma
//! before the decimals, a narrow no-break space between thousands, CLDR `fr` and the Maghreb's
//! Arabic with Western digits), English `1,234.56`. A decimal point typed in French or Arabic,
//! or a decimal comma in English, is refused naming the value, never read as something else.

use std::cmp::Ordering;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{DomainError, Lang};

/// The largest amount, quantity or rate term, in absolute value: 2^53 − 1, the largest integer
/// the ledger signs (its `MAX_SAFE_INTEGER`, DESIGN.md §4 invariant 11), so an
/// amount of 2^53 minor units or more is refused before anything is signed.
pub const MAX_MINOR: i64 = (1 << 53) - 1;

/// The currencies Lajna knows: ISO 4217 alphabetic code and minor-unit exponent (the number of
/// decimals of the minor unit), from the ISO 4217 maintenance agency's "List One" (SIX Group,
/// current currency and funds): the parties' currencies (MAD, XOF; XAF for the other CFA zone),
/// and the usual donor currencies. Sorted by code. A code not listed is refused
/// ([`DomainError::UnknownCurrency`]).
const CURRENCIES: [(&str, u32); 6] = [("EUR", 2), ("GBP", 2), ("MAD", 2), ("USD", 2), ("XAF", 0), ("XOF", 0)];

/// A currency of [`CURRENCIES`], by its ISO 4217 code (JSON: the code, `"MAD"`). Ordered by code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(u8);

impl Currency {
    /// Every code, in the table's order (a form's choice).
    pub const CODES: &'static [&'static str] = &["EUR", "GBP", "MAD", "USD", "XAF", "XOF"];
    /// Moroccan dirham, 2 decimals.
    pub const MAD: Currency = Currency(2);
    /// West African CFA franc (BCEAO, Mali), no decimals.
    pub const XOF: Currency = Currency(5);
    /// Euro, 2 decimals.
    pub const EUR: Currency = Currency(0);
    /// US dollar, 2 decimals.
    pub const USD: Currency = Currency(3);

    /// The currency of an ISO 4217 code (surrounding spaces and lower case accepted).
    ///
    /// # Errors
    /// [`DomainError::UnknownCurrency`] naming the code given.
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        let c = code.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .position(|(k, _)| *k == c)
            .and_then(|i| u8::try_from(i).ok())
            .map(Currency)
            .ok_or_else(|| DomainError::UnknownCurrency { code: code.trim().to_string() })
    }

    /// The ISO 4217 code.
    #[must_use]
    pub fn code(self) -> &'static str {
        CURRENCIES[usize::from(self.0)].0
    }

    /// Decimals of the minor unit (2 for MAD: 1 MAD = 100 centimes; 0 for XOF).
    #[must_use]
    pub fn exponent(self) -> u32 {
        CURRENCIES[usize::from(self.0)].1
    }
}

impl TryFrom<String> for Currency {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        // Stored codes are exact: `"mad"` in a signed body is not a currency.
        Self::parse(&s).and_then(|c| if c.code() == s { Ok(c) } else { Err(DomainError::UnknownCurrency { code: s }) })
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount: a whole number of minor units of a currency (`{"minor": 123456, "currency":
/// "MAD"}` is 1 234,56 MAD), |minor| ≤ [`MAX_MINOR`]. May be negative as a value; pledges and
/// deliveries refuse a negative one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "MoneyJson")]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// [`Money`] as read, before its range is checked.
#[derive(Deserialize)]
struct MoneyJson {
    minor: i64,
    currency: Currency,
}

impl TryFrom<MoneyJson> for Money {
    type Error = DomainError;
    fn try_from(m: MoneyJson) -> Result<Self, DomainError> {
        Money::new(m.minor, m.currency)
    }
}

impl Money {
    /// `minor` minor units of `currency`.
    ///
    /// # Errors
    /// [`DomainError::AmountTooLarge`] beyond ±[`MAX_MINOR`].
    pub fn new(minor: i64, currency: Currency) -> Result<Self, DomainError> {
        if minor.unsigned_abs() > MAX_MINOR.unsigned_abs() {
            return Err(DomainError::AmountTooLarge { field: "minor".into(), value: minor.to_string() });
        }
        Ok(Self { minor, currency })
    }

    /// Minor units.
    #[must_use]
    pub fn minor(self) -> i64 {
        self.minor
    }

    /// Currency.
    #[must_use]
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Reads an amount of `currency` as `lang` writes it (`1 234,56` in fr and ar, `1,234.56`
    /// in en; Arabic-Indic digits accepted). `field` names the input in a refusal.
    ///
    /// # Errors
    /// [`DomainError::WrongDecimalMark`] (a decimal point in fr/ar, a decimal comma in en),
    /// [`DomainError::TooManyDecimals`] (more than the currency's exponent: `12,5` XOF),
    /// [`DomainError::NotAnAmount`], [`DomainError::AmountTooLarge`] — each naming the value.
    pub fn parse(text: &str, currency: Currency, lang: Lang, field: &str) -> Result<Self, DomainError> {
        let d = parse_decimal(text, lang, field, currency.exponent())?;
        let too_large = || DomainError::AmountTooLarge { field: field.into(), value: text.trim().into() };
        let minor = d.units.checked_mul(10i128.pow(currency.exponent() - d.scale)).ok_or_else(too_large)?;
        let minor = i64::try_from(if d.negative { -minor } else { minor }).map_err(|_| too_large())?;
        Money::new(minor, currency).map_err(|_| too_large())
    }

    /// The amount as `lang` writes it, without the currency: `1 234,56` (fr, ar; U+202F between
    /// thousands), `1,234.56` (en), always with the currency's decimals. [`Money::parse`] reads
    /// it back to the same amount.
    #[must_use]
    pub fn format(self, lang: Lang) -> String {
        format_decimal(i128::from(self.minor), self.currency.exponent(), lang)
    }

    /// The sum of `values`, all of `currency`, checked at every step.
    ///
    /// # Errors
    /// [`DomainError::AmountTooLarge`] (field `total`) when a partial sum leaves ±[`MAX_MINOR`]
    /// — never a wrapped or saturated total; [`DomainError::InvalidValue`] for a value of
    /// another currency.
    pub fn sum(currency: Currency, values: impl IntoIterator<Item = Money>) -> Result<Money, DomainError> {
        let mut total = Money { minor: 0, currency };
        for v in values {
            total = total.checked_add(v)?;
        }
        Ok(total)
    }

    /// `self + other`, of one currency.
    ///
    /// # Errors
    /// As [`Money::sum`].
    pub fn checked_add(self, other: Money) -> Result<Money, DomainError> {
        if other.currency != self.currency {
            return Err(DomainError::InvalidValue { field: "currency".into(), value: other.currency.code().into() });
        }
        let minor = self.minor.checked_add(other.minor).filter(|m| m.unsigned_abs() <= MAX_MINOR.unsigned_abs());
        minor.map(|minor| Money { minor, currency: self.currency }).ok_or_else(|| DomainError::AmountTooLarge {
            field: "total".into(),
            value: (i128::from(self.minor) + i128::from(other.minor)).to_string(),
        })
    }

    /// This amount in `to` at `rate` (one unit of this currency is `rate` units of `to`),
    /// rounded to `to`'s minor unit by [`round_half_away`].
    ///
    /// # Errors
    /// [`DomainError::AmountTooLarge`] when the result leaves ±[`MAX_MINOR`] (field
    /// `converted`); [`DomainError::InvalidValue`] when `rate` is not from this currency to `to`.
    pub fn convert(self, to: Currency, rate: &AppliedRate) -> Result<Money, DomainError> {
        self.convert_part(1, 1, to, rate)
    }

    /// `part_num / part_den` of this amount (a delivered share of an in-kind pledge's valuation,
    /// `part_den` > 0) in `to` at `rate`: one exact fraction, rounded once.
    ///
    /// # Errors
    /// As [`Money::convert`]; [`DomainError::AmountTooLarge`] also when the exact fraction does
    /// not fit 128 bits (never wrapped).
    pub fn convert_part(
        self,
        part_num: i128,
        part_den: i128,
        to: Currency,
        rate: &AppliedRate,
    ) -> Result<Money, DomainError> {
        if (rate.from, rate.to) != (self.currency, to) {
            return Err(DomainError::InvalidValue {
                field: "rate".into(),
                value: format!("{}/{} for {}/{}", rate.from, rate.to, self.currency, to),
            });
        }
        let too_large = || DomainError::AmountTooLarge { field: "converted".into(), value: self.minor.to_string() };
        let (n, d) = (i128::from(rate.rate.numerator), i128::from(rate.rate.denominator));
        let num = i128::from(self.minor)
            .checked_mul(n)
            .and_then(|x| x.checked_mul(part_num))
            .and_then(|x| x.checked_mul(10i128.pow(to.exponent())))
            .ok_or_else(too_large)?;
        let den = d
            .checked_mul(part_den)
            .and_then(|x| x.checked_mul(10i128.pow(self.currency.exponent())))
            .filter(|x| *x > 0)
            .ok_or_else(too_large)?;
        let minor = i64::try_from(round_half_away(num, den)).map_err(|_| too_large())?;
        Money::new(minor, to).map_err(|_| too_large())
    }
}

/// `num / den` (`den` > 0) rounded to the nearest integer, a half rounded away from zero
/// (2.5 → 3, −2.5 → −3). The rule of the euro conversions, Council Regulation (EC) No 1103/97,
/// art. 5: "rounded up or down to the nearest cent … if the application of the conversion rate
/// gives a result which is exactly half-way, the sum shall be rounded up" — and the rule a
/// reader checking a table by hand applies. Lajna rounds each converted value once, then adds
/// the rounded values, so every line of a table adds up to its total.
#[must_use]
pub fn round_half_away(num: i128, den: i128) -> i128 {
    debug_assert!(den > 0, "a positive denominator");
    let (q, r) = (num / den, num % den);
    // `r` has the sign of `num` and |r| < den: compare 2|r| with den without overflow.
    if r.unsigned_abs() >= den.unsigned_abs() - r.unsigned_abs() { q + num.signum() } else { q }
}

/// A quantity in kind (seats, vehicles, rations, months of an instructor): a fixed decimal
/// with at most 6 decimals, |units| ≤ [`MAX_MINOR`]. JSON: its canonical text, `"20"`,
/// `"12.5"` (a point, no thousands separator, no trailing zero), never a floating-point number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Quantity {
    units: i64,
    scale: u32,
}

/// Most decimals of a [`Quantity`].
pub const QUANTITY_DECIMALS: u32 = 6;

impl Quantity {
    /// Reads a quantity as `lang` writes it (`12,5` in fr and ar, `12.5` in en).
    ///
    /// # Errors
    /// As [`Money::parse`], with at most [`QUANTITY_DECIMALS`] decimals.
    pub fn parse(text: &str, lang: Lang, field: &str) -> Result<Self, DomainError> {
        let d = parse_decimal(text, lang, field, QUANTITY_DECIMALS)?;
        let units = i64::try_from(if d.negative { -d.units } else { d.units })
            .ok()
            .filter(|u| u.unsigned_abs() <= MAX_MINOR.unsigned_abs())
            .ok_or_else(|| DomainError::AmountTooLarge { field: field.into(), value: text.trim().into() })?;
        Ok(Self::canonical(units, d.scale))
    }

    /// A whole quantity.
    ///
    /// # Errors
    /// [`DomainError::AmountTooLarge`] beyond ±[`MAX_MINOR`].
    pub fn whole(n: i64) -> Result<Self, DomainError> {
        if n.unsigned_abs() > MAX_MINOR.unsigned_abs() {
            return Err(DomainError::AmountTooLarge { field: "quantity".into(), value: n.to_string() });
        }
        Ok(Self { units: n, scale: 0 })
    }

    fn canonical(mut units: i64, mut scale: u32) -> Self {
        while scale > 0 && units % 10 == 0 {
            units /= 10;
            scale -= 1;
        }
        Self { units, scale }
    }

    /// The quantity of `millionths` / 10^6 (the inverse of [`Quantity::millionths`]), in its
    /// canonical form: a difference of two quantities, a total.
    ///
    /// # Errors
    /// [`DomainError::AmountTooLarge`] when its units pass ±[`MAX_MINOR`].
    pub fn from_millionths(millionths: i128) -> Result<Self, DomainError> {
        let too_large = || DomainError::AmountTooLarge { field: "quantity".into(), value: millionths.to_string() };
        let (mut units, mut scale) = (millionths, QUANTITY_DECIMALS);
        while scale > 0 && units % 10 == 0 {
            units /= 10;
            scale -= 1;
        }
        let units =
            i64::try_from(units).ok().filter(|u| u.unsigned_abs() <= MAX_MINOR.unsigned_abs()).ok_or_else(too_large)?;
        Ok(Self { units, scale })
    }

    /// The quantity in millionths (its value × 10^6), exact.
    #[must_use]
    pub fn millionths(self) -> i128 {
        i128::from(self.units) * 10i128.pow(QUANTITY_DECIMALS - self.scale)
    }

    /// Whether it is more than zero.
    #[must_use]
    pub fn is_positive(self) -> bool {
        self.units > 0
    }

    /// The quantity as `lang` writes it (`1 234,5`, `1,234.5`), its own decimals only.
    #[must_use]
    pub fn format(self, lang: Lang) -> String {
        format_decimal(i128::from(self.units), self.scale, lang)
    }

    /// A total of quantities, in millionths, as `lang` writes it (trailing zero decimals
    /// dropped).
    #[must_use]
    pub fn format_millionths(millionths: i128, lang: Lang) -> String {
        let (mut units, mut scale) = (millionths, QUANTITY_DECIMALS);
        while scale > 0 && units % 10 == 0 {
            units /= 10;
            scale -= 1;
        }
        format_decimal(units, scale, lang)
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.millionths().cmp(&other.millionths())
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl TryFrom<String> for Quantity {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        // Only the canonical text: one quantity has one JSON value.
        let plain = s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
        match Quantity::parse(&s, Lang::En, "quantity") {
            Ok(q) if plain && String::from(q) == s => Ok(q),
            _ => Err(DomainError::NotAnAmount { field: "quantity".into(), value: s }),
        }
    }
}

impl From<Quantity> for String {
    fn from(q: Quantity) -> String {
        // Canonical: a point, no grouping.
        let digits = q.units.unsigned_abs().to_string();
        let sign = if q.units < 0 { "-" } else { "" };
        let scale = q.scale as usize;
        if scale == 0 {
            return format!("{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        format!("{sign}{int}.{frac}")
    }
}

/// A quantity in kind: how many of what, and optionally what it is worth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InKind {
    /// How many (more than zero in a pledge).
    pub quantity: Quantity,
    /// Of what, per language ("training seats", "vehicles").
    pub unit: crate::LocalizedText,
    /// What the whole quantity is worth, if stated (the in-kind value counted in money totals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valuation: Option<Money>,
}

/// An exchange rate as a fraction: one unit of a currency is `numerator / denominator` units of
/// another. Both terms are whole numbers from 1 to [`MAX_MINOR`]; a rate typed `10.8523` is
/// 108523/10000, kept as typed (not reduced), so it is shown as entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rate {
    /// Numerator.
    pub numerator: i64,
    /// Denominator.
    pub denominator: i64,
}

/// Most decimals of a rate typed as a decimal.
pub const RATE_DECIMALS: u32 = 12;

impl Rate {
    /// `numerator / denominator`.
    ///
    /// # Errors
    /// [`DomainError::NotPositive`] for a zero or negative term (a rate of zero), naming the
    /// field; [`DomainError::AmountTooLarge`] beyond [`MAX_MINOR`].
    pub fn new(numerator: i64, denominator: i64) -> Result<Self, DomainError> {
        for (field, v) in [("numerator", numerator), ("denominator", denominator)] {
            if v <= 0 {
                return Err(DomainError::NotPositive { field: field.into(), value: v.to_string() });
            }
            if v > MAX_MINOR {
                return Err(DomainError::AmountTooLarge { field: field.into(), value: v.to_string() });
            }
        }
        Ok(Self { numerator, denominator })
    }

    /// Reads a rate typed as a decimal in `lang` (`10,8523` in fr and ar, `10.8523` in en):
    /// 108523/10000.
    ///
    /// # Errors
    /// As [`Money::parse`] (at most [`RATE_DECIMALS`] decimals); [`DomainError::NotPositive`]
    /// for zero or a negative rate.
    pub fn parse(text: &str, lang: Lang, field: &str) -> Result<Self, DomainError> {
        let d = parse_decimal(text, lang, field, RATE_DECIMALS)?;
        if d.negative || d.units == 0 {
            return Err(DomainError::NotPositive { field: field.into(), value: text.trim().into() });
        }
        let too_large = || DomainError::AmountTooLarge { field: field.into(), value: text.trim().into() };
        let numerator = i64::try_from(d.units).ok().filter(|n| *n <= MAX_MINOR).ok_or_else(too_large)?;
        let denominator = 10i64.pow(d.scale);
        Ok(Self { numerator, denominator })
    }

    /// The rate as `lang` writes it: a decimal when the denominator is a power of ten
    /// (`10,8523`), else the fraction (`1000/6559`).
    #[must_use]
    pub fn format(self, lang: Lang) -> String {
        let mut scale = 0;
        let mut d = self.denominator;
        while d % 10 == 0 && scale < RATE_DECIMALS {
            d /= 10;
            scale += 1;
        }
        if d == 1 {
            format_decimal(i128::from(self.numerator), scale, lang)
        } else {
            format!("{}/{}", self.numerator, self.denominator)
        }
    }

    /// The other way round: one unit of the second currency in the first.
    #[must_use]
    pub fn inverse(self) -> Self {
        Self { numerator: self.denominator, denominator: self.numerator }
    }
}

/// One exchange rate as entered (an exchange-rate record): from, to, the day it is dated and
/// the rate, with the record's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateEntry {
    /// The record's id.
    pub record: String,
    /// One unit of this currency…
    pub from: Currency,
    /// …is `rate` units of this one.
    pub to: Currency,
    /// The day the rate is dated.
    pub date: Date,
    /// The rate.
    pub rate: Rate,
}

/// The rate a conversion used: as entered, or the exact inverse of an entry the other way
/// round (`inverted`), with its date and record — what a table shows beside its totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedRate {
    /// From.
    pub from: Currency,
    /// To.
    pub to: Currency,
    /// One unit of `from` in `to`.
    pub rate: Rate,
    /// The day the rate is dated.
    pub date: Date,
    /// The rate record, `None` for a currency in itself (rate 1).
    pub record: Option<String>,
    /// Whether `rate` is the inverse of the record's (entered from `to` to `from`).
    pub inverted: bool,
}

/// The exchange rates of the committee, entered by the secretariat (no online source).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rates(Vec<RateEntry>);

/// A value converted to a reporting currency, or why it could not be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// The value in the reporting currency, with the rate used.
    Converted {
        /// The converted value.
        value: Money,
        /// The rate (its `record` is `None` for a value already in the reporting currency).
        rate: AppliedRate,
    },
    /// No rate between the two currencies dated on or before the value's day: the value is
    /// not counted, and said so — never converted at a guessed rate.
    NoRate {
        /// The value's currency.
        from: Currency,
        /// The reporting currency.
        to: Currency,
        /// The value's day.
        on: Date,
    },
}

impl Rates {
    /// The rates of these entries.
    #[must_use]
    pub fn new(entries: Vec<RateEntry>) -> Self {
        Self(entries)
    }

    /// The rates entered.
    #[must_use]
    pub fn entries(&self) -> &[RateEntry] {
        &self.0
    }

    /// The rate from `from` to `to` for a value dated `on`: the latest entry dated on or before
    /// `on` between the two currencies, entered either way (the other way is used as its exact
    /// inverse). Two entries of the same day: the one entered `from` → `to` first, then the
    /// greater record id (entries made concurrently on both nodes: every node picks the same).
    /// No cross rate through a third currency, no later rate: `None` then. A currency in itself
    /// is rate 1 with no record.
    #[must_use]
    pub fn find(&self, from: Currency, to: Currency, on: Date) -> Option<AppliedRate> {
        if from == to {
            return Some(AppliedRate {
                from,
                to,
                rate: Rate { numerator: 1, denominator: 1 },
                date: on,
                record: None,
                inverted: false,
            });
        }
        self.0
            .iter()
            .filter(|e| e.date <= on)
            .filter_map(|e| match (e.from == from && e.to == to, e.from == to && e.to == from) {
                (true, _) => Some((e, false)),
                (_, true) => Some((e, true)),
                _ => None,
            })
            .max_by(|(a, ai), (b, bi)| a.date.cmp(&b.date).then(bi.cmp(ai)).then(a.record.cmp(&b.record)))
            .map(|(e, inverted)| AppliedRate {
                from,
                to,
                rate: if inverted { e.rate.inverse() } else { e.rate },
                date: e.date,
                record: Some(e.record.clone()),
                inverted,
            })
    }

    /// `part_num / part_den` of `value`, dated `on`, in `to` ([`Rates::find`],
    /// [`Money::convert_part`]).
    ///
    /// # Errors
    /// As [`Money::convert_part`].
    pub fn convert(
        &self,
        value: Money,
        part_num: i128,
        part_den: i128,
        to: Currency,
        on: Date,
    ) -> Result<Conversion, DomainError> {
        let Some(rate) = self.find(value.currency(), to, on) else {
            return Ok(Conversion::NoRate { from: value.currency(), to, on });
        };
        Ok(Conversion::Converted { value: value.convert_part(part_num, part_den, to, &rate)?, rate })
    }
}

/// A decimal as typed: sign, digits as one integer, decimals.
struct Decimal {
    negative: bool,
    units: i128,
    scale: u32,
}

/// The decimal marks and thousands separators of `lang`.
fn marks(lang: Lang) -> (&'static [char], &'static [char]) {
    match lang {
        Lang::En => (&['.'], &[',']),
        Lang::Fr => (&[','], &[' ', '\u{A0}', '\u{202F}']),
        // The Arabic decimal and thousands separators (U+066B, U+066C) too.
        Lang::Ar => (&[',', '\u{66B}'], &[' ', '\u{A0}', '\u{202F}', '\u{66C}']),
    }
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

/// Reads a decimal as `lang` writes it, with at most `max_scale` decimals.
fn parse_decimal(text: &str, lang: Lang, field: &str, max_scale: u32) -> Result<Decimal, DomainError> {
    let value = text.trim();
    let not_amount = || DomainError::NotAnAmount { field: field.into(), value: value.into() };
    let wrong_mark =
        |mark: &str| DomainError::WrongDecimalMark { field: field.into(), value: value.into(), mark: mark.into() };
    let (negative, body) = match value.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, value.strip_prefix('+').unwrap_or(value)),
    };
    let (decimal, group) = marks(lang);
    if lang != Lang::En && body.contains('.') {
        return Err(wrong_mark(","));
    }
    let mut parts = body.split(decimal);
    let int = parts.next().unwrap_or_default();
    let frac = parts.next();
    if parts.next().is_some() {
        return Err(not_amount());
    }
    // Thousands: the first group 1 to 3 digits, every other exactly 3.
    let groups: Vec<&str> = int.split(group).collect();
    let grouped_ok = groups.len() == 1
        || (groups.iter().all(|g| g.chars().all(|c| digit(c).is_some()))
            && (1..=3).contains(&groups[0].chars().count())
            && groups[1..].iter().all(|g| g.chars().count() == 3));
    if !grouped_ok {
        // `12,50` in English: a decimal comma, not thousands.
        if lang == Lang::En && frac.is_none() && groups.len() == 2 {
            return Err(wrong_mark("."));
        }
        return Err(not_amount());
    }
    let digits: String = groups.concat();
    if digits.is_empty() || frac.is_some_and(str::is_empty) {
        return Err(not_amount());
    }
    let frac = frac.unwrap_or_default();
    let scale = u32::try_from(frac.chars().count()).map_err(|_| not_amount())?;
    let mut units: i128 = 0;
    for c in digits.chars().chain(frac.chars()) {
        let d = digit(c).ok_or_else(not_amount)?;
        units = units
            .checked_mul(10)
            .and_then(|u| u.checked_add(i128::from(d)))
            .ok_or_else(|| DomainError::AmountTooLarge { field: field.into(), value: value.into() })?;
    }
    if scale > max_scale {
        return Err(DomainError::TooManyDecimals {
            field: field.into(),
            value: value.into(),
            max: i64::from(max_scale),
        });
    }
    Ok(Decimal { negative: negative && units != 0, units, scale })
}

/// `units / 10^scale` as `lang` writes it, thousands grouped.
fn format_decimal(units: i128, scale: u32, lang: Lang) -> String {
    let (decimal, group) = match lang {
        Lang::En => ('.', ','),
        Lang::Fr | Lang::Ar => (',', '\u{202F}'),
    };
    let abs = units.unsigned_abs();
    let pow = 10u128.pow(scale);
    let (int, frac) = (abs / pow, abs % pow);
    let digits = int.to_string();
    let mut out = String::new();
    if units < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if scale > 0 {
        out.push(decimal);
        out.push_str(&format!("{frac:0>width$}", width = scale as usize));
    }
    out
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    fn mad(minor: i64) -> Money {
        Money::new(minor, Currency::MAD).unwrap()
    }

    #[test]
    fn the_currency_table_is_sorted_and_gives_each_exponent() {
        let codes: Vec<&str> = CURRENCIES.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, Currency::CODES);
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted);
        let exp = |c: &str| Currency::parse(c).unwrap().exponent();
        assert_eq!((exp("MAD"), exp("XOF"), exp("EUR"), exp("USD")), (2, 0, 2, 2));
        assert_eq!(
            (Currency::MAD.code(), Currency::XOF.code(), Currency::EUR.code(), Currency::USD.code()),
            ("MAD", "XOF", "EUR", "USD")
        );
        assert_eq!(Currency::parse(" mad ").unwrap(), Currency::MAD);
        assert_eq!(Currency::parse("XYZ"), Err(DomainError::UnknownCurrency { code: "XYZ".into() }));
        // Signed bodies hold the exact code.
        assert!(serde_json::from_value::<Currency>(serde_json::json!("mad")).is_err());
        assert_eq!(serde_json::to_value(Currency::XOF).unwrap(), "XOF");
    }

    #[test]
    fn amounts_are_read_and_written_as_each_language_writes_them() {
        let fr = Money::parse("1 234,56", Currency::MAD, Lang::Fr, "amount").unwrap();
        assert_eq!(fr.minor(), 123_456);
        assert_eq!(fr.format(Lang::Fr), "1\u{202F}234,56");
        assert_eq!(fr.format(Lang::Ar), "1\u{202F}234,56");
        assert_eq!(fr.format(Lang::En), "1,234.56");
        assert_eq!(Money::parse("1,234.56", Currency::MAD, Lang::En, "amount").unwrap(), fr);
        assert_eq!(Money::parse("١٢٣٤٫٥٦", Currency::MAD, Lang::Ar, "amount").unwrap(), fr);
        assert_eq!(Money::parse("1\u{A0}234,5", Currency::MAD, Lang::Fr, "amount").unwrap().minor(), 123_450);
        assert_eq!(Money::parse("12", Currency::MAD, Lang::Fr, "amount").unwrap().minor(), 1200);
        assert_eq!(Money::parse("1 500 000", Currency::XOF, Lang::Fr, "amount").unwrap().format(Lang::En), "1,500,000");
        assert_eq!(mad(-5).format(Lang::Fr), "-0,05");
        // A decimal point in French or Arabic, a decimal comma in English: refused, named.
        let wrong = |text: &str, _lang: Lang, mark: &str| DomainError::WrongDecimalMark {
            field: "amount".into(),
            value: text.into(),
            mark: mark.into(),
        };
        assert_eq!(Money::parse("1234.56", Currency::MAD, Lang::Fr, "amount"), Err(wrong("1234.56", Lang::Fr, ",")));
        assert_eq!(Money::parse("12.5", Currency::MAD, Lang::Ar, "amount"), Err(wrong("12.5", Lang::Ar, ",")));
        assert_eq!(Money::parse("12,50", Currency::MAD, Lang::En, "amount"), Err(wrong("12,50", Lang::En, ".")));
        // Too many decimals for the currency.
        assert_eq!(
            Money::parse("1 500,5", Currency::XOF, Lang::Fr, "amount"),
            Err(DomainError::TooManyDecimals { field: "amount".into(), value: "1 500,5".into(), max: 0 })
        );
        assert_eq!(
            Money::parse("3,141", Currency::EUR, Lang::Fr, "amount"),
            Err(DomainError::TooManyDecimals { field: "amount".into(), value: "3,141".into(), max: 2 })
        );
        for bad in ["", "abc", "12,", ",5", "1 23,4", "1,2,3", "12 34"] {
            assert!(
                matches!(Money::parse(bad, Currency::MAD, Lang::Fr, "amount"), Err(DomainError::NotAnAmount { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn amounts_beyond_2_pow_53_minor_units_are_refused() {
        assert_eq!(Money::new(MAX_MINOR, Currency::XOF).unwrap().minor(), 9_007_199_254_740_991);
        assert_eq!(Money::new(-MAX_MINOR, Currency::XOF).unwrap().minor(), -MAX_MINOR);
        for minor in [1 << 53, -(1 << 53), i64::MAX, i64::MIN] {
            assert_eq!(
                Money::new(minor, Currency::XOF),
                Err(DomainError::AmountTooLarge { field: "minor".into(), value: minor.to_string() })
            );
            let json = serde_json::json!({"minor": minor, "currency": "XOF"});
            assert!(serde_json::from_value::<Money>(json).is_err());
        }
        assert_eq!(
            Money::parse("90 071 992 547 409,92", Currency::MAD, Lang::Fr, "amount"),
            Err(DomainError::AmountTooLarge { field: "amount".into(), value: "90 071 992 547 409,92".into() })
        );
        assert_eq!(
            Money::parse("90 071 992 547 409,91", Currency::MAD, Lang::Fr, "amount").unwrap().minor(),
            MAX_MINOR
        );
    }

    #[test]
    fn quantities_are_fixed_decimals_with_one_json_text() {
        let q = Quantity::parse("12,50", Lang::Fr, "quantity").unwrap();
        assert_eq!(serde_json::to_value(q).unwrap(), "12.5");
        assert_eq!(q.millionths(), 12_500_000);
        assert_eq!(q.format(Lang::Fr), "12,5");
        assert_eq!(serde_json::from_value::<Quantity>(serde_json::json!("20")).unwrap(), Quantity::whole(20).unwrap());
        for bad in ["12.50", "1,000", "+3", "1e3", "0.1234567", ""] {
            assert!(serde_json::from_value::<Quantity>(serde_json::json!(bad)).is_err(), "{bad:?}");
        }
        assert!(serde_json::from_value::<Quantity>(serde_json::json!(12.5)).is_err(), "a float is no quantity");
        assert_eq!(Quantity::format_millionths(1_234_500_000, Lang::En), "1,234.5");
    }

    #[test]
    fn rates_are_fractions_of_positive_integers() {
        let r = Rate::parse("10,8523", Lang::Fr, "rate").unwrap();
        assert_eq!((r.numerator, r.denominator), (108_523, 10_000));
        assert_eq!(r.format(Lang::Fr), "10,8523");
        assert_eq!(r.format(Lang::En), "10.8523");
        assert_eq!(Rate::parse("655.957", Lang::En, "rate").unwrap().inverse().format(Lang::En), "1000/655957");
        for zero in ["0", "0,000", "-1,5"] {
            assert_eq!(
                Rate::parse(zero, Lang::Fr, "rate"),
                Err(DomainError::NotPositive { field: "rate".into(), value: zero.into() })
            );
        }
        assert_eq!(Rate::new(0, 1), Err(DomainError::NotPositive { field: "numerator".into(), value: "0".into() }));
        assert_eq!(Rate::new(1, -3), Err(DomainError::NotPositive { field: "denominator".into(), value: "-3".into() }));
        assert!(matches!(Rate::parse("10.85", Lang::Fr, "rate"), Err(DomainError::WrongDecimalMark { .. })));
    }

    #[test]
    fn halves_are_rounded_away_from_zero() {
        assert_eq!(round_half_away(5, 2), 3);
        assert_eq!(round_half_away(-5, 2), -3);
        assert_eq!(round_half_away(7, 3), 2);
        assert_eq!(round_half_away(8, 3), 3);
        assert_eq!(round_half_away(-7, 3), -2);
        assert_eq!(round_half_away(-8, 3), -3);
        assert_eq!(round_half_away(0, 7), 0);
        assert_eq!(round_half_away(149, 100), 1);
        assert_eq!(round_half_away(150, 100), 2);
    }

    #[test]
    fn the_latest_rate_on_or_before_the_day_is_used_and_none_is_guessed() {
        let entry = |id: &str, from, to, d, n, den| RateEntry {
            record: id.into(),
            from,
            to,
            date: d,
            rate: Rate::new(n, den).unwrap(),
        };
        let rates = Rates::new(vec![
            entry("a", Currency::EUR, Currency::MAD, date(2026, 1, 1), 108_523, 10_000),
            entry("b", Currency::EUR, Currency::MAD, date(2026, 3, 1), 109, 10),
            entry("c", Currency::MAD, Currency::XOF, date(2026, 2, 1), 6_150, 100),
        ]);
        // 100.00 EUR on 2026-02-15: the January rate, 1085.23 MAD.
        let c =
            rates.convert(Money::new(10_000, Currency::EUR).unwrap(), 1, 1, Currency::MAD, date(2026, 2, 15)).unwrap();
        let Conversion::Converted { value, rate } = c else { panic!("{c:?}") };
        assert_eq!((value.minor(), rate.date, rate.record.as_deref()), (108_523, date(2026, 1, 1), Some("a")));
        // On the day of the March rate, that one.
        let c =
            rates.convert(Money::new(10_000, Currency::EUR).unwrap(), 1, 1, Currency::MAD, date(2026, 3, 1)).unwrap();
        assert!(matches!(c, Conversion::Converted { value, .. } if value.minor() == 109_000));
        // Before any rate: no rate, said so.
        let c =
            rates.convert(Money::new(10_000, Currency::EUR).unwrap(), 1, 1, Currency::MAD, date(2025, 12, 31)).unwrap();
        assert_eq!(c, Conversion::NoRate { from: Currency::EUR, to: Currency::MAD, on: date(2025, 12, 31) });
        // No cross rate EUR → XOF through MAD.
        assert!(rates.find(Currency::EUR, Currency::XOF, date(2026, 6, 1)).is_none());
        // The inverse of MAD → XOF: 1 000 XOF = 16.26 MAD (1000 × 100/6150 = 16.260…).
        let c = rates.convert(Money::new(1000, Currency::XOF).unwrap(), 1, 1, Currency::MAD, date(2026, 2, 1)).unwrap();
        let Conversion::Converted { value, rate } = c else { panic!("{c:?}") };
        assert_eq!((value.minor(), rate.inverted), (1626, true));
        // 0.01 MAD = 0.615 XOF → 1 XOF (half away from zero); 0.03 MAD = 1.845 → 2.
        let xof = |minor| match rates.convert(mad(minor), 1, 1, Currency::XOF, date(2026, 2, 1)).unwrap() {
            Conversion::Converted { value, .. } => value.minor(),
            c => panic!("{c:?}"),
        };
        assert_eq!((xof(1), xof(3), xof(-1), xof(2)), (1, 2, -1, 1));
    }

    #[test]
    fn sums_refuse_to_leave_the_range() {
        assert_eq!(Money::sum(Currency::MAD, [mad(1), mad(2)]).unwrap().minor(), 3);
        assert_eq!(
            Money::sum(Currency::MAD, [mad(MAX_MINOR), mad(1)]),
            Err(DomainError::AmountTooLarge { field: "total".into(), value: "9007199254740992".into() })
        );
        assert!(Money::sum(Currency::MAD, [Money::new(1, Currency::XOF).unwrap()]).is_err());
    }

    fn any_currency() -> impl Strategy<Value = Currency> {
        (0..CURRENCIES.len()).prop_map(|i| Currency(u8::try_from(i).unwrap()))
    }

    fn any_lang() -> impl Strategy<Value = Lang> {
        prop_oneof![Just(Lang::Ar), Just(Lang::Fr), Just(Lang::En)]
    }

    proptest! {
        /// What Lajna writes, it reads back to the same amount, in every language.
        #[test]
        fn parse_of_format_is_the_amount(minor in -MAX_MINOR..=MAX_MINOR, c in any_currency(), lang in any_lang()) {
            let m = Money::new(minor, c).unwrap();
            prop_assert_eq!(Money::parse(&m.format(lang), c, lang, "amount"), Ok(m));
        }

        #[test]
        fn parse_of_format_is_the_quantity(units in -MAX_MINOR..=MAX_MINOR, scale in 0u32..=6, lang in any_lang()) {
            let q = Quantity::canonical(units, scale);
            prop_assert_eq!(Quantity::parse(&q.format(lang), lang, "q"), Ok(q));
            prop_assert_eq!(serde_json::from_value::<Quantity>(serde_json::to_value(q).unwrap()).unwrap(), q);
        }

        #[test]
        fn millionths_read_back_to_the_quantity(units in -MAX_MINOR..=MAX_MINOR, scale in 0u32..=6) {
            let q = Quantity::canonical(units, scale);
            prop_assert_eq!(Quantity::from_millionths(q.millionths()), Ok(q));
        }

        /// More in, never less out: conversion is monotone for every positive rate.
        #[test]
        fn conversion_is_monotone(
            a in -(1i64 << 40)..(1i64 << 40),
            b in -(1i64 << 40)..(1i64 << 40),
            n in 1i64..1_000_000_000,
            d in 1i64..1_000_000_000,
            from in any_currency(),
            to in any_currency(),
        ) {
            let rate = AppliedRate { from, to, rate: Rate::new(n, d).unwrap(), date: date(2026, 1, 1), record: None, inverted: false };
            let (lo, hi) = (a.min(b), a.max(b));
            let (x, y) = (Money::new(lo, from).unwrap().convert(to, &rate), Money::new(hi, from).unwrap().convert(to, &rate));
            if let (Ok(x), Ok(y)) = (x, y) {
                prop_assert!(x.minor() <= y.minor());
            }
        }

        /// A sum is the exact sum, or refused: never wrapped or saturated.
        #[test]
        fn sums_never_overflow_silently(values in proptest::collection::vec(-MAX_MINOR..=MAX_MINOR, 0..20)) {
            let exact: i128 = values.iter().map(|v| i128::from(*v)).sum();
            let mut partial = 0i128;
            let mut leaves = false;
            for v in &values {
                partial += i128::from(*v);
                leaves |= partial.unsigned_abs() > u128::from(MAX_MINOR.unsigned_abs());
            }
            match Money::sum(Currency::XOF, values.iter().map(|v| Money::new(*v, Currency::XOF).unwrap())) {
                Ok(total) => prop_assert!(!leaves && i128::from(total.minor()) == exact),
                Err(e) => {
                    let too_large = matches!(e, DomainError::AmountTooLarge { .. });
                    prop_assert!(leaves && too_large);
                }
            }
        }

        /// Half away from zero agrees with the exact rule written another way.
        #[test]
        fn rounding_is_half_away_from_zero(num in -(1i128 << 100)..(1i128 << 100), den in 1i128..(1i128 << 60)) {
            let r = round_half_away(num, den);
            // |num/den − r| ≤ 1/2, and at exactly 1/2, |r| > |num/den|.
            let diff = (num - r * den).abs() * 2;
            prop_assert!(diff <= den);
            if diff == den {
                prop_assert!(r.abs() * den > num.abs());
            }
        }
    }
}
