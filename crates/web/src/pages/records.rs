//! Missions, sessions and communiqués: the pages of the committee's formal record.
//!
//! - `GET /{lang}/missions`, `GET /{lang}/missions/{id}`: a delegation visit, its programme in
//!   the venue's time zone (stored as venue-local civil times, shown as such with the zone name
//!   and the UTC instant beside each timed item), and what was published about it.
//! - `GET /{lang}/sessions`, `GET /{lang}/sessions/{id}`: a session, its minutes (Arabic and
//!   French side by side) with their workflow (draft → agreed → locked → amendments, see
//!   [`lajna_domain::minutes`]), its decisions with each party's endorsement, the language-parity
//!   flags ([`lajna_domain::parity`]) and, from the second session on, the état d'exécution of
//!   the previous session's decisions and actions.
//! - `GET /{lang}/communiques`: communiqués and press documents.
//! - The forms: `POST /{lang}/decisions/{id}/endorse`, `/{lang}/decisions/{id}/confirm`,
//!   `/{lang}/sessions/{id}/minutes`, `/minutes/endorse`, `/minutes/confirm`, `/amendments`.
//!   Every write goes through [`lajna_node::Node::execute_as`] after the CSRF check; a refusal
//!   writes nothing and shows why (a 403 page when the role or party does not allow it).
//!
//! Formal dates show the Gregorian date (ISO 8601, Western digits) with the Hijri date beside
//! it, computed with the tabular calendar ([`lajna_domain::hijri`]); the pages say so.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::civil::{Date, Time};
use lajna_domain::minutes::{MINUTES, minutes_status};
use lajna_domain::records::{
    Action, Area, Communique, Decision, Member, Mission, PressDocument, ProgrammeItem, Roadmap, Session,
};
use lajna_domain::state::State as Fold;
use lajna_domain::{Command, DomainError, HijriDate, Lang, LocalizedText, RecordKind, adoption, parity, summary};
use lajna_node::NodeError;
use lajna_node::auth::{AuthError, Role, User, authorize};
use serde::Deserialize;
use serde_json::{Map, json};

use crate::ctx::{PageCtx, Viewer, csrf_ok, lang_of, tr};
use crate::i18n::{Arg, Tr};
use crate::problem::{message_of, status_of};
use crate::views::Txt;
use crate::{AppState, WebError, failure, forbidden_page, not_found, to_login};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/missions", get(missions))
        .route("/{lang}/missions/{id}", get(mission))
        .route("/{lang}/sessions", get(sessions))
        .route("/{lang}/sessions/{id}", get(session))
        .route("/{lang}/sessions/{id}/minutes", post(minutes_save))
        .route("/{lang}/sessions/{id}/minutes/endorse", post(minutes_endorse))
        .route("/{lang}/sessions/{id}/minutes/confirm", post(minutes_confirm))
        .route("/{lang}/sessions/{id}/amendments", post(amendment))
        .route("/{lang}/decisions/{id}", get(decision))
        .route("/{lang}/decisions/{id}/endorse", post(decision_endorse))
        .route("/{lang}/decisions/{id}/confirm", post(decision_confirm))
        .route("/{lang}/communiques", get(communiques))
}

// ---- Read models -------------------------------------------------------------------------

/// A formal date: the Gregorian date (ISO 8601) and the computed Hijri date in the page's
/// language (empty before 1 AH).
#[derive(Clone, Debug, Default)]
pub struct Day {
    /// ISO 8601 date.
    pub iso: String,
    /// Tabular Hijri date, e.g. "18 Sha'ban 1446 AH".
    pub hijri: String,
}

/// A text in one language, for the side-by-side columns.
#[derive(Clone, Debug)]
pub struct Column {
    /// BCP 47 tag.
    pub lang: &'static str,
    /// Writing direction.
    pub dir: &'static str,
    /// Message key of the language's name.
    pub name_key: String,
    /// The text (empty when not written in this language).
    pub text: String,
}

