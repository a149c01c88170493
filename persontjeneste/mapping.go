package persontjeneste

import (
	"strconv"
	"strings"
	"time"

	"resepsjon/nin"
	"resepsjon/register"
)

// Gender values of a client draft.
const (
	ClientGenderMale    = "Male"
	ClientGenderFemale  = "Female"
	ClientGenderUnknown = "Unknown"
)

// Badges for the search result list.
const (
	BadgeDeceased         = "deceased"
	BadgeEmigrated        = "emigrated"
	BadgeAddressProtected = "address_protected"
	BadgeDNumber          = "dnumber"
)

// ToClient maps p to a draft client (not saved): the register's current
// values only (isValid true; of several, the newest). A strictly confidential
// address leaves every address field empty; other protection levels keep the
// address and carry the marker in AddressProtection. Phone and Email are only
// ever filled from the person's own KRR entry. now becomes FetchedAt.
func ToClient(p Person, now time.Time) register.Client {
	c := register.Client{PersonID: p.ID}
	fetched := now
	c.FetchedAt = &fetched
	if p.SequenceNumber != 0 {
		seq := p.SequenceNumber
		c.SequenceNumber = &seq
	}
	for _, f := range Fields {
		f.Set(&c, f.From(p))
	}
	return c
}

// currentName is the person's current name, trimmed (empty without one).
func currentName(p Person) PersonName {
	n, _ := newestCurrent(p.Name)
	n.GivenName = strings.TrimSpace(n.GivenName)
	n.MiddleName = strings.TrimSpace(n.MiddleName)
	n.FamilyName = strings.TrimSpace(n.FamilyName)
	return n
}

// clientNIN is the number in use and its type as the register files it.
func clientNIN(p Person) (number, typ string) {
	n, ok := currentNIN(p.NorwegianIdentificationNumber)
	if !ok {
		return "", ""
	}
	number = strings.TrimSpace(n.IdentificationNumber)
	typ = clientNINType(n.IdentificationNumberType, number)
	// The register files a valid number under the type its digits tell,
	// synthetic test numbers included (the API types those like real
	// ones); the draft does the same, so that a refresh never proposes a
	// type change the register would undo on saving.
	if parsed, err := nin.Parse(number); err == nil {
		typ = parsed.Type()
	}
	return number, typ
}

func birthDateOf(p Person) string {
	if b, ok := newestCurrent(p.Birth); ok {
		return b.BirthDate.Date()
	}
	return ""
}

func genderOf(p Person) string {
	if g, ok := newestCurrent(p.Gender); ok {
		switch g.Gender {
		case GenderMale:
			return ClientGenderMale
		case GenderFemale:
			return ClientGenderFemale
		}
	}
	return ClientGenderUnknown
}

func statusOf(p Person) string {
	if s, ok := newestCurrent(p.Status); ok {
		return s.Status
	}
	return ""
}

func deathDateOf(p Person) string {
	if p.Death != nil && p.Death.Current() {
		return p.Death.DeceasedDate.Date()
	}
	return ""
}

// addressOf is a client with only the address fields filled: the
// protection, and for any but a strictly confidential address the
// residential address and a postal address that differs from it.
func addressOf(p Person) register.Client {
	var c register.Client
	res, hasRes := newestCurrent(p.ResidentialAddress)
	level := protectionLevel(p, res, hasRes)
	c.AddressProtection = clientProtection(level)
	if level != ConfidentialityStrictlyConfidential {
		var resLine string
		if hasRes {
			resLine = fillResidential(&c, res)
		}
		if post := postalLine(p); post != "" && !sameAddress(post, resLine) {
			c.PostalAddress = post
		}
	}
	return c
}

// contactOf is the person's phone and e-mail from the contact register
// (KRR), trimmed; empty when KRR has none in use.
func contactOf(p Person) ContactInformationResource {
	krr := p.CommonContactRegisterInformation
	if krr == nil || krr.ContactInformation == nil || krr.Status == KRRStatusDeleted || krr.Status == KRRStatusNotRegistered {
		return ContactInformationResource{}
	}
	return ContactInformationResource{Email: strings.TrimSpace(krr.ContactInformation.Email),
		PhoneNumber: strings.TrimSpace(krr.ContactInformation.PhoneNumber)}
}

// Badges marks a search result for the list: deceased, emigrated, address
// protected, D-number. Never nil, so it encodes as a JSON array.
func Badges(p Person) []string {
	badges := []string{}
	status := ""
	if s, ok := newestCurrent(p.Status); ok {
		status = s.Status
	}
	if status == StatusDeceased || (p.Death != nil && p.Death.Current() && p.Death.DeceasedDate != "") {
		badges = append(badges, BadgeDeceased)
	}
	if status == StatusEmigrated {
		badges = append(badges, BadgeEmigrated)
	}
	res, hasRes := newestCurrent(p.ResidentialAddress)
	if protectionRank(protectionLevel(p, res, hasRes)) > 0 {
		badges = append(badges, BadgeAddressProtected)
	}
	if n, ok := currentNIN(p.NorwegianIdentificationNumber); ok &&
		clientNINType(n.IdentificationNumberType, strings.TrimSpace(n.IdentificationNumber)) == register.NINTypeD {
		badges = append(badges, BadgeDNumber)
	}
	return badges
}

