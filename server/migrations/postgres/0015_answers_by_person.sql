-- The grid reads a request's answers person by person, yes and no apart. An index holding
-- all that read needs, in its order, answers it without visiting the table; it also serves
-- every lookup by request and member that the narrower index served.
CREATE INDEX dispatch_answers_by_person ON dispatch_answers (request_id, member_id, available, slot_id);
DROP INDEX dispatch_answers_request;
