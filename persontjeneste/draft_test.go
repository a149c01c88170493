package persontjeneste_test

import (
	"encoding/json"
	"testing"

	"resepsjon/lookup"
	"resepsjon/persontjeneste"
	"resepsjon/register"
)

// TestDraftSavesUnchanged: the draft of every fixture person is what the
// register accepts, and its validation changes nothing that a refresh right
// after saving would report again.
func TestDraftSavesUnchanged(t *testing.T) {
	for name, js := range persontjeneste.PersonFixtures() {
		t.Run(name, func(t *testing.T) {
			var p persontjeneste.Person
			if err := json.Unmarshal([]byte(js), &p); err != nil {
				t.Fatalf("fixture: %v", err)
			}
			draft := persontjeneste.ToClient(p, persontjeneste.MappingNow)
			saved := draft
			if err := register.Validate(&saved); err != nil {
				t.Fatalf("register refuses the draft: %v", err)
			}
			if d := lookup.Diff(saved, draft); len(d) != 0 {
				t.Errorf("a refresh right after saving reports changes: %+v", d)
			}
		})
	}
}

// FuzzToClient: arbitrary JSON never panics the mapper, the badges or the
// diff of the draft.
func FuzzToClient(f *testing.F) {
	for _, js := range persontjeneste.PersonFixtures() {
		f.Add([]byte(js))
	}
	f.Add([]byte(`{"residentialAddress":[{"isValid":true,"cadastralAddress":{}}]}`))
	f.Add([]byte(`{"residentialAddress":[{"isValid":true,"streetAddress":{"addressNumber":null}}],"postalAddress":[{"isValid":true}]}`))
	f.Add([]byte(`{"norwegianIdentificationNumber":[{"isValid":true,"identificationNumber":"9"}],"death":{"isValid":true}}`))
	f.Add([]byte(`{"foreignPostalAddress":[{"isValid":true,"foreignAddress":{}}],"preferredContactAddress":[{"isValid":true,"freeformContactAddress":{"addressLine":[""]}}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p persontjeneste.Person
		if json.Unmarshal(data, &p) != nil {
			return
		}
		c := persontjeneste.ToClient(p, persontjeneste.MappingNow)
		_ = persontjeneste.Badges(p)
		_ = lookup.Diff(c, persontjeneste.ToClient(p, persontjeneste.MappingNow))
		if c.AddressProtection == register.AddressProtectionStrictlyConfidential &&
			(c.StreetAddress != "" || c.PostalCode != "" || c.City != "" || c.MunicipalityNumber != "" || c.PostalAddress != "") {
			t.Errorf("strictly confidential person mapped with an address: %+v", c)
		}
		if d := lookup.Diff(c, c); len(d) != 0 {
			t.Errorf("Diff of a draft with itself: %+v", d)
		}
	})
}
