package portal

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"text/template"
	"time"

	"resepsjon/outbox"
)

// Message kinds in the outbox.
const (
	MailActivation   = "activation"
	MailReset        = "reset"
	MailEmailChanged = "email_changed"
	MailRejected     = "request_rejected" // an access request was not approved
	MailNewAnswer    = "new_answer"       // the practice answered; never the answer itself
)

// mailText is one kind of mail in one language. The link, when there is
// one, is the mail's only call to action; identity numbers never appear.
type mailText struct {
	subject string
	lines   []string // paragraphs before the link
	after   []string // paragraphs after the link
	button  string   // the link's words in the HTML part
}

func mailTexts(kind, lang string) mailText {
	en := lang == LangEN
	switch kind {
	case MailActivation:
		if en {
			return mailText{subject: "Activate your access to {{.Practice}}'s patient portal",
				lines:  []string{"Hello,", "{{.Practice}} has given you access to its patient portal. Open the link below to choose a password and activate your access:"},
				after:  []string{"The link can be used once and works until {{.Expires}}. If you did not expect this e-mail, you can ignore it."},
				button: "Activate access"}
		}
		return mailText{subject: "Aktiver tilgangen din til pasientportalen hos {{.Practice}}",
			lines:  []string{"Hei,", "{{.Practice}} har gitt deg tilgang til pasientportalen. Åpne lenken nedenfor for å velge passord og aktivere tilgangen:"},
			after:  []string{"Lenken kan brukes én gang og gjelder til {{.Expires}}. Hvis du ikke ventet denne e-posten, kan du se bort fra den."},
			button: "Aktiver tilgangen"}
	case MailReset:
		if en {
			return mailText{subject: "New password for {{.Practice}}'s patient portal",
				lines:  []string{"Hello,", "Open the link below to choose a new password for the patient portal:"},
				after:  []string{"The link can be used once and works until {{.Expires}}. If you did not ask for a new password, you can ignore this e-mail; your password stays as it is."},
				button: "Choose a new password"}
		}
		return mailText{subject: "Nytt passord til pasientportalen hos {{.Practice}}",
			lines:  []string{"Hei,", "Åpne lenken nedenfor for å velge et nytt passord til pasientportalen:"},
			after:  []string{"Lenken kan brukes én gang og gjelder til {{.Expires}}. Hvis du ikke har bedt om nytt passord, kan du se bort fra denne e-posten; passordet ditt er som før."},
			button: "Velg nytt passord"}
	case MailEmailChanged:
		if en {
			return mailText{subject: "Your e-mail address in {{.Practice}}'s patient portal was changed",
				lines: []string{"Hello,", "The e-mail address of your access to {{.Practice}}'s patient portal was changed on {{.When}}. From now on, mail from the portal goes to the new address.",
					"If you did not ask for this, please contact {{.Practice}}."}}
		}
		return mailText{subject: "E-postadressen din i pasientportalen hos {{.Practice}} er endret",
			lines: []string{"Hei,", "E-postadressen for tilgangen din til pasientportalen hos {{.Practice}} ble endret {{.When}}. Heretter går e-post fra portalen til den nye adressen.",
				"Hvis du ikke har bedt om dette, ta kontakt med {{.Practice}}."}}
	case MailRejected:
		if en {
			return mailText{subject: "Your request for access to {{.Practice}}'s patient portal",
				lines: []string{"Hello,", "{{.Practice}} has handled your request for access to its patient portal and cannot give you access now.",
					"{{if .Reason}}The practice's reason: {{.Reason}}{{end}}"},
				after: []string{"If you have questions, please contact {{.Practice}}."}}
		}
		return mailText{subject: "Forespørselen din om tilgang til pasientportalen hos {{.Practice}}",
			lines: []string{"Hei,", "{{.Practice}} har behandlet forespørselen din om tilgang til pasientportalen og kan ikke gi deg tilgang nå.",
				"{{if .Reason}}Begrunnelse fra legekontoret: {{.Reason}}{{end}}"},
			after: []string{"Hvis du har spørsmål, ta kontakt med {{.Practice}}."}}
	case MailNewAnswer:
		if en {
			return mailText{subject: "New answer from {{.Practice}}",
				lines:  []string{"Hello,", "{{.Practice}} has answered your message in the patient portal. Log in to read the answer:"},
				after:  []string{"For your privacy the answer is not in this e-mail."},
				button: "Read the answer"}
		}
		return mailText{subject: "Nytt svar fra {{.Practice}}",
			lines:  []string{"Hei,", "{{.Practice}} har svart på meldingen din i pasientportalen. Logg inn for å lese svaret:"},
			after:  []string{"Av hensyn til personvernet står ikke svaret i denne e-posten."},
			button: "Les svaret"}
	}
	panic("portal: unknown mail kind " + kind)
}

