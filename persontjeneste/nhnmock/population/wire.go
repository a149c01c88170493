package population

import (
	"slices"
	"time"
)

// The types in this file are Persontjenesten's wire format (components in
// openapi.yaml); json tags are the contract's property names and every
// register element carries the contract's bookkeeping (Meta) so that clients
// can filter to current values with isValid.
//
// They are deliberately not the client's types (persontjeneste.Person and
// friends): the mock is the server side, writes parts the client never reads
// and always writes isValid, and both sides are checked against openapi.yaml
// on their own. Sharing one set of types would let a mistake in them pass
// through the client's tests against the mock unnoticed.

// Meta is FREG's bookkeeping on every register element: registeredAt
// (Ajourholdstidspunkt), isValid (ErGjeldende), source, reason, validFrom
// (Gyldighetstidspunkt) and validTo (Opphoerstidspunkt).
type Meta struct {
	RegisteredAt time.Time `json:"registeredAt,omitzero"`
	IsValid      bool      `json:"isValid"`
	Source       string    `json:"source,omitempty"`
	Reason       string    `json:"reason,omitempty"`
	ValidFrom    time.Time `json:"validFrom,omitzero"`
	ValidTo      time.Time `json:"validTo,omitzero"`
}

// Name is a person's name (contract: PersonName).
type Name struct {
	Meta
	GivenName  string `json:"givenName,omitempty"`
	MiddleName string `json:"middleName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
	ShortName  string `json:"shortName,omitempty"`
}

// IdentificationNumber is a fødselsnummer or D-number (contract:
// NorwegianIdentificationNumber).
type IdentificationNumber struct {
	Meta
	Status                   string `json:"status,omitempty"` // InUse or Discontinued
	IdentificationNumber     string `json:"identificationNumber"`
	IdentificationNumberType string `json:"identificationNumberType"` // NationalIdentityNumber or DNumber
}

// Birth is FREG: Foedsel. BirthDate is UTC midnight; the contract says its
// time and zone are to be ignored.
type Birth struct {
	Meta
	BirthDate               time.Time `json:"birthDate,omitzero"`
	BirthYear               string    `json:"birthYear,omitempty"`
	BirthPlace              string    `json:"birthPlace,omitempty"`
	BirthMunicipalityNumber string    `json:"birthMunicipalityNumber,omitempty"`
	BirthMunicipalityName   string    `json:"birthMunicipalityName,omitempty"`
	BirthCountyNumber       string    `json:"birthCountyNumber,omitempty"`
	BirthCountyName         string    `json:"birthCountyName,omitempty"`
	BirthCountry            string    `json:"birthCountry,omitempty"`
}

// Gender is FREG: Personkjoenn (contract: PersonGender).
type Gender struct {
	Meta
	Gender string `json:"gender,omitempty"` // Female or Male
}

// Status is FREG: Folkeregisterpersonstatus (contract: PersonStatus).
type Status struct {
	Meta
	Status string `json:"status,omitempty"` // a PersonStatusType
}

// Death is FREG: Doedsfall.
type Death struct {
	Meta
	DeceasedDate time.Time `json:"deceasedDate,omitzero"`
}

// AddressProtection is the protection level over all of a person's
// residential addresses (FREG: Adressebeskyttelse).
type AddressProtection struct {
	Meta
	ProtectionLevel string `json:"protectionLevel,omitempty"` // Confidential or StrictlyConfidential
}

// City is a postal code with its post town.
type City struct {
	CityName   string `json:"cityName,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
}

// AddressNumber is a house number with an optional letter.
type AddressNumber struct {
	HouseNumber string `json:"houseNumber,omitempty"`
	HouseLetter string `json:"houseLetter,omitempty"`
}

// StreetAddress is FREG: Vegadresse as used in residential addresses.
type StreetAddress struct {
	MunicipalityNumber string        `json:"municipalityNumber,omitempty"`
	MunicipalityName   string        `json:"municipalityName,omitempty"`
	CountyNumber       string        `json:"countyNumber,omitempty"`
	CountyName         string        `json:"countyName,omitempty"`
	AddressName        string        `json:"addressName,omitempty"`
	AddressNumber      AddressNumber `json:"addressNumber,omitzero"`
	AddressCode        string        `json:"addressCode,omitempty"`
	City               City          `json:"city,omitzero"`
}

