package persontjeneste

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"resepsjon/register"
)

var mappingNow = time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)

func decodePerson(t testing.TB, js string) Person {
	t.Helper()
	var p Person
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return p
}

func int64p(v int64) *int64 { return &v }

// TestToClient maps each Person fixture to the draft the register gets:
// current values only, protected addresses handled, a changed number
// followed, KRR contact taken over.
func TestToClient(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		want    register.Client
		badges  []string
	}{
		{"ordinary", fixtureOrdinary, register.Client{
			NIN: "05898540032", NINType: register.NINTypeSynthetic,
			GivenName: "Åse", MiddleName: "Lien", FamilyName: "Prøvesen", BirthDate: "1985-09-05", Gender: register.GenderFemale,
			Status: StatusResident, AddressProtection: register.AddressProtectionNone,
			StreetAddress: "Fiktivveien 12 B", PostalCode: "0150", City: "OSLO", MunicipalityNumber: "0301",
			// The postal address is the residential one: not repeated.
			PersonID: "b9dc63e3c1e325f7bee6d09801e19dfa8efccdf57ec9b4cc892cde7848847203", SequenceNumber: int64p(1200345),
		}, []string{}},
		{"strictly confidential: no address at all, KRR kept", fixtureStrictlyConfidential, register.Client{
			NIN: "14837230080", NINType: register.NINTypeSynthetic,
			GivenName: "Tor", FamilyName: "Skjultvik", BirthDate: "1972-03-14", Gender: register.GenderMale,
			Status: StatusResident, AddressProtection: register.AddressProtectionStrictlyConfidential,
			Phone: "+4799000002", Email: "tor.skjultvik@example.org",
			PersonID: "b5c421846594eee786cf5c5524d323f69fd40678b5c25a5191a6d0a22bf12d77", SequenceNumber: int64p(1200346),
		}, []string{BadgeAddressProtected}},
		{"confidential: address kept and flagged", fixtureConfidential, register.Client{
			NIN: "23919020032", NINType: register.NINTypeSynthetic,
			GivenName: "Mette", FamilyName: "Dekkmann", BirthDate: "1990-11-23", Gender: register.GenderFemale,
			Status: StatusResident, AddressProtection: register.AddressProtectionConfidential,
			StreetAddress: "Tenkt gate 7", PostalCode: "7030", City: "TRONDHEIM", MunicipalityNumber: "5001",
			PersonID: "3491e791ebb2957da34dc69616dc865f2ff4ed9ba2d5e2c620d73007cb29167d", SequenceNumber: int64p(1200347),
		}, []string{BadgeAddressProtected}},
		{"deceased, cadastral address", fixtureDeceased, register.Client{
			NIN: "02864810007", NINType: register.NINTypeSynthetic,
			GivenName: "Harald", FamilyName: "Oppdiktsen", BirthDate: "1948-06-02", Gender: register.GenderMale,
			Status: StatusDeceased, DeathDate: "2023-04-11", AddressProtection: register.AddressProtectionNone,
			StreetAddress: "gnr. 12 bnr. 3", PostalCode: "1384", City: "ASKER", MunicipalityNumber: "3203",
			PersonID: "b32b2a975b7edd98ca3d1f317bcd3fb6ca91ba7a2ded022de07dffd5bf463611", SequenceNumber: int64p(1200348),
		}, []string{BadgeDeceased}},
		{"D-number replaced by a fødselsnummer", fixtureDNumberToFnr, register.Client{
			NIN: "08877910017", NINType: register.NINTypeSynthetic,
			GivenName: "Jonas", FamilyName: "Flyttberg", BirthDate: "1979-07-08", Gender: register.GenderMale,
			Status: StatusResident, AddressProtection: register.AddressProtectionNone,
			StreetAddress: "Nyveien 22", PostalCode: "4014", City: "STAVANGER", MunicipalityNumber: "1103",
			PersonID: "8e3204c913e8ec9552df7f5badedfc5ac2d1d78052679bbd68f8d94612713d3e", SequenceNumber: int64p(1200349),
		}, []string{}},
		{"name history: the current name", fixtureNameHistory, register.Client{
			NIN: "17810150025", NINType: register.NINTypeSynthetic,
			GivenName: "Ingrid", FamilyName: "Nyholm-Lie", BirthDate: "2001-01-17", Gender: register.GenderFemale,
			Status: StatusResident, AddressProtection: register.AddressProtectionNone,
			PersonID: "1f151ac1fb65e0fa09f6bdccc1199eacbb53e60b117ee273500c2c7149587f0a", SequenceNumber: int64p(1200350),
		}, []string{}},
		{"KRR contact", fixtureKRR, register.Client{
			NIN: "30926615021", NINType: register.NINTypeSynthetic,
			GivenName: "Per", FamilyName: "Kontaktsen", BirthDate: "1966-12-30", Gender: register.GenderMale,
			Status: StatusResident, AddressProtection: register.AddressProtectionNone,
			Phone: "+4799000001", Email: "per.kontaktsen@example.org",
			PersonID: "48c09cf48de997ba01626ab2728aa9c821a41d2e4a6cc66e3126a4a716b53b46", SequenceNumber: int64p(1200351),
		}, []string{}},
		{"separate postal address, current one", fixtureSeparatePostal, register.Client{
			NIN: "09849525260", NINType: register.NINTypeSynthetic,
			GivenName: "Lise", FamilyName: "Postholm", BirthDate: "1995-04-09", Gender: register.GenderFemale,
			Status: StatusResident, AddressProtection: register.AddressProtectionNone,
			StreetAddress: "Diktergata 4", PostalCode: "0460", City: "OSLO", MunicipalityNumber: "0301",
			PostalAddress: "Postboks 1234 Sentrum, 0106 OSLO",
			PersonID:      "e6ee8b8e804ade956ae93bde288b52364eb63511270710d32c528dbe0a5315bf", SequenceNumber: int64p(1200352),
		}, []string{}},
		{"emigrated: foreign postal address", fixtureEmigrated, register.Client{
			NIN: "09849525341", NINType: register.NINTypeSynthetic,
			GivenName: "Eirik", FamilyName: "Utvandrer", BirthDate: "1995-04-09", Gender: register.GenderMale,
			Status: StatusEmigrated, AddressProtection: register.AddressProtectionNone,
			PostalAddress: "Calle Ficticia 5, 29620 Torremolinos, ES",
			PersonID:      "c3a4aff54dcb0f88e78d9b0dece9a124b2061937d39858c494d01819eb81708a", SequenceNumber: int64p(1200353),
		}, []string{BadgeEmigrated}},
		{"D-number, no gender", fixtureDNumberCurrent, register.Client{
			NIN: "61828830081", NINType: register.NINTypeSyntheticD,
			GivenName: "Marek", FamilyName: "Gjestarbeider", BirthDate: "1988-02-21", Gender: register.GenderUnknown,
			Status: StatusTemporary, AddressProtection: register.AddressProtectionNone,
			PostalAddress: "c/o Fiktivt Bemanning AS, Lagerveien 9, 3015 DRAMMEN",
			PersonID:      "60744f55a8d09d6bb7b044141df471eceebc134d4ab01b67f6ba57e48c1e6ecc", SequenceNumber: int64p(1200354),
		}, []string{BadgeDNumber}},
	}
	if len(tests) != len(personFixtures()) {
		t.Fatalf("%d cases for %d fixtures", len(tests), len(personFixtures()))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := decodePerson(t, tt.fixture)
			got := ToClient(p, mappingNow)
			if got.FetchedAt == nil || !got.FetchedAt.Equal(mappingNow) {
				t.Errorf("FetchedAt = %v, want %v", got.FetchedAt, mappingNow)
			}
			want := tt.want
			want.FetchedAt = got.FetchedAt
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if string(gj) != string(wj) {
				t.Errorf("ToClient =\n%s\nwant\n%s", gj, wj)
			}
			if b := Badges(p); !slices.Equal(b, tt.badges) {
				t.Errorf("Badges = %v, want %v", b, tt.badges)
			}
		})
	}
}

