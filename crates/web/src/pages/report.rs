//! The periodic report as PDF (`GET /{lang}/report.pdf?from=&to=`, signed-in users) and the
//! charts of the dashboard and the roadmap page (inline SVG from [`lajna_outputs::charts`],
//! mirrored in Arabic).
//!
//! [`lajna_report::gather`] gathers what the report needs from a node; this page, `lajna report`
//! and the report's tests share it, so the three produce the same document.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::civil::Date;
use lajna_domain::records::Action;
use lajna_domain::{Lang, RecordKind};
use lajna_outputs::charts::{self, ChartText};
use lajna_report::Period;

use crate::AppState;
use crate::ctx::{OrPage, Page, PageError};
use crate::i18n::Tr;
use crate::views::ActionRow;
use lajna_outputs::download::content_disposition;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/report.pdf", get(download))
}

/// The report period of a query string: `from` and `to` as `dd/mm/yyyy` or ISO; an empty or unreadable
/// value leaves that end open (like the roadmap's filters, an old link still opens).
#[must_use]
pub fn period_of(q: &[(String, String)]) -> Period {
    let date = |name: &str| crate::views::roadmap::param(q, name).and_then(lajna_domain::day::parse_day);
    Period { from: date("from"), to: date("to") }
}

/// `GET /{lang}/report.pdf?from=&to=`: the report as an attachment, audited (issue 6: who,
/// which language and period, from where).
async fn download(
    page: Page,
    Query(q): Query<Vec<(String, String)>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
) -> Result<Response, PageError> {
    let (state, lang) = (&page.state, page.lang);
    let query = q.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let detail = format!("report-{}.pdf {query}", lang.code());
    if let Err(e) = state.node.audit_as(&page.user, "report", detail.trim_end(), "", &addr.ip().to_string()).await {
        tracing::error!(error = %e, "audit failed");
        return Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    let input = lajna_report::gather(&*state.node, Some(&page.user), &state.catalog, lang, period_of(&q))
        .await
        .or_page(&page)?;
    // Layout is CPU work: keep it off the async workers.
    let pdf = tokio::task::spawn_blocking(move || lajna_report::render(&input, lang))
        .await
        .map_err(|e| lajna_report::ReportError::Layout(e.to_string()))
        .flatten()
        .or_page(&page)?;
    let disposition = crate::disposition(content_disposition(&format!("lajna-report-{}.pdf", lang.code())));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    Ok((headers, pdf).into_response())
}

/// The dashboard's charts, as inline SVG.
#[derive(Clone, Debug, Default)]
pub struct DashboardCharts {
    /// Progress by area (bars).
    pub progress: String,
    /// Done actions over time (steps).
    pub done: String,
}

fn chart_text(tr: Tr<'_>, title: &str, marker: &str) -> ChartText {
    ChartText { title: tr.t(title), empty: tr.t("report-empty"), marker: tr.t(marker) }
}

/// The dashboard's charts of a reader's snapshot `s`, in `tr`'s language, on `today`.
#[must_use]
pub fn dashboard_charts(s: &lajna_domain::State, tr: Tr<'_>, today: Date) -> DashboardCharts {
    let lang = tr.lang;
    let rtl = lang == Lang::Ar;
    let actions = s.all::<Action>(RecordKind::Action);
    let span = charts::done_span(&actions, today);
    let (bars, done, total) =
        (charts::area_bars(s, &actions, lang, today), charts::done_dates(s, &actions), actions.len());
    let done_text = chart_text(tr, "report-done-over-time", "report-done-axis");
    DashboardCharts {
        progress: charts::for_html(&charts::progress_by_area(
            &bars,
            &chart_text(tr, "report-progress-by-area", "report-today"),
            rtl,
        )),
        done: charts::for_html(&charts::done_over_time(&done, total, span, &done_text, rtl)),
    }
}

/// The Gantt chart of some action rows (those a roadmap page shows), in the order given.
#[must_use]
pub fn gantt_of_rows<'r>(rows: impl IntoIterator<Item = &'r ActionRow>, today: Date, tr: Tr<'_>) -> String {
    let rows: Vec<charts::GanttRow> = rows
        .into_iter()
        .filter_map(|r| {
            Some(charts::GanttRow {
                label: r.title.text.clone(),
                start: r.start.parse().ok()?,
                due: r.due.parse().ok()?,
                progress: r.progress,
                overdue: r.days_late > 0,
            })
        })
        .collect();
    charts::for_html(&charts::gantt(&rows, today, &chart_text(tr, "report-gantt", "report-today"), tr.lang == Lang::Ar))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_reads_iso_dates_and_leaves_bad_ones_open() {
        let q = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let p = period_of(&q(&[("from", "2025-03-01"), ("to", "2025-12-31")]));
        assert_eq!(p.from, Some(jiff::civil::date(2025, 3, 1)));
        assert_eq!(p.to, Some(jiff::civil::date(2025, 12, 31)));
        let p = period_of(&q(&[("from", "01/03/2025"), ("to", "")]));
        assert_eq!((p.from, p.to), (Some(jiff::civil::date(2025, 3, 1)), None), "day first, as fr and ar type it");
        let p = period_of(&q(&[("from", "03/31/2025"), ("to", "31/02/2025")]));
        assert_eq!(p, Period::default());
    }
}
