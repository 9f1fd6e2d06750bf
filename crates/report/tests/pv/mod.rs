//! The procès-verbal (PV) of a session of the demo, with minutes recorded and endorsed by both
//! co-chairs through `Node::execute`: read back by poppler (`pdftotext`, `pdftoppm`), page 1 of
//! each edition kept as PNG under `artefacts/pv/`, generated twice to the same bytes, and
//! checked by `lajna_report::pv::verify`.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use lajna_demo as demo;
use lajna_domain::records::{Action, Decision, Member, Session};
use lajna_domain::values::{MemberRole, PartyCode, Progress};
use lajna_domain::{ActionStatus, Actor, Command, Lang, LocalizedText as T, RecordKind, minutes_status};
use lajna_i18n::Catalog;
use lajna_node::Node;
use lajna_report::pv::{self, Edition, Verdict};
use serde_json::{Map, json};

use super::run;

/// As the report tests' `norm`, and without the spaces around a hyphen: pdftotext moves the
/// space of `اللجنة - الجانب` to one side of the (direction-neutral) hyphen.
fn norm(s: &str) -> String {
    super::norm(s).replace(" -", "-").replace("- ", "-")
}

/// Without any white space: pdftotext drops the space where an Arabic line changes direction
/// (`2025-2026 وتكليف` reads `2025-2026وتكليف`); letters and digits keep their logical order.
fn squash(s: &str) -> String {
    norm(s).split_whitespace().collect()
}

fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artefacts/pv");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const MINUTES_AR: &str =
    "افتتح الرئيسان المشاركان الاجتماع الأول للجنة العسكرية المشتركة.\nاستعرضت اللجنة مجالات التعاون الخمسة.";
const MINUTES_FR: &str = "Les coprésidents ont ouvert la première réunion de la commission militaire mixte.\nLa commission a passé en revue les cinq domaines de coopération.";

/// Session ids by number, and each party's co-chair as an actor.
struct Demo {
    node: Node,
    sessions: Vec<(i64, String)>,
    chairs: Vec<Actor>,
}

impl Demo {
    async fn new(dir: &Path) -> Self {
        let node = demo::build(&dir.join("data")).await.unwrap();
        let (mut sessions, chairs) = node
            .with_state(|s| {
                let sessions: Vec<(i64, String)> =
                    s.all::<Session>(RecordKind::Session).into_iter().map(|(id, x)| (x.number, id)).collect();
                let chairs: Vec<Actor> = s
                    .all::<Member>(RecordKind::Member)
                    .into_iter()
                    .filter(|(_, m)| m.role == MemberRole::CoChair)
                    .map(|(id, m)| Actor { party: m.party, member: Some(id) })
                    .collect();
                (sessions, chairs)
            })
            .await;
        sessions.sort();
        Demo { node, sessions, chairs }
    }

    fn session(&self, number: i64) -> String {
        self.sessions.iter().find(|(n, _)| *n == number).unwrap().1.clone()
    }

    /// Writes the minutes of `session` (Arabic and French) and returns their version.
    async fn write_minutes(&self, session: &str, ar: &str, fr: &str) -> String {
        let mut set = Map::new();
        set.insert("minutes".into(), json!(T::tri(ar, fr, "")));
        let mar = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
        self.node.execute(&mar, &Command::Revise { kind: RecordKind::Session, id: session.into(), set }).await.unwrap();
        self.version(session).await
    }

    async fn version(&self, session: &str) -> String {
        self.node
            .with_state(|s| {
                let parties = vec!["MAR".to_string(), "MLI".to_string()];
                minutes_status(s.entry(session).unwrap(), &parties).effective().unwrap().0.to_string()
            })
            .await
    }

    /// The co-chair of party `i` (0 MAR, 1 MLI) endorses `version` of the minutes of `session`.
    async fn endorse(&self, i: usize, session: &str, version: &str) {
        let chair = self.chairs.iter().find(|a| a.party.as_str() == ["MAR", "MLI"][i]).unwrap();
        let command = Command::EndorseMinutes { session: session.into(), version: version.into() };
        self.node.execute(chair, &command).await.unwrap();
    }

