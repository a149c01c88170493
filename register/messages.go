package register

import "resepsjon/messages"

// MessageNB is the Norwegian bokmål text for a validation message code (from
// Validate or nin.Code), from the message catalogue: what is wrong and what
// to do. An unknown code gives a generic text.
func MessageNB(code string) string { return messages.Get("field."+code, "field.unknown", "nb") }

// MessageEN is MessageNB in English.
func MessageEN(code string) string { return messages.Get("field."+code, "field.unknown", "en") }
