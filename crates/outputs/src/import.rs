//! Reading a follow-up matrix back (issue 4): XLSX or CSV bytes in, a [`MatrixImport`] out
//! ([`read`]), then a row-by-row plan against the current state ([`plan`]). Both are pure: no IO,
//! no clock; the node authorises and writes the plan (`lajna_node::import`).
//!
//! What is accepted, and why:
//! - XLSX (first sheet) or CSV (UTF-8 with or without BOM, comma, semicolon or tab separated:
//!   the separator is the most frequent of the three outside quotes in the first line, so the
//!   `;` of a French or Arabic spreadsheet and the `,` of an English one both read, case C18);
//!   the first header never keeps a U+FEFF (case C07). A CSV file in another encoding (e.g.
//!   Windows-1256) is refused naming its first row that is not UTF-8, never decoded with U+FFFD
//!   (case C21).
//! - Headers in Arabic, French or English, the export's own ([`crate::matrix::headers`]),
//!   compared without case and without spaces; unknown columns are ignored and listed.
//! - Dates as date or date-time cells, Excel serial numbers (1900 system), ISO `2025-12-31`
//!   (with or without a time) or day first `31/12/2025` (`/`, `-` or `.`); a time of day is
//!   dropped, the date is taken as written (the matrix's zone, case C09). Never a serial number
//!   as a year.
//! - Numbers with Western, Arabic-Indic or Extended Arabic-Indic digits (case C03); progress
//!   may end with `%` or `٪`, and may carry a decimal mark (`,` or `.`) followed by one or two
//!   zeros (`40,0`); progress and the indicator's values are whole numbers, and `37,5` is
//!   refused as one (case C18). The indicator's achievement and the last update are computed
//!   columns, never read.
//! - The status as its code (`in_progress`) or its word in Arabic, French or English
//!   (`En cours`, `قيد الإنجاز`, `In progress`), compared without case, accents or spacing
//!   ([`lajna_i18n::WordTable`]), whatever the matrix language.
//! - A reason column: an action entering a delayed, blocked or cancelled status, or created in
//!   one, must state its reason there (the domain's rule, `ActionStatus::needs_reason`); a row
//!   without it is refused (`import-reason-required`), as is a row that empties the reason of
//!   an action still in such a status.
//! - The value columns (issue 18): what the action's owner pledged and delivered, read in the
//!   matrix's language and planned as a new pledge, a revision or a delivery of the difference
//!   ([`crate::values`]; a decimal point in a French or Arabic matrix, an unknown currency or a
//!   negative amount is refused with its column).
//! - Text that the export neutralised against formula injection (a leading apostrophe before
//!   `= + - @`, TAB or CR, case C08) is restored to the original text.
//!
//! Bounded (issue 12): [`read`] applies [`ImportLimits::default`], [`read_with`] given limits.
//! An XLSX package is checked before calamine opens it (which would otherwise allocate what
//! the file declares: one cell `XFD1048576` made it try 1.5 PB): every part is inflated
//! through a capped counting stream and scanned with quick-xml, and a reference, a row, the
//! dimension, a count or the text past a limit is refused with the cell and the limit named.
//! A CSV file is refused at its first record past a limit.

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

use jiff::civil::Date;
use lajna_domain::records::{Action, Area, Indicator, Roadmap};
use lajna_domain::values::parse_integer;
use lajna_domain::{ActionStatus, Actor, Command, DomainError, Lang, LocalizedText, PartyCode, Progress, RecordKind};
use lajna_domain::{State, decide, reference};
use lajna_i18n::{Catalog, WordTable};
use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Value};

use crate::matrix::headers;
use crate::values::{AmountCell, Made, ValueCells};

