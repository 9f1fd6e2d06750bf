//! Charts of the roadmap as SVG text, for the dashboard (inline in the HTML) and the PDF report
//! (typst embeds the same SVG): progress by area (bars), done actions over time (steps) and a
//! Gantt chart of the actions (start → due bars, the reference date as a line, overdue bars in
//! their own colour). Pure: figures in, SVG text out.
//!
//! Rules kept here:
//! - Accessible: the root is `role="img"` with a `<title>` (the chart's name) and a `<desc>`
//!   (the figures as text); every label is real `<text>`, never a picture of text.
//! - Mirrored for right-to-left languages (`rtl = true`, Arabic): the label column is on the
//!   right, bars grow leftwards and time runs from right to left. Geometry is computed once in
//!   left-to-right coordinates and mirrored with `x ↦ width − x`.
//! - No `style` attribute and no CSS needed (the page's CSP forbids inline styles, and typst does
//!   not read the site's stylesheet): colours are presentation attributes; classes (`bar`,
//!   `overdue`, `today`…) are there for the stylesheet to refine the web view.
//! - The root sets `direction="ltr"` so that an inline SVG in an Arabic page does not inherit
//!   `rtl` and swap the meaning of `text-anchor` (typst's SVG reader ignores `direction`); the
//!   anchors used here are therefore physical. Arabic labels are still shaped and ordered by the
//!   bidi algorithm inside each `<text>`.
//! - Text is XML-escaped; a label longer than [`LABEL_CHARS`] characters is cut with `…` (the full
//!   text stays in the bar's own `<title>`).

use std::fmt::Write as _;

use jiff::civil::Date;
use lajna_domain::records::{Action, Area};
use lajna_domain::{ActionStatus, Lang, RecordKind, State, summary};

/// Width of every chart's view box, in SVG user units.
pub const WIDTH: f64 = 720.0;
/// Width of the label column of the bar and Gantt charts.
pub const LABEL_WIDTH: f64 = 250.0;
/// Longest label shown in full, in characters.
pub const LABEL_CHARS: usize = 42;

const ROW: f64 = 26.0;
const BAR: f64 = 16.0;
const TOP: f64 = 12.0;
const VALUE_WIDTH: f64 = 48.0;
const FONT: &str = "sans-serif";
const INK: &str = "#1f2933";
const MUTED: &str = "#616e7c";
const TRACK: &str = "#e4e7eb";
const FILL: &str = "#2f6f4f";
const OPEN: &str = "#7fa7c9";
const LATE: &str = "#b3261e";
const DONE: &str = "#2f6f4f";

/// One bar of [`progress_by_area`]: an area and its progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaBar {
    /// The area's title, in the reader's language.
    pub label: String,
    /// Progress, percent 0–100 (larger values are drawn as 100).
    pub percent: u8,
}

/// One row of [`gantt`]: an action from its start to its due date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GanttRow {
    /// The action's title, in the reader's language.
    pub label: String,
    /// Start date.
    pub start: Date,
    /// Due date (inclusive; a bar covers at least one day).
    pub due: Date,
    /// Progress, percent 0–100: the part of the bar drawn darker.
    pub progress: u8,
    /// Overdue on the reference date: drawn in the overdue colour.
    pub overdue: bool,
}

/// Words a chart shows besides the data, already translated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartText {
    /// Name of the chart (`<title>`).
    pub title: String,
    /// Text shown when there is nothing to draw.
    pub empty: String,
    /// Label of the reference date line (Gantt) or of the count axis (done over time).
    pub marker: String,
}

/// XML-escapes `s` for text and attribute values.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 does not allow are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn short(label: &str) -> String {
    let label = label.trim();
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
        s = s.trim_end().to_string();
        s.push('…');
        s
    }
}

/// Mirrors horizontal positions for right-to-left charts.
#[derive(Clone, Copy)]
struct Mirror {
    rtl: bool,
}

impl Mirror {
    /// A point's x.
    fn x(self, x: f64) -> f64 {
        if self.rtl { WIDTH - x } else { x }
    }
    /// A box's left edge from its left-to-right left edge and width.
    fn left(self, x: f64, w: f64) -> f64 {
        if self.rtl { WIDTH - x - w } else { x }
    }
    /// The anchor of text that reads away from `x` toward the chart's inside ("start" side).
    fn inward(self) -> &'static str {
        if self.rtl { "end" } else { "start" }
    }
    /// The anchor of text that ends at `x` (labels in the label column).
    fn outward(self) -> &'static str {
        if self.rtl { "start" } else { "end" }
    }
}

