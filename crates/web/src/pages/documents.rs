//! The committee's archive (issue 6): `/{lang}/documents` (list, paginated), a document page,
//! its file download, and the upload form (multipart, CSRF token).
//!
//! Access (DESIGN.md §6): every handler applies [`lajna_door::documents::may_see`] — enough
//! clearance and a party in the releasability — and a document the viewer may not see answers
//! 404, like one that does not exist. Every view and download of a document marked RESTRICTED
//! or above is written to the audit trail with the viewer's address. Pages showing marked
//! documents carry the marking banner (the highest marking shown) at their top and bottom.

use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Path, RawQuery, Request};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use lajna_domain::Marking;
use lajna_door::DoorError;
use lajna_door::auth::{Role, User};
use lajna_door::documents::{DocumentError, DocumentView, Upload};

use crate::ctx::{OrPage, Page, PageCtx, PageError, PageFault, csrf_ok};
use crate::i18n::{Arg, Tr};
use crate::problem::{message_of, status_of};
use crate::views::documents::{DocumentPage, Row, Typed, document_page, levels_up_to, linkable, row_of};
use crate::{AppState, WebError};
use lajna_outputs::download::content_disposition;

/// Documents per page of the list.
pub const DOCUMENTS_PER_PAGE: usize = 20;

/// Largest text field of the upload form, bytes (titles, choices).
const MAX_FIELD_BYTES: usize = 16 * 1024;

/// What the upload form may add to its file, bytes (text fields, part headers).
pub const FORM_OVERHEAD: u64 = 64 * 1024;

/// The routes of this module. The upload route sets its own body limit, the node's
/// `max_document_bytes` + [`FORM_OVERHEAD`] (see [`UploadForm`]), instead of the global one.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/documents", get(list).post(upload).layer(DefaultBodyLimit::disable()))
        .route("/{lang}/documents/new", get(new_form))
        .route("/{lang}/documents/{id}", get(page))
        .route("/{lang}/documents/{id}/file", get(download))
}

#[derive(Template)]
#[template(path = "documents.html")]
struct ListPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    rows: Vec<Row>,
    page: usize,
    pages: usize,
    page_label: String,
    can_upload: bool,
    saved: bool,
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    v: DocumentPage,
    /// Whether this node holds the file: a shared document registered on the other party's
    /// node arrives by sync before its file does ("file not yet received").
    file_received: bool,
}

#[derive(Template)]
#[template(path = "document_new.html")]
struct NewPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    typed: Typed,
    error: String,
    /// Classification codes the user may choose (up to their clearance).
    levels: Vec<&'static str>,
    /// (value, label) of the releasability choices.
    releasability: Vec<(String, String)>,
    /// (id, label) of the records a document may link to.
    linkable: Vec<(String, String)>,
}

fn page_of(q: &[(String, String)]) -> usize {
    q.iter().rev().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(1).max(1)
}

fn may_upload(user: &User) -> bool {
    matches!(user.role, Role::CoChair | Role::Secretary)
}

/// `GET /{lang}/documents?page=N`: the documents the user may see, newest first.
async fn list(page: Page, RawQuery(query): RawQuery) -> Result<Response, PageError> {
    let q: Vec<(String, String)> = serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let (node, lang) = (&page.state.node, page.lang);
    let parties = node.parties_of_committee().await;
    let all = node.documents_for(&page.user).await;
    let pages = all.len().div_ceil(DOCUMENTS_PER_PAGE).max(1);
    let number = page_of(&q).min(pages);
    let shown: Vec<DocumentView> =
        all.into_iter().skip((number - 1) * DOCUMENTS_PER_PAGE).take(DOCUMENTS_PER_PAGE).collect();
    let banner = Marking::banner(shown.iter().map(|v| &v.document.marking), &parties);
    let count = |n: usize| Arg::Num(i64::try_from(n).unwrap_or(1));
    let page_label = page.tr().catalog.get(lang, "documents-page", &[("page", count(number)), ("pages", count(pages))]);
    let view = ListPage {
        ctx: page.ctx("/documents").with_banner(banner),
        tr: page.tr(),
        rows: shown.iter().map(|v| row_of(v, lang, &parties)).collect(),
        page: number,
        pages,
        page_label,
        can_upload: may_upload(&page.user),
        saved: q.iter().any(|(k, v)| k == "saved" && v == "1"),
    };
    Ok(Html(view.render().or_page(&page)?).into_response())
}

/// The error page of a view that could not be audited: the document is not shown.
fn audit_failed(page: &Page, e: DoorError) -> PageError {
    tracing::error!(error = %e, "audit failed");
    match e {
        e @ DoorError::Store { .. } => page.fail(e),
        _ => page.fail(WebError::NotFound),
    }
}