/// Why a file could not be read at all (as opposed to a refused row).
///
/// Every variant has a message key ([`ImportError::key`]) and its arguments
/// ([`ImportError::args`]); the English text of `Display` is for logs and the CLI.
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
    /// The file is larger than [`ImportLimits::max_file_bytes`].
    #[error("the file is {bytes} bytes, more than the {limit} bytes read; save only the matrix sheet")]
    FileTooLarge {
        /// Size of the file, bytes.
        bytes: u64,
        /// The limit, bytes.
        limit: u64,
    },
    /// The XLSX package has more parts than [`ImportLimits::max_entries`].
    #[error("the workbook has {parts} parts, more than {limit}; save only the matrix sheet in a new workbook")]
    TooManyParts {
        /// Parts the package declares.
        parts: u64,
        /// The limit.
        limit: u64,
    },
    /// A part of the XLSX package is itself an archive (ZIP, gzip, zstd, 7z, RAR, bzip2, xz).
    #[error("the workbook holds another archive ({part}); save only the matrix sheet, without embedded files")]
    NestedArchive {
        /// Name of the part in the package.
        part: String,
    },
    /// The parts of the XLSX package inflate to more than [`ImportLimits::max_inflated_bytes`]
    /// (a "zip bomb"); counted as they inflate, whatever sizes the package declares.
    #[error("the workbook inflates to more than {limit} bytes (at part {part}); save only the matrix sheet")]
    Inflated {
        /// The part being inflated when the limit was passed.
        part: String,
        /// The limit, bytes.
        limit: u64,
    },
    /// A cell or row reference of the XLSX sheet is not a reference within Excel's grid
    /// (A1 to XFD1048576).
    #[error("{cell} is not a cell reference of a spreadsheet (A1 to XFD1048576)")]
    BadReference {
        /// The reference as written (cut to 32 characters).
        cell: String,
    },
    /// A cell, a row or the sheet's dimension lies beyond [`ImportLimits::max_rows`].
    #[error("cell {cell} is beyond row {limit}; save only the matrix sheet, at most {limit} rows")]
    TooManyRows {
        /// The cell (`XFD1048576`), or the row as `20000:20000`.
        cell: String,
        /// The limit, rows.
        limit: u32,
    },
    /// A cell or the sheet's dimension lies beyond [`ImportLimits::max_columns`].
    #[error("cell {cell} is beyond column {limit}; save only the matrix columns, at most {limit}")]
    TooManyColumns {
        /// The cell (`BM2`).
        cell: String,
        /// The limit, columns.
        limit: u32,
    },
    /// More cells than [`ImportLimits::max_cells`].
    #[error("cell {cell} is one more than the limit of {limit} cells; save only the matrix sheet")]
    TooManyCells {
        /// The first cell past the limit.
        cell: String,
        /// The limit, cells.
        limit: u64,
    },
    /// The shared-string table declares or holds more than [`ImportLimits::max_shared_strings`].
    #[error("the workbook has more than {limit} shared strings; save only the matrix sheet")]
    TooManySharedStrings {
        /// The limit, strings.
        limit: u64,
    },
    /// More text than [`ImportLimits::max_shared_string_bytes`]: shared strings and cell text
    /// together, or one XML token alone.
    #[error("the workbook holds more than {limit} bytes of text; save only the matrix sheet")]
    TooMuchText {
        /// The limit, bytes.
        limit: u64,
    },
}

/// An argument of an [`ImportError`] message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageArg {
    /// A number (selects the plural form).
    Num(i64),
    /// A text.
    Text(String),
}

/// Whole mebibytes, rounded up (limits are shown in MB).
fn mebibytes(bytes: u64) -> MessageArg {
    MessageArg::Num(i64::try_from(bytes.div_ceil(1 << 20)).unwrap_or(i64::MAX))
}

fn num(n: impl TryInto<i64>) -> MessageArg {
    MessageArg::Num(n.try_into().unwrap_or(i64::MAX))
}

impl ImportError {
    /// Message key for the UI catalogues (`import.ftl`).
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::Unreadable(_) => "import-file-unreadable",
            Self::NotUtf8 { .. } => "import-file-not-utf8",
            Self::NoHeader => "import-file-no-header",
            Self::FileTooLarge { .. } => "import-too-large",
            Self::TooManyParts { .. } => "import-file-too-many-parts",
            Self::NestedArchive { .. } => "import-file-nested-archive",
            Self::Inflated { .. } => "import-file-inflated",
            Self::BadReference { .. } => "import-file-bad-reference",
            Self::TooManyRows { .. } => "import-file-too-many-rows",
            Self::TooManyColumns { .. } => "import-file-too-many-columns",
            Self::TooManyCells { .. } => "import-file-too-many-cells",
            Self::TooManySharedStrings { .. } => "import-file-too-many-strings",
            Self::TooMuchText { .. } => "import-file-too-much-text",
        }
    }

    /// The arguments of the message [`ImportError::key`] (byte limits as `mb`, whole MB).
    #[must_use]
    pub fn args(&self) -> Vec<(&'static str, MessageArg)> {
        let text = |s: &str| MessageArg::Text(s.to_string());
        match self {
            Self::Unreadable(_) | Self::NoHeader => vec![],
            Self::NotUtf8 { row } => vec![("row", num(*row))],
            Self::FileTooLarge { limit, .. } => vec![("mb", mebibytes(*limit))],
            Self::TooManyParts { parts, limit } => vec![("parts", num(*parts)), ("limit", num(*limit))],
            Self::NestedArchive { part } => vec![("part", text(part))],
            Self::Inflated { part, limit } => vec![("part", text(part)), ("mb", mebibytes(*limit))],
            Self::BadReference { cell } => vec![("cell", text(cell))],
            Self::TooManyRows { cell, limit } | Self::TooManyColumns { cell, limit } => {
                vec![("cell", text(cell)), ("limit", num(*limit))]
            }
            Self::TooManyCells { cell, limit } => vec![("cell", text(cell)), ("limit", num(*limit))],
            Self::TooManySharedStrings { limit } => vec![("limit", num(*limit))],
            Self::TooMuchText { limit } => vec![("mb", mebibytes(*limit))],
        }
    }
}

