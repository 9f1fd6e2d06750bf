//! The periodic report of the demo committee, as the co-chairs get it: rendered in Arabic and
//! French, read back by independent tools (poppler's `pdftotext` and `pdftoppm`) (the web
//! download is tested in lajna-web). Page 1 of each report is kept as a PNG under `artefacts/report/`.
//!
//! Needs Debian's `poppler-utils` (`scripts/test` installs it).

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use lajna_demo as demo;
use lajna_domain::records::{Action, Area, Roadmap};
use lajna_domain::values::{ActionStatus, PartyCode, Progress};
use lajna_domain::{Actor, Command, Lang, LocalizedText as T, RecordKind};
use lajna_i18n::Catalog;
use lajna_node::Node;
use lajna_report::{Period, render};
use unicode_normalization::UnicodeNormalization;

mod pv;

/// Case C10: an area whose title needs joined letters and lam-alef ligatures.
const C10_AREA: &str = "تدريب الضباط على الإسعافات الأولية";
/// A title that would be markup if typst evaluated it (it must print as typed).
const MARKUP: &str = "#panic(\"x\") *gras* $x^2$ <lbl> @ref _souligné_";

fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artefacts/report");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn mar() -> Actor {
    Actor { party: PartyCode::parse("MAR").unwrap(), member: None }
}

/// The demo plus the C10 area (with one action mixing Arabic and French) and an action whose
/// title looks like typst markup.
async fn demo_node(dir: &Path) -> Node {
    let node = demo::build(dir).await.unwrap();
    node.execute(
        &mar(),
        &Command::DefineArea(Area {
            code: "first-aid".into(),
            title: T::tri(C10_AREA, "Formation des officiers aux premiers secours", "Training officers in first aid"),
            ordinal: 6,
            illustrative: true,
        }),
    )
    .await
    .unwrap();
    let (roadmap, area) = node
        .with_state(|s| {
            let roadmap = s.all::<Roadmap>(RecordKind::Roadmap).into_iter().next().unwrap().0;
            let area = s.all::<Area>(RecordKind::Area).into_iter().find(|(_, a)| a.code == "first-aid").unwrap().0;
            (roadmap, area)
        })
        .await;
    for title in [
        T::tri("اجتماع اللجنة العسكرية المشتركة مع Comité mixte", "Réunion du Comité mixte", "Joint committee meeting"),
        T::tri("", MARKUP, ""),
    ] {
        let action = Action {
            roadmap: roadmap.clone(),
            area: area.clone(),
            title,
            owner: PartyCode::parse("MAR").unwrap(),
            unit: T::tri("وحدة (مثال)", "Unité (exemple)", "Unit (example)"),
            lead: None,
            start: jiff::civil::date(2025, 5, 1),
            due: jiff::civil::date(2025, 8, 31),
            status: ActionStatus::InProgress,
            progress: Progress::new(30).unwrap(),
            weight: None,
            indicator: None,
            decision: None,
            reason: None,
            completed: None,
            illustrative: true,
        };
        node.execute(&mar(), &Command::PlanAction(action)).await.unwrap();
    }
    node
}

