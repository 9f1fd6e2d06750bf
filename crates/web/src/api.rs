//! The JSON API under `/api/v1`. A session cookie (from `POST /api/v1/login`) authenticates;
//! every write also needs the session's CSRF token in the `X-CSRF-Token` header. Errors are
//! RFC 9457 problem documents with a stable `type` (`urn:lajna:problem:{code}`).

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use lajna_domain::records::Action;
use lajna_domain::{ActionStatus, Command, Lang, Progress, RecordKind};
use lajna_door::auth::User;
use lajna_door::{DoorError, Snapshot};
use serde_json::Value;

use crate::AppState;
use crate::ctx::{Viewer, csrf_ok};
use crate::problem::{ApiPath, ApiQuery, FieldError, Problem, json_problem, problem_of};
use crate::views::api::{ActionJson, collection, document_json, record_json, to_json};

/// The API routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/login", post(crate::auth::api_login))
        .route("/api/v1/state", get(state_export))
        .route("/api/v1/actions", get(list_actions))
        .route("/api/v1/actions/{id}", get(get_action).patch(patch_action))
        .route("/api/v1/events", get(list_events))
        .route("/api/v1/documents", get(list_documents))
        .route("/api/v1/documents/{id}", get(get_document))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/{collection}", get(list_records))
        .route("/api/v1/{collection}/{id}", get(get_record))
}

fn parties(snapshot: &Snapshot) -> Vec<String> {
    snapshot.charter().map(|c| c.parties.iter().map(|p| p.code.to_string()).collect()).unwrap_or_default()
}

async fn list_records(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
    headers: HeaderMap,
    viewer: Viewer,
) -> Response {
    let Some(user) = viewer.user.as_ref() else { return signed_out() };
    let Some(kind) = collection(&name) else {
        return Problem::new(StatusCode::NOT_FOUND, "not-found", "no such collection; see /api/v1/openapi.json")
            .into_response();
    };
    let snapshot = state.node.read(user).await;
    let tag = etag(&snapshot, user, state.node.today());
    if unchanged(&headers, &tag) {
        return not_modified(&tag);
    }
    let (limit, after) = (q.limit(), q.after.as_deref().unwrap_or(""));
    let key = format!("records/{name}/{}/{:?}/{}/{limit}/{after}", user.party, user.clearance, state.node.today());
    kept_list(&state, (&snapshot, &headers), &key, &tag, &format!("/api/v1/{name}"), limit, || {
        let parties = parties(&snapshot);
        let mut rows = snapshot.entries().filter(|(id, e)| e.kind == kind && id.as_str() > after);
        let docs: Vec<Value> =
            rows.by_ref().take(limit).map(|(id, e)| record_json(e.doc(id), kind, &parties)).collect();
        let next = rows.next().and(docs.last()).and_then(|d| d["id"].as_str()).map(str::to_string);
        Ok((serde_json::to_vec(&docs)?, next))
    })
}

/// A page of a list, serialised by `make` (JSON bytes, next cursor) once per reader class,
/// page and store generation under `key` and compressed once ([`AppState::kept`], issue 11),
/// answered by [`paged`] — gzip-encoded when `Accept-Encoding` allows it; a failure to
/// serialise is a logged 500 problem.
fn kept_list(
    state: &AppState,
    (snapshot, headers): (&Snapshot, &HeaderMap),
    key: &str,
    tag: &str,
    path: &str,
    limit: usize,
    make: impl FnOnce() -> Result<(Vec<u8>, Option<String>), serde_json::Error>,
) -> Response {
    use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, VARY};
    let kept = state.kept.api.get_or_try(snapshot.generation(), key, || {
        make().map(|(json, next)| Arc::new(crate::views::cache::KeptList::new(json, next)))
    });
    let Ok(kept) = kept.inspect_err(|e| tracing::error!(error = %e, "serialising a list")) else {
        return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "unexpected", "the server failed").into_response();
    };
    let gzip = crate::views::api::gzip_ok(headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()));
    let (json, next) = ([(CONTENT_TYPE, "application/json"), (VARY, "accept-encoding")], kept.next.as_deref());
    match gzip {
        true => paged((json, [(CONTENT_ENCODING, "gzip")], kept.gzip.clone()), tag, path, next, limit),
        false => paged((json, kept.json.clone()), tag, path, next, limit),
    }
}

pub use crate::views::api::{PAGE_DEFAULT, PAGE_MAX};

