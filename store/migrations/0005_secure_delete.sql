-- A deleted client's data is overwritten, not left readable in the file.
--
-- A contentless_delete table can only mark a deleted row's tokens as gone
-- (a tombstone), leaving them in the index pages until a merge. A plain
-- contentless table accepts FTS5's delete command with the row's tokens, and
-- with the secure-delete option it removes them from the index pages at
-- once; PRAGMA secure_delete (set on every connection) zeroes what is freed.
--
-- The tokens are made by the program (see docFor), so the new index is
-- filled by the store right after this migration: store.reindex asks for it.
DROP TABLE clients_fts;
CREATE VIRTUAL TABLE clients_fts USING fts5 (
    names,
    nin,
    phone,
    birth,
    content = '',
    tokenize = 'ascii',
    prefix = '1 2 3',
    detail = column
);
INSERT INTO clients_fts (clients_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO settings (key, value, updated_at)
VALUES ('store.reindex', '1', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
