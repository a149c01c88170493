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
	"resepsjon/persontjeneste/helseid"
	"resepsjon/register"
	"resepsjon/store"
)

// keyringTimeout bounds each keyring call. It is generous because the OS may
// ask the user to unlock the keyring first.
const keyringTimeout = 2 * time.Minute

// maxKeyFile bounds what key import reads: a 4096-bit RSA JWK is about 3 KiB.
const maxKeyFile = 1 << 20

const msgNoKeyring = `Fant ingen nøkkelring (Secret Service) å lagre HelseID-nøkkelen i, eller den er låst.
Resepsjon lagrer aldri private nøkler i klartekst. Start eller lås opp nøkkelringen
(for eksempel GNOME Keyring eller KWallet) og prøv igjen.
No OS keyring (Secret Service) was found to keep the HelseID key in, or it is locked.
Resepsjon never stores private keys in plain text. Start or unlock the keyring
(for example GNOME Keyring or KWallet) and try again.`

const msgPrivateWarning = `
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
ADVARSEL: Den PRIVATE nøkkelen skrives ut nedenfor. Den er KUN for testklienten
i NHN-mocken. Bruk den aldri mot ekte HelseID, og ikke lagre den der andre kan se den.
WARNING: the PRIVATE key is printed below. It is ONLY for the NHN mock's test
client. Never use it against the real HelseID; do not keep it where others can read it.
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
`

const msgGenerateActive = "Det finnes allerede en aktiv HelseID-nøkkel (%s). Bruk --replace for å lage en ny og slette den gamle.\n" +
	"A HelseID key is already active (%s). Use --replace to make a new one and delete the old one"

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
		return &usageError{"key: missing command (generate, show, import or delete)"}
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
		return &usageError{fmt.Sprintf("key: unknown command %q", sub)}
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
		return fmt.Errorf("%s\n(%s: %w)", msgNoKeyring, action, err)
	}
	return fmt.Errorf("%s: %w", action, err)
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
func (env *environment) activate(ctx context.Context, conn *activation.Service, k *helseid.Key, replace bool, msgActive string) error {
	kctx, cancel := context.WithTimeout(ctx, keyringTimeout)
	defer cancel()
	done, err := conn.InstallKey(kctx, k, replace)
	var active *activation.KeyActiveError
	switch {
	case errors.As(err, &active):
		return fmt.Errorf(msgActive, active.KID, active.KID)
	case errors.Is(err, helseid.ErrNoKeyring):
		return keyringError("store the key in the OS keyring", err)
	case err != nil:
		return err
	}
	if old := done.Replaced; old != "" && done.ReplacedNotDeleted != nil {
		fmt.Fprintf(env.stderr, "Merk: den gamle nøkkelen %s kunne ikke slettes fra nøkkelringen (%v). Slett den der for hånd.\n"+
			"Note: the old key %s could not be deleted from the keyring; delete it there by hand.\n", old, done.ReplacedNotDeleted, old)
	}
	return nil
}

func (env *environment) keyGenerate(ctx context.Context, args []string) error {
	fs := env.keyFlags("generate")
	alg := fs.String("alg", helseid.AlgRS256, "signature algorithm: RS256 (RSA-3072), ES256 (EC P-256), PS256 or RS512")
	replace := fs.Bool("replace", false, "replace the active key (the old one is deleted from the keyring)")
	printPrivate := fs.Bool("print-private", false, "also print the PRIVATE JWK — only for the NHN mock's test client, never for real use")
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
		return fmt.Errorf(msgGenerateActive, old, old)
	}
	k, err := activation.NewKey(*alg, "alg")
	if err != nil {
		var verr *register.ValidationError
		if errors.As(err, &verr) {
			return &usageError{fmt.Sprintf("--alg %q: use RS256, ES256, PS256 or RS512", *alg)}
		}
		return err
	}
	if err := env.activate(ctx, conn, k, *replace, msgGenerateActive); err != nil {
		return err
	}
	pub, err := k.PublicJWK()
	if err != nil {
		return err
	}
	if err := printJWK(env.stdout, pub); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "Ny HelseID-nøkkel lagret i nøkkelringen / New HelseID key stored in the OS keyring: %s (%s)\n"+
		"Registrer den offentlige nøkkelen (JWK-en på standard ut) i HelseID selvbetjening.\n"+
		"Register the public key (the JWK on standard output) in HelseID selvbetjening.\n", k.KID(), k.Alg())
	if *printPrivate {
		priv, err := k.PrivateJWK()
		if err != nil {
			return err
		}
		fmt.Fprint(env.stderr, msgPrivateWarning)
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
		return fmt.Errorf("Nøkkelen %s er valgt, men finnes ikke i nøkkelringen. Lag en ny med \"resepsjon key generate --replace\" og registrer den i HelseID selvbetjening.\n"+
			"The key %s is selected but missing from the OS keyring. Make a new one with \"resepsjon key generate --replace\" and register it in HelseID selvbetjening", id, id)
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
	fmt.Fprintf(env.stderr, "Aktiv HelseID-nøkkel / Active HelseID key: %s (%s)\n", k.KID(), k.Alg())
	return nil
}

