-- Node-local tables (DESIGN.md §6): credentials, sessions, sign-in throttling and the sign-in
-- audit trail. They are not part of the shared record and are never sent to a peer.
CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    party         TEXT NOT NULL,                 -- ISO 3166 alpha-3
    role          TEXT NOT NULL,                 -- co-chair | secretary | action-owner | viewer
    member        TEXT,                          -- member record id, when the user is one
    password_hash TEXT NOT NULL,                 -- Argon2id PHC string
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,                 -- BLAKE3 of the cookie value: a stolen database holds no usable session
    username   TEXT NOT NULL REFERENCES users (username),
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE TABLE login_failures (
    key TEXT NOT NULL,                           -- 'user:NAME' or 'addr:IP'
    at  TEXT NOT NULL
) STRICT;
CREATE INDEX login_failures_key ON login_failures (key, at);

CREATE TABLE audit (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    username TEXT NOT NULL,
    action   TEXT NOT NULL,                      -- sign-in | sign-in-refused | sign-out | user-changed
    detail   TEXT NOT NULL,
    address  TEXT NOT NULL
) STRICT;