/// How much of a file [`read_with`] reads before refusing it (issue 12): each limit is checked
/// while the file is read, before calamine or the CSV reader allocates for what it declares.
/// Sizes a file declares (of its ZIP entries, a sheet's dimension, the shared-string count) are
/// never trusted: bytes are counted as they inflate, cells as they are read.
///
/// [`ImportLimits::default`] fits a follow-up matrix many times over (15 columns, one row per
/// action) and keeps the memory of a read to tens of MB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportLimits {
    /// Size of the file as uploaded, bytes (XLSX and CSV). Default 16 MiB, the web upload limit.
    pub max_file_bytes: u64,
    /// XLSX: bytes of every part of the package once inflated, together, counted while
    /// inflating (never the sizes the package declares). Default 64 MiB.
    pub max_inflated_bytes: u64,
    /// XLSX: parts (ZIP entries) of the package. Default 100 (an Excel workbook has about 10).
    pub max_entries: u64,
    /// Highest row number (1-based, the header row included) of any cell, row or dimension of
    /// an XLSX sheet, or record of a CSV file. Default 10,000.
    pub max_rows: u32,
    /// Highest column number (A = 1) of any cell or dimension of an XLSX sheet, or fields of a
    /// CSV record. Default 64 (the matrix has 15).
    pub max_columns: u32,
    /// Cells of the workbook (every `<c>` of every sheet) or fields of the CSV file. Default
    /// 200,000.
    pub max_cells: u64,
    /// XLSX: strings of the shared-string table, as counted (`<si>`) and as declared
    /// (`uniqueCount`, which calamine would reserve). Default 200,000.
    pub max_shared_strings: u64,
    /// XLSX: bytes of text of the shared strings and of the cells (inline strings, values)
    /// together, as stored; no single XML token may be longer either. Default 16 MiB.
    pub max_shared_string_bytes: u64,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 16 << 20,
            max_inflated_bytes: 64 << 20,
            max_entries: 100,
            max_rows: 10_000,
            max_columns: 64,
            max_cells: 200_000,
            max_shared_strings: 200_000,
            max_shared_string_bytes: 16 << 20,
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
    /// Reference of the decision carried out (`D-2025/1-3`).
    Decision,
    /// Why the action is delayed, blocked or cancelled (matrix language).
    Reason,
    /// The indicator's achievement, percent (computed; ignored on import).
    Achievement,
    /// Value pledged by the owner party ([`crate::values`]).
    Pledged,
    /// Currency (ISO 4217 code) or unit in kind of the values.
    Currency,
    /// Value delivered.
    Delivered,
}

