//! `TestApp`: the real server on 127.0.0.1:0 over a temp data directory with the demo, and
//! clients signed in as the demo users.

#![allow(dead_code, reason = "each test binary uses a part of the helper")]

use std::sync::Arc;

use lajna_demo as demo;
use lajna_node::Node;

pub struct TestApp {
    pub addr: std::net::SocketAddr,
    /// Signed in as `mar-secretary`.
    pub client: reqwest::Client,
    /// Its CSRF token.
    pub csrf: String,
    pub node: Arc<Node>,
    pub password: String,
    _dir: tempfile::TempDir,
    _stop: Option<tokio::sync::oneshot::Sender<()>>,
}

/// A node served by the real server on `127.0.0.1:0`. Sending on (or dropping) `stop` shuts
/// the server down; the node stays usable.
pub struct Served {
    pub node: Arc<Node>,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    pub stop: Option<tokio::sync::oneshot::Sender<()>>,
}

/// Serves `node` on a free loopback port.
pub async fn serve(node: Node) -> Served {
    let node = Arc::new(node);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let served = node.clone();
    tokio::spawn(async move {
        lajna_web::serve(served, listener, async move {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    Served { node, url, stop: Some(stop) }
}

/// The demo with its settings changed by `change` (saved to its `config.toml`, the node opened
/// again), served: (the temp dir holding `data/`, the server, the demo password).
pub async fn demo_with(change: impl FnOnce(&mut lajna_node::Config)) -> (tempfile::TempDir, Served, String) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let node = demo::build(&data).await.unwrap();
    let mut config = node.config.clone();
    change(&mut config);
    config.save(&data.join("config.toml")).unwrap();
    drop(node);
    let served = serve(Node::open(&data).await.unwrap()).await;
    let (password, _) = demo::demo_password(&data).unwrap();
    (dir, served, password)
}

/// The two-node demo (MAR and MLI data directories under one temp dir), both served.
pub async fn pair() -> (tempfile::TempDir, Served, Served) {
    let dir = tempfile::tempdir().unwrap();
    let (mar, mli) = demo::build_pair(dir.path()).await.unwrap();
    (dir, serve(mar).await, serve(mli).await)
}

/// (event count, state hash) of a node: "nothing was written" means this does not change.
pub async fn snapshot(node: &Node) -> (i64, String) {
    (node.store().event_count().await.unwrap(), node.store().state_hash().await.unwrap())
}

/// A new client signed in as `user` on the server at `url` through the API, with its CSRF token.
pub async fn login_at(url: &str, user: &str, password: &str) -> (reqwest::Client, String) {
    let client = new_client();
    let res = client
        .post(format!("{url}/api/v1/login"))
        .json(&serde_json::json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "login as {user}");
    let body: serde_json::Value = res.json().await.unwrap();
    (client, body["csrf_token"].as_str().unwrap().to_string())
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap()
}

impl TestApp {
    pub async fn spawn() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let node = Arc::new(demo::build(&data).await.unwrap());
        let (password, _) = demo::demo_password(&data).unwrap();
        let Served { node, url, stop } = serve(Arc::into_inner(node).unwrap()).await;
        let addr = url.trim_start_matches("http://").parse().unwrap();
        let mut app = Self { addr, client: new_client(), csrf: String::new(), node, password, _dir: dir, _stop: stop };
        let (client, csrf) = app.login("mar-secretary").await;
        app.client = client;
        app.csrf = csrf;
        app
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A new client signed in as `user` through the API, with its CSRF token.
    pub async fn login(&self, user: &str) -> (reqwest::Client, String) {
        login_at(&format!("http://{}", self.addr), user, &self.password).await
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let res = self.client.get(self.url(path)).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// (event count, state hash): "nothing was written" means this does not change.
    pub async fn snapshot(&self) -> (i64, String) {
        snapshot(&self.node).await
    }
}

/// A page's text without Fluent's isolation marks (U+2068, U+2069) around placeables.
pub fn plain(html: &str) -> String {
    html.replace(['\u{2068}', '\u{2069}'], "")
}

/// GET `path` with `client`: (status, text without isolation marks).
pub async fn get_as(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), plain(&res.text().await.unwrap()))
}

/// Posts a form with the CSRF token; (status, location, text without isolation marks).
pub async fn post_with(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    let res = client.post(app.url(path)).form(&form).send().await.unwrap();
    let status = res.status().as_u16();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (status, location, plain(&res.text().await.unwrap_or_default()))
}

/// A node-signed POST of `body` to `url` + `path` (the sync endpoints): (status, text).
pub async fn signed_post(url: &str, path: &str, body: &[u8], auth: &lajna_ledger::RequestAuth) -> (u16, String) {
    let res = reqwest::Client::new()
        .post(format!("{url}{path}"))
        .header("x-lajna-node", &auth.node)
        .header("x-lajna-time", &auth.time)
        .header("x-lajna-nonce", &auth.nonce)
        .header("x-lajna-signature", &auth.signature)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}
