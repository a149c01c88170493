package logfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestRotationKeepsSizeBounded(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "resepsjon.log")
	l, err := Open(path, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	line := []byte(strings.Repeat("x", 29) + "\n") // 30 bytes
	for i := 0; i < 20; i++ {
		if _, err := l.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		info, _ := e.Info()
		if info.Size() > 100 {
			t.Errorf("%s has %d bytes, limit 100", e.Name(), info.Size())
		}
		if info.Size()%30 != 0 {
			t.Errorf("%s has %d bytes: a line was split across files", e.Name(), info.Size())
		}
	}
	if strings.Join(names, ",") != "resepsjon.log,resepsjon.log.1,resepsjon.log.2" {
		t.Errorf("files %v, want the log and two rotated files", names)
	}
	if _, err := l.Write(line); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("write after Close: %v, want fs.ErrClosed", err)
	}
}

func TestOpenAppendsAndRotatesAnOldLargeFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	if err := os.WriteFile(path, bytes.Repeat([]byte("a"), 90), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := Open(path, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Write([]byte("0123456789012345\n")); err != nil {
		t.Fatal(err)
	}
	l.Close()
	old, _ := os.ReadFile(path + ".1")
	cur, _ := os.ReadFile(path)
	if len(old) != 90 || string(cur) != "0123456789012345\n" {
		t.Errorf("old %d bytes, current %q: want the old file rotated away before the write", len(old), cur)
	}
	if st, _ := os.Stat(path); st.Mode().Perm()&0o077 != 0 && os.PathSeparator == '/' {
		t.Errorf("mode %v, want readable by the user only", st.Mode())
	}
}

func TestKeepZeroAndBadArguments(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.log")
	l, err := Open(path, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	l.Write([]byte("123456789\n"))
	l.Write([]byte("abc\n"))
	l.Close()
	if b, _ := os.ReadFile(path); string(b) != "abc\n" {
		t.Errorf("got %q, want only the newest line", b)
	}
	if _, err := os.Stat(path + ".1"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("keep=0 left a rotated file: %v", err)
	}
	if _, err := Open(path, 0, 1); err == nil {
		t.Error("Open with maxBytes 0: want an error")
	}
}

func TestConcurrentWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.log")
	l, err := Open(path, 1000, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if _, err := l.Write([]byte("line of text\n")); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
