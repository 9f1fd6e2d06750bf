//! Reading a demo data file (`committee.toml`, `small.toml`): TOML in, the charter and an ordered
//! list of steps out, each step one command of one party (or one document to register).
//!
//! The file's shape (its header comment says it for whoever edits it): a `[charter]` table, then
//! one array-of-tables section per step kind (`[[member]]`, `[[area]]`, `[[mission]]`,
//! `[[communique]]`, `[[press]]`, `[[session]]`, `[[roadmap]]`, `[[decision]]`,
//! `[[endorsement]]`, `[[action]]`, `[[evidence]]`, `[[need]]`, `[[offer]]`, `[[training]]`,
//! `[[document]]`). Steps run in the order they are written in the file, whatever their kind.
//! Every step names the party that writes it (`by`), may name the member acting (`as`) and may
//! give itself a `key` that later steps use where the record type holds a record id. The other
//! fields are the record's own, as the domain names them (`lajna_domain::records`); dates are
//! TOML dates, texts are tables of `ar`, `fr`, `en`.
//!
//! Every error names the file, the step (kind, number, key, line) and the field. The whole file
//! is checked when it is read (references included, against the keys defined above each step),
//! before anything is written.

use std::collections::BTreeMap;

use lajna_domain::records::*;
use lajna_domain::{Actor, Charter, Command, Lang, LocalizedText, Marking, PartyCode, PartyInfo, RecordKind};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use toml::{Spanned, Table, Value};

/// A data file that cannot be read as a demo. `Display` names the file, and for a step its kind,
/// number, key and line, and the field (dotted for nested ones: `quotes[0].speaker`).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LoadError {
    /// Not TOML, or a section the demo does not know; `message` is the TOML reader's, with the
    /// line and column.
    #[error("{file}: {message}")]
    Syntax {
        /// The data file's name (`committee.toml`).
        file: String,
        /// What is wrong, where.
        message: String,
    },
    /// A field of one step (or of the charter) is missing, unknown, of the wrong type, or names
    /// a key that no step above it defines.
    #[error("{file}: {record}, field `{field}`: {message}")]
    Field {
        /// The data file's name.
        file: String,
        /// The step: `action #3 "first-aid" (line 312)`, or `charter`.
        record: String,
        /// The field, dotted for nested ones.
        field: String,
        /// What is wrong with it.
        message: String,
    },
}

/// The files a step may name (`text_file` of a press document): embedded, so the binary needs
/// none beside it.
const FILES: [(&str, &str); 1] = [("000_fac40ccd7e41eb5b.txt", crate::ARTICLE)];

/// A demo read from its data file: the charter and the steps, checked.
#[derive(Clone, Debug)]
pub struct Demo {
    file: String,
    charter: Charter,
    steps: Vec<Step>,
}

/// One step as written: its kind, where it is, and its fields (not yet converted: references
/// become record ids only when the records they name exist).
#[derive(Clone, Debug)]
struct Step {
    kind: StepKind,
    label: String,
    table: Table,
}

/// One step ready to run: a command, or a document with its file.
#[derive(Debug)]
pub(crate) enum Planned {
    /// A command executed as `actor`.
    Command(Actor, Box<Command>),
    /// A document registered as `actor` with the file's bytes; the document's file fields are
    /// filled from the file by the node.
    Document(Actor, Box<Document>, File),
}

/// A document's file: its name, the media type declared (if any) and its bytes.
#[derive(Debug)]
pub(crate) struct File {
    pub name: String,
    pub media_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// The kinds of steps, in the words of the file's section names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StepKind {
    Member,
    Area,
    Mission,
    Communique,
    Press,
    Session,
    Roadmap,
    Decision,
    Endorsement,
    Action,
    Evidence,
    Need,
    Offer,
    Training,
    Document,
}

