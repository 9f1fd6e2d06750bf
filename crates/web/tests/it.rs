//! The integration tests of lajna-web, in one test binary (one module per former file): each
//! links the whole server (typst and tantivy included), so one binary instead of thirteen saves
//! CI ~4 GB of disk and twelve links. Run one module with `cargo test -p lajna-web --test it documents::`.

#[path = "api.rs"]
mod api;
#[path = "attendance.rs"]
mod attendance;
#[path = "blobs.rs"]
mod blobs;
#[path = "browser.rs"]
mod browser;
#[path = "calendar.rs"]
mod calendar;
#[path = "changes.rs"]
mod changes;
#[path = "common/mod.rs"]
mod common;
#[path = "cycle.rs"]
mod cycle;
#[path = "delegation.rs"]
mod delegation;
#[path = "documents.rs"]
mod documents;
#[path = "endorse.rs"]
mod endorse;
#[path = "forms.rs"]
mod forms;
#[path = "hardening.rs"]
mod hardening;
#[path = "import.rs"]
mod import;
#[path = "metrics.rs"]
mod metrics;
#[path = "notifications.rs"]
mod notifications;
#[path = "openapi.rs"]
mod openapi;
#[path = "paging.rs"]
mod paging;
#[path = "processes.rs"]
mod processes;
#[path = "record.rs"]
mod record;
#[path = "records.rs"]
mod records;
#[path = "report_download.rs"]
mod report_download;
#[path = "resources.rs"]
mod resources;
#[path = "roadmap.rs"]
mod roadmap;
#[path = "search.rs"]
mod search;
#[path = "sessions.rs"]
mod sessions;
#[path = "sign_in.rs"]
mod sign_in;
#[path = "snapshots.rs"]
mod snapshots;
#[path = "sync.rs"]
mod sync;
#[path = "tls.rs"]
mod tls;
#[path = "typed_events.rs"]
mod typed_events;
#[path = "users.rs"]
mod users;
#[path = "web.rs"]
mod web;
