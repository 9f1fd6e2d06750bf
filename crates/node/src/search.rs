//! Full-text search over this node's record (issue 6): the mapping from the fold
//! ([`lajna_domain::State`]) to search documents, and the index under `DATA/index/` kept in step
//! with the store.
//!
//! The index is derived, like the projections: [`Node::reindex`] rebuilds it from the record
//! (`lajna reindex`). It is brought up to date by comparing the documents of the current state
//! with those last indexed, keyed by record id — after every write through this node
//! ([`Node::execute`], received and imported events) once the index is open, and before every
//! search when the store's generation has moved since — so a new record is searchable at once,
//! whichever path wrote it. Only changed records are re-indexed.
//!
//! A second process (e.g. `lajna search` while `lajna serve` runs) cannot take the writer lock;
//! it searches the index read-only as the server keeps it.

use std::collections::HashMap;
use std::path::PathBuf;

use lajna_domain::records::{
    Action, Communique, Decision, Document, Mission, Need, Offer, PressDocument, Roadmap, Session, Training,
};
use lajna_domain::{Lang, LocalizedText, RecordKind, State};
use lajna_search::{Access, SearchDoc, SearchError, SearchIndex, SearchPage};

use crate::{DataDir, Node};

impl DataDir {
    /// `DATA/index`: the full-text index (derived; rebuilt by `lajna reindex`).
    #[must_use]
    pub fn index(&self) -> PathBuf {
        self.0.join("index")
    }

    /// `DATA/index/text/<blake3>.txt`: the text extracted from a document's file
    /// ([`crate::extract::extract_text`]), kept so that re-indexing does not extract it again.
    #[must_use]
    pub fn extracted_text(&self, hash: &str) -> PathBuf {
        self.index().join("text").join(format!("{hash}.txt"))
    }
}

/// Joins the texts of each language, one per line, skipping blanks.
fn join<'a>(parts: impl IntoIterator<Item = &'a LocalizedText>) -> LocalizedText {
    let mut out = LocalizedText::default();
    for part in parts {
        for lang in Lang::ALL {
            let Some(t) = part.get(lang).map(str::trim).filter(|t| !t.is_empty()) else { continue };
            let slot = match lang {
                Lang::Ar => &mut out.ar,
                Lang::Fr => &mut out.fr,
                Lang::En => &mut out.en,
            };
            match slot {
                Some(s) => {
                    s.push('\n');
                    s.push_str(t);
                }
                None => *slot = Some(t.to_string()),
            }
        }
    }
    out
}

fn in_lang(lang: Lang, text: &str) -> LocalizedText {
    let mut t = LocalizedText::default();
    match lang {
        Lang::Ar => t.ar = Some(text.to_string()),
        Lang::Fr => t.fr = Some(text.to_string()),
        Lang::En => t.en = Some(text.to_string()),
    }
    t
}

fn doc(id: &str, kind: RecordKind, title: LocalizedText, body: LocalizedText, date: Option<String>) -> SearchDoc {
    SearchDoc { id: id.to_string(), kind: kind.code().to_string(), title, body, marking: Default::default(), date }
}

