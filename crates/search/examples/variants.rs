//! Runs the variant table (`tests/variants.tsv`) through Lajna's search and prints one line per
//! pair: `row<TAB>lang<TAB>found` (found = `t` or `f`). Used by `scripts/bench-search-pg`, which
//! prints it beside PostgreSQL's `arabic`/`french`/`english` text search on the same table.
//!
//! ```sh
//! cargo run -p lajna-search --example variants
//! ```

use lajna_domain::{Classification, Lang, LocalizedText, PartyCode};
use lajna_search::{Access, SearchDoc, SearchIndex};

const VARIANTS: &str = include_str!("../tests/variants.tsv");

fn main() {
    let rows: Vec<Vec<&str>> = VARIANTS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let index = SearchIndex::in_memory().unwrap();
    for (i, r) in rows.iter().enumerate() {
        let text = Some(r[3].to_string());
        let title = match r[0] {
            "ar" => LocalizedText { ar: text, ..Default::default() },
            "fr" => LocalizedText { fr: text, ..Default::default() },
            _ => LocalizedText { en: text, ..Default::default() },
        };
        index
            .upsert(&SearchDoc { id: format!("{}", i + 1), kind: "pair".into(), title, ..Default::default() })
            .unwrap();
    }
    index.commit().unwrap();
    let access = Access { party: PartyCode::parse("MAR").unwrap(), clearance: Classification::Unclassified };
    for (i, r) in rows.iter().enumerate() {
        let id = format!("{}", i + 1);
        let page = index.search(r[2], &access, Lang::Fr, 100, 0).unwrap();
        let found = page.hits.iter().any(|h| h.id == id);
        println!("{id}\t{}\t{}", r[0], if found { "t" } else { "f" });
    }
}
