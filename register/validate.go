package register

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"resepsjon/nin"
)

// Limits on field sizes, in characters.
const (
	maxNameLen  = 100
	maxTextLen  = 200
	maxNotesLen = 10000
	maxEmailLen = 254
)

// Message codes Validate puts in ValidationError.Fields (besides the nin.*
// codes from nin.Code).
const (
	CodeRequired          = "required"
	CodeTooLong           = "too_long"
	CodeControlChars      = "control_chars"
	CodeNoVisibleText     = "no_visible_text"
	CodeBidiControl       = "bidi_control"
	CodeDate              = "date"
	CodeBirthDateMismatch = "birth_date_mismatch"
	CodeDeathBeforeBirth  = "death_before_birth"
	CodeInvalid           = "invalid"
	CodeAddressProtected  = "address_protected"
	CodePostalCode        = "postal_code"
	CodeMunicipality      = "municipality"
	CodePhone             = "phone"
	CodeEmail             = "email"
)

// Gender values, named as in Persontjenesten's contract plus Unknown.
const (
	GenderMale    = "Male"
	GenderFemale  = "Female"
	GenderUnknown = "Unknown"
)

// Validate trims surrounding white space of every string field in place and
// returns a *ValidationError (Fields: field json name → message code) or nil.
//
// It also normalises what follows from the identity number: nin is stored as
// 11 digits, ninType is set from it (empty without a number), an empty
// birthDate or gender is filled from it, and an empty addressProtection
// becomes "None". Names and other text are otherwise stored exactly as typed.
// Validating an already valid client again changes nothing. c must not be nil.
func Validate(c *Client) error {
	return validate(c, time.Now().Format(time.DateOnly))
}

// validate is Validate with today's date (YYYY-MM-DD, the practice's local
// date) passed in, so that "not in the future" is testable.
func validate(c *Client, today string) error {
	trimFields(c)
	v := validator{c: c}

	// Single-line fields first: a field with control characters or too many
	// characters gets that code and no further checks. Fields with a format
	// of their own (identity number, dates, codes, email) get no length
	// limit here: their format check answers with a more useful code.
	v.line("nin", c.NIN, 0)
	v.line("ninType", c.NINType, 0)
	v.line("givenName", c.GivenName, maxNameLen)
	v.line("middleName", c.MiddleName, maxNameLen)
	v.line("familyName", c.FamilyName, maxNameLen)
	v.line("birthDate", c.BirthDate, 0)
	v.line("gender", c.Gender, 0)
	v.line("status", c.Status, 0)
	v.line("deathDate", c.DeathDate, 0)
	v.line("addressProtection", c.AddressProtection, 0)
	v.line("streetAddress", c.StreetAddress, maxTextLen)
	v.line("postalCode", c.PostalCode, 0)
	v.line("city", c.City, maxTextLen)
	v.line("municipalityNumber", c.MunicipalityNumber, 0)
	v.line("postalAddress", c.PostalAddress, maxTextLen)
	v.line("phone", c.Phone, maxTextLen)
	v.line("email", c.Email, 0)
	v.line("personId", c.PersonID, maxTextLen)
	if !validText(c.Notes, true) {
		v.fail("notes", CodeControlChars)
	} else if utf8.RuneCountInString(c.Notes) > maxNotesLen {
		v.fail("notes", CodeTooLong)
	}

	v.name("givenName", c.GivenName)
	v.name("middleName", c.MiddleName)
	v.name("familyName", c.FamilyName)
	if c.GivenName == "" {
		v.fail("givenName", CodeRequired)
	}
	if c.FamilyName == "" {
		v.fail("familyName", CodeRequired)
	}

	v.identity(today)
	v.dates(today)

	if v.ok("gender") {
		switch c.Gender {
		case "", GenderMale, GenderFemale, GenderUnknown:
		default:
			v.fail("gender", CodeInvalid)
		}
	}
	if v.ok("status") && c.Status != "" && !validStatus(c.Status) {
		v.fail("status", CodeInvalid)
	}

	v.address()
	if v.ok("phone") && c.Phone != "" && !validPhone(c.Phone) {
		v.fail("phone", CodePhone)
	}
	if v.ok("email") && c.Email != "" && !validEmail(c.Email) {
		v.fail("email", CodeEmail)
	}

	if len(v.fields) > 0 {
		return &ValidationError{Fields: v.fields}
	}
	return nil
}

