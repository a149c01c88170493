-- The Persontjenesten change feed.
--
-- Clients are matched to the feed's events by person id: an index, so a page
-- of events costs a lookup per id, not a scan of the register.
CREATE INDEX IF NOT EXISTS clients_person_id ON clients (person_id) WHERE person_id <> '';

-- Where the feed stands: the first event not yet applied. It is written in
-- the same transaction as the client updates a page of events caused, so a
-- crash never skips an event nor applies one twice. One row, or none before
-- the first poll after activation.
CREATE TABLE IF NOT EXISTS feed_state (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    next_sequence    INTEGER NOT NULL,
    last_run_at      TEXT,
    events_read      INTEGER NOT NULL DEFAULT 0,
    clients_updated  INTEGER NOT NULL DEFAULT 0,
    last_error_code  TEXT    NOT NULL DEFAULT '',
    last_error_at    TEXT
);

-- What the feed did to clients: updated, or kept as the practice edited it.
-- kinds and fields are JSON arrays of change kinds and field names (no
-- values: the client row holds those).
CREATE TABLE IF NOT EXISTS feed_changes (
    id         INTEGER PRIMARY KEY,
    time       TEXT    NOT NULL,
    client_id  INTEGER NOT NULL,
    sequence   INTEGER NOT NULL,
    outcome    TEXT    NOT NULL,
    kinds      TEXT    NOT NULL DEFAULT '[]',
    fields     TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS feed_changes_client ON feed_changes (client_id, id);