// registered is satisfied by every element that embeds Registration.
type registered interface{ registration() Registration }

func (r Registration) registration() Registration { return r }

// newestCurrent picks, of the current elements, the one valid from the
// latest time (then the latest registered); on a tie the later one in the
// list wins.
func newestCurrent[T registered](items []T) (T, bool) {
	var (
		best  T
		found bool
		bestR Registration
	)
	for _, it := range items {
		r := it.registration()
		if !r.Current() {
			continue
		}
		if !found || !newer(bestR, r) {
			best, bestR, found = it, r, true
		}
	}
	return best, found
}

// newer reports whether a is strictly newer than b.
func newer(a, b Registration) bool {
	af, _ := a.ValidFrom.Time()
	bf, _ := b.ValidFrom.Time()
	if !af.Equal(bf) {
		return af.After(bf)
	}
	ar, _ := a.RegisteredAt.Time()
	br, _ := b.RegisteredAt.Time()
	return ar.After(br)
}

// currentNIN picks the identification number to file the client under. A
// person whose D-number was replaced by a fødselsnummer may still have both
// marked current for a while; the number in use and the fødselsnummer win.
func currentNIN(nins []NorwegianIdentificationNumber) (NorwegianIdentificationNumber, bool) {
	var (
		best  NorwegianIdentificationNumber
		found bool
	)
	for _, n := range nins {
		if !n.Current() || strings.TrimSpace(n.IdentificationNumber) == "" {
			continue
		}
		if !found || ninBetter(n, best) {
			best, found = n, true
		}
	}
	return best, found
}

func ninBetter(a, b NorwegianIdentificationNumber) bool {
	if ra, rb := ninStatusRank(a.Status), ninStatusRank(b.Status); ra != rb {
		return ra > rb
	}
	ta := ninTypeRank(clientNINType(a.IdentificationNumberType, a.IdentificationNumber))
	tb := ninTypeRank(clientNINType(b.IdentificationNumberType, b.IdentificationNumber))
	if ta != tb {
		return ta > tb
	}
	return newer(a.Registration, b.Registration)
}

func ninStatusRank(s string) int {
	if s == NINStatusDiscontinued {
		return 0
	}
	return 1
}

func ninTypeRank(t string) int {
	switch t {
	case register.NINTypeNational:
		return 3
	case register.NINTypeD:
		return 2
	default:
		return 1
	}
}

// clientNINType names the number's type with the register's constants. The
// contract types synthetic test numbers like real ones, so they are not
// reclassified. When the API leaves the type out, the number's first digit
// tells: 4–7 is a D-number (day + 40), 8–9 a felles hjelpenummer.
func clientNINType(contractType, nin string) string {
	switch contractType {
	case NINTypeNationalIdentityNumber:
		return register.NINTypeNational
	case NINTypeDNumber:
		return register.NINTypeD
	case "":
	default:
		return contractType
	}
	if nin == "" {
		return ""
	}
	switch nin[0] {
	case '4', '5', '6', '7':
		return register.NINTypeD
	case '8', '9':
		return NINTypeAlternateIdentificationNumber
	default:
		return register.NINTypeNational
	}
}

// protectionLevel is the strictest of the person's overall address
// protection and the current residential address's own grading.
func protectionLevel(p Person, res ResidentialAddress, hasRes bool) string {
	level := ConfidentialityUnclassified
	if ap, ok := newestCurrent(p.AddressProtection); ok && protectionRank(ap.ProtectionLevel) > protectionRank(level) {
		level = ap.ProtectionLevel
	}
	if hasRes && protectionRank(res.AddressConfidentiality) > protectionRank(level) {
		level = res.AddressConfidentiality
	}
	return level
}

func protectionRank(level string) int {
	switch level {
	case ConfidentialityClientAddress:
		return 1
	case ConfidentialityConfidential:
		return 2
	case ConfidentialityStrictlyConfidential:
		return 3
	default:
		return 0
	}
}

func clientProtection(level string) string {
	switch level {
	case ConfidentialityClientAddress:
		return register.AddressProtectionClientAddress
	case ConfidentialityConfidential:
		return register.AddressProtectionConfidential
	case ConfidentialityStrictlyConfidential:
		return register.AddressProtectionStrictlyConfidential
	default:
		return register.AddressProtectionNone
	}
}

