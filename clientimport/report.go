package clientimport

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"resepsjon/clientfile"
	"resepsjon/register"
)

// WriteRefused writes the rows of p that are not imported (duplicates and
// invalid rows) as CSV in the export's encoding and separator: the file's own
// columns exactly as they were, then the row's line in the file and what is
// wrong, in lang ("nb" or "en"). The two added columns have names the header
// guess does not know, so the fixed file imports again as it is.
func WriteRefused(w io.Writer, t clientfile.Table, p Plan, lang string) error {
	cw, err := clientfile.NewCSVWriterHeader(w, append(append([]string{}, t.Header...), Text(lang, "report.line"), Text(lang, "report.problem")))
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
			by = Text(lang, "dup.nin")
		} else {
			by = Text(lang, "dup.name_birth")
		}
		if r.DuplicateOf != 0 {
			return fmt.Sprintf(Text(lang, "dup.register"), by)
		}
		return fmt.Sprintf(Text(lang, "dup.file"), by, r.DuplicateLine)
	}
	return ""
}

func validationText(code, lang string) string {
	if lang == "en" {
		return register.MessageEN(code)
	}
	return register.MessageNB(code)
}

// FieldLabel names a client field for the user.
func FieldLabel(field, lang string) string {
	if s, ok := texts[lang]["field."+field]; ok {
		return s
	}
	if s, ok := texts["nb"]["field."+field]; ok {
		return s
	}
	return field
}

// Text is the message for code in lang ("nb" or "en"; anything else is nb).
func Text(lang, code string) string {
	if s, ok := texts[lang][code]; ok {
		return s
	}
	return texts["nb"][code]
}

var texts = map[string]map[string]string{
	"nb": {
		"report.line":     "Linje i filen",
		"report.problem":  "Hvorfor ikke importert",
		"dup.nin":         "samme fødselsnummer",
		"dup.name_birth":  "samme navn og fødselsdato",
		"dup.register":    "Finnes allerede i registeret (%s).",
		"dup.file":        "Står allerede i filen (%s som linje %d).",
		"field.nin":       "Fødselsnummer",
		"field.ninType":   "Type identitetsnummer",
		"field.givenName": "Fornavn", "field.middleName": "Mellomnavn", "field.familyName": "Etternavn",
		"field.birthDate": "Fødselsdato", "field.gender": "Kjønn", "field.status": "Status",
		"field.deathDate": "Dødsdato", "field.addressProtection": "Adressebeskyttelse",
		"field.streetAddress": "Adresse", "field.postalCode": "Postnr", "field.city": "Poststed",
		"field.municipalityNumber": "Kommunenr", "field.postalAddress": "Postadresse",
		"field.phone": "Telefon", "field.email": "E-post", "field.notes": "Notater", "field.personId": "Person-ID",
	},
	"en": {
		"report.line":     "Line in file",
		"report.problem":  "Why not imported",
		"dup.nin":         "the same identity number",
		"dup.name_birth":  "the same name and birth date",
		"dup.register":    "Already in the register (%s).",
		"dup.file":        "Already in the file (%s as line %d).",
		"field.nin":       "Identity number",
		"field.ninType":   "Identity number type",
		"field.givenName": "Given name", "field.middleName": "Middle name", "field.familyName": "Family name",
		"field.birthDate": "Birth date", "field.gender": "Gender", "field.status": "Status",
		"field.deathDate": "Date of death", "field.addressProtection": "Address protection",
		"field.streetAddress": "Address", "field.postalCode": "Postal code", "field.city": "City",
		"field.municipalityNumber": "Municipality number", "field.postalAddress": "Postal address",
		"field.phone": "Phone", "field.email": "Email", "field.notes": "Notes", "field.personId": "Person ID",
	},
}
