//! Issue 14, "Must show", against a real SMTP server — aiosmtpd (`smtp.py` beside this file,
//! Debian's python3-aiosmtpd), started by the test on a free loopback port, writing every
//! message it accepts as raw bytes — and the real `lajna serve` binary, spawned and restarted by
//! the test. What the server received is read back by Python's `email` package
//! (policy=default). Ticks are deterministic: the scheduler's clock is `LAJNA_NOTIFY_NOW`,
//! moved by `LAJNA_NOTIFY_STEP` at each tick; the test only polls for files it expects, with
//! a generous timeout, and never waits on the wall clock for a schedule.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use lajna_domain::{Actor, Command as Cmd, PartyCode, RecordKind};
use lajna_node::Node;
use lajna_node::notify::{NotificationKey, message_id};
use serde_json::{Value, json};
use sqlx::Row;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/notify/smtp.py");
const PASSWORD: &str = "notify-tests-Casablanca-2026";
/// The From address of the nodes' e-mails (`notify.mail_from`): its domain names the Message-IDs.
const FROM: &str = "Lajna MAR <lajna@lajna.mar.example>";
const PUBLIC_URL: &str = "https://lajna.mar.example";

fn lajna(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lajna")).args(args).env("RUST_LOG", "warn").output().expect("run lajna")
}

fn ok(o: Output) -> String {
    let s = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "{s}");
    s
}

/// Polls `done` every 100 ms until it holds; fails after three minutes naming `what`.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(180), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The aiosmtpd server of `smtp.py`, writing to `dir`.
struct Smtp {
    child: Child,
    port: u16,
}

impl Smtp {
    /// Starts on `port` (0: a free one); `refuse` is answered 550; each message takes `delay`
    /// seconds (a busy server, so that a restart falls in the middle of a run).
    fn start(dir: &Path, port: u16, refuse: &str, delay: &str) -> Self {
        let mut child = Command::new("/usr/bin/python3")
            .args([SCRIPT, dir.to_str().unwrap(), &port.to_string(), "--refuse", refuse, "--delay", delay])
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/test installs python3-aiosmtpd)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().strip_prefix("port ").unwrap_or_else(|| panic!("smtp.py: {line:?}")).parse().unwrap();
        Self { child, port }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `lajna serve` on a free port with the scheduler's clock at `now`, a minute later at each
/// tick (one a second: `notify.tick_seconds = 1`), sending to the SMTP server on `smtp`.
struct Serve(Option<Child>);

impl Serve {
    fn start(data: &str, smtp: u16, now: &str, log: &Path) -> Self {
        Self::start_step(data, smtp, now, "60", log)
    }

