package population

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"resepsjon/nin"
)

// override is a changed person. The Person here is the full truth, addresses
// included even when strictly confidential (they are stripped on the way
// out); the other fields are what Search matches on, kept in step by sync.
type override struct {
	person Person

	given, middle, family []string // search tokens of the current name
	address               *Address // current residential address, nil if none
	strict                bool
}

func (o *override) sync() {
	n := o.person.CurrentName()
	o.given, o.middle, o.family = tokens(n.GivenName), tokens(n.MiddleName), tokens(n.FamilyName)
	o.address = nil
	for _, ra := range slices.Backward(o.person.ResidentialAddress) {
		if ra.IsValid {
			a := addressOfResidential(ra)
			o.address = &a
			break
		}
	}
	o.strict = protectionLevel(o.person) == protStrict
}

// overrideLocked returns the person's override, making it from the
// generated person on first change. Callers hold p.mu for writing.
func (p *Population) overrideLocked(i int32) *override {
	if o, ok := p.overrides[i]; ok {
		return o
	}
	o := &override{person: p.basePerson(i)}
	o.sync()
	p.overrides[i] = o
	p.cores[i].flags |= fOverride
	return o
}

// recordLocked appends an event for a change to the person at i and stamps
// the person with its sequence number. Callers hold p.mu for writing.
func (p *Population) recordLocked(i int32, o *override, eventType string) Event {
	seq := FirstEventSequence
	if n := len(p.events); n > 0 {
		seq = p.events[n-1].Sequence + 1
	}
	ev := Event{Sequence: seq, SequenceNumber: strconv.FormatInt(seq, 10), PersonID: o.person.ID, EventType: eventType}
	p.events = append(p.events, ev)
	o.person.SequenceNumber = seq
	o.sync()
	return ev
}

// stamp is the registration time of a change made now.
func (p *Population) stamp() time.Time {
	return p.now().UTC().Truncate(time.Second)
}

func isDeceased(person Person) bool {
	return person.Death != nil && person.Death.IsValid
}

// currentStatus returns the index of the valid status, or -1.
func currentStatus(person Person) int {
	for k, s := range slices.Backward(person.Status) {
		if s.IsValid {
			return k
		}
	}
	return -1
}

func setStatus(person *Person, status string, from, at time.Time) {
	if k := currentStatus(*person); k >= 0 {
		end(&person.Status[k].Meta, from)
	}
	person.Status = append(person.Status, Status{Meta: Meta{RegisteredAt: at, IsValid: true, Source: sourceFREG, ValidFrom: from}, Status: status})
}

// lookupForChange finds the person a change is for. Callers hold p.mu for
// writing.
func (p *Population) lookupForChange(ninStr string) (int32, *override, error) {
	i, ok := p.indexOfNIN(ninStr)
	if !ok {
		return 0, nil, ErrNotFound
	}
	o := p.overrideLocked(i)
	if isDeceased(o.person) {
		return 0, nil, ErrDeceased
	}
	return i, o, nil
}

// MoveRandom moves the person to an address chosen by the population
// (deterministic for the seed and the sequence of changes).
func (p *Population) MoveRandom(ninStr string) (Event, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, o, err := p.lookupForChange(ninStr)
	if err != nil {
		return Event{}, fmt.Errorf("move: %w", err)
	}
	r := newRNG(p.seed, streamChange, uint64(len(p.events)))
	to := p.cat.addressAt(uint8(r.intn(len(p.cat.places))), uint8(r.intn(len(streets))), uint8(r.between(1, 120)), 0)
	p.moveLocked(o, to, p.stamp())
	return p.recordLocked(i, o, EventChangeInResidentialAddress), nil
}

