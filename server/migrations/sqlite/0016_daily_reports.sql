-- Daily reports (日報): one per accepted seat, what the member did there. The request, the
-- member and the actual times are copied so that scope, overlap and totals read one table.
-- `counts` holds `duty:n` pairs, comma-separated.
CREATE TABLE daily_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment_id INTEGER NOT NULL UNIQUE REFERENCES dispatch_assignments (id),
    request_id INTEGER NOT NULL REFERENCES dispatch_requests (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    break_minutes INTEGER NOT NULL,
    duties TEXT NOT NULL,
    counts TEXT NOT NULL,
    notes TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    comment TEXT,
    submitted_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX daily_reports_member ON daily_reports (member_id, starts_at);
CREATE INDEX daily_reports_request ON daily_reports (request_id, status);

-- Every version of a report as it stood after each change, and who made it.
CREATE TABLE daily_report_versions (
    report_id INTEGER NOT NULL REFERENCES daily_reports (id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    break_minutes INTEGER NOT NULL,
    duties TEXT NOT NULL,
    counts TEXT NOT NULL,
    notes TEXT NOT NULL,
    comment TEXT,
    changed_by INTEGER NOT NULL REFERENCES accounts (id),
    changed_at TEXT NOT NULL,
    PRIMARY KEY (report_id, version)
);