fn open(out: &mut String, class: &str, height: f64, text: &ChartText, desc: &str, rtl: bool) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" direction="ltr" data-dir="{dir}" font-family="{FONT}" font-size="12"><title>{title}</title><desc>{desc}</desc>"#,
        dir = if rtl { "rtl" } else { "ltr" },
        title = escape(&text.title),
        desc = escape(desc),
    );
}

fn empty_chart(class: &str, text: &ChartText, rtl: bool) -> String {
    let mut out = String::new();
    open(&mut out, class, 40.0, text, &text.empty, rtl);
    let m = Mirror { rtl };
    let _ = write!(
        out,
        r#"<text x="{x}" y="24" text-anchor="{a}" fill="{MUTED}">{t}</text></svg>"#,
        x = m.x(8.0),
        a = m.inward(),
        t = escape(&text.empty),
    );
    out
}

/// Horizontal bars, one per area, in the order given: the area's title in the label column,
/// a track of 100 % and the progress drawn over it, the percent after the bar.
#[must_use]
pub fn progress_by_area(bars: &[AreaBar], text: &ChartText, rtl: bool) -> String {
    if bars.is_empty() {
        return empty_chart("chart-progress", text, rtl);
    }
    let m = Mirror { rtl };
    let track = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 16.0;
    let height = TOP * 2.0 + ROW * bars.len() as f64;
    let desc: Vec<String> = bars.iter().map(|b| format!("{}: {} %", b.label.trim(), b.percent.min(100))).collect();
    let mut out = String::new();
    open(&mut out, "chart-progress", height, text, &desc.join("; "), rtl);
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let percent = f64::from(b.percent.min(100));
        let x0 = LABEL_WIDTH + 8.0;
        let w = track * percent / 100.0;
        let _ = write!(
            out,
            r#"<g class="area"><title>{full}: {p} %</title><text x="{lx}" y="{ty}" text-anchor="{la}" fill="{INK}">{label}</text><rect class="track" x="{tx}" y="{by}" width="{track}" height="{BAR}" fill="{TRACK}"/>{bar}<text class="value" x="{vx}" y="{ty}" text-anchor="{va}" fill="{INK}">{p}%</text></g>"#,
            full = escape(b.label.trim()),
            p = b.percent.min(100),
            lx = m.x(LABEL_WIDTH),
            ty = y + BAR - 3.0,
            la = m.outward(),
            label = escape(&short(&b.label)),
            tx = m.left(x0, track),
            by = y,
            // No zero-width rectangle: SVG readers (usvg) warn about them.
            bar = if w > 0.0 {
                format!(r#"<rect class="bar" x="{}" y="{y}" width="{w}" height="{BAR}" fill="{FILL}"/>"#, m.left(x0, w))
            } else {
                String::new()
            },
            vx = m.x(x0 + track + 6.0),
            va = m.inward(),
        );
    }
    out.push_str("</svg>");
    out
}

fn days_between(a: Date, b: Date) -> f64 {
    f64::from((b - a).get_days())
}

