//! Full-text search over the committee's record, with Arabic, French and English folding.
//!
//! A pure library over an index directory the caller gives ([`SearchIndex::open`]) or in memory
//! ([`SearchIndex::in_memory`]). Records go in as [`SearchDoc`]s (id, kind, per-language title
//! and body, marking, date); [`SearchIndex::search`] returns a ranked [`SearchPage`] for one
//! user's [`Access`].
//!
//! Every text is indexed with every analyzer of [`analysis`] (Arabic stemmed, Arabic light,
//! French, English), each in its own fields; a query word matches when any of its keys matches
//! in any of them (titles boosted ×2), and all query words must match. Numbers are words (their
//! Arabic-Indic digits folded to ASCII for keys) and a reference such as `2/2025` or `D-3` is
//! matched as one token (case C24, [`analysis`]). The access rule of
//! DESIGN.md §6 ([`lajna_domain::Marking::allows`]) is part of the query — classification rank
//! ≤ clearance AND releasability ∈ {both, party} — so hidden records are never counted, ranked
//! or used for snippets.

pub mod analysis;

use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

use lajna_domain::{Clearance, Lang, LocalizedText, Marking, PartyCode, Releasability};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analysis::{Analyzer, KeyTokenizer};

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index could not be opened, read or written (tantivy's message).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index directory could not be opened.
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// A file-system error around the index directory.
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    /// A write on an index opened read-only ([`SearchIndex::open_read_only`]).
    #[error("search index opened read-only")]
    ReadOnly,
}

impl SearchError {
    /// A stable code for logs and problem documents.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Index(_) => "search_index",
            Self::Directory(_) | Self::Io(_) => "search_directory",
            Self::ReadOnly => "search_read_only",
        }
    }

    /// Whether another writer (process) holds the index's lock.
    #[must_use]
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Index(tantivy::TantivyError::LockFailure(..)))
    }
}

/// A record as the index sees it. Stored and shown text is kept exactly as given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// The record id (unique in the index: [`SearchIndex::upsert`] replaces by it).
    pub id: String,
    /// The record kind, e.g. `action`, `session`, `press` (shown and filterable as a keyword).
    pub kind: String,
    /// Title per language.
    pub title: LocalizedText,
    /// Body text per language (minutes, description, article text…); may be empty.
    pub body: LocalizedText,
    /// The record's marking; records without one are UNCLASSIFIED, both parties (the default).
    pub marking: Marking,
    /// A civil date `YYYY-MM-DD` (held, due or published), if any; stored as given.
    pub date: Option<String>,
}

/// Who is searching: the party and clearance of the signed-in user (DESIGN.md §6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Access {
    /// The user's party.
    pub party: PartyCode,
    /// The user's clearance: the highest classification they may see.
    pub clearance: Clearance,
}

/// One result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// Record id.
    pub id: String,
    /// Record kind.
    pub kind: String,
    /// BM25 score (higher is better); only meaningful within one page of results.
    pub score: f32,
    /// The title in the reader's language, else French, Arabic, English (original spelling).
    pub title: String,
    /// The language of `title`.
    pub title_lang: Lang,
    /// A fragment of the text with matches wrapped in `<mark>`; HTML-escaped, safe to embed.
    /// Empty when the record has no body text.
    pub snippet_html: String,
    /// The language of the snippet's text.
    pub snippet_lang: Lang,
    /// The record's date, if any.
    pub date: Option<String>,
}

/// A page of results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchPage {
    /// How many records the user may see match the query (all pages).
    pub total: usize,
    /// The hits of this page, best first.
    pub hits: Vec<Hit>,
}

/// The index writer's threads and memory budget (tantivy needs at least 15 MB per thread).
#[derive(Clone, Copy, Debug)]
pub struct WriterOptions {
    /// Indexing threads.
    pub threads: usize,
    /// Memory budget in bytes, shared by the threads.
    pub memory_bytes: usize,
}

impl Default for WriterOptions {
    /// One thread, 50 MB: enough for the committee's record, light on a shared machine.
    fn default() -> Self {
        Self { threads: 1, memory_bytes: 50_000_000 }
    }
}