/// `GET /{lang}/documents/{id}`: 404 when it does not exist or the user may not see it.
async fn page(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
) -> Result<Response, PageError> {
    let node = &page.state.node;
    let Some(v) = node.document_for(&page.user, &id).await else { return Err(page.fail(WebError::NotFound)) };
    let d = &v.document;
    let address = addr.ip().to_string();
    node.audit_view(&page.user, "document-view", &id, &d.marking, &address)
        .await
        .map_err(|e| audit_failed(&page, e))?;
    let parties = node.parties_of_committee().await;
    let ctx = page.ctx(format!("/documents/{id}")).with_banner(Marking::banner([&d.marking], &parties));
    let view = document_page(&*node.read(&page.user).await, &v, &parties, page.tr());
    let html =
        DocPage { ctx, tr: page.tr(), v: view, file_received: node.has_blob(&d.blake3) }.render().or_page(&page)?;
    Ok(Html(html).into_response())
}

/// `GET /{lang}/documents/{id}/file`: the file, as an attachment (audited like a view).
async fn download(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
) -> Result<Response, PageError> {
    let node = &page.state.node;
    let Some(v) = node.document_for(&page.user, &id).await else { return Err(page.fail(WebError::NotFound)) };
    let d = &v.document;
    let bytes = node.read_blob(&d.blake3).map_err(|e| {
        tracing::error!(error = %e, "blob unreadable");
        page.fail(WebError::NotFound)
    })?;
    let address = addr.ip().to_string();
    node.audit_view(&page.user, "document-download", &id, &d.marking, &address)
        .await
        .map_err(|e| audit_failed(&page, e))?;
    let media =
        if d.media_type == "text/plain" { "text/plain; charset=utf-8".to_string() } else { d.media_type.clone() };
    let headers = [
        (header::CONTENT_TYPE, media),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        (header::CACHE_CONTROL, "private, no-store".to_string()),
    ];
    let disposition = [(header::CONTENT_DISPOSITION, content_disposition(&d.file_name))];
    Ok((headers, disposition, bytes).into_response())
}

/// The upload form of `page` with what was typed and the refusal (`status` when there is one).
async fn render_new(page: &Page, typed: Typed, error: String, status: StatusCode) -> Result<Response, PageError> {
    let (user, lang, tr) = (&page.user, page.lang, page.tr());
    let levels = levels_up_to(user.clearance);
    let mut releasability = vec![("both".to_string(), tr.t("documents-releasable-both"))];
    let party = user.party.to_string();
    releasability
        .push((party.clone(), tr.catalog.get(lang, "documents-releasable-only", &[("party", Arg::Text(party))])));
    let linkable = linkable(&*page.state.node.read(&page.user).await, lang);
    let view = NewPage { ctx: page.ctx("/documents/new"), tr, typed, error, levels, releasability, linkable };
    Ok((status, Html(view.render().or_page(page)?)).into_response())
}

/// `GET /{lang}/documents/new`: the upload form (co-chairs and secretaries).
async fn new_form(page: Page) -> Result<Response, PageError> {
    if !may_upload(&page.user) {
        return Err(page.forbidden("error-forbidden"));
    }
    render_new(&page, Typed::default(), String::new(), StatusCode::OK).await
}

/// The body of `POST /{lang}/documents` (multipart) as far as it may be read: the user may
/// upload, the body is not declared larger than the limit, and its FIRST field is `csrf` with
/// the session's token (the form sends it first) — all checked before the file is read, so a
/// refused request costs the server no more than its headers and first field. The rest of the
/// body is read through a limit of `max_document_bytes` + [`FORM_OVERHEAD`].
/// Refuses with the 403 page (role, token), the upload form with 413 (declared size), the 400
/// page (not multipart).
pub struct UploadForm(Multipart);

impl FromRequest<AppState> for UploadForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let page = Page::from_request_parts(&mut parts, state).await.map_err(IntoResponse::into_response)?;
        if !may_upload(&page.user) {
            return Err(page.forbidden("error-forbidden").into_response());
        }
        let max = state.node.max_document_bytes();
        let limit = max.saturating_add(FORM_OVERHEAD);
        let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if let Some(size) = declared.filter(|size| *size > limit) {
            return Err(too_large(&page, size, max).await);
        }
        let limited = http_body_util::Limited::new(body, usize::try_from(limit).unwrap_or(usize::MAX));
        let req = Request::from_parts(parts, Body::new(limited));
        let refuse = |fault: PageError| fault.into_response();
        let mut multipart =
            Multipart::from_request(req, state).await.map_err(|_| refuse(page.fault(PageFault::BadRequest)))?;
        let csrf = match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("csrf") => {
                field_text(&mut field, 1024).await.unwrap_or_default()
            }
            _ => String::new(),
        };
        if !csrf_ok(&page.viewer, &csrf) {
            return Err(refuse(page.forbidden("error-csrf")));
        }
        Ok(Self(multipart))
    }
}

