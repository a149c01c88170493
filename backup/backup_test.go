package backup_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"resepsjon/backup"
	"resepsjon/register"
	"resepsjon/store"
	"resepsjon/store/storetest"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time        { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration)   { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock(t time.Time) *clock      { return &clock{t: t} }
func mustT(s string) time.Time         { t, _ := time.Parse(time.RFC3339, s); return t }
func (c *clock) clock() register.Clock { return c.now }

type fixture struct {
	db     *store.DB
	dir    string // data directory
	folder string // backup folder
	clock  *clock
	pass   *backup.MemoryPassphrases
	svc    *backup.Service
}

func newFixture(t *testing.T, clients int) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{dir: t.TempDir(), folder: t.TempDir(), clock: newClock(mustT("2026-12-04T08:00:00Z")), pass: &backup.MemoryPassphrases{}}
	db, err := store.Open(ctx, filepath.Join(f.dir, "resepsjon.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if clients > 0 {
		if err := db.ImportClients(ctx, storetest.Clients(41, clients)); err != nil {
			t.Fatal(err)
		}
	}
	f.db = db
	f.svc = backup.New(backup.Config{
		Copier: db, Settings: db, Passphrases: f.pass, WorkDir: f.dir,
		Clock: f.clock.clock(), Location: time.UTC, ScryptWorkFactor: 10,
	})
	return f
}

func (f *fixture) configure(t *testing.T, encrypt bool, passphrase string) {
	t.Helper()
	set := backup.DefaultSettings()
	set.Folder, set.Encrypt = f.folder, encrypt
	if err := f.svc.SaveSettings(context.Background(), set, passphrase); err != nil {
		t.Fatal(err)
	}
}

func TestRetentionKeepsSevenDailyFourWeeklyTwelveMonthly(t *testing.T) {
	// Two backups a day (the schedule at 08:00, the shutdown at 16:00) for
	// 400 days up to Friday 2026-12-04.
	var files []backup.File
	end := mustT("2026-12-04T16:00:00Z")
	for d := 0; d < 400; d++ {
		day := end.AddDate(0, 0, -d)
		files = append(files, backup.File{Name: day.Format(time.RFC3339), Time: day},
			backup.File{Name: day.Add(-8 * time.Hour).Format(time.RFC3339), Time: day.Add(-8 * time.Hour)})
	}
	keep, remove := backup.DefaultRetention.Prune(files, time.UTC)
	var got []string
	for _, f := range keep {
		got = append(got, f.Time.Format("2006-01-02T15"))
	}
	want := []string{
		// 7 daily: the newest of each of the last seven days
		"2026-12-04T16", "2026-12-03T16", "2026-12-02T16", "2026-12-01T16", "2026-11-30T16", "2026-11-29T16", "2026-11-28T16",
		// 4 weekly: this week and the week before are in the daily ones
		"2026-11-22T16", "2026-11-15T16",
		// 12 monthly: December and November are in the daily ones
		"2026-10-31T16", "2026-09-30T16", "2026-08-31T16", "2026-07-31T16", "2026-06-30T16",
		"2026-05-31T16", "2026-04-30T16", "2026-03-31T16", "2026-02-28T16", "2026-01-31T16",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("kept\n%q\nwant\n%q", got, want)
	}
	if len(keep)+len(remove) != 800 {
		t.Fatalf("%d kept + %d removed of 800", len(keep), len(remove))
	}
	// Fewer backups than the rule allows: all are kept.
	keep, remove = backup.DefaultRetention.Prune(files[:5], time.UTC)
	if len(keep) != 3 || len(remove) != 2 {
		// five backups over three days: the newest of each day
		t.Fatalf("three days: kept %d, removed %d", len(keep), len(remove))
	}
}

// TestScheduleWithClock runs the service for 60 simulated days: backups are
// made when due, thinned out by the retention rule, and the status follows.
func TestScheduleWithClock(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 20)
	st, err := f.svc.Status(ctx)
	if err != nil || st.Warning != backup.WarnNotConfigured {
		t.Fatalf("before set-up: %+v, %v", st, err)
	}
	if due, _ := f.svc.Due(ctx); due {
		t.Fatal("due without a folder")
	}
	f.configure(t, false, "")
	if st, _ := f.svc.Status(ctx); st.Warning != backup.WarnNever {
		t.Fatalf("set up, no backup yet: %q", st.Warning)
	}
	made := 0
	for h := 0; h < 60*24; h++ {
		due, err := f.svc.Due(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if due {
			if _, err := f.svc.Run(ctx); err != nil {
				t.Fatal(err)
			}
			made++
		}
		f.clock.add(time.Hour)
	}
	if made != 60 {
		t.Fatalf("%d backups in 60 days, want 60 (daily)", made)
	}
	files, err := backup.List(f.folder)
	if err != nil {
		t.Fatal(err)
	}
	// 7 daily; weeks and months add the newest of 2026-12-27 (week 52),
	// 2026-12-20 (51); 2026-12-31 (December).
	if len(files) != 10 {
		var names []string
		for _, fl := range files {
			names = append(names, fl.Name)
		}
		t.Fatalf("%d backups kept: %v", len(files), names)
	}
	st, err = f.svc.Status(ctx)
	if err != nil || st.Warning != "" || st.Count != 10 || st.LastGood.IsZero() {
		t.Fatalf("status %+v, %v", st, err)
	}
	f.clock.add(31 * time.Hour)
	if st, _ := f.svc.Status(ctx); st.Warning != backup.WarnOverdue {
		t.Fatalf("31 hours after: %q, want overdue", st.Warning)
	}
	// The folder goes away (a USB disk unplugged): warning, and the
	// attempt fails without harm.
	os.RemoveAll(f.folder)
	if st, _ := f.svc.Status(ctx); st.Warning != backup.WarnUnreachable {
		t.Fatalf("folder gone: %q", st.Warning)
	}
	if _, err := f.svc.Run(ctx); err == nil {
		t.Fatal("backup into a missing folder succeeded")
	}
	if st, _ := f.svc.Status(ctx); st.LastError == "" || st.Warning != backup.WarnUnreachable {
		t.Fatalf("after a failed run: %+v", st)
	}
	// After a failure the scheduler waits before it tries again.
	if due, _ := f.svc.Due(ctx); due {
		t.Fatal("due again right after a failure")
	}
	f.clock.add(6 * time.Minute)
	if due, _ := f.svc.Due(ctx); !due {
		t.Fatal("not due again after the retry pause")
	}
}

func TestScheduleLoopBacksUpAtShutdown(t *testing.T) {
	f := newFixture(t, 5)
	f.configure(t, false, "")
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		f.svc.Schedule(ctx, tick, context.Background)
		close(done)
	}()
	// The first look finds a backup due (none yet). The loop takes a tick
	// only once that look is over, so the tick is the sign it is done; the
	// look the tick starts finds nothing due at the same hour.
	tick <- time.Time{}
	if files, _ := backup.List(f.folder); len(files) != 1 {
		t.Fatalf("%d backups after the first look, want 1", len(files))
	}
	// The shutdown comes the next day (the PC stayed on over night, but
	// a day's earlier backups give way to its newest).
	f.clock.add(2 * time.Hour)
	tick <- time.Time{}
	f.clock.add(20 * time.Hour)
	cancel()
	<-done
	files, _ := backup.List(f.folder)
	if len(files) != 2 {
		t.Fatalf("%d backups after a start and a shutdown, want 2", len(files))
	}
}

