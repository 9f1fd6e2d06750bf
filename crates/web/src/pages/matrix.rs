//! Download of the follow-up matrix (XLSX or CSV) from the roadmap page.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Path};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::ctx::{OrPage, Page, PageError};
use crate::{AppState, WebError};
use lajna_outputs::download::content_disposition;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/roadmap/{file}", get(download))
}

/// `GET /{lang}/roadmap/matrix.xlsx` or `matrix.csv`, audited (issue 6: who, which file, from
/// where); any other file is the 404 page.
async fn download(
    page: Page,
    Path((_, file)): Path<(String, String)>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
) -> Result<Response, PageError> {
    let (node, lang) = (&page.state.node, page.lang);
    let mime = match file.as_str() {
        "matrix.xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "matrix.csv" => "text/csv; charset=utf-8",
        _ => return Err(page.fail(WebError::NotFound)),
    };
    node.audit_as(&page.user, "export", &file, "", &addr.ip().to_string()).await.or_page(&page)?;
    let rows = lajna_outputs::rows(&*node.read(&page.user).await, lang, node.today());
    let bytes =
        if file == "matrix.xlsx" { lajna_outputs::to_xlsx(&rows, lang) } else { lajna_outputs::to_csv(&rows, lang) };
    // A failed export is the 500 page (the cause in the log), never a half-written file.
    let bytes = bytes.map_err(|e| WebError::Export(e.to_string())).or_page(&page)?;
    let disposition = crate::disposition(content_disposition(&format!("lajna-{}-{file}", lang.code())));
    let headers = [(header::CONTENT_TYPE, HeaderValue::from_static(mime)), (header::CONTENT_DISPOSITION, disposition)];
    Ok((headers, bytes).into_response())
}
