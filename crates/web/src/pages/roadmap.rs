//! The roadmap (the follow-up matrix: actions grouped by cooperation area, with filters,
//! sorting, pagination and an inline status/progress form), needs and offers, training
//! programmes, and the record (event log) with each event's verification state.
//!
//! Every page needs a signed-in user. Filters travel in the query string (GET forms, no CSRF);
//! a filter value that names nothing known (a party not in the committee, an unknown status
//! or area) is ignored rather than refused, so an old link still opens. The inline form posts
//! to the action page's own handler (`POST /{lang}/actions/{id}/progress`), which applies the
//! role rules again and redirects to the action.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use lajna_domain::records::{Action, Area, Need, Offer, Roadmap, Training};
use lajna_domain::values::Category;
use lajna_domain::{ActionStatus, Command, Lang, LocalizedText, RecordKind, adoption, summary};
use lajna_node::auth::authorize;
use lajna_node::record::{EventCheck, LogKind, Verification};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::{Arg, Tr};
use crate::views::{ActionRow, Txt};
use crate::{AppState, WebError};

/// Actions per roadmap page.
pub const ACTIONS_PER_PAGE: usize = 50;
/// Events per record page.
pub const EVENTS_PER_PAGE: usize = 100;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/roadmap", get(roadmap))
        .route("/{lang}/needs", get(needs))
        .route("/{lang}/training", get(training))
        .route("/{lang}/record", get(record))
}

/// The query string as (name, value) pairs, in order (for a repeated name, the last non-empty
/// value wins; an empty value means "all").
type Params = Vec<(String, String)>;

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().rev().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.trim())
}

fn page_param(q: &[(String, String)]) -> usize {
    param(q, "page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).max(1)
}

/// Number of pages for `total` items, `per` to a page (at least one page, even when empty).
#[must_use]
pub fn page_count(total: usize, per: usize) -> usize {
    total.div_ceil(per.max(1)).max(1)
}

/// "Page {page} of {pages}" in `tr`'s language.
fn page_of(tr: Tr<'_>, page: usize, pages: usize) -> String {
    let arg = |n: usize| Arg::Num(i64::try_from(n).unwrap_or(i64::MAX));
    tr.catalog.get(tr.lang, "roadmap-page-of", &[("page", arg(page)), ("pages", arg(pages))])
}

fn txt(t: &LocalizedText, lang: Lang) -> Txt {
    Txt::of(t, lang)
}

async fn typed<T: DeserializeOwned>(state: &AppState, kind: RecordKind) -> Result<Vec<(String, T, Value)>, WebError> {
    crate::views::typed(&state.node, kind).await
}

async fn parties(state: &AppState) -> Result<Vec<String>, WebError> {
    let (_, charter) = state.node.store.charter().await?.ok_or(WebError::NotFound)?;
    Ok(charter.parties.iter().map(|p| p.code.to_string()).collect())
}

// ---------------------------------------------------------------------------------------------
// Roadmap

/// How the roadmap's actions are ordered inside each area.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// By due date (the default).
    #[default]
    Due,
    /// By progress.
    Progress,
    /// By status, in the order of [`ActionStatus::ALL`].
    Status,
    /// By title, as shown in the page's language.
    Title,
}

impl Sort {
    /// Every sort, in the order of the form.
    pub const ALL: [Sort; 4] = [Sort::Due, Sort::Progress, Sort::Status, Sort::Title];

    /// The query-string code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Sort::Due => "due",
            Sort::Progress => "progress",
            Sort::Status => "status",
            Sort::Title => "title",
        }
    }

    /// Parses a query-string code.
    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The roadmap's filters, sort and page, from the query string. Empty strings mean "all".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Owner party code.
    pub party: String,
    /// Status code.
    pub status: String,
    /// Area id.
    pub area: String,
    /// Only overdue actions.
    pub overdue: bool,
    /// Order inside each area.
    pub sort: Sort,
    /// Descending.
    pub desc: bool,
    /// Page, from 1.
    pub page: usize,
}

