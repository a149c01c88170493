package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"resepsjon/app"
)

// A client list as an old system might export it: semicolons, Norwegian
// headers, a column the register has no field for, one row without a given
// name, one with a wrong identity number, and a row repeated. All synthetic.
const movingList = "Fornavn;Etternavn;Fødselsnr;Født;Mobil;Kundenr\r\n" +
	"Kari;Flyttelass;;01.02.1970;41234567;1001\r\n" +
	"Ola;Flyttelass;;03.04.1975;;1002\r\n" +
	";Uten Fornavn;;;;1003\r\n" +
	"Per;Feilnummer;12345678901;;;1004\r\n" +
	"Ola;Flyttelass;;1975-04-03;;1005\r\n"

// sizes are the viewports the screens are looked at in.
var sizes = []struct{ w, h int64 }{{1366, 768}, {1920, 1080}}

func setLanguage(b *browser, lang string) {
	b.t.Helper()
	eval[bool](b, fmt.Sprintf(`(localStorage.setItem('resepsjon.language', %s), true)`, jsString(lang)))
	b.reload()
}

// TestImportWizardInBrowser uploads a client list, fixes the guessed mapping,
// reads the check with its reasons, downloads the refused rows and imports.
func TestImportWizardInBrowser(t *testing.T) {
	s := startServer(t)
	list := filepath.Join(t.TempDir(), "klienter.csv")
	if err := os.WriteFile(list, []byte(movingList), 0o600); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	b.open(s.printedLaunchURL(t))
	b.click("#nav-settings")
	b.click("#settings-import")
	b.waitText("h1", "Importer klienter")

	// Upload without a file: said plainly.
	b.click("#import-upload")
	b.waitText("#import-upload-message", "Velg en fil først.")
	b.do(chromedp.SetUploadFiles("#import-file", []string{list}))
	b.click("#import-upload")
	b.waitFor("the mapping", `!!document.querySelector('#import-mapping')`)
	if got := b.text("#import-file-info"); !strings.Contains(got, "klienter.csv: 5 rader") {
		t.Errorf("file info %q", got)
	}
	// The guess: Fødselsnr and Mobil are known, Kundenr is not.
	for i, want := range []string{"givenName", "familyName", "nin", "birthDate", "phone", ""} {
		if got := b.value(fmt.Sprintf("#import-map-%d", i)); got != want {
			t.Errorf("column %d guessed as %q, want %q", i, got, want)
		}
	}
	// The user decides the customer number goes into the notes.
	b.selectValue("#import-map-5", "notes")
	b.click("#import-check")
	b.waitFor("the check", `!!document.querySelector('#import-plan')`)
	if got := b.text("#import-summary"); got != "2 blir opprettet, 1 finnes fra før, 2 er ugyldige." {
		t.Errorf("summary %q", got)
	}
	plan := b.text("#import-plan")
	for _, want := range []string{"Fornavn: Dette feltet må fylles ut.", "Fødselsnummer: Kontrollsifrene stemmer ikke", "Står allerede i filen (samme navn og fødselsdato som linje 3).", "Blir opprettet", "Finnes fra før", "Ugyldig"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the check lacks %q:\n%s", want, plan)
		}
	}
	for _, sz := range sizes {
		b.do(chromedp.EmulateViewport(sz.w, sz.h))
		b.screenshot(fmt.Sprintf("import-check-nb-%dx%d", sz.w, sz.h))
	}
	b.do(chromedp.EmulateViewport(1280, 720))
	b.checkLayout("the import check")

	// The refused rows as the browser downloads them.
	href := b.attr("#import-report", "href")
	report := eval[string](b, fmt.Sprintf(`fetch(%s, {credentials: 'same-origin'}).then(r => r.text())`, jsString(href)))
	for _, want := range []string{"Fornavn;Etternavn;Fødselsnr;Født;Mobil;Kundenr;Linje i filen;Hvorfor ikke importert", ";Uten Fornavn;;;;1003;4;Fornavn: Dette feltet må fylles ut.", "Per;Feilnummer;12345678901;;;1004;5;"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}

	b.click("#import-run")
	b.waitText("#import-progress-text", "Ferdig: 2 klienter er importert.")
	var page struct {
		Total   int `json:"total"`
		Results []struct {
			ID int64 `json:"id"`
		} `json:"results"`
	}
	s.api(t, http.MethodGet, "/api/clients?q=Flyttelass", nil, &page)
	if page.Total != 2 {
		t.Fatalf("register after the import: %+v", page)
	}
	var client struct {
		Notes string `json:"notes"`
	}
	s.api(t, http.MethodGet, fmt.Sprintf("/api/clients/%d", page.Results[0].ID), nil, &client)
	if !strings.HasPrefix(client.Notes, "100") {
		t.Errorf("the customer number did not go into the notes: %+v", client)
	}
	var audit app.AuditPage
	s.api(t, http.MethodGet, "/api/audit?action=import", nil, &audit)
	if audit.Total != 1 {
		t.Errorf("%d import rows in the audit log", audit.Total)
	}

	// The same screens in English.
	setLanguage(b, "en")
	b.do(chromedp.Navigate(s.URL + "/#/settings/import"))
	b.waitText("h1", "Import clients")
	b.do(chromedp.SetUploadFiles("#import-file", []string{list}))
	b.click("#import-upload")
	b.waitFor("the mapping", `!!document.querySelector('#import-mapping')`)
	b.click("#import-check")
	b.waitText("#import-summary", "0 will be created, 3 are already there, 2 are invalid.")
	for _, sz := range sizes {
		b.do(chromedp.EmulateViewport(sz.w, sz.h))
		b.screenshot(fmt.Sprintf("import-check-en-%dx%d", sz.w, sz.h))
	}
}

