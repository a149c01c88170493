package persontjeneste

import (
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SearchQuery is a person search. The fields mirror the form fields of the
// contract's search/person request; empty fields are left out.
type SearchQuery struct {
	GivenName          string `json:"givenName,omitempty"`
	MiddleName         string `json:"middleName,omitempty"`
	FamilyName         string `json:"familyName,omitempty"`
	FullName           string `json:"fullName,omitempty"`  // words match the start of any name part, in any order
	BirthDate          string `json:"birthDate,omitempty"` // YYYY-MM-DD, YYYY-MM or YYYY
	Gender             string `json:"gender,omitempty"`    // "Female" or "Male"
	StreetAddress      string `json:"streetAddress,omitempty"`
	PostalCode         string `json:"postalCode,omitempty"` // four digits
	CityName           string `json:"cityName,omitempty"`
	MunicipalityNumber string `json:"municipalityNumber,omitempty"` // four digits
}

// Search rule names, reported in SearchRuleError.Rule.
const (
	RuleNameRequired       = "name_required"       // no given, middle, family or full name
	RuleNameCharacters     = "name_characters"     // a name has other than letters, spaces and hyphens
	RuleTooLong            = "too_long"            // a value is longer than the contract allows
	RuleMinLetters         = "min_letters"         // fewer than three letters across all names
	RuleBirthDate          = "birth_date"          // not YYYY-MM-DD, YYYY-MM or YYYY, or no such date
	RuleMunicipalityNumber = "municipality_number" // not exactly four digits
	RulePostalCode         = "postal_code"         // not exactly four digits
	RuleStreetAddress      = "street_address"      // other than letters, digits and spaces, or too few letters to narrow the search
	RuleCityName           = "city_name"           // other than letters, spaces and hyphens
	RuleGender             = "gender"              // neither "Female" nor "Male"
	RuleNarrowingRequired  = "narrowing_required"  // no birth date, municipality number or street address
)

// FieldName is SearchRuleError.Field for rules over all the name fields
// together; other rules name the SearchQuery field (its JSON name), and
// RuleNarrowingRequired has an empty Field.
const FieldName = "name"

// minNameLetters and minStreetLetters are the contract's "at least three
// letters (whitespace is not counted)".
const (
	minNameLetters   = 3
	minStreetLetters = 3
)

// SearchRuleError says which search rule a query breaks and in which field.
type SearchRuleError struct {
	Rule  string
	Field string
}

func (e *SearchRuleError) Error() string {
	if e.Field == "" {
		return "search rule " + e.Rule + " not met"
	}
	return "search rule " + e.Rule + " not met by " + e.Field
}

// ValidateSearch checks q against Persontjenesten's search rules: a given,
// middle, family or full name; at least three letters across the names; and a
// birth date, a four-digit municipality number or a street address with at
// least three letters. Each given field must also have the contract's form.
// Values are trimmed first. The first broken rule is returned.
func ValidateSearch(q SearchQuery) error {
	q = q.trimmed()
	names := []struct{ field, value string }{
		{"givenName", q.GivenName},
		{"middleName", q.MiddleName},
		{"familyName", q.FamilyName},
		{"fullName", q.FullName},
	}
	letters := 0
	for _, n := range names {
		letters += countLetters(n.value)
	}
	if q.GivenName == "" && q.MiddleName == "" && q.FamilyName == "" && q.FullName == "" {
		return &SearchRuleError{Rule: RuleNameRequired, Field: FieldName}
	}
	for _, n := range names {
		maxLen := 200
		if n.field == "fullName" {
			maxLen = 600
		}
		if utf8.RuneCountInString(n.value) > maxLen {
			return &SearchRuleError{Rule: RuleTooLong, Field: n.field}
		}
		if !onlyRunes(n.value, isNameRune) {
			return &SearchRuleError{Rule: RuleNameCharacters, Field: n.field}
		}
	}
	if letters < minNameLetters {
		return &SearchRuleError{Rule: RuleMinLetters, Field: FieldName}
	}
	if q.BirthDate != "" && !validSearchDate(q.BirthDate) {
		return &SearchRuleError{Rule: RuleBirthDate, Field: "birthDate"}
	}
	if q.MunicipalityNumber != "" && !fourDigits(q.MunicipalityNumber) {
		return &SearchRuleError{Rule: RuleMunicipalityNumber, Field: "municipalityNumber"}
	}
	if utf8.RuneCountInString(q.StreetAddress) > 200 {
		return &SearchRuleError{Rule: RuleTooLong, Field: "streetAddress"}
	}
	if !onlyRunes(q.StreetAddress, isStreetRune) {
		return &SearchRuleError{Rule: RuleStreetAddress, Field: "streetAddress"}
	}
	if q.PostalCode != "" && !fourDigits(q.PostalCode) {
		return &SearchRuleError{Rule: RulePostalCode, Field: "postalCode"}
	}
	if utf8.RuneCountInString(q.CityName) > 100 {
		return &SearchRuleError{Rule: RuleTooLong, Field: "cityName"}
	}
	if !onlyRunes(q.CityName, isNameRune) {
		return &SearchRuleError{Rule: RuleCityName, Field: "cityName"}
	}
	if q.Gender != "" && q.Gender != GenderFemale && q.Gender != GenderMale {
		return &SearchRuleError{Rule: RuleGender, Field: "gender"}
	}
	switch {
	case q.BirthDate != "", q.MunicipalityNumber != "", countLetters(q.StreetAddress) >= minStreetLetters:
		return nil
	case q.StreetAddress != "":
		return &SearchRuleError{Rule: RuleStreetAddress, Field: "streetAddress"}
	default:
		return &SearchRuleError{Rule: RuleNarrowingRequired}
	}
}

// SearchRuleCase is one example for the search rules; WantRule is empty when
// the query is acceptable.
type SearchRuleCase struct {
	Name     string
	Query    SearchQuery
	WantRule string
}

// SearchRuleCases returns a fresh table of examples for the search rules, so
// the app's validation and the mock's HTTP endpoint are tested against the
// same cases. All names are made up.
func SearchRuleCases() []SearchRuleCase {
	return []SearchRuleCase{
		{"family name and birth date", SearchQuery{FamilyName: "Testesen", BirthDate: "1985-09-05"}, ""},
		{"given name and municipality", SearchQuery{GivenName: "Åsmund", MunicipalityNumber: "0301"}, ""},
		{"full name and street", SearchQuery{FullName: "Kåre Prøvelid", StreetAddress: "Fiktivveien 12 B"}, ""},
		{"middle name only as name", SearchQuery{MiddleName: "Øyen", BirthDate: "1990"}, ""},
		{"hyphenated names", SearchQuery{GivenName: "Anne-Lise", FamilyName: "Dikt-Hansen", BirthDate: "1970-01"}, ""},
		{"letters spread over names", SearchQuery{GivenName: "Al", FamilyName: "B", BirthDate: "2001-02-03"}, ""},
		{"every field", SearchQuery{GivenName: "Siri", MiddleName: "Lund", FamilyName: "Oppdiktet", BirthDate: "1960-12-31",
			Gender: GenderFemale, StreetAddress: "Tenkt gate 3", PostalCode: "0150", CityName: "Oslo", MunicipalityNumber: "0301"}, ""},
		{"surrounding spaces ignored", SearchQuery{FamilyName: "  Testesen ", MunicipalityNumber: " 4601 "}, ""},
		{"leap day", SearchQuery{FamilyName: "Testesen", BirthDate: "2000-02-29"}, ""},
		{"street with enough letters and a postal code", SearchQuery{FamilyName: "Testesen", StreetAddress: "Øvre gate 7", PostalCode: "5003"}, ""},

		{"empty query", SearchQuery{}, RuleNameRequired},
		{"no name, only birth date", SearchQuery{BirthDate: "1985-09-05"}, RuleNameRequired},
		{"names only spaces", SearchQuery{GivenName: "   ", FamilyName: "\t", BirthDate: "1985-09-05"}, RuleNameRequired},
		{"two letters", SearchQuery{GivenName: "Al", BirthDate: "1985-09-05"}, RuleMinLetters},
		{"hyphens are not letters", SearchQuery{GivenName: "A-B", BirthDate: "1985-09-05"}, RuleMinLetters},
		{"digit in family name", SearchQuery{FamilyName: "Testesen2", BirthDate: "1985-09-05"}, RuleNameCharacters},
		{"apostrophe in full name", SearchQuery{FullName: "O'Test", BirthDate: "1985-09-05"}, RuleNameCharacters},
		{"given name too long", SearchQuery{GivenName: strings.Repeat("a", 201), BirthDate: "1985-09-05"}, RuleTooLong},
		{"name without narrowing", SearchQuery{GivenName: "Åsmund", FamilyName: "Testesen"}, RuleNarrowingRequired},
		{"postal code does not narrow", SearchQuery{FamilyName: "Testesen", PostalCode: "0150"}, RuleNarrowingRequired},
		{"street with two letters", SearchQuery{FamilyName: "Testesen", StreetAddress: "Ås 4"}, RuleStreetAddress},
		{"street only digits", SearchQuery{FamilyName: "Testesen", StreetAddress: "12"}, RuleStreetAddress},
		{"street with punctuation", SearchQuery{FamilyName: "Testesen", StreetAddress: "Tenkt gate 3, 2. etg"}, RuleStreetAddress},
		{"birth date in Norwegian format", SearchQuery{FamilyName: "Testesen", BirthDate: "05.09.1985"}, RuleBirthDate},
		{"no such day", SearchQuery{FamilyName: "Testesen", BirthDate: "2001-02-29"}, RuleBirthDate},
		{"month thirteen", SearchQuery{FamilyName: "Testesen", BirthDate: "2001-13"}, RuleBirthDate},
		{"municipality with three digits", SearchQuery{FamilyName: "Testesen", MunicipalityNumber: "301"}, RuleMunicipalityNumber},
		{"municipality with letters", SearchQuery{FamilyName: "Testesen", MunicipalityNumber: "03a1"}, RuleMunicipalityNumber},
		{"bad municipality despite birth date", SearchQuery{FamilyName: "Testesen", BirthDate: "1985-09-05", MunicipalityNumber: "03011"}, RuleMunicipalityNumber},
		{"postal code with five digits", SearchQuery{FamilyName: "Testesen", BirthDate: "1985-09-05", PostalCode: "01500"}, RulePostalCode},
		{"city with digits", SearchQuery{FamilyName: "Testesen", BirthDate: "1985-09-05", CityName: "Oslo 1"}, RuleCityName},
		{"unknown gender", SearchQuery{FamilyName: "Testesen", BirthDate: "1985-09-05", Gender: "Other"}, RuleGender},
	}
}

// trimmed returns q with surrounding whitespace removed from every field.
func (q SearchQuery) trimmed() SearchQuery {
	return SearchQuery{
		GivenName:          strings.TrimSpace(q.GivenName),
		MiddleName:         strings.TrimSpace(q.MiddleName),
		FamilyName:         strings.TrimSpace(q.FamilyName),
		FullName:           strings.TrimSpace(q.FullName),
		BirthDate:          strings.TrimSpace(q.BirthDate),
		Gender:             strings.TrimSpace(q.Gender),
		StreetAddress:      strings.TrimSpace(q.StreetAddress),
		PostalCode:         strings.TrimSpace(q.PostalCode),
		CityName:           strings.TrimSpace(q.CityName),
		MunicipalityNumber: strings.TrimSpace(q.MunicipalityNumber),
	}
}

// form encodes q as the search/person form body (contract field names).
func (q SearchQuery) form() url.Values {
	f := url.Values{}
	for _, kv := range [...]struct{ key, value string }{
		{"GivenName", q.GivenName},
		{"MiddleName", q.MiddleName},
		{"FamilyName", q.FamilyName},
		{"FullName", q.FullName},
		{"BirthDate", q.BirthDate},
		{"Gender", q.Gender},
		{"StreetAddress", q.StreetAddress},
		{"PostalCode", q.PostalCode},
		{"CityName", q.CityName},
		{"MunicipalityNumber", q.MunicipalityNumber},
	} {
		if kv.value != "" {
			f.Set(kv.key, kv.value)
		}
	}
	return f
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func onlyRunes(s string, ok func(rune) bool) bool {
	for _, r := range s {
		if !ok(r) {
			return false
		}
	}
	return true
}

// isNameRune follows the contract's name pattern [\p{L}\s\-].
func isNameRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsSpace(r) || r == '-' }

// isStreetRune follows the contract's street pattern [\p{L}\s\p{N}].
func isStreetRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsSpace(r) || unicode.IsNumber(r)
}

func fourDigits(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validSearchDate accepts the contract's YYYY-MM-DD, YYYY-MM or YYYY, and
// only dates that exist.
func validSearchDate(s string) bool {
	var layout string
	switch len(s) {
	case len("2006"):
		layout = "2006"
	case len("2006-01"):
		layout = "2006-01"
	case len("2006-01-02"):
		layout = "2006-01-02"
	default:
		return false
	}
	_, err := time.Parse(layout, s)
	return err == nil
}
