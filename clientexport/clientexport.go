// Package clientexport is the use case "take the register out": every client
// as CSV (the format package clientfile reads back exactly) or as .xlsx, for
// the data controller and as the practice's way out. Each export is written
// to the audit log before any of it leaves; identity numbers are masked
// unless the user confirmed that the full numbers are wanted.
//
// It knows neither HTTP nor SQL.
package clientexport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"resepsjon/clientfile"
	"resepsjon/register"
)

// Store is what an export needs of the register.
type Store interface {
	// EachClient calls fn with every client, from one snapshot.
	EachClient(ctx context.Context, fn func(register.Client) error) error
	RecordAudit(ctx context.Context, e register.AuditEntry) (int64, error)
}

// Formats of an export.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// ErrFormat means the format is neither csv nor xlsx.
var ErrFormat = errors.New("export format must be csv or xlsx")

// Request says what to export and who asks.
type Request struct {
	Format string
	// FullNIN writes the identity numbers in full; the user must have
	// confirmed it. Otherwise only the birth date part is written (see
	// MaskNIN).
	FullNIN bool
	OSUser  string
	Time    time.Time
}

// Export writes every client to w in the requested format and returns how
// many. The audit row is written first: if it cannot be written, nothing is
// exported.
func Export(ctx context.Context, s Store, w io.Writer, req Request) (int, error) {
	var (
		buf   bytes.Buffer
		write func([]string) error
		done  func() error
	)
	switch req.Format {
	case FormatCSV:
		cw, err := clientfile.NewCSVWriter(&buf)
		if err != nil {
			return 0, err
		}
		write, done = cw.WriteRow, cw.Close
	case FormatXLSX:
		xw, err := clientfile.NewXLSXWriter()
		if err != nil {
			return 0, err
		}
		write, done = xw.WriteRow, func() error { return xw.Close(&buf) }
	default:
		return 0, ErrFormat
	}
	n := 0
	err := s.EachClient(ctx, func(c register.Client) error {
		if !req.FullNIN {
			c.NIN = MaskNIN(c.NIN)
		}
		n++
		return write(clientfile.Row(c))
	})
	if err != nil {
		done()
		return 0, fmt.Errorf("export: %w", err)
	}
	if err := done(); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	when := req.Time
	if when.IsZero() {
		when = time.Now()
	}
	what := "masked identity numbers"
	if req.FullNIN {
		what = "full identity numbers"
	}
	if _, err := s.RecordAudit(ctx, register.AuditEntry{
		Time: when, OSUser: req.OSUser, Action: register.ActionExport,
		Query:   fmt.Sprintf("%s, %s", req.Format, what),
		Results: n, Outcome: register.OutcomeOK,
	}); err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	return n, nil
}

// MaskNIN keeps the first six digits of an identity number (the birth date,
// which the export has anyway) and hides the personal number.
func MaskNIN(nin string) string {
	if len(nin) != 11 {
		return nin
	}
	return nin[:6] + "*****"
}
