// Package app is Resepsjon's HTTP side: the JSON API, the embedded UI, and
// the session security around them (loopback Host check, same-origin check,
// launch token → cookie, bearer token for scripts).
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/activation"
	"resepsjon/buildinfo"
	"resepsjon/feed"
	"resepsjon/lookup"
	"resepsjon/refresh"
	"resepsjon/register"
)

// Config wires a Server. Clients, Audit, Connection, UI, Token and Port are
// required.
type Config struct {
	Clients register.ClientStore
	Audit   register.AuditLog
	// Connection is the practice's connection to NHN: settings, key,
	// activation checks and the Persontjenesten client.
	Connection *activation.Service
	// Lookup is search, lookup and "Oppdater via Persontjenesten".
	Lookup *lookup.Service
	// Refresh is "Oppdater alle"; the server stops it when it shuts down.
	Refresh *refresh.Runner
	// Feed follows Persontjenesten's change feed (optional: without it the
	// feed's routes answer 404).
	Feed         *feed.Follower
	UI           fs.FS // the ui/ directory: index.html, app.js, ...
	Logger       *slog.Logger
	Token        string   // session secret: cookie value and bearer token
	BaseURL      string   // http://127.0.0.1:PORT
	Port         int      // the port actually listened on (Host check)
	ExtraHosts   []string // further host names accepted in Host (allow_remote only)
	Demo         bool
	Version      string
	Language     string // default message language: nb or en
	MaxBodyBytes int64  // default 1 MiB
	Now          register.Clock
	// OSUser is the operating system user, written to the audit log.
	OSUser string
	// DemoOrganisations are shown on the activation screen in the demo.
	DemoOrganisations []DemoOrganisation
	// Portal is the patient portal's staff side (app/portal.go).
	Portal PortalConfig

	// Build is the version, commit and build date «Om Resepsjon» shows;
	// Version above is used when Build has none.
	Build buildinfo.Info
	// DataDir is where the register lives; DBPath is its database file,
	// whose size «Om Resepsjon» shows.
	DataDir, DBPath string
	// Quit asks the program to stop (the UI's «Avslutt»); nil: the UI
	// cannot stop the program.
	Quit func()
	// Transfer is import, export, backups and restore (app/transfer.go).
	Transfer TransferConfig
}

// Server serves the UI and the JSON API.
type Server struct {
	cfg      Config
	log      *slog.Logger
	echo     *echo.Echo
	launches *launchTokens
	now      register.Clock
	conn     *activation.Service
	lookup   *lookup.Service
	refresh  *refresh.Runner
	feed     *feed.Follower
	imports  imports         // client lists uploaded for import
	routes   map[string]bool // "METHOD /path" of every route but the catch-alls
}

