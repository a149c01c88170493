package population

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"resepsjon/nin"
)

var testNow = time.Date(2025, 3, 14, 10, 0, 0, 0, time.UTC)

func newPop(t testing.TB, seed int64, size int) *Population {
	t.Helper()
	p, err := New(Config{Seed: seed, Size: size, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("New(seed %d, size %d): %v", seed, size, err)
	}
	return p
}

// everyone returns every person of p.
func everyone(t testing.TB, p *Population) []Person {
	t.Helper()
	nins := p.SampleNINs(p.Size())
	if len(nins) != p.Size() {
		t.Fatalf("SampleNINs(%d) returned %d numbers", p.Size(), len(nins))
	}
	out := make([]Person, 0, len(nins))
	for _, n := range nins {
		person, ok := p.ByNIN(n)
		if !ok {
			t.Fatalf("sampled number not found")
		}
		out = append(out, person)
	}
	return out
}

func marshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDeterministic: the same seed gives the same people, a different seed
// different ones.
func TestDeterministic(t *testing.T) {
	a, b, c := newPop(t, 42, 500), newPop(t, 42, 500), newPop(t, 43, 500)
	pa, pb, pc := everyone(t, a), everyone(t, b), everyone(t, c)
	if marshal(t, pa) != marshal(t, pb) {
		t.Error("two populations from seed 42 differ")
	}
	if marshal(t, a.EdgeCases()) != marshal(t, b.EdgeCases()) {
		t.Error("edge cases of seed 42 differ between runs")
	}
	same := 0
	for i := range pa {
		if pa[i].CurrentNIN() == pc[i].CurrentNIN() {
			same++
		}
	}
	if same > len(pa)/10 {
		t.Errorf("seeds 42 and 43 share %d of %d identity numbers", same, len(pa))
	}
	// Person ids are stable for a seed and differ between seeds.
	if pa[0].ID != pb[0].ID || pa[0].ID == pc[0].ID || len(pa[0].ID) != 64 {
		t.Errorf("ids %q %q %q", pa[0].ID, pb[0].ID, pc[0].ID)
	}
}

// TestIdentityNumbersValid: every current and historic number is a valid
// synthetic fødselsnummer or D-number whose kind, birth date and gender agree
// with the person, and no number belongs to two persons.
func TestIdentityNumbersValid(t *testing.T) {
	for _, seed := range []int64{1, 7, 2026} {
		p := newPop(t, seed, 1000)
		seen := map[string]string{}
		dnumbers := 0
		for _, person := range everyone(t, p) {
			if len(person.NorwegianIdentificationNumber) == 0 {
				t.Fatalf("person %s has no identity number", person.ID)
			}
			current := 0
			for _, id := range person.NorwegianIdentificationNumber {
				n, err := nin.Parse(id.IdentificationNumber)
				if err != nil {
					t.Fatalf("seed %d: invalid identity number: %v", seed, err)
				}
				if !n.Synthetic {
					t.Errorf("seed %d: identity number is not synthetic", seed)
				}
				wantType := map[nin.Kind]string{nin.KindNational: "NationalIdentityNumber", nin.KindD: "DNumber"}[n.Kind]
				if id.IdentificationNumberType != wantType {
					t.Errorf("seed %d: type %q for kind %v", seed, id.IdentificationNumberType, n.Kind)
				}
				if n.Kind == nin.KindD {
					dnumbers++
				}
				if owner, dup := seen[id.IdentificationNumber]; dup && owner != person.ID {
					t.Errorf("seed %d: identity number shared by two persons", seed)
				}
				seen[id.IdentificationNumber] = person.ID
				if id.IsValid {
					current++
					if len(person.Birth) > 0 && !person.Birth[0].BirthDate.IsZero() &&
						!n.BirthDate.Equal(person.Birth[0].BirthDate) {
						t.Errorf("seed %d: number's birth date %v, Birth %v", seed, n.BirthDate, person.Birth[0].BirthDate)
					}
					for _, g := range person.Gender {
						if g.IsValid && (g.Gender == "Male") != n.Male {
							t.Errorf("seed %d: gender %s but the number says male=%v", seed, g.Gender, n.Male)
						}
					}
				}
			}
			if current != 1 {
				t.Errorf("seed %d: person has %d current identity numbers", seed, current)
			}
		}
		if dnumbers == 0 {
			t.Errorf("seed %d: no D-numbers at all", seed)
		}
	}
}

// TestEdgeCasesEverySeed: every seed carries every edge case, each shaped as
// the register would have it.
func TestEdgeCasesEverySeed(t *testing.T) {
	for _, seed := range []int64{0, 1, 7, 42, 99991, -5} {
		p := newPop(t, seed, EdgeCaseMinSize)
		edges := p.EdgeCases()
		get := func(name string) Person {
			t.Helper()
			n, ok := edges[name]
			if !ok {
				t.Fatalf("seed %d: edge case %s missing", seed, name)
			}
			person, found := p.ByNIN(n)
			if !found {
				t.Fatalf("seed %d: edge case %s: number not found", seed, name)
			}
			return person
		}
		status := func(person Person) string {
			for _, s := range person.Status {
				if s.IsValid {
					return s.Status
				}
			}
			return ""
		}
		protection := func(person Person) string {
			for _, a := range person.AddressProtection {
				if a.IsValid {
					return a.ProtectionLevel
				}
			}
			return ""
		}
		currentAddresses := func(person Person) int {
			n := 0
			for _, a := range person.ResidentialAddress {
				if a.IsValid {
					n++
				}
			}
			return n
		}

		if d := get(EdgeDeceased); d.Death == nil || d.Death.DeceasedDate.IsZero() || status(d) != "Deceased" {
			t.Errorf("seed %d: deceased edge case: death %v, status %q", seed, d.Death, status(d))
		}
		if em := get(EdgeEmigrated); status(em) != "Emigrated" || len(em.EmigrationFromNorway) == 0 || currentAddresses(em) != 0 {
			t.Errorf("seed %d: emigrated edge case: status %q, %d emigrations, %d current addresses",
				seed, status(em), len(em.EmigrationFromNorway), currentAddresses(em))
		}
		strict := get(EdgeStrictlyConfidential)
		if protection(strict) != "StrictlyConfidential" {
			t.Errorf("seed %d: strictly confidential edge case has protection %q", seed, protection(strict))
		}
		if len(strict.ResidentialAddress)+len(strict.PostalAddress)+len(strict.PreferredContactAddress) != 0 {
			t.Errorf("seed %d: a strictly confidential person is served with addresses", seed)
		}
		conf := get(EdgeConfidential)
		if protection(conf) != "Confidential" || currentAddresses(conf) != 1 {
			t.Errorf("seed %d: confidential edge case: protection %q, %d current addresses", seed, protection(conf), currentAddresses(conf))
		}
		for _, a := range conf.ResidentialAddress {
			if a.IsValid && a.AddressConfidentiality != "Confidential" {
				t.Errorf("seed %d: confidential address marked %q", seed, a.AddressConfidentiality)
			}
		}

		// Former D-number: found by the old number, now with a fødselsnummer.
		old := edges[EdgeFormerDNumber]
		if n, err := nin.Parse(old); err != nil || n.Kind != nin.KindD {
			t.Errorf("seed %d: former number is not a D-number (%v)", seed, err)
		}
		fd := get(EdgeFormerDNumber)
		cur, err := nin.Parse(fd.CurrentNIN())
		if err != nil || cur.Kind != nin.KindNational || fd.CurrentNIN() == old {
			t.Errorf("seed %d: former D-number person's current number: kind %v, %v", seed, cur.Kind, err)
		}
		if byNew, _ := p.ByNIN(fd.CurrentNIN()); byNew.ID != fd.ID {
			t.Errorf("seed %d: old and new number lead to different persons", seed)
		}
		oldListed := slices.ContainsFunc(fd.NorwegianIdentificationNumber, func(id IdentificationNumber) bool {
			return id.IdentificationNumber == old && !id.IsValid && id.Status == "Discontinued"
		})
		if !oldListed {
			t.Errorf("seed %d: the old D-number is not kept as a discontinued number", seed)
		}

		rn := get(EdgeRenamed)
		if len(rn.Name) < 2 {
			t.Errorf("seed %d: renamed person has %d names", seed, len(rn.Name))
		}
		valid := 0
		for _, n := range rn.Name {
			if n.IsValid {
				valid++
			}
		}
		if valid != 1 {
			t.Errorf("seed %d: renamed person has %d current names", seed, valid)
		}
		if n, err := nin.Parse(get(EdgeDNumber).CurrentNIN()); err != nil || n.Kind != nin.KindD {
			t.Errorf("seed %d: D-number edge case: %v", seed, err)
		}
	}
	if small := newPop(t, 1, EdgeCaseMinSize-1); len(small.EdgeCases()) != 0 {
		t.Errorf("a population below %d has edge cases", EdgeCaseMinSize)
	}
}

// TestNamesAndContacts: Norwegian letters, hyphenated and middle names, and
// KRR contact information for some persons.
func TestNamesAndContacts(t *testing.T) {
	for _, seed := range []int64{3, 11} {
		var norwegianLetters, hyphenGiven, middle, krr, postal int
		for _, person := range everyone(t, newPop(t, seed, 2000)) {
			n := person.CurrentName()
			if n.GivenName == "" || n.FamilyName == "" {
				t.Fatalf("seed %d: person without given or family name", seed)
			}
			full := n.GivenName + " " + n.MiddleName + " " + n.FamilyName
			if strings.ContainsAny(full, "æøåÆØÅ") {
				norwegianLetters++
			}
			if strings.Contains(n.GivenName, "-") {
				hyphenGiven++
			}
			if n.MiddleName != "" {
				middle++
			}
			if c := person.CommonContactRegisterInformation; c != nil &&
				(c.ContactInformation.Email != "" || c.ContactInformation.PhoneNumber != "") {
				krr++
			}
			for _, a := range person.ResidentialAddress {
				if a.IsValid {
					city := a.StreetAddress.City
					if len(city.PostalCode) != 4 || len(a.StreetAddress.MunicipalityNumber) != 4 || city.CityName == "" ||
						a.StreetAddress.AddressName == "" {
						t.Errorf("seed %d: incomplete address %+v", seed, a.StreetAddress)
					}
				}
			}
			if len(person.PostalAddress) > 0 {
				postal++
			}
		}
		for what, n := range map[string]int{"æ/ø/å names": norwegianLetters, "hyphenated given names": hyphenGiven,
			"middle names": middle, "KRR contact information": krr, "postal addresses": postal} {
			if n == 0 {
				t.Errorf("seed %d: no %s among 2000 persons", seed, what)
			}
		}
	}
}

// TestChangesProduceEvents: moves, deaths and name changes each add an event
// with a higher sequence number, update the person and keep history.
func TestChangesProduceEvents(t *testing.T) {
	p := newPop(t, 5, 300)
	var living []string
	for _, person := range everyone(t, p) {
		if person.Death == nil && slices.ContainsFunc(person.ResidentialAddress, func(a ResidentialAddress) bool { return a.IsValid }) {
			living = append(living, person.CurrentNIN())
		}
	}
	if len(living) < 4 {
		t.Fatalf("%d living residents", len(living))
	}
	last := p.LatestSequence()
	if last < FirstEventSequence {
		t.Fatalf("edge cases left sequence %d, want at least %d", last, FirstEventSequence)
	}
	check := func(what string, ev Event, err error, wantType, personNIN string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ev.Sequence <= last || ev.SequenceNumber != strconv.FormatInt(ev.Sequence, 10) || ev.EventType != wantType {
			t.Errorf("%s: event %+v after sequence %d", what, ev, last)
		}
		last = ev.Sequence
		person, _ := p.ByNIN(personNIN)
		if person.ID != ev.PersonID || person.SequenceNumber != ev.Sequence {
			t.Errorf("%s: person sequence %d, event %d", what, person.SequenceNumber, ev.Sequence)
		}
		if latest, ok := p.LatestEvent(); !ok || latest != ev {
			t.Errorf("%s: latest event %+v", what, latest)
		}
	}

	before, _ := p.ByNIN(living[0])
	ev, err := p.MoveRandom(living[0])
	check("move", ev, err, EventChangeInResidentialAddress, living[0])
	moved, _ := p.ByNIN(living[0])
	if len(moved.ResidentialAddress) != len(before.ResidentialAddress)+1 {
		t.Errorf("move kept %d addresses, before %d", len(moved.ResidentialAddress), len(before.ResidentialAddress))
	}
	current := 0
	for _, a := range moved.ResidentialAddress {
		if a.IsValid {
			current++
			if a.StreetAddress.AddressName == "" || a.StreetAddress.City.PostalCode == "" {
				t.Errorf("current address after the move: %+v", a.StreetAddress)
			}
		}
	}
	if current != 1 {
		t.Errorf("%d current addresses after the move, want 1", current)
	}

	ev, err = p.MoveRandom(living[1])
	check("second move", ev, err, EventChangeInResidentialAddress, living[1])

	ev, err = p.Rename(living[2], "Ærlend", "", "Bråten-Øye")
	check("rename", ev, err, EventChangeInName, living[2])
	renamed, _ := p.ByNIN(living[2])
	if n := renamed.CurrentName(); n.GivenName != "Ærlend" || n.FamilyName != "Bråten-Øye" || len(renamed.Name) < 2 {
		t.Errorf("after the rename: %+v (%d names)", n, len(renamed.Name))
	}

	ev, err = p.Die(living[3], testNow.AddDate(0, 0, -1))
	check("death", ev, err, EventPersonIsDeceased, living[3])
	dead, _ := p.ByNIN(living[3])
	if dead.Death == nil || dead.Death.DeceasedDate.Format(time.DateOnly) != "2025-03-13" {
		t.Errorf("death = %+v", dead.Death)
	}

	// The feed lists the four changes in order; type filters work.
	feed := p.Events(last-3, 0)
	if len(feed) != 4 {
		t.Fatalf("feed from %d: %d events", last-3, len(feed))
	}
	for i := 1; i < len(feed); i++ {
		if feed[i].Sequence <= feed[i-1].Sequence {
			t.Errorf("feed not ascending: %v", feed)
		}
	}
	if moves := p.Events(last-3, 0, EventChangeInResidentialAddress); len(moves) != 2 {
		t.Errorf("%d move events, want 2", len(moves))
	}

	// Refused changes.
	for name, tc := range map[string]struct {
		err  error
		want error
	}{
		"move the dead":   {errOnly(p.MoveRandom(living[3])), ErrDeceased},
		"rename the dead": {errOnly(p.Rename(living[3], "Ola", "", "Nordmann")), ErrDeceased},
		"die twice":       {errOnly(p.Die(living[3], testNow)), ErrDeceased},
		"unknown number":  {errOnly(p.MoveRandom("00000000000")), ErrNotFound},
		"empty name":      {errOnly(p.Rename(living[0], "", "", "")), ErrInvalid},
		"death before birth": {errOnly(p.Die(living[0], time.Date(1850, 1, 1, 0, 0, 0, 0, time.UTC))),
			ErrInvalid},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", name, tc.err, tc.want)
		}
	}
	if p.LatestSequence() != last {
		t.Errorf("refused changes moved the sequence from %d to %d", last, p.LatestSequence())
	}
}

