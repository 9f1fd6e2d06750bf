//! The `lajna` binary as a user runs it: demo, verify, export, log, rebuild, init, and an
//! attacker who edits one byte of the SQLite file.

use std::path::Path;
use std::process::{Command, Output};

use sqlx::Row;

mod help;
/// Issue 16 item 5: node keys revoked, two real nodes over HTTP and by bundle.
mod keys;
/// Issue 14: e-mails through a real SMTP server (aiosmtpd) and restarts of `lajna serve`.
mod notify;

fn lajna(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lajna")).args(args).env("RUST_LOG", "warn").output().expect("run lajna")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn demo(dir: &Path) -> String {
    let data = dir.join("data");
    let out = lajna(&["demo", "--data", data.to_str().unwrap(), "--no-serve"]);
    assert!(out.status.success(), "{}", text(&out));
    data.to_str().unwrap().to_string()
}

#[test]
fn demo_then_verify_prints_the_event_count_and_state_hash() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let out = lajna(&["verify", "--data", &data]);
    let s = text(&out);
    assert!(out.status.success(), "{s}");
    let events: usize = s.lines().find_map(|l| l.strip_suffix(" events")).unwrap().parse().unwrap();
    assert!(events >= 40, "{s}");
    let hash = s.lines().find_map(|l| l.strip_prefix("state hash ")).unwrap();
    assert_eq!(hash.len(), 64);
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
    // The log lists the shared events; verify also checks the private log, which in the demo
    // holds one event: its SECRET MAR-only document (issue 6).
    let log = lajna(&["log", "--data", &data]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count() + 1, events);
    // Rebuild appends nothing and gives the same hash.
    let rebuilt = text(&lajna(&["rebuild", "--data", &data]));
    assert_eq!(rebuilt.lines().next().unwrap(), format!("state hash {hash}"));
    assert!(text(&lajna(&["verify", "--data", &data])).contains(&format!("{events} events")));
}

#[test]
fn export_json_twice_is_byte_identical_and_holds_the_mission() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let a = lajna(&["export", "--data", &data, "--format", "json"]);
    let b = lajna(&["export", "--data", &data, "--format", "json"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let s = String::from_utf8(a.stdout).unwrap();
    assert!(s.contains("\"start\": \"2025-02-17\""), "mission date missing");
    assert!(s.contains("عبد الغني محب"), "head of delegation's Arabic name missing");
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(v["records"]["area"].as_array().unwrap().len(), 5);
}

#[test]
fn changing_one_character_of_a_stored_event_is_detected_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let db = Path::new(&data).join("lajna.sqlite");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let victim: String = rt.block_on(async {
        let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&format!("sqlite://{}", db.display())).await.unwrap();
        let id: String = sqlx::query("SELECT id FROM events WHERE kind = 'mission.scheduled'").fetch_one(&pool).await.unwrap().get(0);
        // The attacker removes the guard, then changes one character (Bamako → Bamaka).
        sqlx::query("DROP TRIGGER events_no_update").execute(&pool).await.unwrap();
        let changed = sqlx::query(
            "UPDATE events SET envelope = CAST(replace(CAST(envelope AS TEXT), '\"Bamako\"', '\"Bamaka\"') AS BLOB) WHERE id = ?",
        )
        .bind(&id)
        .execute(&pool)
        .await
        .unwrap();
        assert_eq!(changed.rows_affected(), 1);
        pool.close().await;
        id
    });
    let out = lajna(&["verify", "--data", &data]);
    let s = text(&out);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(s.contains(&format!("bad event {victim}")), "{s}");
    assert!(s.contains("altered"), "{s}");
}

#[test]
fn a_stored_event_altered_into_another_shape_fails_verify_naming_it() {
    // Found by scripts/reliability/tamper: a body that no longer reads as its kind stopped the
    // fold that opening runs, and `verify` exited 2 with an error instead of 1 with a failure.
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let db = Path::new(&data).join("lajna.sqlite");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let victim: String = rt.block_on(async {
        let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&format!("sqlite://{}", db.display())).await.unwrap();
        let id: String = sqlx::query("SELECT id FROM events WHERE kind = 'decision.recorded'").fetch_one(&pool).await.unwrap().get(0);
        sqlx::query("DROP TRIGGER events_no_update").execute(&pool).await.unwrap();
        let changed = sqlx::query(
            "UPDATE events SET envelope = CAST(replace(CAST(envelope AS TEXT), '\"set\":', '\"sat\":') AS BLOB) WHERE id = ?",
        )
        .bind(&id)
        .execute(&pool)
        .await
        .unwrap();
        assert_eq!(changed.rows_affected(), 1);
        pool.close().await;
        id
    });
    let out = lajna(&["verify", "--data", &data]);
    let s = text(&out);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(s.contains("FAILED") && s.contains(&format!("event {victim}")), "{s}");
}