/// A link to a record: id and label.
#[derive(Clone, Debug)]
pub struct LinkRow {
    /// Record id.
    pub id: String,
    /// Label.
    pub label: Txt,
}

/// A press document, linked to its article page.
#[derive(Clone, Debug)]
pub struct PressRow {
    /// Id.
    pub id: String,
    /// Headline as published.
    pub title: String,
    /// Language of the article.
    pub lang: &'static str,
    /// Its direction.
    pub dir: &'static str,
    /// Publisher.
    pub publisher: Txt,
    /// Example data.
    pub illustrative: bool,
}

/// One mission in the list.
#[derive(Clone, Debug)]
pub struct MissionRow {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Txt,
    /// Visiting party code.
    pub visiting: String,
    /// Host party code.
    pub host: String,
    /// City.
    pub city: Txt,
    /// First day.
    pub start: Day,
    /// Last day.
    pub end: Day,
    /// Example data.
    pub illustrative: bool,
}

/// One item of a mission's programme.
#[derive(Clone, Debug)]
pub struct ProgrammeView {
    /// Venue-local date.
    pub date: Day,
    /// Venue-local time span ("09:00–13:00"), empty when not stated.
    pub local: String,
    /// The same span in UTC ("09:00–13:00"), empty when not stated.
    pub utc: String,
    /// RFC 3339 UTC instant of the start, for `<time datetime>`.
    pub utc_start: String,
    /// The UTC date when it differs from the local date, else empty.
    pub utc_date: String,
    /// What happens.
    pub title: Txt,
    /// Where, if not at the venue.
    pub place: Txt,
    /// Example data.
    pub illustrative: bool,
}

/// Everything the mission page shows.
#[derive(Clone, Debug)]
pub struct MissionView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Txt,
    /// Visiting party code.
    pub visiting: String,
    /// Its name.
    pub visiting_name: Txt,
    /// Host party code.
    pub host: String,
    /// Its name.
    pub host_name: Txt,
    /// Venue.
    pub venue: Txt,
    /// City.
    pub city: Txt,
    /// tz database zone of the venue.
    pub zone: String,
    /// First day.
    pub start: Day,
    /// Last day.
    pub end: Day,
    /// Head of delegation: rank and name.
    pub head: Txt,
    /// Purpose.
    pub purpose: Txt,
    /// Programme, by date and time.
    pub programme: Vec<ProgrammeView>,
    /// Communiqués about it.
    pub communiques: Vec<LinkRow>,
    /// Press documents about it.
    pub press: Vec<PressRow>,
    /// Sessions held during it.
    pub sessions: Vec<LinkRow>,
    /// Example data.
    pub illustrative: bool,
}

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
    /// Parties still to endorse it.
    pub awaiting: String,
    /// The viewer may endorse it.
    pub can_endorse: bool,
    /// Languages to review.
    pub review: Vec<Review>,
    /// Example data.
    pub illustrative: bool,
}

/// An action of a roadmap drafted by the previous session.
#[derive(Clone, Debug)]
pub struct ExecAction {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Txt,
    /// Owner party.
    pub owner: String,
    /// Due date.
    pub due: String,
    /// Status code.
    pub status: &'static str,
    /// Progress, percent.
    pub progress: u8,
    /// Days late on the reference date.
    pub days_late: i64,
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
    pub actions: Vec<ExecAction>,
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
    /// The viewer may edit the minutes, amend them and confirm translations.
    pub can_edit: bool,
    /// Example data.
    pub illustrative: bool,
}

/// A communiqué.
#[derive(Clone, Debug)]
pub struct CommuniqueRow {
    /// Id.
    pub id: String,
    /// Issuing party.
    pub party: String,
    /// Issuer.
    pub issuer: Txt,
    /// Date issued.
    pub date: Option<Day>,
    /// Title.
    pub title: Txt,
    /// Text.
    pub text: Txt,
    /// Quotes: (speaker, words).
    pub quotes: Vec<(Txt, Txt)>,
    /// Mission it reports on.
    pub mission: Option<LinkRow>,
    /// Example data.
    pub illustrative: bool,
}

