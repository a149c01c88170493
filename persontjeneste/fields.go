package persontjeneste

import "resepsjon/register"

// ChangeKind is what a change of a client field means in the report of
// "Oppdater alle": the groups the practice reads.
type ChangeKind string

// Report groups; KindNone is a field whose change is not grouped.
const (
	KindNone      ChangeKind = ""
	KindMoved     ChangeKind = "moved"
	KindRenamed   ChangeKind = "renamed"
	KindDeceased  ChangeKind = "deceased"
	KindNewNumber ChangeKind = "new_number"
	KindProtected ChangeKind = "protected"
)

// Field is one client field that the population register supplies: the one
// table that mapping, the diff, the merge rules and the update-all report
// read. A new register field is one row here (and its column in the store).
type Field struct {
	// Name is the field's JSON name, as in the API and in a change.
	Name string
	// Parts are the information parts that carry the field; when none of
	// them was fetched, the client's own value is kept.
	Parts []InformationPart
	// From is the field's value in a person from Persontjenesten (ToClient
	// reads it); Get and Set reach the field in a client.
	From func(Person) string
	Get  func(*register.Client) string
	Set  func(*register.Client, string)
	// Address fields are removed for a strictly confidential address,
	// fetched or not.
	Address bool
	// KeepWhenBlank: a blank from the register never erases the client's
	// value (contact details that many persons have not registered).
	KeepWhenBlank bool
	// Fetched reaches the client's base of a KeepWhenBlank field: the
	// register's value at the last saved fetch (register.Client's
	// FetchedPhone, FetchedEmail).
	Fetched func(*register.Client) **string
	// Same, when set, compares two values of the field by meaning rather
	// than by text (a phone number written with or without groups).
	Same func(a, b string) bool
	// Unset is the value a kept field takes when the client has none.
	Unset string
	// Kind groups a change in the report; ReportIf, when set, says which
	// new values count (a death date that is set, not one removed).
	Kind     ChangeKind
	ReportIf func(new string) bool
}

func notEmpty(v string) bool { return v != "" }

// Fields lists the client fields the population register supplies, in the
// order changes are shown.
var Fields = []Field{
	{Name: "givenName", From: func(p Person) string { return currentName(p).GivenName },
		Parts: []InformationPart{PartName}, Kind: KindRenamed,
		Get: func(c *register.Client) string { return c.GivenName }, Set: func(c *register.Client, v string) { c.GivenName = v }},
	{Name: "middleName", From: func(p Person) string { return currentName(p).MiddleName },
		Parts: []InformationPart{PartName}, Kind: KindRenamed,
		Get: func(c *register.Client) string { return c.MiddleName }, Set: func(c *register.Client, v string) { c.MiddleName = v }},
	{Name: "familyName", From: func(p Person) string { return currentName(p).FamilyName },
		Parts: []InformationPart{PartName}, Kind: KindRenamed,
		Get: func(c *register.Client) string { return c.FamilyName }, Set: func(c *register.Client, v string) { c.FamilyName = v }},
	{Name: "nin", From: func(p Person) string { n, _ := clientNIN(p); return n },
		Parts: []InformationPart{PartNorwegianIdentificationNumber}, Kind: KindNewNumber,
		Get: func(c *register.Client) string { return c.NIN }, Set: func(c *register.Client, v string) { c.NIN = v }},
	{Name: "ninType", From: func(p Person) string { _, t := clientNIN(p); return t },
		Parts: []InformationPart{PartNorwegianIdentificationNumber},
		Get:   func(c *register.Client) string { return c.NINType }, Set: func(c *register.Client, v string) { c.NINType = v }},
	{Name: "birthDate", From: birthDateOf,
		Parts: []InformationPart{PartBirth},
		Get:   func(c *register.Client) string { return c.BirthDate }, Set: func(c *register.Client, v string) { c.BirthDate = v }},
	{Name: "gender", From: genderOf,
		Parts: []InformationPart{PartGender},
		Get:   func(c *register.Client) string { return c.Gender }, Set: func(c *register.Client, v string) { c.Gender = v }},
	{Name: "status", From: statusOf,
		Parts: []InformationPart{PartStatus}, Kind: KindDeceased,
		ReportIf: func(v string) bool { return v == StatusDeceased },
		Get:      func(c *register.Client) string { return c.Status }, Set: func(c *register.Client, v string) { c.Status = v }},
	{Name: "deathDate", From: deathDateOf,
		Parts: []InformationPart{PartDeath}, Kind: KindDeceased, ReportIf: notEmpty,
		Get: func(c *register.Client) string { return c.DeathDate }, Set: func(c *register.Client, v string) { c.DeathDate = v }},
	{Name: "addressProtection", From: func(p Person) string { return addressOf(p).AddressProtection },
		Parts: []InformationPart{PartAddressProtection}, Address: true,
		Unset: register.AddressProtectionNone, Kind: KindProtected,
		ReportIf: func(v string) bool { return v != "" && v != register.AddressProtectionNone },
		Get:      func(c *register.Client) string { return c.AddressProtection },
		Set:      func(c *register.Client, v string) { c.AddressProtection = v }},
	{Name: "streetAddress", From: func(p Person) string { return addressOf(p).StreetAddress },
		Parts: []InformationPart{PartResidentialAddress}, Address: true, Kind: KindMoved,
		Get: func(c *register.Client) string { return c.StreetAddress }, Set: func(c *register.Client, v string) { c.StreetAddress = v }},
	{Name: "postalCode", From: func(p Person) string { return addressOf(p).PostalCode },
		Parts: []InformationPart{PartResidentialAddress}, Address: true, Kind: KindMoved,
		Get: func(c *register.Client) string { return c.PostalCode }, Set: func(c *register.Client, v string) { c.PostalCode = v }},
	{Name: "city", From: func(p Person) string { return addressOf(p).City },
		Parts: []InformationPart{PartResidentialAddress}, Address: true, Kind: KindMoved,
		Get: func(c *register.Client) string { return c.City }, Set: func(c *register.Client, v string) { c.City = v }},
	{Name: "municipalityNumber", From: func(p Person) string { return addressOf(p).MunicipalityNumber },
		Parts: []InformationPart{PartResidentialAddress}, Address: true, Kind: KindMoved,
		Get: func(c *register.Client) string { return c.MunicipalityNumber }, Set: func(c *register.Client, v string) { c.MunicipalityNumber = v }},
	{Name: "postalAddress", From: func(p Person) string { return addressOf(p).PostalAddress },
		Parts: []InformationPart{PartPostalAddress, PartPreferredContactAddress}, Address: true, Kind: KindMoved,
		Get: func(c *register.Client) string { return c.PostalAddress }, Set: func(c *register.Client, v string) { c.PostalAddress = v }},
	{Name: "phone", From: func(p Person) string { return contactOf(p).PhoneNumber },
		Parts: []InformationPart{PartCommonContactRegisterInformation}, KeepWhenBlank: true, Same: register.SamePhone,
		Get: func(c *register.Client) string { return c.Phone }, Set: func(c *register.Client, v string) { c.Phone = v },
		Fetched: func(c *register.Client) **string { return &c.FetchedPhone }},
	{Name: "email", From: func(p Person) string { return contactOf(p).Email },
		Parts: []InformationPart{PartCommonContactRegisterInformation}, KeepWhenBlank: true,
		Get: func(c *register.Client) string { return c.Email }, Set: func(c *register.Client, v string) { c.Email = v },
		Fetched: func(c *register.Client) **string { return &c.FetchedEmail }},
}
