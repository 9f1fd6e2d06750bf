//! The triggers with fixed clocks (never the wall clock), over a state folded from events.

use std::collections::BTreeSet;

use jiff::Timestamp;
use lajna_domain::{Classification, Meta, PartyCode, State};
use serde_json::{Value, json};

use super::triggers::{Recipient, Triggers, due};
use super::{Subject, subject};
use crate::auth::{Role, User};

struct Log {
    state: State,
    n: usize,
    /// The member acting in the next events (None: the party alone).
    author: Option<String>,
}

impl Log {
    fn new() -> Self {
        let mut log = Log { state: State::default(), n: 0, author: None };
        let charter = json!({
            "name": {"fr": "Commission militaire mixte"},
            "parties": [
                {"code": "MAR", "name": {"fr": "Maroc"}, "forces": {"fr": "FAR"}},
                {"code": "MLI", "name": {"fr": "Mali"}, "forces": {"fr": "FAMa"}}
            ],
            "languages": ["ar", "fr"]
        });
        log.push("MAR", "ledger.genesis", json!({"parties": [], "charter": charter}), "2026-01-01T00:00:00Z");
        log
    }

    fn push(&mut self, party: &str, kind: &str, mut body: Value, at: &str) -> String {
        self.n += 1;
        if kind.ends_with(".planned")
            || kind.ends_with(".convened")
            || kind.ends_with(".registered")
            || kind.ends_with(".recorded")
        {
            body = json!({"set": body});
        }
        if kind != "ledger.genesis" {
            body["v"] = json!(lajna_domain::state::BODY_VERSION);
        }
        let meta = Meta {
            id: format!("{:064x}", self.n),
            lamport: self.n as i64,
            party: party.into(),
            member: self.author.clone(),
            at: at.into(),
        };
        self.state.apply(&meta, kind, &body).unwrap();
        meta.id
    }