fn txt(t: &LocalizedText, lang: Lang) -> Txt {
    Txt::of(t, lang)
}

fn opt_txt(t: Option<&LocalizedText>, lang: Lang) -> Txt {
    Txt::opt(t, lang)
}

/// The columns of a per-language text, in Arabic, French, English order: with
/// `originals_always`, the Arabic and French columns (the committee's two authentic originals)
/// even when empty, so a missing original shows; otherwise only the languages present.
fn columns(t: Option<&LocalizedText>, originals_always: bool) -> Vec<Column> {
    Lang::ALL
        .into_iter()
        .map(|l| Column {
            lang: l.code(),
            dir: l.dir(),
            name_key: format!("rec-lang-{}", l.code()),
            text: t.and_then(|t| t.get(l)).unwrap_or_default().to_string(),
        })
        .filter(|c| !c.text.trim().is_empty() || (originals_always && c.lang != "en"))
        .collect()
}

fn hijri(tr: Tr<'_>, date: Date) -> String {
    let Some(h) = HijriDate::from_gregorian(date) else { return String::new() };
    let month = tr.t(&format!("rec-hijri-m{}", h.month));
    tr.catalog.get(
        tr.lang,
        "rec-hijri-date",
        &[("day", Arg::Text(h.day.to_string())), ("month", Arg::Text(month)), ("year", Arg::Text(h.year.to_string()))],
    )
}

fn day(tr: Tr<'_>, date: Date) -> Day {
    Day { iso: date.to_string(), hijri: hijri(tr, date) }
}

fn parties(s: &Fold) -> Vec<String> {
    let mut p: Vec<String> =
        s.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect()).unwrap_or_default();
    p.sort();
    p
}

fn party_name(s: &Fold, code: &str, lang: Lang) -> Txt {
    s.charter()
        .and_then(|c| c.parties.iter().find(|p| p.code.as_str() == code))
        .map(|p| txt(&p.name, lang))
        .unwrap_or_default()
}

fn member_label(s: &Fold, id: Option<&String>, lang: Lang) -> Txt {
    let Some(m) = id.and_then(|i| s.get::<Member>(RecordKind::Member, i)) else { return Txt::default() };
    let name = txt(&m.name, lang);
    match &m.rank {
        Some(rank) => Txt { text: format!("{} {}", txt(rank, lang).text, name.text), ..name },
        None => name,
    }
}

fn reviews(langs: &[Lang]) -> Vec<Review> {
    langs.iter().map(|l| Review { lang: l.code(), name_key: format!("rec-lang-{}", l.code()) }).collect()
}

/// The viewer, when a co-chair linked to a member record (the only users who endorse).
fn co_chair(user: Option<&User>) -> Option<&User> {
    user.filter(|u| u.role == Role::CoChair && u.member.is_some())
}

fn local_span(start: Option<Time>, end: Option<Time>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{}–{}", s.strftime("%H:%M"), e.strftime("%H:%M")),
        (Some(s), None) => s.strftime("%H:%M").to_string(),
        _ => String::new(),
    }
}

