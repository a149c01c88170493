-- The audit log of lookups in Persontjenesten: one row per search, fetch,
-- update, activation check or bulk run, failed ones too. query holds what was
-- asked in full (identity numbers included) for the data controller; lists
-- mask it. person_ids is a JSON array of Persontjenesten person ids.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    time        TEXT    NOT NULL,
    os_user     TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL,
    query       TEXT    NOT NULL DEFAULT '',
    results     INTEGER NOT NULL DEFAULT 0,
    person_ids  TEXT    NOT NULL DEFAULT '[]',
    outcome     TEXT    NOT NULL,
    error_code  TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_time ON audit_log (time, id);
CREATE INDEX audit_log_action_time ON audit_log (action, time, id);
