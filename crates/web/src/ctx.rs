//! Who is asking, and in which language: the session extractor and the context every page
//! template receives.

use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use lajna_domain::Lang;
use lajna_door::auth::User;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::sync::MutexGuard;

use crate::i18n::Tr;
use crate::{AppState, WebError};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "lajna_session";

/// The signed-in user (if any) of a request, its CSRF token and its cookie token.
#[derive(Clone, Debug, Default)]
pub struct Viewer {
    /// The user, when the session cookie names a live session.
    pub user: Option<User>,
    /// The session's CSRF token (empty when signed out).
    pub csrf: String,
    /// The session cookie's value.
    pub token: Option<String>,
    /// The user's unread notifications (issue 14), for the header of every page.
    pub unread: i64,
    /// The user's time zone (tz database); `None` (signed out) shows times in UTC.
    pub zone: Option<jiff::tz::TimeZone>,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // One session lookup per request, whichever extractors ask.
        if let Some(viewer) = parts.extensions.get::<Self>() {
            return Ok(viewer.clone());
        }
        let viewer = Self::lookup(parts, state).await;
        parts.extensions.insert(viewer.clone());
        Ok(viewer)
    }
}

impl Viewer {
    async fn lookup(parts: &Parts, state: &AppState) -> Self {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else { return Self::default() };
        match state.node.signed_in(&token).await {
            Ok(Some(s)) => {
                Self { user: Some(s.user), csrf: s.csrf, token: Some(token), unread: s.unread, zone: Some(s.zone) }
            }
            Ok(None) => Self::default(),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                Self::default()
            }
        }
    }
}

/// Compares a submitted CSRF token with the session's in constant time (BLAKE3 digests compare
/// in constant time).
#[must_use]
pub fn csrf_ok(viewer: &Viewer, submitted: &str) -> bool {
    !viewer.csrf.is_empty() && blake3::hash(viewer.csrf.as_bytes()) == blake3::hash(submitted.as_bytes())
}

/// What the base template needs on every page.
#[derive(Clone, Debug)]
pub struct PageCtx {
    /// Page language tag.
    pub lang: &'static str,
    /// `rtl` or `ltr`.
    pub dir: &'static str,
    /// The path after `/{lang}` (for the language switcher), starting with `/`.
    pub path: String,
    /// Signed-in user's name, party and role code.
    pub user: Option<(String, String, &'static str)>,
    /// CSRF token for forms.
    pub csrf: String,
    /// Demo data directory.
    pub demo: bool,
    /// The marking banner of the page (highest marking of the records it shows, e.g.
    /// `SECRET — MAR ONLY`), shown at its top and bottom; `None` when nothing shown is marked.
    pub banner: Option<String>,
    /// The documents linked to the record the page shows that the viewer may see, as (id,
    /// title in the page's language, marking label), listed at the end of the page; their
    /// highest marking is the page's [`PageCtx::banner`] ([`Page::record_ctx`]).
    pub documents: Vec<(String, String, String)>,
    /// The signed-in user's unread notifications, shown in the header (issue 14).
    pub unread: i64,
    /// The viewer's time zone: [`PageCtx::local`] shows instants in it (issue 13).
    pub zone: jiff::tz::TimeZone,
}

impl PageCtx {
    /// Context for `lang`, the given path suffix and viewer.
    #[must_use]
    pub fn new(lang: Lang, path: impl Into<String>, viewer: &Viewer, demo: bool) -> Self {
        Self {
            lang: lang.code(),
            dir: lang.dir(),
            path: path.into(),
            user: viewer.user.as_ref().map(|u| (u.username.clone(), u.party.to_string(), u.role.code())),
            csrf: viewer.csrf.clone(),
            demo,
            banner: None,
            documents: Vec::new(),
            unread: viewer.unread,
            zone: viewer.zone.clone().unwrap_or(jiff::tz::TimeZone::UTC),
        }
    }

    /// An RFC 3339 instant (the record's UTC times) as the viewer's wall-clock time,
    /// `YYYY-MM-DD HH:MM` in their zone (tz database, DST included); anything that does not
    /// parse as an instant is shown as it is.
    #[must_use]
    pub fn local(&self, at: &str) -> String {
        at.parse::<jiff::Timestamp>().map_or_else(
            |_| at.to_string(),
            |t| t.to_zoned_datetime(self.zone.clone()).strftime("%Y-%m-%d %H:%M").to_string(),
        )
    }