    async fn pv(&self, catalog: &Catalog, session: &str, edition: Edition) -> Vec<u8> {
        pv::generate(&self.node, catalog, session, edition).await.unwrap().0
    }
}

/// Keeps `pdf` as `name.pdf` and page 1 as `name-page1.png` under `artefacts/pv/`, and returns
/// the text pdftotext reads, normalised.
fn read_back(pdf: &[u8], name: &str) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let dir = artefacts();
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let png = dir.join(format!("{name}-page1"));
    run(Process::new("pdftoppm").args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]).arg(&file).arg(&png));
    let bytes = std::fs::read(png.with_extension("png")).unwrap();
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000, "page 1 rendered");
    norm(&run(Process::new("pdftotext").args(["-enc", "UTF-8"]).arg(&file).arg("-")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_arabic_and_french_pvs_read_back_with_the_committee_every_participant_and_every_decision() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::new(dir.path()).await;
    let catalog = Catalog::load();
    let s1 = demo.session(1);
    let version = demo.write_minutes(&s1, MINUTES_AR, MINUTES_FR).await;
    demo.endorse(0, &s1, &version).await;
    demo.endorse(1, &s1, &version).await;
    let (charter, members, decisions) = demo
        .node
        .with_state(|s| {
            let decisions: Vec<Decision> = s
                .all::<Decision>(RecordKind::Decision)
                .into_iter()
                .filter(|(_, d)| d.session == s1)
                .map(|(_, d)| d)
                .collect();
            let members: Vec<Member> = s.all::<Member>(RecordKind::Member).into_iter().map(|(_, m)| m).collect();
            (s.charter().unwrap().clone(), members, decisions)
        })
        .await;
    assert_eq!(decisions.len(), 2);
    assert_eq!(members.len(), 4);

    for lang in [Lang::Ar, Lang::Fr] {
        let text = read_back(&demo.pv(&catalog, &s1, Edition::One(lang)).await, &format!("pv-1-{}", lang.code()));
        let get = |t: &T| norm(t.get(lang).unwrap());
        assert!(text.contains(&get(&charter.name)), "{lang:?}: committee name in:\n{text}");
        for p in &charter.parties {
            assert!(text.contains(&get(&p.name)), "{lang:?}: party {:?}", p.name);
        }
        for m in &members {
            assert!(text.contains(&get(&m.name)), "{lang:?}: participant {:?} in:\n{text}", m.name);
            if let Some(rank) = &m.rank {
                assert!(text.contains(&get(rank)), "{lang:?}: rank {rank:?}");
            }
        }
        for d in &decisions {
            assert!(squash(&text).contains(&squash(&get(&d.text))), "{lang:?}: decision {:?} in:\n{text}", d.text);
            assert!(text.contains("2025-2026"), "{lang:?}: a number run inside the text keeps its order");
        }
        let minutes = if lang == Lang::Ar { MINUTES_AR } else { MINUTES_FR };
        for line in minutes.lines() {
            assert!(text.contains(&norm(line)), "{lang:?}: minutes line {line:?}");
        }
        // PV n° 1/2025; agenda 1.1 and 1.2, decisions 3.1 and 3.2, references D-1/1 and D-1/2,
        // the date and its Hijri day: number runs read left to right in Arabic too (C22).
        for run in
            ["1/2025", "1.1", "1.2", "3.1", "3.2", "D-2025/1-2", "A.1", "C.1", "2025-02-17", "2025-02-19", "1446"]
        {
            assert!(text.contains(run), "{lang:?}: {run:?} in:\n{text}");
        }
    }
    let fr = read_back(&demo.pv(&catalog, &s1, Edition::One(Lang::Fr)).await, "pv-1-fr");
    assert!(fr.contains("PV n° 1/2025") && fr.contains("2025-02-17 – 2025-02-19"), "{fr}");
    assert!(fr.contains(&norm("18 chaabane 1446 H")), "Hijri date beside the Gregorian one:\n{fr}");
    // The side-by-side edition holds both originals.
    let both = read_back(&demo.pv(&catalog, &s1, Edition::ArFr).await, "pv-1-ar+fr");
    // (pdftotext puts the final full stop of an Arabic line on its left end in a page whose
    // main direction is left to right: the line is compared without it.)
    for line in MINUTES_FR.lines().chain(MINUTES_AR.lines()) {
        assert!(both.contains(&norm(line.trim_end_matches('.'))), "{line:?} in the side-by-side edition:\n{both}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_draft_watermark_stays_until_both_co_chairs_endorse_and_the_footer_then_names_version_and_endorsements() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::new(dir.path()).await;
    let catalog = Catalog::load();
    let s1 = demo.session(1);
    let version = demo.write_minutes(&s1, MINUTES_AR, MINUTES_FR).await;
    demo.endorse(0, &s1, &version).await;
    // One endorsement is not enough.
    let fr = read_back(&demo.pv(&catalog, &s1, Edition::One(Lang::Fr)).await, "pv-draft-fr");
    let ar = read_back(&demo.pv(&catalog, &s1, Edition::One(Lang::Ar)).await, "pv-draft-ar");
    let en = read_back(&demo.pv(&catalog, &s1, Edition::One(Lang::En)).await, "pv-draft-en");
    assert!(fr.contains("PROJET"), "{fr}");
    assert!(ar.contains(&norm("مشروع")), "{ar}");
    assert!(en.contains("DRAFT"), "{en}");
    assert!(!fr.contains(&version), "no endorsed version in a draft's footer");

    demo.endorse(1, &s1, &version).await;
    let input = pv::gather(&demo.node, &catalog, &s1, Edition::One(Lang::Fr)).await.unwrap();
    assert!(input.agreed && input.version == version);
    let events: Vec<String> = input.endorsements.iter().map(|e| e.event.clone()).collect();
    assert_eq!(events.len(), 2);
    let fr = read_back(&demo.pv(&catalog, &s1, Edition::One(Lang::Fr)).await, "pv-endorsed-fr");
    let ar = read_back(&demo.pv(&catalog, &s1, Edition::One(Lang::Ar)).await, "pv-endorsed-ar");
    assert!(!fr.contains("PROJET"), "{fr}");
    assert!(!ar.contains(&norm("مشروع")), "{ar}");
    for text in [&fr, &ar] {
        assert!(text.contains(&version), "the endorsed version in the footer:\n{text}");
        for e in &events {
            assert!(text.contains(e.as_str()), "endorsement {e} in the footer:\n{text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_generations_from_the_same_record_are_byte_identical_even_after_later_progress() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::new(dir.path()).await;
    let catalog = Catalog::load();
    let s1 = demo.session(1);
    let version = demo.write_minutes(&s1, MINUTES_AR, MINUTES_FR).await;
    demo.endorse(0, &s1, &version).await;
    demo.endorse(1, &s1, &version).await;
    let started = std::time::Instant::now();
    let a = demo.pv(&catalog, &s1, Edition::One(Lang::Ar)).await;
    eprintln!("one PV (ar) of the demo: {:?}, {} bytes", started.elapsed(), a.len());
    let b = demo.pv(&catalog, &s1, Edition::One(Lang::Ar)).await;
    assert!(a == b, "same record, same bytes");
    let stamp = pv::read_stamp(&a).unwrap();
    assert_eq!(
        (stamp.session.as_str(), stamp.lang.as_str(), stamp.version.as_str()),
        (s1.as_str(), "ar", version.as_str())
    );
    assert_eq!(stamp.state, "agreed");

    // An action of the roadmap drafted at session 1 progresses afterwards: the original is
    // laid out from the record as of the agreement, so it does not change.
    let (action, before) = demo
        .node
        .with_state(|s| {
            s.all::<Action>(RecordKind::Action).into_iter().find(|(_, a)| a.status == ActionStatus::InProgress).unwrap()
        })
        .await;
    let mar = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    let progress = Progress::new(i64::from(before.progress.percent()) + 5).unwrap();
    demo.node
        .execute(
            &mar,
            &Command::ReportProgress { completed: None, action, status: None, progress: Some(progress), reason: None },
        )
        .await
        .unwrap();
    let c = demo.pv(&catalog, &s1, Edition::One(Lang::Ar)).await;
    assert!(a == c, "progress after the agreement leaves the endorsed original unchanged");
    // A draft is the record as it stands (session 2 has no minutes: still a PV, in draft).
    let d1 = demo.pv(&catalog, &demo.session(2), Edition::One(Lang::Fr)).await;
    let d2 = demo.pv(&catalog, &demo.session(2), Edition::One(Lang::Fr)).await;
    assert!(d1 == d2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_session_annexes_the_execution_of_the_first_session_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::new(dir.path()).await;
    let catalog = Catalog::load();
    let s2 = demo.session(2);
    let input = pv::gather(&demo.node, &catalog, &s2, Edition::One(Lang::Fr)).await.unwrap();
    let data = pv::data_json(&input).unwrap();
    let ed = &data["eds"][0];
    assert_eq!(ed["number"], "2/2025");
    assert_eq!(ed["agenda"][1]["n"], "1.2");
    assert_eq!(data["draft"], true);
    assert_eq!(data["watermark"], "PROJET");
    let previous = &ed["previous"];
    assert_eq!(previous["number"], 1);
    assert_eq!(previous["decisions"].as_array().unwrap().len(), 2);
    assert_eq!(previous["decisions"][1]["reference"], "D-2025/1-2");
    assert_eq!(previous["decisions"][0]["adopted"], true);
    assert_eq!(previous["decisions"][1]["adopted"], false);
    assert!(!previous["actions"].as_array().unwrap().is_empty(), "the roadmap of session 1 and its actions");
    assert!(ed["matrix"].as_array().unwrap().is_empty(), "session 2 drafted no roadmap");
    let s1 = pv::data_json(&pv::gather(&demo.node, &catalog, &demo.session(1), Edition::ArFr).await.unwrap()).unwrap();
    assert!(s1["eds"][0]["previous"].is_null(), "no session before the first");
    assert_eq!(s1["watermark"], "مشروع / PROJET");
    assert_eq!(s1["eds"][1]["lang"], "ar");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_accepts_the_original_and_refuses_an_altered_copy_another_session_and_a_draft() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::new(dir.path()).await;
    let catalog = Catalog::load();
    let (s1, s2) = (demo.session(1), demo.session(2));
    let v1 = demo.write_minutes(&s1, MINUTES_AR, MINUTES_FR).await;
    demo.endorse(0, &s1, &v1).await;
    let draft = demo.pv(&catalog, &s1, Edition::One(Lang::Fr)).await;
    demo.endorse(1, &s1, &v1).await;
    let original = demo.pv(&catalog, &s1, Edition::One(Lang::Fr)).await;
    let verify = |pdf: Vec<u8>, expected: Option<String>| {
        let (node, catalog) = (&demo.node, &catalog);
        async move { pv::verify(node, catalog, &pdf, expected.as_deref()).await.unwrap() }
    };

    let ok = verify(original.clone(), None).await;
    assert!(ok.ok(), "{ok}");
    assert!(verify(original.clone(), Some(s1.clone())).await.ok());

    // One byte changed, away from the stamp.
    let mut altered = original.clone();
    let at = altered.len() / 2;
    altered[at] ^= 0x01;
    match verify(altered, None).await {
        Verdict::Altered { offset, .. } => assert_eq!(offset, at),
        other => panic!("altered copy: {other}"),
    }
    // The PV of session 1 is not the PV of session 2; a session this record lacks is named.
    assert!(matches!(verify(original.clone(), Some(s2.clone())).await, Verdict::WrongSession { .. }));
    // The same file naming a session this record lacks (the id replaced byte for byte).
    let mut unknown = original.clone();
    let id = s1.as_bytes();
    let mut i = 0;
    while i + id.len() <= unknown.len() {
        if &unknown[i..i + id.len()] == id {
            unknown[i..i + id.len()].fill(b'0');
            i += id.len();
        } else {
            i += 1;
        }
    }
    assert!(matches!(verify(unknown, None).await, Verdict::UnknownSession(_)));
    // A draft (PROJET) is never the endorsed original, nor is a file without a stamp.
    assert_eq!(verify(draft, None).await, Verdict::NotEndorsed { file_draft: true });
    assert_eq!(verify(b"%PDF-1.7 nothing".to_vec(), None).await, Verdict::NotAPv);

    // An amendment adopted later: the old original names another version.
    let amend = Command::AmendMinutes { session: s1.clone(), minutes: T::tri(MINUTES_AR, "Texte corrigé.", "") };
    let mar = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    demo.node.execute(&mar, &amend).await.unwrap();
    let amendment = demo
        .node
        .with_state(|s| {
            let parties = vec!["MAR".to_string(), "MLI".to_string()];
            minutes_status(s.entry(&s1).unwrap(), &parties).amendments[0].id.clone()
        })
        .await;
    demo.endorse(0, &s1, &amendment).await;
    demo.endorse(1, &s1, &amendment).await;
    assert_eq!(
        verify(original.clone(), None).await,
        Verdict::OtherVersion { file: v1.clone(), record: amendment.clone() }
    );
    assert!(verify(demo.pv(&catalog, &s1, Edition::One(Lang::Fr)).await, None).await.ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_delegation_and_actions_naming_a_decision_fill_annexes_a_and_c() {
    use lajna_domain::attendance::{Attendance, DelegationEntry};
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::new(dir.path()).await;
    let catalog = Catalog::load();
    let s1 = demo.session(1);
    let (mar_members, decision, action) = demo
        .node
        .with_state(|s| {
            let members: Vec<(String, Member)> =
                s.all::<Member>(RecordKind::Member).into_iter().filter(|(_, m)| m.party.as_str() == "MAR").collect();
            let decision =
                s.all::<Decision>(RecordKind::Decision).into_iter().find(|(_, d)| d.session == s1).unwrap().0;
            let action = s.all::<Action>(RecordKind::Action).into_iter().next().unwrap().0;
            (members, decision, action)
        })
        .await;
    let chair = mar_members.iter().find(|(_, m)| m.role == MemberRole::CoChair).unwrap();
    let secretary = mar_members.iter().find(|(_, m)| m.role == MemberRole::Secretary).unwrap();
    let entries = vec![
        DelegationEntry {
            member: chair.0.clone(),
            function: None,
            attendance: Attendance::Present,
            represented_by: None,
            head: true,
        },
        DelegationEntry {
            member: secretary.0.clone(),
            function: Some(T::tri("مقرر", "Rapporteur", "Rapporteur")),
            attendance: Attendance::Absent,
            represented_by: None,
            head: false,
        },
    ];
    let mar = Actor { party: PartyCode::parse("MAR").unwrap(), member: Some(chair.0.clone()) };
    let record = Command::RecordDelegation { session: s1.clone(), party: chair.1.party.clone(), entries };
    demo.node.execute(&mar, &record).await.unwrap();
    let mut set = Map::new();
    set.insert("decision".into(), json!(decision));
    demo.node.execute(&mar, &Command::Revise { kind: RecordKind::Action, id: action, set }).await.unwrap();

    let input = pv::gather(&demo.node, &catalog, &s1, Edition::One(Lang::Fr)).await.unwrap();
    let data = pv::data_json(&input).unwrap();
    let ed = &data["eds"][0];
    let rows = ed["participants"].as_array().unwrap();
    let row = |name: &str| rows.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("{name} in {rows:?}"));
    assert_eq!(row("Abdelghani Mouhib")["attendance"], "présent");
    assert_eq!(row("Abdelghani Mouhib")["function"], "Le chef de délégation");
    assert_eq!(row("Secrétariat marocain (exemple)")["attendance"], "absent");
    assert_eq!(row("Secrétariat marocain (exemple)")["function"], "Rapporteur");
    assert_eq!(row("Coprésident malien (exemple)")["attendance"], "", "MLI recorded no delegation");
    assert_eq!(ed["attendance_recorded"], false);
    assert_eq!(ed["matrix_linked"], true);
    let matrix = ed["matrix"].as_array().unwrap();
    assert_eq!(matrix.len(), 1, "only the action that names a decision of session 1");
    let reference = demo.node.with_state(|s| lajna_domain::reference::decision_reference(s, &decision)).await.unwrap();
    assert_eq!(matrix[0]["decision"], reference.as_str());
    let text = read_back(&pv::render(&input, &catalog).unwrap(), "pv-1-fr-delegation");
    assert!(text.contains("présent") && text.contains("Rapporteur") && text.contains(&reference), "{text}");
}
