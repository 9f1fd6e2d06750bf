//! Reading a follow-up matrix back (issue 4): XLSX or CSV bytes in, a [`MatrixImport`] out
//! ([`read`]), then a row-by-row plan against the current state ([`plan`]). Both are pure: no IO,
//! no clock; the node authorises and writes the plan (`lajna_node::import`).
//!
//! What is accepted, and why:
//! - XLSX (first sheet) or CSV (UTF-8 with or without BOM, comma, semicolon or tab separated);
//!   the first header never keeps a U+FEFF (case C07).
//! - Headers in Arabic, French or English, the export's own ([`crate::matrix::headers`]),
//!   compared without case and without spaces; unknown columns are ignored and listed.
//! - Dates as date or date-time cells, Excel serial numbers (1900 system), ISO `2025-12-31`
//!   (with or without a time) or day first `31/12/2025` (`/`, `-` or `.`); a time of day is
//!   dropped, the date is taken as written (the matrix's zone, case C09). Never a serial number
//!   as a year.
//! - Numbers with Western, Arabic-Indic or Extended Arabic-Indic digits (case C03); progress
//!   may end with `%` or `٪`.
//! - Text that the export neutralised against formula injection (a leading apostrophe before
//!   `= + - @`, TAB or CR, case C08) is restored to the original text.

use std::collections::HashMap;

use jiff::civil::Date;
use lajna_domain::records::{Action, Area, Indicator, Roadmap};
use lajna_domain::values::parse_integer;
use lajna_domain::{ActionStatus, Actor, Command, DomainError, Lang, LocalizedText, PartyCode, Progress, RecordKind};
use lajna_domain::{State, decide};
use serde_json::{Map, Value};

use crate::matrix::headers;

/// Why a file could not be read at all (as opposed to a refused row).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file is neither an XLSX workbook nor CSV text.
    #[error("the file is not an XLSX workbook or a CSV file: {0}")]
    Unreadable(String),
    /// A CSV line is not UTF-8 (saved in a legacy encoding).
    #[error("row {row}: the CSV file is not UTF-8; save it as \"CSV UTF-8\"")]
    NotUtf8 {
        /// 1-based row number.
        row: u32,
    },
    /// No row of the file is a matrix header (no recognised column).
    #[error("no header row with the matrix columns (in Arabic, French or English) was found")]
    NoHeader,
}

impl ImportError {
    /// Message key for the UI catalogues (`import.ftl`).
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::Unreadable(_) => "import-file-unreadable",
            Self::NotUtf8 { .. } => "import-file-not-utf8",
            Self::NoHeader => "import-file-no-header",
        }
    }
}

/// The matrix columns, in the export's order (index into [`headers`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// Action id.
    Id,
    /// Area title.
    Area,
    /// Title in Arabic.
    TitleAr,
    /// Title in French.
    TitleFr,
    /// Owner party code.
    Owner,
    /// Owning unit.
    Unit,
    /// Start date.
    Start,
    /// Due date.
    Due,
    /// Status code.
    Status,
    /// Progress, percent.
    Progress,
    /// Indicator unit.
    IndicatorUnit,
    /// Indicator baseline.
    Baseline,
    /// Indicator target.
    Target,
    /// Indicator current value.
    Current,
    /// Last update (computed; ignored on import).
    LastUpdate,
}

impl Column {
    /// Every column, in the export's order.
    pub const ALL: [Column; 15] = [
        Column::Id,
        Column::Area,
        Column::TitleAr,
        Column::TitleFr,
        Column::Owner,
        Column::Unit,
        Column::Start,
        Column::Due,
        Column::Status,
        Column::Progress,
        Column::IndicatorUnit,
        Column::Baseline,
        Column::Target,
        Column::Current,
        Column::LastUpdate,
    ];

    /// Stable field name, used in refusals (`title_ar`, `due`, …).
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Area => "area",
            Column::TitleAr => "title_ar",
            Column::TitleFr => "title_fr",
            Column::Owner => "owner",
            Column::Unit => "unit",
            Column::Start => "start",
            Column::Due => "due",
            Column::Status => "status",
            Column::Progress => "progress",
            Column::IndicatorUnit => "indicator_unit",
            Column::Baseline => "baseline",
            Column::Target => "target",
            Column::Current => "current",
            Column::LastUpdate => "last_update",
        }
    }
}

/// An indicator as read from its four columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndicatorValues {
    /// Unit text (matrix language).
    pub unit: String,
    /// Baseline.
    pub baseline: i64,
    /// Target.
    pub target: i64,
    /// Current value.
    pub current: i64,
}

