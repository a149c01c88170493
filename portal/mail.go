package portal

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"text/template"
	"time"

	"resepsjon/messages"
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

// mailText is one kind of mail in one language, from the message
// catalogue (portal.mail.KIND.*). The link, when there is one, is the
// mail's only call to action; identity numbers never appear.
type mailText struct {
	subject string
	lines   []string // paragraphs before the link
	after   []string // paragraphs after the link
	button  string   // the link's words in the HTML part
}

func mailTexts(kind, lang string) mailText {
	subject, ok := messages.Lookup("portal.mail." + kind + ".subject")
	if !ok {
		panic("portal: unknown mail kind " + kind)
	}
	part := func(name string) string { return mailWords("portal.mail."+kind+"."+name, lang) }
	paragraphs := func(name string) []string {
		if s := part(name); s != "" {
			return strings.Split(s, "\n\n")
		}
		return nil
	}
	return mailText{subject: subject.In(lang), lines: paragraphs("before"), after: paragraphs("after"), button: part("button")}
}

// mailWords is the catalogue's text of code in lang; "" if it has none
// (a mail without a button).
func mailWords(code, lang string) string {
	t, _ := messages.Lookup(code)
	return t.In(lang)
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
		practice = mailWords("portal.mail.practice", lang)
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
	return t.In(loc).Format(mailWords("portal.mail.time_layout", lang))
}