/// Query of a paginated API list: `after` is the cursor (the id of the last item of the
/// previous page, as given by the `Link: <…>; rel="next"` header), `limit` the page size
/// ([`PAGE_DEFAULT`], at most [`PAGE_MAX`]). Items come in id order, so a cursor stays valid
/// when records are added.
#[derive(serde::Deserialize)]
pub struct PageQuery {
    /// Cursor: only items whose id sorts after it.
    #[serde(default)]
    after: Option<String>,
    /// Page size.
    #[serde(default)]
    limit: Option<usize>,
}

impl PageQuery {
    fn limit(&self) -> usize {
        self.limit.unwrap_or(PAGE_DEFAULT).clamp(1, PAGE_MAX)
    }
}

/// The entity tag of an answer that depends only on what the reader may see and today's date:
/// (store generation, reader class, date). Weak (RFC 9110 §8.8.1), as compression changes bytes.
fn etag(snapshot: &Snapshot, user: &User, today: jiff::civil::Date) -> String {
    format!("W/\"g{}-{}-{:?}-{today}\"", snapshot.generation(), user.party, user.clearance)
}

/// Whether `If-None-Match` names `tag` ([`crate::views::api::etag_matches`]).
fn unchanged(headers: &HeaderMap, tag: &str) -> bool {
    let values = headers.get_all(axum::http::header::IF_NONE_MATCH);
    crate::views::api::etag_matches(values.iter().filter_map(|v| v.to_str().ok()), tag)
}

/// `304 Not Modified` with the tag.
fn not_modified(tag: &str) -> Response {
    (StatusCode::NOT_MODIFIED, [(axum::http::header::ETAG, tag.to_string())]).into_response()
}

/// A page of a list with its `ETag`, and a `Link: <…?after=CURSOR&limit=N>; rel="next"`
/// header (RFC 8288) when more items follow.
fn paged(body: impl IntoResponse, tag: &str, path: &str, next: Option<&str>, limit: usize) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = axum::http::HeaderValue::from_str(tag) {
        headers.insert(axum::http::header::ETAG, v);
    }
    if let Some(cursor) = next {
        let link = format!(
            "<{path}?after={}&limit={limit}>; rel=\"next\"",
            percent_encoding::utf8_percent_encode(cursor, crate::UNRESERVED)
        );
        if let Ok(v) = axum::http::HeaderValue::from_str(&link) {
            headers.insert(axum::http::header::LINK, v);
        }
    }
    response
}

async fn get_record(
    State(state): State<AppState>,
    ApiPath((name, id)): ApiPath<(String, String)>,
    viewer: Viewer,
) -> Response {
    let Some(user) = viewer.user.as_ref() else { return signed_out() };
    let snapshot = state.node.read(user).await;
    match (collection(&name), snapshot.entry(&id)) {
        (Some(kind), Some(e)) if e.kind == kind => {
            Json(record_json(e.doc(&id), kind, &parties(&snapshot))).into_response()
        }
        _ => Problem::new(StatusCode::NOT_FOUND, "not-found", "no record with this id here").into_response(),
    }
}

/// Query of `GET /api/v1/events`.
#[derive(serde::Deserialize)]
pub struct EventsQuery {
    /// Return events with a local sequence number above this (default 0).
    #[serde(default)]
    after: i64,
    /// At most this many (default 100, at most 1000).
    #[serde(default)]
    limit: Option<i64>,
}

/// `GET /api/v1/events?after=SEQ&limit=N`: the shared record's events in local order, each
/// with its exact signed envelope (a string) and signatures, for auditors and tools. Only the
/// events of records the user may see ([`lajna_door::record`]: the marking rule): the events of
/// a document whose marking does not allow them are left out, ids included; `limit` counts the
/// events returned, and the next page is `after` the last `seq` returned.
async fn list_events(State(state): State<AppState>, ApiQuery(q): ApiQuery<EventsQuery>, viewer: Viewer) -> Response {
    let Some(user) = viewer.user.as_ref() else { return signed_out() };
    let limit = usize::try_from(q.limit.unwrap_or(100).clamp(1, 1000)).unwrap_or(100);
    match state.node.visible_events_after(user, q.after.max(0), limit).await {
        Ok(events) => {
            let list: Vec<Value> = events
                .into_iter()
                .map(|e| {
                    serde_json::json!({
                        "seq": e.seq, "id": e.id, "lamport": e.lamport, "party": e.party, "kind": e.kind,
                        "at": e.at, "envelope": e.raw.envelope, "sigs": e.raw.sigs,
                    })
                })
                .collect();
            Json(list).into_response()
        }
        Err(e) => failure(&e),
    }
}

