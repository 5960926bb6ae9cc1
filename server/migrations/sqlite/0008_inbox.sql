-- The inbox: messages to one account, written in the same transaction as the change that
-- causes them. Text is stored in the recipient's language.
CREATE TABLE inbox_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    subject_kind TEXT,
    subject_id INTEGER,
    read_at TEXT,
    created_at TEXT NOT NULL
);
-- An account's messages newest first, and its unread ones (the count and the unread filter).
CREATE INDEX inbox_messages_account ON inbox_messages (account_id, created_at, id);
CREATE INDEX inbox_messages_unread ON inbox_messages (account_id, created_at, id) WHERE read_at IS NULL;