    /// [`Serve::start`] with the clock moving `step` seconds a tick.
    fn start_step(data: &str, smtp: u16, now: &str, step: &str, log: &Path) -> Self {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_lajna"))
            .args(["serve", "--data", data, "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .env("LAJNA_NOTIFY_NOW", now)
            .env("LAJNA_NOTIFY_STEP", step)
            .env("LAJNA_SMTP_URL", format!("smtp://127.0.0.1:{smtp}"))
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert!(line.starts_with("serving"), "{line}");
        Self(Some(child))
    }

    /// SIGTERM, as `systemctl restart` sends: the e-mail in flight is recorded, then the
    /// process ends with 0.
    fn terminate(mut self) {
        let mut child = self.0.take().unwrap();
        let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
        assert!(term.success());
        let status = child.wait().unwrap();
        assert!(status.success(), "lajna serve after SIGTERM: {status}");
    }

    /// SIGKILL: a crash.
    fn crash(mut self) {
        let mut child = self.0.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// How many messages the server has accepted.
fn count(dir: &Path) -> usize {
    std::fs::read_dir(dir).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".eml")).count()
}

/// One received message as Python's `email` package reads it (see `smtp.py read`), with its
/// raw bytes.
#[derive(Debug)]
struct Mail {
    json: Value,
    raw: Vec<u8>,
}

impl Mail {
    fn s(&self, field: &str) -> &str {
        self.json[field].as_str().unwrap_or_default()
    }
}

fn read_mail(dir: &Path) -> Vec<Mail> {
    let out = Command::new("/usr/bin/python3").args([SCRIPT, "read", dir.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let json: Value = serde_json::from_str(l).unwrap();
            let raw = std::fs::read(dir.join(json["file"].as_str().unwrap())).unwrap();
            Mail { json, raw }
        })
        .collect()
}

/// Every e-mail of the run, its raw bytes and every part decoded: none holds any of
/// `forbidden` (the texts that must never leave by e-mail).
fn assert_says_nothing_of(mail: &[Mail], forbidden: &[String]) {
    assert!(!forbidden.is_empty());
    for m in mail {
        let decoded = format!("{}\n{}\n{}\n{}", m.s("subject"), m.s("text"), m.s("html"), m.json["headers"]);
        for f in forbidden {
            assert!(!decoded.contains(f.as_str()), "{} carries {f:?}", m.s("file"));
            assert!(!m.raw.windows(f.len()).any(|w| w == f.as_bytes()), "{} carries {f:?} raw", m.s("file"));
        }
    }
}

/// `lajna notify status` of `data`.
fn status(data: &str) -> String {
    ok(lajna(&["notify", "status", "--data", data]))
}

/// The highest `attempts N` among the e-mails being retried, 0 when none.
fn most_attempts(status: &str) -> i64 {
    status
        .lines()
        .filter(|l| l.starts_with("retrying"))
        .filter_map(|l| l.split('\t').find_map(|f| f.strip_prefix("attempts "))?.parse().ok())
        .max()
        .unwrap_or(0)
}

/// Every language of `t`.
fn texts(t: &lajna_domain::LocalizedText) -> Vec<String> {
    [lajna_domain::Lang::Ar, lajna_domain::Lang::Fr, lajna_domain::Lang::En]
        .iter()
        .filter_map(|l| t.get(*l))
        .map(String::from)
        .collect()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn casablanca() -> TimeZone {
    lajna_domain::tzdb().get("Africa/Casablanca").unwrap()
}

fn actor(party: &str) -> Actor {
    Actor { party: PartyCode::parse(party).unwrap(), member: None }
}

/// Runs `command` as `party` on `node`: the new record's id.
async fn exec(node: &Node, party: &str, command: Value, kind: &str) -> String {
    let record = command;
    let cmd = match kind {
        "member" => Cmd::RegisterMember(serde_json::from_value(record).unwrap()),
        "action" => Cmd::PlanAction(serde_json::from_value(record).unwrap()),
        "decision" => Cmd::RecordDecision(serde_json::from_value(record).unwrap()),
        "note" => Cmd::RecordNote(serde_json::from_value(record).unwrap()),
        "roadmap" => Cmd::DraftRoadmap(serde_json::from_value(record).unwrap()),
        _ => unreachable!(),
    };
    node.execute(&actor(party), &cmd).await.unwrap().last().unwrap().to_hex()
}

/// An action of `owner` led by member `lead`, due on `due`, in the roadmap that ends last.
fn action(state: &lajna_domain::State, owner: &str, lead: &str, title: Value, due: jiff::civil::Date) -> Value {
    let mut roadmaps = state.all::<lajna_domain::records::Roadmap>(RecordKind::Roadmap);
    roadmaps.sort_by_key(|(_, r)| r.end);
    let roadmap = roadmaps.last().unwrap().0.clone();
    let area = state.all::<lajna_domain::records::Area>(RecordKind::Area)[0].0.clone();
    json!({"roadmap": roadmap, "area": area, "title": title, "owner": owner, "lead": lead,
           "unit": {"fr": "3e bureau (exemple)"}, "start": "2026-01-05", "due": due.to_string(),
           "status": "in_progress", "progress": 40})
}

/// What the main run created.
struct Made {
    /// Members linked to mar-lead (Arabic) and mar-officer (French).
    overdue: String,
    due_soon: String,
    decision: String,
    secret_doc: String,
    /// Texts no e-mail may carry: titles of RESTRICTED-or-above records, and of the Malian
    /// node's one-party records.
    forbidden: Vec<String>,
}

/// The demo pair (a MAR node and a MLI node of one committee); on the MAR node two users
/// linked to members who lead actions, e-mail addresses in each user's language, marked
/// records; on the MLI node its own one-party records; then an exchange by bundle, so that
/// the MAR node's last exchange with its peer is dated.
async fn setup(dir: &Path, t0: Timestamp) -> Made {
    let (mar_dir, mli_dir) = (dir.join("mar"), dir.join("mli"));
    let mar = Node::open(&mar_dir).await.unwrap();
    let day = |days: i64| t0.to_zoned_datetime(casablanca()).date().checked_add(jiff::Span::new().days(days)).unwrap();
    let member = |fr: &str, ar: &str| json!({"party": "MAR", "role": "expert", "name": {"fr": fr, "ar": ar}});
    let lead = exec(&mar, "MAR", member("Capitaine Amina Alaoui", "النقيب أمينة العلوي"), "member").await;
    let officer = exec(&mar, "MAR", member("Commandant Karim Bennani", "الرائد كريم بناني"), "member").await;
    mar.put_user("mar-lead", "MAR", "action-owner", Some(&lead), PASSWORD).await.unwrap();
    mar.put_user("mar-officer", "MAR", "action-owner", Some(&officer), PASSWORD).await.unwrap();
    // A roadmap whose period holds the actions of the run (the demo's ended in 2026-02).
    let title = json!({"fr": "Feuille de route 2026-2030 (exemple)"});
    exec(&mar, "MAR", json!({"title": title, "start": "2026-01-01", "end": "2030-12-31"}), "roadmap").await;
    let state = mar.read_all().await;
    // Overdue three days, led by mar-lead (Arabic): the subject of the issue.
    let title = json!({"ar": "تدريب 12 ضابطاً", "fr": "Former 12 officiers"});
    let overdue = exec(&mar, "MAR", action(&state, "MAR", &lead, title, day(-3)), "action").await;
    // Due in ten days, led by mar-officer (French), a title with CR/LF that tries to add headers.
    let title = json!({"fr": "Rapport\r\nBcc: victim@evil.example\r\nX-Evil: 1"});
    let due_soon = exec(&mar, "MAR", action(&state, "MAR", &officer, title, day(10)), "action").await;
    let session = state.all::<lajna_domain::records::Session>(RecordKind::Session)[0].0.clone();
    let text = json!({"fr": "Créer une cellule de coordination (exemple)", "ar": "إنشاء خلية تنسيق (مثال)"});
    let decision = exec(&mar, "MAR", json!({"session": session, "text": text}), "decision").await;
    let note = |party: &str, n: u32| {
        json!({"party": party, "title": {"fr": format!("Note interne {party} {n}")},
                                               "text": {"fr": format!("Texte interne {party} {n}")}})
    };
    exec(&mar, "MAR", note("MAR", 9931), "note").await;
    let secret_doc = state
        .all::<lajna_domain::records::Document>(RecordKind::Document)
        .into_iter()
        .find(|(_, d)| d.marking.classification == lajna_domain::Classification::Secret)
        .unwrap();
    let mut forbidden: Vec<String> = texts(&secret_doc.1.title);
    mar.close().await;

    // Marked and one-party documents, added as an operator would.
    let file = dir.join("plan.txt");
    std::fs::write(&file, "Plan de relève, diffusion restreinte\n").unwrap();
    let add = |data: &Path, title: &str, classification: &str, to: &str| {
        ok(lajna(&[
            "doc",
            "add",
            "--data",
            data.to_str().unwrap(),
            file.to_str().unwrap(),
            "--title",
            title,
            "--classification",
            classification,
            "--releasable-to",
            to,
        ]))
    };
    add(&mar_dir, "Plan de relève RESTREINT 7781", "restricted", "MAR+MLI");
    add(&mli_dir, "Note malienne MLI seulement 4412", "unclassified", "MLI");
    forbidden.extend(
        [
            "Plan de relève RESTREINT 7781",
            "Note malienne MLI seulement 4412",
            "Note interne MLI 5523",
            "Texte interne MLI 5523",
        ]
        .map(String::from),
    );
    let mli = Node::open(&mli_dir).await.unwrap();
    exec(&mli, "MLI", note("MLI", 5523), "note").await;
    mli.close().await;

    // One exchange by bundle, MLI → MAR: the MAR node's last exchange with its peer.
    let bundle = dir.join("mli.bundle");
    ok(lajna(&["bundle", "export", "--data", mli_dir.to_str().unwrap(), "--all", "--out", bundle.to_str().unwrap()]));
    ok(lajna(&["bundle", "import", "--data", mar_dir.to_str().unwrap(), bundle.to_str().unwrap()]));

    // Each user's language, zone and address; mar-viewer's address is refused by the server.
    let mar_data = mar_dir.to_str().unwrap();
    for (user, lang) in [
        ("mar-cochair", "ar"),
        ("mar-secretary", "fr"),
        ("mar-owner", "en"),
        ("mar-viewer", "ar"),
        ("mar-lead", "ar"),
        ("mar-officer", "fr"),
    ] {
        let email =
            if user == "mar-viewer" { "mar-viewer@refused.example".into() } else { format!("{user}@mar.example") };
        ok(lajna(&[
            "notify",
            "set",
            "--data",
            mar_data,
            user,
            "--lang",
            lang,
            "--tz",
            "Africa/Casablanca",
            "--email",
            &email,
        ]));
    }
    let mut config = lajna_node::Config::load(&mar_dir.join("config.toml")).unwrap();
    config.notify.tick_seconds = 1;
    config.notify.mail_from = FROM.into();
    config.notify.public_url = PUBLIC_URL.into();
    // The digest on t0's weekday from midnight, so that it leaves in this run (the Monday
    // 08:00 of the default is the test below).
    let weekday = match t0.to_zoned_datetime(casablanca()).weekday() {
        jiff::civil::Weekday::Monday => "monday",
        jiff::civil::Weekday::Tuesday => "tuesday",
        jiff::civil::Weekday::Wednesday => "wednesday",
        jiff::civil::Weekday::Thursday => "thursday",
        jiff::civil::Weekday::Friday => "friday",
        jiff::civil::Weekday::Saturday => "saturday",
        jiff::civil::Weekday::Sunday => "sunday",
    };
    config.notify.digest_weekday = serde_json::from_value(json!(weekday)).unwrap();
    config.notify.digest_time = jiff::civil::Time::midnight();
    config.save(&mar_dir.join("config.toml")).unwrap();

    // Two notifications no trigger makes today, put in the outbox as a future trigger would:
    // about the SECRET document, to the SECRET-cleared co-chair and the RESTRICTED-cleared
    // owner. The e-mail may only say that a marked record needs attention.
    let mar = Node::open(&mar_dir).await.unwrap();
    let keys: Vec<NotificationKey> = ["mar-cochair", "mar-owner"]
        .into_iter()
        .map(|u| NotificationKey {
            trigger: "overdue".into(),
            record: secret_doc.0.clone(),
            version: "marked".into(),
            recipient: u.into(),
        })
        .collect();
    mar.store().put_notifications(&keys, &lajna_node::rfc3339(t0)).await.unwrap();
    mar.close().await;
    Made { overdue, due_soon, decision, secret_doc: secret_doc.0, forbidden }
}

/// The instant of the main run: four days after now (the peer's last exchange is then three
/// days past, the new actions are less than seven days old), at 08:00 in Casablanca when its
/// local hour would be too late for the run's few hours to stay on one day.
fn start_of_run() -> Timestamp {
    let t = Timestamp::now() + jiff::SignedDuration::from_hours(4 * 24);
    let local = t.to_zoned_datetime(casablanca());
    let t = if local.hour() < 7 || local.hour() >= 18 {
        let day = if local.hour() >= 18 { local.date().tomorrow().unwrap() } else { local.date() };
        day.at(8, 0, 0, 0).to_zoned_datetime(casablanca()).unwrap().timestamp()
    } else {
        t
    };
    Timestamp::from_second(t.as_second() / 60 * 60).unwrap()
}

/// Each trigger sends exactly one e-mail to the right person, through three restarts of
/// `lajna serve` in the middle of the run (two SIGTERMs while e-mails are being sent, one
/// SIGKILL while the mail server is away); the mail server down for a while loses nothing;
/// a permanently refused address ends in the dead letters; no e-mail carries a marked
/// record's text or the other party's one-party records; the Arabic subject decodes back
/// exactly and a CR/LF title adds no header.
#[test]
fn every_trigger_mails_once_to_the_right_person_through_restarts_and_an_outage() {
    let dir = tempfile::tempdir().unwrap();
    ok(lajna(&["demo", "--data", dir.path().to_str().unwrap(), "--nodes", "2", "--no-serve"]));
    let t0 = start_of_run();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let made = rt.block_on(setup(dir.path(), t0));
    let data = dir.path().join("mar").to_str().unwrap().to_string();
    let (inbox, log) = (dir.path().join("inbox"), dir.path().join("serve.log"));
    std::fs::create_dir(&inbox).unwrap();
    let at = |minutes: i64| lajna_node::rfc3339(t0 + jiff::SignedDuration::from_mins(minutes));

    // What the first tick will make, read from the dry run: one line per notification.
    // Without an SMTP URL the dry run says the addresses wait for one; with one, it e-mails.
    let unset = ok(lajna(&["notify", "--dry-run", "--data", &data, "--at", &at(0)]));
    let dry = Command::new(env!("CARGO_BIN_EXE_lajna"))
        .args(["notify", "--dry-run", "--data", &data, "--at", &at(0)])
        .env("LAJNA_SMTP_URL", "smtp://127.0.0.1:2525")
        .output()
        .expect("run lajna");
    let dry = ok(dry);
    let first: usize = dry.lines().filter(|l| l.contains("\te-mail ") && !l.contains("@refused.example")).count() + 2;
    let waiting =
        unset.lines().filter(|l| l.contains("\tin-app only (e-mail ") && l.ends_with(" once notify.smtp_url is set)"));
    assert_eq!(waiting.count(), dry.lines().filter(|l| l.contains("\te-mail ")).count(), "{unset}");
    assert!(first > 10, "{dry}");

    // Run 1, then SIGTERM after three e-mails (restart 1); run 2, SIGTERM again (restart 2).
    let mut smtp = Smtp::start(&inbox, 0, "mar-viewer@refused.example", "0.15");
    let port = smtp.port;
    for (run, minutes) in [(1, 0), (2, 60)] {
        let before = count(&inbox);
        let serve = Serve::start(&data, port, &at(minutes), &log);
        wait_until("three e-mails", || count(&inbox) >= before + 3);
        serve.terminate();
        let n = count(&inbox);
        assert!(n < first, "run {run} was to stop in the middle: {n} of {first} sent");
        eprintln!("run {run} stopped by SIGTERM after {n} of the first tick's {first} e-mails");
    }
    // Run 3 delivers the rest.
    let serve = Serve::start(&data, port, &at(120), &log);
    wait_until("every e-mail of the first tick", || count(&inbox) >= first);
    wait_until("an empty outbox", || status(&data).contains("e-mails waiting: 0"));

    // The mail server goes away; two new actions are planned meanwhile (by another process).
    smtp.stop();
    let later = rt.block_on(async {
        let node = Node::open(&dir.path().join("mar")).await.unwrap();
        let state = node.read_all().await;
        let lead = node.contact("mar-lead").await.unwrap().unwrap().user.member.unwrap();
        let officer = node.contact("mar-officer").await.unwrap().unwrap().user.member.unwrap();
        let due = t0.to_zoned_datetime(casablanca()).date().checked_add(jiff::Span::new().days(60)).unwrap();
        let a3 =
            exec(&node, "MAR", action(&state, "MAR", &lead, json!({"fr": "Action pendant la panne 1"}), due), "action")
                .await;
        let a4 = exec(
            &node,
            "MAR",
            action(&state, "MAR", &officer, json!({"fr": "Action pendant la panne 2"}), due),
            "action",
        )
        .await;
        node.close().await;
        [a3, a4]
    });
    wait_until("two failed attempts", || most_attempts(&status(&data)) >= 2);
    assert!(status(&data).contains("e-mails waiting: 2"), "{}", status(&data));
    // Restart 3: a crash while the mail server is away (nothing can be in flight and accepted).
    serve.crash();
    let serve = Serve::start(&data, port, &at(180), &log);
    wait_until("a third failed attempt", || most_attempts(&status(&data)) >= 3);
    assert_eq!(count(&inbox), first, "nothing was delivered while the server was down");
    let smtp = Smtp::start(&inbox, port, "mar-viewer@refused.example", "0");
    wait_until("the e-mails of the outage", || count(&inbox) >= first + 2);
    // A last action: its e-mail comes after anything the scheduler could still send twice.
    let last = rt.block_on(async {
        let node = Node::open(&dir.path().join("mar")).await.unwrap();
        let state = node.read_all().await;
        let lead = node.contact("mar-lead").await.unwrap().unwrap().user.member.unwrap();
        let due = t0.to_zoned_datetime(casablanca()).date().checked_add(jiff::Span::new().days(90)).unwrap();
        let a5 =
            exec(&node, "MAR", action(&state, "MAR", &lead, json!({"fr": "Dernière action"}), due), "action").await;
        node.close().await;
        a5
    });
    wait_until("the last action's e-mail", || count(&inbox) >= first + 3);
    serve.terminate();
    drop(smtp);

    let mail = read_mail(&inbox);
    let st = status(&data);
    assert!(st.contains(&format!("e-mails sent: {}\n", mail.len())), "{st}");
    assert!(st.contains("e-mails waiting: 0") && st.contains("dead letters: 1"), "{st}");
    // Without an SMTP URL the status says nothing leaves; with one it names the server, never
    // the credentials.
    assert!(st.starts_with("e-mail server: not configured (notify.smtp_url / LAJNA_SMTP_URL unset)"), "{st}");
    let with_url = Command::new(env!("CARGO_BIN_EXE_lajna"))
        .args(["notify", "status", "--data", &data])
        .env("LAJNA_SMTP_URL", "smtp://mailer:s3cret-pw@127.0.0.1:2525?tls=required")
        .output()
        .expect("run lajna");
    let with_url = ok(with_url);
    assert!(with_url.starts_with("e-mail server: 127.0.0.1:2525?tls=required\n"), "{with_url}");
    assert!(!with_url.contains("s3cret-pw") && !with_url.contains("mailer"), "{with_url}");
    let dead: Vec<&str> = st.lines().filter(|l| l.starts_with("dead\t")).collect();
    assert_eq!(dead.len(), 1, "{st}");
    assert!(dead[0].contains("\tdigest\tmar-viewer\tmar-viewer@refused.example\tattempts 1\t"), "{st}");
    assert!(dead[0].contains("550"), "{st}");

    // Exactly one e-mail per notification: the Message-ID is a hash of the key.
    let sent = rt.block_on(sent_keys(&dir.path().join("mar/lajna.sqlite")));
    let by_id: BTreeMap<String, (NotificationKey, String)> =
        sent.into_iter().map(|(k, email)| (message_id(&k, "lajna.mar.example"), (k, email))).collect();
    let ids: Vec<&str> = mail.iter().map(|m| m.s("message_id")).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "an e-mail was sent twice");
    assert_eq!(unique, by_id.keys().map(String::as_str).collect::<BTreeSet<_>>());
    let key_of = |m: &Mail| &by_id[m.s("message_id")];
    for m in &mail {
        let (key, email) = key_of(m);
        // The right person: the key's recipient, in the envelope and the To header.
        assert_eq!((m.s("to"), m.json["rcpt"].clone()), (email.as_str(), json!([email])), "{key:?}");
        let lang = if ["mar-cochair", "mar-lead", "mar-viewer"].contains(&key.recipient.as_str()) {
            "ar"
        } else if ["mar-owner"].contains(&key.recipient.as_str()) {
            "en"
        } else {
            "fr"
        };
        // The preferences link, as a header and the body's last line.
        let prefs = format!("{PUBLIC_URL}/{lang}/profile#prefs");
        assert_eq!(m.s("list_unsubscribe"), format!("<{prefs}>"));
        assert!(m.s("text").trim_end().ends_with(&prefs), "{}", m.s("text"));
        let dir_attr = if lang == "ar" { "dir=\"rtl\"" } else { "dir=\"ltr\"" };
        assert!(m.s("html").contains(&format!("lang=\"{lang}\" {dir_attr}")), "{}", m.s("html"));
    }
    let to_whom = |trigger: &str, record: Option<&str>| -> Vec<String> {
        let mut v: Vec<String> = mail
            .iter()
            .map(key_of)
            .filter(|(k, _)| k.trigger == trigger && record.is_none_or(|r| k.record == r))
            .map(|(k, _)| k.recipient.clone())
            .collect();
        v.sort();
        v
    };
    // Each trigger, to the right people.
    assert_eq!(to_whom("overdue", Some(&made.overdue)), ["mar-lead"]);
    assert_eq!(to_whom("due-soon", Some(&made.due_soon)), ["mar-officer"]);
    assert_eq!(to_whom("new-action", Some(&made.overdue)), ["mar-lead"]);
    assert_eq!(to_whom("new-action", Some(&made.due_soon)), ["mar-officer"]);
    assert_eq!(to_whom("new-action", Some(&later[0])), ["mar-lead"]);
    assert_eq!(to_whom("new-action", Some(&later[1])), ["mar-officer"]);
    assert_eq!(to_whom("new-action", Some(&last)), ["mar-lead"]);
    assert_eq!(to_whom("endorse", Some(&made.decision)), ["mar-cochair"]);
    assert!(to_whom("endorse", None).iter().all(|u| u == "mar-cochair"));
    let minutes = to_whom("minutes-late", None);
    assert!(!minutes.is_empty() && minutes.iter().all(|u| u == "mar-secretary"), "{minutes:?}");
    assert_eq!(to_whom("peer-silent", None), ["mar-secretary"]);
    assert_eq!(to_whom("digest", None), ["mar-cochair", "mar-lead", "mar-officer", "mar-owner", "mar-secretary"]);
    // Sovereignty: the MAR node wrote to none of the other party's people.
    assert!(mail.iter().all(|m| m.s("to").ends_with("@mar.example")));

    // The Arabic subject decodes back exactly; the CR/LF title added no header.
    let subject_of = |record: &str, trigger: &str| {
        mail.iter().find(|m| key_of(m).0.record == record && key_of(m).0.trigger == trigger).unwrap().s("subject")
    };
    assert_eq!(subject_of(&made.overdue, "overdue"), "تذكير: إجراء «تدريب 12 ضابطاً» متأخر");
    let due = t0.to_zoned_datetime(casablanca()).date().checked_add(jiff::Span::new().days(10)).unwrap();
    assert_eq!(
        subject_of(&made.due_soon, "due-soon"),
        format!("Rappel : l'action « Rapport  Bcc: victim@evil.example  X-Evil: 1 » arrive à échéance le {due}")
    );
    for m in &mail {
        let headers: Vec<&str> = m.json["headers"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
        assert!(!headers.contains(&"bcc") && !headers.contains(&"x-evil"), "{headers:?}");
    }

    // Markings: the e-mails about the SECRET document say only that a marked record needs
    // attention (to a SECRET-cleared co-chair too), with its link; no e-mail carries the title
    // or text of a RESTRICTED-or-above record or of the other party's one-party records.
    let marked: Vec<&Mail> = mail.iter().filter(|m| key_of(m).0.record == made.secret_doc).collect();
    assert_eq!(marked.len(), 2);
    for m in &marked {
        let (key, _) = key_of(m);
        if key.recipient == "mar-cochair" {
            // Cleared for it: the link to the document, and nothing else of it.
            assert_eq!(m.s("subject"), "سجل مصنف يتطلب انتباهكم");
            assert!(m.s("text").contains(&format!("/ar/documents/{}", made.secret_doc)), "{}", m.s("text"));
        } else {
            // Not cleared (RESTRICTED): not even its id.
            assert_eq!(m.s("subject"), "A marked record needs attention");
            assert!(!m.s("text").contains(&made.secret_doc) && !m.s("html").contains(&made.secret_doc));
        }
    }
    assert_says_nothing_of(&mail, &made.forbidden);
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &mail {
        *per.entry(key_of(m).0.trigger.as_str()).or_default() += 1;
    }
    eprintln!("{} e-mails, one per notification: {per:?}; dead letters: 1", mail.len());
}

/// The (key, address) of every notification whose e-mail the server accepted, read from the
/// node's database.
async fn sent_keys(db: &Path) -> Vec<(NotificationKey, String)> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display())).await.unwrap();
    let rows = sqlx::query(
        "SELECT n.trigger, n.record, n.version, n.recipient, u.email FROM notifications n
         JOIN outbox o ON o.notification = n.id JOIN users u ON u.username = n.recipient
         WHERE o.sent_at IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows.iter()
        .map(|r| {
            let key = NotificationKey { trigger: r.get(0), record: r.get(1), version: r.get(2), recipient: r.get(3) };
            (key, r.get(4))
        })
        .collect()
}

/// The weekly digest leaves at 08:00 in Casablanca on the Monday before Morocco's 2026 change
/// of offset for Ramadan and on the Monday after it, as jiff's bundled tz database says the
/// change falls. The scheduler's clock moves 30 minutes a tick from 06:00 and 07:00 UTC: the
/// e-mail's Date is the tick that sent it, so it left at 08:00 local and not a tick earlier.
/// The one-node demo writes for both parties: its e-mails are searched for the other party's
/// one-party records too.
#[test]
fn the_weekly_digest_leaves_monday_0800_casablanca_before_and_after_the_2026_ramadan_change() {
    // jiff's tz database: Casablanca goes from +01 to +00 on 2026-02-15 02:00 UTC (and back
    // on 2026-03-22); 2026-02-09 and 2026-02-16 are the Mondays around the first change.
    let tz = casablanca();
    let change = tz.following(ts("2026-01-01T00:00:00Z")).next().unwrap();
    assert_eq!((change.timestamp(), change.offset().seconds()), (ts("2026-02-15T02:00:00Z"), 0));
    let back = tz.following(change.timestamp()).next().unwrap();
    assert_eq!((back.timestamp(), back.offset().seconds()), (ts("2026-03-22T02:00:00Z"), 3600));

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").to_str().unwrap().to_string();
    ok(lajna(&["demo", "--data", &data, "--no-serve"]));
    for (user, lang, email) in [
        ("mar-secretary", "fr", "mar-secretary@mar.example"),
        ("mli-secretary", "fr", "mli-secretary@mli.example"),
        ("mar-owner", "ar", "mar-owner@mar.example"),
    ] {
        ok(lajna(&[
            "notify",
            "set",
            "--data",
            &data,
            user,
            "--lang",
            lang,
            "--tz",
            "Africa/Casablanca",
            "--email",
            email,
        ]));
    }
    // `notify set` changes what it is given and keeps the rest (the profile page's triggers too).
    let set = |args: &[&str]| ok(lajna(&[&["notify", "set", "--data", &data, "mar-owner"], args].concat()));
    assert_eq!(
        set(&["--off", "digest", "--off", "overdue"]),
        "mar-owner: ar · Africa/Casablanca · mar-owner@mar.example · triggers off: digest, overdue\n"
    );
    assert_eq!(
        set(&["--email", "owner@mar.example", "--on", "overdue"]),
        "mar-owner: ar · Africa/Casablanca · owner@mar.example · triggers off: digest\n"
    );
    assert_eq!(
        set(&["--email", "mar-owner@mar.example", "--on", "digest"]),
        "mar-owner: ar · Africa/Casablanca · mar-owner@mar.example · triggers off: none\n"
    );
    let unknown = lajna(&["notify", "set", "--data", &data, "mar-owner", "--off", "weekly"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("[possible values: due-soon, overdue"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let forbidden = rt.block_on(async {
        let node = Node::open(Path::new(&data)).await.unwrap();
        let mut config = node.config.clone();
        config.notify.tick_seconds = 1;
        config.notify.mail_from = FROM.into();
        config.save(&Path::new(&data).join("config.toml")).unwrap();
        // Each party's one-party note; and what the demo holds marked (its SECRET MAR-only
        // assessment).
        for (party, n) in [("MAR", 1207), ("MLI", 3309)] {
            let note = json!({"party": party, "title": {"fr": format!("Note réservée {party} {n}")},
                              "text": {"fr": format!("Contenu réservé {party} {n}")}});
            let id = exec(&node, party, note, "note").await;
            // Notifications about the other party's note, as a future trigger would make them.
            let other = if party == "MAR" { "mli-secretary" } else { "mar-secretary" };
            let key =
                NotificationKey { trigger: "overdue".into(), record: id, version: "x".into(), recipient: other.into() };
            node.store().put_notifications(&[key], "2026-02-09T06:00:00Z").await.unwrap();
        }
        let state = node.read_all().await;
        let secret = state.all::<lajna_domain::records::Document>(RecordKind::Document);
        node.close().await;
        let mut f: Vec<String> = [
            "Note réservée MAR 1207",
            "Contenu réservé MAR 1207",
            "Note réservée MLI 3309",
            "Contenu réservé MLI 3309",
        ]
        .map(String::from)
        .into();
        for (_, d) in secret.iter().filter(|(_, d)| d.marking.classification.is_protected()) {
            f.extend(texts(&d.title));
        }
        f
    });

    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let smtp = Smtp::start(&inbox, 0, "nobody@refused.example", "0");
    let log = dir.path().join("serve.log");
    let digest = |week: &str| -> Vec<(String, String)> {
        read_mail(&inbox)
            .iter()
            .filter(|m| m.s("subject").contains(&format!("({week})")))
            .map(|m| (m.s("to").to_string(), m.s("date").to_string()))
            .collect::<Vec<_>>()
    };
    for (start, week, left) in [
        ("2026-02-09T06:00:00Z", "2026-W07", "2026-02-09T07:00:00+00:00"),
        ("2026-02-16T07:00:00Z", "2026-W08", "2026-02-16T08:00:00+00:00"),
    ] {
        // 30 simulated minutes a tick: 06:00, 06:30, 07:00 … UTC.
        let serve = Serve::start_step(&data, smtp.port, start, "1800", &log);
        wait_until("the digests", || digest(week).len() == 3);
        serve.terminate();
        let got = digest(week);
        for (to, date) in &got {
            assert_eq!(date, left, "{to}");
            // 08:00 on the wall clocks of Casablanca.
            let local = ts(date).to_zoned_datetime(casablanca());
            assert_eq!((local.weekday(), local.hour(), local.minute()), (jiff::civil::Weekday::Monday, 8, 0));
        }
        let to: BTreeSet<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            to,
            BTreeSet::from(["mar-owner@mar.example", "mar-secretary@mar.example", "mli-secretary@mli.example"])
        );
    }
    let mail = read_mail(&inbox);
    // The notifications about the other party's note said nothing of it.
    let marked = mail.iter().filter(|m| m.s("subject") == "Un enregistrement protégé demande votre attention").count();
    assert_eq!(marked, 2);
    assert_says_nothing_of(&mail, &forbidden);
}
