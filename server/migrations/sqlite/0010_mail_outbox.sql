-- The e-mail outbox: one row per message to a member, written in the transaction of the notice
-- that causes it and delivered by a worker. The address is resolved when delivering.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members (id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- The Message-ID header, fixed at enqueue, so a repeat after a crash is recognisable.
    message_id TEXT NOT NULL UNIQUE,
    -- queued | sending | sent | failed
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    leased_by TEXT,
    last_error TEXT,
    sent_at TEXT,
    -- The organisation whose action caused the message (the scope of the outbox view).
    origin_organisation_id INTEGER REFERENCES organisations (id),
    created_at TEXT NOT NULL
);
-- Claiming: due queued messages, and sending ones whose lease ran out.
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at, id);
CREATE INDEX mail_outbox_origin ON mail_outbox (origin_organisation_id, created_at, id);
-- An address whose server refused a message permanently; cleared when the address changes.
ALTER TABLE members ADD COLUMN email_bouncing_at TEXT;