func TestSaveSettingsRefusesWhatCannotWork(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 0)
	file := filepath.Join(f.folder, "a-file")
	os.WriteFile(file, nil, 0o600)
	for _, tt := range []struct {
		name  string
		set   backup.Settings
		pass  string
		field string
	}{
		{"relative folder", backup.Settings{Folder: "backups", Schedule: "daily", Retention: backup.DefaultRetention}, "", "folder"},
		{"missing folder", backup.Settings{Folder: filepath.Join(f.folder, "nope"), Schedule: "daily", Retention: backup.DefaultRetention}, "", "folder"},
		{"a file, not a folder", backup.Settings{Folder: file, Schedule: "daily", Retention: backup.DefaultRetention}, "", "folder"},
		{"unknown schedule", backup.Settings{Folder: f.folder, Schedule: "yearly", Retention: backup.DefaultRetention}, "", "schedule"},
		{"keeps nothing", backup.Settings{Folder: f.folder, Schedule: "daily"}, "", "retention"},
		{"encryption without passphrase", backup.Settings{Folder: f.folder, Schedule: "daily", Encrypt: true, Retention: backup.DefaultRetention}, "", "passphrase"},
		{"short passphrase", backup.Settings{Folder: f.folder, Schedule: "daily", Encrypt: true, Retention: backup.DefaultRetention}, "kort", "passphrase"},
	} {
		var se *backup.SettingsError
		if err := f.svc.SaveSettings(ctx, tt.set, tt.pass); !errors.As(err, &se) || se.Field != tt.field {
			t.Errorf("%s: %v, want a settings error on %s", tt.name, err, tt.field)
		}
	}
}

