package backup

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
)

// Backup files are named resepsjon-YYYYMMDD-HHMMSS.db (UTC), with ".age"
// added when encrypted, and each has a checksum file next to it: the same
// name plus ".sha256", in the format sha256sum writes and checks.
const (
	filePrefix     = "resepsjon-"
	fileLayout     = "20060102-150405"
	plainExt       = ".db"
	encryptedExt   = ".db.age"
	ChecksumExt    = ".sha256"
	ageHeaderStart = "age-encryption.org/v1"
)

// File is one backup in the folder.
type File struct {
	Name      string
	Path      string
	Time      time.Time // when it was made (UTC, from the name)
	Size      int64
	Encrypted bool
}

// fileName is the name of a backup made at t.
func fileName(t time.Time, encrypted bool) string {
	ext := plainExt
	if encrypted {
		ext = encryptedExt
	}
	return filePrefix + t.UTC().Format(fileLayout) + ext
}

// parseName reads a backup's time from its name; ok is false for any other
// file, which a backup never touches.
func parseName(name string) (t time.Time, encrypted, ok bool) {
	rest, found := strings.CutPrefix(name, filePrefix)
	if !found {
		return time.Time{}, false, false
	}
	switch {
	case strings.HasSuffix(rest, encryptedExt):
		rest, encrypted = strings.TrimSuffix(rest, encryptedExt), true
	case strings.HasSuffix(rest, plainExt):
		rest = strings.TrimSuffix(rest, plainExt)
	default:
		return time.Time{}, false, false
	}
	t, err := time.ParseInLocation(fileLayout, rest, time.UTC)
	if err != nil {
		return time.Time{}, false, false
	}
	return t, encrypted, true
}

// List returns the backups in folder, newest first. Files without their
// checksum file (a backup that did not finish) are left out.
func List(folder string) ([]File, error) {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", folder, err)
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	var out []File
	for _, e := range entries {
		t, enc, ok := parseName(e.Name())
		if !ok || !e.Type().IsRegular() || !names[e.Name()+ChecksumExt] {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, File{Name: e.Name(), Path: filepath.Join(folder, e.Name()), Time: t, Size: info.Size(), Encrypted: enc})
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i] // ReadDir sorts by name: oldest first
	}
	return out, nil
}

// writeFile writes what fill produces to dir/name: under a temporary name
// first, synced, then renamed, so a half-written backup never carries a
// backup's name. It returns the SHA-256 of what was written.
func writeFile(dir, name string, fill func(io.Writer) error) (string, error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	h := sha256.New()
	w := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<16)
	if err := fill(w); err != nil {
		return "", err
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return "", err
	}
	ok = true
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeChecksum writes the checksum file of the backup dir/name.
func writeChecksum(dir, name, sum string) error {
	_, err := writeFile(dir, name+ChecksumExt, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s  %s\n", sum, name)
		return err
	})
	return err
}

// ErrChecksumMissing means a backup has no checksum file next to it.
var ErrChecksumMissing = errors.New("the backup's checksum file is missing")

// ErrChecksumMismatch means a backup's content does not match its checksum:
// the file is damaged or was changed.
var ErrChecksumMismatch = errors.New("the backup does not match its checksum")

// VerifyChecksum compares path's SHA-256 with the checksum file next to it.
func VerifyChecksum(path string) error {
	b, err := os.ReadFile(path + ChecksumExt)
	if errors.Is(err, fs.ErrNotExist) {
		return ErrChecksumMissing
	}
	if err != nil {
		return fmt.Errorf("read checksum: %w", err)
	}
	want, _, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("verify checksum: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("verify checksum: %w", err)
	}
	if !strings.EqualFold(hex.EncodeToString(h.Sum(nil)), want) {
		return ErrChecksumMismatch
	}
	return nil
}

// IsEncrypted reports whether the file at path is age-encrypted.
func IsEncrypted(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(ageHeaderStart))
	n, _ := io.ReadFull(f, head)
	return bytes.Equal(head[:n], []byte(ageHeaderStart)), nil
}

// ErrWrongPassphrase means an encrypted backup could not be opened with the
// passphrase given.
var ErrWrongPassphrase = errors.New("wrong passphrase for the encrypted backup")

// ErrPassphraseNeeded means the backup is encrypted and no passphrase was
// given or found in the keyring.
var ErrPassphraseNeeded = errors.New("the backup is encrypted: a passphrase is needed")

// encryptTo returns a writer that encrypts to w with the passphrase;
// closing it finishes the encryption (not w).
func encryptTo(w io.Writer, passphrase string, workFactor int) (io.WriteCloser, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	if workFactor > 0 {
		r.SetWorkFactor(workFactor)
	}
	return age.Encrypt(w, r)
}

// decryptFile decrypts src into a new file dst (mode 0600).
func decryptFile(src, dst, passphrase string) error {
	if passphrase == "" {
		return ErrPassphraseNeeded
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return err
	}
	r, err := age.Decrypt(bufio.NewReader(in), id)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return ErrWrongPassphrase
		}
		return fmt.Errorf("decrypt backup: %w", err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return fmt.Errorf("decrypt backup: %w", err)
	}
	return out.Close()
}

// copyFile copies src into w.
func copyFile(w io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// WriteChecksumFor writes the checksum file for the file at path, as a
// backup does: for a copy made by hand (resepsjon backup FILE).
func WriteChecksumFor(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("checksum: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("checksum: %w", err)
	}
	if err := writeChecksum(filepath.Dir(path), filepath.Base(path), hex.EncodeToString(h.Sum(nil))); err != nil {
		return fmt.Errorf("checksum: %w", err)
	}
	return nil
}
