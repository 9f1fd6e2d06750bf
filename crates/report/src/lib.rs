//! The periodic report of a committee as PDF, laid out by typst (issue 4): a cover (committee,
//! parties, period, generation time), a summary (progress by area, counts by status, done
//! actions over time, overdue actions with days late, decisions awaiting an endorsement), one
//! section per cooperation area (actions, indicators with baseline/target/current), a Gantt
//! chart of the roadmap, and an appendix on the record (events verified, state hash, date of
//! each party's last event).
//!
//! Arabic is shaped and laid out right to left (tables and charts mirrored), French and English
//! left to right; dates, numbers and hashes are isolated left to right so that an Arabic line
//! keeps them intact. The font is Amiri (SIL OFL 1.1, shipped in `fonts/`), compiled into the
//! binary: nothing is read from the host or downloaded, and no typst package is used.
//!
//! Injection: the committee's text is handed to typst as JSON data (`/data.json`) and charts as
//! SVG files; the template (`report.typ`) shows the strings as text, so a title such as
//! `#panic()` or `*bold*` prints as typed and is never evaluated as markup.
//!
//! The caller gathers what the domain cannot know (events verified, state hash, last event per
//! party — from the store) in [`RecordFacts`], and the translated labels ([`LABEL_KEYS`], from
//! the web crate's Fluent catalogues) in [`ReportInput::labels`]; this crate depends on neither.

mod gather;
pub mod html;
pub mod pv;
mod world;

pub use gather::gather;

use std::collections::BTreeMap;

use jiff::civil::Date;
use lajna_domain::money::Currency;
use lajna_domain::records::{Action, Decision};
use lajna_domain::{ActionStatus, Lang, RecordKind, State, adoption, summary};
use lajna_outputs::charts::{self, ChartText};
use serde::Serialize;
use typst::foundations::Smart;
use typst_layout::PagedDocument;

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The record holds no committee (no genesis).
    #[error("the record holds no committee")]
    NoCommittee,
    /// The data could not be encoded (a defect).
    #[error("report data: {0}")]
    Data(#[from] serde_json::Error),
    /// typst refused the document (a defect of the template, caught by the tests).
    #[error("report layout: {0}")]
    Layout(String),
    /// The PDF could not be written.
    #[error("report PDF: {0}")]
    Pdf(String),
    /// The record could not be read (the store failed).
    #[error("record: {0}")]
    Record(String),
    /// A period bound is not a date `YYYY-MM-DD`, or ends before it starts.
    #[error("period: {0:?} is not a date YYYY-MM-DD, or the period ends before it starts")]
    BadPeriod(String),
}

impl ReportError {
    /// A stable code for logs and problem documents.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ReportError::NoCommittee => "report-no-committee",
            ReportError::Data(_) => "report-data",
            ReportError::Layout(_) => "report-layout",
            ReportError::Pdf(_) => "report-pdf",
            ReportError::Record(_) => "report-record",
            ReportError::BadPeriod(_) => "report-bad-period",
        }
    }
}

/// The period a report covers: actions whose dates (start → due) meet `[from, to]`. An open
/// end is unbounded; both open is the whole record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Period {
    /// First day, inclusive.
    pub from: Option<Date>,
    /// Last day, inclusive.
    pub to: Option<Date>,
}

impl Period {
    /// The period of a query string (`GET /{lang}/report.pdf?from=&to=`): `from` and `to` as
    /// `dd/mm/yyyy` or ISO; an empty or unreadable value leaves that end open (like the
    /// roadmap's filters, an old link still opens).
    #[must_use]
    pub fn of_query(q: &[(String, String)]) -> Self {
        let date = |name: &str| lajna_views::roadmap::param(q, name).and_then(lajna_domain::day::parse_day);
        Self { from: date("from"), to: date("to") }
    }

