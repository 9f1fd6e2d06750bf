//! Snapshots of the pages a secretariat reads most — dashboard, roadmap, action, session and
//! documents — over a fixed record: the store's log fixture (`store/tests/fixtures`, signed
//! events with fixed ids and times) on a node whose reference date is fixed. A change in what a
//! page shows, or in its read model, shows up as a reviewed snapshot diff
//! (`INSTA_UPDATE=always cargo test -p lajna-web --test it snapshots::`, then review the diff).

use lajna_ledger::SignedEvent;
use lajna_node::Node;
use lajna_store::Store;

use crate::common;

const LOG: &str = include_str!("../../store/tests/fixtures/demo-log.jsonl");
const PASSWORD: &str = "snapshot-password-2025";

/// A node holding exactly the fixture's record, with one MAR secretary, served.
async fn fixture_node(dir: &std::path::Path) -> common::Served {
    std::fs::write(
        dir.join("config.toml"),
        "parties = [\"MAR\"]\ndefault_language = \"fr\"\nreference_date = \"2025-06-15\"\n",
    )
    .unwrap();
    // A key of our own to open the node with: this node only reads (it signs nothing), so its
    // key needs no certificate in the record.
    let key = lajna_ledger::SecretKey::generate().unwrap();
    lajna_node::write_key(&lajna_node::DataDir(dir.to_path_buf()).node_key("MAR"), &key).unwrap();
    let store = Store::open(&dir.join("lajna.sqlite")).await.unwrap();
    for line in LOG.lines() {
        let event: SignedEvent = serde_json::from_str(line).unwrap();
        store.lock().await.receive(&event).await.unwrap();
    }
    drop(store);
    let node = Node::open(dir).await.unwrap();
    node.put_user("mar-secretary", "MAR", "secretary", None, PASSWORD).await.unwrap();
    common::serve(node).await
}

/// The page at `path` as the MAR secretary sees it, with the session's tokens masked.
async fn page(served: &common::Served, client: &reqwest::Client, csrf: &str, path: &str) -> String {
    let res = client.get(format!("{}{path}", served.url)).send().await.unwrap();
    assert_eq!(res.status(), 200, "GET {path}");
    res.text().await.unwrap().replace(csrf, "[csrf]")
}

/// The first id of `kind` in the fixture (creation events give their record their own id).
async fn first(node: &Node, kind: &str) -> String {
    let mut ids: Vec<String> = node.store().records(kind).await.unwrap().into_iter().map(|(id, _)| id).collect();
    ids.sort();
    ids.remove(0)
}

#[tokio::test]
async fn the_main_pages_of_a_fixed_record_are_as_snapshotted() {
    let dir = tempfile::tempdir().unwrap();
    let served = fixture_node(dir.path()).await;
    let (client, csrf) = common::login_at(&served.url, "mar-secretary", PASSWORD).await;
    let action = first(&served.node, "action").await;
    let session = first(&served.node, "session").await;
    let pages = [
        ("dashboard-fr", "/fr/".to_string()),
        ("dashboard-ar", "/ar/".to_string()),
        ("roadmap-fr", "/fr/roadmap".to_string()),
        ("action-fr", format!("/fr/actions/{action}")),
        ("session-ar", format!("/ar/sessions/{session}")),
        ("documents-fr", "/fr/documents".to_string()),
    ];
    for (name, path) in pages {
        let html = page(&served, &client, &csrf, &path).await;
        insta::assert_snapshot!(name, html);
    }
}

/// The read models behind those pages — pure functions of the reader's snapshot
/// ([`Node::read`]), today's date and a translator — over the same fixed record, so a change in
/// what a page is given (not only in how it is drawn) is a reviewed diff.
#[tokio::test]
async fn the_read_models_of_a_fixed_record_are_as_snapshotted() {
    use lajna_domain::{Clearance, Lang, PartyCode};
    use lajna_node::auth::{Role, User};
    use lajna_views::records::sessions::session_view;

    let dir = tempfile::tempdir().unwrap();
    let served = fixture_node(dir.path()).await;
    let node = &served.node;
    let party = PartyCode::parse("MAR").unwrap();
    let user = User {
        username: "mar-secretary".into(),
        party,
        role: Role::Secretary,
        member: None,
        clearance: Clearance::default(),
    };
    let (catalog, today) = (lajna_i18n::Catalog::load(), node.today());
    let tr = lajna_i18n::Tr { catalog: &catalog, lang: Lang::Fr };
    let snapshot = node.read(&user).await;
    let action = first(node, "action").await;
    let session = first(node, "session").await;
    let log = lajna_views::LogFacts {
        latest: lajna_door::Door::latest_events(&**node, 20).await.unwrap(),
        events: node.event_count().await.unwrap(),
        state_hash: node.state_hash().await.unwrap(),
        demo: false,
        currency: lajna_domain::money::Currency::MAD,
    };
    let dashboard = lajna_views::dashboard(&snapshot, log, tr, today).unwrap();
    insta::assert_snapshot!("model-dashboard-fr", format!("{dashboard:#?}"));
    let roadmap = lajna_views::roadmap::roadmap(&snapshot, &[], tr, today, |_| false);
    insta::assert_snapshot!("model-roadmap-fr", format!("{roadmap:#?}"));
    let history = lajna_door::Door::events_for_record(&**node, &action).await.unwrap();
    let action = lajna_views::action(&snapshot, &history, &action, Lang::Fr, today).unwrap();
    insta::assert_snapshot!("model-action-fr", format!("{action:#?}"));
    let ar = lajna_i18n::Tr { catalog: &catalog, lang: Lang::Ar };
    let session = session_view(&snapshot, ar, &session, today, Some(&user)).unwrap();
    insta::assert_snapshot!("model-session-ar", format!("{session:#?}"));
    let parties = node.parties_of_committee().await;
    let documents: Vec<_> =
        node.documents_for(&user).await.iter().map(|v| lajna_views::documents::row_of(v, Lang::Fr, &parties)).collect();
    insta::assert_snapshot!("model-documents-fr", format!("{documents:#?}"));
}
