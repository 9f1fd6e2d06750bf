//! TLS in the binary (rustls with the ring provider): the server's certificate and key read from
//! PEM files and reloaded on demand (`lajna serve` on SIGHUP), and the client side of peer sync,
//! which trusts exactly one certificate per peer: the one whose SHA-256 fingerprint the config
//! pins (two sovereign networks: pinning, not a public CA).
//!
//! A fingerprint is the SHA-256 of the certificate's DER bytes, the value `openssl x509
//! -noout -fingerprint -sha256 -in cert.pem` prints; it is written `AB:CD:…` (32 bytes, upper
//! case, colon-separated) and read in that form, in lower case, without colons or with a
//! `sha256:` prefix.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

pub use tokio_rustls::TlsAcceptor;

use crate::error::NodeError;

/// The crypto provider of every TLS configuration of the node (ring).
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The SHA-256 fingerprint of a DER certificate, `AB:CD:…` (as `openssl x509 -fingerprint
/// -sha256` prints it).
#[must_use]
pub fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    digest.as_ref().iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// Reads a pinned fingerprint as written in the config: 64 hex digits, with or without colons,
/// any case, optionally after `sha256:` or `SHA256 Fingerprint=` (openssl's output line).
/// Returns it in the [`fingerprint`] form, or `None` when it is not 32 bytes of hex.
#[must_use]
pub fn parse_fingerprint(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text.rsplit_once('=').map_or(text, |(_, v)| v);
    let text = text.strip_prefix("sha256:").or_else(|| text.strip_prefix("SHA256:")).unwrap_or(text);
    let hex: String = text.chars().filter(|c| *c != ':').collect();
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let upper = hex.to_ascii_uppercase();
    Some(upper.as_bytes().chunks(2).map(|p| String::from_utf8_lossy(p).into_owned()).collect::<Vec<_>>().join(":"))
}

/// The fingerprint of the first certificate of a PEM file (`lajna config fingerprint`, and what an
/// operator gives the other party to pin).
///
/// # Errors
/// [`NodeError::Tls`] naming the file when it cannot be read or holds no certificate.
pub fn fingerprint_of_file(path: &Path) -> Result<String, NodeError> {
    let certs = read_certificates(path)?;
    Ok(fingerprint(&certs[0]))
}

fn tls_error(path: &Path, message: impl Into<String>) -> NodeError {
    NodeError::Tls { path: path.to_path_buf(), message: message.into() }
}

fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, NodeError> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|e| tls_error(path, format!("cannot read the certificate chain (PEM): {e}")))?;
    if certs.is_empty() {
        return Err(tls_error(path, "no certificate (-----BEGIN CERTIFICATE-----) in the file"));
    }
    Ok(certs)
}