fn programme_item(tr: Tr<'_>, zone: Option<&jiff::tz::TimeZone>, p: &ProgrammeItem) -> ProgrammeView {
    let lang = tr.lang;
    let instant = |t: Time| zone.and_then(|z| z.to_timestamp(p.date.to_datetime(t)).ok());
    let (start, end) = (p.start.and_then(instant), p.end.and_then(instant));
    let utc = match (start, end) {
        (Some(s), Some(e)) => format!("{}–{}", s.strftime("%H:%M"), e.strftime("%H:%M")),
        (Some(s), None) => s.strftime("%H:%M").to_string(),
        _ => String::new(),
    };
    let utc_date = start
        .map(|s| s.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
        .filter(|d| *d != p.date)
        .map(|d| d.to_string())
        .unwrap_or_default();
    ProgrammeView {
        date: day(tr, p.date),
        local: local_span(p.start, p.end),
        utc,
        utc_start: start.map(lajna_node::rfc3339).unwrap_or_default(),
        utc_date,
        title: txt(&p.title, lang),
        place: opt_txt(p.place.as_ref(), lang),
        illustrative: p.illustrative,
    }
}

fn press_rows(s: &Fold, lang: Lang, keep: impl Fn(&PressDocument) -> bool) -> Vec<PressRow> {
    s.all::<PressDocument>(RecordKind::Press)
        .into_iter()
        .filter(|(_, p)| keep(p))
        .map(|(id, p)| PressRow {
            id,
            lang: p.language.code(),
            dir: p.language.dir(),
            publisher: txt(&p.publisher, lang),
            illustrative: p.illustrative,
            title: p.title,
        })
        .collect()
}

fn mission_rows(s: &Fold, tr: Tr<'_>) -> Vec<MissionRow> {
    let mut rows: Vec<(Date, MissionRow)> = s
        .all::<Mission>(RecordKind::Mission)
        .into_iter()
        .map(|(id, m)| {
            let row = MissionRow {
                id,
                title: txt(&m.title, tr.lang),
                visiting: m.visiting.to_string(),
                host: m.host.to_string(),
                city: txt(&m.venue.city, tr.lang),
                start: day(tr, m.start),
                end: day(tr, m.end),
                illustrative: m.illustrative,
            };
            (m.start, row)
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    rows.into_iter().map(|(_, r)| r).collect()
}

fn mission_view(s: &Fold, tr: Tr<'_>, id: &str) -> Option<MissionView> {
    let lang = tr.lang;
    let m: Mission = s.get(RecordKind::Mission, id)?;
    let zone = lajna_domain::tzdb().get(&m.venue.zone).ok();
    let mut programme = m.programme.clone();
    programme.sort_by_key(|p| (p.date, p.start));
    let communiques = s
        .all::<Communique>(RecordKind::Communique)
        .into_iter()
        .filter(|(_, c)| c.mission.as_deref() == Some(id))
        .map(|(cid, c)| LinkRow { id: cid, label: txt(&c.title, lang) })
        .collect();
    let mut sessions: Vec<(i64, LinkRow)> = s
        .all::<Session>(RecordKind::Session)
        .into_iter()
        .filter(|(_, x)| x.mission.as_deref() == Some(id))
        .map(|(sid, x)| (x.number, LinkRow { id: sid, label: txt(&x.title, lang) }))
        .collect();
    sessions.sort_by_key(|(n, _)| *n);
    Some(MissionView {
        id: id.to_string(),
        title: txt(&m.title, lang),
        visiting: m.visiting.to_string(),
        visiting_name: party_name(s, m.visiting.as_str(), lang),
        host: m.host.to_string(),
        host_name: party_name(s, m.host.as_str(), lang),
        venue: txt(&m.venue.name, lang),
        city: txt(&m.venue.city, lang),
        zone: m.venue.zone.clone(),
        start: day(tr, m.start),
        end: day(tr, m.end),
        head: member_label(s, m.head.as_ref(), lang),
        purpose: opt_txt(m.purpose.as_ref(), lang),
        programme: programme.iter().map(|p| programme_item(tr, zone.as_ref(), p)).collect(),
        communiques,
        press: press_rows(s, lang, |p| p.mission.as_deref() == Some(id)),
        sessions: sessions.into_iter().map(|(_, l)| l).collect(),
        illustrative: m.illustrative,
    })
}

fn minutes_key(s: &Fold, id: &str) -> &'static str {
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

fn session_rows(s: &Fold, tr: Tr<'_>) -> Vec<SessionRow> {
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

fn decision_row(s: &Fold, tr: Tr<'_>, id: &str, d: &Decision, viewer: Option<&User>, buttons: bool) -> DecisionRow {
    let lang = tr.lang;
    let entry = s.entry(id);
    let doc = entry.map(|e| e.doc(id)).unwrap_or_default();
    let a = adoption(&doc, &parties(s));
    let review = entry.map(|e| parity::to_review(e, "text")).unwrap_or_default();
    let session = s.get::<Session>(RecordKind::Session, &d.session);
    let session = session.as_ref();
    let can_endorse = buttons
        && review.is_empty()
        && co_chair(viewer).is_some_and(|u| !a.endorsed_by.iter().any(|p| p == u.party.as_str()));
    DecisionRow {
        id: id.to_string(),
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
        awaiting: a.awaiting.join(", "),
        can_endorse,
        review: if buttons { reviews(&review) } else { vec![] },
        illustrative: d.illustrative,
    }
}

fn decisions_of(s: &Fold, tr: Tr<'_>, session: &str, viewer: Option<&User>, buttons: bool) -> Vec<DecisionRow> {
    s.all::<Decision>(RecordKind::Decision)
        .into_iter()
        .filter(|(_, d)| d.session == session)
        .map(|(id, d)| decision_row(s, tr, &id, &d, viewer, buttons))
        .collect()
}

fn minutes_view(s: &Fold, id: &str, viewer: Option<&User>) -> MinutesView {
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

fn execution(s: &Fold, tr: Tr<'_>, number: i64, today: Date) -> Option<Execution> {
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
            let mut rows: Vec<ExecAction> = actions
                .iter()
                .filter(|(_, x)| x.roadmap == rid)
                .map(|(aid, x)| ExecAction {
                    id: aid.clone(),
                    title: txt(&x.title, lang),
                    owner: x.owner.to_string(),
                    due: x.due.to_string(),
                    status: x.status.code(),
                    progress: x.progress.percent(),
                    days_late: summary::days_late(x, today),
                    illustrative: x.illustrative,
                })
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

fn session_view(s: &Fold, tr: Tr<'_>, id: &str, today: Date, viewer: Option<&User>) -> Option<SessionView> {
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
            (Some(t), Some(i)) => (t.strftime("%H:%M").to_string(), lajna_node::rfc3339(i)),
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
        can_edit,
        illustrative: x.illustrative,
    })
}

fn communique_rows(s: &Fold, tr: Tr<'_>) -> Vec<CommuniqueRow> {
    let lang = tr.lang;
    let mut rows: Vec<(Option<Date>, CommuniqueRow)> = s
        .all::<Communique>(RecordKind::Communique)
        .into_iter()
        .map(|(id, c)| {
            let mission = c.mission.as_ref().and_then(|mid| {
                s.get::<Mission>(RecordKind::Mission, mid)
                    .map(|m| LinkRow { id: mid.clone(), label: txt(&m.title, lang) })
            });
            let row = CommuniqueRow {
                id,
                party: c.party.to_string(),
                issuer: txt(&c.issuer, lang),
                date: c.date.map(|d| day(tr, d)),
                title: txt(&c.title, lang),
                text: txt(&c.text, lang),
                quotes: c
                    .quotes
                    .iter()
                    .map(|q| (member_label(s, q.speaker.as_ref(), lang), txt(&q.text, lang)))
                    .collect(),
                mission,
                illustrative: c.illustrative,
            };
            (c.date, row)
        })
        .collect();
    // Newest first; undated ones last.
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    rows.into_iter().map(|(_, r)| r).collect()
}

// ---- Pages -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "missions.html")]
struct MissionsPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    rows: Vec<MissionRow>,
}

#[derive(Template)]
#[template(path = "mission.html")]
struct MissionPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    m: MissionView,
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    rows: Vec<SessionRow>,
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    s: SessionView,
    /// A change was just recorded.
    saved: bool,
    /// Why the last form was refused (translated).
    error: String,
    /// Minutes form values (Arabic, French).
    form_ar: String,
    form_fr: String,
    /// Amendment form values (Arabic, French).
    amend_ar: String,
    amend_fr: String,
}

#[derive(Template)]
#[template(path = "communiques.html")]
struct CommuniquesPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    rows: Vec<CommuniqueRow>,
    press: Vec<PressRow>,
}

/// The page's language and a signed-in viewer, or the response that replaces the page (404
/// for an unknown language, the sign-in page for a signed-out visitor).
fn guard(state: &AppState, lang: &str, viewer: &Viewer, path: &str) -> Result<Lang, Response> {
    let Some(lang) = lang_of(lang) else { return Err(not_found(state, None)) };
    if viewer.user.is_none() {
        return Err(to_login(lang, path));
    }
    Ok(lang)
}

fn html(state: &AppState, lang: Lang, status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(h) => (status, Html(h)).into_response(),
        Err(e) => failure(state, lang, WebError::Render(e)),
    }
}

