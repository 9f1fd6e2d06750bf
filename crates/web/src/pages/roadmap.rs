//! The roadmap (the follow-up matrix: actions grouped by cooperation area, with filters,
//! sorting, pagination and an inline status/progress form), needs and offers, training
//! programmes, and the record (event log) with each event's verification state. The read
//! models are [`lajna_views::roadmap`]'s; here are the routes and templates.
//!
//! Every page needs a signed-in user. Filters travel in the query string (GET forms, no CSRF).
//! The inline form posts to the action page's own handler (`POST /{lang}/actions/{id}/progress`),
//! which applies the role rules again and redirects to the action.

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::response::{Html, Response};
use axum::routing::get;
use lajna_domain::values::Category;
use lajna_domain::{ActionStatus, Command};
use lajna_door::auth::authorize;
use lajna_door::record::LogKind;

use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
use crate::views::cache::CSRF_MARK;
#[allow(clippy::wildcard_imports, reason = "the pages render their read models")]
use crate::views::roadmap::*;
use crate::{AppState, KeptPage};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/roadmap", get(roadmap))
        .route("/{lang}/needs", get(needs))
        .route("/{lang}/training", get(training))
        .route("/{lang}/record", get(record))
}

/// The query string as (name, value) pairs, in order.
type Params = Vec<(String, String)>;

/// Links to the previous and next page, from `href` of a page number.
fn prev_next(number: usize, pages: usize, href: impl Fn(usize) -> String) -> (Option<String>, Option<String>) {
    ((number > 1).then(|| href(number - 1)), (number < pages).then(|| href(number + 1)))
}

#[derive(Template)]
#[template(path = "roadmap_main.html")]
struct RoadmapMain<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    reference_date: String,
    v: RoadmapView,
    statuses: &'static [ActionStatus],
    sorts: [Sort; 4],
    page_label: String,
    prev: Option<String>,
    next: Option<String>,
    /// Gantt chart of the actions of this page (inline SVG, mirrored in Arabic).
    gantt: String,
    /// Where the session's CSRF token goes ([`CSRF_MARK`]).
    csrf: &'static str,
}

/// Whether `user` may report progress on action `id` (the page offers the form then).
fn may_report(user: &lajna_door::auth::User, state: &lajna_domain::State, id: &str) -> bool {
    let probe =
        Command::ReportProgress { completed: None, reason: None, action: id.to_string(), status: None, progress: None };
    authorize(user, state, &probe).is_ok()
}

/// `GET /{lang}/roadmap?party=&status=&area=&overdue=1&sort=&dir=desc&page=`: rendered once
/// per reader (the quick-update forms follow their rights), language, query, generation and date.
async fn roadmap(page: Page, Query(q): Query<Params>) -> Result<Response, PageError> {
    let (snapshot, today) = (page.state.node.read(&page.user).await, page.state.node.today());
    let query: String = q.iter().map(|(k, v)| format!("{k}={v}&")).collect();
    let key = format!("roadmap/{}/{:?}/{today}?{query}", page.lang.code(), page.user);
    page.framed(&*page.kept(snapshot.generation(), &key, || roadmap_main(&page, &snapshot, &q, today)).await?)
}

/// The roadmap page's content: the rows of the page the query asks, their Gantt chart, the pager.
fn roadmap_main(
    page: &Page,
    s: &lajna_domain::State,
    q: &Params,
    today: jiff::civil::Date,
) -> askama::Result<KeptPage> {
    let (tr, user) = (page.tr(), &page.user);
    let v = crate::views::roadmap::roadmap(s, q, tr, today, |id| may_report(user, s, id));
    let gantt = lajna_report::html::gantt_of_rows(v.groups.iter().flat_map(|g| g.rows.iter().map(|r| &r.r)), today, tr);
    let (number, base) = (v.filter.page, format!("/{}/roadmap", tr.lang.code()));
    let (prev, next) = prev_next(number, v.pages, |p| match v.filter.query(p) {
        q if q.is_empty() => base.clone(),
        q => format!("{base}?{q}"),
    });
    // The language switcher keeps the filters, as the page's links write them.
    let path = match v.filter.query(number) {
        here if here.is_empty() => "/roadmap".to_string(),
        here => format!("/roadmap?{here}"),
    };
    let (page_label, reference_date, csrf) = (page_of(tr, number, v.pages), today.to_string(), CSRF_MARK);
    let (ctx, statuses, sorts) = (page.ctx(path.clone()), ActionStatus::ALL, Sort::ALL);
    let main = RoadmapMain { ctx, tr, reference_date, statuses, sorts, page_label, prev, next, gantt, csrf, v };
    Ok(KeptPage { title: tr.t("roadmap"), path, content: main.render()? })
}

#[derive(Template)]
#[template(path = "needs.html")]
struct NeedsPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    v: NeedsView,
    categories: &'static [Category],
}

/// `GET /{lang}/needs?party=&category=`.
async fn needs(page: Page, Query(q): Query<Params>) -> Result<Html<String>, PageError> {
    let v = crate::views::roadmap::needs(&*page.state.node.read(&page.user).await, &q, page.lang);
    let query: Vec<String> = [("party", &v.party), ("category", &v.category)]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let path = if query.is_empty() { "/needs".to_string() } else { format!("/needs?{}", query.join("&")) };
    let view = NeedsPage { ctx: page.ctx(path), tr: page.tr(), v, categories: Category::ALL };
    Ok(Html(view.render().or_page(&page)?))
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
    let rows = crate::views::roadmap::training(&*page.state.node.read(&page.user).await, page.lang);
    Ok(Html(TrainingPage { ctx: page.ctx("/training"), tr: page.tr(), rows }.render().or_page(&page)?))
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    v: RecordView,
    /// The stored projections' state hash now.
    state_hash: String,
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
    let (lang, tr, node) = (page.lang, page.tr(), &page.state.node);
    let verification = node.verification().await.or_page(&page)?;
    let visible = node.visible_events(&page.user).await.or_page(&page)?;
    let w = RecordWindow::of(&visible, page_param(&q));
    let shared = node.events_at(LogKind::Shared, w.shared(&visible)).await.or_page(&page)?;
    let private = node.events_at(LogKind::Private, w.private(&visible)).await.or_page(&page)?;
    let (prev, next) = prev_next(w.page, w.pages, |p| match p {
        1 => format!("/{}/record", lang.code()),
        p => format!("/{}/record?page={p}", lang.code()),
    });
    let page_view = RecordPage {
        ctx: page.ctx(if w.page > 1 { format!("/record?page={}", w.page) } else { "/record".to_string() }),
        tr,
        v: crate::views::roadmap::record(tr, &verification, &visible, shared, private),
        state_hash: node.state_hash().await.or_page(&page)?,
        party: page.user.party.to_string(),
        page: w.page,
        pages: w.pages,
        page_label: page_of(tr, w.page, w.pages),
        prev,
        next,
    };
    Ok(Html(page_view.render().or_page(&page)?))
}
