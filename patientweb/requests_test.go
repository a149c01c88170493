package patientweb_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"resepsjon/app"
)

// mailText waits for the n-th mail and returns its decoded text.
func (w *world) mailText(n int) (to, subject, text string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := w.smtp.WaitFor(ctx, n)
	if err != nil {
		w.t.Fatal(err)
	}
	m := msgs[n-1]
	data := strings.ReplaceAll(strings.ReplaceAll(string(m.Data), "=\r\n", ""), "=3D", "=")
	if _, after, ok := strings.Cut(data, "Subject: "); ok {
		subject, _, _ = strings.Cut(after, "\r\n")
	}
	return m.To[0], subject, data
}

func (w *world) requests(status string) []app.PortalRequest {
	w.t.Helper()
	st, body := w.staff("GET", "/api/portal/requests?status="+status, "")
	if st != 200 {
		w.t.Fatalf("list: %d %s", st, body)
	}
	var out app.PortalRequestList
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		w.t.Fatal(err)
	}
	return out.Results
}

func (w *world) inbox(status string) []app.InboxItem {
	w.t.Helper()
	st, body := w.staff("GET", "/api/portal/inbox?status="+status, "")
	if st != 200 {
		w.t.Fatalf("inbox: %d %s", st, body)
	}
	var out app.InboxList
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		w.t.Fatal(err)
	}
	return out.Results
}

// TestRequestToAnswer: a person asks for access with the plain form, the
// reception approves it (the client is created from the request), the
// patient activates over the real SMTP server's mail, sends an
// e-konsultasjon, the reception answers in the Innboks, a mail without the
// answer says so, and the patient reads the answer in the history. Then
// the same without «Ønsker svar elektronisk»: nothing is mailed and the
// history says the answer came by phone or letter.
func TestRequestToAnswer(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	p := b.get("/logg-inn")
	if !strings.Contains(p.body, `href="/be-om-tilgang"`) {
		t.Fatal("the login page has no way to ask for access")
	}
	p = b.get("/be-om-tilgang")
	for _, want := range []string{`<label for="nin">Fødselsnummer</label>`, `for="want-consultation"`, `name="reply" value="1" checked`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("request form lacks %q", want)
		}
	}
	// A wrong number is explained and nothing typed is lost.
	p = b.post("/be-om-tilgang", url.Values{"name": {"Kari Nordmann"}, "nin": {"14838510037"}, "email": {"kari@example.no"}})
	if p.status != 400 || !strings.Contains(p.body, `aria-invalid="true"`) || !strings.Contains(p.body, `value="kari@example.no"`) {
		t.Fatalf("bad number: %d %s", p.status, p.body)
	}
	p = b.post("/be-om-tilgang", url.Values{"name": {"Kari Nordmann"}, "nin": {"148385 10036"}, "email": {"kari@example.no"},
		"consultation": {"1"}, "reply": {"1"}})
	if p.status != 200 || !strings.Contains(p.body, "Forespørselen er mottatt") {
		t.Fatalf("request: %d %s", p.status, p.body)
	}
	rows := w.requests("pending")
	if len(rows) != 1 || rows[0].Verified || rows[0].MaskedNIN != "148385 *****" || strings.Contains(mustBody(w, "/api/portal/requests"), "14838510036") {
		t.Fatalf("manual list: %+v", rows)
	}
	st, body := w.staff("POST", "/api/portal/requests/"+strconv.FormatInt(rows[0].ID, 10)+"/approve",
		`{"rights":{"consultation":true,"booking":true},"version":`+strconv.FormatInt(rows[0].Version, 10)+`}`)
	if st != 200 || !strings.Contains(body, `"clientSource":"request"`) {
		t.Fatalf("approve: %d %s", st, body)
	}
	to, link := w.mailLink(1)
	if to != "kari@example.no" || link == "" {
		t.Fatalf("activation mail to %s with %q", to, link)
	}
	p = b.post("/aktiver", url.Values{"t": {strings.TrimPrefix(link, "/aktiver?t=")}, "password": {"blå sykkel ved sjøen"}, "repeat": {"blå sykkel ved sjøen"}})
	if p.status != 303 {
		t.Fatalf("activate: %d %s", p.status, p.body)
	}
	p = b.get("/profil")
	if !strings.Contains(p.body, `href="/e-konsultasjon"`) || !strings.Contains(p.body, `href="/e-timebestilling"`) || strings.Contains(p.body, `href="/e-reseptfornyelse"`) {
		t.Fatalf("services on the profile: %s", p.body)
	}
	// E-reseptfornyelse is not given: hidden, and refused when asked for.
	if p = b.get("/e-reseptfornyelse"); p.status != 403 {
		t.Fatalf("renewal page without the right: %d", p.status)
	}
	if p = b.post("/e-reseptfornyelse", url.Values{"medicine": {"Ventoline"}}); p.status != 403 {
		t.Fatalf("renewal without the right: %d", p.status)
	}
	if p = b.get("/e-konsultasjon"); p.status != 200 || !strings.Contains(p.body, "Spørsmålet ditt") {
		t.Fatalf("consultation page: %d", p.status)
	}
	p = b.post("/e-konsultasjon", url.Values{"text": {"Jeg har hatt vondt i halsen i en uke.\nBør jeg komme inn?"}})
	if p.status != 303 || !strings.HasPrefix(p.location, "/historikk") {
		t.Fatalf("send: %d %s", p.status, p.body)
	}
	items := w.inbox("new")
	if len(items) != 1 || items[0].Kind != "consultation" || items[0].ClientName != "Kari Nordmann" || !items[0].WantsElectronicReply {
		t.Fatalf("inbox: %+v", items)
	}
	id := strconv.FormatInt(items[0].ID, 10)
	if st, body := w.staff("PUT", "/api/portal/inbox/"+id+"/status", `{"status":"in_progress"}`); st != 200 {
		t.Fatalf("in progress: %d %s", st, body)
	}
	if st, body := w.staff("POST", "/api/portal/inbox/"+id+"/answer", `{"answer":"Kom innom i morgen kl. 9."}`); st != 200 || !strings.Contains(body, `"status":"done"`) {
		t.Fatalf("answer: %d %s", st, body)
	}
	to, subject, text := w.mailText(2)
	if to != "kari@example.no" || !strings.Contains(subject, "Nytt svar") || strings.Contains(text, "i morgen") || !strings.Contains(text, "/historikk") {
		t.Fatalf("new-answer mail to %s: %s\n%s", to, subject, text)
	}
	p = b.get("/historikk")
	if !strings.Contains(p.body, "Kom innom i morgen kl. 9.") || !strings.Contains(p.body, "Ferdig") {
		t.Fatalf("history: %s", p.body)
	}

	// The same patient without electronic answers.
	if p = b.post("/profil", url.Values{"language": {"nb"}}); p.status != 303 {
		t.Fatalf("preferences: %d", p.status)
	}
	p = b.post("/e-timebestilling", url.Values{"text": {"Kontroll av blodtrykk"}, "preferred": {"mandager før kl. 10"}})
	if p.status != 303 {
		t.Fatalf("booking: %d %s", p.status, p.body)
	}
	if p = b.get(p.location); !strings.Contains(p.body, "svarer på telefon eller brev") {
		t.Fatalf("after sending: %s", p.body)
	}
	items = w.inbox("new")
	if len(items) != 1 || items[0].WantsElectronicReply {
		t.Fatalf("inbox: %+v", items)
	}
	if st, body := w.staff("POST", "/api/portal/inbox/"+strconv.FormatInt(items[0].ID, 10)+"/answer", `{"answer":"Ringt og avtalt time 12.12."}`); st != 200 ||
		!strings.Contains(body, `"answeredElectronically":false`) {
		t.Fatalf("answer by phone: %d %s", st, body)
	}
	p = b.get("/historikk")
	if strings.Contains(p.body, "Ringt og avtalt") || !strings.Contains(p.body, "Besvart på telefon eller brev") {
		t.Fatalf("history after a phone answer: %s", p.body)
	}
	// A mail would have been queued with the answer: once the two mails
	// before are recorded as sent, a round of delivery finds none.
	w.waitMarkedSent(2)
	if sent, err := w.sender.DeliverDue(context.Background()); err != nil || sent != 0 {
		t.Fatalf("a round of delivery after a phone answer sent %d (%v), want none", sent, err)
	}
	if n := len(w.smtp.Messages()); n != 2 {
		t.Fatalf("%d mails, want 2 (no mail for a phone answer)", n)
	}
}

