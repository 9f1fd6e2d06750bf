//! The procès-verbal (PV) of a session as PDF (issue 13 items 3 and 4): the two parties, place
//! and date (Gregorian, with the computed Hijri date beside it), `PV n° N/YYYY`, the numbered
//! agenda, the minutes of the edition's language, the decisions numbered (3.k) with their
//! references (`D-2025/1-2`, [`lajna_domain::reference`]), then lettered annexes — A the
//! participants (each party's recorded delegation with functions and attendance,
//! [`lajna_domain::attendance`]; a party that recorded none: its members, attendance blank),
//! B agenda, C the follow-up matrix of the actions whose `decision` names one of the session's
//! decisions (when none does: the actions of the roadmaps the session drafted, and the annex
//! says so), D the execution of session N−1's decisions (each decision, its actions' status and
//! progress) — and the two signature blocks (the recorded head of delegation, else the party's
//! co-chair: rank and name).
//!
//! Each language is its own original (`ar`, `fr`, `en`); `ar+fr` is a side-by-side edition.
//! Until both co-chairs endorsed the version of the minutes in force, every page carries a
//! "PROJET / مشروع / DRAFT" watermark; after, the footer carries that version (the minutes
//! version id) and the two endorsement event ids.
//!
//! **Determinism.** The same record gives the same bytes, on either party's node:
//! - an endorsed PV is laid out from the record *as of the agreement*: the fold of the causal
//!   past of the two endorsement events (every event they descend from, and nothing else), so a
//!   progress report made afterwards never changes the original (annexes C and D show the
//!   actions as they stood when the minutes were agreed); a draft is laid out from the whole
//!   current record;
//! - the PDF's date is the last endorsement's author time (a draft: the session's first day),
//!   never the clock; its document identifier is derived from the data laid out;
//! - the fonts are compiled into the binary; nothing reads the host.
//!
//! **Verification.** The PDF's keywords carry `lajna-pv session=<id> lang=<edition>
//! version=<minutes version> state=<agreed|draft>`; [`verify`] reads them back with a scan of
//! the bytes, regenerates the PV from the node's record and compares byte for byte.

use std::collections::{BTreeMap, BTreeSet};

use lajna_domain::attendance::{self, Attendance};
use lajna_domain::minutes::ENDORSEMENTS;
use lajna_domain::records::{Action, Decision, Member, Roadmap, Session};
use lajna_domain::reference::decision_references;
use lajna_domain::values::MemberRole;
use lajna_domain::{HijriDate, Lang, LocalizedText, RecordKind, State, adoption, minutes_status};
use lajna_door::Door;
use lajna_i18n::{Arg, Catalog};
use serde::Serialize;
use serde_json::Value;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

use crate::{PartyData, ReportError, show};

/// The PV's template, typst markup; everything it shows comes from `/data.json`.
const TEMPLATE: &str = include_str!("pv.typ");

/// The message keys the PV shows (`pv-*` in `locales/*/report.ftl`, the action statuses of
/// `main.ftl`, the Hijri months of `records.ftl`).
pub const PV_LABEL_KEYS: &[&str] = &[
    "pv-title",
    "pv-number",
    "pv-watermark",
    "pv-between",
    "pv-and",
    "pv-session",
    "pv-place",
    "pv-dates",
    "pv-agenda",
    "pv-no-agenda",
    "pv-minutes",
    "pv-no-minutes",
    "pv-draft-note",
    "pv-decisions",
    "pv-no-decisions",
    "pv-adopted",
    "pv-awaiting",
    "pv-annexes",
    "pv-annex",
    "pv-table",
    "pv-annex-a",
    "pv-annex-b",
    "pv-annex-c",
    "pv-annex-d",
    "pv-attendance-note",
    "pv-actions-note",
    "pv-previous-actions-note",
    "pv-previous-actions-linked-note",
    "pv-actions-linked-note",
    "pv-att-present",
    "pv-att-absent",
    "pv-att-represented",
    "pv-no-actions",
    "pv-previous",
    "pv-no-previous",
    "pv-col-name",
    "pv-col-rank",
    "pv-col-function",
    "pv-col-party",
    "pv-col-attendance",
    "pv-col-action",
    "pv-col-owner",
    "pv-col-unit",
    "pv-col-start",
    "pv-col-due",
    "pv-col-status",
    "pv-col-progress",
    "pv-col-decision",
    "pv-role-co-chair",
    "pv-role-secretary",
    "pv-role-expert",
    "pv-role-observer",
    "pv-signatures",
    "pv-for",
    "pv-head",
    "pv-footer-version",
    "pv-footer-endorsements",
    "pv-hijri-note",
    "status-planned",
    "status-in_progress",
    "status-done",
    "status-delayed",
    "status-blocked",
    "status-cancelled",
];

