package patientweb

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"resepsjon/portal"
)

// The patient's side of part two: asking for access with the plain form,
// the three functions the rights open (each only while the right is given),
// and the history of what the patient sent with the practice's answers.

// extra is what the pages of part two need besides page's fields.
type extra struct {
	Form     map[string]string // the values typed, to show again after an error
	Offered  portal.Rights     // the rights the practice offers (the request form)
	Rights   portal.Rights     // the rights the patient has now (within those offered)
	Asked    portal.Rights     // the rights ticked in the request form
	Reply    bool              // «Ønsker svar elektronisk» (ticked / the patient's setting)
	Kind     string            // consultation, booking or renewal
	Action   string            // the form's path
	History  []historyItem
	Approved bool // the request was approved at once
	Done     bool // the request or message was received
}

// historyItem is one message in the patient's history.
type historyItem struct {
	portal.Inquiry
	Sent, Answered string // dates in the page's language
}

// functions maps each function's path to its kind.
var functions = map[string]portal.InquiryKind{
	"/e-konsultasjon":    portal.KindConsultation,
	"/e-timebestilling":  portal.KindBooking,
	"/e-reseptfornyelse": portal.KindRenewal,
}

func pathOf(kind portal.InquiryKind) string {
	for p, k := range functions {
		if k == kind {
			return p
		}
	}
	return "/"
}

func (s *Server) requestRoutes() {
	s.mux.HandleFunc("GET /be-om-tilgang", s.requestPage)
	s.mux.HandleFunc("POST /be-om-tilgang", s.requestAccess)
	for path, kind := range functions {
		s.mux.HandleFunc("GET "+path, s.functionPage(kind))
		s.mux.HandleFunc("POST "+path, s.sendInquiry(kind))
	}
	s.mux.HandleFunc("GET /historikk", s.historyPage)
}

func (s *Server) requestForm(w http.ResponseWriter, r *http.Request) (page, error) {
	p := s.newPage(w, r, func(t texts) string { return requestTexts(t.Lang).RequestTitle })
	p.X.Form = map[string]string{}
	st, err := s.svc.Settings(r.Context())
	if err != nil {
		return p, err
	}
	p.X.Offered = st.Offered
	return p, nil
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.requestForm(w, r)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.X.Reply = true
	s.render(w, http.StatusOK, "request", p)
}

func (s *Server) requestAccess(w http.ResponseWriter, r *http.Request) {
	p, err := s.requestForm(w, r)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	for _, k := range []string{"name", "nin", "email"} {
		if v := strings.TrimSpace(r.PostFormValue(k)); len(v) <= 254 {
			p.X.Form[k] = v
		}
	}
	p.X.Asked = portal.Rights{Consultation: r.PostFormValue("consultation") == "1", Booking: r.PostFormValue("booking") == "1",
		Renewal: r.PostFormValue("renewal") == "1"}
	p.X.Reply = r.PostFormValue("reply") == "1"
	out, err := s.svc.RequestAccess(r.Context(), portal.AccessRequest{Name: r.PostFormValue("name"), NIN: r.PostFormValue("nin"),
		Email: r.PostFormValue("email"), Rights: p.X.Asked, WantsElectronicReply: p.X.Reply, Language: p.T.Lang, Addr: clientAddr(r)})
	var ve *portal.ValidationError
	var te *portal.ThrottledError
	switch {
	case errors.As(err, &ve):
		for f, code := range ve.Fields {
			p.Fields[f], _ = portal.Message(code, p.T.Lang)
		}
		p.Error = requestTexts(p.T.Lang).FixErrors
		s.render(w, http.StatusBadRequest, "request", p)
		return
	case errors.As(err, &te):
		w.Header().Set("Retry-After", fmt.Sprint(int(te.RetryAfter.Seconds())+1))
		p.Error, _ = portal.Message("portal.throttled", p.T.Lang)
		s.render(w, http.StatusTooManyRequests, "request", p)
		return
	case err != nil:
		s.fail(w, r, p, err)
		return
	}
	p.X.Done, p.X.Approved = true, out.Status == portal.RequestApproved
	rt := requestTexts(p.T.Lang)
	p.Notice = rt.RequestReceived
	if p.X.Approved {
		p.Notice = rt.RequestApproved
	}
	s.render(w, http.StatusOK, "request", p)
}

