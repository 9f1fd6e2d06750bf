//! Domain tests: validation rules (each refused command emits nothing), endorsement and
//! adoption, no-change revisions, and convergence of the fold under shuffled delivery.

use jiff::civil::date;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::records::*;
use crate::values::*;
use crate::*;

/// A tiny in-memory log: applies emitted bodies with synthetic ids (the ledger's job in life).
/// Shared by the domain's test modules (`attendance/tests.rs` too).
pub(crate) struct Log {
    pub(crate) state: State,
    pub(crate) events: Vec<(Meta, String, Value)>,
}

impl Log {
    pub(crate) fn new() -> Self {
        let mut log = Log { state: State::default(), events: vec![] };
        let charter = json!({
            "name": {"fr": "Commission militaire mixte", "ar": "اللجنة العسكرية المشتركة"},
            "parties": [
                {"code": "MAR", "name": {"fr": "Maroc"}, "forces": {"fr": "FAR"}},
                {"code": "MLI", "name": {"fr": "Mali"}, "forces": {"fr": "FAMa"}}
            ],
            "languages": ["ar", "fr"]
        });
        log.push("MAR", None, "ledger.genesis", json!({"parties": [], "charter": charter}));
        log
    }

    pub(crate) fn push(&mut self, party: &str, member: Option<&str>, kind: &str, body: Value) -> String {
        let n = self.events.len() + 1;
        let meta = Meta {
            id: format!("{n:064x}"),
            lamport: n as i64,
            party: party.into(),
            member: member.map(String::from),
            at: format!("2025-02-17T09:{:02}:00Z", n % 60),
        };
        self.state.apply(&meta, kind, &body).unwrap();
        self.events.push((meta.clone(), kind.into(), body));
        meta.id
    }

    /// Runs a command; returns the id of the last event written.
    pub(crate) fn run(
        &mut self,
        party: &str,
        member: Option<&str>,
        cmd: Command,
    ) -> Result<Option<String>, DomainError> {
        let actor = Actor { party: PartyCode::parse(party).unwrap(), member: member.map(String::from) };
        let emits = decide(&self.state, &actor, &cmd)?;
        let mut last = None;
        for e in emits {
            last = Some(self.push(party, member, &e.kind, e.body));
        }
        Ok(last)
    }

    /// Runs a command as `party`; returns the ids of every event written.
    pub(crate) fn run_all(&mut self, party: &str, cmd: &Command) -> Result<Vec<String>, DomainError> {
        let actor = Actor { party: PartyCode::parse(party).unwrap(), member: None };
        let emits = decide(&self.state, &actor, cmd)?;
        Ok(emits.into_iter().map(|e| self.push(party, None, &e.kind, e.body)).collect())
    }

    /// Registers an expert of `party` named `name` (French); returns its id.
    pub(crate) fn member(&mut self, party: &str, name: &str) -> String {
        let m = Member {
            party: PartyCode::parse(party).unwrap(),
            role: MemberRole::Expert,
            name: LocalizedText::tri("", name, ""),
            rank: None,
            illustrative: false,
        };
        self.run_all(party, &Command::RegisterMember(m)).unwrap().remove(0)
    }
}

fn fixture() -> (Log, String, String, String, String) {
    let mut log = Log::new();
    let area = log
        .run(
            "MAR",
            None,
            Command::DefineArea(Area {
                code: "training".into(),
                title: LocalizedText::tri("تدريب", "Formation", ""),
                ordinal: 1,
                illustrative: false,
            }),
        )
        .unwrap()
        .unwrap();
    let roadmap = log
        .run(
            "MAR",
            None,
            Command::DraftRoadmap(Roadmap {
                title: LocalizedText::tri("", "Feuille de route 2025", ""),
                session: None,
                start: date(2025, 3, 1),
                end: date(2025, 12, 31),
                illustrative: true,
            }),
        )
        .unwrap()
        .unwrap();
    let mar_chair = log
        .run(
            "MAR",
            None,
            Command::RegisterMember(Member {
                party: PartyCode::parse("MAR").unwrap(),
                role: MemberRole::CoChair,
                name: LocalizedText::tri("عبد الغني محب", "Abdelghani Mouhib", ""),
                rank: None,
                illustrative: false,
            }),
        )
        .unwrap()
        .unwrap();
    let mli_chair = log
        .run(
            "MLI",
            None,
            Command::RegisterMember(Member {
                party: PartyCode::parse("MLI").unwrap(),
                role: MemberRole::CoChair,
                name: LocalizedText::tri("", "Co-président malien", ""),
                rank: None,
                illustrative: true,
            }),
        )
        .unwrap()
        .unwrap();
    (log, area, roadmap, mar_chair, mli_chair)
}

fn action(area: &str, roadmap: &str) -> Action {
    Action {
        roadmap: roadmap.into(),
        area: area.into(),
        title: LocalizedText::tri("تدريب 12 ضابطاً", "Former 12 officiers", ""),
        owner: PartyCode::parse("MAR").unwrap(),
        unit: LocalizedText::tri("", "École royale", ""),
        lead: None,
        start: date(2025, 3, 1),
        due: date(2025, 6, 30),
        status: ActionStatus::Planned,
        progress: Progress::new(0).unwrap(),
        weight: None,
        indicator: None,
        decision: None,
        reason: None,
        completed: None,
        illustrative: true,
    }
}

fn refused(log: &mut Log, cmd: Command) -> DomainError {
    let before = log.state.clone();
    let n = log.events.len();
    let err = log.run("MAR", None, cmd).unwrap_err();
    assert_eq!(log.events.len(), n, "a refused command emitted events");
    assert_eq!(log.state, before, "a refused command changed the state");
    err
}

#[test]
fn an_action_due_before_it_starts_is_refused() {
    let (mut log, area, roadmap, ..) = fixture();
    let mut a = action(&area, &roadmap);
    a.due = date(2025, 2, 1);
    let err = refused(&mut log, Command::PlanAction(a));
    assert_eq!(
        err,
        DomainError::EndBeforeStart { field: "due".into(), start: "2025-03-01".into(), end: "2025-02-01".into() }
    );
    assert_eq!(err.key(), "error-end-before-start");
}

#[test]
fn an_action_in_an_unknown_area_or_for_an_unknown_party_is_refused() {
    let (mut log, area, roadmap, ..) = fixture();
    let mut a = action(&area, &roadmap);
    a.area = format!("{:064x}", 999);
    assert_eq!(
        refused(&mut log, Command::PlanAction(a)),
        DomainError::UnknownRecord { kind: "area".into(), id: format!("{:064x}", 999) }
    );
    let mut a = action(&area, &roadmap);
    a.owner = PartyCode::parse("SEN").unwrap();
    assert_eq!(refused(&mut log, Command::PlanAction(a)), DomainError::UnknownParty { code: "SEN".into() });
}

#[test]
fn an_action_titled_in_no_language_is_refused() {
    let (mut log, area, roadmap, ..) = fixture();
    let mut a = action(&area, &roadmap);
    a.title = LocalizedText::tri(" ", "", "");
    assert_eq!(refused(&mut log, Command::PlanAction(a)), DomainError::EmptyText { field: "title".into() });
}

#[test]
fn progress_above_100_is_refused_and_done_means_100() {
    let (mut log, area, roadmap, ..) = fixture();
    let id = log.run("MAR", None, Command::PlanAction(action(&area, &roadmap))).unwrap().unwrap();
    let mut set = Map::new();
    set.insert("progress".into(), json!(140));
    let err = refused(&mut log, Command::Revise { kind: RecordKind::Action, id: id.clone(), set });
    assert_eq!(err.key(), "error-invalid-value");
    assert_eq!(Progress::new(140).unwrap_err(), DomainError::ProgressOutOfRange { value: "140".into() });
    log.run(
        "MAR",
        None,
        Command::ReportProgress {
            completed: None,
            reason: None,
            action: id.clone(),
            status: Some(ActionStatus::Done),
            progress: None,
        },
    )
    .unwrap();
    let a: Action = log.state.get(RecordKind::Action, &id).unwrap();
    assert_eq!((a.status, a.progress.percent()), (ActionStatus::Done, 100));
}

#[test]
fn a_mission_ending_before_it_starts_or_in_an_unknown_zone_is_refused() {
    let (mut log, ..) = fixture();
    let mission = Mission {
        title: LocalizedText::tri("", "Mission à Bamako", ""),
        visiting: PartyCode::parse("MAR").unwrap(),
        host: PartyCode::parse("MLI").unwrap(),
        venue: Venue {
            name: LocalizedText::tri("", "Ministère de la Défense", ""),
            city: LocalizedText::tri("باماكو", "Bamako", ""),
            zone: "Africa/Bamako".into(),
        },
        start: date(2025, 2, 17),
        end: date(2025, 2, 19),
        head: None,
        purpose: None,
        programme: vec![],
        illustrative: false,
    };
    let mut bad = mission.clone();
    bad.end = date(2025, 2, 16);
    assert_eq!(refused(&mut log, Command::ScheduleMission(bad)).key(), "error-end-before-start");
    let mut bad = mission.clone();
    bad.venue.zone = "Africa/Atlantis".into();
    assert_eq!(refused(&mut log, Command::ScheduleMission(bad)).key(), "error-unknown-zone");
    let mut bad = mission.clone();
    bad.host = bad.visiting.clone();
    assert_eq!(refused(&mut log, Command::ScheduleMission(bad)).key(), "error-invalid-value");
    let mut bad = mission.clone();
    bad.programme.push(ProgrammeItem {
        date: date(2025, 2, 20),
        start: Some(jiff::civil::time(9, 0, 0, 0)),
        end: None,
        title: LocalizedText::tri("", "Réception", ""),
        place: None,
        illustrative: false,
    });
    assert_eq!(refused(&mut log, Command::ScheduleMission(bad)).key(), "error-outside-dates");
    log.run("MAR", None, Command::ScheduleMission(mission)).unwrap().unwrap();
}

