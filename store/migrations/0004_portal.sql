-- The patient portal: one portal user per client (portal_users), the
-- single-use activation and password-reset links (only the SHA-256 of each
-- token is stored), the patients' sessions (likewise hashed), and the
-- outbox of e-mail, written in the same transaction as the change that
-- caused it and marked sent only after the mail server accepted it.
CREATE TABLE portal_users (
    id                     INTEGER PRIMARY KEY,
    client_id              INTEGER NOT NULL UNIQUE REFERENCES clients (id) ON DELETE CASCADE,
    email                  TEXT    NOT NULL,
    email_key              TEXT    NOT NULL UNIQUE, -- lower case: one portal user per address
    consultation           INTEGER NOT NULL DEFAULT 0,
    booking                INTEGER NOT NULL DEFAULT 0,
    renewal                INTEGER NOT NULL DEFAULT 0,
    wants_electronic_reply INTEGER NOT NULL DEFAULT 0,
    language               TEXT    NOT NULL DEFAULT 'nb',
    password_hash          TEXT    NOT NULL DEFAULT '',
    activated_at           TEXT,
    created_at             TEXT    NOT NULL,
    updated_at             TEXT    NOT NULL,
    version                INTEGER NOT NULL CHECK (version > 0)
);

CREATE TABLE portal_links (
    hash       TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('activate', 'reset')),
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT,
    voided_at  TEXT
) WITHOUT ROWID;
CREATE INDEX portal_links_user ON portal_links (user_id, purpose);

CREATE TABLE portal_sessions (
    hash       TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX portal_sessions_user ON portal_sessions (user_id);

-- Bodies are blanked once a message is sent: a link's token is in clear
-- text only while its mail waits.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER REFERENCES portal_users (id) ON DELETE SET NULL,
    kind            TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL DEFAULT '',
    message_id      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    sent_at         TEXT,
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_user ON outbox (user_id, id);
