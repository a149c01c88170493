package lookup

import (
	"encoding/json"
	"slices"
	"testing"

	"resepsjon/persontjeneste"
	"resepsjon/register"
)

type parts = []persontjeneste.InformationPart

func stored() register.Client {
	return register.Client{ID: 7, Version: 3, NIN: "05898540032", NINType: register.NINTypeNational,
		GivenName: "Kari", FamilyName: "Nordmann", BirthDate: "1985-09-05", Gender: register.GenderFemale,
		Status: persontjeneste.StatusResident, AddressProtection: register.AddressProtectionNone,
		StreetAddress: "Storgata 1", PostalCode: "0184", City: "Oslo", MunicipalityNumber: "0301",
		PostalAddress: "Postboks 1, 0101 Oslo", Phone: "912 34 567", Email: "kari@example.no", Notes: "Foretrekker morgentimer"}
}

// TestKeepParts: what a fetch without some information parts leaves of the
// stored client, per rule.
func TestKeepParts(t *testing.T) {
	all := persontjeneste.DefaultInformationParts()
	without := func(drop ...persontjeneste.InformationPart) parts {
		return slices.DeleteFunc(slices.Clone(all), func(p persontjeneste.InformationPart) bool { return slices.Contains(drop, p) })
	}
	for _, tc := range []struct {
		name  string
		parts parts
		fresh func(c *register.Client) // the register's record, from stored()
		want  []string                 // the changed fields, in table order
	}{
		{"nothing new", all, func(c *register.Client) {}, nil},
		{"renamed", all, func(c *register.Client) { c.FamilyName = "Østby" }, []string{"familyName"}},
		{"name not fetched: names kept", without(persontjeneste.PartName), func(c *register.Client) {
			c.GivenName, c.FamilyName = "", ""
		}, nil},
		{"address not fetched: address kept", without(persontjeneste.PartResidentialAddress), func(c *register.Client) {
			c.StreetAddress, c.PostalCode, c.City, c.MunicipalityNumber = "", "", "", ""
		}, nil},
		{"postal address needs both parts left out to be kept", without(persontjeneste.PartPostalAddress), func(c *register.Client) {
			c.PostalAddress = ""
		}, []string{"postalAddress"}},
		{"postal address kept when neither part fetched", without(persontjeneste.PartPostalAddress, persontjeneste.PartPreferredContactAddress),
			func(c *register.Client) { c.PostalAddress = "" }, nil},
		{"strictly confidential removes the address even unfetched", without(persontjeneste.PartResidentialAddress, persontjeneste.PartAddressProtection),
			func(c *register.Client) {
				c.AddressProtection = register.AddressProtectionStrictlyConfidential
				c.StreetAddress, c.PostalCode, c.City, c.MunicipalityNumber, c.PostalAddress = "", "", "", "", ""
			}, []string{"addressProtection", "streetAddress", "postalCode", "city", "municipalityNumber", "postalAddress"}},
		{"a blank phone from the register erases nothing", all, func(c *register.Client) { c.Phone, c.Email = "", "" }, nil},
		{"contact details not fetched are not proposed", without(persontjeneste.PartCommonContactRegisterInformation),
			func(c *register.Client) { c.Phone = "400 00 000" }, nil},
		{"new contact details", all, func(c *register.Client) { c.Phone = "400 00 000" }, []string{"phone"}},
		{"the same phone in E.164 is no change", all, func(c *register.Client) { c.Phone = "+4791234567" }, nil},
		{"the same phone with 0047 is no change", all, func(c *register.Client) { c.Phone = "0047 912 34 567" }, nil},
		{"the same digits abroad are a change", all, func(c *register.Client) { c.Phone = "+4691234567" }, []string{"phone"}},
		{"deceased", all, func(c *register.Client) { c.Status, c.DeathDate = persontjeneste.StatusDeceased, "2026-03-02" },
			[]string{"status", "deathDate"}},
		{"new number", all, func(c *register.Client) { c.NIN = "05898540113" }, []string{"nin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old := stored()
			fresh := stored()
			fresh.Notes = ""
			tc.fresh(&fresh)
			keepParts(&fresh, old, tc.parts)
			if fresh.Notes != old.Notes {
				t.Errorf("notes %q, want the client's", fresh.Notes)
			}
			changes := Diff(old, fresh)
			var got []string
			for _, ch := range changes {
				got = append(got, ch.Field.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("changes %v, want %v", got, tc.want)
			}
			// Applying the changes to the stored client gives the fetched
			// values of every changed field and leaves the rest alone.
			draft := old
			Apply(&draft, changes)
			for i := range persontjeneste.Fields {
				f := &persontjeneste.Fields[i]
				want := f.Get(&old)
				if slices.Contains(tc.want, f.Name) {
					want = f.Get(&fresh)
				}
				if f.Get(&draft) != want {
					t.Errorf("%s = %q after apply, want %q", f.Name, f.Get(&draft), want)
				}
			}
			if draft.Notes != old.Notes || draft.ID != old.ID || draft.Version != old.Version {
				t.Errorf("apply touched what the register does not own: %+v", draft)
			}
		})
	}
}

func TestKinds(t *testing.T) {
	field := func(name string) *persontjeneste.Field {
		for i := range persontjeneste.Fields {
			if persontjeneste.Fields[i].Name == name {
				return &persontjeneste.Fields[i]
			}
		}
		t.Fatalf("no field %s", name)
		return nil
	}
	ch := func(name, old, new string) Change { return Change{Field: field(name), Old: old, New: new} }
	strict := register.Client{AddressProtection: register.AddressProtectionStrictlyConfidential}
	for _, tc := range []struct {
		name    string
		changes []Change
		draft   register.Client
		want    []persontjeneste.ChangeKind
	}{
		{"nothing", nil, register.Client{}, []persontjeneste.ChangeKind{}},
		{"moved once for several address fields", []Change{ch("streetAddress", "a", "b"), ch("city", "Oslo", "Bergen")},
			register.Client{}, []persontjeneste.ChangeKind{persontjeneste.KindMoved}},
		{"renamed and moved in order met", []Change{ch("givenName", "a", "b"), ch("postalCode", "0184", "5015")},
			register.Client{}, []persontjeneste.ChangeKind{persontjeneste.KindRenamed, persontjeneste.KindMoved}},
		{"protected, not moved", []Change{ch("addressProtection", "None", "StrictlyConfidential"), ch("streetAddress", "a", "")},
			strict, []persontjeneste.ChangeKind{persontjeneste.KindProtected}},
		{"protection lifted is no group", []Change{ch("addressProtection", "Confidential", "None")},
			register.Client{}, []persontjeneste.ChangeKind{}},
		{"deceased by status", []Change{ch("status", "Resident", "Deceased")}, register.Client{}, []persontjeneste.ChangeKind{persontjeneste.KindDeceased}},
		{"status otherwise is no group", []Change{ch("status", "Resident", "Emigrated")}, register.Client{}, []persontjeneste.ChangeKind{}},
		{"death date removed is no group", []Change{ch("deathDate", "2020-01-01", "")}, register.Client{}, []persontjeneste.ChangeKind{}},
		{"new number", []Change{ch("nin", "a", "b"), ch("ninType", "DNumber", "NationalIdentityNumber")},
			register.Client{}, []persontjeneste.ChangeKind{persontjeneste.KindNewNumber}},
		{"birth date and gender are no group", []Change{ch("birthDate", "a", "b"), ch("gender", "Male", "Female")},
			register.Client{}, []persontjeneste.ChangeKind{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Kinds(tc.changes, tc.draft); !slices.Equal(got, tc.want) {
				t.Fatalf("kinds %v, want %v", got, tc.want)
			}
		})
	}
}

// TestDiff lists the changed register fields in the table's order, and
// leaves out notes, a blank contact detail and the same phone number
// written another way.
func TestDiff(t *testing.T) {
	old := stored()
	fresh := old
	fresh.FamilyName, fresh.StreetAddress, fresh.Phone, fresh.Email, fresh.Notes = "Nyesen", "Nyveien 1", "+47 91234567", "", ""
	var got [][3]string
	for _, ch := range Diff(old, fresh) {
		got = append(got, [3]string{ch.Field.Name, ch.Old, ch.New})
	}
	want := [][3]string{{"familyName", "Nordmann", "Nyesen"}, {"streetAddress", "Storgata 1", "Nyveien 1"}}
	if !slices.Equal(got, want) {
		t.Errorf("Diff = %v, want %v", got, want)
	}
	if d := Diff(old, old); d == nil || len(d) != 0 {
		t.Errorf("Diff of equal clients = %#v, want empty", d)
	}
}

// TestFieldTable: every row can be read and written, names are unique JSON
// names of register.Client, and every part named is the contract's.
func TestFieldTable(t *testing.T) {
	raw, err := json.Marshal(register.Client{})
	if err != nil {
		t.Fatal(err)
	}
	var jsonNames map[string]any
	if err := json.Unmarshal(raw, &jsonNames); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range persontjeneste.Fields {
		if seen[f.Name] {
			t.Errorf("%s twice", f.Name)
		}
		seen[f.Name] = true
		if _, ok := jsonNames[f.Name]; !ok {
			t.Errorf("%s is not a client field", f.Name)
		}
		if len(f.Parts) == 0 {
			t.Errorf("%s has no information part", f.Name)
		}
		for _, p := range f.Parts {
			if !persontjeneste.ValidInformationPart(p) {
				t.Errorf("%s: part %s is not the contract's", f.Name, p)
			}
		}
		var c register.Client
		f.Set(&c, "x")
		if f.Get(&c) != "x" {
			t.Errorf("%s: Set and Get disagree", f.Name)
		}
		out, _ := json.Marshal(c)
		var back map[string]any
		_ = json.Unmarshal(out, &back)
		if back[f.Name] != "x" {
			t.Errorf("%s: Set writes another field (%s)", f.Name, out)
		}
		// Diff goes through the table: a change in this field alone is
		// the one change it reports (numbers that differ as phone numbers
		// too).
		old, changed := register.Client{}, register.Client{}
		f.Set(&old, "x 12345678")
		f.Set(&changed, "y 87654321")
		if d := Diff(old, changed); len(d) != 1 || d[0].Field.Name != f.Name || d[0].Old != "x 12345678" || d[0].New != "y 87654321" {
			t.Errorf("%s: Diff of a change in it alone = %+v", f.Name, d)
		}
	}
	b, err := json.Marshal(Change{Field: &persontjeneste.Fields[0], Old: "a", New: "b"})
	if err != nil || string(b) != `{"field":"givenName","old":"a","new":"b"}` {
		t.Errorf("change JSON %s %v", b, err)
	}
}

// TestChangeJSON: a change reads back as it was written, pointing at the
// same row of the field table; an unknown field is an error.
func TestChangeJSON(t *testing.T) {
	for i := range persontjeneste.Fields {
		want := Change{Field: &persontjeneste.Fields[i], Old: "old " + persontjeneste.Fields[i].Name, New: "new"}
		data, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		var got Change
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if got != want {
			t.Errorf("%s read back as %+v", data, got)
		}
	}
	var c Change
	if err := json.Unmarshal([]byte(`{"field":"shoeSize","old":"","new":"44"}`), &c); err == nil {
		t.Errorf("unknown field read as %+v", c)
	}
}
