//! The Prometheus text exposition format (0.0.4, written by hand): its two helpers, shared by
//! the node's metrics and the web's (`lajna_node::metrics` re-exports them), and the web
//! server's own counters (requests by route and status, their durations, the dashboards made),
//! which `lajna_web::metrics` serves.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

/// The `# HELP` and `# TYPE` lines of a metric family.
pub fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// A label value as the exposition format quotes it: `\`, `"` and newlines escaped.
#[must_use]
pub fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Upper bounds of the request-duration histogram's buckets, seconds.
pub const DURATION_BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The route of a request not matched by any route (404 pages, the fallback).
pub const UNMATCHED: &str = "unmatched";

/// The web server's request counts (by route and HTTP status) and durations since it started.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Requests by (route, status).
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    /// Durations by route.
    durations: Mutex<BTreeMap<String, Histogram>>,
}

/// One route's request durations.
#[derive(Debug, Default)]
struct Histogram {
    /// Requests at or under each bound of [`DURATION_BUCKETS`] (cumulative).
    buckets: [u64; DURATION_BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, route: &str, status: u16, seconds: f64) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route.to_string(), status)).or_default() += 1;
        }
        if let Ok(mut durations) = self.durations.lock() {
            let h = durations.entry(route.to_string()).or_default();
            for (bucket, bound) in h.buckets.iter_mut().zip(DURATION_BUCKETS) {
                if seconds <= bound {
                    *bucket += 1;
                }
            }
            h.sum += seconds;
            h.count += 1;
        }
    }

    /// The request counters and duration histograms, as exposition text.
    pub fn write_requests(&self, out: &mut String) {
        family(out, "lajna_http_requests_total", "counter", "HTTP requests answered, by matched route and status.");
        if let Ok(requests) = self.requests.lock() {
            for ((route, status), n) in requests.iter() {
                let _ =
                    writeln!(out, "lajna_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}", escape(route));
            }
        }
        family(
            out,
            "lajna_http_request_duration_seconds",
            "histogram",
            "Time from a request's arrival to its response's headers, by matched route, seconds.",
        );
        if let Ok(durations) = self.durations.lock() {
            for (route, h) in durations.iter() {
                let route = escape(route);
                for (n, bound) in h.buckets.iter().zip(DURATION_BUCKETS) {
                    let _ = writeln!(
                        out,
                        "lajna_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "lajna_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(out, "lajna_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
                let _ = writeln!(out, "lajna_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
            }
        }
    }
}

/// The dashboards made by readers, made again by writes, and shown stale while a write made
/// them (`counts` in the order of `lajna_views::cache::Hot::counts`).
pub fn write_pages(out: &mut String, counts: [u64; 3]) {
    family(
        out,
        "lajna_pages_made_total",
        "counter",
        "Dashboards made, by who made them: a reader who waited, or a write before it answered.",
    );
    let _ = writeln!(out, "lajna_pages_made_total{{by=\"reader\"}} {}", counts[0]);
    let _ = writeln!(out, "lajna_pages_made_total{{by=\"write\"}} {}", counts[1]);
    family(
        out,
        "lajna_pages_stale_total",
        "counter",
        "Dashboards shown from the generation before while a write or a reader made the current one.",
    );
    let _ = writeln!(out, "lajna_pages_stale_total {}", counts[2]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_counts_in_every_bucket_at_or_above_it() {
        let m = Metrics::default();
        m.observe("/x", 200, 0.03);
        let mut out = String::new();
        m.write_requests(&mut out);
        assert!(out.contains("lajna_http_requests_total{route=\"/x\",status=\"200\"} 1\n"), "{out}");
        assert!(out.contains("_bucket{route=\"/x\",le=\"0.025\"} 0\n"), "{out}");
        assert!(out.contains("_bucket{route=\"/x\",le=\"0.05\"} 1\n"), "{out}");
        assert!(out.contains("_bucket{route=\"/x\",le=\"+Inf\"} 1\n"), "{out}");
        assert!(out.contains("_count{route=\"/x\"} 1\n"), "{out}");
    }
}
