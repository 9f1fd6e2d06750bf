-- The record: signed events, stored byte for byte as received (DESIGN.md §4 invariant 10).
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT, -- local arrival order, never sent
    id         TEXT    NOT NULL UNIQUE,           -- BLAKE3 of envelope, hex
    lamport    INTEGER NOT NULL,
    party      TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    at         TEXT    NOT NULL,                  -- author time, RFC 3339 UTC, informational
    envelope   BLOB    NOT NULL,                  -- exact RFC 8785 bytes that were signed
    sigs       TEXT    NOT NULL,                  -- JSON array [{key, sig}]
    received_at TEXT   NOT NULL                   -- this node's clock, UTC
) STRICT;
CREATE INDEX events_order ON events (lamport, id);

-- Invariant 1: the database itself refuses to change the log.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'append-only: events cannot be updated'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'append-only: events cannot be deleted'); END;

-- Events whose parents are not stored yet (invariant 2): kept aside, not applied.
CREATE TABLE pending (
    id          TEXT PRIMARY KEY,
    event       TEXT NOT NULL,                    -- SignedEvent wire JSON
    received_at TEXT NOT NULL
) STRICT;

-- Projections: derived data, rebuilt by refolding the log (invariant 8).
CREATE TABLE records (
    id   TEXT PRIMARY KEY,                        -- id of the creating event
    kind TEXT NOT NULL,
    doc  TEXT NOT NULL                            -- canonical JSON of the record document
) STRICT;
CREATE INDEX records_kind ON records (kind, id);

CREATE TABLE committee (
    id      TEXT PRIMARY KEY,                     -- genesis id
    charter TEXT NOT NULL                         -- canonical JSON of the charter
) STRICT;