/// A server configuration from a PEM certificate chain (leaf first) and a PEM private key
/// (PKCS#8, PKCS#1 or SEC1). HTTP/1.1 only (ALPN `http/1.1`).
///
/// # Errors
/// [`NodeError::Tls`] naming the file at fault: unreadable, no certificate or key, or a key
/// that does not match the certificate.
pub fn server_config(certificate: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, NodeError> {
    let certs = read_certificates(certificate)?;
    let private = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| tls_error(key, format!("cannot read the private key (PEM): {e}")))?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(certificate, e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, private)
        .map_err(|e| tls_error(key, format!("the key does not go with {}: {e}", certificate.display())))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The server's TLS settings, reloadable: [`ServerTls::acceptor`] hands the current
/// configuration to each new connection; [`ServerTls::reload`] reads the files again
/// (connections already open keep the certificate they started with).
#[derive(Clone)]
pub struct ServerTls {
    certificate: PathBuf,
    key: PathBuf,
    current: Arc<RwLock<Arc<rustls::ServerConfig>>>,
}

impl ServerTls {
    /// Reads `certificate` and `key` (PEM).
    ///
    /// # Errors
    /// As [`server_config`].
    pub fn load(certificate: &Path, key: &Path) -> Result<Self, NodeError> {
        let config = server_config(certificate, key)?;
        Ok(Self {
            certificate: certificate.to_path_buf(),
            key: key.to_path_buf(),
            current: Arc::new(RwLock::new(config)),
        })
    }

    /// The node's TLS settings from its config (`tls_certificate`, `tls_key`; relative paths
    /// are read from the data directory), or `None` when TLS is off.
    ///
    /// # Errors
    /// As [`server_config`].
    pub fn from_node(node: &crate::Node) -> Result<Option<Self>, NodeError> {
        match (&node.config.tls_certificate, &node.config.tls_key) {
            (Some(cert), Some(key)) => Self::load(&node.dir.0.join(cert), &node.dir.0.join(key)).map(Some),
            _ => Ok(None),
        }
    }

    /// Reads the certificate and key files again; on success new connections get them, on
    /// failure the previous ones stay in use and the error says why.
    ///
    /// # Errors
    /// As [`server_config`].
    pub fn reload(&self) -> Result<String, NodeError> {
        let config = server_config(&self.certificate, &self.key)?;
        let print = fingerprint_of_file(&self.certificate)?;
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = config;
        Ok(print)
    }

    /// The SHA-256 fingerprint of the certificate file as it is now on disk.
    ///
    /// # Errors
    /// As [`fingerprint_of_file`].
    pub fn fingerprint(&self) -> Result<String, NodeError> {
        fingerprint_of_file(&self.certificate)
    }

    /// An acceptor with the current certificate.
    #[must_use]
    pub fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone())
    }

    /// What `lajna_web::serve_tls` takes: a source of [`ServerTls::acceptor`], called at each
    /// new connection (so a [`ServerTls::reload`] applies to the next handshake).
    #[must_use]
    pub fn acceptors(&self) -> Arc<dyn Fn() -> TlsAcceptor + Send + Sync> {
        let tls = self.clone();
        Arc::new(move || tls.acceptor())
    }
}

/// A verifier that accepts exactly the certificate with the pinned SHA-256 fingerprint, whatever
/// its name, issuer or dates, and still checks the handshake signature (so the peer holds the
/// certificate's key). The fingerprint presented is kept for the error message.
#[derive(Debug)]
pub(crate) struct Pinned {
    expected: String,
    presented: Arc<std::sync::Mutex<Option<String>>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let presented = fingerprint(end_entity);
        let matches = presented == self.expected;
        *self.presented.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(presented.clone());
        if matches {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(format!(
                "certificate fingerprint {presented} is not the pinned {}",
                self.expected
            )))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A client configuration trusting only the certificate whose fingerprint is `expected`, and
/// the slot where the verifier leaves the fingerprint the server presented.
pub(crate) fn pinned_client(expected: &str) -> (Arc<rustls::ClientConfig>, Arc<std::sync::Mutex<Option<String>>>) {
    let provider = provider();
    let presented = Arc::new(std::sync::Mutex::new(None));
    let verifier = Pinned {
        expected: expected.to_string(),
        presented: presented.clone(),
        algorithms: provider.signature_verification_algorithms,
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports the default versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    (Arc::new(config), presented)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_read_in_the_forms_operators_paste() {
        let canonical = fingerprint(b"x");
        assert_eq!(canonical.len(), 32 * 3 - 1);
        let bare = canonical.replace(':', "").to_ascii_lowercase();
        for form in [
            canonical.clone(),
            bare.clone(),
            format!("sha256:{bare}"),
            format!("sha256 Fingerprint={canonical}"),
            format!("  {canonical}\n"),
        ] {
            assert_eq!(parse_fingerprint(&form).as_deref(), Some(canonical.as_str()), "{form}");
        }
        assert_eq!(parse_fingerprint(&bare[2..]), None, "31 bytes");
        assert_eq!(parse_fingerprint(&bare.replace('a', "g")), None, "not hex");
    }
}
