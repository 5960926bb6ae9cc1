-- A member can opt out of newsletters and general bulk mail (never of dispatch requests, formal
-- requests or training decisions). The token is the member's one-click opt-out link; it is
-- issued with the first message that carries the link.
ALTER TABLE members ADD COLUMN mail_opt_out_at TEXT;
ALTER TABLE members ADD COLUMN mail_opt_out_token TEXT;
CREATE UNIQUE INDEX members_mail_opt_out_token ON members (mail_opt_out_token);