func errOnly(_ Event, err error) error { return err }

// TestRender: answers carry only the requested parts, and history only on request.
func TestRender(t *testing.T) {
	p := newPop(t, 9, 100)
	person, _ := p.ByNIN(p.EdgeCases()[EdgeRenamed])
	r := person.Render([]string{PartName}, false)
	if r.ID != person.ID || r.SequenceNumber != person.SequenceNumber || len(r.Birth)+len(r.ResidentialAddress) != 0 ||
		r.Death != nil || r.CommonContactRegisterInformation != nil {
		t.Errorf("Render(Name) carries other parts: %s", marshal(t, r))
	}
	if len(r.Name) != 1 || !r.Name[0].IsValid {
		t.Errorf("Render without history: %d names", len(r.Name))
	}
	if h := person.Render([]string{PartName}, true); len(h.Name) != len(person.Name) {
		t.Errorf("Render with history: %d names, want %d", len(h.Name), len(person.Name))
	}
	all := person.Render(Parts(), true)
	if marshal(t, all) != marshal(t, person) {
		t.Error("Render of every part with history differs from the person")
	}
	// Render shares nothing with the person.
	all.Name[0].GivenName = "Endret"
	if again, _ := p.ByNIN(p.EdgeCases()[EdgeRenamed]); again.Name[0].GivenName == "Endret" {
		t.Error("Render shares memory with the population")
	}
}

