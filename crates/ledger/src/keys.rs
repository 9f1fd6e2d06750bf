//! Ed25519 keys of the record: party root keys (kept offline) and node keys (one per running
//! node and party), with hex text forms and key files.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};

use crate::LedgerError;

/// A public Ed25519 key (32 bytes), shown as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    /// Parses 64 hex digits.
    ///
    /// # Errors
    /// [`LedgerError::BadKey`] when the text is not 32 bytes of hex or not a point of the curve.
    pub fn parse(text: &str) -> Result<Self, LedgerError> {
        let mut arr = [0u8; 32];
        hex::decode_to_slice(text, &mut arr).map_err(|_| LedgerError::BadKey(text.into()))?;
        decompressed(&arr).map_err(|_| LedgerError::BadKey(text.into()))?;
        Ok(Self(arr))
    }

    /// Hex text form (64 lowercase digits).
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The dalek verifying key.
    ///
    /// # Errors
    /// [`LedgerError::BadKey`] when the bytes are not a curve point.
    pub fn verifying(&self) -> Result<VerifyingKey, LedgerError> {
        decompressed(&self.0).map_err(|_| LedgerError::BadKey(self.to_hex()))
    }
}

/// How many decompressed keys a thread keeps (a committee's log is signed by a handful).
const DECOMPRESSED_KEYS: usize = 256;

thread_local! {
    /// Keys already decompressed on this thread. A decompression is a field square root, about
    /// a third of a `verify_strict`; a log is signed by a few keys, and every event's key was
    /// decompressed three times (parse, verify, authorize). Bounded: emptied when full.
    static DECOMPRESSED: RefCell<HashMap<[u8; 32], VerifyingKey>> = RefCell::new(HashMap::new());
}

/// `VerifyingKey::from_bytes`, remembered per thread. Only valid points are kept, so a bad key
/// is refused every time, as without the memory.
fn decompressed(bytes: &[u8; 32]) -> Result<VerifyingKey, ed25519_dalek::SignatureError> {
    DECOMPRESSED.with(|known| {
        if let Some(key) = known.borrow().get(bytes) {
            return Ok(*key);
        }
        let key = VerifyingKey::from_bytes(bytes)?;
        let mut known = known.borrow_mut();
        if known.len() >= DECOMPRESSED_KEYS {
            known.clear();
        }
        known.insert(*bytes, key);
        Ok(key)
    })
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_hex())
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// A secret Ed25519 signing key. `Debug` never prints the secret.
#[derive(Clone)]
pub struct SecretKey(SigningKey);

impl SecretKey {
    /// A new key from the operating system's random source.
    ///
    /// # Errors
    /// [`LedgerError::Random`] when the OS random source fails.
    pub fn generate() -> Result<Self, LedgerError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| LedgerError::Random(e.to_string()))?;
        Ok(Self(SigningKey::from_bytes(&seed)))
    }

    /// A key from its 32-byte seed (deterministic; used by tests and benchmarks).
    #[must_use]
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&seed))
    }

    /// Parses the key-file text form: 64 hex digits of the seed, surrounding whitespace ignored.
    ///
    /// # Errors
    /// [`LedgerError::BadKey`] when it is not 32 bytes of hex.
    pub fn parse(text: &str) -> Result<Self, LedgerError> {
        let bytes = hex::decode(text.trim()).map_err(|_| LedgerError::BadKey("(secret key file)".into()))?;
        let seed: [u8; 32] = bytes.try_into().map_err(|_| LedgerError::BadKey("(secret key file)".into()))?;
        Ok(Self::from_seed(seed))
    }

    /// The key-file text form: 64 hex digits and a newline.
    #[must_use]
    pub fn to_file_text(&self) -> String {
        format!("{}\n", hex::encode(self.0.to_bytes()))
    }

    /// The matching public key.
    #[must_use]
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }

    /// Signs `message` (for events: the 32-byte id).
    #[must_use]
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(public {}, secret redacted)", self.public())
    }
}