impl Column {
    /// Every column, in the export's order.
    pub const ALL: [Column; crate::matrix::COLUMNS] = [
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
        Column::Decision,
        Column::Reason,
        Column::Achievement,
        Column::Pledged,
        Column::Currency,
        Column::Delivered,
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
            Column::Decision => "decision",
            Column::Reason => "reason",
            Column::Achievement => "achievement",
            Column::Pledged => "pledged",
            Column::Currency => "currency",
            Column::Delivered => "delivered",
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
    /// Decision reference as written (`Some("")`: the column is there and the cell empty, no
    /// decision).
    pub decision: Option<String>,
    /// Reason (matrix language) as written (`Some("")`: the column is there and the cell
    /// empty, no reason stated).
    pub reason: Option<String>,
    /// The value cells as written; `None` when the matrix has none of the three columns.
    pub value: Option<ValueCells>,
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
    /// The id cell, when filled (also for a row with cell errors: its refusals name the party
    /// owning that action).
    pub id: Option<String>,
    /// The owner cell, when it reads as a party code (also for a row with cell errors).
    pub owner: Option<PartyCode>,
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

/// Reads a matrix from the bytes of an XLSX or CSV file (told apart by content, not name),
/// within [`ImportLimits::default`]; see [`read_with`].
///
/// # Errors
/// [`ImportError`] when the file cannot be read, passes a limit or has no matrix header; a bad
/// cell is not an error here but a refusal in its row.
pub fn read(bytes: &[u8]) -> Result<MatrixImport, ImportError> {
    read_with(bytes, &ImportLimits::default())
}

/// Reads a matrix from the bytes of an XLSX or CSV file within `limits`. An XLSX file is checked
/// first (every part inflated in a capped stream and scanned with a streaming XML reader: cell,
/// row and dimension references, cells, shared strings and text), and only then given to
/// calamine; a CSV file is refused at the first record past a limit.
///
/// # Errors
/// [`ImportError`] when the file cannot be read, passes a limit or has no matrix header.
pub fn read_with(bytes: &[u8], limits: &ImportLimits) -> Result<MatrixImport, ImportError> {
    let size = bytes.len() as u64;
    if size > limits.max_file_bytes {
        return Err(ImportError::FileTooLarge { bytes: size, limit: limits.max_file_bytes });
    }
    let grid = if bytes.starts_with(b"PK\x03\x04") {
        check_xlsx(bytes, limits)?;
        xlsx_grid(bytes)?
    } else {
        csv_grid(bytes, limits)?
    };
    parse_grid(grid)
}

/// Excel's own grid: 1,048,576 rows × 16,384 columns (XFD1048576).
const EXCEL_ROWS: u32 = 1 << 20;
const EXCEL_COLUMNS: u32 = 1 << 14;

/// Column letters of a 1-based column number (`1` → `A`, `65` → `BM`).
fn column_letters(mut column: u32) -> String {
    let mut out = Vec::new();
    while column > 0 {
        column -= 1;
        out.push(b'A' + (column % 26) as u8);
        column /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A reference as written, cut for a message.
fn as_written(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    match text.char_indices().nth(32) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.into_owned(),
    }
}

/// A row number of Excel's grid (1 to 1,048,576), digits only.
fn row_number(raw: &[u8]) -> Option<u32> {
    if raw.is_empty() || raw.len() > 7 || !raw.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = raw.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    (1..=EXCEL_ROWS).contains(&n).then_some(n)
}

/// (row, column), 1-based, of an A1 reference (`$` allowed, letters in either case), or `None`
/// when it is not a reference within Excel's grid (A1 to XFD1048576).
fn cell_ref(raw: &[u8]) -> Option<(u32, u32)> {
    let raw = raw.strip_prefix(b"$").unwrap_or(raw);
    let letters = raw.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if !(1..=3).contains(&letters) {
        return None;
    }
    let column = raw[..letters].iter().fold(0u32, |c, l| c * 26 + u32::from(l.to_ascii_uppercase() - b'A') + 1);
    let rest = &raw[letters..];
    let row = row_number(rest.strip_prefix(b"$").unwrap_or(rest))?;
    (column <= EXCEL_COLUMNS).then_some((row, column))
}

/// The raw value of attribute `name` as calamine reads it: the first attribute with exactly
/// that key, not unescaped. `Err` on a malformed attribute list (calamine refuses it too).
fn raw_attr<'a>(e: &'a BytesStart<'_>, name: &[u8]) -> Result<Option<&'a [u8]>, ()> {
    let raw = e.attributes_raw().as_bytes();
    let mut pos = 0;
    loop {
        while raw.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        if pos >= raw.len() {
            return Ok(None);
        }
        let start = pos;
        while raw.get(pos).is_some_and(|b| *b != b'=') {
            pos += 1;
        }
        if pos >= raw.len() {
            return Err(());
        }
        let key = raw[start..pos].trim_ascii_end();
        pos += 1;
        while raw.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        let quote = match raw.get(pos) {
            Some(q @ (b'"' | b'\'')) => *q,
            _ => return Err(()),
        };
        pos += 1;
        let start = pos;
        while raw.get(pos).is_some_and(|b| *b != quote) {
            pos += 1;
        }
        let value = &raw[start..pos];
        pos += 1;
        if key == name {
            return Ok(Some(value));
        }
    }
}

/// Why a [`Meter`] stopped a read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hit {
    /// More bytes than allowed inflated.
    Inflated,
    /// More than `max_run` bytes without a `<`: one XML token longer than the text limit.
    Run,
}

/// Counts the bytes of one part as they inflate, and fails (for good) once more than `allowed`
/// came, or once `max_run` bytes went by without a `<` (so that no XML event, hence no buffer
/// of the XML reader, outgrows the text limit).
struct Meter<R> {
    inner: R,
    read: u64,
    allowed: u64,
    run: u64,
    max_run: u64,
    hit: Option<Hit>,
}

impl<R: Read> Read for Meter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.hit.is_some() {
            return Err(std::io::Error::other("import limit"));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.run = match buf[..n].iter().rposition(|b| *b == b'<') {
            Some(at) => (n - 1 - at) as u64,
            None => self.run + n as u64,
        };
        if self.read > self.allowed {
            self.hit = Some(Hit::Inflated);
        } else if self.run > self.max_run {
            self.hit = Some(Hit::Run);
        }
        if self.hit.is_some() {
            return Err(std::io::Error::other("import limit"));
        }
        Ok(n)
    }
}

/// The first bytes of the archive formats refused inside a workbook.
const ARCHIVE_MAGIC: [&[u8]; 9] = [
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\x1f\x8b",
    b"\x28\xb5\x2f\xfd",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"BZh",
    b"\xfd7zXZ\x00",
];

/// What the scan of the parts counted so far.
struct Tally<'l> {
    limits: &'l ImportLimits,
    inflated: u64,
    cells: u64,
    strings: u64,
    text: u64,
}

impl Tally<'_> {
    /// Refuses a position past the row or column limit; `cell` names it.
    fn within(&self, (row, column): (u32, u32), cell: impl FnOnce() -> String) -> Result<(), ImportError> {
        if row > self.limits.max_rows {
            return Err(ImportError::TooManyRows { cell: cell(), limit: self.limits.max_rows });
        }
        if column > self.limits.max_columns {
            return Err(ImportError::TooManyColumns { cell: cell(), limit: self.limits.max_columns });
        }
        Ok(())
    }

    fn text(&mut self, bytes: usize) -> Result<(), ImportError> {
        self.text += bytes as u64;
        if self.text > self.limits.max_shared_string_bytes {
            return Err(ImportError::TooMuchText { limit: self.limits.max_shared_string_bytes });
        }
        Ok(())
    }

    /// Checks a dimension (`A1:O11`): both corners.
    fn dimension(&self, raw: &[u8]) -> Result<(), ImportError> {
        let corners: Vec<&[u8]> = raw.split(|b| *b == b':').collect();
        if corners.len() > 2 {
            return Err(ImportError::BadReference { cell: as_written(raw) });
        }
        for corner in corners {
            let at = cell_ref(corner).ok_or_else(|| ImportError::BadReference { cell: as_written(corner) })?;
            self.within(at, || as_written(corner))?;
        }
        Ok(())
    }
}

