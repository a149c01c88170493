package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/persontjeneste"
	"resepsjon/register"
)

// "Oppdater alle klienter fra Persontjenesten": one background job fetches
// every client with an identity number through bulk-by-nin and applies what
// changed, client by client, with the same rules as "Oppdater via
// Persontjenesten".

// Job states.
const (
	bulkRunning   = "running"
	bulkDone      = "done"
	bulkFailed    = "failed"
	bulkCancelled = "cancelled"
	bulkNone      = "none" // no run since the app started
)

// Kinds of change in the report.
const (
	kindMoved     = "moved"
	kindRenamed   = "renamed"
	kindDeceased  = "deceased"
	kindNewNumber = "new_number"
	kindProtected = "protected"
)

const (
	// bulkWorkers bounds how many bulk calls of persontjeneste.MaxBulk
	// persons run at once.
	bulkWorkers = 2
	// bulkWriteTimeout bounds one client's save.
	bulkWriteTimeout = 10 * time.Second
)

// bulkRuns holds the current (or last) run. Runs live as long as the
// server: stop cancels a running one and waits for it.
type bulkRuns struct {
	store  register.ClientStore
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu  sync.Mutex
	seq int64
	job *bulkJob
}

func newBulkRuns(bs register.ClientStore) *bulkRuns {
	ctx, cancel := context.WithCancel(context.Background())
	return &bulkRuns{store: bs, ctx: ctx, cancel: cancel}
}

// stop cancels a running job and waits until it has written its last
// change and its audit row. Safe on nil.
func (b *bulkRuns) stop() {
	if b == nil {
		return
	}
	b.cancel()
	b.wg.Wait()
}

// running reports whether a run is going on. Safe on nil.
func (b *bulkRuns) running() bool {
	if b == nil {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.job != nil && b.job.state == bulkRunning
}

// bulkJob is one run; its fields are guarded by bulkRuns.mu.
type bulkJob struct {
	id         string
	state      string
	total      int
	done       int
	startedAt  time.Time
	finishedAt *time.Time
	report     []bulkItem // the changed clients and the failed ones
	errCode    string     // when failed
	errService string     // helseid or persontjenesten for nhn_unavailable
	cancel     context.CancelFunc
}

// counts are how many clients of the report changed and how many failed.
func (j *bulkJob) counts() (changed, failed int) {
	for _, it := range j.report {
		if it.errCode != "" {
			failed++
		} else {
			changed++
		}
	}
	return changed, failed
}

// bulkItem is one client in the report: changed, or not updated and why.
type bulkItem struct {
	clientID int64
	name     string
	kinds    []string
	changes  []persontjeneste.Change
	errCode  string
}

type bulkItemJSON struct {
	ClientID int64                   `json:"clientId"`
	Name     string                  `json:"name"`
	Kinds    []string                `json:"kinds"`
	Changes  []persontjeneste.Change `json:"changes"`
	Error    *bulkErrorJSON          `json:"error,omitempty"`
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
	ctx := c.Request().Context()
	lang := s.lang(c)
	api, cur, err := s.conn.Client(ctx)
	if err != nil {
		return s.auditNoClient(ctx, s.auditEntry(register.ActionBulk, "clients=0"), err)
	}
	b := s.bulk
	b.mu.Lock()
	if b.job != nil && b.job.state == bulkRunning {
		b.mu.Unlock()
		return &APIError{Status: http.StatusConflict, Code: "job_running", Message: bulkText("job_running", lang)}
	}
	if b.ctx.Err() != nil {
		b.mu.Unlock()
		return newError(http.StatusServiceUnavailable, "internal")
	}
	b.seq++
	jobCtx, cancel := context.WithCancel(b.ctx)
	job := &bulkJob{id: strconv.FormatInt(s.now().UnixNano(), 36) + "-" + strconv.FormatInt(b.seq, 10),
		state: bulkRunning, startedAt: s.now().UTC(), cancel: cancel}
	b.job = job
	b.mu.Unlock()

	// The clients are read before the answer, so an edit made after it
	// is always seen as one made during the run (and never overwritten).
	clients, err := b.store.ClientsWithNIN(ctx)
	if err != nil {
		cancel()
		s.finishBulk(job, bulkFailed, "internal", "")
		entry := s.auditEntry(register.ActionBulk, "job="+job.id)
		entry.Outcome, entry.ErrorCode = register.OutcomeError, "internal"
		return errors.Join(fmt.Errorf("refresh all: read clients: %w", err), s.recordAudit(ctx, entry))
	}
	b.mu.Lock()
	job.total = len(clients)
	b.mu.Unlock()
	parts := slices.Clone(cur.Settings.InformationParts)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer cancel()
		s.runBulk(jobCtx, job, api, parts, clients)
	}()
	return c.JSON(http.StatusAccepted, map[string]string{"jobId": job.id})
}

