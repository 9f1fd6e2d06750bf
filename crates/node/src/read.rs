//! The one read door of a node (DESIGN.md §6): every page, export, event list and API answer
//! reads the fold through [`Node::read`], which hands back the state *as one reader may see it*
//! — the records whose marking their clearance and party allow, nothing else. The rule is
//! applied here once; a read model built on a [`Snapshot`] cannot show, count or link a record
//! its reader may not see, because the record is not in it.
//!
//! A snapshot is an `Arc` shared by every reader of the same access class (party, clearance)
//! until the next write: it is built once per store generation and class from the store's last
//! published fold (`Store::snapshot`, which never waits for a write in progress), then reading
//! it takes no lock, so rendering a page never holds or waits for the store's write lock.

use std::sync::{Arc, Mutex};

use lajna_domain::Clearance;
use lajna_domain::State;

use crate::Node;
use crate::auth::User;
use crate::record::may_see_entry;

// The snapshot type lives in `lajna_door` (what the web reads), re-exported here.
pub use lajna_door::read::Snapshot;

/// Who a snapshot is for: the party (private records and releasability) and the clearance.
/// `None` is the node's operator (the CLI on the server, which holds the keys): every record.
type Class = Option<(String, Clearance)>;

/// The snapshots already built, at most one per access class (a node has a handful).
#[derive(Debug, Default)]
pub(crate) struct Snapshots(Mutex<Vec<(Class, u64, Arc<State>)>>);

impl Snapshots {
    fn get(&self, class: &Class, generation: u64) -> Option<Arc<State>> {
        let kept = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.iter().find(|(c, g, _)| c == class && *g == generation).map(|(_, _, s)| Arc::clone(s))
    }

    /// The snapshot kept for `class`, of any generation.
    fn newest(&self, class: &Class) -> Option<Arc<State>> {
        let kept = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.iter().find(|(c, _, _)| c == class).map(|(_, _, s)| Arc::clone(s))
    }

    fn put(&self, class: Class, generation: u64, state: Arc<State>) {
        let mut kept = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // One per class, the newest, of whatever generation: the next snapshot of a class
        // reuses what its previous one parsed (`newest`).
        if kept.iter().any(|(c, g, _)| c == &class && *g > generation) {
            return;
        }
        kept.retain(|(c, _, _)| c != &class);
        kept.push((class, generation, state));
    }
}

impl Node {
    /// The state as `viewer` may see it: the charter and the records whose marking allows
    /// their party and clearance (private records of their own party only). The one entry
    /// point of every read a user makes.
    pub async fn read(&self, viewer: &User) -> Snapshot {
        let class = Some((viewer.party.to_string(), viewer.clearance));
        self.snapshot(class, |_, e| may_see_entry(viewer, e)).await
    }

    /// Every record, for the node's operator: the CLI on the server, the periodic report and
    /// the PV it prints (which the operator files), the matrix written by `lajna export`.
    pub async fn read_all(&self) -> Snapshot {
        self.snapshot(None, |_, _| true).await
    }

    async fn snapshot(&self, class: Class, keep: impl Fn(&str, &lajna_domain::state::Entry) -> bool) -> Snapshot {
        // The store's last published fold with the generation it equals (never waiting for a
        // write in progress, see `Store::snapshot`); filtered once per generation and class.
        // A web request's session lookup has just observed the logs: no SQL of its own then.
        let (generation, all) = self.store.snapshot_within(std::time::Duration::from_millis(2)).await;
        if class.is_none() {
            return Snapshot::new(all, generation);
        }
        let state = self.snapshots.get(&class, generation).unwrap_or_else(|| {
            let mut built = all.retain(&keep);
            // The actions parsed for this state (by an operator's read) or else by this class's
            // previous snapshot are reused where unchanged.
            if !all.actions_parsed()
                && let Some(earlier) = self.snapshots.newest(&class)
            {
                built.reuse_parsed(&earlier);
            }
            let built = Arc::new(built);
            self.snapshots.put(class, generation, Arc::clone(&built));
            built
        });
        Snapshot::new(state, generation)
    }
}
