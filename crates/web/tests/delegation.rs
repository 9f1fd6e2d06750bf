//! Delegated signature over HTTP with the real server (issue 16 item 4): MLI's co-chair
//! delegates their signature on the profile page to MLI's secretary for a period around the
//! node's date; the secretary then endorses the decision MAR alone had endorsed — on the
//! confirmation page with their password — and it is adopted, the pages showing both names
//! ("for the co-chair", P.O.). A delegation whose period is over, or withdrawn, endorses nothing.

use crate::common::{TestApp, get_as, post_with};
use lajna_domain::RecordKind;
use lajna_domain::records::{Decision, Member};

/// The value of the hidden field `name` on a page.
fn hidden(html: &str, name: &str) -> String {
    let start = html.find(&format!(r#"name="{name}" value=""#)).expect("the field") + name.len() + 15;
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn a_delegate_endorses_for_the_co_chair_inside_the_period_and_the_pages_show_both_names() {
    let app = TestApp::spawn().await;
    let node = &app.node;
    let members = node.with_state(|s| s.all::<Member>(RecordKind::Member)).await;
    let name_of = |role: &str| {
        let (id, m) = members.iter().find(|(_, m)| m.party.as_str() == "MLI" && m.role.code() == role).unwrap();
        (id.clone(), m.name.fr.clone().unwrap())
    };
    let ((chair_id, chair), (deputy_id, deputy)) = (name_of("co-chair"), name_of("secretary"));
    let decisions = node.with_state(|s| s.all::<Decision>(RecordKind::Decision)).await;
    let (id, _) =
        decisions.iter().find(|(_, d)| d.text.fr.as_deref().is_some_and(|t| t.contains("deuxième session"))).unwrap();
    let version = node.with_state(|s| s.entry(id).unwrap().version()).await;
    let (cochair, cochair_csrf) = app.login("mli-cochair").await;
    let (secretary, csrf) = app.login("mli-secretary").await;
    let path = format!("/fr/decisions/{id}/endorse");
    let form = [("version", version.as_str()), ("password", app.password.as_str())];
    let endorse = || post_with(&app, &secretary, &csrf, &path, &form);
    let today = node.today();
    let day = |days: i64| (today + jiff::Span::new().days(days)).to_string();

    // Without a delegation, the secretary cannot endorse.
    assert_eq!(get_as(&app, &secretary, &path).await.0, 403);
    // A delegation whose period ended yesterday: still refused, nothing written.
    let fields = [("delegate", deputy_id.as_str()), ("from", &day(-10)), ("to", &day(-1))];
    let (status, _, html) = post_with(&app, &cochair, &cochair_csrf, "/fr/profile/delegate", &fields).await;
    assert_eq!(status, 200);
    assert!(html.contains("Votre signature est déléguée."), "{html}");
    let before = app.snapshot().await;
    assert_ne!(endorse().await.0, 303, "outside the period");
    assert_eq!(app.snapshot().await, before);
    // One covering today: the confirmation page opens and the endorsement counts for MLI.
    let fields = [("delegate", deputy_id.as_str()), ("from", &day(0)), ("to", &day(30))];
    post_with(&app, &cochair, &cochair_csrf, "/fr/profile/delegate", &fields).await;
    assert_eq!(get_as(&app, &secretary, &path).await.0, 200);
    let (status, location, _) = endorse().await;
    assert_eq!(status, 303, "{location}");
    let doc = node.with_state(|s| s.entry(id).unwrap().doc(id)).await;
    assert!(lajna_domain::adoption(&doc, &["MAR".into(), "MLI".into()]).adopted, "adopted with MAR's own endorsement");
    let mli = doc["endorsements"].as_array().unwrap().iter().find(|e| e["party"] == "MLI").unwrap().clone();
    assert_eq!((mli["member"].as_str(), mli["for"].as_str()), (Some(deputy_id.as_str()), Some(chair_id.as_str())));
    let (_, page) = get_as(&app, &cochair, &format!("/fr/decisions/{id}")).await;
    assert!(page.contains(&format!("Pour le co-président {chair} (MLI), P.O. {deputy}")), "{page}");
    let (_, page) = get_as(&app, &cochair, &format!("/en/decisions/{id}")).await;
    assert!(page.contains(", P.O., for the co-chair ") && page.contains(" (MLI)</span>"), "{page}");

    // Withdrawn: the profile lists it as withdrawn and the secretary can no longer open the page.
    let (_, profile) = get_as(&app, &cochair, "/fr/profile").await;
    let delegation = hidden(&profile, "delegation");
    let (_, _, html) =
        post_with(&app, &cochair, &cochair_csrf, "/fr/profile/withdraw", &[("delegation", &delegation)]).await;
    assert!(html.contains("La délégation est retirée.") && html.contains("retirée"), "{html}");
    assert_eq!(get_as(&app, &secretary, &path).await.0, 403);
    // Only a co-chair delegates.
    let fields = [("delegate", chair_id.as_str()), ("from", &day(0)), ("to", &day(1))];
    let (status, _, _) = post_with(&app, &secretary, &csrf, "/fr/profile/delegate", &fields).await;
    assert_eq!(status, 403);
}
