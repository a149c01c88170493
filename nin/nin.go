// Package nin parses, checks and generates Norwegian national identity
// numbers (fødselsnummer, D-number, H-number and Skatteetaten's synthetic
// test numbers) and organisation numbers.
//
// An identity number has 11 digits DDMMYYIIIKK: birth date, a three-digit
// individual number that also tells the century, and two mod-11 check digits.
//
// From 2032 Skatteetaten relaxes the first check digit for newly issued
// numbers (k1 may then take any value) because the number space is running
// out. This package still enforces both check digits; numbers issued under the
// new rule will be reported as ErrChecksum until the rule is implemented here.
package nin

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind is the kind of identity number, independent of whether it is synthetic.
type Kind int

// Kinds of identity number.
const (
	// KindNational is a fødselsnummer.
	KindNational Kind = iota
	// KindD is a D-number: 4 added to the first digit of the day.
	KindD
	// KindH is an H-number (help number): 4 added to the first digit of the month.
	KindH
)

// Errors Parse and Generate return; callers decide on them with errors.Is
// and turn them into message codes with Code.
var (
	ErrLength            = errors.New("nin: an identity number has 11 digits")
	ErrNotDigits         = errors.New("nin: an identity number has only digits")
	ErrChecksum          = errors.New("nin: check digits do not match")
	ErrDate              = errors.New("nin: not a valid birth date")
	ErrIndividual        = errors.New("nin: individual number does not fit the birth year")
	ErrNoValidCheckDigit = errors.New("nin: individual number gives check digit 10")
	// ErrKind means Generate was asked for a kind of number that does not
	// exist (an unknown Kind, or a synthetic H-number, which would need a
	// month above 99).
	ErrKind = errors.New("nin: no such kind of identity number")
)

// Errors ParseOrgNumber returns.
var (
	ErrOrgLength    = errors.New("nin: an organisation number has 9 digits")
	ErrOrgNotDigits = errors.New("nin: an organisation number has only digits")
	ErrOrgChecksum  = errors.New("nin: organisation number check digit does not match")
)

// Number is a parsed, valid identity number.
type Number struct {
	Digits    string    // 11 digits, no spaces
	Kind      Kind      // fødselsnummer, D-number or H-number
	Synthetic bool      // a synthetic test number (Tenor: month+80)
	BirthDate time.Time // UTC midnight
	Male      bool      // the 9th digit is odd
}

// Number type names as Persontjenesten (and package register) spell them.
const (
	typeNational   = "NationalIdentityNumber"
	typeD          = "DNumber"
	typeH          = "HNumber"
	typeSynthetic  = "SyntheticNationalIdentityNumber"
	typeSyntheticD = "SyntheticDNumber"
	typeSyntheticH = "SyntheticHNumber"
)

// Offsets added to day or month for the number kinds.
const (
	dOffset         = 40 // day
	hOffset         = 40 // month
	syntheticOffset = 80 // month
)

var (
	weightsK1  = [9]int{3, 7, 6, 1, 8, 9, 4, 5, 2}
	weightsK2  = [10]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	weightsOrg = [8]int{3, 2, 7, 6, 5, 4, 3, 2}
)

// Type names the number's type like the register.NINType* constants.
func (n Number) Type() string {
	switch {
	case n.Kind == KindD && n.Synthetic:
		return typeSyntheticD
	case n.Kind == KindD:
		return typeD
	case n.Kind == KindH && n.Synthetic:
		return typeSyntheticH
	case n.Kind == KindH:
		return typeH
	case n.Synthetic:
		return typeSynthetic
	default:
		return typeNational
	}
}

// String returns the 11 digits.
func (n Number) String() string { return n.Digits }

// Parse checks an identity number. It accepts surrounding white space and
// spaces between the digits (as in "010190 12345"). The error wraps one of
// ErrNotDigits, ErrLength, ErrChecksum, ErrDate or ErrIndividual and never
// contains the number itself.
//
// The check digits are tested before the date because a mistyped digit is
// the likeliest error, and "check the typing" is the most useful answer.
func Parse(s string) (Number, error) {
	var d [11]byte
	n, ok := digitsInto(d[:], s)
	if !ok {
		return Number{}, ErrNotDigits
	}
	if n != len(d) {
		return Number{}, fmt.Errorf("%w (got %d)", ErrLength, n)
	}
	if k, ok := checkDigit(d[:9], weightsK1[:]); !ok || k != d[9] {
		return Number{}, ErrChecksum
	}
	if k, ok := checkDigit(d[:10], weightsK2[:]); !ok || k != d[10] {
		return Number{}, ErrChecksum
	}

	num := Number{Kind: KindNational, Male: d[8]%2 == 1}
	day := int(d[0])*10 + int(d[1])
	month := int(d[2])*10 + int(d[3])
	yy := int(d[4])*10 + int(d[5])
	individual := int(d[6])*100 + int(d[7])*10 + int(d[8])

	if day > dOffset {
		num.Kind = KindD
		day -= dOffset
	}
	if month > syntheticOffset {
		num.Synthetic = true
		month -= syntheticOffset
	}
	if month > hOffset {
		if num.Kind == KindD {
			return Number{}, fmt.Errorf("%w: both day and month marked", ErrDate)
		}
		num.Kind = KindH
		month -= hOffset
	}
	year, ok := century(individual, yy)
	if !ok {
		return Number{}, ErrIndividual
	}
	birth, ok := date(year, month, day)
	if !ok {
		return Number{}, ErrDate
	}
	num.BirthDate = birth

	var digits [11]byte
	for i, v := range d {
		digits[i] = v + '0'
	}
	num.Digits = string(digits[:])
	return num, nil
}