/// Scans one part as calamine would read it (same XML reader, same settings): the dimension,
/// rows and cells of a sheet (after `<sheetData>`, as calamine's cell reader), the shared-string
/// table, and the text of strings and cells. Stops quietly at an XML error (calamine stops
/// there too) or when the [`Meter`] below fails (the caller reads why).
fn scan_part<R: std::io::BufRead>(xml: &mut quick_xml::Reader<R>, tally: &mut Tally<'_>) -> Result<(), ImportError> {
    let malformed = |_| ImportError::Unreadable("malformed XML attributes in the workbook".into());
    let mut buf = Vec::new();
    let (mut in_sheet, mut row, mut next_column) = (false, 1u32, 1u32);
    let (mut in_string, mut in_cell) = (0u32, 0u32);
    loop {
        buf.clear();
        let Ok(event) = xml.read_event_into(&mut buf) else { return Ok(()) };
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "sheetData" => in_sheet = true,
                "dimension" => {
                    if let Some(raw) = raw_attr(&e, b"ref").map_err(malformed)? {
                        tally.dimension(raw)?;
                    }
                }
                "row" if in_sheet => {
                    if let Some(raw) = raw_attr(&e, b"r").map_err(malformed)? {
                        row = row_number(raw).ok_or_else(|| ImportError::BadReference { cell: as_written(raw) })?;
                        tally.within((row, 1), || format!("{row}:{row}"))?;
                    }
                }
                "c" if in_sheet => {
                    in_cell += 1;
                    let at = match raw_attr(&e, b"r").map_err(malformed)? {
                        Some(raw) => {
                            let at =
                                cell_ref(raw).ok_or_else(|| ImportError::BadReference { cell: as_written(raw) })?;
                            tally.within(at, || as_written(raw))?;
                            at
                        }
                        None => {
                            let at = (row, next_column);
                            tally.within(at, || format!("{}{}", column_letters(at.1), at.0))?;
                            at
                        }
                    };
                    next_column = at.1.saturating_add(1);
                    tally.cells += 1;
                    if tally.cells > tally.limits.max_cells {
                        let cell = format!("{}{}", column_letters(at.1), at.0);
                        return Err(ImportError::TooManyCells { cell, limit: tally.limits.max_cells });
                    }
                }
                "sst" => {
                    // calamine reserves room for the count it declares: only plain digits within
                    // the limit pass (a sign or spaces would be read by some parser, not by us).
                    if let Some(raw) = raw_attr(&e, b"uniqueCount").map_err(malformed)? {
                        if raw.is_empty() || !raw.iter().all(u8::is_ascii_digit) {
                            return Err(malformed(()));
                        }
                        let declared = String::from_utf8_lossy(raw).parse::<u64>().unwrap_or(u64::MAX);
                        if declared > tally.limits.max_shared_strings {
                            return Err(ImportError::TooManySharedStrings { limit: tally.limits.max_shared_strings });
                        }
                    }
                }
                "si" => {
                    in_string += 1;
                    tally.strings += 1;
                    if tally.strings > tally.limits.max_shared_strings {
                        return Err(ImportError::TooManySharedStrings { limit: tally.limits.max_shared_strings });
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "sheetData" => in_sheet = false,
                "row" if in_sheet => {
                    row = row.saturating_add(1);
                    next_column = 1;
                }
                "c" => in_cell = in_cell.saturating_sub(1),
                "si" => in_string = in_string.saturating_sub(1),
                _ => {}
            },
            Event::Text(t) if in_string + in_cell > 0 => tally.text(t.len())?,
            Event::CData(t) if in_string + in_cell > 0 => tally.text(t.len())?,
            Event::GeneralRef(r) if in_string + in_cell > 0 => tally.text(r.len() + 2)?,
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// The checks of [`read_with`] on an XLSX package, before calamine opens it: parts counted from
/// the central directory before it is loaded; then every part inflated through a [`Meter`] (at
/// most what is left of [`ImportLimits::max_inflated_bytes`], with [`Read::take`]), refused if it
/// is an archive, and scanned ([`scan_part`]).
fn check_xlsx(bytes: &[u8], limits: &ImportLimits) -> Result<(), ImportError> {
    let unreadable = |e: zip::result::ZipError| ImportError::Unreadable(e.to_string());
    let too_many = |parts: u64| ImportError::TooManyParts { parts, limit: limits.max_entries };
    let declared = zip::unstable::read::ZipIterable::try_new(Cursor::new(bytes), zip::read::Config::default())
        .map_err(unreadable)?
        .len() as u64;
    if declared > limits.max_entries {
        return Err(too_many(declared));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if archive.len() as u64 > limits.max_entries {
        return Err(too_many(archive.len() as u64));
    }
    let mut tally = Tally { limits, inflated: 0, cells: 0, strings: 0, text: 0 };
    for i in 0..archive.len() {
        let file = archive.by_index(i).map_err(unreadable)?;
        let part = String::from_utf8_lossy(file.name_raw()).into_owned();
        let allowed = limits.max_inflated_bytes.saturating_sub(tally.inflated);
        let mut meter = Meter {
            inner: file.take(allowed.saturating_add(1)),
            read: 0,
            allowed,
            run: 0,
            max_run: limits.max_shared_string_bytes,
            hit: None,
        };
        let mut head = Vec::with_capacity(8);
        let first = (&mut meter).take(8).read_to_end(&mut head);
        if first.is_ok() && ARCHIVE_MAGIC.iter().any(|m| head.starts_with(m)) {
            return Err(ImportError::NestedArchive { part });
        }
        if first.is_ok() {
            let mut xml = quick_xml::Reader::from_reader(BufReader::new(head.as_slice().chain(&mut meter)));
            let config = xml.config_mut();
            config.check_end_names = false;
            config.trim_text(false);
            config.check_comments = false;
            config.expand_empty_elements = true;
            scan_part(&mut xml, &mut tally)?;
        }
        // The rest of the part (after an XML error, or after the end of the document) is
        // counted too; the token limit only bounds what the XML reader buffers.
        meter.max_run = u64::MAX;
        let rest = std::io::copy(&mut meter, &mut std::io::sink());
        match meter.hit {
            Some(Hit::Inflated) => return Err(ImportError::Inflated { part, limit: limits.max_inflated_bytes }),
            Some(Hit::Run) => return Err(ImportError::TooMuchText { limit: limits.max_shared_string_bytes }),
            None => {
                first.and(rest).map_err(|e| ImportError::Unreadable(format!("{part}: {e}")))?;
            }
        }
        tally.inflated += meter.read;
    }
    Ok(())
}

fn xlsx_grid(bytes: &[u8]) -> Result<Vec<(u32, Vec<Cell>)>, ImportError> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
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

/// The separator of a CSV file: the most frequent of `,`, `;` and TAB outside quotes in its
/// first line (the header line: French and Arabic spreadsheets save with `;`, English ones with
/// `,`, case C18); `,` on a tie.
fn sniff_separator(text: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    [b',', b';', b'\t'].into_iter().zip(counts).max_by_key(|(s, n)| (*n, *s == b',')).map_or(b',', |(s, _)| s)
}

fn csv_grid(bytes: &[u8], limits: &ImportLimits) -> Result<Vec<(u32, Vec<Cell>)>, ImportError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_separator(bytes))
        .from_reader(bytes);
    let mut out = Vec::new();
    let mut fields = 0u64;
    for (i, record) in reader.byte_records().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if row > limits.max_rows {
            return Err(ImportError::TooManyRows { cell: format!("A{row}"), limit: limits.max_rows });
        }
        let record = record.map_err(|e| ImportError::Unreadable(e.to_string()))?;
        if record.len() as u64 > u64::from(limits.max_columns) {
            let cell = format!("{}{row}", column_letters(limits.max_columns.saturating_add(1)));
            return Err(ImportError::TooManyColumns { cell, limit: limits.max_columns });
        }
        fields += record.len() as u64;
        if fields > limits.max_cells {
            let column = u32::try_from(record.len() as u64 - (fields - limits.max_cells) + 1).unwrap_or(u32::MAX);
            let cell = format!("{}{row}", column_letters(column));
            return Err(ImportError::TooManyCells { cell, limit: limits.max_cells });
        }
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
    let statuses = WordTable::<ActionStatus>::new(Catalog::shared());
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
        rows.push(parse_row(row, &by_column, &statuses));
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

/// A whole percent typed with a decimal mark and one or two zeros (`40,0`, `40.00 %`, as a
/// spreadsheet formatting the cell with decimals saves it) without them; any other text as is.
fn whole_percent(text: &str) -> &str {
    let t = text.trim();
    let number = t.strip_suffix(['%', '٪']).unwrap_or(t).trim_end();
    match number.rsplit_once([',', '.']) {
        Some((whole, zeros)) if (1..=2).contains(&zeros.len()) && zeros.bytes().all(|b| b == b'0') => whole,
        _ => t,
    }
}

fn progress_of(cell: &Cell) -> Result<Progress, String> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
            Progress::new(*n as i64).map_err(|_| number_text(*n))
        }
        Cell::Text(t) => Progress::parse(whole_percent(t)).map_err(|_| t.trim().to_string()),
        other => Err(text_of(other)),
    }
}