impl Filter {
    /// Reads the query string, keeping only values that name a known party, status or area.
    #[must_use]
    pub fn parse(q: &[(String, String)], parties: &[String], areas: &[String]) -> Self {
        let party = param(q, "party").map(str::to_ascii_uppercase).filter(|p| parties.contains(p)).unwrap_or_default();
        let status = param(q, "status").and_then(|s| ActionStatus::parse(s).ok()).map(|s| s.code().to_string());
        let area = param(q, "area").filter(|a| areas.iter().any(|x| x == a)).map(String::from);
        Self {
            party,
            status: status.unwrap_or_default(),
            area: area.unwrap_or_default(),
            overdue: matches!(param(q, "overdue"), Some("1" | "true" | "on")),
            sort: param(q, "sort").and_then(Sort::parse).unwrap_or_default(),
            desc: param(q, "dir") == Some("desc"),
            page: page_param(q),
        }
    }

    /// The query string (without `?`) for these filters on `page`; default values are left
    /// out. Every value is a validated code, so nothing needs escaping.
    #[must_use]
    pub fn query(&self, page: usize) -> String {
        let mut parts = Vec::new();
        for (name, value) in [("party", &self.party), ("status", &self.status), ("area", &self.area)] {
            if !value.is_empty() {
                parts.push(format!("{name}={value}"));
            }
        }
        if self.overdue {
            parts.push("overdue=1".into());
        }
        if self.sort != Sort::Due {
            parts.push(format!("sort={}", self.sort.code()));
        }
        if self.desc {
            parts.push("dir=desc".into());
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        parts.join("&")
    }

    fn keeps(&self, a: &Action, today: jiff::civil::Date) -> bool {
        (self.party.is_empty() || a.owner.as_str() == self.party)
            && (self.status.is_empty() || a.status.code() == self.status)
            && (self.area.is_empty() || a.area == self.area)
            && (!self.overdue || summary::is_overdue(a, today))
    }
}

fn status_rank(s: ActionStatus) -> usize {
    ActionStatus::ALL.iter().position(|x| *x == s).unwrap_or(usize::MAX)
}

/// One roadmap row: the action's figures and whether the viewer may update it here.
#[derive(Clone, Debug)]
pub struct Row {
    /// Figures.
    pub r: ActionRow,
    /// The viewer may report status and progress.
    pub can_update: bool,
}

/// The rows of one area on the current page.
#[derive(Clone, Debug)]
pub struct Group {
    /// Area title.
    pub title: Txt,
    /// Rows, in the chosen order.
    pub rows: Vec<Row>,
}

/// A roadmap's heading.
#[derive(Clone, Debug)]
pub struct RoadmapHead {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Txt,
    /// Period start, ISO.
    pub start: String,
    /// Period end, ISO.
    pub end: String,
    /// Endorsed by both parties' co-chairs on the current version.
    pub adopted: bool,
    /// Parties still to endorse, joined.
    pub awaiting: String,
    /// Example data.
    pub illustrative: bool,
}

#[derive(Template)]
#[template(path = "roadmap.html")]
struct RoadmapPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    reference_date: String,
    roadmaps: Vec<RoadmapHead>,
    groups: Vec<Group>,
    any_update: bool,
    filter: Filter,
    parties: Vec<String>,
    areas: Vec<(String, Txt)>,
    statuses: &'static [ActionStatus],
    sorts: [Sort; 4],
    /// Actions matching the filters (all pages).
    total: usize,
    page: usize,
    pages: usize,
    page_label: String,
    prev: Option<String>,
    next: Option<String>,
    /// Gantt chart of the actions of this page (inline SVG, mirrored in Arabic).
    gantt: String,
}

/// `GET /{lang}/roadmap?party=&status=&area=&overdue=1&sort=&dir=desc&page=`.
async fn roadmap(page: Page, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    Ok(Html(roadmap_page(&page, &q).await.or_page(&page)?))
}

