//! Read models of the sessions pages (moved from the web layer).

use super::{Column, Day, LinkRow, columns, day, opt_txt, parties, party_name, txt};
use crate::{ActionRow, Txt, action_row};
use jiff::civil::Date;
use lajna_domain::minutes::{MINUTES, minutes_status};
use lajna_domain::records::{Action, Area, Decision, Mission, Roadmap, Session};
use lajna_domain::state::State as Fold;
use lajna_domain::{Command, Lang, RecordKind, adoption, parity};
use lajna_door::auth::{Role, User, authorize};
use lajna_i18n::Tr;
use serde_json::Map;

/// One session in the list.
#[derive(Clone, Debug)]
pub struct SessionRow {
    /// Id.
    pub id: String,
    /// Number.
    pub number: i64,
    /// Title.
    pub title: Txt,
    /// Host party code.
    pub host: String,
    /// City.
    pub city: Txt,
    /// First day.
    pub start: Day,
    /// Last day.
    pub end: Day,
    /// Message key of the minutes' state.
    pub minutes: &'static str,
    /// Example data.
    pub illustrative: bool,
}

/// A language to review, with a confirm button.
#[derive(Clone, Debug)]
pub struct Review {
    /// Language code.
    pub lang: &'static str,
    /// Message key of its name.
    pub name_key: String,
}

/// An amendment of locked minutes.
#[derive(Clone, Debug)]
pub struct AmendmentView {
    /// Id (its version).
    pub id: String,
    /// Proposing party.
    pub party: String,
    /// When proposed (UTC, informational).
    pub at: String,
    /// Its text, Arabic and French (and English when present).
    pub columns: Vec<Column>,
    /// Parties that endorsed it.
    pub endorsed_by: String,
    /// Parties still to endorse it.
    pub awaiting: String,
    /// Both endorsed it.
    pub adopted: bool,
    /// A newer amendment was adopted first.
    pub superseded: bool,
    /// It is the text in force.
    pub in_force: bool,
    /// The viewer may endorse it.
    pub can_endorse: bool,
}

/// The minutes block of the session page.
#[derive(Clone, Debug)]
pub struct MinutesView {
    /// There is a text.
    pub has_text: bool,
    /// Message key of the state: none, draft, agreed.
    pub state_key: &'static str,
    /// Agreed, hence locked.
    pub locked: bool,
    /// Version of the text in force.
    pub version: String,
    /// Version of the draft (what an endorsement names).
    pub draft_version: String,
    /// The text in force: Arabic and French (and English when present).
    pub columns: Vec<Column>,
    /// Parties that endorsed the draft.
    pub endorsed_by: String,
    /// Parties still to endorse the draft.
    pub awaiting: String,
    /// The viewer may endorse the draft.
    pub can_endorse: bool,
    /// Languages to review (draft only).
    pub review: Vec<Review>,
    /// Amendments, oldest first.
    pub amendments: Vec<AmendmentView>,
}

/// A decision with its endorsement state.
#[derive(Clone, Debug)]
pub struct DecisionRow {
    /// Id.
    pub id: String,
    /// Reference, `D-{year}/{session}-{k}` ([`lajna_domain::reference::decision_reference`]).
    pub reference: String,
    /// Its text in the page's language (or the nearest one).
    pub text: Txt,
    /// Its text in every language it has.
    pub columns: Vec<Column>,
    /// Area.
    pub area: Txt,
    /// Adopted by both parties.
    pub adopted: bool,
    /// Number of the session that took it.
    pub session_number: i64,
    /// First day of that session: the decision's formal date range starts here.
    pub session_start: Day,
    /// Last day of that session.
    pub session_end: Day,
    /// Parties that endorsed the current version.
    pub endorsed_by: String,
    /// The endorsements of the current version made under a signature delegation, in words:
    /// the delegate, P.O., for the co-chair (issue 16 item 4).
    pub signed_for: Vec<String>,
    /// Parties still to endorse it.
    pub awaiting: String,
    /// The viewer may endorse it.
    pub can_endorse: bool,
    /// Languages to review.
    pub review: Vec<Review>,
    /// Example data.
    pub illustrative: bool,
}

