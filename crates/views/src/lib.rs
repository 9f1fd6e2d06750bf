//! Read models of the Lajna pages: pure functions from a reader's snapshot of the record
//! ([`lajna_door::Door::read`], which has already left out what the reader may not see), today's
//! date and a translator ([`Tr`]) to plain view structs, already localised for one language.
//! No IO here: the web layer fetches (the snapshot, the events of a history) and renders.

pub mod api;
pub mod cache;
pub mod changes;
pub mod documents;
pub mod forms;
pub mod my_work;
pub mod notifications;
pub mod openapi;
pub mod records;
pub mod resources;
pub mod roadmap;
pub mod search;

use std::collections::BTreeMap;

use jiff::civil::Date;
use lajna_domain::State;
use lajna_domain::records::*;
use lajna_domain::summary;
use lajna_domain::{Lang, LocalizedText, RecordKind, adoption};
use lajna_door::StoredEvent;
pub use lajna_i18n::Tr;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Longest overdue / due-soon list on the dashboard; the roadmap page has the rest.
pub const DASHBOARD_LIST: usize = 25;
/// Most actions whose rows the dashboard lists per area (DESIGN.md §5: the dashboard of a
/// 100-action roadmap stays under 40 KB transferred).
pub const DASHBOARD_ROWS: usize = 100;

/// A text in the language it is actually shown in (which may differ from the page's).
#[derive(Clone, Debug, Default)]
pub struct Txt {
    /// BCP 47 tag of the text.
    pub lang: &'static str,
    /// Writing direction of the text.
    pub dir: &'static str,
    /// The text.
    pub text: String,
}

impl Txt {
    /// The best text of `t` for a reader of `lang`, with the language it is in.
    pub fn of(t: &LocalizedText, lang: Lang) -> Self {
        let (l, s) = t.best(lang);
        Self { lang: l.code(), dir: l.dir(), text: s.to_string() }
    }
    /// [`Txt::of`] for an optional text (empty when absent).
    pub fn opt(t: Option<&LocalizedText>, lang: Lang) -> Self {
        t.map(|t| Self::of(t, lang)).unwrap_or_default()
    }
}

/// One action row of the roadmap table.
#[derive(Clone, Debug)]
pub struct ActionRow {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Txt,
    /// Owner party code.
    pub owner: String,
    /// Owning unit.
    pub unit: Txt,
    /// Start, ISO 8601.
    pub start: String,
    /// Due, ISO 8601.
    pub due: String,
    /// Status code (CSS class and message key suffix).
    pub status: &'static str,
    /// Progress, percent.
    pub progress: u8,
    /// Days late on the reference date (0 if not overdue).
    pub days_late: i64,
    /// Example data.
    pub illustrative: bool,
}

