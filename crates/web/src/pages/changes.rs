//! `GET /{lang}/changes?from=&to=`: what changed in the record between two dates (issue 13
//! item 6; the comparison is [`lajna_views::changes`], each side folded from the log as the
//! viewer may see it by [`lajna_door::Door::read_as_of`]).

use askama::Template;
use axum::extract::Query;
use axum::response::Html;

use crate::ctx::{OrPage, Page, PageCtx, PageError};
use crate::i18n::{Arg, Tr};
use crate::views::changes::{Changes, end_of_day, period, what_changed};

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    c: Changes,
    /// "Between {from} and {to}" in the page's language.
    between: String,
}

/// The page: the period from the query (by default the last session to today), both sides.
pub async fn changes(page: Page, Query(q): Query<Vec<(String, String)>>) -> Result<Html<String>, PageError> {
    let (node, tr, today) = (&page.state.node, page.tr(), page.state.node.today());
    let now = node.read(&page.user).await;
    let (from, to) = period(&now, &q, today);
    // Today is the record as it stands (with a fixed reference date, as in the demo, the events
    // carry real times after it); a past date is the log folded to its end.
    let at = async |day| match day < today {
        true => node.read_as_of(&page.user, end_of_day(day)).await.map(Some),
        false => Ok(None),
    };
    let (before, after) = (at(from).await.or_page(&page)?, at(to).await.or_page(&page)?);
    let c = what_changed(before.as_ref().unwrap_or(&now), after.as_ref().unwrap_or(&now), from, to, tr.lang);
    let args = [("from", Arg::Text(c.from.clone())), ("to", Arg::Text(c.to.clone()))];
    let between = tr.catalog.get(tr.lang, "changes-between", &args);
    let ctx = page.ctx(format!("/changes?from={from}&to={to}"));
    Ok(Html(ChangesPage { ctx, tr, c, between }.render().or_page(&page)?))
}