func (s *Server) getRefreshAll(c echo.Context) error {
	return c.JSON(http.StatusOK, s.bulkView(s.lang(c)))
}

// deleteRefreshAll asks a running job to stop; it ends "cancelled" once
// the client being saved is saved. The answer is the job as it is now.
func (s *Server) deleteRefreshAll(c echo.Context) error {
	b := s.bulk
	b.mu.Lock()
	if b.job != nil && b.job.state == bulkRunning {
		b.job.cancel()
	}
	b.mu.Unlock()
	return c.JSON(http.StatusAccepted, s.bulkView(s.lang(c)))
}

func (s *Server) bulkView(lang string) bulkJobJSON {
	b := s.bulk
	b.mu.Lock()
	defer b.mu.Unlock()
	job := b.job
	if job == nil {
		return bulkJobJSON{State: bulkNone, Report: []bulkItemJSON{}}
	}
	started := job.startedAt
	changed, failed := job.counts()
	out := bulkJobJSON{JobID: job.id, State: job.state, Total: job.total, Done: job.done, Changed: changed,
		Failed: failed, StartedAt: &started, FinishedAt: job.finishedAt, Report: make([]bulkItemJSON, 0, len(job.report))}
	for _, it := range job.report {
		v := bulkItemJSON{ClientID: it.clientID, Name: it.name, Kinds: it.kinds, Changes: it.changes}
		if it.errCode != "" {
			v.Error = &bulkErrorJSON{Code: it.errCode, Message: bulkText("item."+it.errCode, lang)}
		}
		out.Report = append(out.Report, v)
	}
	slices.SortFunc(out.Report, func(a, b bulkItemJSON) int { return int(a.ClientID - b.ClientID) })
	if job.errCode != "" {
		code := job.errCode
		if job.errService != "" {
			code += "." + job.errService
		}
		out.Error = &bulkErrorJSON{Code: job.errCode, Service: job.errService, Message: bulkText(code, lang)}
	}
	return out
}

// finishBulk ends job in state.
func (s *Server) finishBulk(job *bulkJob, state, code, service string) {
	b := s.bulk
	b.mu.Lock()
	defer b.mu.Unlock()
	now := s.now().UTC()
	job.state, job.finishedAt, job.errCode, job.errService = state, &now, code, service
}

