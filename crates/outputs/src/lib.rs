//! Files for people: the follow-up matrix (the spreadsheet view of the roadmap, DESIGN.md §1)
//! as XLSX and CSV and read back ([`import`]: file → row-by-row plan), and the committee's calendar as iCalendar ([`calendar`]). Pure: records in, bytes out; the CLI and the web write or send them.
//!
//! Rules kept here: CSV is UTF-8 with a BOM so that Excel shows Arabic (case C07) and quotes as
//! RFC 4180 says; a text cell that a spreadsheet would read as a formula (`= + - @`, TAB, CR) is
//! neutralised in CSV with a leading apostrophe and written as a plain string cell in XLSX,
//! never as a formula (case C08); numeric columns stay numbers.
//!
//! Charts ([`charts`]): progress by area, done actions over time and the Gantt of the roadmap
//! as accessible SVG text, mirrored for Arabic — inline on the dashboard and roadmap pages, and
//! embedded in the PDF report (`lajna-report`).

pub mod calendar;
pub mod charts;
pub mod download;
pub mod import;
pub mod import_report;
pub mod matrix;
pub mod values;

pub use calendar::{committee_calendar, committee_calendar_for};
pub use matrix::{MatrixError, MatrixRow, rows, to_csv, to_xlsx};