/// Which PV: one language, or Arabic and French side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edition {
    /// One language, its own original.
    One(Lang),
    /// Arabic and French side by side (`ar+fr`).
    ArFr,
}

impl Edition {
    /// Parses `ar`, `fr`, `en` or `ar+fr` (also `fr+ar`).
    ///
    /// # Errors
    /// [`ReportError::BadEdition`]-like: [`PvError::BadEdition`] naming the value.
    pub fn parse(s: &str) -> Result<Self, PvError> {
        match s.trim() {
            "ar+fr" | "fr+ar" | "ar fr" | "fr ar" => Ok(Edition::ArFr),
            other => Lang::parse(other).map(Edition::One).map_err(|_| PvError::BadEdition(s.to_string())),
        }
    }

    /// `ar`, `fr`, `en` or `ar+fr`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Edition::One(l) => l.code(),
            Edition::ArFr => "ar+fr",
        }
    }

    /// The languages laid out, in reading order of the columns (French left, Arabic right).
    #[must_use]
    pub fn langs(self) -> Vec<Lang> {
        match self {
            Edition::One(l) => vec![l],
            Edition::ArFr => vec![Lang::Fr, Lang::Ar],
        }
    }
}

/// Why a PV could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PvError {
    /// No session with that id.
    #[error("no session {0}")]
    UnknownSession(String),
    /// Not `ar`, `fr`, `en` or `ar+fr`.
    #[error("edition {0:?}: expected ar, fr, en or ar+fr")]
    BadEdition(String),
    /// As the periodic report (record, layout, PDF).
    #[error(transparent)]
    Report(#[from] ReportError),
}

fn record(e: impl std::fmt::Display) -> ReportError {
    ReportError::Record(e.to_string())
}

/// An endorsement of the minutes version in force, by one party.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endorsement {
    /// Party code.
    pub party: String,
    /// The endorsement event's id.
    pub event: String,
    /// Its author time (RFC 3339).
    pub at: String,
}

/// Everything [`render`] needs: the record (as of the agreement when agreed), the session, the
/// minutes version and its endorsements, and labels in each language of the edition.
#[derive(Clone, Debug)]
pub struct PvInput {
    /// The fold laid out: the causal past of the endorsements when agreed, else the record.
    pub state: State,
    /// Session id.
    pub session: String,
    /// Edition.
    pub edition: Edition,
    /// The minutes version in force (empty when there are no minutes).
    pub version: String,
    /// Both parties endorsed that version.
    pub agreed: bool,
    /// The first endorsement of that version by each party, in the charter's party order.
    pub endorsements: Vec<Endorsement>,
    /// Labels by language then key (Fluent isolation marks removed).
    pub labels: BTreeMap<&'static str, BTreeMap<String, String>>,
}

/// The stamp a PV carries in its keywords, read back by [`read_stamp`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PvStamp {
    /// Session id.
    pub session: String,
    /// Edition code.
    pub lang: String,
    /// Minutes version.
    pub version: String,
    /// `agreed` or `draft`.
    pub state: String,
}

impl PvInput {
    fn keywords(&self) -> String {
        format!(
            "lajna-pv session={} lang={} version={} state={}",
            self.session,
            self.edition.code(),
            if self.version.is_empty() { "-" } else { &self.version },
            if self.agreed { "agreed" } else { "draft" }
        )
    }
}

fn strip_isolates(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '\u{2066}'..='\u{2069}')).collect()
}

fn labels_of(catalog: &Catalog, lang: Lang) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> =
        PV_LABEL_KEYS.iter().map(|k| ((*k).to_string(), strip_isolates(&catalog.get(lang, k, &[])))).collect();
    for m in 1..=12 {
        let k = format!("rec-hijri-m{m}");
        out.insert(k.clone(), strip_isolates(&catalog.get(lang, &k, &[])));
    }
    out
}