// runBulk fetches the clients in calls of persontjeneste.MaxBulk, at most
// bulkWorkers at a time, and applies each person's changes. The first
// failed call stops the run: clients already saved keep their changes
// (each saved whole, with its audit row), the others are untouched.
func (s *Server) runBulk(ctx context.Context, job *bulkJob, api *persontjeneste.Client, parts []string, clients []register.Client) {
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	var (
		mu        sync.Mutex
		firstErr  error
		personIDs []string
	)
	// fail records the error that stops the run: the first one, unless the
	// run was already stopped.
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil && runCtx.Err() == nil {
			firstErr = err
		}
		mu.Unlock()
		stopRun()
	}
	chunks := make(chan []register.Client)
	var wg sync.WaitGroup
	for range bulkWorkers {
		wg.Go(func() {
			for chunk := range chunks {
				nins := make([]string, len(chunk))
				for i, cl := range chunk {
					nins[i] = cl.NIN
				}
				callCtx, cancel := context.WithTimeout(runCtx, s.conn.Timeout())
				persons, err := api.BulkByNIN(callCtx, nins, parts)
				cancel()
				if err != nil {
					fail(err)
					continue
				}
				byNIN := map[string]persontjeneste.Person{}
				byID := map[string]persontjeneste.Person{}
				mu.Lock()
				for _, p := range persons {
					personIDs = append(personIDs, p.ID)
					byID[p.ID] = p
					for _, n := range p.NorwegianIdentificationNumber {
						if n.IdentificationNumber != "" {
							byNIN[n.IdentificationNumber] = p
						}
					}
				}
				mu.Unlock()
				for _, cl := range chunk {
					if runCtx.Err() != nil {
						break
					}
					p, found := byNIN[cl.NIN]
					if !found && cl.PersonID != "" {
						p, found = byID[cl.PersonID]
					}
					if !found {
						// A bulk answer carries current numbers only; a
						// client registered with a former number (a
						// D-number, say) is looked up on its own, which
						// follows it.
						var err error
						p, found, err = s.followNumber(runCtx, api, cl.NIN, parts)
						if err != nil {
							fail(err)
							break
						}
						if found {
							mu.Lock()
							personIDs = append(personIDs, p.ID)
							mu.Unlock()
						}
					}
					s.applyBulk(ctx, job, cl, p, found, parts)
				}
			}
		})
	}
feed:
	for lo := 0; lo < len(clients); lo += persontjeneste.MaxBulk {
		select {
		case chunks <- clients[lo:min(lo+persontjeneste.MaxBulk, len(clients))]:
		case <-runCtx.Done():
			break feed
		}
	}
	close(chunks)
	wg.Wait()

	b := s.bulk
	b.mu.Lock()
	changed, failed := job.counts()
	done := job.done
	b.mu.Unlock()
	entry := s.auditEntry(register.ActionBulk, fmt.Sprintf("job=%s clients=%d done=%d changed=%d failed=%d",
		job.id, len(clients), done, changed, failed))
	slices.Sort(personIDs)
	personIDs = slices.Compact(personIDs)
	entry.Results, entry.Outcome = len(personIDs), register.OutcomeOK
	if personIDs != nil {
		entry.PersonIDs = personIDs
	}
	state, code, service := bulkDone, "", ""
	switch {
	case firstErr != nil:
		apiErr := s.callError(ctx, api, firstErr)
		state, code, service = bulkFailed, apiErr.Code, apiErr.Service
		entry.Outcome, entry.ErrorCode = register.OutcomeError, code
	case ctx.Err() != nil:
		state = bulkCancelled
		entry.Outcome, entry.ErrorCode = register.OutcomeError, "cancelled"
	}
	if err := s.recordAudit(ctx, entry); err != nil {
		s.log.Error("refresh all: audit row not written", "err", err)
		if state == bulkDone {
			state, code = bulkFailed, "internal"
		}
	}
	s.log.Info("refresh all from Persontjenesten finished", "state", state, "clients", len(clients),
		"done", done, "changed", changed, "failed", failed, "code", code)
	s.finishBulk(job, state, code, service)
}

// followNumber fetches the person with this (possibly former) identity
// number; found is false when the population register has none.
func (s *Server) followNumber(ctx context.Context, api *persontjeneste.Client, number string, parts []string) (persontjeneste.Person, bool, error) {
	callCtx, cancel := context.WithTimeout(ctx, s.conn.Timeout())
	defer cancel()
	p, err := api.GetByNIN(callCtx, number, parts, false)
	switch {
	case errors.Is(err, persontjeneste.ErrNotFound):
		return persontjeneste.Person{}, false, nil
	case err != nil:
		return persontjeneste.Person{}, false, err
	}
	return p, true, nil
}

