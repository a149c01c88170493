package patientweb

import "resepsjon/idporten"

// idTexts are the words of the ID-porten pages in one language.
type idTexts struct {
	Title, Offer, OfferText, Button, NotOffered                       string
	RequestTitle, RequestIntro, VerifiedAs, NameLabel, NameHelp       string
	NameFromProvider, EmailHelp, RightsLegend, RightsHelp, Send       string
	FixFields, SentTitle, Approved, Pending, TryAgain                 string
	Expired, State, Cancelled, Refused, Level, Unavailable, NotConfig string
}

func idTextsFor(lang string) idTexts {
	if lang == "en" {
		return idTexts{Title: "Log in with ID-porten", Offer: "Ask for access with ID-porten",
			OfferText:    "Ask for access by logging in with ID-porten (BankID, MinID and others). Your identity is then verified, and the practice may approve you at once.",
			Button:       "Log in with ID-porten",
			NotOffered:   "The practice does not offer login with ID-porten. Contact the practice to get access.",
			RequestTitle: "Ask for access to the patient portal",
			RequestIntro: "ID-porten has verified who you are. Fill in your e-mail address; the practice sends the link to activate your access there.",
			VerifiedAs:   "Verified national identity number", NameLabel: "Your name", NameHelp: "As in the National Registry.",
			NameFromProvider: "From ID-porten.", EmailHelp: "The activation link and notices about answers go here.",
			RightsLegend: "What you would like to use (the practice decides)", RightsHelp: "",
			Send: "Ask for access", FixFields: "Some fields need fixing; see below.",
			SentTitle:   "Request received",
			Approved:    "Your access is approved. Check your e-mail for the link to choose a password.",
			Pending:     "The practice has received your request and handles it soon. You get an e-mail when it is approved.",
			TryAgain:    "Try again",
			Expired:     "The login took too long or was already used. Start again with «Log in with ID-porten».",
			State:       "The answer from ID-porten does not belong to this login. Start again with «Log in with ID-porten».",
			Cancelled:   "You cancelled the login. You can try again, or contact the practice.",
			Refused:     "The login could not be verified, so nothing was received. Try again; if it keeps failing, contact the practice.",
			Level:       "The practice needs a higher level of assurance (for example BankID). Try again with another eID.",
			Unavailable: "ID-porten cannot be reached right now. Try again in a little while.",
			NotConfig:   "Login with ID-porten is not set up at the practice. Contact the practice to get access."}
	}
	return idTexts{Title: "Logg inn med ID-porten", Offer: "Be om tilgang med ID-porten",
		OfferText:    "Be om tilgang ved å logge inn med ID-porten (BankID, MinID og andre). Da er identiteten din bekreftet, og legekontoret kan godkjenne deg med en gang.",
		Button:       "Logg inn med ID-porten",
		NotOffered:   "Legekontoret tilbyr ikke innlogging med ID-porten. Kontakt legekontoret for å få tilgang.",
		RequestTitle: "Be om tilgang til pasientportalen",
		RequestIntro: "ID-porten har bekreftet hvem du er. Fyll inn e-postadressen din; legekontoret sender lenken for å aktivere tilgangen dit.",
		VerifiedAs:   "Bekreftet fødselsnummer", NameLabel: "Navnet ditt", NameHelp: "Slik det står i Folkeregisteret.",
		NameFromProvider: "Fra ID-porten.", EmailHelp: "Aktiveringslenken og varsler om svar kommer hit.",
		RightsLegend: "Dette vil du bruke (legekontoret bestemmer)", RightsHelp: "",
		Send: "Be om tilgang", FixFields: "Noen felt må rettes; se nedenfor.",
		SentTitle:   "Forespørselen er mottatt",
		Approved:    "Tilgangen din er godkjent. Se e-posten din for lenken der du velger passord.",
		Pending:     "Legekontoret har fått forespørselen din og behandler den snart. Du får e-post når den er godkjent.",
		TryAgain:    "Prøv igjen",
		Expired:     "Innloggingen tok for lang tid eller er allerede brukt. Begynn på nytt med «Logg inn med ID-porten».",
		State:       "Svaret fra ID-porten hører ikke til denne innloggingen. Begynn på nytt med «Logg inn med ID-porten».",
		Cancelled:   "Du avbrøt innloggingen. Du kan prøve igjen, eller kontakte legekontoret.",
		Refused:     "Innloggingen kunne ikke bekreftes, så ingenting er mottatt. Prøv igjen; kontakt legekontoret hvis det ikke går.",
		Level:       "Legekontoret krever et høyere sikkerhetsnivå (for eksempel BankID). Prøv igjen med en annen eID.",
		Unavailable: "ID-porten svarer ikke akkurat nå. Prøv igjen om litt.",
		NotConfig:   "Innlogging med ID-porten er ikke satt opp hos legekontoret. Kontakt legekontoret for å få tilgang."}
}