// ResidentialAddress is where a person lives (FREG: Bostedsadresse).
type ResidentialAddress struct {
	Meta
	StreetAddress          StreetAddress `json:"streetAddress,omitzero"`
	CadastralIdentifier    string        `json:"cadastralIdentifier,omitempty"`
	AddressConfidentiality string        `json:"addressConfidentiality,omitempty"`
	MoveDate               time.Time     `json:"moveDate,omitzero"`
}

// PostalStreetAddress is FREG: VegadresseForPost.
type PostalStreetAddress struct {
	AddressName         string        `json:"addressName,omitempty"`
	StreetAddressNumber AddressNumber `json:"streetAddressNumber,omitzero"`
	City                City          `json:"city,omitzero"`
}

// PostalAddress is a registered postal address (contract: ContactAddress,
// FREG: Postadresse).
type PostalAddress struct {
	Meta
	AddressConfidentiality string              `json:"addressConfidentiality,omitempty"`
	StreetAddress          PostalStreetAddress `json:"streetAddress,omitzero"`
}

// FreeformAddress is an address as printable lines.
type FreeformAddress struct {
	AddressLine []string `json:"addressLine,omitempty"`
	CountryCode string   `json:"countryCode,omitempty"` // ISO 3166-1 alpha-2
}

// PreferredContactAddress is the address to write to (deprecated in the
// contract, still served).
type PreferredContactAddress struct {
	Meta
	AddressType            string          `json:"addressType,omitempty"` // ResidentialAddress or PostalAddress
	AddressConfidentiality string          `json:"addressConfidentiality,omitempty"`
	FreeformContactAddress FreeformAddress `json:"freeformContactAddress,omitzero"`
}

// Emigration is FREG: UtflyttingFraNorge (contract: EmigrationFromNorway).
type Emigration struct {
	Meta
	EmigratedToCountry string    `json:"emigratedToCountry,omitempty"` // ISO 3166-1 alpha-3
	EmigratedToCity    string    `json:"emigratedToCity,omitempty"`
	EmigratedMoveDate  time.Time `json:"emigratedMoveDate,omitzero"`
}

// Citizenship is FREG: Statsborgerskap.
type Citizenship struct {
	Meta
	CountryCode string `json:"countryCode,omitempty"` // ISO 3166-1 alpha-3
}

// ContactInformation is KRR's e-mail address and mobile number. The
// timestamps are plain strings in the contract.
type ContactInformation struct {
	Email                   string `json:"email,omitempty"`
	EmailLastUpdated        string `json:"emailLastUpdated,omitempty"`
	EmailLastVerified       string `json:"emailLastVerified,omitempty"`
	PhoneNumber             string `json:"phoneNumber,omitempty"`
	PhoneNumberLastUpdated  string `json:"phoneNumberLastUpdated,omitempty"`
	PhoneNumberLastVerified string `json:"phoneNumberLastVerified,omitempty"`
}

// ContactRegister is the Common Contact Register's (KRR) information
// (contract: CommonContactRegisterInformation).
type ContactRegister struct {
	Reservation        string             `json:"reservation,omitempty"` // Yes or No
	Status             string             `json:"status,omitempty"`      // Active, Deleted or NotRegistered
	NotificationStatus string             `json:"notificationStatus,omitempty"`
	ContactInformation ContactInformation `json:"contactInformation,omitzero"`
	Language           string             `json:"language,omitempty"`
}

// Person is the full wire-format person (contract: Person) with all current
// and historic values. Lookups return it without the addresses of a person
// with a strictly confidential address; Render picks the information parts
// and history a request asked for.
type Person struct {
	ID                               string                    `json:"id"`
	SequenceNumber                   int64                     `json:"sequenceNumber"`
	NorwegianIdentificationNumber    []IdentificationNumber    `json:"norwegianIdentificationNumber,omitempty"`
	Name                             []Name                    `json:"name,omitempty"`
	Birth                            []Birth                   `json:"birth,omitempty"`
	Gender                           []Gender                  `json:"gender,omitempty"`
	Status                           []Status                  `json:"status,omitempty"`
	Death                            *Death                    `json:"death,omitempty"`
	AddressProtection                []AddressProtection       `json:"addressProtection,omitempty"`
	ResidentialAddress               []ResidentialAddress      `json:"residentialAddress,omitempty"`
	PostalAddress                    []PostalAddress           `json:"postalAddress,omitempty"`
	PreferredContactAddress          []PreferredContactAddress `json:"preferredContactAddress,omitempty"`
	EmigrationFromNorway             []Emigration              `json:"emigrationFromNorway,omitempty"`
	Citizenship                      []Citizenship             `json:"citizenship,omitempty"`
	CommonContactRegisterInformation *ContactRegister          `json:"commonContactRegisterInformation,omitempty"`
}

