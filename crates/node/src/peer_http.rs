//! The HTTP/1.1 client of peer sync: one connection per request to a peer's base URL,
//! `http://` over TCP or `https://` over rustls trusting exactly the certificate pinned for that
//! peer ([`crate::tls`]). An `https://` peer without a pin is refused before any connection:
//! there is no certificate authority to fall back on.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::NodeError;

/// How long one request may take, connection and body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// A pinned TLS connector and the slot where its verifier leaves the fingerprint presented.
struct Tls {
    connector: tokio_rustls::TlsConnector,
    name: rustls::pki_types::ServerName<'static>,
    expected: String,
    presented: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

/// A peer's base URL, parsed: `http[s]://host[:port][/prefix]`.
pub(crate) struct PeerClient {
    /// The base URL as given, without a trailing `/` (for messages).
    base: String,
    /// `host:port` as in the URL (the `Host` header).
    authority: String,
    /// Host to connect to (brackets of an IPv6 address removed).
    host: String,
    port: u16,
    /// Path prefix before `/sync/v1/…` (empty, or starting with `/`).
    prefix: String,
    tls: Option<Tls>,
}

impl PeerClient {
    /// A client for `base`; `pin` is the SHA-256 fingerprint the config pins for it (required
    /// for `https://`).
    ///
    /// # Errors
    /// [`NodeError::Peer`] for a URL that is not `http://` or `https://`, or `https://` without
    /// a pin.
    pub(crate) fn new(base: &str, pin: Option<&str>) -> Result<Self, NodeError> {
        let base = base.trim_end_matches('/').to_string();
        let (https, rest) = if let Some(rest) = base.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = base.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(NodeError::Peer(format!("{base}: a peer is an http:// or https:// base URL")));
        };
        let (authority, prefix) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !p.contains(']') => {
                (h, p.parse().map_err(|_| NodeError::Peer(format!("{base}: {p:?} is not a port")))?)
            }
            _ => (authority, if https { 443 } else { 80 }),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
        if host.is_empty() {
            return Err(NodeError::Peer(format!("{base}: no host")));
        }
        let tls = if https {
            let expected = pin.ok_or_else(|| {
                NodeError::Peer(format!(
                    "{base}: no certificate fingerprint is pinned for this peer; add it to peer_fingerprints in config.toml (the peer's operator reads it with `lajna config fingerprint`)"
                ))
            })?;
            let (config, presented) = crate::tls::pinned_client(expected);
            let name = rustls::pki_types::ServerName::try_from(host.clone())
                .map_err(|e| NodeError::Peer(format!("{base}: {e}")))?;
            Some(Tls {
                connector: tokio_rustls::TlsConnector::from(config),
                name,
                expected: expected.to_string(),
                presented,
            })
        } else {
            None
        };
        Ok(Self { authority: authority.to_string(), host, port, prefix: prefix.to_string(), tls, base })
    }

    /// Sends one request (`path` after the base URL's own path) and reads the answer's body up
    /// to `limit` bytes: (HTTP status, body).
    ///
    /// # Errors
    /// [`NodeError::Peer`] when the peer cannot be reached, the exchange fails, times out
    /// ([`REQUEST_TIMEOUT`]) or the body exceeds `limit`; [`NodeError::PeerCertificate`] when it
    /// presents a certificate other than the pinned one.
    pub(crate) async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
        limit: u64,
    ) -> Result<(u16, Vec<u8>), NodeError> {
        tokio::time::timeout(REQUEST_TIMEOUT, self.exchange(method, path, headers, body, limit)).await.map_err(
            |_| NodeError::Peer(format!("{}{path}: no answer within {} s", self.base, REQUEST_TIMEOUT.as_secs())),
        )?
    }

    async fn exchange(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
        limit: u64,
    ) -> Result<(u16, Vec<u8>), NodeError> {
        let unreachable = |e: &dyn std::fmt::Display| NodeError::Peer(format!("cannot reach {}: {e}", self.base));
        let tcp = TcpStream::connect((self.host.as_str(), self.port)).await.map_err(|e| unreachable(&e))?;
        let _ = tcp.set_nodelay(true);
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.prefix))
            .header(hyper::header::HOST, &self.authority);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Full::new(Bytes::from(body))).map_err(|e| unreachable(&e))?;
        match &self.tls {
            None => self.round_trip(tcp, request, path, limit).await,
            Some(tls) => {
                let stream = match tls.connector.connect(tls.name.clone(), tcp).await {
                    Ok(stream) => stream,
                    Err(e) => {
                        let presented = tls.presented.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
                        return Err(match presented {
                            Some(presented) if presented != tls.expected => NodeError::PeerCertificate {
                                peer: self.base.clone(),
                                expected: tls.expected.clone(),
                                presented,
                            },
                            _ => unreachable(&format!("TLS: {e}")),
                        });
                    }
                };
                self.round_trip(stream, request, path, limit).await
            }
        }
    }

    async fn round_trip<S: AsyncRead + AsyncWrite + Unpin + Send + 'static>(
        &self,
        stream: S,
        request: hyper::Request<Full<Bytes>>,
        path: &str,
        limit: u64,
    ) -> Result<(u16, Vec<u8>), NodeError> {
        let failed = |e: &dyn std::fmt::Display| NodeError::Peer(format!("{}{path}: {e}", self.base));
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| failed(&e))?;
        let driver = tokio::spawn(connection);
        let answer = async {
            let response = sender.send_request(request).await.map_err(|e| failed(&e))?;
            let status = response.status().as_u16();
            let mut body = response.into_body();
            let mut bytes = Vec::new();
            while let Some(frame) = body.frame().await {
                let frame = frame.map_err(|e| failed(&e))?;
                if let Ok(data) = frame.into_data() {
                    bytes.extend_from_slice(&data);
                    if bytes.len() as u64 > limit {
                        return Err(failed(&format!("more than {limit} bytes")));
                    }
                }
            }
            Ok((status, bytes))
        }
        .await;
        driver.abort();
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_parsed_and_https_needs_a_pin() {
        let c = PeerClient::new("http://10.0.0.2:8080/", None).unwrap();
        assert_eq!(
            (c.host.as_str(), c.port, c.prefix.as_str(), c.authority.as_str()),
            ("10.0.0.2", 8080, "", "10.0.0.2:8080")
        );
        let c = PeerClient::new("http://[::1]/lajna", None).unwrap();
        assert_eq!((c.host.as_str(), c.port, c.prefix.as_str()), ("::1", 80, "/lajna"));
        let e = PeerClient::new("https://peer.example:8443", None).err().unwrap();
        assert!(e.to_string().contains("peer_fingerprints"), "{e}");
        let pin = crate::tls::fingerprint(b"x");
        let c = PeerClient::new("https://peer.example", Some(&pin)).unwrap();
        assert_eq!((c.port, c.tls.is_some()), (443, true));
        assert!(PeerClient::new("ftp://x", None).is_err());
    }
}
