//! What a report needs from a node: the state, the record's facts (a full verification, the
//! state hash, each party's last event) and the labels in the report's language, gathered the
//! same way for the web download, `lajna report` and the tests.

use std::collections::BTreeMap;

use jiff::civil::Date;
use lajna_domain::Lang;
use lajna_door::Door;
use lajna_door::auth::User;
use lajna_i18n::Catalog;
use lajna_views::changes::{end_of_day, what_changed};

use crate::{LABEL_KEYS, Period, RecordFacts, ReportError, ReportInput};

fn record(e: impl std::fmt::Display) -> ReportError {
    ReportError::Record(e.to_string())
}

/// Everything [`lajna_report::render`] needs from `node`, with labels in `lang`, generated now,
/// for `viewer` (`None`: the operator, who sees everything): the reader's snapshot
/// ([`Node::read`], [`Node::read_all`]), so the report shows no record its reader may not see.
/// Runs a full verification of the log (the appendix states how many events verified). With
/// a first day in `period`, "what changed" compares the record at the end of that day with
/// the record at the end of the last day (or now), both folded from the log for the reader.
///
/// # Errors
/// [`ReportError::Record`] when the store fails; [`ReportError::NoCommittee`] without genesis.
pub async fn gather(
    node: &dyn Door,
    viewer: Option<&User>,
    catalog: &Catalog,
    lang: Lang,
    period: Period,
) -> Result<ReportInput, ReportError> {
    let records = match viewer {
        Some(user) => node.read(user).await,
        None => node.read_all().await,
    };
    let today = node.today();
    let as_of = async |day: Date| match viewer {
        Some(user) => node.read_as_of(user, end_of_day(day)).await,
        None => node.read_all_as_of(end_of_day(day)).await,
    };
    let changes = match period.from {
        Some(from) => {
            let to = period.to.unwrap_or(today).min(today);
            let from = from.min(to);
            let before = as_of(from).await.map_err(record)?;
            let after = if to < today { Some(as_of(to).await.map_err(record)?) } else { None };
            Some(what_changed(&before, after.as_ref().unwrap_or(&records), from, to, lang))
        }
        None => None,
    };
    let verify = node.verify().await.map_err(record)?;
    let state_hash = node.state_hash().await.map_err(record)?;
    let (_, charter) = node.charter().await.map_err(record)?.ok_or(ReportError::NoCommittee)?;
    let mut last_event: BTreeMap<String, Option<Date>> =
        charter.parties.iter().map(|p| (p.code.to_string(), None)).collect();
    let mut after = 0;
    loop {
        let page = node.events_after(after, 1000).await.map_err(record)?;
        let Some(end) = page.last().map(|e| e.seq) else { break };
        after = end;
        for e in page {
            let Ok(at) = e.at.parse::<jiff::Timestamp>() else { continue };
            let day = at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
            let slot = last_event.entry(e.party.clone()).or_insert(None);
            if slot.is_none_or(|d| d < day) {
                *slot = Some(day);
            }
        }
    }
    let state = (*records).clone();
    let labels = LABEL_KEYS.iter().map(|k| ((*k).to_string(), catalog.get(lang, k, &[]))).collect();
    Ok(ReportInput {
        state,
        today,
        generated_at: jiff::Timestamp::now(),
        period,
        facts: RecordFacts {
            events: i64::try_from(verify.events).unwrap_or(i64::MAX),
            verified: verify.ok(),
            state_hash,
            last_event,
        },
        labels,
        changes,
        currency: node.reporting_currency(),
    })
}
