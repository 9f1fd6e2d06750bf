//! The demo as data: `committee.toml` builds exactly the demo the Rust code of `lajna-node`
//! built before it (the dump taken then, `dump/demo.json` and `dump/pair.json`); `small.toml`
//! builds its few records; a data file with a mistake is refused naming the file, the step and
//! the field, before anything is written.

mod dump;

use lajna_demo::{Demo, LoadError};
use lajna_domain::records::{Action, Roadmap};
use lajna_domain::{RecordKind, adoption};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dump").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The first difference between two dumps, as a path and both values (a readable failure).
fn first_difference(path: &str, got: &Value, want: &Value) -> Option<String> {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            let keys: std::collections::BTreeSet<&String> = g.keys().chain(w.keys()).collect();
            keys.into_iter().find_map(|k| {
                first_difference(
                    &format!("{path}.{k}"),
                    g.get(k).unwrap_or(&Value::Null),
                    w.get(k).unwrap_or(&Value::Null),
                )
            })
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            g.iter().zip(w).enumerate().find_map(|(i, (g, w))| first_difference(&format!("{path}[{i}]"), g, w))
        }
        _ if got == want => None,
        _ => Some(format!("{path}: got {got}, want {want}")),
    }
}

#[tokio::test]
async fn the_data_file_builds_the_demo_the_code_built() {
    let dir = tempfile::tempdir().unwrap();
    let node = lajna_demo::build(&dir.path().join("demo")).await.unwrap();
    let got = dump::dump(&node).await;
    let want = fixture("demo.json");
    assert_eq!(first_difference("", &got, &want), None);
    assert_eq!(got, want);
    assert_eq!(got["records"].as_array().unwrap().len(), 39);
}

#[tokio::test]
async fn the_data_file_builds_the_pair_the_code_built() {
    let dir = tempfile::tempdir().unwrap();
    let (mar, mli) = lajna_demo::build_pair(dir.path()).await.unwrap();
    let got = serde_json::json!({ "mar": dump::dump(&mar).await, "mli": dump::dump(&mli).await });
    let want = fixture("pair.json");
    assert_eq!(first_difference("", &got, &want), None);
    // The SECRET document, MAR only, stays on the Moroccan node.
    assert_eq!(got["mar"]["records"].as_array().unwrap().len(), 39);
    assert_eq!(got["mli"]["records"].as_array().unwrap().len(), 38);
}

#[test]
fn the_charter_is_the_article_s_committee() {
    let charter = lajna_demo::charter();
    let codes: Vec<&str> = charter.parties.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["MAR", "MLI"]);
    assert_eq!(charter.founded, Some(jiff::civil::date(2025, 2, 17)));
    assert_eq!(charter.name.en.as_deref(), Some("Morocco–Mali Joint Military Committee of Experts"));
    assert_eq!(lajna_demo::small().unwrap().charter(), &charter);
}

#[tokio::test]
async fn the_small_committee_holds_its_few_records() {
    let dir = tempfile::tempdir().unwrap();
    let demo = lajna_demo::small().unwrap();
    assert_eq!(demo.len(), 11);
    let node = lajna_demo::build_from(&dir.path().join("small"), &demo).await.unwrap();
    let (counts, actions, roadmaps) = node
        .with_state(|s| {
            let mut counts = std::collections::BTreeMap::new();
            for (_, e) in s.entries() {
                *counts.entry(e.kind.code()).or_insert(0) += 1;
            }
            let roadmaps: Vec<Value> =
                s.all::<Roadmap>(RecordKind::Roadmap).iter().map(|(id, _)| s.entry(id).unwrap().doc(id)).collect();
            (counts, s.all::<Action>(RecordKind::Action), roadmaps)
        })
        .await;
    let counts: Vec<(&str, i32)> = counts.into_iter().collect();
    assert_eq!(counts, [("action", 3), ("area", 2), ("member", 2), ("roadmap", 1), ("session", 1)]);
    assert!(actions.iter().all(|(_, a)| a.illustrative));
    let overdue = lajna_domain::summary::overdue(&actions, node.today());
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(node.today(), lajna_demo::REFERENCE_DATE);
    // Endorsed by both co-chairs: adopted.
    assert!(adoption(&roadmaps[0], &node.parties()).adopted);
    // The co-chairs' users are linked to their members; the other roles have none.
    let mut linked = Vec::new();
    for (username, _, _) in lajna_demo::DEMO_USERS {
        if node.user_for_import(username).await.unwrap().member.is_some() {
            linked.push(username);
        }
    }
    assert_eq!(linked, ["mar-cochair", "mli-cochair"]);
}

#[test]
fn every_record_the_article_does_not_state_is_marked_illustrative() {
    // The facts of the article: its members named, areas, the mission, the communiqué, the
    // article, the first session. Every other step that creates a record says illustrative.
    let text = lajna_demo::COMMITTEE;
    let sections: Vec<(&str, &str)> = text
        .split("\n[[")
        .skip(1)
        .filter_map(|s| s.split_once("]]\n"))
        .filter(|(name, _)| !name.contains('.') && !["endorsement", "evidence"].contains(name))
        .collect();
    assert_eq!(sections.len(), 39);
    let facts: Vec<&str> =
        sections.iter().filter(|(_, body)| !body.contains("\nillustrative = true")).map(|(n, _)| *n).collect();
    assert_eq!(facts, ["member", "area", "area", "area", "area", "area", "mission", "communique", "press", "session"]);
}

