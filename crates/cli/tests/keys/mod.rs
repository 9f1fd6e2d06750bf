//! Issue 16 item 5: node keys revoked (`lajna keys revoke`), two real nodes over HTTP (`lajna
//! serve`, `lajna sync`) and by bundle.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

use super::{lajna, text};

/// `lajna serve` on a free port; its base URL (`http://127.0.0.1:PORT`).
fn serve(data: &Path) -> (Child, String) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_lajna"))
        .args(["serve", "--data", data.to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut line).unwrap();
    let base = line.split(" on ").nth(1).and_then(|r| r.split("/ar/").next()).unwrap_or_default().to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");
    (server, base)
}

/// Copies a data directory no process holds (the leaked copy of a node's disk).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != "serve.lock" {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn doc_add(data: &Path, dir: &Path, title: &str) -> String {
    let file = dir.join(format!("{}.txt", title.replace(' ', "-")));
    std::fs::write(&file, format!("{title}\n")).unwrap();
    let out = lajna(&[
        "doc",
        "add",
        "--data",
        data.to_str().unwrap(),
        file.to_str().unwrap(),
        "--title",
        title,
        "--classification",
        "unclassified",
        "--releasable-to",
        "MAR+MLI",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    // "document ID registered": the id of the event that registered it.
    text(&out).split_whitespace().nth(1).unwrap().to_string()
}

/// `lajna verify`: (exit code, event count, output).
fn verify(data: &Path) -> (Option<i32>, usize, String) {
    let out = lajna(&["verify", "--data", data.to_str().unwrap()]);
    let s = text(&out);
    let n = s.lines().find_map(|l| l.strip_suffix(" events")).and_then(|n| n.parse().ok()).unwrap_or(0);
    (out.status.code(), n, s)
}

fn args<'a>(words: &'a [&'a str]) -> Output {
    lajna(words)
}

/// Must show: a node key is revoked on node A (MAR); node B (MLI), after syncing over HTTP,
/// refuses a new event signed with it — by HTTP (the leaked copy's sync is refused with the
/// problem `revoked-key`) and by bundle (refused whole, naming the event and the key, nothing
/// stored) — while every older event still verifies; `lajna verify` passes on both nodes.
#[test]
fn a_node_key_revoked_on_one_node_is_refused_by_the_other_over_http_and_by_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pair = d.join("pair");
    let out = lajna(&["demo", "--data", pair.to_str().unwrap(), "--nodes", "2", "--no-serve"]);
    assert!(out.status.success(), "{}", text(&out));
    let (mar, mli, root): (PathBuf, PathBuf, PathBuf) =
        (pair.join("mar"), pair.join("mli"), pair.join("roots/root-MAR.key"));
    let (m, l, r) = (mar.to_str().unwrap(), mli.to_str().unwrap(), root.to_str().unwrap());
    let keys = text(&args(&["keys", "list", "--data", m]));
    let old_key =
        keys.lines().find_map(|l| l.strip_prefix("MAR node ")).unwrap().split(' ').next().unwrap().to_string();

    // An older event of the key, synced to MLI over HTTP.
    let (mut mli_server, mli_url) = serve(&mli);
    let older = doc_add(&mar, d, "Avant la fuite");
    let out = args(&["sync", "--data", m, "--peer", &mli_url]);
    assert!(out.status.success() && text(&out).contains("1 sent"), "{}", text(&out));
    // The disk is copied: the key leaks.
    copy_dir(&mar, &d.join("leak"));

    // Revoking the key the node signs with is refused, nothing written; rotate, then revoke.
    let (_, before, _) = verify(&mar);
    let out = args(&["keys", "revoke", "--data", m, "--party", "MAR", "--root", r, "--key", &old_key]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("rotate it first"), "{}", text(&out));
    assert_eq!(verify(&mar).1, before);
    let out = args(&["keys", "rotate", "--data", m, "--party", "MAR", "--root", r]);
    assert!(out.status.success(), "{}", text(&out));
    let out = args(&["keys", "revoke", "--data", m, "--party", "MAR", "--root", r, "--retired", "--reason", "vol"]);
    assert!(out.status.success(), "{}", text(&out));
    let revocation = text(&out)
        .lines()
        .find_map(|l| l.strip_prefix(&format!("revoked node key {old_key} of MAR (revocation event ")))
        .map(|rest| rest.trim_end_matches(')').to_string())
        .unwrap_or_else(|| panic!("{}", text(&out)));
    assert_eq!(revocation.len(), 64);
    let newer = doc_add(&mar, d, "Apres la rotation");

    // MLI syncs with MAR over HTTP (MAR, restarted, serves with its new key): it pulls the new
    // key's certificate, the revocation and the newer event.
    let (mut mar_server, mar_url) = serve(&mar);
    let out = args(&["sync", "--data", l, "--peer", &mar_url]);
    assert!(out.status.success() && text(&out).contains("3 events received"), "{}", text(&out));
    let listed = text(&args(&["keys", "list", "--data", l]));
    assert!(listed.contains(&format!("MAR node {old_key} (node of MAR) revoked by event {revocation}")), "{listed}");
    let (code, held, said) = verify(&mli);
    assert_eq!(code, Some(0), "{said}");

    // The leaked copy writes with the old key; its sync with MLI is refused as revoked.
    let forged = doc_add(&d.join("leak"), d, "Ecrit avec la cle volee");
    let leak = d.join("leak");
    let out = args(&["sync", "--data", leak.to_str().unwrap(), "--peer", &mli_url]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains(&format!("{mli_url}/sync/v1/heads refused (401 revoked-key): signed by key {old_key} of MAR, revoked by event {revocation}")), "{said}");
    // Its bundle is refused whole, naming the event and the key; nothing stored.
    let bundle = d.join("leak.lajna");
    let out = args(&[
        "bundle",
        "export",
        "--data",
        leak.to_str().unwrap(),
        "--for",
        "MLI",
        "--out",
        bundle.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let out = args(&["bundle", "import", "--data", l, bundle.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "bundle refused, nothing imported: event {forged} is signed by key {old_key} of MAR, revoked by event {revocation}"
        )),
        "{}",
        text(&out)
    );
    let logged = text(&args(&["log", "--data", l, "--limit", "100000"]));
    assert!(!logged.contains(&forged[..12]), "{logged}");

    // Both nodes verify, every older event of the key included; MLI holds what it held.
    let (code, n, said) = verify(&mli);
    assert_eq!((code, n), (Some(0), held), "{said}");
    let (code, _, said) = verify(&mar);
    assert_eq!(code, Some(0), "{said}");
    let all = text(&args(&["log", "--data", l, "--limit", "100000"]));
    assert!(all.contains(&older[..12]) && all.contains(&newer[..12]), "{all}");
    for server in [&mut mli_server, &mut mar_server] {
        server.kill().unwrap();
        server.wait().unwrap();
    }
}
