//! What a page or an API list shows, kept per store generation (issue 11 item 2): the
//! dashboard, a roadmap page or a page of an API list is computed and rendered once per change
//! of the record (and per reader, language and date), then served from here until the record
//! changes again.
//!
//! A kept page fragment is the same for every session of its reader: where it holds the
//! session's CSRF token it holds [`CSRF_MARK`] instead, which [`with_csrf`] replaces when the
//! page is sent.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Written where a kept fragment holds the viewer's CSRF token, raw (`{{ csrf|safe }}`): text
/// of the record is always escaped in a page (`<` as `&lt;`), so this never appears in a
/// fragment except where the template put it.
pub const CSRF_MARK: &str = "<!--csrf-->";

/// A rendered fragment with the session's CSRF token in place of each [`CSRF_MARK`] (the
/// token is hexadecimal, so it needs no escaping).
#[must_use]
pub fn with_csrf(fragment: &str, csrf: &str) -> String {
    fragment.replace(CSRF_MARK, csrf)
}

/// A page's content rendered once per store generation, shared, so a kept page costs the
/// frame around it.
#[derive(Debug)]
pub struct KeptPage {
    /// The page's title.
    pub title: String,
    /// The page's path after `/{lang}` (the language switcher's), with its query.
    pub path: String,
    /// The content, HTML, with [`CSRF_MARK`] where the session's token goes.
    pub content: String,
}

/// A page of an API list serialised once per store generation, with its gzip encoding
/// (RFC 1952) made once too: every reader of the class gets these bytes.
#[derive(Debug)]
pub struct KeptList {
    /// The JSON.
    pub json: bytes::Bytes,
    /// The JSON, gzip-compressed.
    pub gzip: bytes::Bytes,
    /// The cursor of the next page (`Link: …; rel="next"`), if more items follow.
    pub next: Option<String>,
}

impl KeptList {
    /// The list page `json` (bytes) and its next cursor, compressed now at the best level.
    #[must_use]
    pub fn new(json: Vec<u8>, next: Option<String>) -> Self {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 4), flate2::Compression::best());
        // Writing into a Vec cannot fail.
        let gzip = gz.write_all(&json).and_then(|()| gz.finish()).unwrap_or_default();
        Self { json: json.into(), gzip: gzip.into(), next }
    }
}

/// What a node's web layer keeps for the current store generation: at most 256 of each
/// (a few MB at most).
#[derive(Debug)]
pub struct Caches {
    /// Page contents by `page/lang/reader/…` key.
    pub pages: Kept<std::sync::Arc<KeptPage>>,
    /// API list pages by `collection/reader class/date/limit/cursor` key.
    pub api: Kept<std::sync::Arc<KeptList>>,
}

impl Default for Caches {
    fn default() -> Self {
        Self { pages: Kept::new(256), api: Kept::new(256) }
    }
}

/// Values by key, each valid for one store generation; at most `capacity` kept (the oldest
/// insertion leaves first), and those of older generations leave at the first insertion of a
/// newer one, except that the values of the generation just replaced stay readable through
/// [`Kept::stale`] until the next one (what a reader may show while another makes the current
/// value: the idea of RFC 5861's `stale-while-revalidate`). Thread-safe; a value is computed
/// outside the lock, so two readers missing the same key at once both compute it (the second
/// insertion wins, with equal contents).
#[derive(Debug)]
pub struct Kept<V> {
    capacity: usize,
    inner: Mutex<Inner<V>>,
}

#[derive(Debug)]
struct Inner<V> {
    generation: u64,
    values: HashMap<String, V>,
    order: VecDeque<String>,
    /// The values of the generation before `generation`, as they were when it was replaced.
    previous: HashMap<String, V>,
}