/// The Hijri date of `date` in `lang` ("18 chaabane 1446 H"), with the catalogue's words.
fn hijri(catalog: &Catalog, lang: Lang, date: jiff::civil::Date) -> String {
    let Some(h) = HijriDate::from_gregorian(date) else { return String::new() };
    let month = catalog.get(lang, &format!("rec-hijri-m{}", h.month), &[]);
    strip_isolates(&catalog.get(
        lang,
        "rec-hijri-date",
        &[("day", Arg::Text(h.day.to_string())), ("month", Arg::Text(month)), ("year", Arg::Text(h.year.to_string()))],
    ))
}

fn parties_of(state: &State) -> Vec<String> {
    state.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect()).unwrap_or_default()
}

/// The first endorsement of `version` by each party (the one the minutes status counts).
fn endorsements_of(state: &State, session: &str, version: &str) -> Vec<Endorsement> {
    let Some(entry) = state.entry(session) else { return vec![] };
    let mut first: BTreeMap<String, Endorsement> = BTreeMap::new();
    for e in entry.sets.get(ENDORSEMENTS).into_iter().flat_map(BTreeMap::values) {
        let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        if s("version") == version {
            first.entry(s("party")).or_insert_with(|| Endorsement {
                party: s("party"),
                event: s("event"),
                at: s("at"),
            });
        }
    }
    parties_of(state).iter().filter_map(|p| first.remove(p)).collect()
}

/// The record as of the agreement: the fold of the shared events that `tips` descend from
/// (themselves included), in the log's order.
async fn state_as_of(node: &dyn Door, tips: &[String]) -> Result<State, ReportError> {
    let events = node.shared_log().await.map_err(record)?;
    let index: BTreeMap<&str, usize> = events.iter().enumerate().map(|(i, e)| (e.meta.id.as_str(), i)).collect();
    let mut keep = BTreeSet::new();
    let mut todo: Vec<&str> = tips.iter().map(String::as_str).collect();
    while let Some(id) = todo.pop() {
        let Some(&i) = index.get(id) else { return Err(record(format!("event {id} is not in the shared log"))) };
        if keep.insert(i) {
            todo.extend(events[i].parents.iter().map(String::as_str));
        }
    }
    Ok(lajna_door::history::fold(keep.into_iter().map(|i| &events[i])))
}

/// Gathers the PV of `session` in `edition` from `node`.
///
/// # Errors
/// [`PvError::UnknownSession`]; [`ReportError::Record`] when the store fails.
pub async fn gather(node: &dyn Door, catalog: &Catalog, session: &str, edition: Edition) -> Result<PvInput, PvError> {
    // Every shared record, whoever asks: both parties' PVs must be the same bytes.
    let state = State::clone(&*node.read_all().await);
    if state.charter().is_none() {
        return Err(ReportError::NoCommittee.into());
    }
    let entry = state.require(RecordKind::Session, session).map_err(|_| PvError::UnknownSession(session.into()))?;
    let status = minutes_status(entry, &parties_of(&state));
    let version = status.effective().map(|(v, _)| v.to_string()).unwrap_or_default();
    let endorsements = endorsements_of(&state, session, &version);
    let agreed = status.locked() && endorsements.len() == 2;
    let state = if agreed {
        let tips: Vec<String> = endorsements.iter().map(|e| e.event.clone()).collect();
        state_as_of(node, &tips).await?
    } else {
        state
    };
    let labels = edition.langs().into_iter().map(|l| (l.code(), labels_of(catalog, l))).collect();
    Ok(PvInput { state, session: session.into(), edition, version, agreed, endorsements, labels })
}

// ---------------------------------------------------------------------------------------------
// The data typst reads

#[derive(Serialize)]
struct Data {
    edition: String,
    keywords: String,
    draft: bool,
    watermark: String,
    eds: Vec<Ed>,
}

