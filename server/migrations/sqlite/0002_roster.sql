-- The roster: members, their licences and tags, memberships per prefecture with history and
-- availability, completed trainings, and invitations for a prefecture's own professionals.
-- Dates are ISO text (YYYY-MM-DD); timestamps RFC 3339 UTC text, as in the foundation.

CREATE TABLE members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER UNIQUE REFERENCES accounts (id),
    registration_code TEXT UNIQUE,
    managed_by TEXT,
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL,
    kana_fold TEXT NOT NULL,
    birth_date TEXT,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    prefecture_code TEXT NOT NULL,
    municipality_code TEXT NOT NULL,
    municipality_name TEXT NOT NULL,
    street TEXT NOT NULL,
    professions TEXT NOT NULL,
    experience_years INTEGER NOT NULL,
    experience_fields TEXT NOT NULL,
    languages TEXT NOT NULL,
    notes TEXT NOT NULL,
    search_fold TEXT NOT NULL,
    last_dispatch_on TEXT,
    terms_version TEXT,
    terms_accepted_at TEXT,
    withdrawn_at TEXT,
    anonymised_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX members_kana ON members (kana_fold, id);
CREATE INDEX members_municipality ON members (municipality_code);
CREATE INDEX members_withdrawn ON members (withdrawn_at);

CREATE TABLE member_licences (
    member_id INTEGER NOT NULL REFERENCES members (id),
    profession TEXT NOT NULL,
    number TEXT NOT NULL,
    licensed_on TEXT NOT NULL,
    PRIMARY KEY (member_id, profession)
);
CREATE INDEX member_licences_profession ON member_licences (profession, member_id);

-- Experience fields and languages, one row per code, for indexed filtering.
CREATE TABLE member_tags (
    member_id INTEGER NOT NULL REFERENCES members (id),
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (member_id, kind, code)
);
CREATE INDEX member_tags_code ON member_tags (kind, code, member_id);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members (id),
    prefecture_code TEXT NOT NULL,
    status TEXT NOT NULL,
    managed INTEGER NOT NULL,
    recheck_needed INTEGER NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (member_id, prefecture_code)
);
CREATE INDEX memberships_prefecture ON memberships (prefecture_code, status, member_id);

CREATE TABLE membership_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    membership_id INTEGER NOT NULL REFERENCES memberships (id),
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    actor_login TEXT
);
CREATE INDEX membership_events_membership ON membership_events (membership_id, at);

CREATE TABLE availability (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    membership_id INTEGER NOT NULL REFERENCES memberships (id),
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    on_site INTEGER NOT NULL,
    remote INTEGER NOT NULL,
    phone INTEGER NOT NULL
);
CREATE INDEX availability_membership ON availability (membership_id);
CREATE INDEX availability_dates ON availability (from_date, to_date);

CREATE TABLE member_trainings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES members (id),
    title TEXT NOT NULL,
    title_fold TEXT NOT NULL,
    completed_on TEXT NOT NULL,
    certificate_number TEXT
);
CREATE INDEX member_trainings_member ON member_trainings (member_id);

CREATE TABLE member_invitations (
    token_hash TEXT PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    created_by INTEGER REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX member_invitations_member ON member_invitations (member_id);
