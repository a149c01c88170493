package patientweb

// pages are the patient's HTML pages: plain forms that work without
// JavaScript, one column that fits a phone. The Content-Security-Policy
// allows no script and no inline style.
const pages = `
{{define "head"}}<!DOCTYPE html>
<html lang="{{.T.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – {{.T.Portal}}{{if .Practice}} – {{.Practice}}{{end}}</title>
<link rel="stylesheet" href="/portal.css">
</head>
<body>
<header class="top">
  <span class="brand">{{if .Practice}}{{.Practice}} · {{end}}{{.T.Portal}}</span>
  <a class="lang" href="{{.OtherLangURL}}" lang="{{.T.OtherLang}}" hreflang="{{.T.OtherLang}}">{{.T.OtherLangName}}</a>
</header>
<main id="main">
<h1>{{.Title}}</h1>
{{if .Notice}}<p class="notice" role="status">{{.Notice}}</p>{{end}}
{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
{{end}}

{{define "foot"}}</main>
</body>
</html>{{end}}

{{define "field"}}<div class="field">
  <label for="{{.ID}}">{{.Label}}</label>
  {{if .Help}}<p class="help" id="{{.ID}}-help">{{.Help}}</p>{{end}}
  <input id="{{.ID}}" name="{{.Name}}" type="{{.Type}}"{{if .Value}} value="{{.Value}}"{{end}}{{if .Auto}} autocomplete="{{.Auto}}"{{end}} required maxlength="{{.Max}}"
    {{- if or .Help .Err}} aria-describedby="{{if .Help}}{{.ID}}-help{{end}}{{if .Err}} {{.ID}}-err{{end}}"{{end}}{{if .Err}} aria-invalid="true"{{end}}>
  {{if .Err}}<p class="field-error" id="{{.ID}}-err">{{.Err}}</p>{{end}}
</div>{{end}}

{{define "login"}}{{template "head" .}}
<p>{{.T.LoginIntro}}</p>
<form method="post" action="/logg-inn" novalidate>
{{template "field" (field "email" "email" "email" .T.Email "" .Email "username" "" 254)}}
{{template "field" (field "password" "password" "password" .T.Password "" "" "current-password" "" 512)}}
<button type="submit" class="primary">{{.T.Login}}</button>
</form>
<p><a href="/glemt-passord">{{.T.Forgot}}</a></p>
<p><a id="link-request" href="/be-om-tilgang">{{(rt .T.Lang).RequestLink}}</a></p>
{{template "idporten-offer" .}}
{{template "foot" .}}{{end}}

{{define "setpassword"}}{{template "head" .}}
{{if .LinkOK}}
<p>{{.Intro}}</p>
<form method="post" action="{{.Action}}" novalidate>
<input type="hidden" name="t" value="{{.Token}}">
{{template "field" (field "password" "password" "password" .T.NewPassword .T.PasswordRules "" "new-password" (index .Fields "password") 512)}}
{{template "field" (field "repeat" "repeat" "password" .T.RepeatPassword "" "" "new-password" (index .Fields "repeat") 512)}}
<button type="submit" class="primary">{{.Button}}</button>
</form>
{{else}}
<p><a href="/glemt-passord">{{.T.Forgot}}</a> · <a href="/logg-inn">{{.T.BackToLogin}}</a></p>
{{end}}
{{template "foot" .}}{{end}}

{{define "forgot"}}{{template "head" .}}
<p>{{.T.ForgotIntro}}</p>
<form method="post" action="/glemt-passord" novalidate>
{{template "field" (field "email" "email" "email" .T.Email "" .Email "username" "" 254)}}
<button type="submit" class="primary">{{.T.ForgotButton}}</button>
</form>
<p><a href="/logg-inn">{{.T.BackToLogin}}</a></p>
{{template "foot" .}}{{end}}

{{define "profile"}}{{template "head" .}}
<section class="card" aria-labelledby="who">
<h2 id="who" class="visually-hidden">{{.T.Name}}</h2>
<dl>
  <dt>{{.T.Name}}</dt><dd>{{.Profile.Name}}</dd>
  <dt>{{.T.Email}}</dt><dd>{{.Profile.Email}}</dd>
</dl>
</section>
<section class="card" aria-labelledby="rights">
<h2 id="rights">{{.T.Rights}}</h2>
{{if .Profile.Rights.Any}}
<ul class="rights">
  <li><span class="mark {{if .Profile.Rights.Consultation}}yes{{else}}no{{end}}" aria-hidden="true">{{if .Profile.Rights.Consultation}}✓{{else}}–{{end}}</span> {{.T.Consultation}}: <strong>{{if .Profile.Rights.Consultation}}{{.T.Given}}{{else}}{{.T.NotGiven}}{{end}}</strong></li>
  <li><span class="mark {{if .Profile.Rights.Booking}}yes{{else}}no{{end}}" aria-hidden="true">{{if .Profile.Rights.Booking}}✓{{else}}–{{end}}</span> {{.T.Booking}}: <strong>{{if .Profile.Rights.Booking}}{{.T.Given}}{{else}}{{.T.NotGiven}}{{end}}</strong></li>
  <li><span class="mark {{if .Profile.Rights.Renewal}}yes{{else}}no{{end}}" aria-hidden="true">{{if .Profile.Rights.Renewal}}✓{{else}}–{{end}}</span> {{.T.Renewal}}: <strong>{{if .Profile.Rights.Renewal}}{{.T.Given}}{{else}}{{.T.NotGiven}}{{end}}</strong></li>
</ul>
{{else}}
<p><strong>{{.T.NoRights}}</strong>. {{.T.NoRightsNote}}</p>
{{end}}
</section>
{{template "services" .}}
<section class="card" aria-labelledby="prefs">
<h2 id="prefs">{{.T.Preferences}}</h2>
<form method="post" action="/profil" novalidate>
<div class="check">
  <input type="checkbox" id="reply" name="reply" value="1"{{if .Profile.WantsElectronicReply}} checked{{end}} aria-describedby="reply-help">
  <label for="reply">{{.T.WantsReply}}</label>
</div>
<p class="help" id="reply-help">{{.T.WantsReplyHelp}}</p>
<div class="field">
  <label for="language">{{.T.Language}}</label>
  <select id="language" name="language">
    <option value="nb"{{if eq .Profile.Language "nb"}} selected{{end}}>{{.T.Norwegian}}</option>
    <option value="en"{{if eq .Profile.Language "en"}} selected{{end}}>{{.T.English}}</option>
  </select>
</div>
<button type="submit">{{.T.SavePreferences}}</button>
</form>
</section>
<section class="card" aria-labelledby="pw">
<h2 id="pw">{{.T.ChangePasswordTitle}}</h2>
<form method="post" action="/passord" novalidate>
{{template "field" (field "current" "current" "password" .T.CurrentPassword "" "" "current-password" (index .Fields "current") 512)}}
{{template "field" (field "password" "password" "password" .T.NewPassword .T.PasswordRules "" "new-password" (index .Fields "password") 512)}}
{{template "field" (field "repeat" "repeat" "password" .T.RepeatPassword "" "" "new-password" (index .Fields "repeat") 512)}}
<button type="submit">{{.T.ChangeButton}}</button>
</form>
</section>
<form method="post" action="/logg-ut" class="logout">
<button type="submit">{{.T.Logout}}</button>
</form>
{{template "foot" .}}{{end}}

{{define "message"}}{{template "head" .}}
<p><a href="/logg-inn">{{.T.BackToLogin}}</a></p>
{{template "foot" .}}{{end}}
`