// TestSearch: name and birth date find a person; a strictly confidential
// person is found by name but never by address; results stop one past the cap.
func TestSearch(t *testing.T) {
	p := newPop(t, 21, 20000)
	person, _ := p.ByNIN(p.SampleNINs(10)[4])
	n := person.CurrentName()
	birth := person.Birth[0].BirthDate
	hits := p.Search(SearchQuery{FamilyName: n.FamilyName, BirthDate: birth.Format(time.DateOnly)})
	if !slices.ContainsFunc(hits, func(q Person) bool { return q.ID == person.ID }) {
		t.Errorf("search by family name and birth date missed the person")
	}
	if year := p.Search(SearchQuery{FamilyName: n.FamilyName, BirthDate: birth.Format("2006")}); len(year) < len(hits) {
		t.Errorf("a year finds %d, the exact date %d", len(year), len(hits))
	}

	strict, _ := p.ByNIN(p.EdgeCases()[EdgeStrictlyConfidential])
	sn := strict.CurrentName()
	byName := p.Search(SearchQuery{GivenName: sn.GivenName, FamilyName: sn.FamilyName,
		BirthDate: strict.Birth[0].BirthDate.Format(time.DateOnly)})
	if !slices.ContainsFunc(byName, func(q Person) bool { return q.ID == strict.ID }) {
		t.Error("strictly confidential person not found by name and birth date")
	}
	for _, q := range byName {
		if q.ID == strict.ID && len(q.ResidentialAddress) != 0 {
			t.Error("strictly confidential person found with an address")
		}
	}
	// Every municipality: the strictly confidential person is never among the address hits.
	for _, m := range []string{"0301", "4601", "5001", "1103", "3301", "1804"} {
		for _, q := range p.Search(SearchQuery{FamilyName: sn.FamilyName, MunicipalityNumber: m}) {
			if q.ID == strict.ID {
				t.Errorf("strictly confidential person found by municipality %s", m)
			}
		}
	}
	if many := p.Search(SearchQuery{FamilyName: "Hansen", MunicipalityNumber: "0301"}); len(many) != MaxSearchResults+1 {
		t.Errorf("a broad search returned %d, want the cap plus one (%d)", len(many), MaxSearchResults+1)
	}
}

