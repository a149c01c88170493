// Package logfile writes the program's log to a file in the data directory,
// bounded in size: when the file passes its limit it is renamed to
// NAME.1 (NAME.1 to NAME.2, and so on) and a new file is started, keeping a
// fixed number of old files. Without a console (a double-clicked program on
// Windows or macOS) this file is where start-up failures and warnings can be
// read afterwards.
package logfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"sync"
)

// Defaults for the program's log: at most 1 MiB per file and three old
// files, so the log never takes more than 4 MiB.
const (
	DefaultMaxBytes = 1 << 20
	DefaultKeep     = 3
)

// File is a size-bounded, rotated log file. It is safe for concurrent use.
type File struct {
	path     string
	maxBytes int64
	keep     int

	mu   sync.Mutex
	f    *os.File
	size int64
}

// Open opens (appends to) the log file at path, readable by this user only.
// maxBytes bounds each file; keep is how many rotated files are kept.
func Open(path string, maxBytes int64, keep int) (*File, error) {
	if maxBytes <= 0 || keep < 0 {
		return nil, errors.New("logfile: maxBytes must be positive and keep not negative")
	}
	l := &File{path: path, maxBytes: maxBytes, keep: keep}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *File) open() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open log file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("open log file: %w", err)
	}
	l.f, l.size = f, st.Size()
	return nil
}

// Write appends p, rotating first when p would take the file past its limit.
// A single write larger than the limit still goes into a file of its own.
func (l *File) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return 0, fs.ErrClosed
	}
	if l.size > 0 && l.size+int64(len(p)) > l.maxBytes {
		if err := l.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := l.f.Write(p)
	l.size += int64(n)
	return n, err
}

// rotate closes the file, shifts NAME.i to NAME.i+1 (dropping the oldest),
// renames NAME to NAME.1 and opens a new NAME.
func (l *File) rotate() error {
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("rotate log file: %w", err)
	}
	l.f = nil
	if l.keep == 0 {
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("rotate log file: %w", err)
		}
		return l.open()
	}
	oldest := l.path + "." + strconv.Itoa(l.keep)
	if err := os.Remove(oldest); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("rotate log file: %w", err)
	}
	for i := l.keep - 1; i >= 1; i-- {
		from := l.path + "." + strconv.Itoa(i)
		if err := os.Rename(from, l.path+"."+strconv.Itoa(i+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("rotate log file: %w", err)
		}
	}
	if err := os.Rename(l.path, l.path+".1"); err != nil {
		return fmt.Errorf("rotate log file: %w", err)
	}
	return l.open()
}

// Close closes the file; later writes fail with fs.ErrClosed.
func (l *File) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
