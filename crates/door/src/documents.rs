//! Documents as a reader sees them, the access rule of markings (DESIGN.md §6) and why a file
//! was refused. Storing and registering them is the node's (`lajna_node::documents`, which
//! re-exports these types at their old paths).

use lajna_domain::Marking;
use lajna_domain::records::Document;

use crate::auth::User;

/// Why a document file was refused. Nothing is stored on any of them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// The file has no bytes. HTTP 422.
    #[error("the file is empty")]
    Empty,
    /// The file is larger than the node's limit. HTTP 413.
    #[error("the file has {size} bytes; the limit is {max} bytes (setting max_document_bytes)")]
    TooLarge {
        /// Size of the file, bytes.
        size: u64,
        /// The limit, bytes.
        max: u64,
    },
    /// The content is none of the accepted types (PDF, DOCX, ODT, PNG, JPEG, plain text). HTTP 415.
    #[error("the content is not a PDF, DOCX, ODT, PNG, JPEG or plain-text file")]
    Unsupported,
    /// The declared media type or the file name's extension says one type, the bytes another.
    /// HTTP 415.
    #[error("the file is declared as {declared} but its content is {found}")]
    TypeMismatch {
        /// What the upload declared (media type or extension).
        declared: String,
        /// The media type found in the bytes.
        found: String,
    },
}

impl DocumentError {
    /// Message key for the UI catalogues.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::Empty => "error-document-empty",
            Self::TooLarge { .. } => "error-document-too-large",
            Self::Unsupported => "error-document-unsupported",
            Self::TypeMismatch { .. } => "error-document-type-mismatch",
        }
    }
}

/// A document file to register, with what its uploader says about it.
#[derive(Clone, Debug)]
pub struct Upload<'a> {
    /// The file's bytes.
    pub bytes: &'a [u8],
    /// The file's name as uploaded.
    pub file_name: String,
    /// The media type the client declared, if any.
    pub declared_type: Option<String>,
}

/// Whether `user` may see a record with `marking` (DESIGN.md §6): enough clearance and a party
/// in its releasability.
#[must_use]
pub fn may_see(user: &User, marking: &Marking) -> bool {
    marking.allows(&user.party, user.clearance)
}

/// A document as a reader sees it: id, record and creation time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentView {
    /// Record id.
    pub id: String,
    /// The record.
    pub document: Document,
    /// Author time of its registration (RFC 3339 UTC).
    pub registered_at: String,
    /// Party that registered it.
    pub registered_by: String,
}
