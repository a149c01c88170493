package loopback

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestIsHost(t *testing.T) {
	for _, c := range []struct {
		host string
		want bool
	}{
		{"localhost", true},
		{"LocalHost:8080", true},
		{"127.0.0.1", true},
		{"127.0.0.1:8710", true},
		{"127.9.9.9:1", true},
		{"LOCALHOST", true},
		{"[::1]:8710", true},
		{"[::1]", true},
		{"::1", true},
		{"[::ffff:127.0.0.1]:80", true},
		{"", false},
		{"example.test", false},
		{"example.test:8710", false},
		{"localhost.example.test", false},
		{"127.0.0.1.example.test:80", false},
		{"10.0.0.1:8710", false},
		{"[2001:db8::1]:80", false},
		{"0.0.0.0:80", false},
		{"[127.0.0.1:80]:8710", false}, // a host:port in the brackets is no address
	} {
		if got := IsHost(c.host); got != c.want {
			t.Errorf("IsHost(%q) = %v, want %v", c.host, got, c.want)
		}
	}
}

func TestIsIP(t *testing.T) {
	for _, c := range []struct {
		host string
		want bool
	}{
		{"127.0.0.1", true},
		{"[::1]", true},
		{"::1", true},
		{"localhost", false}, // a name, not an address
		{"192.168.1.2", false},
		{"", false},
	} {
		if got := IsIP(c.host); got != c.want {
			t.Errorf("IsIP(%q) = %v, want %v", c.host, got, c.want)
		}
	}
}

// FuzzIsHost: no Host header makes IsHost panic, and one it accepts names
// localhost or a loopback address.
func FuzzIsHost(f *testing.F) {
	for _, s := range []string{"localhost", "127.0.0.1:80", "[::1]:1", "example.test", "[", "]:", "::ffff:127.0.0.1", "LOCALHOST:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, hostport string) {
		if !IsHost(hostport) {
			return
		}
		host := hostport
		if h, _, err := net.SplitHostPort(hostport); err == nil {
			host = h
		}
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		if ip := net.ParseIP(host); !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
			t.Fatalf("IsHost(%q) accepted host %q", hostport, host)
		}
	})
}

func TestNamedOnly(t *testing.T) {
	h := NamedOnly("the mock", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	for _, c := range []struct {
		host string
		code int
	}{
		{"127.0.0.1:8710", http.StatusOK},
		{"localhost:8710", http.StatusOK},
		{"[::1]:8710", http.StatusOK},
		{"rebound.example.test:8710", http.StatusForbidden},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = c.host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != c.code {
			t.Errorf("Host %s: %d, want %d", c.host, w.Code, c.code)
		}
		if c.code == http.StatusForbidden && !strings.Contains(w.Body.String(), "the mock answers requests addressed to a loopback name only") {
			t.Errorf("Host %s: body %q", c.host, w.Body.String())
		}
	}
}

// TestServe: the server answers on its URL until the context ends, then
// shuts down and closes Done.
func TestServe(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s := Serve(ctx, l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	}), slog.New(slog.DiscardHandler), "test")
	if s.URL != "http://"+l.Addr().String() {
		t.Fatalf("URL %q, listener %s", s.URL, l.Addr())
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello" {
		t.Fatalf("body %q", body)
	}
	select {
	case <-s.Done():
		t.Fatal("Done before the context ended")
	default:
	}
	cancel()
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("not shut down 10 s after the context ended")
	}
	if _, err := client.Get(s.URL + "/"); err == nil {
		t.Fatal("still answering after shutdown")
	}
}