#[test]
fn duplicate_area_codes_and_session_numbers_are_refused() {
    let (mut log, ..) = fixture();
    let dup =
        Area { code: "training".into(), title: LocalizedText::tri("", "Autre", ""), ordinal: 2, illustrative: false };
    assert_eq!(refused(&mut log, Command::DefineArea(dup)), DomainError::DuplicateCode { code: "training".into() });
    let bad = Area { code: "Bad Code".into(), title: LocalizedText::tri("", "X", ""), ordinal: 2, illustrative: false };
    assert_eq!(refused(&mut log, Command::DefineArea(bad)).key(), "error-invalid-value");
}

#[test]
fn training_with_more_seats_filled_than_offered_is_refused() {
    let (mut log, ..) = fixture();
    let t = Training {
        host: PartyCode::parse("MAR").unwrap(),
        institution: LocalizedText::tri("", "Académie", ""),
        course: LocalizedText::tri("", "Cours", ""),
        area: None,
        seats_offered: 10,
        seats_filled: 12,
        start: date(2025, 9, 1),
        end: date(2025, 12, 1),
        action: None,
        illustrative: true,
    };
    assert_eq!(
        refused(&mut log, Command::ScheduleTraining(t)),
        DomainError::OutOfRange { field: "seats_filled".into(), value: 12, min: 0, max: 10 }
    );
}

#[test]
fn a_revision_that_changes_nothing_writes_nothing() {
    let (mut log, area, roadmap, ..) = fixture();
    let id = log.run("MAR", None, Command::PlanAction(action(&area, &roadmap))).unwrap().unwrap();
    let n = log.events.len();
    let mut set = Map::new();
    set.insert("due".into(), json!("2025-06-30"));
    set.insert("status".into(), json!("planned"));
    assert_eq!(log.run("MAR", None, Command::Revise { kind: RecordKind::Action, id, set }).unwrap(), None);
    assert_eq!(log.events.len(), n);
}

#[test]
fn a_roadmap_is_adopted_only_when_both_co_chairs_endorsed_the_same_version() {
    let (mut log, _area, roadmap, mar, mli) = fixture();
    let parties = vec!["MAR".to_string(), "MLI".to_string()];
    let doc = |log: &Log| log.state.entry(&roadmap).unwrap().doc(&roadmap);
    // A non-co-chair (no member) cannot endorse.
    assert_eq!(
        refused(&mut log, Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone(), on: None }).key(),
        "error-not-co-chair"
    );
    log.run("MAR", Some(&mar), Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone(), on: None }).unwrap();
    let a = adoption(&doc(&log), &parties);
    assert_eq!((a.adopted, a.awaiting.clone()), (false, vec!["MLI".to_string()]));
    // The same party twice is refused.
    let before = log.events.len();
    assert!(
        log.run("MAR", Some(&mar), Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone(), on: None })
            .is_err()
    );
    assert_eq!(log.events.len(), before);
    // The Moroccan co-chair cannot endorse for Mali.
    assert_eq!(
        log.run("MLI", Some(&mar), Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone(), on: None })
            .unwrap_err()
            .key(),
        "error-not-co-chair"
    );
    // An edit after MAR's endorsement makes a new version: MAR must endorse again.
    let mut set = Map::new();
    set.insert("end".into(), json!("2026-06-30"));
    log.run("MLI", None, Command::Revise { kind: RecordKind::Roadmap, id: roadmap.clone(), set }).unwrap();
    log.run("MLI", Some(&mli), Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone(), on: None }).unwrap();
    assert_eq!(adoption(&doc(&log), &parties).awaiting, vec!["MAR".to_string()]);
    log.run("MAR", Some(&mar), Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone(), on: None }).unwrap();
    assert!(adoption(&doc(&log), &parties).adopted);
}

#[test]
fn unknown_kinds_and_malformed_bodies_are_refused() {
    assert_eq!(parse_event("action.exploded", &json!({"v": 1})).unwrap_err().key(), "error-unknown-kind");
    assert_eq!(parse_event("spaceship.launched", &json!({"v": 1})).unwrap_err().key(), "error-unknown-kind");
    assert_eq!(parse_event("action.planned", &json!({"v": 2, "set": {}})).unwrap_err().key(), "error-malformed-body");
    // A required field missing belongs to no one field: the body is malformed.
    assert_eq!(
        parse_event("action.planned", &json!({"v": 1, "set": {"weight": 3}})).unwrap_err().key(),
        "error-malformed-body"
    );
    assert_eq!(
        parse_event("action.revised", &json!({"v": 1, "record": "nope", "set": {"x": 1}})).unwrap_err().key(),
        "error-malformed-body"
    );
}

#[test]
fn area_progress_is_the_weighted_mean_without_cancelled_actions() {
    let (_, area, roadmap, ..) = fixture();
    let mut a1 = action(&area, &roadmap);
    a1.progress = Progress::new(50).unwrap();
    let mut a2 = action(&area, &roadmap);
    a2.progress = Progress::new(100).unwrap();
    a2.status = ActionStatus::Done;
    a2.weight = Some(3);
    let mut a3 = action(&area, &roadmap);
    a3.status = ActionStatus::Cancelled;
    let actions = vec![("a1".to_string(), a1), ("a2".to_string(), a2), ("a3".to_string(), a3)];
    let today = date(2025, 7, 10);
    let p = summary::area_progress(std::slice::from_ref(&area), &actions, today);
    // (50·1 + 100·3) / 4 = 87.5 → 88
    assert_eq!(p[0].progress, 88);
    assert_eq!(p[0].actions, 3);
    assert_eq!(p[0].overdue, 1);
    assert_eq!(summary::overdue(&actions, today), vec![("a1".to_string(), 10)]);
}

/// Delivers `events` in an order that respects causality (an event after the events it
/// depends on), chosen by `picks`, with duplicates, into a fresh state.
fn replay(events: &[(Meta, String, Value, Vec<usize>)], picks: &[usize], dups: &[usize]) -> State {
    let mut state = State::default();
    let mut done = vec![false; events.len()];
    let mut pi = 0;
    while done.iter().any(|d| !d) {
        let ready: Vec<usize> =
            (0..events.len()).filter(|&i| !done[i] && events[i].3.iter().all(|&d| done[d])).collect();
        let i = ready[picks.get(pi).copied().unwrap_or(0) % ready.len()];
        pi += 1;
        let (meta, kind, body, _) = &events[i];
        state.apply(meta, kind, body).unwrap();
        if dups.contains(&i) {
            state.apply(meta, kind, body).unwrap();
        }
        done[i] = true;
    }
    state
}

proptest! {
    /// Invariant 4 and 5: concurrent updates by both parties, delivered in any causal order
    /// and with duplicates, give the same state.
    #[test]
    fn the_fold_converges_whatever_the_delivery_order(
        ops in proptest::collection::vec((0usize..2, 0u8..101, 0usize..6, 0usize..3), 1..30),
        picks in proptest::collection::vec(0usize..64, 0..80),
        dups in proptest::collection::vec(0usize..40, 0..10),
    ) {
        let (mut log, area, roadmap, ..) = fixture();
        let a = log.run("MAR", None, Command::PlanAction(action(&area, &roadmap))).unwrap().unwrap();
        let base = log.events.len();
        // Two replicas write concurrently: each op depends only on the base and on the
        // previous op of the same party, so the two parties' ops are concurrent.
        let mut events: Vec<(Meta, String, Value, Vec<usize>)> = log
            .events
            .iter()
            .enumerate()
            .map(|(i, (m, k, b))| (m.clone(), k.clone(), b.clone(), if i == 0 { vec![] } else { vec![i - 1] }))
            .collect();
        let mut last = [base - 1, base - 1];
        let mut lamport = [base as i64, base as i64];
        for (n, (side, progress, status, field)) in ops.into_iter().enumerate() {
            lamport[side] += 1;
            let party = if side == 0 { "MAR" } else { "MLI" };
            let set = match field {
                0 => json!({"progress": progress}),
                1 => json!({"status": ActionStatus::ALL[status].code()}),
                _ => json!({"title": {"fr": format!("titre {n}")}}),
            };
            let meta = Meta { id: format!("{:064x}", 1000 + n), lamport: lamport[side], party: party.into(), member: None, at: "2025-03-01T00:00:00Z".into() };
            events.push((meta, "action.revised".into(), json!({"v": 1, "record": a, "set": set}), vec![last[side]]));
            last[side] = events.len() - 1;
        }
        let in_order = replay(&events, &[], &[]);
        let shuffled = replay(&events, &picks, &dups);
        prop_assert_eq!(in_order, shuffled);
    }
}