fn load_error(text: &str) -> LoadError {
    Demo::parse("test.toml", text).unwrap_err()
}

/// The small committee's text with `from` replaced by `to` (once, and it must be there).
fn small_with(from: &str, to: &str) -> String {
    assert!(lajna_demo::SMALL.contains(from), "{from}");
    lajna_demo::SMALL.replacen(from, to, 1)
}

#[test]
fn a_mistake_in_the_data_file_is_named_by_file_step_and_field() {
    let field = |e: LoadError| match e {
        LoadError::Field { file, record, field, message } => (file, record, field, message),
        other => panic!("{other:?}"),
    };
    // A misspelt field.
    let (file, record, name, message) =
        field(load_error(&small_with("\nordinal = 2", "\nordinal = 2\nilustrative = true")));
    assert_eq!((file.as_str(), name.as_str(), message.as_str()), ("test.toml", "ilustrative", "no such field"));
    assert!(record.starts_with("area #2 \"logistics\" (line "), "{record}");
    // A reference to no step above.
    let (_, record, name, message) = field(load_error(&small_with("area = \"logistics\"", "area = \"logistic\"")));
    assert!(record.starts_with("action #2 (line "), "{record}");
    assert_eq!((name.as_str(), message.as_str()), ("area", "no step above has the key `logistic`"));
    // A reference to a record of another kind.
    let (_, _, name, message) = field(load_error(&small_with("roadmap = \"roadmap\"", "roadmap = \"session-1\"")));
    assert_eq!((name.as_str(), message.as_str()), ("roadmap", "`session-1` is a session, not a roadmap"));
    // A value the domain refuses, and a missing field.
    let (_, _, name, message) = field(load_error(&small_with("progress = 20", "progress = 120")));
    assert_eq!(name, "progress");
    assert!(message.contains("120"), "{message}");
    let (_, _, name, message) = field(load_error(&small_with("\nstatus = \"planned\"", "")));
    assert_eq!((name.as_str(), message.as_str()), ("status", "missing"));
    // Nested fields are named with their path.
    let (_, _, name, message) = field(load_error(&small_with("venue.zone =", "venue.zon = \"UTC\"\nvenue.zone =")));
    assert_eq!((name.as_str(), message.as_str()), ("venue.zon", "no such field"));
    let (_, record, name, message) =
        field(load_error(&small_with("name.en = \"Republic of Mali\"", "name.de = \"Mali\"")));
    assert_eq!((record.as_str(), name.as_str()), ("charter", "parties[1].name.de"));
    assert_eq!(message, "a language is `ar`, `fr` or `en`");
    // An unknown section is refused by the TOML reader, with its line.
    let e = load_error(&format!("{}\n[[acton]]\nby = \"MAR\"\n", lajna_demo::SMALL));
    assert!(
        matches!(&e, LoadError::Syntax { file, message } if file == "test.toml" && message.contains("acton")),
        "{e}"
    );
    // Display names all three.
    let e = load_error(&small_with("\nordinal = 2", ""));
    let line = lajna_demo::SMALL.lines().position(|l| l == "key = \"logistics\"").unwrap(); // the line below `[[area]]`
    assert_eq!(e.to_string(), format!("test.toml: area #2 \"logistics\" (line {line}), field `ordinal`: missing"));
}

#[tokio::test]
async fn a_step_the_domain_refuses_leaves_no_directory() {
    // The loader checks shapes and references; the domain's own rules (an action due before it
    // starts) refuse when the step runs, and the half-built directory is removed.
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::parse("test.toml", &small_with("due = 2025-06-30", "due = 2025-01-01")).unwrap();
    let path = dir.path().join("refused");
    let e = lajna_demo::build_from(&path, &demo).await.unwrap_err();
    assert!(matches!(e, lajna_demo::DemoError::Node(lajna_node::NodeError::Domain(_))), "{e:?}");
    assert!(!path.exists());
}

/// The demo's done actions say when they were done, between their start and the demo's
/// reference date: the "done over time" chart and the report place them on the committee's
/// date, not on the day the demo was built (which is after its reference date).
#[tokio::test]
async fn the_demos_done_actions_were_done_before_its_reference_date() {
    let dir = tempfile::tempdir().unwrap();
    let node = lajna_demo::build(&dir.path().join("demo")).await.unwrap();
    let done: Vec<(jiff::civil::Date, Option<jiff::civil::Date>)> = node
        .with_state(|s| {
            s.all::<Action>(RecordKind::Action)
                .into_iter()
                .filter(|(_, a)| a.status == lajna_domain::ActionStatus::Done)
                .map(|(_, a)| (a.start, a.completed))
                .collect()
        })
        .await;
    let mut completed: Vec<String> = done
        .iter()
        .map(|(start, completed)| {
            let c = completed.expect("a done action of the demo says when it was done");
            assert!(*start <= c && c <= lajna_demo::REFERENCE_DATE, "{start} … {c}");
            c.to_string()
        })
        .collect();
    completed.sort();
    assert_eq!(completed, ["2025-05-28", "2025-06-12", "2025-06-20"]);
}
