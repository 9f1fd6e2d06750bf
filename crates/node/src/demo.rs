//! The demo committee: the Morocco–Mali joint military committee of experts as reported by
//! the founding article (`shared/corpus/000_fac40ccd7e41eb5b.txt`, copied to `demo/`), plus an
//! illustrative roadmap. Facts from the article are plain records; everything the article does
//! not state is marked `illustrative: true` in the data and shown as such on screen.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::{Date, date, time};
use lajna_domain::records::*;
use lajna_domain::values::*;
use lajna_domain::{Actor, Charter, Command, Lang, LocalizedText as T, PartyInfo, RecordKind};
use lajna_ledger::SecretKey;

use crate::{Config, Founding, Node, NodeError};

/// The founding article, byte for byte as published (Africa4Press, Arabic, UTF-8).
pub const ARTICLE: &str = include_str!("../demo/000_fac40ccd7e41eb5b.txt");

/// The demo's fixed reference date for "overdue" and "due soon", so its figures never drift.
pub const REFERENCE_DATE: Date = date(2025, 10, 1);

fn party(code: &str) -> PartyCode {
    PartyCode::parse(code).unwrap_or_else(|_| unreachable!("static party code"))
}

/// The charter of the demo committee (facts of the article).
#[must_use]
pub fn charter() -> Charter {
    Charter {
        name: T::tri(
            "اللجنة العسكرية المشتركة من الخبراء المغربية المالية",
            "Commission militaire mixte d'experts maroco-malienne",
            "Morocco–Mali Joint Military Committee of Experts",
        ),
        parties: vec![
            PartyInfo {
                code: party("MAR"),
                name: T::tri("المملكة المغربية", "Royaume du Maroc", "Kingdom of Morocco"),
                forces: T::tri("القوات المسلحة الملكية", "Forces armées royales (FAR)", "Royal Armed Forces (FAR)"),
            },
            PartyInfo {
                code: party("MLI"),
                name: T::tri("جمهورية مالي", "République du Mali", "Republic of Mali"),
                forces: T::tri(
                    "القوات المسلحة المالية",
                    "Forces armées maliennes (FAMa)",
                    "Malian Armed Forces (FAMa)",
                ),
            },
        ],
        languages: vec![Lang::Ar, Lang::Fr, Lang::En],
        founded: Some(date(2025, 2, 17)),
        purpose: Some(T::tri(
            "تعزيز التعاون في مجال الدفاع وتعميق التبادلات في مجال التدريب والمعدات والدعم اللوجستي",
            "Renforcer la coopération en matière de défense et approfondir les échanges en formation, équipement et soutien logistique",
            "Strengthen defence cooperation and deepen exchanges in training, equipment and logistic support",
        )),
    }
}

/// Builds the demo committee in `path`, or reopens it when `path` already holds the demo.
///
/// # Errors
/// [`NodeError::AlreadyInitialised`] when `path` holds a committee that is not the demo;
/// any error of [`Node::init`] or [`Node::execute`] (the partial directory is then removed).
pub async fn build(path: &Path) -> Result<Node, NodeError> {
    let config_path = path.join("config.toml");
    if config_path.exists() {
        let config = Config::load(&config_path)?;
        if !config.demo {
            return Err(NodeError::AlreadyInitialised { path: path.to_path_buf() });
        }
        let node = Node::open(path).await?;
        // A password given in the environment replaces the demo users' one on every run.
        if demo_password(path)?.1 {
            demo_users(&node).await?;
        }
        return Ok(node);
    }
    let created = !path.exists();
    let result = build_new(path).await;
    if result.is_err() && created {
        let _ = std::fs::remove_dir_all(path);
    }
    result
}

async fn build_new(path: &Path) -> Result<Node, NodeError> {
    let mut roots = BTreeMap::new();
    roots.insert("MAR".to_string(), SecretKey::generate()?);
    roots.insert("MLI".to_string(), SecretKey::generate()?);
    let mut config = Config::new(vec![]);
    config.demo = true;
    config.reference_date = Some(REFERENCE_DATE);
    let founding =
        Founding { charter: charter(), roots, node_parties: vec!["MAR".into(), "MLI".into()], keep_roots: true };
    let node = Node::init(path, founding, config).await?;
    seed(&node).await?;
    demo_users(&node).await?;
    Ok(node)
}

/// The demo's users, one per party and role. Their password is `LAJNA_DEMO_PASSWORD` when set,
/// else one generated at the first run and kept in `DATA/demo-password` (mode 0600).
/// Clearance follows the role (issue 6): co-chairs SECRET, secretaries CONFIDENTIAL, action
/// owners RESTRICTED, viewers UNCLASSIFIED.
pub const DEMO_USERS: [(&str, &str, &str); 8] = [
    ("mar-cochair", "MAR", "co-chair"),
    ("mar-secretary", "MAR", "secretary"),
    ("mar-owner", "MAR", "action-owner"),
    ("mar-viewer", "MAR", "viewer"),
    ("mli-cochair", "MLI", "co-chair"),
    ("mli-secretary", "MLI", "secretary"),
    ("mli-owner", "MLI", "action-owner"),
    ("mli-viewer", "MLI", "viewer"),
];

