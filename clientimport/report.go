package clientimport

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"resepsjon/clientfile"
	"resepsjon/messages"
)

// WriteRefused writes the rows of p that are not imported (duplicates and
// invalid rows) as CSV in the export's encoding and separator: the file's own
// columns exactly as they were, then the row's line in the file and what is
// wrong, in lang ("nb" or "en"). The two added columns have names the header
// guess does not know, so the fixed file imports again as it is.
func WriteRefused(w io.Writer, t clientfile.Table, p Plan, lang string) error {
	cw, err := clientfile.NewCSVWriterHeader(w, append(append([]string{}, t.Header...), Text(lang, "import.report.line"), Text(lang, "import.report.problem")))
	if err != nil {
		return err
	}
	for i, r := range p.Rows {
		if r.Status == StatusCreate {
			continue
		}
		row := append(append([]string{}, t.Rows[i]...), strconv.Itoa(r.Line), Reason(r, lang))
		if err := cw.WriteRow(row); err != nil {
			return err
		}
	}
	return cw.Close()
}

// Reason says in plain words why r is not imported.
func Reason(r Row, lang string) string {
	switch r.Status {
	case StatusInvalid:
		parts := make([]string, len(r.Problems))
		for i, pr := range r.Problems {
			parts[i] = FieldLabel(pr.Field, lang) + ": " + validationText(pr.Code, lang)
		}
		return strings.Join(parts, " ")
	case StatusDuplicate:
		var by string
		if r.DuplicateBy == SameNIN {
			by = Text(lang, "import.dup.nin")
		} else {
			by = Text(lang, "import.dup.name_birth")
		}
		if r.DuplicateOf != 0 {
			return fmt.Sprintf(Text(lang, "import.dup.register"), by)
		}
		return fmt.Sprintf(Text(lang, "import.dup.file"), by, r.DuplicateLine)
	}
	return ""
}

func validationText(code, lang string) string {
	return messages.Get("field."+code, "field.unknown", lang)
}

// FieldLabel names a client field for the user.
func FieldLabel(field, lang string) string {
	if messages.Has("import.field." + field) {
		return messages.Get("import.field."+field, "", lang)
	}
	return field
}

// FileErrorText says in plain words why a file cannot be read, with the
// line when there is one.
func FileErrorText(fe *clientfile.FileError, lang string) string {
	msg := Text(lang, fe.Code)
	if msg == "" {
		msg = Text(lang, clientfile.CodeBadCSV)
	}
	if fe.Line > 0 {
		msg = messages.Get("import.line", "", lang, fe.Line, msg)
	}
	return msg
}

// Text is the import message code (in package messages, "import.…") in
// lang ("en", else bokmål); an unknown code gives "".
func Text(lang, code string) string {
	if !messages.Has(code) {
		return ""
	}
	return messages.Get(code, "", lang)
}