#[derive(Serialize)]
struct Ed {
    lang: &'static str,
    rtl: bool,
    l: BTreeMap<String, String>,
    committee: String,
    number: String,
    title: String,
    parties: Vec<PartyData>,
    place: String,
    start: String,
    end: String,
    hijri: String,
    agenda: Vec<Numbered>,
    minutes: Vec<String>,
    decisions: Vec<DecisionData>,
    participants: Vec<Participant>,
    attendance_recorded: bool,
    matrix: Vec<ActionRow>,
    matrix_linked: bool,
    previous: Option<Previous>,
    signatures: Vec<Signature>,
    version: String,
    footer: Vec<Endorsed>,
}

#[derive(Serialize)]
struct Endorsed {
    party: String,
    event: String,
}

#[derive(Serialize)]
struct Numbered {
    n: String,
    text: String,
}

#[derive(Serialize)]
struct DecisionData {
    n: String,
    reference: String,
    text: String,
    adopted: bool,
    awaiting: String,
}

#[derive(Serialize)]
struct Participant {
    name: String,
    rank: String,
    function: String,
    party: String,
    attendance: String,
}

#[derive(Serialize)]
struct ActionRow {
    decision: String,
    title: String,
    owner: String,
    unit: String,
    start: String,
    due: String,
    status: String,
    progress: u8,
}

#[derive(Serialize)]
struct Previous {
    number: i64,
    title: String,
    decisions: Vec<DecisionData>,
    actions: Vec<ActionRow>,
    linked: bool,
}

#[derive(Serialize)]
struct Signature {
    party: String,
    name: String,
    rank: String,
}

fn created(state: &State, id: &str) -> Option<lajna_domain::state::Stamp> {
    state.entry(id).and_then(|e| e.created.as_ref()).map(|(s, _)| s.clone())
}

/// Records of `kind` in creation order (Lamport clock, then id): the same on every node.
fn in_order<T: serde::de::DeserializeOwned>(state: &State, kind: RecordKind) -> Vec<(String, T)> {
    let mut all = state.all::<T>(kind);
    all.sort_by_cached_key(|(id, _)| created(state, id));
    all
}

fn role_key(role: MemberRole) -> String {
    format!("pv-role-{}", role.code())
}

fn label(l: &BTreeMap<String, String>, key: &str) -> String {
    l.get(key).cloned().unwrap_or_else(|| key.to_string())
}

struct Ctx<'a> {
    state: &'a State,
    lang: Lang,
    l: &'a BTreeMap<String, String>,
    parties: Vec<String>,
    references: BTreeMap<String, String>,
}

impl Ctx<'_> {
    fn t(&self, t: &LocalizedText) -> String {
        show(t, self.lang)
    }

    fn status(&self, a: &Action) -> String {
        label(self.l, &format!("status-{}", a.status.code()))
    }

    fn action_row(&self, a: &Action) -> ActionRow {
        ActionRow {
            decision: a.decision.as_ref().and_then(|d| self.references.get(d)).cloned().unwrap_or_default(),
            title: self.t(&a.title),
            owner: a.owner.to_string(),
            unit: self.t(&a.unit),
            start: a.start.to_string(),
            due: a.due.to_string(),
            status: self.status(a),
            progress: a.progress.percent(),
        }
    }

    /// The actions decided at `session`: those whose `decision` names one of its decisions
    /// (`true`); when none does (a record from before actions named decisions), those of the
    /// roadmaps that session drafted (`false`). By start, due date, id.
    fn actions_of(&self, session: &str) -> (Vec<ActionRow>, bool) {
        let decisions: BTreeSet<String> = self
            .state
            .all::<Decision>(RecordKind::Decision)
            .into_iter()
            .filter(|(_, d)| d.session == session)
            .map(|(id, _)| id)
            .collect();
        let mut linked: Vec<(String, Action)> = self
            .state
            .all::<Action>(RecordKind::Action)
            .into_iter()
            .filter(|(_, a)| a.decision.as_ref().is_some_and(|d| decisions.contains(d)))
            .collect();
        if !linked.is_empty() {
            linked.sort_by(|(ia, a), (ib, b)| a.start.cmp(&b.start).then(a.due.cmp(&b.due)).then_with(|| ia.cmp(ib)));
            return (linked.iter().map(|(_, a)| self.action_row(a)).collect(), true);
        }
        let roadmaps: BTreeSet<String> = self
            .state
            .all::<Roadmap>(RecordKind::Roadmap)
            .into_iter()
            .filter(|(_, r)| r.session.as_deref() == Some(session))
            .map(|(id, _)| id)
            .collect();
        let mut actions: Vec<(String, Action)> = self
            .state
            .all::<Action>(RecordKind::Action)
            .into_iter()
            .filter(|(_, a)| roadmaps.contains(&a.roadmap))
            .collect();
        actions.sort_by(|(ia, a), (ib, b)| a.start.cmp(&b.start).then(a.due.cmp(&b.due)).then_with(|| ia.cmp(ib)));
        (actions.iter().map(|(_, a)| self.action_row(a)).collect(), false)
    }

    fn decisions_of(&self, session: &str, section: Option<&str>) -> Vec<DecisionData> {
        in_order::<Decision>(self.state, RecordKind::Decision)
            .into_iter()
            .filter(|(_, d)| d.session == session)
            .enumerate()
            .map(|(k, (id, d))| {
                let a = self.state.entry(&id).map(|e| adoption(&e.doc(&id), &self.parties));
                DecisionData {
                    n: section.map_or_else(|| (k + 1).to_string(), |s| format!("{s}.{}", k + 1)),
                    reference: self.references.get(&id).cloned().unwrap_or_default(),
                    text: self.t(&d.text),
                    adopted: a.as_ref().is_some_and(|a| a.adopted),
                    awaiting: a.map(|a| a.awaiting.join(", ")).unwrap_or_default(),
                }
            })
            .collect()
    }
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split('\n').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
}

