//! HTML pages. Every page needs a signed-in user; a signed-out visitor is sent to the sign-in
//! page and comes back afterwards.

mod action;
pub mod audit;
pub mod calendar;
mod changes;
mod dashboard;
pub mod documents;
mod forms;
pub mod import;
mod matrix;
mod notes;
mod notifications;
mod pv;
mod records;
pub mod report;
mod resources;
mod roadmap;
pub mod search;
mod users;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
pub use dashboard::{Recipe, remake};

/// The page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/", get(dashboard::dashboard))
        .route("/{lang}/press/{id}", get(dashboard::press))
        .route("/{lang}/actions/{id}", get(action::page))
        .route("/{lang}/actions/{id}/progress", post(action::progress))
        .route("/{lang}/actions/{id}/evidence", post(action::evidence))
        .route("/{lang}/changes", get(changes::changes))
        .merge(roadmap::routes())
        .merge(notifications::routes())
        .merge(records::routes())
        .merge(forms::routes())
        .merge(notes::routes())
        .merge(calendar::routes())
        .merge(documents::routes())
        .merge(resources::routes())
        .merge(audit::routes())
        .merge(matrix::routes())
        .merge(import::routes())
        .merge(report::routes())
        .merge(pv::routes())
        .merge(search::routes())
        .merge(users::routes())
}