func (p *Population) moveLocked(o *override, to Address, at time.Time) {
	person := &o.person
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	for k := range person.ResidentialAddress {
		if person.ResidentialAddress[k].IsValid {
			end(&person.ResidentialAddress[k].Meta, day)
		}
	}
	meta := Meta{RegisteredAt: at, IsValid: true, Source: sourceFREG, ValidFrom: day}
	person.ResidentialAddress = append(person.ResidentialAddress, to.residential(meta, day, confidentialityFor(protectionLevel(*person))))
	if k := currentStatus(*person); k >= 0 && person.Status[k].Status == statusEmigrated {
		setStatus(person, statusResident, day, at)
		for k := range person.EmigrationFromNorway {
			if person.EmigrationFromNorway[k].IsValid {
				end(&person.EmigrationFromNorway[k].Meta, day)
			}
		}
	}
	refreshPreferred(person, at)
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

// Die registers the death of the person with this identity number on date
// (its calendar date counts). The answer is the PersonIsDeceased event.
func (p *Population) Die(ninStr string, date time.Time) (Event, error) {
	at := p.stamp()
	day := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
	if day.After(at) {
		return Event{}, fmt.Errorf("die: %w: date %s is in the future", ErrInvalid, day.Format(time.DateOnly))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	i, o, err := p.lookupForChange(ninStr)
	if err != nil {
		return Event{}, fmt.Errorf("die: %w", err)
	}
	if birth := dateOf(p.cores[i].birth); day.Before(birth) {
		return Event{}, fmt.Errorf("die: %w: date %s is before birth", ErrInvalid, day.Format(time.DateOnly))
	}
	p.dieLocked(o, day, at)
	return p.recordLocked(i, o, EventPersonIsDeceased), nil
}

func (p *Population) dieLocked(o *override, day, at time.Time) {
	setStatus(&o.person, statusDeceased, day, at)
	o.person.Death = &Death{Meta: Meta{RegisteredAt: at, IsValid: true, Source: sourceFREG, ValidFrom: day}, DeceasedDate: day}
}

// Rename registers a new name for the person with this identity number,
// effective now; the old name stays as history. middle may be empty. The
// answer is the ChangeInName event.
func (p *Population) Rename(ninStr, given, middle, family string) (Event, error) {
	given, middle, family = strings.Join(strings.Fields(given), " "), strings.Join(strings.Fields(middle), " "), strings.Join(strings.Fields(family), " ")
	for field, v := range map[string]string{"given name": given, "middle name": middle, "family name": family} {
		if hasControl(v) || len([]rune(v)) > 100 {
			return Event{}, fmt.Errorf("rename: %w: %s", ErrInvalid, field)
		}
	}
	if given == "" || family == "" {
		return Event{}, fmt.Errorf("rename: %w: given and family name are required", ErrInvalid)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	i, o, err := p.lookupForChange(ninStr)
	if err != nil {
		return Event{}, fmt.Errorf("rename: %w", err)
	}
	p.renameLocked(o, given, middle, family, p.stamp())
	return p.recordLocked(i, o, EventChangeInName), nil
}

func (p *Population) renameLocked(o *override, given, middle, family string, at time.Time) {
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	for k := range o.person.Name {
		if o.person.Name[k].IsValid {
			end(&o.person.Name[k].Meta, day)
		}
	}
	o.person.Name = append(o.person.Name, nameValue(Meta{RegisteredAt: at, IsValid: true, Source: sourceFREG, ValidFrom: day}, given, middle, family))
}

// Events returns up to limit events with a sequence number of at least
// fromSequence, ascending, optionally only of the given event types. A limit
// of 0 or less means the contract's page size of 1000.
func (p *Population) Events(fromSequence int64, limit int, types ...string) []Event {
	if limit <= 0 {
		limit = 1000
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	start, _ := slices.BinarySearchFunc(p.events, fromSequence, func(e Event, s int64) int {
		switch {
		case e.Sequence < s:
			return -1
		case e.Sequence > s:
			return 1
		}
		return 0
	})
	var out []Event
	for _, e := range p.events[start:] {
		if len(out) == limit {
			break
		}
		if len(types) == 0 || slices.Contains(types, e.EventType) {
			out = append(out, e)
		}
	}
	return out
}

// LatestSequence returns the newest event's sequence number, 0 when there
// are no events.
func (p *Population) LatestSequence() int64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if len(p.events) == 0 {
		return 0
	}
	return p.events[len(p.events)-1].Sequence
}

// LatestEvent returns the newest event (the answer of event/latest); false
// when there are none.
func (p *Population) LatestEvent() (Event, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if len(p.events) == 0 {
		return Event{}, false
	}
	return p.events[len(p.events)-1], true
}

// applyEdgeCases turns the persons at the edge positions into their edge
// cases, with history and events dated before the reference date, in
// chronological order so that sequence numbers follow time.
func (p *Population) applyEdgeCases(g *generator) error {
	at := func(years, days int) time.Time {
		return refDate.AddDate(-years, 0, -days).Add(10 * time.Hour)
	}
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	index := map[string]int32{}
	for _, e := range edgeIndexes {
		index[e.name] = e.index
		o := p.overrideLocked(e.index)
		p.edges[e.name] = o.person.CurrentNIN()
	}

	// A D-number holder who settled and got a fødselsnummer.
	{
		i := index[EdgeFormerDNumber]
		o := p.overrides[i]
		t := at(4, 0)
		c := &p.cores[i]
		r := newRNG(p.seed, streamChange, uint64(i)+1<<32)
		v, err := g.number(&r, c.birth, c.flags&fFemale == 0, nin.KindNational)
		if err != nil {
			return fmt.Errorf("edge case %s: %w", EdgeFormerDNumber, err)
		}
		old := c.nin
		c.nin = v
		p.historic[old] = i
		person := &o.person
		for k := range person.NorwegianIdentificationNumber {
			if person.NorwegianIdentificationNumber[k].IsValid {
				end(&person.NorwegianIdentificationNumber[k].Meta, day(t))
				person.NorwegianIdentificationNumber[k].Status = ninDiscontinued
			}
		}
		person.NorwegianIdentificationNumber = append(person.NorwegianIdentificationNumber, IdentificationNumber{
			Meta: Meta{RegisteredAt: t, IsValid: true, Source: sourceFREG, ValidFrom: day(t)}, Status: ninInUse,
			IdentificationNumber: formatNIN(v), IdentificationNumberType: ninTypeNational,
		})
		setStatus(person, statusResident, day(t), t)
		home := p.cat.addressAt(c.place, c.street, c.house, c.letter)
		for k := range person.PostalAddress {
			end(&person.PostalAddress[k].Meta, day(t))
		}
		person.ResidentialAddress = append(person.ResidentialAddress,
			home.residential(Meta{RegisteredAt: t, IsValid: true, Source: sourceFREG, ValidFrom: day(t)}, day(t), protUnclassified))
		refreshPreferred(person, t)
		p.recordLocked(i, o, EventChangeInNorwegianIdentificationNumber)
	}

	// Address protection, strict and confidential.
	for _, e := range []struct {
		name, level string
		t           time.Time
	}{
		{EdgeStrictlyConfidential, protStrict, at(3, 0)},
		{EdgeConfidential, protConfidential, at(2, 180)},
	} {
		i := index[e.name]
		o := p.overrides[i]
		person := &o.person
		person.AddressProtection = append(person.AddressProtection, AddressProtection{
			Meta: Meta{RegisteredAt: e.t, IsValid: true, Source: sourceFREG, ValidFrom: day(e.t)}, ProtectionLevel: e.level,
		})
		for k := range person.ResidentialAddress {
			if person.ResidentialAddress[k].IsValid {
				person.ResidentialAddress[k].AddressConfidentiality = e.level
			}
		}
		refreshPreferred(person, e.t)
		p.recordLocked(i, o, EventChangeInAddressProtection)
	}

	// A name change, as at marriage: a new family name, the maiden name kept
	// as middle name.
	{
		i := index[EdgeRenamed]
		o := p.overrides[i]
		cur := o.person.CurrentName()
		newFamily := p.cat.family[(int(p.cores[i].family)+7)%len(norwegianFamily)]
		if newFamily == cur.FamilyName {
			newFamily = p.cat.family[(int(p.cores[i].family)+8)%len(norwegianFamily)]
		}
		p.renameLocked(o, cur.GivenName, cur.FamilyName, newFamily, at(2, 0))
		p.recordLocked(i, o, EventChangeInName)
	}

	// Emigration.
	{
		i := index[EdgeEmigrated]
		o := p.overrides[i]
		t := at(1, 0)
		person := &o.person
		setStatus(person, statusEmigrated, day(t), t)
		for k := range person.ResidentialAddress {
			if person.ResidentialAddress[k].IsValid {
				end(&person.ResidentialAddress[k].Meta, day(t))
			}
		}
		for k := range person.PostalAddress {
			if person.PostalAddress[k].IsValid {
				end(&person.PostalAddress[k].Meta, day(t))
			}
		}
		person.EmigrationFromNorway = append(person.EmigrationFromNorway, Emigration{
			Meta:               Meta{RegisteredAt: t, IsValid: true, Source: sourceFREG, ValidFrom: day(t)},
			EmigratedToCountry: "SWE", EmigratedToCity: "Göteborg", EmigratedMoveDate: day(t),
		})
		refreshPreferred(person, t)
		p.recordLocked(i, o, EventPersonIsEmigrated)
	}

	// Death.
	{
		i := index[EdgeDeceased]
		o := p.overrides[i]
		t := at(0, 90)
		p.dieLocked(o, day(t).AddDate(0, 0, -2), t)
		p.recordLocked(i, o, EventPersonIsDeceased)
	}
	return nil
}

// NewNumber gives the person with this identity number a new fødselsnummer
// (as when a D-number holder settles, or a number is corrected). The old
// number stays as history and still finds the person. The answer is the
// ChangeInNorwegianIdentificationNumber event.
func (p *Population) NewNumber(ninStr string) (Event, error) {
	at := p.stamp()
	p.mu.Lock()
	defer p.mu.Unlock()
	i, o, err := p.lookupForChange(ninStr)
	if err != nil {
		return Event{}, fmt.Errorf("new number: %w", err)
	}
	c := &p.cores[i]
	birth := dateOf(c.birth)
	male := c.flags&fFemale == 0
	r := newRNG(p.seed, streamChange, uint64(len(p.events))+1<<33)
	var fresh uint64
	start := r.intn(1000)
	for k := range 1000 {
		individual := (start + k) % 1000
		if (individual%2 == 1) != male {
			continue
		}
		s, err := nin.Generate(birth, individual, nin.KindNational, true)
		if err != nil {
			continue
		}
		v, _ := parseNIN(s)
		if _, taken := p.indexOfNIN(s); taken || v == c.nin {
			continue
		}
		fresh = v
		break
	}
	if fresh == 0 {
		return Event{}, fmt.Errorf("new number: %w: no identity number left for this birth date", ErrInvalid)
	}
	old := c.nin
	// Take the person out of the number index, change the number, put it
	// back in order.
	if k, found := slices.BinarySearchFunc(p.byNIN, old, func(idx int32, v uint64) int { return cmpUint(p.cores[idx].nin, v) }); found {
		p.byNIN = slices.Delete(p.byNIN, k, k+1)
	}
	c.nin = fresh
	k, _ := slices.BinarySearchFunc(p.byNIN, fresh, func(idx int32, v uint64) int { return cmpUint(p.cores[idx].nin, v) })
	p.byNIN = slices.Insert(p.byNIN, k, i)
	p.historic[old] = i
	c.flags &^= fDNumber

	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	person := &o.person
	for k := range person.NorwegianIdentificationNumber {
		if person.NorwegianIdentificationNumber[k].IsValid {
			end(&person.NorwegianIdentificationNumber[k].Meta, day)
			person.NorwegianIdentificationNumber[k].Status = ninDiscontinued
		}
	}
	person.NorwegianIdentificationNumber = append(person.NorwegianIdentificationNumber, IdentificationNumber{
		Meta: Meta{RegisteredAt: at, IsValid: true, Source: sourceFREG, ValidFrom: day}, Status: ninInUse,
		IdentificationNumber: formatNIN(fresh), IdentificationNumberType: ninTypeNational,
	})
	return p.recordLocked(i, o, EventChangeInNorwegianIdentificationNumber), nil
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Address protection levels Protect takes.
const (
	ProtectionStrictlyConfidential = protStrict
	ProtectionConfidential         = protConfidential
	ProtectionNone                 = protUnclassified
)

// Protect sets the address protection of the person with this identity
// number: StrictlyConfidential, Confidential, or Unclassified (protection
// lifted). The answer is the ChangeInAddressProtection event.
func (p *Population) Protect(ninStr, level string) (Event, error) {
	switch level {
	case protStrict, protConfidential, protUnclassified:
	default:
		return Event{}, fmt.Errorf("protect: %w: level must be StrictlyConfidential, Confidential or Unclassified", ErrInvalid)
	}
	at := p.stamp()
	p.mu.Lock()
	defer p.mu.Unlock()
	i, o, err := p.lookupForChange(ninStr)
	if err != nil {
		return Event{}, fmt.Errorf("protect: %w", err)
	}
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	person := &o.person
	for k := range person.AddressProtection {
		if person.AddressProtection[k].IsValid {
			end(&person.AddressProtection[k].Meta, day)
		}
	}
	person.AddressProtection = append(person.AddressProtection, AddressProtection{
		Meta: Meta{RegisteredAt: at, IsValid: true, Source: sourceFREG, ValidFrom: day}, ProtectionLevel: level,
	})
	for k := range person.ResidentialAddress {
		if person.ResidentialAddress[k].IsValid {
			person.ResidentialAddress[k].AddressConfidentiality = level
		}
	}
	refreshPreferred(person, at)
	return p.recordLocked(i, o, EventChangeInAddressProtection), nil
}

// SetContact registers a new mobile number and e-mail address for the
// person with this identity number in the contact register (KRR), as when
// the person changes them at the contact register; an empty value leaves
// that one as it is. KRR's changes are not events of the population
// register's feed: the answer is the person's current contact information.
func (p *Population) SetContact(ninStr, phone, email string) (ContactInformation, error) {
	phone, email = strings.TrimSpace(phone), strings.TrimSpace(email)
	if hasControl(phone) || hasControl(email) || len(phone) > 20 || len(email) > 254 {
		return ContactInformation{}, fmt.Errorf("contact: %w: phone or e-mail", ErrInvalid)
	}
	if phone == "" && email == "" {
		return ContactInformation{}, fmt.Errorf("contact: %w: phone or e-mail is required", ErrInvalid)
	}
	at := p.stamp().Format(time.RFC3339)
	p.mu.Lock()
	defer p.mu.Unlock()
	_, o, err := p.lookupForChange(ninStr)
	if err != nil {
		return ContactInformation{}, fmt.Errorf("contact: %w", err)
	}
	krr := o.person.CommonContactRegisterInformation
	if krr == nil || krr.Status != "Active" {
		krr = &ContactRegister{Reservation: "No", Status: "Active", NotificationStatus: "CanBeNotified", Language: "nb"}
	} else {
		c := *krr
		krr = &c
	}
	if phone != "" {
		krr.ContactInformation.PhoneNumber, krr.ContactInformation.PhoneNumberLastUpdated = phone, at
		krr.ContactInformation.PhoneNumberLastVerified = at
	}
	if email != "" {
		krr.ContactInformation.Email, krr.ContactInformation.EmailLastUpdated = email, at
		krr.ContactInformation.EmailLastVerified = at
	}
	o.person.CommonContactRegisterInformation = krr
	return krr.ContactInformation, nil
}