func errNoActiveKey() error {
	return errors.New("Ingen HelseID-nøkkel er satt opp. Lag en med \"resepsjon key generate\" eller hent en inn med \"resepsjon key import FIL\".\n" +
		"No HelseID key is set up. Make one with \"resepsjon key generate\" or bring one in with \"resepsjon key import FILE\"")
}

func (env *environment) keyImport(ctx context.Context, args []string) error {
	fs := env.keyFlags("import")
	alg := fs.String("alg", "", "signature algorithm (default: the JWK's alg, else ES256 for EC and RS256 for RSA keys)")
	replace := fs.Bool("replace", false, "replace the active key (the old one is deleted from the keyring)")
	cfg, err := env.parseConfig(fs, args, 1, config.DefaultPort)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{"usage: resepsjon key import FILE (JWK or PEM; - reads standard input)"}
	}
	name := fs.Arg(0)
	data, err := env.readKeyFile(name)
	if err != nil {
		return err
	}
	k, err := helseid.ImportKey(data, *alg)
	clear(data)
	if err != nil {
		return fmt.Errorf("Kunne ikke lese nøkkelen i %s / could not read the key in %s: %w", name, name, err)
	}
	db, conn, err := env.openKeySettings(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := env.activate(ctx, conn, k, *replace, "Det finnes allerede en aktiv HelseID-nøkkel (%s). Bruk --replace for å bytte den ut.\n"+
		"A HelseID key is already active (%s). Use --replace to replace it"); err != nil {
		return err
	}
	pub, err := k.PublicJWK()
	if err != nil {
		return err
	}
	if err := printJWK(env.stdout, pub); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "HelseID-nøkkelen er lagret i nøkkelringen / The HelseID key is stored in the OS keyring: %s (%s)\n"+
		"Du kan nå slette filen %s. / You can now delete the file %s.\n", k.KID(), k.Alg(), name, name)
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
			return nil, fmt.Errorf("Kunne ikke åpne nøkkelfilen / could not open the key file: %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("read the key file %s: %w", name, err)
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("%s er for stor til å være en nøkkel / %s is too large to be a key", name, name)
	}
	return data, nil
}

func (env *environment) keyDelete(ctx context.Context, args []string) error {
	fs := env.keyFlags("delete")
	yes := fs.Bool("yes", false, "really delete the active key")
	cfg, err := env.parseConfig(fs, args, 0, config.DefaultPort)
	if err != nil {
		return err
	}
	if !*yes {
		return &usageError{strings.Join([]string{
			"Sletting fjerner den private nøkkelen fra nøkkelringen for godt; Resepsjon kan ikke hente data fra Persontjenesten",
			"før en ny nøkkel er laget og registrert i HelseID selvbetjening. Kjør \"resepsjon key delete --yes\" for å slette.",
			"Deleting removes the private key from the OS keyring for good; Resepsjon cannot reach Persontjenesten until a new",
			"key is made and registered in HelseID selvbetjening. Run \"resepsjon key delete --yes\" to delete it.",
		}, "\n")}
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
		fmt.Fprintf(env.stderr, "Nøkkelen %s fantes ikke i nøkkelringen / The key %s was not in the OS keyring.\n", id, id)
	}
	fmt.Fprintf(env.stderr, "HelseID-nøkkelen %s er slettet. Fjern også den offentlige nøkkelen i HelseID selvbetjening.\n"+
		"The HelseID key %s is deleted. Remove its public key in HelseID selvbetjening as well.\n", id, id)
	return nil
}
