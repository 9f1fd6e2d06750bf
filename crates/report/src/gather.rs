//! What a report needs from a node: the state, the record's facts (a full verification, the
//! state hash, each party's last event) and the labels in the report's language, gathered the
//! same way for the web download, `lajna report` and the tests.

use std::collections::BTreeMap;

use jiff::civil::Date;
use lajna_domain::Lang;
use lajna_i18n::Catalog;
use lajna_node::Node;

use crate::{LABEL_KEYS, Period, RecordFacts, ReportError, ReportInput};

fn record(e: impl std::fmt::Display) -> ReportError {
    ReportError::Record(e.to_string())
}

/// Everything [`lajna_report::render`] needs from `node`, with labels in `lang`, generated now,
/// over `records`: the reader's snapshot ([`Node::read`]; the operator's is [`Node::read_all`]),
/// so the report shows no record its reader may not see. Runs a full verification of the log
/// (the appendix states how many events verified).
///
/// # Errors
/// [`ReportError::Record`] when the store fails; [`ReportError::NoCommittee`] without genesis.
pub async fn gather(
    node: &Node,
    records: &lajna_domain::State,
    catalog: &Catalog,
    lang: Lang,
    period: Period,
) -> Result<ReportInput, ReportError> {
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
    let state = records.clone();
    let labels = LABEL_KEYS.iter().map(|k| ((*k).to_string(), catalog.get(lang, k, &[]))).collect();
    Ok(ReportInput {
        state,
        today: node.today(),
        generated_at: jiff::Timestamp::now(),
        period,
        facts: RecordFacts {
            events: i64::try_from(verify.events).unwrap_or(i64::MAX),
            verified: verify.ok(),
            state_hash,
            last_event,
        },
        labels,
    })
}