/// Progress of one area.
#[derive(Clone, Debug)]
pub struct AreaRow {
    /// Title.
    pub title: Txt,
    /// Percent.
    pub progress: u8,
    /// Actions in the area.
    pub actions: usize,
    /// Overdue actions.
    pub overdue: usize,
    /// (status code, count) for the statuses present.
    pub by_status: Vec<(&'static str, usize)>,
    /// The area's actions.
    pub rows: Vec<ActionRow>,
}

/// A party with its co-chairs.
#[derive(Clone, Debug)]
pub struct PartyCard {
    /// Code.
    pub code: String,
    /// Name.
    pub name: Txt,
    /// Armed forces.
    pub forces: Txt,
    /// Co-chairs: (rank and name, illustrative).
    pub co_chairs: Vec<(Txt, bool)>,
}

/// A programme item.
#[derive(Clone, Debug)]
pub struct ProgrammeRow {
    /// Local date.
    pub date: String,
    /// Local time span, or empty when not stated.
    pub time: String,
    /// Title.
    pub title: Txt,
    /// Example data.
    pub illustrative: bool,
}

/// A mission.
#[derive(Clone, Debug)]
pub struct MissionView {
    /// Title.
    pub title: Txt,
    /// Visiting party code.
    pub visiting: String,
    /// Host party code.
    pub host: String,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// Venue and city.
    pub venue: Txt,
    /// City.
    pub city: Txt,
    /// tz database zone.
    pub zone: String,
    /// Head of delegation (rank and name).
    pub head: Txt,
    /// Purpose.
    pub purpose: Txt,
    /// Programme.
    pub programme: Vec<ProgrammeRow>,
    /// Example data.
    pub illustrative: bool,
}

/// A session.
#[derive(Clone, Debug)]
pub struct SessionView {
    /// Number.
    pub number: i64,
    /// Title.
    pub title: Txt,
    /// City.
    pub city: Txt,
    /// Zone.
    pub zone: String,
    /// Start.
    pub start: String,
    /// End.
    pub end: String,
    /// Agenda.
    pub agenda: Vec<Txt>,
    /// Expected outcome.
    pub expected_outcome: Txt,
    /// Example data.
    pub illustrative: bool,
}

/// A decision and its endorsement state.
#[derive(Clone, Debug)]
pub struct DecisionView {
    /// Decision id (its page is `/{lang}/decisions/{id}`).
    pub id: String,
    /// Its reference, `D-2025/1-3`.
    pub reference: String,
    /// Text.
    pub text: Txt,
    /// Adopted by both parties.
    pub adopted: bool,
    /// Parties still to endorse, joined.
    pub awaiting: String,
    /// Example data.
    pub illustrative: bool,
}

/// A communiqué.
#[derive(Clone, Debug)]
pub struct CommuniqueView {
    /// Issuer.
    pub issuer: Txt,
    /// Title.
    pub title: Txt,
    /// Text.
    pub text: Txt,
    /// Quotes: (speaker, words).
    pub quotes: Vec<(Txt, Txt)>,
    /// Example data.
    pub illustrative: bool,
}

/// A press document link.
#[derive(Clone, Debug)]
pub struct PressLink {
    /// Id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Language of the article.
    pub lang: &'static str,
    /// Publisher.
    pub publisher: Txt,
}

/// A need, offer or training line.
#[derive(Clone, Debug)]
pub struct ListRow {
    /// Party code.
    pub party: String,
    /// Title.
    pub title: Txt,
    /// Message key of the category (or empty).
    pub category: String,
    /// Quantity and unit text, or seats.
    pub amount: String,
    /// Unit.
    pub unit: Txt,
    /// Message key of the status / priority.
    pub status: String,
    /// Example data.
    pub illustrative: bool,
}

/// Everything the dashboard shows.
#[derive(Clone, Debug)]
pub struct Dashboard {
    /// Committee name.
    pub name: Txt,
    /// Purpose.
    pub purpose: Txt,
    /// Date set up.
    pub founded: String,
    /// Parties.
    pub parties: Vec<PartyCard>,
    /// Reference date, ISO.
    pub reference_date: String,
    /// Demo data directory.
    pub demo: bool,
    /// Missions, newest first.
    pub missions: Vec<MissionView>,
    /// Sessions, by number.
    pub sessions: Vec<SessionView>,
    /// Next session on or after the reference date.
    pub next_session: Option<SessionView>,
    /// Next mission ending on or after the reference date.
    pub next_mission: Option<MissionView>,
    /// The ten newest events.
    pub recent: Vec<HistoryRow>,
    /// Roadmaps: (title, period, adopted, awaiting, illustrative).
    pub roadmaps: Vec<(Txt, String, bool, String, bool)>,
    /// Areas with their actions.
    pub areas: Vec<AreaRow>,
    /// Overdue actions, most late first.
    pub overdue: Vec<ActionRow>,
    /// Open actions due within 30 days (the first [`DASHBOARD_LIST`]).
    pub due_soon: Vec<ActionRow>,
    /// How many overdue actions there are in all.
    pub overdue_total: usize,
    /// How many actions are due within 30 days in all.
    pub due_soon_total: usize,
    /// Actions in all (the per-area tables are left out past [`DASHBOARD_ROWS`]).
    pub all_actions: usize,
    /// Decisions.
    pub decisions: Vec<DecisionView>,
    /// Communiqués.
    pub communiques: Vec<CommuniqueView>,
    /// Press documents.
    pub press: Vec<PressLink>,
    /// Needs.
    pub needs: Vec<ListRow>,
    /// Offers.
    pub offers: Vec<ListRow>,
    /// Training programmes.
    pub training: Vec<ListRow>,
    /// Events in the record.
    pub events: i64,
    /// State hash.
    pub state_hash: String,
    /// What the parties pledged and delivered, in MAD, and how many pledges are not honoured
    /// (issue 18; [`resources::summary_line`]); `None` without pledges.
    pub resources: Option<String>,
}

/// Every record of `kind` in `state` read as `T`, with its id and projection document
/// (`Entry::doc`: the fields, sets as arrays, `_meta`), in id order. A record that cannot be
/// read is left out here; `lajna verify` names it (`State::unreadable`).
#[must_use]
pub fn typed<T: DeserializeOwned>(state: &State, kind: RecordKind) -> Vec<(String, T, Value)> {
    state
        .entries()
        .filter(|(_, e)| e.kind == kind)
        .filter_map(|(id, e)| {
            let doc = e.doc(id);
            serde_json::from_value::<T>(doc.clone()).ok().map(|t| (id.clone(), t, doc))
        })
        .collect()
}

/// The page of record `id` of `kind`, after `/{lang}`: its own page for kinds that have one,
/// else the list that shows it; the record (event log) page for notes.
#[must_use]
pub fn record_path(kind: RecordKind, id: &str) -> String {
    match kind {
        RecordKind::Action => format!("/actions/{id}"),
        RecordKind::Mission => format!("/missions/{id}"),
        RecordKind::Session => format!("/sessions/{id}"),
        RecordKind::Decision => format!("/decisions/{id}"),
        RecordKind::Press => format!("/press/{id}"),
        RecordKind::Document => format!("/documents/{id}"),
        RecordKind::Communique => "/communiques".to_string(),
        RecordKind::Roadmap => "/roadmap".to_string(),
        RecordKind::Need | RecordKind::Offer => "/needs".to_string(),
        RecordKind::Training => "/training".to_string(),
        RecordKind::Member | RecordKind::Area | RecordKind::Note | RecordKind::Pledge | RecordKind::Rate => {
            "/record".to_string()
        }
    }
}

/// The members of `state` by id (for "Rank Name" labels).
#[must_use]
pub fn members(state: &State) -> BTreeMap<String, Member> {
    state.all::<Member>(RecordKind::Member).into_iter().collect()
}

/// "Rank Name" of a member, in `lang`.
pub fn member_label(members: &BTreeMap<String, Member>, id: Option<&String>, lang: Lang) -> Txt {
    let Some(m) = id.and_then(|i| members.get(i)) else { return Txt::default() };
    let name = Txt::of(&m.name, lang);
    match &m.rank {
        Some(rank) => {
            let r = Txt::of(rank, lang);
            Txt { text: format!("{} {}", r.text, name.text), ..name }
        }
        None => name,
    }
}

/// The table row of an action on `today`.
pub fn action_row(id: &str, a: &Action, lang: Lang, today: Date) -> ActionRow {
    ActionRow {
        id: id.to_string(),
        title: Txt::of(&a.title, lang),
        owner: a.owner.to_string(),
        unit: Txt::of(&a.unit, lang),
        start: a.start.to_string(),
        due: a.due.to_string(),
        status: a.status.code(),
        progress: a.progress.percent(),
        days_late: summary::days_late(a, today),
        illustrative: a.illustrative,
    }
}

fn session_view(s: &Session, lang: Lang) -> SessionView {
    SessionView {
        number: s.number,
        title: Txt::of(&s.title, lang),
        city: Txt::of(&s.venue.city, lang),
        zone: s.venue.zone.clone(),
        start: s.start.to_string(),
        end: s.end.to_string(),
        agenda: s.agenda.iter().map(|a| Txt::of(a, lang)).collect(),
        expected_outcome: Txt::opt(s.expected_outcome.as_ref(), lang),
        illustrative: s.illustrative,
    }
}

/// What the dashboard shows of the log itself and of the node's settings (read by the web
/// layer through the door, not from the fold).
#[derive(Clone, Debug)]
pub struct LogFacts {
    /// The newest events, newest first (the dashboard shows up to 10 that are not documents').
    pub latest: Vec<StoredEvent>,
    /// Events in the shared log.
    pub events: i64,
    /// State hash, hex.
    pub state_hash: String,
    /// Whether the node serves the demo committee (pages say "example").
    pub demo: bool,
    /// The currency of the resources line (the node's setting `reporting_currency`).
    pub currency: lajna_domain::money::Currency,
}

/// Builds the dashboard of `state` for `tr`'s language on `today`; `None` before genesis.
#[allow(clippy::too_many_lines, reason = "one read model, section by section")]
#[must_use]
pub fn dashboard(state: &State, log: LogFacts, tr: Tr<'_>, today: Date) -> Option<Dashboard> {
    let lang = tr.lang;
    let charter = state.charter()?;
    let parties: Vec<String> = charter.parties.iter().map(|p| p.code.to_string()).collect();
    let members = members(state);

    let party_cards = charter
        .parties
        .iter()
        .map(|p| PartyCard {
            code: p.code.to_string(),
            name: Txt::of(&p.name, lang),
            forces: Txt::of(&p.forces, lang),
            co_chairs: members
                .iter()
                .filter(|(_, m)| m.party == p.code && m.role == lajna_domain::values::MemberRole::CoChair)
                .map(|(id, m)| (member_label(&members, Some(id), lang), m.illustrative))
                .collect(),
        })
        .collect();

    let mut missions: Vec<(Mission, MissionView)> = typed::<Mission>(state, RecordKind::Mission)
        .into_iter()
        .map(|(_, m, _)| {
            let view = MissionView {
                title: Txt::of(&m.title, lang),
                visiting: m.visiting.to_string(),
                host: m.host.to_string(),
                start: m.start.to_string(),
                end: m.end.to_string(),
                venue: Txt::of(&m.venue.name, lang),
                city: Txt::of(&m.venue.city, lang),
                zone: m.venue.zone.clone(),
                head: member_label(&members, m.head.as_ref(), lang),
                purpose: Txt::opt(m.purpose.as_ref(), lang),
                programme: m
                    .programme
                    .iter()
                    .map(|p| ProgrammeRow {
                        date: p.date.to_string(),
                        time: match (p.start, p.end) {
                            (Some(s), Some(e)) => format!("{}–{}", s.strftime("%H:%M"), e.strftime("%H:%M")),
                            (Some(s), None) => s.strftime("%H:%M").to_string(),
                            _ => String::new(),
                        },
                        title: Txt::of(&p.title, lang),
                        illustrative: p.illustrative,
                    })
                    .collect(),
                illustrative: m.illustrative,
            };
            (m, view)
        })
        .collect();
    missions.sort_by_key(|m| std::cmp::Reverse(m.0.start));
    let next_mission =
        missions.iter().filter(|(m, _)| m.end >= today).min_by_key(|(m, _)| m.start).map(|(_, v)| v.clone());
    // The dashboard is the same for every user: documents' events (their titles are marked
    // data) are left out; the documents page shows what each user may see.
    let recent = log
        .latest
        .iter()
        .filter(|e| !e.kind.starts_with("document."))
        .take(10)
        .map(|e| HistoryRow { record: record_link(state, e, lang), ..history_row(e, &members, lang) })
        .collect();

    let mut sessions: Vec<Session> =
        typed::<Session>(state, RecordKind::Session).into_iter().map(|(_, s, _)| s).collect();
    sessions.sort_by_key(|s| s.number);
    let next_session =
        sessions.iter().filter(|s| s.end >= today).min_by_key(|s| s.start).map(|s| session_view(s, lang));

    let roadmaps = typed::<Roadmap>(state, RecordKind::Roadmap)
        .into_iter()
        .map(|(_, r, doc)| {
            let a = adoption(&doc, &parties);
            (
                Txt::of(&r.title, lang),
                format!("{} – {}", r.start, r.end),
                a.adopted,
                a.awaiting.join(", "),
                r.illustrative,
            )
        })
        .collect();

    let mut areas: Vec<(String, Area)> =
        typed::<Area>(state, RecordKind::Area).into_iter().map(|(id, a, _)| (id, a)).collect();
    areas.sort_by_key(|(_, a)| a.ordinal);
    // The snapshot's typed actions, parsed once per state value (`State::actions`).
    let actions = state.actions();
    let all_actions = actions.len();
    let area_ids: Vec<String> = areas.iter().map(|(id, _)| id.clone()).collect();
    let progress = summary::area_progress(&area_ids, &actions, today);
    let area_rows: Vec<AreaRow> = areas
        .iter()
        .zip(progress)
        .map(|((id, area), p)| {
            // Past DASHBOARD_ROWS actions the dashboard keeps to figures: no rows are made.
            let mut rows: Vec<ActionRow> = if all_actions > DASHBOARD_ROWS {
                Vec::new()
            } else {
                actions.iter().filter(|(_, a)| &a.area == id).map(|(aid, a)| action_row(aid, a, lang, today)).collect()
            };
            rows.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
            AreaRow {
                title: Txt::of(&area.title, lang),
                progress: p.progress,
                actions: p.actions,
                overdue: p.overdue,
                by_status: lajna_domain::ActionStatus::ALL
                    .iter()
                    .filter_map(|s| p.by_status.get(s.code()).map(|n| (s.code(), *n)))
                    .collect(),
                rows,
            }
        })
        .collect();
    let by_id: BTreeMap<&String, &Action> = actions.iter().map(|(id, a)| (id, a)).collect();
    let overdue_ids = summary::overdue(&actions, today);
    let due_ids = summary::due_within(&actions, today, 30);
    let (overdue_total, due_soon_total) = (overdue_ids.len(), due_ids.len());
    let overdue = overdue_ids
        .into_iter()
        .take(DASHBOARD_LIST)
        .filter_map(|(id, _)| by_id.get(&id).map(|a| action_row(&id, a, lang, today)))
        .collect();
    let due_soon = due_ids
        .into_iter()
        .take(DASHBOARD_LIST)
        .filter_map(|id| by_id.get(&id).map(|a| action_row(&id, a, lang, today)))
        .collect();

    let references = lajna_domain::reference::decision_references(state);
    let decisions = typed::<Decision>(state, RecordKind::Decision)
        .into_iter()
        .map(|(id, d, doc)| {
            let a = adoption(&doc, &parties);
            DecisionView {
                reference: references.get(&id).cloned().unwrap_or_default(),
                id,
                text: Txt::of(&d.text, lang),
                adopted: a.adopted,
                awaiting: a.awaiting.join(", "),
                illustrative: d.illustrative,
            }
        })
        .collect();
    let communiques = typed::<Communique>(state, RecordKind::Communique)
        .into_iter()
        .map(|(_, c, _)| CommuniqueView {
            issuer: Txt::of(&c.issuer, lang),
            title: Txt::of(&c.title, lang),
            text: Txt::of(&c.text, lang),
            quotes: c
                .quotes
                .iter()
                .map(|q| (member_label(&members, q.speaker.as_ref(), lang), Txt::of(&q.text, lang)))
                .collect(),
            illustrative: c.illustrative,
        })
        .collect();
    let press = typed::<PressDocument>(state, RecordKind::Press)
        .into_iter()
        .map(|(id, p, _)| PressLink {
            id,
            title: p.title.clone(),
            lang: p.language.code(),
            publisher: Txt::of(&p.publisher, lang),
        })
        .collect();
    let needs = typed::<Need>(state, RecordKind::Need)
        .into_iter()
        .map(|(_, n, _)| ListRow {
            party: n.party.to_string(),
            title: Txt::of(&n.title, lang),
            category: format!("category-{}", n.category.code()),
            amount: n.quantity.to_string(),
            unit: Txt::of(&n.unit, lang),
            status: format!("need-status-{}", n.status.code()),
            illustrative: n.illustrative,
        })
        .collect();
    let offers = typed::<Offer>(state, RecordKind::Offer)
        .into_iter()
        .map(|(_, o, _)| ListRow {
            party: o.party.to_string(),
            title: Txt::of(&o.title, lang),
            category: format!("category-{}", o.category.code()),
            amount: o.quantity.to_string(),
            unit: Txt::of(&o.unit, lang),
            status: format!("offer-status-{}", o.status.code()),
            illustrative: o.illustrative,
        })
        .collect();
    let training = typed::<Training>(state, RecordKind::Training)
        .into_iter()
        .map(|(_, t, _)| ListRow {
            party: t.host.to_string(),
            title: Txt::of(&t.course, lang),
            category: String::new(),
            amount: format!("{} / {}", t.seats_filled, t.seats_offered),
            unit: Txt::of(&t.institution, lang),
            status: String::new(),
            illustrative: t.illustrative,
        })
        .collect();

    Some(Dashboard {
        name: Txt::of(&charter.name, lang),
        purpose: Txt::opt(charter.purpose.as_ref(), lang),
        founded: charter.founded.map(|d| d.to_string()).unwrap_or_default(),
        parties: party_cards,
        reference_date: today.to_string(),
        demo: log.demo,
        missions: missions.into_iter().map(|(_, v)| v).collect(),
        sessions: sessions.iter().map(|s| session_view(s, lang)).collect(),
        next_session,
        next_mission,
        recent,
        roadmaps,
        areas: area_rows,
        overdue,
        overdue_total,
        due_soon,
        due_soon_total,
        all_actions,
        decisions,
        communiques,
        press,
        needs,
        offers,
        training,
        events: log.events,
        state_hash: log.state_hash,
        resources: resources::summary_line(state, log.currency, today, &tr),
    })
}

/// One line of a record's history: an event that created or changed it.
#[derive(Clone, Debug)]
pub struct HistoryRow {
    /// Author time, RFC 3339 UTC.
    pub at: String,
    /// Author party.
    pub party: String,
    /// Member acting (name), when a person.
    pub who: Txt,
    /// Message key of the event kind (`event-action-planned`, …).
    pub kind_key: String,
    /// Fields changed, as `name: value` pairs.
    pub changes: Vec<(String, String)>,
    /// Event id (hex).
    pub id: String,
    /// The record the event is about, when it has a page: (path after `/{lang}`, its title).
    pub record: Option<(String, Txt)>,
}

/// Everything the action page shows.
#[derive(Clone, Debug)]
pub struct ActionView {
    /// The row figures (title in the page language, status, dates …).
    pub row: ActionRow,
    /// The title in every language it has.
    pub titles: Vec<Txt>,
    /// Area title.
    pub area: Txt,
    /// Roadmap title.
    pub roadmap: Txt,
    /// Lead member.
    pub lead: Txt,
    /// Weight in its area.
    pub weight: i64,
    /// Indicator: unit, baseline, target, current.
    pub indicator: Option<(Txt, i64, i64, i64)>,
    /// Evidence: note, party, time.
    pub evidence: Vec<(Txt, String, String)>,
    /// History, oldest first.
    pub history: Vec<HistoryRow>,
    /// The decision it carries out: id and reference (`D-2025/1-3`).
    pub decision: Option<(String, String)>,
    /// Why it is delayed, blocked or cancelled (empty when no reason is stated).
    pub reason: Txt,
    /// The declared completion date of a done action, ISO (`YYYY-MM-DD`), or empty.
    pub completed: String,
}

fn history_row(e: &StoredEvent, members: &BTreeMap<String, Member>, lang: Lang) -> HistoryRow {
    let env: Option<lajna_ledger_view::Envelope> = serde_json::from_str(&e.raw.envelope).ok();
    let (member, body) = env.map(|v| (v.author.member, v.body)).unwrap_or_default();
    let mut changes = Vec::new();
    if let Some(set) = body.get("set").and_then(Value::as_object) {
        let keep = e.kind != RecordKind::Action.created_kind();
        for (k, v) in set {
            if keep || matches!(k.as_str(), "status" | "progress" | "due") {
                let shown = match v {
                    Value::String(s) => s.clone(),
                    Value::Object(_) => serde_json::from_value::<LocalizedText>(v.clone())
                        .map(|t| t.show(lang).to_string())
                        .unwrap_or_else(|_| v.to_string()),
                    other => other.to_string(),
                };
                changes.push((k.clone(), shown));
            }
        }
    }
    if let Some(note) = body.get("note").and_then(|n| serde_json::from_value::<LocalizedText>(n.clone()).ok()) {
        changes.push(("note".into(), note.show(lang).to_string()));
    }
    HistoryRow {
        at: e.at.clone(),
        party: e.party.clone(),
        who: member_label(members, member.as_ref(), lang),
        kind_key: format!("event-{}", e.kind.replace('.', "-")),
        changes,
        id: e.id.clone(),
        record: None,
    }
}

/// The page and title of the record an event is about (the record it creates, or the one its
/// body names), for kinds that have a page.
fn record_link(state: &State, e: &StoredEvent, lang: Lang) -> Option<(String, Txt)> {
    let env: lajna_ledger_view::Envelope = serde_json::from_str(&e.raw.envelope).ok()?;
    let id = env.body.get("record").and_then(Value::as_str).map_or_else(|| e.id.clone(), str::to_string);
    let entry = state.entry(&id)?;
    if !matches!(
        entry.kind,
        RecordKind::Action | RecordKind::Decision | RecordKind::Session | RecordKind::Mission | RecordKind::Roadmap
    ) {
        return None;
    }
    let path = record_path(entry.kind, &id);
    let title = if entry.kind == RecordKind::Decision {
        let reference = lajna_domain::reference::decision_reference(state, &id)?;
        Txt { lang: "en", dir: "ltr", text: reference }
    } else {
        let text: LocalizedText = serde_json::from_value(entry.fields.get("title")?.1.clone()).ok()?;
        Txt::of(&text, lang)
    };
    Some((path, title))
}

/// The envelope fields the history needs (a view of the stored bytes; the read side does not
/// depend on the ledger).
mod lajna_ledger_view {
    use serde::Deserialize;