/// The upload form again with "the file is too large" (413).
async fn too_large(page: &Page, size: u64, max: u64) -> Response {
    let e = DoorError::Document(DocumentError::TooLarge { size, max });
    let (_, message) = message_of(&page.state.catalog, page.lang, &e);
    render_new(page, Typed::default(), message, StatusCode::PAYLOAD_TOO_LARGE)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// The upload form as read: typed fields, and the file (name, declared type, bytes), or the
/// refusal already met while reading (an oversized file is not kept past the limit).
struct Received {
    typed: Typed,
    file: Option<(String, Option<String>, Vec<u8>)>,
    refused: Option<DoorError>,
}

/// The text of a form field of at most `cap` bytes (413 beyond, 400 when not UTF-8).
async fn field_text(field: &mut axum::extract::multipart::Field<'_>, cap: usize) -> Result<String, StatusCode> {
    let mut value = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| e.status())? {
        value.extend_from_slice(&chunk);
        if value.len() > cap {
            return Err(StatusCode::PAYLOAD_TOO_LARGE);
        }
    }
    String::from_utf8(value).map_err(|_| StatusCode::BAD_REQUEST)
}

/// The file of the form, up to `max` bytes: (name, declared type, bytes) and, past `max`, the
/// refusal (the bytes are then dropped).
async fn file_of(
    field: &mut axum::extract::multipart::Field<'_>,
    max: u64,
) -> Result<((String, Option<String>, Vec<u8>), Option<DoorError>), StatusCode> {
    let file_name = field.file_name().unwrap_or_default().to_string();
    let declared = field.content_type().map(String::from);
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| e.status())? {
        bytes.extend_from_slice(&chunk);
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if size > max {
            return Ok((
                (file_name, declared, Vec::new()),
                Some(DoorError::Document(DocumentError::TooLarge { size, max })),
            ));
        }
    }
    Ok(((file_name, declared, bytes), None))
}

/// The fields after `csrf` (which [`UploadForm`] read). Errors: 413 past the body limit or a
/// text field over [`MAX_FIELD_BYTES`], 400 for a malformed body.
async fn read_form(mut multipart: Multipart, max: u64) -> Result<Received, StatusCode> {
    let mut r = Received { typed: Typed::default(), file: None, refused: None };
    while let Some(mut field) = multipart.next_field().await.map_err(|e| e.status())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let (file, refused) = file_of(&mut field, max).await?;
            r.file = Some(file);
            r.refused = r.refused.or(refused);
            continue;
        }
        let value = field_text(&mut field, MAX_FIELD_BYTES).await?;
        let t = &mut r.typed;
        match name.as_str() {
            "title_ar" => t.title_ar = value,
            "title_fr" => t.title_fr = value,
            "title_en" => t.title_en = value,
            "language" => t.language = value,
            "date" => t.date = value,
            "classification" => t.classification = value,
            "releasable_to" => t.releasable_to = value,
            "links" if !value.trim().is_empty() && t.links.len() < 1000 => t.links.push(value.trim().to_string()),
            _ => {}
        }
    }
    Ok(r)
}

/// `POST /{lang}/documents` (multipart: `csrf` first, then `file` and the fields): registers
/// the document and goes to the list, or shows the form again with the reason.
async fn upload(page: Page, UploadForm(multipart): UploadForm) -> Result<Response, PageError> {
    let max = page.state.node.max_document_bytes();
    let received = match read_form(multipart, max).await {
        Ok(r) => r,
        Err(StatusCode::PAYLOAD_TOO_LARGE) => return Ok(too_large(&page, max.saturating_add(1), max).await),
        Err(_) => return Err(page.fault(PageFault::BadRequest)),
    };
    let result = match (received.refused, &received.file) {
        (Some(e), _) => Err(e),
        (None, None) => Err(DoorError::Document(DocumentError::Empty)),
        (None, Some((file_name, declared, bytes))) => match received.typed.document(page.lang) {
            Ok(document) => {
                let upload = Upload { bytes, file_name: file_name.clone(), declared_type: declared.clone() };
                page.state.node.register_document(Some(&page.user), &page.user.actor(), &upload, document).await
            }
            Err(e) => Err(DoorError::Domain(e)),
        },
    };
    match result {
        Ok(_) => Ok(page.redirect("/documents?saved=1")),
        Err(e) => {
            if let Some(refusal) = page.refusal(&e) {
                return Err(refusal);
            }
            let (_, message) = message_of(&page.state.catalog, page.lang, &e);
            let status =
                Some(status_of(&e)).filter(StatusCode::is_client_error).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            render_new(&page, received.typed, message, status).await
        }
    }
}