fn run(cmd: &mut Process) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e} (install poppler-utils)"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// NFKC, without the bidi embedding marks pdftotext adds around each run (U+202A–U+202E) or
/// isolates (U+2066–U+2069), with every run of white space made one space.
fn norm(s: &str) -> String {
    let s: String = s.nfkc().filter(|c| !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders the report in `lang`, keeps it and page 1 as PNG, and returns the text pdftotext reads.
async fn report(node: &Node, catalog: &Catalog, lang: Lang) -> String {
    let input = lajna_report::gather(node, None, catalog, lang, Period::default()).await.unwrap();
    let pdf = render(&input, lang).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let dir = artefacts();
    let file = dir.join(format!("report-{}.pdf", lang.code()));
    std::fs::write(&file, &pdf).unwrap();
    let png = dir.join(format!("report-{}-page1", lang.code()));
    run(Process::new("pdftoppm").args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]).arg(&file).arg(&png));
    let png = png.with_extension("png");
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000, "page 1 rendered: {}", png.display());
    run(Process::new("pdftotext").args(["-enc", "UTF-8"]).arg(&file).arg("-"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_arabic_and_french_reports_of_the_demo_read_back_in_logical_order() {
    let dir = tempfile::tempdir().unwrap();
    let node = demo_node(&dir.path().join("data")).await;
    let catalog = Catalog::load();
    let charter = demo::charter();
    let areas: Vec<Area> =
        node.with_state(|s| s.all::<Area>(RecordKind::Area)).await.into_iter().map(|(_, a)| a).collect();
    assert_eq!(areas.len(), 6);

    let ar = norm(&report(&node, &catalog, Lang::Ar).await);
    let name = charter.name.ar.as_deref().unwrap();
    assert!(ar.contains(&norm(name)), "committee name in the Arabic report:\n{ar}");
    for area in &areas {
        let title = area.title.ar.as_deref().unwrap();
        assert!(ar.contains(&norm(title)), "area {title:?} in logical order in:\n{ar}");
    }
    // Case C10: the ligatured title reads back as typed, and Arabic beside Latin keeps both.
    assert!(ar.contains(&norm(C10_AREA)));
    assert!(ar.contains(&norm("اللجنة العسكرية المشتركة")) && ar.contains("Comité mixte"));
    // Labels of the report itself are Arabic, and dates keep their digits in order.
    assert!(ar.contains(&norm("التقرير الدوري")));
    assert!(ar.contains("2025-10-01"), "reference date isolated left to right");

    let fr = norm(&report(&node, &catalog, Lang::Fr).await);
    assert!(fr.contains(&norm(charter.name.fr.as_deref().unwrap())), "{fr}");
    for area in &areas {
        assert!(fr.contains(&norm(area.title.fr.as_deref().unwrap())), "area {:?} in:\n{fr}", area.title.fr);
    }
    assert!(fr.contains("Rapport périodique") && fr.contains("Événements vérifiés"));
    // Committee text is data, never markup: the title prints as typed.
    assert!(fr.contains(&norm(MARKUP)), "markup-looking title printed literally in:\n{fr}");
    // The appendix names the state hash of the record it was made from.
    let hash = node.store().state_hash().await.unwrap();
    assert!(fr.contains(&hash), "state hash {hash} in the appendix");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_data_follows_the_period_and_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let node = demo::build(&dir.path().join("data")).await.unwrap();
    let catalog = Catalog::load();
    let all = lajna_report::gather(&node, None, &catalog, Lang::En, Period::default()).await.unwrap();
    let total = node.with_state(|s| s.all::<Action>(RecordKind::Action).len()).await;
    let data = lajna_report::data_json(&all, Lang::En).unwrap();
    assert_eq!(data["summary"]["total"], total);
    assert_eq!(data["period"], "The whole record");
    assert_eq!(data["rtl"], false);
    // Every event verified (the shared log and this node's private one); both parties wrote.
    let private = node.store().private_events().await.unwrap().len() as i64;
    assert_eq!(all.facts.events, node.store().event_count().await.unwrap() + private);
    assert!(all.facts.verified);
    assert!(all.facts.last_event.values().all(Option::is_some), "{:?}", all.facts.last_event);
    // Overdue actions carry their days late on the demo's reference date, most late first.
    let overdue = data["summary"]["overdue"].as_array().unwrap();
    assert!(!overdue.is_empty());
    let days: Vec<i64> = overdue.iter().map(|o| o["days"].as_i64().unwrap()).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]) && days.iter().all(|d| *d > 0), "{days:?}");
    // The period keeps the actions whose dates meet it.
    let mut input = all.clone();
    input.period = Period::parse(Some("2030-01-01"), None).unwrap();
    assert_eq!(lajna_report::data_json(&input, Lang::En).unwrap()["summary"]["total"], 0);
    input.period = Period::parse(Some("2025-06-01"), Some("2025-06-30")).unwrap();
    let june = node
        .with_state(|s| {
            s.all::<Action>(RecordKind::Action)
                .into_iter()
                .filter(|(_, a)| a.start <= jiff::civil::date(2025, 6, 30) && a.due >= jiff::civil::date(2025, 6, 1))
                .count()
        })
        .await;
    assert!(june > 0 && june < total);
    let data = lajna_report::data_json(&input, Lang::En).unwrap();
    assert_eq!(data["summary"]["total"], june);
    assert_eq!(data["period"], "2025-06-01 – 2025-06-30");
    assert!(Period::parse(Some("2025-06-30"), Some("2025-06-01")).is_err());
    assert!(Period::parse(Some("30/06/2025"), None).is_err());
}

/// Issue 13 item 6: the report's "what changed" section. The demo's events were all written
/// now, after its fixed reference date, so the record at the end of 2025-09-01 is the charter
/// alone: every action is new since, and every adopted decision was adopted since.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_says_what_changed_over_its_period() {
    let dir = tempfile::tempdir().unwrap();
    let node = demo::build(&dir.path().join("data")).await.unwrap();
    let catalog = Catalog::load();
    let whole = lajna_report::gather(&node, None, &catalog, Lang::Fr, Period::default()).await.unwrap();
    assert!(whole.changes.is_none() && lajna_report::data_json(&whole, Lang::Fr).unwrap()["changes"].is_null());

    let period = Period::parse(Some("2025-09-01"), None).unwrap();
    let input = lajna_report::gather(&node, None, &catalog, Lang::Fr, period).await.unwrap();
    let (actions, adopted) = node
        .with_state(|s| {
            let parties: Vec<String> = s.charter().unwrap().parties.iter().map(|p| p.code.to_string()).collect();
            let adopted = s
                .entries()
                .filter(|(_, e)| e.kind == RecordKind::Decision)
                .filter(|(id, e)| lajna_domain::adoption(&e.doc(id), &parties).adopted)
                .count();
            (s.all::<Action>(RecordKind::Action).len(), adopted)
        })
        .await;
    assert!(actions > 0 && adopted > 0);
    let data = lajna_report::data_json(&input, Lang::Fr).unwrap();
    let c = &data["changes"];
    assert_eq!((c["from"].as_str(), c["to"].as_str()), (Some("2025-09-01"), Some("2025-10-01")));
    assert_eq!((c["created"].as_u64(), c["decisions"].as_array().map(Vec::len)), (Some(actions as u64), Some(adopted)));
    assert_eq!((c["slipped"].as_array().map(Vec::len), c["empty"].as_bool()), (Some(0), Some(false)));

    let pdf = render(&input, Lang::Fr).unwrap();
    let file = artefacts().join("report-changes-fr.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = norm(&run(Process::new("pdftotext").args(["-enc", "UTF-8"]).arg(&file).arg("-")));
    assert!(text.contains("Ce qui a changé 2025-09-01 – 2025-10-01"), "the section's heading");
    // pdftotext reads a table column by column: the words, then the counts.
    assert!(text.contains("Actions créées Actions achevées Actions annulées"), "the section's rows");
    assert!(text.contains(&format!("Nombre {actions} ")), "the count of new actions first: {actions}");
}