// ---- Minutes: draft → agreed → locked → amendments; language parity ----

fn session(log: &mut Log) -> String {
    log.run(
        "MLI",
        None,
        Command::ConveneSession(Session {
            number: 1,
            title: LocalizedText::tri("الاجتماع الأول", "Première réunion", ""),
            host: PartyCode::parse("MLI").unwrap(),
            venue: Venue {
                name: LocalizedText::tri("", "Ministère de la Défense", ""),
                city: LocalizedText::tri("باماكو", "Bamako", ""),
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
        }),
    )
    .unwrap()
    .unwrap()
}

fn set_minutes(log: &mut Log, id: &str, ar: &str, fr: &str) -> Result<Option<String>, DomainError> {
    let mut set = Map::new();
    set.insert("minutes".into(), json!(LocalizedText::tri(ar, fr, "")));
    log.run("MAR", None, Command::Revise { kind: RecordKind::Session, id: id.into(), set })
}

fn status(log: &Log, id: &str) -> MinutesStatus {
    minutes_status(log.state.entry(id).unwrap(), &["MAR".to_string(), "MLI".to_string()])
}

fn endorse_minutes(log: &mut Log, party: &str, member: &str, id: &str, version: &str) -> Result<(), DomainError> {
    let cmd = Command::EndorseMinutes { session: id.into(), version: version.into() };
    let before = (log.events.len(), log.state.clone());
    let result = log.run(party, Some(member), cmd).map(|_| ());
    if result.is_err() {
        assert_eq!((log.events.len(), &log.state), (before.0, &before.1), "a refusal wrote something");
    }
    result
}

#[test]
fn minutes_go_from_draft_to_agreed_and_locked_and_are_then_corrected_by_amendment() {
    let (mut log, _, _, mar, mli) = fixture();
    let s = session(&mut log);
    // No minutes yet: nothing to endorse or amend.
    assert_eq!(endorse_minutes(&mut log, "MAR", &mar, &s, "x"), Err(DomainError::NoMinutes));
    let v1 = set_minutes(&mut log, &s, "محضر الاجتماع", "Procès-verbal de la réunion").unwrap().unwrap();
    assert_eq!(status(&log, &s).phase(), MinutesPhase::Draft);
    assert_eq!(status(&log, &s).draft.unwrap().version, v1);
    let amend = Command::AmendMinutes { session: s.clone(), minutes: LocalizedText::tri("", "Autre", "") };
    assert_eq!(refused(&mut log, amend), DomainError::MinutesNotLocked);

    // A secretary (no co-chair member) cannot endorse; a stale version is refused.
    assert_eq!(
        refused(&mut log, Command::EndorseMinutes { session: s.clone(), version: v1.clone() }).key(),
        "error-not-co-chair"
    );
    assert_eq!(
        endorse_minutes(&mut log, "MAR", &mar, &s, "0000"),
        Err(DomainError::StaleVersion { version: "0000".into() })
    );
    endorse_minutes(&mut log, "MAR", &mar, &s, &v1).unwrap();
    assert_eq!(
        endorse_minutes(&mut log, "MAR", &mar, &s, &v1),
        Err(DomainError::AlreadyEndorsed { party: "MAR".into() })
    );
    let st = status(&log, &s);
    assert_eq!((st.draft.as_ref().unwrap().awaiting.clone(), st.locked()), (vec!["MLI".to_string()], false));

    // An edit makes a new version: MAR's endorsement of v1 does not count for it.
    let v2 = set_minutes(&mut log, &s, "محضر الاجتماع المعدل", "Procès-verbal modifié").unwrap().unwrap();
    assert_eq!(endorse_minutes(&mut log, "MLI", &mli, &s, &v1), Err(DomainError::StaleVersion { version: v1.clone() }));
    endorse_minutes(&mut log, "MLI", &mli, &s, &v2).unwrap();
    assert!(!status(&log, &s).locked());
    endorse_minutes(&mut log, "MAR", &mar, &s, &v2).unwrap();
    let st = status(&log, &s);
    assert_eq!((st.phase(), st.locked()), (MinutesPhase::Agreed, true));
    assert_eq!(
        st.effective().unwrap(),
        (v2.as_str(), &LocalizedText::tri("محضر الاجتماع المعدل", "Procès-verbal modifié", ""))
    );

    // Locked: a plain edit of the minutes is refused; other fields may still change, and
    // setting the minutes to their value is no change.
    let mut set = Map::new();
    set.insert("minutes".into(), json!(LocalizedText::tri("", "Réécrit", "")));
    let err = refused(&mut log, Command::Revise { kind: RecordKind::Session, id: s.clone(), set });
    assert_eq!((err.clone(), err.key()), (DomainError::MinutesLocked, "error-minutes-locked"));
    let mut set = Map::new();
    set.insert("minutes".into(), json!(LocalizedText::tri("محضر الاجتماع المعدل", "Procès-verbal modifié", "")));
    set.insert("title".into(), json!(LocalizedText::tri("", "Première réunion (Bamako)", "")));
    log.run("MAR", None, Command::Revise { kind: RecordKind::Session, id: s.clone(), set }).unwrap().unwrap();
    assert!(status(&log, &s).locked());
    assert_eq!(
        endorse_minutes(&mut log, "MLI", &mli, &s, &v2),
        Err(DomainError::AlreadyEndorsed { party: "MLI".into() })
    );

    // Amendments: the same text is no change; a correction needs both endorsements.
    let same = Command::AmendMinutes {
        session: s.clone(),
        minutes: LocalizedText::tri("محضر الاجتماع المعدل", "Procès-verbal modifié", ""),
    };
    assert_eq!(log.run("MLI", None, same).unwrap(), None);
    let fixed = LocalizedText::tri("محضر مصحح", "Procès-verbal corrigé", "");
    let a1 =
        log.run("MLI", None, Command::AmendMinutes { session: s.clone(), minutes: fixed.clone() }).unwrap().unwrap();
    let st = status(&log, &s);
    assert_eq!(st.amendments.len(), 1);
    assert_eq!(st.effective().unwrap().0, v2, "an amendment is not in force before both endorsements");
    assert_eq!(endorse_minutes(&mut log, "MAR", &mar, &s, "ffff"), Err(DomainError::MinutesLocked));
    endorse_minutes(&mut log, "MLI", &mli, &s, &a1).unwrap();
    assert_eq!(status(&log, &s).amendments[0].awaiting, vec!["MAR".to_string()]);
    endorse_minutes(&mut log, "MAR", &mar, &s, &a1).unwrap();
    let st = status(&log, &s);
    assert!(st.amendments[0].adopted);
    assert_eq!(st.effective().unwrap(), (a1.as_str(), &fixed));
    assert_eq!(
        endorse_minutes(&mut log, "MAR", &mar, &s, &a1),
        Err(DomainError::AlreadyEndorsed { party: "MAR".into() })
    );
}

#[test]
fn agreed_minutes_stay_in_force_after_a_concurrent_edit_from_a_node_that_had_not_heard_of_the_agreement() {
    let (mut log, _, _, mar, mli) = fixture();
    let s = session(&mut log);
    let v1 = set_minutes(&mut log, &s, "محضر", "Procès-verbal").unwrap().unwrap();
    endorse_minutes(&mut log, "MAR", &mar, &s, &v1).unwrap();
    endorse_minutes(&mut log, "MLI", &mli, &s, &v1).unwrap();
    // A revision decided elsewhere before the agreement arrived, with a greater stamp.
    log.push(
        "MLI",
        None,
        "session.revised",
        json!({"v": 1, "record": s, "set": {"minutes": {"fr": "Écrasé"}}, "changed": {"minutes": ["fr"]}}),
    );
    let st = status(&log, &s);
    assert!(st.locked());
    assert_eq!(st.effective().unwrap(), (v1.as_str(), &LocalizedText::tri("محضر", "Procès-verbal", "")));
}

#[test]
fn changing_only_the_french_minutes_flags_the_arabic_until_it_is_confirmed_or_updated() {
    let (mut log, _, _, mar, _) = fixture();
    let s = session(&mut log);
    let review = |log: &Log| parity::to_review(log.state.entry(&s).unwrap(), "minutes");
    set_minutes(&mut log, &s, "محضر", "Procès-verbal").unwrap();
    assert!(review(&log).is_empty(), "a new text is in step");
    let v = set_minutes(&mut log, &s, "محضر", "Procès-verbal complété").unwrap().unwrap();
    assert_eq!(review(&log), vec![Lang::Ar]);
    // Minutes whose languages are not in step cannot be endorsed.
    assert_eq!(
        endorse_minutes(&mut log, "MAR", &mar, &s, &v),
        Err(DomainError::TranslationToReview { field: "minutes".into(), langs: "ar".into() })
    );
    // Confirming the French (not to review) is no change; a language absent is refused.
    let confirm =
        |lang| Command::ConfirmTranslation { kind: RecordKind::Session, id: s.clone(), field: "minutes".into(), lang };
    assert_eq!(log.run("MLI", None, confirm(Lang::Fr)).unwrap(), None);
    assert_eq!(refused(&mut log, confirm(Lang::En)).key(), "error-invalid-value");
    let version_before = status(&log, &s).draft.unwrap().version;
    log.run("MLI", None, confirm(Lang::Ar)).unwrap().unwrap();
    assert!(review(&log).is_empty());
    assert_eq!(status(&log, &s).draft.unwrap().version, version_before, "a confirmation is not an edit");
    // Updating the language to review clears it without flagging the other.
    set_minutes(&mut log, &s, "محضر", "Procès-verbal revu").unwrap();
    assert_eq!(review(&log), vec![Lang::Ar]);
    set_minutes(&mut log, &s, "محضر مكتمل", "Procès-verbal revu").unwrap();
    assert!(review(&log).is_empty());
    // Adding a language flags nothing; changing the Arabic then flags French and English.
    let mut set = Map::new();
    set.insert("minutes".into(), json!(LocalizedText::tri("محضر مكتمل", "Procès-verbal revu", "Minutes")));
    log.run("MAR", None, Command::Revise { kind: RecordKind::Session, id: s.clone(), set }).unwrap();
    assert!(review(&log).is_empty());
    let mut set = Map::new();
    set.insert("minutes".into(), json!(LocalizedText::tri("محضر نهائي", "Procès-verbal revu", "Minutes")));
    log.run("MAR", None, Command::Revise { kind: RecordKind::Session, id: s.clone(), set }).unwrap();
    assert_eq!(review(&log), vec![Lang::Fr, Lang::En]);
}

#[test]
fn a_decision_whose_text_changed_in_one_language_is_endorsed_only_after_review() {
    let (mut log, _, _, mar, mli) = fixture();
    let s = session(&mut log);
    let d = log
        .run(
            "MAR",
            None,
            Command::RecordDecision(Decision {
                session: s,
                area: None,
                text: LocalizedText::tri("قرار", "Décision", "Decision"),
                illustrative: false,
            }),
        )
        .unwrap()
        .unwrap();
    let mut set = Map::new();
    set.insert("text".into(), json!(LocalizedText::tri("قرار", "Décision amendée", "Decision")));
    log.run("MAR", None, Command::Revise { kind: RecordKind::Decision, id: d.clone(), set }).unwrap();
    assert_eq!(parity::to_review(log.state.entry(&d).unwrap(), "text"), vec![Lang::Ar, Lang::En]);
    let endorse = Command::Endorse { kind: RecordKind::Decision, id: d.clone(), on: None };
    let before = log.events.len();
    assert_eq!(log.run("MAR", Some(&mar), endorse.clone()).unwrap_err().key(), "error-translation-to-review");
    assert_eq!(log.events.len(), before);
    for lang in [Lang::Ar, Lang::En] {
        let cmd = Command::ConfirmTranslation { kind: RecordKind::Decision, id: d.clone(), field: "text".into(), lang };
        log.run("MLI", None, cmd).unwrap().unwrap();
    }
    log.run("MAR", Some(&mar), endorse.clone()).unwrap();
    log.run("MLI", Some(&mli), endorse).unwrap();
    let doc = log.state.entry(&d).unwrap().doc(&d);
    assert!(adoption(&doc, &["MAR".to_string(), "MLI".to_string()]).adopted);
    // Only tracked fields of sessions and decisions can be confirmed.
    let bad = Command::ConfirmTranslation { kind: RecordKind::Decision, id: d, field: "area".into(), lang: Lang::Ar };
    assert_eq!(refused(&mut log, bad).key(), "error-invalid-value");
}

#[test]
fn minutes_and_parity_events_with_a_bad_shape_are_refused() {
    let id = "a".repeat(64);
    for (kind, body) in [
        ("session.minutes_endorsed", json!({"v": 1, "record": id, "minutes": {"fr": "x"}})),
        ("session.minutes_endorsed", json!({"v": 1, "record": id, "version": "v", "minutes": {"fr": " "}})),
        ("session.minutes_amended", json!({"v": 1, "record": id})),
        ("session.translation_confirmed", json!({"v": 1, "record": id, "current": {}})),
        ("decision.translation_confirmed", json!({"v": 1, "record": id, "current": {"text": ["de"]}})),
        ("session.revised", json!({"v": 1, "record": id, "set": {"title": {"fr": "x"}}, "current": {"_x": ["fr"]}})),
        ("action.translation_confirmed", json!({"v": 1, "record": id, "current": {"title": ["fr"]}})),
        ("session.revised", json!({"v": 1, "record": id, "set": {"minutes": {"fr": "x"}}, "changed": {"minutes": []}})),
        ("session.translation_confirmed", json!({"v": 1, "record": id, "changed": {"minutes": ["fr"]}})),
    ] {
        assert!(parse_event(kind, &body).is_err(), "{kind} {body} was accepted");
    }
    let ok = parse_event(
        "decision.translation_confirmed",
        &json!({"v": 1, "record": id, "current": {"text": ["fr", "ar", "fr"]}}),
    );
    assert_eq!(
        ok.unwrap(),
        Change::Add {
            kind: RecordKind::Decision,
            record: id,
            set: "translations",
            value: json!({"current": {"text": ["ar", "fr"]}})
        }
    );
}

proptest! {
    /// Invariant 4 for the minutes: both parties edit, confirm, endorse and amend concurrently;
    /// any causal delivery order, with duplicates, gives the same state, hence the same
    /// minutes status and parity flags.
    #[test]
    fn minutes_and_parity_converge_whatever_the_delivery_order(
        picks in proptest::collection::vec(0usize..64, 0..40),
        dups in proptest::collection::vec(0usize..20, 0..6),
    ) {
        let (mut log, _, _, mar, mli) = fixture();
        let s = session(&mut log);
        let v1 = set_minutes(&mut log, &s, "محضر", "Procès-verbal").unwrap().unwrap();
        endorse_minutes(&mut log, "MAR", &mar, &s, &v1).unwrap();
        endorse_minutes(&mut log, "MLI", &mli, &s, &v1).unwrap();
        let base = log.events.len();
        let mut events: Vec<(Meta, String, Value, Vec<usize>)> = log
            .events
            .iter()
            .enumerate()
            .map(|(i, (m, k, b))| (m.clone(), k.clone(), b.clone(), if i == 0 { vec![] } else { vec![i - 1] }))
            .collect();
        let meta = |n: usize, lamport: usize, party: &str, member: Option<&str>| Meta {
            id: format!("{:064x}", 5000 + n),
            lamport: lamport as i64,
            party: party.into(),
            member: member.map(String::from),
            at: "2025-03-01T00:00:00Z".into(),
        };
        // MAR: an amendment, then its endorsement; MLI concurrently: a late revision (from a node
        // that had not heard of the agreement), a confirmation and its own amendment.
        let ops: Vec<(usize, &str, Option<&str>, &str, Value)> = vec![
            (0, "MAR", None, "session.minutes_amended", json!({"v": 1, "record": s, "minutes": {"ar": "محضر مصحح", "fr": "PV corrigé"}})),
            (0, "MAR", Some(mar.as_str()), "session.minutes_endorsed", json!({"v": 1, "record": s, "version": format!("{:064x}", 5000), "minutes": {"ar": "محضر مصحح", "fr": "PV corrigé"}})),
            (1, "MLI", None, "session.revised", json!({"v": 1, "record": s, "set": {"minutes": {"ar": "محضر", "fr": "PV réécrit"}}, "changed": {"minutes": ["fr"]}})),
            (1, "MLI", None, "session.translation_confirmed", json!({"v": 1, "record": s, "current": {"minutes": ["ar"]}})),
            (1, "MLI", None, "session.minutes_amended", json!({"v": 1, "record": s, "minutes": {"fr": "PV malien"}})),
            (1, "MLI", Some(mli.as_str()), "session.minutes_endorsed", json!({"v": 1, "record": s, "version": format!("{:064x}", 5000), "minutes": {"ar": "محضر مصحح", "fr": "PV corrigé"}})),
        ];
        let mut last = [base - 1, base - 1];
        let mut lamport = [base, base];
        for (n, (side, party, member, kind, body)) in ops.into_iter().enumerate() {
            lamport[side] += 1;
            let mut deps = vec![last[side]];
            // MLI endorses the MAR amendment only after receiving it.
            if n == 5 {
                deps.push(base);
                lamport[1] = lamport[1].max(base + 2);
            }
            events.push((meta(n, lamport[side], party, member), kind.into(), body, deps));
            last[side] = events.len() - 1;
        }
        let in_order = replay(&events, &[], &[]);
        let shuffled = replay(&events, &picks, &dups);
        prop_assert_eq!(&in_order, &shuffled);
        let st = minutes_status(in_order.entry(&s).unwrap(), &["MAR".to_string(), "MLI".to_string()]);
        prop_assert!(st.locked());
        prop_assert_eq!(st.effective().unwrap().1, &LocalizedText::tri("محضر مصحح", "PV corrigé", ""));
    }
}

/// Case C04 and the tz database: a venue-local opening time gives the instant in the venue's
/// zone — Casablanca is UTC+1 in November 2025 but UTC+0 during Ramadan 2026; Bamako is UTC+0.
#[test]
fn session_opening_instants_follow_the_venue_zone() {
    let session = |zone: &str, day: jiff::civil::Date| Session {
        number: 9,
        title: LocalizedText::tri("", "x", ""),
        host: PartyCode::parse("MAR").unwrap(),
        venue: Venue { name: LocalizedText::default(), city: LocalizedText::tri("", "x", ""), zone: zone.into() },
        start: day,
        end: day,
        opens_at: Some(jiff::civil::time(10, 0, 0, 0)),
        agenda: vec![],
        minutes: None,
        expected_outcome: None,
        working_groups: vec![],
        mission: None,
        illustrative: false,
    };
    let at = |s: Session| s.opening_instant().unwrap().to_string();
    assert_eq!(at(session("Africa/Casablanca", date(2025, 11, 18))), "2025-11-18T09:00:00Z");
    assert_eq!(at(session("Africa/Casablanca", date(2026, 3, 1))), "2026-03-01T10:00:00Z");
    assert_eq!(at(session("Africa/Bamako", date(2025, 2, 17))), "2025-02-17T10:00:00Z");
    let mut none = session("Africa/Bamako", date(2025, 2, 17));
    none.opens_at = None;
    assert_eq!(none.opening_instant(), None);
}

/// A received event, parsed and checked against `log`'s state as the store does
/// ([`Change::check_against`]).
fn check_received(log: &Log, kind: &str, body: Value) -> Result<(), DomainError> {
    parse_event(kind, &body)?.check_against(&log.state)
}

fn planned_action(log: &mut Log, area: &str, roadmap: &str) -> String {
    log.run("MAR", None, Command::PlanAction(action(area, roadmap))).unwrap().unwrap()
}

#[test]
fn a_received_revision_whose_field_is_not_of_its_type_is_refused_naming_the_field() {
    let (mut log, area, roadmap, ..) = fixture();
    let id = planned_action(&mut log, &area, &roadmap);
    let cases = [
        ("action.revised", json!({"progress": "abc"}), "progress"),
        ("action.progress_reported", json!({"progress": "abc"}), "progress"),
        ("action.progress_reported", json!({"progress": 140}), "progress"),
        ("action.revised", json!({"due": "31/12/2025"}), "due"),
        ("action.revised", json!({"status": "finished-ish"}), "status"),
        ("action.revised", json!({"title": "Former 12 officiers"}), "title"),
        ("action.revised", json!({"due": null}), "due"),
        ("action.revised", json!({"weight": 2, "start": 20250301}), "start"),
    ];
    for (kind, set, field) in cases {
        let err = check_received(&log, kind, json!({"v": 1, "record": id, "set": set})).unwrap_err();
        match &err {
            DomainError::InvalidValue { field: f, value } => {
                assert_eq!(f, field, "{kind} {set}: {err}");
                assert!(!value.is_empty(), "{kind} {set}: no reason");
            }
            other => panic!("{kind} {set}: {other:?}"),
        }
    }
    // A session's minutes must be a per-language text.
    let session = session(&mut log);
    let err =
        check_received(&log, "session.minutes_recorded", json!({"v": 1, "record": session, "set": {"minutes": 7}}))
            .unwrap_err();
    assert!(matches!(&err, DomainError::InvalidValue { field, .. } if field == "minutes"), "{err:?}");
}

#[test]
fn a_received_revision_of_the_right_types_and_fields_this_version_does_not_know_is_accepted() {
    let (mut log, area, roadmap, ..) = fixture();
    let id = planned_action(&mut log, &area, &roadmap);
    for (kind, set) in [
        ("action.revised", json!({"progress": 40, "due": "2025-12-31", "lead": null})),
        ("action.progress_reported", json!({"progress": 100, "status": "done"})),
        // Forward compatibility (invariant 10): a field of a later version is kept, unread.
        ("action.revised", json!({"future_field": {"anything": [1, 2]}})),
        // Cross-field rules are decide's, not the receiver's: a concurrent start/due edit must
        // not make nodes refuse different events.
        ("action.revised", json!({"start": "2026-01-01"})),
    ] {
        check_received(&log, kind, json!({"v": 1, "record": id, "set": set})).unwrap();
    }
}

#[test]
fn a_received_revision_of_a_record_that_does_not_exist_or_is_of_another_kind_is_refused() {
    let (log, area, ..) = fixture();
    for (kind, record) in [("action.revised", "f".repeat(64)), ("action.revised", area.clone())] {
        let err = check_received(&log, kind, json!({"v": 1, "record": record, "set": {"progress": 5}})).unwrap_err();
        assert!(matches!(&err, DomainError::UnknownRecord { kind, .. } if kind == "action"), "{err:?}");
    }
    let err = check_received(&log, "action.evidence_added", json!({"v": 1, "record": area, "note": {"fr": "Photo"}}))
        .unwrap_err();
    assert_eq!(err.key(), "error-unknown-record");
}

#[test]
fn a_received_reference_to_a_record_that_is_not_of_its_kind_is_refused_naming_the_field() {
    let (mut log, area, roadmap, mar_chair, _) = fixture();
    let id = planned_action(&mut log, &area, &roadmap);
    for (set, field) in [
        (json!({"area": roadmap}), "area"),
        (json!({"roadmap": area}), "roadmap"),
        (json!({"lead": "e".repeat(64)}), "lead"),
        (json!({"lead": area}), "lead"),
    ] {
        let err = check_received(&log, "action.revised", json!({"v": 1, "record": id, "set": set})).unwrap_err();
        match &err {
            DomainError::InvalidValue { field: f, value } => {
                assert_eq!(f, field, "{set}");
                assert!(value.contains("no "), "{set}: {value}");
            }
            other => panic!("{set}: {other:?}"),
        }
    }
    check_received(&log, "action.revised", json!({"v": 1, "record": id, "set": {"lead": mar_chair}})).unwrap();
    // Creations too, and references nested in lists.
    let set = serde_json::to_value(action(&roadmap, &roadmap)).unwrap();
    let err = check_received(&log, "action.planned", json!({"v": 1, "set": set})).unwrap_err();
    assert!(matches!(&err, DomainError::InvalidValue { field, .. } if field == "area"), "{err:?}");
    let s = session(&mut log);
    let err = check_received(
        &log,
        "session.revised",
        json!({"v": 1, "record": s, "set": {"working_groups": [{"title": {"fr": "GT"}, "areas": [area, roadmap]}]}}),
    )
    .unwrap_err();
    assert!(matches!(&err, DomainError::InvalidValue { field, .. } if field == "working_groups.areas"), "{err:?}");
}

#[test]
fn a_created_record_with_a_field_of_the_wrong_type_is_refused_naming_the_field() {
    let (log, area, roadmap, ..) = fixture();
    let good = serde_json::to_value(action(&area, &roadmap)).unwrap();
    // The field (dotted when nested, as references name theirs) and the message key of a
    // revision's mistyped field, so a peer's operator reads one kind of refusal for both.
    for (field, value, named) in [
        ("progress", json!("abc"), "progress"),
        ("progress", json!(140), "progress"),
        ("due", json!("31/12/2025"), "due"),
        ("title", json!("Former 12 officiers"), "title"),
        ("status", json!("finished-ish"), "status"),
        (
            "indicator",
            json!({"unit": {"fr": "officiers"}, "baseline": 0, "target": "douze", "current": 0}),
            "indicator.target",
        ),
    ] {
        let mut set = good.clone();
        set[field] = value;
        let err = parse_event("action.planned", &json!({"v": 1, "set": set})).unwrap_err();
        assert_eq!((err.key(), err.field()), ("error-invalid-value", Some(named)), "{field}: {err}");
        assert!(err.to_string().starts_with(&format!("{named}: ")), "{err}");
        // The same refusal where the store checks a received event against the state.
        assert_eq!(check_received(&log, "action.planned", json!({"v": 1, "set": set})).unwrap_err(), err);
    }
    let mut set = good;
    set["future_field"] = json!(true);
    check_received(&log, "action.planned", json!({"v": 1, "set": set})).unwrap();
}

#[test]
fn every_record_kind_lists_its_references_once_for_decide_and_for_receipt() {
    let (mut log, area, roadmap, mar_chair, _) = fixture();
    let mut a = action(&area, &roadmap);
    a.lead = Some(mar_chair.clone());
    let fields: Vec<(String, String)> = a.references().into_iter().map(|r| (r.field, r.id)).collect();
    let expected = [("roadmap", &roadmap), ("area", &area), ("lead", &mar_chair)];
    assert_eq!(fields, expected.map(|(f, id)| (f.to_string(), id.clone())));
    // decide refuses the same reference with the kind expected (forms point at that select).
    a.area = roadmap.clone();
    let err = refused(&mut log, Command::PlanAction(a));
    assert_eq!(err, DomainError::UnknownRecord { kind: "area".into(), id: roadmap });
}

#[test]
fn a_record_that_no_longer_reads_as_its_type_is_listed_as_unreadable_not_silently_dropped() {
    let (mut log, area, roadmap, ..) = fixture();
    let id = planned_action(&mut log, &area, &roadmap);
    assert!(log.state.unreadable().is_empty());
    assert_eq!(log.state.all::<Action>(RecordKind::Action).len(), 1);
    // The fold itself applies what it is given (the store checks before it folds): such an
    // event reaches it only by going around the store.
    log.push("MLI", None, "action.revised", json!({"v": 1, "record": id, "set": {"progress": "abc"}}));
    assert!(log.state.all::<Action>(RecordKind::Action).is_empty());
    let unreadable = log.state.unreadable();
    assert_eq!(unreadable.len(), 1);
    assert_eq!((unreadable[0].0.as_str(), unreadable[0].1), (id.as_str(), RecordKind::Action));
    assert!(unreadable[0].2.contains("abc"), "{}", unreadable[0].2);
}

// Text at the door (issue 17 item 7, cases C19 and C20): `decide` cleans every user text.

fn emitted(log: &Log, party: &str, cmd: &Command) -> Result<Vec<Emit>, DomainError> {
    decide(&log.state, &Actor { party: PartyCode::parse(party).unwrap(), member: None }, cmd)
}

/// The RFC 8785 bytes of each emitted body: what the ledger signs.
fn signed_bytes(emits: &[Emit]) -> Vec<Vec<u8>> {
    emits.iter().map(|e| serde_json_canonicalizer::to_vec(&e.body).unwrap()).collect()
}

#[test]
fn c19_a_text_typed_nfc_or_pasted_nfd_gives_byte_identical_event_bodies() {
    let (mut log, area, roadmap, ..) = fixture();
    let nfc = "D\u{E9}fense";
    let nfd = "De\u{301}fense";
    assert_eq!(nfc.as_bytes()[..3], [0x44, 0xC3, 0xA9]);
    assert_eq!(nfd.as_bytes()[..4], [0x44, 0x65, 0xCC, 0x81]);
    let plan = |t: &str| {
        Command::PlanAction(Action {
            title: LocalizedText::tri("", t, ""),
            unit: LocalizedText::tri("", &format!("Direction de la {t}"), ""),
            ..action(&area, &roadmap)
        })
    };
    let typed = signed_bytes(&emitted(&log, "MAR", &plan(nfc)).unwrap());
    let pasted = signed_bytes(&emitted(&log, "MAR", &plan(nfd)).unwrap());
    assert_eq!(typed, pasted);
    assert!(typed[0].windows(3).any(|w| w == [0x44, 0xC3, 0xA9]));
    assert!(!typed[0].windows(2).any(|w| w == [0xCC, 0x81]));
    // A partner's name, through a member.
    let member = |name: &str| {
        Command::RegisterMember(Member {
            party: PartyCode::parse("MLI").unwrap(),
            role: MemberRole::Expert,
            name: LocalizedText::tri("", name, ""),
            rank: Some(LocalizedText::tri("", &format!("Ministère de la {name}"), "")),
            illustrative: false,
        })
    };
    assert_eq!(
        signed_bytes(&emitted(&log, "MLI", &member(nfc)).unwrap()),
        signed_bytes(&emitted(&log, "MLI", &member(nfd)).unwrap())
    );
    // The form and CLI constructor gives the same text.
    assert_eq!(LocalizedText::parse("title", &[(Lang::Fr, nfd)]).unwrap().fr.as_deref(), Some(nfc));
    // Re-typing the stored title decomposed is no change (case C04): nothing is written.
    let id = log.run("MAR", None, plan(nfd)).unwrap().unwrap();
    assert_eq!(log.state.get::<Action>(RecordKind::Action, &id).unwrap().title.fr.as_deref(), Some(nfc));
    let mut set = Map::new();
    set.insert("title".into(), json!({"fr": nfd}));
    assert_eq!(emitted(&log, "MAR", &Command::Revise { kind: RecordKind::Action, id: id.clone(), set }).unwrap(), []);
    // A revision is cleaned too.
    let mut set = Map::new();
    set.insert("unit".into(), json!({"fr": " \u{200F}Direction De\u{301}fense\u{200B} "}));
    let emits = emitted(&log, "MAR", &Command::Revise { kind: RecordKind::Action, id, set }).unwrap();
    assert_eq!(emits[0].body["set"]["unit"], json!({"fr": "Direction Défense"}));
}

#[test]
fn c20_bidi_and_zero_width_characters_follow_one_rule_before_signing() {
    let (mut log, area, roadmap, ..) = fixture();
    // U+200F at the start of a member's name: trimmed.
    let member = Member {
        party: PartyCode::parse("MLI").unwrap(),
        role: MemberRole::Expert,
        name: LocalizedText::tri("\u{200F}العقيد (عضو أ)", "", ""),
        rank: None,
        illustrative: false,
    };
    let emits = emitted(&log, "MLI", &Command::RegisterMember(member)).unwrap();
    assert_eq!(emits[0].body["set"]["name"], json!({"ar": "العقيد (عضو أ)"}));
    // U+200B inside a place: removed.
    let mission = Mission {
        title: LocalizedText::tri("", "Mission à Ségou", ""),
        visiting: PartyCode::parse("MAR").unwrap(),
        host: PartyCode::parse("MLI").unwrap(),
        venue: Venue {
            name: LocalizedText::tri("", "\u{FEFF}Camp\u{2060} de Ségou\u{200E}", ""),
            city: LocalizedText::tri("", "Sé\u{200B}gou", ""),
            zone: "Africa/Bamako".into(),
        },
        start: date(2025, 2, 17),
        end: date(2025, 2, 19),
        head: None,
        purpose: None,
        programme: vec![],
        illustrative: false,
    };
    let emits = emitted(&log, "MAR", &Command::ScheduleMission(mission)).unwrap();
    assert_eq!(emits[0].body["set"]["venue"]["city"], json!({"fr": "Ségou"}));
    assert_eq!(emits[0].body["set"]["venue"]["name"], json!({"fr": "Camp de Ségou"}));
    // Inside a text: bidi embeddings, overrides and isolates removed; the marks U+200E, U+200F,
    // U+061C and the joiners ZWNJ/ZWJ kept.
    let title = "\u{202B}تدريب\u{202C} \u{2067}PV n° 2\u{2069} می\u{200C}خواهم\u{200F}: أ\u{061C}ب";
    let plan = Command::PlanAction(Action { title: LocalizedText::tri(title, "", ""), ..action(&area, &roadmap) });
    let emits = emitted(&log, "MAR", &plan).unwrap();
    assert_eq!(emits[0].body["set"]["title"], json!({"ar": "تدريب PV n° 2 می\u{200C}خواهم\u{200F}: أ\u{061C}ب"}));
    // A title of only spaces, U+200F and other invisible or combining marks: refused, named.
    for blank in [" \u{200F} ", "\u{200F}\u{200E}\u{200B}\u{FEFF}", "\u{00A0}\u{2066}\u{2069}", "\u{301}\u{64E}"] {
        let plan = Command::PlanAction(Action { title: LocalizedText::tri("", blank, ""), ..action(&area, &roadmap) });
        assert_eq!(refused(&mut log, plan), DomainError::EmptyText { field: "title".into() }, "{blank:?}");
        assert_eq!(
            LocalizedText::parse("title", &[(Lang::Fr, blank)]).unwrap_err(),
            DomainError::EmptyText { field: "title".into() }
        );
    }
    // A blank language beside a real one is dropped, not signed.
    let plan = Command::PlanAction(Action {
        title: LocalizedText::tri("تدريب", "\u{200F} ", ""),
        ..action(&area, &roadmap)
    });
    assert_eq!(emitted(&log, "MAR", &plan).unwrap()[0].body["set"]["title"], json!({"ar": "تدريب"}));
    // A press document's text is archived byte for byte (its hash is over those bytes).
    let text = "\u{200F}Texte De\u{301}fense\u{200B} ";
    let press = PressDocument {
        publisher: LocalizedText::tri("", "\u{200E}L’Essor", ""),
        language: Lang::Fr,
        title: "  De\u{301}fense\u{200B}  ".into(),
        text: text.into(),
        text_blake3: "0".repeat(64),
        mission: None,
        communique: None,
        illustrative: false,
    };
    let emits = emitted(&log, "MAR", &Command::ArchivePress(press)).unwrap();
    assert_eq!(emits[0].body["set"]["text"], json!(text));
    assert_eq!(emits[0].body["set"]["title"], json!("Défense"));
    assert_eq!(emits[0].body["set"]["publisher"], json!({"fr": "L’Essor"}));
}

#[test]
fn over_long_texts_are_refused_naming_the_field_and_counting_characters_after_nfc() {
    let (mut log, area, roadmap, ..) = fixture();
    let plan = |title: String| {
        Command::PlanAction(Action { title: LocalizedText::tri("", &title, ""), ..action(&area, &roadmap) })
    };
    assert_eq!(
        refused(&mut log, plan("a".repeat(301))),
        DomainError::TooLong { field: "title".into(), max: 300, length: 301 }
    );
    assert_eq!(refused(&mut log, plan("ب".repeat(301))).key(), "error-too-long");
    // 300 characters, 600 scalar values before NFC: accepted.
    log.run("MAR", None, plan("e\u{301}".repeat(300))).unwrap().unwrap();
    // A unit is short text too; an indicator's unit as well.
    let cmd =
        Command::PlanAction(Action { unit: LocalizedText::tri("", &"u".repeat(301), ""), ..action(&area, &roadmap) });
    assert_eq!(refused(&mut log, cmd).field(), Some("unit"));
    // Long text: minutes up to 20,000 characters.
    let s = session(&mut log);
    let err = set_minutes(&mut log, &s, "", &"m".repeat(20_001)).unwrap_err();
    assert_eq!(err, DomainError::TooLong { field: "minutes".into(), max: 20_000, length: 20_001 });
    set_minutes(&mut log, &s, &"م".repeat(20_000), &"m".repeat(5_000)).unwrap().unwrap();
    // A decision's text is long, its 5,000 characters fine; a note's text too.
    let decision = |text: String| {
        Command::RecordDecision(Decision {
            session: s.clone(),
            area: None,
            text: LocalizedText::tri("", &text, ""),
            illustrative: false,
        })
    };
    log.run("MAR", None, decision("d".repeat(5_000))).unwrap().unwrap();
    assert_eq!(refused(&mut log, decision("d".repeat(20_001))).field(), Some("text"));
    let note = |title: String, text: String| {
        Command::RecordNote(Note {
            party: PartyCode::parse("MAR").unwrap(),
            title: LocalizedText::tri("", &title, ""),
            text: LocalizedText::tri("", &text, ""),
            about: None,
        })
    };
    log.run("MAR", None, note("Évaluation".into(), "n".repeat(20_000))).unwrap().unwrap();
    assert_eq!(
        refused(&mut log, note("t".repeat(301), "n".into())),
        DomainError::TooLong { field: "title".into(), max: 300, length: 301 }
    );
    let err = refused(&mut log, note("Évaluation".into(), "n".repeat(20_001)));
    assert_eq!(err.to_string(), "text: 20001 characters, at most 20000 allowed");
}

#[test]
fn received_events_are_folded_as_signed_not_cleaned() {
    let (mut log, area, roadmap, ..) = fixture();
    // A body signed elsewhere with a decomposed title, a leading RLM and a long title: the
    // signed bytes stand; nothing here refuses or rewrites it.
    let title = format!("\u{200F}De\u{301}fense {}", "x".repeat(400));
    let mut set = serde_json::to_value(action(&area, &roadmap)).unwrap();
    set["title"] = json!({"fr": title});
    let id = log.push("MLI", None, "action.planned", json!({"v": 1, "set": set}));
    assert_eq!(log.state.get::<Action>(RecordKind::Action, &id).unwrap().title.fr, Some(title));
    let minutes = json!({"v": 1, "record": id, "minutes": {"fr": "\u{200F}x"}});
    assert!(parse_event("session.minutes_amended", &minutes).is_ok());
}

proptest! {
    #[test]
    fn cleaning_is_idempotent_and_leaves_no_space_or_invisible_mark_at_the_edges(
        parts in proptest::collection::vec(
            prop_oneof![
                Just(" "), Just("\u{A0}"), Just("\n"), Just("\u{200B}"), Just("\u{200C}"), Just("\u{200D}"),
                Just("\u{200E}"), Just("\u{200F}"), Just("\u{061C}"), Just("\u{202B}"), Just("\u{202C}"),
                Just("\u{2066}"), Just("\u{2069}"), Just("\u{2060}"), Just("\u{FEFF}"), Just("e"), Just("\u{301}"),
                Just("\u{327}"), Just("é"), Just("ا"), Just("\u{654}"), Just("\u{64E}"), Just("ب"), Just("D"),
                Just("\u{1100}"), Just("\u{1161}"), Just("\u{11A8}"), Just("2"),
            ],
            0..24,
        ),
        free in "\\PC{0,12}",
    ) {
        let text = format!("{}{free}", parts.concat());
        let once = text::clean(&text);
        prop_assert_eq!(text::clean(&once), once.clone());
        let edge = |c: char| c.is_whitespace() || text::is_invisible(c);
        prop_assert!(!once.starts_with(edge) && !once.ends_with(edge), "{:?}", once);
        let removed = ['\u{200B}', '\u{2060}', '\u{FEFF}', '\u{202B}', '\u{2066}'];
        prop_assert!(!once.contains(removed), "{:?}", once);
        let parsed = LocalizedText::parse("title", &[(Lang::Fr, &text)]);
        match parsed {
            Ok(t) => prop_assert_eq!(t.fr, Some(once)),
            Err(e) => {
                prop_assert!(text::is_blank(&once));
                prop_assert_eq!(e, DomainError::EmptyText { field: "title".into() });
            }
        }
    }
}

// ---- The cycle: decisions → actions (issue 13) ----

fn decision(log: &mut Log, session: &str, text: &str) -> String {
    let d =
        Decision { session: session.into(), area: None, text: LocalizedText::tri("", text, ""), illustrative: false };
    log.run("MAR", None, Command::RecordDecision(d)).unwrap().unwrap()
}

#[test]
fn decisions_are_numbered_by_session_year_session_number_and_creation_order() {
    let (mut log, area, roadmap, ..) = fixture();
    let s1 = session(&mut log);
    let first = decision(&mut log, &s1, "Première décision");
    let second = decision(&mut log, &s1, "Deuxième décision");
    let third = decision(&mut log, &s1, "Troisième décision");
    assert_eq!(reference::decision_reference(&log.state, &first).as_deref(), Some("D-2025/1-1"));
    assert_eq!(reference::decision_reference(&log.state, &second).as_deref(), Some("D-2025/1-2"));
    assert_eq!(reference::decision_reference(&log.state, &third).as_deref(), Some("D-2025/1-3"));
    assert_eq!(reference::decision_by_reference(&log.state, " d-2025/1-2 ").as_deref(), Some(second.as_str()));
    assert_eq!(reference::decision_by_reference(&log.state, "D-2025/1-9"), None);
    assert_eq!(reference::decision_reference(&log.state, &area), None, "an area has no decision reference");
    // An action carries out a decision; an unknown decision is refused with nothing written.
    let mut a = action(&area, &roadmap);
    a.decision = Some(second.clone());
    log.run("MAR", None, Command::PlanAction(a.clone())).unwrap().unwrap();
    a.decision = Some(area.clone());
    a.title = LocalizedText::tri("", "Autre action", "");
    let err = refused(&mut log, Command::PlanAction(a));
    assert_eq!(err.key(), "error-unknown-record");
}

#[test]
fn an_action_outside_its_roadmap_period_is_refused_naming_the_period_and_nothing_is_emitted() {
    let (mut log, area, roadmap, ..) = fixture();
    for (start, due) in [(date(2025, 2, 1), date(2025, 6, 30)), (date(2025, 3, 1), date(2026, 1, 15))] {
        let mut a = action(&area, &roadmap);
        (a.start, a.due) = (start, due);
        let err = refused(&mut log, Command::PlanAction(a));
        assert_eq!(
            err,
            DomainError::OutsideRoadmap {
                start: start.to_string(),
                end: due.to_string(),
                roadmap_start: "2025-03-01".into(),
                roadmap_end: "2025-12-31".into(),
            }
        );
        assert_eq!(err.key(), "error-outside-roadmap");
    }
    // Inside the period (its very first and last days included) is accepted.
    let mut a = action(&area, &roadmap);
    (a.start, a.due) = (date(2025, 3, 1), date(2025, 12, 31));
    let id = log.run("MAR", None, Command::PlanAction(a)).unwrap().unwrap();
    // A revision moving the due date past the period is refused too.
    let mut set = Map::new();
    set.insert("due".into(), json!("2026-03-01"));
    let err = refused(&mut log, Command::Revise { kind: RecordKind::Action, id, set });
    assert_eq!(err.key(), "error-outside-roadmap");
}

#[test]
fn a_delayed_blocked_or_cancelled_status_needs_a_reason_and_is_accepted_with_one() {
    for status in [ActionStatus::Delayed, ActionStatus::Blocked, ActionStatus::Cancelled] {
        let (mut log, area, roadmap, ..) = fixture();
        let id = log.run("MAR", None, Command::PlanAction(action(&area, &roadmap))).unwrap().unwrap();
        let report = |reason: Option<LocalizedText>| Command::ReportProgress {
            completed: None,
            action: id.clone(),
            status: Some(status),
            progress: None,
            reason,
        };
        let err = refused(&mut log, report(None));
        assert_eq!(err, DomainError::ReasonRequired { field: "reason".into(), status: status.code().into() });
        assert_eq!((err.key(), err.field()), ("error-reason-required", Some("reason")));
        // A blank reason is no reason.
        let err = refused(&mut log, report(Some(LocalizedText::tri("", " \u{200B} ", ""))));
        assert_eq!(err.key(), "error-reason-required");
        // Planned or revised into the status without a reason: refused as well.
        let mut planned = action(&area, &roadmap);
        planned.title = LocalizedText::tri("", "Autre", "");
        planned.status = status;
        assert_eq!(refused(&mut log, Command::PlanAction(planned)).key(), "error-reason-required");
        let mut set = Map::new();
        set.insert("status".into(), json!(status));
        let revise = Command::Revise { kind: RecordKind::Action, id: id.clone(), set };
        assert_eq!(refused(&mut log, revise).key(), "error-reason-required");

        let reason = LocalizedText::tri("", "Livraison attendue", "");
        log.run("MAR", None, report(Some(reason.clone()))).unwrap().unwrap();
        let a: Action = log.state.get(RecordKind::Action, &id).unwrap();
        assert_eq!((a.status, a.reason), (status, Some(reason)));
        // Staying in the status (e.g. new progress) needs no new reason.
        let again = Command::ReportProgress {
            completed: None,
            action: id.clone(),
            status: Some(status),
            progress: Some(Progress::new(0).unwrap()),
            reason: None,
        };
        assert_eq!(log.run("MAR", None, again), Ok(None));
    }
}

/// Issue 13 item 7: the completion date is the one the report declares (not when the event
/// was recorded), belongs to a done action only, and goes when the action leaves done.
#[test]
fn a_done_report_carries_its_completion_date_which_leaves_with_the_done_status() {
    let (mut log, area, roadmap, ..) = fixture();
    let id = log.run("MAR", None, Command::PlanAction(action(&area, &roadmap))).unwrap().unwrap();
    let report = |status: ActionStatus, completed: Option<jiff::civil::Date>| Command::ReportProgress {
        action: id.clone(),
        status: Some(status),
        progress: None,
        reason: (status == ActionStatus::Delayed).then(|| LocalizedText::tri("", "Attente", "")),
        completed,
    };
    // A completion date with a status other than done is refused, nothing written.
    let err = refused(&mut log, report(ActionStatus::InProgress, Some(date(2025, 6, 30))));
    assert_eq!(err, DomainError::InvalidValue { field: "completed".into(), value: "2025-06-30".into() });
    let a: Action = log.state.get(RecordKind::Action, &id).unwrap();
    assert_eq!((a.status, a.completed), (ActionStatus::Planned, None));

    log.run("MAR", None, report(ActionStatus::Done, Some(date(2025, 6, 30)))).unwrap().unwrap();
    let a: Action = log.state.get(RecordKind::Action, &id).unwrap();
    assert_eq!((a.status, a.progress.percent(), a.completed), (ActionStatus::Done, 100, Some(date(2025, 6, 30))));
    // Correcting the date of a done action: the status stays, the date moves.
    let correct = Command::ReportProgress {
        action: id.clone(),
        status: None,
        progress: None,
        reason: None,
        completed: Some(date(2025, 6, 28)),
    };
    log.run("MAR", None, correct).unwrap().unwrap();
    assert_eq!(log.state.get::<Action>(RecordKind::Action, &id).unwrap().completed, Some(date(2025, 6, 28)));
    // Reopened (delayed, with its reason): the completion date is withdrawn.
    log.run("MAR", None, report(ActionStatus::Delayed, None)).unwrap().unwrap();
    let a: Action = log.state.get(RecordKind::Action, &id).unwrap();
    assert_eq!((a.status, a.completed), (ActionStatus::Delayed, None));
}

/// Issue 16 item 4: a co-chair's signature delegation to a member of their party, for a
/// period; the delegate's endorsement counts for the party (both parties here), names the
/// co-chair it was made for, and is refused outside the period or after the withdrawal.
#[test]
fn a_delegate_endorses_for_the_co_chair_inside_the_period_and_never_outside_it_or_after_withdrawal() {
    let (mut log, _area, roadmap, mar, mli) = fixture();
    let parties = vec!["MAR".to_string(), "MLI".to_string()];
    let (mar_deputy, mli_deputy) = (log.member("MAR", "Adjoint MAR"), log.member("MLI", "Adjoint MLI"));
    let day = |d: &str| d.parse::<jiff::civil::Date>().unwrap();
    let delegate =
        |to: &str| Command::DelegateSignature { delegate: to.into(), from: day("2026-03-01"), to: day("2026-03-31") };
    let endorse = |on: &str| Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone(), on: Some(day(on)) };
    // Only the co-chair delegates, and only to another member of their party.
    assert_eq!(log.run("MAR", Some(&mar_deputy), delegate(&mar_deputy)).unwrap_err().key(), "error-not-co-chair");
    assert_eq!(log.run("MAR", Some(&mar), delegate(&mli_deputy)).unwrap_err().key(), "error-invalid-value");
    assert_eq!(log.run("MAR", Some(&mar), delegate(&mar)).unwrap_err().key(), "error-invalid-value");
    let backwards =
        Command::DelegateSignature { delegate: mar_deputy.clone(), from: day("2026-03-02"), to: day("2026-03-01") };
    assert!(log.run("MAR", Some(&mar), backwards).is_err());
    // Before any delegation, and outside its period, the deputy is refused; nothing written.
    assert_eq!(log.run("MAR", Some(&mar_deputy), endorse("2026-03-10")).unwrap_err().key(), "error-not-co-chair");
    let delegation = log.run("MAR", Some(&mar), delegate(&mar_deputy)).unwrap().unwrap();
    let n = log.events.len();
    for outside in ["2026-02-28", "2026-04-01"] {
        assert_eq!(log.run("MAR", Some(&mar_deputy), endorse(outside)).unwrap_err().key(), "error-not-co-chair");
    }
    let undated = Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone(), on: None };
    assert!(log.run("MAR", Some(&mar_deputy), undated).is_err(), "no date, no delegation");
    assert_eq!(log.events.len(), n);
    // Inside (its last day included): MAR's endorsement, with both names.
    log.run("MAR", Some(&mar_deputy), endorse("2026-03-31")).unwrap();
    let doc = |log: &Log| log.state.entry(&roadmap).unwrap().doc(&roadmap);
    let a = adoption(&doc(&log), &parties);
    assert_eq!((a.adopted, a.endorsed_by.clone()), (false, vec!["MAR".to_string()]));
    let e = &doc(&log)["endorsements"][0];
    assert_eq!(
        (e["party"].as_str(), e["member"].as_str(), e["for"].as_str()),
        (Some("MAR"), Some(&*mar_deputy), Some(&*mar))
    );
    // The other party likewise: the roadmap is adopted with both endorsements made under delegation.
    log.run("MLI", Some(&mli), delegate(&mli_deputy)).unwrap();
    log.run("MLI", Some(&mli_deputy), endorse("2026-03-01")).unwrap();
    assert!(adoption(&doc(&log), &parties).adopted);
    // Withdrawn (once; only by its co-chair): a new version cannot be endorsed by the deputy.
    let withdraw = || Command::WithdrawSignatureDelegation { delegation: delegation.clone() };
    assert!(log.run("MLI", Some(&mli), withdraw()).is_err(), "another party's co-chair");
    log.run("MAR", Some(&mar), withdraw()).unwrap();
    assert_eq!(log.run("MAR", Some(&mar), withdraw()).unwrap_err().key(), "error-unknown-record");
    let mut set = Map::new();
    set.insert("end".into(), json!("2026-06-30"));
    log.run("MLI", None, Command::Revise { kind: RecordKind::Roadmap, id: roadmap.clone(), set }).unwrap();
    assert_eq!(log.run("MAR", Some(&mar_deputy), endorse("2026-03-15")).unwrap_err().key(), "error-not-co-chair");
    log.run("MAR", Some(&mar), endorse("2026-03-15")).unwrap();
    let ds = crate::signature::delegations(&log.state, "MAR");
    assert_eq!((ds.len(), ds[0].withdrawn, ds[0].delegate.as_str()), (1, true, &*mar_deputy));
}

