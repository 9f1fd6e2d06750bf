//! Delegations: who may record one, the list rules, and the newest recording per party.

use jiff::civil::date;
use serde_json::{Value, json};

use super::*;
use crate::records::{Session, Venue};
use crate::tests::Log;
use crate::{Command, Meta, decide};

struct Fixture {
    log: Log,
    session: String,
    mar: Vec<String>,
    mli: Vec<String>,
}

fn fixture() -> Fixture {
    let mut log = Log::new();
    let session = Session {
        number: 1,
        title: LocalizedText::tri("", "Première session", ""),
        host: PartyCode::parse("MLI").unwrap(),
        venue: Venue {
            name: LocalizedText::tri("", "Ministère de la Défense", ""),
            city: LocalizedText::tri("", "Bamako", ""),
            zone: "Africa/Bamako".into(),
        },
        start: date(2025, 2, 17),
        end: date(2025, 2, 19),
        opens_at: None,
        agenda: vec![],
        minutes: None,
        expected_outcome: None,
        working_groups: vec![],
        mission: None,
        illustrative: false,
    };
    let session = log.run_all("MLI", &Command::ConveneSession(session)).unwrap().remove(0);
    let mar = vec![log.member("MAR", "Général A"), log.member("MAR", "Colonel B"), log.member("MAR", "Commandant C")];
    let mli = vec![log.member("MLI", "Général D"), log.member("MLI", "Colonel E")];
    Fixture { log, session, mar, mli }
}

fn entry(member: &str, attendance: Attendance, head: bool) -> DelegationEntry {
    DelegationEntry { member: member.into(), function: None, attendance, represented_by: None, head }
}

fn record(f: &Fixture, party: &str, entries: Vec<DelegationEntry>) -> Command {
    Command::RecordDelegation { session: f.session.clone(), party: PartyCode::parse(party).unwrap(), entries }
}

fn mar_delegation(f: &Fixture) -> Vec<DelegationEntry> {
    let mut head = entry(&f.mar[0], Attendance::Present, true);
    head.function = Some(LocalizedText::tri("", "Chef de la délégation", ""));
    vec![head, entry(&f.mar[1], Attendance::Present, false), entry(&f.mar[2], Attendance::Absent, false)]
}

#[test]
fn a_party_records_its_delegation_and_reads_it_back_with_its_head_present() {
    let mut f = fixture();
    let written = f.log.run_all("MAR", &record(&f, "MAR", mar_delegation(&f))).unwrap();
    assert_eq!(written.len(), 1);
    assert_eq!(f.log.events.last().unwrap().1, DELEGATION_RECORDED);
    let all = delegations(&f.log.state, &f.session);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].party, "MAR");
    assert_eq!(all[0].entries, mar_delegation(&f));
    assert_eq!(all[0].event, written[0]);
    assert!(all[0].head_seated());
    let heads = heads(&f.log.state, &f.session);
    assert_eq!(heads[0], ("MAR".into(), HeadStatus::Present { head: f.mar[0].clone() }));
    assert_eq!(heads[1], ("MLI".into(), HeadStatus::NotRecorded));
    // The same delegation again writes nothing.
    assert!(f.log.run_all("MAR", &record(&f, "MAR", mar_delegation(&f))).unwrap().is_empty());
}

#[test]
fn a_member_of_the_other_party_cannot_record_a_delegation_and_nothing_is_emitted() {
    let f = fixture();
    let actor = Actor { party: PartyCode::parse("MLI").unwrap(), member: None };
    let refused = decide(&f.log.state, &actor, &record(&f, "MAR", mar_delegation(&f))).unwrap_err();
    assert_eq!(refused.key(), "error-delegation-other-party");
}

#[test]
fn a_delegation_naming_a_member_of_another_party_is_refused() {
    let mut f = fixture();
    let mut entries = mar_delegation(&f);
    entries.push(entry(&f.mli[1], Attendance::Present, false));
    let refused = f.log.run_all("MAR", &record(&f, "MAR", entries)).unwrap_err();
    assert_eq!(refused, DomainError::NotPartyMember { member: f.mli[1].clone(), party: "MAR".into() });
    assert!(delegations(&f.log.state, &f.session).is_empty());
}

#[test]
fn a_delegation_with_two_heads_or_none_is_refused() {
    let mut f = fixture();
    let mut two = mar_delegation(&f);
    two[1].head = true;
    assert_eq!(f.log.run_all("MAR", &record(&f, "MAR", two)).unwrap_err(), DomainError::DelegationHead { heads: 2 });
    let mut none = mar_delegation(&f);
    none[0].head = false;
    assert_eq!(f.log.run_all("MAR", &record(&f, "MAR", none)).unwrap_err(), DomainError::DelegationHead { heads: 0 });
}

