-- Issue 16 item 3: two-factor sign-in (TOTP, RFC 6238). Node-local, never events.
-- A user's TOTP secret (base32, as the authenticator app reads it) is kept here and nowhere
-- else, never logged. It counts only once confirmed by a first code (`confirmed_at`); the step
-- of the last accepted code (`last_step`, Unix time / 30 s) is kept so that no code — and no
-- older one — is accepted twice (RFC 6238 §5.2).
CREATE TABLE totp (
    username     TEXT PRIMARY KEY REFERENCES users (username) ON DELETE CASCADE,
    secret       TEXT NOT NULL,                  -- base32 (RFC 4648), 160 bits
    created_at   TEXT NOT NULL,                  -- RFC 3339 UTC
    confirmed_at TEXT,                           -- NULL while enrolment is not finished
    last_step    INTEGER NOT NULL DEFAULT -1
) STRICT;

-- Recovery codes: shown once at enrolment, kept as BLAKE3 hashes, each usable once.
CREATE TABLE recovery_codes (
    username  TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,                     -- BLAKE3 of the code (its letters, no dashes)
    used_at   TEXT,                              -- RFC 3339 UTC; NULL while unused
    PRIMARY KEY (username, code_hash)
) STRICT;

-- A sign-in half done: the password was right, the code (or the enrolment the user's role
-- requires) is still to come. The browser holds the token; only its BLAKE3 hash is kept. It
-- works for a few minutes, once, and only while the user's auth_epoch is unchanged.
CREATE TABLE sign_in_steps (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    stage      TEXT NOT NULL,                    -- code | enrol
    auth_epoch INTEGER NOT NULL,
    expires_at TEXT NOT NULL                     -- RFC 3339 UTC
) STRICT;
