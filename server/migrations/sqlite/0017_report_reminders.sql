-- When the member was reminded to report an accepted seat whose slot had ended (once).
ALTER TABLE dispatch_assignments ADD COLUMN report_reminded_at TEXT;

-- A report filed through the member's personal link has no account behind it: the version's
-- author is then the report's member. SQLite cannot drop NOT NULL in place, so the table is
-- rebuilt with its rows.
CREATE TABLE daily_report_versions_new (
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
    changed_by INTEGER REFERENCES accounts (id),
    changed_at TEXT NOT NULL,
    PRIMARY KEY (report_id, version)
);
INSERT INTO daily_report_versions_new
    SELECT report_id, version, status, starts_at, ends_at, break_minutes, duties, counts, notes,
           comment, changed_by, changed_at
    FROM daily_report_versions;
DROP TABLE daily_report_versions;
ALTER TABLE daily_report_versions_new RENAME TO daily_report_versions;
