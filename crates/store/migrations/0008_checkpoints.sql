-- Issue 12 item 5, truncation is detectable: checkpoints signed by PEER nodes (node-local,
-- never events). Each says "I, node key `node` of party `party`, hold the shared log up to
-- `heads` (`count` events with their ancestors), at `at`"; the newest per signing node is
-- kept. `lajna verify` fails when a head a peer signed for is not in `events`.
CREATE TABLE checkpoints (
    node        TEXT PRIMARY KEY,                 -- signing node key, hex
    party       TEXT NOT NULL,                    -- its party
    at          TEXT NOT NULL,                    -- signer's time, RFC 3339 UTC
    count       INTEGER NOT NULL,                 -- events in the heads and their ancestors
    heads       TEXT NOT NULL,                    -- JSON array of event ids
    statement   TEXT NOT NULL,                    -- RFC 8785 JSON, exactly as signed
    signature   TEXT NOT NULL,                    -- Ed25519, hex
    via         TEXT NOT NULL,                    -- http, bundle-import
    received_at TEXT NOT NULL                     -- this node's clock, UTC
) STRICT;
