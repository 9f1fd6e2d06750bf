//! Issue 14 item 2: the unread count in every page's header, the notifications page (newest
//! first, in Arabic), mark one and all read with the CSRF token — no JavaScript needed.

use std::collections::BTreeSet;

use lajna_domain::Lang;

use crate::common::{TestApp, get_as, post_with};

/// The number in the header's `data-unread`.
fn unread(html: &str) -> i64 {
    let at = html.find("data-unread=\"").expect("the header count") + "data-unread=\"".len();
    html[at..].split('"').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn the_header_counts_unread_notifications_and_the_arabic_page_marks_them_read() {
    let app = TestApp::spawn().await;
    let node = &app.node;
    assert!(node.set_contact("mar-secretary", Lang::Ar, "Africa/Casablanca", "", &BTreeSet::new()).await.unwrap());
    // Monday 2026-03-23 08:00 in Casablanca (+01): the digest and the demo's reminders.
    let now: jiff::Timestamp = "2026-03-23T07:00:00Z".parse().unwrap();
    let made = node.notify_tick(now).await.unwrap();
    assert!(!made.is_empty());
    // A second tick at the same instant, or later the same week, makes nothing new.
    assert!(node.notify_tick(now).await.unwrap().is_empty());
    let due = node.notifications_due(now).await.unwrap();
    let mine: Vec<_> = due.iter().filter(|k| k.recipient == "mar-secretary").collect();
    assert!(mine.iter().any(|k| k.trigger == "digest" && k.version == "2026-W13"), "{mine:?}");
    // Each node notifies its own parties' users only; the demo node writes for both.
    let total = mine.len() as i64;
    // An hour later the UTC users' digest leaves; nothing new for the Casablanca secretary.
    node.notify_tick("2026-03-23T08:00:00Z".parse().unwrap()).await.unwrap();

    let (status, html) = get_as(&app, &app.client, "/ar/").await;
    assert_eq!(status, 200);
    assert_eq!(unread(&html), total);
    let (status, html) = get_as(&app, &app.client, "/ar/notifications").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>الإشعارات</h1>"), "{html}");
    assert!(html.contains("ملخصكم الأسبوعي (2026-W13)"));
    let first_id = html.split("data-id=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    // Newest first.
    let ids: Vec<i64> =
        html.split("data-id=\"").skip(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).collect();
    assert_eq!(ids.len() as i64, total);
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");

    // Without the CSRF token: refused, nothing changes.
    let res =
        app.client.post(app.url("/ar/notifications/read")).form(&[("id", first_id.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let (status, location, _) =
        post_with(&app, &app.client, &app.csrf, "/ar/notifications/read", &[("id", &first_id)]).await;
    assert_eq!((status, location.as_str()), (303, "/ar/notifications?page=1"));
    let (_, html) = get_as(&app, &app.client, "/ar/notifications").await;
    assert_eq!(unread(&html), total - 1);
    let item = html.split(&format!("data-id=\"{first_id}\"")).nth(1).unwrap().split('>').next().unwrap();
    assert!(item.ends_with("data-read=\"true\""), "{item}");
    // Another user's notifications are not touched by this user's "all read".
    let cochair = node.contact("mar-cochair").await.unwrap().unwrap().user;
    let other = node.notifications(&cochair, 0, 100).await.unwrap().1;
    assert!(other > 0);
    post_with(&app, &app.client, &app.csrf, "/ar/notifications/read", &[]).await;
    let (_, html) = get_as(&app, &app.client, "/fr/notifications").await;
    assert_eq!(unread(&html), 0);
    assert!(!html.contains("class=\"unread\""));
    assert_eq!(node.unread_notifications(&cochair).await.unwrap(), other);
}

/// Issue 14 item 1: "my work" — the actions I lead, my party's open actions overdue or due
/// within the "due soon" window (14 days), what awaits my endorsement; in the header of every
/// page, translated, with its empty states; plain HTML.
#[tokio::test]
async fn my_work_lists_my_actions_my_party_s_to_update_and_what_awaits_my_endorsement() {
    use lajna_domain::records::Action;
    use lajna_domain::{Actor, Command, PartyCode, RecordKind};

    let app = TestApp::spawn().await;
    let node = &app.node;
    let (status, html) = get_as(&app, &app.client, "/fr/my-work").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Mon travail</h1>") && html.contains("href=\"/fr/my-work\""), "{html}");
    // The demo's secretary leads nothing and does not endorse.
    assert!(html.contains("Aucune action ouverte ne vous a pour responsable."));
    assert!(html.contains("Les coprésidents de votre partie approuvent les décisions"));
    // The party's list: the open MAR actions due by 2025-10-15 (the demo's today is
    // 2025-10-01), by due date.
    let state = node.read_all().await;
    let soon: jiff::civil::Date = "2025-10-15".parse().unwrap();
    let mut expected: Vec<(String, Action)> = state
        .all::<Action>(RecordKind::Action)
        .into_iter()
        .filter(|(_, a)| a.owner.as_str() == "MAR" && !a.status.is_closed() && a.due <= soon)
        .collect();
    expected.sort_by(|a, b| (a.1.due, &a.0).cmp(&(b.1.due, &b.0)));
    assert!(!expected.is_empty());
    let table = html.split("id=\"party\"").nth(1).unwrap().split("</table>").next().unwrap();
    let ids: Vec<&str> = table.split("data-id=\"").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    assert_eq!(ids, expected.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>());

    // An action led by the secretary's member; a decision awaiting both parties.
    let member = node.contact("mar-secretary").await.unwrap().unwrap().user.member.unwrap();
    let mar = Actor { party: PartyCode::parse("MAR").unwrap(), member: None };
    let mut action = expected[0].1.clone();
    action.title = lajna_domain::LocalizedText::tri("متابعة التكوين", "Suivre la formation", "Follow up the training");
    action.lead = Some(member);
    action.due = "2026-02-20".parse().unwrap();
    let mine = node.execute(&mar, &Command::PlanAction(action)).await.unwrap()[0].to_hex();
    let session = state.all::<lajna_domain::records::Session>(RecordKind::Session)[0].0.clone();
    let decision = lajna_domain::records::Decision {
        session,
        area: None,
        text: lajna_domain::LocalizedText::tri(
            "إنشاء خلية تنسيق",
            "Créer une cellule de coordination",
            "Set up a cell",
        ),
        illustrative: false,
    };
    let d = node.execute(&mar, &Command::RecordDecision(decision)).await.unwrap()[0].to_hex();
    let (_, html) = get_as(&app, &app.client, "/fr/my-work").await;
    let table = html.split("id=\"mine\"").nth(1).unwrap().split("</table>").next().unwrap();
    assert!(table.contains(&format!("data-id=\"{mine}\"")) && table.contains("Suivre la formation"), "{table}");
    // The co-chair, in Arabic: the decision awaits the Moroccan endorsement.
    let (cochair, _) = app.login("mar-cochair").await;
    let (_, html) = get_as(&app, &cochair, "/ar/my-work").await;
    assert!(html.contains("<h1>عملي</h1>"));
    let list = html.split("id=\"endorse\"").nth(1).unwrap().split("</ul>").next().unwrap();
    assert!(list.contains(&format!("href=\"/ar/decisions/{d}\"")) && list.contains("قرار · "), "{list}");
    assert!(list.contains("إنشاء خلية تنسيق"));
}

/// The profile's notification preferences (where every e-mail's last line leads): a checkbox
/// per trigger; unticked triggers make nothing, in the app or by e-mail.
#[tokio::test]
async fn the_profile_turns_triggers_off_and_the_triggers_follow() {
    let app = TestApp::spawn().await;
    let fields = [
        ("lang", "fr"),
        ("tz", "Africa/Casablanca"),
        ("email", "sec@mar.example"),
        ("on-overdue", "1"),
        ("on-digest", "1"),
    ];
    let (status, _, html) = post_with(&app, &app.client, &app.csrf, "/fr/profile/prefs", &fields).await;
    assert_eq!(status, 200);
    assert!(html.contains("Enregistré."), "{html}");
    let contact = app.node.contact("mar-secretary").await.unwrap().unwrap();
    let off: Vec<&str> = contact.off.iter().map(String::as_str).collect();
    assert_eq!(off, ["due-soon", "endorse", "minutes-late", "new-action", "peer-silent"]);
    assert_eq!(contact.email, "sec@mar.example");
    let (_, html) = get_as(&app, &app.client, "/fr/profile").await;
    assert!(html.contains("name=\"on-overdue\" value=\"1\" checked> de mes actions en retard"), "{html}");
    assert!(html.contains("name=\"on-minutes-late\" value=\"1\"> des procès-verbaux"), "{html}");
    // Monday 2026-03-23 08:00 in Casablanca: only overdue reminders and the digest.
    let due = app.node.notifications_due("2026-03-23T07:00:00Z".parse().unwrap()).await.unwrap();
    let mine: BTreeSet<&str> =
        due.iter().filter(|k| k.recipient == "mar-secretary").map(|k| k.trigger.as_str()).collect();
    assert_eq!(mine, BTreeSet::from(["digest", "overdue"]));
}