/// `GET /api/v1/documents`: the documents the user may see, newest first.
async fn list_documents(State(state): State<AppState>, viewer: Viewer) -> Response {
    let Some(user) = viewer.user.as_ref() else { return signed_out() };
    let parties = state.node.parties_of_committee().await;
    let list: Vec<Value> = state.node.documents_for(user).await.iter().map(|v| document_json(v, &parties)).collect();
    Json(list).into_response()
}

/// `GET /api/v1/documents/{id}`: one document, 404 when it does not exist or the user may not
/// see it (the two are indistinguishable). A view of a RESTRICTED or higher document is audited.
async fn get_document(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    axum::extract::ConnectInfo(addr): axum::extract::ConnectInfo<std::net::SocketAddr>,
    viewer: Viewer,
) -> Response {
    let Some(user) = viewer.user.as_ref() else { return signed_out() };
    let Some(v) = state.node.document_for(user, &id).await else {
        return Problem::new(StatusCode::NOT_FOUND, "not-found", "no record with this id here").into_response();
    };
    if let Err(e) =
        state.node.audit_view(user, "api-document-view", &id, &v.document.marking, &addr.ip().to_string()).await
    {
        tracing::error!(error = %e, "audit failed");
        return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "unexpected", "the server failed").into_response();
    }
    let parties = state.node.parties_of_committee().await;
    Json(document_json(&v, &parties)).into_response()
}

/// `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of this API (tests check that every
/// documented path answers as documented).
async fn openapi() -> Response {
    Json(crate::views::openapi::document()).into_response()
}

fn signed_out() -> Response {
    Problem::new(StatusCode::UNAUTHORIZED, "signed-out", "sign in with POST /api/v1/login first").into_response()
}

fn failure(e: &DoorError) -> Response {
    tracing::error!(error = %e, "api read failed");
    Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "unexpected", "the server failed; nothing was changed")
        .into_response()
}

/// `GET /api/v1/state`: the shared state as `lajna export` writes it, with only the records the
/// user may see ([`lajna_door::Door::export_for`]: the marking rule, for every kind).
async fn state_export(State(state): State<AppState>, viewer: Viewer) -> Response {
    let Some(user) = viewer.user.as_ref() else { return signed_out() };
    match state.node.export_for(user).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => failure(&e),
    }
}

/// `GET /api/v1/actions?after=ID&limit=N`: the actions the user may see in id order, a page at
/// a time ([`PageQuery`]), with an `ETag`; the typed actions are read once per snapshot.
async fn list_actions(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
    headers: HeaderMap,
    viewer: Viewer,
) -> Response {
    let Some(user) = viewer.user.as_ref() else { return signed_out() };
    let (today, snapshot) = (state.node.today(), state.node.read(user).await);
    let tag = etag(&snapshot, user, today);
    if unchanged(&headers, &tag) {
        return not_modified(&tag);
    }
    let (limit, after) = (q.limit(), q.after.as_deref());
    let key = format!("actions/{}/{:?}/{today}/{limit}/{}", user.party, user.clearance, after.unwrap_or(""));
    kept_list(&state, (&snapshot, &headers), &key, &tag, "/api/v1/actions", limit, || {
        let actions = snapshot.actions();
        let start = after.map_or(0, |after| actions.partition_point(|(id, _)| id.as_str() <= after));
        let page = &actions[start..actions.len().min(start + limit)];
        let references = lajna_domain::reference::decision_references(&snapshot);
        let body: Vec<ActionJson> = page.iter().map(|(id, a)| to_json(id, a, today, &references)).collect();
        let next = (start + page.len() < actions.len()).then(|| page.last().map(|(id, _)| id.clone())).flatten();
        Ok((serde_json::to_vec(&body)?, next))
    })
}

async fn one_action(state: &AppState, user: &User, id: &str) -> Result<ActionJson, Response> {
    let snapshot = state.node.read(user).await;
    let references = lajna_domain::reference::decision_references(&snapshot);
    snapshot
        .get::<Action>(RecordKind::Action, id)
        .map(|a| to_json(id, &a, state.node.today(), &references))
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, "not-found", "no action with this id").into_response())
}

async fn get_action(State(state): State<AppState>, ApiPath(id): ApiPath<String>, viewer: Viewer) -> Response {
    let Some(user) = viewer.user.as_ref() else { return signed_out() };
    match one_action(&state, user, &id).await {
        Ok(a) => Json(a).into_response(),
        Err(r) => r,
    }
}