    /// A period from optional ISO dates (`--from`, `--to`).
    ///
    /// # Errors
    /// [`ReportError::BadPeriod`] naming a value that is not a date, or `to` when it is
    /// before `from`.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, ReportError> {
        let date = |v: Option<&str>| {
            v.map(|s| s.trim().parse::<Date>().map_err(|_| ReportError::BadPeriod(s.to_string()))).transpose()
        };
        let period = Period { from: date(from)?, to: date(to)? };
        if let (Some(f), Some(t)) = (period.from, period.to)
            && t < f
        {
            return Err(ReportError::BadPeriod(t.to_string()));
        }
        Ok(period)
    }

    /// Whether `action` belongs to the period: it starts on or before `to` and is due on or
    /// after `from`.
    #[must_use]
    pub fn covers(&self, action: &Action) -> bool {
        self.to.is_none_or(|to| action.start <= to) && self.from.is_none_or(|from| action.due >= from)
    }
}

/// What the record says about itself, gathered by the caller from the store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordFacts {
    /// Events checked by the verification (signatures, certificates, parents): the shared log
    /// and this node's private log.
    pub events: i64,
    /// Whether that verification passed and the projections matched a rebuild.
    pub verified: bool,
    /// The state hash (BLAKE3, hex).
    pub state_hash: String,
    /// Date (UTC, author time) of the last event of each party, by party code; `None` when the
    /// party wrote no event.
    pub last_event: BTreeMap<String, Option<Date>>,
}

/// Everything [`render`] needs.
#[derive(Clone, Debug)]
pub struct ReportInput {
    /// The fold of the record.
    pub state: State,
    /// The reference date for "overdue" and "days late" (the node's `today`).
    pub today: Date,
    /// When the report is generated (shown on the cover, in UTC).
    pub generated_at: jiff::Timestamp,
    /// The period covered.
    pub period: Period,
    /// Facts from the store.
    pub facts: RecordFacts,
    /// Translated labels by message key: every key of [`LABEL_KEYS`] (a missing one shows as
    /// its key). Fluent's bidi isolation marks are removed.
    pub labels: BTreeMap<String, String>,
    /// What changed over the period (issue 13 item 6: "a page and a report section"), when it
    /// has a first day: the record at the end of `from` compared with the record at the end
    /// of `to` (or now), as `/{lang}/changes` compares them ([`lajna_views::changes`]).
    pub changes: Option<lajna_views::changes::Changes>,
    /// The currency of the resources section's totals (the node's setting
    /// `reporting_currency`; issue 18 item 2).
    pub currency: lajna_domain::money::Currency,
}

/// The message keys the report shows (`report-*` in `crates/i18n/locales/*/report.ftl`, and the
/// action statuses `status-*` of `main.ftl`).
pub const LABEL_KEYS: &[&str] = &[
    "report-title",
    "report-period",
    "report-whole-record",
    "report-reference-date",
    "report-generated",
    "report-actions-in-report",
    "report-summary",
    "report-progress-by-area",
    "report-counts-by-status",
    "report-done-over-time",
    "report-done-axis",
    "report-overdue-actions",
    "report-no-overdue",
    "report-awaiting",
    "report-no-awaiting",
    "report-areas",
    "report-actions",
    "report-no-actions",
    "report-indicators",
    "report-no-indicators",
    "report-gantt",
    "report-today",
    "report-empty",
    "report-appendix",
    "report-events-verified",
    "report-verification-ok",
    "report-verification-failed",
    "report-state-hash",
    "report-last-events",
    "report-no-event",
    "report-record-note",
    "report-illustrative",
    "report-col-area",
    "report-col-progress",
    "report-col-actions",
    "report-col-overdue",
    "report-col-status",
    "report-col-count",
    "report-col-title",
    "report-col-owner",
    "report-col-unit",
    "report-col-start",
    "report-col-due",
    "report-col-days-late",
    "report-col-decision",
    "report-col-awaiting",
    "report-col-action",
    "report-col-indicator",
    "report-col-baseline",
    "report-col-target",
    "report-col-current",
    "report-col-party",
    "report-col-code",
    "report-changes",
    "report-changes-none",
    "report-changes-created",
    "report-changes-done",
    "report-changes-cancelled",
    "report-changes-slipped",
    "report-changes-decisions",
    "report-col-was",
    "report-col-now",
    "report-col-before",
    "report-col-after",
    "report-col-date",
    "status-planned",
    "status-in_progress",
    "status-done",
    "status-delayed",
    "status-blocked",
    "status-cancelled",
];

