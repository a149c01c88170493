// Package persontjeneste is the client for Norsk helsenett's Persontjenesten
// (person lookup over the National Population Register), the search rules the
// API enforces, and the mapping from a Person to a draft register.Client.
//
// The wire types cover the parts of the contract the app uses; json tags are
// the contract's property names, and unknown properties are ignored so that
// new fields on NHN's side never break decoding.
package persontjeneste

import (
	"strings"
	"time"
)

// DateTime is a date-time string as the API sends it. It stays a string on
// the wire so that an unexpected layout (for example a .NET timestamp without
// a zone) cannot make a whole person undecodable; Time and Date interpret it.
type DateTime string

// dateTimeLayouts are the layouts seen in the contract's examples and what
// .NET serialisers emit, most specific first.
var dateTimeLayouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02",
}

// Time parses the value; ok is false when it is empty or not a known layout.
func (d DateTime) Time() (t time.Time, ok bool) {
	s := strings.TrimSpace(string(d))
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Date returns the calendar date part as YYYY-MM-DD, or "" when there is none.
// Birth and death dates carry a time and zone that the contract says "are
// unknown and must be ignored", so the date is read from the text rather than
// converted between zones.
func (d DateTime) Date() string {
	s := strings.TrimSpace(string(d))
	if len(s) < 10 {
		return ""
	}
	date := s[:10]
	if _, err := time.Parse("2006-01-02", date); err != nil {
		return ""
	}
	return date
}

// Registration is FREG's bookkeeping carried by every register element.
// IsValid true marks the current value (FREG: ErGjeldende).
type Registration struct {
	RegisteredAt DateTime `json:"registeredAt,omitempty"`
	IsValid      *bool    `json:"isValid,omitempty"`
	Source       string   `json:"source,omitempty"`
	Reason       string   `json:"reason,omitempty"`
	ValidFrom    DateTime `json:"validFrom,omitempty"`
	ValidTo      DateTime `json:"validTo,omitempty"`
}

// Current reports whether the element is the register's current value.
func (r Registration) Current() bool { return r.IsValid != nil && *r.IsValid }

// Person is the API's person document, limited to the parts the app uses.
type Person struct {
	ID                               string                            `json:"id,omitempty"`
	SequenceNumber                   int64                             `json:"sequenceNumber,omitempty"`
	Name                             []PersonName                      `json:"name,omitempty"`
	NorwegianIdentificationNumber    []NorwegianIdentificationNumber   `json:"norwegianIdentificationNumber,omitempty"`
	Birth                            []Birth                           `json:"birth,omitempty"`
	Gender                           []PersonGender                    `json:"gender,omitempty"`
	Status                           []PersonStatus                    `json:"status,omitempty"`
	Death                            *Death                            `json:"death,omitempty"`
	AddressProtection                []AddressProtection               `json:"addressProtection,omitempty"`
	ResidentialAddress               []ResidentialAddress              `json:"residentialAddress,omitempty"`
	PostalAddress                    []ContactAddress                  `json:"postalAddress,omitempty"`
	ForeignPostalAddress             []ForeignContactAddress           `json:"foreignPostalAddress,omitempty"`
	PreferredContactAddress          []PreferredContactAddress         `json:"preferredContactAddress,omitempty"`
	EmigrationFromNorway             []EmigrationFromNorway            `json:"emigrationFromNorway,omitempty"`
	CommonContactRegisterInformation *CommonContactRegisterInformation `json:"commonContactRegisterInformation,omitempty"`
}

// HasNIN reports whether nin is one of the person's identification numbers,
// current or historic. Bulk answers leave out unknown numbers and are not in
// request order, so callers match persons to their input with this.
func (p Person) HasNIN(nin string) bool {
	for _, n := range p.NorwegianIdentificationNumber {
		if n.IdentificationNumber != "" && n.IdentificationNumber == nin {
			return true
		}
	}
	return false
}

// PersonName is one registered name (FREG: Folkeregisterpersonnavn).
type PersonName struct {
	Registration
	GivenName  string `json:"givenName,omitempty"`
	MiddleName string `json:"middleName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
	ShortName  string `json:"shortName,omitempty"`
}

// Identification number types (contract enum NorwegianIdentificationNumberType).
// Synthetic test numbers carry the same types as real ones.
const (
	NINTypeNationalIdentityNumber        = "NationalIdentityNumber"
	NINTypeDNumber                       = "DNumber"
	NINTypeAlternateIdentificationNumber = "AlternateIdentificationNumber"
)

// Identification number statuses (contract enum IdentificationStatus).
const (
	NINStatusInUse        = "InUse"
	NINStatusDiscontinued = "Discontinued"
)

// NorwegianIdentificationNumber is a fødselsnummer, D-number or alternate
// number (FREG: Folkeregisteridentifikator).
type NorwegianIdentificationNumber struct {
	Registration
	Status                   string `json:"status,omitempty"`
	IdentificationNumber     string `json:"identificationNumber,omitempty"`
	IdentificationNumberType string `json:"identificationNumberType,omitempty"`
}

// Birth is FREG: Foedsel. BirthDate's time and zone are meaningless.
type Birth struct {
	Registration
	BirthDate               DateTime `json:"birthDate,omitempty"`
	BirthYear               string   `json:"birthYear,omitempty"`
	BirthPlace              string   `json:"birthPlace,omitempty"`
	BirthMunicipalityNumber string   `json:"birthMunicipalityNumber,omitempty"`
	BirthCountry            string   `json:"birthCountry,omitempty"`
}

// Gender values (contract enum Gender).
const (
	GenderFemale = "Female"
	GenderMale   = "Male"
)

// PersonGender is FREG: Personkjoenn.
type PersonGender struct {
	Registration
	Gender string `json:"gender,omitempty"`
}

// Person status values (contract enum PersonStatusType).
const (
	StatusResident          = "Resident"
	StatusEmigrated         = "Emigrated"
	StatusDisappeared       = "Disappeared"
	StatusDeceased          = "Deceased"
	StatusDiscontinued      = "Discontinued"
	StatusRegisteredAtBirth = "RegisteredAtBirth"
	StatusTemporary         = "Temporary"
	StatusInactive          = "Inactive"
	StatusNotResident       = "NotResident"
	StatusActive            = "Active"
)

// PersonStatus is FREG: Folkeregisterpersonstatus.
type PersonStatus struct {
	Registration
	Status string `json:"status,omitempty"`
}

// Death is FREG: Doedsfall. DeceasedDate's time and zone are meaningless.
type Death struct {
	Registration
	DeceasedDate DateTime `json:"deceasedDate,omitempty"`
}

// Address confidentiality levels (contract enum AddressConfidentiality).
const (
	ConfidentialityUnclassified         = "Unclassified"
	ConfidentialityClientAddress        = "ClientAddress"
	ConfidentialityConfidential         = "Confidential"
	ConfidentialityStrictlyConfidential = "StrictlyConfidential"
)

// AddressProtection is the overall protection of a person's residential,
// present and shared-residence addresses (FREG: Adressebeskyttelse).
type AddressProtection struct {
	Registration
	ProtectionLevel string `json:"protectionLevel,omitempty"`
}

// City is a postal code with its post town (FREG: Poststed).
type City struct {
	CityName   string `json:"cityName,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
}

// StreetAddressNumber is a house number and letter (FREG: Adressenummer).
type StreetAddressNumber struct {
	HouseNumber string `json:"houseNumber,omitempty"`
	HouseLetter string `json:"houseLetter,omitempty"`
}

// StreetAddress is FREG: Vegadresse as used in residential addresses.
type StreetAddress struct {
	MunicipalityNumber           string               `json:"municipalityNumber,omitempty"`
	MunicipalityName             string               `json:"municipalityName,omitempty"`
	AddressName                  string               `json:"addressName,omitempty"`
	AddressNumber                *StreetAddressNumber `json:"addressNumber,omitempty"`
	AddressAdditionalName        string               `json:"addressAdditionalName,omitempty"`
	SeparatelyOccupiedUnitNumber string               `json:"separatelyOccupiedUnitNumber,omitempty"`
	City                         *City                `json:"city,omitempty"`
	CoAddressName                string               `json:"coAddressName,omitempty"`
}

// CadastralNumber identifies a property (FREG: Matrikkelnummer).
type CadastralNumber struct {
	MunicipalityNumber     string `json:"municipalityNumber,omitempty"`
	MunicipalityName       string `json:"municipalityName,omitempty"`
	MunicipalityLandNumber *int64 `json:"municipalityLandNumber,omitempty"`
	TitleNumber            *int64 `json:"titleNumber,omitempty"`
	LeaseholdNumber        *int64 `json:"leaseholdNumber,omitempty"`
}

// CadastralAddress is an address by property number where no street address
// exists yet (FREG: Matrikkeladresse).
type CadastralAddress struct {
	CadastralNumber       *CadastralNumber `json:"cadastralNumber,omitempty"`
	AddressAdditionalName string           `json:"addressAdditionalName,omitempty"`
	City                  *City            `json:"city,omitempty"`
	CoAddressName         string           `json:"coAddressName,omitempty"`
}

// UnknownResidence marks a person whose residence is unknown (FREG: UkjentBosted).
type UnknownResidence struct {
	MunicipalityNumber string `json:"municipalityNumber,omitempty"`
	MunicipalityName   string `json:"municipalityName,omitempty"`
}

// ResidentialAddress is where the person is registered to live (FREG:
// Bostedsadresse); only one of its three address kinds is set.
type ResidentialAddress struct {
	Registration
	StreetAddress          *StreetAddress    `json:"streetAddress,omitempty"`
	CadastralAddress       *CadastralAddress `json:"cadastralAddress,omitempty"`
	UnknownResidence       *UnknownResidence `json:"unknownResidence,omitempty"`
	AddressConfidentiality string            `json:"addressConfidentiality,omitempty"`
	MoveDate               DateTime          `json:"moveDate,omitempty"`
}

// StreetAddressForPost is a street address used for post (FREG: VegadresseForPost).
type StreetAddressForPost struct {
	CoAddressName         string               `json:"coAddressName,omitempty"`
	AddressName           string               `json:"addressName,omitempty"`
	StreetAddressNumber   *StreetAddressNumber `json:"streetAddressNumber,omitempty"`
	City                  *City                `json:"city,omitempty"`
	AddressAdditionalName string               `json:"addressAdditionalName,omitempty"`
}

// PostBoxAddress is FREG: Postboksadresse.
type PostBoxAddress struct {
	PostBoxOwner          string `json:"postBoxOwner,omitempty"`
	PostBoxIdentification string `json:"postBoxIdentification,omitempty"`
	City                  *City  `json:"city,omitempty"`
}

// FreeFormPostalAddress is FREG: PostadresseIFrittFormat.
type FreeFormPostalAddress struct {
	AddressLine []string `json:"addressLine,omitempty"`
	City        *City    `json:"city,omitempty"`
}

// ContactAddress is a Norwegian postal address (FREG: Postadresse /
// Kontaktadresse); only one of its address kinds is set.
type ContactAddress struct {
	Registration
	AddressConfidentiality string                 `json:"addressConfidentiality,omitempty"`
	PostBoxAddress         *PostBoxAddress        `json:"postBoxAddress,omitempty"`
	StreetAddress          *StreetAddressForPost  `json:"streetAddress,omitempty"`
	FreeFormPostalAddress  *FreeFormPostalAddress `json:"freeFormPostalAddress,omitempty"`
}

// InternationalAddress is a structured foreign address (FREG: InternasjonalAdresse).
type InternationalAddress struct {
	CoAddressName   string `json:"coAddressName,omitempty"`
	AddressName     string `json:"addressName,omitempty"`
	PostBox         string `json:"postBox,omitempty"`
	PostCode        string `json:"postCode,omitempty"`
	CityOrPlaceName string `json:"cityOrPlaceName,omitempty"`
	Region          string `json:"region,omitempty"`
	CountryCode     string `json:"countryCode,omitempty"`
}

// FreeFormInternationalAddress is a free-form foreign address.
type FreeFormInternationalAddress struct {
	AddressLine     []string `json:"addressLine,omitempty"`
	PostCode        string   `json:"postCode,omitempty"`
	CityOrPlaceName string   `json:"cityOrPlaceName,omitempty"`
	CountryCode     string   `json:"countryCode,omitempty"`
}

// ForeignContactAddress is a postal address abroad (FREG: PostadresseIUtlandet).
type ForeignContactAddress struct {
	Registration
	AddressConfidentiality string                        `json:"addressConfidentiality,omitempty"`
	ForeignAddress         *InternationalAddress         `json:"foreignAddress,omitempty"`
	FreeFormForeignAddress *FreeFormInternationalAddress `json:"freeFormForeignAddress,omitempty"`
}

// FreeformAddress is a list of address lines with a country code.
type FreeformAddress struct {
	AddressLine []string `json:"addressLine,omitempty"`
	CountryCode string   `json:"countryCode,omitempty"`
}

// PreferredContactAddress is deprecated in the contract (removed with API v1)
// but still delivered; it is a fallback when no postal address is present.
type PreferredContactAddress struct {
	Registration
	AddressType            string           `json:"addressType,omitempty"`
	AddressConfidentiality string           `json:"addressConfidentiality,omitempty"`
	FreeformContactAddress *FreeformAddress `json:"freeformContactAddress,omitempty"`
}

// EmigrationFromNorway is FREG: UtflyttingFraNorge.
type EmigrationFromNorway struct {
	Registration
	EmigratedToCountry string   `json:"emigratedToCountry,omitempty"`
	EmigratedToCity    string   `json:"emigratedToCity,omitempty"`
	EmigratedMoveDate  DateTime `json:"emigratedMoveDate,omitempty"`
}

// KRR (Contact and Reservation Register) status values (contract enum Status).
const (
	KRRStatusActive        = "Active"
	KRRStatusDeleted       = "Deleted"
	KRRStatusNotRegistered = "NotRegistered"
)

// ContactInformationResource is a person's own email and mobile number in KRR.
type ContactInformationResource struct {
	Email                   string   `json:"email,omitempty"`
	EmailLastUpdated        DateTime `json:"emailLastUpdated,omitempty"`
	EmailLastVerified       DateTime `json:"emailLastVerified,omitempty"`
	PhoneNumber             string   `json:"phoneNumber,omitempty"`
	PhoneNumberLastUpdated  DateTime `json:"phoneNumberLastUpdated,omitempty"`
	PhoneNumberLastVerified DateTime `json:"phoneNumberLastVerified,omitempty"`
}

// CommonContactRegisterInformation is the person's KRR entry.
type CommonContactRegisterInformation struct {
	Reservation        string                      `json:"reservation,omitempty"`
	Status             string                      `json:"status,omitempty"`
	NotificationStatus string                      `json:"notificationStatus,omitempty"`
	ContactInformation *ContactInformationResource `json:"contactInformation,omitempty"`
	Language           string                      `json:"language,omitempty"`
}

// PersonSearchResult is the answer of search/person (at most 100 persons).
type PersonSearchResult struct {
	Results []Person `json:"results"`
}

// EventDocument is one change event. SequenceNumber is a string in the
// contract; Sequence parses it.
type EventDocument struct {
	SequenceNumber string `json:"sequenceNumber,omitempty"`
	PersonID       string `json:"personId,omitempty"`
	EventType      string `json:"eventType,omitempty"`
}

// EventDocumentSearchResult is the answer of the event list (at most 1000).
type EventDocumentSearchResult struct {
	Results []EventDocument `json:"results"`
}

// ProblemDetails is the RFC 9457 error body the API answers with.
type ProblemDetails struct {
	Type     string `json:"type,omitempty"`
	Title    string `json:"title,omitempty"`
	Status   *int   `json:"status,omitempty"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
}