fn edition_data(input: &PvInput, catalog: Option<&Catalog>, lang: Lang, session: &Session) -> Ed {
    let state = &input.state;
    let empty = BTreeMap::new();
    let l = input.labels.get(lang.code()).unwrap_or(&empty);
    let cx = Ctx { state, lang, l, parties: parties_of(state), references: decision_references(state) };
    let charter = state.charter();
    let year = session.start.year().to_string();
    let number = format!("{}/{year}", session.number);
    let parties: Vec<PartyData> = charter
        .map(|c| {
            c.parties
                .iter()
                .map(|p| PartyData { code: p.code.to_string(), name: cx.t(&p.name), forces: cx.t(&p.forces) })
                .collect()
        })
        .unwrap_or_default();
    let party_name = |code: &str| parties.iter().find(|p| p.code == code).map(|p| p.name.clone()).unwrap_or_default();

    let minutes_text = state.entry(&input.session).and_then(|e| {
        minutes_status(e, &cx.parties)
            .effective()
            .and_then(|(_, t)| t.get(lang).or_else(|| Some(t.best(lang).1)).map(String::from))
    });

    let members = in_order::<Member>(state, RecordKind::Member);
    let member = |id: &str| members.iter().find(|(m, _)| m == id).map(|(_, m)| m);
    let name_of = |id: &str| member(id).map(|m| cx.t(&m.name)).unwrap_or_else(|| id.to_string());
    let delegations = attendance::delegations(state, &input.session);
    let mut participants = Vec::new();
    for p in &cx.parties {
        // The delegation the party recorded for the session: function and attendance of each.
        if let Some(dl) = delegations.iter().find(|d| &d.party == p) {
            for e in &dl.entries {
                let m = member(&e.member);
                let role = m.map(|m| label(l, &role_key(m.role))).unwrap_or_default();
                participants.push(Participant {
                    name: name_of(&e.member),
                    rank: m.and_then(|m| m.rank.as_ref()).map(|r| cx.t(r)).unwrap_or_default(),
                    function: match (&e.function, e.head) {
                        (Some(f), true) => format!("{} — {}", label(l, "pv-head"), cx.t(f)),
                        (Some(f), false) => cx.t(f),
                        (None, true) => label(l, "pv-head"),
                        (None, false) => role,
                    },
                    party: party_name(p),
                    attendance: match e.attendance {
                        Attendance::Present => label(l, "pv-att-present"),
                        Attendance::Absent => label(l, "pv-att-absent"),
                        Attendance::Represented => format!(
                            "{} {}",
                            label(l, "pv-att-represented"),
                            e.represented_by.as_deref().map(name_of).unwrap_or_default()
                        ),
                    },
                });
            }
            continue;
        }
        // No delegation recorded: the party's members, attendance left blank.
        for role in MemberRole::ALL {
            for (_, m) in members.iter().filter(|(_, m)| m.party.as_str() == p && m.role == *role) {
                participants.push(Participant {
                    name: cx.t(&m.name),
                    rank: m.rank.as_ref().map(|r| cx.t(r)).unwrap_or_default(),
                    function: label(l, &role_key(*role)),
                    party: party_name(p),
                    attendance: String::new(),
                });
            }
        }
    }
    let signatures = cx
        .parties
        .iter()
        .map(|p| {
            // The head of the delegation recorded for the session, else the party's co-chair.
            let recorded = delegations
                .iter()
                .find(|d| &d.party == p)
                .and_then(|d| d.head())
                .and_then(|h| members.iter().find(|(id, _)| *id == h.member));
            let head = recorded
                .or_else(|| members.iter().find(|(_, m)| m.party.as_str() == p && m.role == MemberRole::CoChair));
            Signature {
                party: party_name(p),
                name: head.map(|(_, m)| cx.t(&m.name)).unwrap_or_default(),
                rank: head.and_then(|(_, m)| m.rank.as_ref()).map(|r| cx.t(r)).unwrap_or_default(),
            }
        })
        .collect();

    let previous =
        in_order::<Session>(state, RecordKind::Session).into_iter().find(|(_, s)| s.number == session.number - 1);
    let previous = previous.map(|(id, s)| {
        let (actions, linked) = cx.actions_of(&id);
        Previous { number: s.number, title: cx.t(&s.title), decisions: cx.decisions_of(&id, None), actions, linked }
    });
    let (matrix, matrix_linked) = cx.actions_of(&input.session);

    let footer = if input.agreed {
        input.endorsements.iter().map(|e| Endorsed { party: e.party.clone(), event: e.event.clone() }).collect()
    } else {
        vec![]
    };
    let hijri_of = |d| catalog.map(|c| hijri(c, lang, d)).unwrap_or_default();
    let hijri = if session.start == session.end {
        hijri_of(session.start)
    } else {
        format!("{} – {}", hijri_of(session.start), hijri_of(session.end))
    };
    Ed {
        lang: lang.code(),
        rtl: lang == Lang::Ar,
        l: l.iter().map(|(k, v)| (k.replace('-', "_"), v.clone())).collect(),
        committee: charter.map(|c| cx.t(&c.name)).unwrap_or_default(),
        number,
        title: cx.t(&session.title),
        place: format!("{}, {}", cx.t(&session.venue.name), cx.t(&session.venue.city)),
        start: session.start.to_string(),
        end: session.end.to_string(),
        hijri,
        agenda: session
            .agenda
            .iter()
            .enumerate()
            .map(|(i, a)| Numbered { n: format!("1.{}", i + 1), text: cx.t(a) })
            .collect(),
        minutes: minutes_text.as_deref().map(paragraphs).unwrap_or_default(),
        decisions: cx.decisions_of(&input.session, Some("3")),
        attendance_recorded: delegations.len() == cx.parties.len(),
        participants,
        matrix,
        matrix_linked,
        previous,
        signatures,
        version: input.version.clone(),
        footer,
        parties,
    }
}