/// The search documents of the committee's record: missions, sessions (agenda, minutes,
/// expected outcome, working groups), decisions, communiqués (text and quotes), press articles
/// (headline and full text), roadmaps, actions, needs, offers, training and documents (title,
/// with their marking; the node adds their files' text, see [`document_files`]). Members, areas
/// and internal notes are not indexed. Every document keeps
/// its record's marking (UNCLASSIFIED, both parties, for every kind but documents).
#[must_use]
pub fn documents(state: &State) -> Vec<SearchDoc> {
    let mut out = Vec::new();
    for (id, m) in state.all::<Mission>(RecordKind::Mission) {
        let mut body = vec![m.venue.name.clone(), m.venue.city.clone()];
        body.extend(m.purpose.clone());
        body.extend(m.programme.iter().map(|p| p.title.clone()));
        body.extend(m.programme.iter().filter_map(|p| p.place.clone()));
        out.push(doc(&id, RecordKind::Mission, m.title, join(&body), Some(m.start.to_string())));
    }
    let mut session_dates = HashMap::new();
    for (id, s) in state.all::<Session>(RecordKind::Session) {
        session_dates.insert(id.clone(), s.start.to_string());
        let mut body = s.agenda.clone();
        body.extend(s.minutes.clone());
        body.extend(s.expected_outcome.clone());
        body.extend(s.working_groups.iter().map(|g| g.title.clone()));
        body.push(s.venue.name.clone());
        body.push(s.venue.city.clone());
        out.push(doc(&id, RecordKind::Session, s.title, join(&body), Some(s.start.to_string())));
    }
    for (id, d) in state.all::<Decision>(RecordKind::Decision) {
        let date = session_dates.get(&d.session).cloned();
        out.push(doc(&id, RecordKind::Decision, d.text, LocalizedText::default(), date));
    }
    for (id, c) in state.all::<Communique>(RecordKind::Communique) {
        let mut body = vec![c.text.clone(), c.issuer.clone()];
        body.extend(c.quotes.iter().map(|q| q.text.clone()));
        out.push(doc(&id, RecordKind::Communique, c.title, join(&body), c.date.map(|d| d.to_string())));
    }
    for (id, p) in state.all::<PressDocument>(RecordKind::Press) {
        let body = join([&in_lang(p.language, &p.text), &p.publisher]);
        out.push(doc(&id, RecordKind::Press, in_lang(p.language, &p.title), body, None));
    }
    for (id, r) in state.all::<Roadmap>(RecordKind::Roadmap) {
        out.push(doc(&id, RecordKind::Roadmap, r.title, LocalizedText::default(), Some(r.start.to_string())));
    }
    for (id, a) in state.all::<Action>(RecordKind::Action) {
        let mut body = vec![a.unit.clone()];
        body.extend(a.indicator.as_ref().map(|i| i.unit.clone()));
        out.push(doc(&id, RecordKind::Action, a.title, join(&body), Some(a.due.to_string())));
    }
    for (id, n) in state.all::<Need>(RecordKind::Need) {
        out.push(doc(&id, RecordKind::Need, n.title, n.unit, None));
    }
    for (id, o) in state.all::<Offer>(RecordKind::Offer) {
        out.push(doc(&id, RecordKind::Offer, o.title, o.unit, None));
    }
    for (id, t) in state.all::<Training>(RecordKind::Training) {
        out.push(doc(&id, RecordKind::Training, t.course, t.institution, Some(t.start.to_string())));
    }
    for (id, d) in state.all::<Document>(RecordKind::Document) {
        let mut sd = doc(&id, RecordKind::Document, d.title, LocalizedText::default(), d.date.map(|x| x.to_string()));
        sd.marking = d.marking;
        out.push(sd);
    }
    out
}

/// A document's file as the index needs it, to add its text to the document's [`SearchDoc`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentFile {
    /// The document's record id.
    pub id: String,
    /// BLAKE3 of the file (64 hex digits): the blob's name and the key of the text cache.
    pub blake3: String,
    /// Media type checked on upload.
    pub media_type: String,
    /// Language of the document's text: the body's language in the index.
    pub language: Lang,
}

/// The files of every document of the record (whatever their marking: the index filters by the
/// marking its [`SearchDoc`] carries, the same as the record's).
#[must_use]
pub fn document_files(state: &State) -> Vec<DocumentFile> {
    state
        .all::<Document>(RecordKind::Document)
        .into_iter()
        .map(|(id, d)| DocumentFile { id, blake3: d.blake3, media_type: d.media_type, language: d.language })
        .collect()
}

