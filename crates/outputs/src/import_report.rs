//! The words of an import plan for people — one line per row, the counts, the reasons of a
//! refusal — in the matrix's language, from the shared catalogues. The web preview and
//! `lajna import` print the same report from here.

use lajna_domain::{ActionStatus, Lang};
use lajna_i18n::{Arg, Catalog};

use crate::import::{Column, ImportError, ImportPlan, MessageArg, Outcome, PlannedRow, Refusal};
use crate::matrix::headers;

/// The header of `field` in `lang` (the matrix's own words), for messages.
#[must_use]
pub fn column_name(lang: Lang, field: &str) -> String {
    let h = headers(lang);
    if field == "title" {
        return format!("{} / {}", h[2], h[3]);
    }
    Column::ALL.iter().position(|c| c.field() == field).map_or_else(|| field.to_string(), |i| h[i].to_string())
}

/// The message of one refusal in `lang`: the import catalogue's, the domain's for a domain
/// rule (the column named by the domain's field). Arguments: `detail` (the value), `column`
/// (its header in `lang`), `accepted` (the words `lang` writes in the status column, listed for
/// an unknown status) and `status` (the word of the status whose reason is missing).
#[must_use]
pub fn refusal_message(catalog: &Catalog, lang: Lang, r: &Refusal) -> String {
    if let Some(d) = &r.domain {
        return catalog.domain_message(lang, d).1;
    }
    let column = column_name(lang, r.field.unwrap_or(""));
    let mut args = vec![("detail", Arg::Text(r.detail.clone())), ("column", Arg::Text(column))];
    if r.field == Some("status") {
        args.push(("accepted", Arg::Text(catalog.words::<ActionStatus>(lang).join(", "))));
    }
    if let Ok(status) = ActionStatus::parse(&r.detail)
        && r.key == "import-reason-required"
    {
        args.push(("status", Arg::Text(catalog.word(lang, status))));
    }
    catalog.get(lang, r.key, &args)
}

/// `create`, `update`, `unchanged` or `refused` (the suffix of `import-outcome-*`).
#[must_use]
pub fn outcome_code(o: &Outcome) -> &'static str {
    match o {
        Outcome::Create(_) => "create",
        Outcome::Update { .. } => "update",
        Outcome::Unchanged { .. } => "unchanged",
        Outcome::Refused(_) => "refused",
    }
}

/// The refusals whose message already names its column.
const NAMES_ITS_COLUMN: [&str; 4] =
    ["import-reason-required", "import-missing-value", "import-indicator-incomplete", "import-unknown-decision"];

/// One refusal of a row for people: its reason, after the column at fault when one is
/// (`Colonne « Échéance » : Date illisible : « 31/02/2025 »…`).
#[must_use]
pub fn refusal_line(catalog: &Catalog, lang: Lang, r: &Refusal) -> String {
    let reason = refusal_message(catalog, lang, r);
    match r.field {
        Some(field) if !NAMES_ITS_COLUMN.contains(&r.key) => catalog.get(
            lang,
            "import-in-column",
            &[("column", Arg::Text(column_name(lang, field))), ("reason", Arg::Text(reason))],
        ),
        _ => reason,
    }
}

/// The details of a planned row in `lang`: the fields it changes, or why it is refused — the
/// party owning the row's action first, when known, then each refusal with its column
/// ([`refusal_line`]); the row number is the caller's (the report's first column, the CLI's
/// `row N`). Issue 17 item 5: a refusal names the row, the column, the owning party and the
/// reason.
#[must_use]
pub fn row_details(catalog: &Catalog, lang: Lang, row: &PlannedRow) -> Vec<String> {
    if let Outcome::Refused(reasons) = &row.outcome {
        let owner = row.owner.iter().map(|p| catalog.get(lang, "import-owner", &[("party", Arg::Text(p.to_string()))]));
        return owner.chain(reasons.iter().map(|r| refusal_line(catalog, lang, r))).collect();
    }
    match &row.outcome {
        Outcome::Update { changed, .. } => {
            let names: Vec<String> = changed
                .iter()
                .map(|f| match *f {
                    "indicator" => column_name(lang, "indicator_unit"),
                    f => column_name(lang, f),
                })
                .collect();
            vec![catalog.get(lang, "import-changes", &[("fields", Arg::Text(names.join(", ")))])]
        }
        _ => vec![],
    }
}

/// The counts line of a plan in `lang`.
#[must_use]
pub fn summary(catalog: &Catalog, lang: Lang, plan: &ImportPlan) -> String {
    let c = plan.counts();
    let n = |x: usize| Arg::Num(i64::try_from(x).unwrap_or(i64::MAX));
    catalog.get(
        lang,
        "import-summary",
        &[
            ("created", n(c.created)),
            ("updated", n(c.updated)),
            ("unchanged", n(c.unchanged)),
            ("refused", n(c.refused)),
        ],
    )
}

/// The message of a file that could not be read as a matrix, with its arguments (row, cell,
/// limit…), in `lang`.
#[must_use]
pub fn error_message(catalog: &Catalog, lang: Lang, e: &ImportError) -> String {
    let args: Vec<(&str, Arg)> = e
        .args()
        .into_iter()
        .map(|(name, a)| match a {
            MessageArg::Num(n) => (name, Arg::Num(n)),
            MessageArg::Text(t) => (name, Arg::Text(t)),
        })
        .collect();
    catalog.get(lang, e.key(), &args)
}
