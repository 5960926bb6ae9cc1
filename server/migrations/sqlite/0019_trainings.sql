-- Trainings (研修): the admin's national ones and each prefecture's own, their sessions, the
-- members each has told of it (so publishing again tells nobody twice), and the applications
-- with their decisions. Professions are comma-separated codes, as elsewhere.
CREATE TABLE trainings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The organiser; a prefecture's own training names its prefecture, a national one none.
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    prefecture_code TEXT,
    title TEXT NOT NULL,
    title_fold TEXT NOT NULL,
    description TEXT NOT NULL,
    target_professions TEXT NOT NULL,
    min_experience_years INTEGER,
    delivery TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    applications_open TEXT NOT NULL,
    applications_close TEXT NOT NULL,
    completion TEXT NOT NULL,
    certificate_scheme TEXT NOT NULL,
    -- The next certificate sequence number: taken under the row's write lock, so numbers
    -- have no gap and are never reused.
    next_certificate INTEGER NOT NULL DEFAULT 1,
    honorarium TEXT NOT NULL,
    honorarium_yen INTEGER,
    -- draft | published | closed | held | completed | cancelled
    status TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT,
    cancelled_at TEXT,
    cancel_reason TEXT
);
CREATE INDEX trainings_prefecture ON trainings (prefecture_code, status, id);
CREATE INDEX trainings_status ON trainings (status, id);

CREATE TABLE training_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    training_id INTEGER NOT NULL REFERENCES trainings (id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL,
    url TEXT,
    CHECK (ends_at > starts_at)
);
CREATE INDEX training_sessions_training ON training_sessions (training_id, starts_at);

-- Who was told of a training, once each.
CREATE TABLE training_notices (
    training_id INTEGER NOT NULL REFERENCES trainings (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    notified_at TEXT NOT NULL,
    PRIMARY KEY (training_id, member_id)
);

-- A member's application and the organiser's decision (applied | approved | waitlisted |
-- rejected | withdrawn); completion and the certificate number once issued.
CREATE TABLE training_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    training_id INTEGER NOT NULL REFERENCES trainings (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    status TEXT NOT NULL,
    reason TEXT,
    applied_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by INTEGER REFERENCES accounts (id),
    completed_at TEXT,
    certificate_seq INTEGER,
    certificate_number TEXT,
    UNIQUE (training_id, member_id),
    UNIQUE (training_id, certificate_seq)
);
CREATE INDEX training_applications_member ON training_applications (member_id, training_id);
CREATE INDEX training_applications_status ON training_applications (training_id, status);

-- Who attended each session, as the organiser records it.
CREATE TABLE training_attendance (
    application_id INTEGER NOT NULL REFERENCES training_applications (id),
    session_id INTEGER NOT NULL REFERENCES training_sessions (id),
    attended INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES accounts (id),
    PRIMARY KEY (application_id, session_id)
);

-- A member's training history holds its completions here too, linked to the training.
ALTER TABLE member_trainings ADD COLUMN training_id INTEGER REFERENCES trainings (id);
CREATE UNIQUE INDEX member_trainings_training ON member_trainings (training_id, member_id);

-- Honorarium payments (謝金): one a completed participant, with every change kept.
CREATE TABLE training_payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id INTEGER NOT NULL UNIQUE REFERENCES training_applications (id),
    training_id INTEGER NOT NULL REFERENCES trainings (id),
    amount_yen INTEGER NOT NULL CHECK (amount_yen >= 0),
    -- due | paid | waived
    status TEXT NOT NULL,
    method TEXT,
    paid_on TEXT,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX training_payments_training ON training_payments (training_id, status);
CREATE INDEX training_payments_paid ON training_payments (paid_on);

CREATE TABLE training_payment_events (
    payment_id INTEGER NOT NULL REFERENCES training_payments (id),
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    amount_yen INTEGER NOT NULL,
    method TEXT,
    paid_on TEXT,
    note TEXT NOT NULL,
    changed_by INTEGER REFERENCES accounts (id)
);
CREATE INDEX training_payment_events_payment ON training_payment_events (payment_id, at);
