-- The patient portal, part two: people's own requests for access
-- («Forespørsler om tilgang»), approved automatically or by the reception,
-- and what patients send with the rights they are given (E-konsultasjon,
-- E-timebestilling, E-reseptfornyelse) with the practice's answers (the
-- staff's «Innboks», the patient's history).
CREATE TABLE IF NOT EXISTS portal_requests (
    id                     INTEGER PRIMARY KEY,
    name                   TEXT    NOT NULL,
    nin                    TEXT    NOT NULL,
    email                  TEXT    NOT NULL,
    consultation           INTEGER NOT NULL DEFAULT 0,
    booking                INTEGER NOT NULL DEFAULT 0,
    renewal                INTEGER NOT NULL DEFAULT 0,
    wants_electronic_reply INTEGER NOT NULL DEFAULT 0,
    language               TEXT    NOT NULL DEFAULT 'nb',
    verified               INTEGER NOT NULL DEFAULT 0, -- the identity number came from an identity provider
    acr                    TEXT    NOT NULL DEFAULT '',
    status                 TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    received_at            TEXT    NOT NULL,
    decided_at             TEXT,
    decided_by             TEXT    NOT NULL DEFAULT '',
    reason                 TEXT    NOT NULL DEFAULT '',
    client_id              INTEGER REFERENCES clients (id) ON DELETE CASCADE, -- a deleted client takes its requests along
    client_source          TEXT    NOT NULL DEFAULT '' CHECK (client_source IN ('', 'existing', 'persontjenesten', 'request')),
    version                INTEGER NOT NULL CHECK (version > 0)
);
CREATE INDEX IF NOT EXISTS portal_requests_status ON portal_requests (status, received_at);
CREATE INDEX IF NOT EXISTS portal_requests_nin ON portal_requests (nin, status);

CREATE TABLE IF NOT EXISTS portal_inquiries (
    id                      INTEGER PRIMARY KEY,
    user_id                 INTEGER REFERENCES portal_users (id) ON DELETE SET NULL,
    client_id               INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    kind                    TEXT    NOT NULL CHECK (kind IN ('consultation', 'booking', 'renewal')),
    body                    TEXT    NOT NULL,               -- the question, the reason for the appointment, or a note
    preferred               TEXT    NOT NULL DEFAULT '',    -- E-timebestilling: preferred days and times
    medicine                TEXT    NOT NULL DEFAULT '',    -- E-reseptfornyelse: the medicine to renew
    status                  TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'done')),
    answer                  TEXT    NOT NULL DEFAULT '',
    answered_at             TEXT,
    answered_by             TEXT    NOT NULL DEFAULT '',
    answered_electronically INTEGER NOT NULL DEFAULT 0,     -- the answer is shown in the patient's history
    created_at              TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL,
    version                 INTEGER NOT NULL CHECK (version > 0)
);
CREATE INDEX IF NOT EXISTS portal_inquiries_status ON portal_inquiries (status, created_at);
CREATE INDEX IF NOT EXISTS portal_inquiries_client ON portal_inquiries (client_id, created_at);