// New builds the server; it does not listen.
func New(cfg Config) (*Server, error) {
	if cfg.Clients == nil || cfg.Audit == nil || cfg.Connection == nil || cfg.Lookup == nil || cfg.Refresh == nil ||
		cfg.UI == nil || cfg.Token == "" || cfg.Port == 0 {
		return nil, errors.New("app: Clients, Audit, Connection, Lookup, Refresh, UI, Token and Port are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.Transfer.MaxUploadBytes <= 0 {
		cfg.Transfer.MaxUploadBytes = 64 << 20
	}
	if cfg.Language == "" {
		cfg.Language = "nb"
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = fmt.Sprintf("http://127.0.0.1:%d", cfg.Port)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, launches: &launchTokens{tokens: map[string]time.Time{}}, now: cfg.Now}
	if s.now == nil {
		s.now = time.Now
	}
	s.conn, s.lookup, s.refresh = cfg.Connection, cfg.Lookup, cfg.Refresh
	s.feed = cfg.Feed
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.errorHandler
	e.Use(s.recoverPanic, s.logRequests, securityHeaders, s.checkHost, s.checkOrigin, s.limitBody)

	e.GET("/", s.launch)
	e.GET("/*", s.serveStatic)
	e.GET("/api/health", s.health)

	api := e.Group("/api", s.requireSession, checkQuery, requireJSON)
	api.GET("/app", s.appInfo)
	api.POST("/quit", s.postQuit)
	api.POST("/launch", s.postLaunch)
	api.GET("/clients", s.listClients)
	api.GET("/clients/ahead", s.listClientsAhead)
	api.POST("/clients", s.createClient)
	api.GET("/clients/:id", s.getClient)
	api.PUT("/clients/:id", s.updateClient)
	api.DELETE("/clients/:id", s.deleteClient)
	s.persontjenestenRoutes(api)
	s.portalRoutes(api)
	s.transferRoutes(api)
	s.feedRoutes(api)
	api.Any("/*", s.apiFallback)
	s.echo = e
	s.routes = map[string]bool{}
	for _, r := range e.Routes() {
		if r.Path != "/*" && r.Path != "/api/*" {
			s.routes[r.Method+" "+r.Path] = true
		}
	}
	return s, nil
}

// apiFallback answers an API request that matched no route: 405 with the
// Allow header when the path is a route for other methods (HEAD included:
// the API answers only the methods it lists), else 404.
//
// It stays hand-written rather than echo's own 405: echo's router puts
// OPTIONS first in every Allow header and answers OPTIONS itself with 204,
// and without this catch-all an unknown /api/ path would fall through to
// the UI's GET /* route instead of a JSON 404 behind the session check.
func (s *Server) apiFallback(c echo.Context) error {
	allowed := s.allowedMethods(echo.GetPath(c.Request()))
	if len(allowed) == 0 {
		return echo.ErrNotFound
	}
	c.Response().Header().Set(echo.HeaderAllow, strings.Join(allowed, ", "))
	return newError(http.StatusMethodNotAllowed, "method_not_allowed")
}

// allowedMethods lists the methods that have a route for path.
func (s *Server) allowedMethods(path string) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		c := s.echo.NewContext(nil, nil)
		s.echo.Router().Find(m, path, c)
		if s.routes[m+" "+c.Path()] {
			out = append(out, m)
		}
	}
	return out
}

// Handler is the whole app as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// Serve serves on ln until ctx is done, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// A running "Oppdater alle" stops with the server, after the client
	// being saved is saved.
	s.refresh.Stop()
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func (s *Server) health(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) serveIndex(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return s.sendFile(c, "index.html")
}

func (s *Server) serveStatic(c echo.Context) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if p == "" || p == "index.html" {
		return s.serveIndex(c)
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return s.sendFile(c, p)
}

func (s *Server) sendFile(c echo.Context, name string) error {
	data, err := fs.ReadFile(s.cfg.UI, name)
	if err != nil {
		return echo.ErrNotFound
	}
	ctype := "application/octet-stream"
	switch path.Ext(name) {
	case ".html":
		ctype = "text/html; charset=utf-8"
	case ".js", ".mjs":
		ctype = "text/javascript; charset=utf-8"
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	case ".png":
		ctype = "image/png"
	case ".ico":
		ctype = "image/x-icon"
	case ".json":
		ctype = "application/json"
	}
	return c.Blob(http.StatusOK, ctype, data)
}

// recoverPanic turns a handler panic into a 500 JSON error.
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in handler", "route", c.Path(), "panic", fmt.Sprint(r))
				err = newError(http.StatusInternalServerError, "internal")
			}
		}()
		return next(c)
	}
}

// logRequests logs method, route pattern, status and duration: never the
// query string or body, which can hold identity numbers and tokens.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := s.now()
		// The app's own time for the request, written just before the
		// status: the browser's resource timing shows it next to the time
		// the request spent in the browser (the developer tools, and the
		// browser benchmark's split of a keystroke's wait). Same origin only;
		// it says nothing but the duration.
		c.Response().Before(func() {
			c.Response().Header().Set("Server-Timing", "app;dur="+strconv.FormatFloat(float64(s.now().Sub(start).Microseconds())/1000, 'f', 2, 64))
		})
		err := next(c)
		status := c.Response().Status
		if err != nil {
			status = s.toAPIError(err, "en").Status
		}
		s.log.Debug("request", "method", c.Request().Method, "route", c.Path(), "status", status, "duration", s.now().Sub(start))
		return err
	}
}