    /// The viewer's zone name, shown beside local times (`UTC` when unset).
    #[must_use]
    pub fn zone_name(&self) -> &str {
        self.zone.iana_name().unwrap_or("UTC")
    }

    /// The same context with a marking banner (see [`lajna_domain::Marking::banner`]).
    #[must_use]
    pub fn with_banner(mut self, banner: Option<String>) -> Self {
        self.banner = banner;
        self
    }
}

/// A page's language from its URL segment.
#[must_use]
pub fn lang_of(segment: &str) -> Option<Lang> {
    Lang::parse(segment).ok()
}

/// The translator for a page.
#[must_use]
pub fn tr(state: &AppState, lang: Lang) -> Tr<'_> {
    Tr { catalog: &state.catalog, lang }
}

/// A signed-in page request: its language (the URL's first segment), the viewer and the user.
/// Refuses: an unknown language with the 404 page, a signed-out visitor with a redirect to the
/// sign-in page that comes back to the same path afterwards, a path holding a control
/// character with the 400 page.
#[derive(Clone)]
pub struct Page {
    /// The page's language.
    pub lang: Lang,
    /// The session (user, CSRF token, cookie).
    pub viewer: Viewer,
    /// The signed-in user.
    pub user: User,
    /// The client's address as the audit trail records it (`ConnectInfo`, set once per request
    /// by the server from the connection or a trusted proxy's `X-Forwarded-For`); `unknown`
    /// when the router runs without a server (tests calling it directly).
    pub address: String,
    /// Shared state, for rendering.
    pub state: AppState,
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page").field("lang", &self.lang).field("user", &self.user.username).finish()
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = PageLang::from_request_parts(parts, state).await?.0;
        let Ok(viewer) = Viewer::from_request_parts(parts, state).await;
        let Some(user) = viewer.user.clone() else {
            // After sign-in the browser comes back with a GET: a form's URL
            // (`/actions/{id}/progress`) is not a page, the page it belongs to is its parent.
            let back = if parts.method == axum::http::Method::GET || parts.method == axum::http::Method::HEAD {
                parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string()
            } else {
                let path = parts.uri.path();
                path.rsplit_once('/').map_or("/", |(parent, _)| parent).to_string()
            };
            return Err(PageError::new(state, lang, PageFault::SignIn(back)));
        };
        let address = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string());
        Ok(Self { lang, viewer, user, address, state: state.clone() })
    }
}

impl Page {
    /// The context of the base template for the page at `path` (after `/{lang}`).
    #[must_use]
    pub fn ctx(&self, path: impl Into<String>) -> PageCtx {
        PageCtx::new(self.lang, path, &self.viewer, self.state.node.demo())
    }

