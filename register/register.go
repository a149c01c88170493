// Package register holds the practice's client register domain: the Client
// record, the errors callers decide on, and the search query. Storage lives in
// package store, HTTP in package app.
package register

import (
	"errors"
	"fmt"
	"time"
)

// Identity number types, named as in Persontjenesten's contract.
const (
	NINTypeNational   = "NationalIdentityNumber" // fødselsnummer
	NINTypeD          = "DNumber"
	NINTypeH          = "HNumber"
	NINTypeSynthetic  = "SyntheticNationalIdentityNumber"
	NINTypeSyntheticD = "SyntheticDNumber"
	NINTypeSyntheticH = "SyntheticHNumber"
)

// Address protection markers, named as in Persontjenesten's contract.
const (
	AddressProtectionNone                 = "None"
	AddressProtectionConfidential         = "Confidential"
	AddressProtectionStrictlyConfidential = "StrictlyConfidential"
	AddressProtectionClientAddress        = "ClientAddress"
)

// Client is one client (patient) of the practice. Dates are YYYY-MM-DD
// strings; empty means unknown.
type Client struct {
	ID                 int64      `json:"id"`
	NIN                string     `json:"nin"`
	NINType            string     `json:"ninType"`
	GivenName          string     `json:"givenName"`
	MiddleName         string     `json:"middleName"`
	FamilyName         string     `json:"familyName"`
	BirthDate          string     `json:"birthDate"`
	Gender             string     `json:"gender"`
	Status             string     `json:"status"`
	DeathDate          string     `json:"deathDate"`
	AddressProtection  string     `json:"addressProtection"`
	StreetAddress      string     `json:"streetAddress"`
	PostalCode         string     `json:"postalCode"`
	City               string     `json:"city"`
	MunicipalityNumber string     `json:"municipalityNumber"`
	PostalAddress      string     `json:"postalAddress"`
	Phone              string     `json:"phone"`
	Email              string     `json:"email"`
	Notes              string     `json:"notes"`
	PersonID           string     `json:"personId"`
	FetchedAt          *time.Time `json:"fetchedAt"`
	SequenceNumber     *int64     `json:"sequenceNumber"`
	Version            int64      `json:"version"`
	CreatedAt          time.Time  `json:"createdAt"`
	UpdatedAt          time.Time  `json:"updatedAt"`
	// FetchedPhone and FetchedEmail are the contact register's phone and
	// e-mail as fetched at FetchedAt: the base of the three-way merge that
	// tells a value changed in Resepsjon (differs from the base) from one
	// the register may replace (equals it). nil: no base (never fetched,
	// the contact part not fetched, or saved before the base was kept).
	// They change only with a new fetch (see KeepFetchedContact) and never
	// travel to the browser.
	FetchedPhone *string `json:"-"`
	FetchedEmail *string `json:"-"`
}

// KeepFetchedContact is the rule every save follows for the fetched
// contact base: a save that does not carry a new fetch (FetchedAt the one
// stored) keeps the stored base whatever c carries, so that a form save can
// neither lose nor fake it. A save with a new fetch writes c's base.
func KeepFetchedContact(stored Client, c *Client) {
	if sameTime(stored.FetchedAt, c.FetchedAt) {
		c.FetchedPhone, c.FetchedEmail = stringCopy(stored.FetchedPhone), stringCopy(stored.FetchedEmail)
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func stringCopy(p *string) *string {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// AheadSearches are the searches the client list asks for ahead of the
// receptionist, one for each character a search can begin with: the
// Norwegian alphabet's letters and the digits. A first letter has no
// earlier answer in the page to narrow, so its answer is there before the
// key is pressed.
const AheadSearches = "abcdefghijklmnopqrstuvwxyzæøå0123456789"

// Query is a search of the local register. Q is free text: name words in any
// order and as prefixes, an identity number, a phone number or a birth date.
type Query struct {
	Q      string
	Limit  int
	Offset int
}

// ClientSummary is what the client list shows of a client: the names, birth
// date, identity number, phone, city, the markers behind the list's badges
// (address protection, status, death date) and the version. The full record
// is read one client at a time.
type ClientSummary struct {
	ID                int64  `json:"id"`
	NIN               string `json:"nin"`
	GivenName         string `json:"givenName"`
	MiddleName        string `json:"middleName"`
	FamilyName        string `json:"familyName"`
	BirthDate         string `json:"birthDate"`
	Phone             string `json:"phone"`
	City              string `json:"city"`
	AddressProtection string `json:"addressProtection"`
	Status            string `json:"status"`
	DeathDate         string `json:"deathDate"`
	Version           int64  `json:"version"`
}

// Summary is the part of c the client list shows.
func (c *Client) Summary() ClientSummary {
	return ClientSummary{
		ID: c.ID, NIN: c.NIN, GivenName: c.GivenName, MiddleName: c.MiddleName, FamilyName: c.FamilyName,
		BirthDate: c.BirthDate, Phone: c.Phone, City: c.City, AddressProtection: c.AddressProtection,
		Status: c.Status, DeathDate: c.DeathDate, Version: c.Version,
	}
}

// Page is one page of search results and the total number of matches.
type Page struct {
	Results []ClientSummary `json:"results"`
	Total   int             `json:"total"`
}

// ErrNotFound means the client does not exist (or no longer exists).
var ErrNotFound = errors.New("client not found")

// Errors of the register's storage that the receptionist can do something
// about; nothing was saved when they occur.
var (
	// ErrDiskFull: the disk holding the register is full.
	ErrDiskFull = errors.New("the disk holding the register is full")
	// ErrReadOnly: the register file or its folder cannot be written.
	ErrReadOnly = errors.New("the register file cannot be written")
	// ErrRegisterMoved: the register file was moved, renamed or deleted
	// while the program had it open; writes would go to a file that is no
	// longer there.
	ErrRegisterMoved = errors.New("the register file was moved or deleted while in use")
)

// ConflictError means a save carried a stale version: someone else changed the
// client since it was read.
type ConflictError struct {
	Current int64 // the version now stored
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("client was changed elsewhere (stored version %d)", e.Current)
}

// DuplicateError means another client already has this identity number.
type DuplicateError struct {
	ExistingID int64
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("identity number already registered on client %d", e.ExistingID)
}

// ValidationError lists the fields that are wrong, each with a message code
// (for example "nin.checksum"); the UI and API turn codes into text.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("invalid input in %d field(s)", len(e.Fields))
}