fn data(input: &PvInput, catalog: Option<&Catalog>) -> Result<Data, PvError> {
    let session: Session = input
        .state
        .get(RecordKind::Session, &input.session)
        .ok_or_else(|| PvError::UnknownSession(input.session.clone()))?;
    let eds: Vec<Ed> = input.edition.langs().into_iter().map(|l| edition_data(input, catalog, l, &session)).collect();
    let watermark = eds.iter().rev().map(|e| e.l.get("pv_watermark").cloned().unwrap_or_default()).collect::<Vec<_>>();
    Ok(Data {
        edition: input.edition.code().into(),
        keywords: input.keywords(),
        draft: !input.agreed,
        watermark: watermark.join(" / "),
        eds,
    })
}

/// The PDF's creation date: the last endorsement's author time, else the session's first day.
fn timestamp(input: &PvInput, session_start: jiff::civil::Date) -> Option<typst_pdf::Timestamp> {
    let at = input.endorsements.iter().filter_map(|e| e.at.parse::<jiff::Timestamp>().ok()).max();
    let dt = match at {
        Some(t) if input.agreed => t.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime(),
        _ => session_start.to_datetime(jiff::civil::Time::midnight()),
    };
    let n = |x: i8| u8::try_from(x).unwrap_or_default();
    Datetime::from_ymd_hms(
        i32::from(dt.year()),
        n(dt.month()),
        n(dt.day()),
        n(dt.hour()),
        n(dt.minute()),
        n(dt.second()),
    )
    .map(typst_pdf::Timestamp::new_utc)
}

