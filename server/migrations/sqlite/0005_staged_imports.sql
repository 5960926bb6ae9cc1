-- Imports being loaded: their members are written in short batches with ids reserved in
-- [first_member_id, last_member_id], and every read leaves that range out until the import
-- is published, which deletes its row here. An import whose heartbeat stopped (its server
-- died half-way) is deleted with its rows by the next import or start.
CREATE TABLE member_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    first_member_id INTEGER NOT NULL,
    last_member_id INTEGER NOT NULL,
    heartbeat_at TEXT NOT NULL
);
