-- Erasure that erases everything: history and audit entries name people by account id, and
-- the login shown with them is joined when read, so anonymising a member's record and account
-- erases it everywhere. Copies of a person's values made before are resolved or removed here.

-- Membership history: the acting account by id. A login that no account has any more is the
-- applicant's own, replaced when its record was anonymised.
ALTER TABLE membership_events ADD COLUMN actor_id BIGINT REFERENCES accounts (id);
UPDATE membership_events e SET actor_id = a.id FROM accounts a
WHERE e.actor_login IS NOT NULL AND a.login = e.actor_login;
UPDATE membership_events e SET actor_id = m.account_id FROM memberships ms JOIN members m ON m.id = ms.member_id
WHERE ms.id = e.membership_id AND m.anonymised_at IS NOT NULL AND e.actor_id IS NULL AND e.actor_login IS NOT NULL;
ALTER TABLE membership_events DROP COLUMN actor_login;

-- Anonymised records lose their registration code too.
UPDATE members SET registration_code = NULL WHERE anonymised_at IS NOT NULL;

-- The audit log is append-only; this migration alone rewrites the copies in it, inside its
-- own transaction, and enables the trigger again before it commits. Entries stay, with their
-- times, actions, actors and targets.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;

UPDATE audit_log l SET actor_id = a.id FROM accounts a
WHERE l.actor_id IS NULL AND l.actor_login IS NOT NULL AND a.login = l.actor_login;
ALTER TABLE audit_log DROP COLUMN actor_login;

-- Failed logins name the account tried by id; the typed login goes.
UPDATE audit_log l SET target_id = a.id::text FROM accounts a
WHERE l.action LIKE 'session.login\_%' AND l.target_id IS NULL AND l.detail IS NOT NULL
  AND a.login = lower(btrim(l.detail::jsonb ->> 'login'));
UPDATE audit_log SET detail = jsonb_build_object('known_login', target_id IS NOT NULL)::text
WHERE action LIKE 'session.login\_%';
UPDATE audit_log SET detail = (detail::jsonb - 'login')::text WHERE action = 'account.create' AND detail IS NOT NULL;

-- Notes: how long, not what they said.
UPDATE audit_log SET detail = jsonb_build_object('notes', jsonb_build_object(
    'from_chars', char_length(detail::jsonb #>> '{notes,from}'),
    'to_chars', char_length(detail::jsonb #>> '{notes,to}')))::text
WHERE action = 'member.update_notes' AND detail IS NOT NULL;

-- Searches: the length of the free text, not the text.
UPDATE audit_log SET detail = (
    jsonb_set(detail::jsonb, '{filter,q}', 'null'::jsonb)
    || jsonb_build_object('q_chars', char_length(detail::jsonb #>> '{filter,q}')))::text
WHERE action IN ('member.list', 'member.export') AND detail IS NOT NULL AND detail::jsonb ? 'filter';

-- Decisions and withdrawals: reasons stay in the membership history (erased with the record),
-- registration codes on the record.
UPDATE audit_log SET detail = (
    (detail::jsonb - 'reason' - 'registration_code')
    || jsonb_build_object('code_issued', detail::jsonb ->> 'registration_code' IS NOT NULL))::text
WHERE action IN ('membership.decide', 'member.create_managed') AND detail IS NOT NULL;
UPDATE audit_log SET detail = (detail::jsonb - 'reason')::text WHERE action = 'member.withdraw' AND detail IS NOT NULL;

ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;
