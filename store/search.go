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
	// The number of hits: FTS5 reads the doclists of the terms (a typed
	// prefix of up to three letters has a doclist of its own, see
	// migrations/0005_secure_delete.sql) and touches no row.
	sqlCountHits = `SELECT count(*) FROM clients_fts WHERE clients_fts MATCH ?`
	// The largest id: about the size of the register, at no cost.
	sqlMaxID = `SELECT coalesce(max(id), 0) FROM clients`
	// Many hits: walk the name order (the index clients_sort) and keep the
	// rows that are hits, until the page is full. A page of a search that
	// matches one client in ten reads about ten times the page's entries of
	// the index, however many hits there are.
	sqlWalkHits = `SELECT ` + summaryColumns + ` FROM clients INDEXED BY clients_sort
	WHERE id IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ?)
	ORDER BY sort_key, id LIMIT ? OFFSET ?`
	// Few hits: read each hit's row and sort them.
	sqlSortHits = `SELECT ` + summaryColumns + ` FROM clients NOT INDEXED
	WHERE id IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ?)
	ORDER BY sort_key, id LIMIT ? OFFSET ?`
)

// walkFactor weighs reading a hit's row (to sort the hits) against reading
// one entry of the name-order index (to walk it): a search walks the index
// when walking to the end of its page reads fewer than walkFactor entries per
// hit. BenchmarkSearchFTS chose it.
const walkFactor = 8

// walkNameOrder tells whether a page [offset, offset+limit) of total hits in
// a register of about size clients is read sooner by walking the name order
// than by sorting the hits: the walk reads about (offset+limit)·size/total
// index entries if the hits are spread evenly over the name order.
func walkNameOrder(total, offset, limit, size int) bool {
	if total <= 0 || size <= 0 {
		return false
	}
	return float64(offset+limit)*float64(size)/float64(total) < walkFactor*float64(total)
}

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
// in the background after start, SQLite's search index (FTS5) does, and the
// load waits for it.
func (db *DB) SearchClients(ctx context.Context, q register.Query) (register.Page, error) {
	limit, offset := pageBounds(q)
	mq := parseQuery(q.Q)
	if mq.none {
		return register.Page{Results: []register.ClientSummary{}}, nil
	}
	page, ok, err := db.searchMemory(ctx, mq, limit, offset)
	if err == nil && !ok {
		// The background load pauses meanwhile (loadPause).
		end := db.names.pause.search()
		page, err = db.search(ctx, mq, limit, offset)
		end()
	}
	if err != nil {
		return register.Page{}, fmt.Errorf("search clients: %w", err)
	}
	return page, nil
}

// pageBounds is q's limit and offset as SearchClients reads them.
func pageBounds(q register.Query) (limit, offset int) {
	limit = q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	return min(limit, MaxLimit), max(q.Offset, 0)
}

// SearchClientsAhead answers several searches as SearchClients would, from
// one state of the register. It is for answers asked ahead of the
// receptionist (the client list asks for every one-letter search when it
// opens), so unlike SearchClients it waits for the search index in memory
// while that loads after start, rather than answering through SQLite: these
// searches can wait, and dozens of broad ones would cost SQLite's FTS5 far
// more, on the cores the load is using.
func (db *DB) SearchClientsAhead(ctx context.Context, qs []register.Query) ([]register.Page, error) {
	for {
		ok, err := db.names.rlock(ctx, db)
		if err != nil {
			return nil, fmt.Errorf("search clients ahead: %w", err)
		}
		if ok {
			break
		}
		// A background load is running: wait for it (load returns once
		// the index is in place, or loads it if that load failed).
		if err := db.names.load(ctx, db); err != nil {
			return nil, fmt.Errorf("search clients ahead: %w", err)
		}
	}
	defer db.names.gate.RUnlock()
	pages := make([]register.Page, len(qs))
	for i, q := range qs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("search clients ahead: %w", err)
		}
		limit, offset := pageBounds(q)
		pages[i] = db.indexPage(parseQuery(q.Q), limit, offset)
	}
	return pages, nil
}

// indexPage is a page of the search index's answer to mq; the caller holds
// the index's gate shared.
func (db *DB) indexPage(mq matchQuery, limit, offset int) register.Page {
	if mq.none {
		return register.Page{Results: []register.ClientSummary{}}
	}
	page := register.Page{Results: make([]register.ClientSummary, 0, limit)}
	page.Total, page.Results = db.names.search(mq.terms, limit, offset, page.Results)
	return page
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
	return db.indexPage(mq, limit, offset), true, nil
}

// search answers through SQLite's search index (FTS5), which sorts the hits
// itself: the way while the index in memory loads, and what tests compare it
// with.
func (db *DB) search(ctx context.Context, mq matchQuery, limit, offset int) (register.Page, error) {
	return db.searchFTS(ctx, mq, limit, offset, walkNameOrder)
}

// searchFTS is search with the choice between walking the name order and
// sorting the hits made by walk (benchmarks compare both ways).
func (db *DB) searchFTS(ctx context.Context, mq matchQuery, limit, offset int, walk func(total, offset, limit, size int) bool) (register.Page, error) {
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
		if err := tx.StmtContext(ctx, db.stmts.countHits).QueryRowContext(ctx, mq.expr).Scan(&page.Total); err != nil {
			return register.Page{}, fmt.Errorf("search index: %w", err)
		}
		var size int
		if err := tx.StmtContext(ctx, db.stmts.maxID).QueryRowContext(ctx).Scan(&size); err != nil {
			return register.Page{}, fmt.Errorf("register size: %w", err)
		}
		list = db.stmts.sortHits
		if walk(page.Total, offset, limit, size) {
			list = db.stmts.walkHits
		}
		args = append(args, mq.expr)
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

// WaitSearchIndex waits until the load started by LoadSearchIndex has ended
// (loaded, failed or stopped) or ctx is done, and tells whether the index is
// loaded. Call it after LoadSearchIndex, not beside it.
func (db *DB) WaitSearchIndex(ctx context.Context) bool {
	return db.names.waitLoad(ctx)
}
