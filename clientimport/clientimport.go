// Package clientimport is the use case "move in": a practice's existing client
// list (read by package clientfile) is checked row by row in a dry run —
// will be created, duplicate of a client in the register or of an earlier
// row, or invalid with the field and the reason — and then its good rows are
// imported in one transaction, all or nothing, with an audit row. The rows
// that were not imported can be saved as CSV, fixed and imported again.
//
// It knows neither HTTP nor SQL: the command line and the app both call it
// with a Store.
package clientimport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"resepsjon/clientfile"
	"resepsjon/register"
)

// Store is what an import needs of the register.
type Store interface {
	// ClientKeys lists every stored client's id, identity number, name
	// and birth date, for the duplicate check.
	ClientKeys(ctx context.Context) ([]register.ClientKey, error)
	// ImportClientsAudited stores cs and the audit row e in one
	// transaction: all of them or, on any error, none. progress (may be
	// nil) is told how many clients are written so far.
	ImportClientsAudited(ctx context.Context, cs []register.Client, e register.AuditEntry, progress func(done int)) error
}

// Status is what the import would do with a row.
type Status string

// Row statuses.
const (
	StatusCreate    Status = "create"
	StatusDuplicate Status = "duplicate"
	StatusInvalid   Status = "invalid"
)

// Reasons a row is a duplicate.
const (
	SameNIN       = "nin"        // the same identity number
	SameNameBirth = "name_birth" // the same name and birth date
)

// Problem is one wrong field of an invalid row: the field (as
// clientfile.Field) and a message code (register's validation codes).
type Problem struct {
	Field string `json:"field"`
	Code  string `json:"code"`
}

// Row is the dry run's verdict on one row of the file.
type Row struct {
	Line   int             `json:"line"` // the row's number in the file
	Status Status          `json:"status"`
	Client register.Client `json:"client"` // as it would be stored
	// Problems lists what is wrong with an invalid row.
	Problems []Problem `json:"problems,omitempty"`
	// A duplicate row repeats a stored client (DuplicateOf, its id) or an
	// earlier row of the file (DuplicateLine), by identity number or by
	// name and birth date (DuplicateBy).
	DuplicateOf   int64  `json:"duplicateOf,omitempty"`
	DuplicateLine int    `json:"duplicateLine,omitempty"`
	DuplicateBy   string `json:"duplicateBy,omitempty"`
}

// Plan is a dry run over a whole file.
type Plan struct {
	Rows      []Row `json:"rows"`
	Create    int   `json:"create"`
	Duplicate int   `json:"duplicate"`
	Invalid   int   `json:"invalid"`
}

// ErrMappingNames means the mapping has no column for the given name or the
// family name, which every client needs.
var ErrMappingNames = errors.New("the mapping needs a column for the given name and one for the family name")

// ErrMapping means the mapping names an unknown field, uses a field twice or
// has more columns than the file.
var ErrMapping = errors.New("the mapping is not valid")

// DryRun checks every row of t as mapped by m against register's validation
// and against the register and the file's earlier rows. It changes nothing.
func DryRun(ctx context.Context, s Store, t clientfile.Table, m clientfile.Mapping) (Plan, error) {
	if !m.Valid() || len(m) > len(t.Header) {
		return Plan{}, ErrMapping
	}
	if !m.Has(clientfile.FieldGivenName) || !m.Has(clientfile.FieldFamilyName) {
		return Plan{}, ErrMappingNames
	}
	keys, err := s.ClientKeys(ctx)
	if err != nil {
		return Plan{}, fmt.Errorf("dry run: %w", err)
	}
	byNIN := make(map[string]int64, len(keys))
	byName := make(map[string]nameHolder, len(keys))
	for _, k := range keys {
		if k.NIN != "" {
			byNIN[k.NIN] = k.ID
		}
		if nb := register.NameBirthKey(k.GivenName, k.FamilyName, k.BirthDate); nb != "" {
			byName[nb] = byName[nb].add(int(k.ID), k.NIN != "")
		}
	}
	fileNIN := map[string]int{}         // identity number → line of the first row with it
	fileName := map[string]nameHolder{} // name and birth key → lines

	p := Plan{Rows: make([]Row, len(t.Rows))}
	for i, cells := range t.Rows {
		if i%1000 == 0 && ctx.Err() != nil {
			return Plan{}, ctx.Err()
		}
		r := Row{Line: t.Lines[i], Client: m.Client(cells)}
		if err := register.Validate(&r.Client); err != nil {
			var ve *register.ValidationError
			if !errors.As(err, &ve) {
				return Plan{}, fmt.Errorf("dry run, line %d: %w", r.Line, err)
			}
			r.Status = StatusInvalid
			r.Problems = problems(ve)
			p.Rows[i] = r
			p.Invalid++
			continue
		}
		nb := register.NameBirthKey(r.Client.GivenName, r.Client.FamilyName, r.Client.BirthDate)
		switch {
		case r.Client.NIN != "" && byNIN[r.Client.NIN] != 0:
			r.DuplicateOf, r.DuplicateBy = byNIN[r.Client.NIN], SameNIN
		case r.Client.NIN != "" && fileNIN[r.Client.NIN] != 0:
			r.DuplicateLine, r.DuplicateBy = fileNIN[r.Client.NIN], SameNIN
		case nb != "" && byName[nb].match(r.Client.NIN != "") != 0:
			r.DuplicateOf, r.DuplicateBy = int64(byName[nb].match(r.Client.NIN != "")), SameNameBirth
		case nb != "" && fileName[nb].match(r.Client.NIN != "") != 0:
			r.DuplicateLine, r.DuplicateBy = fileName[nb].match(r.Client.NIN != ""), SameNameBirth
		}
		if r.DuplicateBy != "" {
			r.Status = StatusDuplicate
			p.Duplicate++
		} else {
			r.Status = StatusCreate
			p.Create++
			if r.Client.NIN != "" {
				fileNIN[r.Client.NIN] = r.Line
			}
			if nb != "" {
				fileName[nb] = fileName[nb].add(r.Line, r.Client.NIN != "")
			}
		}
		p.Rows[i] = r
	}
	return p, nil
}