// failure is the text for a login error code.
func (t idTexts) failure(code string) string {
	switch code {
	case idporten.CodeExpired:
		return t.Expired
	case idporten.CodeState:
		return t.State
	case idporten.CodeCancelled:
		return t.Cancelled
	case idporten.CodeLevel:
		return t.Level
	case idporten.CodeNotConfigured:
		return t.NotConfig
	case idporten.CodeRefused:
		return t.Refused
	default:
		return t.Unavailable
	}
}

// idportenPages are the ID-porten templates: the offer on the login page,
// the request form after the login, and the message page.
const idportenPages = `
{{define "idporten-offer"}}{{if .IDPorten}}<section class="card" aria-labelledby="idporten-offer">
<h2 id="idporten-offer">{{.ID.Offer}}</h2>
<p>{{.ID.OfferText}}</p>
<p><a class="button-link" id="idporten-login" href="/idporten/logg-inn">{{.ID.Button}}</a></p>
</section>{{end}}{{end}}

{{define "idporten-request"}}{{template "head" .}}
<p>{{.ID.RequestIntro}}</p>
<form method="post" action="/idporten/foresporsel" novalidate>
<dl class="card"><dt>{{.ID.VerifiedAs}}</dt><dd id="verified-pid">{{.Request.MaskedPID}}</dd></dl>
<div class="field">
  <label for="name">{{.ID.NameLabel}}</label>
  <p class="help" id="name-help">{{if .Request.Name}}{{.ID.NameFromProvider}}{{else}}{{.ID.NameHelp}}{{end}}</p>
  <input id="name" name="name" type="text" value="{{.Request.Name}}" autocomplete="name" required maxlength="200"{{if .Request.Name}} readonly{{end}}
    aria-describedby="name-help{{if index .Fields "name"}} name-err{{end}}"{{if index .Fields "name"}} aria-invalid="true"{{end}}>
  {{with index .Fields "name"}}<p class="field-error" id="name-err">{{.}}</p>{{end}}
</div>
{{template "field" (field "email" "email" "email" .T.Email .ID.EmailHelp .Request.Email "email" (index .Fields "email") 254)}}
{{if .Request.Offered.Any}}<fieldset class="rights-choice">
<legend>{{.ID.RightsLegend}}</legend>
{{if .Request.Offered.Consultation}}<div class="check"><input type="checkbox" id="r-consultation" name="consultation" value="1"{{if .Request.Rights.Consultation}} checked{{end}}><label for="r-consultation">{{.T.Consultation}}</label></div>{{end}}
{{if .Request.Offered.Booking}}<div class="check"><input type="checkbox" id="r-booking" name="booking" value="1"{{if .Request.Rights.Booking}} checked{{end}}><label for="r-booking">{{.T.Booking}}</label></div>{{end}}
{{if .Request.Offered.Renewal}}<div class="check"><input type="checkbox" id="r-renewal" name="renewal" value="1"{{if .Request.Rights.Renewal}} checked{{end}}><label for="r-renewal">{{.T.Renewal}}</label></div>{{end}}
</fieldset>{{end}}
<div class="check">
  <input type="checkbox" id="reply" name="reply" value="1"{{if .Request.WantsReply}} checked{{end}} aria-describedby="reply-help">
  <label for="reply">{{.T.WantsReply}}</label>
</div>
<p class="help" id="reply-help">{{.T.WantsReplyHelp}}</p>
<button type="submit" class="primary" id="idporten-send">{{.ID.Send}}</button>
</form>
{{template "foot" .}}{{end}}

{{define "idporten-message"}}{{template "head" .}}
{{if and .Error .IDPorten}}<p><a href="/idporten/logg-inn">{{.ID.TryAgain}}</a></p>{{end}}
<p><a href="/logg-inn">{{.T.BackToLogin}}</a></p>
{{template "foot" .}}{{end}}
`

// idportenCSS styles the ID-porten pages' extra elements.
const idportenCSS = `
input[type=text] { width: 100%; min-height: 2.75rem; padding: 0.5rem 0.75rem; font: inherit;
  color: var(--text); background: var(--surface); border: 1px solid var(--control); border-radius: var(--radius); }
input[readonly] { background: var(--bg); }
.button-link { display: inline-block; min-height: 2.75rem; padding: 0.5rem 1.25rem; font-weight: 600; border-radius: var(--radius);
  background: var(--primary); color: #fff; text-decoration: none; border: 1px solid var(--primary); }
.button-link:hover { background: var(--primary-dark); color: #fff; }
fieldset.rights-choice { border: 1px solid var(--line); border-radius: var(--radius); margin: 0 0 1rem; padding: 0.5rem 1rem; }
fieldset.rights-choice legend { font-weight: 600; }
fieldset.rights-choice .check { margin: 0.25rem 0; }
`