/// The values of one row. `None` means "not given": the column is absent (an update keeps the
/// current value). A present column with an empty required cell is a cell error instead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowValues {
    /// Action id (empty cell or no column: a new action).
    pub id: Option<String>,
    /// Area text, as written.
    pub area: Option<String>,
    /// Title in Arabic (`Some("")` when the column is there and the cell empty).
    pub title_ar: Option<String>,
    /// Title in French (`Some("")` when the column is there and the cell empty).
    pub title_fr: Option<String>,
    /// Owner party.
    pub owner: Option<PartyCode>,
    /// Owning unit text (matrix language).
    pub unit: Option<String>,
    /// Start date.
    pub start: Option<Date>,
    /// Due date.
    pub due: Option<Date>,
    /// Status.
    pub status: Option<ActionStatus>,
    /// Progress.
    pub progress: Option<Progress>,
    /// Indicator: `None` when its columns are absent, `Some(None)` when its cells are empty.
    pub indicator: Option<Option<IndicatorValues>>,
}

/// Why a cell or a row is refused: a message key of `import.ftl` (or of the domain's catalogue
/// for domain rules), the column or field, and the offending value or a detail for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Message key, e.g. `import-bad-date`.
    pub key: &'static str,
    /// Field name ([`Column::field`]), when one cell is at fault.
    pub field: Option<&'static str>,
    /// The value or detail (e.g. `31/02/2025`, `row 4`).
    pub detail: String,
    /// The domain refusal, when a domain rule refused the row (its own key and arguments).
    pub domain: Option<DomainError>,
}

impl Refusal {
    fn new(key: &'static str, field: Option<&'static str>, detail: impl Into<String>) -> Self {
        Self { key, field, detail: detail.into(), domain: None }
    }
}

/// One data row of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedRow {
    /// 1-based row number in the sheet (the header row included, as a spreadsheet shows it).
    pub row: u32,
    /// The values, or every cell error of the row.
    pub values: Result<RowValues, Vec<Refusal>>,
    /// A label for people: the French title, else the Arabic one, else the id.
    pub label: String,
}

/// A matrix read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixImport {
    /// Language of the headers (the one most columns matched): texts of the area, unit and
    /// indicator unit columns are in it.
    pub lang: Lang,
    /// Columns found, in file order.
    pub columns: Vec<Column>,
    /// Headers that are not matrix columns (ignored).
    pub ignored: Vec<String>,
    /// 1-based row number of the header row.
    pub header_row: u32,
    /// The data rows (empty rows skipped).
    pub rows: Vec<ParsedRow>,
}

/// A cell as read from either format.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date or date-time cell: (year, month, day).
    Date(i16, i8, i8),
}

fn header_key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '\u{FEFF}').flat_map(char::to_lowercase).collect()
}

/// Reads a matrix from the bytes of an XLSX or CSV file (told apart by content, not name).
///
/// # Errors
/// [`ImportError`] when the file cannot be read or has no matrix header; a bad cell is not an
/// error here but a refusal in its row.
pub fn read(bytes: &[u8]) -> Result<MatrixImport, ImportError> {
    let grid = if bytes.starts_with(b"PK\x03\x04") { xlsx_grid(bytes)? } else { csv_grid(bytes)? };
    parse_grid(grid)
}

fn xlsx_grid(bytes: &[u8]) -> Result<Vec<(u32, Vec<Cell>)>, ImportError> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ImportError::Unreadable(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| ImportError::Unreadable("the workbook has no sheet".into()))?
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let Some((top, left)) = range.start() else { return Ok(vec![]) };
    let mut out = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells = vec![Cell::Empty; left as usize];
        cells.extend(row.iter().map(|d| match d {
            Data::Empty => Cell::Empty,
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Int(n) => Cell::Number(*n as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Text(b.to_string()),
            Data::DateTime(dt) if dt.is_datetime() => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                Cell::Date(y as i16, m as i8, d as i8)
            }
            Data::DateTime(dt) => Cell::Number(dt.as_f64()),
            Data::Error(e) => Cell::Text(format!("#{e:?}")),
        }));
        out.push((top + i as u32 + 1, cells));
    }
    Ok(out)
}

/// The separator of a CSV file: the most frequent of `,`, `;` and TAB in its first line
/// (French spreadsheets save with `;`).
fn sniff_separator(text: &[u8]) -> u8 {
    let line = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |sep: u8| line.iter().filter(|b| **b == sep).count();
    [b',', b';', b'\t'].into_iter().max_by_key(|s| (count(*s), *s == b',')).unwrap_or(b',')
}

fn csv_grid(bytes: &[u8]) -> Result<Vec<(u32, Vec<Cell>)>, ImportError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_separator(bytes))
        .from_reader(bytes);
    let mut out = Vec::new();
    for (i, record) in reader.byte_records().enumerate() {
        let row = i as u32 + 1;
        let record = record.map_err(|e| ImportError::Unreadable(e.to_string()))?;
        let mut cells = Vec::with_capacity(record.len());
        for field in &record {
            let text = std::str::from_utf8(field).map_err(|_| ImportError::NotUtf8 { row })?;
            cells.push(if text.trim().is_empty() { Cell::Empty } else { Cell::Text(text.to_string()) });
        }
        out.push((row, cells));
    }
    Ok(out)
}

