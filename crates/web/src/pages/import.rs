//! Import of the follow-up matrix (issue 4): upload (multipart, CSRF) → preview, row by row →
//! confirm (CSRF) → written all or nothing by the signed-in user, with the role and party rules
//! of `authorize` applied to every row.
//!
//! Between the two steps the server keeps the uploaded bytes in memory, keyed by the session
//! (a BLAKE3 of its cookie token) and the BLAKE3 of the file; the confirm form carries only
//! that digest, so the client cannot swap the file, and another session cannot apply it. The
//! plan is made again when applying, against the record as it is then.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Request};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use lajna_domain::Lang;
use lajna_door::DoorError;
use lajna_door::auth::Role;
use lajna_door::import::{ImportOutcome, Importer};
use lajna_outputs::import::{ImportPlan, Outcome};
use lajna_outputs::import_report::{error_message, outcome_code, row_details, summary};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{CsrfForm, OrPage, Page, PageCtx, PageError, Viewer, csrf_ok};
use crate::i18n::{Catalog, Tr};
use crate::problem::message_of;

/// Largest matrix file accepted, bytes.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// How long an uploaded file waits for its confirmation.
const HOLD: Duration = Duration::from_secs(30 * 60);
/// Uploaded files held at most at once (the oldest goes first).
const MAX_HELD: usize = 16;

/// What the upload form may add to its file, bytes (the token, part headers).
const FORM_OVERHEAD: usize = 64 * 1024;

/// The routes of this module. Only the upload reads a body larger than the global limit.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/roadmap/import", get(page))
        .route("/{lang}/roadmap/import", post(preview).layer(DefaultBodyLimit::max(MAX_FILE_BYTES + FORM_OVERHEAD)))
        .route("/{lang}/roadmap/import/apply", post(apply))
}

struct Held {
    session: blake3::Hash,
    digest: String,
    bytes: Arc<Vec<u8>>,
    at: Instant,
}

fn held() -> &'static Mutex<Vec<Held>> {
    static HELD: std::sync::OnceLock<Mutex<Vec<Held>>> = std::sync::OnceLock::new();
    HELD.get_or_init(|| Mutex::new(Vec::new()))
}

fn session_key(viewer: &Viewer) -> blake3::Hash {
    blake3::hash(viewer.token.as_deref().unwrap_or_default().as_bytes())
}

fn hold(viewer: &Viewer, bytes: Vec<u8>) -> String {
    let digest = blake3::hash(&bytes).to_hex().to_string();
    let session = session_key(viewer);
    let mut held = held().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    held.retain(|h| h.at.elapsed() < HOLD && !(h.session == session && h.digest == digest));
    if held.len() >= MAX_HELD {
        held.remove(0);
    }
    held.push(Held { session, digest: digest.clone(), bytes: Arc::new(bytes), at: Instant::now() });
    digest
}

fn take_held(viewer: &Viewer, digest: &str) -> Option<Arc<Vec<u8>>> {
    let session = session_key(viewer);
    let held = held().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    held.iter().find(|h| h.session == session && h.digest == digest && h.at.elapsed() < HOLD).map(|h| h.bytes.clone())
}

fn forget_held(viewer: &Viewer, digest: &str) {
    let session = session_key(viewer);
    held()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .retain(|h| !(h.session == session && h.digest == digest));
}

struct RowView {
    row: u32,
    id: String,
    label: String,
    outcome: &'static str,
    details: Vec<String>,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    title: String,
    error: Option<String>,
    notice: Option<String>,
    summary: Option<String>,
    ignored: Option<String>,
    rows: Vec<RowView>,
    /// The digest to confirm, when the preview may be applied.
    confirm: Option<String>,
    show_form: bool,
}

struct View {
    title_key: &'static str,
    error: Option<String>,
    notice: Option<String>,
    plan: Option<ImportPlan>,
    confirm: Option<String>,
    show_form: bool,
}

impl View {
    /// The upload form, with a refusal when there is one.
    fn form(error: Option<String>) -> Self {
        Self { title_key: "import-title", error, notice: None, plan: None, confirm: None, show_form: true }
    }
}

