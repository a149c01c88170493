package app

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/lookup"
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
	"nhn_unavailable": {"Fikk ikke svar fra Persontjenesten eller HelseID, så oppdateringen stoppet. Start «Oppdater alle» igjen om noen minutter.",
		"No answer from Persontjenesten or HelseID, so the update stopped. Start Update all again in a few minutes."},
	"nhn_unavailable.helseid": {"Fikk ikke svar fra HelseID, innloggingstjenesten Persontjenesten krever, så oppdateringen stoppet. Start «Oppdater alle» igjen om noen minutter.",
		"No answer from HelseID, the login service Persontjenesten requires, so the update stopped. Start Update all again in a few minutes."},
	"nhn_unavailable.persontjenesten": {"Fikk ikke svar fra Persontjenesten, så oppdateringen stoppet. Start «Oppdater alle» igjen om noen minutter.",
		"No answer from Persontjenesten, so the update stopped. Start Update all again in a few minutes."},
	"nhn_rate_limited": {"Persontjenesten var opptatt, så oppdateringen stoppet. Vent et par minutter og start «Oppdater alle» igjen.",
		"Persontjenesten was busy, so the update stopped. Wait a couple of minutes and start Update all again."},
	"nhn_no_access": {"Persontjenesten eller HelseID avviste forespørselen, så oppdateringen stoppet. Gå til Innstillinger → Persontjenesten og trykk «Oppdater innstillinger» for å se hva som mangler.",
		"Persontjenesten or HelseID refused the request, so the update stopped. Go to Settings → Persontjenesten and press Refresh settings to see what is missing."},
	"internal": {"Noe gikk galt i Resepsjon, så oppdateringen stoppet. Prøv igjen; hvis det gjentar seg, start programmet på nytt.",
		"Something went wrong in Resepsjon, so the update stopped. Try again; if it happens again, restart the program."},
	"item.conflict": {"Klienten ble endret i Resepsjon mens oppdateringen pågikk. Åpne klienten og trykk «Oppdater via Persontjenesten».",
		"The client was changed in Resepsjon while the update ran. Open the client and press Update via Persontjenesten."},
	"item.deleted": {"Klienten ble slettet mens oppdateringen pågikk.",
		"The client was deleted while the update ran."},
	"item.duplicate": {"Det nye fødselsnummeret er allerede registrert på en annen klient. Sjekk de to klientene og slå dem sammen for hånd.",
		"The new identity number is already registered for another client. Check the two clients and merge them by hand."},
	"item.person_not_found": {"Folkeregisteret har ingen person med klientens fødselsnummer. Sjekk nummeret på klienten.",
		"The National Population Register has no person with the client's identity number. Check the number on the client."},
	"item.invalid": {"Opplysningene fra Persontjenesten kunne ikke lagres på klienten. Åpne klienten og trykk «Oppdater via Persontjenesten».",
		"The information from Persontjenesten could not be stored for the client. Open the client and press Update via Persontjenesten."},
	"item.internal": {"Klienten kunne ikke lagres. Prøv «Oppdater alle» igjen.",
		"The client could not be saved. Try Update all again."},
}