/// Rows of the Gantt chart per page of the report.
pub const GANTT_ROWS_PER_PAGE: usize = 30;

impl ReportInput {
    fn label(&self, key: &str) -> String {
        self.labels
            .get(key)
            .map(|s| s.chars().filter(|c| !matches!(c, '\u{2066}'..='\u{2069}')).collect())
            .unwrap_or_else(|| key.to_string())
    }
}

/// The best text of `t` for a reader of `lang` (see [`lajna_domain::LocalizedText::best`]).
/// A text shown in a language of the other direction (French in the Arabic report, Arabic in the
/// French one) is isolated (LRI or RLI … PDI, as `<bdi>` on the web pages), so that its own
/// punctuation stays where its language puts it.
fn show(t: &lajna_domain::LocalizedText, lang: Lang) -> String {
    let (l, s) = t.best(lang);
    match (l.dir() == lang.dir(), l == Lang::Ar) {
        (true, _) => s.to_string(),
        (false, true) => format!("\u{2067}{s}\u{2069}"),
        (false, false) => format!("\u{2066}{s}\u{2069}"),
    }
}

#[derive(Serialize)]
struct Data {
    lang: &'static str,
    rtl: bool,
    l: BTreeMap<String, String>,
    committee: String,
    parties: Vec<PartyData>,
    period: String,
    reference_date: String,
    generated: String,
    summary: SummaryData,
    areas: Vec<AreaData>,
    charts: ChartFiles,
    record: RecordData,
    /// `null` without a first day in the period.
    changes: Option<ChangesData>,
    /// `null` when the reader sees no pledge (issue 18 item 4).
    resources: Option<ResourcesData>,
}

/// The resources section (issue 18 item 4): the figures of `lajna_views::resources::page` in
/// the reporting currency, with their words already translated; its chart is `/charts/resources.svg`.
#[derive(Serialize)]
struct ResourcesData {
    heading: String,
    /// Column headers: area, party, pledged, delivered, delivered / pledged.
    columns: [String; 5],
    /// (area, party, pledged, delivered, percent or "—").
    lines: Vec<[String; 5]>,
    /// The rates used and the values left without a rate.
    notes: Vec<String>,
    not_honoured: String,
    all_honoured: String,
    /// (party, on what, due, pledged, delivered).
    late: Vec<[String; 5]>,
}

impl ResourcesData {
    /// The section of `state` in `lang` on `today`, with the bars of its chart (delivered out
    /// of pledged per area and party); `None` without any pledge.
    fn of(state: &State, currency: Currency, lang: Lang, today: Date) -> Option<(Self, Vec<charts::AreaBar>)> {
        let tr = lajna_i18n::Tr { catalog: lajna_i18n::Catalog::shared(), lang };
        let p = lajna_views::resources::page_or_message(state, currency, today, &tr);
        if p.by_party.is_empty() && p.in_kind.is_empty() && p.no_rate.is_empty() {
            return None;
        }
        let clean = |t: String| t.replace(['\u{2068}', '\u{2069}'], "");
        let percent = |p: Option<u8>| p.map_or_else(|| "—".to_string(), |p| format!("{p}\u{202F}%"));
        let bars = p
            .by_area
            .iter()
            .map(|l| charts::AreaBar { label: format!("{} — {}", l.group, l.party), percent: l.percent.unwrap_or(0) })
            .collect();
        let data = Self {
            heading: clean(p.heading),
            columns: ["resources-area", "party", "resources-pledged", "resources-delivered", "resources-percent"]
                .map(|k| clean(tr.t(k))),
            lines: p
                .by_area
                .into_iter()
                .map(|l| [l.group, l.party, l.pledged, l.delivered, percent(l.percent)])
                .collect(),
            notes: p.rates.into_iter().chain(p.no_rate).map(clean).collect(),
            not_honoured: clean(tr.t("resources-not-honoured")),
            all_honoured: clean(tr.t("resources-all-honoured")),
            late: p.not_honoured.into_iter().map(|l| [l.party, l.about, l.due, l.pledged, l.delivered]).collect(),
        };
        Some((data, bars))
    }
}

