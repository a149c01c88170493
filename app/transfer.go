package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/backup"
	"resepsjon/clientexport"
	"resepsjon/clientfile"
	"resepsjon/clientimport"
	"resepsjon/messages"
	"resepsjon/register"
)

// TransferConfig wires moving in (import), the way out (export), backups and
// restore. A nil field turns its routes off.
type TransferConfig struct {
	Import  clientimport.Store
	Export  clientexport.Store
	Backups *backup.Service
	// Restore checks the backup at path and, when it passes, has the
	// program restart into it; it returns what the check found.
	Restore func(ctx context.Context, path string, opt backup.RestoreOptions) (register.DatabaseCheck, error)
	// MaxUploadBytes bounds an uploaded client list; default 64 MiB.
	MaxUploadBytes int64
}

// Upload routes are the only ones whose body is a file, not JSON.
const importUploadPath = "/api/import/file"

// uploadTypes are the Content-Types an uploaded client list may come with:
// what browsers send for .csv and .xlsx files, and the generic type.
var uploadTypes = map[string]bool{
	"application/octet-stream": true,
	"text/csv":                 true,
	"text/plain":               true,
	"application/vnd.ms-excel": true, // what Windows browsers send for .csv
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": true,
}

func (s *Server) transferRoutes(api *echo.Group) {
	t := s.cfg.Transfer
	if t.Import != nil {
		api.POST("/import/file", s.postImportFile)
		api.POST("/import/:id/check", s.postImportCheck)
		api.POST("/import/:id/run", s.postImportRun)
		api.GET("/import/:id", s.getImport)
		api.GET("/import/:id/refused.csv", s.getImportRefused)
	}
	if t.Export != nil {
		api.POST("/export", s.postExport)
	}
	if t.Backups != nil {
		api.GET("/backup/status", s.getBackupStatus)
		api.GET("/backup/settings", s.getBackupSettings)
		api.PUT("/backup/settings", s.putBackupSettings)
		api.POST("/backup/run", s.postBackupRun)
		api.GET("/backup/files", s.getBackupFiles)
	}
	if t.Restore != nil {
		api.POST("/backup/restore", s.postRestore)
	}
}

// imports holds the client lists uploaded in this run of the program, for
// the wizard's steps. A practice imports rarely: the few newest are kept.
type imports struct {
	mu   sync.Mutex
	byID map[string]*importJob
}

const keptImports = 4

type importJob struct {
	id      string
	name    string
	created time.Time
	table   clientfile.Table

	mu       sync.Mutex
	plan     *clientimport.Plan
	mapping  clientfile.Mapping
	state    string // "", "running", "done", "failed"
	done     int
	total    int
	result   clientimport.Result
	errCode  string
	errorMsg string
}

func (im *imports) add(j *importJob) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if im.byID == nil {
		im.byID = map[string]*importJob{}
	}
	for len(im.byID) >= keptImports {
		var oldest *importJob
		for _, o := range im.byID {
			if oldest == nil || o.created.Before(oldest.created) {
				oldest = o
			}
		}
		delete(im.byID, oldest.id)
	}
	im.byID[j.id] = j
}

func (im *imports) get(id string) *importJob {
	im.mu.Lock()
	defer im.mu.Unlock()
	return im.byID[id]
}

func (s *Server) importJob(c echo.Context) (*importJob, error) {
	j := s.imports.get(c.Param("id"))
	if j == nil {
		return nil, newError(http.StatusNotFound, "import_not_found")
	}
	return j, nil
}

// ImportField is a field a column can be mapped to, with its label.
type ImportField struct {
	Field string `json:"field"`
	Label string `json:"label"`
}

// ImportUpload is the answer to an upload (POST /api/import/file): the
// file as read, the guessed mapping and the first rows.
type ImportUpload struct {
	ID        string             `json:"id"`
	Name      string             `json:"name"`
	Format    string             `json:"format"`    // clientfile.FormatCSV or FormatXLSX
	Encoding  string             `json:"encoding"`  // CSV only
	Separator string             `json:"separator"` // CSV only
	Header    []string           `json:"header"`
	Mapping   clientfile.Mapping `json:"mapping"` // by column
	Preview   [][]string         `json:"preview"` // the first five rows
	Rows      int                `json:"rows"`
	Fields    []ImportField      `json:"fields"`
}

