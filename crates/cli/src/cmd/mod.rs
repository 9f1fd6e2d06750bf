//! One module per command: each owns its clap `Args` and a `run(args)` that returns the exit
//! code (0 ok, 1 verification or a refusal, 2 is `main`'s for an error). What several share is
//! in `common`, once.

pub mod backup;
pub mod bundle;
pub mod common;
pub mod config;
pub mod demo;
pub mod doc;
pub mod export;
pub mod feed;
pub mod import;
pub mod init;
pub mod join;
pub mod keys;
pub mod log;
pub mod notify;
pub mod pv;
pub mod rebuild;
pub mod reindex;
pub mod report;
pub mod restore;
pub mod search;
pub mod serve;
pub mod sync;
pub mod user;
pub mod verify;
