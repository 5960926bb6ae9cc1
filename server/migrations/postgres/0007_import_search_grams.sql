-- The free-text index over a column instead of an expression: members.search_grams holds
-- member_search_grams(search_fold), indexed with GIN. Computing the function is most of the
-- cost of an insert, so an import gives the column computed in Rust (see
-- store/members/import.rs); for every other insert, and every change of the search text, the
-- trigger computes it.
ALTER TABLE members ADD COLUMN search_grams text[];
UPDATE members SET search_grams = member_search_grams(search_fold);
ALTER TABLE members ALTER COLUMN search_grams SET NOT NULL;

CREATE FUNCTION members_fill_search_grams() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.search_grams IS NULL THEN
            NEW.search_grams := member_search_grams(NEW.search_fold);
        END IF;
    ELSIF NEW.search_fold IS DISTINCT FROM OLD.search_fold THEN
        NEW.search_grams := member_search_grams(NEW.search_fold);
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER members_fill_search_grams BEFORE INSERT OR UPDATE OF search_fold ON members
FOR EACH ROW EXECUTE FUNCTION members_fill_search_grams();

CREATE INDEX members_search_gram_list ON members USING gin (search_grams) WHERE anonymised_at IS NULL;
DROP INDEX members_search_grams;