// TestLargePopulation builds the million persons the benchmarks use and
// reaches persons across it by number and id. How long that takes is measured
// by the benchmarks, never asserted here.
func TestLargePopulation(t *testing.T) {
	const size = 1_000_000
	p := newPop(t, 8, size)
	if p.Size() != size {
		t.Fatalf("Size = %d", p.Size())
	}
	sample := p.SampleNINs(1000)
	for _, n := range []string{sample[0], sample[len(sample)/2], sample[len(sample)-1]} {
		person, ok := p.ByNIN(n)
		if !ok {
			t.Fatal("sampled number not found")
		}
		if byID, ok := p.ByID(person.ID); !ok || byID.CurrentNIN() != n {
			t.Error("id lookup does not lead back to the person")
		}
	}
	if _, err := New(Config{Seed: 1, Size: MaxSize + 1}); !errors.Is(err, ErrConfig) {
		t.Errorf("size above MaxSize: %v, want ErrConfig", err)
	}
	if _, err := New(Config{Seed: 1, Size: -1}); !errors.Is(err, ErrConfig) {
		t.Errorf("negative size: %v, want ErrConfig", err)
	}
	if MaxSize < 1_000_000 {
		t.Errorf("MaxSize %d is below the million the benchmarks need", MaxSize)
	}
	if d, err := New(Config{Seed: 1}); err != nil || d.Size() != DefaultSize {
		t.Errorf("default size: %v, %v", d, err)
	}
}

