package idportenmock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Server is a running provider.
type Server struct {
	// URL is the issuer, e.g. http://127.0.0.1:53211 (no trailing slash).
	URL  string
	done chan struct{}
}

// Done is closed when the server has shut down after its context ended.
func (s *Server) Done() <-chan struct{} { return s.done }

// Start serves m on a loopback address (port 0 picks a free one) until ctx
// ends. Requests must be addressed to a loopback name.
func Start(ctx context.Context, addr string, m *Mock, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("idportenmock: address %q: %w", addr, err)
	}
	if host == "" || host == "localhost" {
		host = "127.0.0.1"
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("idportenmock: %q is not a loopback address", addr)
	}
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("idportenmock: %w", err)
	}
	next := m.Handler()
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !loopbackHost(r.Host) {
				http.Error(w, "the mock answers requests addressed to a loopback name only", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("idportenmock: server stopped", "err", err)
		}
	}()
	s := &Server{URL: "http://" + l.Addr().String(), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
		<-served
	}()
	return s, nil
}

func loopbackHost(hostport string) bool {
	h, _, err := net.SplitHostPort(hostport)
	if err != nil {
		h = hostport
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