fn parse_row(row: u32, cells: &HashMap<Column, Cell>, statuses: &WordTable<ActionStatus>) -> ParsedRow {
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
    v.decision = text(Column::Decision);
    v.reason = text(Column::Reason);
    let label = v
        .title_fr
        .clone()
        .filter(|t| !t.is_empty())
        .or_else(|| v.title_ar.clone().filter(|t| !t.is_empty()))
        .or_else(|| v.id.clone())
        .unwrap_or_default();
    // Blank as the text rule of the record sees it: spaces and invisible marks only (issue 17
    // item 7), so such a title is refused here as an empty cell is, not read as "remove both".
    let blank = |t: &Option<String>| {
        t.as_deref().unwrap_or("").chars().all(|c| c.is_whitespace() || lajna_domain::text::is_invisible(c))
    };
    if (v.title_ar.is_some() || v.title_fr.is_some()) && blank(&v.title_ar) && blank(&v.title_fr) {
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
        match statuses.parse(&t) {
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
    let value_columns = [Column::Pledged, Column::Currency, Column::Delivered];
    if value_columns.iter().any(|c| present(*c)) {
        let amount = |c: Column| match cell(c) {
            Cell::Number(n) => AmountCell { text: format!("{n}"), number: true },
            other => AmountCell { text: text_of(other), number: false },
        };
        // Amounts are read in the matrix language when the plan compares them ([`crate::values`]).
        v.value = Some(ValueCells {
            pledged: amount(Column::Pledged),
            unit: text_of(cell(Column::Currency)),
            delivered: amount(Column::Delivered),
        });
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
    let (id, owner) = (v.id.clone(), v.owner.clone());
    ParsedRow { row, values: if errors.is_empty() { Ok(v) } else { Err(errors) }, label, id, owner }
}

/// What importing one row would do.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A new action (planned in the roadmap of its area).
    Create(Box<Action>),
    /// Changes to an existing action, or to what its owner pledged on it.
    Update {
        /// Action id.
        id: String,
        /// Fields that change (`title`, `due`, `progress`, …, `pledged`, `delivered`).
        changed: Vec<&'static str>,
        /// The commands that write them, in order (the action's, then its pledge's).
        commands: Vec<Command>,
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
    /// The party owning the row's action, for people (a refusal names it): the action's
    /// recorded owner for a known id, else the owner cell; `None` when neither says.
    pub owner: Option<PartyCode>,
    /// What happens.
    pub outcome: Outcome,
}

impl PlannedRow {
    /// The commands to run for this row, in order; empty when it changes nothing.
    #[must_use]
    pub fn commands(&self) -> Vec<Command> {
        match &self.outcome {
            Outcome::Create(a) => vec![Command::PlanAction((**a).clone())],
            Outcome::Update { commands, .. } => commands.clone(),
            _ => vec![],
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
    /// The shared pledges on each action ([`crate::values::by_action`]).
    pledges: HashMap<String, Vec<Made>>,
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
            pledges: crate::values::by_action(state),
        }
    }
}

/// A per-language text with `lang` set to `text` (or removed when empty).
pub(crate) fn with_lang(mut t: LocalizedText, lang: Lang, text: &str) -> LocalizedText {
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
    decision: Option<Option<String>>,
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
                decision: None,
                reason: None,
                completed: None,
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
    if let Some(d) = decision {
        mark("decision", a.decision != d);
        a.decision = d;
    }
    if let Some(r) = &v.reason {
        let current = a.reason.as_ref().map(|t| shown(t, lang)).unwrap_or_default();
        if current != *r {
            mark("reason", true);
            a.reason = (!r.is_empty()).then(|| with_lang(a.reason.take().unwrap_or_default(), lang, r));
        }
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
/// when only status, progress and reason change (what action owners may do; the reason goes
/// with it whenever the status or the reason changes, as the domain asks), else a revision.
fn update_command(id: &str, new: &Action, changed: &[&'static str]) -> Command {
    if changed.iter().all(|f| matches!(*f, "status" | "progress" | "reason")) {
        let with_reason = changed.iter().any(|f| matches!(*f, "status" | "reason"));
        return Command::ReportProgress {
            completed: None,
            reason: if with_reason { new.reason.clone() } else { None },
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
/// (e.g. a due date before the start; checked with [`decide`], as the write will). The value
/// columns plan pledges and deliveries of the action's owner ([`crate::values::plan`]); `today`
/// (the importer's day) dates a new pledge and a delivery.
#[must_use]
pub fn plan(state: &State, import: &MatrixImport, today: Date) -> ImportPlan {
    let mut look = Lookups::new(state);
    let mut rows = Vec::with_capacity(import.rows.len());
    for parsed in &import.rows {
        let (party, outcome) = plan_row(state, import.lang, parsed, &mut look, today);
        let recorded = parsed.id.as_ref().and_then(|id| look.existing.get(id)).map(|a| a.owner.clone());
        let owner = recorded.or_else(|| parsed.owner.clone());
        rows.push(PlannedRow { row: parsed.row, label: parsed.label.clone(), party, owner, outcome });
    }
    ImportPlan { lang: import.lang, ignored: import.ignored.clone(), rows }
}

fn plan_row(
    state: &State,
    lang: Lang,
    parsed: &ParsedRow,
    look: &mut Lookups,
    today: Date,
) -> (Option<PartyCode>, Outcome) {
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
    let decision = match v.decision.as_deref() {
        None => None,
        Some("") => Some(None),
        Some(text) => match reference::decision_by_reference(state, text) {
            Some(id) => Some(Some(id)),
            None => {
                refusals.push(Refusal::new("import-unknown-decision", Some("decision"), text));
                None
            }
        },
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
    let (mut action, changed) = match apply_row(v, lang, area.as_deref(), decision, old) {
        Ok(x) => x,
        Err(r) => return (None, Outcome::Refused(r)),
    };
    // A delayed, blocked or cancelled action states why (the domain's rule): on entering the
    // status the row's reason cell must be filled, and it cannot be emptied while the status lasts.
    if action.status.needs_reason() {
        let stated = v.reason.as_deref().is_some_and(|r| !r.is_empty());
        let entering = old.is_none_or(|o| o.status != action.status);
        let emptied = action.reason.is_none() && old.is_some_and(|o| o.reason.is_some());
        if (entering && !stated) || emptied {
            return (
                None,
                Outcome::Refused(vec![Refusal::new("import-reason-required", Some("reason"), action.status.code())]),
            );
        }
    }
    // The value columns: pledges and deliveries of the action's owner, on a recorded action only
    // (a new action's id is known once it is signed).
    let (value_changed, value_commands) = match (&v.value, &v.id, old) {
        (Some(cells), Some(id), Some(old)) => {
            match crate::values::plan(look.pledges.get(id), &old.owner, id, action.due, cells, lang, today) {
                Ok(x) => x,
                Err(r) => return (None, Outcome::Refused(r)),
            }
        }
        (Some(cells), _, _) if *cells != ValueCells::default() => {
            let r = Refusal::new("import-value-new-action", Some("pledged"), "");
            return (None, Outcome::Refused(vec![r]));
        }
        _ => (vec![], vec![]),
    };
    let (party, command) = match (&v.id, old) {
        (Some(id), Some(old)) => {
            if changed.is_empty() && value_commands.is_empty() {
                return (None, Outcome::Unchanged { id: id.clone() });
            }
            (old.owner.clone(), (!changed.is_empty()).then(|| update_command(id, &action, &changed)))
        }
        _ => {
            match roadmap_for(look, &action.area, action.due) {
                Some(r) => action.roadmap = r,
                None => return (None, Outcome::Refused(vec![Refusal::new("import-no-roadmap", None, "")])),
            }
            (action.owner.clone(), Some(Command::PlanAction(action.clone())))
        }
    };
    // The domain's own rules, as the write will apply them: each command against the state as
    // it is (a row's commands touch different records: the action, then its pledge).
    let actor = Actor { party: party.clone(), member: None };
    let mut effective = false;
    let commands: Vec<(Command, bool)> =
        command.into_iter().map(|c| (c, false)).chain(value_commands.into_iter().map(|c| (c, true))).collect();
    for (command, is_value) in &commands {
        match decide(state, &actor, command) {
            Err(e) => {
                let field = match (e.field(), is_value, command) {
                    (_, true, Command::RecordDelivery { .. }) => Some("delivered"),
                    (_, true, _) => Some("pledged"),
                    (Some("due"), ..) => Some("due"),
                    (Some("progress"), ..) => Some("progress"),
                    (Some("title"), ..) => Some("title"),
                    (Some("unit"), ..) => Some("unit"),
                    (Some("reason"), ..) => Some("reason"),
                    _ => None,
                };
                let mut r = Refusal::new(e.key(), field, e.to_string());
                r.domain = Some(e);
                return (None, Outcome::Refused(vec![r]));
            }
            Ok(emits) => effective |= !emits.is_empty(),
        }
    }
    if !effective {
        return match &v.id {
            Some(id) => (None, Outcome::Unchanged { id: id.clone() }),
            None => (None, Outcome::Refused(vec![Refusal::new("import-no-roadmap", None, "")])),
        };
    }
    let commands: Vec<Command> = commands.into_iter().map(|(c, _)| c).collect();
    if let [Command::PlanAction(a)] = commands.as_slice() {
        return (Some(party), Outcome::Create(Box::new(a.clone())));
    }
    let mut changed = changed;
    changed.extend(value_changed);
    (Some(party), Outcome::Update { id: v.id.clone().unwrap_or_default(), changed, commands })
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

    /// Case C18: progress is a whole percent; a decimal mark followed by one or two zeros (a
    /// cell formatted with decimals) is read, `37,5` is refused as not whole, in either mark.
    #[test]
    fn progress_reads_whole_percents_written_with_either_decimal_mark() {
        let p = |t: &str| progress_of(&Cell::Text(t.into())).map(Progress::percent);
        assert_eq!(
            (p("40"), p("40,0"), p("40.00 %"), p("٤٠٫"), p("100,0%")),
            (Ok(40), Ok(40), Ok(40), Err("٤٠٫".into()), Ok(100))
        );
        assert_eq!(p("37,5"), Err("37,5".into()));
        assert_eq!(p("37.5"), Err("37.5".into()));
        assert_eq!(p("40,000"), Err("40,000".into()), "not a thousands separator either");
        assert_eq!(progress_of(&Cell::Number(37.5)), Err("37.5".into()));
    }

    /// Case C18: the separator is sniffed from the header line, outside quotes.
    #[test]
    fn the_separator_is_the_header_line_s_own() {
        assert_eq!(sniff_separator(b"Identifiant;Domaine;Statut\r\na,b,c,d,e\r\n"), b';');
        assert_eq!(sniff_separator(b"Id,Area,Status\na;b;c;d\n"), b',');
        assert_eq!(sniff_separator(b"\"Action; phase 2\";\"a;b\",x,y\n"), b',', "quoted separators do not count");
        assert_eq!(sniff_separator(b"Id\tArea\tStatus\n"), b'\t');
        assert_eq!(sniff_separator(b"Identifiant\n"), b',');
        let fr = "Identifiant;Statut;Avancement %\r\n;En cours;40,0\r\n";
        let v = read(fr.as_bytes()).unwrap().rows[0].values.clone().unwrap();
        assert_eq!((v.status, v.progress.map(Progress::percent)), (Some(ActionStatus::InProgress), Some(40)));
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
