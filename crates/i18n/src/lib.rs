//! Message catalogues (Fluent), one per language, embedded in the binary, shared by every
//! front end (web pages, CLI reports, the PDF report, spreadsheets). Plural rules come from CLDR
//! through `intl_pluralrules` (Arabic has six categories). Placeables are wrapped in FSI…PDI
//! (Unicode isolates) by Fluent: right for HTML and PDF text; spreadsheets strip them.

use std::collections::BTreeSet;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use lajna_domain::{DomainError, Lang};

pub mod words;
pub use words::{WordTable, Worded};

/// One catalogue per language: `locales/{lang}/*.ftl` concatenated by `build.rs`.
const SOURCES: [(Lang, &str); 3] = [
    (Lang::Ar, include_str!(concat!(env!("OUT_DIR"), "/ar.ftl"))),
    (Lang::Fr, include_str!(concat!(env!("OUT_DIR"), "/fr.ftl"))),
    (Lang::En, include_str!(concat!(env!("OUT_DIR"), "/en.ftl"))),
];

/// A number of a message as `lang` writes it with Western digits (issue 17 item 4; CLDR's
/// symbols): French groups thousands with a narrow no-break space and writes a decimal comma
/// (`2 013`, `37,5`), English a comma and a point (`2,013`, `37.5`); Arabic writes the decimal
/// comma of the committee's spreadsheets and no group separator (`2013`, `37,5`: the Maghreb's
/// `.` separator would read as a decimal point to the other party). `None` for a text.
fn number(value: &FluentValue, lang: Lang) -> Option<String> {
    let FluentValue::Number(n) = value else { return None };
    let plain = n.as_string().into_owned();
    let (int, frac) = plain.split_once('.').map_or((plain.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let (group, decimal) = match lang {
        Lang::Fr => (Some('\u{202F}'), ','),
        Lang::En => (Some(','), '.'),
        Lang::Ar => (None, ','),
    };
    let mut out = String::from(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0
            && (digits.len() - i) % 3 == 0
            && let Some(g) = group
        {
            out.push(g);
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(decimal);
        out.push_str(f);
    }
    Some(out)
}

/// The three catalogues.
pub struct Catalog {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Catalog")
    }
}

impl Catalog {
    /// Parses the embedded catalogues.
    ///
    /// # Panics
    /// When an embedded `.ftl` file does not parse: a build defect caught by the tests.
    #[must_use]
    pub fn load() -> Self {
        let bundles = SOURCES
            .iter()
            .map(|(lang, source)| {
                let res = FluentResource::try_new((*source).to_string())
                    .unwrap_or_else(|(_, errors)| panic!("locales/{}/*.ftl: {errors:?}", lang.code()));
                let id = lang.code().parse().unwrap_or_else(|_| unreachable!("static tag"));
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                bundle.set_formatter(Some(match lang {
                    Lang::Fr => |v, _| number(v, Lang::Fr),
                    Lang::En => |v, _| number(v, Lang::En),
                    Lang::Ar => |v, _| number(v, Lang::Ar),
                }));
                // A key defined twice (in two files) is an error here, caught by the tests.
                bundle.add_resource(res).unwrap_or_else(|e| panic!("locales/{}/*.ftl: {e:?}", lang.code()));
                (*lang, bundle)
            })
            .collect();
        Self { bundles }
    }

    /// The catalogues parsed once for the whole process, for the pure functions that are handed
    /// no catalogue (the follow-up matrix's export and import write and read the catalogues'
    /// words).
    #[must_use]
    pub fn shared() -> &'static Self {
        static SHARED: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        SHARED.get_or_init(Self::load)
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        &self.bundles.iter().find(|(l, _)| *l == lang).unwrap_or(&self.bundles[0]).1
    }

    /// The message `key` in `lang` with numeric or text arguments. A missing key shows as
    /// the key itself (and the catalogue test fails on it).
    #[must_use]
    pub fn get(&self, lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Num(n) => fargs.set(*name, FluentValue::from(*n)),
                Arg::Text(t) => fargs.set(*name, FluentValue::from(t.clone())),
            }
        }
        let mut errors = vec![];
        bundle.format_pattern(pattern, if args.is_empty() { None } else { Some(&fargs) }, &mut errors).into_owned()
    }

    /// [`Catalog::get`] as text that becomes part of a record (a preset the user may keep and
    /// sign): without the Unicode isolates (U+2068, U+2069) Fluent puts around placeables for
    /// display, which the text rule of the record refuses inside signed text.
    #[must_use]
    pub fn record_text(&self, lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
        self.get(lang, key, args).replace(['\u{2068}', '\u{2069}'], "")
    }

    /// Every message id of `lang`'s catalogue.
    #[must_use]
    pub fn keys(&self, lang: Lang) -> BTreeSet<String> {
        let source = SOURCES.iter().find(|(l, _)| *l == lang).map(|(_, s)| *s).unwrap_or("");
        source
            .lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
            .collect()
    }
}

