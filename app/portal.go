package app

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/idporten"
	"resepsjon/outbox"
	"resepsjon/portal"
	"resepsjon/register"
)

// The patient portal's staff routes: the panel on the client, the
// Pasientportal page and its settings, and (demo only) the outbox viewer.
// The patient's own side is a separate listener (package patientweb).

// PortalConfig wires the portal into the staff API; nil Service leaves the
// routes out.
type PortalConfig struct {
	Service *portal.Service
	// PatientURL is the patient listener's address ("" when it is off).
	PatientURL string
	// Mail describes the SMTP set-up for the settings page (no password).
	MailHost string
	// Mailbox is the demo's outbox viewer; nil outside the demo.
	Mailbox *outbox.Mailbox
	// IDPorten is the patients' login with ID-porten (app/idporten.go);
	// nil leaves its settings out.
	IDPorten *idporten.Service
	// Queue tells whether mail waits in the outbox unsent, for «Avslutt»'s
	// warning; nil: none is ever said to wait.
	Queue QueuedMail
}

// QueuedMail is the outbox's queue as «Avslutt» asks about it: whether any
// message is still queued (not sent, not refused for good).
type QueuedMail interface {
	NextDue(ctx context.Context) (time.Time, bool, error)
}

func (s *Server) portalRoutes(api *echo.Group) {
	if s.cfg.Portal.Service == nil {
		return
	}
	api.GET("/clients/:id/portal", s.getClientPortal)
	api.POST("/clients/:id/portal", s.portalWrite(http.StatusCreated, (*portal.Service).Create))
	api.PUT("/clients/:id/portal", s.portalWrite(http.StatusOK, (*portal.Service).Update))
	api.DELETE("/clients/:id/portal", s.deleteClientPortal)
	api.POST("/clients/:id/portal/resend", s.portalAction((*portal.Service).Resend))
	api.POST("/clients/:id/portal/reset", s.portalAction((*portal.Service).SendReset))
	api.POST("/clients/:id/portal/retry", s.portalAction((*portal.Service).RetryMail))
	api.GET("/portal/users", s.getPortalUsers)
	api.GET("/portal/settings", s.getPortalSettings)
	api.PUT("/portal/settings", s.putPortalSettings)
	if s.cfg.Demo && s.cfg.Portal.Mailbox != nil {
		api.GET("/portal/outbox", s.getDemoOutbox)
	}
	s.portalRequestRoutes(api)
	s.idportenRoutes(api)
}

// PortalMail is the newest mail of a portal user, as the panel shows it.
type PortalMail struct {
	Kind          string     `json:"kind"`
	State         string     `json:"state"` // queued, sent, failed
	Attempts      int        `json:"attempts"`
	CreatedAt     time.Time  `json:"createdAt"`
	SentAt        *time.Time `json:"sentAt"`
	NextAttemptAt *time.Time `json:"nextAttemptAt"`
	Error         string     `json:"error"`       // a reason code, empty when none
	ErrorText     string     `json:"errorText"`   // the reason in plain words
	Recipient     string     `json:"recipient"`   // where it went
	Description   string     `json:"description"` // the subject
}

// PortalAccount is a client's portal access as the panel shows it.
type PortalAccount struct {
	ID                   int64         `json:"id"`
	ClientID             int64         `json:"clientId"`
	ClientName           string        `json:"clientName"`
	Email                string        `json:"email"`
	Rights               portal.Rights `json:"rights"`
	WantsElectronicReply bool          `json:"wantsElectronicReply"`
	Language             string        `json:"language"`
	Status               portal.Status `json:"status"`
	ActivatedAt          *time.Time    `json:"activatedAt"`
	CreatedAt            time.Time     `json:"createdAt"`
	UpdatedAt            time.Time     `json:"updatedAt"`
	Version              int64         `json:"version"`
	Mail                 *PortalMail   `json:"mail"`
}