// ---- The typed actions reused across changes (issue 11) ----

proptest! {
    /// `State::actions` after any mix of changes, copies, filtered copies and reuse of what an
    /// earlier state parsed equals the actions parsed afresh from the records.
    #[test]
    fn typed_actions_reused_across_changes_equal_a_fresh_parse(
        ops in proptest::collection::vec((0usize..6, 0usize..8, 0u8..101), 1..40),
    ) {
        let (mut log, area, roadmap, ..) = fixture();
        let mut ids: Vec<String> = (0..3)
            .map(|_| log.run("MAR", None, Command::PlanAction(action(&area, &roadmap))).unwrap().unwrap())
            .collect();
        let fresh = |s: &State| -> Vec<(String, Action)> { s.all(RecordKind::Action) };
        let (mut published, mut filtered): (Option<State>, Option<State>) = (None, None);
        for (n, (op, k, progress)) in ops.into_iter().enumerate() {
            let lamport = 1_001 + n as i64;
            match op {
                0 | 1 => {
                    let id = &ids[k % ids.len()];
                    let meta = Meta { id: format!("{:064x}", 5000 + n), lamport, party: "MLI".into(), member: None, at: "2025-04-01T00:00:00Z".into() };
                    let body = json!({"v": 1, "record": id, "set": {"progress": progress, "title": {"fr": format!("titre {n}")}}});
                    log.state.apply(&meta, "action.revised", &body).unwrap();
                }
                2 => ids.push(log.run("MLI", None, Command::PlanAction(action(&area, &roadmap))).unwrap().unwrap()),
                3 => prop_assert_eq!(log.state.actions().to_vec(), fresh(&log.state)),
                4 => {
                    // As a store publishes: a copy reusing what the last copy parsed.
                    let mut copy = log.state.clone();
                    if let Some(p) = &published {
                        copy.reuse_parsed(p);
                    }
                    prop_assert_eq!(copy.actions().to_vec(), fresh(&copy));
                    published = Some(copy);
                }
                _ => {
                    // As a reader class's snapshot: a filtered copy reusing its previous one.
                    let keep = |id: &str, _: &crate::state::Entry| !id.ends_with(['1', '3', '5', '7', '9']);
                    let mut copy = published.as_ref().unwrap_or(&log.state).retain(keep);
                    if let Some(f) = &filtered {
                        copy.reuse_parsed(f);
                    }
                    prop_assert_eq!(copy.actions().to_vec(), fresh(&copy));
                    filtered = Some(copy);
                }
            }
        }
        prop_assert_eq!(log.state.actions().to_vec(), fresh(&log.state));
    }
}
