//! The DAG of the log in memory: for every event folded, its Lamport clock and parents, which
//! the checks of a new event (its parents known, its clock one above theirs) and the
//! revocation rule (is an event in a revocation's past?) read.
//!
//! Compact because it holds every event of the log: an event is a position (`u32`, in order
//! of insertion), its id is kept once, its parents are positions in one shared vector, and the
//! index from id to position stores only the position (the id is read from `ids`). About 60
//! bytes per event with one parent, against about 250 for maps from id to clock and from id to
//! a vector of parent ids (measured on 1,000,000 events: BENCHMARKS.md, session 11).

use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;
use lajna_ledger::EventId;

/// Events by position of insertion, with their clocks and parents.
#[derive(Default)]
pub(crate) struct Dag {
    /// Positions, each hashed by the id at that position (a keyed hash: ids are chosen by
    /// whoever signs the events).
    index: HashTable<u32>,
    hasher: RandomState,
    ids: Vec<EventId>,
    lamports: Vec<i64>,
    /// Event `i`'s parents are `parents[starts[i]..starts[i + 1]]` (`starts` has one more
    /// element than `ids`).
    starts: Vec<u32>,
    parents: Vec<u32>,
}

impl Dag {
    fn position(&self, id: &EventId) -> Option<usize> {
        let hash = self.hasher.hash_one(id);
        self.index.find(hash, |&p| self.ids[p as usize] == *id).map(|&p| p as usize)
    }

    /// How many events are known.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the event is known.
    pub(crate) fn contains(&self, id: &EventId) -> bool {
        self.position(id).is_some()
    }

    /// The event's Lamport clock, `None` when it is not known.
    pub(crate) fn lamport(&self, id: &EventId) -> Option<i64> {
        self.position(id).map(|p| self.lamports[p])
    }

    /// Adds an event; a known id changes nothing. Parents not known are left out (every caller
    /// adds an event only once its parents were found, so there are none).
    ///
    /// # Panics
    /// Past `u32::MAX` events or parent links (4 billion: far beyond a committee's log).
    pub(crate) fn insert(&mut self, id: EventId, lamport: i64, parents: &[EventId]) {
        if self.contains(&id) {
            return;
        }
        let position = u32::try_from(self.ids.len()).expect("fewer than 2^32 events");
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let links: Vec<u32> =
            parents.iter().filter_map(|p| self.position(p)).map(|p| u32::try_from(p).unwrap_or(u32::MAX)).collect();
        self.parents.extend(links);
        self.starts.push(u32::try_from(self.parents.len()).expect("fewer than 2^32 parent links"));
        self.ids.push(id);
        self.lamports.push(lamport);
        let (ids, hasher) = (&self.ids, &self.hasher);
        self.index.insert_unique(hasher.hash_one(id), position, |&p| hasher.hash_one(ids[p as usize]));
    }

    fn parents_at(&self, position: usize) -> &[u32] {
        &self.parents[self.starts[position] as usize..self.starts[position + 1] as usize]
    }

    /// The event's parents (none when it is not known).
    pub(crate) fn parents(&self, id: &EventId) -> impl Iterator<Item = EventId> + '_ {
        self.position(id).into_iter().flat_map(|p| self.parents_at(p).iter().map(|&q| self.ids[q as usize]))
    }

    /// The first of `targets` that is not an ancestor of (or one of) `start`; `None` when all
    /// are. The walk stops below the smallest Lamport clock of the targets (an ancestor's
    /// clock is smaller than its child's) and once every target is found. Unknown events
    /// are neither walked nor found.
    pub(crate) fn first_outside_past(&self, start: &[EventId], targets: &[EventId]) -> Option<EventId> {
        let mut missing: std::collections::HashSet<usize> = targets.iter().filter_map(|t| self.position(t)).collect();
        let floor = missing.iter().map(|&p| self.lamports[p]).min().unwrap_or(0);
        let mut seen = std::collections::HashSet::new();
        let mut stack: Vec<usize> = start.iter().filter_map(|s| self.position(s)).collect();
        while let Some(p) = stack.pop() {
            if missing.is_empty() {
                break;
            }
            if !seen.insert(p) || self.lamports[p] < floor {
                continue;
            }
            missing.remove(&p);
            stack.extend(self.parents_at(p).iter().map(|&q| q as usize));
        }
        targets.iter().find(|t| self.position(t).is_none_or(|p| missing.contains(&p))).copied()
    }
}

/// Bytes of an encoded [`Dag`] per event, besides its parent links: id, clock, link start.
const ENCODED_PER_EVENT: usize = 32 + 8 + 4;

impl Dag {
    /// The DAG as bytes, for the store's saved fold (`saved.rs`): `n` (u32), then `n` ids (32 bytes
    /// each), `n` clocks (i64), `n + 1` link starts (u32), the links (u32 positions), all
    /// little-endian. About 48 bytes an event.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let n = self.ids.len();
        let mut out = Vec::with_capacity(4 + n * ENCODED_PER_EVENT + 4 + self.parents.len() * 4);
        out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
        for id in &self.ids {
            out.extend_from_slice(&id.0);
        }
        for l in &self.lamports {
            out.extend_from_slice(&l.to_le_bytes());
        }
        let starts: &[u32] = if self.starts.is_empty() { &[0] } else { &self.starts };
        for s in starts.iter().chain(&self.parents) {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out
    }