/// A roadmap drafted by the previous session, with its actions.
#[derive(Clone, Debug)]
pub struct ExecRoadmap {
    /// Title.
    pub title: Txt,
    /// Adopted by both parties.
    pub adopted: bool,
    /// Parties still to endorse it.
    pub awaiting: String,
    /// Actions, by due date.
    pub actions: Vec<ActionRow>,
    /// Example data.
    pub illustrative: bool,
}

/// The état d'exécution: what the previous session decided and planned, and where it stands.
#[derive(Clone, Debug)]
pub struct Execution {
    /// Previous session's id.
    pub id: String,
    /// Its number.
    pub number: i64,
    /// Its title.
    pub title: Txt,
    /// Its decisions.
    pub decisions: Vec<DecisionRow>,
    /// Its roadmaps.
    pub roadmaps: Vec<ExecRoadmap>,
    /// Reference date of "overdue".
    pub reference_date: String,
}

/// Everything the session page shows.
#[derive(Clone, Debug)]
pub struct SessionView {
    /// Id.
    pub id: String,
    /// Number.
    pub number: i64,
    /// Title.
    pub title: Txt,
    /// Host party code.
    pub host: String,
    /// Its name.
    pub host_name: Txt,
    /// Venue.
    pub venue: Txt,
    /// City.
    pub city: Txt,
    /// Zone.
    pub zone: String,
    /// Opening time, venue-local (`HH:MM`), and the same instant in UTC; empty when not set.
    pub opening: (String, String),
    /// First day.
    pub start: Day,
    /// Last day.
    pub end: Day,
    /// Agenda.
    pub agenda: Vec<Txt>,
    /// Working groups and the areas they cover.
    pub groups: Vec<(Txt, Vec<Txt>)>,
    /// Expected outcome.
    pub outcome: Txt,
    /// Mission during which it met.
    pub mission: Option<LinkRow>,
    /// Minutes.
    pub minutes: MinutesView,
    /// Decisions.
    pub decisions: Vec<DecisionRow>,
    /// État d'exécution of the previous session (sessions after the first).
    pub execution: Option<Execution>,
    /// Each party's delegation and attendance.
    pub attendance: super::attendance::AttendanceView,
    /// The viewer may edit the minutes, amend them and confirm translations.
    pub can_edit: bool,
    /// Example data.
    pub illustrative: bool,
}

pub(crate) fn reviews(langs: &[Lang]) -> Vec<Review> {
    langs.iter().map(|l| Review { lang: l.code(), name_key: format!("rec-lang-{}", l.code()) }).collect()
}

/// The viewer, when a co-chair linked to a member record (the only users who endorse).
pub(crate) fn co_chair(user: Option<&User>) -> Option<&User> {
    user.filter(|u| u.role == Role::CoChair && u.member.is_some())
}

/// A co-chair, or a member holding a signature delegation not withdrawn (whether it covers
/// today is for the confirmation page to say).
fn co_chair_or_delegate<'a>(s: &Fold, user: Option<&'a User>) -> Option<&'a User> {
    co_chair(user).or_else(|| {
        let (u, member) = user.and_then(|u| Some((u, u.member.as_deref()?)))?;
        let held = lajna_domain::signature::delegations(s, u.party.as_str());
        held.iter().any(|d| d.delegate == member && !d.withdrawn).then_some(u)
    })
}

pub(crate) fn minutes_key(s: &Fold, id: &str) -> &'static str {
    let Some(entry) = s.entry(id) else { return "rec-minutes-none" };
    let st = minutes_status(entry, &parties(s));
    if st.locked() {
        "rec-minutes-agreed"
    } else if st.draft.is_some() {
        "rec-minutes-draft"
    } else {
        "rec-minutes-none"
    }
}

/// Every session of `s`, by number, in `tr`'s language.
#[must_use]
pub fn session_rows(s: &Fold, tr: Tr<'_>) -> Vec<SessionRow> {
    let mut rows: Vec<SessionRow> = s
        .all::<Session>(RecordKind::Session)
        .into_iter()
        .map(|(id, x)| SessionRow {
            minutes: minutes_key(s, &id),
            id,
            number: x.number,
            title: txt(&x.title, tr.lang),
            host: x.host.to_string(),
            city: txt(&x.venue.city, tr.lang),
            start: day(tr, x.start),
            end: day(tr, x.end),
            illustrative: x.illustrative,
        })
        .collect();
    rows.sort_by_key(|r| r.number);
    rows
}