// applyBulk saves what Persontjenesten's record changes in one client, with
// its audit row in the same transaction; a client saved by someone else
// since the run read it is skipped and reported, never overwritten.
func (s *Server) applyBulk(ctx context.Context, job *bulkJob, old register.Client, p persontjeneste.Person, found bool, parts []string) {
	item := bulkItem{clientID: old.ID, name: clientName(old), kinds: []string{}, changes: []persontjeneste.Change{}}
	record := func(changed bool) {
		b := s.bulk
		b.mu.Lock()
		defer b.mu.Unlock()
		job.done++
		if item.errCode != "" || changed {
			job.report = append(job.report, item)
		}
	}
	if !found {
		item.errCode = "person_not_found"
		record(false)
		return
	}
	draft, changes := refreshedClient(old, p, parts, s.now().UTC())
	if len(changes) == 0 {
		record(false)
		return
	}
	item.name, item.changes, item.kinds = clientName(draft), changes, changeKinds(changes, draft)
	if err := register.Validate(&draft); err != nil {
		item.errCode = "invalid"
		record(false)
		return
	}
	entry := s.auditEntry(register.ActionUpdate, "job="+job.id+" clientId="+strconv.FormatInt(old.ID, 10)+" nin="+old.NIN)
	entry.Results, entry.PersonIDs, entry.Outcome = 1, []string{p.ID}, register.OutcomeOK
	// A started save is finished even when the run is cancelled meanwhile.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bulkWriteTimeout)
	defer cancel()
	_, err := s.bulk.store.UpdateClientAudited(wctx, draft, entry)
	var conflict *register.ConflictError
	var dup *register.DuplicateError
	switch {
	case err == nil:
	case errors.As(err, &conflict):
		item.errCode = "conflict"
	case errors.Is(err, register.ErrNotFound):
		item.errCode = "deleted"
	case errors.As(err, &dup):
		item.errCode = "duplicate"
	default:
		s.log.Error("refresh all: client not saved", "clientId", old.ID, "err", err)
		item.errCode = "internal"
	}
	if item.errCode != "" {
		// Nothing was saved: the report shows what would have changed.
		item.name = clientName(old)
	}
	record(err == nil)
}

