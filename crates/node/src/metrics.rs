//! The node's own facts in the Prometheus text exposition format (0.0.4, written by hand; it is
//! a few lines): the shared log's size, events waiting for a parent, the store's generation,
//! each peer party's last exchange, the process's resident memory. The web layer adds its
//! request counters and serves the whole at `/metrics` (DESIGN.md §9). Counts, times and party
//! codes only, never a record's content.

use std::fmt::Write as _;

use lajna_store::PeerRow;

use crate::Node;

impl Node {
    /// The node's metrics as exposition text. A store read that fails leaves its lines out.
    pub async fn metrics_text(&self) -> String {
        let mut out = String::new();
        let status = self.sync_status().await;
        if let Ok(status) = &status {
            family(&mut out, "lajna_events_total", "counter", "Events in the shared log.");
            let _ = writeln!(out, "lajna_events_total {}", status.events);
            family(&mut out, "lajna_events_pending", "gauge", "Received events waiting for a parent.");
            let _ = writeln!(out, "lajna_events_pending {}", status.pending);
        }
        let help = "A number that grows with every change of the log, by any process.";
        family(&mut out, "lajna_store_generation", "gauge", help);
        let _ = writeln!(out, "lajna_store_generation {}", self.generation());
        if let Ok(status) = status {
            write_peers(&status.peers.into_iter().map(|(row, _)| row).collect::<Vec<_>>(), &mut out);
        }
        if let Some(bytes) = resident_memory_bytes() {
            family(&mut out, "lajna_process_resident_memory_bytes", "gauge", "Resident memory of this process, bytes.");
            let _ = writeln!(out, "lajna_process_resident_memory_bytes {bytes}");
        }
        out
    }
}

/// Each peer party's last exchange (time, whether it failed) and event totals, from the
/// node's sync status (the peers are the committee's parties this node does not write for).
fn write_peers(rows: &[PeerRow], out: &mut String) {
    family(
        out,
        "lajna_sync_last_exchange_timestamp_seconds",
        "gauge",
        "Time of the last sync exchange with a peer party (successful or not), Unix seconds.",
    );
    for row in rows {
        let at = row.last_sync_at.as_deref().and_then(|t| t.parse::<jiff::Timestamp>().ok());
        if let Some(at) = at {
            let _ = writeln!(
                out,
                "lajna_sync_last_exchange_timestamp_seconds{{peer=\"{}\"}} {}",
                escape(&row.party),
                at.as_second()
            );
        }
    }
    family(out, "lajna_sync_last_exchange_failed", "gauge", "1 when the last sync exchange with a peer party failed.");
    for row in rows.iter().filter(|r| r.last_sync_at.is_some()) {
        let failed = u8::from(row.last_error.is_some());
        let _ = writeln!(out, "lajna_sync_last_exchange_failed{{peer=\"{}\"}} {failed}", escape(&row.party));
    }
    family(out, "lajna_sync_events_received_total", "counter", "Events received from a peer party.");
    for row in rows {
        let _ = writeln!(out, "lajna_sync_events_received_total{{peer=\"{}\"}} {}", escape(&row.party), row.received);
    }
    family(out, "lajna_sync_events_refused_total", "counter", "Events from a peer party that were refused.");
    for row in rows {
        let _ = writeln!(out, "lajna_sync_events_refused_total{{peer=\"{}\"}} {}", escape(&row.party), row.refused);
    }
}

// The exposition format's helpers live in `lajna_door` (the web writes its own families).
pub use lajna_door::metrics::{escape, family};

/// This process's resident set size, from `VmRSS` of `/proc/self/status` (given in KiB, so no
/// page size is needed, unlike `/proc/self/statm`); `None` off Linux.
#[must_use]
pub fn resident_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape("a\nb"), "a\\nb");
    }
}
