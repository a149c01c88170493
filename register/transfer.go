package register

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// ClientKey is what a duplicate check needs of a stored client: its id, its
// identity number and its name and birth date.
type ClientKey struct {
	ID         int64
	NIN        string
	GivenName  string
	FamilyName string
	BirthDate  string
}

// NameBirthKey is the key under which two clients count as the same person
// when neither has an identity number to tell: the same given and family
// name (case, Unicode form and extra space ignored) and the same birth date. It is
// empty when the birth date or a name is missing: then nothing is compared.
func NameBirthKey(givenName, familyName, birthDate string) string {
	g := strings.ToLower(norm.NFC.String(strings.Join(strings.Fields(givenName), " ")))
	f := strings.ToLower(norm.NFC.String(strings.Join(strings.Fields(familyName), " ")))
	if g == "" || f == "" || birthDate == "" {
		return ""
	}
	return g + "\x00" + f + "\x00" + birthDate
}

// DatabaseCheck is what a look at a database file (a backup about to be
// restored) found: whether it is a client register at all, its schema
// version and the newest this program knows, what the integrity check
// reported, and how many clients it holds.
type DatabaseCheck struct {
	IsRegister         bool
	SchemaVersion      int
	KnownSchemaVersion int
	Problems           []string
	Clients            int
}
