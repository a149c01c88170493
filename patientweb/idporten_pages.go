package patientweb

import "resepsjon/idporten"

// idTexts are the words of the ID-porten pages in one language.
type idTexts struct {
	Title, Offer, OfferText, Button, NotOffered                       string
	RequestTitle, RequestIntro, VerifiedAs, NameLabel, NameHelp       string
	NameFromProvider, EmailHelp, RightsLegend, Send                   string
	FixFields, SentTitle, Approved, Pending, TryAgain                 string
	Expired, State, Cancelled, Refused, Level, Unavailable, NotConfig string
}

func idTextsFor(lang string) idTexts {
	t := catalogueIn(lang)
	return idTexts{
		Title:            t("patient.idporten.title"),
		Offer:            t("patient.idporten.offer"),
		OfferText:        t("patient.idporten.offer_text"),
		Button:           t("patient.idporten.button"),
		NotOffered:       t("patient.idporten.not_offered"),
		RequestTitle:     t("patient.idporten.request_title"),
		RequestIntro:     t("patient.idporten.request_intro"),
		VerifiedAs:       t("patient.idporten.verified_as"),
		NameLabel:        t("patient.idporten.name_label"),
		NameHelp:         t("patient.idporten.name_help"),
		NameFromProvider: t("patient.idporten.name_from_provider"),
		EmailHelp:        t("patient.idporten.email_help"),
		RightsLegend:     t("patient.idporten.rights_legend"),
		Send:             t("patient.idporten.send"),
		FixFields:        t("patient.idporten.fix_fields"),
		SentTitle:        t("patient.idporten.sent_title"),
		Approved:         t("patient.idporten.approved"),
		Pending:          t("patient.idporten.pending"),
		TryAgain:         t("patient.idporten.try_again"),
		Expired:          t("patient.idporten.expired"),
		State:            t("patient.idporten.state"),
		Cancelled:        t("patient.idporten.cancelled"),
		Refused:          t("patient.idporten.refused"),
		Level:            t("patient.idporten.level"),
		Unavailable:      t("patient.idporten.unavailable"),
		NotConfig:        t("patient.idporten.not_config"),
	}
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
