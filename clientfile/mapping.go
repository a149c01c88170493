package clientfile

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"resepsjon/register"
)

// Field is a client field a column can hold, named as register.Client's JSON
// field. The empty Field means "do not import this column".
type Field string

// The fields of a client list, in the order an export writes them.
const (
	FieldNIN                Field = "nin"
	FieldGivenName          Field = "givenName"
	FieldMiddleName         Field = "middleName"
	FieldFamilyName         Field = "familyName"
	FieldBirthDate          Field = "birthDate"
	FieldGender             Field = "gender"
	FieldStatus             Field = "status"
	FieldDeathDate          Field = "deathDate"
	FieldAddressProtection  Field = "addressProtection"
	FieldStreetAddress      Field = "streetAddress"
	FieldPostalCode         Field = "postalCode"
	FieldCity               Field = "city"
	FieldMunicipalityNumber Field = "municipalityNumber"
	FieldPostalAddress      Field = "postalAddress"
	FieldPhone              Field = "phone"
	FieldEmail              Field = "email"
	FieldNotes              Field = "notes"
	FieldPersonID           Field = "personId"
)

// Fields lists every field a column can be mapped to, in export order.
var Fields = []Field{
	FieldNIN, FieldGivenName, FieldMiddleName, FieldFamilyName, FieldBirthDate,
	FieldGender, FieldStatus, FieldDeathDate, FieldAddressProtection,
	FieldStreetAddress, FieldPostalCode, FieldCity, FieldMunicipalityNumber,
	FieldPostalAddress, FieldPhone, FieldEmail, FieldNotes, FieldPersonID,
}

// headers are the column names an export writes (Norwegian, as the practice
// reads them); GuessMapping knows them and the synonyms below.
var headers = map[Field]string{
	FieldNIN:                "Fødselsnummer",
	FieldGivenName:          "Fornavn",
	FieldMiddleName:         "Mellomnavn",
	FieldFamilyName:         "Etternavn",
	FieldBirthDate:          "Fødselsdato",
	FieldGender:             "Kjønn",
	FieldStatus:             "Status",
	FieldDeathDate:          "Dødsdato",
	FieldAddressProtection:  "Adressebeskyttelse",
	FieldStreetAddress:      "Adresse",
	FieldPostalCode:         "Postnr",
	FieldCity:               "Poststed",
	FieldMunicipalityNumber: "Kommunenr",
	FieldPostalAddress:      "Postadresse",
	FieldPhone:              "Telefon",
	FieldEmail:              "E-post",
	FieldNotes:              "Notater",
	FieldPersonID:           "Person-ID",
}

// Header is the column name an export writes for f.
func Header(f Field) string { return headers[f] }

// synonyms maps a normalised header (see headerKey) to its field. Norwegian
// and English names as old systems and spreadsheets write them.
var synonyms = func() map[string]Field {
	m := map[string]Field{}
	add := func(f Field, names ...string) {
		for _, n := range names {
			m[headerKey(n)] = f
		}
	}
	add(FieldNIN, "Fødselsnummer", "Fodselsnummer", "Fødselsnr", "Fnr", "Fnr/Dnr", "Personnummer", "Personnr",
		"Identitetsnummer", "Id-nummer", "D-nummer", "Identity number", "National identity number", "NIN", "SSN")
	add(FieldGivenName, "Fornavn", "First name", "Firstname", "Given name", "Given names", "Forename")
	add(FieldMiddleName, "Mellomnavn", "Middle name", "Middlename")
	add(FieldFamilyName, "Etternavn", "Last name", "Lastname", "Surname", "Family name")
	add(FieldBirthDate, "Fødselsdato", "Fodselsdato", "Født", "Fdato", "F.dato", "Birth date", "Birthdate",
		"Date of birth", "DOB", "Born")
	add(FieldGender, "Kjønn", "Kjonn", "Gender", "Sex")
	add(FieldStatus, "Status", "Folkeregisterstatus")
	add(FieldDeathDate, "Dødsdato", "Dodsdato", "Død", "Date of death", "Death date")
	add(FieldAddressProtection, "Adressebeskyttelse", "Address protection")
	add(FieldStreetAddress, "Adresse", "Gateadresse", "Bostedsadresse", "Address", "Street address", "Street", "Address line")
	add(FieldPostalCode, "Postnr", "Postnummer", "Post nr", "Postal code", "Postcode", "Zip", "Zip code")
	add(FieldCity, "Poststed", "Sted", "By", "City", "Town", "Post town")
	add(FieldMunicipalityNumber, "Kommunenr", "Kommunenummer", "Municipality number", "Municipality")
	add(FieldPostalAddress, "Postadresse", "Postal address", "Mailing address")
	add(FieldPhone, "Telefon", "Tlf", "Tlf.", "Telefonnummer", "Mobil", "Mobilnummer", "Mobiltelefon",
		"Phone", "Phone number", "Telephone", "Mobile", "Mobile phone", "Cell")
	add(FieldEmail, "E-post", "Epost", "E-postadresse", "Email", "E-mail", "Email address", "Mail")
	add(FieldNotes, "Notater", "Notat", "Merknad", "Merknader", "Kommentar", "Notes", "Note", "Comment", "Comments")
	add(FieldPersonID, "Person-ID", "PersonId", "Person id")
	return m
}()