// TestBackupDuringWrites: clients are written while backups are made; every
// backup passes the integrity check and restores.
func TestBackupDuringWrites(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 200)
	f.configure(t, false, "")
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			c := storetest.Clients(int64(1000+i), 1)[0]
			c.NIN, c.NINType = "", ""
			if _, err := f.db.CreateClient(ctx, c); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < 3; i++ {
		if _, err := f.svc.Run(ctx); err != nil {
			t.Fatal(err)
		}
		f.clock.add(24 * time.Hour)
	}
	stop.Store(true)
	wg.Wait()
	files, _ := backup.List(f.folder)
	if len(files) != 3 {
		t.Fatalf("%d backups", len(files))
	}
	for _, fl := range files {
		st, err := f.svc.Prepare(ctx, fl.Path, backup.RestoreOptions{}, store.CheckDatabaseFile)
		if err != nil {
			t.Fatalf("%s: %v", fl.Name, err)
		}
		if st.Check.Clients < 200 {
			t.Errorf("%s holds %d clients", fl.Name, st.Check.Clients)
		}
		st.Discard()
	}
}

func restoreCode(err error) string {
	var re *backup.RestoreError
	if errors.As(err, &re) {
		return re.Code
	}
	return ""
}

// TestRestoreChecks: each kind of backup restores, and every kind of bad
// backup is refused with its own reason before anything is touched.
func TestRestoreChecks(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 30)

	f.configure(t, false, "")
	plain, err := f.svc.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.add(24 * time.Hour)
	f.configure(t, true, "riktig hemmelig passfrase")
	enc, err := f.svc.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !enc.File.Encrypted || plain.File.Encrypted {
		t.Fatalf("plain %+v, encrypted %+v", plain.File, enc.File)
	}
	if ok, _ := backup.IsEncrypted(enc.File.Path); !ok {
		t.Fatal("the encrypted backup is not age-encrypted")
	}

	t.Run("plain", func(t *testing.T) {
		st, err := f.svc.Prepare(ctx, plain.File.Path, backup.RestoreOptions{}, store.CheckDatabaseFile)
		if err != nil || st.Check.Clients != 30 {
			t.Fatalf("%+v, %v", st.Check, err)
		}
		st.Discard()
	})
	t.Run("encrypted, passphrase from the keyring", func(t *testing.T) {
		st, err := f.svc.Prepare(ctx, enc.File.Path, backup.RestoreOptions{}, store.CheckDatabaseFile)
		if err != nil || st.Check.Clients != 30 {
			t.Fatalf("%+v, %v", st.Check, err)
		}
		st.Discard()
	})
	// On a new PC the keyring is empty: the passphrase must be given.
	newPC := backup.New(backup.Config{Passphrases: &backup.MemoryPassphrases{}, WorkDir: t.TempDir(), Settings: f.db})
	t.Run("encrypted on a new PC", func(t *testing.T) {
		if _, err := newPC.Prepare(ctx, enc.File.Path, backup.RestoreOptions{}, store.CheckDatabaseFile); restoreCode(err) != backup.CodePassphrase {
			t.Errorf("no passphrase: %v", err)
		}
		if _, err := newPC.Prepare(ctx, enc.File.Path, backup.RestoreOptions{Passphrase: "feil passfrase her"}, store.CheckDatabaseFile); restoreCode(err) != backup.CodeWrongPassphrase {
			t.Errorf("wrong passphrase: %v", err)
		}
		st, err := newPC.Prepare(ctx, enc.File.Path, backup.RestoreOptions{Passphrase: "riktig hemmelig passfrase"}, store.CheckDatabaseFile)
		if err != nil || st.Check.Clients != 30 {
			t.Fatalf("right passphrase: %+v, %v", st.Check, err)
		}
		st.Discard()
	})

	dir := t.TempDir()
	copyWithSum := func(name string, change func(path string)) string {
		p := filepath.Join(dir, name)
		b, _ := os.ReadFile(plain.File.Path)
		os.WriteFile(p, b, 0o600)
		change(p)
		return p
	}
	writeSum := func(p string) {
		// a checksum that matches the changed file, so the later checks
		// are the ones that answer
		if err := backup.WriteChecksumFor(p); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		path string
		opt  backup.RestoreOptions
		code string
	}{
		{"no checksum file", copyWithSum("a.db", func(string) {}), backup.RestoreOptions{}, backup.CodeChecksumMissing},
		{"checksum does not match", copyWithSum("b.db", func(p string) {
			writeSum(p)
			flip(t, p, 5000)
		}), backup.RestoreOptions{}, backup.CodeChecksumMismatch},
		{"corrupted inside", copyWithSum("c.db", func(p string) {
			corruptPages(t, p)
			writeSum(p)
		}), backup.RestoreOptions{}, backup.CodeDamaged},
		{"newer schema", copyWithSum("d.db", func(p string) {
			setUserVersion(t, p, 99)
			writeSum(p)
		}), backup.RestoreOptions{}, backup.CodeSchemaNewer},
		{"not a register", copyWithSum("e.db", func(p string) {
			os.WriteFile(p, []byte("Fornavn;Etternavn\nOla;Nordmann\n"), 0o600)
			writeSum(p)
		}), backup.RestoreOptions{}, backup.CodeNotRegister},
		{"missing file", filepath.Join(dir, "nothing.db"), backup.RestoreOptions{}, backup.CodeUnreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Prepare(ctx, tt.path, tt.opt, store.CheckDatabaseFile)
			if restoreCode(err) != tt.code {
				t.Fatalf("%v, want %s", err, tt.code)
			}
		})
	}
	// A copy made by hand without a checksum file restores when asked to.
	st, err := f.svc.Prepare(ctx, tests[0].path, backup.RestoreOptions{WithoutChecksum: true}, store.CheckDatabaseFile)
	if err != nil {
		t.Fatalf("without checksum: %v", err)
	}
	st.Discard()
	// Nothing was left behind in the data directory.
	if left, _ := filepath.Glob(filepath.Join(f.dir, ".restore-*")); len(left) != 0 {
		t.Errorf("staged copies left: %v", left)
	}
}