// nameHolder remembers, for one name and birth date, the first client (an id
// or a line) with an identity number and the first without one. Two clients
// with the same name and birth date count as one person unless both have an
// identity number (then the numbers, which differ, tell them apart).
type nameHolder struct {
	withNIN, withoutNIN int
}

func (h nameHolder) add(ref int, hasNIN bool) nameHolder {
	if hasNIN && h.withNIN == 0 {
		h.withNIN = ref
	}
	if !hasNIN && h.withoutNIN == 0 {
		h.withoutNIN = ref
	}
	return h
}

// match is the client a row with this name and birth date duplicates, or 0.
func (h nameHolder) match(hasNIN bool) int {
	if h.withoutNIN != 0 {
		return h.withoutNIN
	}
	if !hasNIN {
		return h.withNIN
	}
	return 0
}

// problems lists a validation error's fields in export column order.
func problems(ve *register.ValidationError) []Problem {
	var out []Problem
	for _, f := range clientfile.Fields {
		if code, ok := ve.Fields[string(f)]; ok {
			out = append(out, Problem{Field: string(f), Code: code})
		}
	}
	// Fields no column maps to (ninType) come last.
	for f, code := range ve.Fields {
		known := false
		for _, g := range clientfile.Fields {
			known = known || string(g) == f
		}
		if !known {
			out = append(out, Problem{Field: f, Code: code})
		}
	}
	return out
}

// Request is who imports which file, for the audit log.
type Request struct {
	FileName string
	OSUser   string
	Time     time.Time
}

// Result is what an import did.
type Result struct {
	Created int `json:"created"`
	Refused int `json:"refused"` // duplicates and invalid rows, not imported
}

// Import stores the rows of p that the dry run would create, in one
// transaction with the audit row: all of them or none. A client registered
// since the dry run with one of the identity numbers makes the whole import
// fail with *register.DuplicateError (run the dry run again).
func Import(ctx context.Context, s Store, p Plan, req Request, progress func(done, total int)) (Result, error) {
	cs := make([]register.Client, 0, p.Create)
	for _, r := range p.Rows {
		if r.Status == StatusCreate {
			cs = append(cs, r.Client)
		}
	}
	res := Result{Created: len(cs), Refused: len(p.Rows) - len(cs)}
	if len(cs) == 0 {
		return Result{Refused: res.Refused}, nil
	}
	when := req.Time
	if when.IsZero() {
		when = time.Now()
	}
	e := register.AuditEntry{
		Time:    when,
		OSUser:  req.OSUser,
		Action:  register.ActionImport,
		Query:   fmt.Sprintf("%s: %d created, %d duplicates, %d invalid", req.FileName, len(cs), p.Duplicate, p.Invalid),
		Results: len(cs),
		Outcome: register.OutcomeOK,
	}
	var report func(int)
	if progress != nil {
		report = func(done int) { progress(done, len(cs)) }
	}
	if err := s.ImportClientsAudited(ctx, cs, e, report); err != nil {
		return Result{}, fmt.Errorf("import %s: %w", req.FileName, err)
	}
	return res, nil
}
