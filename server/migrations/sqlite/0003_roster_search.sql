-- Roster search at national scale.
--
-- Members still on record, in kana order: counts of a whole roster and the walk that finds the
-- first page of a large one read this narrow index instead of whole rows.
CREATE INDEX members_live_kana ON members (kana_fold, id) WHERE anonymised_at IS NULL;

-- The few anonymised members, so that a prefecture's roster is counted from its memberships.
CREATE INDEX members_anonymised ON members (id) WHERE anonymised_at IS NOT NULL;

-- Availability is always checked per membership: dates and ways in the index too.
CREATE INDEX availability_membership_dates
    ON availability (membership_id, from_date, to_date, on_site, remote, phone);
DROP INDEX availability_membership;

-- Free text: every character and every pair of neighbouring characters on each line of
-- members.search_fold, kept by the triggers below. Any text that contains a search term
-- contains the term's characters (one-character term) or pairs, so the search reads only
-- members holding them and then checks LIKE on those: names are mostly two kanji, which
-- trigram indexes cannot serve.
CREATE TABLE member_search_grams (
    gram TEXT NOT NULL,
    member_id INTEGER NOT NULL,
    PRIMARY KEY (gram, member_id)
) WITHOUT ROWID;

-- Character positions 1..40000 for the triggers (which cannot use recursive queries); the
-- longest search text is 2200 characters that NFKC may expand up to 18 times.
CREATE TABLE search_positions (n INTEGER PRIMARY KEY);
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 40000)
INSERT INTO search_positions (n) SELECT n FROM s;

CREATE TRIGGER members_search_grams_insert AFTER INSERT ON members
BEGIN
    INSERT OR IGNORE INTO member_search_grams (gram, member_id)
    SELECT substr(NEW.search_fold, p.n, 1), NEW.id FROM search_positions p
    WHERE p.n <= length(NEW.search_fold) AND substr(NEW.search_fold, p.n, 1) <> char(10);
    INSERT OR IGNORE INTO member_search_grams (gram, member_id)
    SELECT substr(NEW.search_fold, p.n, 2), NEW.id FROM search_positions p
    WHERE p.n < length(NEW.search_fold) AND instr(substr(NEW.search_fold, p.n, 2), char(10)) = 0;
END;

CREATE TRIGGER members_search_grams_update AFTER UPDATE OF search_fold ON members
WHEN NEW.search_fold IS NOT OLD.search_fold
BEGIN
    DELETE FROM member_search_grams WHERE member_id = OLD.id AND gram IN (
        SELECT substr(OLD.search_fold, p.n, 1) FROM search_positions p
        WHERE p.n <= length(OLD.search_fold)
        UNION
        SELECT substr(OLD.search_fold, p.n, 2) FROM search_positions p
        WHERE p.n < length(OLD.search_fold));
    INSERT OR IGNORE INTO member_search_grams (gram, member_id)
    SELECT substr(NEW.search_fold, p.n, 1), NEW.id FROM search_positions p
    WHERE p.n <= length(NEW.search_fold) AND substr(NEW.search_fold, p.n, 1) <> char(10);
    INSERT OR IGNORE INTO member_search_grams (gram, member_id)
    SELECT substr(NEW.search_fold, p.n, 2), NEW.id FROM search_positions p
    WHERE p.n < length(NEW.search_fold) AND instr(substr(NEW.search_fold, p.n, 2), char(10)) = 0;
END;

CREATE TRIGGER members_search_grams_delete AFTER DELETE ON members
BEGIN
    DELETE FROM member_search_grams WHERE member_id = OLD.id AND gram IN (
        SELECT substr(OLD.search_fold, p.n, 1) FROM search_positions p
        WHERE p.n <= length(OLD.search_fold)
        UNION
        SELECT substr(OLD.search_fold, p.n, 2) FROM search_positions p
        WHERE p.n < length(OLD.search_fold));
END;

INSERT OR IGNORE INTO member_search_grams (gram, member_id)
SELECT substr(m.search_fold, p.n, 1), m.id FROM members m
JOIN search_positions p ON p.n <= length(m.search_fold)
WHERE substr(m.search_fold, p.n, 1) <> char(10);
INSERT OR IGNORE INTO member_search_grams (gram, member_id)
SELECT substr(m.search_fold, p.n, 2), m.id FROM members m
JOIN search_positions p ON p.n < length(m.search_fold)
WHERE instr(substr(m.search_fold, p.n, 2), char(10)) = 0;