/// The "what changed" section: counts, the slipped actions, decisions adopted, area progress
/// at both moments.
#[derive(Serialize)]
struct ChangesData {
    from: String,
    to: String,
    created: usize,
    done: usize,
    cancelled: usize,
    /// (title, owner party, due before, due after).
    slipped: Vec<(String, String, String, String)>,
    /// (reference, text).
    decisions: Vec<(String, String)>,
    /// (area, percent before, percent after).
    areas: Vec<(String, u8, u8)>,
    empty: bool,
}

impl From<&lajna_views::changes::Changes> for ChangesData {
    fn from(c: &lajna_views::changes::Changes) -> Self {
        Self {
            from: c.from.clone(),
            to: c.to.clone(),
            created: c.created.len(),
            done: c.done.len(),
            cancelled: c.cancelled.len(),
            slipped: c
                .slipped
                .iter()
                .map(|s| (s.row.title.text.clone(), s.row.owner.clone(), s.was.clone(), s.now.clone()))
                .collect(),
            decisions: c.decisions.iter().map(|(r, t)| (r.clone(), t.text.clone())).collect(),
            areas: c.areas.iter().map(|a| (a.title.text.clone(), a.before, a.after)).collect(),
            empty: c.is_empty(),
        }
    }
}

#[derive(Serialize)]
struct PartyData {
    code: String,
    name: String,
    forces: String,
}

#[derive(Serialize)]
struct SummaryData {
    total: usize,
    areas: Vec<AreaFigures>,
    statuses: Vec<StatusCount>,
    overdue: Vec<OverdueData>,
    awaiting: Vec<AwaitingData>,
}

#[derive(Serialize)]
struct AreaFigures {
    title: String,
    progress: u8,
    actions: usize,
    overdue: usize,
}

#[derive(Serialize)]
struct StatusCount {
    label: String,
    count: usize,
}

#[derive(Serialize)]
struct OverdueData {
    title: String,
    owner: String,
    due: String,
    days: i64,
    ex: bool,
}

#[derive(Serialize)]
struct AwaitingData {
    text: String,
    parties: String,
    ex: bool,
}

#[derive(Serialize)]
struct AreaData {
    title: String,
    progress: u8,
    actions: Vec<ActionData>,
    indicators: Vec<IndicatorData>,
}

#[derive(Serialize)]
struct ActionData {
    title: String,
    owner: String,
    unit: String,
    start: String,
    due: String,
    status: String,
    progress: u8,
    late: i64,
    ex: bool,
}

#[derive(Serialize)]
struct IndicatorData {
    action: String,
    unit: String,
    baseline: i64,
    target: i64,
    current: i64,
}

#[derive(Serialize)]
struct ChartFiles {
    gantt: Vec<String>,
}

#[derive(Serialize)]
struct RecordData {
    events: i64,
    verified: bool,
    state_hash: String,
    last: Vec<LastEvent>,
}

#[derive(Serialize)]
struct LastEvent {
    code: String,
    name: String,
    date: String,
}

