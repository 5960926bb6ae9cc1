-- Bulk mails: one row per send, with its filter, text, author and how many it reached. A send
-- is once per (author, idempotency key): the unique index stops a concurrent duplicate.
CREATE TABLE bulk_mails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author_account_id INTEGER NOT NULL REFERENCES accounts (id),
    organisation_id INTEGER REFERENCES organisations (id),
    idempotency_key TEXT NOT NULL,
    -- The filter as given, as JSON text.
    filter TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    recipients INTEGER NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE UNIQUE INDEX bulk_mails_key ON bulk_mails (author_account_id, idempotency_key);
CREATE INDEX bulk_mails_history ON bulk_mails (organisation_id, sent_at, id);
-- Newsletter issues: drafted, then sent once to the publisher's subscribers.
CREATE TABLE newsletter_issues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER REFERENCES organisations (id),
    author_account_id INTEGER NOT NULL REFERENCES accounts (id),
    -- draft | sent
    status TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    recipients INTEGER
);
CREATE INDEX newsletter_issues_history ON newsletter_issues (organisation_id, created_at, id);
