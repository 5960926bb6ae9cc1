-- Foundation: organisations, accounts, sessions, login throttling, audit log.
-- Timestamps are RFC 3339 UTC text written by the server, so text order is time order.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    prefecture_code TEXT,
    municipality_code TEXT UNIQUE,
    parent_id INTEGER REFERENCES organisations (id),
    institution_kind TEXT,
    partner_kind TEXT,
    professions TEXT NOT NULL DEFAULT '',
    seed_key TEXT UNIQUE,
    created_at TEXT NOT NULL
);
CREATE INDEX organisations_prefecture ON organisations (prefecture_code, kind);
CREATE INDEX organisations_parent ON organisations (parent_id);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    search_fold TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    password_hash TEXT NOT NULL,
    disabled_at TEXT,
    password_changed_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts (id)
);
CREATE INDEX accounts_organisation ON accounts (organisation_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip TEXT
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_id INTEGER,
    actor_login TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    request_id TEXT,
    ip TEXT,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