/// The PV's data as typst reads it (`/data.json`), for tests and debugging; Hijri dates need
/// the catalogue and are left empty.
///
/// # Errors
/// [`PvError::UnknownSession`] when the input's state lacks the session.
pub fn data_json(input: &PvInput) -> Result<Value, PvError> {
    Ok(serde_json::to_value(data(input, None)?).map_err(ReportError::from)?)
}

/// Renders the PV as PDF bytes.
///
/// # Errors
/// [`PvError::UnknownSession`]; [`ReportError::Layout`] or [`ReportError::Pdf`] (defects).
pub fn render(input: &PvInput, catalog: &Catalog) -> Result<Vec<u8>, PvError> {
    let data = data(input, Some(catalog))?;
    let json = serde_json::to_vec(&data).map_err(ReportError::from)?;
    let start = input
        .state
        .get::<Session>(RecordKind::Session, &input.session)
        .map_or(jiff::civil::date(2000, 1, 1), |s| s.start);
    let world = crate::world::ReportWorld::with_template(TEMPLATE, vec![("/data.json".into(), json.clone())]);
    let result = typst::compile::<PagedDocument>(&world).output;
    typst::comemo::evict(10);
    let document = result.map_err(|errors| {
        ReportError::Layout(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })?;
    // The identifier is derived from the content laid out (typst hashes it).
    let ident = format!("{}\n{}", data.keywords, String::from_utf8_lossy(&json));
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident),
        creator: Smart::Custom(Some("Lajna".into())),
        timestamp: timestamp(input, start),
        ..Default::default()
    };
    Ok(typst_pdf::pdf(&document, &options).map_err(|errors| {
        ReportError::Pdf(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })?)
}

/// Gathers and renders the PV of `session` in `edition`: the bytes and what they are.
///
/// # Errors
/// As [`gather`] and [`render`].
pub async fn generate(
    node: &dyn Door,
    catalog: &Catalog,
    session: &str,
    edition: Edition,
) -> Result<(Vec<u8>, PvStamp), PvError> {
    let input = gather(node, catalog, session, edition).await?;
    let stamp = PvStamp {
        session: input.session.clone(),
        lang: edition.code().into(),
        version: input.version.clone(),
        state: if input.agreed { "agreed" } else { "draft" }.into(),
    };
    // Layout is CPU work; callers on an async runtime may move it off the workers.
    let pdf = render(&input, catalog)?;
    Ok((pdf, stamp))
}

/// The stamp a PV carries in its keywords (`lajna-pv session=… lang=… version=… state=…`), read
/// with a scan of the bytes (the document information dictionary and the XMP metadata hold
/// it as plain ASCII); `None` when the file carries none.
#[must_use]
pub fn read_stamp(pdf: &[u8]) -> Option<PvStamp> {
    const TAG: &[u8] = b"lajna-pv session=";
    let at = pdf.windows(TAG.len()).position(|w| w == TAG)?;
    let rest = &pdf[at..];
    let end = rest.iter().position(|b| !(b.is_ascii_alphanumeric() || b" =+-_".contains(b))).unwrap_or(rest.len());
    let text = std::str::from_utf8(&rest[..end]).ok()?;
    let mut fields: BTreeMap<&str, &str> = BTreeMap::new();
    for token in text.split_whitespace().skip(1) {
        let (k, v) = token.split_once('=')?;
        fields.insert(k, v);
    }
    let field = |k: &str| fields.get(k).map(|v| (*v).to_string());
    Some(PvStamp {
        session: field("session")?,
        lang: field("lang")?,
        version: field("version").filter(|v| v != "-").unwrap_or_default(),
        state: field("state")?,
    })
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Byte for byte the PV this node generates from its record: the endorsed original.
    Original(PvStamp),
    /// The file carries no Lajna PV stamp.
    NotAPv,
    /// The file names a session this node does not know.
    UnknownSession(String),
    /// The file is the PV of another session than the one expected.
    WrongSession {
        /// The session expected.
        expected: String,
        /// The session the file names.
        found: String,
    },
    /// The file names an edition that is not `ar`, `fr`, `en` or `ar+fr`.
    BadEdition(String),
    /// A draft: the file was generated before both co-chairs endorsed (`file_draft`), or the
    /// record holds no minutes version endorsed by both.
    NotEndorsed {
        /// The file says it is a draft.
        file_draft: bool,
    },
    /// The file was generated from another minutes version than the one in force.
    OtherVersion {
        /// The version the file names.
        file: String,
        /// The version in force in the record.
        record: String,
    },
    /// The file differs from the original: the first differing byte.
    Altered {
        /// Offset of the first byte that differs (or where the shorter one ends).
        offset: usize,
        /// Size of the file.
        file_len: usize,
        /// Size of the original.
        original_len: usize,
    },
}

