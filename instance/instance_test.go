package instance

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
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

func TestRunning(t *testing.T) {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/health" {
			w.Write([]byte(`{"status":"ok"}`))
			return
		}
		http.NotFound(w, r)
	}))
	defer healthy.Close()
	broken := httptest.NewServer(http.NotFoundHandler())
	defer broken.Close()
	tests := []struct {
		name string
		info Info
		want bool
	}{
		{"alive and healthy", Info{URL: healthy.URL, PID: os.Getpid()}, true},
		{"dead pid", Info{URL: healthy.URL, PID: 1 << 30}, false},
		{"no pid", Info{URL: healthy.URL}, false},
		{"nothing listening", Info{URL: "http://127.0.0.1:1", PID: os.Getpid()}, false},
		{"not our server", Info{URL: broken.URL, PID: os.Getpid()}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Running(context.Background(), tc.info); got != tc.want {
				t.Errorf("Running = %v, want %v", got, tc.want)
			}
		})
	}
}