#[test]
fn a_member_represented_by_an_absent_member_is_refused_and_by_a_present_one_accepted() {
    let mut f = fixture();
    let mut entries = mar_delegation(&f);
    entries[0].attendance = Attendance::Represented;
    entries[0].represented_by = Some(f.mar[2].clone()); // absent
    let refused = f.log.run_all("MAR", &record(&f, "MAR", entries.clone())).unwrap_err();
    assert_eq!(refused.key(), "error-representative-not-present");
    entries[0].represented_by = Some(f.mar[1].clone()); // present
    f.log.run_all("MAR", &record(&f, "MAR", entries)).unwrap();
    let heads = heads(&f.log.state, &f.session);
    assert_eq!(heads[0].1, HeadStatus::Represented { head: f.mar[0].clone(), by: f.mar[1].clone() });
    assert!(heads[0].1.seated());
}

#[test]
fn a_member_listed_twice_or_represented_without_a_representative_is_refused() {
    let mut f = fixture();
    let mut twice = mar_delegation(&f);
    twice.push(entry(&f.mar[1], Attendance::Absent, false));
    assert_eq!(f.log.run_all("MAR", &record(&f, "MAR", twice)).unwrap_err().key(), "error-invalid-value");
    let mut nobody = mar_delegation(&f);
    nobody[2].attendance = Attendance::Represented;
    assert_eq!(f.log.run_all("MAR", &record(&f, "MAR", nobody)).unwrap_err().key(), "error-invalid-value");
}

#[test]
fn a_received_delegation_naming_a_member_of_the_wrong_party_is_refused_at_the_door() {
    let f = fixture();
    let body = json!({"v": 1, "record": f.session, "party": "MAR", "entries": [
        {"member": f.mar[0], "attendance": "present", "head": true},
        {"member": f.mli[0], "attendance": "present"},
    ]});
    let change = crate::parse_event(DELEGATION_RECORDED, &body).unwrap();
    let refused = change.check_against(&f.log.state).unwrap_err();
    assert_eq!(refused.key(), "error-not-party-member");
    // A body that breaks the list rules is refused by the parser, whatever the state.
    let two_heads = json!({"v": 1, "record": f.session, "party": "MAR", "entries": [
        {"member": f.mar[0], "attendance": "present", "head": true},
        {"member": f.mar[1], "attendance": "present", "head": true},
    ]});
    assert_eq!(crate::parse_event(DELEGATION_RECORDED, &two_heads).unwrap_err().key(), "error-malformed-body");
}

#[test]
fn a_delegation_signed_by_the_other_party_is_never_read() {
    let mut f = fixture();
    let body = json!({"v": 1, "record": f.session, "party": "MAR", "entries": mar_delegation(&f)});
    f.log.push("MLI", None, DELEGATION_RECORDED, body);
    assert!(delegations(&f.log.state, &f.session).is_empty());
}

/// The fold of `events` applied in `order`, as the delegations it reads.
fn fold(events: &[(Meta, String, Value)], order: &[usize]) -> (State, Vec<Delegation>, String) {
    let mut state = State::default();
    for &i in order {
        let (meta, kind, body) = &events[i];
        state.apply(meta, kind, body).unwrap();
    }
    let session = events.iter().find(|(_, k, _)| k == "session.convened").unwrap().0.id.clone();
    let read = delegations(&state, &session);
    (state, read, session)
}

#[test]
fn the_last_recording_per_party_wins_and_the_fold_converges_in_any_order() {
    let mut f = fixture();
    let base = f.log.events.len();
    let first = mar_delegation(&f);
    let mut second = mar_delegation(&f);
    second[1].attendance = Attendance::Absent;
    let mli = vec![entry(&f.mli[0], Attendance::Present, true), entry(&f.mli[1], Attendance::Present, false)];
    // Three concurrent recordings at the same Lamport clock: two by MAR, one by MLI.
    for (n, (party, entries)) in [("MAR", &first), ("MAR", &second), ("MLI", &mli)].into_iter().enumerate() {
        let meta = Meta {
            id: format!("{:064x}", 9000 + n),
            lamport: i64::try_from(base + 1).unwrap(),
            party: party.into(),
            member: None,
            at: "2025-02-18T10:00:00Z".into(),
        };
        let body = json!({"v": 1, "record": f.session, "party": party, "entries": entries});
        f.log.events.push((meta, DELEGATION_RECORDED.into(), body));
    }
    let n = f.log.events.len();
    let forward: Vec<usize> = (0..n).collect();
    let mut backward: Vec<usize> = (0..base).collect();
    backward.extend((base..n).rev());
    let (state_a, read_a, session) = fold(&f.log.events, &forward);
    let (state_b, read_b, _) = fold(&f.log.events, &backward);
    assert_eq!(state_a, state_b);
    assert_eq!(read_a, read_b);
    // The highest (lamport, id) of MAR's two recordings holds.
    assert_eq!(read_a[0].entries, second);
    assert_eq!(read_a[1].entries, mli);
    // The projection document reads the same delegations (what the JSON API shows).
    let doc = state_a.entry(&session).unwrap().doc(&session);
    assert_eq!(delegations_in_doc(&doc, &["MAR".into(), "MLI".into()]), read_a);
    let heads = heads(&state_a, &session);
    assert!(heads.iter().all(|(_, h)| h.seated()));
}