/// The header row: its index in the grid, its language, the column of each cell, and the
/// headers that name no column.
struct Header {
    at: usize,
    lang: Lang,
    columns: Vec<Option<Column>>,
    ignored: Vec<String>,
}

/// Finds the header row (the first row naming at least two matrix columns) and its language.
fn find_header(grid: &[(u32, Vec<Cell>)]) -> Option<Header> {
    let tables: Vec<(Lang, Vec<String>)> =
        Lang::ALL.iter().map(|l| (*l, headers(*l).iter().map(|h| header_key(h)).collect())).collect();
    for (i, (_, cells)) in grid.iter().enumerate().take(20) {
        let mut votes: HashMap<Lang, usize> = HashMap::new();
        let mut columns = Vec::with_capacity(cells.len());
        let mut ignored = Vec::new();
        for cell in cells {
            let Cell::Text(text) = cell else {
                columns.push(None);
                continue;
            };
            let key = header_key(text);
            let mut found = None;
            for (lang, table) in &tables {
                if let Some(c) = table.iter().position(|h| *h == key) {
                    *votes.entry(*lang).or_default() += 1;
                    found = Some(Column::ALL[c]);
                }
            }
            if found.is_none() {
                ignored.push(text.trim_start_matches('\u{FEFF}').trim().to_string());
            }
            columns.push(found);
        }
        if columns.iter().flatten().count() >= 2 {
            let lang = [Lang::Fr, Lang::Ar, Lang::En]
                .into_iter()
                .max_by_key(|l| (votes.get(l).copied().unwrap_or(0), *l == Lang::Fr))
                .unwrap_or(Lang::Fr);
            return Some(Header { at: i, lang, columns, ignored });
        }
    }
    None
}

fn parse_grid(grid: Vec<(u32, Vec<Cell>)>) -> Result<MatrixImport, ImportError> {
    let Header { at, lang, columns, ignored } = find_header(&grid).ok_or(ImportError::NoHeader)?;
    let header_row = grid[at].0;
    let mut rows = Vec::new();
    for (row, cells) in grid.into_iter().skip(at + 1) {
        if cells.iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        let mut by_column: HashMap<Column, Cell> = HashMap::new();
        for (cell, column) in cells.into_iter().zip(&columns) {
            if let Some(c) = column {
                by_column.insert(*c, cell);
            }
        }
        rows.push(parse_row(row, &by_column));
    }
    Ok(MatrixImport { lang, columns: columns.into_iter().flatten().collect(), ignored, header_row, rows })
}

/// Undoes the export's neutralisation (case C08): `'=…` → `=…` for the characters a
/// spreadsheet would take for a formula.
#[must_use]
pub fn restore(text: &str) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => text.to_string(),
    }
}

/// Western digits for Arabic-Indic (U+0660–0669) and Extended Arabic-Indic (U+06F0–06F9) ones.
fn western_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            _ => c,
        })
        .collect()
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 { format!("{}", n as i64) } else { n.to_string() }
}

/// A text cell's content: trimmed, neutralisation undone; numbers as written.
fn text_of(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => restore(t.trim()),
        Cell::Number(n) => number_text(*n),
        Cell::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// The date of an Excel serial number (1900 system), when it is one.
fn serial_date(n: f64) -> Option<Date> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let dt = calamine::ExcelDateTime::new(n, calamine::ExcelDateTimeType::DateTime, false);
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    Date::new(y as i16, m as i8, d as i8).ok()
}

/// Parses a date written as ISO `YYYY-MM-DD`, `YYYY/MM/DD`, day-first `DD/MM/YYYY` (`/`, `-`
/// or `.`), each optionally followed by a time (dropped), or an Excel serial number.
#[must_use]
pub fn parse_date(text: &str) -> Option<Date> {
    let t = western_digits(text.trim());
    let day_part = t.split(['T', ' ']).next().unwrap_or_default();
    let parts: Vec<&str> = day_part.split(['-', '/', '.']).collect();
    let num =
        |s: &str| -> Option<i64> { (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())? };
    if parts.len() == 3 {
        let (a, b, c) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
        let (y, m, d) = if parts[0].len() == 4 {
            (a, b, c)
        } else if parts[2].len() == 4 && parts[0].len() <= 2 {
            (c, b, a)
        } else {
            return None;
        };
        return Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok();
    }
    // A serial number typed as text, with an optional fraction (a time of day).
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') && t.bytes().filter(|b| *b == b'.').count() <= 1 {
        return t.parse::<f64>().ok().and_then(serial_date);
    }
    None
}