    /// The page's translator.
    #[must_use]
    pub fn tr(&self) -> Tr<'_> {
        tr(&self.state, self.lang)
    }

    /// The context of the page of record `id` (a mission, session, decision or action) at
    /// `path`: the documents linked to it that this user may see, listed, and the page's
    /// marking banner their highest marking (issue 17 item 2: a printed session page carries
    /// the marking of what it files), none when they are all unclassified.
    pub async fn record_ctx(&self, path: impl Into<String>, id: &str) -> PageCtx {
        let node = &self.state.node;
        let (visible, parties) = (node.documents_for(&self.user).await, node.parties_of_committee().await);
        let mut ctx = self.ctx(path);
        (ctx.documents, ctx.banner) = lajna_views::documents::filed_with(&visible, id, &parties, self.lang);
        ctx
    }

    /// A refusal of this page (404, 403 with a message key, 500 for `WebError`s).
    #[must_use]
    pub fn fault(&self, fault: PageFault) -> PageError {
        PageError { state: self.state.clone(), lang: self.lang, viewer: self.viewer.clone(), fault }
    }

    /// The 403 page with the message `key`.
    #[must_use]
    pub fn forbidden(&self, key: &'static str) -> PageError {
        self.fault(PageFault::Forbidden(key))
    }

    /// The error page of a failed read or render (404 for [`WebError::NotFound`], else 500).
    #[must_use]
    pub fn fail(&self, e: impl Into<WebError>) -> PageError {
        self.fault(PageFault::Failed(e.into()))
    }

    /// The refusal page of a node error that is not about the form's content: a missing
    /// permission or node key (403). `None` when the error belongs beside the form instead.
    #[must_use]
    pub fn refusal(&self, e: &lajna_door::DoorError) -> Option<PageError> {
        use lajna_door::DoorError;
        use lajna_door::auth::AuthError;
        match e {
            DoorError::Auth(AuthError::Forbidden(_)) | DoorError::NoKey { .. } => {
                Some(self.forbidden("error-forbidden"))
            }
            DoorError::Auth(AuthError::SignedOut) => Some(self.fault(PageFault::SignIn(String::new()))),
            _ => None,
        }
    }

    /// The content kept under `key` at `generation` ([`crate::AppState::kept`]), else made by
    /// `make` (one at a time, [`crate::AppState::making`]) and kept.
    ///
    /// # Errors
    /// A failed render, as the error page.
    pub async fn kept(
        &self,
        generation: u64,
        key: &str,
        make: impl FnOnce() -> askama::Result<crate::KeptPage>,
    ) -> Result<Arc<crate::KeptPage>, PageError> {
        if let Some(kept) = self.state.kept.pages.get(generation, key) {
            return Ok(kept);
        }
        let _turn = self.state.making.lock().await;
        lajna_door::cpu_bound(|| self.state.kept.pages.get_or_try(generation, key, || make().map(Arc::new)))
            .or_page(self)
    }

    /// The turn to make the kept page `key` missing at `generation` ([`crate::AppState::making`]),
    /// or, while another reader holds it, the newest page kept from an earlier generation: that
    /// reader is making the current one, so this one shows the last page made instead of
    /// waiting (issue 11: the dashboard while imports write).
    pub async fn turn_or_stale(&self, generation: u64, key: &str) -> Result<MutexGuard<'_, ()>, Arc<crate::KeptPage>> {
        crate::views::cache::turn_or_stale(&self.state.making, &self.state.kept.pages, generation, key).await
    }

    /// The page around a kept content ([`crate::KeptPage`], at its path), with this session's
    /// CSRF token in place of [`crate::views::cache::CSRF_MARK`].
    ///
    /// # Errors
    /// A failed render, as the error page.
    pub fn framed(&self, kept: &crate::KeptPage) -> Result<Response, PageError> {
        let content = crate::views::cache::with_csrf(&kept.content, &self.viewer.csrf);
        let (ctx, tr) = (self.ctx(kept.path.clone()), self.tr());
        let html = KeptFrame { ctx, tr, title: &kept.title, content: &content }.render().or_page(self)?;
        Ok(axum::response::Html(html).into_response())
    }

    /// A redirect to `/{lang}{path}` (`path` starts with `/`).
    #[must_use]
    pub fn redirect(&self, path: &str) -> Response {
        Redirect::to(&format!("/{}{path}", self.lang.code())).into_response()
    }
}

/// The frame of every page (`base.html`) around a content rendered apart ([`Page::framed`]).
#[derive(askama::Template)]
#[template(path = "kept.html")]
struct KeptFrame<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    title: &'a str,
    content: &'a str,
}

/// The language of a page from the first segment of its URL (`/ar/…`); an unknown one answers
/// the 404 page, a path with a control character (decoded `%00`–`%1F`, `%7F`) the 400 page.
#[derive(Clone, Copy, Debug)]
pub struct PageLang(pub Lang);

impl FromRequestParts<AppState> for PageLang {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let segment = parts.uri.path().split('/').nth(1).unwrap_or_default();
        let Some(lang) = lang_of(segment) else {
            let lang = state.node.default_language();
            return Err(PageError::new(state, lang, PageFault::Failed(WebError::NotFound)));
        };
        if has_control(parts.uri.path()) || parts.uri.query().is_some_and(has_control) {
            return Err(PageError::new(state, lang, PageFault::BadRequest));
        }
        Ok(Self(lang))
    }
}

