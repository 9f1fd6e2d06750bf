//! The committee's archive (issue 6): `/{lang}/documents` (list, paginated), a document page,
//! its file download, and the upload form (multipart, CSRF token).
//!
//! Access (DESIGN.md §6): every handler applies [`lajna_node::documents::may_see`] — enough
//! clearance and a party in the releasability — and a document the viewer may not see answers
//! 404, like one that does not exist. Every view and download of a document marked RESTRICTED
//! or above is written to the audit trail with the viewer's address. Pages showing marked
//! documents carry the marking banner (the highest marking shown) at their top and bottom.

use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use lajna_domain::records::{Action, Decision, Document, Mission, Session};
use lajna_domain::{Classification, Lang, LocalizedText, Marking, PartyCode, RecordKind, Releasability};
use lajna_node::NodeError;
use lajna_node::auth::{AuthError, Role, User};
use lajna_node::documents::{DocumentView, Upload};

use crate::ctx::{PageCtx, Viewer, csrf_ok, lang_of, tr};
use crate::i18n::{Arg, Tr};
use crate::problem::{message_of, status_of};
use crate::views::Txt;
use crate::{AppState, failure, forbidden_page, not_found, to_login};

/// Documents per page of the list.
pub const DOCUMENTS_PER_PAGE: usize = 20;

/// Largest text field of the upload form, bytes (titles, choices).
const MAX_FIELD_BYTES: usize = 16 * 1024;

/// The routes of this module. The upload route reads the body itself, chunk by chunk, up to
/// the node's `max_document_bytes` (axum's 2 MB default would refuse before the check).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/documents", get(list).post(upload).layer(DefaultBodyLimit::disable()))
        .route("/{lang}/documents/new", get(new_form))
        .route("/{lang}/documents/{id}", get(page))
        .route("/{lang}/documents/{id}/file", get(download))
}

/// One row of the list.
struct Row {
    id: String,
    title: Txt,
    marking: String,
    classification: &'static str,
    media_type: String,
    size: i64,
    date: String,
    illustrative: bool,
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
    id: String,
    title: Txt,
    /// Every language of the title: (language tag, direction, text).
    titles: Vec<(&'static str, &'static str, String)>,
    marking: String,
    classification: &'static str,
    language: &'static str,
    date: String,
    media_type: String,
    size_label: String,
    file_name: String,
    registered_at: String,
    registered_by: String,
    links: Vec<(String, Txt)>,
    illustrative: bool,
    /// Whether this node holds the file: a shared document registered on the other party's
    /// node arrives by sync before its file does ("file not yet received").
    file_received: bool,
}

/// What the upload form shows again after a refusal.
#[derive(Default)]
struct Typed {
    title_ar: String,
    title_fr: String,
    title_en: String,
    language: String,
    date: String,
    classification: String,
    releasable_to: String,
    links: Vec<String>,
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

/// The marking as shown: `SECRET — MAR ONLY`, `UNCLASSIFIED — MAR+MLI`.
fn marking_label(m: &Marking, parties: &[PartyCode]) -> String {
    let rel = match m.releasable_to.only() {
        Some(p) => format!("{p} ONLY"),
        None => parties.iter().map(PartyCode::as_str).collect::<Vec<_>>().join("+"),
    };
    format!("{} — {rel}", m.classification.code())
}

fn page_of(q: &[(String, String)]) -> usize {
    q.iter().rev().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(1).max(1)
}

fn may_upload(user: &User) -> bool {
    matches!(user.role, Role::CoChair | Role::Secretary)
}

async fn list(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<Vec<(String, String)>>,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, "/documents") };
    let parties = state.node.parties_of_committee().await;
    let all = state.node.documents_for(&user).await;
    let pages = all.len().div_ceil(DOCUMENTS_PER_PAGE).max(1);
    let page = page_of(&q).min(pages);
    let shown: Vec<DocumentView> =
        all.into_iter().skip((page - 1) * DOCUMENTS_PER_PAGE).take(DOCUMENTS_PER_PAGE).collect();
    let banner = Marking::banner(shown.iter().map(|v| &v.document.marking), &parties);
    let rows = shown
        .iter()
        .map(|v| Row {
            id: v.id.clone(),
            title: Txt::of(&v.document.title, lang),
            marking: marking_label(&v.document.marking, &parties),
            classification: v.document.marking.classification.code(),
            media_type: v.document.media_type.clone(),
            size: v.document.size,
            date: v.document.date.map(|d| d.to_string()).unwrap_or_default(),
            illustrative: v.document.illustrative,
        })
        .collect();
    let tr = tr(&state, lang);
    let page_label = tr.catalog.get(
        lang,
        "documents-page",
        &[("page", Arg::Num(i64::try_from(page).unwrap_or(1))), ("pages", Arg::Num(i64::try_from(pages).unwrap_or(1)))],
    );
    let view = ListPage {
        ctx: PageCtx::new(lang, "/documents", &viewer, state.node.config.demo).with_banner(banner),
        tr,
        rows,
        page,
        pages,
        page_label,
        can_upload: may_upload(&user),
        saved: q.iter().any(|(k, v)| k == "saved" && v == "1"),
    };
    match view.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => failure(&state, lang, e.into()),
    }
}