// TestBackupWarningOnFirstScreen: a practice without backups sees it on the
// first screen, with the way to the settings; a folder that goes away is
// said too; a good backup makes the warning go.
func TestBackupWarningOnFirstScreen(t *testing.T) {
	s := startServer(t)
	b := newBrowser(t)
	b.open(s.printedLaunchURL(t))
	b.waitFor("the backup warning", `!document.querySelector('#backup-warning').hidden`)
	if got := b.text("#backup-warning"); !strings.Contains(got, "Automatisk sikkerhetskopi er ikke satt opp.") {
		t.Errorf("warning %q", got)
	}
	if got := b.attr("#backup-warning", "data-warning"); got != "backup.not_configured" {
		t.Errorf("warning code %q", got)
	}
	b.checkLayout("the first screen with the backup warning")
	for _, sz := range sizes {
		b.do(chromedp.EmulateViewport(sz.w, sz.h))
		b.screenshot(fmt.Sprintf("backup-warning-nb-%dx%d", sz.w, sz.h))
	}
	b.do(chromedp.EmulateViewport(1280, 720))

	// Set up in the UI: a folder, then a backup now.
	folder := filepath.Join(t.TempDir(), "usb")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	b.click("#backup-warning-link")
	b.waitText("h1", "Sikkerhetskopi")
	b.retype("#backup-folder", folder)
	b.click("#backup-save")
	b.waitText("#backup-settings-message", "Innstillingene for sikkerhetskopi er lagret.")
	b.click("#backup-run")
	b.waitText("#backup-run-message", "Sikkerhetskopi tatt: resepsjon-")
	b.waitFor("the warning to go", `document.querySelector('#backup-warning').hidden`)
	b.waitFor("the status", `!!document.querySelector('#backup-status-ok')`)
	b.waitFor("the backup in the restore list", `document.querySelectorAll('#restore-file option').length === 2`)
	if got := b.text("#backup-settings-message"); strings.Contains(got, "galt") {
		t.Errorf("the settings card shows an error after the backup: %q", got)
	}
	if !strings.Contains(b.text("#backup-helseid"), "HelseID-nøkkelen er ikke med i sikkerhetskopien") {
		t.Errorf("no HelseID reminder on the backup page")
	}
	for _, sz := range sizes {
		b.do(chromedp.EmulateViewport(sz.w, sz.h))
		b.screenshot(fmt.Sprintf("backup-page-nb-%dx%d", sz.w, sz.h))
	}
	b.do(chromedp.EmulateViewport(1280, 720))
	b.checkLayout("the backup page")

	// The USB disk is unplugged: the first screen says so.
	if err := os.RemoveAll(folder); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(s.URL + "/#/clients"))
	b.reload()
	b.waitFor("the unreachable warning", `document.querySelector('#backup-warning').dataset.warning === 'backup.folder_unreachable'`)
	if got := b.text("#backup-warning"); !strings.Contains(got, "Mappen for sikkerhetskopi kan ikke nås.") {
		t.Errorf("warning %q", got)
	}
	setLanguage(b, "en")
	b.waitFor("the English warning", `document.querySelector('#backup-warning').textContent.includes('The backup folder cannot be reached.')`)
	for _, sz := range sizes {
		b.do(chromedp.EmulateViewport(sz.w, sz.h))
		b.screenshot(fmt.Sprintf("backup-warning-en-%dx%d", sz.w, sz.h))
	}
	b.do(chromedp.Navigate(s.URL + "/#/settings/backup"))
	b.waitText("h1", "Backup")
	b.waitFor("the status", `!!document.querySelector('#backup-status-warning')`)
	for _, sz := range sizes {
		b.do(chromedp.EmulateViewport(sz.w, sz.h))
		b.screenshot(fmt.Sprintf("backup-page-en-%dx%d", sz.w, sz.h))
	}
}
