//! The follow-up matrix reader on XLSX files (`lajna_outputs::import::read_with`, issue 12):
//! whatever the package declares, the read stays within `ImportLimits::default()` (checked
//! before calamine allocates) and never panics.
#![no_main]

use lajna_outputs::import::{ImportLimits, read_with};
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: lajna_fuzz::init(), |data: &[u8]| {
    // The CSV path has its own target; here only what is told apart as a ZIP package.
    if !data.starts_with(b"PK\x03\x04") {
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