/// The report's files for typst: `/data.json` and the charts.
fn files(input: &ReportInput, lang: Lang) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let state = &input.state;
    let charter = state.charter().ok_or(ReportError::NoCommittee)?;
    let today = input.today;
    let rtl = lang == Lang::Ar;
    let parties: Vec<String> = charter.parties.iter().map(|p| p.code.to_string()).collect();

    let mut actions: Vec<(String, Action)> =
        state.all::<Action>(RecordKind::Action).into_iter().filter(|(_, a)| input.period.covers(a)).collect();
    actions.sort_by(|(ia, a), (ib, b)| a.start.cmp(&b.start).then(a.due.cmp(&b.due)).then_with(|| ia.cmp(ib)));
    let areas = charts::areas_in_order(state);
    let area_ids: Vec<String> = areas.iter().map(|(id, _)| id.clone()).collect();
    let progress = summary::area_progress(&area_ids, &actions, today);
    let status = |s: ActionStatus| input.label(&format!("status-{}", s.code()));

    let by_id: BTreeMap<&str, &Action> = actions.iter().map(|(id, a)| (id.as_str(), a)).collect();
    let overdue = summary::overdue(&actions, today)
        .into_iter()
        .filter_map(|(id, days)| {
            by_id.get(id.as_str()).map(|a| OverdueData {
                title: show(&a.title, lang),
                owner: a.owner.to_string(),
                due: a.due.to_string(),
                days,
                ex: a.illustrative,
            })
        })
        .collect();
    let mut awaiting: Vec<AwaitingData> = state
        .all::<Decision>(RecordKind::Decision)
        .into_iter()
        .filter_map(|(id, d)| {
            let doc = state.entry(&id)?.doc(&id);
            let a = adoption(&doc, &parties);
            (!a.adopted).then(|| AwaitingData {
                text: show(&d.text, lang),
                parties: a.awaiting.join(", "),
                ex: d.illustrative,
            })
        })
        .collect();
    awaiting.sort_by(|a, b| a.text.cmp(&b.text));

    let statuses = ActionStatus::ALL
        .iter()
        .map(|s| StatusCount { label: status(*s), count: actions.iter().filter(|(_, a)| a.status == *s).count() })
        .collect();

    let area_data = areas
        .iter()
        .zip(&progress)
        .map(|((id, area), p)| {
            let mine: Vec<&Action> = actions.iter().map(|(_, a)| a).filter(|a| &a.area == id).collect();
            AreaData {
                title: show(&area.title, lang),
                progress: p.progress,
                actions: mine
                    .iter()
                    .map(|a| ActionData {
                        title: show(&a.title, lang),
                        owner: a.owner.to_string(),
                        unit: show(&a.unit, lang),
                        start: a.start.to_string(),
                        due: a.due.to_string(),
                        status: status(a.status),
                        progress: a.progress.percent(),
                        late: summary::days_late(a, today),
                        ex: a.illustrative,
                    })
                    .collect(),
                indicators: mine
                    .iter()
                    .filter_map(|a| {
                        a.indicator.as_ref().map(|i| IndicatorData {
                            action: show(&a.title, lang),
                            unit: show(&i.unit, lang),
                            baseline: i.baseline,
                            target: i.target,
                            current: i.current,
                        })
                    })
                    .collect(),
            }
        })
        .collect();

    // Charts.
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let text = |title: &str, marker: &str| ChartText {
        title: input.label(title),
        empty: input.label("report-empty"),
        marker: input.label(marker),
    };
    let resources = ResourcesData::of(state, input.currency, lang, today);
    if let Some((data, bars)) = &resources {
        let text = ChartText { title: data.heading.clone(), empty: input.label("report-empty"), marker: String::new() };
        out.push(("/charts/resources.svg".into(), charts::progress_by_area(bars, &text, rtl).into_bytes()));
    }
    let bars = charts::area_bars(state, &actions, lang, today);
    out.push((
        "/charts/progress.svg".into(),
        charts::progress_by_area(&bars, &text("report-progress-by-area", "report-today"), rtl).into_bytes(),
    ));
    let done = charts::done_dates(state, &actions);
    out.push((
        "/charts/done.svg".into(),
        charts::done_over_time(
            &done,
            actions.len(),
            charts::done_span(&actions, today),
            &text("report-done-over-time", "report-done-axis"),
            rtl,
        )
        .into_bytes(),
    ));
    let rows = charts::gantt_rows(state, &actions, lang, today);
    let mut gantt = Vec::new();
    let chunks: Vec<&[charts::GanttRow]> =
        if rows.is_empty() { vec![&[][..]] } else { rows.chunks(GANTT_ROWS_PER_PAGE).collect() };
    for (i, chunk) in chunks.into_iter().enumerate() {
        let path = format!("/charts/gantt-{i}.svg");
        out.push((path.clone(), charts::gantt(chunk, today, &text("report-gantt", "report-today"), rtl).into_bytes()));
        gantt.push(path);
    }

    let last = charter
        .parties
        .iter()
        .map(|p| LastEvent {
            code: p.code.to_string(),
            name: show(&p.name, lang),
            date: input
                .facts
                .last_event
                .get(p.code.as_str())
                .copied()
                .flatten()
                .map(|d| d.to_string())
                .unwrap_or_default(),
        })
        .collect();

    let labels = LABEL_KEYS
        .iter()
        .filter_map(|k| k.strip_prefix("report-").map(|short| (short.replace('-', "_"), input.label(k))))
        .collect();
    let period = match (input.period.from, input.period.to) {
        (None, None) => input.label("report-whole-record"),
        (from, to) => format!(
            "{} – {}",
            from.map(|d| d.to_string()).unwrap_or_else(|| "…".into()),
            to.map(|d| d.to_string()).unwrap_or_else(|| "…".into())
        ),
    };
    let data = Data {
        lang: lang.code(),
        rtl,
        l: labels,
        committee: show(&charter.name, lang),
        parties: charter
            .parties
            .iter()
            .map(|p| PartyData { code: p.code.to_string(), name: show(&p.name, lang), forces: show(&p.forces, lang) })
            .collect(),
        period,
        reference_date: today.to_string(),
        generated: input.generated_at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        summary: SummaryData {
            total: actions.len(),
            areas: area_figures(&areas, &progress, lang),
            statuses,
            overdue,
            awaiting,
        },
        areas: area_data,
        charts: ChartFiles { gantt },
        record: RecordData {
            events: input.facts.events,
            verified: input.facts.verified,
            state_hash: input.facts.state_hash.clone(),
            last,
        },
        changes: input.changes.as_ref().map(ChangesData::from),
        resources: resources.map(|(data, _)| data),
    };
    out.push(("/data.json".into(), serde_json::to_vec(&data)?));
    Ok(out)
}