fn row_view(catalog: &Catalog, lang: Lang, r: &lajna_outputs::import::PlannedRow) -> RowView {
    RowView {
        row: r.row,
        id: match &r.outcome {
            Outcome::Update { id, .. } | Outcome::Unchanged { id } => id.clone(),
            _ => String::new(),
        },
        label: r.label.clone(),
        outcome: outcome_code(&r.outcome),
        details: row_details(catalog, lang, r),
    }
}

fn render(page: &Page, status: StatusCode, v: View) -> Result<Response, PageError> {
    let (tr, catalog, lang) = (page.tr(), &page.state.catalog, page.lang);
    let plan = v.plan.as_ref();
    let view = ImportPage {
        ctx: page.ctx("/roadmap/import"),
        tr,
        title: tr.t(v.title_key),
        error: v.error,
        notice: v.notice,
        summary: plan.map(|p| summary(catalog, lang, p)),
        ignored: plan
            .filter(|p| !p.ignored.is_empty())
            .map(|p| tr.s("import-ignored", "columns", &p.ignored.join(", "))),
        rows: plan.map(|p| p.rows.iter().map(|r| row_view(catalog, lang, r)).collect()).unwrap_or_default(),
        confirm: v.confirm,
        show_form: v.show_form,
    };
    Ok((status, Html(view.render().or_page(page)?)).into_response())
}

/// Viewers read only (the rows are then checked one by one with `authorize`).
fn writer(page: &Page) -> Result<(), PageError> {
    if page.user.role == Role::Viewer { Err(page.forbidden("error-forbidden")) } else { Ok(()) }
}

/// `GET /{lang}/roadmap/import`: the upload form.
async fn page(page: Page) -> Result<Response, PageError> {
    writer(&page)?;
    render(&page, StatusCode::OK, View::form(None))
}

/// The upload form again with `message` (422, or the given status).
fn refused_file(page: &Page, status: StatusCode, message: String) -> Response {
    render(page, status, View::form(Some(message))).unwrap_or_else(IntoResponse::into_response)
}

fn too_large(page: &Page) -> Response {
    let mb = i64::try_from(MAX_FILE_BYTES / (1024 * 1024)).unwrap_or(i64::MAX);
    refused_file(page, StatusCode::PAYLOAD_TOO_LARGE, page.tr().n("import-too-large", "mb", mb))
}

async fn run(
    state: &AppState,
    user: &lajna_door::auth::User,
    bytes: &[u8],
    apply: bool,
) -> Result<Result<ImportOutcome, lajna_outputs::import::ImportError>, DoorError> {
    // Reading a spreadsheet is CPU work: off the async workers, as the node's plan (issue 11).
    let owned = bytes.to_vec();
    let read = tokio::task::spawn_blocking(move || lajna_outputs::import::read(&owned)).await;
    let matrix = match read.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic())) {
        Ok(m) => m,
        Err(e) => return Ok(Err(e)),
    };
    state.node.import_matrix(&Importer::User(user.clone()), &matrix, apply).await.map(Ok)
}

/// The uploaded matrix of `POST /{lang}/roadmap/import` (multipart: `csrf` FIRST, then
/// `file`). The role, the declared size and the token are checked before the file is read;
/// the file is read up to [`MAX_FILE_BYTES`]. Refuses with the 403 page (viewer, token), the
/// form with 413 (too large) or 422 (unreadable, no file).
pub struct MatrixFile(Vec<u8>);

impl FromRequest<AppState> for MatrixFile {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let page = Page::from_request_parts(&mut parts, state).await.map_err(IntoResponse::into_response)?;
        writer(&page).map_err(IntoResponse::into_response)?;
        let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
        if declared.is_some_and(|size| size > MAX_FILE_BYTES + FORM_OVERHEAD) {
            return Err(too_large(&page));
        }
        let unreadable =
            || refused_file(&page, StatusCode::UNPROCESSABLE_ENTITY, page.tr().t("import-file-unreadable"));
        let mut multipart =
            Multipart::from_request(Request::from_parts(parts, body), state).await.map_err(|_| unreadable())?;
        let csrf = match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("csrf") => {
                read_field(&mut field, 1024).await.unwrap_or_default()
            }
            _ => Vec::new(),
        };
        if !csrf_ok(&page.viewer, &String::from_utf8_lossy(&csrf)) {
            return Err(page.forbidden("error-csrf").into_response());
        }
        let file = file_field(&page, multipart).await?;
        if file.is_empty() {
            return Err(refused_file(&page, StatusCode::UNPROCESSABLE_ENTITY, page.tr().t("import-no-file")));
        }
        Ok(Self(file))
    }
}

