//! Pledges, deliveries and exchange rates: each refusal writes nothing; a one-party pledge and
//! its deliveries are private changes; received bodies are typed at the fold's door.

use jiff::civil::date;
use serde_json::{Value, json};

use super::*;
use crate::marking::{Classification, Releasability};
use crate::money::{Currency, InKind, Money, Quantity};
use crate::records::{Action, Area, Roadmap};
use crate::tests::Log;
use crate::values::{ActionStatus, Progress};
use crate::{LocalizedText, PartyCode, parse_event};

/// A committee with an area, a roadmap and a Moroccan action; returns the log and the action.
fn committee() -> (Log, String) {
    let mut log = Log::new();
    let area = Area {
        code: "training".into(),
        title: LocalizedText::tri("", "Formation", ""),
        ordinal: 1,
        illustrative: false,
    };
    let area = log.run("MAR", None, Command::DefineArea(area)).unwrap().unwrap();
    let roadmap = Roadmap {
        title: LocalizedText::tri("", "Feuille de route 2026", ""),
        session: None,
        start: date(2026, 1, 1),
        end: date(2026, 12, 31),
        illustrative: false,
    };
    let roadmap = log.run("MAR", None, Command::DraftRoadmap(roadmap)).unwrap().unwrap();
    let action = Action {
        roadmap,
        area,
        title: LocalizedText::tri("", "Former 20 officiers", ""),
        owner: PartyCode::parse("MAR").unwrap(),
        unit: LocalizedText::tri("", "École royale", ""),
        lead: None,
        start: date(2026, 2, 1),
        due: date(2026, 9, 30),
        status: ActionStatus::Planned,
        progress: Progress::new(0).unwrap(),
        weight: None,
        indicator: None,
        decision: None,
        reason: None,
        completed: None,
        illustrative: false,
    };
    let action = log.run("MAR", None, Command::PlanAction(action)).unwrap().unwrap();
    (log, action)
}

/// 20 training seats valued 400 000,00 MAD, pledged by Morocco on 2026-02-01, due 2026-06-30.
fn seats(about: &str, marking: Marking) -> Pledge {
    Pledge {
        party: PartyCode::parse("MAR").unwrap(),
        about: about.into(),
        date: date(2026, 2, 1),
        due: date(2026, 6, 30),
        value: Pledged::InKind(InKind {
            quantity: Quantity::whole(20).unwrap(),
            unit: LocalizedText::tri("مقاعد تدريب", "places de formation", "training seats"),
            valuation: Some(Money::new(40_000_000, Currency::MAD).unwrap()),
        }),
        marking,
        illustrative: false,
    }
}

fn mar_only() -> Marking {
    Marking {
        classification: Classification::Unclassified,
        releasable_to: Releasability::Only(PartyCode::parse("MAR").unwrap()),
    }
}

fn refused(log: &mut Log, party: &str, cmd: Command) -> DomainError {
    let before = log.state.clone();
    let n = log.events.len();
    let err = log.run(party, None, cmd).unwrap_err();
    assert_eq!(log.events.len(), n, "a refused command emitted events");
    assert_eq!(log.state, before, "a refused command changed the state");
    err
}

fn seats_delivered(n: i64, on: jiff::civil::Date) -> Delivery {
    Delivery { date: on, value: Delivered::InKind { quantity: Quantity::whole(n).unwrap() }, evidence: None }
}

#[test]
fn a_pledge_and_two_deliveries_fold_and_read_back() {
    let (mut log, action) = committee();
    let pledge = log.run("MAR", None, Command::MakePledge(seats(&action, Marking::default()))).unwrap().unwrap();
    for (n, day) in [(8, date(2026, 3, 2)), (5, date(2026, 4, 6))] {
        let cmd = Command::RecordDelivery { pledge: pledge.clone(), delivery: seats_delivered(n, day) };
        log.run("MAR", None, cmd).unwrap();
    }
    let entry = log.state.entry(&pledge).unwrap();
    assert!(!entry.is_private());
    let got: Vec<(i128, String)> = deliveries(entry)
        .iter()
        .map(|d| match &d.value {
            Delivered::InKind { quantity } => (quantity.millionths(), d.date.to_string()),
            Delivered::Money(_) => unreachable!(),
        })
        .collect();
    assert_eq!(got, [(8_000_000, "2026-03-02".into()), (5_000_000, "2026-04-06".into())]);
    // The signed body: the value as integers and a quantity's text, never a float.
    let (_, kind, body) = log.events.last().unwrap();
    assert_eq!(kind, DELIVERY_RECORDED);
    assert_eq!(body["value"], json!({"in_kind": {"quantity": "5"}}));
    let (_, _, made) = &log.events[log.events.len() - 3];
    assert_eq!(made["set"]["value"]["in_kind"]["valuation"], json!({"minor": 40_000_000, "currency": "MAD"}));
}

