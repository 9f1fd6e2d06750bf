-- Calendar feed tokens (issue 4, "Calendar"): node-local like sessions, never events. A calendar
-- client cannot sign in, so the feed URL carries a secret token; only its BLAKE3 hash is kept,
-- so a stolen database holds no usable feed URL. Revoking keeps the row (who had a feed, and
-- when it ended); a revoked token is never accepted again.
CREATE TABLE feed_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,          -- shown to the user to name a feed; not a secret
    token_hash TEXT NOT NULL UNIQUE,                       -- BLAKE3 (hex) of the token in the URL
    username   TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    created_at TEXT NOT NULL,                              -- RFC 3339 UTC
    revoked_at TEXT                                        -- RFC 3339 UTC; NULL while the feed works
) STRICT;
CREATE INDEX feed_tokens_user ON feed_tokens (username, id);
