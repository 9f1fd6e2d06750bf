//! Signed sync requests between nodes (issue 5): every request names the sending node's key, a
//! time and a random nonce, and carries an Ed25519 signature over a digest of method, path,
//! time, nonce and body. The receiver checks the signature here, and freshness, replay and the
//! key's certificate with its own state.

use ed25519_dalek::Signature;

use crate::{LedgerError, PublicKey, SecretKey};

/// Domain-separation tag of the request digest.
const TAG: &str = "lajna-sync-request/1";

/// The authentication of one request (sent as `X-Lajna-*` headers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestAuth {
    /// Sending node key, hex.
    pub node: String,
    /// Sender's time, RFC 3339 UTC.
    pub time: String,
    /// Random nonce, hex (32 bytes): a request is accepted once.
    pub nonce: String,
    /// Ed25519 signature of [`request_digest`], hex.
    pub signature: String,
}

/// BLAKE3 of `TAG \n method \n path \n time \n nonce \n BLAKE3(body)`.
#[must_use]
pub fn request_digest(method: &str, path: &str, time: &str, nonce: &str, body: &[u8]) -> [u8; 32] {
    let text = format!("{TAG}\n{method}\n{path}\n{time}\n{nonce}\n{}", blake3::hash(body).to_hex());
    *blake3::hash(text.as_bytes()).as_bytes()
}

/// Signs a request with a node key.
///
/// # Errors
/// [`LedgerError::Random`] when no nonce can be drawn.
pub fn sign_request(
    key: &SecretKey,
    method: &str,
    path: &str,
    time: &str,
    body: &[u8],
) -> Result<RequestAuth, LedgerError> {
    let mut nonce = [0u8; 32];
    getrandom::fill(&mut nonce).map_err(|e| LedgerError::Random(e.to_string()))?;
    let nonce = hex::encode(nonce);
    let digest = request_digest(method, path, time, &nonce, body);
    Ok(RequestAuth { node: key.public().to_hex(), time: time.into(), nonce, signature: hex::encode(key.sign(&digest)) })
}

/// Checks a request's signature (strict Ed25519) and returns the signing key.
///
/// # Errors
/// [`LedgerError::BadRequest`] for a malformed key, nonce or signature, or one that does not verify.
pub fn verify_request(auth: &RequestAuth, method: &str, path: &str, body: &[u8]) -> Result<PublicKey, LedgerError> {
    let bad = |why: &str| LedgerError::BadRequest(why.into());
    let key = PublicKey::parse(&auth.node).map_err(|_| bad("the node key is not a key"))?;
    if auth.nonce.len() != 64 || !auth.nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad("the nonce is not 32 bytes of hex"));
    }
    let sig: [u8; 64] = hex::decode(&auth.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| bad("the signature is not 64 bytes of hex"))?;
    let digest = request_digest(method, path, &auth.time, &auth.nonce, body);
    key.verifying()?
        .verify_strict(&digest, &Signature::from_bytes(&sig))
        .map_err(|_| bad("the request signature does not verify"))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_request_verifies_and_any_change_breaks_it() {
        let k = SecretKey::from_seed([4; 32]);
        let auth = sign_request(&k, "POST", "/sync/v1/push", "2025-02-17T10:00:00Z", b"[1]").unwrap();
        assert_eq!(verify_request(&auth, "POST", "/sync/v1/push", b"[1]").unwrap(), k.public());
        assert!(verify_request(&auth, "POST", "/sync/v1/push", b"[2]").is_err());
        assert!(verify_request(&auth, "POST", "/sync/v1/pull", b"[1]").is_err());
        let mut later = auth.clone();
        later.time = "2025-02-17T10:00:01Z".into();
        assert!(verify_request(&later, "POST", "/sync/v1/push", b"[1]").is_err());
        let mut other = auth;
        other.node = SecretKey::from_seed([6; 32]).public().to_hex();
        assert_eq!(verify_request(&other, "POST", "/sync/v1/push", b"[1]").unwrap_err().code(), "bad-sync-request");
    }
}
