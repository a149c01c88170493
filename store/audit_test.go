package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"resepsjon/register"
)

func openAuditDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "audit.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestAuditListFilters(t *testing.T) {
	ctx := context.Background()
	db := openAuditDB(t)
	day := func(d int, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	entries := []register.AuditEntry{
		{Time: day(20, 9), OSUser: "kari", Action: "search", Query: "familyName=Hansen birthDate=1985", Results: 2, PersonIDs: []string{"a", "b"}, Outcome: "ok"},
		{Time: day(21, 9), OSUser: "kari", Action: "lookup", Query: "nin=14838512345", Results: 1, PersonIDs: []string{"a"}, Outcome: "ok"},
		{Time: day(21, 23), OSUser: "ola", Action: "update", Query: "clientId=3 nin=14838512345", Outcome: "error", ErrorCode: "nhn_unavailable"},
		{Time: day(22, 0), OSUser: "ola", Action: "activate", Query: "org=310000018", Outcome: "ok"},
	}
	for _, e := range entries {
		if _, err := db.RecordAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		f       register.AuditFilter
		actions []string
		total   int
	}{
		{"all, newest first", register.AuditFilter{}, []string{"activate", "update", "lookup", "search"}, 4},
		{"one day inclusive", register.AuditFilter{From: day(21, 0), To: day(21, 0)}, []string{"update", "lookup"}, 2},
		{"from a day", register.AuditFilter{From: day(21, 12)}, []string{"activate", "update", "lookup"}, 3},
		{"to a day", register.AuditFilter{To: day(20, 0)}, []string{"search"}, 1},
		{"by action", register.AuditFilter{Action: "lookup"}, []string{"lookup"}, 1},
		{"paged", register.AuditFilter{Limit: 2, Offset: 1}, []string{"update", "lookup"}, 4},
		{"nothing", register.AuditFilter{Action: "bulk"}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page, err := db.ListAudit(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range page.Entries {
				got = append(got, e.Action)
			}
			if !slices.Equal(got, tc.actions) || page.Total != tc.total {
				t.Errorf("got %v (total %d), want %v (%d)", got, page.Total, tc.actions, tc.total)
			}
		})
	}
	page, err := db.ListAudit(ctx, register.AuditFilter{Action: "update"})
	if err != nil {
		t.Fatal(err)
	}
	e := page.Entries[0]
	if e.Query != entries[2].Query || e.OSUser != "ola" || e.ErrorCode != "nhn_unavailable" || !e.Time.Equal(entries[2].Time) || len(e.PersonIDs) != 0 {
		t.Errorf("stored row %+v, want %+v", e, entries[2])
	}
}

func TestPutSettingsAuditedIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	db := openAuditDB(t)
	entry := register.AuditEntry{Action: "activate", Query: "org=310000018", Outcome: "ok"}
	if err := db.PutSettingsAudited(ctx, map[string]string{"persontjenesten.checks": `{"x":1}`}, entry); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := db.GetSetting(ctx, "persontjenesten.checks"); err != nil || !ok || v != `{"x":1}` {
		t.Fatalf("setting %q %v %v", v, ok, err)
	}
	// An entry the log refuses rolls the settings back too.
	err := db.PutSettingsAudited(ctx, map[string]string{"persontjenesten.checks": `{"x":2}`}, register.AuditEntry{Action: "activate"})
	if err == nil {
		t.Fatal("an entry without outcome was accepted")
	}
	if v, _, _ := db.GetSetting(ctx, "persontjenesten.checks"); v != `{"x":1}` {
		t.Errorf("setting changed to %q although the audit row failed", v)
	}
	if err := db.PutSettingsAudited(ctx, map[string]string{"store.x": "1"}, entry); err == nil {
		t.Error("a reserved key was accepted")
	}
	page, err := db.ListAudit(ctx, register.AuditFilter{})
	if err != nil || page.Total != 1 {
		t.Errorf("audit rows %d, %v; want 1", page.Total, err)
	}
}

func TestAuditDaysInLocation(t *testing.T) {
	ctx := context.Background()
	db := openAuditDB(t)
	oslo := time.FixedZone("CET", 3600)
	// 00:30 in Oslo on the 21st is 23:30 UTC on the 20th.
	at := time.Date(2026, 11, 21, 0, 30, 0, 0, oslo)
	if _, err := db.RecordAudit(ctx, register.AuditEntry{Time: at, Action: "search", Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		day  int
		want int
	}{{20, 0}, {21, 1}} {
		d := time.Date(2026, 11, tc.day, 0, 0, 0, 0, oslo)
		page, err := db.ListAudit(ctx, register.AuditFilter{From: d, To: d})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != tc.want {
			t.Errorf("day %d in Oslo: %d rows, want %d", tc.day, page.Total, tc.want)
		}
	}
}
