//! Resources (issue 18): what each party pledged and delivered, per area, roadmap and party in a
//! reporting currency and in kind, the pledges not honoured, and the forms that record a pledge,
//! a delivery, its withdrawal and an exchange rate. Figures are `lajna_views::resources`'s.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use lajna_domain::money::Currency;
use lajna_domain::resources::Pledge;
use lajna_domain::{Command, RecordKind};
use lajna_door::DoorError;
use lajna_views::resources::input::{DeliveryForm, PledgeForm, PledgeLine, RateForm, Typed, pledgeable, pledges};
use lajna_views::resources::{Page as Figures, input, page_or_message as figures};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{CsrfForm, OrPage, Page, PageCtx, PageError};
use crate::i18n::Tr;
use crate::problem::message_of;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{lang}/resources", get(show))
        .route("/{lang}/resources/pledges", post(make_pledge))
        .route("/{lang}/resources/rates", post(enter_rate))
        .route("/{lang}/resources/pledges/{id}/deliveries", post(record_delivery))
        .route("/{lang}/resources/pledges/{id}/withdraw", post(withdraw_delivery))
}

#[derive(Template)]
#[template(path = "resources.html")]
struct ResourcesPage<'a> {
    ctx: PageCtx,
    tr: Tr<'a>,
    f: Figures,
    currency: &'static str,
    currencies: &'static [&'static str],
    pledges: Vec<PledgeLine>,
    about: Vec<(String, String, String)>,
    /// Classification codes the user may give a pledge (up to their clearance).
    levels: Vec<&'static str>,
    can_write: bool,
    typed: Typed,
    saved: bool,
}

/// `?currency=EUR&saved=1`.
#[derive(Default, Deserialize)]
struct Shown {
    #[serde(default)]
    currency: String,
    #[serde(default)]
    saved: String,
}

/// The reporting currency asked for, else the node's (setting `reporting_currency`).
fn currency_of(page: &Page, asked: &str) -> Currency {
    Currency::parse(asked).unwrap_or_else(|_| page.state.node.reporting_currency())
}

async fn render(page: &Page, currency: Currency, typed: Typed, saved: bool) -> Result<Html<String>, PageError> {
    let (lang, tr) = (page.lang, page.tr());
    let snapshot = page.state.node.read(&page.user).await;
    let f = figures(&snapshot, currency, page.state.node.today(), &tr);
    let about = pledgeable(&snapshot, lang)
        .into_iter()
        .map(|(id, kind, title)| (id, tr.t(&format!("search-kind-{}", kind.code())), title))
        .collect();
    let html = ResourcesPage {
        ctx: page.ctx(format!("/resources?currency={currency}")),
        tr,
        f,
        currency: currency.code(),
        currencies: Currency::CODES,
        pledges: pledges(&snapshot, &page.user.party, lang),
        about,
        levels: lajna_views::documents::levels_up_to(page.user.clearance),
        can_write: page.user.can_write(),
        typed,
        saved,
    }
    .render()
    .or_page(page)?;
    Ok(Html(html))
}

/// `GET /{lang}/resources?currency=XXX`.
async fn show(page: Page, Query(q): Query<Shown>) -> Result<Html<String>, PageError> {
    render(&page, currency_of(&page, &q.currency), Typed::default(), q.saved == "1").await
}

/// Runs `command` (or the refusal of reading its form) and answers: back to the page, or the
/// page again with the form as typed and why (422).
async fn answer(
    page: &Page,
    command: Result<Command, DoorError>,
    mut typed: Typed,
    at: &str,
) -> Result<Response, PageError> {
    let result = match command {
        Ok(c) => page.state.node.execute_as(&page.user, &c).await.map(|_| ()),
        Err(e) => Err(e),
    };
    let Err(e) = result else { return Ok(page.redirect("/resources?saved=1")) };
    if let Some(refusal) = page.refusal(&e) {
        return Err(refusal);
    }
    let message = message_of(&page.state.catalog, page.lang, &e).1;
    let message = if let DoorError::Domain(d) = &e { input::in_field(&page.tr(), at, d, message) } else { message };
    typed.error = Some((at.to_string(), message));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page, page.state.node.reporting_currency(), typed, false).await?)
        .into_response())
}

/// `POST /{lang}/resources/pledges`: a pledge of the user's party.
async fn make_pledge(page: Page, CsrfForm(form): CsrfForm<PledgeForm>) -> Result<Response, PageError> {
    let command = form.pledge(&page.user.party, page.lang).map(Command::MakePledge).map_err(DoorError::Domain);
    answer(&page, command, Typed { pledge: form, ..Typed::default() }, "pledge").await
}

/// `POST /{lang}/resources/rates`: an exchange rate (joint).
async fn enter_rate(page: Page, CsrfForm(form): CsrfForm<RateForm>) -> Result<Response, PageError> {
    let command = form.rate(page.lang).map(Command::EnterRate).map_err(DoorError::Domain);
    answer(&page, command, Typed { rate: form, ..Typed::default() }, "rate").await
}

/// `POST /{lang}/resources/pledges/{id}/deliveries`: a delivery of the user's party's pledge.
async fn record_delivery(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<DeliveryForm>,
) -> Result<Response, PageError> {
    let snapshot = page.state.node.read(&page.user).await;
    let pledge: Pledge = snapshot.get(RecordKind::Pledge, &id).ok_or(crate::WebError::NotFound).or_page(&page)?;
    let command = form
        .delivery(&pledge, page.lang)
        .map(|delivery| Command::RecordDelivery { pledge: id.clone(), delivery })
        .map_err(DoorError::Domain);
    answer(&page, command, Typed { delivery_of: id.clone(), delivery: form, ..Typed::default() }, &id).await
}

/// The withdrawal form: the delivery's event and the confirmation box.
#[derive(Deserialize)]
struct Withdrawal {
    delivery: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /{lang}/resources/pledges/{id}/withdraw`: a delivery recorded by mistake is taken back
/// (the record keeps both); only once its box is ticked.
async fn withdraw_delivery(
    page: Page,
    Path((_, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<Withdrawal>,
) -> Result<Response, PageError> {
    let command = if form.confirm == "on" {
        Ok(Command::WithdrawDelivery { pledge: id.clone(), delivery: form.delivery })
    } else {
        Err(DoorError::Domain(lajna_views::forms::required("confirm")))
    };
    answer(&page, command, Typed::default(), &id).await
}