impl Catalog {
    /// The message of a domain refusal in `lang`, with the field it is about (for forms and
    /// problem documents). The domain names a message key and its values; the words are here.
    #[must_use]
    pub fn domain_message(&self, lang: Lang, d: &DomainError) -> (Option<String>, String) {
        let day = |text: &String| Arg::Text(lajna_domain::day::show_iso_day(text, lang));
        let args: Vec<(&str, Arg)> = match d {
            // Days as the reader's date fields write them (`31/12/2025` in fr and ar).
            DomainError::EndBeforeStart { start, end, .. } => vec![("start", day(start)), ("end", day(end))],
            DomainError::OutsideDates { date, start, end } => {
                vec![("date", day(date)), ("start", day(start)), ("end", day(end))]
            }
            DomainError::OutOfRange { min, max, .. } => vec![("min", Arg::Num(*min)), ("max", Arg::Num(*max))],
            DomainError::InvalidValue { value, .. }
            | DomainError::NotADay { value, .. }
            | DomainError::ProgressOutOfRange { value } => {
                vec![("value", Arg::Text(value.clone()))]
            }
            DomainError::UnknownParty { code } => vec![("value", Arg::Text(code.clone()))],
            DomainError::UnknownZone { zone } => vec![("value", Arg::Text(zone.clone()))],
            DomainError::DuplicateNumber { number } => vec![("value", Arg::Num(*number))],
            DomainError::DuplicateCode { code } => vec![("value", Arg::Text(code.clone()))],
            DomainError::OutsideRoadmap { start, end, roadmap_start, roadmap_end } => vec![
                ("start", day(start)),
                ("end", day(end)),
                ("roadmap_start", day(roadmap_start)),
                ("roadmap_end", day(roadmap_end)),
            ],
            DomainError::ReasonRequired { status, .. } => {
                vec![("status", Arg::Text(self.get(lang, &format!("status-{status}"), &[])))]
            }
            DomainError::DelegationOtherParty { party } => vec![("party", Arg::Text(party.clone()))],
            DomainError::NotPartyMember { member, party } => {
                vec![("member", Arg::Text(member.clone())), ("party", Arg::Text(party.clone()))]
            }
            DomainError::DelegationHead { heads } => vec![("heads", Arg::Num(*heads))],
            DomainError::UnknownCurrency { code } => vec![("value", Arg::Text(code.clone()))],
            DomainError::AmountTooLarge { value, .. }
            | DomainError::NotAnAmount { value, .. }
            | DomainError::NotPositive { value, .. } => vec![("value", Arg::Text(value.clone()))],
            DomainError::WrongDecimalMark { value, mark, .. } => {
                vec![("value", Arg::Text(value.clone())), ("mark", Arg::Text(mark.clone()))]
            }
            DomainError::TooManyDecimals { value, max, .. } => {
                vec![("value", Arg::Text(value.clone())), ("max", Arg::Num(*max))]
            }
            DomainError::DeliveryBeforePledge { date, pledged } => vec![("date", day(date)), ("pledged", day(pledged))],
            DomainError::TooLong { max, length, .. } => vec![
                ("max", Arg::Num(i64::try_from(*max).unwrap_or(i64::MAX))),
                ("length", Arg::Num(i64::try_from(*length).unwrap_or(i64::MAX))),
            ],
            _ => vec![],
        };
        (d.field().map(String::from), self.get(lang, d.key(), &args))
    }
}