#[allow(clippy::too_many_lines, reason = "one page model, step by step: heads, filter, sort, page, group")]
async fn roadmap_page(page: &Page, q: &[(String, String)]) -> Result<String, WebError> {
    let (state, lang, tr) = (&page.state, page.lang, page.tr());
    let today = state.node.today();
    let parties = parties(state).await?;

    let mut roadmaps: Vec<(Roadmap, RoadmapHead)> = typed::<Roadmap>(state, RecordKind::Roadmap)
        .await?
        .into_iter()
        .map(|(id, r, doc)| {
            let a = adoption(&doc, &parties);
            let head = RoadmapHead {
                id,
                title: txt(&r.title, lang),
                start: r.start.to_string(),
                end: r.end.to_string(),
                adopted: a.adopted,
                awaiting: a.awaiting.join(", "),
                illustrative: r.illustrative,
            };
            (r, head)
        })
        .collect();
    roadmaps.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));

    let mut areas: Vec<(String, Area)> =
        typed::<Area>(state, RecordKind::Area).await?.into_iter().map(|(id, a, _)| (id, a)).collect();
    areas.sort_by(|(ia, a), (ib, b)| a.ordinal.cmp(&b.ordinal).then_with(|| ia.cmp(ib)));
    let area_ids: Vec<String> = areas.iter().map(|(id, _)| id.clone()).collect();
    let filter = Filter::parse(q, &parties, &area_ids);

    // Order: area (by ordinal; an action whose area is unknown comes last), then the chosen
    // key (reversed for `dir=desc`), then due date, then id, so the order is total and stable
    // across pages.
    let position: BTreeMap<&str, usize> = area_ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let mut actions: Vec<(usize, String, String, Action)> = typed::<Action>(state, RecordKind::Action)
        .await?
        .into_iter()
        .filter(|(_, a, _)| filter.keeps(a, today))
        .map(|(id, a, _)| {
            let pos = position.get(a.area.as_str()).copied().unwrap_or(usize::MAX);
            (pos, a.title.show(lang).to_lowercase(), id, a)
        })
        .collect();
    actions.sort_by(|(pa, ta, ia, a), (pb, tb, ib, b)| {
        let key = match filter.sort {
            Sort::Due => a.due.cmp(&b.due),
            Sort::Progress => a.progress.cmp(&b.progress),
            Sort::Status => status_rank(a.status).cmp(&status_rank(b.status)),
            Sort::Title => ta.cmp(tb),
        };
        let key = if filter.desc { key.reverse() } else { key };
        pa.cmp(pb)
            .then(key)
            .then_with(|| if filter.sort == Sort::Due { Ordering::Equal } else { a.due.cmp(&b.due) })
            .then_with(|| ia.cmp(ib))
    });

    let total = actions.len();
    let pages = page_count(total, ACTIONS_PER_PAGE);
    let number = filter.page.min(pages);
    let shown: Vec<(usize, String, Action)> = actions
        .into_iter()
        .skip((number - 1) * ACTIONS_PER_PAGE)
        .take(ACTIONS_PER_PAGE)
        .map(|(pos, _, id, a)| (pos, id, a))
        .collect();

    let can: Vec<bool> = state
        .node
        .with_state(|s| {
            shown
                .iter()
                .map(|(_, id, _)| {
                    let probe =
                        Command::ReportProgress { reason: None, action: id.clone(), status: None, progress: None };
                    authorize(&page.user, s, &probe).is_ok()
                })
                .collect()
        })
        .await;
    let any_update = can.iter().any(|c| *c);

    let mut groups: Vec<(usize, Group)> = Vec::new();
    for ((pos, id, a), can_update) in shown.into_iter().zip(can) {
        let row = Row {
            r: ActionRow {
                title: txt(&a.title, lang),
                owner: a.owner.to_string(),
                unit: txt(&a.unit, lang),
                start: a.start.to_string(),
                due: a.due.to_string(),
                status: a.status.code(),
                progress: a.progress.percent(),
                days_late: summary::days_late(&a, today),
                illustrative: a.illustrative,
                id,
            },
            can_update,
        };
        match groups.last_mut() {
            Some((p, g)) if *p == pos => g.rows.push(row),
            _ => {
                let title = match areas.get(pos) {
                    Some((_, area)) => txt(&area.title, lang),
                    None => Txt { lang: "", dir: "auto", text: tr.t("area") },
                };
                groups.push((pos, Group { title, rows: vec![row] }));
            }
        }
    }

    let gantt = super::report::gantt_of_rows(groups.iter().flat_map(|(_, g)| g.rows.iter().map(|r| &r.r)), today, tr);
    let base = format!("/{}/roadmap", lang.code());
    let href = |p: usize| {
        let q = filter.query(p);
        if q.is_empty() { base.clone() } else { format!("{base}?{q}") }
    };
    let here = filter.query(number);
    let page_view = RoadmapPage {
        ctx: page.ctx(if here.is_empty() { "/roadmap".to_string() } else { format!("/roadmap?{here}") }),
        tr,
        reference_date: today.to_string(),
        roadmaps: roadmaps.into_iter().map(|(_, h)| h).collect(),
        groups: groups.into_iter().map(|(_, g)| g).collect(),
        any_update,
        parties,
        areas: areas.iter().map(|(id, a)| (id.clone(), txt(&a.title, lang))).collect(),
        statuses: ActionStatus::ALL,
        sorts: Sort::ALL,
        total,
        page: number,
        pages,
        page_label: page_of(tr, number, pages),
        prev: (number > 1).then(|| href(number - 1)),
        next: (number < pages).then(|| href(number + 1)),
        filter,
        gantt,
    };
    Ok(page_view.render()?)
}

