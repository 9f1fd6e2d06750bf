//! The must-show of issue 18: the totals in MAD and in XOF of a fixture of 50 pledges in four
//! currencies and in kind match, to the minor unit, a table computed by hand — by
//! `fixture.py` with Python's exact fractions, not by this code — with the rates as entered.

use std::collections::BTreeMap;

use jiff::civil::{Date, date};
use lajna_domain::command::{Actor, Command, decide};
use lajna_domain::marking::Marking;
use lajna_domain::money::{Currency, InKind, Money, Quantity, Rate};
use lajna_domain::records::{Action, Area, Need, Offer, Roadmap};
use lajna_domain::resources::{Delivered, Delivery, ExchangeRate, Pledge, Pledged};
use lajna_domain::values::{ActionStatus, Category, NeedStatus, OfferStatus, Priority, Progress};
use lajna_domain::{Lang, LocalizedText, Meta, PartyCode, RecordKind, State};
use serde_json::json;

use super::{Figures, totals};

#[rustfmt::skip]
#[path = "fixture.rs"]
mod fixture;

/// A pledge of the fixture.
pub(super) struct P {
    party: &'static str,
    about: &'static str,
    date: &'static str,
    due: &'static str,
    value: V,
    /// (date, minor units or quantity text).
    deliveries: &'static [(&'static str, &'static str)],
}

