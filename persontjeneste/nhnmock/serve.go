package nhnmock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ErrNotLoopback is returned by Serve for an address that is not on loopback.
var ErrNotLoopback = errors.New("nhnmock: the mock listens on loopback only")

// Serve starts the mock on addr (host:port on loopback; port 0 picks a free
// one) and returns its base URL, e.g. http://127.0.0.1:53211. The server runs
// until ctx is cancelled and then shuts down gracefully. "localhost" is
// resolved to 127.0.0.1 so the URL does not depend on the resolver.
func Serve(ctx context.Context, addr string, m *Mock, logger *slog.Logger) (string, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("serve mock: address %q: %w", addr, err)
	}
	if host == "localhost" || host == "" {
		host = "127.0.0.1"
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return "", fmt.Errorf("%w: %q", ErrNotLoopback, addr)
	}
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return "", fmt.Errorf("serve mock: %w", err)
	}
	srv := &http.Server{
		Handler:           m.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("nhnmock: server stopped", "error", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			logger.Warn("nhnmock: shutdown", "error", err)
		}
	}()
	base := "http://" + l.Addr().String()
	logger.Info("nhnmock: listening", "url", base)
	return base, nil
}