#[test]
fn an_edited_party_private_projection_row_fails_verify_naming_the_record() {
    // Found by scripts/reliability/tamper: the party-private rows are outside the state hash,
    // and an edited one passed verify.
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let db = Path::new(&data).join("lajna.sqlite");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let record: String = rt.block_on(async {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        // The demo's SECRET, MAR-only threat assessment.
        let id: String = sqlx::query("SELECT id FROM private_records").fetch_one(&pool).await.unwrap().get(0);
        sqlx::query("UPDATE private_records SET doc = replace(doc, 'SECRET', 'UNCLASSIFIED') WHERE id = ?")
            .bind(&id)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        id
    });
    let out = lajna(&["verify", "--data", &data]);
    let s = text(&out);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(s.contains(&format!("bad event {record}")) && s.contains("party-private projection"), "{s}");
    assert!(lajna(&["rebuild", "--data", &data]).status.success());
    assert!(lajna(&["verify", "--data", &data]).status.success(), "a rebuild puts the row back");
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    // `lajna demo --no-serve | head -1`: the reader closes the pipe; lajna's next line must end
    // it quietly (exit 0), not with a panic report. The read end is closed before lajna writes
    // anything, so every write meets a closed pipe.
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    for args in [vec!["demo", "--data", &data, "--no-serve"], vec!["verify", "--data", &data]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lajna"))
            .args(&args)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
    }
}

#[test]
fn a_second_demo_run_reuses_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let first = text(&lajna(&["verify", "--data", &data]));
    demo(dir.path());
    assert_eq!(text(&lajna(&["verify", "--data", &data])), first);
}

