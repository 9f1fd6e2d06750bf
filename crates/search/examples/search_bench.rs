//! Indexing rate and query latency over generated bilingual (Arabic + French) documents.
//!
//! ```sh
//! cargo run --release -p lajna-search --example search_bench            # 100,000 documents
//! cargo run --release -p lajna-search --example search_bench -- 10000   # fewer
//! ```
//!
//! Words are drawn from the founding article (Arabic) and a French paragraph on the same subject,
//! so the analyzers see real morphology. Queries (300) are one or two words, half of them written
//! in a variant form (no hamza, ة→ه, ى→ي, article or prefix added, accents dropped, plural), run
//! as a SECRET user of one party over a mix of markings, 10 hits with snippets each.

use std::time::{Duration, Instant};

use lajna_domain::{Classification, Lang, LocalizedText, Marking, PartyCode, Releasability};
use lajna_search::{Access, SearchDoc, SearchIndex, WriterOptions, analysis};

const ARTICLE: &str = include_str!("../../demo/000_fac40ccd7e41eb5b.txt");
const FRENCH: &str = "Le Maroc et le Mali ont créé une commission militaire mixte d'experts chargée de \
renforcer la coopération en matière de défense. La délégation marocaine, conduite par le général, a été \
reçue au ministère de la Défense à Bamako. Les échanges ont porté sur la formation des officiers, \
l'équipement des forces armées maliennes, le soutien logistique, le renseignement et la lutte contre \
les menaces terroristes au Sahel. Les deux parties ont adopté une feuille de route avec des actions \
datées, des indicateurs de suivi, des besoins exprimés et des offres de stages dans les écoles \
militaires. Les procès-verbaux des sessions seront signés en arabe et en français, les deux textes \
faisant également foi. Les communiqués annoncent les réunions, les visites et les exercices conjoints.";

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, words: &'a [String]) -> &'a str {
        &words[(self.next() % words.len() as u64) as usize]
    }
    fn sentence(&mut self, words: &[String], n: usize) -> String {
        (0..n).map(|_| self.pick(words)).collect::<Vec<_>>().join(" ")
    }
}

fn vocabulary(text: &str) -> Vec<String> {
    let mut v: Vec<String> =
        analysis::words(text).map(|(_, w)| w.to_string()).filter(|w| w.chars().count() > 2).collect();
    v.sort();
    v.dedup();
    v
}

/// A variant spelling of `word`, as a user might type it.
fn variant(word: &str, rng: &mut Rng) -> String {
    if word.chars().any(analysis::is_arabic_char) {
        match rng.next() % 4 {
            0 => word.replace(['أ', 'إ', 'آ'], "ا"),
            1 => word.replace('ة', "ه").replace('ى', "ي"),
            2 if !word.starts_with("ال") => format!("ال{word}"),
            _ => format!("و{word}"),
        }
    } else {
        match rng.next() % 3 {
            0 => analysis::fold_latin(word),
            1 => word.to_uppercase(),
            _ => format!("{word}s"),
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let ar = vocabulary(ARTICLE);
    let fr = vocabulary(FRENCH);
    let mar = PartyCode::parse("MAR").unwrap();
    let mli = PartyCode::parse("MLI").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    let index =
        SearchIndex::open_with(dir.path(), WriterOptions { threads, memory_bytes: 100_000_000 * threads }).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    let started = Instant::now();
    for i in 0..n {
        let marking = match i % 10 {
            0 => Marking { classification: Classification::Secret, releasable_to: Releasability::Only(mar.clone()) },
            1 => Marking {
                classification: Classification::Confidential,
                releasable_to: Releasability::Only(mli.clone()),
            },
            2 | 3 => Marking { classification: Classification::Restricted, releasable_to: Releasability::Both },
            _ => Marking::default(),
        };
        let doc = SearchDoc {
            id: format!("doc{i:06}"),
            kind: ["action", "session", "decision", "communique", "press"][i % 5].into(),
            title: LocalizedText { ar: Some(rng.sentence(&ar, 6)), fr: Some(rng.sentence(&fr, 6)), en: None },
            body: LocalizedText { ar: Some(rng.sentence(&ar, 60)), fr: Some(rng.sentence(&fr, 60)), en: None },
            marking,
            date: Some(format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
        };
        index.upsert(&doc).unwrap();
    }
    index.commit().unwrap();
    let took = started.elapsed();
    println!(
        "indexed {n} documents (Arabic + French, ~130 words each) in {:.1} s: {:.0} documents/s ({threads} writer threads)",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );

    let access = Access { party: mar, clearance: Classification::Secret };
    let mut latencies = Vec::new();
    let mut total_hits = 0usize;
    for q in 0..300 {
        let words = if q % 2 == 0 { &ar } else { &fr };
        let mut query = rng.pick(words).to_string();
        if q % 3 == 0 {
            query = variant(&query, &mut rng);
        }
        if q % 5 == 0 {
            query.push(' ');
            query.push_str(rng.pick(words));
        }
        let t = Instant::now();
        let page = index.search(&query, &access, if q % 2 == 0 { Lang::Ar } else { Lang::Fr }, 10, 0).unwrap();
        latencies.push(t.elapsed());
        total_hits += page.total;
    }
    latencies.sort();
    println!(
        "300 queries (10 hits with snippets, access filter on): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; mean matches {}",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
        total_hits / 300
    );
    let size: u64 =
        std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    println!("index size {:.1} MB", size as f64 / 1e6);
}
