//! Download of the follow-up matrix (XLSX or CSV) from the roadmap page.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Path};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::ctx::{Page, PageError};
use crate::download::content_disposition;
use crate::{AppState, WebError};

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
    if let Err(e) = node.audit_as(&page.user, "export", &file, "", &addr.ip().to_string()).await {
        tracing::error!(error = %e, "audit failed");
        return Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    let today = node.today();
    let rows = {
        let s = &*node.read(&page.user).await;
        lajna_outputs::rows(s, lang, today)
    };
    let bytes =
        if file == "matrix.xlsx" { lajna_outputs::to_xlsx(&rows, lang) } else { lajna_outputs::to_csv(&rows, lang) };
    match bytes {
        Ok(bytes) => {
            let disposition = content_disposition(&format!("lajna-{}-{file}", lang.code()));
            Ok((
                [(header::CONTENT_TYPE, HeaderValue::from_static(mime)), (header::CONTENT_DISPOSITION, disposition)],
                bytes,
            )
                .into_response())
        }
        Err(e) => {
            tracing::error!(error = %e, "matrix export failed");
            Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}
