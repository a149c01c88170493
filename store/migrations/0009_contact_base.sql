-- The contact register's phone and e-mail as they were at each client's last
-- saved fetch from Persontjenesten: the base of the three-way merge that
-- decides whether a later fetch may replace the client's phone or e-mail
-- (equal to the base: the register's value, replaced; different: changed in
-- Resepsjon, kept). NULL is no base: clients saved before this step, or
-- never fetched; they keep the older rule (see lookup.KeepPracticeContact).
-- Only a save carrying a new fetch writes these columns.
ALTER TABLE clients ADD COLUMN fetched_phone TEXT;
ALTER TABLE clients ADD COLUMN fetched_email TEXT;