/// The demo password: `LAJNA_DEMO_PASSWORD`, else the one kept in `DATA/demo-password`, else a
/// new one (written there). Returns the password and whether it came from the environment.
///
/// # Errors
/// IO errors on the password file.
pub fn demo_password(path: &Path) -> Result<(String, bool), NodeError> {
    if let Ok(p) = std::env::var("LAJNA_DEMO_PASSWORD")
        && !p.is_empty()
    {
        return Ok((p, true));
    }
    let file = path.join("demo-password");
    if let Ok(p) = std::fs::read_to_string(&file) {
        return Ok((p.trim().to_string(), false));
    }
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| NodeError::Ledger(lajna_ledger::LedgerError::Random(e.to_string())))?;
    // 24 hex digits: easy to type, 96 bits.
    let password = hex::encode(bytes);
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&file)
        .map_err(crate::error::io(&file))?;
    f.write_all(format!("{password}\n").as_bytes()).map_err(crate::error::io(&file))?;
    Ok((password, false))
}

/// Creates (or resets the password of) the demo users of the parties this node writes for;
/// co-chairs and secretaries are linked to their member records.
///
/// # Errors
/// As [`Node::put_user`].
pub async fn demo_users(node: &Node) -> Result<(), NodeError> {
    let (password, _) = demo_password(&node.dir.0)?;
    let members = node.with_state(|s| s.all::<Member>(RecordKind::Member)).await;
    for (username, party, role) in DEMO_USERS {
        if !node.config.parties.iter().any(|p| p == party) {
            continue; // a party's users live on that party's node only
        }
        let member =
            members.iter().find(|(_, m)| m.party.as_str() == party && m.role.code() == role).map(|(id, _)| id.as_str());
        node.put_user(username, party, role, member, &password).await?;
    }
    Ok(())
}

struct Seeder<'a> {
    node: &'a Node,
}

impl Seeder<'_> {
    async fn run(&self, code: &str, member: Option<&str>, command: Command) -> Result<String, NodeError> {
        let actor = Actor { party: party(code), member: member.map(String::from) };
        let ids = self.node.execute(&actor, &command).await?;
        Ok(ids.last().map(|i| i.to_hex()).unwrap_or_default())
    }
}