// headerKey normalises a column name for matching: lower case, letters and
// digits only (so "E-post", "e post" and "EPOST" are one).
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(strings.ToLower(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Mapping says which field each column of a table holds, by column index;
// the empty Field skips the column.
type Mapping []Field

// GuessMapping guesses a mapping from the header row. A field is given to the
// first column that names it; later columns with the same name are skipped.
func GuessMapping(header []string) Mapping {
	m := make(Mapping, len(header))
	taken := map[Field]bool{}
	for i, h := range header {
		f, ok := synonyms[headerKey(h)]
		if ok && !taken[f] {
			m[i] = f
			taken[f] = true
		}
	}
	return m
}

// Valid reports whether every mapped field is a known one and none is used
// twice.
func (m Mapping) Valid() bool {
	known := map[Field]bool{}
	for _, f := range Fields {
		known[f] = true
	}
	seen := map[Field]bool{}
	for _, f := range m {
		if f == "" {
			continue
		}
		if !known[f] || seen[f] {
			return false
		}
		seen[f] = true
	}
	return true
}

// Has reports whether some column is mapped to f.
func (m Mapping) Has(f Field) bool {
	for _, g := range m {
		if g == f {
			return true
		}
	}
	return false
}

// Client makes a row into a client through the mapping. Values are trimmed
// and brought into the register's form where the intent is plain: a date
// written 31.12.1980 or as an Excel serial number becomes 1980-12-31, an
// identity number or postal code that a spreadsheet stored as a number (and
// so lost its leading zero) gets it back, Mann/Kvinne become Male/Female.
// Anything else is left as written, for register.Validate to judge.
func (m Mapping) Client(row []string) register.Client {
	var c register.Client
	for i, f := range m {
		if f == "" || i >= len(row) {
			continue
		}
		v := undefuse(strings.TrimSpace(row[i]))
		switch f {
		case FieldNIN:
			c.NIN = leadingZeros(strings.Join(strings.Fields(v), ""), 11)
		case FieldGivenName:
			c.GivenName = v
		case FieldMiddleName:
			c.MiddleName = v
		case FieldFamilyName:
			c.FamilyName = v
		case FieldBirthDate:
			c.BirthDate = ParseDate(v)
		case FieldGender:
			c.Gender = parseGender(v)
		case FieldStatus:
			c.Status = v
		case FieldDeathDate:
			c.DeathDate = ParseDate(v)
		case FieldAddressProtection:
			c.AddressProtection = v
		case FieldStreetAddress:
			c.StreetAddress = v
		case FieldPostalCode:
			c.PostalCode = leadingZeros(v, 4)
		case FieldCity:
			c.City = v
		case FieldMunicipalityNumber:
			c.MunicipalityNumber = leadingZeros(v, 4)
		case FieldPostalAddress:
			c.PostalAddress = v
		case FieldPhone:
			c.Phone = v
		case FieldEmail:
			c.Email = v
		case FieldNotes:
			c.Notes = undefuse(row[i]) // notes keep their white space
		case FieldPersonID:
			c.PersonID = v
		}
	}
	return c
}

// leadingZeros puts back the leading zeros a spreadsheet drops from a number
// stored as a number: a string of fewer than n digits (at most two fewer) is
// padded to n. Anything else is returned unchanged.
func leadingZeros(s string, n int) string {
	if len(s) >= n || len(s) < n-2 || len(s) == 0 {
		return s
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return s
		}
	}
	return strings.Repeat("0", n-len(s)) + s
}

// ParseDate brings a date into the register's YYYY-MM-DD form: it accepts
// YYYY-MM-DD, D.M.YYYY (also with / or -), and an Excel serial day number.
// Anything else is returned trimmed and unchanged, so that validation names
// it.
func ParseDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	// Excel stores dates as days since 1899-12-30 (a serial between 1 and
	// about 2958465; dates of living people are five digits).
	if n, err := strconv.ParseFloat(s, 64); err == nil && n >= 1 && n < 100000 && !strings.ContainsAny(s, "-") {
		d := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n))
		return d.Format(time.DateOnly)
	}
	for _, layout := range []string{"2006-01-02", "2.1.2006", "2/1/2006", "2-1-2006", "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	return s
}

// parseGender understands the register's own values and Norwegian and
// English words and letters.
func parseGender(s string) string {
	switch strings.ToLower(s) {
	case "":
		return ""
	case "male", "mann", "m", "gutt":
		return register.GenderMale
	case "female", "kvinne", "k", "f", "jente", "kv":
		return register.GenderFemale
	case "unknown", "ukjent", "u":
		return register.GenderUnknown
	}
	return s
}