#[test]
fn init_creates_a_committee_and_refuses_bad_input_without_leaving_anything() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("c");
    let d = data.to_str().unwrap();
    let bad = lajna(&["init", "--data", d, "--parties", "MAR,M4L", "--name-fr", "X", "--node-party", "MAR"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("ISO 3166 alpha-3"), "{}", text(&bad));
    assert!(!data.exists(), "a refused init left a directory");
    let unnamed = lajna(&["init", "--data", d, "--parties", "MAR,MLI", "--node-party", "MAR"]);
    assert!(text(&unnamed).contains("--name-fr"), "{}", text(&unnamed));
    assert!(!data.exists());
    let ok = lajna(&[
        "init",
        "--data",
        d,
        "--parties",
        "MAR,MLI",
        "--name-fr",
        "Commission mixte",
        "--party-name",
        "MAR=Maroc",
        "--node-party",
        "MAR",
    ]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("2 events"), "{}", text(&ok));
    assert!(lajna(&["verify", "--data", d]).status.success());
    let again = lajna(&["init", "--data", d, "--parties", "MAR,MLI", "--name-fr", "Y", "--node-party", "MAR"]);
    assert!(text(&again).contains("already holds a committee"), "{}", text(&again));
    // A second node key, certified by the MLI root kept in the data directory.
    let root = data.join("keys/roots/root-MLI.key");
    let out = data.join("keys/node-MLI.key");
    let cert = lajna(&[
        "keys",
        "certify",
        "--data",
        d,
        "--party",
        "MLI",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(cert.status.success(), "{}", text(&cert));
    let list = text(&lajna(&["keys", "list", "--data", d]));
    assert_eq!(list.lines().filter(|l| l.contains(" node ")).count(), 2, "{list}");
    assert!(text(&lajna(&["verify", "--data", d])).contains("3 events"));
}

#[test]
fn commands_on_a_directory_without_a_committee_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = lajna(&["verify", "--data", dir.path().join("nothing").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let s = text(&out);
    assert!(s.contains("lajna init") && s.contains("lajna demo"), "{s}");
}

#[test]
fn every_command_has_help() {
    for cmd in ["init", "demo", "serve", "verify", "log", "rebuild", "export", "keys", "user", "sync", "bundle", "join"]
    {
        let out = lajna(&[cmd, "--help"]);
        assert!(out.status.success(), "{cmd}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: lajna"), "{cmd}");
    }
}

#[test]
fn a_new_node_joins_from_a_bundle_and_its_certificate_travels_by_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pair = d.join("pair");
    let out = lajna(&["demo", "--data", pair.to_str().unwrap(), "--nodes", "2", "--no-serve"]);
    assert!(out.status.success(), "{}", text(&out));
    let mar = pair.join("mar");
    let all = d.join("all.lajna");
    let out = lajna(&["bundle", "export", "--data", mar.to_str().unwrap(), "--all", "--out", all.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    // A second Malian node joins with the Malian root key.
    let new = d.join("mli2");
    let root = pair.join("roots/root-MLI.key");
    let out = lajna(&[
        "join",
        "--data",
        new.to_str().unwrap(),
        "--bundle",
        all.to_str().unwrap(),
        "--party",
        "MLI",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(lajna(&["verify", "--data", new.to_str().unwrap()]).status.success());
    // The wrong root is refused, and nothing is left behind.
    let bad = d.join("mli3");
    let wrong = pair.join("roots/root-MAR.key");
    let out = lajna(&[
        "join",
        "--data",
        bad.to_str().unwrap(),
        "--bundle",
        all.to_str().unwrap(),
        "--party",
        "MLI",
        "--root",
        wrong.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(!bad.exists());
    // Its certificate reaches the Moroccan node in a bundle; then its events verify there.
    let back = d.join("back.lajna");
    let out =
        lajna(&["bundle", "export", "--data", new.to_str().unwrap(), "--for", "MAR", "--out", back.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let out = lajna(&["bundle", "import", "--data", mar.to_str().unwrap(), back.to_str().unwrap()]);
    assert!(text(&out).contains("1 new"), "{}", text(&out));
    let keys = text(&lajna(&["keys", "list", "--data", mar.to_str().unwrap()]));
    assert_eq!(keys.lines().filter(|l| l.starts_with("MLI node")).count(), 2, "{keys}");
    // Importing the same bundle again changes nothing; a truncated one is refused with exit 1.
    assert!(
        text(&lajna(&["bundle", "import", "--data", mar.to_str().unwrap(), back.to_str().unwrap()])).contains("0 new")
    );
    let bytes = std::fs::read(&all).unwrap();
    let cut = d.join("cut.lajna");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = lajna(&["bundle", "import", "--data", mar.to_str().unwrap(), cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("nothing imported"), "{}", text(&out));
}

#[test]
fn the_follow_up_matrix_exports_as_csv_and_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let csv = dir.path().join("m.csv");
    let out = lajna(&["export", "--data", &data, "--format", "csv", "--lang", "ar", "--out", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let bytes = std::fs::read(&csv).unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    let body = String::from_utf8(bytes[3..].to_vec()).unwrap();
    // Arabic, like French, is written for Excel in those locales: `;` between cells (case C18).
    assert!(body.starts_with("المعرف;المجال;"), "{body}");
    assert_eq!(body.lines().count(), 14);
    let again = dir.path().join("m2.csv");
    lajna(&["export", "--data", &data, "--format", "csv", "--lang", "ar", "--out", again.to_str().unwrap()]);
    assert_eq!(std::fs::read(&again).unwrap(), bytes, "the export is deterministic");
    let xlsx = dir.path().join("m.xlsx");
    assert!(lajna(&["export", "--data", &data, "--format", "xlsx", "--out", xlsx.to_str().unwrap()]).status.success());
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    let no_out = lajna(&["export", "--data", &data, "--format", "xlsx"]);
    assert!(text(&no_out).contains("--out"), "{}", text(&no_out));
}

#[test]
fn doc_add_registers_a_marked_document_once_and_refuses_a_mismatched_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let export: serde_json::Value =
        serde_json::from_slice(&lajna(&["export", "--data", &data, "--format", "json"]).stdout).unwrap();
    let mission = export["records"]["mission"][0]["_meta"]["id"].as_str().unwrap().to_string();
    let file = dir.path().join("compte-rendu.txt");
    std::fs::write(&file, "Compte rendu de la réunion technique (essai)\n").unwrap();
    let blobs = |d: &str| walk(&Path::new(d).join("blobs"));
    let before = blobs(&data);
    let out = lajna(&[
        "doc",
        "add",
        "--data",
        &data,
        file.to_str().unwrap(),
        "--title",
        "Compte rendu technique",
        "--title-ar",
        "محضر تقني",
        "--classification",
        "restricted",
        "--releasable-to",
        "MAR",
        "--link",
        &mission,
    ]);
    let s = text(&out);
    assert!(out.status.success(), "{s}");
    assert!(s.contains("registered (private log)"), "{s}");
    let id = s.split_whitespace().nth(1).unwrap().to_string();
    assert_eq!(id.len(), 64);
    assert_eq!(blobs(&data).len(), before.len() + 1);
    // Listed for the operator and for a MAR secretary (CONFIDENTIAL), not for a MAR viewer.
    let all = text(&lajna(&["doc", "list", "--data", &data]));
    assert!(
        all.contains(&id) && all.contains("RESTRICTED — MAR ONLY") && all.contains("Compte rendu technique"),
        "{all}"
    );
    assert!(text(&lajna(&["doc", "list", "--data", &data, "--user", "mar-secretary"])).contains(&id));
    assert!(!text(&lajna(&["doc", "list", "--data", &data, "--user", "mar-viewer"])).contains(&id));
    // The same bytes again: a second record, one file.
    let out = lajna(&["doc", "add", "--data", &data, file.to_str().unwrap(), "--title", "Copie"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(blobs(&data).len(), before.len() + 1);
    // A text file named .pdf is refused, and nothing is stored.
    let fake = dir.path().join("rapport.pdf");
    std::fs::write(&fake, "pas un PDF").unwrap();
    let events = text(&lajna(&["verify", "--data", &data]));
    let out = lajna(&["doc", "add", "--data", &data, fake.to_str().unwrap(), "--title", "Faux"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("its content is text/plain"), "{}", text(&out));
    assert_eq!(blobs(&data).len(), before.len() + 1);
    assert_eq!(text(&lajna(&["verify", "--data", &data])), events, "nothing was written");
    // A one-party document for the other party's only is refused to a MAR user.
    let out = lajna(&[
        "doc",
        "add",
        "--data",
        &data,
        file.to_str().unwrap(),
        "--title",
        "X",
        "--releasable-to",
        "MLI",
        "--user",
        "mar-secretary",
    ]);
    assert!(!out.status.success(), "{}", text(&out));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

/// Every file under `dir` with its BLAKE3, sorted: "nothing changed" means this is equal.
fn listing(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut files: Vec<_> = walk(dir)
        .into_iter()
        .map(|p| {
            let hash = blake3_hex(&std::fs::read(&p).unwrap());
            (p.strip_prefix(dir).unwrap().to_path_buf(), hash)
        })
        .collect();
    files.sort();
    files
}

fn blake3_hex(bytes: &[u8]) -> String {
    // The test crate has no blake3: sha256sum is as good for "unchanged".
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), bytes).unwrap();
    String::from_utf8_lossy(&child.wait_with_output().unwrap().stdout).to_string()
}

fn doc_add(data: &str, file: &Path, title: &str) -> Output {
    lajna(&[
        "doc",
        "add",
        "--data",
        data,
        file.to_str().unwrap(),
        "--title",
        title,
        "--classification",
        "unclassified",
        "--releasable-to",
        "MAR+MLI",
    ])
}

/// Issue 15 item 3: `lajna backup` while `lajna serve` runs and `lajna doc add` writes beside
/// it; `lajna restore` refuses while the server holds the directory, refuses a backup with one
/// byte changed and a backup of another committee (the directory unchanged each time), then
/// restores, keeps the previous directory aside, and `verify` gives the backup's state hash.
#[test]
fn backup_while_serving_and_writing_restores_to_the_same_state_hash_and_restore_refuses_what_it_must() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let mut server = Command::new(env!("CARGO_BIN_EXE_lajna"))
        .args(["serve", "--data", &data, "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut line).unwrap();
    assert!(line.starts_with("serving"), "{line}");

    // Writers beside the server while the backup runs.
    let writer = {
        let (data, dir) = (data.clone(), dir.path().to_path_buf());
        std::thread::spawn(move || {
            for i in 0..4 {
                let file = dir.join(format!("note-{i}.txt"));
                std::fs::write(&file, format!("Note de service numéro {i}\n")).unwrap();
                let out = doc_add(&data, &file, &format!("Note {i}"));
                assert!(out.status.success(), "{}", text(&out));
            }
        })
    };
    let backup = dir.path().join("backup.zip");
    let out = lajna(&["backup", "--data", &data, "--out", backup.to_str().unwrap()]);
    let s = text(&out);
    assert!(out.status.success(), "{s}");
    writer.join().unwrap();
    assert!(s.contains("checked") && s.contains("not included: node keys"), "{s}");
    let hash = s.lines().find_map(|l| l.strip_prefix("state hash ")).unwrap().to_string();
    assert!(backup.is_file());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    // The same name again is refused.
    assert!(!lajna(&["backup", "--data", &data, "--out", backup.to_str().unwrap()]).status.success());

    // While the server holds the directory: refused, nothing changed.
    let before = listing(Path::new(&data));
    let out = lajna(&["restore", backup.to_str().unwrap(), "--data", &data]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("in use"), "{}", text(&out));
    server.kill().unwrap();
    server.wait().unwrap();
    let before = {
        let now = listing(Path::new(&data));
        // Only the live WAL files may differ from when the server ran.
        let strip = |l: Vec<(std::path::PathBuf, String)>| {
            l.into_iter().filter(|(p, _)| !p.to_string_lossy().contains("sqlite-")).collect::<Vec<_>>()
        };
        assert_eq!(strip(before), strip(now.clone()));
        now
    };

    // One byte changed in the middle of the file: refused before anything is touched.
    let mut bytes = std::fs::read(&backup).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    let corrupt = dir.path().join("corrupt.zip");
    std::fs::write(&corrupt, &bytes).unwrap();
    let out = lajna(&["restore", corrupt.to_str().unwrap(), "--data", &data]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("not sound"), "{}", text(&out));
    assert_eq!(listing(Path::new(&data)), before, "a refused restore changes nothing");

    // A backup of another committee (another demo: new keys, another genesis): refused.
    let other_dir = tempfile::tempdir().unwrap();
    let other = demo(other_dir.path());
    let other_backup = other_dir.path().join("other.zip");
    assert!(lajna(&["backup", "--data", &other, "--out", other_backup.to_str().unwrap()]).status.success());
    let out = lajna(&["restore", other_backup.to_str().unwrap(), "--data", &data]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("committee"), "{}", text(&out));
    // Reading the directory's committee opens its database read-only: after the server was
    // killed, SQLite rebuilds the WAL index (`-shm`, scratch memory of any reader) and nothing else.
    let no_shm = |l: Vec<(std::path::PathBuf, String)>| {
        l.into_iter().filter(|(p, _)| !p.to_string_lossy().ends_with("-shm")).collect::<Vec<_>>()
    };
    assert_eq!(no_shm(listing(Path::new(&data))), no_shm(before), "a refused restore changes nothing");
    let siblings = std::fs::read_dir(dir.path()).unwrap().count();

    // Restored: the previous directory kept aside, the keys carried over, the same state hash.
    let out = lajna(&["restore", backup.to_str().unwrap(), "--data", &data]);
    let s = text(&out);
    assert!(out.status.success(), "{s}");
    assert!(s.contains("previous directory kept as") && s.contains("node keys copied"), "{s}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), siblings + 1);
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("data.before-restore-"))
        .expect("the previous directory");
    assert!(aside.path().join("lajna.sqlite").is_file());
    let out = lajna(&["verify", "--data", &data]);
    let s = text(&out);
    assert!(out.status.success(), "{s}");
    assert!(s.contains(&format!("state hash {hash}")), "{s}");
}

/// The demo with session 1's minutes written and endorsed by both co-chairs (through
/// `Node::execute`, as the web form does); returns the ids of sessions 1 and 2.
fn demo_with_endorsed_minutes(data: &str) -> (String, String) {
    use lajna_domain::records::{Member, Session};
    use lajna_domain::values::MemberRole;
    use lajna_domain::{Actor, Command as Cmd, LocalizedText, RecordKind, minutes_status};
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let node = lajna_node::Node::open(Path::new(data)).await.unwrap();
        let (s1, s2, chairs) = node
            .with_state(|s| {
                let sessions = s.all::<Session>(RecordKind::Session);
                let id = |n: i64| sessions.iter().find(|(_, x)| x.number == n).unwrap().0.clone();
                let chairs: Vec<Actor> = s
                    .all::<Member>(RecordKind::Member)
                    .into_iter()
                    .filter(|(_, m)| m.role == MemberRole::CoChair)
                    .map(|(id, m)| Actor { party: m.party, member: Some(id) })
                    .collect();
                (id(1), id(2), chairs)
            })
            .await;
        let mut set = serde_json::Map::new();
        let minutes =
            LocalizedText::tri("افتتح الرئيسان المشاركان الاجتماع.", "Les coprésidents ont ouvert la réunion.", "");
        set.insert("minutes".into(), serde_json::json!(minutes));
        let writer = Actor { party: chairs[0].party.clone(), member: None };
        node.execute(&writer, &Cmd::Revise { kind: RecordKind::Session, id: s1.clone(), set }).await.unwrap();
        let version = node
            .with_state(|s| {
                let parties = vec!["MAR".to_string(), "MLI".to_string()];
                minutes_status(s.entry(&s1).unwrap(), &parties).draft.unwrap().version
            })
            .await;
        for chair in &chairs {
            let endorse = Cmd::EndorseMinutes { session: s1.clone(), version: version.clone() };
            node.execute(chair, &endorse).await.unwrap();
        }
        (s1, s2)
    })
}

#[test]
fn pv_writes_the_endorsed_original_and_pv_verify_accepts_it_and_refuses_an_altered_copy_another_session_and_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let (s1, s2) = demo_with_endorsed_minutes(&data);
    let original = dir.path().join("pv-1-fr.pdf");
    let out = lajna(&["pv", "--data", &data, "--session", &s1, "--lang", "fr", "--out", original.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let verify = |file: &Path, extra: &[&str]| {
        let mut args = vec!["pv", "verify", file.to_str().unwrap(), "--data", &data];
        args.extend_from_slice(extra);
        lajna(&args)
    };
    let ok = verify(&original, &[]);
    assert!(ok.status.success() && text(&ok).contains("original"), "{}", text(&ok));

    // One byte changed: exit 1, naming the offset.
    let mut bytes = std::fs::read(&original).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    let altered = dir.path().join("altered.pdf");
    std::fs::write(&altered, &bytes).unwrap();
    let out = verify(&altered, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains(&format!("altered: first difference at byte {at}")), "{}", text(&out));

    // Checked as the PV of another session: wrong session.
    let out = verify(&original, &["--session", &s2]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("wrong session"), "{}", text(&out));

    // Session 2's minutes are not endorsed: its PV is a draft, never an original.
    let draft = dir.path().join("pv-2-ar.pdf");
    let out = lajna(&["pv", "--data", &data, "--session", &s2, "--lang", "ar", "--out", draft.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let out = verify(&draft, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("not endorsed"), "{}", text(&out));

    // An unknown session is a usage error of `lajna pv` (exit 2).
    let out = lajna(&["pv", "--data", &data, "--session", "nope", "--out", draft.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn version_names_the_store_schema_the_ledger_format_and_the_tz_database() {
    let out = lajna(&["--version"]);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{s}");
    assert!(s.starts_with(&format!("lajna {}\n", env!("CARGO_PKG_VERSION"))), "{s}");
    // The schema version is the highest migration embedded: the largest `NNNN_` of the store's
    // migrations directory.
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations");
    let highest = std::fs::read_dir(migrations)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.split('_').next()?.parse::<i64>().ok())
        .max()
        .unwrap();
    assert_eq!(lajna_store::schema_version(), highest);
    assert!(s.contains(&format!("\nstore schema version {highest}\n")), "{s}");
    assert!(s.contains(&format!("\nledger format version {}\n", lajna_ledger::LEDGER_VERSION)), "{s}");
    // The IANA release name, e.g. 2026f.
    let tz = s.lines().find_map(|l| l.strip_prefix("tz database ")).unwrap_or_else(|| panic!("{s}"));
    let release = tz.split_whitespace().next().unwrap();
    assert!(release.len() == 5 && release[..4].parse::<u16>().is_ok_and(|y| y >= 2024), "{s}");
}

#[test]
fn config_example_documents_every_setting_and_loads_as_the_defaults() {
    let out = lajna(&["config", "example"]);
    assert!(out.status.success(), "{}", text(&out));
    let example = String::from_utf8(out.stdout).unwrap();
    assert_eq!(example, lajna_node::Config::example());
    for key in [
        "listen",
        "parties",
        "default_language",
        "reference_date",
        "demo",
        "peers",
        "sync_interval_seconds",
        "max_document_bytes",
    ] {
        assert!(example.contains(&format!("\n{key} = ")) || example.contains(&format!("\n# {key} = ")), "{key}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, &example).unwrap();
    assert_eq!(lajna_node::Config::load(&path).unwrap(), lajna_node::Config::new(vec!["MAR".into()]));
}

#[test]
fn serve_writes_json_log_lines_with_log_format_json() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let mut server = Command::new(env!("CARGO_BIN_EXE_lajna"))
        .args(["serve", "--data", &data, "--listen", "127.0.0.1:0", "--log-format", "json"])
        // Opening the store logs its first statements at debug level.
        .env("RUST_LOG", "sqlx=debug")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(server.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    assert!(v["timestamp"].is_string() && v["level"].is_string() && v["fields"].is_object(), "{line}");
}

/// A self-signed server certificate for 127.0.0.1 (openssl CLI) written to `cert` and `key`.
fn make_cert(cert: &Path, key: &Path) {
    let out = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
        .args(["-subj", "/CN=lajna", "-addext", "subjectAltName=IP:127.0.0.1"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .arg("-keyout")
        .arg(key)
        .arg("-out")
        .arg(cert)
        .output()
        .expect("openssl is installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Asks `addr` over TLS (openssl s_client, trusting nothing) for `/readyz`: (the SHA-256
/// fingerprint of the certificate presented, the answer's status line).
fn tls_get(addr: &str) -> (String, String) {
    let script = format!(
        "printf 'GET /readyz HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' | openssl s_client -connect {addr} -showcerts -ign_eof 2>/dev/null"
    );
    let out = Command::new("sh").args(["-c", &script]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let pem_start = text.find("-----BEGIN CERTIFICATE-----").expect(&text);
    let pem_end = text.find("-----END CERTIFICATE-----").unwrap() + "-----END CERTIFICATE-----".len();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("presented.pem");
    std::fs::write(&file, &text[pem_start..pem_end]).unwrap();
    let print = lajna(&["config", "fingerprint", file.to_str().unwrap()]);
    let status = text.lines().find(|l| l.starts_with("HTTP/1.1")).unwrap_or_default().to_string();
    (text_of(&print).trim().to_string(), status)
}

fn text_of(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `lajna serve` with `tls_certificate`/`tls_key` in config.toml speaks HTTPS; the files are
/// replaced and a real SIGHUP makes new connections get the new certificate, the server (and
/// its store) still answering.
#[test]
fn serve_over_tls_reloads_its_certificate_on_sighup() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    make_cert(&cert, &key);
    let config = Path::new(&data).join("config.toml");
    let mut settings = std::fs::read_to_string(&config).unwrap();
    settings = format!(
        "tls_certificate = {:?}\ntls_key = {:?}\n{settings}",
        cert.display().to_string(),
        key.display().to_string()
    );
    std::fs::write(&config, settings).unwrap();
    let first = text_of(&lajna(&["config", "fingerprint", cert.to_str().unwrap()])).trim().to_string();
    assert_eq!(first.len(), 95, "{first}");

    let mut server = Command::new(env!("CARGO_BIN_EXE_lajna"))
        .args(["serve", "--data", &data, "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut line).unwrap();
    let addr = line.split("https://").nth(1).and_then(|r| r.split('/').next()).unwrap_or_else(|| panic!("{line}"));
    assert_eq!(tls_get(addr), (first.clone(), "HTTP/1.1 200 OK".into()));

    let (new_cert, new_key) = (dir.path().join("new-cert.pem"), dir.path().join("new-key.pem"));
    make_cert(&new_cert, &new_key);
    std::fs::rename(&new_cert, &cert).unwrap();
    std::fs::rename(&new_key, &key).unwrap();
    let second = text_of(&lajna(&["config", "fingerprint", cert.to_str().unwrap()])).trim().to_string();
    assert_ne!(first, second);
    let hup = Command::new("kill").args(["-HUP", &server.id().to_string()]).status().unwrap();
    assert!(hup.success());
    let mut stderr = std::io::BufReader::new(server.stderr.take().unwrap());
    let mut log = String::new();
    while !log.contains("TLS certificate reloaded") {
        let mut l = String::new();
        assert!(std::io::BufRead::read_line(&mut stderr, &mut l).unwrap() > 0, "the server ended: {log}");
        log.push_str(&l);
    }
    assert!(log.contains(&second), "the log names the new fingerprint: {log}");
    assert_eq!(tls_get(addr), (second, "HTTP/1.1 200 OK".into()));
    server.kill().unwrap();
    server.wait().unwrap();
}

/// `lajna backup --out-dir DIR --keep N` names the file by the UTC time and, once it is checked,
/// keeps the newest N `lajna-*.zip` of the directory; other files are left alone.
#[test]
fn backup_into_a_directory_keeps_the_newest_n() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    for old in ["lajna-20240101T000000Z.zip", "lajna-20240102T000000Z.zip", "notes.txt"] {
        std::fs::write(backups.join(old), "old").unwrap();
    }
    let out = lajna(&["backup", "--data", &data, "--out-dir", backups.to_str().unwrap(), "--keep", "2"]);
    let s = text(&out);
    assert!(out.status.success(), "{s}");
    assert!(s.contains("removed old backup") && s.contains("lajna-20240101T000000Z.zip"), "{s}");
    let mut names: Vec<String> =
        std::fs::read_dir(&backups).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], "lajna-20240102T000000Z.zip");
    assert!(names[1].starts_with("lajna-20") && names[1].ends_with("Z.zip") && names[1].len() == 26, "{names:?}");
    assert_eq!(names[2], "notes.txt");
    // The new one is a real, checked backup: restore accepts it.
    let restored = dir.path().join("restored");
    let out = lajna(&["restore", backups.join(&names[1]).to_str().unwrap(), "--data", restored.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    // --keep needs --out-dir; 0 is refused.
    let x = dir.path().join("x.zip");
    let out = lajna(&["backup", "--data", &data, "--out", x.to_str().unwrap(), "--keep", "2"]);
    assert!(!out.status.success() && text(&out).contains("--keep needs --out-dir") && !x.exists(), "{}", text(&out));
    assert!(
        !lajna(&["backup", "--data", &data, "--out-dir", backups.to_str().unwrap(), "--keep", "0"]).status.success()
    );
}

/// Issue 15 item 1: a packaged node's settings are /etc/lajna/config.toml, read natively —
/// `--config FILE` (or `LAJNA_CONFIG`) instead of DATA/config.toml for every command that opens
/// a node. `serve` listens where the file says, a backup carries that file (restored as the new
/// directory's config.toml), a missing file is named, and the commands that write
/// DATA/config.toml (init, join, demo) do not take the option.
#[test]
fn config_file_outside_the_data_directory_is_what_serve_and_backup_use() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let own = std::fs::read_to_string(Path::new(&data).join("config.toml")).unwrap();
    // The demo's own settings with another address (port 0: the kernel's choice, printed) and a
    // document limit of its own, so that the file read is recognisable.
    let etc = dir.path().join("etc");
    std::fs::create_dir(&etc).unwrap();
    let config = etc.join("config.toml");
    let mut settings = lajna_node::Config::load(&Path::new(&data).join("config.toml")).unwrap();
    assert!(settings.listen.ip() != std::net::Ipv4Addr::new(127, 0, 0, 2));
    settings.listen = "127.0.0.2:0".parse().unwrap();
    settings.max_document_bytes = 1_234_567;
    settings.save(&config).unwrap();

    let mut server = Command::new(env!("CARGO_BIN_EXE_lajna"))
        .args(["serve", "--data", &data, "--config", config.to_str().unwrap()])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut line).unwrap();
    let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap_or_else(|| panic!("{line}"));
    assert!(addr.starts_with("127.0.0.2:"), "serve did not listen where --config says: {line}");
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    std::io::Write::write_all(&mut conn, b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut conn, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // The backup (settings from the environment, as a shell with LAJNA_CONFIG set runs it) holds
    // the file in use, byte for byte; the data directory's own file is untouched.
    let backup = dir.path().join("backup.zip");
    let out = Command::new(env!("CARGO_BIN_EXE_lajna"))
        .args(["backup", "--data", &data, "--out", backup.to_str().unwrap()])
        .env("RUST_LOG", "warn")
        .env("LAJNA_CONFIG", &config)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    server.kill().unwrap();
    server.wait().unwrap();
    let restored = dir.path().join("restored");
    let out = lajna(&["restore", backup.to_str().unwrap(), "--data", restored.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read(restored.join("config.toml")).unwrap(), std::fs::read(&config).unwrap());
    assert_eq!(std::fs::read_to_string(Path::new(&data).join("config.toml")).unwrap(), own);
    // Without --config the data directory's own settings are read, as before.
    let out = lajna(&["verify", "--data", &data]);
    assert!(out.status.success(), "{}", text(&out));

    // A settings file that is not there is named; a directory without a committee is still one.
    let missing = etc.join("missing.toml");
    let out = lajna(&["verify", "--data", &data, "--config", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains(missing.to_str().unwrap()), "{}", text(&out));
    let empty = dir.path().join("empty");
    let out = lajna(&["log", "--data", empty.to_str().unwrap(), "--config", config.to_str().unwrap()]);
    assert!(text(&out).contains("is not a Lajna data directory"), "{}", text(&out));
    assert!(!empty.exists());
    // init, join and demo write DATA/config.toml: they refuse the option rather than ignore it.
    let out = lajna(&["init", "--data", empty.to_str().unwrap(), "--config", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("unexpected argument '--config'"), "{}", text(&out));
}

/// The packaged /etc/lajna/config.toml (packaging/config.toml) is `lajna config example` as
/// the code prints it today.
#[test]
fn the_packaged_config_is_the_annotated_example() {
    let packaged =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../packaging/config.toml")).unwrap();
    let printed = text_of(&lajna(&["config", "example"]));
    assert_eq!(packaged, printed, "regenerate with: lajna config example > packaging/config.toml");
}

/// Issue 17 item 7 (must show) through `lajna import`: the French matrix exported by the CLI
/// with one title pasted in NFD is written as the NFC bytes (the next export carries them, and
/// importing the NFD spelling again changes nothing); a title of invisible marks and a
/// 301-character title are refused in French naming the row's party and column, exit 1, and
/// nothing is written (the state hash is unchanged).
#[test]
fn lajna_import_checks_text_at_the_door_as_the_forms_do() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let csv = dir.path().join("m.csv");
    let export = |path: &Path| {
        let out =
            lajna(&["export", "--data", &data, "--format", "csv", "--lang", "fr", "--out", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out));
        String::from_utf8(std::fs::read(path).unwrap()[3..].to_vec()).unwrap()
    };
    let body = export(&csv);
    let lines: Vec<&str> = body.split("\r\n").collect();
    let row = lines.iter().position(|l| l.split(';').nth(4) == Some("MAR") && !l.contains('"')).unwrap();
    // The title in French, and in Arabic too when `both` (a title blank in one language only
    // is that language's title removed, not a refusal).
    let with_title = |title: &str, both: bool| {
        let mut cells: Vec<String> = lines[row].split(';').map(String::from).collect();
        cells[3] = title.to_string();
        if both {
            cells[2] = title.to_string();
        }
        let mut out = lines.clone();
        let line = cells.join(";");
        out[row] = &line;
        let file = dir.path().join("in.csv");
        std::fs::write(&file, format!("\u{FEFF}{}", out.join("\r\n"))).unwrap();
        file
    };
    let import = |file: &Path| lajna(&["import", "--data", &data, "--lang", "fr", "--apply", file.to_str().unwrap()]);
    let nfc = "D\u{e9}fense c\u{f4}ti\u{e8}re \u{e0} Mopti";
    let nfd = "De\u{301}fense co\u{302}tie\u{300}re a\u{300} Mopti";
    let out = import(&with_title(nfd, false));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("1 events written"), "{}", text(&out));
    let again = export(&dir.path().join("again.csv"));
    assert!(again.split("\r\n").nth(row).unwrap().contains(&format!(";{nfc};")), "the NFC bytes are stored");
    assert!(!again.contains(nfd));
    let out = import(&with_title(nfd, false));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("0 events written"), "the NFD spelling is the same title: {}", text(&out));

    let hash = |o: &Output| text(o).lines().find(|l| l.starts_with("state hash")).map(String::from);
    let before = hash(&lajna(&["verify", "--data", &data]));
    let long = "a".repeat(301);
    for (title, said) in [
        ("\u{200B} \u{FEFF}\u{200F}", "L’action n’a pas de titre, ni en arabe ni en français."),
        (long.as_str(), "Ce texte est trop long : 301 caractères, 300 au plus."),
    ] {
        let out = import(&with_title(title, true));
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let said_all = text(&out).replace(['\u{2068}', '\u{2069}'], "");
        assert!(said_all.contains(said), "{said}: {said_all}");
        assert!(said_all.contains("Partie propriétaire : MAR"), "{said_all}");
        assert!(said_all.contains("Colonne « Action (arabe) / Action (français) » : "), "{said_all}");
    }
    assert_eq!(hash(&lajna(&["verify", "--data", &data])), before, "nothing written");
    assert!(before.is_some());
}

/// Issue 16: `lajna user reset-2fa` on a user without a second factor changes nothing and says
/// so; an unknown user is refused (the node test resets a second factor).
#[test]
fn user_reset_2fa_without_a_second_factor_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let out = lajna(&["user", "reset-2fa", "--data", &data, "mar-secretary"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(text(&out).trim(), "mar-secretary has no second factor: nothing changed");
    let out = lajna(&["user", "reset-2fa", "--data", &data, "nobody"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

/// Issue 17 item 7 (must show) through `lajna doc add`: a title of invisible marks only and a
/// 301-character title are refused with the rule's message, exit 2, and nothing is written (no
/// event, no stored file); the NFD spelling of a title is stored as its NFC bytes.
#[test]
fn lajna_doc_add_checks_the_title_at_the_door() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo(dir.path());
    let file = dir.path().join("note.txt");
    std::fs::write(&file, "Note de service (essai)\n").unwrap();
    let blobs = |d: &str| walk(&Path::new(d).join("blobs"));
    let before = (text(&lajna(&["verify", "--data", &data])), blobs(&data));
    let long = "a".repeat(301);
    for (title, said) in [("\u{200B} \u{FEFF}\u{200F}", "enter a text"), (long.as_str(), "301 characters, at most 300")]
    {
        let out = lajna(&["doc", "add", "--data", &data, file.to_str().unwrap(), "--title", title]);
        assert_eq!(out.status.code(), Some(2), "a refused input: {}", text(&out));
        assert!(text(&out).contains(said), "{said}: {}", text(&out));
        assert_eq!((text(&lajna(&["verify", "--data", &data])), blobs(&data)), before, "nothing written");
    }
    let nfd = "Note de se\u{301}curite\u{301}";
    let out = lajna(&["doc", "add", "--data", &data, file.to_str().unwrap(), "--title", nfd]);
    assert!(out.status.success(), "{}", text(&out));
    let listed = text(&lajna(&["doc", "list", "--data", &data]));
    assert!(listed.contains("Note de s\u{e9}curit\u{e9}") && !listed.contains(nfd), "{listed}");
}