#[test]
fn refusals_write_nothing() {
    let (mut log, action) = committee();
    let mad = |minor| Money::new(minor, Currency::MAD).unwrap();
    let money = |minor| Pledge { value: Pledged::Money(mad(minor)), ..seats(&action, Marking::default()) };
    // A negative amount, a zero amount.
    assert_eq!(
        refused(&mut log, "MAR", Command::MakePledge(money(-100))),
        DomainError::NotPositive { field: "value.minor".into(), value: "-1.00 MAD".into() }
    );
    assert!(matches!(refused(&mut log, "MAR", Command::MakePledge(money(0))), DomainError::NotPositive { .. }));
    // Due before pledged.
    let early = Pledge { due: date(2026, 1, 31), ..money(100) };
    assert!(matches!(refused(&mut log, "MAR", Command::MakePledge(early)), DomainError::EndBeforeStart { .. }));
    // On something that is not an offer, a need or an action.
    let roadmap = log.state.entries().find(|(_, e)| e.kind == RecordKind::Roadmap).unwrap().0.clone();
    let wrong = Pledge { about: roadmap, ..money(100) };
    assert!(matches!(refused(&mut log, "MAR", Command::MakePledge(wrong)), DomainError::UnknownRecord { .. }));
    // An amount beyond ±2^53 minor units and an unknown currency do not even read as a pledge.
    let mut json = serde_json::to_value(money(100)).unwrap();
    json["value"]["money"]["minor"] = json!(1_i64 << 53);
    assert!(matches!(Command::create(RecordKind::Pledge, json.clone()), Err(DomainError::MalformedBody { .. })));
    json["value"]["money"] = json!({"minor": 100, "currency": "XYZ"});
    assert!(matches!(Command::create(RecordKind::Pledge, json), Err(DomainError::MalformedBody { .. })));
    // A Malian user cannot make a pledge private to Morocco.
    let other = Pledge { marking: mar_only(), ..money(100) };
    assert!(matches!(refused(&mut log, "MLI", Command::MakePledge(other)), DomainError::InvalidValue { .. }));

    let pledge = log.run("MAR", None, Command::MakePledge(money(1_000_000))).unwrap().unwrap();
    let delivery = |minor, on| Delivery { date: on, value: Delivered::Money(mad(minor)), evidence: None };
    let deliver = |d: Delivery| Command::RecordDelivery { pledge: pledge.clone(), delivery: d };
    // A delivery before the pledge's date.
    assert_eq!(
        refused(&mut log, "MAR", deliver(delivery(100, date(2026, 1, 31)))),
        DomainError::DeliveryBeforePledge { date: "2026-01-31".into(), pledged: "2026-02-01".into() }
    );
    assert!(matches!(
        refused(&mut log, "MAR", deliver(delivery(-1, date(2026, 3, 1)))),
        DomainError::NotPositive { .. }
    ));
    // Another currency, a quantity for money, the other party, evidence that is no document.
    let eur =
        Delivery { value: Delivered::Money(Money::new(5, Currency::EUR).unwrap()), ..delivery(1, date(2026, 3, 1)) };
    assert!(matches!(refused(&mut log, "MAR", deliver(eur)), DomainError::InvalidValue { .. }));
    assert!(matches!(
        refused(&mut log, "MAR", deliver(seats_delivered(2, date(2026, 3, 1)))),
        DomainError::InvalidValue { .. }
    ));
    assert!(matches!(
        refused(&mut log, "MLI", deliver(delivery(1, date(2026, 3, 1)))),
        DomainError::InvalidValue { .. }
    ));
    let cited = Delivery { evidence: Some(action.clone()), ..delivery(1, date(2026, 3, 1)) };
    assert!(matches!(refused(&mut log, "MAR", deliver(cited)), DomainError::UnknownRecord { .. }));

    // Rates: zero, negative, one currency in itself, the same pair and day twice.
    let rate = |n, d| ExchangeRate {
        from: Currency::EUR,
        to: Currency::MAD,
        date: date(2026, 1, 1),
        numerator: n,
        denominator: d,
        illustrative: false,
    };
    assert_eq!(
        refused(&mut log, "MAR", Command::EnterRate(rate(0, 10_000))),
        DomainError::NotPositive { field: "numerator".into(), value: "0".into() }
    );
    assert!(matches!(refused(&mut log, "MAR", Command::EnterRate(rate(5, -1))), DomainError::NotPositive { .. }));
    let same = ExchangeRate { to: Currency::EUR, ..rate(1, 1) };
    assert!(matches!(refused(&mut log, "MAR", Command::EnterRate(same)), DomainError::InvalidValue { .. }));
    log.run("MAR", None, Command::EnterRate(rate(108_523, 10_000))).unwrap();
    assert!(matches!(refused(&mut log, "MLI", Command::EnterRate(rate(109, 10))), DomainError::InvalidValue { .. }));
    assert_eq!(rates(&log.state).entries().len(), 1);
}

