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

// BulkItem is one client in the update-all report.
type BulkItem struct {
	ClientID int64                       `json:"clientId"`
	Name     string                      `json:"name"`
	Kinds    []persontjeneste.ChangeKind `json:"kinds"`
	Changes  []lookup.Change             `json:"changes"`
	Kept     []lookup.Change             `json:"kept"`
	Error    *BulkError                  `json:"error,omitempty"`
}

// BulkError is why the job, or one client in it, failed.
type BulkError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Service string `json:"service,omitempty"`
}

// BulkJob is GET /api/persontjenesten/refresh-all: the job as it stands.
type BulkJob struct {
	JobID      string     `json:"jobId,omitempty"`
	State      string     `json:"state"`
	Total      int        `json:"total"`
	Done       int        `json:"done"`
	Changed    int        `json:"changed"`
	Failed     int        `json:"failed"`
	StartedAt  *time.Time `json:"startedAt"`
	FinishedAt *time.Time `json:"finishedAt"`
	Report     []BulkItem `json:"report"`
	Error      *BulkError `json:"error"`
	DryRun     bool       `json:"dryRun"`
	Resumed    bool       `json:"resumed"`
	// Unfinished is a run cut off by a restart (or stopped by NHN's
	// failure) that can be finished: {"resume": true}.
	Unfinished *BulkUnfinished `json:"unfinished"`
}

// BulkUnfinished is a run that can be finished (see BulkJob.Unfinished).
type BulkUnfinished struct {
	ID        string    `json:"id"`
	StartedAt time.Time `json:"startedAt"`
	Total     int       `json:"total"`
	Done      int       `json:"done"`
	// State is "running" (cut off by a restart) or "failed" (stopped when
	// NHN did not answer).
	State string `json:"state"`
}

// postRefreshAll starts a run: {} (or no body), {"dryRun": true} to report
// without saving, {"resume": true} to finish the run that was cut off.
func (s *Server) postRefreshAll(c echo.Context) error {
	var body struct {
		DryRun bool `json:"dryRun"`
		Resume bool `json:"resume"`
	}
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &body); err != nil {
			return err
		}
	}
	id, err := s.refresh.StartWith(c.Request().Context(), refresh.Options{DryRun: body.DryRun, Resume: body.Resume})
	switch {
	case errors.Is(err, refresh.ErrNoRun):
		return &APIError{Status: http.StatusConflict, Code: "no_run", Message: bulkText("no_run", s.lang(c))}
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
	v := bulkView(s.refresh.Status(), s.lang(c))
	run, ok, err := s.refresh.Unfinished(c.Request().Context())
	if err != nil {
		return err
	}
	if ok && len(run.Pending) > 0 {
		v.Unfinished = &BulkUnfinished{ID: run.ID, StartedAt: run.StartedAt, Total: run.Total, Done: run.Done, State: run.State}
	}
	return c.JSON(http.StatusOK, v)
}

// deleteRefreshAll asks a running job to stop; it ends "cancelled" once
// the client being saved is saved. The answer is the job as it is now.
func (s *Server) deleteRefreshAll(c echo.Context) error {
	return c.JSON(http.StatusAccepted, bulkView(s.refresh.Cancel(), s.lang(c)))
}

// bulkView is the job as JSON, with its messages in lang.
func bulkView(j refresh.Job, lang string) BulkJob {
	out := BulkJob{JobID: j.ID, State: j.State, Total: j.Total, Done: j.Done, Changed: j.Changed,
		Failed: j.Failed, StartedAt: j.StartedAt, FinishedAt: j.FinishedAt, Report: make([]BulkItem, 0, len(j.Report)),
		DryRun: j.DryRun, Resumed: j.Resumed}
	for _, it := range j.Report {
		v := BulkItem{ClientID: it.ClientID, Name: it.Name, Kinds: it.Kinds, Changes: it.Changes, Kept: it.Kept}
		if v.Kept == nil {
			v.Kept = []lookup.Change{}
		}
		if it.Error != "" {
			v.Error = &BulkError{Code: it.Error, Message: bulkText("item."+it.Error, lang)}
		}
		out.Report = append(out.Report, v)
	}
	if j.ErrCode != "" {
		code := j.ErrCode
		if j.ErrService != "" {
			code += "." + j.ErrService
		}
		out.Error = &BulkError{Code: j.ErrCode, Service: j.ErrService, Message: bulkText(code, lang)}
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