// validator collects field codes; the first code for a field wins.
type validator struct {
	c      *Client
	fields map[string]string
}

func (v *validator) fail(field, code string) {
	if v.fields == nil {
		v.fields = make(map[string]string)
	}
	if _, seen := v.fields[field]; !seen {
		v.fields[field] = code
	}
}

func (v *validator) ok(field string) bool {
	_, bad := v.fields[field]
	return !bad
}

// line checks a single-line field; maxLen 0 means no length limit.
func (v *validator) line(field, s string, maxLen int) {
	switch {
	case !validText(s, false):
		v.fail(field, CodeControlChars)
	case maxLen > 0 && len(s) > maxLen && utf8.RuneCountInString(s) > maxLen:
		v.fail(field, CodeTooLong)
	}
}

// name refuses a name with bidirectional controls, which can make it show
// as something other than what is stored (and sort and search as that), and
// a name made only of invisible characters (U+200B, U+00AD, fillers), which
// shows as an empty name.
func (v *validator) name(field, s string) {
	if s == "" || !v.ok(field) {
		return
	}
	if strings.ContainsFunc(s, isBidiControl) {
		v.fail(field, CodeBidiControl)
		return
	}
	if !strings.ContainsFunc(s, isVisible) {
		v.fail(field, CodeNoVisibleText)
	}
}

// isBidiControl: the embeddings and overrides (U+202A–U+202E) and the
// isolates (U+2066–U+2069).
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// isVisible reports whether r leaves a mark: a graphic character that is
// neither white space, a format character (U+200B, U+00AD, U+2060, …) nor
// one of the fillers that are letters by category but draw nothing.
func isVisible(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x034F:
		return false
	}
	return unicode.IsGraphic(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && !unicode.Is(unicode.Mn, r)
}

// identity checks the identity number and fills what follows from it.
func (v *validator) identity(today string) {
	c := v.c
	if c.NIN == "" {
		c.NINType = ""
		return
	}
	if !v.ok("nin") {
		return
	}
	n, err := nin.Parse(c.NIN)
	if err != nil {
		v.fail("nin", nin.Code(err))
		return
	}
	birth := n.BirthDate.Format(time.DateOnly)
	if birth > today {
		// The number is well formed but cannot have been issued yet.
		v.fail("nin", nin.Code(nin.ErrDate))
		return
	}
	c.NIN = n.Digits
	c.NINType = n.Type()
	if v.ok("birthDate") {
		switch {
		case c.BirthDate == "":
			c.BirthDate = birth
		case validDate(c.BirthDate) && c.BirthDate != birth:
			v.fail("birthDate", CodeBirthDateMismatch)
		}
	}
	if c.Gender == "" {
		if n.Male {
			c.Gender = GenderMale
		} else {
			c.Gender = GenderFemale
		}
	}
}

func (v *validator) dates(today string) {
	c := v.c
	birthOK := false
	if c.BirthDate != "" && v.ok("birthDate") {
		switch {
		case !validDate(c.BirthDate) || c.BirthDate > today:
			v.fail("birthDate", CodeDate)
		default:
			birthOK = true
		}
	}
	if c.DeathDate != "" && v.ok("deathDate") {
		switch {
		case !validDate(c.DeathDate) || c.DeathDate > today:
			v.fail("deathDate", CodeDate)
		case birthOK && c.DeathDate < c.BirthDate:
			v.fail("deathDate", CodeDeathBeforeBirth)
		}
	}
}

