//! The Prometheus text exposition format's two helpers, shared by the node's metrics and the
//! web's (`lajna_node::metrics` re-exports them).

use std::fmt::Write as _;

/// The `# HELP` and `# TYPE` lines of a metric family.
pub fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// A label value as the exposition format quotes it: `\`, `"` and newlines escaped.
#[must_use]
pub fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
