//! Importing a follow-up matrix (issue 4): the plan of `lajna_outputs::import` checked against
//! who imports, and written all or nothing as signed events.
//!
//! The plan is made again under the store's write lock, against the state the events will
//! follow, so a preview made earlier can never be applied to a record that has changed since:
//! what is written is exactly what the returned plan shows.

use lajna_domain::{Actor, Command, State, decide};
use lajna_ledger::{EventId, SignedEvent};
use lajna_outputs::import::{ImportPlan, MatrixImport, Outcome, Refusal, plan};
use lajna_store::WriteGuard;

use crate::auth::{AuthError, Role, User, authorize};
use crate::{Node, NodeError, now_rfc3339};

// Who imports lives in `lajna_door` (re-exported here).
pub use lajna_door::import::Importer;

/// What an import did or would do.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportOutcome {
    /// The plan, row by row, including the importer's permissions.
    pub plan: ImportPlan,
    /// The events written (empty for a preview, a refused plan, or a plan that changes nothing).
    pub written: Vec<EventId>,
}

impl Node {
    /// The user `username` of this node, to import as (`lajna import --user`).
    ///
    /// # Errors
    /// [`AuthError::NoSuchUser`]; [`AuthError::Forbidden`] for a disabled user; store errors.
    pub async fn user_for_import(&self, username: &str) -> Result<User, NodeError> {
        let row =
            self.store.user(username).await?.ok_or_else(|| NodeError::Auth(AuthError::NoSuchUser(username.into())))?;
        if row.disabled {
            return Err(NodeError::Auth(AuthError::Forbidden("a disabled user")));
        }
        Ok(User {
            username: row.username,
            party: lajna_domain::PartyCode::parse(&row.party)?,
            role: Role::parse(&row.role)?,
            member: row.member,
            clearance: lajna_domain::Classification::parse(&row.clearance)?,
        })
    }

    /// Plans the import of `matrix` against the current state for `importer` and, with `apply`
    /// and when no row is refused, writes every change as signed events in one store
    /// transaction. A plan with any refused row writes nothing.
    ///
    /// # Errors
    /// Signing or store errors (nothing is written then); refusals are not errors but rows of
    /// the returned plan.
    pub async fn import_matrix(
        &self,
        importer: &Importer,
        matrix: &MatrixImport,
        apply: bool,
    ) -> Result<ImportOutcome, NodeError> {
        if !apply {
            // A preview writes nothing: planned on the published state, not under the writers'
            // lock, which a write would otherwise wait for while the plan runs at `bulk`'s
            // lower priority.
            let (_, state) = self.store.snapshot().await;
            return Ok(ImportOutcome { plan: self.plan_for(importer, &state, matrix), written: vec![] });
        }
        let mut guard = self.store.lock().await;
        let planned = self.plan_for(importer, guard.state(), matrix);
        if !planned.is_clean() {
            return Ok(ImportOutcome { plan: planned, written: vec![] });
        }
        let commands: Vec<(Actor, Command)> = planned
            .rows
            .iter()
            .filter_map(|r| Some((importer.actor(r.party.as_ref()?), r.commands())))
            .flat_map(|(actor, commands)| commands.into_iter().map(move |c| (actor.clone(), c)))
            .collect();
        let written = self.execute_batch(&mut guard, &commands).await?;
        Ok(ImportOutcome { plan: planned, written })
    }

    /// The plan of `matrix` against `state` for `importer`, at the bulk priority.
    fn plan_for(&self, importer: &Importer, state: &State, matrix: &MatrixImport) -> ImportPlan {
        lajna_door::bulk(|| {
            let mut planned = plan(state, matrix, self.today());
            self.check_importer(importer, state, &mut planned);
            planned
        })
    }

    /// Turns rows the importer may not write into refusals.
    fn check_importer(&self, importer: &Importer, state: &State, planned: &mut ImportPlan) {
        for row in &mut planned.rows {
            let Some(party) = row.party.clone() else { continue };
            // The first command of the row the importer may not run refuses the whole row.
            let refusal = row.commands().iter().find_map(|command| self.refusal_for(importer, state, &party, command));
            if let Some(r) = refusal {
                row.party = None;
                row.outcome = Outcome::Refused(vec![r]);
            }
        }
    }

    /// Why `importer` may not run `command` for `party`, if they may not.
    fn refusal_for(
        &self,
        importer: &Importer,
        state: &State,
        party: &lajna_domain::PartyCode,
        command: &Command,
    ) -> Option<Refusal> {
        match importer {
            Importer::Operator if !self.keys.contains_key(party.as_str()) => {
                Some(Refusal { key: "import-no-key", field: None, detail: party.to_string(), domain: None })
            }
            Importer::Operator => None,
            Importer::User(user) => match authorize(user, state, command) {
                Ok(()) if !self.keys.contains_key(user.party.as_str()) => {
                    Some(Refusal { key: "import-no-key", field: None, detail: user.party.to_string(), domain: None })
                }
                Ok(()) => None,
                Err(NodeError::Auth(e)) => {
                    Some(Refusal { key: e.key(), field: None, detail: e.to_string(), domain: None })
                }
                Err(e) => Some(Refusal { key: "error-forbidden", field: None, detail: e.to_string(), domain: None }),
            },
        }
    }

    /// Runs several commands as one: each is decided against the state left by the ones
    /// before it, every event is signed with the key of its actor's party (each following the
    /// previous one), and the whole batch is appended in one transaction, or nothing is.
    /// Shared-log commands only.
    ///
    /// # Errors
    /// [`NodeError::Domain`] for the first refused command, [`NodeError::NoKey`], signing or
    /// store errors; nothing is written on any error.
    pub(crate) async fn execute_batch(
        &self,
        guard: &mut WriteGuard<'_>,
        commands: &[(Actor, Command)],
    ) -> Result<Vec<EventId>, NodeError> {
        if commands.is_empty() {
            return Ok(vec![]);
        }
        let (committee, parents) = (guard.committee(), guard.heads());
        // A bulk write (the import's): decided and signed at the lower priority of `bulk`.
        let state = guard.state();
        let batch = lajna_door::bulk(|| self.sign_batch(state.clone(), committee, parents, commands))?;
        Ok(guard.append(&batch).await?)
    }

    /// The events of `commands`, decided in turn from `state` (each on the state the previous
    /// ones made) and signed in a chain from `parents`.
    fn sign_batch(
        &self,
        mut state: State,
        committee: Option<EventId>,
        mut parents: Vec<(EventId, i64)>,
        commands: &[(Actor, Command)],
    ) -> Result<Vec<SignedEvent>, NodeError> {
        let at = now_rfc3339();
        let mut batch: Vec<SignedEvent> = Vec::new();
        for (actor, command) in commands {
            if command.is_private(&state) {
                return Err(NodeError::Domain(lajna_domain::DomainError::InvalidValue {
                    field: "command".into(),
                    value: "a private command cannot be imported".into(),
                }));
            }
            let key = self
                .keys
                .get(actor.party.as_str())
                .ok_or_else(|| NodeError::NoKey { party: actor.party.to_string() })?;
            for emit in decide(&state, actor, command)? {
                let (event, lamport) = crate::sign_next(committee, &parents, actor, &at, &emit, key)?;
                let meta = lajna_domain::Meta {
                    id: event.id().to_hex(),
                    lamport,
                    party: actor.party.to_string(),
                    member: actor.member.clone(),
                    at: at.clone(),
                };
                state.apply(&meta, &emit.kind, &emit.body)?;
                parents = vec![(event.id(), lamport)];
                batch.push(event);
            }
        }
        Ok(batch)
    }
}
