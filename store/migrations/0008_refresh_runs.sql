-- "Oppdater alle" runs that survive a restart: which clients a run covers
-- and which of them are done. A client saved by a run is marked done in the
-- same transaction as its update, so finishing an interrupted run never
-- touches a client already done.
CREATE TABLE IF NOT EXISTS refresh_runs (
    id          TEXT    PRIMARY KEY,
    started_at  TEXT    NOT NULL,
    finished_at TEXT,
    state       TEXT    NOT NULL,
    total       INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS refresh_run_clients (
    run_id    TEXT    NOT NULL,
    client_id INTEGER NOT NULL,
    done      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, client_id)
) WITHOUT ROWID;
