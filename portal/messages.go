package portal

import (
	"strings"

	"resepsjon/messages"
	"resepsjon/register"
)

// Message is the text of a portal message code in lang ("en", else
// bokmål): errors (portal.*), password rules (password.*), field codes and
// the outbox's failure reasons (smtp_*). Each says what happened and what
// to do. The texts are in the message catalogue (messages/portal.go); ok
// is false for a code the portal does not know. register's field codes
// (email, required, nin.*, too_long) are answered from there.
func Message(code, lang string) (text string, ok bool) {
	key := code
	switch {
	case strings.HasPrefix(code, "smtp_"):
		key = "outbox." + code
	case strings.HasPrefix(code, "portal.mail."):
		return "", false // mail texts, not messages
	case strings.HasPrefix(code, "portal."), strings.HasPrefix(code, "password."):
	default:
		// The register's field codes (email, required, nin.*, too_long).
		if messages.Has("field." + code) {
			if lang == LangEN {
				return register.MessageEN(code), true
			}
			return register.MessageNB(code), true
		}
		return "", false
	}
	t, ok := messages.Lookup(key)
	if !ok {
		return "", false
	}
	return t.In(lang), true
}
