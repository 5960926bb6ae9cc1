-- The language of each queued e-mail, so the lines added when it is sent (the opt-out footer)
-- are in the recipient's language like its text.
ALTER TABLE mail_outbox ADD COLUMN lang TEXT NOT NULL DEFAULT 'ja';
