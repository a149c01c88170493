package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"resepsjon/clientfile"
	"resepsjon/clientimport"
	"resepsjon/config"
	"resepsjon/instance"
	"resepsjon/messages"
	"resepsjon/store"
)

// importShowRefused is how many refused rows the import command lists; the
// report file has them all.
const importShowRefused = 20

// importClients is "resepsjon import FILE": read a client list (CSV or
// .xlsx), guess the columns from the headers, check every row, and import the
// good ones in one transaction unless --dry-run.
func (env *environment) importClients(ctx context.Context, args []string) error {
	fs := pflag.NewFlagSet("import", pflag.ContinueOnError)
	fs.SetOutput(env.stderr)
	config.Flags(fs)
	dryRun := fs.Bool("dry-run", false, messages.Inline("cli.flag.import.dry_run"))
	refused := fs.String("refused", "", messages.Inline("cli.flag.import.refused"))
	cfg, err := env.parseConfig(fs, args, 1, config.DefaultPort)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageText("cli.usage.import")
	}
	name := fs.Arg(0)
	data, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	lang := cfg.Language
	tab, err := clientfile.Read(data)
	if err != nil {
		var fe *clientfile.FileError
		if errors.As(err, &fe) {
			return messages.Errorf(fmt.Errorf("%s: %w", name, err), fe.Code)
		}
		return err
	}
	m := clientfile.GuessMapping(tab.Header)
	fmt.Fprintf(env.stdout, "%s: %d rader / rows (%s)\n", name, len(tab.Rows), describeTable(tab))
	for i, h := range tab.Header {
		field := "—"
		if m[i] != "" {
			field = clientimport.FieldLabel(string(m[i]), lang)
		}
		fmt.Fprintf(env.stdout, "  %-24s → %s\n", h, field)
	}

	if err := ensureDataDir(cfg.DataDir); err != nil {
		return err
	}
	files := dataFiles(cfg.DataDir, false)
	lock, err := instance.Acquire(files.lock)
	if errors.Is(err, instance.ErrLocked) {
		return messages.Errorf(nil, "import.err.running")
	}
	if err != nil {
		return err
	}
	defer lock.Release()
	db, err := store.Open(ctx, files.db, newLogger(env.stderr, cfg.LogLevel))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	plan, err := clientimport.DryRun(ctx, db, tab, m)
	if err != nil {
		if errors.Is(err, clientimport.ErrMappingNames) {
			return messages.Errorf(err, "import.err.mapping_names")
		}
		return err
	}
	fmt.Fprintf(env.stdout, "%s %d, %s %d, %s %d\n",
		clientimport.Text(lang, "import.summary.create"), plan.Create,
		clientimport.Text(lang, "import.summary.duplicate"), plan.Duplicate,
		clientimport.Text(lang, "import.summary.invalid"), plan.Invalid)
	shown := 0
	for _, r := range plan.Rows {
		if r.Status == clientimport.StatusCreate {
			continue
		}
		if shown == importShowRefused {
			fmt.Fprintln(env.stdout, "  …")
			break
		}
		fmt.Fprintf(env.stdout, "  %d: %s\n", r.Line, clientimport.Reason(r, lang))
		shown++
	}
	if *refused != "" && plan.Create < len(plan.Rows) {
		if err := writeRefused(*refused, tab, plan, lang); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s %s\n", clientimport.Text(lang, "import.summary.report"), *refused)
	}
	if *dryRun {
		fmt.Fprintln(env.stdout, clientimport.Text(lang, "import.summary.dry_run"))
		return nil
	}
	// Progress in tenths: "  5000 / 50000".
	shownTenth := 0
	progress := func(done, total int) {
		if tenth := done * 10 / total; tenth > shownTenth {
			shownTenth = tenth
			fmt.Fprintf(env.stdout, "  %d / %d\n", done, total)
		}
	}
	res, err := clientimport.Import(ctx, db, plan, clientimport.Request{FileName: filepath.Base(name), OSUser: currentOSUser()}, progress)
	if err != nil {
		return messages.Errorf(err, "import.err.import_failed")
	}
	fmt.Fprintf(env.stdout, clientimport.Text(lang, "import.summary.done")+"\n", res.Created)
	return nil
}

func describeTable(t clientfile.Table) string {
	if t.Format == clientfile.FormatXLSX {
		return "Excel .xlsx"
	}
	sep := map[string]string{";": "semikolon / semicolon", ",": "komma / comma", "\t": "tabulator / tab"}[t.Separator]
	return "CSV, " + t.Encoding + ", " + sep
}

// writeRefused writes the refused-rows report; an existing file is not
// overwritten.
func writeRefused(path string, t clientfile.Table, p clientimport.Plan, lang string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("refused rows report: %w", err)
	}
	if err := clientimport.WriteRefused(f, t, p, lang); err != nil {
		f.Close()
		return fmt.Errorf("refused rows report: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("refused rows report: %w", err)
	}
	return nil
}