impl<V: Clone> Kept<V> {
    /// An empty cache of at most `capacity` values (at least one).
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        let inner = Inner { generation: 0, values: HashMap::new(), order: VecDeque::new(), previous: HashMap::new() };
        Self { capacity: capacity.max(1), inner: Mutex::new(inner) }
    }

    /// The value of `key` at `generation`, computed by `make` when it is not kept; an error of
    /// `make` is returned and nothing is kept.
    ///
    /// # Errors
    /// `make`'s.
    pub fn get_or_try<E>(&self, generation: u64, key: &str, make: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        if let Some(v) = self.get(generation, key) {
            return Ok(v);
        }
        let v = make()?;
        self.put(generation, key, v.clone());
        Ok(v)
    }

    /// The value of `key` kept at `generation`, if any.
    #[must_use]
    pub fn get(&self, generation: u64, key: &str) -> Option<V> {
        let inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (inner.generation == generation).then(|| inner.values.get(key).cloned()).flatten()
    }

    /// Keeps `v` under `key` for `generation` (ignored when a newer generation is kept).
    pub fn put(&self, generation: u64, key: &str, v: V) {
        let mut inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if generation < inner.generation {
            return; // computed from a snapshot older than what is kept: not worth keeping
        }
        if generation > inner.generation {
            inner.previous = std::mem::take(&mut inner.values);
            inner.order.clear();
            inner.generation = generation;
        }
        if inner.values.insert(key.to_string(), v).is_none() {
            inner.order.push_back(key.to_string());
        }
        while inner.order.len() > self.capacity {
            if let Some(old) = inner.order.pop_front() {
                inner.values.remove(&old);
            }
        }
    }

    /// The value of `key` from a generation older than `generation`: the newest kept, from the
    /// current generation of the cache when it is older than `generation`, else from the one it
    /// replaced. For a reader that may show a slightly older page rather than wait.
    #[must_use]
    pub fn stale(&self, generation: u64, key: &str) -> Option<V> {
        let inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let current = (inner.generation < generation).then(|| inner.values.get(key)).flatten();
        current.or_else(|| inner.previous.get(key)).cloned()
    }

    /// How many values are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner).values.len()
    }

    /// Whether nothing is kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The web's `Page::turn_or_stale` over a making lock and a cache: the turn when `making` is free; else
/// the stale value of `key` at once when one is kept ([`Kept::stale`]); else the turn, waited for.
/// (Who holds the lock makes the missing value; the web keeps one lock for all its pages.)
///
/// The stale value is looked up *before* waiting: a reader who has one never waits for the
/// maker. (Issue 11: an eager `.await` in `map_or`'s default argument once made every such
/// reader wait for the page being made before showing the stale one: after each write of an
/// import, every connection on the dashboard stalled 45–80 ms.)
pub async fn turn_or_stale<'m, V: Clone>(
    making: &'m tokio::sync::Mutex<()>,
    kept: &Kept<V>,
    generation: u64,
    key: &str,
) -> Result<tokio::sync::MutexGuard<'m, ()>, V> {
    if let Ok(turn) = making.try_lock() {
        return Ok(turn);
    }
    if let Some(stale) = kept.stale(generation, key) {
        return Err(stale);
    }
    Ok(making.lock().await)
}

/// The kept pages that writes make again before they answer, and the writes in flight (issue
/// 11 item 1, reads never wait for writes). A page made for a reader is *hot* for
/// `keep_for` ([`Hot::new`]): every write that changes the record makes it again, under the making
/// lock, before its answer is sent. So a reader who misses a hot page while a write is in
/// flight shows the previous one ([`Hot::may_show_stale`]) instead of making it, and a reader
/// who comes after the write's answer finds it made.
///
/// The session guarantees of Terry et al. (1994, "Session guarantees for weakly consistent
/// replicated data") hold across sessions for a hot page, not only within one: a read that
/// starts after a write's answer sees the write (the page was made again before that answer);
/// a read concurrent with a write may see the record before it. (A page that is not hot is
/// made by its reader, or shown from the generation before while another reader makes it,
/// [`turn_or_stale`].) A change that comes from elsewhere
/// (another process on the same database) is shown stale for at most `stale_for` ([`Hot::new`]) after
/// the first reader missed it, and only while some write is in flight here.
#[derive(Debug)]
pub struct Hot<R> {
    keep_for: std::time::Duration,
    stale_for: std::time::Duration,
    max: usize,
    writing: std::sync::atomic::AtomicUsize,
    inner: Mutex<HashMap<String, HotPage<R>>>,
    counts: [std::sync::atomic::AtomicU64; 3],
}

#[derive(Debug)]
struct HotPage<R> {
    recipe: R,
    made: std::time::Instant,
    /// The how-manieth page made, for the eviction of the oldest (two `Instant`s may be equal).
    order: u64,
    /// The generation a reader first missed this page at, and when.
    missed: Option<(u64, std::time::Instant)>,
}

/// Who made a kept page, or that a stale one was shown: the counters of [`Hot::count`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// A reader who missed it made it (and waited for it).
    ByReader = 0,
    /// A write made it again before answering.
    ByWrite = 1,
    /// A reader showed the page of an earlier generation instead of waiting.
    StaleShown = 2,
}