/// `GET /{lang}/missions`.
pub async fn missions(State(state): State<AppState>, Path(lang): Path<String>, viewer: Viewer) -> Response {
    let lang = match guard(&state, &lang, &viewer, "/missions") {
        Ok(l) => l,
        Err(r) => return r,
    };
    let tr = tr(&state, lang);
    let rows = state.node.with_state(|s| mission_rows(s, tr)).await;
    let ctx = PageCtx::new(lang, "/missions", &viewer, state.node.config.demo);
    html(&state, lang, StatusCode::OK, &MissionsPage { ctx, tr, rows })
}

/// `GET /{lang}/missions/{id}`.
pub async fn mission(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
) -> Response {
    let path = format!("/missions/{id}");
    let lang = match guard(&state, &lang, &viewer, &path) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let tr = tr(&state, lang);
    let Some(m) = state.node.with_state(|s| mission_view(s, tr, &id)).await else {
        return not_found(&state, Some(lang));
    };
    let ctx = PageCtx::new(lang, path, &viewer, state.node.config.demo);
    html(&state, lang, StatusCode::OK, &MissionPage { ctx, tr, m })
}

/// `GET /{lang}/sessions`.
pub async fn sessions(State(state): State<AppState>, Path(lang): Path<String>, viewer: Viewer) -> Response {
    let lang = match guard(&state, &lang, &viewer, "/sessions") {
        Ok(l) => l,
        Err(r) => return r,
    };
    let tr = tr(&state, lang);
    let rows = state.node.with_state(|s| session_rows(s, tr)).await;
    let ctx = PageCtx::new(lang, "/sessions", &viewer, state.node.config.demo);
    html(&state, lang, StatusCode::OK, &SessionsPage { ctx, tr, rows })
}

