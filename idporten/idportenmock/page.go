package idportenmock

import (
	"net/http"
	"strings"
)

// pageTexts are the login page's words in one language.
type pageTexts struct {
	Lang, Title, Intro, Persons, Other, OtherHelp, Level, Substantial, High string
	Login, Cancel, ChoosePerson, UnknownPerson, NeedHigh, ErrorTitle        string
}

func texts(lang string) pageTexts {
	if lang == "en" {
		return pageTexts{Lang: "en", Title: "Test login (ID-porten mock)",
			Intro:   "This is a test identity provider. Nobody is authenticated: choose a synthetic person to log in as.",
			Persons: "Synthetic persons", Other: "Or another synthetic national identity number",
			OtherHelp: "11 digits; the person must exist in the test population.",
			Level:     "Level of assurance", Substantial: "Substantial (MinID and similar)", High: "High (BankID and similar)",
			Login: "Log in", Cancel: "Cancel", ChoosePerson: "Choose a person or enter a national identity number.",
			UnknownPerson: "No person in the test population has that number. Choose one from the list.",
			NeedHigh:      "The service asks for level high. Choose «High».",
			ErrorTitle:    "The login cannot continue"}
	}
	return pageTexts{Lang: "nb", Title: "Testinnlogging (ID-porten-mock)",
		Intro:   "Dette er en testleverandør av innlogging. Ingen blir autentisert: velg en syntetisk person å logge inn som.",
		Persons: "Syntetiske personer", Other: "Eller et annet syntetisk fødselsnummer",
		OtherHelp: "11 siffer; personen må finnes i testbefolkningen.",
		Level:     "Sikkerhetsnivå", Substantial: "Betydelig (MinID o.l.)", High: "Høyt (BankID o.l.)",
		Login: "Logg inn", Cancel: "Avbryt", ChoosePerson: "Velg en person eller skriv et fødselsnummer.",
		UnknownPerson: "Ingen i testbefolkningen har det nummeret. Velg en fra listen.",
		NeedHigh:      "Tjenesten krever høyt nivå. Velg «Høyt».",
		ErrorTitle:    "Innloggingen kan ikke fortsette"}
}

// pageLang is the first of ui_locales the page speaks (nb, nn and se are
// shown in bokmål).
func pageLang(uiLocales string) string {
	for _, l := range strings.Fields(uiLocales) {
		if l == "en" {
			return "en"
		}
		if l == "nb" || l == "nn" || l == "se" {
			return "nb"
		}
	}
	return "nb"
}

type choice struct{ PID, Name string }

type loginPage struct {
	T       pageTexts
	Request string
	Persons []choice
	Error   string
	Other   string
	Level   string
	Detail  string
}

func (m *Mock) renderLogin(w http.ResponseWriter, status int, p loginPage, lang string) {
	p.T, p.Persons = texts(lang), m.choices()
	m.render(w, status, "login", p)
}

func (m *Mock) errorPage(w http.ResponseWriter, lang string, status int, detail string) {
	m.render(w, status, "error", loginPage{T: texts(lang), Detail: detail})
}

func (m *Mock) render(w http.ResponseWriter, status int, name string, p loginPage) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	if err := m.tpl.ExecuteTemplate(w, name, p); err != nil {
		m.log.Error("idportenmock: render", "page", name, "err", err)
	}
}

// page is the login page: plain HTML, a fieldset of radio buttons with a
// legend, labels on every input, visible focus, and text with a contrast
// above 7:1.
const page = `
{{define "head"}}<!DOCTYPE html>
<html lang="{{.T.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.T.Title}}</title>
<style>
body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f4f4f4}
main{max-width:40rem;margin:0 auto;padding:1.5rem;background:#fff;min-height:100vh;box-sizing:border-box}
h1{font-size:1.5rem;margin-top:0}
fieldset{border:1px solid #767676;border-radius:4px;margin:0 0 1.25rem;padding:.75rem 1rem}
legend{font-weight:600;padding:0 .25rem}
.choice{display:flex;gap:.5rem;align-items:flex-start;padding:.25rem 0}
.choice input{margin-top:.35rem}
.nin{font-variant-numeric:tabular-nums;color:#3d3d3d}
label.block{display:block;font-weight:600}
.help{margin:.1rem 0 .4rem;color:#3d3d3d}
input[type=text]{font:inherit;padding:.4rem;border:1px solid #767676;border-radius:4px;width:14rem}
button{font:inherit;padding:.55rem 1.2rem;border-radius:4px;border:2px solid #0b3d91;cursor:pointer;margin-right:.75rem}
button.primary{background:#0b3d91;color:#fff}
button.secondary{background:#fff;color:#0b3d91}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.error{border-left:4px solid #a4001d;background:#fdecee;color:#5c0010;padding:.5rem .75rem}
.field{margin-bottom:1.25rem}
</style>
</head>
<body>
<main>
{{end}}

{{define "login"}}{{template "head" .}}
<h1>{{.T.Title}}</h1>
<p>{{.T.Intro}}</p>
{{if .Error}}<p class="error" role="alert" id="pick-error">{{.Error}}</p>{{end}}
<form method="post" action="/authorize">
<input type="hidden" name="request" value="{{.Request}}">
<input type="hidden" name="lang" value="{{.T.Lang}}">
<fieldset>
<legend>{{.T.Persons}}</legend>
{{range $i, $p := .Persons}}<div class="choice">
<input type="radio" name="pid" id="pid-{{$i}}" value="{{$p.PID}}"{{if eq $i 0}} checked{{end}}>
<label for="pid-{{$i}}">{{$p.Name}} <span class="nin">({{$p.PID}})</span></label>
</div>
{{end}}</fieldset>
<div class="field">
<label class="block" for="other">{{.T.Other}}</label>
<p class="help" id="other-help">{{.T.OtherHelp}}</p>
<input type="text" id="other" name="other" inputmode="numeric" autocomplete="off" maxlength="11" value="{{.Other}}" aria-describedby="other-help{{if .Error}} pick-error{{end}}">
</div>
<fieldset>
<legend>{{.T.Level}}</legend>
<div class="choice"><input type="radio" name="level" id="level-substantial" value="idporten-loa-substantial"{{if ne .Level "idporten-loa-high"}} checked{{end}}><label for="level-substantial">{{.T.Substantial}}</label></div>
<div class="choice"><input type="radio" name="level" id="level-high" value="idporten-loa-high"{{if eq .Level "idporten-loa-high"}} checked{{end}}><label for="level-high">{{.T.High}}</label></div>
</fieldset>
<button type="submit" class="primary" name="action" value="login">{{.T.Login}}</button>
<button type="submit" class="secondary" name="action" value="cancel">{{.T.Cancel}}</button>
</form>
</main>
</body>
</html>{{end}}

{{define "error"}}{{template "head" .}}
<h1>{{.T.ErrorTitle}}</h1>
<p class="error" role="alert">{{.Detail}}</p>
</main>
</body>
</html>{{end}}
`
