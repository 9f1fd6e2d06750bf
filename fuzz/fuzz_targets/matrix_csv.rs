//! The follow-up matrix reader on CSV files (`lajna_outputs::import::read_with`, issue 12):
//! separator sniffing, headers in three languages, dates and numbers, every limit of
//! `ImportLimits::default()`; never a panic.
#![no_main]

use lajna_outputs::import::{ImportLimits, read_with};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: lajna_fuzz::init(), |data: &[u8]| {
    // A ZIP package goes to the XLSX reader, which has its own target.
    if data.starts_with(b"PK\x03\x04") {
        return;
    }
    let limits = ImportLimits::default();
    if let Ok(matrix) = read_with(data, &limits) {
        for row in &matrix.rows {
            assert!(row.row <= limits.max_rows, "row {} past the limit", row.row);
        }
        assert!(matrix.columns.len() + matrix.ignored.len() <= limits.max_columns as usize);
    }
});
