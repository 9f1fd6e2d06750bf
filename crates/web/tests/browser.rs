//! Real headless Chromium (Debian package `chromium`) against the real server: the Arabic
//! page is laid out right-to-left and the French one left-to-right, as the browser parsed
//! them; full-page screenshots are kept in `artefacts/screenshots/` for people to look at.
//!
//! `scripts/test` installs Chromium when missing; without it these tests fail and say so.

use crate::common;

use std::path::PathBuf;
use std::process::Command;

use common::TestApp;

fn chromium() -> String {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if std::path::Path::new(candidate).exists() {
            return candidate.into();
        }
    }
    panic!(
        "Chromium is not installed: run scripts/test (it installs the Debian package `chromium`), or apt-get install chromium"
    );
}

fn artefacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artefacts/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs headless Chromium with the flags that work offline on this machine kind.
fn run_chromium(args: Vec<String>) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.path().display()));
    cmd.args(args);
    cmd.output().expect("start chromium")
}

async fn dom_and_screenshot(app: &TestApp, path: &str, name: &str) -> (String, PathBuf) {
    let url = app.url(path);
    let shot = artefacts().join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    let (u1, u2, s) = (url.clone(), url, shot.clone());
    let (dom, _) = tokio::task::spawn_blocking(move || {
        let dom = run_chromium(vec!["--dump-dom".into(), u1]);
        let png = run_chromium(vec!["--window-size=1280,2400".into(), format!("--screenshot={}", s.display()), u2]);
        (String::from_utf8_lossy(&dom.stdout).into_owned(), png)
    })
    .await
    .unwrap();
    (dom, shot)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_renders_the_arabic_sign_in_page_right_to_left() {
    let app = TestApp::spawn().await;
    // Signed out, the browser lands on the Arabic sign-in page (the signed-in flows are driven
    // by tests/browser/, with Playwright).
    let (dom, shot) = dom_and_screenshot(&app, "/ar/", "login-ar").await;
    assert!(dom.contains(r#"<html lang="ar" dir="rtl">"#), "browser DOM: {}", &dom[..dom.len().min(400)]);
    assert!(dom.contains("تسجيل الدخول"));
    assert!(dom.contains(r#"name="password""#));
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 5_000, "screenshot {} is {size} bytes", shot.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_renders_the_french_sign_in_page_left_to_right() {
    let app = TestApp::spawn().await;
    let (dom, shot) = dom_and_screenshot(&app, "/fr/", "login-fr").await;
    assert!(dom.contains(r#"<html lang="fr" dir="ltr">"#));
    assert!(dom.contains("Se connecter"));
    assert!(std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0) > 5_000);
}