pub(crate) fn decision_row(
    s: &Fold,
    tr: Tr<'_>,
    id: &str,
    d: &Decision,
    viewer: Option<&User>,
    buttons: bool,
) -> DecisionRow {
    let lang = tr.lang;
    let entry = s.entry(id);
    let doc = entry.map(|e| e.doc(id)).unwrap_or_default();
    let a = adoption(&doc, &parties(s));
    let review = entry.map(|e| parity::to_review(e, "text")).unwrap_or_default();
    let session = s.get::<Session>(RecordKind::Session, &d.session);
    let session = session.as_ref();
    let can_endorse = buttons
        && review.is_empty()
        && co_chair_or_delegate(s, viewer).is_some_and(|u| !a.endorsed_by.iter().any(|p| p == u.party.as_str()));
    DecisionRow {
        id: id.to_string(),
        reference: lajna_domain::reference::decision_reference(s, id).unwrap_or_default(),
        text: txt(&d.text, lang),
        columns: columns(Some(&d.text), false),
        area: d
            .area
            .as_ref()
            .and_then(|a| s.get::<Area>(RecordKind::Area, a))
            .map(|a| txt(&a.title, lang))
            .unwrap_or_default(),
        session_number: session.map_or(0, |x| x.number),
        session_start: session.map(|x| day(tr, x.start)).unwrap_or_default(),
        session_end: session.map(|x| day(tr, x.end)).unwrap_or_default(),
        adopted: a.adopted,
        endorsed_by: a.endorsed_by.join(", "),
        signed_for: super::endorse::signed_for(s, tr, &doc, &a.version),
        awaiting: a.awaiting.join(", "),
        can_endorse,
        review: if buttons { reviews(&review) } else { vec![] },
        illustrative: d.illustrative,
    }
}

pub(crate) fn decisions_of(
    s: &Fold,
    tr: Tr<'_>,
    session: &str,
    viewer: Option<&User>,
    buttons: bool,
) -> Vec<DecisionRow> {
    s.all::<Decision>(RecordKind::Decision)
        .into_iter()
        .filter(|(_, d)| d.session == session)
        .map(|(id, d)| decision_row(s, tr, &id, &d, viewer, buttons))
        .collect()
}

pub(crate) fn minutes_view(s: &Fold, id: &str, viewer: Option<&User>) -> MinutesView {
    let Some(entry) = s.entry(id) else {
        return MinutesView {
            has_text: false,
            state_key: "rec-minutes-none",
            locked: false,
            version: String::new(),
            draft_version: String::new(),
            columns: columns(None, true),
            endorsed_by: String::new(),
            awaiting: String::new(),
            can_endorse: false,
            review: vec![],
            amendments: vec![],
        };
    };
    let st = minutes_status(entry, &parties(s));
    let locked = st.locked();
    let effective = st.effective();
    let review = if locked { vec![] } else { parity::to_review(entry, MINUTES) };
    let chair = co_chair(viewer);
    let draft = st.draft.as_ref();
    let in_force = effective.map(|(v, _)| v.to_string()).unwrap_or_default();
    let amendments = st
        .amendments
        .iter()
        .map(|a| AmendmentView {
            id: a.id.clone(),
            party: a.party.clone(),
            at: a.at.clone(),
            columns: columns(Some(&a.text), true),
            endorsed_by: a.endorsed_by.join(", "),
            awaiting: a.awaiting.join(", "),
            adopted: a.adopted,
            superseded: a.superseded,
            in_force: a.id == in_force,
            can_endorse: !a.adopted
                && !a.superseded
                && chair.is_some_and(|u| !a.endorsed_by.iter().any(|p| p == u.party.as_str())),
        })
        .collect();
    MinutesView {
        has_text: effective.is_some(),
        state_key: if locked {
            "rec-minutes-agreed"
        } else if draft.is_some() {
            "rec-minutes-draft"
        } else {
            "rec-minutes-none"
        },
        locked,
        version: in_force,
        draft_version: draft.map(|d| d.version.clone()).unwrap_or_default(),
        columns: columns(effective.map(|(_, t)| t), true),
        endorsed_by: draft.map(|d| d.endorsed_by.join(", ")).unwrap_or_default(),
        awaiting: draft.map(|d| d.awaiting.join(", ")).unwrap_or_default(),
        can_endorse: !locked
            && review.is_empty()
            && draft.is_some_and(|d| chair.is_some_and(|u| !d.endorsed_by.iter().any(|p| p == u.party.as_str()))),
        review: reviews(&review),
        amendments,
    }
}

