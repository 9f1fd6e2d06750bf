-- What this node knows of its peers (node-local): their last known heads, the last exchange,
-- and the nonces of signed sync requests already accepted (replay protection).
CREATE TABLE peers (
    party              TEXT PRIMARY KEY,
    heads              TEXT NOT NULL DEFAULT '[]',   -- JSON array of event ids
    last_sync_at       TEXT,
    last_direction     TEXT,                          -- http-pull, http-push, bundle-import, bundle-export
    received           INTEGER NOT NULL DEFAULT 0,
    refused            INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT,
    clock_skew_seconds INTEGER
) STRICT;

CREATE TABLE sync_nonces (
    nonce TEXT PRIMARY KEY,
    node  TEXT NOT NULL,
    at    TEXT NOT NULL
) STRICT;
CREATE INDEX sync_nonces_at ON sync_nonces (at);
