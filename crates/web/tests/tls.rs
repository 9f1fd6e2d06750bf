//! TLS in the binary (issue 15 item 2): the real server over HTTPS with a certificate made for
//! the test (openssl CLI), checked by a client that trusts only that certificate (rustls with a
//! root store of one, webpki name check for `localhost`): HSTS and `Secure` cookies; the
//! certificate files replaced and reloaded while serving (what SIGHUP calls); two nodes syncing
//! over HTTPS with the peer's fingerprint pinned, and a wrong pin refused naming both.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lajna_demo as demo;
use lajna_node::Node;
use lajna_node::tls::{ServerTls, fingerprint_of_file};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::snapshot;

/// A self-signed P-256 server certificate for `localhost` and 127.0.0.1 written to `cert`, its
/// key to `key` (PKCS#8).
fn make_cert(cert: &Path, key: &Path) {
    let out = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
        .args(["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        // A server certificate, not a CA (openssl's default for -x509), as an operator's would be.
        .args(["-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=serverAuth"])
        .arg("-keyout")
        .arg(key)
        .arg("-out")
        .arg(cert)
        .output()
        .expect("openssl (Debian package openssl) is installed");
    assert!(out.status.success(), "openssl: {}", String::from_utf8_lossy(&out.stderr));
}

/// Serves `node` over TLS on a free loopback port: (port, the reloadable TLS, stop).
async fn serve_tls(
    node: Node,
    cert: &Path,
    key: &Path,
) -> (u16, ServerTls, Arc<Node>, tokio::sync::oneshot::Sender<()>) {
    let tls = ServerTls::load(cert, key).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let node = Arc::new(node);
    let (served, reload) = (node.clone(), tls.clone());
    tokio::spawn(async move {
        lajna_web::serve_tls(served, listener, Some(tls.acceptors()), async move {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    (port, reload, node, stop)
}

/// One HTTPS GET to `localhost:port` trusting only `root`: (certificate presented, status line,
/// headers (name in lower case, value)).
async fn get(port: u16, root: &Path, path: &str) -> (Vec<u8>, String, Vec<(String, String)>) {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_file(root).unwrap()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut tls = connector.connect(ServerName::try_from("localhost").unwrap(), tcp).await.expect("handshake");
    let presented = tls.get_ref().1.peer_certificates().unwrap()[0].to_vec();
    tls.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = Vec::new();
    // A TLS close_notify may be missing at the end; what was read is enough.
    let _ = tls.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let head = text.split("\r\n\r\n").next().unwrap().to_string();
    let mut lines = head.lines();
    let status = lines.next().unwrap().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (presented, status, headers)
}

fn pem_der(path: &Path) -> Vec<u8> {
    CertificateDer::from_pem_file(path).unwrap().to_vec()
}

fn files(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    (dir.join(format!("{name}.cert.pem")), dir.join(format!("{name}.key.pem")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_over_tls_with_hsts_and_secure_cookies_and_a_new_certificate_is_taken_on_reload() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = files(dir.path(), "served");
    make_cert(&cert, &key);
    let first = pem_der(&cert);
    let node = demo::build(&dir.path().join("data")).await.unwrap();
    let (port, tls, node, _stop) = serve_tls(node, &cert, &key).await;

    let (presented, status, headers) = get(port, &cert, "/fr/login").await;
    assert_eq!(presented, first);
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    let hsts: Vec<&str> =
        headers.iter().filter(|(n, _)| n == "strict-transport-security").map(|(_, v)| v.as_str()).collect();
    assert_eq!(hsts, ["max-age=31536000"]);
    let cookies: Vec<&str> = headers.iter().filter(|(n, _)| n == "set-cookie").map(|(_, v)| v.as_str()).collect();
    assert!(!cookies.is_empty(), "the sign-in page sets its pre-session cookie: {headers:?}");
    for c in &cookies {
        let attributes: Vec<String> = c.split(';').map(|a| a.trim().to_ascii_lowercase()).collect();
        assert!(attributes.iter().any(|a| a == "secure"), "{c}");
        assert!(attributes.iter().any(|a| a == "httponly"), "{c}");
    }
    // Plain HTTP on the TLS port is not served.
    let mut plain = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    plain.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    let _ = plain.read_to_end(&mut answer).await;
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"), "plain HTTP answered on the TLS port");

    // The certificate is renewed: the files are replaced, then reloaded (what SIGHUP calls).
    let events_before = snapshot(&node).await;
    let (new_cert, new_key) = files(dir.path(), "renewed");
    make_cert(&new_cert, &new_key);
    std::fs::rename(&new_cert, &cert).unwrap();
    std::fs::rename(&new_key, &key).unwrap();
    let second = pem_der(&cert);
    assert_ne!(first, second);
    let print = tls.reload().unwrap();
    assert_eq!(print, fingerprint_of_file(&cert).unwrap());
    let (presented, status, _) = get(port, &cert, "/readyz").await;
    assert_eq!(presented, second, "a new connection gets the new certificate");
    assert!(status.starts_with("HTTP/1.1 200"), "the store is still open: {status}");
    assert_eq!(snapshot(&node).await, events_before);

    // A broken file on reload keeps the certificate in use and says which file.
    std::fs::write(&key, "not a key").unwrap();
    let e = tls.reload().unwrap_err().to_string();
    assert!(e.contains("renewed") || e.contains(&key.display().to_string()), "{e}");
    let (presented, _, _) = get(port, &cert, "/healthz").await;
    assert_eq!(presented, second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_sync_over_https_with_the_pinned_fingerprint_and_a_wrong_pin_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let (mut mar, mli) = demo::build_pair(dir.path()).await.unwrap();
    let (cert, key) = files(dir.path(), "mli");
    make_cert(&cert, &key);
    let actual = fingerprint_of_file(&cert).unwrap();
    // MLI writes something MAR lacks.
    let action = mli
        .with_state(|s| {
            let mut own: Vec<String> = s
                .all::<lajna_domain::records::Action>(lajna_domain::RecordKind::Action)
                .into_iter()
                .filter(|(_, a)| a.owner.as_str() == "MLI" && !a.status.is_closed())
                .map(|(id, _)| id)
                .collect();
            own.sort();
            own[0].clone()
        })
        .await;
    let mli_actor = lajna_domain::Actor { party: lajna_domain::PartyCode::parse("MLI").unwrap(), member: None };
    mli.execute(
        &mli_actor,
        &lajna_domain::Command::ReportProgress {
            completed: None,
            reason: None,
            action,
            status: Some(lajna_domain::ActionStatus::InProgress),
            progress: Some(lajna_domain::Progress::new(61).unwrap()),
        },
    )
    .await
    .unwrap();
    let (port, _tls, mli, _stop) = serve_tls(mli, &cert, &key).await;
    let url = format!("https://127.0.0.1:{port}");

    // A wrong pin: refused before anything is exchanged, naming both fingerprints.
    let wrong = lajna_node::tls::fingerprint(b"another certificate");
    mar.config.peer_fingerprints.insert(url.clone(), wrong.clone());
    let before = snapshot(&mar).await;
    let e = mar.sync_with(&url).await.unwrap_err();
    assert_eq!(e.code(), "peer-certificate");
    let message = e.to_string();
    assert!(message.contains(&wrong) && message.contains(&actual), "{message}");
    assert_eq!(snapshot(&mar).await, before, "nothing was written");

    // The right pin: the sync goes through.
    mar.config.peer_fingerprints.insert(url.clone(), actual.clone());
    let r = mar.sync_with(&url).await.unwrap();
    assert_eq!((r.received, r.refused.len()), (1, 0), "{r:?}");
    assert_eq!(snapshot(&mar).await, snapshot(&mli).await);
}