pub(crate) fn execution(s: &Fold, tr: Tr<'_>, number: i64, today: Date) -> Option<Execution> {
    let lang = tr.lang;
    let (prev_id, prev) = s.all::<Session>(RecordKind::Session).into_iter().find(|(_, x)| x.number == number - 1)?;
    let parties = parties(s);
    let actions = s.all::<Action>(RecordKind::Action);
    let roadmaps = s
        .all::<Roadmap>(RecordKind::Roadmap)
        .into_iter()
        .filter(|(_, r)| r.session.as_deref() == Some(prev_id.as_str()))
        .map(|(rid, r)| {
            let a = s.entry(&rid).map(|e| adoption(&e.doc(&rid), &parties));
            let mut rows: Vec<ActionRow> = actions
                .iter()
                .filter(|(_, x)| x.roadmap == rid)
                .map(|(aid, x)| action_row(aid, x, lang, today))
                .collect();
            rows.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
            ExecRoadmap {
                title: txt(&r.title, lang),
                adopted: a.as_ref().is_some_and(|a| a.adopted),
                awaiting: a.map(|a| a.awaiting.join(", ")).unwrap_or_default(),
                actions: rows,
                illustrative: r.illustrative,
            }
        })
        .collect();
    Some(Execution {
        decisions: decisions_of(s, tr, &prev_id, None, false),
        id: prev_id,
        number: prev.number,
        title: txt(&prev.title, lang),
        roadmaps,
        reference_date: today.to_string(),
    })
}

/// The page of session `id` on `today` as `viewer` sees it (minutes, decisions, attendance and
/// the execution of the previous session); `None` when there is none.
#[must_use]
pub fn session_view(s: &Fold, tr: Tr<'_>, id: &str, today: Date, viewer: Option<&User>) -> Option<SessionView> {
    let lang = tr.lang;
    let x: Session = s.get(RecordKind::Session, id)?;
    let can_edit = viewer.is_some_and(|u| {
        authorize(u, s, &Command::Revise { kind: RecordKind::Session, id: id.to_string(), set: Map::new() }).is_ok()
    });
    let groups = x
        .working_groups
        .iter()
        .map(|g| {
            let areas = g
                .areas
                .iter()
                .filter_map(|a| s.get::<Area>(RecordKind::Area, a))
                .map(|a| txt(&a.title, lang))
                .collect();
            (txt(&g.title, lang), areas)
        })
        .collect();
    let mission = x.mission.as_ref().and_then(|mid| {
        s.get::<Mission>(RecordKind::Mission, mid).map(|m| LinkRow { id: mid.clone(), label: txt(&m.title, lang) })
    });
    Some(SessionView {
        id: id.to_string(),
        number: x.number,
        title: txt(&x.title, lang),
        host: x.host.to_string(),
        host_name: party_name(s, x.host.as_str(), lang),
        venue: txt(&x.venue.name, lang),
        city: txt(&x.venue.city, lang),
        zone: x.venue.zone.clone(),
        opening: match (x.opens_at, x.opening_instant()) {
            (Some(t), Some(i)) => (t.strftime("%H:%M").to_string(), lajna_door::rfc3339(i)),
            _ => (String::new(), String::new()),
        },
        start: day(tr, x.start),
        end: day(tr, x.end),
        agenda: x.agenda.iter().map(|a| txt(a, lang)).collect(),
        groups,
        outcome: opt_txt(x.expected_outcome.as_ref(), lang),
        mission,
        minutes: minutes_view(s, id, viewer),
        decisions: decisions_of(s, tr, id, viewer, true),
        execution: if x.number > 1 { execution(s, tr, x.number, today) } else { None },
        attendance: super::attendance::attendance_view(s, tr, id, viewer),
        can_edit,
        illustrative: x.illustrative,
    })
}