fn area_figures(
    areas: &[(String, lajna_domain::records::Area)],
    progress: &[summary::AreaProgress],
    lang: Lang,
) -> Vec<AreaFigures> {
    areas
        .iter()
        .zip(progress)
        .map(|((_, area), p)| AreaFigures {
            title: show(&area.title, lang),
            progress: p.progress,
            actions: p.actions,
            overdue: p.overdue,
        })
        .collect()
}

/// The report's data as typst reads it (`/data.json`), for tests and debugging.
///
/// # Errors
/// As [`render`], before layout.
pub fn data_json(input: &ReportInput, lang: Lang) -> Result<serde_json::Value, ReportError> {
    let files = files(input, lang)?;
    let data = files.iter().find(|(p, _)| p == "/data.json").map(|(_, b)| b.as_slice()).unwrap_or(b"null");
    Ok(serde_json::from_slice(data)?)
}

/// Renders the report of `input` in `lang` as PDF bytes.
///
/// # Errors
/// [`ReportError::NoCommittee`] when the state has no charter; [`ReportError::Layout`] or
/// [`ReportError::Pdf`] when typst fails (defects).
pub fn render(input: &ReportInput, lang: Lang) -> Result<Vec<u8>, ReportError> {
    let world = world::ReportWorld::new(files(input, lang)?);
    let result = typst::compile::<PagedDocument>(&world).output;
    // Forget memoised results not used by the last few reports (a server renders many).
    typst::comemo::evict(10);
    let document = result.map_err(|errors| {
        ReportError::Layout(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })?;
    let options = typst_pdf::PdfOptions { ident: Smart::Custom("lajna-report".into()), ..Default::default() };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| ReportError::Pdf(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))
}