// ---------------------------------------------------------------------------------------------
// Needs and offers

/// A need row.
#[derive(Clone, Debug)]
pub struct NeedRow {
    /// Requesting party.
    pub party: String,
    /// Title.
    pub title: Txt,
    /// Category code.
    pub category: &'static str,
    /// Quantity.
    pub quantity: i64,
    /// Unit.
    pub unit: Txt,
    /// Priority code.
    pub priority: &'static str,
    /// Status code.
    pub status: &'static str,
    /// The action that fulfils it: (id, title).
    pub action: Option<(String, Txt)>,
    /// Example data.
    pub illustrative: bool,
}

/// An offer row.
#[derive(Clone, Debug)]
pub struct OfferRow {
    /// Offering party.
    pub party: String,
    /// Title.
    pub title: Txt,
    /// Category code.
    pub category: &'static str,
    /// Quantity.
    pub quantity: i64,
    /// Unit.
    pub unit: Txt,
    /// Status code.
    pub status: &'static str,
    /// The need it answers (title).
    pub need: Option<Txt>,
    /// The action of that need: (id, title).
    pub action: Option<(String, Txt)>,
    /// Example data.
    pub illustrative: bool,
}

#[derive(Template)]
#[template(path = "needs.html")]
struct NeedsPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    needs: Vec<NeedRow>,
    offers: Vec<OfferRow>,
    parties: Vec<String>,
    categories: &'static [Category],
    party: String,
    category: String,
}

/// `GET /{lang}/needs?party=&category=`.
async fn needs(page: Page, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    Ok(Html(needs_page(&page, &q).await.or_page(&page)?))
}

async fn action_titles(state: &AppState, lang: Lang) -> Result<BTreeMap<String, Txt>, WebError> {
    Ok(typed::<Action>(state, RecordKind::Action)
        .await?
        .into_iter()
        .map(|(id, a, _)| (id, txt(&a.title, lang)))
        .collect())
}

fn priority_rank(code: &str) -> usize {
    lajna_domain::values::Priority::ALL.iter().position(|p| p.code() == code).unwrap_or(usize::MAX)
}

