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

// FileErrorText says in plain words why a file cannot be read, with the
// line when there is one.
func FileErrorText(fe *clientfile.FileError, lang string) string {
	msg := Text(lang, fe.Code)
	if msg == "" {
		msg = Text(lang, clientfile.CodeBadCSV)
	}
	if fe.Line > 0 {
		if lang == "en" {
			msg = fmt.Sprintf("Line %d: %s", fe.Line, msg)
		} else {
			msg = fmt.Sprintf("Linje %d: %s", fe.Line, msg)
		}
	}
	return msg
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
		"report.line":             "Linje i filen",
		"summary.create":          "Blir opprettet:",
		"summary.duplicate":       "finnes fra før:",
		"summary.invalid":         "ugyldige:",
		"summary.report":          "Radene som ikke blir importert, er lagret i",
		"summary.dry_run":         "Prøvekjøring: ingenting er importert.",
		"summary.done":            "Ferdig: %d klienter er importert.",
		"err.mapping_names":       "Filen må ha en kolonne for fornavn og en for etternavn. Gi kolonnene overskriftene Fornavn og Etternavn, eller velg dem i oversikten over kolonner.",
		"err.mapping":             "Hver kolonne kan bare brukes til ett felt, og hvert felt bare én gang. Rett valget av kolonner.",
		"err.import_failed":       "Importen ble stoppet og ingenting er importert. Kjør kontrollen på nytt og prøv igjen",
		"import.empty":            "Filen er tom. Velg filen med klientlisten.",
		"import.no_rows":          "Filen har bare en overskriftsrad og ingen klienter.",
		"import.too_many_rows":    "Filen har flere enn 200 000 rader. Del den opp i flere filer.",
		"import.too_many_columns": "Filen har flere enn 200 kolonner. Er det riktig fil?",
		"import.bad_csv":          "Filen kan ikke leses som CSV (et anførselstegn som ikke lukkes?). Lagre den på nytt fra regnearket som CSV.",
		"import.bad_xlsx":         "Filen kan ikke leses som Excel-arbeidsbok. Lagre den på nytt fra Excel som .xlsx eller CSV.",
		"import.format":           "Filen er verken CSV eller Excel (.xlsx). En gammel .xls-fil må lagres som .xlsx eller CSV først.",
		"report.problem":          "Hvorfor ikke importert",
		"dup.nin":                 "samme fødselsnummer",
		"dup.name_birth":          "samme navn og fødselsdato",
		"dup.register":            "Finnes allerede i registeret (%s).",
		"dup.file":                "Står allerede i filen (%s som linje %d).",
		"field.nin":               "Fødselsnummer",
		"field.ninType":           "Type identitetsnummer",
		"field.givenName":         "Fornavn", "field.middleName": "Mellomnavn", "field.familyName": "Etternavn",
		"field.birthDate": "Fødselsdato", "field.gender": "Kjønn", "field.status": "Status",
		"field.deathDate": "Dødsdato", "field.addressProtection": "Adressebeskyttelse",
		"field.streetAddress": "Adresse", "field.postalCode": "Postnr", "field.city": "Poststed",
		"field.municipalityNumber": "Kommunenr", "field.postalAddress": "Postadresse",
		"field.phone": "Telefon", "field.email": "E-post", "field.notes": "Notater", "field.personId": "Person-ID",
	},
	"en": {
		"report.line":             "Line in file",
		"summary.create":          "To be created:",
		"summary.duplicate":       "already there:",
		"summary.invalid":         "invalid:",
		"summary.report":          "The rows that are not imported are saved in",
		"summary.dry_run":         "Dry run: nothing was imported.",
		"summary.done":            "Done: %d clients imported.",
		"err.mapping_names":       "The file needs a column for the given name and one for the family name. Head the columns Fornavn and Etternavn (or First name and Last name), or choose them in the column overview.",
		"err.mapping":             "Each column can be used for one field, and each field only once. Correct the choice of columns.",
		"err.import_failed":       "The import was stopped and nothing was imported. Run the check again and retry",
		"import.empty":            "The file is empty. Choose the file with the client list.",
		"import.no_rows":          "The file has only a header row and no clients.",
		"import.too_many_rows":    "The file has more than 200,000 rows. Split it into several files.",
		"import.too_many_columns": "The file has more than 200 columns. Is it the right file?",
		"import.bad_csv":          "The file cannot be read as CSV (a quote that is not closed?). Save it again from the spreadsheet as CSV.",
		"import.bad_xlsx":         "The file cannot be read as an Excel workbook. Save it again from Excel as .xlsx or CSV.",
		"import.format":           "The file is neither CSV nor Excel (.xlsx). An old .xls file must be saved as .xlsx or CSV first.",
		"report.problem":          "Why not imported",
		"dup.nin":                 "the same identity number",
		"dup.name_birth":          "the same name and birth date",
		"dup.register":            "Already in the register (%s).",
		"dup.file":                "Already in the file (%s as line %d).",
		"field.nin":               "Identity number",
		"field.ninType":           "Identity number type",
		"field.givenName":         "Given name", "field.middleName": "Middle name", "field.familyName": "Family name",
		"field.birthDate": "Birth date", "field.gender": "Gender", "field.status": "Status",
		"field.deathDate": "Date of death", "field.addressProtection": "Address protection",
		"field.streetAddress": "Address", "field.postalCode": "Postal code", "field.city": "City",
		"field.municipalityNumber": "Municipality number", "field.postalAddress": "Postal address",
		"field.phone": "Phone", "field.email": "Email", "field.notes": "Notes", "field.personId": "Person ID",
	},
}
