-- A licence (profession and registration number) belongs to one person: a second record with
-- the same licence is a duplicate. Anonymised records keep an empty number and are exempt.
CREATE UNIQUE INDEX member_licences_number ON member_licences (profession, number) WHERE number <> '';