/// What a refused form typed, shown again with the message.
#[derive(Default)]
struct Typed {
    error: String,
    minutes: Option<(String, String)>,
    amendment: Option<(String, String)>,
}

async fn render_session(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    id: &str,
    status: StatusCode,
    saved: bool,
    typed: Typed,
) -> Response {
    let tr = tr(state, lang);
    let today = state.node.today();
    let user = viewer.user.as_ref();
    let Some(s) = state.node.with_state(|f| session_view(f, tr, id, today, user)).await else {
        return not_found(state, Some(lang));
    };
    let current = |l: &str| s.minutes.columns.iter().find(|c| c.lang == l).map(|c| c.text.clone()).unwrap_or_default();
    let (form_ar, form_fr) = typed.minutes.unwrap_or_else(|| (current("ar"), current("fr")));
    let (amend_ar, amend_fr) = typed.amendment.unwrap_or_else(|| (current("ar"), current("fr")));
    let ctx = PageCtx::new(lang, format!("/sessions/{id}"), viewer, state.node.config.demo);
    let page = SessionPage { ctx, tr, s, saved, error: typed.error, form_ar, form_fr, amend_ar, amend_fr };
    html(state, lang, status, &page)
}

/// `GET /{lang}/sessions/{id}`.
pub async fn session(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    viewer: Viewer,
) -> Response {
    let lang = match guard(&state, &lang, &viewer, &format!("/sessions/{id}")) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let saved = query.as_deref() == Some("saved=1");
    render_session(&state, lang, &viewer, &id, StatusCode::OK, saved, Typed::default()).await
}

