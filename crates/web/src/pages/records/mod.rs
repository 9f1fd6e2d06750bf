//! Missions, sessions and communiqués: the pages of the committee's formal record.
//!
//! - `GET /{lang}/missions`, `GET /{lang}/missions/{id}` ([`missions`]): a delegation visit, its
//!   programme in the venue's time zone (stored as venue-local civil times, shown as such with
//!   the zone name and the UTC instant beside each timed item), and what was published about it.
//! - `GET /{lang}/sessions`, `GET /{lang}/sessions/{id}` ([`sessions`]): a session, its minutes
//!   (Arabic and French side by side) with their workflow (draft → agreed → locked →
//!   amendments, see [`lajna_domain::minutes`]), its decisions with each party's endorsement,
//!   the language-parity flags ([`lajna_domain::parity`]) and, from the second session on, the
//!   état d'exécution of the previous session's decisions and actions.
//! - `GET /{lang}/communiques` ([`communiques`]): communiqués and press documents.
//! - Endorsements ([`endorse`]): `GET` and `POST /{lang}/decisions/{id}/endorse`,
//!   `/{lang}/sessions/{id}/minutes/endorse`, `/{lang}/roadmaps/{id}/endorse` — a confirmation
//!   page showing what is endorsed and its version, then the password again.
//! - The forms of the session page ([`session_forms`]): `POST /{lang}/decisions/{id}/confirm`,
//!   `/{lang}/sessions/{id}/minutes`, `/minutes/confirm`, `/amendments`; the delegations
//!   ([`attendance`]): `/{lang}/sessions/{id}/delegation`. Every write goes through
//!   [`lajna_door::Door::execute_as`] after the CSRF check; a refusal writes nothing and shows
//!   why (a 403 page when the role or party does not allow it).
//!
//! Formal dates show the Gregorian date (ISO 8601, Western digits) with the Hijri date beside
//! it, computed with the tabular calendar ([`lajna_domain::hijri`]); the pages say so.

mod attendance;
mod communiques;
mod decision;
pub mod endorse;
mod missions;
mod session_forms;
mod sessions;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    use session_forms as forms;
    Router::new()
        .route("/{lang}/missions", get(missions::missions))
        .route("/{lang}/missions/{id}", get(missions::mission))
        .route("/{lang}/sessions", get(sessions::sessions))
        .route("/{lang}/sessions/{id}", get(sessions::session))
        .route("/{lang}/sessions/{id}/minutes", post(forms::minutes_save))
        .route("/{lang}/sessions/{id}/minutes/endorse", get(endorse::minutes_page).post(endorse::minutes_endorse))
        .route("/{lang}/sessions/{id}/minutes/confirm", post(forms::minutes_confirm))
        .route("/{lang}/sessions/{id}/amendments", post(forms::amendment))
        .route("/{lang}/sessions/{id}/delegation", post(attendance::delegation_save))
        .route("/{lang}/decisions/{id}", get(decision::page))
        .route("/{lang}/decisions/{id}/endorse", get(endorse::decision_page).post(endorse::decision_endorse))
        .route("/{lang}/decisions/{id}/confirm", post(forms::decision_confirm))
        .route("/{lang}/roadmaps/{id}/endorse", get(endorse::roadmap_page).post(endorse::roadmap_endorse))
        .route("/{lang}/communiques", get(communiques::communiques))
}
