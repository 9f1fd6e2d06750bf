//! The procès-verbal of a session as PDF: `GET /{lang}/sessions/{id}/pv.pdf` (signed-in users)
//! in the page's language, or `?edition=ar+fr` for the side-by-side edition (also `ar`, `fr`,
//! `en`). [`lajna_report::pv`] makes it, as `lajna pv` does, so both give the same
//! bytes; every download is an audit line (issue 6).

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lajna_report::pv::{self, Edition, PvError};

use crate::ctx::{OrPage, Page, PageError};
use crate::{AppState, WebError};
use lajna_outputs::download::content_disposition;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/sessions/{id}/pv.pdf", get(download))
}

fn web_error(e: PvError) -> WebError {
    match e {
        PvError::UnknownSession(_) | PvError::BadEdition(_) => WebError::NotFound,
        PvError::Report(e) => WebError::Report(e),
    }
}

/// The PV of session `id` in `edition`, and whether both parties agreed it (else it is a draft).
async fn render(state: &crate::AppState, id: &str, edition: Edition) -> Result<(Vec<u8>, bool), PvError> {
    let input = pv::gather(&*state.node, &state.catalog, id, edition).await?;
    let agreed = input.agreed;
    // Layout is CPU work: keep it off the async workers.
    let catalog = state.catalog.clone();
    let pdf = tokio::task::spawn_blocking(move || pv::render(&input, &catalog))
        .await
        .map_err(|e| PvError::Report(lajna_report::ReportError::Layout(e.to_string())))
        .flatten()?;
    Ok((pdf, agreed))
}

/// `GET /{lang}/sessions/{id}/pv.pdf?edition=`: the PV as an attachment.
async fn download(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    Query(q): Query<Vec<(String, String)>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
) -> Result<Response, PageError> {
    let state = &page.state;
    // `+` in a query string reads as a space: `ar+fr` arrives as `ar fr`, which parses too.
    let edition = match q.iter().rev().find(|(k, _)| k == "edition").map(|(_, v)| v.as_str()) {
        Some(v) if !v.trim().is_empty() => Edition::parse(v).map_err(web_error).or_page(&page)?,
        _ => Edition::One(page.lang),
    };
    if state.node.read(&page.user).await.entry(&id).is_none() {
        return Err(page.fail(WebError::NotFound));
    }
    let detail = format!("pv session={id} lang={}", edition.code());
    if let Err(e) = state.node.audit_as(&page.user, "pv", &detail, &id, &addr.ip().to_string()).await {
        tracing::error!(error = %e, "audit failed");
        return Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    let (pdf, agreed) = render(state, &id, edition).await.map_err(web_error).or_page(&page)?;
    let disposition = crate::disposition(content_disposition(&format!(
        "lajna-pv-{}-{}{}.pdf",
        id.get(..8).unwrap_or(&id),
        edition.code().replace('+', "-"),
        if agreed { "" } else { "-projet" }
    )));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    Ok((headers, pdf).into_response())
}