/// `GET /{lang}/decisions/{id}`: the decision on its session's page.
pub async fn decision(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
) -> Response {
    let lang = match guard(&state, &lang, &viewer, &format!("/decisions/{id}")) {
        Ok(l) => l,
        Err(r) => return r,
    };
    match state.node.with_state(|s| s.get::<Decision>(RecordKind::Decision, &id)).await {
        Some(d) => Redirect::to(&format!("/{}/sessions/{}#decision-{id}", lang.code(), d.session)).into_response(),
        None => not_found(&state, Some(lang)),
    }
}

/// `GET /{lang}/communiques`.
pub async fn communiques(State(state): State<AppState>, Path(lang): Path<String>, viewer: Viewer) -> Response {
    let lang = match guard(&state, &lang, &viewer, "/communiques") {
        Ok(l) => l,
        Err(r) => return r,
    };
    let tr = tr(&state, lang);
    let (rows, press) = state.node.with_state(|s| (communique_rows(s, tr), press_rows(s, lang, |_| true))).await;
    let ctx = PageCtx::new(lang, "/communiques", &viewer, state.node.config.demo);
    html(&state, lang, StatusCode::OK, &CommuniquesPage { ctx, tr, rows, press })
}

// ---- Forms -------------------------------------------------------------------------------

/// A form with only the CSRF token.
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// The minutes and amendment forms: Arabic and French texts.
#[derive(Deserialize)]
pub struct TextsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    ar: String,
    #[serde(default)]
    fr: String,
}

/// Endorsing a version of the minutes (the draft's, or an amendment's).
#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
}

/// Confirming one language of a text.
#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    /// Language code confirmed.
    #[serde(default)]
    language: String,
}

/// Runs `command` for the signed-in viewer after the CSRF check, then shows the session page
/// (`?saved=1`) or the refusal: a 403 page when the role or party does not allow it, else the
/// session page with the translated message and what was typed.
#[allow(clippy::too_many_arguments, reason = "one place for every form of the session page")]
async fn submit(
    state: &AppState,
    lang: &str,
    viewer: &Viewer,
    session: Option<String>,
    csrf: &str,
    command: Result<Command, DomainError>,
    anchor: &str,
    typed: impl FnOnce(String) -> Typed,
) -> Response {
    let Some(lang) = lang_of(lang) else { return not_found(state, None) };
    let Some(session) = session else { return not_found(state, Some(lang)) };
    let Some(user) = viewer.user.as_ref() else { return to_login(lang, &format!("/sessions/{session}")) };
    if !csrf_ok(viewer, csrf) {
        return forbidden_page(state, lang, viewer, "error-csrf");
    }
    let result = match command {
        Ok(command) => state.node.execute_as(user, &command).await.map(|_| ()),
        Err(e) => Err(NodeError::Domain(e)),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/{}/sessions/{session}?saved=1#{anchor}", lang.code())).into_response(),
        Err(e @ (NodeError::Auth(AuthError::Forbidden(_)) | NodeError::NoKey { .. })) => {
            tracing::debug!(error = %e, "refused by role");
            forbidden_page(state, lang, viewer, "error-forbidden")
        }
        Err(NodeError::Domain(d @ DomainError::NotCoChair { .. })) => forbidden_page(state, lang, viewer, d.key()),
        Err(e) => {
            let (_, message) = message_of(&state.catalog, lang, &e);
            render_session(state, lang, viewer, &session, status_of(&e), false, typed(message)).await
        }
    }
}

fn texts(ar: &str, fr: &str, en: Option<String>) -> Result<LocalizedText, DomainError> {
    let mut t = LocalizedText::tri(ar.trim(), fr.trim(), "");
    t.en = en;
    t.check(MINUTES)?;
    Ok(t)
}

