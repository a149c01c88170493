package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"resepsjon/app"
	"resepsjon/backup"
	"resepsjon/clientfile"
	"resepsjon/register"
	"resepsjon/store"
	"resepsjon/store/storetest"
)

// transferApp is a test app with import, export, backups into folder and a
// restore that only checks (the program's restart is not part of the app).
func transferApp(t *testing.T, folder string) *testApp {
	t.Helper()
	return newTestAppWith(t, func(c *testConfig) {
		c.OSUser = "resepsjonist"
		c.TransferWire = func(db *store.DB) app.TransferConfig {
			svc := backup.New(backup.Config{Copier: db, Settings: db, Passphrases: &backup.MemoryPassphrases{},
				WorkDir: t.TempDir(), ScryptWorkFactor: 10})
			return app.TransferConfig{Import: db, Export: db, Backups: svc,
				Restore: func(ctx context.Context, path string, opt backup.RestoreOptions) (register.DatabaseCheck, error) {
					st, err := svc.Prepare(ctx, path, opt, store.CheckDatabaseFile)
					if err != nil {
						return register.DatabaseCheck{}, err
					}
					st.Discard()
					return st.Check, nil
				}}
		}
	})
}

func contentType(ct string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Content-Type", ct) }
}

func TestImportThroughTheAPI(t *testing.T) {
	t.Parallel()
	a := transferApp(t, "")
	list := "Fornavn;Etternavn;Fødselsnummer;Telefon;Født\r\n" +
		"Kari;Nordmann;;41234567;1.2.1980\r\n" +
		";Uten fornavn;;;\r\n" +
		"Ola;Hansen;12345678901;;\r\n" +
		"Kari;Nordmann;;;1980-02-01\r\n"

	// Only file types are accepted as the body of an upload.
	if r := a.do("POST", "/api/import/file?name=k.csv", list, contentType("application/json")); r.status != http.StatusUnsupportedMediaType {
		t.Fatalf("JSON content type: %d %s", r.status, r.body)
	}
	r := a.do("POST", "/api/import/file?name=klienter.csv", list, contentType("text/csv"))
	if r.status != http.StatusOK {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	var up app.ImportUpload
	r.decode(t, &up)
	if up.Rows != 4 || fmt.Sprint(up.Mapping) != "[givenName familyName nin phone birthDate]" || len(up.Preview) != 4 ||
		up.Name != "klienter.csv" || up.Separator != ";" || len(up.Fields) != len(clientfile.Fields) {
		t.Fatalf("upload answer %+v", up)
	}
	// The user fixes nothing here; a mapping without names is refused.
	if r := a.do("POST", "/api/import/"+up.ID+"/check", map[string]any{"mapping": []string{"", "", "nin", "", ""}}); r.status != 400 || r.apiError(t).Code != "import_mapping_names" {
		t.Fatalf("mapping without names: %d %s", r.status, r.body)
	}
	r = a.do("POST", "/api/import/"+up.ID+"/check", map[string]any{"mapping": up.Mapping}, func(r *http.Request) { r.Header.Set("Accept-Language", "en") })
	var plan app.ImportPlan
	r.decode(t, &plan)
	if plan.Create != 1 || plan.Duplicate != 1 || plan.Invalid != 2 || len(plan.Rows) != 4 {
		t.Fatalf("check: %s", r.body)
	}
	if plan.Rows[2].Reason != "Identity number: The check digits do not match. Check that the number is typed correctly." {
		t.Errorf("reason: %q", plan.Rows[2].Reason)
	}
	r = a.do("POST", "/api/import/"+up.ID+"/run", map[string]any{"mapping": up.Mapping})
	if r.status != http.StatusOK {
		t.Fatalf("run: %d %s", r.status, r.body)
	}
	var job struct {
		State   string
		Created int
	}
	eventually(t, 30*time.Second, "the import did not finish", func() bool {
		a.do("GET", "/api/import/"+up.ID, nil).decode(t, &job)
		return job.State != "running" && job.State != ""
	})
	if job.State != "done" || job.Created != 1 {
		t.Fatalf("job %+v", job)
	}
	if r := a.do("POST", "/api/import/"+up.ID+"/run", map[string]any{"mapping": up.Mapping}); r.status != http.StatusConflict {
		t.Errorf("second run: %d", r.status)
	}
	r = a.do("GET", "/api/import/"+up.ID+"/refused.csv?lang=nb", nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(string(r.body), ";Uten fornavn;;;;3;Fornavn: Dette feltet må fylles ut.") {
		t.Fatalf("report %d %q", r.status, r.body)
	}
	page, _ := a.db.SearchClients(context.Background(), register.Query{Limit: 10})
	if page.Total != 1 {
		t.Fatalf("register holds %d", page.Total)
	}
	if r := a.do("POST", "/api/import/nope/check", map[string]any{"mapping": up.Mapping}); r.status != 404 {
		t.Errorf("unknown upload: %d", r.status)
	}
}

func TestExportThroughTheAPI(t *testing.T) {
	t.Parallel()
	a := transferApp(t, "")
	cs := storetest.Clients(61, 25)
	if err := a.db.ImportClients(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	if r := a.do("POST", "/api/export", map[string]any{"format": "csv", "fullNin": true}); r.status != 400 || r.apiError(t).Code != "export_confirm" {
		t.Fatalf("full numbers without confirmation: %d %s", r.status, r.body)
	}
	r := a.do("POST", "/api/export", map[string]any{"format": "csv"})
	if r.status != 200 || !strings.Contains(r.header.Get("Content-Disposition"), "klienter-") {
		t.Fatalf("masked export: %d %s", r.status, r.header)
	}
	for _, c := range cs {
		if c.NIN != "" && bytes.Contains(r.body, []byte(c.NIN)) {
			t.Fatal("the masked export holds a full identity number")
		}
	}
	r = a.do("POST", "/api/export", map[string]any{"format": "xlsx", "fullNin": true, "confirm": true})
	if r.status != 200 {
		t.Fatalf("xlsx: %d %s", r.status, r.body)
	}
	tab, err := clientfile.Read(r.body)
	if err != nil || tab.Format != clientfile.FormatXLSX || len(tab.Rows) != 25 {
		t.Fatalf("xlsx back: %d rows, %v", len(tab.Rows), err)
	}
	audit, _ := a.db.ListAudit(context.Background(), register.AuditFilter{Action: register.ActionExport})
	if audit.Total != 2 || audit.Entries[0].OSUser != "resepsjonist" {
		t.Fatalf("audit %+v", audit)
	}
}

func TestBackupThroughTheAPI(t *testing.T) {
	t.Parallel()
	folder := t.TempDir()
	a := transferApp(t, folder)
	var st struct {
		Warning, WarningText string
		Configured           bool
	}
	a.do("GET", "/api/backup/status", nil).decode(t, &st)
	if st.Warning != backup.WarnNotConfigured || st.WarningText == "" || st.Configured {
		t.Fatalf("status before set-up: %+v", st)
	}
	set := map[string]any{"folder": "relativ/mappe", "schedule": "daily", "atShutdown": true, "retention": backup.DefaultRetention}
	if r := a.do("PUT", "/api/backup/settings", set); r.status != 400 || r.apiError(t).Fields["folder"] == "" {
		t.Fatalf("relative folder: %d %s", r.status, r.body)
	}
	set["folder"], set["encrypt"], set["passphrase"] = folder, true, "en lang og god passfrase"
	if r := a.do("PUT", "/api/backup/settings", set); r.status != 200 || strings.Contains(string(r.body), "passfrase") {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	r := a.do("POST", "/api/backup/run", nil)
	var res backup.Result
	r.decode(t, &res)
	if r.status != 200 || !res.File.Encrypted {
		t.Fatalf("run: %d %s", r.status, r.body)
	}
	a.do("GET", "/api/backup/status", nil).decode(t, &st)
	if st.Warning != "" {
		t.Fatalf("status after a backup: %+v", st)
	}
	var files struct{ Files []backup.File }
	a.do("GET", "/api/backup/files", nil).decode(t, &files)
	if len(files.Files) != 1 {
		t.Fatalf("files %+v", files)
	}
	if r := a.do("POST", "/api/backup/restore", map[string]any{"path": files.Files[0].Path}); r.status != 202 {
		t.Fatalf("restore check: %d %s", r.status, r.body)
	}
	// A damaged backup is refused in plain words.
	b, _ := os.ReadFile(files.Files[0].Path)
	b[len(b)/2] ^= 0xff
	os.WriteFile(files.Files[0].Path, b, 0o600)
	r = a.do("POST", "/api/backup/restore", map[string]any{"path": files.Files[0].Path})
	if r.status != 400 || r.apiError(t).Code != backup.CodeChecksumMismatch || !strings.Contains(r.apiError(t).Message, "sjekksummen") {
		t.Fatalf("damaged: %d %s", r.status, r.body)
	}
	if r := a.do("POST", "/api/backup/restore", map[string]any{"path": filepath.Base(files.Files[0].Path)}); r.status != 400 {
		t.Fatalf("relative path: %d", r.status)
	}
	// The folder goes away: the status warns.
	os.RemoveAll(folder)
	a.do("GET", "/api/backup/status", nil).decode(t, &st)
	if st.Warning != backup.WarnUnreachable {
		t.Fatalf("folder gone: %+v", st)
	}
}
