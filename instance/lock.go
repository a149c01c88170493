package instance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// One register is served by one process. The process that serves it holds
// an exclusive operating-system lock (flock on Unix, LockFileEx on Windows)
// on a lock file in the data directory from before it opens the database
// until it exits; the operating system lets go of the lock when the process
// ends, however it ends. A second launch that cannot take the lock hands
// over to the holder (see Holder) and never serves.

// ErrLocked means another process holds the lock: the register is in use.
var ErrLocked = errors.New("the register is in use by another Resepsjon process")

// ErrNotLocked means nobody holds the lock (any more): try Acquire again.
var ErrNotLocked = errors.New("the register is not in use")

// ErrNoAnswer means another process holds the lock but its server did not
// answer in time.
var ErrNoAnswer = errors.New("the Resepsjon process using the register does not answer")

// Lock is this process's exclusive hold on a register.
type Lock struct {
	fl *flock.Flock
}

// Acquire takes the lock file at path (created with mode 0600) without
// waiting. It returns ErrLocked when another process holds it. The lock
// file's modification time is set to now: a server file older than that is
// a leftover of an earlier holder (see Holder).
func Acquire(path string) (*Lock, error) {
	for range 5 {
		fl := flock.New(path, flock.SetPermissions(0o600))
		ok, err := fl.TryLock()
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", filepath.Base(path), err)
		}
		if !ok {
			return nil, ErrLocked
		}
		// A holder that was letting go may have removed the file between
		// our open and our lock: a lock on a removed file guards nothing.
		locked, lerr := fl.Stat()
		named, nerr := os.Stat(path)
		if lerr != nil || nerr != nil || !os.SameFile(locked, named) {
			fl.Unlock()
			continue
		}
		now := time.Now()
		if err := os.Chtimes(path, now, now); err != nil {
			fl.Unlock()
			return nil, fmt.Errorf("lock %s: %w", filepath.Base(path), err)
		}
		return &Lock{fl: fl}, nil
	}
	return nil, ErrLocked
}

// Release lets go of the lock and removes the lock file. The file is
// removed while still locked where the system allows it (Unix), and after
// the unlock where it does not (Windows); Acquire checks that the file it
// locked is still the one at the path, so a process that opened the old file
// just before cannot hold a lock on it unnoticed.
func (l *Lock) Release() error {
	path := l.fl.Path()
	removeErr := os.Remove(path)
	if err := l.fl.Unlock(); err != nil {
		return fmt.Errorf("unlock %s: %w", filepath.Base(path), err)
	}
	if removeErr != nil {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", filepath.Base(path), err)
		}
	}
	return nil
}

// Path is the lock file's path.
func (l *Lock) Path() string { return l.fl.Path() }

// held reports whether another process holds the lock at path, by trying
// to take it and letting go at once.
func held(path string) (bool, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return false, nil // nobody has a lock file there
	}
	fl := flock.New(path, flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", filepath.Base(path), err)
	}
	if ok {
		return false, fl.Unlock()
	}
	return true, nil
}

// Holder returns the server file of the process that holds the lock at
// lockPath, once its server answers, waiting up to wait (the holder may
// still be opening the database). Only a server file written since the
// holder took the lock counts: an older one, left by a process that was
// killed, may name a port some other program now listens on. Holder
// returns ErrNotLocked if the lock is free (the holder exited meanwhile) and
// ErrNoAnswer if the holder's server did not answer in time.
func Holder(ctx context.Context, lockPath, serverPath string, wait time.Duration) (Info, error) {
	deadline := time.Now().Add(wait)
	for {
		isHeld, err := held(lockPath)
		if err != nil {
			return Info{}, err
		}
		if !isHeld {
			return Info{}, ErrNotLocked
		}
		if info, ok := currentServer(ctx, lockPath, serverPath); ok {
			return info, nil
		}
		if time.Now().After(deadline) {
			return Info{}, ErrNoAnswer
		}
		select {
		case <-ctx.Done():
			return Info{}, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// currentServer reads the server file if it was written since the lock was
// taken and its server answers /api/health.
func currentServer(ctx context.Context, lockPath, serverPath string) (Info, bool) {
	lockSt, err := os.Stat(lockPath)
	if err != nil {
		return Info{}, false
	}
	st, err := os.Stat(serverPath)
	if err != nil || st.ModTime().Before(lockSt.ModTime()) {
		return Info{}, false
	}
	info, err := Read(serverPath)
	if err != nil || info.Token == "" {
		return Info{}, false
	}
	if _, err := info.base(); err != nil {
		return Info{}, false
	}
	return info, healthy(ctx, info)
}

// healthy reports whether the server at info.URL answers /api/health.
func healthy(ctx context.Context, info Info) bool {
	base, err := info.base()
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.JoinPath("api", "health").String(), nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// base is info.URL checked to be a plain http://host:port address.
func (info Info) base() (*url.URL, error) {
	u, err := url.Parse(info.URL)
	if err != nil {
		return nil, fmt.Errorf("server address: %w", err)
	}
	if u.Scheme != "http" || u.Host == "" || u.Port() == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("server address %q is not http://host:port", info.URL)
	}
	return &url.URL{Scheme: "http", Host: u.Host}, nil
}

// LaunchURL is the address that opens the browser on the server of info
// with the one-time launch token: built here from the server file's address,
// never taken from what a server answers.
func (info Info) LaunchURL(launchToken string) (string, error) {
	u, err := info.base()
	if err != nil {
		return "", err
	}
	if launchToken == "" {
		return "", errors.New("empty launch token")
	}
	u.Path = "/"
	u.RawQuery = url.Values{"token": {launchToken}}.Encode()
	return u.String(), nil
}

// RequestLaunchToken asks the server of info for a fresh one-time launch
// token, authenticated with the server file's bearer token.
func RequestLaunchToken(ctx context.Context, info Info) (string, error) {
	base, err := info.base()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base.JoinPath("api", "launch").String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+info.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("launch: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("launch: status %d", resp.StatusCode)
	}
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 64<<10)).Decode(&out); err != nil {
		return "", fmt.Errorf("launch: %w", err)
	}
	if out.Token == "" {
		return "", errors.New("launch: no token in the answer")
	}
	return out.Token, nil
}