/// The title and page path of a linked record, when it exists.
fn link_of(state: &lajna_domain::State, id: &str, lang: Lang) -> Option<(String, Txt)> {
    let entry = state.entry(id)?;
    let (path, title) = match entry.kind {
        RecordKind::Mission => ("missions", state.get::<Mission>(RecordKind::Mission, id)?.title),
        RecordKind::Session => ("sessions", state.get::<Session>(RecordKind::Session, id)?.title),
        RecordKind::Decision => ("decisions", state.get::<Decision>(RecordKind::Decision, id)?.text),
        RecordKind::Action => ("actions", state.get::<Action>(RecordKind::Action, id)?.title),
        _ => return None,
    };
    Some((format!("/{}/{path}/{id}", lang.code()), Txt::of(&title, lang)))
}

async fn page(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, &format!("/documents/{id}")) };
    let Some(v) = state.node.document_for(&user, &id).await else { return not_found(&state, Some(lang)) };
    let d = &v.document;
    if let Err(e) = state.node.audit_view(&user, "document-view", &id, &d.marking, &addr.ip().to_string()).await {
        tracing::error!(error = %e, "audit failed");
        return failure(&state, lang, crate::WebError::NotFound);
    }
    let parties = state.node.parties_of_committee().await;
    let links = state.node.with_state(|s| d.links.iter().filter_map(|l| link_of(s, l, lang)).collect()).await;
    let tr = tr(&state, lang);
    let titles = Lang::ALL.iter().filter_map(|l| d.title.get(*l).map(|t| (l.code(), l.dir(), t.to_string()))).collect();
    let view = DocPage {
        ctx: PageCtx::new(lang, format!("/documents/{id}"), &viewer, state.node.config.demo)
            .with_banner(Marking::banner([&d.marking], &parties)),
        tr,
        title: Txt::of(&d.title, lang),
        titles,
        marking: marking_label(&d.marking, &parties),
        classification: d.marking.classification.code(),
        language: d.language.code(),
        date: d.date.map(|x| x.to_string()).unwrap_or_default(),
        media_type: d.media_type.clone(),
        size_label: tr.catalog.get(lang, "documents-bytes", &[("n", Arg::Num(d.size))]),
        file_name: d.file_name.clone(),
        registered_at: v.registered_at.clone(),
        registered_by: v.registered_by.clone(),
        links,
        illustrative: d.illustrative,
        file_received: state.node.has_blob(&d.blake3),
        id,
    };
    match view.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => failure(&state, lang, e.into()),
    }
}

/// A file name safe inside a quoted `Content-Disposition` parameter (ASCII, no quotes).
fn disposition_name(name: &str) -> String {
    let safe: String =
        name.chars().map(|c| if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | ';') { c } else { '_' }).collect();
    if safe.trim_matches('_').is_empty() { "document".into() } else { safe }
}