// TestToClientEdgeRules covers the mapping rules the fixtures do not: of two
// current values the newest wins, a D-number still marked current beside the
// new fødselsnummer loses, and a deleted KRR entry gives no contact data.
func TestToClientEdgeRules(t *testing.T) {
	tests := []struct {
		name  string
		js    string
		check func(register.Client) bool
	}{
		{"newest of two current names", `{"id":"x","name":[
			{"isValid":true,"validFrom":"2020-01-01T00:00:00Z","givenName":"Ny","familyName":"Navn"},
			{"isValid":true,"validFrom":"2010-01-01T00:00:00Z","givenName":"Gammel","familyName":"Navn"}]}`,
			func(c register.Client) bool { return c.GivenName == "Ny" }},
		{"fødselsnummer beats a D-number still current", `{"id":"x","norwegianIdentificationNumber":[
			{"isValid":true,"status":"InUse","identificationNumber":"48877910000","identificationNumberType":"DNumber","validFrom":"2022-01-01T00:00:00Z"},
			{"isValid":true,"status":"InUse","identificationNumber":"08877910017","identificationNumberType":"NationalIdentityNumber","validFrom":"2021-06-30T00:00:00Z"}]}`,
			func(c register.Client) bool { return c.NIN == "08877910017" }},
		{"discontinued number loses", `{"id":"x","norwegianIdentificationNumber":[
			{"isValid":true,"status":"Discontinued","identificationNumber":"08877910017","identificationNumberType":"NationalIdentityNumber"},
			{"isValid":true,"status":"InUse","identificationNumber":"48877910000","identificationNumberType":"DNumber"}]}`,
			func(c register.Client) bool { return c.NIN == "48877910000" && c.NINType == register.NINTypeSyntheticD }},
		{"historic values only", `{"id":"x","name":[{"isValid":false,"givenName":"Gammel","familyName":"Navn"}],
			"death":{"isValid":false,"deceasedDate":"2020-01-01"}}`,
			func(c register.Client) bool {
				return c.GivenName == "" && c.DeathDate == "" && c.Gender == register.GenderUnknown
			}},
		{"deleted KRR entry", `{"id":"x","commonContactRegisterInformation":{"status":"Deleted",
			"contactInformation":{"email":"a@example.org","phoneNumber":"+4799000003"}}}`,
			func(c register.Client) bool { return c.Email == "" && c.Phone == "" }},
		{"strictly confidential residential grading alone hides the postal address", `{"id":"x",
			"residentialAddress":[{"isValid":true,"addressConfidentiality":"StrictlyConfidential",
				"streetAddress":{"addressName":"Skjultveien","city":{"postalCode":"0150","cityName":"OSLO"}}}],
			"postalAddress":[{"isValid":true,"postBoxAddress":{"postBoxIdentification":"Postboks 1","city":{"postalCode":"0101","cityName":"OSLO"}}}]}`,
			func(c register.Client) bool {
				return c.AddressProtection == register.AddressProtectionStrictlyConfidential &&
					c.StreetAddress == "" && c.PostalCode == "" && c.City == "" && c.PostalAddress == ""
			}},
		{"empty person", `{}`, func(c register.Client) bool {
			return c.NIN == "" && c.Gender == register.GenderUnknown && c.SequenceNumber == nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ToClient(decodePerson(t, tt.js), mappingNow)
			if !tt.check(c) {
				j, _ := json.Marshal(c)
				t.Errorf("draft %s", j)
			}
		})
	}
}

