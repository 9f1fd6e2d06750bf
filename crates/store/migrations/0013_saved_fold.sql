-- Issue 11 item 4: the in-memory fold saved as of a position of both logs, so that opening a store
-- folds only the events after it instead of the whole log. Derived data, like the projections:
-- `rebuild` rewrites it from the log, `verify` compares the fold opened from it with a fold of
-- the whole log, and a row of another format, or whose position the log no longer holds (the
-- event at `shared_seq` is not `shared_id`), is ignored. One row, replaced whole.
CREATE TABLE saved_fold (
    one         INTEGER PRIMARY KEY CHECK (one = 1),
    format      TEXT    NOT NULL,  -- the fold's format (`FOLD_FORMAT` of the binary that wrote it)
    shared_seq  INTEGER NOT NULL,  -- last `events.seq` folded
    shared_id   TEXT    NOT NULL,  -- its event id ('' at 0)
    private_seq INTEGER NOT NULL,  -- last `private_events.seq` folded
    private_id  TEXT    NOT NULL,
    state       BLOB    NOT NULL,  -- `State::saved`: JSON
    dag         BLOB    NOT NULL,  -- every event's id, clock and parents (store `dag.rs`)
    heads       BLOB    NOT NULL   -- shared heads, private heads, private ids: counted 32-byte ids
) STRICT;

-- The few events a key rule reads (`Trust::admit`), found without reading the log.
CREATE INDEX events_trust ON events (seq)
    WHERE kind IN ('ledger.genesis', 'ledger.key_certified', 'ledger.key_revoked');
