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
