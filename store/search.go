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
	// A few hits (a JSON array of ids): SQLite sorts them.
	sqlListIDs = `SELECT ` + summaryColumns + ` FROM clients
	WHERE id IN (SELECT value FROM json_each(?))
	ORDER BY sort_key, id LIMIT ? OFFSET ?`
	// The rows of a page picked in Go, in any order.
	sqlGetIDs = `SELECT ` + summaryColumns + ` FROM clients
	WHERE id IN (SELECT value FROM json_each(?))`
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

// maxDirectHits is the most hits SQLite looks up and sorts itself (about a
// microsecond per hit); past it the page is picked in Go with the sort keys
// of the name index (see nameIndex).
const maxDirectHits = 300

// SearchClients finds clients by what the receptionist typed into the search
// box (see parseQuery for the rules), ordered by family name, given name and
// id in Norwegian alphabet order. An empty q.Q lists everyone. q.Limit
// defaults to DefaultLimit and is capped at MaxLimit; a negative q.Offset
// counts as 0. Total is the exact number of matches.
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
	var page register.Page
	var err error
	switch {
	case mq.expr == "":
		page, err = db.search(ctx, mq, limit, offset)
	case len(mq.words) > 0:
		page, err = db.searchNames(ctx, mq.words, limit, offset)
	default:
		// The name index orders large hit sets; it must match the
		// transaction's snapshot, so no client write commits meanwhile.
		if err = db.names.rlock(ctx, db); err != nil {
			break
		}
		page, err = db.search(ctx, mq, limit, offset)
		db.names.gate.RUnlock()
	}
	if err != nil {
		return register.Page{}, fmt.Errorf("search clients: %w", err)
	}
	return page, nil
}

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
		if page.Total > maxDirectHits && offset < page.Total {
			return db.pickPage(ctx, tx, page, ids, limit, offset)
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

// pickPage fills page with the hits ids (a JSON array) in name order from
// offset, choosing the page with the name index's sort keys and reading only
// its rows. The caller holds the name index's gate shared.
func (db *DB) pickPage(ctx context.Context, tx *sql.Tx, page register.Page, ids string, limit, offset int) (register.Page, error) {
	all, err := parseIDs(ids)
	if err != nil {
		return register.Page{}, err
	}
	hits, missing := db.names.keys(all)
	if len(missing) > 0 {
		// The gate keeps the index and the snapshot in step, so this is
		// a broken invariant, not a race.
		return register.Page{}, fmt.Errorf("list: %d of %d hits of the search index are not in the name index", len(missing), len(all))
	}
	top := firstHits(hits, offset+limit)
	if offset >= len(top) {
		return page, nil
	}
	top = top[offset:]
	pageIDs := make([]int64, len(top))
	for i, h := range top {
		pageIDs[i] = h.id
	}
	rows, err := tx.StmtContext(ctx, db.stmts.getIDs).QueryContext(ctx, idList(pageIDs))
	if err != nil {
		return register.Page{}, fmt.Errorf("list: %w", err)
	}
	if page.Results, err = readPage(rows, pageIDs); err != nil {
		return register.Page{}, err
	}
	return page, nil
}

// searchNames answers a query of name words from the name index, reading
// only the rows of the page. It holds the index's gate shared throughout, so
// no client write commits between counting the hits and reading the rows.
func (db *DB) searchNames(ctx context.Context, words []string, limit, offset int) (register.Page, error) {
	if err := db.names.rlock(ctx, db); err != nil {
		return register.Page{}, err
	}
	defer db.names.gate.RUnlock()
	page := register.Page{Results: []register.ClientSummary{}}
	var ids []int64
	page.Total, ids = db.names.find(words, limit, offset)
	if len(ids) == 0 {
		return page, nil
	}
	rows, err := db.stmts.getIDs.QueryContext(ctx, idList(ids))
	if err != nil {
		return register.Page{}, fmt.Errorf("list: %w", err)
	}
	page.Results, err = readPage(rows, ids)
	if err != nil {
		return register.Page{}, err
	}
	if len(page.Results) != len(ids) {
		return register.Page{}, fmt.Errorf("list: %d of %d clients of the name index are not in the register", len(ids)-len(page.Results), len(ids))
	}
	return page, nil
}

// readPage reads the rows of the clients ids (in any order) and returns them
// in the order of ids; ids without a row are left out.
func readPage(rows *sql.Rows, ids []int64) ([]register.ClientSummary, error) {
	defer rows.Close()
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	out := make([]register.ClientSummary, len(ids))
	found := make([]bool, len(ids))
	for rows.Next() {
		c, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		if i, ok := pos[c.ID]; ok {
			out[i], found[i] = c, true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	n := 0
	for i := range out {
		if found[i] {
			out[n] = out[i]
			n++
		}
	}
	return out[:n], nil
}
