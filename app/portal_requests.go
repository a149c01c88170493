package app

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/portal"
	"resepsjon/register"
)

// The staff routes of «Forespørsler om tilgang» and the «Innboks», both
// under Pasientportal.

func (s *Server) portalRequestRoutes(api *echo.Group) {
	api.GET("/portal/requests", s.getPortalRequests)
	api.POST("/portal/requests/:id/approve", s.approvePortalRequest)
	api.POST("/portal/requests/:id/reject", s.rejectPortalRequest)
	api.GET("/portal/inbox", s.getPortalInbox)
	api.PUT("/portal/inbox/:id/status", s.putInboxStatus)
	api.POST("/portal/inbox/:id/answer", s.answerInboxItem)
}

// PortalRequest is one request for access, as the list and the approve and
// reject answers give it; the identity number only masked.
type PortalRequest struct {
	ID                   int64                `json:"id"`
	Name                 string               `json:"name"`
	MaskedNIN            string               `json:"maskedNin"`
	Email                string               `json:"email"`
	Rights               portal.Rights        `json:"rights"` // asked for
	WantsElectronicReply bool                 `json:"wantsElectronicReply"`
	Verified             bool                 `json:"verified"`
	ACR                  string               `json:"acr"`
	Status               portal.RequestStatus `json:"status"`
	ReceivedAt           time.Time            `json:"receivedAt"`
	DecidedAt            *time.Time           `json:"decidedAt"`
	DecidedBy            string               `json:"decidedBy"`
	Reason               string               `json:"reason"`
	ClientID             int64                `json:"clientId"`     // the client linked or created on approval
	ClientSource         string               `json:"clientSource"` // existing, persontjenesten or request
	MatchID              int64                `json:"matchId"`      // the client with the same identity number
	MatchName            string               `json:"matchName"`
	NameMismatch         bool                 `json:"nameMismatch"`
	HasUser              bool                 `json:"hasUser"`
	// LevelTooLow: verified at a lower level of assurance than the
	// practice requires now.
	LevelTooLow bool  `json:"levelTooLow"`
	Version     int64 `json:"version"`
}

// PortalRequestList is GET /api/portal/requests: the requests, and the
// rights the approval dialog starts from.
type PortalRequestList struct {
	Results       []PortalRequest `json:"results"`
	Total         int             `json:"total"`
	DefaultRights portal.Rights   `json:"defaultRights"`
	OfferedRights portal.Rights   `json:"offeredRights"`
	Approval      string          `json:"approval"`
}

func requestJSON(v portal.RequestView) PortalRequest {
	return PortalRequest{ID: v.ID, Name: v.Name, MaskedNIN: v.MaskedNIN, Email: v.Email, Rights: v.Rights,
		WantsElectronicReply: v.WantsElectronicReply, Verified: v.Verified, ACR: v.ACR, Status: v.Status, ReceivedAt: v.ReceivedAt,
		DecidedAt: v.DecidedAt, DecidedBy: v.DecidedBy, Reason: v.Reason, ClientID: v.ClientID, ClientSource: v.ClientSource,
		MatchID: v.MatchID, MatchName: v.ClientName, NameMismatch: v.NameMismatch, HasUser: v.HasUser, LevelTooLow: v.LevelTooLow, Version: v.Version}
}

func (s *Server) getPortalRequests(c echo.Context) error {
	f := portal.RequestFilter{Status: portal.RequestStatus(c.QueryParam("status"))}
	if f.Status != "" && !slices.Contains(portal.RequestStatuses, f.Status) {
		return &register.ValidationError{Fields: map[string]string{"status": register.CodeInvalid}}
	}
	ctx := c.Request().Context()
	list, err := s.cfg.Portal.Service.Requests(ctx, f)
	if err != nil {
		return err
	}
	st, err := s.cfg.Portal.Service.Settings(ctx)
	if err != nil {
		return err
	}
	out := make([]PortalRequest, 0, len(list))
	for _, v := range list {
		out = append(out, requestJSON(v))
	}
	return c.JSON(http.StatusOK, PortalRequestList{Results: out, Total: len(out), DefaultRights: st.Offered,
		OfferedRights: st.Offered, Approval: st.Approval})
}

