//! The dashboard and the press article page.
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use jiff::civil::Date;

use lajna_domain::records::PressDocument;
use lajna_domain::{Lang, RecordKind};
use lajna_views::cache::Made;

use crate::WebError;
use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
use crate::views;

#[derive(Template)]
#[template(path = "dashboard_main.html")]
struct DashboardMain<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    d: views::Dashboard,
    charts: lajna_report::html::DashboardCharts,
    /// The past date the dashboard is shown as of (`?as_of=`), if any.
    as_of: Option<String>,
}

impl DashboardMain<'_> {
    /// The content for [`Page::framed`].
    fn kept(&self) -> askama::Result<crate::KeptPage> {
        let (title, path) = (self.d.name.text.clone(), self.ctx.path.clone());
        Ok(crate::KeptPage { title, path, content: self.render()? })
    }
}

#[derive(Template)]
#[template(path = "press.html")]
struct PressPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    doc: PressDocument,
    doc_lang: &'static str,
    doc_dir: &'static str,
    publisher: views::Txt,
}

/// `GET /{lang}/?as_of=YYYY-MM-DD`: the dashboard, or as it was at the end of a past date.
pub async fn dashboard(page: Page, Query(q): Query<Vec<(String, String)>>) -> Result<Response, PageError> {
    let as_of = views::roadmap::param(&q, "as_of").and_then(lajna_domain::day::parse_day);
    match as_of.filter(|d| *d < page.state.node.today()) {
        Some(day) => past(&page, day).await,
        None => current(&page).await,
    }
}

/// The dashboard as it was at the end of `day` (UTC), folded from the log (never kept).
async fn past(page: &Page, day: Date) -> Result<Response, PageError> {
    let (node, tr, until) = (&page.state.node, page.tr(), views::changes::end_of_day(day));
    let state = node.read_as_of(&page.user, until).await.or_page(page)?;
    let log = node.shared_log().await.or_page(page)?;
    let written = |e: &lajna_door::StoredEvent| e.at.parse::<jiff::Timestamp>().is_ok_and(|t| t <= until);
    let facts = views::LogFacts {
        latest: node.latest_events(200).await.or_page(page)?.into_iter().filter(written).take(20).collect(),
        events: i64::try_from(log.iter().filter(|e| e.at().is_some_and(|t| t <= until)).count()).unwrap_or(i64::MAX),
        state_hash: String::new(),
        demo: node.demo(),
        currency: node.reporting_currency(),
    };
    let d = views::dashboard(&state, facts, tr, day).ok_or(WebError::NotFound).or_page(page)?;
    let charts = lajna_report::html::dashboard_charts(&state, tr, day);
    let ctx = page.ctx(format!("/?as_of={day}"));
    page.framed(&DashboardMain { ctx, tr, d, charts, as_of: Some(day.to_string()) }.kept().or_page(page)?)
}

/// Today's dashboard, rendered once per reader class (party, clearance), time zone, language,
/// store generation and date.
async fn current(page: &Page) -> Result<Response, PageError> {
    let made = made(page, Made::ByReader).await?;
    page.framed(&made)
}

/// Who a dashboard was made for: what makes it again after a write ([`remake`]).
#[derive(Clone)]
pub struct Recipe(Lang, crate::ctx::Viewer, lajna_door::auth::User);

/// Today's dashboard for `page`'s reader class: the kept one; else, for a reader
/// (`by` [`Made::ByReader`]), the previous one while a write in flight makes it again
/// ([`crate::views::cache::Hot`]) or while another reader makes it; else made now.
async fn made(page: &Page, by: Made) -> Result<Arc<crate::KeptPage>, PageError> {
    let (node, tr, today, ctx) = (&page.state.node, page.tr(), page.state.node.today(), page.ctx("/"));
    let (snapshot, user, hot) = (node.read(&page.user).await, &page.user, &page.state.hot);
    let key = format!("dashboard/{}/{}/{:?}/{}/{today}", tr.lang.code(), user.party, user.clearance, ctx.zone_name());
    let (generation, kept) = (snapshot.generation(), &page.state.kept.pages);
    if let Some(kept) = kept.get(generation, &key) {
        return Ok(kept);
    }
    let stale = |stale| {
        hot.count(Made::StaleShown);
        Ok(stale)
    };
    let reader = by == Made::ByReader;
    if let Some(s) = kept.stale(generation, &key).filter(|_| reader && hot.may_show_stale(&key, generation)) {
        return stale(s);
    }
    let _turn = if reader {
        match page.turn_or_stale(generation, &key).await {
            Ok(turn) => turn,
            Err(s) => return stale(s),
        }
    } else {
        page.state.making.lock().await
    };
    if let Some(kept) = kept.get(generation, &key) {
        return Ok(kept);
    }
    let log = views::LogFacts {
        latest: node.latest_events(20).await.or_page(page)?,
        events: node.event_count().await.or_page(page)?,
        state_hash: node.state_hash().await.or_page(page)?,
        demo: node.demo(),
        currency: node.reporting_currency(),
    };
    let made = lajna_door::cpu_bound(|| {
        let d = views::dashboard(&snapshot, log, tr, today).ok_or(WebError::NotFound).or_page(page)?;
        let charts = lajna_report::html::dashboard_charts(&snapshot, tr, today);
        DashboardMain { ctx, tr, d, charts, as_of: None }.kept().or_page(page)
    })?;
    let made = Arc::new(made);
    kept.put(generation, &key, Arc::clone(&made));
    // The page holds no session's token nor name (`CSRF_MARK`): its maker's viewer without them.
    let viewer = crate::ctx::Viewer { token: None, csrf: crate::views::cache::CSRF_MARK.into(), ..page.viewer.clone() };
    hot.made(&key, Recipe(page.lang, viewer, page.user.clone()), by);
    Ok(made)
}

/// Makes again the dashboards readers made lately, after a write changed the record and before
/// it answers: a reader after the write finds its page made ([`crate::views::cache::Hot`]).
pub async fn remake(state: &crate::AppState) {
    for (key, Recipe(lang, viewer, user)) in state.hot.recipes() {
        let page = Page { lang, viewer, user, address: String::new(), state: state.clone() };
        if let Err(e) = made(&page, Made::ByWrite).await {
            tracing::warn!(key, error = ?e, "the dashboard was not made again after a write");
        }
    }
}

/// `GET /{lang}/press/{id}`: the article as published.
pub async fn press(page: Page, Path((_, id)): Path<(String, String)>) -> Result<Response, PageError> {
    let snapshot = page.state.node.read(&page.user).await;
    let doc = snapshot.get::<PressDocument>(RecordKind::Press, &id).ok_or(WebError::NotFound).or_page(&page)?;
    let (pl, pt) = doc.publisher.best(page.lang);
    let publisher = views::Txt { lang: pl.code(), dir: pl.dir(), text: pt.to_string() };
    let html = PressPage {
        ctx: page.ctx(format!("/press/{id}")),
        tr: page.tr(),
        doc_lang: doc.language.code(),
        doc_dir: doc.language.dir(),
        publisher,
        doc,
    }
    .render()
    .or_page(&page)?;
    Ok(Html(html).into_response())
}
