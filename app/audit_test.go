package app_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"resepsjon/app"
)

func TestAuditLogOfLookups(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	h.activate()
	numbers := h.pop.SampleNINs(3)
	known := numbers[1]
	_, person := h.registerPerson(known)

	h.search(map[string]string{"nin": known})
	h.lookup(map[string]string{"nin": known})
	created := h.create(h.lookup(map[string]string{"personId": person.PersonID}).Draft)
	h.update(created.ID)
	unknown := synthetic(t, "1961-06-15", 400)
	if r := h.do(http.MethodPost, "/api/persontjenesten/lookup", map[string]string{"nin": unknown}); r.status != http.StatusNotFound {
		t.Fatalf("unknown lookup: %d %s", r.status, r.body)
	}

	rows := h.audit("")
	var actions []string
	for _, r := range rows {
		actions = append(actions, r.Action)
	}
	want := []string{"lookup", "update", "lookup", "lookup", "search", "activate"}
	if !slices.Equal(actions, want) {
		t.Fatalf("audit actions %v, want %v", actions, want)
	}
	for i, r := range rows {
		if r.OSUser != "resepsjonist" || r.Time.IsZero() || r.PersonIDs == nil {
			t.Errorf("row %d: %+v", i, r)
		}
		if strings.Contains(r.Query, known) || strings.Contains(r.Query, unknown) {
			t.Errorf("row %d shows a whole identity number: %q", i, r.Query)
		}
	}
	if r := rows[0]; r.Outcome != "error" || r.ErrorCode != "person_not_found" || r.Query != "nin="+unknown[:6]+"*****" || r.Results != 0 {
		t.Errorf("failed lookup row %+v", r)
	}
	if r := rows[1]; r.Outcome != "ok" || r.Results != 1 || !slices.Equal(r.PersonIDs, []string{person.PersonID}) ||
		r.Query != fmt.Sprintf("clientId=%d nin=%s*****", created.ID, known[:6]) {
		t.Errorf("update row %+v", r)
	}
	if r := rows[4]; r.Results != 1 || !slices.Equal(r.PersonIDs, []string{person.PersonID}) {
		t.Errorf("search row %+v", r)
	}

	// Filters.
	if got := h.audit("&action=lookup"); len(got) != 3 {
		t.Errorf("action filter: %d rows", len(got))
	}
	today := time.Now().Format(time.DateOnly)
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	if got := h.audit("&from=" + today + "&to=" + today); len(got) != len(rows) {
		t.Errorf("today: %d rows, want %d", len(got), len(rows))
	}
	if got := h.audit("&from=" + tomorrow); len(got) != 0 {
		t.Errorf("from tomorrow: %d rows", len(got))
	}
	// The far ends of the calendar bound nothing.
	for _, q := range []string{"&to=9999-12-31", "&to=9999-12-30", "&from=0001-01-01&to=9999-12-31", "&from=" + today + "&to=9999-12-31"} {
		if got := h.audit(q); len(got) != len(rows) {
			t.Errorf("%s: %d rows, want %d", q, len(got), len(rows))
		}
	}
	page := h.do(http.MethodGet, "/api/audit?limit=2&offset=1", nil)
	var p app.AuditPage
	page.decode(t, &p)
	if p.Total != len(rows) || len(p.Results) != 2 || p.Results[0].ID != rows[1].ID {
		t.Errorf("paging: total %d, %d rows", p.Total, len(p.Results))
	}
	for _, q := range []string{"action=nonsense", "from=23.11.2026", "format=xml", "limit=0"} {
		if r := h.do(http.MethodGet, "/api/audit?"+q, nil); r.status != http.StatusBadRequest || r.apiError(t).Code != "invalid_input" {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}

	// The CSV export has the full values, for the data controller.
	r := h.do(http.MethodGet, "/api/audit?format=csv", nil)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("csv: %d %v", r.status, r.header)
	}
	// As Norwegian Excel opens it: a byte-order mark, semicolons, local time.
	body, ok := strings.CutPrefix(string(r.body), "\uFEFF")
	if !ok {
		t.Error("the CSV has no UTF-8 byte-order mark")
	}
	rd := csv.NewReader(strings.NewReader(body))
	rd.Comma = ';'
	records, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("csv does not parse: %v", err)
	}
	header := []string{"Tid", "Bruker", "Handling", "Hva som ble spurt om", "Antall treff", "Person-ID-er", "Utfall", "Feilkode"}
	if len(records) != len(rows)+1 || !slices.Equal(records[0], header) {
		t.Fatalf("csv header %v, %d records", records[0], len(records))
	}
	if rec := records[1]; rec[2] != "lookup" || rec[3] != "nin="+unknown || rec[6] != "error" || rec[7] != "person_not_found" || rec[1] != "resepsjonist" {
		t.Errorf("csv row %v", rec)
	}
	if rec := records[2]; rec[3] != fmt.Sprintf("clientId=%d nin=%s", created.ID, known) || rec[4] != "1" || rec[5] != person.PersonID {
		t.Errorf("csv update row %v", rec)
	}
	if _, err := time.ParseInLocation("02.01.2006 15:04:05", records[1][0], time.Local); err != nil {
		t.Errorf("csv time %q: %v", records[1][0], err)
	}
	// English headers when the screen is in English.
	r = h.do(http.MethodGet, "/api/audit?format=csv&lang=en", nil)
	if first, _, _ := strings.Cut(strings.TrimPrefix(string(r.body), "\uFEFF"), "\r\n"); first != "Time;User;Action;What was asked;Results;Person IDs;Outcome;Error code" {
		t.Errorf("English header line %q", first)
	}
	r = h.do(http.MethodGet, "/api/audit?format=csv&action=update", nil)
	rd = csv.NewReader(strings.NewReader(strings.TrimPrefix(string(r.body), "\uFEFF")))
	rd.Comma = ';'
	records, err = rd.ReadAll()
	if err != nil || len(records) != 2 {
		t.Errorf("filtered csv: %d records, %v", len(records), err)
	}
}
