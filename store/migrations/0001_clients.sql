-- The client register. Every field of register.Client has a column; times are
-- UTC text in a fixed-width RFC 3339 form so that they sort as text.
-- sort_key is computed by the application (Norwegian order: æ ø å after z)
-- because a Go collation would have to be registered process-wide.
CREATE TABLE clients (
    id                  INTEGER PRIMARY KEY,
    nin                 TEXT    NOT NULL DEFAULT '',
    nin_type            TEXT    NOT NULL DEFAULT '',
    given_name          TEXT    NOT NULL DEFAULT '',
    middle_name         TEXT    NOT NULL DEFAULT '',
    family_name         TEXT    NOT NULL DEFAULT '',
    birth_date          TEXT    NOT NULL DEFAULT '',
    gender              TEXT    NOT NULL DEFAULT '',
    status              TEXT    NOT NULL DEFAULT '',
    death_date          TEXT    NOT NULL DEFAULT '',
    address_protection  TEXT    NOT NULL DEFAULT '',
    street_address      TEXT    NOT NULL DEFAULT '',
    postal_code         TEXT    NOT NULL DEFAULT '',
    city                TEXT    NOT NULL DEFAULT '',
    municipality_number TEXT    NOT NULL DEFAULT '',
    postal_address      TEXT    NOT NULL DEFAULT '',
    phone               TEXT    NOT NULL DEFAULT '',
    email               TEXT    NOT NULL DEFAULT '',
    notes               TEXT    NOT NULL DEFAULT '',
    person_id           TEXT    NOT NULL DEFAULT '',
    fetched_at          TEXT,
    sequence_number     INTEGER,
    version             INTEGER NOT NULL CHECK (version > 0),
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    sort_key            TEXT    NOT NULL DEFAULT ''
);

-- Clients without an identity number are allowed; the ones that have one
-- have it once.
CREATE UNIQUE INDEX clients_nin ON clients (nin) WHERE nin <> '';

-- Listing everyone in name order, and the narrow entries that ordering a
-- set of search hits reads instead of whole rows.
CREATE INDEX clients_sort ON clients (sort_key, id);

-- The search index. It is contentless: the application writes normalised
-- tokens (NFC, lower case, digits only for numbers) in the same transaction as
-- the client row, with rowid = clients.id. The ascii tokenizer only splits on
-- ASCII punctuation and space, so each token the application writes stays one
-- token, whatever letters it holds.
CREATE VIRTUAL TABLE clients_fts USING fts5 (
    names,
    nin,
    phone,
    birth,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii',
    prefix = '1 2 3',
    detail = column
);