/// A value of the fixture: minor units and currency, or quantity, unit and valuation.
pub(super) enum V {
    Money(i64, &'static str),
    Kind(&'static str, &'static str, Option<(i64, &'static str)>),
}

/// A state folded from the commands' events, decided as the node would (refusals panic).
struct Log {
    state: State,
    n: usize,
}

impl Log {
    fn apply(&mut self, party: &str, kind: &str, body: &serde_json::Value) -> String {
        self.n += 1;
        let meta = Meta {
            id: format!("{:064x}", self.n),
            lamport: i64::try_from(self.n).unwrap(),
            party: party.into(),
            member: None,
            at: "2026-09-01T09:00:00Z".into(),
        };
        self.state.apply(&meta, kind, body).unwrap();
        meta.id
    }

    fn run(&mut self, party: &str, cmd: Command) -> String {
        let actor = Actor { party: PartyCode::parse(party).unwrap(), member: None };
        let emits = decide(&self.state, &actor, &cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        emits.iter().map(|e| self.apply(party, &e.kind, &e.body)).last().unwrap()
    }
}

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn text(fr: &str) -> LocalizedText {
    LocalizedText::tri("", fr, fr)
}

/// The committee of the fixture; returns the state and the ids of the fixture's names.
fn build() -> (State, BTreeMap<String, String>, Vec<String>) {
    let mut log = Log { state: State::default(), n: 0 };
    let charter = json!({
        "name": {"fr": "Commission militaire mixte"},
        "parties": [
            {"code": "MAR", "name": {"fr": "Maroc"}, "forces": {"fr": "FAR"}},
            {"code": "MLI", "name": {"fr": "Mali"}, "forces": {"fr": "FAMa"}}
        ],
        "languages": ["ar", "fr"]
    });
    log.apply("MAR", "ledger.genesis", &json!({"parties": [], "charter": charter}));
    let mut ids = BTreeMap::new();
    for (n, code) in ["training", "equipment", "logistics"].into_iter().enumerate() {
        let area =
            Area { code: code.into(), title: text(code), ordinal: i64::try_from(n).unwrap(), illustrative: false };
        ids.insert(code.to_string(), log.run("MAR", Command::DefineArea(area)));
    }
    for name in ["r2026a", "r2026b"] {
        let r = Roadmap {
            title: text(name),
            session: None,
            start: date(2026, 1, 1),
            end: date(2026, 12, 31),
            illustrative: false,
        };
        ids.insert(name.to_string(), log.run("MAR", Command::DraftRoadmap(r)));
    }
    for (name, area, roadmap, owner) in [
        ("a1", "training", "r2026a", "MAR"),
        ("a2", "equipment", "r2026a", "MLI"),
        ("a3", "logistics", "r2026b", "MAR"),
        ("a4", "training", "r2026b", "MLI"),
    ] {
        let a = Action {
            roadmap: ids[roadmap].clone(),
            area: ids[area].clone(),
            title: text(name),
            owner: PartyCode::parse(owner).unwrap(),
            unit: text("unité"),
            lead: None,
            start: date(2026, 1, 1),
            due: date(2026, 12, 31),
            status: ActionStatus::Planned,
            progress: Progress::new(0).unwrap(),
            weight: None,
            indicator: None,
            decision: None,
            reason: None,
            completed: None,
            illustrative: false,
        };
        ids.insert(name.to_string(), log.run(owner, Command::PlanAction(a)));
    }
    for (name, area, action) in
        [("n1", Some("equipment"), Some("a2")), ("n2", Some("logistics"), None), ("n3", None, None)]
    {
        let n = Need {
            party: PartyCode::parse("MLI").unwrap(),
            category: Category::Equipment,
            title: text(name),
            quantity: 1,
            unit: text("lot"),
            priority: Priority::Medium,
            status: NeedStatus::Open,
            area: area.map(|a| ids[a].clone()),
            action: action.map(|a| ids[a].clone()),
            illustrative: false,
        };
        ids.insert(name.to_string(), log.run("MLI", Command::RegisterNeed(n)));
    }
    for (name, need) in [("o1", Some("n1")), ("o2", None), ("o3", Some("n2"))] {
        let o = Offer {
            party: PartyCode::parse("MAR").unwrap(),
            category: Category::Training,
            title: text(name),
            quantity: 1,
            unit: text("lot"),
            status: OfferStatus::Proposed,
            need: need.map(|n| ids[n].clone()),
            illustrative: false,
        };
        ids.insert(name.to_string(), log.run("MAR", Command::MakeOffer(o)));
    }
    for (from, to, on, typed) in fixture::RATES {
        let rate = Rate::parse(typed, Lang::En, "rate").unwrap();
        let r = ExchangeRate {
            from: Currency::parse(from).unwrap(),
            to: Currency::parse(to).unwrap(),
            date: day(on),
            numerator: rate.numerator,
            denominator: rate.denominator,
            illustrative: false,
        };
        log.run("MAR", Command::EnterRate(r));
    }
    let mut pledges = vec![];
    for p in &fixture::PLEDGES {
        let value = match p.value {
            V::Money(minor, cur) => Pledged::Money(Money::new(minor, Currency::parse(cur).unwrap()).unwrap()),
            V::Kind(qty, unit, valuation) => Pledged::InKind(InKind {
                quantity: Quantity::parse(qty, Lang::En, "quantity").unwrap(),
                unit: text(unit),
                valuation: valuation.map(|(minor, cur)| Money::new(minor, Currency::parse(cur).unwrap()).unwrap()),
            }),
        };
        let pledge = Pledge {
            party: PartyCode::parse(p.party).unwrap(),
            about: ids[p.about].clone(),
            date: day(p.date),
            due: day(p.due),
            value,
            marking: Marking::default(),
            illustrative: false,
        };
        let id = log.run(p.party, Command::MakePledge(pledge));
        for (on, amount) in p.deliveries {
            let value = match p.value {
                V::Money(_, cur) => {
                    Delivered::Money(Money::new(amount.parse().unwrap(), Currency::parse(cur).unwrap()).unwrap())
                }
                V::Kind(..) => Delivered::InKind { quantity: Quantity::parse(amount, Lang::En, "quantity").unwrap() },
            };
            let delivery = Delivery { date: day(on), value, evidence: None };
            log.run(p.party, Command::RecordDelivery { pledge: id.clone(), delivery });
        }
        pledges.push(id);
    }
    (log.state, ids, pledges)
}

/// A table of figures as the fixture writes it: (group name or "-", party, pledged, delivered,
/// values without a rate).
fn rows(
    names: &BTreeMap<String, String>,
    groups: &BTreeMap<Option<String>, BTreeMap<String, Figures>>,
) -> Vec<(String, String, i64, i64, usize)> {
    let mut out: Vec<_> = groups
        .iter()
        .flat_map(|(group, parties)| {
            let name = group.as_ref().map_or("-".to_string(), |id| names[id].clone());
            parties.iter().map(move |(party, f)| {
                (name.clone(), party.clone(), f.pledged.minor(), f.delivered.minor(), f.uncounted)
            })
        })
        .collect();
    out.sort();
    out
}

fn expected(table: &[(&str, &str, i64, i64, usize)]) -> Vec<(String, String, i64, i64, usize)> {
    table.iter().map(|(g, p, a, b, c)| ((*g).to_string(), (*p).to_string(), *a, *b, *c)).collect()
}

#[test]
fn totals_in_mad_and_xof_match_the_hand_computed_table_to_the_minor_unit() {
    let (state, ids, pledges) = build();
    assert_eq!(state.entries().filter(|(_, e)| e.kind == RecordKind::Pledge).count(), 50);
    let names: BTreeMap<String, String> = ids.iter().map(|(name, id)| (id.clone(), name.clone())).collect();
    let today = date(2026, 9, 1);
    for (currency, by_area, by_roadmap, by_party, uncounted) in [
        (Currency::MAD, fixture::BY_AREA_MAD, fixture::BY_ROADMAP_MAD, fixture::BY_PARTY_MAD, fixture::UNCOUNTED_MAD),
        (Currency::XOF, fixture::BY_AREA_XOF, fixture::BY_ROADMAP_XOF, fixture::BY_PARTY_XOF, fixture::UNCOUNTED_XOF),
    ] {
        let t = totals(&state, currency, today).unwrap();
        assert_eq!(rows(&names, &t.by_area), expected(by_area), "{currency} by area");
        assert_eq!(rows(&names, &t.by_roadmap), expected(by_roadmap), "{currency} by roadmap");
        let parties: BTreeMap<Option<String>, BTreeMap<String, Figures>> = [(None, t.by_party.clone())].into();
        let parties: Vec<_> =
            rows(&names, &parties).into_iter().map(|(_, p, a, b, c)| ("*".to_string(), p, a, b, c)).collect();
        assert_eq!(parties, expected(by_party), "{currency} by party");
        assert_eq!(t.no_rate.len(), uncounted, "{currency}: values without a rate");
        // Every value without a rate is dated before the first rate of its currency pair.
        assert!(t.no_rate.iter().all(|n| n.on < date(2026, 1, 1)), "{:?}", t.no_rate);
        // The rates shown are the rates as entered (or their exact inverse), with their date.
        for r in &t.rates {
            assert_eq!(r.to, currency);
            let entered = fixture::RATES
                .iter()
                .find(|(_, _, on, _)| day(on) == r.date && state.entry(r.record.as_deref().unwrap()).is_some())
                .is_some();
            assert!(entered, "{r:?}");
        }
    }
    let t = totals(&state, Currency::MAD, today).unwrap();
    let in_kind: Vec<(String, String, i128, i128)> = t
        .in_kind
        .iter()
        .map(|((party, _), f)| (party.clone(), f.unit.show(Lang::En).to_string(), f.pledged, f.delivered))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let want: Vec<(String, String, i128, i128)> =
        fixture::IN_KIND.iter().map(|(p, u, a, b)| ((*p).to_string(), (*u).to_string(), *a, *b)).collect();
    assert_eq!(in_kind, want);
    let not_honoured: Vec<usize> =
        t.not_honoured.iter().map(|n| pledges.iter().position(|p| *p == n.pledge).unwrap()).collect();
    assert_eq!(not_honoured, fixture::NOT_HONOURED);
}

/// The rules one at a time, on values small enough to check by eye.
#[test]
fn a_rate_is_shown_with_its_date_and_a_missing_one_is_said() {
    let (state, ..) = build();
    let t = totals(&state, Currency::MAD, date(2026, 9, 1)).unwrap();
    // XOF values from 2026-06-01 use the XOF → MAD rate entered that day (0.01615), earlier
    // ones the inverse of MAD → XOF (61.82 from 2026-03-01, 61.5 before).
    let xof: Vec<(String, bool)> = t
        .rates
        .iter()
        .filter(|r| r.from == Currency::XOF)
        .map(|r| (format!("{} {}", r.date, r.rate.format(Lang::En)), r.inverted))
        .collect();
    assert_eq!(
        xof,
        [
            ("2026-01-01 10/615".to_string(), true),
            ("2026-03-01 100/6182".to_string(), true),
            ("2026-06-01 0.01615".to_string(), false)
        ]
    );
}

/// The page as a French reader reads it: amounts `86 998 024,90 MAD`, the rates as entered with
/// their day, the values left out named, the pledges not honoured with their due day.
#[test]
fn the_french_page_writes_amounts_rates_and_days_as_a_french_reader_does() {
    let (state, ..) = build();
    let catalog = lajna_i18n::Catalog::load();
    let tr = lajna_i18n::Tr { catalog: &catalog, lang: Lang::Fr };
    let page = super::page(&state, Currency::MAD, date(2026, 9, 1), &tr).unwrap();
    let strip = |s: &str| s.replace(['\u{2068}', '\u{2069}'], "");
    assert_eq!(strip(&page.heading), "Totaux en MAD");
    let mar = page.by_party.iter().find(|l| l.party == "MAR").unwrap();
    // 8699802490 and 2502251492 centimes (fixture::BY_PARTY_MAD).
    assert_eq!(mar.pledged, "86\u{202F}998\u{202F}024,90\u{A0}MAD");
    assert_eq!(mar.delivered, "25\u{202F}022\u{202F}514,92\u{A0}MAD");
    assert_eq!(mar.percent, Some(28));
    assert_eq!(mar.uncounted.as_deref().map(strip).as_deref(), Some("2 valeurs sans taux, non comptées"));
    let rates: Vec<String> = page.rates.iter().map(|r| strip(r)).collect();
    assert!(rates.contains(&"1 EUR = 10,8523 MAD (taux du 01/01/2026)".to_string()), "{rates:?}");
    assert!(rates.contains(&"1 XOF = 0,01615 MAD (taux du 01/06/2026)".to_string()), "{rates:?}");
    assert!(
        page.no_rate
            .iter()
            .all(|l| strip(l).ends_with("en MAD : non comptées.") || strip(l).ends_with("en MAD : non comptée.")),
        "{:?}",
        page.no_rate
    );
    assert_eq!(page.not_honoured.len(), fixture::NOT_HONOURED.len());
    assert!(
        page.not_honoured.iter().all(|l| l.due.len() == 10 && l.due.as_bytes()[2] == b'/'),
        "{:?}",
        page.not_honoured[0]
    );
}