/// `POST /{lang}/sessions/{id}/minutes`: edit the draft minutes (Arabic and French; an English
/// text, if any, is kept).
pub async fn minutes_save(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
    Form(form): Form<TextsForm>,
) -> Response {
    let en = state
        .node
        .with_state(|s| s.get::<Session>(RecordKind::Session, &id).and_then(|x| x.minutes).and_then(|m| m.en))
        .await;
    let command = texts(&form.ar, &form.fr, en).map(|minutes| {
        let mut set = Map::new();
        set.insert(MINUTES.into(), json!(minutes));
        Command::Revise { kind: RecordKind::Session, id: id.clone(), set }
    });
    let typed = |error| Typed { error, minutes: Some((form.ar.clone(), form.fr.clone())), amendment: None };
    submit(&state, &lang, &viewer, Some(id.clone()), &form.csrf, command, "minutes", typed).await
}

/// `POST /{lang}/sessions/{id}/amendments`: propose a correction of locked minutes.
pub async fn amendment(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
    Form(form): Form<TextsForm>,
) -> Response {
    let en = state
        .node
        .with_state(|s| {
            let entry = s.entry(&id)?;
            minutes_status(entry, &parties(s)).effective().and_then(|(_, t)| t.en.clone())
        })
        .await;
    let command = texts(&form.ar, &form.fr, en).map(|minutes| Command::AmendMinutes { session: id.clone(), minutes });
    let typed = |error| Typed { error, minutes: None, amendment: Some((form.ar.clone(), form.fr.clone())) };
    submit(&state, &lang, &viewer, Some(id.clone()), &form.csrf, command, "amendments", typed).await
}

/// `POST /{lang}/sessions/{id}/minutes/endorse`: endorse the draft or an amendment (co-chairs).
pub async fn minutes_endorse(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
    Form(form): Form<VersionForm>,
) -> Response {
    let command = Ok(Command::EndorseMinutes { session: id.clone(), version: form.version.clone() });
    let typed = |error| Typed { error, ..Typed::default() };
    submit(&state, &lang, &viewer, Some(id.clone()), &form.csrf, command, "minutes", typed).await
}

/// `POST /{lang}/sessions/{id}/minutes/confirm`: confirm one language of the draft minutes.
pub async fn minutes_confirm(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let command = Lang::parse(&form.language).map(|l| Command::ConfirmTranslation {
        kind: RecordKind::Session,
        id: id.clone(),
        field: MINUTES.into(),
        lang: l,
    });
    let typed = |error| Typed { error, ..Typed::default() };
    submit(&state, &lang, &viewer, Some(id.clone()), &form.csrf, command, "minutes", typed).await
}

async fn session_of(state: &AppState, decision: &str) -> Option<String> {
    state.node.with_state(|s| s.get::<Decision>(RecordKind::Decision, decision).map(|d| d.session)).await
}

/// `POST /{lang}/decisions/{id}/endorse`: the viewer's party endorses the decision's current
/// version (co-chairs only).
pub async fn decision_endorse(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> Response {
    let session = session_of(&state, &id).await;
    let command = Ok(Command::Endorse { kind: RecordKind::Decision, id: id.clone() });
    let typed = |error| Typed { error, ..Typed::default() };
    submit(&state, &lang, &viewer, session, &form.csrf, command, &format!("decision-{id}"), typed).await
}

/// `POST /{lang}/decisions/{id}/confirm`: confirm one language of a decision's text.
pub async fn decision_confirm(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    viewer: Viewer,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let session = session_of(&state, &id).await;
    let command = Lang::parse(&form.language).map(|l| Command::ConfirmTranslation {
        kind: RecordKind::Decision,
        id: id.clone(),
        field: "text".into(),
        lang: l,
    });
    let typed = |error| Typed { error, ..Typed::default() };
    submit(&state, &lang, &viewer, session, &form.csrf, command, &format!("decision-{id}"), typed).await
}
