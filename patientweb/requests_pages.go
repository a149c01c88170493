package patientweb

// requestPages are part two's pages: asking for access, the three
// functions, the history, and the services block of the profile.
const requestPages = `
{{define "textarea"}}<div class="field">
  <label for="{{.ID}}">{{.Label}}</label>
  {{if .Help}}<p class="help" id="{{.ID}}-help">{{.Help}}</p>{{end}}
  <textarea id="{{.ID}}" name="{{.Name}}" rows="6" maxlength="{{.Max}}"{{if .Auto}} required{{end}}
    {{- if or .Help .Err}} aria-describedby="{{if .Help}}{{.ID}}-help{{end}}{{if .Err}} {{.ID}}-err{{end}}"{{end}}{{if .Err}} aria-invalid="true"{{end}}>{{.Value}}</textarea>
  {{if .Err}}<p class="field-error" id="{{.ID}}-err">{{.Err}}</p>{{end}}
</div>{{end}}

{{define "request"}}{{template "head" .}}{{$r := rt .T.Lang}}
{{if .X.Done}}
<p><a href="/logg-inn">{{.T.BackToLogin}}</a></p>
{{else}}
{{template "idporten-offer" .}}
<p>{{$r.RequestIntro}}</p>
<form method="post" action="/be-om-tilgang" novalidate>
{{template "field" (field "name" "name" "text" $r.FullName $r.FullNameHelp (index .X.Form "name") "name" (index .Fields "name") 200)}}
{{template "field" (field "nin" "nin" "text" $r.NIN $r.NINHelp (index .X.Form "nin") "off" (index .Fields "nin") 20)}}
{{template "field" (field "email" "email" "email" .T.Email $r.EmailHelp (index .X.Form "email") "email" (index .Fields "email") 254)}}
{{if .X.Offered.Any}}
<fieldset class="choices" aria-describedby="rights-help">
<legend>{{$r.RightsWanted}}</legend>
<p class="help" id="rights-help">{{$r.RightsWantedHelp}}</p>
{{if .X.Offered.Consultation}}<div class="check"><input type="checkbox" id="want-consultation" name="consultation" value="1"{{if .X.Asked.Consultation}} checked{{end}}><label for="want-consultation">{{$r.Consultation}}</label></div>{{end}}
{{if .X.Offered.Booking}}<div class="check"><input type="checkbox" id="want-booking" name="booking" value="1"{{if .X.Asked.Booking}} checked{{end}}><label for="want-booking">{{$r.Booking}}</label></div>{{end}}
{{if .X.Offered.Renewal}}<div class="check"><input type="checkbox" id="want-renewal" name="renewal" value="1"{{if .X.Asked.Renewal}} checked{{end}}><label for="want-renewal">{{$r.Renewal}}</label></div>{{end}}
</fieldset>
{{end}}
<div class="check">
  <input type="checkbox" id="reply" name="reply" value="1"{{if .X.Reply}} checked{{end}} aria-describedby="reply-help">
  <label for="reply">{{.T.WantsReply}}</label>
</div>
<p class="help" id="reply-help">{{$r.ReplyHelp}}</p>
<button type="submit" class="primary">{{$r.RequestButton}}</button>
</form>
<p><a href="/logg-inn">{{.T.BackToLogin}}</a></p>
{{end}}
{{template "foot" .}}{{end}}

{{define "services"}}{{$r := rt .T.Lang}}
<section class="card" aria-labelledby="services">
<h2 id="services">{{$r.Services}}</h2>
{{if .X.Rights.Any}}
<ul class="links">
  {{if .X.Rights.Consultation}}<li><a id="link-consultation" href="/e-konsultasjon">{{$r.Consultation}}</a></li>{{end}}
  {{if .X.Rights.Booking}}<li><a id="link-booking" href="/e-timebestilling">{{$r.Booking}}</a></li>{{end}}
  {{if .X.Rights.Renewal}}<li><a id="link-renewal" href="/e-reseptfornyelse">{{$r.Renewal}}</a></li>{{end}}
</ul>
{{else}}
<p>{{$r.ServicesNone}}</p>
{{end}}
<p><a id="link-history" href="/historikk">{{$r.HistoryLink}}</a></p>
</section>
{{end}}

{{define "function"}}{{template "head" .}}{{$r := rt .T.Lang}}
<p>{{if eq .X.Kind "booking"}}{{$r.BookingIntro}}{{else if eq .X.Kind "renewal"}}{{$r.RenewalIntro}}{{else}}{{$r.ConsultationIntro}}{{end}}</p>
<p class="help">{{$r.Urgent}}</p>
<form method="post" action="{{.X.Action}}" novalidate>
{{if eq .X.Kind "booking"}}
{{template "textarea" (field "text" "text" "" $r.Reason "" (index .X.Form "text") "required" (index .Fields "text") 4000)}}
<div class="field">
  <label for="preferred">{{$r.Preferred}}</label>
  <p class="help" id="preferred-help">{{$r.PreferredHelp}}</p>
  <input id="preferred" name="preferred" type="text" maxlength="300" value="{{index .X.Form "preferred"}}" aria-describedby="preferred-help{{if index .Fields "preferred"}} preferred-err{{end}}"{{if index .Fields "preferred"}} aria-invalid="true"{{end}}>
  {{with index .Fields "preferred"}}<p class="field-error" id="preferred-err">{{.}}</p>{{end}}
</div>
{{else if eq .X.Kind "renewal"}}
{{template "field" (field "medicine" "medicine" "text" $r.Medicine $r.MedicineHelp (index .X.Form "medicine") "off" (index .Fields "medicine") 300)}}
{{template "textarea" (field "text" "text" "" $r.Note "" (index .X.Form "text") "" (index .Fields "text") 4000)}}
{{else}}
{{template "textarea" (field "text" "text" "" $r.Question $r.QuestionHelp (index .X.Form "text") "required" (index .Fields "text") 4000)}}
{{end}}
<p class="help">{{if .X.Reply}}{{$r.ReplyElectronic}}{{else}}{{$r.ReplyByPhone}}{{end}}</p>
<button type="submit" class="primary">{{$r.Send}}</button>
</form>
<p><a href="/profil">{{$r.BackToProfile}}</a></p>
{{template "foot" .}}{{end}}

{{define "history"}}{{template "head" .}}{{$r := rt .T.Lang}}
<p>{{$r.HistoryIntro}}</p>
{{if .X.History}}
<ol class="history">
{{range .X.History}}
<li class="card">
  <h2>{{$r.TitleOf .Kind}}{{if .Medicine}}: {{.Medicine}}{{end}}</h2>
  <dl>
    <dt>{{$r.SentAt}}</dt><dd>{{.Sent}}</dd>
    <dt>{{$r.Status}}</dt><dd>{{$r.StatusOf .Status}}</dd>
    {{if .Preferred}}<dt>{{$r.Preferred}}</dt><dd>{{.Preferred}}</dd>{{end}}
  </dl>
  {{if .Text}}<p class="said"><span class="who">{{$r.Your}}:</span> {{.Text}}</p>{{end}}
  {{if .Answer}}<div class="answer"><h3>{{$r.Answer}} <span class="when">({{.Answered}})</span></h3><p class="said">{{.Answer}}</p></div>
  {{else if .AnsweredAt}}<p class="help">{{$r.AnswerOther}}</p>
  {{else}}<p class="help">{{$r.AnswerWait}}</p>{{end}}
</li>
{{end}}
</ol>
{{else}}
<p>{{$r.NoHistory}}</p>
{{end}}
<p><a href="/profil">{{$r.BackToProfile}}</a></p>
{{template "foot" .}}{{end}}

{{define "noright"}}{{template "head" .}}{{$r := rt .T.Lang}}
<p><a href="/profil">{{$r.BackToProfile}}</a></p>
{{template "foot" .}}{{end}}
`

// requestCSS adds part two's few styles to the patient's stylesheet.
const requestCSS = `
input[type=text], textarea { width: 100%; min-height: 2.75rem; padding: 0.5rem 0.75rem; font: inherit;
  color: var(--text); background: var(--surface); border: 1px solid var(--control); border-radius: var(--radius); }
textarea { resize: vertical; }
textarea[aria-invalid=true] { border: 2px solid var(--danger); }
fieldset.choices { border: 1px solid var(--line); border-radius: var(--radius); margin: 0 0 1rem; padding: 0.5rem 1rem 0.75rem; }
fieldset.choices legend { font-weight: 600; padding: 0 0.25rem; }
fieldset.choices .check { margin: 0.25rem 0; }
.links { margin: 0 0 0.5rem; padding-left: 1.25rem; }
.links li { padding: 0.25rem 0; }
.history { list-style: none; padding: 0; margin: 0; }
.history h2 { font-size: 1.0625rem; }
.history h3 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
.said { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.5rem 0 0; }
.who { font-weight: 600; }
.answer { border-left: 4px solid var(--primary); padding-left: 0.75rem; margin-top: 0.75rem; }
.when { font-weight: 400; color: var(--muted); }
`
