-- Issue 16 item 2 (case C16): sessions end when the user's credentials or authority change.
-- Every change of a user's password, role, clearance or disabled flag adds one to its
-- auth_epoch and, in the same transaction, deletes the sessions it ends; a session carries the
-- epoch of the user row its sign-in checked, and is valid only while the two are equal (so a
-- sign-in that checked the old password while the change committed cannot outlive it).
ALTER TABLE users ADD COLUMN auth_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN auth_epoch INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_user ON sessions (username);
