package instance

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReadRemove(t *testing.T) {
	path := filepath.Join(t.TempDir(), "server.json")
	want := Info{URL: "http://127.0.0.1:8710", Port: 8710, PID: os.Getpid(), Token: "t"}
	if err := Write(path, want); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", st.Mode().Perm(), err)
	}
	got, err := Read(path)
	if err != nil || got != want {
		t.Fatalf("Read = %+v, %v", got, err)
	}
	// Another process's file is left alone.
	if err := Remove(path, want.PID+1); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal("Remove deleted another instance's file")
	}
	if err := Remove(path, want.PID); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("after Remove: %v", err)
	}
	if err := Remove(path, want.PID); err != nil {
		t.Fatalf("Remove of a missing file: %v", err)
	}
}
