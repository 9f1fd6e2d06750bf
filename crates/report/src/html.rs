//! The charts of the dashboard and the roadmap page as inline SVG for HTML pages (from
//! [`lajna_outputs::charts`], mirrored in Arabic), beside the report's charts.

use jiff::civil::Date;
use lajna_domain::Lang;
use lajna_i18n::Tr;
use lajna_outputs::charts::{self, ChartText};
use lajna_views::ActionRow;

/// The dashboard's charts, as inline SVG.
#[derive(Clone, Debug, Default)]
pub struct DashboardCharts {
    /// Progress by area (bars).
    pub progress: String,
    /// Done actions over time (steps).
    pub done: String,
}

fn chart_text(tr: Tr<'_>, title: &str, marker: &str) -> ChartText {
    ChartText { title: tr.t(title), empty: tr.t("report-empty"), marker: tr.t(marker) }
}

/// The dashboard's charts of a reader's snapshot `s`, in `tr`'s language, on `today`.
#[must_use]
pub fn dashboard_charts(s: &lajna_domain::State, tr: Tr<'_>, today: Date) -> DashboardCharts {
    let lang = tr.lang;
    let rtl = lang == Lang::Ar;
    // The snapshot's typed actions, parsed once per state value.
    let actions = s.actions();
    let span = charts::done_span(&actions, today);
    let (bars, done, total) =
        (charts::area_bars(s, &actions, lang, today), charts::done_dates(s, &actions), actions.len());
    let done_text = chart_text(tr, "report-done-over-time", "report-done-axis");
    DashboardCharts {
        progress: charts::for_html(&charts::progress_by_area(
            &bars,
            &chart_text(tr, "report-progress-by-area", "report-today"),
            rtl,
        )),
        done: charts::for_html(&charts::done_over_time(&done, total, span, &done_text, rtl)),
    }
}

/// The Gantt chart of some action rows (those a roadmap page shows), in the order given.
#[must_use]
pub fn gantt_of_rows<'r>(rows: impl IntoIterator<Item = &'r ActionRow>, today: Date, tr: Tr<'_>) -> String {
    let rows: Vec<charts::GanttRow> = rows
        .into_iter()
        .filter_map(|r| {
            Some(charts::GanttRow {
                label: r.title.text.clone(),
                start: r.start.parse().ok()?,
                due: r.due.parse().ok()?,
                progress: r.progress,
                overdue: r.days_late > 0,
            })
        })
        .collect();
    charts::for_html(&charts::gantt(&rows, today, &chart_text(tr, "report-gantt", "report-today"), tr.lang == Lang::Ar))
}
