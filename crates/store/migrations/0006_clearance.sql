-- Issue 6: users' clearance and an append-only audit trail (DESIGN.md §6).
-- A user sees a marked record only with enough clearance and a party in its releasability.
ALTER TABLE users ADD COLUMN clearance TEXT NOT NULL DEFAULT 'UNCLASSIFIED'; -- UNCLASSIFIED | RESTRICTED | CONFIDENTIAL | SECRET

-- The audit trail names the party whose co-chair and secretary may read a line, and the record
-- a view, download or export was about. Lines are never changed or removed.
ALTER TABLE audit ADD COLUMN party TEXT NOT NULL DEFAULT '';   -- ISO 3166 alpha-3 of the user, '' when unknown
ALTER TABLE audit ADD COLUMN record TEXT NOT NULL DEFAULT '';  -- record id, '' when none
CREATE INDEX audit_party ON audit (party, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'append-only: audit lines cannot be updated'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'append-only: audit lines cannot be deleted'); END;
