package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"resepsjon/activation"
	"resepsjon/config"
	"resepsjon/messages"
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
	"resepsjon/store"
)

// keyringTimeout bounds each keyring call. It is generous because the OS may
// ask the user to unlock the keyring first.
const keyringTimeout = 2 * time.Minute

// maxKeyFile bounds what key import reads: a 4096-bit RSA JWK is about 3 KiB.
const maxKeyFile = 1 << 20

func keyUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: resepsjon key COMMAND [flags]

The HelseID key pair: the private key lives only in the OS keyring; the public
key (JWK) is printed on standard output for HelseID selvbetjening.

Commands:
  generate [--alg RS256|ES256|PS256|RS512] [--replace] [--print-private]
                 make a new key (kid = RFC 7638 thumbprint) and make it the active one
  show           print the active key's public JWK
  import FILE [--alg ...] [--replace]
                 import a private key from a JWK or PEM file (PKCS#1, PKCS#8, SEC1); - reads stdin
  delete --yes   delete the active key from the keyring

Every command also takes --data-dir and --config (the database holds which key is active).
`)
}

// key runs "resepsjon key ...".
func (env *environment) key(ctx context.Context, args []string) error {
	if len(args) == 0 {
		keyUsage(env.stderr)
		return usageText("cli.usage.key_missing")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "generate":
		return env.keyGenerate(ctx, rest)
	case "show":
		return env.keyShow(ctx, rest)
	case "import":
		return env.keyImport(ctx, rest)
	case "delete":
		return env.keyDelete(ctx, rest)
	case "help", "-h", "--help":
		keyUsage(env.stdout)
		return nil
	default:
		keyUsage(env.stderr)
		return usageText("cli.usage.key_unknown", sub)
	}
}

// keyFlags is a flag set with the data directory and config file flags; the
// serving flags are accepted but hidden, so one config file fits all.
func (env *environment) keyFlags(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("key "+name, pflag.ContinueOnError)
	fs.SetOutput(env.stderr)
	config.Flags(fs)
	for _, hidden := range []string{"listen", "port", "no-browser", "language"} {
		_ = fs.MarkHidden(hidden)
	}
	return fs
}

// openKeySettings opens the app's database, which records the active key,
// and the practice's NHN connection over it with the OS keyring; the
// connection does every key operation, as it does for the activation
// screen. The caller closes the database.
func (env *environment) openKeySettings(ctx context.Context, cfg config.Config) (*store.DB, *activation.Service, error) {
	if err := ensureDataDir(cfg.DataDir); err != nil {
		return nil, nil, err
	}
	// Routine records (migrations) would bury the command's answer.
	level := cfg.LogLevel
	if level == "info" {
		level = "warn"
	}
	log := newLogger(env.stderr, level)
	db, err := store.Open(ctx, dataFiles(cfg.DataDir, false).db, log)
	if err != nil {
		return nil, nil, fmt.Errorf("open database: %w", err)
	}
	conn, err := activation.New(activation.Config{Settings: db, Keys: env.keys(), KeyTimeout: keyringTimeout, NHN: cfg.NHN, Logger: log})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, conn, nil
}

// keyringError turns a keyring failure into the plain message the user can
// act on; other errors keep their context.
func keyringError(action string, err error) error {
	if errors.Is(err, helseid.ErrNoKeyring) {
		return messages.Errorf(fmt.Errorf("%s: %w", action, err), "cli.key.no_keyring")
	}
	return fmt.Errorf("%s: %w", action, err)
}

// printPrivateWarning warns, between two rows of "!", that a private key
// follows.
func printPrivateWarning(w io.Writer) {
	bar := strings.Repeat("!", 80)
	fmt.Fprintf(w, "\n%s\n%s\n%s\n", bar, messages.Both("cli.key.private_warning"), bar)
}

// printJWK writes an indented JSON object and a newline.
func printJWK(w io.Writer, jwk []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, jwk, "", "  "); err != nil {
		return fmt.Errorf("format JWK: %w", err)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// activate makes k the active key through the practice's NHN connection
// (which removes k again if it cannot be recorded) and says so when the
// replaced key could not be deleted.
func (env *environment) activate(ctx context.Context, conn *activation.Service, k *helseid.Key, replace bool, codeActive string) error {
	kctx, cancel := context.WithTimeout(ctx, keyringTimeout)
	defer cancel()
	done, err := conn.InstallKey(kctx, k, replace)
	var active *activation.KeyActiveError
	switch {
	case errors.As(err, &active):
		return messages.Errorf(nil, codeActive, active.KID)
	case errors.Is(err, helseid.ErrNoKeyring):
		return keyringError("store the key in the OS keyring", err)
	case err != nil:
		return err
	}
	if old := done.Replaced; old != "" && done.ReplacedNotDeleted != nil {
		fmt.Fprintln(env.stderr, messages.Both("cli.key.old_not_deleted", old, done.ReplacedNotDeleted))
	}
	return nil
}

func (env *environment) keyGenerate(ctx context.Context, args []string) error {
	fs := env.keyFlags("generate")
	alg := fs.String("alg", helseid.AlgRS256, messages.Inline("cli.flag.key.generate.alg"))
	replace := fs.Bool("replace", false, messages.Inline("cli.flag.key.replace"))
	printPrivate := fs.Bool("print-private", false, messages.Inline("cli.flag.key.print_private"))
	cfg, err := env.parseConfig(fs, args, 0, config.DefaultPort)
	if err != nil {
		return err
	}
	db, conn, err := env.openKeySettings(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	// Checked before a key is made, as making an RSA key takes a moment;
	// InstallKey checks again.
	old, err := conn.ActiveKeyID(ctx)
	if err != nil {
		return err
	}
	if old != "" && !*replace {
		return messages.Errorf(nil, "cli.key.generate_active", old)
	}
	k, err := activation.NewKey(*alg, "alg")
	if err != nil {
		var verr *register.ValidationError
		if errors.As(err, &verr) {
			return usageText("cli.usage.key_alg", *alg)
		}
		return err
	}
	if err := env.activate(ctx, conn, k, *replace, "cli.key.generate_active"); err != nil {
		return err
	}
	pub, err := k.PublicJWK()
	if err != nil {
		return err
	}
	if err := printJWK(env.stdout, pub); err != nil {
		return err
	}
	fmt.Fprintln(env.stderr, messages.Both("cli.key.generated", k.KID(), k.Alg()))
	if *printPrivate {
		priv, err := k.PrivateJWK()
		if err != nil {
			return err
		}
		printPrivateWarning(env.stderr)
		if err := printJWK(env.stdout, priv); err != nil {
			return err
		}
	}
	return nil
}

func (env *environment) keyShow(ctx context.Context, args []string) error {
	fs := env.keyFlags("show")
	cfg, err := env.parseConfig(fs, args, 0, config.DefaultPort)
	if err != nil {
		return err
	}
	db, conn, err := env.openKeySettings(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	k, err := conn.ActiveKey(ctx, keyringTimeout)
	if errors.Is(err, activation.ErrNoKey) {
		return errNoActiveKey()
	}
	if errors.Is(err, helseid.ErrKeyNotFound) {
		id, _ := conn.ActiveKeyID(ctx)
		return messages.Errorf(nil, "cli.key.missing_from_keyring", id)
	}
	if err != nil {
		return keyringError("read the key from the OS keyring", err)
	}
	pub, err := k.PublicJWK()
	if err != nil {
		return err
	}
	if err := printJWK(env.stdout, pub); err != nil {
		return err
	}
	fmt.Fprintln(env.stderr, messages.Inline("cli.key.active", k.KID(), k.Alg()))
	return nil
}

func errNoActiveKey() error { return messages.Errorf(nil, "cli.key.none") }

func (env *environment) keyImport(ctx context.Context, args []string) error {
	fs := env.keyFlags("import")
	alg := fs.String("alg", "", messages.Inline("cli.flag.key.import.alg"))
	replace := fs.Bool("replace", false, messages.Inline("cli.flag.key.replace"))
	cfg, err := env.parseConfig(fs, args, 1, config.DefaultPort)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageText("cli.usage.key_import")
	}
	name := fs.Arg(0)
	data, err := env.readKeyFile(name)
	if err != nil {
		return err
	}
	k, err := helseid.ImportKey(data, *alg)
	clear(data)
	if err != nil {
		return messages.Errorf(err, "cli.key.unreadable", name)
	}
	db, conn, err := env.openKeySettings(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := env.activate(ctx, conn, k, *replace, "cli.key.import_active"); err != nil {
		return err
	}
	pub, err := k.PublicJWK()
	if err != nil {
		return err
	}
	if err := printJWK(env.stdout, pub); err != nil {
		return err
	}
	fmt.Fprintln(env.stderr, messages.Both("cli.key.imported", k.KID(), k.Alg(), name))
	return nil
}

// readKeyFile reads a key file, or standard input for "-".
func (env *environment) readKeyFile(name string) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		if env.stdin == nil {
			return nil, errors.New("no standard input")
		}
		r = env.stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, messages.Errorf(err, "cli.key.file_unopenable")
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("read the key file %s: %w", name, err)
	}
	if len(data) > maxKeyFile {
		return nil, messages.Errorf(nil, "cli.key.file_too_large", name)
	}
	return data, nil
}

func (env *environment) keyDelete(ctx context.Context, args []string) error {
	fs := env.keyFlags("delete")
	yes := fs.Bool("yes", false, messages.Inline("cli.flag.key.yes"))
	cfg, err := env.parseConfig(fs, args, 0, config.DefaultPort)
	if err != nil {
		return err
	}
	if !*yes {
		return usageText("cli.key.delete_confirm")
	}
	db, conn, err := env.openKeySettings(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	kctx, cancel := context.WithTimeout(ctx, keyringTimeout)
	defer cancel()
	removed, err := conn.RemoveKey(kctx)
	switch {
	case errors.Is(err, activation.ErrNoKey):
		return errNoActiveKey()
	case errors.Is(err, helseid.ErrNoKeyring):
		return keyringError("delete the key from the OS keyring", err)
	case err != nil:
		return err
	}
	id := removed.KID
	if removed.WasMissing {
		fmt.Fprintln(env.stderr, messages.Inline("cli.key.not_in_keyring", id))
	}
	fmt.Fprintln(env.stderr, messages.Both("cli.key.deleted", id))
	return nil
}
