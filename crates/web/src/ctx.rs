//! Who is asking, and in which language: the session extractor and the context every page
//! template receives.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::cookie::CookieJar;
use lajna_domain::Lang;
use lajna_node::auth::User;

use crate::AppState;
use crate::i18n::Tr;

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
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else { return Ok(Self::default()) };
        match state.node.session(&token).await {
            Ok(Some((user, csrf))) => Ok(Self { user: Some(user), csrf, token: Some(token) }),
            Ok(None) => Ok(Self::default()),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                Ok(Self::default())
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
        }
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