// clientName is the client's full name as shown in lists.
func clientName(c register.Client) string {
	var parts []string
	for _, p := range []string{c.GivenName, c.MiddleName, c.FamilyName} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// changeKinds sorts changes into what the report groups by. A strictly
// confidential address that is removed is "protected", not "moved".
func changeKinds(changes []persontjeneste.Change, draft register.Client) []string {
	kinds := []string{}
	add := func(k string) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for _, ch := range changes {
		switch ch.Field {
		case "givenName", "middleName", "familyName":
			add(kindRenamed)
		case "streetAddress", "postalCode", "city", "municipalityNumber", "postalAddress":
			if draft.AddressProtection != register.AddressProtectionStrictlyConfidential {
				add(kindMoved)
			}
		case "status":
			if ch.New == persontjeneste.StatusDeceased {
				add(kindDeceased)
			}
		case "deathDate":
			if ch.New != "" {
				add(kindDeceased)
			}
		case "nin":
			add(kindNewNumber)
		case "addressProtection":
			if ch.New != "" && ch.New != register.AddressProtectionNone {
				add(kindProtected)
			}
		}
	}
	return kinds
}

// bulkText is a text of the refresh-all job, bokmål or English; codes it
// does not have fall back to the API's messages.
func bulkText(code, lang string) string {
	m, ok := bulkMessages[code]
	if !ok {
		return message(strings.TrimPrefix(code, "item."), lang)
	}
	return inLang(m, lang)
}

var bulkMessages = map[string][2]string{
	"job_running": {"En oppdatering av alle klienter pågår allerede. Vent til den er ferdig, eller avbryt den.",
		"An update of all clients is already running. Wait for it to finish, or cancel it."},
	"nhn_unavailable": {"Fikk ikke svar fra Persontjenesten eller HelseID, så oppdateringen stoppet. Klientene som alt var oppdatert, beholder endringene; de andre er uendret. Start «Oppdater alle» igjen om noen minutter.",
		"No answer from Persontjenesten or HelseID, so the update stopped. The clients already updated keep their changes; the others are unchanged. Start Update all again in a few minutes."},
	"nhn_unavailable.helseid": {"Fikk ikke svar fra HelseID, innloggingstjenesten Persontjenesten krever, så oppdateringen stoppet. Klientene som alt var oppdatert, beholder endringene; de andre er uendret. Start «Oppdater alle» igjen om noen minutter.",
		"No answer from HelseID, the login service Persontjenesten requires, so the update stopped. The clients already updated keep their changes; the others are unchanged. Start Update all again in a few minutes."},
	"nhn_unavailable.persontjenesten": {"Fikk ikke svar fra Persontjenesten, så oppdateringen stoppet. Klientene som alt var oppdatert, beholder endringene; de andre er uendret. Start «Oppdater alle» igjen om noen minutter.",
		"No answer from Persontjenesten, so the update stopped. The clients already updated keep their changes; the others are unchanged. Start Update all again in a few minutes."},
	"nhn_rate_limited": {"Persontjenesten hadde for mange forespørsler, så oppdateringen stoppet. Klientene som alt var oppdatert, beholder endringene. Vent et par minutter og start «Oppdater alle» igjen.",
		"Persontjenesten had too many requests, so the update stopped. The clients already updated keep their changes. Wait a couple of minutes and start Update all again."},
	"nhn_no_access": {"Persontjenesten eller HelseID avviste forespørselen, så oppdateringen stoppet. Gå til Innstillinger → Persontjenesten og trykk «Oppdater innstillinger» for å se hva som mangler.",
		"Persontjenesten or HelseID refused the request, so the update stopped. Go to Settings → Persontjenesten and press Refresh settings to see what is missing."},
	"internal": {"Noe gikk galt i Resepsjon, så oppdateringen stoppet. Klientene som alt var oppdatert, beholder endringene. Prøv igjen; hvis det gjentar seg, start programmet på nytt.",
		"Something went wrong in Resepsjon, so the update stopped. The clients already updated keep their changes. Try again; if it happens again, restart the program."},
	"item.conflict": {"Ikke oppdatert: klienten ble endret i Resepsjon mens oppdateringen pågikk. Åpne klienten og trykk «Oppdater via Persontjenesten».",
		"Not updated: the client was changed in Resepsjon while the update ran. Open the client and press Update via Persontjenesten."},
	"item.deleted": {"Ikke oppdatert: klienten ble slettet mens oppdateringen pågikk.",
		"Not updated: the client was deleted while the update ran."},
	"item.duplicate": {"Ikke oppdatert: det nye fødselsnummeret er allerede registrert på en annen klient. Sjekk de to klientene og slå dem sammen for hånd.",
		"Not updated: the new identity number is already registered for another client. Check the two clients and merge them by hand."},
	"item.person_not_found": {"Ikke oppdatert: Folkeregisteret har ingen person med klientens fødselsnummer. Sjekk nummeret på klienten.",
		"Not updated: the National Population Register has no person with the client's identity number. Check the number on the client."},
	"item.invalid": {"Ikke oppdatert: opplysningene fra Persontjenesten kunne ikke lagres på klienten. Åpne klienten og trykk «Oppdater via Persontjenesten».",
		"Not updated: the information from Persontjenesten could not be stored for the client. Open the client and press Update via Persontjenesten."},
	"item.internal": {"Ikke oppdatert: klienten kunne ikke lagres. Prøv «Oppdater alle» igjen.",
		"Not updated: the client could not be saved. Try Update all again."},
}