/// Cumulative count of done actions over time, as steps: one step up on each date an action
/// was done. `done` are those dates (any order); `total` is the number of actions the count is
/// out of (the top of the axis); the time axis covers `span` (e.g. the first action's start to
/// the reference date, see [`done_span`]) and every date of `done`. Time runs left to right, or
/// right to left when `rtl`.
#[must_use]
pub fn done_over_time(done: &[Date], total: usize, span: Option<(Date, Date)>, text: &ChartText, rtl: bool) -> String {
    if done.is_empty() {
        return empty_chart("chart-done", text, rtl);
    }
    let m = Mirror { rtl };
    let mut dates = done.to_vec();
    dates.sort();
    let (mut first, mut last) = (dates[0], dates[dates.len() - 1]);
    if let Some((from, to)) = span {
        first = first.min(from);
        last = last.max(to);
    }
    let span = days_between(first, last).max(1.0);
    let total = total.max(dates.len()).max(1);
    let (left, right, top, bottom) = (56.0, WIDTH - 24.0, 30.0, 186.0);
    let height = bottom + 40.0;
    let px = |d: Date| left + (right - left) * days_between(first, d) / span;
    let py = |n: usize| bottom - (bottom - top) * n as f64 / total as f64;
    // Steps: (date, count after that date).
    let mut steps: Vec<(Date, usize)> = Vec::new();
    for (i, d) in dates.iter().enumerate() {
        match steps.last_mut() {
            Some((last, n)) if last == d => *n = i + 1,
            _ => steps.push((*d, i + 1)),
        }
    }
    let desc: Vec<String> = steps.iter().map(|(d, n)| format!("{d}: {n}")).collect();
    let mut out = String::new();
    open(&mut out, "chart-done", height, text, &format!("{} / {total} — {}", dates.len(), desc.join("; ")), rtl);
    // Axes: time along the bottom, the count on the inner side of the first date.
    let _ = write!(
        out,
        r#"<line class="axis" x1="{x1}" y1="{bottom}" x2="{x2}" y2="{bottom}" stroke="{MUTED}"/><line class="axis" x1="{x1}" y1="{top}" x2="{x1}" y2="{bottom}" stroke="{MUTED}"/><line class="grid" x1="{x1}" y1="{top}" x2="{x2}" y2="{top}" stroke="{TRACK}"/>"#,
        x1 = m.x(left),
        x2 = m.x(right),
    );
    let _ = write!(
        out,
        r#"<text x="{x}" y="{y}" text-anchor="{a}" fill="{MUTED}">{total}</text><text x="{x}" y="{y0}" text-anchor="{a}" fill="{MUTED}">0</text><text class="axis-label" x="{xl}" y="14" text-anchor="{al}" fill="{MUTED}">{label}</text>"#,
        x = m.x(left - 6.0),
        y = top + 4.0,
        y0 = bottom,
        xl = m.x(left),
        al = m.inward(),
        a = m.outward(),
        label = escape(&short(&text.marker)),
    );
    let _ = write!(
        out,
        r#"<text x="{x1}" y="{y}" text-anchor="{a1}" fill="{MUTED}">{first}</text>"#,
        x1 = m.x(left),
        a1 = m.inward(),
        y = bottom + 18.0,
    );
    if last != first {
        let _ = write!(
            out,
            r#"<text x="{x2}" y="{y}" text-anchor="{a2}" fill="{MUTED}">{last}</text>"#,
            x2 = m.x(right),
            a2 = m.outward(),
            y = bottom + 18.0,
        );
    }
    // The step path: flat until each date, then up.
    let mut path = format!("M{:.1},{:.1}", m.x(px(first)), py(0));
    for (d, n) in &steps {
        let x = m.x(px(*d));
        let _ = write!(path, " H{x:.1} V{:.1}", py(*n));
    }
    let _ = write!(path, " H{:.1}", m.x(right));
    let _ = write!(out, r#"<path class="steps" d="{path}" fill="none" stroke="{DONE}" stroke-width="2"/>"#);
    for (d, n) in &steps {
        let _ = write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{DONE}"><title>{d}: {n}</title></circle>"#,
            x = m.x(px(*d)),
            y = py(*n),
        );
    }
    out.push_str("</svg>");
    out
}

