-- Erasure that erases everything: history and audit entries name people by account id, and
-- the login shown with them is joined when read, so anonymising a member's record and account
-- erases it everywhere. Copies of a person's values made before are resolved or removed here.

-- Membership history: the acting account by id. A login that no account has any more is the
-- applicant's own, replaced when its record was anonymised.
ALTER TABLE membership_events ADD COLUMN actor_id INTEGER REFERENCES accounts (id);
UPDATE membership_events SET actor_id = (SELECT a.id FROM accounts a WHERE a.login = membership_events.actor_login)
WHERE actor_login IS NOT NULL;
UPDATE membership_events SET actor_id = (
    SELECT m.account_id FROM memberships ms JOIN members m ON m.id = ms.member_id
    WHERE ms.id = membership_events.membership_id AND m.anonymised_at IS NOT NULL)
WHERE actor_id IS NULL AND actor_login IS NOT NULL;
ALTER TABLE membership_events DROP COLUMN actor_login;

-- Anonymised records lose their registration code too.
UPDATE members SET registration_code = NULL WHERE anonymised_at IS NOT NULL;

-- The audit log is append-only; this migration alone rewrites the copies in it, inside its
-- own transaction, and restores the triggers before it commits. Entries stay, with their
-- times, actions, actors and targets.
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;

UPDATE audit_log SET actor_id = (SELECT a.id FROM accounts a WHERE a.login = audit_log.actor_login)
WHERE actor_id IS NULL AND actor_login IS NOT NULL;
ALTER TABLE audit_log DROP COLUMN actor_login;

-- Failed logins name the account tried by id; the typed login goes.
UPDATE audit_log SET target_id = (
    SELECT CAST(a.id AS TEXT) FROM accounts a WHERE a.login = lower(trim(json_extract(audit_log.detail, '$.login'))))
WHERE action LIKE 'session.login\_%' ESCAPE '\' AND target_id IS NULL AND json_valid(detail);
UPDATE audit_log SET detail = json_object('known_login', json(CASE WHEN target_id IS NULL THEN 'false' ELSE 'true' END))
WHERE action LIKE 'session.login\_%' ESCAPE '\';
UPDATE audit_log SET detail = json_remove(detail, '$.login') WHERE action = 'account.create' AND json_valid(detail);

-- Notes: how long, not what they said.
UPDATE audit_log SET detail = json_object('notes', json_object(
    'from_chars', length(json_extract(detail, '$.notes.from')),
    'to_chars', length(json_extract(detail, '$.notes.to'))))
WHERE action = 'member.update_notes' AND json_valid(detail);

-- Searches: the length of the free text, not the text.
UPDATE audit_log SET detail = json_set(detail,
    '$.q_chars', length(json_extract(detail, '$.filter.q')),
    '$.filter.q', json('null'))
WHERE action IN ('member.list', 'member.export') AND json_valid(detail);

-- Decisions and withdrawals: reasons stay in the membership history (erased with the record),
-- registration codes on the record.
UPDATE audit_log SET detail = json_set(json_remove(detail, '$.reason', '$.registration_code'),
    '$.code_issued', json(CASE WHEN json_extract(detail, '$.registration_code') IS NULL THEN 'false' ELSE 'true' END))
WHERE action IN ('membership.decide', 'member.create_managed') AND json_valid(detail);
UPDATE audit_log SET detail = json_remove(detail, '$.reason') WHERE action = 'member.withdraw' AND json_valid(detail);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