    fn action(&mut self, owner: &str, lead: Option<&str>, due: &str, status: &str, at: &str) -> String {
        let mut body = json!({
            "roadmap": "r", "area": "a", "title": {"ar": "تدريب 12 ضابطاً", "fr": "Former 12 officiers"},
            "owner": owner, "unit": {"fr": "École"}, "start": "2026-01-05", "due": due,
            "status": status, "progress": 10
        });
        if let Some(lead) = lead {
            body["lead"] = json!(lead);
        }
        self.push(owner, "action.planned", body, at)
    }
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn user(name: &str, party: &str, role: Role, member: Option<&str>, tz: &str) -> Recipient {
    Recipient {
        username: name.into(),
        party: PartyCode::parse(party).unwrap(),
        role,
        member: member.map(String::from),
        tz: lajna_domain::tzdb().get(tz).unwrap(),
        off: BTreeSet::new(),
    }
}

fn keys(state: &State, users: &[Recipient], now: &str) -> Vec<(String, String, String, String)> {
    due(state, users, ts(now), None, &Triggers::default())
        .into_iter()
        .filter(|k| k.trigger != "digest")
        .map(|k| (k.trigger, k.record, k.version, k.recipient))
        .collect()
}

#[test]
fn due_in_14_then_3_days_then_overdue_weekly_go_to_the_lead_in_the_lead_s_zone() {
    let mut log = Log::new();
    let a = log.action("MAR", Some("m1"), "2026-04-30", "in_progress", "2026-01-10T09:00:00Z");
    let users = [
        user("lead", "MAR", Role::ActionOwner, Some("m1"), "Africa/Casablanca"),
        user("sec", "MAR", Role::Secretary, None, "Africa/Casablanca"),
        user("mli", "MLI", Role::Secretary, None, "Africa/Bamako"),
    ];
    let one = |t, v: &str| vec![(String::from(t), a.clone(), v.to_string(), "lead".to_string())];
    assert_eq!(keys(&log.state, &users, "2026-04-15T12:00:00Z"), vec![]);
    // 2026-04-16 in Casablanca (+01) is 14 days before: 23:30Z on the 15th is already the 16th there.
    assert_eq!(keys(&log.state, &users, "2026-04-15T23:30:00Z"), one("due-soon", "2026-04-30/14"));
    assert_eq!(keys(&log.state, &users, "2026-04-27T00:00:00Z"), one("due-soon", "2026-04-30/3"));
    assert_eq!(keys(&log.state, &users, "2026-04-30T22:59:59Z"), one("due-soon", "2026-04-30/3"));
    assert_eq!(keys(&log.state, &users, "2026-04-30T23:00:00Z"), one("overdue", "2026-04-30/0"));
    assert_eq!(keys(&log.state, &users, "2026-05-07T22:59:00Z"), one("overdue", "2026-04-30/0"));
    assert_eq!(keys(&log.state, &users, "2026-05-07T23:00:00Z"), one("overdue", "2026-04-30/1"));
}

#[test]
fn without_a_linked_lead_the_owner_party_s_secretaries_are_told_and_a_done_action_is_silent() {
    let mut log = Log::new();
    let a = log.action("MLI", None, "2026-04-30", "planned", "2026-01-10T09:00:00Z");
    log.action("MLI", None, "2026-04-30", "done", "2026-01-10T09:00:00Z");
    let users = [
        user("sec-mar", "MAR", Role::Secretary, None, "UTC"),
        user("sec-mli", "MLI", Role::Secretary, None, "Africa/Bamako"),
        user("viewer-mli", "MLI", Role::Viewer, None, "Africa/Bamako"),
    ];
    assert_eq!(
        keys(&log.state, &users, "2026-05-02T10:00:00Z"),
        vec![("overdue".to_string(), a, "2026-04-30/0".to_string(), "sec-mli".to_string())]
    );
}

#[test]
fn a_new_action_is_announced_within_seven_days_of_its_creation_only() {
    let mut log = Log::new();
    let a = log.action("MAR", Some("m1"), "2026-12-31", "planned", "2026-03-01T09:00:00Z");
    let users = [user("lead", "MAR", Role::ActionOwner, Some("m1"), "UTC")];
    let new = vec![("new-action".to_string(), a, "new".to_string(), "lead".to_string())];
    assert_eq!(keys(&log.state, &users, "2026-03-01T09:00:00Z"), new);
    assert_eq!(keys(&log.state, &users, "2026-03-08T08:59:59Z"), new);
    assert_eq!(keys(&log.state, &users, "2026-03-08T09:00:00Z"), vec![]);
}

#[test]
fn a_new_action_is_not_announced_to_the_member_who_created_it() {
    let mut log = Log::new();
    log.author = Some("m1".into());
    log.action("MAR", Some("m1"), "2026-12-31", "planned", "2026-03-01T09:00:00Z");
    let other = log.action("MAR", Some("m2"), "2026-12-31", "planned", "2026-03-01T09:00:00Z");
    let users = [
        user("lead", "MAR", Role::ActionOwner, Some("m1"), "UTC"),
        user("lead2", "MAR", Role::ActionOwner, Some("m2"), "UTC"),
    ];
    // m1 made both: m2's lead hears of theirs, m1 of neither.
    assert_eq!(
        keys(&log.state, &users, "2026-03-02T09:00:00Z"),
        vec![("new-action".to_string(), other, "new".to_string(), "lead2".to_string())]
    );
}

#[test]
fn a_decision_awaits_each_party_s_co_chairs_until_they_endorse_its_version() {
    let mut log = Log::new();
    let s = log.push(
        "MAR",
        "session.convened",
        json!({"number": 1, "title": {"fr": "Session 1"}, "host": "MAR",
               "venue": {"name": {"fr": "EMG"}, "city": {"fr": "Rabat"}, "zone": "Africa/Casablanca"},
               "start": "2026-03-02", "end": "2026-03-03"}),
        "2026-01-02T00:00:00Z",
    );
    let d =
        log.push("MAR", "decision.recorded", json!({"session": s, "text": {"fr": "Décision"}}), "2026-03-03T00:00:00Z");
    let users =
        [user("cc-mar", "MAR", Role::CoChair, None, "UTC"), user("sec-mar", "MAR", Role::Secretary, None, "UTC")];
    let got = keys(&log.state, &users, "2026-03-04T00:00:00Z");
    assert_eq!(got, vec![("endorse".into(), d.clone(), d.clone(), "cc-mar".into())]);
    log.push("MAR", "decision.endorsed", json!({"record": d, "version": d}), "2026-03-05T00:00:00Z");
    assert_eq!(keys(&log.state, &users, "2026-03-06T00:00:00Z"), vec![]);
    // 14 days after the last day, no minutes agreed: the secretaries are told, once per session.
    assert_eq!(
        keys(&log.state, &users, "2026-03-17T00:00:00Z"),
        vec![("minutes-late".into(), s, "2026-03-03".into(), "sec-mar".into())]
    );
}

/// The digest leaves at 08:00 in the user's zone on Monday: Casablanca is +01 on Monday
/// 2026-02-09, +00 from 2026-02-15 (Ramadan) on Monday 2026-02-16, +01 again on Monday
/// 2026-03-23 (tz database 2026a: 2026-02-15T02:00Z to 2026-03-22T02:00Z at +00).
#[test]
fn the_weekly_digest_leaves_monday_0800_casablanca_before_during_and_after_the_2026_ramadan_shift() {
    let log = Log::new();
    let users = [user("amina", "MAR", Role::Secretary, None, "Africa/Casablanca")];
    let digest = |now: &str| -> Vec<String> {
        due(&log.state, &users, ts(now), None, &Triggers::default())
            .into_iter()
            .filter(|k| k.trigger == "digest")
            .map(|k| k.version)
            .collect()
    };
    // Before the change: 08:00 +01 = 07:00Z.
    assert!(digest("2026-02-09T06:59:59Z").is_empty());
    assert_eq!(digest("2026-02-09T07:00:00Z"), vec!["2026-W07"]);
    // After the change to +00: 07:30Z is 07:30 there (a fixed +01 would say 08:30); 08:00Z is 08:00.
    assert!(digest("2026-02-16T07:30:00Z").is_empty());
    assert_eq!(digest("2026-02-16T08:00:00Z"), vec!["2026-W08"]);
    // Back to +01 after 2026-03-22: 07:00Z is 08:00 again.
    assert!(digest("2026-03-23T06:59:00Z").is_empty());
    assert_eq!(digest("2026-03-23T07:00:00Z"), vec!["2026-W13"]);
    // Sunday 23:30Z is Monday 00:30 there: not yet. Tuesday: no digest.
    assert!(digest("2026-03-22T23:30:00Z").is_empty());
    assert!(digest("2026-03-24T07:00:00Z").is_empty());
    // Turned off in the preferences: nothing.
    let mut off = users.clone();
    off[0].off.insert("digest".into());
    assert!(due(&log.state, &off, ts("2026-03-23T07:00:00Z"), None, &Triggers::default()).is_empty());
}

#[test]
fn a_silent_peer_is_told_to_the_secretaries_once_per_silence() {
    let log = Log::new();
    let users = [user("sec", "MAR", Role::Secretary, None, "UTC"), user("cc", "MAR", Role::CoChair, None, "UTC")];
    let last = ts("2026-03-01T10:00:00Z");
    let at = |now: &str| due(&log.state, &users, ts(now), Some(last), &Triggers::default());
    assert!(at("2026-03-04T09:59:59Z").iter().all(|k| k.trigger != "peer-silent"));
    let got: Vec<_> = at("2026-03-04T10:00:00Z").into_iter().filter(|k| k.trigger == "peer-silent").collect();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].recipient.as_str(), got[0].version.as_str()), ("sec", "2026-03-01T10:00:00Z"));
}

