package app

import (
	"encoding/csv"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/idporten"
	"resepsjon/messages"
	"resepsjon/portal"
	"resepsjon/register"
)

// persontjenestenRoutes registers the Persontjenesten and audit routes.
func (s *Server) persontjenestenRoutes(api *echo.Group) {
	api.GET("/persontjenesten/status", s.getPersontjenestenStatus)
	api.PUT("/persontjenesten/settings", s.putPersontjenestenSettings)
	api.POST("/persontjenesten/key", s.postPersontjenestenKey)
	api.POST("/persontjenesten/activate", s.postActivate)
	api.POST("/persontjenesten/refresh", s.postRefresh)
	api.POST("/persontjenesten/deactivate", s.postDeactivate)
	api.POST("/persontjenesten/search", s.postPersontjenestenSearch)
	api.POST("/persontjenesten/lookup", s.postPersontjenestenLookup)
	api.POST("/clients/:id/persontjenesten/update", s.postClientUpdateFromPersontjenesten)
	api.GET("/audit", s.getAudit)
	api.POST("/persontjenesten/refresh-all", s.postRefreshAll)
	api.GET("/persontjenesten/refresh-all", s.getRefreshAll)
	api.DELETE("/persontjenesten/refresh-all", s.deleteRefreshAll)
}

// elevenDigits finds identity numbers in audit queries.
var elevenDigits = regexp.MustCompile(`\b\d{11}\b`)

// maskQuery hides the personal part of every identity number: 6+5 digits
// become "140385*****".
func maskQuery(q string) string {
	return elevenDigits.ReplaceAllStringFunc(q, func(n string) string { return n[:6] + "*****" })
}

// AuditRow is one row of GET /api/audit (identity numbers masked).
type AuditRow struct {
	ID        int64     `json:"id"`
	Time      time.Time `json:"time"`
	OSUser    string    `json:"osUser"`
	Action    string    `json:"action"`
	Query     string    `json:"query"`
	Results   int       `json:"results"`
	PersonIDs []string  `json:"personIds"`
	Outcome   string    `json:"outcome"`
	ErrorCode string    `json:"errorCode"`
}

// AuditPage is GET /api/audit's answer: a page of rows and how many match
// in all.
type AuditPage struct {
	Results []AuditRow `json:"results"`
	Total   int        `json:"total"`
}

// getAudit lists the audit log (identity numbers masked), or exports it as
// CSV with full values for the data controller (format=csv).
func (s *Server) getAudit(c echo.Context) error {
	f := register.AuditFilter{Action: c.QueryParam("action")}
	fields := map[string]string{}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if raw := c.QueryParam(p.name); raw != "" {
			// Days as the reception sees them: the local time zone.
			t, err := time.ParseInLocation(time.DateOnly, raw, time.Local)
			if err != nil {
				fields[p.name] = register.CodeDate
				continue
			}
			*p.dst = t
		}
	}
	if f.Action != "" && !slices.Contains(register.AuditActions, f.Action) && !slices.Contains(portal.Actions, f.Action) &&
		!slices.Contains(idporten.Actions, f.Action) {
		fields["action"] = register.CodeInvalid
	}
	csvOut := false
	switch c.QueryParam("format") {
	case "", "json":
	case "csv":
		csvOut = true
	default:
		fields["format"] = register.CodeInvalid
	}
	if len(fields) > 0 {
		return &register.ValidationError{Fields: fields}
	}
	if !csvOut {
		limit, err := queryInt(c, "limit", 50, 1, 500)
		if err != nil {
			return err
		}
		offset, err := queryInt(c, "offset", 0, 0, 1<<30)
		if err != nil {
			return err
		}
		f.Limit, f.Offset = limit, offset
	}
	page, err := s.cfg.Audit.ListAudit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if csvOut {
		return s.writeAuditCSV(c, page.Entries)
	}
	rows := make([]AuditRow, 0, len(page.Entries))
	for _, e := range page.Entries {
		ids := e.PersonIDs
		if ids == nil {
			ids = []string{}
		}
		rows = append(rows, AuditRow{ID: e.ID, Time: e.Time.UTC(), OSUser: e.OSUser, Action: e.Action,
			Query: maskQuery(e.Query), Results: e.Results, PersonIDs: ids, Outcome: e.Outcome, ErrorCode: e.ErrorCode})
	}
	return c.JSON(http.StatusOK, AuditPage{Results: rows, Total: page.Total})
}

// auditCSVColumns are the export's columns, as message codes
// (messages/audit.go).
var auditCSVColumns = []string{"audit.csv.time", "audit.csv.user", "audit.csv.action", "audit.csv.query",
	"audit.csv.results", "audit.csv.person_ids", "audit.csv.outcome", "audit.csv.error_code"}

// writeAuditCSV writes the rows as Norwegian Excel opens them with a double
// click: UTF-8 with a byte-order mark, semicolons, local time, headers in
// the language asked for (lang=nb|en, else Accept-Language).
func (s *Server) writeAuditCSV(c echo.Context, entries []register.AuditEntry) error {
	lang := c.QueryParam("lang")
	if lang != "nb" && lang != "en" {
		lang = s.lang(c)
	}
	headers := make([]string, len(auditCSVColumns))
	for i, code := range auditCSVColumns {
		headers[i] = messages.Get(code, code, lang)
	}
	layout := messages.Get("audit.csv.time_layout", "audit.csv.time_layout", lang)
	name := "resepsjon-logg-" + s.now().Local().Format("2006-01-02") + ".csv"
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	if _, err := io.WriteString(c.Response(), "\uFEFF"); err != nil {
		return err
	}
	w := csv.NewWriter(c.Response())
	w.Comma = ';'
	w.UseCRLF = true
	if err := w.Write(headers); err != nil {
		return err
	}
	for _, e := range entries {
		rec := []string{e.Time.Local().Format(layout), csvSafe(e.OSUser), e.Action, csvSafe(e.Query), strconv.Itoa(e.Results),
			strings.Join(e.PersonIDs, " "), e.Outcome, e.ErrorCode}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// csvSafe keeps a spreadsheet from reading a value as a formula.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