impl StepKind {
    /// The record kind a step of this kind creates; `None` for steps that add to a record.
    fn creates(self) -> Option<RecordKind> {
        Some(match self {
            Self::Member => RecordKind::Member,
            Self::Area => RecordKind::Area,
            Self::Mission => RecordKind::Mission,
            Self::Communique => RecordKind::Communique,
            Self::Press => RecordKind::Press,
            Self::Session => RecordKind::Session,
            Self::Roadmap => RecordKind::Roadmap,
            Self::Decision => RecordKind::Decision,
            Self::Action => RecordKind::Action,
            Self::Need => RecordKind::Need,
            Self::Offer => RecordKind::Offer,
            Self::Training => RecordKind::Training,
            Self::Document => RecordKind::Document,
            Self::Endorsement | Self::Evidence => return None,
        })
    }
}

/// The sections of a data file; any other is refused by name.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sections {
    charter: Table,
    #[serde(default)]
    member: Vec<Spanned<Table>>,
    #[serde(default)]
    area: Vec<Spanned<Table>>,
    #[serde(default)]
    mission: Vec<Spanned<Table>>,
    #[serde(default)]
    communique: Vec<Spanned<Table>>,
    #[serde(default)]
    press: Vec<Spanned<Table>>,
    #[serde(default)]
    session: Vec<Spanned<Table>>,
    #[serde(default)]
    roadmap: Vec<Spanned<Table>>,
    #[serde(default)]
    decision: Vec<Spanned<Table>>,
    #[serde(default)]
    endorsement: Vec<Spanned<Table>>,
    #[serde(default)]
    action: Vec<Spanned<Table>>,
    #[serde(default)]
    evidence: Vec<Spanned<Table>>,
    #[serde(default)]
    need: Vec<Spanned<Table>>,
    #[serde(default)]
    offer: Vec<Spanned<Table>>,
    #[serde(default)]
    training: Vec<Spanned<Table>>,
    #[serde(default)]
    document: Vec<Spanned<Table>>,
}

/// The records the steps so far created, by key: their kind and id. When the file is checked
/// (before anything is written) the id is the key itself.
pub(crate) type Keys = BTreeMap<String, (RecordKind, String)>;

impl Demo {
    /// Reads the data file `text`, named `file` in errors, and checks every step against the
    /// keys defined above it.
    ///
    /// # Errors
    /// [`LoadError`] naming the file, the step and the field of the first problem.
    pub fn parse(file: &str, text: &str) -> Result<Self, LoadError> {
        let sections: Sections =
            toml::from_str(text).map_err(|e| LoadError::Syntax { file: file.into(), message: e.to_string() })?;
        let Sections {
            charter,
            member,
            area,
            mission,
            communique,
            press,
            session,
            roadmap,
            decision,
            endorsement,
            action,
            evidence,
            need,
            offer,
            training,
            document,
        } = sections;
        let mut placed = Vec::new();
        for (kind, name, tables) in [
            (StepKind::Member, "member", member),
            (StepKind::Area, "area", area),
            (StepKind::Mission, "mission", mission),
            (StepKind::Communique, "communique", communique),
            (StepKind::Press, "press", press),
            (StepKind::Session, "session", session),
            (StepKind::Roadmap, "roadmap", roadmap),
            (StepKind::Decision, "decision", decision),
            (StepKind::Endorsement, "endorsement", endorsement),
            (StepKind::Action, "action", action),
            (StepKind::Evidence, "evidence", evidence),
            (StepKind::Need, "need", need),
            (StepKind::Offer, "offer", offer),
            (StepKind::Training, "training", training),
            (StepKind::Document, "document", document),
        ] {
            for (n, spanned) in tables.into_iter().enumerate() {
                let start = spanned.span().start;
                let line = text.get(..start).map_or(0, |before| before.matches('\n').count()) + 1;
                let table = spanned.into_inner();
                let key = match table.get("key") {
                    Some(Value::String(k)) => format!(" \"{k}\""),
                    _ => String::new(),
                };
                let label = format!("{name} #{}{key} (line {line})", n + 1);
                placed.push((start, Step { kind, label, table }));
            }
        }
        // The file's order is the order of the commands.
        placed.sort_by_key(|(start, _)| *start);
        let steps: Vec<Step> = placed.into_iter().map(|(_, s)| s).collect();
        let charter = read_charter(file, charter)?;
        let demo = Self { file: file.into(), charter, steps };
        // Check every step now, with keys standing for the ids they will have.
        let mut keys = Keys::new();
        for step in &demo.steps {
            demo.plan(step, &keys)?;
            if let Some((key, kind)) = demo.defines(step)? {
                keys.insert(key.clone(), (kind, key));
            }
        }
        Ok(demo)
    }

