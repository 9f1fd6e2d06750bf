-- A party's private log (DESIGN.md §4 invariant 9): events of private kinds (internal notes),
-- signed like any other, never offered to the peer (sync and bundles read only `events`), and
-- their projections. Append-only like the shared log.
CREATE TABLE private_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT    NOT NULL UNIQUE,
    lamport     INTEGER NOT NULL,
    party       TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    envelope    BLOB    NOT NULL,
    sigs        TEXT    NOT NULL,
    received_at TEXT    NOT NULL
) STRICT;
CREATE TRIGGER private_events_no_update BEFORE UPDATE ON private_events
BEGIN SELECT RAISE(ABORT, 'append-only: events cannot be updated'); END;
CREATE TRIGGER private_events_no_delete BEFORE DELETE ON private_events
BEGIN SELECT RAISE(ABORT, 'append-only: events cannot be deleted'); END;

CREATE TABLE private_records (
    id    TEXT PRIMARY KEY,
    kind  TEXT NOT NULL,
    party TEXT NOT NULL,                          -- the only party whose users may read it
    doc   TEXT NOT NULL
) STRICT;
CREATE INDEX private_records_party ON private_records (party, kind, id);