async fn needs_page(page: &Page, q: &[(String, String)]) -> Result<String, WebError> {
    let (state, lang) = (&page.state, page.lang);
    let parties = parties(state).await?;
    let party = param(q, "party").map(str::to_ascii_uppercase).filter(|p| parties.contains(p)).unwrap_or_default();
    let category =
        param(q, "category").and_then(|c| Category::parse(c).ok()).map(|c| c.code().to_string()).unwrap_or_default();
    let keep = |p: &str, c: Category| (party.is_empty() || p == party) && (category.is_empty() || c.code() == category);
    let actions = action_titles(state, lang).await?;
    let link = |id: Option<&String>| id.and_then(|id| actions.get(id).map(|t| (id.clone(), t.clone())));

    let all_needs = typed::<Need>(state, RecordKind::Need).await?;
    let need_of: BTreeMap<&String, &Need> = all_needs.iter().map(|(id, n, _)| (id, n)).collect();
    let mut needs: Vec<NeedRow> = all_needs
        .iter()
        .filter(|(_, n, _)| keep(n.party.as_str(), n.category))
        .map(|(_, n, _)| NeedRow {
            party: n.party.to_string(),
            title: txt(&n.title, lang),
            category: n.category.code(),
            quantity: n.quantity,
            unit: txt(&n.unit, lang),
            priority: n.priority.code(),
            status: n.status.code(),
            action: link(n.action.as_ref()),
            illustrative: n.illustrative,
        })
        .collect();
    needs.sort_by(|a, b| {
        a.party
            .cmp(&b.party)
            .then_with(|| priority_rank(a.priority).cmp(&priority_rank(b.priority)))
            .then_with(|| a.title.text.cmp(&b.title.text))
    });
    let mut offers: Vec<OfferRow> = typed::<Offer>(state, RecordKind::Offer)
        .await?
        .into_iter()
        .filter(|(_, o, _)| keep(o.party.as_str(), o.category))
        .map(|(_, o, _)| {
            let need = o.need.as_ref().and_then(|id| need_of.get(id));
            OfferRow {
                party: o.party.to_string(),
                title: txt(&o.title, lang),
                category: o.category.code(),
                quantity: o.quantity,
                unit: txt(&o.unit, lang),
                status: o.status.code(),
                need: need.map(|n| txt(&n.title, lang)),
                action: need.and_then(|n| link(n.action.as_ref())),
                illustrative: o.illustrative,
            }
        })
        .collect();
    offers.sort_by(|a, b| a.party.cmp(&b.party).then_with(|| a.title.text.cmp(&b.title.text)));

    let mut query = Vec::new();
    if !party.is_empty() {
        query.push(format!("party={party}"));
    }
    if !category.is_empty() {
        query.push(format!("category={category}"));
    }
    let path = if query.is_empty() { "/needs".to_string() } else { format!("/needs?{}", query.join("&")) };
    let html = NeedsPage {
        ctx: page.ctx(path),
        tr: page.tr(),
        needs,
        offers,
        parties,
        categories: Category::ALL,
        party,
        category,
    }
    .render()?;
    Ok(html)
}

// ---------------------------------------------------------------------------------------------
// Training

/// A training programme row.
#[derive(Clone, Debug)]
pub struct TrainingRow {
    /// Host party.
    pub host: String,
    /// Host institution.
    pub institution: Txt,
    /// Course.
    pub course: Txt,
    /// Seats filled.
    pub filled: i64,
    /// Seats offered.
    pub offered: i64,
    /// Start, ISO.
    pub start: String,
    /// End, ISO.
    pub end: String,
    /// The action it serves: (id, title).
    pub action: Option<(String, Txt)>,
    /// Example data.
    pub illustrative: bool,
}

#[derive(Template)]
#[template(path = "training.html")]
struct TrainingPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    rows: Vec<TrainingRow>,
}

/// `GET /{lang}/training`.
async fn training(page: Page) -> Result<Html<String>, PageError> {
    Ok(Html(training_page(&page).await.or_page(&page)?))
}