// TestSwapKeepsTheCurrentRegister restores a backup over a register that has
// changed since: the register is the backup's, and the replaced one is kept.
func TestSwapKeepsTheCurrentRegister(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 10)
	f.configure(t, false, "")
	res, err := f.svc.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.ImportClients(ctx, storetest.Clients(42, 5)); err != nil {
		t.Fatal(err)
	}
	st, err := f.svc.Prepare(ctx, res.File.Path, backup.RestoreOptions{}, store.CheckDatabaseFile)
	if err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(f.dir, "resepsjon.db")
	if err := backup.Swap(dbPath, st, ""); err == nil {
		t.Fatal("swap without keeping the current register succeeded")
	}
	kept := filepath.Join(f.dir, backup.KeptName(f.clock.now()))
	if err := f.db.Backup(ctx, kept); err != nil {
		t.Fatal(err)
	}
	f.db.Close()
	if err := backup.Swap(dbPath, st, kept); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{dbPath: 10, kept: 15} {
		db, err := store.Open(ctx, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		page, err := db.SearchClients(ctx, register.Query{Limit: 1})
		db.Close()
		if err != nil || page.Total != want {
			t.Errorf("%s holds %d clients, want %d (%v)", filepath.Base(path), page.Total, want, err)
		}
	}
}

func flip(t *testing.T, path string, at int64) {
	t.Helper()
	fh, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	b := make([]byte, 1)
	fh.ReadAt(b, at)
	b[0] ^= 0xff
	fh.WriteAt(b, at)
}

// corruptPages overwrites the middle of the file (table and index pages)
// with garbage, keeping the header so it still looks like SQLite.
func corruptPages(t *testing.T, path string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	fh, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	for off := int64(8192); off+4096 < info.Size(); off += 3 * 4096 {
		fh.WriteAt(junk, off)
	}
}

func setUserVersion(t *testing.T, path string, v int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
}