// Information parts (contract: InformationPart) this population holds. A
// request may name any InformationPart; parts not listed here are simply
// absent from the answer, as for a person without such data.
const (
	PartNorwegianIdentificationNumber    = "NorwegianIdentificationNumber"
	PartName                             = "Name"
	PartBirth                            = "Birth"
	PartGender                           = "Gender"
	PartStatus                           = "Status"
	PartDeath                            = "Death"
	PartAddressProtection                = "AddressProtection"
	PartResidentialAddress               = "ResidentialAddress"
	PartPostalAddress                    = "PostalAddress"
	PartPreferredContactAddress          = "PreferredContactAddress"
	PartEmigrationFromNorway             = "EmigrationFromNorway"
	PartCitizenship                      = "Citizenship"
	PartCommonContactRegisterInformation = "CommonContactRegisterInformation"
)

// Parts lists every information part the population fills.
func Parts() []string {
	return []string{
		PartNorwegianIdentificationNumber, PartName, PartBirth, PartGender, PartStatus,
		PartDeath, PartAddressProtection, PartResidentialAddress, PartPostalAddress,
		PartPreferredContactAddress, PartEmigrationFromNorway, PartCitizenship,
		PartCommonContactRegisterInformation,
	}
}

// CurrentNIN returns the person's current identity number (the valid
// fødselsnummer or D-number), or "" when none is valid.
func (p Person) CurrentNIN() string {
	for _, n := range slices.Backward(p.NorwegianIdentificationNumber) {
		if n.IsValid {
			return n.IdentificationNumber
		}
	}
	return ""
}

// CurrentName returns the person's valid name, or the zero Name.
func (p Person) CurrentName() Name {
	for _, n := range slices.Backward(p.Name) {
		if n.IsValid {
			return n
		}
	}
	return Name{}
}

// Render returns the person as an answer carries it: id and sequenceNumber,
// the requested information parts only, and historic values (isValid false)
// only when includeHistory is set. The result shares nothing with p.
func (p Person) Render(parts []string, includeHistory bool) Person {
	out := Person{ID: p.ID, SequenceNumber: p.SequenceNumber}
	for _, part := range parts {
		switch part {
		case PartNorwegianIdentificationNumber:
			out.NorwegianIdentificationNumber = pick(p.NorwegianIdentificationNumber, includeHistory, func(v IdentificationNumber) bool { return v.IsValid })
		case PartName:
			out.Name = pick(p.Name, includeHistory, func(v Name) bool { return v.IsValid })
		case PartBirth:
			out.Birth = pick(p.Birth, includeHistory, func(v Birth) bool { return v.IsValid })
		case PartGender:
			out.Gender = pick(p.Gender, includeHistory, func(v Gender) bool { return v.IsValid })
		case PartStatus:
			out.Status = pick(p.Status, includeHistory, func(v Status) bool { return v.IsValid })
		case PartDeath:
			if p.Death != nil && (includeHistory || p.Death.IsValid) {
				d := *p.Death
				out.Death = &d
			}
		case PartAddressProtection:
			out.AddressProtection = pick(p.AddressProtection, includeHistory, func(v AddressProtection) bool { return v.IsValid })
		case PartResidentialAddress:
			out.ResidentialAddress = pick(p.ResidentialAddress, includeHistory, func(v ResidentialAddress) bool { return v.IsValid })
		case PartPostalAddress:
			out.PostalAddress = pick(p.PostalAddress, includeHistory, func(v PostalAddress) bool { return v.IsValid })
		case PartPreferredContactAddress:
			out.PreferredContactAddress = pick(p.PreferredContactAddress, includeHistory, func(v PreferredContactAddress) bool { return v.IsValid })
			for i := range out.PreferredContactAddress {
				fa := &out.PreferredContactAddress[i].FreeformContactAddress
				fa.AddressLine = slices.Clone(fa.AddressLine)
			}
		case PartEmigrationFromNorway:
			out.EmigrationFromNorway = pick(p.EmigrationFromNorway, includeHistory, func(v Emigration) bool { return v.IsValid })
		case PartCitizenship:
			out.Citizenship = pick(p.Citizenship, includeHistory, func(v Citizenship) bool { return v.IsValid })
		case PartCommonContactRegisterInformation:
			if p.CommonContactRegisterInformation != nil {
				c := *p.CommonContactRegisterInformation
				out.CommonContactRegisterInformation = &c
			}
		}
	}
	return out
}