async fn training_page(page: &Page) -> Result<String, WebError> {
    let (state, lang) = (&page.state, page.lang);
    let actions = action_titles(state, lang).await?;
    let mut programmes = typed::<Training>(state, RecordKind::Training).await?;
    programmes.sort_by(|(ia, a, _), (ib, b, _)| a.start.cmp(&b.start).then_with(|| ia.cmp(ib)));
    let rows = programmes
        .into_iter()
        .map(|(_, t, _)| TrainingRow {
            host: t.host.to_string(),
            institution: txt(&t.institution, lang),
            course: txt(&t.course, lang),
            filled: t.seats_filled,
            offered: t.seats_offered,
            start: t.start.to_string(),
            end: t.end.to_string(),
            action: t.action.as_ref().and_then(|id| actions.get(id).map(|x| (id.clone(), x.clone()))),
            illustrative: t.illustrative,
        })
        .collect();
    Ok(TrainingPage { ctx: page.ctx("/training"), tr: page.tr(), rows }.render()?)
}

// ---------------------------------------------------------------------------------------------
// Record

/// What the node's last full verification (kept, see [`lajna_node::record`]) says of one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Checked and sound by the last full verification.
    Verified,
    /// Stored since the last full verification started: checked on the way in.
    OnReceipt,
    /// The first bad event.
    Failed,
    /// After the bad event: verification stopped before it.
    NotChecked,
}

impl Check {
    /// CSS class suffix.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Check::Verified => "verified",
            Check::OnReceipt => "on-receipt",
            Check::Failed => "failed",
            Check::NotChecked => "not-checked",
        }
    }
}

impl From<EventCheck> for Check {
    fn from(c: EventCheck) -> Self {
        match c {
            EventCheck::Verified => Check::Verified,
            EventCheck::OnReceipt => Check::OnReceipt,
            EventCheck::Failed => Check::Failed,
            EventCheck::NotChecked => Check::NotChecked,
        }
    }
}

/// One event of the record page.
#[derive(Clone, Debug)]
pub struct EventRow {
    /// Local sequence number (in its log).
    pub seq: i64,
    /// Lamport clock.
    pub lamport: i64,
    /// Author time, RFC 3339 UTC.
    pub at: String,
    /// Author party.
    pub party: String,
    /// Event kind.
    pub kind: String,
    /// The kind's label in the page's language (empty when the catalogue has none).
    pub label: String,
    /// Full id (hex).
    pub id: String,
    /// First 12 hex digits of the id.
    pub short: String,
    /// Verification state.
    pub check: Check,
    /// Why it failed (only for [`Check::Failed`]).
    pub reason: String,
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    /// Shared events this viewer may see, this page's.
    events: Vec<EventRow>,
    /// Shared events this viewer may see.
    count: i64,
    /// The stored projections' state hash now.
    state_hash: String,
    /// When the last full verification ran (RFC 3339 UTC) and how many events it checked.
    checked_at: String,
    checked_events: i64,
    /// Events this viewer may see stored since the last full verification started.
    since: i64,
    /// The last full verification found every event sound and the projections matching.
    ok: bool,
    /// The first bad event, described.
    problem: Option<String>,
    /// The fresh fold's hash, when it differed from the stored projections'.
    mismatch: Option<String>,
    /// The viewer's party's private-log events they may see, newest first (first page only).
    private: Vec<EventRow>,
    /// How many there are in all.
    private_count: i64,
    party: String,
    page: usize,
    pages: usize,
    page_label: String,
    prev: Option<String>,
    next: Option<String>,
}

/// `GET /{lang}/record?page=`: newest first. Cheap: shows the node's kept verification, never
/// runs one (except the node's first, once, when none has completed yet), and only the events
/// of records the viewer may see.
async fn record(page: Page, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    Ok(Html(record_page(&page, &q).await.or_page(&page)?))
}

