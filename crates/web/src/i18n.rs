//! The message catalogues live in `lajna-i18n`, shared with the CLI, the report and the
//! spreadsheets; pages use them through this re-export.

pub use lajna_i18n::{Arg, Catalog, Tr};