/// Whether `hash` can name a blob (64 lowercase hex digits), checked before it becomes a path.
fn blob_name(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The text of the blob `hash`: from the cache file when there is one, else extracted and
/// cached. `None` when the blob is not (yet) on this node, e.g. a document received from the
/// peer before its file. Extraction failures give an empty text (logged), never an error.
fn blob_text(dir: &DataDir, file: &DocumentFile) -> Option<String> {
    let cached = dir.extracted_text(&file.blake3);
    if let Ok(text) = std::fs::read_to_string(&cached) {
        return Some(text);
    }
    let bytes = std::fs::read(dir.blob(&file.blake3)).ok()?;
    if blake3::hash(&bytes).to_hex().as_str() != file.blake3 {
        tracing::warn!(blob = %file.blake3, "blob does not match its BLAKE3; its text is not indexed");
        return None;
    }
    let text = match crate::extract::extract_text(&file.media_type, &bytes) {
        Ok(text) => text,
        Err(err) => {
            tracing::warn!(document = %file.id, code = err.code(), error = %err, "no text extracted; title indexed only");
            return Some(String::new());
        }
    };
    if let Some(parent) = cached.parent() {
        let tmp = parent.join(format!(".{}.tmp", file.blake3));
        let written = std::fs::create_dir_all(parent)
            .and_then(|()| std::fs::write(&tmp, &text))
            .and_then(|()| std::fs::rename(&tmp, &cached));
        if let Err(err) = written {
            tracing::warn!(path = %cached.display(), error = %err, "extracted text not cached");
        }
    }
    Some(text)
}

/// The node's handle on its index: opened lazily, with the documents last indexed.
#[derive(Default)]
pub(crate) struct SearchState {
    inner: std::sync::Mutex<Inner>,
    /// Extracted text by blob hash (memory side of `DATA/index/text/`).
    texts: std::sync::Mutex<HashMap<String, String>>,
}

#[derive(Default)]
struct Inner {
    index: Option<SearchIndex>,
    /// Whether `index` holds the writer lock (else another process maintains it).
    writable: bool,
    /// Store generation of the state last indexed.
    generation: Option<u64>,
    /// Documents last indexed, by record id.
    indexed: HashMap<String, SearchDoc>,
}

impl Inner {
    /// Opens the index: for writing if the lock is free, else read-only. An index that cannot
    /// be opened otherwise (older schema, damaged) is derived data: it is removed and created
    /// afresh, and the next update fills it.
    fn ensure_open(&mut self, dir: &DataDir) -> Result<&SearchIndex, SearchError> {
        if self.index.is_none() {
            let (index, writable) = match SearchIndex::open(&dir.index()) {
                Ok(index) => (index, true),
                Err(err) if err.is_busy() => {
                    tracing::info!(error = %err, "search index busy; searching it read-only");
                    (SearchIndex::open_read_only(&dir.index())?, false)
                }
                Err(err) => {
                    tracing::warn!(error = %err, "search index unreadable; rebuilding it from the record");
                    std::fs::remove_dir_all(dir.index())?;
                    (SearchIndex::open(&dir.index())?, true)
                }
            };
            self.index = Some(index);
            self.writable = writable;
            self.generation = None;
            self.indexed.clear();
        }
        self.index.as_ref().ok_or(SearchError::ReadOnly)
    }

    /// Applies the difference between `docs` (the state at `generation`) and what is indexed.
    fn apply(&mut self, generation: u64, docs: Vec<SearchDoc>) -> Result<usize, SearchError> {
        if self.generation.is_some_and(|g| g >= generation) {
            return Ok(0);
        }
        let Some(index) = self.index.as_ref() else { return Ok(0) };
        let mut changed = 0;
        if self.generation.is_none() {
            // First update since opening: what the directory holds may predate this process.
            index.clear()?;
            self.indexed.clear();
            changed += 1;
        }
        let mut seen = std::collections::HashSet::new();
        for d in docs {
            seen.insert(d.id.clone());
            if self.indexed.get(&d.id) != Some(&d) {
                index.upsert(&d)?;
                self.indexed.insert(d.id.clone(), d);
                changed += 1;
            }
        }
        let gone: Vec<String> = self.indexed.keys().filter(|id| !seen.contains(*id)).cloned().collect();
        for id in gone {
            index.delete(&id)?;
            self.indexed.remove(&id);
            changed += 1;
        }
        if changed > 0 {
            index.commit()?;
        }
        self.generation = Some(generation);
        Ok(changed)
    }
}

impl Node {
    /// Brings the index up to date with the record, opening it first if needed; returns how many
    /// records were (re)indexed or removed. The first call after opening re-indexes every record
    /// (cheap: the committee's record is small; see BENCHMARKS.md for the rate).
    ///
    /// # Errors
    /// [`SearchError`] when the index cannot be opened or written.
    pub async fn refresh_search(&self) -> Result<usize, SearchError> {
        {
            let mut inner = self.search.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            inner.ensure_open(&self.dir)?;
            if !inner.writable {
                return Ok(0);
            }
            if inner.generation == Some(self.store.generation()) {
                return Ok(0);
            }
        }
        self.update_search().await
    }

    /// The documents of the current state, documents' bodies filled with their files' text.
    async fn documents_with_text(&self) -> Vec<SearchDoc> {
        let (mut docs, files) = self.with_state(|s| (documents(s), document_files(s))).await;
        let mut texts = HashMap::new();
        let mut missing = Vec::new();
        {
            let cache = self.search.texts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            for f in files.into_iter().filter(|f| blob_name(&f.blake3)) {
                match cache.get(&f.blake3) {
                    Some(t) => {
                        texts.insert(f.id.clone(), (f.language, t.clone()));
                    }
                    None => missing.push(f),
                }
            }
        }
        if !missing.is_empty() {
            // Reading and extracting files is blocking work: off the async workers.
            let dir = self.dir.clone();
            let found = tokio::task::spawn_blocking(move || {
                missing.into_iter().filter_map(|f| blob_text(&dir, &f).map(|t| (f, t))).collect::<Vec<_>>()
            })
            .await
            .unwrap_or_default();
            let mut cache = self.search.texts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            for (f, text) in found {
                cache.insert(f.blake3.clone(), text.clone());
                texts.insert(f.id, (f.language, text));
            }
        }
        for d in &mut docs {
            if let Some((lang, text)) = texts.remove(&d.id)
                && !text.is_empty()
            {
                d.body = in_lang(lang, &text);
            }
        }
        docs
    }

    async fn update_search(&self) -> Result<usize, SearchError> {
        let generation = self.store.generation();
        let docs = self.documents_with_text().await;
        let mut inner = self.search.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !inner.writable {
            return Ok(0);
        }
        inner.apply(generation, docs)
    }

    /// Called after every write: re-indexes the records it changed when the index is open here
    /// (a server, or after a search). Errors are logged, never returned — the record is written;
    /// `lajna reindex` repairs the index.
    pub(crate) async fn after_write(&self) {
        let open = {
            let inner = self.search.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            inner.index.is_some() && inner.writable
        };
        if open && let Err(err) = self.update_search().await {
            tracing::warn!(error = %err, "search index not updated; run `lajna reindex`");
        }
    }

    /// Called when document files arrived from a peer without a new event (the store generation
    /// did not move): the next update diffs the documents again, so a received file's text is
    /// searchable at once.
    pub(crate) async fn files_arrived(&self) {
        {
            let mut inner = self.search.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(g) = inner.generation {
                inner.generation = Some(g.saturating_sub(1));
            }
        }
        self.after_write().await;
    }

    /// Searches the record as a user with `access` reading in `lang`: the `limit` best hits after
    /// `offset`, filtered by the marking rule before ranking. Brings the index up to date first.
    ///
    /// # Errors
    /// [`SearchError`] when the index cannot be opened or read (e.g. another process holds it and
    /// it was never built: run `lajna reindex`).
    pub async fn search(
        &self,
        query: &str,
        access: &Access,
        lang: Lang,
        limit: usize,
        offset: usize,
    ) -> Result<SearchPage, SearchError> {
        self.refresh_search().await?;
        let inner = self.search.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let index = inner.index.as_ref().ok_or(SearchError::ReadOnly)?;
        if !inner.writable {
            index.reload()?;
        }
        index.search(query, access, lang, limit, offset)
    }

    /// Rebuilds the index from the record: every document removed, every record indexed anew.
    /// Returns the number of records indexed.
    ///
    /// # Errors
    /// [`SearchError`], including when another process (a running server) holds the index.
    pub async fn reindex(&self) -> Result<usize, SearchError> {
        let generation = self.store.generation();
        let docs = self.documents_with_text().await;
        let mut inner = self.search.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.ensure_open(&self.dir)?;
        if !inner.writable {
            return Err(SearchError::ReadOnly);
        }
        let index = inner.index.as_ref().ok_or(SearchError::ReadOnly)?;
        index.clear()?;
        let n = docs.len();
        for d in &docs {
            index.upsert(d)?;
        }
        index.commit()?;
        inner.indexed = docs.into_iter().map(|d| (d.id.clone(), d)).collect();
        inner.generation = Some(generation);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_joined_per_language() {
        let a = LocalizedText { ar: Some("أ".into()), fr: Some(" ".into()), en: None };
        let b = LocalizedText { ar: Some("ب".into()), fr: Some("b".into()), en: None };
        let j = join([&a, &b]);
        assert_eq!(j.ar.as_deref(), Some("أ\nب"));
        assert_eq!(j.fr.as_deref(), Some("b"));
        assert_eq!(j.en, None);
    }
}
