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
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lajna_domain::Lang;
use lajna_node::NodeError;
use lajna_node::auth::{Role, User};
use lajna_node::import::{ImportOutcome, Importer};
use lajna_outputs::import::{Column, ImportPlan, Outcome, Refusal};
use lajna_outputs::matrix::headers;
use serde::Deserialize;

use crate::ctx::{PageCtx, Viewer, csrf_ok, lang_of, tr};
use crate::i18n::{Arg, Catalog, Tr};
use crate::problem::message_of;
use crate::{AppState, forbidden_page, not_found, to_login};

/// Largest matrix file accepted, bytes.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// How long an uploaded file waits for its confirmation.
const HOLD: Duration = Duration::from_secs(30 * 60);
/// Uploaded files held at most at once (the oldest goes first).
const MAX_HELD: usize = 16;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/roadmap/import", get(page).post(preview))
        .route("/{lang}/roadmap/import/apply", post(apply))
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024))
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

/// The header of `field` in `lang` (the matrix's own words), for messages.
fn column_name(lang: Lang, field: &str) -> String {
    let h = headers(lang);
    if field == "title" {
        return format!("{} / {}", h[2], h[3]);
    }
    Column::ALL.iter().position(|c| c.field() == field).map_or_else(|| field.to_string(), |i| h[i].to_string())
}

/// The message of one refusal in `lang`: the import catalogue's, the domain's for a domain
/// rule, the role rules' for a permission.
#[must_use]
pub fn refusal_message(catalog: &Catalog, lang: Lang, r: &Refusal) -> String {
    if let Some(d) = &r.domain {
        return message_of(catalog, lang, &NodeError::Domain(d.clone())).1;
    }
    let column = column_name(lang, r.field.unwrap_or(""));
    catalog.get(lang, r.key, &[("detail", Arg::Text(r.detail.clone())), ("column", Arg::Text(column))])
}

/// `create`, `update`, `unchanged` or `refused` (the suffix of `import-outcome-*`).
#[must_use]
pub fn outcome_code(o: &Outcome) -> &'static str {
    match o {
        Outcome::Create(_) => "create",
        Outcome::Update { .. } => "update",
        Outcome::Unchanged { .. } => "unchanged",
        Outcome::Refused(_) => "refused",
    }
}

/// The details of a planned row in `lang`: the fields it changes, or why it is refused.
#[must_use]
pub fn row_details(catalog: &Catalog, lang: Lang, o: &Outcome) -> Vec<String> {
    match o {
        Outcome::Update { changed, .. } => {
            let names: Vec<String> = changed
                .iter()
                .map(|f| match *f {
                    "indicator" => column_name(lang, "indicator_unit"),
                    f => column_name(lang, f),
                })
                .collect();
            vec![catalog.get(lang, "import-changes", &[("fields", Arg::Text(names.join(", ")))])]
        }
        Outcome::Refused(reasons) => reasons.iter().map(|r| refusal_message(catalog, lang, r)).collect(),
        _ => vec![],
    }
}

/// The counts line of a plan in `lang`.
#[must_use]
pub fn summary(catalog: &Catalog, lang: Lang, plan: &ImportPlan) -> String {
    let c = plan.counts();
    let n = |x: usize| Arg::Num(x as i64);
    catalog.get(
        lang,
        "import-summary",
        &[
            ("created", n(c.created)),
            ("updated", n(c.updated)),
            ("unchanged", n(c.unchanged)),
            ("refused", n(c.refused)),
        ],
    )
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

fn render(state: &AppState, lang: Lang, viewer: &Viewer, status: StatusCode, v: View) -> Response {
    let tr = tr(state, lang);
    let rows = v
        .plan
        .as_ref()
        .map(|p| {
            p.rows
                .iter()
                .map(|r| RowView {
                    row: r.row,
                    id: match &r.outcome {
                        Outcome::Update { id, .. } | Outcome::Unchanged { id } => id.clone(),
                        _ => String::new(),
                    },
                    label: r.label.clone(),
                    outcome: outcome_code(&r.outcome),
                    details: row_details(&state.catalog, lang, &r.outcome),
                })
                .collect()
        })
        .unwrap_or_default();
    let page = ImportPage {
        ctx: PageCtx::new(lang, "/roadmap/import", viewer, state.node.config.demo),
        tr,
        title: tr.t(v.title_key),
        error: v.error,
        notice: v.notice,
        summary: v.plan.as_ref().map(|p| summary(&state.catalog, lang, p)),
        ignored: v
            .plan
            .as_ref()
            .filter(|p| !p.ignored.is_empty())
            .map(|p| tr.s("import-ignored", "columns", &p.ignored.join(", "))),
        rows,
        confirm: v.confirm,
        show_form: v.show_form,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => crate::failure(state, lang, e.into()),
    }
}

/// The user, if signed in and allowed to write (viewers read only; the rows are then checked
/// one by one with `authorize`).
fn writer(state: &AppState, lang: Lang, viewer: &Viewer) -> Result<User, Response> {
    match &viewer.user {
        None => Err(to_login(lang, "/roadmap/import")),
        Some(u) if u.role == Role::Viewer => Err(forbidden_page(state, lang, viewer, "error-forbidden")),
        Some(u) => Ok(u.clone()),
    }
}

/// `GET /{lang}/roadmap/import`: the upload form.
async fn page(State(state): State<AppState>, Path(lang): Path<String>, viewer: Viewer) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    if let Err(r) = writer(&state, lang, &viewer) {
        return r;
    }
    let view =
        View { title_key: "import-title", error: None, notice: None, plan: None, confirm: None, show_form: true };
    render(&state, lang, &viewer, StatusCode::OK, view)
}