impl Verdict {
    /// Whether the file is exactly the endorsed original.
    #[must_use]
    pub fn ok(&self) -> bool {
        matches!(self, Verdict::Original(_))
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Original(s) => write!(
                f,
                "original: the endorsed PV of session {} ({}), minutes version {}",
                s.session, s.lang, s.version
            ),
            Verdict::NotAPv => write!(f, "not a Lajna PV: the file carries no `lajna-pv` stamp"),
            Verdict::UnknownSession(s) => write!(f, "wrong session: this record holds no session {s}"),
            Verdict::WrongSession { expected, found } => {
                write!(f, "wrong session: the file is the PV of session {found}, not of {expected}")
            }
            Verdict::BadEdition(e) => write!(f, "not a Lajna PV: unknown edition {e:?}"),
            Verdict::NotEndorsed { file_draft: true } => {
                write!(f, "not endorsed: the file is a draft (PROJET), made before both co-chairs endorsed")
            }
            Verdict::NotEndorsed { file_draft: false } => {
                write!(f, "not endorsed: the record holds no minutes version endorsed by both co-chairs")
            }
            Verdict::OtherVersion { file, record } => {
                write!(f, "generated from another version: the file has minutes version {file}, the record {record}")
            }
            Verdict::Altered { offset, file_len, original_len } => write!(
                f,
                "altered: first difference at byte {offset} (file {file_len} bytes, original {original_len} bytes)"
            ),
        }
    }
}

/// Checks `pdf` against the PV this node generates for the session and edition the file names
/// (and, when `expected` is given, that it is that session's PV).
///
/// # Errors
/// [`PvError::Report`] when the record cannot be read or the PV not laid out.
pub async fn verify(
    node: &dyn Door,
    catalog: &Catalog,
    pdf: &[u8],
    expected: Option<&str>,
) -> Result<Verdict, PvError> {
    let Some(stamp) = read_stamp(pdf) else { return Ok(Verdict::NotAPv) };
    if let Some(expected) = expected
        && expected != stamp.session
    {
        return Ok(Verdict::WrongSession { expected: expected.into(), found: stamp.session });
    }
    let Ok(edition) = Edition::parse(&stamp.lang) else { return Ok(Verdict::BadEdition(stamp.lang)) };
    let input = match gather(node, catalog, &stamp.session, edition).await {
        Ok(i) => i,
        Err(PvError::UnknownSession(s)) => return Ok(Verdict::UnknownSession(s)),
        Err(e) => return Err(e),
    };
    if stamp.state != "agreed" {
        return Ok(Verdict::NotEndorsed { file_draft: true });
    }
    if !input.agreed {
        return Ok(Verdict::NotEndorsed { file_draft: false });
    }
    if stamp.version != input.version {
        return Ok(Verdict::OtherVersion { file: stamp.version, record: input.version });
    }
    let original = render(&input, catalog)?;
    if original == pdf {
        return Ok(Verdict::Original(stamp));
    }
    let offset = original.iter().zip(pdf).position(|(a, b)| a != b).unwrap_or(original.len().min(pdf.len()));
    Ok(Verdict::Altered { offset, file_len: pdf.len(), original_len: original.len() })
}