// TestRejectMailsReason: the reason goes by mail; the request leaves the
// pending list.
func TestRejectMailsReason(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	p := b.post("/be-om-tilgang?lang=en", url.Values{"name": {"Ola Hansen"}, "nin": {"01817010055"}, "email": {"ola@example.no"}})
	if p.status != 200 || !strings.Contains(p.body, "The request is received") {
		t.Fatalf("request: %d %s", p.status, p.body)
	}
	rows := w.requests("pending")
	if len(rows) != 1 {
		t.Fatalf("%+v", rows)
	}
	if st, body := w.staff("POST", "/api/portal/requests/"+strconv.FormatInt(rows[0].ID, 10)+"/reject", `{"reason":"We take no new patients this year."}`); st != 200 {
		t.Fatalf("reject: %d %s", st, body)
	}
	to, _, text := w.mailText(1)
	if to != "ola@example.no" || !strings.Contains(text, "We take no new patients this year.") {
		t.Fatalf("rejection mail to %s: %s", to, text)
	}
	if len(w.requests("pending")) != 0 || len(w.requests("rejected")) != 1 {
		t.Fatal("the rejected request is still pending")
	}
	if st, _ := w.staff("POST", "/api/portal/requests/"+strconv.FormatInt(rows[0].ID, 10)+"/approve", `{"rights":{}}`); st != 409 {
		t.Fatalf("approving a rejected request: %d", st)
	}
}

func mustBody(w *world, path string) string {
	_, body := w.staff("GET", path, "")
	return body
}

// TestApprovalSetting: «Godkjenn automatisk» is refused without an
// identity provider; «Behandle manuelt» is the default.
func TestApprovalSetting(t *testing.T) {
	w := newWorld(t)
	st, body := w.staff("GET", "/api/portal/settings", "")
	if st != 200 || !strings.Contains(body, `"approval":"manual"`) || !strings.Contains(body, `"identityProvider":false`) {
		t.Fatalf("settings: %d %s", st, body)
	}
	st, body = w.staff("PUT", "/api/portal/settings", `{"offeredRights":{"consultation":true},"activationHours":72,"resetMinutes":60,"approval":"automatic","onlyExistingClients":true}`)
	if st != 400 || !strings.Contains(body, `"approval":"portal.approval_needs_idp"`) {
		t.Fatalf("automatic without an identity provider: %d %s", st, body)
	}
	st, body = w.staff("PUT", "/api/portal/settings", `{"offeredRights":{"consultation":true},"activationHours":72,"resetMinutes":60,"approval":"sometimes"}`)
	if st != 400 {
		t.Fatalf("unknown approval mode: %d %s", st, body)
	}
}