#[derive(Clone, Copy, Debug)]
struct Fields {
    id: Field,
    kind: Field,
    rank: Field,
    releasable: Field,
    date: Field,
    /// Indexed title fields, one per analyzer (order of [`Analyzer::ALL`]).
    title: [Field; 4],
    /// Indexed body fields, one per analyzer.
    body: [Field; 4],
    /// Stored title per language (order of [`Lang::ALL`]).
    title_text: [Field; 3],
    /// Stored body per language.
    body_text: [Field; 3],
}

const TITLE_BOOST: f32 = 2.0;
const SNIPPET_CHARS: usize = 200;
const BOTH: &str = "both";

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |a: Analyzer| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(a.tokenizer_name())
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let id = b.add_text_field("id", STRING | STORED);
    let kind = b.add_text_field("kind", STRING | STORED);
    let rank = b.add_u64_field("rank", INDEXED | FAST | STORED);
    let releasable = b.add_text_field("releasable", STRING | STORED);
    let date = b.add_text_field("date", STRING | STORED);
    let title = Analyzer::ALL.map(|a| b.add_text_field(&format!("title_{}", a.tag()), text(a)));
    let body = Analyzer::ALL.map(|a| b.add_text_field(&format!("body_{}", a.tag()), text(a)));
    let title_text = Lang::ALL.map(|l| b.add_text_field(&format!("title_text_{}", l.code()), STORED));
    let body_text = Lang::ALL.map(|l| b.add_text_field(&format!("body_text_{}", l.code()), STORED));
    (b.build(), Fields { id, kind, rank, releasable, date, title, body, title_text, body_text })
}