/// A message argument.
#[derive(Clone, Debug)]
pub enum Arg {
    /// A number (selects the plural category).
    Num(i64),
    /// A text.
    Text(String),
}

/// The translator handed to templates: a catalogue and the page's language.
#[derive(Clone, Copy, Debug)]
pub struct Tr<'a> {
    /// Catalogues.
    pub catalog: &'a Catalog,
    /// Page language.
    pub lang: Lang,
}

impl Tr<'_> {
    /// The message `key`.
    #[must_use]
    pub fn t(&self, key: &str) -> String {
        self.catalog.get(self.lang, key, &[])
    }

    /// The label of an action status code (`status-{code}`).
    #[must_use]
    pub fn status(&self, code: &str) -> String {
        self.t(&format!("status-{code}"))
    }

    /// The message `key` with one numeric argument `name`.
    #[must_use]
    pub fn n(&self, key: &str, name: &str, value: impl std::borrow::Borrow<i64>) -> String {
        self.catalog.get(self.lang, key, &[(name, Arg::Num(*value.borrow()))])
    }

    /// A whole percent as the reader writes it (CLDR's percent patterns with Western digits):
    /// `60 %` in French, the sign after a narrow no-break space (U+202F); `60%` in English and
    /// Arabic. Issue 17 item 4.
    #[must_use]
    pub fn pct(&self, value: impl std::borrow::Borrow<u8>) -> String {
        let v = *value.borrow();
        if self.lang == Lang::Fr { format!("{v}\u{202F}%") } else { format!("{v}%") }
    }

    /// The message `key` with one text argument `name`.
    #[must_use]
    pub fn s(&self, key: &str, name: &str, value: &str) -> String {
        self.catalog.get(self.lang, key, &[(name, Arg::Text(value.to_string()))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_key_exists_in_every_language() {
        let c = Catalog::load();
        let all: BTreeSet<String> = Lang::ALL.iter().flat_map(|l| c.keys(*l)).collect();
        assert!(all.len() > 50, "catalogues look empty: {}", all.len());
        for lang in Lang::ALL {
            let have = c.keys(lang);
            let missing: Vec<_> = all.difference(&have).collect();
            assert!(missing.is_empty(), "{} misses {missing:?}", lang.code());
        }
    }

    /// Issue 18: an amount refused names the value as typed, the decimal mark to use, the
    /// decimals allowed, and the days of a delivery before its pledge as the reader writes them.
    #[test]
    fn resource_refusals_name_their_values_in_every_language() {
        let c = Catalog::load();
        let strip = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
        let text = |lang, e: DomainError| strip(c.domain_message(lang, &e).1);
        let value = |v: &str| v.to_string();
        for lang in Lang::ALL {
            let mark = text(
                lang,
                DomainError::WrongDecimalMark { field: "amount".into(), value: value("12.5"), mark: ",".into() },
            );
            assert!(mark.contains("12.5") && mark.contains(','), "{}: {mark}", lang.code());
            let none =
                text(lang, DomainError::TooManyDecimals { field: "amount".into(), value: value("1 500,5"), max: 0 });
            let two =
                text(lang, DomainError::TooManyDecimals { field: "amount".into(), value: value("3,141"), max: 2 });
            assert!(
                none.contains("1 500,5") && two.contains("3,141") && none != two,
                "{}: {none} / {two}",
                lang.code()
            );
            let currency = text(lang, DomainError::UnknownCurrency { code: "XYZ".into() });
            let large =
                text(lang, DomainError::AmountTooLarge { field: "minor".into(), value: value("9007199254740992") });
            let zero = text(lang, DomainError::NotPositive { field: "numerator".into(), value: value("0") });
            assert!(currency.contains("XYZ") && large.contains("9007199254740992") && zero.contains('0'));
            for t in [&mark, &none, &two, &currency, &large, &zero] {
                assert!(!t.contains('{') && !t.starts_with("error-"), "{}: {t}", lang.code());
            }
        }
        let early = DomainError::DeliveryBeforePledge { date: "2026-01-31".into(), pledged: "2026-02-01".into() };
        assert_eq!(
            text(Lang::Fr, early.clone()),
            "Une livraison datée du 31/01/2026 ne peut précéder son engagement du 01/02/2026."
        );
        assert_eq!(text(Lang::En, early), "A delivery dated 2026-01-31 cannot precede its pledge of 2026-02-01.");
    }

    #[test]
    fn a_domain_refusal_names_its_values_in_every_language() {
        let c = Catalog::load();
        let e = DomainError::TooLong { field: "title".into(), max: 300, length: 412 };
        for lang in Lang::ALL {
            let (field, text) = c.domain_message(lang, &e);
            assert_eq!(field.as_deref(), Some("title"));
            assert!(text.contains("300") && text.contains("412"), "{}: {text}", lang.code());
            assert!(!text.contains('{'), "{}: {text}", lang.code());
        }
    }

    #[test]
    fn numbers_in_messages_are_written_as_each_language_writes_them() {
        let catalog = Catalog::load();
        let n = |lang, v: f64| number(&FluentValue::from(v), lang).unwrap();
        assert_eq!(n(Lang::Fr, 2013.0), "2\u{202F}013");
        assert_eq!(n(Lang::Fr, 37.5), "37,5");
        assert_eq!(n(Lang::Fr, -1_048_576.0), "-1\u{202F}048\u{202F}576");
        assert_eq!(n(Lang::En, 2013.0), "2,013");
        assert_eq!(n(Lang::En, 37.5), "37.5");
        assert_eq!(n(Lang::Ar, 2013.0), "2013");
        assert_eq!(n(Lang::Ar, 37.5), "37,5");
        assert_eq!(n(Lang::Fr, 999.0), "999");
        // Through a message: the plural still follows the number, the number is grouped.
        let said = |lang| {
            catalog.get(lang, "import-applied", &[("count", Arg::Num(2013))]).replace(['\u{2068}', '\u{2069}'], "")
        };
        assert!(said(Lang::Fr).starts_with("2\u{202F}013 "), "{}", said(Lang::Fr));
        assert!(said(Lang::En).starts_with("2,013 "), "{}", said(Lang::En));
    }

    #[test]
    fn percents_are_written_as_each_language_writes_them() {
        let catalog = Catalog::load();
        let tr = |lang| Tr { catalog: &catalog, lang };
        assert_eq!(tr(Lang::Fr).pct(37u8), "37\u{202F}%");
        assert_eq!(tr(Lang::En).pct(100u8), "100%");
        assert_eq!(tr(Lang::Ar).pct(0u8), "0%");
    }

    #[test]
    fn arabic_plurals_follow_cldr_categories() {
        let c = Catalog::load();
        let strip = |s: String| s.replace(['\u{2068}', '\u{2069}'], "");
        assert_eq!(strip(c.get(Lang::Ar, "days-late", &[("days", Arg::Num(1))])), "تأخير يوم واحد");
        assert_eq!(strip(c.get(Lang::Ar, "days-late", &[("days", Arg::Num(2))])), "تأخير يومين");
        assert_eq!(strip(c.get(Lang::Ar, "days-late", &[("days", Arg::Num(6))])), "تأخير 6 أيام");
        assert_eq!(strip(c.get(Lang::Ar, "days-late", &[("days", Arg::Num(16))])), "تأخير 16 يوماً");
        assert_eq!(strip(c.get(Lang::Ar, "days-late", &[("days", Arg::Num(100))])), "تأخير 100 يوم");
        assert_eq!(strip(c.get(Lang::Fr, "days-late", &[("days", Arg::Num(31))])), "31 jours de retard");
    }
}
