//! The periodic report as PDF (`GET /{lang}/report.pdf?from=&to=`, signed-in users).
//!
//! [`lajna_report::gather`] gathers what the report needs from a node; this page, `lajna report`
//! and the report's tests share it, so the three produce the same document.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lajna_report::Period;

use crate::AppState;
use crate::ctx::{OrPage, Page, PageError};
use lajna_outputs::download::content_disposition;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/report.pdf", get(download))
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
    let input = lajna_report::gather(&*state.node, Some(&page.user), &state.catalog, lang, Period::of_query(&q))
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