// pick copies the elements to answer with: all of them with history,
// otherwise the current ones. An empty answer is nil so the part is omitted.
func pick[T any](in []T, history bool, current func(T) bool) []T {
	var out []T
	for _, v := range in {
		if history || current(v) {
			out = append(out, v)
		}
	}
	return out
}

// clone returns a deep copy, so that overrides kept by the population are
// never shared with callers.
func (p Person) clone() Person {
	c := p
	c.NorwegianIdentificationNumber = slices.Clone(p.NorwegianIdentificationNumber)
	c.Name = slices.Clone(p.Name)
	c.Birth = slices.Clone(p.Birth)
	c.Gender = slices.Clone(p.Gender)
	c.Status = slices.Clone(p.Status)
	if p.Death != nil {
		d := *p.Death
		c.Death = &d
	}
	c.AddressProtection = slices.Clone(p.AddressProtection)
	c.ResidentialAddress = slices.Clone(p.ResidentialAddress)
	c.PostalAddress = slices.Clone(p.PostalAddress)
	c.PreferredContactAddress = slices.Clone(p.PreferredContactAddress)
	for i := range c.PreferredContactAddress {
		fa := &c.PreferredContactAddress[i].FreeformContactAddress
		fa.AddressLine = slices.Clone(fa.AddressLine)
	}
	c.EmigrationFromNorway = slices.Clone(p.EmigrationFromNorway)
	c.Citizenship = slices.Clone(p.Citizenship)
	if p.CommonContactRegisterInformation != nil {
		k := *p.CommonContactRegisterInformation
		c.CommonContactRegisterInformation = &k
	}
	return c
}

// PersonSearchResult is the answer of search/person (contract:
// PersonSearchResult).
type PersonSearchResult struct {
	Results []Person `json:"results"`
}

// SearchResult renders persons found by Search as the PersonSearchResult
// answer, each with the requested parts and history.
func SearchResult(persons []Person, parts []string, includeHistory bool) PersonSearchResult {
	out := PersonSearchResult{Results: make([]Person, 0, len(persons))}
	for _, p := range persons {
		out.Results = append(out.Results, p.Render(parts, includeHistory))
	}
	return out
}

// Event is one change in the register (contract: EventDocument). The
// contract carries the sequence number as a string; Sequence is the same
// number for ordering and paging.
type Event struct {
	Sequence       int64  `json:"-"`
	SequenceNumber string `json:"sequenceNumber"`
	PersonID       string `json:"personId"`
	EventType      string `json:"eventType"`
}

// EventDocumentSearchResult is the answer of the event feed (contract:
// EventDocumentSearchResult).
type EventDocumentSearchResult struct {
	Results []Event `json:"results"`
}

// EventSearchResult wraps events as the event feed's answer.
func EventSearchResult(events []Event) EventDocumentSearchResult {
	return EventDocumentSearchResult{Results: append(make([]Event, 0, len(events)), events...)}
}

// Event types produced by changes (contract: EventType).
const (
	EventChangeInName                          = "ChangeInName"
	EventChangeInResidentialAddress            = "ChangeInResidentialAddress"
	EventPersonIsDeceased                      = "PersonIsDeceased"
	EventPersonIsEmigrated                     = "PersonIsEmigrated"
	EventChangeInAddressProtection             = "ChangeInAddressProtection"
	EventChangeInNorwegianIdentificationNumber = "ChangeInNorwegianIdentificationNumber"
)