func (s *Server) approvePortalRequest(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in struct {
		Rights  portal.Rights `json:"rights"`
		Version int64         `json:"version"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := s.cfg.Portal.Service.ApproveRequest(c.Request().Context(), s.actor(), id, in.Rights, in.Version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, requestJSON(v))
}

func (s *Server) rejectPortalRequest(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in struct {
		Reason  string `json:"reason"`
		Version int64  `json:"version"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := s.cfg.Portal.Service.RejectRequest(c.Request().Context(), s.actor(), id, in.Reason, in.Version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, requestJSON(v))
}

// InboxItem is one message of the «Innboks», as the list and the status and
// answer calls give it.
type InboxItem struct {
	ID                     int64                `json:"id"`
	ClientID               int64                `json:"clientId"`
	ClientName             string               `json:"clientName"`
	Kind                   portal.InquiryKind   `json:"kind"`
	Text                   string               `json:"text"`
	Preferred              string               `json:"preferred"`
	Medicine               string               `json:"medicine"`
	Status                 portal.InquiryStatus `json:"status"`
	Answer                 string               `json:"answer"`
	AnsweredAt             *time.Time           `json:"answeredAt"`
	AnsweredBy             string               `json:"answeredBy"`
	AnsweredElectronically bool                 `json:"answeredElectronically"`
	// WantsElectronicReply is the patient's choice now: false means the
	// reception answers by phone or letter.
	WantsElectronicReply bool      `json:"wantsElectronicReply"`
	CreatedAt            time.Time `json:"createdAt"`
	Version              int64     `json:"version"`
}

// InboxList is GET /api/portal/inbox: the messages with the status asked
// for, and how many there are of each status.
type InboxList struct {
	Results []InboxItem                  `json:"results"`
	Total   int                          `json:"total"`
	Counts  map[portal.InquiryStatus]int `json:"counts"`
}

func inboxItemJSON(it portal.InboxItem) InboxItem {
	return InboxItem{ID: it.ID, ClientID: it.ClientID, ClientName: it.ClientName, Kind: it.Kind, Text: it.Text, Preferred: it.Preferred,
		Medicine: it.Medicine, Status: it.Status, Answer: it.Answer, AnsweredAt: it.AnsweredAt, AnsweredBy: it.AnsweredBy,
		AnsweredElectronically: it.AnsweredElectronically, WantsElectronicReply: it.WantsElectronicReply && it.UserID != 0,
		CreatedAt: it.CreatedAt, Version: it.Version}
}

func (s *Server) getPortalInbox(c echo.Context) error {
	f := portal.InboxFilter{Status: portal.InquiryStatus(c.QueryParam("status"))}
	if f.Status != "" && !slices.Contains(portal.InquiryStatuses, f.Status) {
		return &register.ValidationError{Fields: map[string]string{"status": register.CodeInvalid}}
	}
	items, err := s.cfg.Portal.Service.Inbox(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := make([]InboxItem, 0, len(items))
	counts := map[portal.InquiryStatus]int{}
	for _, it := range items {
		out = append(out, inboxItemJSON(it))
	}
	if all, err := s.cfg.Portal.Service.Inbox(c.Request().Context(), portal.InboxFilter{}); err == nil {
		for _, it := range all {
			counts[it.Status]++
		}
	}
	return c.JSON(http.StatusOK, InboxList{Results: out, Total: len(out), Counts: counts})
}

func (s *Server) putInboxStatus(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in struct {
		Status  portal.InquiryStatus `json:"status"`
		Version int64                `json:"version"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	it, err := s.cfg.Portal.Service.SetInquiryStatus(c.Request().Context(), s.actor(), id, in.Status, in.Version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, inboxItemJSON(it))
}

func (s *Server) answerInboxItem(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in struct {
		Answer  string `json:"answer"`
		Version int64  `json:"version"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	it, err := s.cfg.Portal.Service.AnswerInquiry(c.Request().Context(), s.actor(), id, in.Answer, in.Version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, inboxItemJSON(it))
}
