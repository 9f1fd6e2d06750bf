-- Issue 11: a counter of the changes to what a session lookup reads (users, sessions,
-- notifications), moved by triggers whichever process writes (the server, the CLI, a restore
-- tool). The store reads it with the logs' highest `seq`s each time it looks at the database,
-- so a node may keep live sessions in memory and still see a user disabled or a session ended
-- by another process at its next look. Only ever grows.
CREATE TABLE local_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO local_version (id, n) VALUES (1, 0);

CREATE TRIGGER users_version_insert AFTER INSERT ON users BEGIN UPDATE local_version SET n = n + 1; END;
CREATE TRIGGER users_version_update AFTER UPDATE ON users BEGIN UPDATE local_version SET n = n + 1; END;
CREATE TRIGGER users_version_delete AFTER DELETE ON users BEGIN UPDATE local_version SET n = n + 1; END;
CREATE TRIGGER sessions_version_insert AFTER INSERT ON sessions BEGIN UPDATE local_version SET n = n + 1; END;
CREATE TRIGGER sessions_version_update AFTER UPDATE ON sessions BEGIN UPDATE local_version SET n = n + 1; END;
CREATE TRIGGER sessions_version_delete AFTER DELETE ON sessions BEGIN UPDATE local_version SET n = n + 1; END;
CREATE TRIGGER notifications_version_insert AFTER INSERT ON notifications BEGIN UPDATE local_version SET n = n + 1; END;
CREATE TRIGGER notifications_version_update AFTER UPDATE ON notifications BEGIN UPDATE local_version SET n = n + 1; END;
CREATE TRIGGER notifications_version_delete AFTER DELETE ON notifications BEGIN UPDATE local_version SET n = n + 1; END;