    #[derive(Deserialize, Default)]
    pub struct Author {
        #[serde(default)]
        pub member: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Envelope {
        pub author: Author,
        pub body: serde_json::Value,
    }
}

/// Builds the action page's model from `state` and the action's `history` (its events, oldest
/// first); `None` when `state` has no action `id`.
#[must_use]
pub fn action(state: &State, history: &[StoredEvent], id: &str, lang: Lang, today: Date) -> Option<ActionView> {
    let doc = state.require(RecordKind::Action, id).ok()?.doc(id);
    let a: Action = serde_json::from_value(doc.clone()).ok()?;
    let members = members(state);
    let title_of = |id: &str| {
        state
            .entry(id)
            .and_then(|e| serde_json::from_value::<LocalizedText>(e.fields.get("title")?.1.clone()).ok())
            .map(|t| Txt::of(&t, lang))
            .unwrap_or_default()
    };
    let titles = Lang::ALL
        .iter()
        .filter_map(|l| a.title.get(*l).map(|t| Txt { lang: l.code(), dir: l.dir(), text: t.to_string() }))
        .collect();
    let evidence = doc
        .get("evidence")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|e| {
                    let note: LocalizedText = serde_json::from_value(e.get("note")?.clone()).ok()?;
                    Some((
                        Txt::of(&note, lang),
                        e.get("party")?.as_str()?.to_string(),
                        e.get("at")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let decision = a
        .decision
        .as_ref()
        .map(|d| (d.clone(), lajna_domain::reference::decision_reference(state, d).unwrap_or_else(|| d.clone())));
    Some(ActionView {
        decision,
        reason: Txt::opt(a.reason.as_ref(), lang),
        completed: a.completed.map(|d| d.to_string()).unwrap_or_default(),
        row: action_row(id, &a, lang, today),
        titles,
        area: title_of(&a.area),
        roadmap: title_of(&a.roadmap),
        lead: member_label(&members, a.lead.as_ref(), lang),
        weight: a.weight.unwrap_or(1),
        indicator: a.indicator.as_ref().map(|i| (Txt::of(&i.unit, lang), i.baseline, i.target, i.current)),
        evidence,
        history: history.iter().map(|e| history_row(e, &members, lang)).collect(),
    })
}