/// A Gantt chart: one row per action (in the order given), a bar from its start to its due
/// date, the done part darker, overdue bars in the overdue colour, and a vertical line at
/// `today` (the reference date) labelled with `text.marker`. The time axis covers every bar and
/// `today`; it runs right to left when `rtl`.
#[must_use]
pub fn gantt(rows: &[GanttRow], today: Date, text: &ChartText, rtl: bool) -> String {
    if rows.is_empty() {
        return empty_chart("chart-gantt", text, rtl);
    }
    let m = Mirror { rtl };
    let first = rows.iter().map(|r| r.start.min(r.due)).min().unwrap_or(today).min(today);
    let last = rows.iter().map(|r| r.due.max(r.start)).max().unwrap_or(today).max(today);
    let last = last.tomorrow().unwrap_or(last);
    let span = days_between(first, last).max(1.0);
    let (left, right) = (LABEL_WIDTH + 8.0, WIDTH - 12.0);
    let head = 22.0;
    let height = head + TOP + ROW * rows.len() as f64 + 8.0;
    let px = |d: Date| left + (right - left) * days_between(first, d) / span;
    let late = rows.iter().filter(|r| r.overdue).count();
    let mut out = String::new();
    open(
        &mut out,
        "chart-gantt",
        height,
        text,
        &format!("{} — {first} … {} — {}: {today} — {late}", rows.len(), last.yesterday().unwrap_or(last), text.marker),
        rtl,
    );
    // The axis: first and last dates at the top.
    let _ = write!(
        out,
        r#"<text x="{x1}" y="14" text-anchor="{a1}" fill="{MUTED}">{first}</text><text x="{x2}" y="14" text-anchor="{a2}" fill="{MUTED}">{end}</text>"#,
        x1 = m.x(left),
        a1 = m.inward(),
        x2 = m.x(right),
        a2 = m.outward(),
        end = last.yesterday().unwrap_or(last),
    );
    for (i, r) in rows.iter().enumerate() {
        let y = head + TOP + ROW * i as f64;
        let (s, d) = (r.start.min(r.due), r.due.max(r.start));
        let x0 = px(s);
        let w = (px(d.tomorrow().unwrap_or(d)) - x0).max(2.0);
        let done = w * f64::from(r.progress.min(100)) / 100.0;
        let (class, fill) = if r.overdue { ("bar overdue", LATE) } else { ("bar", OPEN) };
        let _ = write!(
            out,
            r#"<g class="action"><title>{full}: {s} → {d}, {p} %</title><text x="{lx}" y="{ty}" text-anchor="{la}" fill="{INK}">{label}</text><rect class="{class}" x="{bx:.1}" y="{y}" width="{w:.1}" height="{BAR}" fill="{fill}" fill-opacity="0.55"/>{done_bar}</g>"#,
            full = escape(r.label.trim()),
            p = r.progress.min(100),
            lx = m.x(LABEL_WIDTH),
            ty = y + BAR - 3.0,
            la = m.outward(),
            label = escape(&short(&r.label)),
            bx = m.left(x0, w),
            done_bar = if done > 0.0 {
                format!(
                    r#"<rect class="done" x="{:.1}" y="{y}" width="{done:.1}" height="{BAR}" fill="{fill}"/>"#,
                    m.left(x0, done)
                )
            } else {
                String::new()
            },
        );
    }
    let tx = m.x(px(today));
    let _ = write!(
        out,
        r#"<line class="today" x1="{tx:.1}" y1="18" x2="{tx:.1}" y2="{y2}" stroke="{INK}" stroke-dasharray="4 3"/><text class="today" x="{lx:.1}" y="{ly}" text-anchor="{a}" fill="{INK}">{text}</text>"#,
        y2 = height - 4.0,
        lx = if rtl { tx - 4.0 } else { tx + 4.0 },
        ly = head + 4.0,
        a = m.outward_today(),
        // The paragraph is left to right (see the module's notes): in Arabic the date comes
        // first so that it stays one left-to-right run, left of the Arabic words it follows.
        text =
            if rtl { format!("{today} {}", escape(&text.marker)) } else { format!("{} {today}", escape(&text.marker)) },
    );
    out.push_str("</svg>");
    out
}

impl Mirror {
    /// The today label reads away from the line, into the later part of the chart.
    fn outward_today(self) -> &'static str {
        if self.rtl { "end" } else { "start" }
    }
}