/// Marks a write in flight ([`Hot::writing`]) until dropped.
#[derive(Debug)]
pub struct Writing<'a>(&'a std::sync::atomic::AtomicUsize);

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl<R: Clone> Default for Hot<R> {
    /// Pages made within the last 10 minutes, at most 16, shown stale for at most 2 s.
    fn default() -> Self {
        Self::new(std::time::Duration::from_secs(600), std::time::Duration::from_secs(2), 16)
    }
}

impl<R: Clone> Hot<R> {
    /// Pages made within `keep_for` are hot, at most `max` of them (the most recently made);
    /// a page missed at a new generation may be shown stale for `stale_for` after the first
    /// miss.
    #[must_use]
    pub fn new(keep_for: std::time::Duration, stale_for: std::time::Duration, max: usize) -> Self {
        let counts = Default::default();
        Self { keep_for, stale_for, max, writing: Default::default(), inner: Mutex::default(), counts }
    }

    /// A write is in flight until the guard is dropped (after it made the hot pages again).
    #[must_use]
    pub fn writing(&self) -> Writing<'_> {
        self.writing.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Writing(&self.writing)
    }

    /// Notes that the page `key` was made now, by `by`, with what makes it again (`recipe`).
    /// A page a reader made is hot from now; one a write made again stays hot only as long as
    /// a reader's making made it (writes alone do not keep a page nobody reads hot).
    pub fn made(&self, key: &str, recipe: R, by: Made) {
        self.count(by);
        if by != Made::ByReader {
            return;
        }
        let now = std::time::Instant::now();
        let mut inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let order = inner.values().map(|p| p.order + 1).max().unwrap_or(0);
        inner.insert(key.to_string(), HotPage { recipe, made: now, order, missed: None });
        inner.retain(|_, p| now.duration_since(p.made) < self.keep_for);
        while inner.len() > self.max {
            let oldest = inner.iter().min_by_key(|(_, p)| p.order).map(|(k, _)| k.clone());
            oldest.map(|k| inner.remove(&k));
        }
    }

    /// The recipes of the hot pages (made within `keep_for` ([`Hot::new`])), by key.
    #[must_use]
    pub fn recipes(&self) -> Vec<(String, R)> {
        let now = std::time::Instant::now();
        let inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let hot = inner.iter().filter(|(_, p)| now.duration_since(p.made) < self.keep_for);
        hot.map(|(k, p)| (k.clone(), p.recipe.clone())).collect()
    }

    /// Whether a reader who misses the page `key` at `generation` may show the stale one
    /// instead of making it: a write is in flight (which makes the hot pages again before it
    /// answers), the page is hot, and less than `stale_for` ([`Hot::new`]) has passed since a reader
    /// first missed it at `generation`.
    #[must_use]
    pub fn may_show_stale(&self, key: &str, generation: u64) -> bool {
        if self.writing.load(std::sync::atomic::Ordering::SeqCst) == 0 {
            return false;
        }
        let now = std::time::Instant::now();
        let mut inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(page) = inner.get_mut(key).filter(|p| now.duration_since(p.made) < self.keep_for) else {
            return false;
        };
        let first = match page.missed {
            Some((g, at)) if g == generation => at,
            _ => {
                page.missed = Some((generation, now));
                now
            }
        };
        now.duration_since(first) < self.stale_for
    }

    /// Counts one `what`.
    pub fn count(&self, what: Made) {
        self.counts[what as usize].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many pages were made by readers, made by writes, and shown stale, in that order.
    #[must_use]
    pub fn counts(&self) -> [u64; 3] {
        self.counts.each_ref().map(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_kept_for_its_generation_and_the_capacity_bounds_them() {
        let kept = Kept::<u32>::new(2);
        let mut calls = 0;
        let mut get = |g, k: &str, v| {
            kept.get_or_try::<()>(g, k, || {
                calls += 1;
                Ok(v)
            })
            .unwrap()
        };
        assert_eq!(get(5, "a", 1), 1);
        assert_eq!(get(5, "a", 2), 1, "kept");
        assert_eq!(get(5, "b", 3), 3);
        assert_eq!(get(5, "c", 4), 4);
        assert_eq!(get(5, "a", 5), 5, "the oldest left at capacity");
        assert_eq!(get(6, "a", 6), 6, "a newer generation computes again");
        assert_eq!(get(5, "a", 7), 7, "an older generation is not served");
        assert_eq!(get(6, "a", 8), 6, "nor kept over the newer");
        assert_eq!(calls, 6);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept.get_or_try(6, "z", || Err::<u32, _>("no")), Err("no"));
        assert_eq!(kept.len(), 1, "an error keeps nothing");
    }

    #[test]
    fn a_stale_value_is_the_newest_of_an_older_generation() {
        let kept = Kept::<&str>::new(4);
        assert_eq!(kept.stale(1, "d"), None, "nothing kept yet");
        kept.put(3, "d", "dashboard at 3");
        kept.put(3, "r", "roadmap at 3");
        assert_eq!(kept.stale(3, "d"), None, "not older than what is asked");
        assert_eq!(kept.stale(4, "d"), Some("dashboard at 3"), "the cache's generation is older");
        kept.put(4, "r", "roadmap at 4");
        assert_eq!(kept.get(4, "d"), None, "not kept at 4");
        assert_eq!(kept.stale(4, "d"), Some("dashboard at 3"), "the generation replaced stays readable");
        assert_eq!(kept.stale(5, "r"), Some("roadmap at 4"), "the newest of the older ones");
        kept.put(5, "x", "x");
        assert_eq!(kept.stale(5, "d"), None, "two generations back is gone");
        assert_eq!(kept.stale(5, "r"), Some("roadmap at 4"));
    }

    #[test]
    fn a_kept_list_carries_its_gzip_encoding() {
        use std::io::Read;
        let json = br#"[{"id":"a","title":"Formation"},{"id":"b","title":"Formation"}]"#.repeat(20);
        let kept = KeptList::new(json.clone(), Some("b".into()));
        assert!(kept.gzip.len() < json.len() / 4, "{} of {}", kept.gzip.len(), json.len());
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&kept.gzip[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, json);
        assert_eq!((&kept.json[..], kept.next.as_deref()), (&json[..], Some("b")));
    }

    #[test]
    fn the_csrf_mark_is_replaced_by_the_session_token() {
        let page = format!("<input name=\"csrf\" value=\"{CSRF_MARK}\"> &lt;!--csrf--&gt; <i>{CSRF_MARK}</i>");
        assert_eq!(with_csrf(&page, "t0K3n"), "<input name=\"csrf\" value=\"t0K3n\"> &lt;!--csrf--&gt; <i>t0K3n</i>");
    }

    #[test]
    fn a_hot_page_is_shown_stale_only_while_a_write_is_in_flight_and_within_its_time() {
        use std::time::Duration;
        let long = Duration::from_secs(600);
        let hot = Hot::<&str>::new(long, long, 4);
        let w = hot.writing();
        assert!(!hot.may_show_stale("dashboard/ar", 8), "not made yet: not hot");
        drop(w);
        hot.made("dashboard/ar", "reader class ar", Made::ByReader);
        assert!(!hot.may_show_stale("dashboard/ar", 8), "no write in flight: the reader makes it");
        let (w1, w2) = (hot.writing(), hot.writing());
        assert!(hot.may_show_stale("dashboard/ar", 8), "a write in flight will make it again");
        assert!(hot.may_show_stale("dashboard/ar", 9));
        assert!(!hot.may_show_stale("roadmap/ar", 8), "only a hot page");
        drop(w1);
        assert!(hot.may_show_stale("dashboard/ar", 9), "one write is still in flight");
        drop(w2);
        assert!(!hot.may_show_stale("dashboard/ar", 9), "every write answered");
        hot.count(Made::StaleShown);
        assert_eq!(hot.counts(), [1, 0, 1]);

        // Past the time a page may be shown stale, or past the time it stays hot: made now.
        let brief = Hot::<&str>::new(long, Duration::ZERO, 4);
        brief.made("dashboard/ar", "r", Made::ByReader);
        let _w = brief.writing();
        assert!(!brief.may_show_stale("dashboard/ar", 8));
        brief.made("dashboard/ar", "r", Made::ByWrite);
        assert_eq!(brief.counts(), [1, 1, 0]);
        let cold = Hot::<&str>::new(Duration::ZERO, long, 4);
        cold.made("dashboard/ar", "r", Made::ByReader);
        let _w = cold.writing();
        assert!(!cold.may_show_stale("dashboard/ar", 8));
        assert!(cold.recipes().is_empty(), "a page no longer hot is not made again by writes");
    }

    #[test]
    fn the_hot_pages_are_the_most_recently_made() {
        let long = std::time::Duration::from_secs(600);
        let hot = Hot::<u32>::new(long, long, 2);
        hot.made("a", 1, Made::ByReader);
        hot.made("b", 2, Made::ByReader);
        hot.made("c", 3, Made::ByReader);
        let mut recipes = hot.recipes();
        recipes.sort();
        assert_eq!(recipes, [("b".to_string(), 2), ("c".to_string(), 3)], "the oldest left");
        hot.made("b", 4, Made::ByReader);
        hot.made("c", 5, Made::ByWrite);
        hot.made("d", 6, Made::ByReader);
        recipes = hot.recipes();
        recipes.sort();
        assert_eq!(recipes, [("b".to_string(), 4), ("d".to_string(), 6)], "a write's making keeps no page hot");
        assert_eq!(hot.counts(), [5, 1, 0]);
    }

    use std::task::{Context, Poll, Waker};

    /// Polls `fut` once, with a waker that does nothing: whether it is ready *now*, without
    /// any clock.
    fn poll_once<F: std::future::Future>(fut: std::pin::Pin<&mut F>) -> Poll<F::Output> {
        fut.poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn a_reader_with_a_stale_page_shows_it_at_once_while_another_makes_the_current_one() {
        let (making, kept) = (tokio::sync::Mutex::new(()), Kept::new(4));
        kept.put(7, "dashboard/ar", "page of generation 7");
        let _maker = making.try_lock().expect("free");
        let reader = std::pin::pin!(turn_or_stale(&making, &kept, 8, "dashboard/ar"));
        match poll_once(reader) {
            Poll::Ready(Err(stale)) => assert_eq!(stale, "page of generation 7"),
            Poll::Ready(Ok(_)) => panic!("took the turn the maker holds"),
            Poll::Pending => panic!("waited for the maker although a stale page was kept"),
        }
    }

    #[test]
    fn a_reader_without_a_page_waits_for_the_maker_then_takes_its_turn() {
        let (making, kept) = (tokio::sync::Mutex::new(()), Kept::<&str>::new(4));
        kept.put(7, "roadmap/ar", "another page");
        let maker = making.try_lock().expect("free");
        let mut reader = std::pin::pin!(turn_or_stale(&making, &kept, 8, "dashboard/ar"));
        assert!(poll_once(reader.as_mut()).is_pending(), "nothing to show: it waits");
        drop(maker);
        assert!(matches!(poll_once(reader.as_mut()), Poll::Ready(Ok(_))), "the maker is done: its turn");
        // With the lock free, the first reader makes the page: no stale value is handed out.
        let (making, kept) = (tokio::sync::Mutex::new(()), Kept::new(4));
        kept.put(7, "dashboard/ar", "page of generation 7");
        assert!(matches!(
            poll_once(std::pin::pin!(turn_or_stale(&making, &kept, 8, "dashboard/ar"))),
            Poll::Ready(Ok(_))
        ));
    }

    /// The kind of the fault above: `.await` inside the *eager* argument of `map_or`,
    /// `unwrap_or`, `or`, `ok_or`, `and` (evaluated, and so awaited, whichever branch is taken).
    /// Every crate's sources are read; the lazy forms (`map_or_else`, `unwrap_or_else`, …, a
    /// closure or an async block) are fine.
    #[test]
    fn no_source_awaits_in_an_eager_default_argument() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = vec![];
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 100, "the workspace's sources are found ({})", files.len());
        let eager = [".map_or(", ".unwrap_or(", ".or(", ".ok_or(", ".and(", ".get_or_insert("];
        let mut found = vec![];
        for file in files {
            let text = std::fs::read_to_string(&file).expect("utf-8");
            for name in eager {
                for (at, _) in text.match_indices(name) {
                    let (mut depth, mut end) = (1, at + name.len());
                    for (i, c) in text[at + name.len()..].char_indices() {
                        depth += match c {
                            '(' => 1,
                            ')' => -1,
                            _ => 0,
                        };
                        if depth == 0 {
                            end = at + name.len() + i;
                            break;
                        }
                    }
                    let argument = &text[at + name.len()..end];
                    if argument.contains(".await") && !argument.contains('|') && !argument.contains("async") {
                        let line = text[..at].lines().count();
                        found.push(format!("{}:{line}: {name}{argument})", file.display()));
                    }
                }
            }
        }
        assert!(found.is_empty(), "an .await in an eager argument (use the `_else` form):\n{}", found.join("\n"));
    }
}
