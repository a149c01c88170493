package store

import (
	"context"
	"database/sql"
	"fmt"

	"resepsjon/register"
)

// Page sizes of SearchClients.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

const (
	sqlCountAll = `SELECT count(*) FROM clients`
	sqlListAll  = `SELECT ` + summaryColumns + ` FROM clients ORDER BY sort_key, id LIMIT ? OFFSET ?`
	// One pass over the search index gives the total and every hit.
	sqlHits = `SELECT count(*), coalesce(json_group_array(rowid), '[]')
	FROM clients_fts WHERE clients_fts MATCH ?`
	// The hits (a JSON array of ids), sorted by SQLite.
	sqlListIDs = `SELECT ` + summaryColumns + ` FROM clients
	WHERE id IN (SELECT value FROM json_each(?))
	ORDER BY sort_key, id LIMIT ? OFFSET ?`
)

// summaryColumns are the columns of a register.ClientSummary, in the order
// scanSummary reads them: a page of the list reads only what the list shows.
const summaryColumns = `id, nin, given_name, middle_name, family_name, birth_date, phone, city,
	address_protection, status, death_date, version`

// scanSummary reads one row of summaryColumns.
func scanSummary(row scanner) (register.ClientSummary, error) {
	var c register.ClientSummary
	err := row.Scan(&c.ID, &c.NIN, &c.GivenName, &c.MiddleName, &c.FamilyName, &c.BirthDate,
		&c.Phone, &c.City, &c.AddressProtection, &c.Status, &c.DeathDate, &c.Version)
	return c, err
}

// SearchClients finds clients by what the receptionist typed into the search
// box (see parseQuery for the rules), ordered by family name, given name and
// id in Norwegian alphabet order. An empty q.Q lists everyone. q.Limit
// defaults to DefaultLimit and is capped at MaxLimit; a negative q.Offset
// counts as 0. Total is the exact number of matches.
//
// The search index in memory (nameIndex) answers; while it is being loaded
// in the background after start, SQLite's search index (FTS5) does.
func (db *DB) SearchClients(ctx context.Context, q register.Query) (register.Page, error) {
	limit, offset := q.Limit, q.Offset
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	offset = max(offset, 0)

	mq := parseQuery(q.Q)
	if mq.none {
		return register.Page{Results: []register.ClientSummary{}}, nil
	}
	page, ok, err := db.searchMemory(ctx, mq, limit, offset)
	if err == nil && !ok {
		page, err = db.search(ctx, mq, limit, offset)
	}
	if err != nil {
		return register.Page{}, fmt.Errorf("search clients: %w", err)
	}
	return page, nil
}

// searchMemory answers from the search index in memory; false means it is
// being loaded in the background. The index's gate is held shared
// throughout, so no client write commits between counting the hits and
// reading the page.
func (db *DB) searchMemory(ctx context.Context, mq matchQuery, limit, offset int) (register.Page, bool, error) {
	ok, err := db.names.rlock(ctx, db)
	if err != nil || !ok {
		return register.Page{}, false, err
	}
	defer db.names.gate.RUnlock()
	page := register.Page{Results: make([]register.ClientSummary, 0, limit)}
	page.Total, page.Results = db.names.search(mq.terms, limit, offset, page.Results)
	return page, true, nil
}

// search answers through SQLite's search index (FTS5), which sorts the hits
// itself: the way while the index in memory loads, and what tests compare it
// with.
func (db *DB) search(ctx context.Context, mq matchQuery, limit, offset int) (register.Page, error) {
	// One read transaction, so that Total and Results describe the same
	// snapshot even while someone saves.
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return register.Page{}, err
	}
	defer tx.Rollback()

	page := register.Page{Results: []register.ClientSummary{}}
	var list *sql.Stmt
	var args []any
	switch {
	case mq.expr == "":
		if err := tx.StmtContext(ctx, db.stmts.countAll).QueryRowContext(ctx).Scan(&page.Total); err != nil {
			return register.Page{}, fmt.Errorf("count: %w", err)
		}
		list = db.stmts.listAll
	default:
		var ids string
		if err := tx.StmtContext(ctx, db.stmts.hits).QueryRowContext(ctx, mq.expr).Scan(&page.Total, &ids); err != nil {
			return register.Page{}, fmt.Errorf("search index: %w", err)
		}
		list = db.stmts.listIDs
		args = append(args, ids)
	}
	if offset >= page.Total {
		return page, nil
	}
	rows, err := tx.StmtContext(ctx, list).QueryContext(ctx, append(args, limit, offset)...)
	if err != nil {
		return register.Page{}, fmt.Errorf("list: %w", err)
	}
	if page.Results, err = readSummaries(rows, page.Results); err != nil {
		return register.Page{}, fmt.Errorf("list: %w", err)
	}
	return page, nil
}

// readSummaries appends the clients of rows to dst and closes rows.
func readSummaries(rows *sql.Rows, dst []register.ClientSummary) ([]register.ClientSummary, error) {
	defer rows.Close()
	for rows.Next() {
		c, err := scanSummary(rows)
		if err != nil {
			return dst, err
		}
		dst = append(dst, c)
	}
	return dst, rows.Err()
}

// LoadSearchIndex starts loading the search index into memory in the
// background and returns at once, so that the first search after start does
// not wait for it (about 0.3 s at 100,000 clients); until it is loaded,
// searches are answered by SQLite. Close stops it. Without it, the first
// search loads the index.
func (db *DB) LoadSearchIndex() {
	db.names.startLoad(db)
}