fn date_of(cell: &Cell) -> Result<Date, String> {
    match cell {
        Cell::Date(y, m, d) => Date::new(*y, *m, *d).map_err(|_| format!("{y:04}-{m:02}-{d:02}")),
        Cell::Number(n) => serial_date(*n).ok_or_else(|| number_text(*n)),
        Cell::Text(t) => parse_date(t).ok_or_else(|| t.trim().to_string()),
        Cell::Empty => Err(String::new()),
    }
}

fn integer_of(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(*n as i64),
        Cell::Text(t) => parse_integer(&restore(t.trim())),
        _ => None,
    }
}

fn progress_of(cell: &Cell) -> Result<Progress, String> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
            Progress::new(*n as i64).map_err(|_| number_text(*n))
        }
        Cell::Text(t) => Progress::parse(t).map_err(|_| t.trim().to_string()),
        other => Err(text_of(other)),
    }
}

/// The status code of a cell: the stored code, without regard to case, with spaces or
/// hyphens for underscores (`In progress` → `in_progress`).
fn status_of(text: &str) -> Option<ActionStatus> {
    let code: String =
        text.trim().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c }).flat_map(char::to_lowercase).collect();
    ActionStatus::parse(&code).ok()
}

fn parse_row(row: u32, cells: &HashMap<Column, Cell>) -> ParsedRow {
    let mut errors = Vec::new();
    let mut v = RowValues::default();
    let present = |c: Column| cells.contains_key(&c);
    let cell = |c: Column| cells.get(&c).unwrap_or(&Cell::Empty);
    let text = |c: Column| present(c).then(|| text_of(cell(c)));
    // A required column that is there must be filled.
    let filled = |c: Column, errors: &mut Vec<Refusal>| -> Option<&Cell> {
        match cells.get(&c) {
            None => None,
            Some(Cell::Empty) => {
                errors.push(Refusal::new("import-missing-value", Some(c.field()), ""));
                None
            }
            Some(x) => Some(x),
        }
    };
    v.id = text(Column::Id).filter(|t| !t.is_empty());
    v.title_ar = text(Column::TitleAr);
    v.title_fr = text(Column::TitleFr);
    let label = v
        .title_fr
        .clone()
        .filter(|t| !t.is_empty())
        .or_else(|| v.title_ar.clone().filter(|t| !t.is_empty()))
        .or_else(|| v.id.clone())
        .unwrap_or_default();
    if (v.title_ar.is_some() || v.title_fr.is_some())
        && v.title_ar.as_deref().unwrap_or("").is_empty()
        && v.title_fr.as_deref().unwrap_or("").is_empty()
    {
        errors.push(Refusal::new("import-empty-title", Some("title"), ""));
    }
    v.area = filled(Column::Area, &mut errors).map(text_of);
    v.unit = filled(Column::Unit, &mut errors).map(text_of);
    if let Some(c) = filled(Column::Owner, &mut errors) {
        let t = text_of(c);
        match PartyCode::parse(&t) {
            Ok(p) => v.owner = Some(p),
            Err(_) => errors.push(Refusal::new("import-unknown-owner", Some("owner"), t)),
        }
    }
    for (column, slot) in [(Column::Start, &mut v.start), (Column::Due, &mut v.due)] {
        if let Some(c) = filled(column, &mut errors) {
            match date_of(c) {
                Ok(d) => *slot = Some(d),
                Err(bad) => errors.push(Refusal::new("import-bad-date", Some(column.field()), bad)),
            }
        }
    }
    if let Some(c) = filled(Column::Status, &mut errors) {
        let t = text_of(c);
        match status_of(&t) {
            Some(s) => v.status = Some(s),
            None => errors.push(Refusal::new("import-unknown-status", Some("status"), t)),
        }
    }
    if let Some(c) = filled(Column::Progress, &mut errors) {
        match progress_of(c) {
            Ok(p) => v.progress = Some(p),
            Err(bad) => errors.push(Refusal::new("import-bad-progress", Some("progress"), bad)),
        }
    }
    let indicator_columns = [Column::IndicatorUnit, Column::Baseline, Column::Target, Column::Current];
    if indicator_columns.iter().any(|c| present(*c)) {
        if indicator_columns.iter().all(|c| *cell(*c) == Cell::Empty) {
            v.indicator = Some(None);
        } else if let Some(c) = indicator_columns.iter().find(|c| *cell(**c) == Cell::Empty) {
            errors.push(Refusal::new("import-indicator-incomplete", Some(c.field()), ""));
        } else {
            let mut numbers = [0i64; 3];
            for (slot, column) in numbers.iter_mut().zip(&indicator_columns[1..]) {
                match integer_of(cell(*column)) {
                    Some(n) => *slot = n,
                    None => {
                        errors.push(Refusal::new("import-bad-number", Some(column.field()), text_of(cell(*column))))
                    }
                }
            }
            v.indicator = Some(Some(IndicatorValues {
                unit: text_of(cell(Column::IndicatorUnit)),
                baseline: numbers[0],
                target: numbers[1],
                current: numbers[2],
            }));
        }
    }
    ParsedRow { row, values: if errors.is_empty() { Ok(v) } else { Err(errors) }, label }
}

