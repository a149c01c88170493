package idportenmock

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"resepsjon/loopback"
)

// Server is a running provider; its URL is the issuer, e.g.
// http://127.0.0.1:53211 (no trailing slash).
type Server = loopback.Server

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
	if !loopback.IsIP(host) {
		return nil, fmt.Errorf("idportenmock: %q is not a loopback address", addr)
	}
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("idportenmock: %w", err)
	}
	s := loopback.Serve(ctx, l, loopback.NamedOnly("the mock", m.Handler()), log, "idportenmock")
	return s, nil
}