/// The full-text index of the committee's record.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Option<Mutex<IndexWriter>>,
    fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("writable", &self.writer.is_some()).finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens (creating if needed) the index in `dir`, for reading and writing. Only one writer
    /// may hold a directory at a time.
    ///
    /// # Errors
    /// [`SearchError`] when the directory cannot be created or opened, holds an index of another
    /// schema, or another process holds its writer lock.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        Self::open_with(dir, WriterOptions::default())
    }

    /// [`SearchIndex::open`] with a chosen writer budget (benchmarks).
    ///
    /// # Errors
    /// As [`SearchIndex::open`].
    pub fn open_with(dir: &Path, options: WriterOptions) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let index = Index::open_or_create(MmapDirectory::open(dir)?, schema)?;
        Self::wrap(index, fields, Some(options))
    }

    /// Opens an existing index in `dir` for searching only (no writer lock taken), e.g. from the
    /// CLI while the server runs.
    ///
    /// # Errors
    /// [`SearchError`] when there is no index there or it cannot be read.
    pub fn open_read_only(dir: &Path) -> Result<Self, SearchError> {
        let (_, fields) = schema();
        let index = Index::open(MmapDirectory::open(dir)?)?;
        Self::wrap(index, fields, None)
    }

    /// A fresh index in memory (tests).
    ///
    /// # Errors
    /// [`SearchError::Index`] if tantivy cannot allocate its writer.
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::wrap(Index::create_in_ram(schema), fields, Some(WriterOptions::default()))
    }

    fn wrap(index: Index, fields: Fields, writer: Option<WriterOptions>) -> Result<Self, SearchError> {
        for a in Analyzer::ALL {
            index.tokenizers().register(a.tokenizer_name(), TextAnalyzer::from(KeyTokenizer::new(a)));
        }
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let writer = match writer {
            Some(o) => Some(Mutex::new(index.writer_with_num_threads(o.threads, o.memory_bytes)?)),
            None => None,
        };
        Ok(Self { reader, writer, fields })
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, SearchError> {
        let w = self.writer.as_ref().ok_or(SearchError::ReadOnly)?;
        Ok(w.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    fn document(&self, doc: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.id, &doc.id);
        d.add_text(f.kind, &doc.kind);
        d.add_u64(f.rank, u64::from(doc.marking.classification.rank()));
        let releasable = match &doc.marking.releasable_to {
            Releasability::Both => BOTH,
            Releasability::Only(p) => p.as_str(),
        };
        d.add_text(f.releasable, releasable);
        if let Some(date) = &doc.date {
            d.add_text(f.date, date);
        }
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            if let Some(t) = doc.title.get(lang) {
                d.add_text(f.title_text[i], t);
                for field in f.title {
                    d.add_text(field, t);
                }
            }
            if let Some(t) = doc.body.get(lang) {
                d.add_text(f.body_text[i], t);
                for field in f.body {
                    d.add_text(field, t);
                }
            }
        }
        d
    }

    /// Adds a record, replacing any earlier version with the same id. Visible after
    /// [`SearchIndex::commit`].
    ///
    /// # Errors
    /// [`SearchError::ReadOnly`], or [`SearchError::Index`] when tantivy refuses the document.
    pub fn upsert(&self, doc: &SearchDoc) -> Result<(), SearchError> {
        let w = self.writer()?;
        w.delete_term(Term::from_field_text(self.fields.id, &doc.id));
        w.add_document(self.document(doc))?;
        Ok(())
    }

    /// Removes a record by id. Visible after [`SearchIndex::commit`].
    ///
    /// # Errors
    /// [`SearchError::ReadOnly`].
    pub fn delete(&self, id: &str) -> Result<(), SearchError> {
        self.writer()?.delete_term(Term::from_field_text(self.fields.id, id));
        Ok(())
    }

    /// Removes every record (before a rebuild). Visible after [`SearchIndex::commit`].
    ///
    /// # Errors
    /// [`SearchError::ReadOnly`] or [`SearchError::Index`].
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer()?.delete_all_documents()?;
        Ok(())
    }

    /// Makes every change so far durable and visible to searches.
    ///
    /// # Errors
    /// [`SearchError::ReadOnly`] or [`SearchError::Index`] (e.g. disk full).
    pub fn commit(&self) -> Result<(), SearchError> {
        self.writer()?.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Re-reads the index from its directory (a read-only index whose writer is elsewhere).
    ///
    /// # Errors
    /// [`SearchError::Index`].
    pub fn reload(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        Ok(())
    }

    /// How many records the index holds (all markings).
    #[must_use]
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no record.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One required word of a query: any of its keys (by analyzer) in that analyzer's title or
    /// body field. `None` when it has no key (a stop word).
    fn word_query(&self, keys: impl Fn(Analyzer) -> Vec<String>) -> Option<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, a) in Analyzer::ALL.into_iter().enumerate() {
            for key in keys(a) {
                for (field, boost) in [(f.title[i], TITLE_BOOST), (f.body[i], 1.0)] {
                    let term = TermQuery::new(Term::from_field_text(field, &key), IndexRecordOption::WithFreqs);
                    should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), boost))));
                }
            }
        }
        (!should.is_empty()).then(|| (Occur::Must, Box::new(BooleanQuery::new(should)) as Box<dyn Query>))
    }

    /// The query of `text`: every word must match (in any field, by any of its keys), every
    /// reference (`2/2025`, `D-3`: [`analysis::references`]) by its one key, and the access
    /// filter holds. `None` when the text has no searchable word (only stop words).
    fn query(&self, text: &str, access: &Access) -> Option<BooleanQuery> {
        let f = &self.fields;
        let words: Vec<_> = analysis::words(text).collect();
        let references = analysis::references(text, &words);
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for r in &references {
            must.extend(self.word_query(|_| vec![r.key.clone()]));
        }
        for (i, (_, word)) in words.iter().enumerate() {
            if !references.iter().any(|r| r.words.contains(&i)) {
                must.extend(self.word_query(|a| analysis::keys(a, word)));
            }
        }
        if must.is_empty() {
            return None;
        }
        // Access filter (DESIGN.md §6), scored 0 so it does not change the ranking.
        let rank = RangeQuery::new(
            Bound::Included(Term::from_field_u64(f.rank, 0)),
            Bound::Included(Term::from_field_u64(f.rank, u64::from(access.clearance.rank()))),
        );
        let releasable = BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(TermQuery::new(Term::from_field_text(f.releasable, BOTH), IndexRecordOption::Basic))
                    as Box<dyn Query>,
            ),
            (
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.releasable, access.party.as_str()),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        must.push((Occur::Must, Box::new(BoostQuery::new(Box::new(rank), 0.0))));
        must.push((Occur::Must, Box::new(BoostQuery::new(Box::new(releasable), 0.0))));
        Some(BooleanQuery::new(must))
    }

    /// Searches for `text` as a user with `access` reading in `lang`: the `limit` best hits
    /// after skipping `offset`, and the total count. Records the user may not see are filtered
    /// inside the query, before ranking: they never count, rank or show in a snippet.
    ///
    /// # Errors
    /// [`SearchError::Index`] when the index cannot be read.
    pub fn search(
        &self,
        text: &str,
        access: &Access,
        lang: Lang,
        limit: usize,
        offset: usize,
    ) -> Result<SearchPage, SearchError> {
        let Some(query) = self.query(text, access) else {
            return Ok(SearchPage { total: 0, hits: Vec::new() });
        };
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(limit.max(1)).and_offset(offset).order_by_score();
        let (total, top) = searcher.search(&query, &(Count, top))?;
        if limit == 0 {
            return Ok(SearchPage { total, hits: Vec::new() });
        }
        let snippets = self.snippet_generator(&searcher, &query)?;
        let f = &self.fields;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let get = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
            let texts = |fields: [Field; 3]| {
                let mut t = LocalizedText::default();
                for (i, l) in Lang::ALL.into_iter().enumerate() {
                    let v = get(fields[i]);
                    match l {
                        Lang::Ar => t.ar = v,
                        Lang::Fr => t.fr = v,
                        Lang::En => t.en = v,
                    }
                }
                t
            };
            let title = texts(f.title_text);
            let body = texts(f.body_text);
            let (title_lang, title_str) = title.best(lang);
            let (snippet_lang, snippet_html) = snippet(&snippets, &body, &title, lang);
            hits.push(Hit {
                id: get(f.id).unwrap_or_default(),
                kind: get(f.kind).unwrap_or_default(),
                score,
                title: title_str.to_string(),
                title_lang,
                snippet_html,
                snippet_lang,
                date: get(f.date),
            });
        }
        Ok(SearchPage { total, hits })
    }

    /// One snippet generator over every analyzer: the query's keys, tagged by analyzer, against
    /// the tagged tokenizer, so a fragment highlights what any analyzer matched.
    fn snippet_generator(
        &self,
        searcher: &tantivy::Searcher,
        query: &BooleanQuery,
    ) -> Result<SnippetGenerator, SearchError> {
        let f = &self.fields;
        let mut terms: Vec<Term> = Vec::new();
        query.query_terms(&mut |term, _| terms.push(term.clone()));
        let mut weights = std::collections::BTreeMap::new();
        for term in terms {
            let Some(i) = f.title.iter().chain(f.body.iter()).position(|&x| x == term.field()) else {
                continue;
            };
            let value = term.value();
            let Some(key) = value.as_str() else { continue };
            let doc_freq = searcher.doc_freq(&term)?;
            if doc_freq > 0 {
                let tag = Analyzer::ALL[i % 4].tag();
                let weight = 1.0 / (1.0 + doc_freq as f32);
                let e = weights.entry(format!("{tag}:{key}")).or_insert(0.0f32);
                *e = e.max(weight);
            }
        }
        Ok(SnippetGenerator::new(weights, TextAnalyzer::from(KeyTokenizer::tagged()), f.body[0], SNIPPET_CHARS))
    }
}

/// The best snippet for a reader of `lang`: the body in that language if it has a match, else
/// the body in another language with a match, else the title with a match, else the start of the
/// body in the reader's best language. Returns the language of the text used.
fn snippet(generator: &SnippetGenerator, body: &LocalizedText, title: &LocalizedText, lang: Lang) -> (Lang, String) {
    let order = [lang, Lang::Fr, Lang::Ar, Lang::En];
    for texts in [body, title] {
        for l in order {
            if let Some(t) = texts.get(l) {
                let mut s = generator.snippet(t);
                if !s.highlighted().is_empty() {
                    s.set_snippet_prefix_postfix("<mark>", "</mark>");
                    return (l, s.to_html());
                }
            }
        }
    }
    let (l, t) = body.best(lang);
    let start: String = t.chars().take(SNIPPET_CHARS).collect();
    (l, escape_html(&start))
}

/// Minimal HTML escaping for text placed in element content.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