/// What importing one row would do.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A new action (planned in the roadmap of its area).
    Create(Box<Action>),
    /// Changes to an existing action.
    Update {
        /// Action id.
        id: String,
        /// Fields that change (`title`, `due`, `progress`, …).
        changed: Vec<&'static str>,
        /// The command that writes them.
        command: Box<Command>,
    },
    /// The row matches the action as recorded.
    Unchanged {
        /// Action id.
        id: String,
    },
    /// The row cannot be imported; every reason found.
    Refused(Vec<Refusal>),
}

/// One row of a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedRow {
    /// 1-based sheet row number.
    pub row: u32,
    /// A label for people (title or id).
    pub label: String,
    /// The party the change is written for: the owner of the action (before the change, for an
    /// update). `None` for unchanged and refused rows.
    pub party: Option<PartyCode>,
    /// What happens.
    pub outcome: Outcome,
}

impl PlannedRow {
    /// The command to run for this row, if it changes anything.
    #[must_use]
    pub fn command(&self) -> Option<Command> {
        match &self.outcome {
            Outcome::Create(a) => Some(Command::PlanAction((**a).clone())),
            Outcome::Update { command, .. } => Some((**command).clone()),
            _ => None,
        }
    }
}

/// Counts of a plan, by outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanCounts {
    /// Rows creating an action.
    pub created: usize,
    /// Rows updating an action.
    pub updated: usize,
    /// Rows that change nothing.
    pub unchanged: usize,
    /// Refused rows.
    pub refused: usize,
}

/// The row-by-row plan of an import against a state.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportPlan {
    /// The matrix language.
    pub lang: Lang,
    /// Headers ignored.
    pub ignored: Vec<String>,
    /// One entry per data row, in file order.
    pub rows: Vec<PlannedRow>,
}

impl ImportPlan {
    /// Counts by outcome.
    #[must_use]
    pub fn counts(&self) -> PlanCounts {
        let mut c = PlanCounts::default();
        for r in &self.rows {
            match r.outcome {
                Outcome::Create(_) => c.created += 1,
                Outcome::Update { .. } => c.updated += 1,
                Outcome::Unchanged { .. } => c.unchanged += 1,
                Outcome::Refused(_) => c.refused += 1,
            }
        }
        c
    }

    /// Whether no row is refused (a plan with a refused row writes nothing).
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.counts().refused == 0
    }
}

/// Case- and space-insensitive key for comparing texts (areas, titles).
fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The area named by `text`: by its title in any language or its code.
fn find_area<'a>(areas: &'a [(String, Area)], text: &str) -> Result<&'a str, &'static str> {
    let key = fold(text);
    let hits: Vec<&str> = areas
        .iter()
        .filter(|(_, a)| {
            fold(&a.code) == key || Lang::ALL.iter().any(|l| a.title.get(*l).is_some_and(|t| fold(t) == key))
        })
        .map(|(id, _)| id.as_str())
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => Err("import-unknown-area"),
        _ => Err("import-ambiguous-area"),
    }
}

/// The roadmap a new action of `area` goes to: the one most actions of that area belong to,
/// else the roadmap whose period holds the due date, else the latest roadmap.
fn roadmap_for(look: &Lookups, area: &str, due: Date) -> Option<String> {
    if let Some(id) = look.area_roadmap.get(area) {
        return Some(id.clone());
    }
    let roadmaps = &look.roadmaps;
    roadmaps
        .iter()
        .filter(|(_, r)| r.start <= due && due <= r.end)
        .max_by_key(|(id, r)| (r.start, id.clone()))
        .or_else(|| roadmaps.iter().max_by_key(|(id, r)| (r.start, id.clone())))
        .map(|(id, _)| id.clone())
}

/// What a plan looks up for every row, gathered once.
struct Lookups {
    areas: Vec<(String, Area)>,
    roadmaps: Vec<(String, Roadmap)>,
    /// Actions by id.
    existing: HashMap<String, Action>,
    /// (area id, folded Arabic or French title) → id of a recorded action.
    existing_titles: HashMap<(String, String), String>,
    /// Area id → the roadmap most of its actions belong to.
    area_roadmap: HashMap<String, String>,
    parties: Vec<PartyCode>,
    /// Sheet row of the first row with an id.
    seen_ids: HashMap<String, u32>,
    /// Sheet row of the first row with an (area id, folded title).
    seen_titles: HashMap<(String, String), u32>,
}

