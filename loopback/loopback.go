// Package loopback tells loopback addresses and names (this machine) from
// others, and serves HTTP until a context ends, as the offline mocks do: a
// server on loopback must not answer a web page that reached it through DNS
// rebinding, which shows in the Host header (NamedOnly).
package loopback

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// IsIP reports whether host, an IP address in brackets or not, is a
// loopback address.
func IsIP(host string) bool {
	ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return ip != nil && ip.IsLoopback()
}

// IsHost reports whether a Host header names this machine's loopback:
// localhost or a loopback IP address, with or without a port.
func IsHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	return strings.EqualFold(host, "localhost") || IsIP(host)
}

// NamedOnly answers 403 to a request addressed to a name other than a
// loopback one, and passes the others to next. A page whose DNS name was
// re-pointed at 127.0.0.1 reaches a loopback server from the local browser,
// but with its own name in Host. what names the server in the answer.
func NamedOnly(what string, next http.Handler) http.Handler {
	msg := what + " answers requests addressed to a loopback name only"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !IsHost(r.Host) {
			http.Error(w, msg, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Server is an HTTP server that runs until its context ends.
type Server struct {
	// URL is its base URL, e.g. http://127.0.0.1:53211 (no trailing slash).
	URL  string
	done chan struct{}
}

// Done is closed when the server has shut down after its context ended.
func (s *Server) Done() <-chan struct{} { return s.done }

// shutdownWait is how long the requests in flight get to finish after the
// context ends.
const shutdownWait = 5 * time.Second

// Serve serves h on l until ctx ends, then shuts down gracefully. name
// begins its log lines ("nhnmock: server stopped").
func Serve(ctx context.Context, l net.Listener, h http.Handler, log *slog.Logger, name string) *Server {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error(name+": server stopped", "err", err)
		}
	}()
	s := &Server{URL: "http://" + l.Addr().String(), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownWait)
		defer cancel()
		if err := srv.Shutdown(shut); err != nil {
			log.Warn(name+": shutdown", "err", err)
		}
		<-served
	}()
	return s
}