type mailData struct {
	Practice string
	Expires  string
	When     string
	Link     string
	Button   string
	Lines    []string
	After    []string
	Lang     string
	Reason   string
}

// htmlMail is the simple HTML part: the same paragraphs, the link as the
// one button, the practice's name as the signature.
const htmlMail = `<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Practice}}</title></head>
<body style="font-family: system-ui, sans-serif; font-size: 16px; line-height: 1.5; color: #1f2328; max-width: 36em; margin: 1em auto; padding: 0 1em;">
{{range .Lines}}<p>{{.}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}" style="display: inline-block; padding: 0.6em 1.2em; background: #0b5cad; color: #ffffff; text-decoration: none; border-radius: 4px;">{{.Button}}</a></p>
<p style="font-size: 14px; color: #4a4f55;">{{.Link}}</p>
{{end}}{{range .After}}<p>{{.}}</p>
{{end}}<p>{{.Practice}}</p>
</body></html>
`

// composeMail builds a message for the outbox. The texts are templates
// over trusted constants; the practice's name and the link are data.
//
// reason is a rejection's reason (plain text from the reception); empty
// for the other kinds.
func composeMail(kind, lang, to, practice, link string, expires, when time.Time, loc *time.Location, reason string) (outbox.Message, error) {
	if lang != LangEN {
		lang = LangNB
	}
	if practice == "" {
		practice = map[string]string{LangNB: "legekontoret", LangEN: "the practice"}[lang]
	}
	t := mailTexts(kind, lang)
	d := mailData{Practice: practice, Link: link, Button: t.button, Lang: lang, Reason: reason}
	if !expires.IsZero() {
		d.Expires = formatTime(expires, lang, loc)
	}
	if !when.IsZero() {
		d.When = formatTime(when, lang, loc)
	}
	fill := func(s string) (string, error) {
		tpl, err := template.New("p").Parse(s)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		if err := tpl.Execute(&b, d); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	subject, err := fill(t.subject)
	if err != nil {
		return outbox.Message{}, fmt.Errorf("compose %s mail: %w", kind, err)
	}
	for _, l := range t.lines {
		p, err := fill(l)
		if err != nil {
			return outbox.Message{}, fmt.Errorf("compose %s mail: %w", kind, err)
		}
		if strings.TrimSpace(p) != "" {
			d.Lines = append(d.Lines, p)
		}
	}
	for _, l := range t.after {
		p, err := fill(l)
		if err != nil {
			return outbox.Message{}, fmt.Errorf("compose %s mail: %w", kind, err)
		}
		d.After = append(d.After, p)
	}
	var text strings.Builder
	for _, p := range d.Lines {
		text.WriteString(p + "\n\n")
	}
	if link != "" {
		text.WriteString(link + "\n\n")
	}
	for _, p := range d.After {
		text.WriteString(p + "\n\n")
	}
	text.WriteString(practice + "\n")
	tpl, err := htmltemplate.New("mail").Parse(htmlMail)
	if err != nil {
		return outbox.Message{}, fmt.Errorf("compose %s mail: %w", kind, err)
	}
	var html bytes.Buffer
	if err := tpl.Execute(&html, d); err != nil {
		return outbox.Message{}, fmt.Errorf("compose %s mail: %w", kind, err)
	}
	return outbox.Message{Kind: kind, To: to, Subject: subject, Text: text.String(), HTML: html.String()}, nil
}

// formatTime writes t as dd.mm.åååå kl. tt:mm (nb) or dd.mm.yyyy at hh:mm (en)
// in the practice's time zone.
func formatTime(t time.Time, lang string, loc *time.Location) string {
	if loc == nil {
		loc = time.Local
	}
	t = t.In(loc)
	if lang == LangEN {
		return t.Format("02.01.2006 at 15:04")
	}
	return t.Format("02.01.2006 kl. 15:04")
}
