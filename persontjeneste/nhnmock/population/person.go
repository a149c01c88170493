package population

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Values of the contract's enums used here.
const (
	sourceFREG = "Skatteetaten"

	statusResident  = "Resident"
	statusEmigrated = "Emigrated"
	statusDeceased  = "Deceased"
	statusTemporary = "Temporary"

	ninTypeNational = "NationalIdentityNumber"
	ninTypeD        = "DNumber"
	ninInUse        = "InUse"
	ninDiscontinued = "Discontinued"

	protNone         = ""
	protUnclassified = "Unclassified"
	protConfidential = "Confidential"
	protStrict       = "StrictlyConfidential"

	addrTypeResidential = "ResidentialAddress"
	addrTypePostal      = "PostalAddress"
)

// registered is the bookkeeping of a value valid from a date, registered a
// few days later in the morning (as a case officer would).
func registered(validFrom time.Time, lagDays int) Meta {
	return Meta{
		RegisteredAt: validFrom.AddDate(0, 0, lagDays).Add(9*time.Hour + 30*time.Minute),
		IsValid:      true,
		Source:       sourceFREG,
		ValidFrom:    validFrom,
	}
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// end closes a value: it stops being current at t.
func end(m *Meta, t time.Time) {
	m.IsValid = false
	m.ValidTo = t
}

// Address is a residential address drawn from the catalog (addressAt).
type Address struct {
	StreetName         string
	HouseNumber        int
	HouseLetter        string // "" or one letter
	PostalCode         string // 4 digits
	City               string // post town
	MunicipalityNumber string // 4 digits
	MunicipalityName   string
	CountyNumber       string
	CountyName         string
}

// addressAt is the address a core's fields (or a random draw) point to.
func (c *catalog) addressAt(placeIdx, street, house, letter uint8) Address {
	pl := c.places[placeIdx]
	m := municipalities[pl.muni]
	a := Address{
		StreetName:         streets[street],
		HouseNumber:        int(house),
		PostalCode:         pl.code,
		City:               pl.city,
		MunicipalityNumber: m.number,
		MunicipalityName:   m.name,
		CountyNumber:       m.countyNumber,
		CountyName:         m.countyName,
	}
	if letter > 0 {
		a.HouseLetter = string(rune('A' + letter - 1))
	}
	return a
}

// streetLine is the address's first printed line, "Storgata 5B".
func (a Address) streetLine() string {
	return a.StreetName + " " + strconv.Itoa(a.HouseNumber) + a.HouseLetter
}

// addressCode is the municipality's code for the street (FREG: adressekode),
// stable per municipality and street name.
func (a Address) addressCode() string {
	h := uint64(14695981039346656037)
	for _, b := range []byte(a.MunicipalityNumber + "/" + a.StreetName) {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return strconv.FormatUint(1000+h%9000, 10)
}

// cadastralIdentifier is the mapping authority's id of the address.
func (a Address) cadastralIdentifier() string {
	h := uint64(14695981039346656037)
	for _, b := range []byte(a.MunicipalityNumber + "/" + a.StreetName + "/" + strconv.Itoa(a.HouseNumber) + a.HouseLetter) {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return strconv.FormatUint(10_000_000+h%190_000_000, 10)
}

func (a Address) residential(meta Meta, moveDate time.Time, confidentiality string) ResidentialAddress {
	return ResidentialAddress{
		Meta: meta,
		StreetAddress: StreetAddress{
			MunicipalityNumber: a.MunicipalityNumber,
			MunicipalityName:   a.MunicipalityName,
			CountyNumber:       a.CountyNumber,
			CountyName:         a.CountyName,
			AddressName:        a.StreetName,
			AddressNumber:      AddressNumber{HouseNumber: strconv.Itoa(a.HouseNumber), HouseLetter: a.HouseLetter},
			AddressCode:        a.addressCode(),
			City:               City{CityName: a.City, PostalCode: a.PostalCode},
		},
		CadastralIdentifier:    a.cadastralIdentifier(),
		AddressConfidentiality: confidentiality,
		MoveDate:               moveDate,
	}
}

func (a Address) postal(meta Meta) PostalAddress {
	return PostalAddress{
		Meta:                   meta,
		AddressConfidentiality: protUnclassified,
		StreetAddress: PostalStreetAddress{
			AddressName:         a.StreetName,
			StreetAddressNumber: AddressNumber{HouseNumber: strconv.Itoa(a.HouseNumber), HouseLetter: a.HouseLetter},
			City:                City{CityName: a.City, PostalCode: a.PostalCode},
		},
	}
}

// addressOfResidential reads an Address back from the wire form.
func addressOfResidential(r ResidentialAddress) Address {
	s := r.StreetAddress
	n, _ := strconv.Atoi(s.AddressNumber.HouseNumber)
	return Address{
		StreetName: s.AddressName, HouseNumber: n, HouseLetter: s.AddressNumber.HouseLetter,
		PostalCode: s.City.PostalCode, City: s.City.CityName,
		MunicipalityNumber: s.MunicipalityNumber, MunicipalityName: s.MunicipalityName,
		CountyNumber: s.CountyNumber, CountyName: s.CountyName,
	}
}

func addressOfPostal(p PostalAddress) Address {
	s := p.StreetAddress
	n, _ := strconv.Atoi(s.StreetAddressNumber.HouseNumber)
	return Address{
		StreetName: s.AddressName, HouseNumber: n, HouseLetter: s.StreetAddressNumber.HouseLetter,
		PostalCode: s.City.PostalCode, City: s.City.CityName,
	}
}

// shortName is FREG's abbreviated name (at most 25 characters, family name
// first): middle and then given names shrink to initials when too long.
func shortName(given, middle, family string) string {
	parts := []string{family}
	parts = append(parts, strings.Fields(given)...)
	if middle != "" {
		parts = append(parts, middle)
	}
	for i := len(parts) - 1; i >= 1 && len([]rune(strings.Join(parts, " "))) > 25; i-- {
		parts[i] = string([]rune(parts[i])[:1])
	}
	return strings.Join(parts, " ")
}

func nameValue(meta Meta, given, middle, family string) Name {
	return Name{Meta: meta, GivenName: given, MiddleName: middle, FamilyName: family, ShortName: shortName(given, middle, family)}
}

// protectionLevel is the person's current address protection, protNone when
// there is none.
func protectionLevel(p Person) string {
	for _, a := range slices.Backward(p.AddressProtection) {
		if a.IsValid {
			return a.ProtectionLevel
		}
	}
	return protNone
}

// confidentialityFor is the addressConfidentiality a residential address
// carries under a protection level.
func confidentialityFor(level string) string {
	if level == protNone {
		return protUnclassified
	}
	return level
}

// refreshPreferred keeps the preferred contact address in step with the
// postal and residential addresses: the postal address when there is one,
// else the residential address, else none. A change closes the old value.
func refreshPreferred(p *Person, at time.Time) {
	var want *PreferredContactAddress
	level := protectionLevel(*p)
	for _, pa := range slices.Backward(p.PostalAddress) {
		if pa.IsValid {
			a := addressOfPostal(pa)
			want = &PreferredContactAddress{AddressType: addrTypePostal, AddressConfidentiality: protUnclassified,
				FreeformContactAddress: FreeformAddress{AddressLine: []string{a.streetLine(), a.PostalCode + " " + strings.ToUpper(a.City)}, CountryCode: "NO"}}
			break
		}
	}
	if want == nil {
		for _, ra := range slices.Backward(p.ResidentialAddress) {
			if ra.IsValid {
				a := addressOfResidential(ra)
				want = &PreferredContactAddress{AddressType: addrTypeResidential, AddressConfidentiality: confidentialityFor(level),
					FreeformContactAddress: FreeformAddress{AddressLine: []string{a.streetLine(), a.PostalCode + " " + strings.ToUpper(a.City)}, CountryCode: "NO"}}
				break
			}
		}
	}
	for i := range p.PreferredContactAddress {
		cur := &p.PreferredContactAddress[i]
		if !cur.IsValid {
			continue
		}
		if want != nil && cur.AddressType == want.AddressType && cur.AddressConfidentiality == want.AddressConfidentiality &&
			slices.Equal(cur.FreeformContactAddress.AddressLine, want.FreeformContactAddress.AddressLine) {
			return
		}
		end(&cur.Meta, at)
	}
	if want != nil {
		want.Meta = registered(at, 0)
		want.RegisteredAt = at
		p.PreferredContactAddress = append(p.PreferredContactAddress, *want)
	}
}

// basePerson materialises the unchanged person at index i from its core and
// its detail stream. The draws happen in a fixed order: changing it changes
// every population.
func (p *Population) basePerson(i int32) Person {
	c := &p.cores[i]
	cat := p.cat
	d := newRNG(p.seed, streamDetail, uint64(i))
	birth := dateOf(c.birth)
	dnum := c.flags&fDNumber != 0
	female := c.flags&fFemale != 0

	// When the person entered the register: at birth, or for a D-number
	// holder on arrival for work or study.
	latest := refDate
	if c.flags&fEdge != 0 {
		latest = refDate.AddDate(-6, 0, 0)
	}
	entered := birth
	if dnum {
		from := laterOf(birth.AddDate(18, 0, 0), time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC))
		entered = from.AddDate(0, 0, d.between(0, max(0, int(latest.Sub(from).Hours()/24)-60)))
	}
	lag := d.between(3, 14)
	base := registered(entered, lag)

	seqRNG := newRNG(p.seed, streamSeq, uint64(i))
	person := Person{
		ID:             p.personID(i),
		SequenceNumber: 1 + int64(seqRNG.next()%uint64(FirstEventSequence-1)),
	}

	// Identity number.
	ninType := ninTypeNational
	if dnum {
		ninType = ninTypeD
	}
	person.NorwegianIdentificationNumber = []IdentificationNumber{{
		Meta: base, Status: ninInUse, IdentificationNumber: formatNIN(c.nin), IdentificationNumberType: ninType,
	}}

	// Name.
	given := cat.given[c.given]
	if c.given2 != noName {
		given += " " + cat.given[c.given2]
	}
	middle := ""
	if c.middle != noName {
		middle = cat.family[c.middle]
	}
	family := cat.family[c.family]
	person.Name = []Name{nameValue(base, given, middle, family)}

	// Birth.
	b := Birth{Meta: base, BirthDate: birth, BirthYear: strconv.Itoa(birth.Year())}
	if oi := cat.familyOrigin[c.family]; dnum && oi >= 0 {
		o := origins[oi]
		b.BirthCountry = o.country
		b.BirthPlace = o.cities[d.intn(len(o.cities))]
	} else {
		m := municipalities[cat.muniPick.pick(&d)]
		b.BirthCountry = "NOR"
		b.BirthMunicipalityNumber, b.BirthMunicipalityName = m.number, m.name
		b.BirthCountyNumber, b.BirthCountyName = m.countyNumber, m.countyName
	}
	person.Birth = []Birth{b}

	gender := "Male"
	if female {
		gender = "Female"
	}
	person.Gender = []Gender{{Meta: base, Gender: gender}}

	citizenship := "NOR"
	if oi := cat.familyOrigin[c.family]; dnum && oi >= 0 {
		citizenship = origins[oi].country
	}
	person.Citizenship = []Citizenship{{Meta: base, CountryCode: citizenship}}

	// Addresses: the current one, and for some an earlier one.
	home := cat.addressAt(c.place, c.street, c.house, c.letter)
	level := protNone
	switch {
	case c.flags&fStrict != 0:
		level = protStrict
	case c.flags&fConfidential != 0:
		level = protConfidential
	}
	moved := entered
	if dnum {
		person.Status = []Status{{Meta: base, Status: statusTemporary}}
		person.PostalAddress = []PostalAddress{home.postal(base)}
	} else {
		person.Status = []Status{{Meta: base, Status: statusResident}}
		adult := birth.AddDate(18, 0, 0)
		if adult.Before(latest) && d.chance(700) {
			moved = adult.AddDate(0, 0, d.intn(max(1, int(latest.Sub(adult).Hours()/24)-30)))
			prev := cat.addressAt(uint8(d.intn(len(cat.places))), uint8(d.intn(len(streets))), uint8(d.between(1, 120)), 0)
			old := prev.residential(registered(birth, lag), birth, protUnclassified)
			end(&old.Meta, moved)
			person.ResidentialAddress = append(person.ResidentialAddress, old)
		}
		person.ResidentialAddress = append(person.ResidentialAddress, home.residential(registered(moved, d.between(1, 10)), moved, confidentialityFor(level)))
		if c.flags&fPostal != 0 {
			away := cat.addressAt(uint8(d.intn(len(cat.places))), uint8(d.intn(len(streets))), uint8(d.between(1, 120)), 0)
			person.PostalAddress = []PostalAddress{away.postal(registered(moved, 2))}
		}
	}
	if level != protNone {
		from := moved.AddDate(0, 0, d.between(0, 30))
		person.AddressProtection = []AddressProtection{{Meta: registered(from, 1), ProtectionLevel: level}}
	}

	// What ended the residence: death or emigration, after the last move.
	lastEvent := moved
	switch {
	case c.flags&fDeceased != 0:
		died := lastEvent.AddDate(0, 0, 1+d.intn(max(1, int(refDate.Sub(lastEvent).Hours()/24)-2)))
		end(&person.Status[0].Meta, died)
		person.Status = append(person.Status, Status{Meta: registered(died, 2), Status: statusDeceased})
		person.Death = &Death{Meta: registered(died, 2), DeceasedDate: died}
	case c.flags&fEmigrated != 0:
		left := lastEvent.AddDate(0, 0, 1+d.intn(max(1, int(refDate.Sub(lastEvent).Hours()/24)-2)))
		dest := destinations[d.intn(len(destinations))]
		end(&person.Status[0].Meta, left)
		person.Status = append(person.Status, Status{Meta: registered(left, 5), Status: statusEmigrated})
		for k := range person.ResidentialAddress {
			if person.ResidentialAddress[k].IsValid {
				end(&person.ResidentialAddress[k].Meta, left)
			}
		}
		person.EmigrationFromNorway = []Emigration{{Meta: registered(left, 5),
			EmigratedToCountry: dest.country, EmigratedToCity: dest.cities[d.intn(len(dest.cities))], EmigratedMoveDate: left}}
	}
	refreshPreferred(&person, moved.AddDate(0, 0, 1))
	if len(person.PreferredContactAddress) == 0 {
		person.PreferredContactAddress = nil
	}

	// KRR.
	krr := &ContactRegister{Status: "NotRegistered", NotificationStatus: "CanNotBeNotified"}
	if c.flags&fKRR != 0 {
		updated := refDate.AddDate(0, 0, -d.between(30, 3000)).Add(time.Duration(d.between(8*3600, 20*3600)) * time.Second)
		verified := updated.AddDate(0, 0, d.between(0, 25)).Format(time.RFC3339)
		krr = &ContactRegister{Reservation: "No", Status: "Active", NotificationStatus: "CanBeNotified", Language: "nb"}
		if d.chance(50) {
			krr.Reservation = "Yes"
		}
		switch x := d.intn(100); {
		case x < 12:
			krr.Language = "nn"
		case x < 15:
			krr.Language = "en"
		}
		kind := d.intn(100) // 85 both, 10 phone only, 5 e-mail only
		if kind < 95 {
			first := byte('4')
			if d.chance(600) {
				first = '9'
			}
			krr.ContactInformation.PhoneNumber = fmt.Sprintf("+47%c%07d", first, d.intn(10_000_000))
			krr.ContactInformation.PhoneNumberLastUpdated = updated.Format(time.RFC3339)
			krr.ContactInformation.PhoneNumberLastVerified = verified
		}
		if kind < 85 || kind >= 95 {
			local := asciiFold(strings.Fields(given)[0]) + "." + asciiFold(family)
			if d.chance(500) {
				local += strconv.Itoa(d.between(1, 99))
			}
			krr.ContactInformation.Email = local + "@" + emailDomains[d.intn(len(emailDomains))]
			krr.ContactInformation.EmailLastUpdated = updated.Format(time.RFC3339)
			krr.ContactInformation.EmailLastVerified = verified
		}
	}
	person.CommonContactRegisterInformation = krr
	return person
}
