-- Issue 14: reminders and notifications (node-local, never events; each node notifies only its
-- own party's users).
--
-- Each user's language (ar | fr | en), time zone (a tz-database name, checked against the
-- bundled database by the node), e-mail address ('' when none) and preferences (JSON object:
-- trigger code -> false to turn that trigger off; '{}' = every trigger on).
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'fr';
ALTER TABLE users ADD COLUMN tz TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN prefs TEXT NOT NULL DEFAULT '{}';

-- One row per notification, ever: the key (trigger, record, version, recipient) is unique, so a
-- restart, a retry or a second tick cannot make the same one twice.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    trigger    TEXT NOT NULL,                    -- due-soon | due-now | overdue | endorse | minutes-late | new-action | peer-silent | digest
    record     TEXT NOT NULL,                    -- record id ('' for the digest and the peer)
    version    TEXT NOT NULL,                    -- what makes it new: due date + window, record version, ISO week…
    recipient  TEXT NOT NULL,                    -- username
    created_at TEXT NOT NULL,                    -- RFC 3339 UTC, the tick's clock
    read_at    TEXT,                             -- RFC 3339 UTC; NULL while unread
    UNIQUE (trigger, record, version, recipient)
) STRICT;
CREATE INDEX notifications_recipient ON notifications (recipient, id);

-- The e-mail of a notification, when its recipient has an address: sent once, retried with
-- backoff, dead-lettered after a limit. `sent_at` set = done; `dead_at` set = given up.
CREATE TABLE outbox (
    notification INTEGER PRIMARY KEY REFERENCES notifications (id),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT NOT NULL,                  -- RFC 3339 UTC
    last_error   TEXT NOT NULL DEFAULT '',
    sent_at      TEXT,
    dead_at      TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox (next_attempt) WHERE sent_at IS NULL AND dead_at IS NULL;
