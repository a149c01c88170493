package lookup_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"resepsjon/activation/activationtest"
	"resepsjon/lookup"
	"resepsjon/nin"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
	"resepsjon/store"
)

// personVersion is one state of a person in the population register, with
// a value for every client field the register supplies.
type personVersion struct {
	given, middle, family, nin, birth, gender, status, death, protection string
	street, houseNumber, houseLetter, postalCode, city, municipality     string
	postStreet, postNumber, postCode, postCity                           string
	phone, email                                                         string
}

// want is the version as a client holds it, by field name. A field the
// table gains and this test does not know is a failure: wire it here,
// in writeTo, and in the mapping, the merge and the store.
func (v personVersion) want(t *testing.T) map[string]string {
	t.Helper()
	n, err := nin.Parse(v.nin)
	if err != nil {
		t.Fatalf("test number %s: %v", v.nin, err)
	}
	w := map[string]string{
		"givenName": v.given, "middleName": v.middle, "familyName": v.family,
		"nin": v.nin, "ninType": n.Type(), "birthDate": v.birth, "gender": v.gender,
		"status": v.status, "deathDate": v.death, "addressProtection": v.protection,
		"streetAddress": v.street + " " + v.houseNumber + " " + v.houseLetter,
		"postalCode":    v.postalCode, "city": v.city, "municipalityNumber": v.municipality,
		"postalAddress": v.postStreet + " " + v.postNumber + ", " + v.postCode + " " + v.postCity,
		"phone":         v.phone, "email": v.email,
	}
	for _, f := range persontjeneste.Fields {
		if _, ok := w[f.Name]; !ok {
			t.Fatalf("the field table has %s, which this test does not set in the mock: add it to personVersion, want and writeTo", f.Name)
		}
	}
	if len(w) != len(persontjeneste.Fields) {
		t.Fatalf("the test sets %d fields, the field table has %d", len(w), len(persontjeneste.Fields))
	}
	return w
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// writeTo puts v into the mock's record in NHN's wire format: one current
// entry per part, the identity numbers in use before kept as history.
func (v personVersion) writeTo(t *testing.T, p *population.Person) {
	t.Helper()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	meta := population.Meta{RegisteredAt: at, IsValid: true, Source: "Skatteetaten", ValidFrom: at}
	current := ""
	for k, n := range p.NorwegianIdentificationNumber {
		if n.IsValid {
			current = n.IdentificationNumber
			if n.IdentificationNumber != v.nin {
				p.NorwegianIdentificationNumber[k].IsValid, p.NorwegianIdentificationNumber[k].Status = false, "Discontinued"
			}
		}
	}
	if current != v.nin {
		typ := "NationalIdentityNumber"
		if n, _ := nin.Parse(v.nin); n.Kind == nin.KindD {
			typ = "DNumber"
		}
		p.NorwegianIdentificationNumber = append(p.NorwegianIdentificationNumber,
			population.IdentificationNumber{Meta: meta, Status: "InUse", IdentificationNumber: v.nin, IdentificationNumberType: typ})
	}
	p.Name = []population.Name{{Meta: meta, GivenName: v.given, MiddleName: v.middle, FamilyName: v.family}}
	p.Birth = []population.Birth{{Meta: meta, BirthDate: date(t, v.birth)}}
	p.Gender = []population.Gender{{Meta: meta, Gender: v.gender}}
	p.Status = []population.Status{{Meta: meta, Status: v.status}}
	p.Death = nil
	if v.death != "" {
		p.Death = &population.Death{Meta: meta, DeceasedDate: date(t, v.death)}
	}
	p.AddressProtection = nil
	if v.protection != register.AddressProtectionNone {
		p.AddressProtection = []population.AddressProtection{{Meta: meta, ProtectionLevel: v.protection}}
	}
	p.ResidentialAddress = []population.ResidentialAddress{{Meta: meta, StreetAddress: population.StreetAddress{
		MunicipalityNumber: v.municipality, AddressName: v.street,
		AddressNumber: population.AddressNumber{HouseNumber: v.houseNumber, HouseLetter: v.houseLetter},
		City:          population.City{CityName: v.city, PostalCode: v.postalCode}}}}
	p.PostalAddress = []population.PostalAddress{{Meta: meta, StreetAddress: population.PostalStreetAddress{
		AddressName: v.postStreet, StreetAddressNumber: population.AddressNumber{HouseNumber: v.postNumber},
		City: population.City{CityName: v.postCity, PostalCode: v.postCode}}}}
	p.PreferredContactAddress = nil
	p.CommonContactRegisterInformation = &population.ContactRegister{Reservation: "No", Status: "Active",
		NotificationStatus: "CanBeNotified", Language: "nb",
		ContactInformation: population.ContactInformation{PhoneNumber: v.phone, Email: v.email}}
}

// TestEveryFieldThroughLookupSaveAndUpdate gives one person in the NHN mock
// a value in every client field of the field table, looks the person up,
// saves the draft in a real SQLite file, then changes every field in the
// mock and runs "Oppdater via Persontjenesten" and saves again. Each field
// must arrive intact at each step, so a field added to the table (or the
// client) without its mapping, merge rule or column fails here.
func TestEveryFieldThroughLookupSaveAndUpdate(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "resepsjon.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p := activationtest.New(t, db, activationtest.Options{}) // the default parts are every part the client holds
	s, err := lookup.New(lookup.Config{Connection: p.Conn, Clients: db, Audit: db})
	if err != nil {
		t.Fatal(err)
	}

	// The person starts with a D-number and gets a fødselsnummer with
	// another birth date in the change, so every field changes.
	dnr := p.Pop.EdgeCases()[population.EdgeDNumber]
	d, err := nin.Parse(dnr)
	if err != nil {
		t.Fatal(err)
	}
	var fnr string
	for individual := 457; fnr == ""; individual += 2 { // odd: a man's number
		fnr, err = nin.Generate(time.Date(1979, 5, 17, 0, 0, 0, 0, time.UTC), individual, nin.KindNational, true)
		if err != nil && individual > 499 {
			t.Fatal(err)
		}
	}
	before := personVersion{given: "Åse Marit", middle: "Prøvesen", family: "Feltland", nin: dnr,
		birth: d.BirthDate.Format(time.DateOnly), gender: register.GenderFemale, status: "Deceased", death: "2025-03-14",
		protection: register.AddressProtectionConfidential,
		street:     "Fiktivgata", houseNumber: "7", houseLetter: "A", postalCode: "0184", city: "OSLO", municipality: "0301",
		postStreet: "Postveien", postNumber: "3", postCode: "0150", postCity: "OSLO",
		phone: "+47 912 34 567", email: "ase@example.no"}
	after := personVersion{given: "Kari", middle: "Endra", family: "Nyland", nin: fnr,
		birth: "1979-05-17", gender: register.GenderMale, status: "Resident", death: "",
		protection: register.AddressProtectionNone,
		street:     "Prøvestien", houseNumber: "15", houseLetter: "C", postalCode: "5015", city: "BERGEN", municipality: "4601",
		postStreet: "Brevveien", postNumber: "9", postCode: "5003", postCity: "BERGEN",
		phone: "+47 400 00 001", email: "kari@example.no"}
	wantBefore, wantAfter := before.want(t), after.want(t)
	for _, f := range persontjeneste.Fields {
		if wantBefore[f.Name] == "" {
			t.Errorf("%s: the first version leaves it empty; set it", f.Name)
		}
		if wantBefore[f.Name] == wantAfter[f.Name] {
			t.Errorf("%s: the change leaves it as %q; change it", f.Name, wantAfter[f.Name])
		}
	}
	check := func(step string, c register.Client, want map[string]string) {
		t.Helper()
		for _, f := range persontjeneste.Fields {
			if got := f.Get(&c); got != want[f.Name] {
				t.Errorf("%s: %s is %q, want %q", step, f.Name, got, want[f.Name])
			}
		}
	}

	if _, err := p.Pop.Edit(dnr, population.EventChangeInName, func(pp *population.Person) { before.writeTo(t, pp) }); err != nil {
		t.Fatal(err)
	}
	draft, err := s.Lookup(ctx, "", dnr)
	if err != nil {
		t.Fatal(err)
	}
	check("lookup → draft", draft.Client, wantBefore)
	c := draft.Client
	if err := register.Validate(&c); err != nil {
		t.Fatalf("the draft does not validate: %v", err)
	}
	check("draft validated", c, wantBefore)
	saved, err := db.CreateClient(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.GetClient(ctx, saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("saved and read back", stored, wantBefore)

	ev, err := p.Pop.Edit(dnr, population.EventChangeInName, func(pp *population.Person) { after.writeTo(t, pp) })
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Update(ctx, stored.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("update → draft", r.Client, wantAfter)
	var changed []string
	for _, ch := range r.Changes {
		changed = append(changed, ch.Field.Name)
		if ch.Old != wantBefore[ch.Field.Name] || ch.New != wantAfter[ch.Field.Name] {
			t.Errorf("change %s: %q → %q, want %q → %q", ch.Field.Name, ch.Old, ch.New, wantBefore[ch.Field.Name], wantAfter[ch.Field.Name])
		}
	}
	for _, f := range persontjeneste.Fields {
		if !slices.Contains(changed, f.Name) {
			t.Errorf("update: %s is not among the changes %v", f.Name, changed)
		}
	}
	if r.Client.SequenceNumber == nil || *r.Client.SequenceNumber != ev.Sequence || r.Client.PersonID != stored.PersonID {
		t.Errorf("update: provenance %v %q, want sequence %d and person %q", r.Client.SequenceNumber, r.Client.PersonID, ev.Sequence, stored.PersonID)
	}
	u := r.Client
	if err := register.Validate(&u); err != nil {
		t.Fatalf("the updated client does not validate: %v", err)
	}
	if _, err := db.UpdateClient(ctx, u); err != nil {
		t.Fatal(err)
	}
	stored, err = db.GetClient(ctx, saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("updated and read back", stored, wantAfter)
}

// TestFieldTableCoversTheClient: every text field of a client is either in
// the field table (the population register supplies it) or named here as
// the practice's own or provenance, so a new client field is a decision.
func TestFieldTableCoversTheClient(t *testing.T) {
	notFromRegister := []string{"notes", "personId"}
	ct := reflect.TypeFor[register.Client]()
	for i := range ct.NumField() {
		f := ct.Field(i)
		if f.Type.Kind() != reflect.String {
			continue
		}
		name := f.Tag.Get("json")
		inTable := slices.ContainsFunc(persontjeneste.Fields, func(pf persontjeneste.Field) bool { return pf.Name == name })
		if inTable == slices.Contains(notFromRegister, name) {
			t.Errorf("client field %s: in the field table %v, listed as not from the register %v", name, inTable, !inTable)
		}
	}
}