/// `svg` for inline use in an HTML page: without its XML namespace declaration, which HTML
/// does not need (the pages hold no `http://` reference at all) and standalone readers (typst)
/// do.
#[must_use]
pub fn for_html(svg: &str) -> String {
    svg.replacen(r#" xmlns="http://www.w3.org/2000/svg""#, "", 1)
}

/// The committee's areas in display order (by ordinal, then id), with their ids.
#[must_use]
pub fn areas_in_order(state: &State) -> Vec<(String, Area)> {
    let mut areas = state.all::<Area>(RecordKind::Area);
    areas.sort_by(|(ia, a), (ib, b)| a.ordinal.cmp(&b.ordinal).then_with(|| ia.cmp(ib)));
    areas
}

/// The bars of [`progress_by_area`] for `actions` (each area's weighted progress, see
/// [`lajna_domain::summary::area_progress`]), areas in display order, titles in `lang`.
#[must_use]
pub fn area_bars(state: &State, actions: &[(String, Action)], lang: Lang, today: Date) -> Vec<AreaBar> {
    let areas = areas_in_order(state);
    let ids: Vec<String> = areas.iter().map(|(id, _)| id.clone()).collect();
    summary::area_progress(&ids, actions, today)
        .into_iter()
        .zip(&areas)
        .map(|(p, (_, area))| AreaBar { label: area.title.show(lang).to_string(), percent: p.progress })
        .collect()
}

/// The rows of [`gantt`] for `actions`: by area (display order), then start date, due date and
/// id; titles in `lang`; overdue on `today` as [`lajna_domain::summary::is_overdue`] says.
#[must_use]
pub fn gantt_rows(state: &State, actions: &[(String, Action)], lang: Lang, today: Date) -> Vec<GanttRow> {
    let order: std::collections::HashMap<String, usize> =
        areas_in_order(state).into_iter().enumerate().map(|(i, (id, _))| (id, i)).collect();
    let mut sorted: Vec<&(String, Action)> = actions.iter().collect();
    sorted.sort_by(|(ia, a), (ib, b)| {
        let (oa, ob) = (order.get(&a.area).unwrap_or(&usize::MAX), order.get(&b.area).unwrap_or(&usize::MAX));
        oa.cmp(ob).then(a.start.cmp(&b.start)).then(a.due.cmp(&b.due)).then_with(|| ia.cmp(ib))
    });
    sorted
        .into_iter()
        .map(|(_, a)| GanttRow {
            label: a.title.show(lang).to_string(),
            start: a.start,
            due: a.due,
            progress: a.progress.percent(),
            overdue: summary::is_overdue(a, today),
        })
        .collect()
}

/// The time axis of [`done_over_time`] for `actions`: from the earliest start to `today`
/// (`None` without actions).
#[must_use]
pub fn done_span(actions: &[(String, Action)], today: Date) -> Option<(Date, Date)> {
    actions.iter().map(|(_, a)| a.start).min().map(|start| (start.min(today), today))
}

/// The dates on which the done ones of `actions` were done, for [`done_over_time`]: the
/// completion date declared in the progress report that closed the action (`Action::completed`,
/// issue 13: the committee's date, not when the event was recorded); for an action closed
/// before that field existed, the UTC date of the record's last field write (`updated_at`).
#[must_use]
pub fn done_dates(state: &State, actions: &[(String, Action)]) -> Vec<Date> {
    actions
        .iter()
        .filter(|(_, a)| a.status == ActionStatus::Done)
        .filter_map(|(id, a)| {
            a.completed.or_else(|| {
                let written = state.entry(id)?.updated_at.parse::<jiff::Timestamp>().ok()?;
                Some(written.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn text() -> ChartText {
        ChartText { title: "Progress <by> area".into(), empty: "Nothing".into(), marker: "Today".into() }
    }

    /// The value of attribute `name` of the first element that starts with `tag`.
    fn attr(svg: &str, tag: &str, name: &str) -> f64 {
        let at = svg.find(tag).unwrap_or_else(|| panic!("no {tag} in {svg}"));
        let rest = &svg[at..];
        let end = rest.find('>').unwrap();
        let element = &rest[..end];
        let key = format!(" {name}=\"");
        let v = element.find(&key).unwrap_or_else(|| panic!("no {name} in {element}")) + key.len();
        element[v..].split('"').next().unwrap().parse().unwrap()
    }

    fn bars() -> Vec<AreaBar> {
        vec![
            AreaBar { label: "تدريب الضباط على الإسعافات الأولية".into(), percent: 60 },
            AreaBar { label: "Soutien logistique".into(), percent: 25 },
        ]
    }

    #[test]
    fn in_arabic_the_first_area_bar_starts_at_the_right() {
        let ltr = progress_by_area(&bars(), &text(), false);
        let rtl = progress_by_area(&bars(), &text(), true);
        let track = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 16.0;
        let w = track * 0.6;
        // Left to right: the bar starts just after the label column, on the left.
        assert_eq!(attr(&ltr, r#"<rect class="bar""#, "x"), LABEL_WIDTH + 8.0);
        assert_eq!(attr(&ltr, r#"<rect class="bar""#, "width"), w);
        // Arabic: the bar's right edge is where the label column ends, on the right.
        let x = attr(&rtl, r#"<rect class="bar""#, "x");
        assert_eq!(attr(&rtl, r#"<rect class="bar""#, "width"), w);
        assert_eq!(x + w, WIDTH - LABEL_WIDTH - 8.0);
        // And the label is on the right of the bar, anchored at its start (its right edge).
        assert_eq!(attr(&rtl, "<text", "x"), WIDTH - LABEL_WIDTH);
        assert!(rtl.contains(r##"text-anchor="start" fill="#1f2933">تدريب الضباط على الإسعافات الأولية</text>"##));
        assert!(ltr.contains(r##"text-anchor="end" fill="#1f2933">تدريب الضباط على الإسعافات الأولية</text>"##));
    }

    #[test]
    fn charts_are_accessible_images_with_escaped_text() {
        let svg = progress_by_area(&bars(), &text(), false);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(for_html(&svg).starts_with("<svg class=\"chart chart-progress\"") && !for_html(&svg).contains("http"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title>Progress &lt;by&gt; area</title>"));
        assert!(svg.contains("<desc>تدريب الضباط على الإسعافات الأولية: 60 %; Soutien logistique: 25 %</desc>"));
        assert!(!svg.contains("style="));
        assert!(svg.ends_with("</svg>"));
        let empty = progress_by_area(&[], &text(), true);
        assert!(empty.contains(">Nothing</text>"));
    }

    #[test]
    fn long_labels_are_cut_but_kept_whole_in_the_bar_title() {
        let long = "x".repeat(60);
        let svg = progress_by_area(&[AreaBar { label: long.clone(), percent: 5 }], &text(), false);
        assert!(svg.contains(&format!("<title>{long}: 5 %</title>")));
        assert!(svg.contains(&format!(">{}…</text>", "x".repeat(LABEL_CHARS - 1))));
    }

    fn rows() -> Vec<GanttRow> {
        vec![
            GanttRow {
                label: "Late one".into(),
                start: date(2025, 1, 1),
                due: date(2025, 3, 31),
                progress: 40,
                overdue: true,
            },
            GanttRow {
                label: "On time".into(),
                start: date(2025, 6, 1),
                due: date(2025, 12, 31),
                progress: 0,
                overdue: false,
            },
        ]
    }

    #[test]
    fn the_gantt_marks_overdue_bars_and_today_and_mirrors_in_arabic() {
        let today = date(2025, 10, 1);
        let ltr = gantt(&rows(), today, &text(), false);
        let rtl = gantt(&rows(), today, &text(), true);
        assert_eq!(ltr.matches(r#"class="bar overdue""#).count(), 1);
        assert_eq!(ltr.matches(r#"<rect class="bar""#).count(), 1);
        assert!(ltr.contains(">Today 2025-10-01</text>"));
        assert!(rtl.contains(">2025-10-01 Today</text>"), "the date stays one run before the label");
        // The first action starts on the first day of the axis: at the left edge of the time
        // area in French, at its right edge in Arabic.
        let left = LABEL_WIDTH + 8.0;
        assert_eq!(attr(&ltr, r#"<rect class="bar overdue""#, "x"), left);
        let x = attr(&rtl, r#"<rect class="bar overdue""#, "x");
        let w = attr(&rtl, r#"<rect class="bar overdue""#, "width");
        assert!((x + w - (WIDTH - left)).abs() < 0.2, "{x} + {w}");
        // Today's line is mirrored too.
        let t_ltr = attr(&ltr, r#"<line class="today""#, "x1");
        let t_rtl = attr(&rtl, r#"<line class="today""#, "x1");
        assert!((t_ltr + t_rtl - WIDTH).abs() < 0.2);
        assert!(t_ltr > left);
    }

    #[test]
    fn done_over_time_counts_up_on_each_date_and_runs_right_to_left_in_arabic() {
        let done = [date(2025, 6, 30), date(2025, 3, 1), date(2025, 6, 30)];
        let svg = done_over_time(&done, 10, None, &text(), false);
        assert!(svg.contains("<desc>3 / 10 — 2025-03-01: 1; 2025-06-30: 3</desc>"));
        assert_eq!(svg.matches("<circle").count(), 2);
        let first_ltr = attr(&svg, "<circle", "cx");
        let first_rtl = attr(&done_over_time(&done, 10, None, &text(), true), "<circle", "cx");
        assert_eq!(first_ltr, 56.0);
        assert_eq!(first_rtl, WIDTH - 56.0);
        assert!(done_over_time(&[], 3, None, &text(), false).contains(">Nothing</text>"));
        // With a wider span, the first done date is no longer at the axis' start.
        let wide = done_over_time(&done, 10, Some((date(2025, 1, 1), date(2025, 12, 31))), &text(), false);
        assert!(attr(&wide, "<circle", "cx") > 56.0);
        assert!(wide.contains(">2025-01-01</text>") && wide.contains(">2025-12-31</text>"));
    }
}