#[test]
fn a_one_party_pledge_and_its_deliveries_are_private() {
    let (mut log, action) = committee();
    let cmd = Command::MakePledge(seats(&action, mar_only()));
    assert!(cmd.is_private(&log.state));
    let pledge = log.run("MAR", None, cmd).unwrap().unwrap();
    let entry = log.state.entry(&pledge).unwrap();
    assert_eq!(entry.private_party().as_deref(), Some("MAR"));
    let deliver = Command::RecordDelivery { pledge: pledge.clone(), delivery: seats_delivered(3, date(2026, 3, 1)) };
    assert!(deliver.is_private(&log.state));
    let (_, kind, body) = log.events.last().unwrap();
    let change = parse_event(kind, body).unwrap();
    assert!(change.is_private(&log.state));
    log.run("MAR", None, deliver).unwrap();
    let (_, kind, body) = log.events.last().unwrap();
    assert!(parse_event(kind, body).unwrap().is_private(&log.state));
    // Its releasability is fixed: it can never move into the shared log.
    let mut set = serde_json::Map::new();
    set.insert("marking".into(), json!({"classification": "UNCLASSIFIED", "releasable_to": "MAR+MLI"}));
    let revise = Command::Revise { kind: RecordKind::Pledge, id: pledge.clone(), set: set.clone() };
    assert!(matches!(refused(&mut log, "MAR", revise), DomainError::InvalidValue { .. }));
    let received = Change::Update { kind: RecordKind::Pledge, record: pledge, set, parity: Default::default() };
    assert!(received.check_against(&log.state).is_err());
    // A shared pledge is not private.
    assert!(!Command::MakePledge(seats(&action, Marking::default())).is_private(&log.state));
}

#[test]
fn received_deliveries_are_typed_and_their_evidence_checked() {
    let (mut log, action) = committee();
    let pledge = log.run("MAR", None, Command::MakePledge(seats(&action, Marking::default()))).unwrap().unwrap();
    let body = |value: Value, evidence: Option<&str>| {
        let mut b = json!({"v": 1, "record": pledge, "date": "2026-03-01", "value": value});
        if let Some(e) = evidence {
            b["evidence"] = json!(e);
        }
        b
    };
    // A float, a minor amount beyond 2^53, an unknown currency: not a delivery.
    for bad in [
        json!({"in_kind": {"quantity": 2.5}}),
        json!({"money": {"minor": 1_i64 << 53, "currency": "MAD"}}),
        json!({"money": {"minor": 10, "currency": "ABC"}}),
    ] {
        let err = parse_event(DELIVERY_RECORDED, &body(bad.clone(), None)).unwrap_err();
        assert!(matches!(err, DomainError::MalformedBody { .. }), "{bad}: {err:?}");
    }
    // Evidence that names no document is refused at the fold's door.
    let change = parse_event(DELIVERY_RECORDED, &body(json!({"in_kind": {"quantity": "2"}}), Some(&action))).unwrap();
    assert!(matches!(change.check_against(&log.state), Err(DomainError::UnknownRecord { .. })));
    let change = parse_event(DELIVERY_RECORDED, &body(json!({"in_kind": {"quantity": "2"}}), None)).unwrap();
    assert_eq!(change.check_against(&log.state), Ok(()));
    // A rate of zero received from a peer does not read as a rate: refused, naming the field.
    let zero =
        json!({"v": 1, "set": {"from": "EUR", "to": "MAD", "date": "2026-01-01", "numerator": 0, "denominator": 1}});
    let err = parse_event("rate.entered", &zero).unwrap_err();
    assert!(err.to_string().contains("numerator"), "{err}");
}