// TestFieldTableDrivesMapping: every row of the field table maps, reads and
// writes its own client field, and ToClient goes through the table: a value
// set through a row's Set is what its Get reads. (That Diff goes through it
// too is lookup's TestFieldTable.)
func TestFieldTableDrivesMapping(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Fields {
		if f.From == nil || f.Get == nil || f.Set == nil {
			t.Fatalf("%s: From, Get and Set are all needed", f.Name)
		}
		if seen[f.Name] {
			t.Fatalf("%s twice in the table", f.Name)
		}
		seen[f.Name] = true
		var c register.Client
		f.Set(&c, "x-"+f.Name)
		if got := f.Get(&c); got != "x-"+f.Name {
			t.Errorf("%s: Set then Get gives %q", f.Name, got)
		}
		// No other row sees the value.
		for _, g := range Fields {
			if g.Name != f.Name && g.Get(&c) == "x-"+f.Name {
				t.Errorf("%s and %s share a client field", f.Name, g.Name)
			}
		}
	}
	// ToClient fills each field with the row's From.
	p := Person{ID: "p1"}
	c := ToClient(p, time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC))
	for _, f := range Fields {
		if got, want := f.Get(&c), f.From(p); got != want {
			t.Errorf("%s: ToClient %q, From %q", f.Name, got, want)
		}
	}
}