    /// Reads [`Dag::encode`]'s bytes back; `None` when they are not such bytes (short, links
    /// out of range or not increasing, an id twice).
    pub(crate) fn decode(bytes: &[u8]) -> Option<Self> {
        let (n, rest) = bytes.split_first_chunk::<4>()?;
        let n = u32::from_le_bytes(*n) as usize;
        let (ids, rest) = rest.split_at_checked(n.checked_mul(32)?)?;
        let (lamports, rest) = rest.split_at_checked(n * 8)?;
        let (starts, links) = rest.split_at_checked((n + 1) * 4)?;
        let u32s = |b: &[u8]| -> Vec<u32> {
            b.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap_or_default())).collect()
        };
        let (starts, parents) = (u32s(starts), u32s(links));
        if links.len() % 4 != 0
            || starts.first() != Some(&0)
            || starts.last().map(|&s| s as usize) != Some(parents.len())
            || starts.windows(2).any(|w| w[0] > w[1])
            || parents.iter().any(|&p| p as usize >= n)
        {
            return None;
        }
        let mut dag = Self {
            index: HashTable::with_capacity(n),
            hasher: RandomState::default(),
            ids: ids.chunks_exact(32).map(|c| EventId(c.try_into().unwrap_or([0; 32]))).collect(),
            lamports: lamports.chunks_exact(8).map(|c| i64::from_le_bytes(c.try_into().unwrap_or_default())).collect(),
            starts: if n == 0 { Vec::new() } else { starts },
            parents,
        };
        for position in 0..n {
            let id = dag.ids[position];
            if dag.contains(&id) {
                return None;
            }
            let (ids, hasher) = (&dag.ids, &dag.hasher);
            let position = u32::try_from(position).ok()?;
            dag.index.insert_unique(hasher.hash_one(id), position, |&p| hasher.hash_one(ids[p as usize]));
        }
        Some(dag)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use proptest::prelude::*;

    use super::*;

    fn id(n: usize) -> EventId {
        EventId(*blake3::hash(&n.to_le_bytes()).as_bytes())
    }

    /// The maps the DAG replaced, with their walk: the reference the compact form must agree with.
    struct Maps {
        lamports: HashMap<EventId, i64>,
        parents: HashMap<EventId, Vec<EventId>>,
    }

    impl Maps {
        fn first_outside_past(&self, start: &[EventId], targets: &[EventId]) -> Option<EventId> {
            let mut missing: HashSet<EventId> = targets.iter().copied().collect();
            let floor = targets.iter().filter_map(|t| self.lamports.get(t)).copied().min().unwrap_or(0);
            let mut seen = HashSet::new();
            let mut stack: Vec<EventId> = start.to_vec();
            while let Some(id) = stack.pop() {
                if missing.is_empty() {
                    break;
                }
                if !seen.insert(id) || self.lamports.get(&id).is_none_or(|l| *l < floor) {
                    continue;
                }
                missing.remove(&id);
                stack.extend(self.parents.get(&id).into_iter().flatten().copied());
            }
            targets.iter().find(|t| missing.contains(*t)).copied()
        }
    }

    proptest! {
        /// For random DAGs (each event's parents drawn among the events before it), the
        /// compact DAG answers as the maps did: membership, clocks, parents, and the
        /// revocation rule's walk from any start to any targets, unknown ids included.
        #[test]
        fn the_compact_dag_answers_as_the_maps_did(
            links in prop::collection::vec(prop::collection::vec(any::<prop::sample::Index>(), 0..4), 1..80),
            start in prop::collection::vec(0usize..90, 0..4),
            targets in prop::collection::vec(0usize..90, 1..5),
        ) {
            let mut dag = Dag::default();
            let mut maps = Maps { lamports: HashMap::new(), parents: HashMap::new() };
            for (n, picks) in links.iter().enumerate() {
                let mut parents: Vec<EventId> =
                    if n == 0 { vec![] } else { picks.iter().map(|i| id(i.index(n))).collect() };
                parents.sort();
                parents.dedup();
                let lamport = 1 + parents.iter().map(|p| maps.lamports[p]).max().unwrap_or(0);
                dag.insert(id(n), lamport, &parents);
                dag.insert(id(n), lamport + 7, &[]); // a second insert changes nothing
                maps.lamports.insert(id(n), lamport);
                maps.parents.insert(id(n), parents);
            }
            // The DAG read back from its bytes (the saved fold's) answers the same.
            let back = Dag::decode(&dag.encode()).expect("its own bytes read back");
            for dag in [&dag, &back] {
                // Ids 0..90: those past the log's length are unknown.
                for n in 0..90 {
                    prop_assert_eq!(dag.contains(&id(n)), maps.lamports.contains_key(&id(n)));
                    prop_assert_eq!(dag.lamport(&id(n)), maps.lamports.get(&id(n)).copied());
                    prop_assert_eq!(dag.parents(&id(n)).collect::<Vec<_>>(), maps.parents.get(&id(n)).cloned().unwrap_or_default());
                }
                let start: Vec<EventId> = start.iter().copied().map(id).collect();
                let targets: Vec<EventId> = targets.iter().copied().map(id).collect();
                prop_assert_eq!(dag.first_outside_past(&start, &targets), maps.first_outside_past(&start, &targets));
            }
            // Bytes cut short, or a link pointing past the events, are refused.
            let bytes = dag.encode();
            prop_assert!(Dag::decode(&bytes[..bytes.len() - 1]).is_none());
            if dag.parents.last().is_some() {
                let mut bad = bytes.clone();
                let at = bad.len() - 4;
                bad[at..].copy_from_slice(&u32::MAX.to_le_bytes());
                prop_assert!(Dag::decode(&bad).is_none());
            }
        }
    }
}
