package clientimport_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"resepsjon/clientfile"
	"resepsjon/clientimport"
	"resepsjon/nin"
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

func readTable(t *testing.T, text string) clientfile.Table {
	t.Helper()
	tab, err := clientfile.Read([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestDryRunClassifiesEveryRow runs a file with every kind of row against a
// register that already holds two clients.
func TestDryRunClassifiesEveryRow(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	existing := storetest.Clients(3, 2)
	existing[0].NIN, existing[0].NINType, existing[0].BirthDate = "", "", "1970-05-17"
	existing[0].GivenName, existing[0].FamilyName = "Kari", "Nordmann"
	if err := db.ImportClients(ctx, existing); err != nil {
		t.Fatal(err)
	}
	stored := existing[1]
	if stored.NIN == "" {
		t.Fatal("the second generated client needs an identity number")
	}
	fresh := storetest.Clients(4, 3)
	for i := range fresh {
		if fresh[i].NIN == "" {
			t.Fatal("generated clients need identity numbers")
		}
	}
	text := "Fornavn;Etternavn;Fødselsnummer;Fødselsdato;Telefon;E-post;Postnr\n" +
		"Ola;Hansen;" + fresh[0].NIN + ";;;;0150\n" + // 2 create
		"Ola;Hansen;" + fresh[0].NIN + ";;;;\n" + // 3 duplicate of line 2 (nin)
		"Per;Olsen;" + stored.NIN + ";;;;\n" + // 4 duplicate of the register (nin)
		" kari ;NORDMANN;;17.05.1970;;;\n" + // 5 duplicate of the register (name and birth)
		"Liv;Berg;;1990-01-02;;;\n" + // 6 create
		"Liv;Berg;;02.01.1990;;;\n" + // 7 duplicate of line 6 (name and birth)
		";Berg;;;;;\n" + // 8 invalid: no given name
		"Ola;Berg;12345678901;;;;\n" + // 9 invalid: checksum
		"Ola;Berg;;31.02.1990;;;\n" + // 10 invalid: date
		"Ola;Berg;;;12;ikke-epost;12AB\n" + // 11 invalid: phone, email, postal code
		"Ola;Berg;" + fresh[1].NIN + ";;+47 912 34 567;ola@example.com;\n" // 12 create
	tab := readTable(t, text)
	plan, err := clientimport.DryRun(ctx, db, tab, clientfile.GuessMapping(tab.Header))
	if err != nil {
		t.Fatal(err)
	}
	type verdict struct {
		line   int
		status clientimport.Status
		by     string
		of     bool // duplicate of a stored client
		dupOf  int  // duplicate of this line
		fields []string
	}
	want := []verdict{
		{2, clientimport.StatusCreate, "", false, 0, nil},
		{3, clientimport.StatusDuplicate, clientimport.SameNIN, false, 2, nil},
		{4, clientimport.StatusDuplicate, clientimport.SameNIN, true, 0, nil},
		{5, clientimport.StatusDuplicate, clientimport.SameNameBirth, true, 0, nil},
		{6, clientimport.StatusCreate, "", false, 0, nil},
		{7, clientimport.StatusDuplicate, clientimport.SameNameBirth, false, 6, nil},
		{8, clientimport.StatusInvalid, "", false, 0, []string{"givenName"}},
		{9, clientimport.StatusInvalid, "", false, 0, []string{"nin"}},
		{10, clientimport.StatusInvalid, "", false, 0, []string{"birthDate"}},
		{11, clientimport.StatusInvalid, "", false, 0, []string{"postalCode", "phone", "email"}},
		{12, clientimport.StatusCreate, "", false, 0, nil},
	}
	if len(plan.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(plan.Rows), len(want))
	}
	for i, w := range want {
		r := plan.Rows[i]
		var fields []string
		for _, p := range r.Problems {
			fields = append(fields, p.Field)
		}
		got := verdict{r.Line, r.Status, r.DuplicateBy, r.DuplicateOf != 0, r.DuplicateLine, fields}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("row %d: got %+v, want %+v (reason %q)", i, got, w, clientimport.Reason(r, "nb"))
		}
		if r.Status != clientimport.StatusCreate && clientimport.Reason(r, "nb") == "" {
			t.Errorf("line %d has no reason", r.Line)
		}
	}
	if plan.Create != 3 || plan.Duplicate != 4 || plan.Invalid != 4 {
		t.Errorf("counts %d/%d/%d", plan.Create, plan.Duplicate, plan.Invalid)
	}
	if got := clientimport.Reason(plan.Rows[6], "nb"); got != "Fornavn: Dette feltet må fylles ut." {
		t.Errorf("reason in nb: %q", got)
	}
	if got := clientimport.Reason(plan.Rows[1], "en"); got != "Already in the file (the same identity number as line 2)." {
		t.Errorf("reason in en: %q", got)
	}

	// Import: the three good rows, one audit row, and nothing else.
	var seen []int
	res, err := clientimport.Import(ctx, db, plan, clientimport.Request{FileName: "klienter.csv", OSUser: "resepsjon"},
		func(done, total int) { seen = append(seen, done, total) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 3 || res.Refused != 8 {
		t.Errorf("result %+v", res)
	}
	if !reflect.DeepEqual(seen, []int{3, 3}) {
		t.Errorf("progress %v", seen)
	}
	page, err := db.SearchClients(ctx, register.Query{Limit: 100})
	if err != nil || page.Total != 5 {
		t.Fatalf("register holds %d clients, %v", page.Total, err)
	}
	audit, err := db.ListAudit(ctx, register.AuditFilter{Action: register.ActionImport})
	if err != nil || audit.Total != 1 || audit.Entries[0].Results != 3 ||
		audit.Entries[0].Query != "klienter.csv: 3 created, 4 duplicates, 4 invalid" {
		t.Fatalf("audit %+v, %v", audit, err)
	}

	// The same file again: everything is now a duplicate or invalid.
	again, err := clientimport.DryRun(ctx, db, tab, clientfile.GuessMapping(tab.Header))
	if err != nil || again.Create != 0 || again.Duplicate != 7 {
		t.Fatalf("second dry run %d/%d/%d, %v", again.Create, again.Duplicate, again.Invalid, err)
	}
}

// TestImportIsAllOrNothing: a client registered between the dry run and the
// import makes the whole import fail, and nothing of it is stored.
func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	cs := storetest.Clients(5, 200)
	var b strings.Builder
	w, err := clientfile.NewCSVWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		w.WriteRow(clientfile.Row(c))
	}
	w.Close()
	tab := readTable(t, b.String())
	plan, err := clientimport.DryRun(ctx, db, tab, clientfile.GuessMapping(tab.Header))
	if err != nil || plan.Create != 200 {
		t.Fatalf("dry run %d, %v", plan.Create, err)
	}
	// Someone registers the 150th client meanwhile.
	late := cs[150]
	if late.NIN == "" {
		late = cs[151]
	}
	if _, err := db.CreateClient(ctx, late); err != nil {
		t.Fatal(err)
	}
	_, err = clientimport.Import(ctx, db, plan, clientimport.Request{FileName: "x.csv"}, nil)
	var dup *register.DuplicateError
	if !errors.As(err, &dup) {
		t.Fatalf("import: %v, want a duplicate error", err)
	}
	page, _ := db.SearchClients(ctx, register.Query{Limit: 1})
	if page.Total != 1 {
		t.Errorf("register holds %d clients after a failed import, want 1", page.Total)
	}
	audit, _ := db.ListAudit(ctx, register.AuditFilter{Action: register.ActionImport})
	if audit.Total != 0 {
		t.Errorf("failed import left %d audit rows", audit.Total)
	}
}

// TestImportCancelled: an import stopped half way (the context ends) stores
// nothing.
func TestImportCancelled(t *testing.T) {
	db := openStore(t)
	cs := storetest.Clients(6, 2000)
	plan := clientimport.Plan{}
	for i, c := range cs {
		plan.Rows = append(plan.Rows, clientimport.Row{Line: i + 2, Status: clientimport.StatusCreate, Client: c})
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err := clientimport.Import(ctx, db, plan, clientimport.Request{FileName: "x.csv"}, func(done, total int) {
		if done >= 1000 {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("cancelled import succeeded")
	}
	page, _ := db.SearchClients(context.Background(), register.Query{Limit: 1})
	if page.Total != 0 {
		t.Errorf("register holds %d clients after a cancelled import", page.Total)
	}
}

func TestDryRunMapping(t *testing.T) {
	db := openStore(t)
	tab := readTable(t, "Fornavn;Kundenr\nOla;1\n")
	_, err := clientimport.DryRun(context.Background(), db, tab, clientfile.GuessMapping(tab.Header))
	if !errors.Is(err, clientimport.ErrMappingNames) {
		t.Errorf("no family name column: %v", err)
	}
	_, err = clientimport.DryRun(context.Background(), db, tab, clientfile.Mapping{"givenName", "givenName"})
	if !errors.Is(err, clientimport.ErrMapping) {
		t.Errorf("field twice: %v", err)
	}
	// The user fixes the mapping: Kundenr is the family name after all.
	plan, err := clientimport.DryRun(context.Background(), db, tab, clientfile.Mapping{"givenName", "familyName"})
	if err != nil || plan.Create != 1 || plan.Rows[0].Client.FamilyName != "1" {
		t.Errorf("fixed mapping: %+v, %v", plan, err)
	}
}

// TestRefusedReport: the refused rows come out with the file's own columns
// and a reason, and the report (fixed) imports again with the same mapping.
func TestRefusedReport(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	tab := readTable(t, "Fornavn;Etternavn;Fødselsdato\nOla;Hansen;1980-01-01\n;Berg;1990-01-01\nOla;Hansen;01.01.1980\n")
	plan, err := clientimport.DryRun(ctx, db, tab, clientfile.GuessMapping(tab.Header))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := clientimport.WriteRefused(&buf, tab, plan, "nb"); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFFornavn;Etternavn;Fødselsdato;Linje i filen;Hvorfor ikke importert\r\n" +
		";Berg;1990-01-01;3;Fornavn: Dette feltet må fylles ut.\r\n" +
		"Ola;Hansen;01.01.1980;4;Står allerede i filen (samme navn og fødselsdato som linje 2).\r\n"
	if buf.String() != want {
		t.Fatalf("report:\n%q\nwant\n%q", buf.String(), want)
	}
	fixed := strings.Replace(buf.String(), ";Berg;", "Liv;Berg;", 1)
	tab2 := readTable(t, fixed)
	m := clientfile.GuessMapping(tab2.Header)
	if !reflect.DeepEqual(m, clientfile.Mapping{"givenName", "familyName", "birthDate", "", ""}) {
		t.Fatalf("report mapping %v", m)
	}
	plan2, err := clientimport.DryRun(ctx, db, tab2, m)
	if err != nil || plan2.Create != 2 {
		t.Fatalf("fixed report: %+v, %v", plan2, err)
	}
}

// TestSameNameAndBirthWithDifferentNumbers: two people with the same name and
// birth date but different identity numbers are two clients; without a
// number on one side they are taken as the same person.
func TestSameNameAndBirthWithDifferentNumbers(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	cs := storetest.Clients(8, 40)
	var a, b register.Client
	for _, c := range cs {
		if c.NIN == "" || c.NINType != register.NINTypeSynthetic {
			continue
		}
		if a.NIN == "" {
			a = c
		} else if b.NIN == "" {
			b = c
		}
	}
	b.BirthDate, b.NIN = a.BirthDate, ""
	text := "Fornavn;Etternavn;Fødselsnummer;Fødselsdato\n" +
		"Jan;Hansen;" + a.NIN + ";" + a.BirthDate + "\n" +
		"Jan;Hansen;" + twin(t, a) + ";" + a.BirthDate + "\n" +
		"Jan;Hansen;;" + a.BirthDate + "\n"
	tab := readTable(t, text)
	plan, err := clientimport.DryRun(ctx, db, tab, clientfile.GuessMapping(tab.Header))
	if err != nil {
		t.Fatal(err)
	}
	got := []clientimport.Status{plan.Rows[0].Status, plan.Rows[1].Status, plan.Rows[2].Status}
	want := []clientimport.Status{clientimport.StatusCreate, clientimport.StatusCreate, clientimport.StatusDuplicate}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
}

// twin is another valid synthetic identity number with c's birth date.
func twin(t *testing.T, c register.Client) string {
	t.Helper()
	birth, err := time.Parse(time.DateOnly, c.BirthDate)
	if err != nil {
		t.Fatal(err)
	}
	for ind := 0; ind < 1000; ind++ {
		n, err := nin.Generate(birth, ind, nin.KindNational, true)
		if err == nil && n != c.NIN {
			return n
		}
	}
	t.Fatal("no second number")
	return ""
}