fn invalid(field: &str, message: String) -> Response {
    let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-value", message.clone());
    p.errors.push(FieldError { field: field.into(), message });
    p.into_response()
}

/// The `reason` of a progress report: a text (taken as English) or an object of texts by
/// language (`{"fr": "…", "ar": "…"}`); null, absent or blank is no reason.
fn reason_of(v: Option<&Value>) -> Result<Option<lajna_domain::LocalizedText>, String> {
    let pairs: Vec<(Lang, String)> = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => vec![(Lang::En, s.clone())],
        Some(Value::Object(o)) => {
            let mut pairs = Vec::new();
            for (k, v) in o {
                let (Ok(lang), Some(text)) = (Lang::parse(k), v.as_str()) else {
                    return Err(format!("{k}: give the reason as {{\"ar\"|\"fr\"|\"en\": text}}"));
                };
                pairs.push((lang, text.to_string()));
            }
            pairs
        }
        Some(other) => return Err(format!("{other} is not a text")),
    };
    let pairs: Vec<(Lang, &str)> = pairs.iter().map(|(l, t)| (*l, t.as_str())).collect();
    Ok(lajna_domain::LocalizedText::parse("reason", &pairs).ok())
}

/// The command of a `PATCH /api/v1/actions/{id}` body: `progress` (0–100), `status` (a code)
/// and/or `reason` (per-language texts), and `completed` (a done action's completion date);
/// anything else is a 422 problem naming the field.
fn progress_command(state: &AppState, id: &str, body: &Value) -> Result<Command, Response> {
    let Some(obj) = body.as_object() else { return Err(invalid("body", "expected a JSON object".into())) };
    if let Some(k) = obj.keys().find(|k| !matches!(k.as_str(), "progress" | "status" | "reason" | "completed")) {
        return Err(invalid(k, format!("{k} cannot be changed here; send progress, status, reason and/or completed")));
    }
    let reason = match reason_of(obj.get("reason")) {
        Ok(r) => r,
        Err(message) => return Err(invalid("reason", message)),
    };
    let progress = match obj.get("progress") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64().map(Progress::new) {
            Some(Ok(p)) => Some(p),
            _ => {
                let e = DoorError::Domain(lajna_domain::DomainError::ProgressOutOfRange { value: v.to_string() });
                return Err(problem_of(&state.catalog, Lang::En, &e).into_response());
            }
        },
    };
    let status = match obj.get("status") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_str().map(ActionStatus::parse) {
            Some(Ok(s)) => Some(s),
            _ => {
                return Err(invalid(
                    "status",
                    format!("{v} is not a status: use planned, in_progress, done, delayed, blocked or cancelled"),
                ));
            }
        },
    };
    // `completed`: the date a done action was completed (`YYYY-MM-DD`, issue 13); the domain
    // refuses it without status done.
    let completed = match obj.get("completed") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_str().map(str::parse::<jiff::civil::Date>) {
            Some(Ok(d)) => Some(d),
            _ => return Err(invalid("completed", format!("{v} is not a date: use YYYY-MM-DD"))),
        },
    };
    if progress.is_none() && status.is_none() && reason.is_none() && completed.is_none() {
        return Err(invalid("body", "send progress and/or status".into()));
    }
    Ok(Command::ReportProgress { action: id.to_string(), status, progress, reason, completed })
}

/// `PATCH /api/v1/actions/{id}` with `{"progress": N}` and/or `{"status": "…"}`.
async fn patch_action(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    viewer: Viewer,
    body: Result<Json<Value>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Some(user) = viewer.user.clone() else { return signed_out() };
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !csrf_ok(&viewer, token) {
        return Problem::new(StatusCode::FORBIDDEN, "csrf", "send the session's CSRF token in the X-CSRF-Token header")
            .into_response();
    }
    let body = match body {
        Ok(Json(body)) => body,
        Err(e) => return json_problem(&e, "send a JSON object like {\"progress\": 60}").into_response(),
    };
    let command = match progress_command(&state, &id, &body) {
        Ok(c) => c,
        Err(r) => return r,
    };
    match state.node.execute_as(&user, &command).await {
        Ok(_) => match one_action(&state, &user, &id).await {
            Ok(a) => Json(a).into_response(),
            Err(r) => r,
        },
        Err(DoorError::Domain(lajna_domain::DomainError::UnknownRecord { .. })) => {
            Problem::new(StatusCode::NOT_FOUND, "not-found", "no action with this id").into_response()
        }
        Err(e) => problem_of(&state.catalog, Lang::En, &e).into_response(),
    }
}