fn event_row(tr: Tr<'_>, e: lajna_store::StoredEvent, check: Check, verification: &Verification) -> EventRow {
    let key = format!("event-{}", e.kind.replace('.', "-"));
    let label = tr.t(&key);
    let reason = match (&verification.problem, check) {
        (Some((_, why)), Check::Failed) => why.clone(),
        _ => String::new(),
    };
    EventRow {
        label: if label == key { String::new() } else { label },
        seq: e.seq,
        lamport: e.lamport,
        at: e.at,
        party: e.party,
        kind: e.kind,
        short: e.id.chars().take(12).collect(),
        id: e.id,
        reason,
        check,
    }
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

async fn record_page(page: &Page, q: &[(String, String)]) -> Result<String, WebError> {
    let (lang, tr) = (page.lang, page.tr());
    let node = &page.state.node;
    let verification = node.verification().await?;
    let visible = node.visible_events(&page.user).await?;

    let total = visible.shared.len();
    let pages = page_count(total, EVENTS_PER_PAGE);
    let number = page_param(q).min(pages);
    // Newest first: page 1 holds the last EVENTS_PER_PAGE visible events.
    let hi = total.saturating_sub((number - 1) * EVENTS_PER_PAGE);
    let lo = total.saturating_sub(number * EVENTS_PER_PAGE);
    let mut stored = node.events_at(LogKind::Shared, &visible.shared[lo..hi]).await?;
    stored.reverse();
    let row = |log: LogKind, e: lajna_store::StoredEvent| {
        let check = verification.check_of(log, e.seq).into();
        event_row(tr, e, check, &verification)
    };
    let events = stored.into_iter().map(|e| row(LogKind::Shared, e)).collect();
    let private = if number == 1 {
        let newest = &visible.private[visible.private.len().saturating_sub(EVENTS_PER_PAGE)..];
        let mut stored = node.events_at(LogKind::Private, newest).await?;
        stored.reverse();
        stored.into_iter().map(|e| row(LogKind::Private, e)).collect()
    } else {
        vec![]
    };
    let since = visible.shared.iter().filter(|s| **s > verification.shared_seq).count()
        + visible.private.iter().filter(|s| **s > verification.private_seq).count();

    let problem = verification.problem.as_ref().map(|(id, why)| {
        tr.catalog.get(lang, "record-problem", &[("id", Arg::Text(id.clone())), ("reason", Arg::Text(why.clone()))])
    });
    let mismatch = (verification.rebuilt_hash != verification.stored_hash).then(|| verification.rebuilt_hash.clone());
    let href = |p: usize| {
        if p > 1 { format!("/{}/record?page={p}", lang.code()) } else { format!("/{}/record", lang.code()) }
    };
    let page_view = RecordPage {
        ctx: page.ctx(if number > 1 { format!("/record?page={number}") } else { "/record".to_string() }),
        tr,
        events,
        count: to_i64(total),
        state_hash: node.store.state_hash().await?,
        checked_at: verification.at.clone(),
        checked_events: to_i64(verification.events),
        since: to_i64(since),
        ok: verification.ok(),
        problem,
        mismatch,
        private,
        private_count: to_i64(visible.private.len()),
        party: page.user.party.to_string(),
        page: number,
        pages,
        page_label: page_of(tr, number, pages),
        prev: (number > 1).then(|| href(number - 1)),
        next: (number < pages).then(|| href(number + 1)),
    };
    Ok(page_view.render()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect()
    }

    #[test]
    fn page_count_is_at_least_one() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_count(100, 50), 2);
    }

    #[test]
    fn unknown_filter_values_are_ignored_and_the_query_round_trips() {
        let parties = vec!["MAR".to_string(), "MLI".to_string()];
        let areas = vec!["a1".to_string()];
        let f = Filter::parse(
            &q(&[
                ("party", "mli"),
                ("status", "done"),
                ("area", "a1"),
                ("overdue", "1"),
                ("sort", "title"),
                ("dir", "desc"),
                ("page", "3"),
            ]),
            &parties,
            &areas,
        );
        assert_eq!(f.query(f.page), "party=MLI&status=done&area=a1&overdue=1&sort=title&dir=desc&page=3");
        let g = Filter::parse(
            &q(&[("party", "FRA"), ("status", "finished"), ("area", "zz"), ("page", "x")]),
            &parties,
            &areas,
        );
        assert_eq!(g, Filter { page: 1, ..Filter::default() });
        assert_eq!(g.query(1), "");
        // For a repeated name the last non-empty value wins.
        let h = Filter::parse(&q(&[("party", "MAR"), ("party", "")]), &parties, &areas);
        assert_eq!(h.party, "MAR");
    }
}
