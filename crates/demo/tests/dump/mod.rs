//! A dump of what a demo node holds, without what differs from one build to the next (keys,
//! signatures, times, and so event ids): every record in creation order with its kind, author,
//! Lamport clock, fields and sets, every event id replaced by a stable label (`#n`, the order of
//! its Lamport clock), then the charter and the node's demo users. Two builds of the same demo
//! give the same dump; `demo.json` and `pair.json` beside this file were taken from the code the
//! data file replaced (which listed the users from the store's rows: the same eight, or four on
//! each node of the pair).

use std::collections::BTreeMap;

use lajna_node::Node;
use serde_json::{Value, json};

/// Replaces every string equal to a labelled id, recursively.
fn relabel(value: &Value, labels: &BTreeMap<String, String>) -> Value {
    match value {
        Value::String(s) => Value::String(labels.get(s).cloned().unwrap_or_else(|| s.clone())),
        Value::Array(a) => Value::Array(a.iter().map(|v| relabel(v, labels)).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), relabel(v, labels))).collect()),
        other => other.clone(),
    }
}

/// The dump of `node` (see the module's comment).
pub async fn dump(node: &Node) -> Value {
    let (records, charter, labels) = node
        .with_state(|s| {
            // Every event id the state holds, with its Lamport clock: creations and set elements.
            let mut stamps = Vec::new();
            for (id, entry) in s.entries() {
                if let Some((stamp, _)) = &entry.created {
                    assert_eq!(&stamp.id, id);
                    stamps.push((stamp.lamport, stamp.id.clone()));
                }
                for set in entry.sets.values() {
                    stamps.extend(set.keys().map(|st| (st.lamport, st.id.clone())));
                }
            }
            stamps.sort();
            let lamports: Vec<i64> = stamps.iter().map(|(l, _)| *l).collect();
            let mut distinct = lamports.clone();
            distinct.dedup();
            assert_eq!(lamports, distinct, "one event per Lamport clock on a demo node");
            let labels: BTreeMap<String, String> =
                stamps.iter().enumerate().map(|(n, (_, id))| (id.clone(), format!("#{}", n + 1))).collect();
            let mut records: Vec<(i64, Value)> = s
                .entries()
                .map(|(id, entry)| {
                    let (stamp, meta) = entry.created.as_ref().expect("every demo record was created");
                    let sets: serde_json::Map<String, Value> = entry
                        .sets
                        .iter()
                        .map(|(name, set)| {
                            let elements = set
                                .iter()
                                .map(|(st, v)| {
                                    let mut v = v.clone();
                                    if let Value::Object(m) = &mut v {
                                        m.remove("at");
                                        m.insert("lamport".into(), json!(st.lamport));
                                    }
                                    relabel(&v, &labels)
                                })
                                .collect();
                            (name.clone(), Value::Array(elements))
                        })
                        .collect();
                    let record = json!({
                        "id": labels[id],
                        "kind": entry.kind.code(),
                        "lamport": stamp.lamport,
                        "party": meta.party,
                        "member": meta.member.as_ref().map(|m| labels.get(m).cloned().unwrap_or_else(|| m.clone())),
                        "private": entry.is_private(),
                        "version": labels.get(&entry.version()).cloned().unwrap_or_else(|| entry.version()),
                        "fields": relabel(&Value::Object(entry.content()), &labels),
                        "sets": Value::Object(sets),
                    });
                    (stamp.lamport, record)
                })
                .collect();
            records.sort_by_key(|(l, _)| *l);
            let charter = serde_json::to_value(s.charter()).expect("the charter is JSON");
            (records.into_iter().map(|(_, r)| r).collect::<Vec<_>>(), charter, labels)
        })
        .await;
    // The demo's users this node holds (`user_for_import` refuses a disabled one: none is).
    let mut users = Vec::new();
    for (username, _, _) in lajna_demo::DEMO_USERS {
        let u = match node.user_for_import(username).await {
            Ok(u) => u,
            Err(lajna_node::NodeError::Auth(lajna_node::auth::AuthError::NoSuchUser(_))) => continue,
            Err(e) => panic!("{username}: {e}"),
        };
        users.push(json!({
            "username": u.username,
            "party": u.party.as_str(),
            "role": u.role.code(),
            "member": u.member.map(|m| labels.get(&m).cloned().unwrap_or(m)),
            "clearance": u.clearance.code(),
            "disabled": false,
        }));
    }
    users.sort_by(|a, b| a["username"].as_str().cmp(&b["username"].as_str()));
    json!({ "charter": charter, "reference_date": node.today().to_string(), "records": records, "users": users })
}