func accountJSON(a portal.Account, lang string) PortalAccount {
	out := PortalAccount{ID: a.ID, ClientID: a.ClientID, ClientName: a.ClientName, Email: a.Email, Rights: a.Rights,
		WantsElectronicReply: a.WantsElectronicReply, Language: a.Language, Status: a.Status, ActivatedAt: a.ActivatedAt,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
	if m := a.LastMail; m != nil {
		mj := &PortalMail{Kind: m.Kind, State: m.State, Attempts: m.Attempts, CreatedAt: m.CreatedAt, SentAt: m.SentAt,
			Error: m.LastError, Recipient: m.To, Description: m.Subject}
		if m.State == outbox.StateQueued && m.Attempts > 0 {
			next := m.NextAttemptAt
			mj.NextAttemptAt = &next
		}
		if m.LastError != "" && m.State != outbox.StateSent {
			mj.ErrorText, _ = portal.Message(m.LastError, lang)
		}
		out.Mail = mj
	}
	return out
}

func (s *Server) actor() string { return s.cfg.OSUser }

// PortalPanel is GET /api/clients/{id}/portal: the client's portal panel.
type PortalPanel struct {
	ClientID        int64          `json:"clientId"`
	ClientEmail     string         `json:"clientEmail"`
	OfferedRights   portal.Rights  `json:"offeredRights"`
	Account         *PortalAccount `json:"account"` // null when the client has none
	ActivationHours int            `json:"activationHours"`
	ResetMinutes    int            `json:"resetMinutes"`
}

// clientPortalJSON answers the panel: the account (null when the client
// has none), the client's e-mail and the rights the practice offers.
func (s *Server) clientPortalJSON(c echo.Context, status int, clientID int64) error {
	ctx := c.Request().Context()
	cl, err := s.cfg.Clients.GetClient(ctx, clientID)
	if err != nil {
		return err
	}
	st, err := s.cfg.Portal.Service.Settings(ctx)
	if err != nil {
		return err
	}
	out := PortalPanel{ClientID: clientID, ClientEmail: cl.Email, OfferedRights: st.Offered,
		ActivationHours: st.ActivationHours, ResetMinutes: st.ResetMinutes}
	a, err := s.cfg.Portal.Service.Account(ctx, clientID)
	switch {
	case err == nil:
		acc := accountJSON(a, s.lang(c))
		out.Account = &acc
	case !errors.Is(err, portal.ErrNoUser):
		return err
	}
	return c.JSON(status, out)
}

func (s *Server) getClientPortal(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return s.clientPortalJSON(c, http.StatusOK, id)
}

// portalWrite wraps «Opprett» and changes to the panel: decode the form,
// call the use case, answer with the panel as it now stands.
func (s *Server) portalWrite(status int, do func(*portal.Service, context.Context, string, int64, portal.Input) (portal.Account, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		var in portal.Input
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		if _, err := do(s.cfg.Portal.Service, c.Request().Context(), s.actor(), id, in); err != nil {
			return err
		}
		return s.clientPortalJSON(c, status, id)
	}
}

func (s *Server) deleteClientPortal(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.cfg.Portal.Service.Delete(c.Request().Context(), s.actor(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// portalAction wraps «Send på nytt», «Ny kode» and «Prøv igjen».
func (s *Server) portalAction(do func(*portal.Service, context.Context, string, int64) (portal.Account, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		if _, err := do(s.cfg.Portal.Service, c.Request().Context(), s.actor(), id); err != nil {
			return err
		}
		return s.clientPortalJSON(c, http.StatusOK, id)
	}
}

func (s *Server) getPortalUsers(c echo.Context) error {
	f := portal.Filter{Status: portal.Status(c.QueryParam("status")), Q: c.QueryParam("q")}
	if f.Status != "" && !validStatus(f.Status) {
		return &register.ValidationError{Fields: map[string]string{"status": register.CodeInvalid}}
	}
	if len(f.Q) > 200 {
		return &register.ValidationError{Fields: map[string]string{"q": register.CodeTooLong}}
	}
	accs, err := s.cfg.Portal.Service.Accounts(c.Request().Context(), f)
	if err != nil {
		return err
	}
	lang := s.lang(c)
	out := make([]PortalAccount, 0, len(accs))
	for _, a := range accs {
		out = append(out, accountJSON(a, lang))
	}
	return c.JSON(http.StatusOK, map[string]any{"results": out, "total": len(out)})
}

func validStatus(st portal.Status) bool { return slices.Contains(portal.Statuses, st) }

func (s *Server) portalSettingsJSON(c echo.Context, st portal.Settings) error {
	idp, err := s.cfg.Portal.Service.IdentityProviderConfigured(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"settings": st, "patientUrl": s.cfg.Portal.PatientURL,
		"mailHost": s.cfg.Portal.MailHost, "demo": s.cfg.Demo, "identityProvider": idp})
}

func (s *Server) getPortalSettings(c echo.Context) error {
	st, err := s.cfg.Portal.Service.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	return s.portalSettingsJSON(c, st)
}

func (s *Server) putPortalSettings(c echo.Context) error {
	var in portal.Settings
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	st, err := s.cfg.Portal.Service.SaveSettings(c.Request().Context(), s.actor(), in)
	if err != nil {
		return err
	}
	return s.portalSettingsJSON(c, st)
}

// getDemoOutbox lists the mail the demo "sent": the demo's stand-in for a
// mailbox, so that a newcomer can open the activation link.
func (s *Server) getDemoOutbox(c echo.Context) error {
	msgs := s.cfg.Portal.Mailbox.Messages()
	out := make([]map[string]any, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, map[string]any{"id": m.ID, "kind": m.Kind, "to": m.To, "subject": m.Subject, "text": m.Text,
			"html": m.HTML, "deliveredAt": m.DeliveredAt})
	}
	return c.JSON(http.StatusOK, map[string]any{"results": out})
}

// portalError maps the portal's errors to the API's; nil when err is not
// one of them.
func portalError(err error, lang string) *APIError {
	var ve *portal.ValidationError
	var te *portal.ThrottledError
	code, status := "", 0
	switch {
	case errors.As(err, &ve):
		out := &APIError{Status: http.StatusBadRequest, Code: "invalid_input", Message: message("invalid_input", lang),
			Fields: map[string]string{}, FieldCodes: map[string]string{}}
		for field, fc := range ve.Fields {
			out.FieldCodes[field] = fc
			if text, ok := portal.Message(fc, lang); ok {
				out.Fields[field] = text
			} else {
				out.Fields[field] = message("invalid_input", lang)
			}
		}
		return out
	case errors.As(err, &te):
		code, status = "portal.throttled", http.StatusTooManyRequests
	case errors.Is(err, portal.ErrNoUser):
		code, status = "portal.no_user", http.StatusNotFound
	case errors.Is(err, portal.ErrExists):
		code, status = "portal.exists", http.StatusConflict
	case errors.Is(err, portal.ErrEmailTaken):
		code, status = "portal.email_taken", http.StatusConflict
	case errors.Is(err, portal.ErrConfirmEmail):
		code, status = "portal.confirm_email", http.StatusConflict
	case errors.Is(err, portal.ErrAlreadyActive):
		code, status = "portal.already_active", http.StatusConflict
	case errors.Is(err, portal.ErrNotActivated):
		code, status = "portal.not_activated", http.StatusConflict
	case errors.Is(err, portal.ErrNoPublicURL):
		code, status = "portal.no_public_url", http.StatusConflict
	case errors.Is(err, portal.ErrRequestDecided):
		code, status = "portal.request_decided", http.StatusConflict
	case errors.Is(err, portal.ErrNoRequest):
		code, status = "portal.no_request", http.StatusNotFound
	case errors.Is(err, portal.ErrNoInquiry):
		code, status = "portal.no_inquiry", http.StatusNotFound
	case errors.Is(err, portal.ErrNoRight):
		code, status = "portal.no_right", http.StatusForbidden
	default:
		return nil
	}
	text, _ := portal.Message(code, lang)
	return &APIError{Status: status, Code: strings.ReplaceAll(code, ".", "_"), Message: text}
}
