-- Utilisation tables at national scale read ranges of time, not whole tables.
--
-- The series counts the memberships registered and the approvals decided in each week or
-- month of a period: both are read from the period's range, with what the caller's scope
-- asks of them in the index.
CREATE INDEX memberships_registered ON memberships (created_at, prefecture_code, status, member_id);
CREATE INDEX membership_events_decided ON membership_events (status, at, membership_id);
-- Capacity ahead reads the answers and seats of the slots starting in the next days; the
-- series and the period tables the slots of a period.
CREATE INDEX dispatch_slots_starts ON dispatch_slots (starts_at);
