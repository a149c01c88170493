package clientexport_test

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"resepsjon/clientexport"
	"resepsjon/clientfile"
	"resepsjon/clientimport"
	"resepsjon/register"
	"resepsjon/store"
	"resepsjon/store/storetest"
)

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "resepsjon.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// listed is every client of db in name order, without what the register
// keeps of its own (id, version, times) and of Persontjenesten's bookkeeping
// (fetched at, sequence number): those are not part of a client list.
func listed(t *testing.T, db *store.DB) []register.Client {
	t.Helper()
	var out []register.Client
	err := db.EachClient(context.Background(), func(c register.Client) error {
		c.ID, c.Version, c.FetchedAt, c.SequenceNumber = 0, 0, nil, nil
		c.CreatedAt, c.UpdatedAt = time.Time{}, time.Time{}
		out = append(out, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRoundTrip exports a register as CSV and as .xlsx, imports the file into
// an empty register, and finds the same clients.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := openStore(t)
	cs := storetest.Clients(11, 500)
	cs[0].Notes = "Første linje\nAndre linje; med \"anførselstegn\""
	cs[1].GivenName = "=Ola"
	if err := src.ImportClients(ctx, cs); err != nil {
		t.Fatal(err)
	}
	want := listed(t, src)
	for _, format := range []string{clientexport.FormatCSV, clientexport.FormatXLSX} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := clientexport.Export(ctx, src, &buf, clientexport.Request{Format: format, FullNIN: true, OSUser: "resepsjon"})
			if err != nil || n != len(cs) {
				t.Fatalf("export %d, %v", n, err)
			}
			tab, err := clientfile.Read(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			dst := openStore(t)
			plan, err := clientimport.DryRun(ctx, dst, tab, clientfile.GuessMapping(tab.Header))
			if err != nil || plan.Create != len(cs) {
				t.Fatalf("dry run: %d of %d to create, %v", plan.Create, len(cs), err)
			}
			if _, err := clientimport.Import(ctx, dst, plan, clientimport.Request{FileName: "eksport." + format}, nil); err != nil {
				t.Fatal(err)
			}
			got := listed(t, dst)
			if !reflect.DeepEqual(got, want) {
				for i := range got {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Fatalf("client %d:\n got %+v\nwant %+v", i, got[i], want[i])
					}
				}
				t.Fatalf("%d clients back, want %d", len(got), len(want))
			}
		})
	}
	audit, err := src.ListAudit(ctx, register.AuditFilter{Action: register.ActionExport})
	if err != nil || audit.Total != 2 || audit.Entries[0].Results != len(cs) || audit.Entries[0].Query != "xlsx, full identity numbers" {
		t.Fatalf("audit %+v, %v", audit, err)
	}
}

func TestExportMasksIdentityNumbers(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	cs := storetest.Clients(12, 20)
	if err := db.ImportClients(ctx, cs); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := clientexport.Export(ctx, db, &buf, clientexport.Request{Format: clientexport.FormatCSV}); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.NIN != "" && strings.Contains(buf.String(), c.NIN) {
			t.Fatalf("masked export holds the identity number %s…", c.NIN[:6])
		}
		if c.NIN != "" && !strings.Contains(buf.String(), c.NIN[:6]+"*****") {
			t.Fatalf("masked export lacks the birth part %s", c.NIN[:6])
		}
	}
	audit, _ := db.ListAudit(ctx, register.AuditFilter{Action: register.ActionExport})
	if audit.Total != 1 || audit.Entries[0].Query != "csv, masked identity numbers" {
		t.Fatalf("audit %+v", audit)
	}
	if _, err := clientexport.Export(ctx, db, &buf, clientexport.Request{Format: "pdf"}); err != clientexport.ErrFormat {
		t.Errorf("pdf: %v", err)
	}
}
