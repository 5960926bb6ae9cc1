-- Roster search at national scale.
--
-- Members still on record, in kana order: counts of a whole roster and the walk that finds the
-- first page of a large one read this narrow index instead of whole rows.
CREATE INDEX members_live_kana ON members (kana_fold, id) WHERE anonymised_at IS NULL;

-- The few anonymised members, so that a prefecture's roster is counted from its memberships.
CREATE INDEX members_anonymised ON members (id) WHERE anonymised_at IS NOT NULL;

-- A prefecture's memberships by status with their ids, for availability checks without
-- reading the rows (SQLite keeps the row id in every index).
CREATE INDEX memberships_prefecture_status
    ON memberships (prefecture_code, status, member_id) INCLUDE (id);
DROP INDEX memberships_prefecture;

-- Availability is always checked per membership: dates and ways in the index too.
CREATE INDEX availability_membership_dates
    ON availability (membership_id, from_date, to_date, on_site, remote, phone);
DROP INDEX availability_membership;

-- Free text: every character and every pair of neighbouring characters on each line of
-- members.search_fold, indexed with GIN. Any text that contains a search term contains the
-- term's characters (one-character term) or pairs, so the search reads only members holding
-- them and then checks LIKE on those: names are mostly two kanji, which pg_trgm cannot serve.
CREATE FUNCTION member_search_grams(search_fold text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT coalesce(array_agg(DISTINCT g.gram COLLATE "C"), '{}')
    FROM (
        SELECT substr(search_fold, i, 1) AS gram FROM generate_series(1, length(search_fold)) AS i
        UNION ALL
        SELECT substr(search_fold, i, 2) FROM generate_series(1, length(search_fold) - 1) AS i
    ) AS g
    WHERE strpos(g.gram, chr(10)) = 0
$$;

CREATE INDEX members_search_grams ON members
    USING gin (member_search_grams(search_fold)) WHERE anonymised_at IS NULL;