/// Whether percent-decoded `raw` holds a control character (C0, DEL or C1).
#[must_use]
pub fn has_control(raw: &str) -> bool {
    percent_encoding::percent_decode_str(raw).decode_utf8_lossy().chars().any(char::is_control)
}

/// Why a page is refused; rendered by [`PageError`].
#[derive(Debug)]
pub enum PageFault {
    /// Signed out (or the session ended): redirect to the sign-in page, back to this path.
    SignIn(String),
    /// Malformed request (a control character in the path or query). HTTP 400.
    BadRequest,
    /// A form field whose value cannot be read as its type (a number expected): the field's
    /// name. HTTP 400.
    BadField(String),
    /// A body over the route's limit. HTTP 413.
    TooLarge,
    /// Not allowed, with the message key. HTTP 403.
    Forbidden(&'static str),
    /// A read or render failed: 404 for [`WebError::NotFound`], 500 otherwise (logged).
    Failed(WebError),
}

/// The one error type of the HTML pages: renders itself as the page its fault calls for, in
/// the request's language.
pub struct PageError {
    state: AppState,
    lang: Lang,
    viewer: Viewer,
    fault: PageFault,
}

impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageError").field("lang", &self.lang).field("fault", &self.fault).finish()
    }
}

impl PageError {
    /// A refusal for a visitor not (yet) known to be signed in.
    #[must_use]
    pub fn new(state: &AppState, lang: Lang, fault: PageFault) -> Self {
        Self { state: state.clone(), lang, viewer: Viewer::default(), fault }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let Self { state, lang, viewer, fault } = self;
        match fault {
            PageFault::SignIn(next) => crate::login_to(lang, &next),
            PageFault::BadRequest => {
                crate::message_page(&state, lang, &viewer, StatusCode::BAD_REQUEST, "bad-request", "bad-request-text")
            }
            PageFault::BadField(field) => {
                let text = tr(&state, lang).s("bad-field-text", "field", &field);
                crate::message_page_text(&state, lang, &viewer, StatusCode::BAD_REQUEST, "bad-request", text)
            }
            PageFault::TooLarge => crate::message_page(
                &state,
                lang,
                &viewer,
                StatusCode::PAYLOAD_TOO_LARGE,
                "request-too-large",
                "request-too-large-text",
            ),
            PageFault::Forbidden(key) => crate::forbidden_page(&state, lang, &viewer, key),
            PageFault::Failed(e) => crate::failure(&state, lang, e),
        }
    }
}

/// The session's CSRF token as a form sends it (`csrf`).
#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// An `application/x-www-form-urlencoded` body whose `csrf` field matches the session's token,
/// deserialised as `T` (which need not mention `csrf`). Refuses with the 403 page when the
/// token is wrong or missing, and with the 400 page when the body is not a form.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let lang = PageLang::from_request_parts(&mut parts, state).await?.0;
        let Ok(viewer) = Viewer::from_request_parts(&mut parts, state).await;
        let refuse = |fault| PageError { state: state.clone(), lang, viewer: viewer.clone(), fault };
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), state).await.map_err(|e| {
            refuse(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                PageFault::TooLarge
            } else {
                PageFault::BadRequest
            })
        })?;
        let csrf: CsrfField = serde_urlencoded::from_bytes(&bytes).map_err(|_| refuse(PageFault::BadRequest))?;
        if !csrf_ok(&viewer, &csrf.csrf) {
            return Err(refuse(PageFault::Forbidden("error-csrf")));
        }
        // The field that could not be read is named (serde_path_to_error), not guessed.
        let form =
            serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(form_urlencoded::parse(&bytes)))
                .map_err(|e| refuse(PageFault::BadField(e.path().to_string())))?;
        Ok(Self(form))
    }
}

/// Turns a failed read or render into the page's error page: `views::x(..).await.or_page(&page)?`.
pub trait OrPage<T> {
    /// The value, or [`Page::fail`] of the error.
    ///
    /// # Errors
    /// The error page (404 for [`WebError::NotFound`], else 500).
    fn or_page(self, page: &Page) -> Result<T, PageError>;
}

impl<T, E: Into<WebError>> OrPage<T> for Result<T, E> {
    fn or_page(self, page: &Page) -> Result<T, PageError> {
        self.map_err(|e| page.fail(e))
    }
}