#[cfg(test)]
mod tests {
    use lajna_domain::state::Meta;
    use lajna_domain::{Charter, LocalizedText as T, PartyInfo};
    use serde_json::json;

    use super::*;

    fn meta(n: i64) -> Meta {
        Meta {
            id: format!("{n:064x}"),
            lamport: n,
            party: "MAR".into(),
            member: None,
            at: "2025-06-30T10:00:00Z".into(),
        }
    }

    /// A committee with one area and two actions (one overdue, one titled like typst markup).
    fn state() -> State {
        let party = |code: &str, name: &str| PartyInfo {
            code: lajna_domain::PartyCode::parse(code).unwrap(),
            name: T::tri(name, name, name),
            forces: T::tri("القوات", "Forces", "Forces"),
        };
        let charter = Charter {
            name: T::tri("اللجنة العسكرية المشتركة", "Comité mixte", "Joint committee"),
            parties: vec![party("MAR", "المغرب"), party("MLI", "مالي")],
            languages: Lang::ALL.to_vec(),
            founded: None,
            purpose: None,
        };
        let mut s = State::default();
        s.apply(&meta(1), "ledger.genesis", &json!({"charter": charter})).unwrap();
        let set = |v: serde_json::Value| json!({"v": 1, "set": v});
        s.apply(
            &meta(2),
            "area.defined",
            &set(json!({"code": "first-aid", "title": {"ar": "تدريب الضباط على الإسعافات الأولية", "fr": "Premiers secours"}, "ordinal": 1})),
        )
        .unwrap();
        s.apply(
            &meta(3),
            "roadmap.drafted",
            &set(json!({"title": {"fr": "Feuille"}, "start": "2025-01-01", "end": "2025-12-31"})),
        )
        .unwrap();
        let area = format!("{:064x}", 2);
        let roadmap = format!("{:064x}", 3);
        for (n, title, status, progress) in [
            (4, json!({"ar": "تدريب 12 ضابطاً", "fr": "Former 12 officiers"}), "in_progress", 40),
            (5, json!({"fr": "#panic(\"x\") *gras* $x$ <l> @r"}), "done", 100),
        ] {
            s.apply(
                &meta(n),
                "action.planned",
                &set(json!({"roadmap": roadmap, "area": area, "title": title, "owner": "MAR", "unit": {"fr": "Unité"},
                    "start": "2025-03-01", "due": "2025-06-30", "status": status, "progress": progress,
                    "indicator": {"unit": {"fr": "officiers"}, "baseline": 0, "target": 12, "current": 5}})),
            )
            .unwrap();
        }
        s
    }

    fn input() -> ReportInput {
        ReportInput {
            state: state(),
            today: jiff::civil::date(2025, 10, 1),
            generated_at: "2025-10-01T08:00:00Z".parse().unwrap(),
            period: Period::default(),
            facts: RecordFacts { events: 5, verified: true, state_hash: "ab".repeat(32), last_event: BTreeMap::new() },
            labels: BTreeMap::new(),
            changes: None,
            currency: Currency::MAD,
        }
    }

    #[test]
    fn a_period_reads_iso_dates_and_leaves_bad_ones_open() {
        let q = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let p = Period::of_query(&q(&[("from", "2025-03-01"), ("to", "2025-12-31")]));
        assert_eq!(p.from, Some(jiff::civil::date(2025, 3, 1)));
        assert_eq!(p.to, Some(jiff::civil::date(2025, 12, 31)));
        let p = Period::of_query(&q(&[("from", "01/03/2025"), ("to", "")]));
        assert_eq!((p.from, p.to), (Some(jiff::civil::date(2025, 3, 1)), None), "day first, as fr and ar type it");
        let p = Period::of_query(&q(&[("from", "03/31/2025"), ("to", "31/02/2025")]));
        assert_eq!(p, Period::default());
    }

