//! The audit trail of a party (issue 6, DESIGN.md §6): `/{lang}/audit` (paginated, newest
//! first) and `/{lang}/audit.csv`. Readable only by that party's co-chair and secretary; anyone
//! else gets 404, as for a page that does not exist. Lines are append-only in the database
//! (triggers of migration 0006). The CSV starts with a BOM and neutralises cells a spreadsheet
//! would take for a formula (case C08), like the follow-up matrix.

use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use lajna_door::AuditRow;
use lajna_door::auth::{Role, User};

use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::{Arg, Tr};
use crate::{AppState, WebError};
use lajna_outputs::download::content_disposition;

/// Audit lines per page.
pub const AUDIT_PER_PAGE: usize = 50;

/// Most lines in one CSV export.
const CSV_MAX_LINES: i64 = 1_000_000;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new().route("/{lang}/audit", get(show)).route("/{lang}/audit.csv", get(csv))
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    party: String,
    rows: Vec<AuditRow>,
    page: usize,
    pages: usize,
    page_label: String,
}

impl AuditPage<'_> {
    /// An action code in the page's language (`audit-action-{code}`), the code itself when the
    /// catalogue has no words for it (a code added later still shows).
    fn action_label(&self, code: &str) -> String {
        let key = format!("audit-action-{code}");
        let label = self.tr.t(&key);
        if label == key { code.to_string() } else { label }
    }
}

/// Whether `user` may read its party's audit trail: co-chairs and secretaries.
#[must_use]
pub fn may_read_audit(user: &User) -> bool {
    matches!(user.role, Role::CoChair | Role::Secretary)
}

/// The party whose trail `page`'s user may read, or the 404 page (as for a page that does not
/// exist) for users who may not.
fn readable(page: &Page) -> Result<String, PageError> {
    if may_read_audit(&page.user) { Ok(page.user.party.to_string()) } else { Err(page.fail(WebError::NotFound)) }
}

/// "Page n of m" in the page's language.
fn page_label(tr: Tr<'_>, page: usize, pages: usize) -> String {
    let num = |n: usize| Arg::Num(i64::try_from(n).unwrap_or(1));
    tr.catalog.get(tr.lang, "documents-page", &[("page", num(page)), ("pages", num(pages))])
}

/// `GET /{lang}/audit?page=n`: one page of the trail, newest first.
async fn show(page: Page, Query(q): Query<Vec<(String, String)>>) -> Result<Html<String>, PageError> {
    let party = readable(&page)?;
    let asked = q.iter().rev().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(1);
    let node = &page.state.node;
    let (_, total) = node.audit_page(&party, 0, 0).await.or_page(&page)?;
    let pages = usize::try_from(total).unwrap_or(0).div_ceil(AUDIT_PER_PAGE).max(1);
    let current = asked.clamp(1, pages);
    let per = i64::try_from(AUDIT_PER_PAGE).unwrap_or(50);
    let (rows, _) = node.audit_page(&party, i64::try_from(current - 1).unwrap_or(0) * per, per).await.or_page(&page)?;
    let tr = page.tr();
    let page_label = page_label(tr, current, pages);
    let view = AuditPage { ctx: page.ctx("/audit"), tr, party, rows, page: current, pages, page_label };
    Ok(Html(view.render().or_page(&page)?))
}

/// One CSV cell: neutralised (a leading `= + - @ TAB CR` gets an apostrophe), quoted.
fn cell(text: &str) -> String {
    format!("\"{}\"", lajna_outputs::matrix::neutralise(text).replace('"', "\"\""))
}

/// The audit lines as CSV: BOM, header, one line per row, CRLF line ends.
#[must_use]
pub fn to_csv(rows: &[AuditRow]) -> Vec<u8> {
    let mut out = String::from("\u{feff}at,username,action,detail,record,address\r\n");
    for r in rows {
        let line = [&r.at, &r.username, &r.action, &r.detail, &r.record, &r.address].map(|c| cell(c)).join(",");
        out.push_str(&line);
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// `GET /{lang}/audit.csv`: the whole trail (audited as an export).
async fn csv(page: Page, ConnectInfo(addr): ConnectInfo<SocketAddr>) -> Result<Response, PageError> {
    let party = readable(&page)?;
    let (rows, _) = page.state.node.audit_page(&party, 0, CSV_MAX_LINES).await.or_page(&page)?;
    // An export of the trail is itself an export: audited.
    if let Err(e) = page.state.node.audit_as(&page.user, "audit-export", "audit.csv", "", &addr.ip().to_string()).await
    {
        tracing::error!(error = %e, "audit failed");
        return Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, crate::disposition(content_disposition(&format!("lajna-audit-{party}.csv")))),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        ],
        to_csv(&rows),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_has_a_bom_and_neutralised_cells() {
        let row = AuditRow {
            at: "2026-01-01T00:00:00Z".into(),
            username: "=HYPERLINK(\"x\")".into(),
            action: "document-view".into(),
            detail: "@SUM(1)".into(),
            address: "127.0.0.1".into(),
            party: "MAR".into(),
            record: "ab".into(),
        };
        let text = String::from_utf8(to_csv(&[row])).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let line = text.lines().nth(1).unwrap();
        assert_eq!(line, r#""2026-01-01T00:00:00Z","'=HYPERLINK(""x"")","document-view","'@SUM(1)","ab","127.0.0.1""#);
    }
}
