//! A matrix import as the web sees it (issue 4): who imports and what it did. Planning and
//! writing are the node's (`lajna_node::import`, which re-exports [`Importer`]).

use lajna_domain::Actor;
use lajna_outputs::import::ImportPlan;

use crate::auth::User;

/// Who imports a matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Importer {
    /// The node's operator (the CLI without `--user`): whoever holds the data directory and its
    /// node keys. Each row is written for the party that owns the action, with no member, as
    /// `lajna demo` writes its records; a row of a party this node holds no key for is refused.
    Operator,
    /// A user: each row must pass [`crate::auth::authorize`] (role and party rules, as in the web forms).
    User(User),
}

/// What an import did or would do (`lajna_node::import::ImportOutcome` with the door's event ids).
#[derive(Clone, Debug, PartialEq)]
pub struct ImportOutcome {
    /// The plan, row by row, including the importer's permissions.
    pub plan: ImportPlan,
    /// The events written: empty for a preview, a refused plan, or a plan that changes nothing.
    pub written: Vec<crate::EventId>,
}

impl Importer {
    /// The actor a row owned by `party` is written as: the operator writes for the party with
    /// no member, a user as themself.
    #[must_use]
    pub fn actor(&self, party: &lajna_domain::PartyCode) -> Actor {
        match self {
            Importer::Operator => Actor { party: party.clone(), member: None },
            Importer::User(u) => u.actor(),
        }
    }
}