fn refused_file(state: &AppState, lang: Lang, viewer: &Viewer, message: String) -> Response {
    let view = View {
        title_key: "import-title",
        error: Some(message),
        notice: None,
        plan: None,
        confirm: None,
        show_form: true,
    };
    render(state, lang, viewer, StatusCode::UNPROCESSABLE_ENTITY, view)
}

async fn run(
    state: &AppState,
    user: &User,
    bytes: &[u8],
    apply: bool,
) -> Result<Result<ImportOutcome, lajna_outputs::import::ImportError>, NodeError> {
    let matrix = match lajna_outputs::import::read(bytes) {
        Ok(m) => m,
        Err(e) => return Ok(Err(e)),
    };
    state.node.import_matrix(&Importer::User(user.clone()), &matrix, apply).await.map(Ok)
}

/// `POST /{lang}/roadmap/import` (multipart: `csrf`, `file`): the preview.
async fn preview(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let user = match writer(&state, lang, &viewer) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let tr = tr(&state, lang);
    let (mut csrf, mut file) = (String::new(), None::<Vec<u8>>);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(b) if name == "csrf" => csrf = String::from_utf8_lossy(&b).into_owned(),
                    Ok(b) if name == "file" => file = Some(b.to_vec()),
                    Ok(_) => {}
                    Err(_) => {
                        let mb = (MAX_FILE_BYTES / (1024 * 1024)) as i64;
                        return refused_file(&state, lang, &viewer, tr.n("import-too-large", "mb", mb));
                    }
                }
            }
            Ok(None) => break,
            Err(_) => return refused_file(&state, lang, &viewer, tr.t("import-file-unreadable")),
        }
    }
    if !csrf_ok(&viewer, &csrf) {
        return forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return refused_file(&state, lang, &viewer, tr.t("import-no-file"));
    };
    if bytes.len() > MAX_FILE_BYTES {
        let mb = (MAX_FILE_BYTES / (1024 * 1024)) as i64;
        return refused_file(&state, lang, &viewer, tr.n("import-too-large", "mb", mb));
    }
    match run(&state, &user, &bytes, false).await {
        Err(e) => node_failure(&state, lang, &viewer, &e),
        Ok(Err(e)) => refused_file(&state, lang, &viewer, tr.t(e.key())),
        Ok(Ok(outcome)) => {
            let plan = outcome.plan;
            let c = plan.counts();
            let (notice, error, confirm) = if c.refused > 0 {
                (None, Some(tr.t("import-refused-nothing")), None)
            } else if c.created + c.updated == 0 {
                (Some(tr.t("import-nothing-to-do")), None, None)
            } else {
                (None, None, Some(hold(&viewer, bytes)))
            };
            let status = if c.refused > 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
            let show_form = confirm.is_none();
            let view = View { title_key: "import-preview-title", error, notice, plan: Some(plan), confirm, show_form };
            render(&state, lang, &viewer, status, view)
        }
    }
}

fn node_failure(state: &AppState, lang: Lang, viewer: &Viewer, e: &NodeError) -> Response {
    let (_, message) = message_of(&state.catalog, lang, e);
    let view = View {
        title_key: "import-title",
        error: Some(message),
        notice: None,
        plan: None,
        confirm: None,
        show_form: true,
    };
    render(state, lang, viewer, crate::problem::status_of(e), view)
}

/// The confirm form.
#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    digest: String,
}

/// `POST /{lang}/roadmap/import/apply` (`csrf`, `digest`): writes the held file's plan, all or
/// nothing.
async fn apply(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    viewer: Viewer,
    Form(form): Form<ApplyForm>,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let user = match writer(&state, lang, &viewer) {
        Ok(u) => u,
        Err(r) => return r,
    };
    if !csrf_ok(&viewer, &form.csrf) {
        return forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    let tr = tr(&state, lang);
    let Some(bytes) = take_held(&viewer, &form.digest) else {
        let view = View {
            title_key: "import-title",
            error: Some(tr.t("import-expired")),
            notice: None,
            plan: None,
            confirm: None,
            show_form: true,
        };
        return render(&state, lang, &viewer, StatusCode::CONFLICT, view);
    };
    match run(&state, &user, &bytes, true).await {
        Err(e) => node_failure(&state, lang, &viewer, &e),
        Ok(Err(e)) => refused_file(&state, lang, &viewer, tr.t(e.key())),
        Ok(Ok(outcome)) => {
            forget_held(&viewer, &form.digest);
            let refused = !outcome.plan.is_clean();
            let view = View {
                title_key: if refused { "import-preview-title" } else { "import-result-title" },
                error: refused.then(|| tr.t("import-refused-nothing")),
                notice: (!refused).then(|| tr.n("import-applied", "count", outcome.written.len() as i64)),
                plan: Some(outcome.plan),
                confirm: None,
                show_form: true,
            };
            render(&state, lang, &viewer, if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }, view)
        }
    }
}