impl Lookups {
    fn new(state: &State) -> Self {
        let roadmaps: Vec<(String, Roadmap)> = state.all::<Roadmap>(RecordKind::Roadmap);
        let existing: HashMap<String, Action> = state.all::<Action>(RecordKind::Action).into_iter().collect();
        let mut uses: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        for a in existing.values() {
            if roadmaps.iter().any(|(id, _)| *id == a.roadmap) {
                *uses.entry(a.area.as_str()).or_default().entry(a.roadmap.as_str()).or_default() += 1;
            }
        }
        let area_roadmap = uses
            .into_iter()
            .filter_map(|(area, counts)| {
                let best = counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?;
                Some((area.to_string(), best.0.to_string()))
            })
            .collect();
        let mut existing_titles = HashMap::new();
        for (id, a) in &existing {
            for t in [a.title.ar.as_deref(), a.title.fr.as_deref()].into_iter().flatten() {
                existing_titles.insert((a.area.clone(), fold(t)), id.clone());
            }
        }
        Self {
            areas: state.all::<Area>(RecordKind::Area),
            existing_titles,
            roadmaps,
            area_roadmap,
            existing,
            parties: state.charter().map(|c| c.parties.iter().map(|p| p.code.clone()).collect()).unwrap_or_default(),
            seen_ids: HashMap::new(),
            seen_titles: HashMap::new(),
        }
    }
}

/// A per-language text with `lang` set to `text` (or removed when empty).
fn with_lang(mut t: LocalizedText, lang: Lang, text: &str) -> LocalizedText {
    let v = (!text.is_empty()).then(|| text.to_string());
    match lang {
        Lang::Ar => t.ar = v,
        Lang::Fr => t.fr = v,
        Lang::En => t.en = v,
    }
    t
}

/// The text as the matrix shows it (the matrix language, else the export's fallback).
fn shown(t: &LocalizedText, lang: Lang) -> String {
    t.show(lang).trim().to_string()
}

/// Builds the action a row describes, from the current one (update) or from nothing (create).
fn apply_row(
    v: &RowValues,
    lang: Lang,
    area: Option<&str>,
    old: Option<&Action>,
) -> Result<(Action, Vec<&'static str>), Vec<Refusal>> {
    let mut missing = Vec::new();
    let mut need = |present: bool, c: Column| {
        if !present && old.is_none() {
            missing.push(c.field());
        }
    };
    need(area.is_some(), Column::Area);
    need(v.title_ar.is_some() || v.title_fr.is_some(), Column::TitleFr);
    need(v.owner.is_some(), Column::Owner);
    need(v.unit.is_some(), Column::Unit);
    need(v.start.is_some(), Column::Start);
    need(v.due.is_some(), Column::Due);
    need(v.status.is_some(), Column::Status);
    need(v.progress.is_some(), Column::Progress);
    if !missing.is_empty() {
        return Err(vec![Refusal::new("import-missing-column", None, missing.join(", "))]);
    }
    let mut a = match old {
        Some(a) => a.clone(),
        None => match (&v.owner, v.start, v.due, v.status, v.progress) {
            (Some(owner), Some(start), Some(due), Some(status), Some(progress)) => Action {
                roadmap: String::new(),
                area: String::new(),
                title: LocalizedText::default(),
                owner: owner.clone(),
                unit: LocalizedText::default(),
                lead: None,
                start,
                due,
                status,
                progress,
                weight: None,
                indicator: None,
                illustrative: false,
            },
            _ => return Err(vec![Refusal::new("import-missing-column", None, "")]),
        },
    };
    let mut changed = Vec::new();
    let mut mark = |name: &'static str, differs: bool| {
        if differs && !changed.contains(&name) {
            changed.push(name);
        }
    };
    if let Some(area) = area {
        mark("area", a.area != area);
        a.area = area.to_string();
    }
    if let Some(t) = &v.title_ar {
        mark("title", a.title.ar.as_deref().unwrap_or("").trim() != t);
        a.title = with_lang(a.title, Lang::Ar, t);
    }
    if let Some(t) = &v.title_fr {
        mark("title", a.title.fr.as_deref().unwrap_or("").trim() != t);
        a.title = with_lang(a.title, Lang::Fr, t);
    }
    if let Some(o) = &v.owner {
        mark("owner", a.owner != *o);
        a.owner = o.clone();
    }
    if let Some(u) = &v.unit
        && shown(&a.unit, lang) != *u
    {
        mark("unit", true);
        a.unit = with_lang(a.unit, lang, u);
    }
    if let Some(d) = v.start {
        mark("start", a.start != d);
        a.start = d;
    }
    if let Some(d) = v.due {
        mark("due", a.due != d);
        a.due = d;
    }
    if let Some(s) = v.status {
        mark("status", a.status != s);
        a.status = s;
    }
    if let Some(p) = v.progress {
        mark("progress", a.progress != p);
        a.progress = p;
    }
    match (&v.indicator, &a.indicator) {
        (None, _) | (Some(None), None) => {}
        (Some(None), Some(_)) => {
            mark("indicator", true);
            a.indicator = None;
        }
        (Some(Some(new)), current) => {
            let same = current.as_ref().is_some_and(|i| {
                shown(&i.unit, lang) == new.unit
                    && (i.baseline, i.target, i.current) == (new.baseline, new.target, new.current)
            });
            if !same {
                mark("indicator", true);
                let unit = match current {
                    Some(i) if shown(&i.unit, lang) == new.unit => i.unit.clone(),
                    Some(i) => with_lang(i.unit.clone(), lang, &new.unit),
                    None => with_lang(LocalizedText::default(), lang, &new.unit),
                };
                a.indicator =
                    Some(Indicator { unit, baseline: new.baseline, target: new.target, current: new.current });
            }
        }
    }
    Ok((a, changed))
}

