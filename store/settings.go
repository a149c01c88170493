package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Keys beginning with storeKeyPrefix belong to the store itself.
const (
	storeKeyPrefix = "store."
	// settingDeletedMaxID is the highest id of a deleted client, so that
	// no new client gets it (see sqlInsert).
	settingDeletedMaxID = "store.deleted_max_client_id"
	// settingReindex is set by a migration that needs the search index
	// filled afresh (see DB.reindex).
	settingReindex = "store.reindex"
	// settingOpenedAt is written at every Open: the check that the
	// register can be written.
	settingOpenedAt = "store.opened_at"
)

const (
	sqlGetSetting = `SELECT value FROM settings WHERE key = ?`
	sqlPutSetting = `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
	ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
)

// GetSetting returns the value stored under key; ok is false when there is none.
func (db *DB) GetSetting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = db.stmts.getSetting.QueryRowContext(ctx, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("get setting %q: %w", key, err)
	}
	return value, true, nil
}

// PutSetting stores value under key, replacing any earlier value. Keys
// beginning with "store." are refused: they are the store's own.
func (db *DB) PutSetting(ctx context.Context, key, value string) error {
	if err := checkSettingKey(key); err != nil {
		return err
	}
	now := db.now().UTC().Format(timeLayout)
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.StmtContext(ctx, db.stmts.putSetting).ExecContext(ctx, key, value, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("put setting %q: %w", key, err)
	}
	return nil
}

// checkSettingKey refuses the keys beginning with "store.": they are the
// store's own.
func checkSettingKey(key string) error {
	if strings.HasPrefix(key, storeKeyPrefix) {
		return fmt.Errorf("put setting %q: keys beginning with %q are reserved", key, storeKeyPrefix)
	}
	return nil
}