// TestUnknownLookups: strings that are no number or id of this population.
func TestUnknownLookups(t *testing.T) {
	p := newPop(t, 4, 100)
	other := newPop(t, 5, 100)
	person, _ := other.ByNIN(other.SampleNINs(1)[0])
	for _, id := range []string{"", "abc", strings.Repeat("0", 64), strings.ToUpper(person.ID), person.ID} {
		if q, ok := p.ByID(id); ok && q.ID != id {
			t.Errorf("ByID(%q) found %s", id, q.ID)
		} else if ok && id == person.ID {
			t.Errorf("an id of another seed's population is found")
		}
	}
	for _, n := range []string{"", "123", "0000000000a", "00000000000", "999999999999"} {
		if _, ok := p.ByNIN(n); ok {
			t.Errorf("ByNIN(%q) found someone", n)
		}
	}
}

// TestNewNumberAndProtect: the two control changes the feed reports besides
// move, death and rename produce their events; a new number keeps the old
// one as history, and a strict protection hides the address.
func TestNewNumberAndProtect(t *testing.T) {
	p := newPop(t, 5, 300)
	var living []string
	for _, person := range everyone(t, p) {
		if person.Death == nil && slices.ContainsFunc(person.ResidentialAddress, func(a ResidentialAddress) bool { return a.IsValid }) {
			living = append(living, person.CurrentNIN())
		}
	}
	last := p.LatestSequence()
	before, _ := p.ByNIN(living[0])
	ev, err := p.NewNumber(living[0])
	if err != nil || ev.EventType != EventChangeInNorwegianIdentificationNumber || ev.Sequence != last+1 || ev.PersonID != before.ID {
		t.Fatalf("new number: %+v, %v", ev, err)
	}
	after, ok := p.ByNIN(living[0])
	if !ok || after.ID != before.ID {
		t.Fatalf("the old number no longer finds the person")
	}
	fresh := after.CurrentNIN()
	if fresh == living[0] || fresh == "" {
		t.Fatalf("current number %q after new number (old %q)", fresh, living[0])
	}
	if _, err := nin.Parse(fresh); err != nil {
		t.Errorf("new number %q: %v", fresh, err)
	}
	if byNew, ok := p.ByNIN(fresh); !ok || byNew.ID != before.ID {
		t.Errorf("the new number does not find the person")
	}
	// The number index stays ordered: every other sampled person is still found.
	for _, n := range p.SampleNINs(300) {
		if _, ok := p.ByNIN(n); !ok {
			t.Fatalf("person %s lost after a new number", n)
		}
	}

	ev, err = p.Protect(living[1], ProtectionStrictlyConfidential)
	if err != nil || ev.EventType != EventChangeInAddressProtection || ev.Sequence != last+2 {
		t.Fatalf("protect: %+v, %v", ev, err)
	}
	if hidden, _ := p.ByNIN(living[1]); len(hidden.ResidentialAddress) != 0 || protectionLevel(hidden) != protStrict {
		t.Errorf("strictly confidential person still shows %d addresses", len(hidden.ResidentialAddress))
	}
	if _, err := p.Protect(living[1], "Secret"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown level: %v", err)
	}
	if _, err := p.NewNumber("00000000000"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown number: %v", err)
	}
}