// postImportFile takes an uploaded client list (the body is the file) and
// answers with its columns, the guessed mapping and the first rows.
func (s *Server) postImportFile(c echo.Context) error {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || !uploadTypes[mt] {
		return newError(http.StatusUnsupportedMediaType, "import_content_type")
	}
	data, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return newError(http.StatusRequestEntityTooLarge, "import_too_large")
		}
		return err
	}
	lang := language(c.Request(), s.cfg.Language)
	tab, err := clientfile.Read(data)
	if err != nil {
		var fe *clientfile.FileError
		if errors.As(err, &fe) {
			return &APIError{Status: http.StatusBadRequest, Code: fe.Code, Message: clientimport.FileErrorText(fe, lang)}
		}
		return err
	}
	id, err := randomID()
	if err != nil {
		return err
	}
	name := filepath.Base(c.QueryParam("name"))
	if name == "." || name == "/" || len(name) > 200 {
		name = "klienter"
	}
	j := &importJob{id: id, name: name, created: s.now(), table: tab, mapping: clientfile.GuessMapping(tab.Header)}
	s.imports.add(j)
	preview := tab.Rows
	if len(preview) > 5 {
		preview = preview[:5]
	}
	fields := make([]ImportField, len(clientfile.Fields))
	for i, f := range clientfile.Fields {
		fields[i] = ImportField{Field: string(f), Label: clientimport.FieldLabel(string(f), lang)}
	}
	return c.JSON(http.StatusOK, ImportUpload{ID: id, Name: name, Format: tab.Format, Encoding: tab.Encoding, Separator: tab.Separator,
		Header: tab.Header, Mapping: j.mapping, Preview: preview, Rows: len(tab.Rows), Fields: fields})
}

func randomID() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

type mappingRequest struct {
	Mapping clientfile.Mapping `json:"mapping"`
}

// dryRun runs the check with the mapping the user chose.
func (s *Server) dryRun(c echo.Context, j *importJob) (clientimport.Plan, error) {
	var req mappingRequest
	if err := decodeJSON(c, &req); err != nil {
		return clientimport.Plan{}, err
	}
	plan, err := clientimport.DryRun(c.Request().Context(), s.cfg.Transfer.Import, j.table, req.Mapping)
	switch {
	case errors.Is(err, clientimport.ErrMappingNames):
		return plan, newError(http.StatusBadRequest, "import_mapping_names")
	case errors.Is(err, clientimport.ErrMapping):
		return plan, newError(http.StatusBadRequest, "import_mapping")
	case err != nil:
		return plan, err
	}
	j.mu.Lock()
	j.plan, j.mapping = &plan, req.Mapping
	j.mu.Unlock()
	return plan, nil
}

// maxShownRows bounds the rows a check answers with; the report has all.
const maxShownRows = 500

// ImportPlan is POST /api/import/{id}/check: the dry run's counts and the
// rows shown.
type ImportPlan struct {
	Create    int             `json:"create"`
	Duplicate int             `json:"duplicate"`
	Invalid   int             `json:"invalid"`
	Rows      []ImportPlanRow `json:"rows"`
}

// ImportPlanRow is one row of the dry run: a refused row with the reason,
// or one that will be imported.
type ImportPlanRow struct {
	Line   int    `json:"line"`
	Status string `json:"status"`
	Name   string `json:"name"`
	Reason string `json:"reason,omitempty"`
}