#[allow(clippy::too_many_lines, reason = "one linear script of the demo's records")]
async fn seed(node: &Node) -> Result<(), NodeError> {
    let s = Seeder { node };
    let venue_bamako = Venue {
        name: T::tri("وزارة الدفاع المالية", "Ministère de la Défense du Mali", "Malian Ministry of Defence"),
        city: T::tri("باماكو", "Bamako", "Bamako"),
        zone: "Africa/Bamako".into(),
    };

    // Members. The head of delegation is named by the article; the others are examples.
    let mouhib = s
        .run(
            "MAR",
            None,
            Command::RegisterMember(Member {
                party: party("MAR"),
                role: MemberRole::CoChair,
                name: T::tri("عبد الغني محب", "Abdelghani Mouhib", "Abdelghani Mouhib"),
                rank: Some(T::tri("العميد", "Général de brigade", "Brigadier General")),
                illustrative: false,
            }),
        )
        .await?;
    let mli_chair = s
        .run(
            "MLI",
            None,
            Command::RegisterMember(Member {
                party: party("MLI"),
                role: MemberRole::CoChair,
                name: T::tri(
                    "الرئيس المشارك المالي (مثال)",
                    "Coprésident malien (exemple)",
                    "Malian co-chair (example)",
                ),
                rank: None,
                illustrative: true,
            }),
        )
        .await?;
    for (p, ar, fr, en) in [
        (
            "MAR",
            "كتابة اللجنة - الجانب المغربي (مثال)",
            "Secrétariat marocain (exemple)",
            "Moroccan secretariat (example)",
        ),
        ("MLI", "كتابة اللجنة - الجانب المالي (مثال)", "Secrétariat malien (exemple)", "Malian secretariat (example)"),
    ] {
        s.run(
            p,
            None,
            Command::RegisterMember(Member {
                party: party(p),
                role: MemberRole::Secretary,
                name: T::tri(ar, fr, en),
                rank: None,
                illustrative: true,
            }),
        )
        .await?;
    }

    // The five cooperation areas identified in the article.
    let mut areas = Vec::new();
    for (i, (code, ar, fr, en)) in [
        ("training", "تدريب الأفراد العسكريين", "Formation du personnel militaire", "Training of military personnel"),
        (
            "equipment",
            "المعدات الملائمة لاحتياجات القوات المسلحة المالية",
            "Équipements adaptés aux besoins des FAMa",
            "Equipment adapted to the needs of the Malian Armed Forces",
        ),
        ("logistics", "الدعم اللوجستي", "Soutien logistique", "Logistic support"),
        (
            "expertise",
            "تبادل الخبرات بشأن استراتيجيات مكافحة التهديدات الأمنية الإقليمية",
            "Échange d'expertise sur les stratégies contre les menaces sécuritaires régionales",
            "Exchange of expertise on strategies against regional security threats",
        ),
        ("intelligence", "التعاون الاستخباراتي", "Coopération en matière de renseignement", "Intelligence cooperation"),
    ]
    .into_iter()
    .enumerate()
    {
        areas.push(
            s.run(
                "MAR",
                None,
                Command::DefineArea(Area {
                    code: code.into(),
                    title: T::tri(ar, fr, en),
                    ordinal: i as i64 + 1,
                    illustrative: false,
                }),
            )
            .await?,
        );
    }
    let [training, equipment, logistics, expertise, intelligence] =
        <[String; 5]>::try_from(areas).unwrap_or_else(|_| unreachable!("five areas"));

    // The mission of 17–19 February 2025 (three days from Monday 17 February).
    let mission = s
        .run(
            "MAR",
            None,
            Command::ScheduleMission(Mission {
                title: T::tri(
                    "زيارة الوفد العسكري المغربي رفيع المستوى إلى مالي",
                    "Visite de la délégation militaire marocaine de haut niveau au Mali",
                    "Visit of the high-level Moroccan military delegation to Mali",
                ),
                visiting: party("MAR"),
                host: party("MLI"),
                venue: venue_bamako.clone(),
                start: date(2025, 2, 17),
                end: date(2025, 2, 19),
                head: Some(mouhib.clone()),
                purpose: Some(T::tri(
                    "تحديد مجالات تعزيز التعاون العسكري الثنائي",
                    "Identifier les domaines de renforcement de la coopération militaire bilatérale",
                    "Identify the areas in which to strengthen bilateral military cooperation",
                )),
                programme: vec![
                    ProgrammeItem {
                        date: date(2025, 2, 17),
                        start: None,
                        end: None,
                        title: T::tri(
                            "استقبال رسمي في وزارة الدفاع المالية",
                            "Réception officielle au ministère de la Défense du Mali",
                            "Official reception at the Malian Ministry of Defence",
                        ),
                        place: None,
                        illustrative: false,
                    },
                    ProgrammeItem {
                        date: date(2025, 2, 18),
                        start: Some(time(9, 0, 0, 0)),
                        end: Some(time(13, 0, 0, 0)),
                        title: T::tri(
                            "جلسات عمل حسب مجالات التعاون (مثال)",
                            "Séances de travail par domaine de coopération (exemple)",
                            "Working sessions by cooperation area (example)",
                        ),
                        place: None,
                        illustrative: true,
                    },
                    ProgrammeItem {
                        date: date(2025, 2, 19),
                        start: Some(time(10, 0, 0, 0)),
                        end: Some(time(12, 0, 0, 0)),
                        title: T::tri(
                            "الجلسة الختامية وتوجيهات خرائط الطريق (مثال)",
                            "Séance de clôture et orientations des feuilles de route (exemple)",
                            "Closing session and guidance for the roadmaps (example)",
                        ),
                        place: None,
                        illustrative: true,
                    },
                ],
                illustrative: false,
            }),
        )
        .await?;

    // The communiqué of the Malian Armed Forces, with the statement it quotes.
    let communique = s
        .run("MLI", None, Command::IssueCommunique(Communique {
            party: party("MLI"),
            issuer: T::tri("القوات المسلحة المالية", "Forces armées maliennes (FAMa)", "Malian Armed Forces (FAMa)"),
            date: None,
            title: T::tri(
                "بلاغ القوات المسلحة المالية حول زيارة الوفد العسكري المغربي",
                "Communiqué des FAMa sur la visite de la délégation militaire marocaine",
                "FAMa communiqué on the visit of the Moroccan military delegation",
            ),
            text: T::tri(
                "أرسل المغرب وفدا عسكريا رفيع المستوى إلى مالي في زيارة تستغرق ثلاثة أيام تحت قيادة العميد عبد الغني محب. الهدف الرئيسي من المناقشات هو تحديد مجالات تعزيز التعاون العسكري الثنائي، وخاصة تدريب الأفراد العسكريين، وتوفير المعدات الملائمة لاحتياجات القوات المسلحة المالية، وتبادل الخبرات بشأن استراتيجيات مكافحة التهديدات الأمنية الإقليمية.",
                "Le Maroc a envoyé au Mali une délégation militaire de haut niveau pour une visite de trois jours, conduite par le général de brigade Abdelghani Mouhib. Les discussions visent à identifier les domaines de renforcement de la coopération militaire bilatérale : formation du personnel militaire, équipements adaptés aux besoins des FAMa, et échange d'expertise sur les stratégies contre les menaces sécuritaires régionales.",
                "Morocco sent a high-level military delegation to Mali for a three-day visit led by Brigadier General Abdelghani Mouhib. The discussions aim to identify the areas in which to strengthen bilateral military cooperation: training of military personnel, equipment adapted to the needs of the Malian Armed Forces, and exchange of expertise on strategies against regional security threats.",
            ),
            quotes: vec![Quote {
                speaker: Some(mouhib.clone()),
                text: T::tri(
                    "المغرب يؤكد التزامه الثابت بدعم منطقة الساحل في مواجهة التهديدات التي يتعرض لها استقرارها",
                    "Le Maroc affirme son engagement ferme à soutenir la région du Sahel face aux menaces qui pèsent sur sa stabilité",
                    "Morocco affirms its firm commitment to support the Sahel region in the face of the threats to its stability",
                ),
            }],
            mission: Some(mission.clone()),
            illustrative: false,
        }))
        .await?;

    // The article itself, archived as published.
    let title = ARTICLE.lines().next().unwrap_or_default().trim().to_string();
    s.run(
        "MAR",
        None,
        Command::ArchivePress(PressDocument {
            publisher: T::tri("أفريكا فور بريس", "Africa4Press", "Africa4Press"),
            language: Lang::Ar,
            title,
            text: ARTICLE.to_string(),
            text_blake3: blake3_hex(ARTICLE.as_bytes()),
            mission: Some(mission.clone()),
            communique: Some(communique),
            illustrative: false,
        }),
    )
    .await?;

    // The first meeting of the committee, during the mission, and its expected outcome.
    let session1 = s
        .run(
            "MLI",
            None,
            Command::ConveneSession(Session {
                number: 1,
                title: T::tri(
                    "الاجتماع الأول للجنة العسكرية المشتركة",
                    "Première réunion de la commission militaire mixte",
                    "First meeting of the joint military committee",
                ),
                host: party("MLI"),
                venue: venue_bamako.clone(),
                start: date(2025, 2, 17),
                end: date(2025, 2, 19),
                opens_at: None,
                agenda: vec![
                    T::tri(
                        "تحديد مجالات تعزيز التعاون العسكري الثنائي",
                        "Identification des domaines de renforcement de la coopération militaire bilatérale",
                        "Identifying the areas in which to strengthen bilateral military cooperation",
                    ),
                    T::tri(
                        "وضع خرائط طريق ملموسة",
                        "Élaboration de feuilles de route concrètes",
                        "Drawing up concrete roadmaps",
                    ),
                ],
                minutes: None,
                expected_outcome: Some(T::tri(
                    "وضع خرائط طريق ملموسة لترجمة هذه الالتزامات إلى إجراءات ملموسة",
                    "Des feuilles de route concrètes traduisant ces engagements en actions concrètes",
                    "Concrete roadmaps that turn these commitments into concrete actions",
                )),
                working_groups: vec![],
                mission: Some(mission.clone()),
                illustrative: false,
            }),
        )
        .await?;

    // Everything below is illustrative: the article states no roadmap, owners or deadlines.
    s.run(
        "MAR",
        None,
        Command::ConveneSession(Session {
            number: 2,
            title: T::tri(
                "الدورة الثانية للجنة (مثال)",
                "Deuxième session de la commission (exemple)",
                "Second session of the committee (example)",
            ),
            host: party("MAR"),
            venue: Venue {
                name: T::tri(
                    "مقر القيادة العامة (مثال)",
                    "État-major général (exemple)",
                    "General Staff headquarters (example)",
                ),
                city: T::tri("الرباط", "Rabat", "Rabat"),
                zone: "Africa/Casablanca".into(),
            },
            start: date(2025, 11, 18),
            end: date(2025, 11, 19),
            opens_at: Some(time(10, 0, 0, 0)),
            agenda: vec![
                T::tri(
                    "استعراض حالة تنفيذ قرارات وإجراءات الدورة السابقة",
                    "Examen de l'état d'exécution des décisions et actions de la session précédente",
                    "Review of the execution of the previous session's decisions and actions",
                ),
                T::tri("تحيين خارطة الطريق", "Mise à jour de la feuille de route", "Update of the roadmap"),
            ],
            minutes: None,
            expected_outcome: None,
            working_groups: vec![
                WorkingGroup {
                    title: T::tri(
                        "فريق عمل التدريب (مثال)",
                        "Groupe de travail formation (exemple)",
                        "Training working group (example)",
                    ),
                    areas: vec![training.clone()],
                },
                WorkingGroup {
                    title: T::tri(
                        "فريق عمل المعدات واللوجستيك (مثال)",
                        "Groupe de travail équipement et logistique (exemple)",
                        "Equipment and logistics working group (example)",
                    ),
                    areas: vec![equipment.clone(), logistics.clone()],
                },
            ],
            mission: None,
            illustrative: true,
        }),
    )
    .await?;

    let roadmap = s
        .run(
            "MAR",
            None,
            Command::DraftRoadmap(Roadmap {
                title: T::tri(
                    "خارطة الطريق 2025-2026 (مثال)",
                    "Feuille de route 2025-2026 (exemple)",
                    "Roadmap 2025–2026 (example)",
                ),
                session: Some(session1.clone()),
                start: date(2025, 3, 1),
                end: date(2026, 2, 28),
                illustrative: true,
            }),
        )
        .await?;
    s.run("MAR", Some(&mouhib), Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone() }).await?;
    s.run("MLI", Some(&mli_chair), Command::Endorse { kind: RecordKind::Roadmap, id: roadmap.clone() }).await?;

    let adopted = s
        .run(
            "MAR",
            None,
            Command::RecordDecision(Decision {
                session: session1.clone(),
                area: None,
                text: T::tri(
                    "اعتماد خارطة الطريق 2025-2026 وتكليف الكتابتين بتتبع تنفيذها (مثال)",
                    "Adopter la feuille de route 2025-2026 et en confier le suivi aux secrétariats (exemple)",
                    "Adopt the 2025–2026 roadmap and entrust its follow-up to the secretariats (example)",
                ),
                illustrative: true,
            }),
        )
        .await?;
    s.run("MAR", Some(&mouhib), Command::Endorse { kind: RecordKind::Decision, id: adopted.clone() }).await?;
    s.run("MLI", Some(&mli_chair), Command::Endorse { kind: RecordKind::Decision, id: adopted }).await?;
    let pending = s
        .run(
            "MAR",
            None,
            Command::RecordDecision(Decision {
                session: session1.clone(),
                area: None,
                text: T::tri(
                    "عقد الدورة الثانية للجنة بالرباط (مثال)",
                    "Tenir la deuxième session de la commission à Rabat (exemple)",
                    "Hold the committee's second session in Rabat (example)",
                ),
                illustrative: true,
            }),
        )
        .await?;
    s.run("MAR", Some(&mouhib), Command::Endorse { kind: RecordKind::Decision, id: pending }).await?;

    // Thirteen illustrative actions: every status, some overdue on 2025-10-01.
    struct A<'a> {
        area: &'a str,
        owner: &'a str,
        title: (&'a str, &'a str, &'a str),
        unit: (&'a str, &'a str, &'a str),
        start: Date,
        due: Date,
        status: ActionStatus,
        progress: i64,
        indicator: Option<(&'a str, &'a str, &'a str, i64, i64, i64)>,
    }
    let actions = [
        A {
            area: &training,
            owner: "MAR",
            title: (
                "تدريب 12 ضابطاً ماليّاً على الإسعافات الأولية القتالية",
                "Former 12 officiers maliens aux premiers secours au combat",
                "Train 12 Malian officers in combat first aid",
            ),
            unit: (
                "مصلحة الصحة العسكرية (مثال)",
                "Service de santé militaire (exemple)",
                "Military health service (example)",
            ),
            start: date(2025, 3, 15),
            due: date(2025, 6, 30),
            status: ActionStatus::Done,
            progress: 100,
            indicator: Some(("ضباط مكونون", "officiers formés", "officers trained", 0, 12, 12)),
        },
        A {
            area: &training,
            owner: "MAR",
            title: (
                "فتح 20 مقعداً في المدارس العسكرية المغربية",
                "Ouvrir 20 places dans les écoles militaires marocaines",
                "Open 20 seats in Moroccan military schools",
            ),
            unit: ("مديرية التكوين (مثال)", "Direction de l'instruction (exemple)", "Training directorate (example)"),
            start: date(2025, 4, 1),
            due: date(2025, 9, 15),
            status: ActionStatus::InProgress,
            progress: 60,
            indicator: Some(("مقاعد", "places", "seats", 0, 20, 12)),
        },
        A {
            area: &training,
            owner: "MLI",
            title: ("برنامج تبادل المدربين", "Programme d'échange d'instructeurs", "Instructor exchange programme"),
            unit: (
                "المدرسة العسكرية المشتركة بكوليكورو (مثال)",
                "École militaire interarmes de Koulikoro (exemple)",
                "Koulikoro joint military school (example)",
            ),
            start: date(2025, 11, 1),
            due: date(2026, 2, 15),
            status: ActionStatus::Planned,
            progress: 0,
            indicator: None,
        },
        A {
            area: &equipment,
            owner: "MLI",
            title: (
                "جرد حاجيات القوات المسلحة المالية من المعدات",
                "Recenser les besoins en équipements des FAMa",
                "Survey the FAMa's equipment needs",
            ),
            unit: ("مديرية العتاد (مثال)", "Direction du matériel (exemple)", "Materiel directorate (example)"),
            start: date(2025, 3, 1),
            due: date(2025, 5, 31),
            status: ActionStatus::Done,
            progress: 100,
            indicator: None,
        },
        A {
            area: &equipment,
            owner: "MAR",
            title: (
                "دراسة توفير مركبات تكتيكية خفيفة",
                "Étudier la fourniture de véhicules tactiques légers",
                "Study the supply of light tactical vehicles",
            ),
            unit: ("مفتشية العتاد (مثال)", "Inspection du matériel (exemple)", "Materiel inspectorate (example)"),
            start: date(2025, 6, 1),
            due: date(2025, 9, 30),
            status: ActionStatus::Delayed,
            progress: 30,
            indicator: None,
        },
        A {
            area: &equipment,
            owner: "MAR",
            title: (
                "تكوين الميكانيكيين على صيانة المعدات المسلمة",
                "Former les mécaniciens à la maintenance des équipements livrés",
                "Train mechanics to maintain delivered equipment",
            ),
            unit: ("مدرسة الصيانة (مثال)", "École de maintenance (exemple)", "Maintenance school (example)"),
            start: date(2025, 7, 1),
            due: date(2025, 12, 31),
            status: ActionStatus::Blocked,
            progress: 10,
            indicator: None,
        },
        A {
            area: &logistics,
            owner: "MAR",
            title: (
                "إنشاء ممر للدعم اللوجستي الرباط - باماكو",
                "Établir un couloir de soutien logistique Rabat–Bamako",
                "Set up a Rabat–Bamako logistic support corridor",
            ),
            unit: (
                "مديرية اللوجستيك (مثال)",
                "Direction de la logistique (exemple)",
                "Logistics directorate (example)",
            ),
            start: date(2025, 5, 1),
            due: date(2025, 12, 15),
            status: ActionStatus::InProgress,
            progress: 45,
            indicator: None,
        },
        A {
            area: &logistics,
            owner: "MLI",
            title: (
                "توحيد إجراءات جمركة هبات العتاد",
                "Harmoniser le dédouanement des dons de matériel",
                "Harmonise customs clearance of donated materiel",
            ),
            unit: (
                "مديرية اللوجستيك المالية (مثال)",
                "Direction logistique des FAMa (exemple)",
                "FAMa logistics directorate (example)",
            ),
            start: date(2025, 4, 15),
            due: date(2025, 8, 31),
            status: ActionStatus::InProgress,
            progress: 20,
            indicator: None,
        },
        A {
            area: &logistics,
            owner: "MAR",
            title: ("نشر مستشفى ميداني", "Déployer un hôpital de campagne", "Deploy a field hospital"),
            unit: (
                "مصلحة الصحة العسكرية (مثال)",
                "Service de santé militaire (exemple)",
                "Military health service (example)",
            ),
            start: date(2025, 6, 1),
            due: date(2025, 10, 31),
            status: ActionStatus::Cancelled,
            progress: 0,
            indicator: None,
        },
        A {
            area: &expertise,
            owner: "MAR",
            title: (
                "ندوة مشتركة حول استراتيجيات مكافحة التهديدات الأمنية الإقليمية",
                "Séminaire conjoint sur les stratégies contre les menaces sécuritaires régionales",
                "Joint seminar on strategies against regional security threats",
            ),
            unit: (
                "مركز الدراسات الاستراتيجية (مثال)",
                "Centre d'études stratégiques (exemple)",
                "Centre for strategic studies (example)",
            ),
            start: date(2025, 5, 10),
            due: date(2025, 6, 15),
            status: ActionStatus::Done,
            progress: 100,
            indicator: None,
        },
        A {
            area: &expertise,
            owner: "MLI",
            title: (
                "تشكيل فريق خبراء لمكافحة العبوات الناسفة",
                "Constituer un groupe d'experts contre les engins explosifs improvisés",
                "Form an expert group on improvised explosive devices",
            ),
            unit: ("سلاح الهندسة (مثال)", "Génie militaire (exemple)", "Military engineering (example)"),
            start: date(2025, 10, 15),
            due: date(2026, 1, 31),
            status: ActionStatus::Planned,
            progress: 0,
            indicator: None,
        },
        A {
            area: &intelligence,
            owner: "MAR",
            title: (
                "إعداد بروتوكول لتبادل المعلومات الاستخباراتية",
                "Définir un protocole d'échange de renseignements",
                "Define an intelligence-sharing protocol",
            ),
            unit: (
                "مديرية الاستعلامات (مثال)",
                "Direction du renseignement (exemple)",
                "Intelligence directorate (example)",
            ),
            start: date(2025, 3, 1),
            due: date(2025, 10, 20),
            status: ActionStatus::InProgress,
            progress: 70,
            indicator: None,
        },
        A {
            area: &intelligence,
            owner: "MAR",
            title: (
                "تكوين محللين في الاستخبارات البشرية",
                "Former des analystes en renseignement humain",
                "Train human-intelligence analysts",
            ),
            unit: ("مدرسة الاستعلامات (مثال)", "École du renseignement (exemple)", "Intelligence school (example)"),
            start: date(2025, 9, 1),
            due: date(2025, 9, 25),
            status: ActionStatus::Planned,
            progress: 0,
            indicator: None,
        },
    ];
    let mut action_ids = Vec::new();
    for a in actions {
        let id = s
            .run(
                a.owner,
                None,
                Command::PlanAction(Action {
                    roadmap: roadmap.clone(),
                    area: a.area.to_string(),
                    title: T::tri(a.title.0, a.title.1, a.title.2),
                    owner: party(a.owner),
                    unit: T::tri(a.unit.0, a.unit.1, a.unit.2),
                    lead: None,
                    start: a.start,
                    due: a.due,
                    status: a.status,
                    progress: Progress::new(a.progress)?,
                    weight: None,
                    indicator: a.indicator.map(|(ar, fr, en, baseline, target, current)| Indicator {
                        unit: T::tri(ar, fr, en),
                        baseline,
                        target,
                        current,
                    }),
                    decision: None,
                    reason: demo_reason(a.status),
                    illustrative: true,
                }),
            )
            .await?;
        action_ids.push(id);
    }
    s.run(
        "MAR",
        None,
        Command::AddEvidence {
            action: action_ids[0].clone(),
            note: T::tri(
                "شهادات نهاية التكوين لـ 12 ضابطاً (مثال)",
                "Attestations de fin de formation des 12 officiers (exemple)",
                "End-of-course certificates of the 12 officers (example)",
            ),
        },
    )
    .await?;

    // Needs, offers and training programmes (illustrative).
    let seats = s
        .run(
            "MLI",
            None,
            Command::RegisterNeed(Need {
                party: party("MLI"),
                category: Category::Training,
                title: T::tri("مقاعد تكوين الضباط", "Places de formation d'officiers", "Officer training seats"),
                quantity: 20,
                unit: T::tri("مقاعد", "places", "seats"),
                priority: Priority::High,
                status: NeedStatus::PartlyMet,
                area: Some(training.clone()),
                action: Some(action_ids[1].clone()),
                illustrative: true,
            }),
        )
        .await?;
    s.run(
        "MLI",
        None,
        Command::RegisterNeed(Need {
            party: party("MLI"),
            category: Category::Equipment,
            title: T::tri("مستشفى ميداني", "Hôpital de campagne", "Field hospital"),
            quantity: 1,
            unit: T::tri("وحدة", "unité", "unit"),
            priority: Priority::Medium,
            status: NeedStatus::Open,
            area: Some(logistics.clone()),
            action: None,
            illustrative: true,
        }),
    )
    .await?;
    s.run(
        "MLI",
        None,
        Command::RegisterNeed(Need {
            party: party("MLI"),
            category: Category::Equipment,
            title: T::tri("مركبات تكتيكية خفيفة", "Véhicules tactiques légers", "Light tactical vehicles"),
            quantity: 30,
            unit: T::tri("مركبات", "véhicules", "vehicles"),
            priority: Priority::High,
            status: NeedStatus::Open,
            area: Some(equipment.clone()),
            action: Some(action_ids[4].clone()),
            illustrative: true,
        }),
    )
    .await?;
    s.run(
        "MAR",
        None,
        Command::MakeOffer(Offer {
            party: party("MAR"),
            category: Category::Training,
            title: T::tri(
                "20 مقعداً في المدارس العسكرية المغربية",
                "20 places dans les écoles militaires marocaines",
                "20 seats in Moroccan military schools",
            ),
            quantity: 20,
            unit: T::tri("مقاعد", "places", "seats"),
            status: OfferStatus::Accepted,
            need: Some(seats),
            illustrative: true,
        }),
    )
    .await?;
    s.run(
        "MAR",
        None,
        Command::MakeOffer(Offer {
            party: party("MAR"),
            category: Category::Expertise,
            title: T::tri(
                "خبراء في مكافحة العبوات الناسفة",
                "Experts en lutte contre les engins explosifs improvisés",
                "Counter-IED experts",
            ),
            quantity: 4,
            unit: T::tri("خبراء", "experts", "experts"),
            status: OfferStatus::Proposed,
            need: None,
            illustrative: true,
        }),
    )
    .await?;
    s.run(
        "MAR",
        None,
        Command::ScheduleTraining(Training {
            host: party("MAR"),
            institution: T::tri(
                "الأكاديمية الملكية العسكرية (مثال)",
                "Académie royale militaire (exemple)",
                "Royal Military Academy (example)",
            ),
            course: T::tri("دورة تكوين الضباط", "Cycle de formation des officiers", "Officer training course"),
            area: Some(training.clone()),
            seats_offered: 20,
            seats_filled: 12,
            start: date(2025, 9, 15),
            end: date(2026, 6, 30),
            action: Some(action_ids[1].clone()),
            illustrative: true,
        }),
    )
    .await?;
    s.run(
        "MAR",
        None,
        Command::ScheduleTraining(Training {
            host: party("MAR"),
            institution: T::tri(
                "مصلحة الصحة العسكرية (مثال)",
                "Service de santé militaire (exemple)",
                "Military health service (example)",
            ),
            course: T::tri("الإسعافات الأولية القتالية", "Premiers secours au combat", "Combat first aid"),
            area: Some(training),
            seats_offered: 12,
            seats_filled: 12,
            start: date(2025, 4, 7),
            end: date(2025, 5, 30),
            action: Some(action_ids[0].clone()),
            illustrative: true,
        }),
    )
    .await?;
    seed_documents(node, &mission).await
}

/// A minimal valid one-page PDF showing `lines` (ASCII) in Helvetica: the demo's attachments
/// are generated here so that no binary file is committed.
#[must_use]
pub fn tiny_pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 56 780 Td 16 TL\n");
    for line in lines {
        let escaped: String = line
            .chars()
            .filter(char::is_ascii)
            .flat_map(|c| if matches!(c, '(' | ')' | '\\') { vec!['\\', c] } else { vec![c] })
            .collect();
        content.push_str(&format!("({escaped}) Tj T*\n"));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for o in offsets {
        pdf.push_str(&format!("{o:010} 00000 n \n"));
    }
    pdf.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    pdf.into_bytes()
}

/// The demo's archive (issue 6), all illustrative: the programme of the Bamako mission
/// (UNCLASSIFIED, both parties, plain text) and a SECRET threat assessment releasable to
/// Morocco only (PDF), which lives in the MAR private log.
async fn seed_documents(node: &Node, mission: &str) -> Result<(), NodeError> {
    use crate::documents::Upload;
    use lajna_domain::{Classification, Marking, Releasability};
    let mar = Actor { party: party("MAR"), member: None };
    let programme = "Programme de la visite (exemple illustratif)\n\
        17/02/2025 : arrivée de la délégation à Bamako\n\
        18/02/2025 : séance de travail au ministère de la Défense\n\
        19/02/2025 : visite d'unités et clôture\n\n\
        برنامج الزيارة (مثال توضيحي)\n";
    let open = Document {
        title: T::tri(
            "برنامج زيارة الوفد إلى باماكو (مثال)",
            "Programme de la visite à Bamako (exemple)",
            "Programme of the Bamako visit (example)",
        ),
        language: Lang::Fr,
        date: Some(date(2025, 2, 10)),
        marking: Marking::default(),
        blake3: String::new(),
        media_type: String::new(),
        size: 0,
        file_name: String::new(),
        links: vec![mission.to_string()],
        illustrative: true,
    };
    let upload = Upload { bytes: programme.as_bytes(), file_name: "programme-bamako.txt".into(), declared_type: None };
    node.register_document(None, &mar, &upload, open).await?;
    let pdf = tiny_pdf(&[
        "SECRET - MAR ONLY (illustrative example, not a real assessment)",
        "Threat assessment: northern supply routes",
        "Generated by the Lajna demo.",
    ]);
    let secret = Document {
        title: T::tri(
            "تقييم التهديد: طرق الإمداد الشمالية (مثال)",
            "Évaluation de la menace : axes logistiques du nord (exemple)",
            "Threat assessment: northern supply routes (example)",
        ),
        language: Lang::En,
        date: Some(date(2025, 2, 14)),
        marking: Marking { classification: Classification::Secret, releasable_to: Releasability::Only(party("MAR")) },
        blake3: String::new(),
        media_type: String::new(),
        size: 0,
        file_name: String::new(),
        links: vec![mission.to_string()],
        illustrative: true,
    };
    let upload = Upload {
        bytes: &pdf,
        file_name: "threat-assessment.pdf".into(),
        declared_type: Some("application/pdf".into()),
    };
    node.register_document(None, &mar, &upload, secret).await?;
    Ok(())
}

/// BLAKE3 of `bytes`, hex. Used for the press document's declared text hash.
fn blake3_hex(bytes: &[u8]) -> String {
    lajna_ledger::EventId::of(bytes).to_hex()
}

/// The stated reason of an illustrative action that is delayed, blocked or cancelled.
fn demo_reason(status: ActionStatus) -> Option<T> {
    match status {
        ActionStatus::Delayed => Some(T::tri(
            "إجراءات الاقتناء أطول من المتوقع (مثال)",
            "Procédure d'acquisition plus longue que prévu (exemple)",
            "Procurement took longer than planned (example)",
        )),
        ActionStatus::Blocked => Some(T::tri(
            "في انتظار تسليم المعدات (مثال)",
            "En attente de la livraison des équipements (exemple)",
            "Awaiting delivery of the equipment (example)",
        )),
        ActionStatus::Cancelled => Some(T::tri(
            "ألغي بقرار من اللجنة (مثال)",
            "Annulée par décision de la commission (exemple)",
            "Cancelled by decision of the committee (example)",
        )),
        _ => None,
    }
}

/// Adds `count` more illustrative actions to the demo's roadmap (spread over the areas, owners
/// and statuses, some overdue), for load tests and page-weight measurements at scale.
///
/// # Errors
/// As [`Node::execute`].
pub async fn add_actions(node: &Node, count: usize) -> Result<(), NodeError> {
    let (roadmap, areas) = node
        .with_state(|s| {
            let roadmap = s.all::<Roadmap>(RecordKind::Roadmap).into_iter().next().map(|(id, _)| id);
            let mut areas = s.all::<Area>(RecordKind::Area);
            areas.sort_by_key(|(_, a)| a.ordinal);
            (roadmap, areas.into_iter().map(|(id, _)| id).collect::<Vec<_>>())
        })
        .await;
    let Some(roadmap) = roadmap else { return Ok(()) };
    for n in 0..count {
        let owner = if n % 2 == 0 { "MAR" } else { "MLI" };
        let status = ActionStatus::ALL[n % ActionStatus::ALL.len()];
        let progress = match status {
            ActionStatus::Done => 100,
            ActionStatus::Planned | ActionStatus::Cancelled => 0,
            _ => (n * 7 % 95) as i64,
        };
        let start = date(2025, 3, 1).checked_add(jiff::Span::new().days((n % 200) as i64)).unwrap_or(date(2025, 3, 1));
        let due = start.checked_add(jiff::Span::new().days(30 + (n % 120) as i64)).unwrap_or(start);
        let action = Action {
            roadmap: roadmap.clone(),
            area: areas[n % areas.len()].clone(),
            title: T::tri(
                &format!("إجراء توضيحي رقم {}", n + 1),
                &format!("Action d'exemple n° {}", n + 1),
                &format!("Example action no. {}", n + 1),
            ),
            owner: party(owner),
            unit: T::tri("وحدة (مثال)", "Unité (exemple)", "Unit (example)"),
            lead: None,
            start,
            due,
            status,
            progress: Progress::new(progress)?,
            weight: None,
            indicator: None,
            decision: None,
            reason: demo_reason(status),
            illustrative: true,
        };
        node.execute(&Actor { party: party(owner), member: None }, &Command::PlanAction(action)).await?;
    }
    Ok(())
}

/// Builds the demo as two nodes of the same committee, already in sync: `DIR/mar` writes for
/// Morocco and `DIR/mli` for Mali, each with its own certified node key and its party's users.
/// The party root keys go to `DIR/roots` (a real deployment keeps them offline). Reopens the two
/// nodes when `DIR` already holds them.
///
/// # Errors
/// As [`build`]; IO errors while splitting the directory.
pub async fn build_pair(dir: &Path) -> Result<(Node, Node), NodeError> {
    let (mar_dir, mli_dir) = (dir.join("mar"), dir.join("mli"));
    if mar_dir.join("config.toml").exists() && mli_dir.join("config.toml").exists() {
        return Ok((Node::open(&mar_dir).await?, Node::open(&mli_dir).await?));
    }
    let created = !dir.exists();
    let result = split_pair(dir, &mar_dir, &mli_dir).await;
    if result.is_err() && created {
        let _ = std::fs::remove_dir_all(dir);
    }
    result
}

async fn split_pair(dir: &Path, mar_dir: &Path, mli_dir: &Path) -> Result<(Node, Node), NodeError> {
    let full = build(mar_dir).await?;
    let io = crate::error::io;
    // The Malian node: its own directory, its key, the same events received one by one.
    std::fs::create_dir_all(mli_dir.join("keys")).map_err(io(mli_dir))?;
    std::fs::create_dir_all(mli_dir.join("blobs")).map_err(io(mli_dir))?;
    std::fs::rename(full.dir.node_key("MLI"), mli_dir.join("keys/node-MLI.key")).map_err(io(mli_dir))?;
    // The files of the shared documents are not copied: the Malian node fetches them from the
    // Moroccan one at its first sync (`GET /sync/v1/blobs/{hash}`), like any peer.
    if mar_dir.join("demo-password").exists() {
        std::fs::copy(mar_dir.join("demo-password"), mli_dir.join("demo-password")).map_err(io(mli_dir))?;
    }
    let mut config = full.config.clone();
    config.parties = vec!["MLI".into()];
    config.save(&mli_dir.join("config.toml"))?;
    let store = lajna_store::Store::open(&mli_dir.join("lajna.sqlite")).await?;
    for e in full.store.events_after(0, i64::MAX).await? {
        store.lock().await.receive(&e.raw).await?;
    }
    store.close().await;
    // The Moroccan node keeps only its own key; the roots leave both nodes.
    let mut config = full.config.clone();
    config.parties = vec!["MAR".into()];
    config.save(&mar_dir.join("config.toml"))?;
    let roots = dir.join("roots");
    std::fs::rename(mar_dir.join("keys/roots"), &roots).map_err(io(&roots))?;
    full.store.close().await;
    let mar = Node::open(mar_dir).await?;
    let mli = Node::open(mli_dir).await?;
    // Each knows the other holds what it holds: bundles carry only what is new.
    let heads = mar.store.heads().await;
    mar.store.record_exchange("MLI", Some(&heads), "demo", 0, 0, None, None).await?;
    mli.store.record_exchange("MAR", Some(&heads), "demo", 0, 0, None, None).await?;
    for node in [&mar, &mli] {
        for (username, party, _) in DEMO_USERS {
            if !node.config.parties.iter().any(|p| p == party) {
                node.store.delete_user(username).await?;
            }
        }
        demo_users(node).await?;
    }
    Ok((mar, mli))
}
