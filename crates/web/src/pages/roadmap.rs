//! The roadmap, needs and offers, training programmes and the record (event log).

use axum::Router;

use crate::AppState;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
}
