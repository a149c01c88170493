package register

import "strings"

// PhoneKey is a phone number reduced to what it means, for comparing: the
// groups and hyphens dropped, 00 written as +, and a Norwegian number of 8
// digits given its +47. "952 90 748", "+47 952 90 748" and "004795290748"
// all give "+4795290748". Text that is not a phone number is returned
// trimmed, so it only equals itself.
func PhoneKey(s string) string {
	s = strings.TrimSpace(s)
	if !validPhone(s) {
		return s
	}
	digits := strings.NewReplacer(" ", "", "-", "").Replace(s)
	switch {
	case strings.HasPrefix(digits, "+"):
		return digits
	case strings.HasPrefix(digits, "00"):
		return "+" + digits[2:]
	case len(digits) == 8:
		return "+47" + digits
	}
	return digits
}

// SamePhone reports whether a and b are the same phone number written in
// different ways.
func SamePhone(a, b string) bool {
	return PhoneKey(a) == PhoneKey(b)
}
