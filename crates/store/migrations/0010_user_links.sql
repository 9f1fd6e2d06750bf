-- Issue 16 item 1: one-time links that let a user set their password — the activation link of
-- a user added through the web, and a password reset link. Node-local, never events. The link
-- itself is shown once to the administrator who made it; only the BLAKE3 hash of its token is
-- kept. A link is used at most once (`used_at`) and only before `expires_at` (72 hours).
CREATE TABLE user_links (
    token_hash TEXT PRIMARY KEY,                 -- BLAKE3 of the link's token
    username   TEXT NOT NULL REFERENCES users (username),
    purpose    TEXT NOT NULL,                    -- activate | reset
    created_by TEXT NOT NULL,                    -- the administrator
    created_at TEXT NOT NULL,                    -- RFC 3339 UTC
    expires_at TEXT NOT NULL,                    -- RFC 3339 UTC
    used_at    TEXT                              -- RFC 3339 UTC; NULL while unused
) STRICT;
CREATE INDEX user_links_user ON user_links (username);