    #[test]
    fn a_report_renders_in_every_language() {
        for lang in Lang::ALL {
            let pdf = render(&input(), lang).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
            assert!(pdf.starts_with(b"%PDF-"));
        }
    }

    #[test]
    fn the_data_carries_figures_and_labels() {
        let mut i = input();
        i.labels.insert("report-title".into(), "\u{2068}Rapport\u{2069}".into());
        let d = data_json(&i, Lang::Fr).unwrap();
        assert_eq!(d["l"]["title"], "Rapport", "Fluent isolation marks removed");
        assert_eq!(d["l"]["col_due"], "report-col-due", "a missing label shows as its key");
        assert_eq!(d["summary"]["total"], 2);
        assert_eq!(d["summary"]["overdue"][0]["days"], 93);
        assert_eq!(d["areas"][0]["progress"], 70);
        assert_eq!(d["areas"][0]["indicators"].as_array().unwrap().len(), 2);
        assert_eq!(d["generated"], "2025-10-01 08:00 UTC");
        assert_eq!(d["record"]["last"][0]["date"], "");
        assert_eq!(data_json(&i, Lang::Ar).unwrap()["areas"][0]["title"], "تدريب الضباط على الإسعافات الأولية");
    }

    /// Issue 18 item 4: a resources section with its chart — 20 seats valued 400 000,00 MAD on
    /// the area's action, 5 delivered: 25 %, and the pledge (due 30/06/2025) not honoured on
    /// 01/10/2025; read back from the PDF by poppler. Without pledges, no section.
    #[test]
    fn the_report_has_a_resources_section_with_its_chart() {
        assert!(data_json(&input(), Lang::Fr).unwrap()["resources"].is_null(), "no pledge, no section");
        let mut i = input();
        let set = |v: serde_json::Value| json!({"v": 1, "set": v});
        let pledge = json!({"party": "MAR", "about": format!("{:064x}", 4), "date": "2025-03-01", "due": "2025-06-30",
            "value": {"in_kind": {"quantity": "20", "unit": {"fr": "places de formation"}, "valuation": {"minor": 40_000_000, "currency": "MAD"}}},
            "marking": {"classification": "UNCLASSIFIED", "releasable_to": "both"}});
        i.state.apply(&meta(6), "pledge.made", &set(pledge)).unwrap();
        let delivery = json!({"v": 1, "record": format!("{:064x}", 6), "date": "2025-07-01", "value": {"in_kind": {"quantity": "5"}}});
        i.state.apply(&meta(7), "pledge.delivery_recorded", &delivery).unwrap();
        let d = data_json(&i, Lang::Fr).unwrap();
        let r = &d["resources"];
        assert_eq!(r["heading"], "Totaux en MAD");
        assert_eq!(
            r["lines"][0],
            json!([
                "Premiers secours",
                "MAR",
                "400\u{202F}000,00\u{A0}MAD",
                "100\u{202F}000,00\u{A0}MAD",
                "25\u{202F}%"
            ])
        );
        assert_eq!(r["late"][0][1], "Former 12 officiers");
        let files = files(&i, Lang::Fr).unwrap();
        let svg = files
            .iter()
            .find(|(n, _)| n == "/charts/resources.svg")
            .map(|(_, b)| String::from_utf8_lossy(b).to_string());
        assert!(svg.unwrap().contains("Premiers secours — MAR"), "the chart's bar");
        let pdf = render(&i, Lang::Fr).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("r.pdf"), &pdf).unwrap();
        let out = std::process::Command::new("pdftotext").arg(dir.path().join("r.pdf")).arg("-").output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Totaux en MAD") && text.contains("Engagements non honorés"), "{text}");
    }

    #[test]
    fn no_committee_no_report() {
        let mut i = input();
        i.state = State::default();
        assert!(matches!(render(&i, Lang::Fr), Err(ReportError::NoCommittee)));
    }
}
