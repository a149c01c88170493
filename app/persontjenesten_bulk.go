package app

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/lookup"
	"resepsjon/messages"
	"resepsjon/persontjeneste"
	"resepsjon/refresh"
)

// The routes of "Oppdater alle klienter fra Persontjenesten" (package
// refresh runs the job): start, follow, cancel.

type bulkItemJSON struct {
	ClientID int64                       `json:"clientId"`
	Name     string                      `json:"name"`
	Kinds    []persontjeneste.ChangeKind `json:"kinds"`
	Changes  []lookup.Change             `json:"changes"`
	Kept     []lookup.Change             `json:"kept"`
	Error    *bulkErrorJSON              `json:"error,omitempty"`
}

type bulkErrorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Service string `json:"service,omitempty"`
}

type bulkJobJSON struct {
	JobID      string         `json:"jobId,omitempty"`
	State      string         `json:"state"`
	Total      int            `json:"total"`
	Done       int            `json:"done"`
	Changed    int            `json:"changed"`
	Failed     int            `json:"failed"`
	StartedAt  *time.Time     `json:"startedAt"`
	FinishedAt *time.Time     `json:"finishedAt"`
	Report     []bulkItemJSON `json:"report"`
	Error      *bulkErrorJSON `json:"error"`
}

func (s *Server) postRefreshAll(c echo.Context) error {
	id, err := s.refresh.Start(c.Request().Context())
	switch {
	case errors.Is(err, refresh.ErrRunning):
		return &APIError{Status: http.StatusConflict, Code: "job_running", Message: bulkText("job_running", s.lang(c))}
	case errors.Is(err, refresh.ErrStopped):
		return newError(http.StatusServiceUnavailable, "internal")
	case err != nil:
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"jobId": id})
}

func (s *Server) getRefreshAll(c echo.Context) error {
	return c.JSON(http.StatusOK, bulkView(s.refresh.Status(), s.lang(c)))
}

// deleteRefreshAll asks a running job to stop; it ends "cancelled" once
// the client being saved is saved. The answer is the job as it is now.
func (s *Server) deleteRefreshAll(c echo.Context) error {
	return c.JSON(http.StatusAccepted, bulkView(s.refresh.Cancel(), s.lang(c)))
}

// bulkView is the job as JSON, with its messages in lang.
func bulkView(j refresh.Job, lang string) bulkJobJSON {
	out := bulkJobJSON{JobID: j.ID, State: j.State, Total: j.Total, Done: j.Done, Changed: j.Changed,
		Failed: j.Failed, StartedAt: j.StartedAt, FinishedAt: j.FinishedAt, Report: make([]bulkItemJSON, 0, len(j.Report))}
	for _, it := range j.Report {
		v := bulkItemJSON{ClientID: it.ClientID, Name: it.Name, Kinds: it.Kinds, Changes: it.Changes, Kept: it.Kept}
		if v.Kept == nil {
			v.Kept = []lookup.Change{}
		}
		if it.Error != "" {
			v.Error = &bulkErrorJSON{Code: it.Error, Message: bulkText("item."+it.Error, lang)}
		}
		out.Report = append(out.Report, v)
	}
	if j.ErrCode != "" {
		code := j.ErrCode
		if j.ErrService != "" {
			code += "." + j.ErrService
		}
		out.Error = &bulkErrorJSON{Code: j.ErrCode, Service: j.ErrService, Message: bulkText(code, lang)}
	}
	return out
}

// bulkText is a text of the refresh-all job in lang (package messages,
// under "bulk."); codes without a text of their own fall back to the API's
// error texts.
func bulkText(code, lang string) string {
	if messages.Has("bulk." + code) {
		return messages.Get("bulk."+code, "bulk.internal", lang)
	}
	return message(strings.TrimPrefix(code, "item."), lang)
}
