//! What a reader reads: the fold as one reader may see it. Building it (once per store
//! generation and reader class) is the node's (`lajna_node::read`, which re-exports
//! [`Snapshot`]).

use std::sync::Arc;

use lajna_domain::State;

/// The fold as one reader may see it, at one store generation. Dereferences to the domain's
/// [`State`], so read models are plain functions of it.
#[derive(Clone, Debug)]
pub struct Snapshot {
    state: Arc<State>,
    generation: u64,
}

impl Snapshot {
    /// The snapshot of `state` taken at store generation `generation` (built by the node, once
    /// per generation and reader class).
    #[must_use]
    pub fn new(state: Arc<State>, generation: u64) -> Self {
        Self { state, generation }
    }

    /// The store generation this snapshot was taken at (changes with every write, sync or
    /// rebuild; see `Store::generation`): a key for caches of read models built on it.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

impl std::ops::Deref for Snapshot {
    type Target = State;
    fn deref(&self) -> &State {
        &self.state
    }
}
