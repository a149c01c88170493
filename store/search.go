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
	sqlListAll  = `SELECT ` + clientColumns + ` FROM clients ORDER BY sort_key, id LIMIT ? OFFSET ?`
	sqlCountFTS = `SELECT count(*) FROM clients_fts WHERE clients_fts MATCH ?`
	sqlListFTS  = `SELECT ` + clientColumns + ` FROM clients
	WHERE id IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ?)
	ORDER BY sort_key, id LIMIT ? OFFSET ?`
)

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
		return register.Page{Results: []register.Client{}}, nil
	}
	page, err := db.search(ctx, mq, limit, offset)
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

	count, list := db.stmts.countAll, db.stmts.listAll
	var args []any
	if mq.expr != "" {
		count, list = db.stmts.countFTS, db.stmts.listFTS
		args = append(args, mq.expr)
	}
	page := register.Page{Results: []register.Client{}}
	if err := tx.StmtContext(ctx, count).QueryRowContext(ctx, args...).Scan(&page.Total); err != nil {
		return register.Page{}, fmt.Errorf("count: %w", err)
	}
	if offset >= page.Total {
		return page, nil
	}
	rows, err := tx.StmtContext(ctx, list).QueryContext(ctx, append(args, limit, offset)...)
	if err != nil {
		return register.Page{}, fmt.Errorf("list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return register.Page{}, err
		}
		page.Results = append(page.Results, c)
	}
	if err := rows.Err(); err != nil {
		return register.Page{}, fmt.Errorf("list: %w", err)
	}
	return page, nil
}