// digitsInto trims surrounding white space from s, skips spaces between the
// digits and stores the digit values in d. It returns how many digits s holds
// (which may exceed len(d)) and false if s holds anything but digits and
// spaces.
func digitsInto(d []byte, s string) (int, bool) {
	s = strings.TrimSpace(s)
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n < len(d) {
				d[n] = c - '0'
			}
			n++
		case c == ' ':
		default:
			return n, false
		}
	}
	return n, true
}

// checkDigit computes a mod-11 check digit; ok is false when the remainder
// gives 10, which no valid number can carry.
func checkDigit(d []byte, weights []int) (byte, bool) {
	sum := 0
	for i, w := range weights {
		sum += int(d[i]) * w
	}
	k := 11 - sum%11
	switch k {
	case 11:
		return 0, true
	case 10:
		return 0, false
	default:
		return byte(k), true
	}
}

// century gives the full birth year from the individual number and the
// two-digit year, following Skatteetaten's allocation of individual numbers.
func century(individual, yy int) (int, bool) {
	switch {
	case individual <= 499:
		return 1900 + yy, true
	case individual <= 749 && yy >= 54:
		return 1800 + yy, true
	case individual >= 500 && yy <= 39:
		return 2000 + yy, true
	case individual >= 900 && yy >= 40:
		return 1900 + yy, true
	default:
		return 0, false
	}
}

// individualFits reports whether an individual number may be used for a
// birth year.
func individualFits(individual, year int) bool {
	y, ok := century(individual, year%100)
	return ok && y == year
}

// date builds a UTC midnight date and reports whether it is a real calendar
// date (time.Date would silently normalise 31 April to 1 May).
func date(year, month, day int) (time.Time, bool) {
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month {
		return time.Time{}, false
	}
	return t, true
}

// Format shows an identity number as 6+5 digits ("010190 12345"). Anything
// that is not exactly 11 digits is returned as it is.
func Format(digits string) string {
	if !allDigits(digits, 11) {
		return digits
	}
	return digits[:6] + " " + digits[6:]
}

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Generate builds a valid identity number for a birth date (its calendar
// date, in whatever location birth carries), an individual number (0–999),
// a kind and whether it is synthetic. It returns ErrNoValidCheckDigit when
// this individual number yields check digit 10 (callers then try the next
// individual number), ErrIndividual when the individual number does not
// belong to the birth year's century ranges, ErrDate for a birth year no
// identity number can carry (before 1854 or after 2039) and ErrKind for a
// synthetic H-number or an unknown kind.
func Generate(birth time.Time, individual int, kind Kind, synthetic bool) (string, error) {
	year, m, day := birth.Date()
	month := int(m)
	if year < 1854 || year > 2039 {
		return "", fmt.Errorf("%w: year %d outside 1854–2039", ErrDate, year)
	}
	if individual < 0 || individual > 999 || !individualFits(individual, year) {
		return "", fmt.Errorf("%w: %03d for year %d", ErrIndividual, individual, year)
	}
	switch kind {
	case KindNational:
	case KindD:
		day += dOffset
	case KindH:
		if synthetic {
			return "", fmt.Errorf("%w: synthetic H-number", ErrKind)
		}
		month += hOffset
	default:
		return "", fmt.Errorf("%w: %d", ErrKind, kind)
	}
	if synthetic {
		month += syntheticOffset
	}
	yy := year % 100
	d := [11]byte{
		byte(day / 10), byte(day % 10),
		byte(month / 10), byte(month % 10),
		byte(yy / 10), byte(yy % 10),
		byte(individual / 100), byte(individual / 10 % 10), byte(individual % 10),
	}
	k1, ok := checkDigit(d[:9], weightsK1[:])
	if !ok {
		return "", ErrNoValidCheckDigit
	}
	d[9] = k1
	k2, ok := checkDigit(d[:10], weightsK2[:])
	if !ok {
		return "", ErrNoValidCheckDigit
	}
	d[10] = k2
	for i := range d {
		d[i] += '0'
	}
	return string(d[:]), nil
}

// ParseOrgNumber checks an organisation number (Enhetsregisteret). It accepts
// surrounding white space and spaces between the digits ("974 760 673") and
// returns the 9 digits. The error wraps ErrOrgNotDigits, ErrOrgLength or
// ErrOrgChecksum.
func ParseOrgNumber(s string) (string, error) {
	var d [9]byte
	n, ok := digitsInto(d[:], s)
	if !ok {
		return "", ErrOrgNotDigits
	}
	if n != len(d) {
		return "", fmt.Errorf("%w (got %d)", ErrOrgLength, n)
	}
	if k, ok := checkDigit(d[:8], weightsOrg[:]); !ok || k != d[8] {
		return "", ErrOrgChecksum
	}
	for i := range d {
		d[i] += '0'
	}
	return string(d[:]), nil
}

// Code maps an error from Parse or ParseOrgNumber to a stable message code
// ("nin.length", "nin.digits", "nin.checksum", "nin.date", "nin.individual",
// "org.length", "org.digits", "org.checksum"). It returns "" for nil and
// "invalid" for any other error.
func Code(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrLength):
		return "nin.length"
	case errors.Is(err, ErrNotDigits):
		return "nin.digits"
	case errors.Is(err, ErrChecksum):
		return "nin.checksum"
	case errors.Is(err, ErrDate):
		return "nin.date"
	case errors.Is(err, ErrIndividual):
		return "nin.individual"
	case errors.Is(err, ErrOrgLength):
		return "org.length"
	case errors.Is(err, ErrOrgNotDigits):
		return "org.digits"
	case errors.Is(err, ErrOrgChecksum):
		return "org.checksum"
	default:
		return "invalid"
	}
}
