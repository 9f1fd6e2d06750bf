//! Monitoring figures for dashboards and reports, computed from records and a reference
//! date (the caller's "today" in UTC, or a fixed demo date). Pure.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::records::Action;
use crate::values::ActionStatus;

/// Progress and status counts of one cooperation area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaProgress {
    /// Area id.
    pub area: String,
    /// Weighted mean of its actions' progress, percent, rounded half up; 0 with no action.
    /// Cancelled actions are left out: they no longer count toward the goal.
    pub progress: u8,
    /// Number of actions by status code.
    pub by_status: BTreeMap<&'static str, usize>,
    /// Number of actions (all statuses).
    pub actions: usize,
    /// Overdue actions.
    pub overdue: usize,
}

/// Whether an action is overdue on `today`: due strictly before it and not done or cancelled.
#[must_use]
pub fn is_overdue(action: &Action, today: Date) -> bool {
    action.due < today && !action.status.is_closed()
}

/// Days late on `today` (0 when not overdue).
#[must_use]
pub fn days_late(action: &Action, today: Date) -> i64 {
    if is_overdue(action, today) { i64::from((today - action.due).get_days()) } else { 0 }
}

/// Progress per area for the areas given (in that order), from the actions given.
#[must_use]
pub fn area_progress(areas: &[String], actions: &[(String, Action)], today: Date) -> Vec<AreaProgress> {
    areas
        .iter()
        .map(|area| {
            let mine: Vec<&Action> = actions.iter().map(|(_, a)| a).filter(|a| &a.area == area).collect();
            let mut by_status = BTreeMap::new();
            for a in &mine {
                *by_status.entry(a.status.code()).or_insert(0) += 1;
            }
            let counted: Vec<&&Action> = mine.iter().filter(|a| a.status != ActionStatus::Cancelled).collect();
            let weight: i64 = counted.iter().map(|a| a.weight.unwrap_or(1)).sum();
            let sum: i64 = counted.iter().map(|a| a.weight.unwrap_or(1) * i64::from(a.progress.percent())).sum();
            let progress = if weight == 0 { 0 } else { ((2 * sum + weight) / (2 * weight)) as u8 };
            AreaProgress {
                area: area.clone(),
                progress,
                by_status,
                actions: mine.len(),
                overdue: mine.iter().filter(|a| is_overdue(a, today)).count(),
            }
        })
        .collect()
}

/// Overdue actions on `today`, most late first (ties by id), with days late.
#[must_use]
pub fn overdue(actions: &[(String, Action)], today: Date) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> =
        actions.iter().filter(|(_, a)| is_overdue(a, today)).map(|(id, a)| (id.clone(), days_late(a, today))).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Open actions due within `days` days from `today` (inclusive), soonest first.
#[must_use]
pub fn due_within(actions: &[(String, Action)], today: Date, days: i64) -> Vec<String> {
    let limit = today.checked_add(jiff::Span::new().days(days)).unwrap_or(today);
    let mut v: Vec<(&Date, &String)> = actions
        .iter()
        .filter(|(_, a)| !a.status.is_closed() && a.due >= today && a.due <= limit)
        .map(|(id, a)| (&a.due, id))
        .collect();
    v.sort();
    v.into_iter().map(|(_, id)| id.clone()).collect()
}