// postImportCheck is the dry run: counts, and the rows that will not be
// imported with the reason (and a few that will).
func (s *Server) postImportCheck(c echo.Context) error {
	j, err := s.importJob(c)
	if err != nil {
		return err
	}
	plan, err := s.dryRun(c, j)
	if err != nil {
		return err
	}
	lang := language(c.Request(), s.cfg.Language)
	rows := []ImportPlanRow{}
	creates := 0
	for _, r := range plan.Rows {
		if len(rows) == maxShownRows {
			break
		}
		if r.Status == clientimport.StatusCreate {
			if creates == 10 {
				continue
			}
			creates++
		}
		name := r.Client.GivenName + " " + r.Client.FamilyName
		rows = append(rows, ImportPlanRow{Line: r.Line, Status: string(r.Status), Name: name, Reason: clientimport.Reason(r, lang)})
	}
	return c.JSON(http.StatusOK, ImportPlan{Create: plan.Create, Duplicate: plan.Duplicate, Invalid: plan.Invalid, Rows: rows})
}

// postImportRun checks the file again with the mapping and imports the good
// rows in the background; GET /api/import/:id follows it.
func (s *Server) postImportRun(c echo.Context) error {
	j, err := s.importJob(c)
	if err != nil {
		return err
	}
	j.mu.Lock()
	running := j.state == "running" || j.state == "done"
	j.mu.Unlock()
	if running {
		return newError(http.StatusConflict, "import_started")
	}
	plan, err := s.dryRun(c, j)
	if err != nil {
		return err
	}
	j.mu.Lock()
	j.state, j.done, j.total, j.errCode, j.errorMsg = "running", 0, plan.Create, "", ""
	j.mu.Unlock()
	req := clientimport.Request{FileName: j.name, OSUser: s.cfg.OSUser, Time: s.now()}
	go func() {
		// The import outlives the request; it is one transaction, so a
		// program that stops meanwhile imports nothing.
		res, err := clientimport.Import(context.WithoutCancel(c.Request().Context()), s.cfg.Transfer.Import, plan, req,
			func(done, total int) {
				j.mu.Lock()
				j.done = done
				j.mu.Unlock()
			})
		j.mu.Lock()
		defer j.mu.Unlock()
		if err != nil {
			s.log.Warn("import failed", "err", err)
			j.state, j.errCode = "failed", "import_failed"
			var dup *register.DuplicateError
			if errors.As(err, &dup) {
				j.errCode = "import_changed"
			}
			return
		}
		j.state, j.result, j.done = "done", res, res.Created
	}()
	return s.getImport(c)
}

func (s *Server) getImport(c echo.Context) error {
	j, err := s.importJob(c)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	out := map[string]any{"id": j.id, "state": j.state, "done": j.done, "total": j.total,
		"created": j.result.Created, "refused": j.result.Refused}
	if j.errCode != "" {
		out["error"] = map[string]string{"code": j.errCode, "message": message(j.errCode, language(c.Request(), s.cfg.Language))}
	}
	return c.JSON(http.StatusOK, out)
}