/// The `file` field of the rest of the form, up to [`MAX_FILE_BYTES`] (empty when absent).
async fn file_field(page: &Page, mut multipart: Multipart) -> Result<Vec<u8>, Response> {
    let unreadable = || refused_file(page, StatusCode::UNPROCESSABLE_ENTITY, page.tr().t("import-file-unreadable"));
    let mut file = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("file") => match read_field(&mut field, MAX_FILE_BYTES).await {
                Ok(bytes) => file = bytes,
                Err(StatusCode::PAYLOAD_TOO_LARGE) => return Err(too_large(page)),
                Err(_) => return Err(unreadable()),
            },
            Ok(Some(_)) => {}
            Ok(None) => return Ok(file),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(page)),
            Err(_) => return Err(unreadable()),
        }
    }
}

/// A multipart field of at most `cap` bytes (413 beyond).
async fn read_field(field: &mut axum::extract::multipart::Field<'_>, cap: usize) -> Result<Vec<u8>, StatusCode> {
    let mut value = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| e.status())? {
        value.extend_from_slice(&chunk);
        if value.len() > cap {
            return Err(StatusCode::PAYLOAD_TOO_LARGE);
        }
    }
    Ok(value)
}

/// `POST /{lang}/roadmap/import` (multipart: `csrf`, `file`): the preview.
async fn preview(page: Page, MatrixFile(bytes): MatrixFile) -> Result<Response, PageError> {
    let tr = page.tr();
    let outcome = match run(&page.state, &page.user, &bytes, false).await {
        Err(e) => return node_failure(&page, &e),
        Ok(Err(e)) => {
            return Ok(refused_file(&page, StatusCode::UNPROCESSABLE_ENTITY, error_message(tr.catalog, tr.lang, &e)));
        }
        Ok(Ok(outcome)) => outcome,
    };
    let plan = outcome.plan;
    let c = plan.counts();
    let (notice, error, confirm) = if c.refused > 0 {
        (None, Some(tr.t("import-refused-nothing")), None)
    } else if c.created + c.updated == 0 {
        (Some(tr.t("import-nothing-to-do")), None, None)
    } else {
        (None, None, Some(hold(&page.viewer, bytes)))
    };
    let status = if c.refused > 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let show_form = confirm.is_none();
    render(
        &page,
        status,
        View { title_key: "import-preview-title", error, notice, plan: Some(plan), confirm, show_form },
    )
}

fn node_failure(page: &Page, e: &DoorError) -> Result<Response, PageError> {
    if let Some(refusal) = page.refusal(e) {
        return Err(refusal);
    }
    let (_, message) = message_of(&page.state.catalog, page.lang, e);
    render(page, crate::problem::status_of(e), View::form(Some(message)))
}

/// The confirm form (and its `csrf`).
#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    digest: String,
}

/// `POST /{lang}/roadmap/import/apply` (`csrf`, `digest`): writes the held file's plan, all or
/// nothing.
async fn apply(page: Page, CsrfForm(form): CsrfForm<ApplyForm>) -> Result<Response, PageError> {
    writer(&page)?;
    let tr = page.tr();
    let Some(bytes) = take_held(&page.viewer, &form.digest) else {
        return render(&page, StatusCode::CONFLICT, View::form(Some(tr.t("import-expired"))));
    };
    let outcome = match run(&page.state, &page.user, &bytes, true).await {
        Err(e) => return node_failure(&page, &e),
        Ok(Err(e)) => {
            return Ok(refused_file(&page, StatusCode::UNPROCESSABLE_ENTITY, error_message(tr.catalog, tr.lang, &e)));
        }
        Ok(Ok(outcome)) => outcome,
    };
    forget_held(&page.viewer, &form.digest);
    let refused = !outcome.plan.is_clean();
    let view = View {
        title_key: if refused { "import-preview-title" } else { "import-result-title" },
        error: refused.then(|| tr.t("import-refused-nothing")),
        notice: (!refused).then(|| tr.n("import-applied", "count", outcome.written.len() as i64)),
        plan: Some(outcome.plan),
        confirm: None,
        show_form: true,
    };
    render(&page, if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }, view)
}
