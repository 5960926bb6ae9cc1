-- Imports write the search grams of their members themselves, sorted for the whole import,
-- which walks the index once instead of once per member (see store/members/import.rs): the
-- insert trigger leaves out members of an import being loaded. Every other insert, update and
-- delete keeps the grams through the triggers as before.
DROP TRIGGER members_search_grams_insert;

CREATE TRIGGER members_search_grams_insert AFTER INSERT ON members
WHEN NOT EXISTS (
    SELECT 1 FROM member_imports i WHERE NEW.id BETWEEN i.first_member_id AND i.last_member_id)
BEGIN
    INSERT OR IGNORE INTO member_search_grams (gram, member_id)
    SELECT substr(NEW.search_fold, p.n, 1), NEW.id FROM search_positions p
    WHERE p.n <= length(NEW.search_fold) AND substr(NEW.search_fold, p.n, 1) <> char(10);
    INSERT OR IGNORE INTO member_search_grams (gram, member_id)
    SELECT substr(NEW.search_fold, p.n, 2), NEW.id FROM search_positions p
    WHERE p.n < length(NEW.search_fold) AND instr(substr(NEW.search_fold, p.n, 2), char(10)) = 0;
END;