// css is the patient's stylesheet: the staff UI's colours and type, one
// column, large touch targets.
const css = `:root {
  --bg: #f3f5f8; --surface: #ffffff; --text: #1b2230; --muted: #4f5b6b; --line: #dde3ea;
  --control: #737f8f; --primary: #1d4f91; --primary-dark: #163d70; --topbar: #16325c;
  --danger: #a4262c; --danger-soft: #fdecea; --ok-soft: #e6f4ea; --ok-text: #1e4620; --focus: #0b57d0;
  --radius: 8px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 16px; line-height: 1.5; color: var(--text); background: var(--bg);
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--primary); }
a:hover { color: var(--primary-dark); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.top { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: 0.75rem 1rem;
  background: var(--topbar); color: #fff; }
.top .brand { font-weight: 600; }
.top a { color: #fff; }
main { max-width: 34rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.125rem; margin: 0 0 0.5rem; }
.card { background: var(--surface); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem; margin: 0 0 1rem; }
form { margin: 0 0 1rem; }
.field { margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin: 0 0 0.25rem; }
.check { display: flex; gap: 0.5rem; align-items: center; }
.check label { margin: 0; }
.check input { width: 1.5rem; height: 1.5rem; }
input[type=email], input[type=password], select { width: 100%; min-height: 2.75rem; padding: 0.5rem 0.75rem; font: inherit;
  color: var(--text); background: var(--surface); border: 1px solid var(--control); border-radius: var(--radius); }
input[aria-invalid=true] { border: 2px solid var(--danger); }
.help { color: var(--muted); margin: 0 0 0.25rem; font-size: 0.9375rem; }
.field-error { color: var(--danger); margin: 0.25rem 0 0; font-weight: 600; }
.field-error::before { content: "⚠ "; }
button { min-height: 2.75rem; padding: 0.5rem 1.25rem; font: inherit; font-weight: 600; border-radius: var(--radius);
  border: 1px solid var(--primary); background: var(--surface); color: var(--primary); cursor: pointer; }
button.primary { background: var(--primary); color: #fff; }
button:hover { background: var(--primary-dark); border-color: var(--primary-dark); color: #fff; }
.error { background: var(--danger-soft); color: var(--danger); border: 1px solid var(--danger); border-radius: var(--radius);
  padding: 0.75rem 1rem; font-weight: 600; }
.error::before { content: "⚠ "; }
.notice { background: var(--ok-soft); color: var(--ok-text); border: 1px solid #5a8f5e; border-radius: var(--radius); padding: 0.75rem 1rem; }
.notice::before { content: "✓ "; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
.rights { list-style: none; padding: 0; margin: 0; }
.rights li { padding: 0.25rem 0; }
.mark { display: inline-block; width: 1.5rem; text-align: center; font-weight: 700; }
.mark.yes { color: var(--ok-text); }
.mark.no { color: var(--muted); }
.logout { text-align: right; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`
