package nhnmock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"

	"resepsjon/loopback"
)

// ErrNotLoopback is returned by Serve and Start for an address that is not on
// loopback, unless ServeOptions.AllowRemote is set.
var ErrNotLoopback = errors.New("nhnmock: the mock listens on loopback only")

// ServeOptions tunes Start.
type ServeOptions struct {
	// AllowRemote permits a non-loopback listen address. The control API
	// under /_mock/ keeps answering loopback callers only.
	AllowRemote bool
	// Logger receives the listen and shutdown records; nil discards them.
	Logger *slog.Logger
}

// Server is a running mock; its URL is the base URL, e.g.
// http://127.0.0.1:53211 (no trailing slash).
type Server = loopback.Server

// Serve starts the mock on addr (host:port on loopback; port 0 picks a free
// one) and returns its base URL, e.g. http://127.0.0.1:53211. The server runs
// until ctx is cancelled and then shuts down gracefully. "localhost" is
// resolved to 127.0.0.1 so the URL does not depend on the resolver.
func Serve(ctx context.Context, addr string, m *Mock, logger *slog.Logger) (string, error) {
	s, err := Start(ctx, addr, m, ServeOptions{Logger: logger})
	if err != nil {
		return "", err
	}
	return s.URL, nil
}

// Start is Serve with options, returning a Server whose Done channel tells
// when the shutdown after ctx has finished. An empty host or "localhost"
// means 127.0.0.1.
func Start(ctx context.Context, addr string, m *Mock, opts ServeOptions) (*Server, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("serve mock: address %q: %w", addr, err)
	}
	if host == "localhost" || host == "" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return nil, fmt.Errorf("serve mock: address %q: the host must be an IP address or localhost", addr)
	}
	if !ip.IsLoopback() && !opts.AllowRemote {
		return nil, fmt.Errorf("%w: %q", ErrNotLoopback, addr)
	}
	// An IPv4 address listens on IPv4 only, so that the URL names the
	// address that was asked for (0.0.0.0 would otherwise become [::]).
	network := "tcp"
	if ip.To4() != nil {
		network = "tcp4"
	}
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, network, net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("serve mock: %w", err)
	}
	handler := m.Handler()
	if !opts.AllowRemote {
		// On loopback only, every request must be addressed to a loopback
		// name: DNS rebinding cannot drive the mock from a web page.
		handler = loopback.NamedOnly("the mock", handler)
	}
	s := loopback.Serve(ctx, l, handler, logger, "nhnmock")
	logger.Info("nhnmock: listening", "url", s.URL)
	return s, nil
}