/// The command that writes `changed` fields of `new` over action `id`: a progress report
/// when only status and progress change (what action owners may do), else a revision.
fn update_command(id: &str, new: &Action, changed: &[&'static str]) -> Command {
    if changed.iter().all(|f| matches!(*f, "status" | "progress")) {
        return Command::ReportProgress {
            action: id.to_string(),
            status: Some(new.status),
            progress: Some(new.progress),
        };
    }
    let full = serde_json::to_value(new).unwrap_or(Value::Null);
    let mut set = Map::new();
    for field in changed {
        set.insert((*field).to_string(), full.get(*field).cloned().unwrap_or(Value::Null));
    }
    Command::Revise { kind: RecordKind::Action, id: id.to_string(), set }
}

/// Plans an import against `state`, row by row: create (no id), update (id of an action
/// whose fields differ), unchanged, or refused with every reason found — a cell error, an
/// unknown id, area or owner party, a duplicate (the same id, or the same area and title, as
/// an earlier row), a new action that already exists (same area and title), or a domain rule
/// (e.g. a due date before the start; checked with [`decide`], as the write will).
#[must_use]
pub fn plan(state: &State, import: &MatrixImport) -> ImportPlan {
    let mut look = Lookups::new(state);
    let mut rows = Vec::with_capacity(import.rows.len());
    for parsed in &import.rows {
        let (party, outcome) = plan_row(state, import.lang, parsed, &mut look);
        rows.push(PlannedRow { row: parsed.row, label: parsed.label.clone(), party, outcome });
    }
    ImportPlan { lang: import.lang, ignored: import.ignored.clone(), rows }
}

fn plan_row(state: &State, lang: Lang, parsed: &ParsedRow, look: &mut Lookups) -> (Option<PartyCode>, Outcome) {
    let v = match &parsed.values {
        Ok(v) => v,
        Err(errors) => return (None, Outcome::Refused(errors.clone())),
    };
    let mut refusals = Vec::new();
    let old = match &v.id {
        Some(id) => match look.existing.get(id) {
            Some(a) => Some(a),
            None => {
                refusals.push(Refusal::new("import-unknown-id", Some("id"), id.clone()));
                None
            }
        },
        None => None,
    };
    if let Some(id) = &v.id {
        if let Some(first) = look.seen_ids.get(id) {
            refusals.push(Refusal::new("import-duplicate-row", Some("id"), first.to_string()));
        } else {
            look.seen_ids.insert(id.clone(), parsed.row);
        }
    }
    let area = match &v.area {
        Some(text) => match find_area(&look.areas, text) {
            Ok(id) => Some(id.to_string()),
            Err(key) => {
                refusals.push(Refusal::new(key, Some("area"), text.clone()));
                None
            }
        },
        None => None,
    };
    if let Some(owner) = &v.owner
        && !look.parties.contains(owner)
    {
        refusals.push(Refusal::new("import-unknown-owner", Some("owner"), owner.to_string()));
    }
    // Same area and title as an earlier row (either language), or, for a new action, as an
    // action already recorded.
    let area_id = area.clone().or_else(|| old.map(|a| a.area.clone()));
    if let Some(area_id) = &area_id {
        let titles: Vec<String> = [
            v.title_ar.clone().or_else(|| old.and_then(|a| a.title.ar.clone())),
            v.title_fr.clone().or_else(|| old.and_then(|a| a.title.fr.clone())),
        ]
        .into_iter()
        .flatten()
        .map(|t| fold(&t))
        .filter(|t| !t.is_empty())
        .collect();
        let same_id = refusals.iter().any(|r| r.key == "import-duplicate-row");
        match titles.iter().find_map(|t| look.seen_titles.get(&(area_id.clone(), t.clone()))).copied() {
            Some(first) if !same_id => {
                refusals.push(Refusal::new("import-duplicate-row", Some("title"), first.to_string()));
            }
            Some(_) => {}
            None => {
                for t in &titles {
                    look.seen_titles.insert((area_id.clone(), t.clone()), parsed.row);
                }
            }
        }
        if v.id.is_none()
            && let Some(id) = titles.iter().find_map(|t| look.existing_titles.get(&(area_id.clone(), t.clone())))
        {
            refusals.push(Refusal::new("import-exists", Some("title"), id.clone()));
        }
    }
    if !refusals.is_empty() || (v.id.is_some() && old.is_none()) {
        return (None, Outcome::Refused(refusals));
    }
    let (mut action, changed) = match apply_row(v, lang, area.as_deref(), old) {
        Ok(x) => x,
        Err(r) => return (None, Outcome::Refused(r)),
    };
    let (party, command) = match (&v.id, old) {
        (Some(id), Some(old)) => {
            if changed.is_empty() {
                return (None, Outcome::Unchanged { id: id.clone() });
            }
            (old.owner.clone(), update_command(id, &action, &changed))
        }
        _ => {
            match roadmap_for(look, &action.area, action.due) {
                Some(r) => action.roadmap = r,
                None => return (None, Outcome::Refused(vec![Refusal::new("import-no-roadmap", None, "")])),
            }
            (action.owner.clone(), Command::PlanAction(action.clone()))
        }
    };
    // The domain's own rules, as the write will apply them.
    let actor = Actor { party: party.clone(), member: None };
    match decide(state, &actor, &command) {
        Err(e) => {
            let field = match e.field() {
                Some("due") => Some("due"),
                Some("progress") => Some("progress"),
                Some("title") => Some("title"),
                Some("unit") => Some("unit"),
                _ => None,
            };
            let mut r = Refusal::new(e.key(), field, e.to_string());
            r.domain = Some(e);
            (None, Outcome::Refused(vec![r]))
        }
        Ok(emits) if emits.is_empty() => match &v.id {
            Some(id) => (None, Outcome::Unchanged { id: id.clone() }),
            None => (None, Outcome::Refused(vec![Refusal::new("import-no-roadmap", None, "")])),
        },
        Ok(_) => match command {
            Command::PlanAction(a) => (Some(party), Outcome::Create(Box::new(a))),
            command => (
                Some(party),
                Outcome::Update { id: v.id.clone().unwrap_or_default(), changed, command: Box::new(command) },
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn dates_in_every_accepted_form() {
        assert_eq!(parse_date("2025-12-31"), Some(date(2025, 12, 31)));
        assert_eq!(parse_date("31/12/2025"), Some(date(2025, 12, 31)));
        assert_eq!(parse_date("03/04/2025"), Some(date(2025, 4, 3)));
        assert_eq!(parse_date("2025-11-18T10:30:00"), Some(date(2025, 11, 18)));
        assert_eq!(parse_date("18.11.2025 10:30"), Some(date(2025, 11, 18)));
        assert_eq!(parse_date("٣١/١٢/٢٠٢٥"), Some(date(2025, 12, 31)));
        assert_eq!(parse_date("46022"), Some(date(2025, 12, 31)));
        assert_eq!(parse_date("31/02/2025"), None);
        assert_eq!(parse_date("2025-13-01"), None);
        assert_eq!(parse_date("demain"), None);
    }

    #[test]
    fn neutralised_text_is_restored() {
        assert_eq!(restore("'=HYPERLINK(1)"), "=HYPERLINK(1)");
        assert_eq!(restore("'@SUM(1+1)"), "@SUM(1+1)");
        assert_eq!(restore("'-20 places"), "-20 places");
        assert_eq!(restore("l'armée"), "l'armée");
        assert_eq!(restore("'quoted'"), "'quoted'");
    }

    #[test]
    fn headers_are_found_in_any_language_without_bom_or_case() {
        let csv =
            "\u{FEFF}IDENTIFIANT;domaine;Action (français);Échéance;Colonne libre\r\n;Formation;Titre;31/12/2025;x\r\n";
        let m = read(csv.as_bytes()).unwrap();
        assert_eq!(m.lang, Lang::Fr);
        assert_eq!(m.columns, vec![Column::Id, Column::Area, Column::TitleFr, Column::Due]);
        assert_eq!(m.ignored, vec!["Colonne libre".to_string()]);
        let row = m.rows[0].values.clone().unwrap();
        assert_eq!((m.rows[0].row, row.due, row.area.as_deref()), (2, Some(date(2025, 12, 31)), Some("Formation")));
    }
}
