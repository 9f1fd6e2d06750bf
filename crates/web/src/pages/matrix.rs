//! Download of the follow-up matrix (XLSX or CSV) from the roadmap page.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::ctx::{Viewer, lang_of};
use crate::{AppState, not_found, to_login};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/roadmap/{file}", get(download))
}

async fn download(
    State(state): State<AppState>,
    Path((lang, file)): Path<(String, String)>,
    axum::extract::ConnectInfo(addr): axum::extract::ConnectInfo<std::net::SocketAddr>,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.as_ref() else {
        return to_login(lang, &format!("/roadmap/{file}"));
    };
    // Every export is audited (issue 6): who, which file, from where.
    if matches!(file.as_str(), "matrix.xlsx" | "matrix.csv")
        && let Err(e) = state.node.audit_as(user, "export", &file, "", &addr.ip().to_string()).await
    {
        tracing::error!(error = %e, "audit failed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let today = state.node.today();
    let rows = state.node.with_state(|s| lajna_outputs::rows(s, lang, today)).await;
    let (bytes, mime) = match file.as_str() {
        "matrix.xlsx" => {
            (lajna_outputs::to_xlsx(&rows, lang), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
        "matrix.csv" => (lajna_outputs::to_csv(&rows, lang), "text/csv; charset=utf-8"),
        _ => return not_found(&state, Some(lang)),
    };
    match bytes {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"lajna-{}-{file}\"", lang.code())),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "matrix export failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