// getImportRefused is the report of the rows not imported, as CSV.
func (s *Server) getImportRefused(c echo.Context) error {
	j, err := s.importJob(c)
	if err != nil {
		return err
	}
	j.mu.Lock()
	plan := j.plan
	j.mu.Unlock()
	if plan == nil {
		return newError(http.StatusConflict, "import_not_checked")
	}
	lang := c.QueryParam("lang")
	if lang != "en" && lang != "nb" {
		lang = language(c.Request(), s.cfg.Language)
	}
	var buf bytes.Buffer
	if err := clientimport.WriteRefused(&buf, j.table, *plan, lang); err != nil {
		return err
	}
	name := messages.Get("import.report.file_name", "import.report.file_name", lang)
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

type exportRequest struct {
	Format string `json:"format"`
	// FullNIN asks for full identity numbers; Confirm says the user
	// confirmed it in the dialog.
	FullNIN bool `json:"fullNin"`
	Confirm bool `json:"confirm"`
}

// postExport writes the register as a file download.
func (s *Server) postExport(c echo.Context) error {
	var req exportRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.FullNIN && !req.Confirm {
		return newError(http.StatusBadRequest, "export_confirm")
	}
	if req.Format != clientexport.FormatCSV && req.Format != clientexport.FormatXLSX {
		return newError(http.StatusBadRequest, "export_format")
	}
	var buf bytes.Buffer
	_, err := clientexport.Export(c.Request().Context(), s.cfg.Transfer.Export, &buf, clientexport.Request{
		Format: req.Format, FullNIN: req.FullNIN, OSUser: s.cfg.OSUser, Time: s.now(),
	})
	if err != nil {
		return err
	}
	ctype := "text/csv; charset=utf-8"
	if req.Format == clientexport.FormatXLSX {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	name := "klienter-" + s.now().Format("2006-01-02") + "." + req.Format
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, ctype, buf.Bytes())
}

type backupStatusJSON struct {
	backup.Status
	WarningText string `json:"warningText,omitempty"`
	ErrorText   string `json:"errorText,omitempty"`
}

func (s *Server) getBackupStatus(c echo.Context) error {
	st, err := s.cfg.Transfer.Backups.Status(c.Request().Context())
	if err != nil {
		return err
	}
	lang := language(c.Request(), s.cfg.Language)
	out := backupStatusJSON{Status: st}
	if st.Warning != "" {
		out.WarningText = messages.Get(st.Warning, "error.internal", lang)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) getBackupSettings(c echo.Context) error {
	set, err := s.cfg.Transfer.Backups.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, set)
}

type backupSettingsRequest struct {
	backup.Settings
	Passphrase string `json:"passphrase"`
}

func (s *Server) putBackupSettings(c echo.Context) error {
	var req backupSettingsRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	err := s.cfg.Transfer.Backups.SaveSettings(c.Request().Context(), req.Settings, req.Passphrase)
	var se *backup.SettingsError
	if errors.As(err, &se) {
		lang := language(c.Request(), s.cfg.Language)
		return &APIError{Status: http.StatusBadRequest, Code: "invalid_input", Message: message("invalid_input", lang),
			Fields: map[string]string{se.Field: messages.Get(se.Code, "field.unknown", lang)}, FieldCodes: map[string]string{se.Field: se.Code}}
	}
	if err != nil {
		return err
	}
	return s.getBackupSettings(c)
}

func (s *Server) postBackupRun(c echo.Context) error {
	res, err := s.cfg.Transfer.Backups.Run(c.Request().Context())
	if errors.Is(err, backup.ErrNotConfigured) {
		return newError(http.StatusConflict, "backup_not_configured")
	}
	if err != nil {
		s.log.Warn("backup from the UI failed", "err", err)
		return newError(http.StatusServiceUnavailable, "backup_failed")
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) getBackupFiles(c echo.Context) error {
	set, err := s.cfg.Transfer.Backups.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	files := []backup.File{}
	if set.Folder != "" {
		if fs, err := backup.List(set.Folder); err == nil && fs != nil {
			files = fs
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"folder": set.Folder, "files": files})
}

type restoreRequest struct {
	Path            string `json:"path"`
	Passphrase      string `json:"passphrase"`
	WithoutChecksum bool   `json:"withoutChecksum"`
}

// postRestore checks a backup and, when it passes, answers and restarts
// the program into it.
func (s *Server) postRestore(c echo.Context) error {
	var req restoreRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	lang := language(c.Request(), s.cfg.Language)
	if req.Path == "" || !filepath.IsAbs(req.Path) {
		return &APIError{Status: http.StatusBadRequest, Code: "invalid_input", Message: message("invalid_input", lang),
			Fields: map[string]string{"path": message("restore_path", lang)}}
	}
	chk, err := s.cfg.Transfer.Restore(c.Request().Context(), req.Path, backup.RestoreOptions{
		Passphrase: req.Passphrase, WithoutChecksum: req.WithoutChecksum})
	var re *backup.RestoreError
	if errors.As(err, &re) {
		return &APIError{Status: http.StatusBadRequest, Code: re.Code, Message: messages.Get(re.Code, "error.internal", lang)}
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]any{"clients": chk.Clients, "helseid": messages.Get("restore.helseid", "error.internal", lang)})
}
