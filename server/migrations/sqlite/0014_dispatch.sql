-- Dispatch requests (派遣要請): a request of a prefecture or city, its slots, the members it
-- asked (each with a personal answer link) and their answers per slot, and the assignments of
-- the shift plan. Timestamps are RFC 3339 UTC text, as everywhere.
CREATE TABLE dispatch_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The requesting prefecture or city, and the prefecture whose roster is asked.
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    prefecture_code TEXT NOT NULL,
    health_centre_id INTEGER NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    title_fold TEXT NOT NULL,
    -- Duty codes, comma-separated.
    duties TEXT NOT NULL,
    other_duty TEXT NOT NULL,
    notes TEXT NOT NULL,
    answer_deadline TEXT NOT NULL,
    -- draft | sent | planning | confirmed | closed | cancelled
    status TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    cancelled_at TEXT,
    cancel_reason TEXT,
    reminder_round INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX dispatch_requests_prefecture ON dispatch_requests (prefecture_code, status, id);
CREATE INDEX dispatch_requests_organisation ON dispatch_requests (organisation_id, id);

CREATE TABLE dispatch_slots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES dispatch_requests (id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    needed INTEGER NOT NULL CHECK (needed > 0),
    -- Profession codes, comma-separated; empty: anyone.
    professions TEXT NOT NULL,
    cancelled_at TEXT,
    CHECK (ends_at > starts_at)
);
CREATE INDEX dispatch_slots_request ON dispatch_slots (request_id, starts_at);

-- One row per member asked. The answer token opens the member's answer page until the
-- deadline; it is stored as the link carries it (the e-mail is rendered when delivered).
CREATE TABLE dispatch_asks (
    request_id INTEGER NOT NULL REFERENCES dispatch_requests (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    answer_token TEXT NOT NULL UNIQUE,
    asked_at TEXT NOT NULL,
    asked_by INTEGER REFERENCES accounts (id),
    answered_at TEXT,
    note TEXT NOT NULL DEFAULT '',
    reminded_round INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (request_id, member_id)
);
CREATE INDEX dispatch_asks_member ON dispatch_asks (member_id, request_id);

CREATE TABLE dispatch_answers (
    slot_id INTEGER NOT NULL REFERENCES dispatch_slots (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    request_id INTEGER NOT NULL REFERENCES dispatch_requests (id),
    available INTEGER NOT NULL,
    duties TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (slot_id, member_id)
);
CREATE INDEX dispatch_answers_request ON dispatch_answers (request_id, member_id);

-- The shift plan: who is in which slot. `planned` is the operator's draft; `requested` a
-- formal request sent; `accepted` or `declined` the member's decision; `removed` taken off.
-- The slot's times are copied so that double booking can be refused by the database.
CREATE TABLE dispatch_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slot_id INTEGER NOT NULL REFERENCES dispatch_slots (id),
    request_id INTEGER NOT NULL REFERENCES dispatch_requests (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    status TEXT NOT NULL,
    decline_reason TEXT,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    UNIQUE (slot_id, member_id)
);
CREATE INDEX dispatch_assignments_member ON dispatch_assignments (member_id, starts_at);
CREATE INDEX dispatch_assignments_request ON dispatch_assignments (request_id, slot_id);
-- A member is never committed (asked formally or accepted) to two overlapping slots. SQLite
-- has one writer, so the check and the write cannot interleave.
CREATE TRIGGER dispatch_assignments_no_overlap_insert BEFORE INSERT ON dispatch_assignments
WHEN NEW.status IN ('requested', 'accepted')
BEGIN
    SELECT RAISE(ABORT, 'dispatch_assignments_no_overlap')
    WHERE EXISTS (SELECT 1 FROM dispatch_assignments o
        WHERE o.member_id = NEW.member_id AND o.status IN ('requested', 'accepted')
          AND o.starts_at < NEW.ends_at AND NEW.starts_at < o.ends_at);
END;
CREATE TRIGGER dispatch_assignments_no_overlap_update BEFORE UPDATE ON dispatch_assignments
WHEN NEW.status IN ('requested', 'accepted')
BEGIN
    SELECT RAISE(ABORT, 'dispatch_assignments_no_overlap')
    WHERE EXISTS (SELECT 1 FROM dispatch_assignments o
        WHERE o.member_id = NEW.member_id AND o.id <> NEW.id AND o.status IN ('requested', 'accepted')
          AND o.starts_at < NEW.ends_at AND NEW.starts_at < o.ends_at);
END;

-- The record an e-mail is about, so a personal link (a dispatch answer page) can be added
-- when it is delivered.
ALTER TABLE mail_outbox ADD COLUMN subject_kind TEXT;
ALTER TABLE mail_outbox ADD COLUMN subject_id INTEGER;
