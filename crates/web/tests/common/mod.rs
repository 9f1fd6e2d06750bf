//! `TestApp`: the real server on 127.0.0.1:0 over a temp data directory with the demo, and
//! clients signed in as the demo users.

#![allow(dead_code, reason = "each test binary uses a part of the helper")]

use std::sync::Arc;

use lajna_node::{Node, demo};

pub struct TestApp {
    pub addr: std::net::SocketAddr,
    /// Signed in as `mar-secretary`.
    pub client: reqwest::Client,
    /// Its CSRF token.
    pub csrf: String,
    pub node: Arc<Node>,
    pub password: String,
    _dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
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
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, rx) = tokio::sync::oneshot::channel::<()>();
        let served = node.clone();
        tokio::spawn(async move {
            lajna_web::serve(served, listener, async move {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
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
        let client = new_client();
        let res = client
            .post(self.url("/api/v1/login"))
            .json(&serde_json::json!({"username": user, "password": self.password}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "login as {user}");
        let body: serde_json::Value = res.json().await.unwrap();
        (client, body["csrf_token"].as_str().unwrap().to_string())
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let res = self.client.get(self.url(path)).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// (event count, state hash): "nothing was written" means this does not change.
    pub async fn snapshot(&self) -> (i64, String) {
        (self.node.store.event_count().await.unwrap(), self.node.store.state_hash().await.unwrap())
    }
}
