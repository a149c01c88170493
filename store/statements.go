package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// statements are prepared once at Open; database/sql re-prepares them on
// each pooled connection as needed.
type statements struct {
	// writer
	insert, update, version, fetched, ninOwner, delete, recordDeleted, ftsInsert, ftsDelete, indexed, putSetting *sql.Stmt
	// readers
	get, byNIN, countAll, listAll, countHits, maxID, walkHits, sortHits, getSetting *sql.Stmt

	all []*sql.Stmt
}

func (s *statements) prepare(ctx context.Context, w, r *sql.DB) error {
	for _, p := range []struct {
		dst  **sql.Stmt
		db   *sql.DB
		text string
	}{
		{&s.insert, w, sqlInsert},
		{&s.update, w, sqlUpdate},
		{&s.version, w, sqlVersion},
		{&s.fetched, w, sqlFetched},
		{&s.ninOwner, w, sqlNINOwner},
		{&s.delete, w, sqlDelete},
		{&s.recordDeleted, w, sqlRecordDeleted},
		{&s.ftsInsert, w, sqlFTSInsert},
		{&s.ftsDelete, w, sqlFTSDelete},
		{&s.indexed, w, sqlIndexed},
		{&s.putSetting, w, sqlPutSetting},
		{&s.get, r, sqlGetClient},
		{&s.byNIN, r, sqlClientByNIN},
		{&s.countAll, r, sqlCountAll},
		{&s.listAll, r, sqlListAll},
		{&s.countHits, r, sqlCountHits},
		{&s.maxID, r, sqlMaxID},
		{&s.walkHits, r, sqlWalkHits},
		{&s.sortHits, r, sqlSortHits},
		{&s.getSetting, r, sqlGetSetting},
	} {
		st, err := p.db.PrepareContext(ctx, p.text)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", p.text, err)
		}
		*p.dst = st
		s.all = append(s.all, st)
	}
	return nil
}

func (s *statements) close() error {
	var errs []error
	for _, st := range s.all {
		errs = append(errs, st.Close())
	}
	s.all = nil
	return errors.Join(errs...)
}
