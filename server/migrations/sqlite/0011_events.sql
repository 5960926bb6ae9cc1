-- Live updates: one row per change a stream reports, written in the transaction of the change
-- (so an event exists iff its change committed). The audience columns are what the scope
-- check of each listener reads: the recipient account of an inbox message, the member of a
-- member event (its memberships decide who sees it, as in the roster). Pruned after a while.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    subject_kind TEXT,
    subject_id INTEGER,
    account_id INTEGER,
    member_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX events_created ON events (created_at);
-- Every inbox message is an event for its recipient, whoever writes it.
CREATE TRIGGER inbox_messages_event AFTER INSERT ON inbox_messages
BEGIN
    INSERT INTO events (kind, subject_kind, subject_id, account_id, created_at)
    VALUES ('inbox_message', 'inbox_message', NEW.id, NEW.account_id, NEW.created_at);
END;
