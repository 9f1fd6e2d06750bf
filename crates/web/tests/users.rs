//! Issue 16 item 1 over HTTP with the real server: users administered by their party's
//! co-chair or secretary (`/{lang}/users`), the one-time activation link, the profile page.
//! The link's expiry is tested with an injected clock in `node/tests/it.rs`.

use crate::common::{self, TestApp, get_as, post_with};

/// The activation (or reset) link a page shows, as a path.
fn link_in(html: &str, lang: &str) -> String {
    let prefix = format!("/{lang}/activate/");
    let start = html.find(&prefix).expect("a link on the page");
    html[start..start + prefix.len() + 64].to_string()
}

/// (status, location) of a GET with `client`.
async fn status_of(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (res.status().as_u16(), location)
}

#[tokio::test]
async fn an_admin_adds_a_user_whose_link_works_once_then_the_user_signs_in_and_weak_passwords_are_refused_in_french() {
    let app = TestApp::spawn().await;
    let (status, _, html) =
        post_with(&app, &app.client, &app.csrf, "/fr/users", &[("username", "mar-officer"), ("role", "action-owner")])
            .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Lien d’activation de mar-officer"), "shown once, in French");
    let link = link_in(&html, "fr");
    let (_, list) = get_as(&app, &app.client, "/fr/users").await;
    assert!(list.contains(r#"data-user="mar-officer""#) && list.contains("non activé"));
    assert!(!list.contains("/fr/activate/"), "the link is not shown again");

    let visitor = common::new_client();
    assert_eq!(status_of(&app, &visitor, &link).await.0, 200);
    let activate = |password: &'static str, repeat: &'static str| {
        let (visitor, link) = (visitor.clone(), app.url(&link));
        async move {
            let res = visitor.post(link).form(&[("password", password), ("repeat", repeat)]).send().await.unwrap();
            let status = res.status().as_u16();
            (status, common::plain(&res.text().await.unwrap()))
        }
    };
    let before = app.node.user_row("mar-officer").await.unwrap();
    let (status, html) = activate("motdepasse2025", "motdepasse2025").await;
    assert_eq!(status, 200);
    assert!(html.contains("Ce mot de passe est trop courant"), "{html}");
    let (_, html) = activate("court", "court").await;
    assert!(html.contains("au moins 12 caractères"));
    assert_eq!(app.node.user_row("mar-officer").await.unwrap(), before, "nothing written on refusals");
    assert_eq!(activate("le mil pousse à Ségou", "le mil pousse à Ségou").await.0, 303);
    assert_eq!(activate("le mil pousse à Ségou", "le mil pousse à Ségou").await.0, 404, "once only");
    assert_eq!(status_of(&app, &visitor, &link).await.0, 404);
    let (officer, _) = common::login_at(&app.url(""), "mar-officer", "le mil pousse à Ségou").await;
    assert_eq!(status_of(&app, &officer, "/fr/").await.0, 200, "the user signs in");
    assert_eq!(status_of(&app, &officer, "/fr/users").await.0, 403, "an action owner administers nobody");
}

#[tokio::test]
async fn an_mli_secretary_cannot_touch_a_mar_user_and_a_viewer_cannot_reach_the_pages() {
    let app = TestApp::spawn().await;
    let (mli, csrf) = app.login("mli-secretary").await;
    let users = app.node.user_rows().await.unwrap();
    assert_eq!(status_of(&app, &mli, "/fr/users/mar-owner").await.0, 403);
    for (what, value) in
        [("disable", "yes"), ("role", "viewer"), ("clearance", "UNCLASSIFIED"), ("reset", ""), ("sessions", "")]
    {
        let path = format!("/fr/users/mar-owner/{what}");
        let (status, _, _) = post_with(&app, &mli, &csrf, &path, &[("value", value), ("confirm", value)]).await;
        assert_eq!(status, 403, "{what}");
    }
    let (_, list) = get_as(&app, &mli, "/fr/users").await;
    assert!(list.contains(r#"data-user="mli-owner""#) && !list.contains("mar-owner"), "only MLI users listed");
    let (viewer, _) = app.login("mar-viewer").await;
    assert_eq!(status_of(&app, &viewer, "/fr/users").await.0, 403);
    // Without the session's CSRF token, nothing either.
    let (status, _, _) =
        post_with(&app, &app.client, "wrong", "/fr/users/mar-owner/role", &[("value", "viewer")]).await;
    assert_eq!(status, 403);
    assert_eq!(app.node.user_rows().await.unwrap(), users, "nothing written on refusals");
}

#[tokio::test]
async fn a_role_change_or_a_confirmed_disable_ends_the_users_sessions_at_once() {
    let app = TestApp::spawn().await;
    let (browser, _) = app.login("mar-owner").await;
    let (api, _) = app.login("mar-owner").await;
    let (_, html) = get_as(&app, &app.client, "/fr/users/mar-owner").await;
    assert_eq!(html.matches("Fermer cette session").count(), 2, "two sessions listed");
    let (status, location, _) =
        post_with(&app, &app.client, &app.csrf, "/fr/users/mar-owner/role", &[("value", "viewer")]).await;
    assert_eq!((status, location.as_str()), (303, "/fr/users/mar-owner"));
    let (status, location) = status_of(&app, &browser, "/fr/").await;
    assert!(status == 303 && location.starts_with("/fr/login"), "the page sends to sign-in");
    assert_eq!(api.get(app.url("/api/v1/actions")).send().await.unwrap().status(), 401, "the API answers 401");
    assert_eq!(app.node.user_row("mar-owner").await.unwrap().unwrap().role, "viewer");

    // Disabling asks first; only the confirmed POST disables.
    let (viewer, _) = app.login("mar-owner").await;
    let (status, location, _) = post_with(&app, &app.client, &app.csrf, "/fr/users/mar-owner/disable", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/fr/users/mar-owner?confirm=disable"));
    assert!(!app.node.user_row("mar-owner").await.unwrap().unwrap().disabled);
    let (_, html) = get_as(&app, &app.client, &location).await;
    assert!(html.contains("Désactiver mar-owner ?"));
    post_with(&app, &app.client, &app.csrf, "/fr/users/mar-owner/disable", &[("confirm", "yes")]).await;
    assert!(app.node.user_row("mar-owner").await.unwrap().unwrap().disabled);
    assert_eq!(status_of(&app, &viewer, "/fr/").await.0, 303);
    let trail = app.node.store().audit_trail(20).await.unwrap();
    assert!(trail.iter().any(|l| l.detail == "role viewer (was action-owner), by mar-secretary"));
    assert!(trail.iter().any(|l| l.detail == "disabled, by mar-secretary"));
    // Each line made through the web names the client's address, not a placeholder.
    let by_web: Vec<&str> =
        trail.iter().filter(|l| l.detail.ends_with("by mar-secretary")).map(|l| l.address.as_str()).collect();
    assert!(by_web.len() >= 2 && by_web.iter().all(|a| *a == "127.0.0.1"), "{by_web:?}");
}

#[tokio::test]
async fn the_profile_changes_ones_own_password_keeping_this_session_and_ending_the_others() {
    let app = TestApp::spawn().await;
    let (other, _) = app.login("mar-secretary").await;
    let path = "/ar/profile/password";
    let fields =
        |current: &'static str| [("current", current), ("password", "نخيل مراكش 2025"), ("repeat", "نخيل مراكش 2025")];
    let (_, _, html) = post_with(&app, &app.client, &app.csrf, path, &fields("not my password")).await;
    assert!(html.contains("id=\"error\""), "a wrong current password is refused");
    assert_eq!(status_of(&app, &other, "/fr/").await.0, 200, "nothing changed");
    let password: &'static str = Box::leak(app.password.clone().into_boxed_str());
    let (status, _, html) = post_with(&app, &app.client, &app.csrf, path, &fields(password)).await;
    assert_eq!(status, 200);
    assert!(html.contains("تم تغيير كلمة المرور"), "{html}");
    assert_eq!(status_of(&app, &app.client, "/ar/profile").await.0, 200, "this session stays");
    assert_eq!(status_of(&app, &other, "/fr/").await.0, 303, "the other one ends");
    common::login_at(&app.url(""), "mar-secretary", "نخيل مراكش 2025").await;
    // The language and zone.
    let fields = [("lang", "ar"), ("tz", "Africa/Casablanca"), ("email", "")];
    post_with(&app, &app.client, &app.csrf, "/fr/profile/prefs", &fields).await;
    let contact = app.node.contact("mar-secretary").await.unwrap().unwrap();
    assert_eq!((contact.lang.code(), contact.tz.as_str()), ("ar", "Africa/Casablanca"));
}

/// `user_admins = ["co-chair"]`: a secretary without the administrator's role cannot reach the
/// pages; the co-chair can.
#[tokio::test]
async fn a_secretary_cannot_reach_the_pages_when_only_co_chairs_administer_users() {
    let (_dir, served, password) = common::demo_with(|c| c.user_admins = vec!["co-chair".into()]).await;
    let (secretary, csrf) = common::login_at(&served.url, "mar-secretary", &password).await;
    let get = |client: reqwest::Client, path: &'static str| {
        let url = format!("{}{path}", served.url);
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get(secretary.clone(), "/fr/users").await, 403);
    assert_eq!(get(secretary.clone(), "/fr/users/mar-viewer").await, 403);
    let form = [("csrf", csrf.as_str()), ("username", "mar-new"), ("role", "viewer")];
    let res = secretary.post(format!("{}/fr/users", served.url)).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(served.node.user_row("mar-new").await.unwrap().is_none());
    let (cochair, _) = common::login_at(&served.url, "mar-cochair", &password).await;
    assert_eq!(get(cochair, "/fr/users").await, 200);
}
