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
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    if viewer.user.is_none() {
        return to_login(lang, &format!("/roadmap/{file}"));
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