async fn download(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    viewer: Viewer,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, &format!("/documents/{id}/file")) };
    let Some(v) = state.node.document_for(&user, &id).await else { return not_found(&state, Some(lang)) };
    let d = &v.document;
    let bytes = match state.node.read_blob(&d.blake3) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "blob unreadable");
            return not_found(&state, Some(lang));
        }
    };
    if let Err(e) = state.node.audit_view(&user, "document-download", &id, &d.marking, &addr.ip().to_string()).await {
        tracing::error!(error = %e, "audit failed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let media =
        if d.media_type == "text/plain" { "text/plain; charset=utf-8".to_string() } else { d.media_type.clone() };
    (
        [
            (header::CONTENT_TYPE, media),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", disposition_name(&d.file_name))),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

async fn render_new(state: &AppState, lang: Lang, viewer: &Viewer, typed: Typed, error: String) -> Response {
    let Some(user) = viewer.user.clone() else { return to_login(lang, "/documents/new") };
    let tr = tr(state, lang);
    let levels = Classification::ALL.into_iter().filter(|c| *c <= user.clearance).map(Classification::code).collect();
    let mut releasability = vec![("both".to_string(), tr.t("documents-releasable-both"))];
    releasability.push((
        user.party.to_string(),
        tr.catalog.get(lang, "documents-releasable-only", &[("party", Arg::Text(user.party.to_string()))]),
    ));
    let linkable = state
        .node
        .with_state(|s| {
            let mut out = vec![];
            for kind in [RecordKind::Mission, RecordKind::Session, RecordKind::Decision, RecordKind::Action] {
                for (id, _) in s.entries().filter(|(_, e)| e.kind == kind && !e.is_private()) {
                    if let Some((_, t)) = link_of(s, id, lang) {
                        out.push((id.clone(), t.text));
                    }
                }
            }
            out
        })
        .await;
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = NewPage {
        ctx: PageCtx::new(lang, "/documents/new", viewer, state.node.config.demo),
        tr,
        typed,
        error,
        levels,
        releasability,
        linkable,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => failure(state, lang, e.into()),
    }
}

async fn new_form(State(state): State<AppState>, Path(lang): Path<String>, viewer: Viewer) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, "/documents/new") };
    if !may_upload(&user) {
        return forbidden_page(&state, lang, &viewer, "error-forbidden");
    }
    render_new(&state, lang, &viewer, Typed::default(), String::new()).await
}

/// The upload form as read: typed fields, and the file (name, declared type, bytes), or the
/// refusal already met while reading (an oversized file is not read past the limit).
struct Received {
    csrf: String,
    typed: Typed,
    file: Option<(String, Option<String>, Vec<u8>)>,
    refused: Option<NodeError>,
}

async fn read_form(mut multipart: Multipart, max: u64) -> Result<Received, StatusCode> {
    let mut r = Received { csrf: String::new(), typed: Typed::default(), file: None, refused: None };
    while let Some(mut field) = multipart.next_field().await.map_err(|_| StatusCode::BAD_REQUEST)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let declared = field.content_type().map(String::from);
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| StatusCode::BAD_REQUEST)? {
                bytes.extend_from_slice(&chunk);
                let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
                if size > max {
                    r.refused = Some(NodeError::Document(lajna_node::documents::DocumentError::TooLarge { size, max }));
                    bytes.clear();
                    break;
                }
            }
            r.file = Some((file_name, declared, bytes));
            continue;
        }
        let mut value = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| StatusCode::BAD_REQUEST)? {
            value.extend_from_slice(&chunk);
            if value.len() > MAX_FIELD_BYTES {
                return Err(StatusCode::PAYLOAD_TOO_LARGE);
            }
        }
        let value = String::from_utf8(value).map_err(|_| StatusCode::BAD_REQUEST)?;
        let t = &mut r.typed;
        match name.as_str() {
            "csrf" => r.csrf = value,
            "title_ar" => t.title_ar = value,
            "title_fr" => t.title_fr = value,
            "title_en" => t.title_en = value,
            "language" => t.language = value,
            "date" => t.date = value,
            "classification" => t.classification = value,
            "releasable_to" => t.releasable_to = value,
            "links" if !value.trim().is_empty() => t.links.push(value.trim().to_string()),
            _ => {}
        }
    }
    Ok(r)
}

/// The document record described by the form (file fields are filled by the node).
fn document_of(t: &Typed, page_lang: Lang) -> Result<Document, NodeError> {
    let title = LocalizedText::parse(
        "title",
        &[(Lang::Ar, t.title_ar.as_str()), (Lang::Fr, t.title_fr.as_str()), (Lang::En, t.title_en.as_str())],
    )?;
    let language = if t.language.trim().is_empty() { page_lang } else { Lang::parse(&t.language)? };
    let date = match t.date.trim() {
        "" => None,
        d => Some(
            d.parse()
                .map_err(|_| lajna_domain::DomainError::InvalidValue { field: "date".into(), value: d.to_string() })?,
        ),
    };
    let classification = if t.classification.trim().is_empty() {
        Classification::Unclassified
    } else {
        Classification::parse(&t.classification)?
    };
    let releasable_to =
        if t.releasable_to.trim().is_empty() { Releasability::Both } else { Releasability::parse(&t.releasable_to)? };
    Ok(Document {
        title,
        language,
        date,
        marking: Marking { classification, releasable_to },
        blake3: String::new(),
        media_type: String::new(),
        size: 0,
        file_name: String::new(),
        links: t.links.clone(),
        illustrative: false,
    })
}

async fn upload(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    viewer: Viewer,
    multipart: Multipart,
) -> Response {
    let Some(lang) = lang_of(&lang) else { return not_found(&state, None) };
    let Some(user) = viewer.user.clone() else { return to_login(lang, "/documents/new") };
    let received = match read_form(multipart, state.node.config.max_document_bytes).await {
        Ok(r) => r,
        Err(status) => return status.into_response(),
    };
    if !csrf_ok(&viewer, &received.csrf) {
        return forbidden_page(&state, lang, &viewer, "error-csrf");
    }
    if !may_upload(&user) {
        return forbidden_page(&state, lang, &viewer, "error-forbidden");
    }
    let result = match (received.refused, &received.file) {
        (Some(e), _) => Err(e),
        (None, None) => Err(NodeError::Document(lajna_node::documents::DocumentError::Empty)),
        (None, Some((file_name, declared, bytes))) => match document_of(&received.typed, lang) {
            Ok(document) => {
                let upload = Upload { bytes, file_name: file_name.clone(), declared_type: declared.clone() };
                state.node.register_document(Some(&user), &user.actor(), &upload, document).await
            }
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(_) => Redirect::to(&format!("/{}/documents?saved=1", lang.code())).into_response(),
        Err(NodeError::Auth(AuthError::Forbidden(_))) => forbidden_page(&state, lang, &viewer, "error-forbidden"),
        Err(e) => {
            let status = status_of(&e);
            let (_, message) = message_of(&state.catalog, lang, &e);
            let mut res = render_new(&state, lang, &viewer, received.typed, message).await;
            if status.is_client_error() {
                *res.status_mut() = status;
            }
            res
        }
    }
}
