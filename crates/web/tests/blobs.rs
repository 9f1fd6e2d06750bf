//! Issue 6, follow-up: the files of shared documents travel between the two parties' nodes —
//! over signed HTTP sync (`GET /sync/v1/blobs/{hash}`) and inside bundles — and the file of a
//! one-party document never does. Two real nodes on loopback, one per party.

use crate::common::{self, pair, snapshot};

use lajna_demo as demo;
use lajna_domain::records::Document;
use lajna_domain::{Actor, Classification, Lang, LocalizedText, Marking, PartyCode, RecordKind, Releasability};
use lajna_ledger::sign_request;
use lajna_node::Node;
use lajna_node::documents::Upload;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn b3(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Registers a shared (both parties, UNCLASSIFIED) plain-text document on `node` for MAR;
/// returns (record id, BLAKE3 of its file).
async fn upload_shared(node: &Node, text: &str) -> (String, String) {
    let document = Document {
        title: LocalizedText::tri("تقرير مشترك", "Rapport commun", "Joint report"),
        language: Lang::Fr,
        date: None,
        marking: Marking { classification: Classification::Unclassified, releasable_to: Releasability::Both },
        blake3: String::new(),
        media_type: String::new(),
        size: 0,
        file_name: String::new(),
        links: vec![],
        illustrative: false,
    };
    let upload = Upload { bytes: text.as_bytes(), file_name: "rapport.txt".into(), declared_type: None };
    let mar = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    let id = node.register_document(None, &mar, &upload, document).await.unwrap();
    (id, b3(text.as_bytes()))
}

/// The demo's documents picked by property: (id, record) of the SECRET MAR-only one and of the
/// shared one.
async fn demo_documents(node: &Node) -> ((String, Document), (String, Document)) {
    node.with_state(|s| {
        let all = s.all::<Document>(RecordKind::Document);
        let secret = all
            .iter()
            .find(|(_, d)| {
                d.marking.classification == Classification::Secret
                    && d.marking.releasable_to == Releasability::Only(PartyCode::parse("MAR").unwrap())
            })
            .cloned()
            .expect("the demo has a SECRET MAR-only document");
        let shared = all
            .iter()
            .find(|(_, d)| d.marking.releasable_to == Releasability::Both)
            .cloned()
            .expect("the demo has a shared document");
        (secret, shared)
    })
    .await
}

/// Every file under `DATA/blobs`, as paths relative to it.
fn blob_files(data: &std::path::Path) -> Vec<String> {
    let root = data.join("blobs");
    let mut out = vec![];
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().strip_prefix(&root).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// A signed `GET /sync/v1/blobs/{hash}` with the node key at `key`: (status, body).
async fn signed_get(url: &str, hash: &str, key: &lajna_ledger::SecretKey) -> (u16, Vec<u8>) {
    let path = format!("/sync/v1/blobs/{hash}");
    let auth = sign_request(key, "GET", &path, &lajna_node::now_rfc3339(), b"").unwrap();
    let res = reqwest::Client::new()
        .get(format!("{url}{path}"))
        .header("x-lajna-node", &auth.node)
        .header("x-lajna-time", &auth.time)
        .header("x-lajna-nonce", &auth.nonce)
        .header("x-lajna-signature", &auth.signature)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_document_file_reaches_the_other_node_over_http_sync() {
    let (dir, mar, mli) = pair().await;
    let mli_data = dir.path().join("mli");
    let (_, (programme_id, programme)) = demo_documents(&mar.node).await;
    // The demo pair is split without copying files: the MLI node has the record, not the file,
    // and its page says so (translated) instead of failing.
    assert!(mli.node.with_state(|s| s.entry(&programme_id).is_some()).await);
    assert!(!mli.node.has_blob(&programme.blake3));
    let password = demo::demo_password(&mli_data).unwrap().0;
    let chair = common::new_client();
    let res = chair
        .post(format!("{}/api/v1/login", mli.url))
        .json(&serde_json::json!({"username": "mli-cochair", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let page = |lang: &'static str, id: String| {
        let (chair, url) = (chair.clone(), mli.url.clone());
        async move {
            let res = chair.get(format!("{url}/{lang}/documents/{id}")).send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    let html = page("fr", programme_id.clone()).await;
    assert!(html.contains("Fichier pas encore reçu"), "{html}");
    assert!(!html.contains(&format!("/documents/{programme_id}/file")));
    assert!(page("ar", programme_id.clone()).await.contains("لم يصل الملف بعد"));
    assert!(page("en", programme_id.clone()).await.contains("File not yet received"));

    // A new shared document on the MAR node; MAR pushes its record to MLI.
    let text = "Rapport commun n° 7 — échange d'expertise, fichier partagé zéphyrine\n";
    let (id, hash) = upload_shared(&mar.node, text).await;
    let r = mar.node.sync_with(&mli.url).await.unwrap();
    assert_eq!((r.sent, r.blobs_received, r.blobs_missing.len()), (1, 0, 0), "{r:?}");
    assert!(mli.node.with_state(|s| s.entry(&id).is_some()).await);
    assert!(!mli.node.has_blob(&hash));

    // The MAR node cannot serve the new file for now (moved away): the fetch fails, nothing
    // is written, the other file arrives, and the next sync retries.
    let stored = mar.node.dir.blob(&hash);
    let aside = dir.path().join("aside");
    std::fs::rename(&stored, &aside).unwrap();
    let r = mli.node.sync_with(&mar.url).await.unwrap();
    assert_eq!(r.blobs_received, 1, "{r:?}");
    assert_eq!(r.blobs_missing.len(), 1, "{r:?}");
    assert_eq!(r.blobs_missing[0].0, hash);
    assert!(r.blobs_missing[0].1.contains("404"), "{r:?}");
    assert!(!mli.node.has_blob(&hash));
    assert_eq!(blob_files(&mli_data), vec![format!("{}/{}", &programme.blake3[..2], &programme.blake3[2..])]);
    assert_eq!(b3(&mli.node.read_blob(&programme.blake3).unwrap()), programme.blake3);
    let html = page("fr", programme_id.clone()).await;
    assert!(!html.contains("Fichier pas encore reçu") && html.contains(&format!("/documents/{programme_id}/file")));

    // Its words are not searchable on the MLI node while the file is missing…
    let access = lajna_search::Access { party: PartyCode::parse("MLI").unwrap(), clearance: Classification::Secret };
    let found = |page: lajna_search::SearchPage| page.hits.iter().any(|h| h.id == id);
    assert!(!found(mli.node.search("zephyrine", &access, Lang::Fr, 10, 0).await.unwrap()));

    std::fs::rename(&aside, &stored).unwrap();
    let r = mli.node.sync_with(&mar.url).await.unwrap();
    assert_eq!((r.received, r.blobs_received, r.blobs_missing.len()), (0, 1, 0), "{r:?}");
    // …and are at once when it arrives, though no event came with it.
    assert!(found(mli.node.search("zephyrine", &access, Lang::Fr, 10, 0).await.unwrap()));
    let got = mli.node.read_blob(&hash).unwrap();
    assert_eq!(b3(&got), hash);
    assert_eq!(got, text.as_bytes());
    // The MLI co-chair downloads it from the MLI node.
    let res = chair.get(format!("{}/en/documents/{id}/file", mli.url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(b3(&res.bytes().await.unwrap()), hash);
    // Nothing more to fetch; the shared states agree.
    let r = mli.node.sync_with(&mar.url).await.unwrap();
    assert_eq!((r.blobs_received, r.blobs_missing.len()), (0, 0), "{r:?}");
    assert_eq!(snapshot(&mar.node).await, snapshot(&mli.node).await);
    assert!(mli.node.missing_shared_blobs().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_file_of_a_secret_one_party_document_is_never_served_to_a_peer() {
    let (dir, mar, mli) = pair().await;
    let ((secret_id, secret), (_, shared)) = demo_documents(&mar.node).await;
    assert!(mar.node.has_blob(&secret.blake3), "the MAR node holds the file (control)");
    let key = lajna_node::read_key(&dir.path().join("mli/keys/node-MLI.key")).unwrap();
    // The shared file is served to the MLI node key (control), byte for byte.
    let (status, body) = signed_get(&mar.url, &shared.blake3, &key).await;
    assert_eq!(status, 200);
    assert_eq!(b3(&body), shared.blake3);
    // The secret one answers exactly like a hash nobody knows.
    let (status, secret_body) = signed_get(&mar.url, &secret.blake3, &key).await;
    assert_eq!(status, 404);
    let (status, unknown_body) = signed_get(&mar.url, &b3(b"no such file"), &key).await;
    assert_eq!(status, 404);
    assert_eq!(secret_body, unknown_body);
    assert!(!contains(&secret_body, b"%PDF") && !contains(&secret_body, secret_id.as_bytes()));
    assert_eq!(signed_get(&mar.url, "not-a-hash", &key).await.0, 404);
    assert_eq!(signed_get(&mar.url, &secret.blake3.to_uppercase(), &key).await.0, 404);
    // Unsigned, signed by an uncertified key, or replayed: refused before any lookup.
    let path = format!("/sync/v1/blobs/{}", shared.blake3);
    let res = reqwest::Client::new().get(format!("{}{path}", mar.url)).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let stranger = lajna_ledger::SecretKey::from_seed([9; 32]);
    assert_eq!(signed_get(&mar.url, &shared.blake3, &stranger).await.0, 401);
    let auth = sign_request(&key, "GET", &path, &lajna_node::now_rfc3339(), b"").unwrap();
    let send = || {
        reqwest::Client::new()
            .get(format!("{}{path}", mar.url))
            .header("x-lajna-node", &auth.node)
            .header("x-lajna-time", &auth.time)
            .header("x-lajna-nonce", &auth.nonce)
            .header("x-lajna-signature", &auth.signature)
            .send()
    };
    assert_eq!(send().await.unwrap().status(), 200);
    assert_eq!(send().await.unwrap().status(), 401, "a replayed request");
    // A request signed for another path does not open this one.
    let auth = sign_request(&key, "GET", "/sync/v1/blobs/x", &lajna_node::now_rfc3339(), b"").unwrap();
    let res = reqwest::Client::new()
        .get(format!("{}{path}", mar.url))
        .header("x-lajna-node", &auth.node)
        .header("x-lajna-time", &auth.time)
        .header("x-lajna-nonce", &auth.nonce)
        .header("x-lajna-signature", &auth.signature)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // After a full sync the MLI node holds the shared file and not the secret one.
    mli.node.sync_with(&mar.url).await.unwrap();
    assert!(mli.node.has_blob(&shared.blake3));
    assert!(!mli.node.has_blob(&secret.blake3));
    assert_eq!(blob_files(&dir.path().join("mli")).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundles_carry_shared_files_only_and_import_them_all_or_nothing() {
    let (dir, mar, mli) = pair().await;
    let mli_data = dir.path().join("mli");
    let ((_, secret), (_, programme)) = demo_documents(&mar.node).await;
    let secret_bytes = mar.node.read_blob(&secret.blake3).unwrap();
    let text = "Compte rendu partagé, transporté sur clé USB — 8812\n";
    let (id, hash) = upload_shared(&mar.node, text).await;

    // What the bundles hold: the new shared file (and with --all, the demo's shared one), never
    // the secret file, its hash or its text.
    let (bundle, n) = mar.node.bundle_export(Some("MLI"), false).await.unwrap();
    assert_eq!(n, 1, "only the new event");
    let data = zstd::bulk::decompress(&bundle, 1 << 26).unwrap();
    assert!(contains(&data, text.as_bytes()) && contains(&data, hash.as_bytes()), "the new file (control)");
    assert!(!contains(&data, programme.blake3.as_bytes()), "a file whose record is not carried");
    let (all, _) = mar.node.bundle_export(Some("MLI"), true).await.unwrap();
    let all_data = zstd::bulk::decompress(&all, 1 << 26).unwrap();
    assert!(contains(&all_data, programme.blake3.as_bytes()) && contains(&all_data, text.as_bytes()));
    for (name, data) in [("new", &data), ("all", &all_data)] {
        assert!(!contains(data, &secret_bytes), "{name}: the secret file is in the bundle");
        assert!(!contains(data, secret.blake3.as_bytes()), "{name}: the secret file's hash is in the bundle");
        assert!(!contains(data, b"Threat assessment"), "{name}: the secret text is in the bundle");
    }

    let before = (snapshot(&mli.node).await, blob_files(&mli_data));
    // A blob altered in the bundle: nothing is imported.
    let mut altered = data.clone();
    let last = altered.len() - 1;
    altered[last] ^= 0x01;
    let err = mli.node.bundle_import(&zstd::bulk::compress(&altered, 3).unwrap()).await.unwrap_err();
    assert_eq!(err.code(), "bundle-corrupt", "{err}");
    assert_eq!((snapshot(&mli.node).await, blob_files(&mli_data)), before);
    // Its events refused (a forged signature), its blob intact: no blob is kept.
    let (header, mut events, blobs) = lajna_ledger::bundle::read_bundle_with_blobs(&bundle, 1 << 26).unwrap();
    assert_eq!(blobs.len(), 1);
    events[0].sigs[0].sig = "11".repeat(64);
    let blob_bytes: Vec<&[u8]> = blobs.iter().map(|b| b.bytes.as_slice()).collect();
    let forged = lajna_ledger::bundle::write_bundle_with_blobs(header.clone(), &events, &blob_bytes).unwrap();
    assert_eq!(mli.node.bundle_import(&forged).await.unwrap_err().code(), "bad-signature");
    assert_eq!((snapshot(&mli.node).await, blob_files(&mli_data)), before);
    assert!(!mli.node.has_blob(&hash));
    // A blob no shared document references, slipped into a genuine bundle: not kept.
    let (_, events, _) = lajna_ledger::bundle::read_bundle_with_blobs(&bundle, 1 << 26).unwrap();
    let stray: &[u8] = b"a file no record names";
    let slipped = lajna_ledger::bundle::write_bundle_with_blobs(header, &events, &[text.as_bytes(), stray]).unwrap();
    let got = mli.node.bundle_import(&slipped).await.unwrap();
    assert_eq!((got.applied, got.blobs), (1, 1), "{got:?}");
    assert!(!mli.node.has_blob(&b3(stray)));
    assert_eq!(b3(&mli.node.read_blob(&hash).unwrap()), hash);
    assert!(mli.node.with_state(|s| s.entry(&id).is_some()).await);
    // The genuine bundle, again: nothing new; the file is there, BLAKE3 equal.
    let again = mli.node.bundle_import(&bundle).await.unwrap();
    assert_eq!((again.applied, again.duplicates, again.blobs), (0, 1, 0));
    assert_eq!(mli.node.read_blob(&hash).unwrap(), text.as_bytes());
    assert_eq!(snapshot(&mar.node).await, snapshot(&mli.node).await);
    // The whole record by bundle brings the demo's shared file too, and never the secret one.
    let got = mli.node.bundle_import(&all).await.unwrap();
    assert_eq!(got.blobs, 1, "{got:?}");
    assert_eq!(b3(&mli.node.read_blob(&programme.blake3).unwrap()), programme.blake3);
    assert!(!mli.node.has_blob(&secret.blake3));
    assert!(mli.node.missing_shared_blobs().await.is_empty());
    // A new Malian node joining from the whole record gets the shared files, not the secret one.
    let root = lajna_node::read_key(&dir.path().join("roots/root-MLI.key")).unwrap();
    let joined = lajna_node::sync::join(&dir.path().join("mli2"), &all, "MLI", &root, vec![]).await.unwrap();
    assert_eq!(b3(&joined.read_blob(&programme.blake3).unwrap()), programme.blake3);
    assert_eq!(joined.read_blob(&hash).unwrap(), text.as_bytes());
    assert!(!joined.has_blob(&secret.blake3));
    assert_eq!(blob_files(&dir.path().join("mli2")).len(), 2);
}