#[test]
fn a_marked_record_or_another_party_s_one_party_record_gives_no_title() {
    let mut log = Log::new();
    let a = log.action("MAR", None, "2026-04-30", "planned", "2026-01-10T09:00:00Z");
    let doc = |classification: &str, only: Option<&str>| {
        let releasable = match only {
            Some(p) => json!({"only": p}),
            None => json!("both"),
        };
        json!({"title": {"fr": "Plan de déploiement secret"}, "language": "fr", "blake3": "00", "file_name": "x.pdf",
               "size": 1, "media_type": "application/pdf",
               "marking": {"classification": classification, "releasable_to": releasable}})
    };
    let secret = log.push("MAR", "document.registered", doc("SECRET", None), "2026-01-11T00:00:00Z");
    let restricted = log.push("MAR", "document.registered", doc("RESTRICTED", None), "2026-01-11T00:00:00Z");
    let theirs = log.push("MLI", "document.registered", doc("UNCLASSIFIED", Some("MLI")), "2026-01-11T00:00:00Z");
    let open = log.push("MAR", "document.registered", doc("UNCLASSIFIED", None), "2026-01-11T00:00:00Z");
    let reader = User {
        username: "u".into(),
        party: PartyCode::parse("MAR").unwrap(),
        role: Role::Secretary,
        member: None,
        clearance: Classification::Secret,
    };
    match subject(&log.state, &a, &reader) {
        Subject::Record { title, .. } => assert_eq!(title.get(lajna_domain::Lang::Fr), Some("Former 12 officiers")),
        other => panic!("{other:?}"),
    }
    // Even a SECRET-cleared reader is told only that a marked record needs attention.
    for id in [&secret, &restricted, &theirs] {
        assert!(matches!(subject(&log.state, id, &reader), Subject::Marked { .. }), "{id}");
    }
    assert!(matches!(subject(&log.state, &open, &reader), Subject::Record { .. }));
    assert_eq!(subject(&log.state, "", &reader), Subject::None);
    assert_eq!(subject(&log.state, "nope", &reader), Subject::Missing);
}