// fillResidential copies the residential address into c and returns it as
// one line, for comparing with the postal address.
func fillResidential(c *register.Client, a ResidentialAddress) string {
	var city *City
	switch {
	case a.StreetAddress != nil:
		s := a.StreetAddress
		c.StreetAddress = streetLine(s.AddressName, s.AddressNumber)
		c.MunicipalityNumber = strings.TrimSpace(s.MunicipalityNumber)
		city = s.City
	case a.CadastralAddress != nil:
		ca := a.CadastralAddress
		c.StreetAddress = cadastralLine(ca)
		if ca.CadastralNumber != nil {
			c.MunicipalityNumber = strings.TrimSpace(ca.CadastralNumber.MunicipalityNumber)
		}
		city = ca.City
	case a.UnknownResidence != nil:
		c.MunicipalityNumber = strings.TrimSpace(a.UnknownResidence.MunicipalityNumber)
	}
	if city != nil {
		c.PostalCode = strings.TrimSpace(city.PostalCode)
		c.City = strings.TrimSpace(city.CityName)
	}
	return joinNonEmpty(", ", c.StreetAddress, postalCity(city))
}

// streetLine gives "Storgata 12 B".
func streetLine(name string, num *StreetAddressNumber) string {
	if num == nil {
		return strings.TrimSpace(name)
	}
	return joinNonEmpty(" ", name, num.HouseNumber, num.HouseLetter)
}

// cadastralLine names a property address: its additional name (farm or
// building name) when it has one, else "gnr. 12 bnr. 3".
func cadastralLine(ca *CadastralAddress) string {
	if name := strings.TrimSpace(ca.AddressAdditionalName); name != "" {
		return name
	}
	n := ca.CadastralNumber
	if n == nil || n.MunicipalityLandNumber == nil || n.TitleNumber == nil {
		return ""
	}
	line := "gnr. " + strconv.FormatInt(*n.MunicipalityLandNumber, 10) + " bnr. " + strconv.FormatInt(*n.TitleNumber, 10)
	if n.LeaseholdNumber != nil && *n.LeaseholdNumber != 0 {
		line += " fnr. " + strconv.FormatInt(*n.LeaseholdNumber, 10)
	}
	return line
}

func postalCity(c *City) string {
	if c == nil {
		return ""
	}
	return joinNonEmpty(" ", c.PostalCode, c.CityName)
}

// postalLine gives the current postal address as one line: the Norwegian
// postal address, else one abroad, else the (deprecated) preferred contact
// address when it is a postal one. Strictly confidential ones are skipped.
func postalLine(p Person) string {
	if a, ok := newestCurrent(p.PostalAddress); ok && a.AddressConfidentiality != ConfidentialityStrictlyConfidential {
		switch {
		case a.StreetAddress != nil:
			s := a.StreetAddress
			return joinNonEmpty(", ", s.CoAddressName, s.AddressAdditionalName, streetLine(s.AddressName, s.StreetAddressNumber), postalCity(s.City))
		case a.PostBoxAddress != nil:
			b := a.PostBoxAddress
			return joinNonEmpty(", ", b.PostBoxOwner, b.PostBoxIdentification, postalCity(b.City))
		case a.FreeFormPostalAddress != nil:
			f := a.FreeFormPostalAddress
			return joinNonEmpty(", ", append(append([]string(nil), f.AddressLine...), postalCity(f.City))...)
		}
	}
	if a, ok := newestCurrent(p.ForeignPostalAddress); ok && a.AddressConfidentiality != ConfidentialityStrictlyConfidential {
		switch {
		case a.ForeignAddress != nil:
			f := a.ForeignAddress
			return joinNonEmpty(", ", f.CoAddressName, f.AddressName, f.PostBox,
				joinNonEmpty(" ", f.PostCode, f.CityOrPlaceName), f.Region, f.CountryCode)
		case a.FreeFormForeignAddress != nil:
			f := a.FreeFormForeignAddress
			lines := append([]string(nil), f.AddressLine...)
			return joinNonEmpty(", ", append(lines, joinNonEmpty(" ", f.PostCode, f.CityOrPlaceName), f.CountryCode)...)
		}
	}
	if a, ok := newestCurrent(p.PreferredContactAddress); ok && a.FreeformContactAddress != nil &&
		a.AddressType != "ResidentialAddress" && a.AddressConfidentiality != ConfidentialityStrictlyConfidential {
		f := a.FreeformContactAddress
		lines := append([]string(nil), f.AddressLine...)
		if f.CountryCode != "NO" {
			lines = append(lines, f.CountryCode)
		}
		return joinNonEmpty(", ", lines...)
	}
	return ""
}

// sameAddress compares one-line addresses ignoring case and spacing, since
// FREG writes the same address in capitals in some places.
func sameAddress(a, b string) bool {
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, ",", " ")), " ") }
	return strings.EqualFold(norm(a), norm(b))
}

func joinNonEmpty(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}