// patient is the logged-in patient and the rights they have now, or a
// redirect to the login.
func (s *Server) patient(w http.ResponseWriter, r *http.Request) (portal.User, portal.Rights, bool) {
	u, err := s.user(r)
	if err != nil {
		http.Redirect(w, r, "/logg-inn", http.StatusSeeOther)
		return portal.User{}, portal.Rights{}, false
	}
	st, err := s.svc.Settings(r.Context())
	if err != nil {
		s.fail(w, r, s.newPage(w, r, func(t texts) string { return t.Portal }), err)
		return portal.User{}, portal.Rights{}, false
	}
	return u, u.Rights.Within(st.Offered), true
}

func has(r portal.Rights, kind portal.InquiryKind) bool {
	switch kind {
	case portal.KindConsultation:
		return r.Consultation
	case portal.KindBooking:
		return r.Booking
	case portal.KindRenewal:
		return r.Renewal
	}
	return false
}

func (s *Server) functionPageFor(w http.ResponseWriter, r *http.Request, kind portal.InquiryKind, u portal.User, rights portal.Rights) page {
	p := s.newPage(w, r, func(t texts) string { return requestTexts(t.Lang).TitleOf(kind) })
	p.X.Form, p.X.Kind, p.X.Action, p.X.Rights, p.X.Reply = map[string]string{}, string(kind), pathOf(kind), rights, u.WantsElectronicReply
	return p
}

// noRight answers a function the patient does not have now: the page says
// so, and nothing is taken.
func (s *Server) noRight(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, func(t texts) string { return requestTexts(t.Lang).NoRightTitle })
	p.Error, _ = portal.Message("portal.no_right", p.T.Lang)
	s.render(w, http.StatusForbidden, "noright", p)
}

func (s *Server) functionPage(kind portal.InquiryKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, rights, ok := s.patient(w, r)
		if !ok {
			return
		}
		if !has(rights, kind) {
			s.noRight(w, r)
			return
		}
		s.render(w, http.StatusOK, "function", s.functionPageFor(w, r, kind, u, rights))
	}
}

func (s *Server) sendInquiry(kind portal.InquiryKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, rights, ok := s.patient(w, r)
		if !ok {
			return
		}
		in := portal.InquiryInput{Text: r.PostFormValue("text"), Preferred: r.PostFormValue("preferred"), Medicine: r.PostFormValue("medicine")}
		_, err := s.svc.SendInquiry(r.Context(), u, kind, in)
		var ve *portal.ValidationError
		switch {
		case errors.Is(err, portal.ErrNoRight):
			s.noRight(w, r)
			return
		case errors.As(err, &ve):
			p := s.functionPageFor(w, r, kind, u, rights)
			p.X.Form = map[string]string{"text": in.Text, "preferred": in.Preferred, "medicine": in.Medicine}
			for f, code := range ve.Fields {
				p.Fields[f], _ = portal.Message(code, p.T.Lang)
			}
			p.Error = requestTexts(p.T.Lang).FixErrors
			s.render(w, http.StatusBadRequest, "function", p)
			return
		case err != nil:
			s.fail(w, r, s.newPage(w, r, func(t texts) string { return t.Portal }), err)
			return
		}
		http.Redirect(w, r, "/historikk?ok="+string(kind), http.StatusSeeOther)
	}
}

func (s *Server) historyPage(w http.ResponseWriter, r *http.Request) {
	u, rights, ok := s.patient(w, r)
	if !ok {
		return
	}
	p := s.newPage(w, r, func(t texts) string { return requestTexts(t.Lang).HistoryTitle })
	p.X.Rights, p.X.Reply = rights, u.WantsElectronicReply
	items, err := s.svc.History(r.Context(), u)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	loc := s.cfg.Location
	if loc == nil {
		loc = time.Local
	}
	for _, q := range items {
		h := historyItem{Inquiry: q, Sent: formatDate(q.CreatedAt, p.T.Lang, loc)}
		if q.AnsweredAt != nil {
			h.Answered = formatDate(*q.AnsweredAt, p.T.Lang, loc)
		}
		p.X.History = append(p.X.History, h)
	}
	if _, ok := functions[pathOf(portal.InquiryKind(r.URL.Query().Get("ok")))]; ok {
		rt := requestTexts(p.T.Lang)
		p.Notice = rt.Sent + " " + rt.ReplyByPhone
		if u.WantsElectronicReply {
			p.Notice = rt.Sent + " " + rt.ReplyElectronic
		}
	}
	s.render(w, http.StatusOK, "history", p)
}

func formatDate(t time.Time, lang string, loc *time.Location) string {
	t = t.In(loc)
	if lang == "en" {
		return t.Format("02.01.2006 at 15:04")
	}
	return t.Format("02.01.2006 kl. 15:04")
}
