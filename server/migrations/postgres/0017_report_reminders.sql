-- When the member was reminded to report an accepted seat whose slot had ended (once).
ALTER TABLE dispatch_assignments ADD COLUMN report_reminded_at TIMESTAMPTZ;

-- A report filed through the member's personal link has no account behind it: the version's
-- author is then the report's member.
ALTER TABLE daily_report_versions ALTER COLUMN changed_by DROP NOT NULL;