    /// The data file's name, as errors give it.
    #[must_use]
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The committee's charter (the genesis event's).
    #[must_use]
    pub fn charter(&self) -> &Charter {
        &self.charter
    }

    /// How many steps (commands and documents) the demo writes after genesis.
    #[must_use]
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether the demo writes nothing after genesis.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The steps, each converted with `keys` (the records created so far) when its turn comes:
    /// the caller runs it, then [`Self::defines`] says under which key to remember its id.
    pub(crate) fn steps(&self) -> impl Iterator<Item = StepRef<'_>> {
        self.steps.iter().map(|step| StepRef { demo: self, step })
    }

    /// The key a step defines and the kind of the record it creates, if it has a key.
    fn defines(&self, step: &Step) -> Result<Option<(String, RecordKind)>, LoadError> {
        let Some(key) = step.table.get("key") else { return Ok(None) };
        let err = |message: &str| LoadError::Field {
            file: self.file.clone(),
            record: step.label.clone(),
            field: "key".into(),
            message: message.into(),
        };
        let Value::String(key) = key else { return Err(err("a key is a string")) };
        let Some(kind) = step.kind.creates() else { return Err(err("this step creates no record to name")) };
        Ok(Some((key.clone(), kind)))
    }

    /// Converts one step, its references looked up in `keys`.
    fn plan(&self, step: &Step, keys: &Keys) -> Result<Planned, LoadError> {
        let mut f = Fields::new(&self.file, &step.label, "", step.table.clone(), keys);
        if let Some(key) = f.take("key")
            && let Some(k) = key.as_str()
            && keys.contains_key(k)
        {
            return Err(f.err("key", format!("`{k}` is already the key of a step above")));
        }
        let by: PartyCode = f.req("by")?;
        let member = f.opt_reference("as", &[RecordKind::Member])?;
        let actor = Actor { party: by, member };
        let command = match step.kind {
            StepKind::Member => Command::RegisterMember(Member {
                party: f.req("party")?,
                role: f.req("role")?,
                name: f.text("name")?,
                rank: f.opt_text("rank")?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Area => Command::DefineArea(Area {
                code: f.req("code")?,
                title: f.text("title")?,
                ordinal: f.req("ordinal")?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Mission => Command::ScheduleMission(Mission {
                title: f.text("title")?,
                visiting: f.req("visiting")?,
                host: f.req("host")?,
                venue: f.req("venue")?,
                start: f.req("start")?,
                end: f.req("end")?,
                head: f.opt_reference("head", &[RecordKind::Member])?,
                purpose: f.opt_text("purpose")?,
                programme: f.or_default("programme")?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Communique => Command::IssueCommunique(Communique {
                party: f.req("party")?,
                issuer: f.text("issuer")?,
                date: f.opt("date")?,
                title: f.text("title")?,
                text: f.text("text")?,
                quotes: f
                    .tables("quotes")?
                    .into_iter()
                    .map(|mut q| {
                        let quote = Quote {
                            speaker: q.opt_reference("speaker", &[RecordKind::Member])?,
                            text: q.text("text")?,
                        };
                        q.finish().map(|()| quote)
                    })
                    .collect::<Result<_, _>>()?,
                mission: f.opt_reference("mission", &[RecordKind::Mission])?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Press => {
                let text = f.file("text_file")?;
                Command::ArchivePress(PressDocument {
                    publisher: f.text("publisher")?,
                    language: f.req("language")?,
                    // The title is the file's first line; the hash, the BLAKE3 of its bytes.
                    title: text.lines().next().unwrap_or_default().trim().to_string(),
                    text: text.to_string(),
                    text_blake3: lajna_ledger::EventId::of(text.as_bytes()).to_hex(),
                    mission: f.opt_reference("mission", &[RecordKind::Mission])?,
                    communique: f.opt_reference("communique", &[RecordKind::Communique])?,
                    illustrative: f.or_default("illustrative")?,
                })
            }
            StepKind::Session => Command::ConveneSession(Session {
                number: f.req("number")?,
                title: f.text("title")?,
                host: f.req("host")?,
                venue: f.req("venue")?,
                start: f.req("start")?,
                end: f.req("end")?,
                opens_at: f.opt("opens_at")?,
                agenda: f.or_default("agenda")?,
                minutes: f.opt_text("minutes")?,
                expected_outcome: f.opt_text("expected_outcome")?,
                working_groups: f
                    .tables("working_groups")?
                    .into_iter()
                    .map(|mut g| {
                        let group = WorkingGroup {
                            title: g.text("title")?,
                            areas: g.references("areas", &[RecordKind::Area])?,
                        };
                        g.finish().map(|()| group)
                    })
                    .collect::<Result<_, _>>()?,
                mission: f.opt_reference("mission", &[RecordKind::Mission])?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Roadmap => Command::DraftRoadmap(Roadmap {
                title: f.text("title")?,
                session: f.opt_reference("session", &[RecordKind::Session])?,
                start: f.req("start")?,
                end: f.req("end")?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Decision => Command::RecordDecision(Decision {
                session: f.reference("session", &[RecordKind::Session])?,
                area: f.opt_reference("area", &[RecordKind::Area])?,
                text: f.text("text")?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Endorsement => {
                let (kind, id) = f.reference_of("of", &[RecordKind::Roadmap, RecordKind::Decision])?;
                Command::Endorse { kind, id, on: None }
            }
            StepKind::Action => Command::PlanAction(Action {
                roadmap: f.reference("roadmap", &[RecordKind::Roadmap])?,
                area: f.reference("area", &[RecordKind::Area])?,
                title: f.text("title")?,
                owner: f.req("owner")?,
                unit: f.text("unit")?,
                lead: f.opt_reference("lead", &[RecordKind::Member])?,
                start: f.req("start")?,
                due: f.req("due")?,
                status: f.req("status")?,
                progress: f.req("progress")?,
                weight: f.opt("weight")?,
                indicator: f.opt("indicator")?,
                decision: f.opt_reference("decision", &[RecordKind::Decision])?,
                reason: f.opt_text("reason")?,
                completed: f.opt("completed")?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Evidence => {
                Command::AddEvidence { action: f.reference("action", &[RecordKind::Action])?, note: f.text("note")? }
            }
            StepKind::Need => Command::RegisterNeed(Need {
                party: f.req("party")?,
                category: f.req("category")?,
                title: f.text("title")?,
                quantity: f.req("quantity")?,
                unit: f.text("unit")?,
                priority: f.req("priority")?,
                status: f.req("status")?,
                area: f.opt_reference("area", &[RecordKind::Area])?,
                action: f.opt_reference("action", &[RecordKind::Action])?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Offer => Command::MakeOffer(Offer {
                party: f.req("party")?,
                category: f.req("category")?,
                title: f.text("title")?,
                quantity: f.req("quantity")?,
                unit: f.text("unit")?,
                status: f.req("status")?,
                need: f.opt_reference("need", &[RecordKind::Need])?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Training => Command::ScheduleTraining(Training {
                host: f.req("host")?,
                institution: f.text("institution")?,
                course: f.text("course")?,
                area: f.opt_reference("area", &[RecordKind::Area])?,
                seats_offered: f.req("seats_offered")?,
                seats_filled: f.req("seats_filled")?,
                start: f.req("start")?,
                end: f.req("end")?,
                action: f.opt_reference("action", &[RecordKind::Action])?,
                illustrative: f.or_default("illustrative")?,
            }),
            StepKind::Document => {
                let document = Document {
                    title: f.text("title")?,
                    language: f.req("language")?,
                    date: f.opt("date")?,
                    marking: f.or_default::<Marking>("marking")?,
                    // Filled from the file by the node.
                    blake3: String::new(),
                    media_type: String::new(),
                    size: 0,
                    file_name: String::new(),
                    links: f.references("links", RecordKind::ALL.as_slice())?,
                    illustrative: f.or_default("illustrative")?,
                };
                let file = f.document_file("file")?;
                f.finish()?;
                return Ok(Planned::Document(actor, Box::new(document), file));
            }
        };
        f.finish()?;
        Ok(Planned::Command(actor, Box::new(command)))
    }
}

/// One step of a [`Demo`], to convert when its turn comes.
pub(crate) struct StepRef<'a> {
    demo: &'a Demo,
    step: &'a Step,
}

impl StepRef<'_> {
    /// The step as a command or a document, its references looked up in `keys`.
    pub(crate) fn plan(&self, keys: &Keys) -> Result<Planned, LoadError> {
        self.demo.plan(self.step, keys)
    }

    /// The key under which to remember the id of the record this step created, and its kind.
    pub(crate) fn defines(&self) -> Result<Option<(String, RecordKind)>, LoadError> {
        self.demo.defines(self.step)
    }
}

fn read_charter(file: &str, table: Table) -> Result<Charter, LoadError> {
    let keys = Keys::new();
    let mut f = Fields::new(file, "charter", "", table, &keys);
    let charter = Charter {
        name: f.text("name")?,
        parties: f
            .tables("parties")?
            .into_iter()
            .map(|mut p| {
                let party = PartyInfo { code: p.req("code")?, name: p.text("name")?, forces: p.text("forces")? };
                p.finish().map(|()| party)
            })
            .collect::<Result<_, _>>()?,
        languages: f.req::<Vec<Lang>>("languages")?,
        founded: f.opt("founded")?,
        purpose: f.opt_text("purpose")?,
    };
    f.finish()?;
    Ok(charter)
}

/// The fields of one step (or of a table inside it) being read: each read takes its field out,
/// and [`Fields::finish`] refuses what is left (a field the record does not have).
struct Fields<'a> {
    file: &'a str,
    record: &'a str,
    /// `quotes[0].` inside a step's sub-table, empty at the top.
    prefix: String,
    table: Table,
    keys: &'a Keys,
}

impl<'a> Fields<'a> {
    fn new(file: &'a str, record: &'a str, prefix: &str, table: Table, keys: &'a Keys) -> Self {
        Self { file, record, prefix: prefix.into(), table, keys }
    }

    fn err(&self, field: &str, message: impl Into<String>) -> LoadError {
        LoadError::Field {
            file: self.file.into(),
            record: self.record.into(),
            field: format!("{}{field}", self.prefix),
            message: message.into(),
        }
    }

    fn take(&mut self, name: &str) -> Option<Value> {
        self.table.remove(name)
    }

    /// The field as `T` (the domain's serde form), `None` when absent. A nested table must not
    /// hold a field `T` does not read back (a misspelt one would otherwise be dropped).
    fn opt<T: DeserializeOwned + serde::Serialize>(&mut self, name: &str) -> Result<Option<T>, LoadError> {
        let Some(value) = self.take(name) else { return Ok(None) };
        let json = to_json(&value);
        let parsed: T = serde_json::from_value(json.clone()).map_err(|e| self.err(name, e.to_string()))?;
        let back = serde_json::to_value(&parsed).map_err(|e| self.err(name, e.to_string()))?;
        if let Some(path) = unread(&json, &back) {
            return Err(self.err(&format!("{name}{path}"), "no such field"));
        }
        Ok(Some(parsed))
    }

    fn req<T: DeserializeOwned + serde::Serialize>(&mut self, name: &str) -> Result<T, LoadError> {
        self.opt(name)?.ok_or_else(|| self.err(name, "missing"))
    }

    fn or_default<T: DeserializeOwned + serde::Serialize + Default>(&mut self, name: &str) -> Result<T, LoadError> {
        Ok(self.opt(name)?.unwrap_or_default())
    }

    /// A text in the committee's languages: a table of `ar`, `fr`, `en` strings.
    fn opt_text(&mut self, name: &str) -> Result<Option<LocalizedText>, LoadError> {
        match self.table.get(name) {
            None => Ok(None),
            Some(Value::Table(t)) => {
                if let Some((lang, v)) = t.iter().find(|(l, v)| Lang::parse(l).is_err() || !v.is_str()) {
                    let message = if v.is_str() { "a language is `ar`, `fr` or `en`" } else { "a text is a string" };
                    return Err(self.err(&format!("{name}.{lang}"), message));
                }
                self.opt(name)
            }
            Some(_) => Err(self.err(name, "a text is a table of `ar`, `fr`, `en` strings")),
        }
    }

    fn text(&mut self, name: &str) -> Result<LocalizedText, LoadError> {
        self.opt_text(name)?.ok_or_else(|| self.err(name, "missing"))
    }

    /// A reference: the key of a record created by a step above, of one of `kinds`; its kind
    /// and id.
    fn opt_reference_of(
        &mut self,
        name: &str,
        kinds: &[RecordKind],
    ) -> Result<Option<(RecordKind, String)>, LoadError> {
        let Some(value) = self.take(name) else { return Ok(None) };
        let Value::String(key) = value else { return Err(self.err(name, "a reference is the key of a step above")) };
        self.look_up(name, &key, kinds).map(Some)
    }

    fn look_up(&self, name: &str, key: &str, kinds: &[RecordKind]) -> Result<(RecordKind, String), LoadError> {
        let (kind, id) =
            self.keys.get(key).ok_or_else(|| self.err(name, format!("no step above has the key `{key}`")))?;
        if !kinds.contains(kind) {
            let wanted: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
            return Err(self.err(name, format!("`{key}` is a {}, not a {}", kind.code(), wanted.join(" or "))));
        }
        Ok((*kind, id.clone()))
    }

    fn reference_of(&mut self, name: &str, kinds: &[RecordKind]) -> Result<(RecordKind, String), LoadError> {
        self.opt_reference_of(name, kinds)?.ok_or_else(|| self.err(name, "missing"))
    }

    fn opt_reference(&mut self, name: &str, kinds: &[RecordKind]) -> Result<Option<String>, LoadError> {
        Ok(self.opt_reference_of(name, kinds)?.map(|(_, id)| id))
    }

    fn reference(&mut self, name: &str, kinds: &[RecordKind]) -> Result<String, LoadError> {
        Ok(self.reference_of(name, kinds)?.1)
    }

    /// A list of references (absent: none).
    fn references(&mut self, name: &str, kinds: &[RecordKind]) -> Result<Vec<String>, LoadError> {
        let Some(value) = self.take(name) else { return Ok(Vec::new()) };
        let Value::Array(items) = value else { return Err(self.err(name, "a list of keys of steps above")) };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let field = format!("{name}[{i}]");
                let key = item.as_str().ok_or_else(|| self.err(&field, "a reference is the key of a step above"))?;
                self.look_up(&field, key, kinds).map(|(_, id)| id)
            })
            .collect()
    }

    /// An array of tables (absent: none), each read by the caller and then finished.
    fn tables(&mut self, name: &str) -> Result<Vec<Fields<'a>>, LoadError> {
        let Some(value) = self.take(name) else { return Ok(Vec::new()) };
        let Value::Array(items) = value else { return Err(self.err(name, "a list of tables")) };
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Table(t) => {
                    Ok(Fields::new(self.file, self.record, &format!("{}{name}[{i}].", self.prefix), t, self.keys))
                }
                _ => Err(self.err(&format!("{name}[{i}]"), "a table")),
            })
            .collect()
    }

    /// The text of a file the demo embeds, by name.
    fn file(&mut self, name: &str) -> Result<&'static str, LoadError> {
        let file: String = self.req(name)?;
        let known: Vec<&str> = FILES.iter().map(|(n, _)| *n).collect();
        FILES
            .iter()
            .find(|(n, _)| *n == file)
            .map(|(_, text)| *text)
            .ok_or_else(|| self.err(name, format!("no such file; the demo has {}", known.join(", "))))
    }

    /// A document's file: `name`, optionally `type` (the media type declared on upload), and
    /// its content, either `text` (UTF-8) or `pdf_lines` (a one-page PDF showing these ASCII
    /// lines, made by [`crate::tiny_pdf`] so that no binary file is committed).
    fn document_file(&mut self, name: &str) -> Result<File, LoadError> {
        let Some(value) = self.take(name) else { return Err(self.err(name, "missing")) };
        let Value::Table(table) = value else { return Err(self.err(name, "a table: name, text or pdf_lines")) };
        let mut f = Fields::new(self.file, self.record, &format!("{}{name}.", self.prefix), table, self.keys);
        let file_name: String = f.req("name")?;
        let media_type: Option<String> = f.opt("type")?;
        let bytes = match (f.opt::<String>("text")?, f.opt::<Vec<String>>("pdf_lines")?) {
            (Some(text), None) => text.into_bytes(),
            (None, Some(lines)) => crate::tiny_pdf(&lines.iter().map(String::as_str).collect::<Vec<_>>()),
            _ => return Err(f.err("text", "give either `text` or `pdf_lines`")),
        };
        f.finish()?;
        Ok(File { name: file_name, media_type, bytes })
    }

    /// Refuses any field left unread: the record has no such field.
    fn finish(self) -> Result<(), LoadError> {
        match self.table.keys().next() {
            Some(name) => Err(self.err(name, "no such field")),
            None => Ok(()),
        }
    }
}

/// TOML to JSON, the domain's serde form: dates and times as their ISO text.
fn to_json(value: &Value) -> Json {
    match value {
        Value::String(s) => Json::String(s.clone()),
        Value::Integer(i) => Json::from(*i),
        Value::Float(f) => Json::from(*f),
        Value::Boolean(b) => Json::Bool(*b),
        Value::Datetime(d) => Json::String(d.to_string()),
        Value::Array(a) => Json::Array(a.iter().map(to_json).collect()),
        Value::Table(t) => Json::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// The path (`.venue.zon`, `[1].title`) of a field of `given` that reading it dropped: absent
/// from `read` although not a default value (`false`, empty), so not a field of the type.
fn unread(given: &Json, read: &Json) -> Option<String> {
    match (given, read) {
        (Json::Object(g), Json::Object(r)) => g.iter().find_map(|(k, v)| match r.get(k) {
            Some(rv) => unread(v, rv).map(|p| format!(".{k}{p}")),
            None if is_default(v) => None,
            None => Some(format!(".{k}")),
        }),
        (Json::Array(g), Json::Array(r)) => {
            g.iter().zip(r).enumerate().find_map(|(i, (gv, rv))| unread(gv, rv).map(|p| format!("[{i}]{p}")))
        }
        _ => None,
    }
}

fn is_default(v: &Json) -> bool {
    match v {
        Json::Bool(b) => !b,
        Json::Array(a) => a.is_empty(),
        Json::Object(o) => o.is_empty(),
        Json::Null => true,
        _ => false,
    }
}