#[test]
fn a_delivery_recorded_by_mistake_is_withdrawn_and_no_longer_counts() {
    let (mut log, action) = committee();
    let pledge = log.run("MAR", None, Command::MakePledge(seats(&action, Marking::default()))).unwrap().unwrap();
    let mut events = vec![];
    for (n, day) in [(8, date(2026, 3, 2)), (80, date(2026, 3, 3))] {
        let cmd = Command::RecordDelivery { pledge: pledge.clone(), delivery: seats_delivered(n, day) };
        events.push(log.run("MAR", None, cmd).unwrap().unwrap());
    }
    let withdraw = |delivery: &str| Command::WithdrawDelivery { pledge: pledge.clone(), delivery: delivery.into() };
    // The other party, an unknown delivery: refused, nothing written.
    assert!(matches!(refused(&mut log, "MLI", withdraw(&events[1])), DomainError::InvalidValue { .. }));
    assert!(matches!(refused(&mut log, "MAR", withdraw(&action)), DomainError::UnknownRecord { .. }));
    log.run("MAR", None, withdraw(&events[1])).unwrap();
    let entry = log.state.entry(&pledge).unwrap();
    let left: Vec<String> = super::recorded(entry).into_iter().map(|(e, _)| e).collect();
    assert_eq!(left, [events[0].clone()]);
    assert_eq!(deliveries(entry).len(), 1);
    // Withdrawn once only.
    assert!(matches!(refused(&mut log, "MAR", withdraw(&events[1])), DomainError::UnknownRecord { .. }));
    // A received withdrawal naming no delivery of the pledge is refused at the fold's door.
    let body = json!({"v": 1, "record": pledge, "delivery": action});
    let change = parse_event(DELIVERY_WITHDRAWN, &body).unwrap();
    assert!(matches!(change.check_against(&log.state), Err(DomainError::UnknownRecord { .. })));
    assert!(parse_event(DELIVERY_WITHDRAWN, &json!({"v": 1, "record": pledge, "delivery": "x"})).is_err());
    // Private with its pledge.
    let private = log.run("MAR", None, Command::MakePledge(seats(&action, mar_only()))).unwrap().unwrap();
    let cmd = Command::RecordDelivery { pledge: private.clone(), delivery: seats_delivered(1, date(2026, 3, 2)) };
    let d = log.run("MAR", None, cmd).unwrap().unwrap();
    assert!(Command::WithdrawDelivery { pledge: private, delivery: d }.is_private(&log.state));
}

/// Invariant 4 for deliveries: recorded on both nodes at once and received in any order, every
/// delivery counts once and a withdrawal takes away exactly its delivery — the fold is the same.
#[test]
fn deliveries_and_withdrawals_fold_alike_in_any_order() {
    let (mut log, action) = committee();
    let pledge = log.run("MAR", None, Command::MakePledge(seats(&action, Marking::default()))).unwrap().unwrap();
    let base = log.events.len();
    let mut deliveries = vec![];
    for (n, day) in [(2, date(2026, 3, 2)), (3, date(2026, 3, 9)), (4, date(2026, 3, 16))] {
        let cmd = Command::RecordDelivery { pledge: pledge.clone(), delivery: seats_delivered(n, day) };
        deliveries.push(log.run("MAR", None, cmd).unwrap().unwrap());
    }
    let cmd = Command::WithdrawDelivery { pledge: pledge.clone(), delivery: deliveries[1].clone() };
    log.run("MAR", None, cmd).unwrap();
    let (prefix, tail) = log.events.split_at(base);
    // Every order of the tail in which the withdrawal comes after the delivery it names.
    let orders: [[usize; 4]; 6] = [[0, 1, 2, 3], [2, 1, 0, 3], [1, 3, 2, 0], [2, 1, 3, 0], [1, 2, 3, 0], [0, 2, 1, 3]];
    let mut states = vec![];
    for order in orders {
        let mut state = State::default();
        for (meta, kind, body) in prefix.iter().chain(order.iter().map(|i| &tail[*i])) {
            state.apply(meta, kind, body).unwrap();
        }
        // Applying the whole tail again changes nothing (invariant 5).
        for (meta, kind, body) in tail {
            state.apply(meta, kind, body).unwrap();
        }
        states.push(state);
    }
    assert!(states.windows(2).all(|w| w[0] == w[1]));
    let left: Vec<i128> = deliveries_of(&states[0], &pledge);
    assert_eq!(left, [2_000_000, 4_000_000]);
}

fn deliveries_of(state: &State, pledge: &str) -> Vec<i128> {
    deliveries(state.entry(pledge).unwrap())
        .into_iter()
        .map(|d| match d.value {
            Delivered::InKind { quantity } => quantity.millionths(),
            Delivered::Money(m) => i128::from(m.minor()),
        })
        .collect()
}