func (v *validator) address() {
	c := v.c
	switch c.AddressProtection {
	case "":
		c.AddressProtection = AddressProtectionNone
	case AddressProtectionNone, AddressProtectionConfidential, AddressProtectionClientAddress:
	case AddressProtectionStrictlyConfidential:
		// The register must never hold a strictly confidential address:
		// the municipality is part of it, since it tells where the person lives.
		for _, f := range []struct{ field, value string }{
			{"streetAddress", c.StreetAddress},
			{"postalCode", c.PostalCode},
			{"city", c.City},
			{"municipalityNumber", c.MunicipalityNumber},
			{"postalAddress", c.PostalAddress},
		} {
			if f.value != "" {
				v.fail(f.field, CodeAddressProtected)
			}
		}
	default:
		v.fail("addressProtection", CodeInvalid)
	}
	if v.ok("postalCode") && c.PostalCode != "" && !fourDigits(c.PostalCode) {
		v.fail("postalCode", CodePostalCode)
	}
	if v.ok("municipalityNumber") && c.MunicipalityNumber != "" && !fourDigits(c.MunicipalityNumber) {
		v.fail("municipalityNumber", CodeMunicipality)
	}
}

func trimFields(c *Client) {
	for _, p := range []*string{
		&c.NIN, &c.NINType, &c.GivenName, &c.MiddleName, &c.FamilyName,
		&c.BirthDate, &c.Gender, &c.Status, &c.DeathDate, &c.AddressProtection,
		&c.StreetAddress, &c.PostalCode, &c.City, &c.MunicipalityNumber,
		&c.PostalAddress, &c.Phone, &c.Email, &c.Notes, &c.PersonID,
	} {
		*p = strings.TrimSpace(*p)
	}
}

// validText reports whether s is valid UTF-8 without control characters
// (C0, DEL and C1). Multi-line text may hold line breaks and tabs.
func validText(s string, multiLine bool) bool {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b < 0x20 || b == 0x7f {
				if !multiLine || (b != '\n' && b != '\r' && b != '\t') {
					return false
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if r >= 0x80 && r <= 0x9f {
			return false
		}
		i += size
	}
	return true
}

// validDate reports whether s is a real calendar date written YYYY-MM-DD.
func validDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	year, ok1 := atoi(s[0:4])
	month, ok2 := atoi(s[5:7])
	day, ok3 := atoi(s[8:10])
	if !ok1 || !ok2 || !ok3 || year == 0 || month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= daysIn(year, month)
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	default:
		return 31
	}
}

func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func fourDigits(s string) bool {
	_, ok := atoi(s)
	return ok && len(s) == 4
}

// validStatus reports whether s is one of Persontjenesten's PersonStatusType
// values.
func validStatus(s string) bool {
	switch s {
	case "Resident", "Emigrated", "Disappeared", "Deceased", "Discontinued",
		"RegisteredAtBirth", "Temporary", "Inactive", "NotResident", "Active":
		return true
	}
	return false
}

// validPhone accepts digits, spaces and hyphens with an optional leading +,
// 8 to 15 digits in all (E.164 allows at most 15).
func validPhone(s string) bool {
	s = strings.TrimPrefix(s, "+")
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == ' ' || c == '-':
		default:
			return false
		}
	}
	return digits >= 8 && digits <= 15
}

// validEmail is a plausibility check, not RFC 5322: one @ with something on
// both sides, no white space, and a domain with a dot that neither starts
// nor ends it.
func validEmail(s string) bool {
	if len(s) > maxEmailLen && utf8.RuneCountInString(s) > maxEmailLen {
		return false
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return false
	}
	local, domain, found := strings.Cut(s, "@")
	if !found || local == "" || strings.Contains(domain, "@") {
		return false
	}
	dot := strings.IndexByte(domain, '.')
	return dot > 0 && domain[len(domain)-1] != '.'
}
