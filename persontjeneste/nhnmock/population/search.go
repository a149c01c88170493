package population

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// SearchQuery is a search/person request's form fields, named as in the
// contract (which also has Gender and CityName). The server has checked the
// contract's rules already; empty fields are not criteria.
type SearchQuery struct {
	GivenName          string
	MiddleName         string
	FamilyName         string
	FullName           string
	BirthDate          string // YYYY-MM-DD, or YYYY-MM or YYYY as the contract allows
	Gender             string // Female or Male
	MunicipalityNumber string
	StreetAddress      string // street name words, optionally house number and letter
	PostalCode         string
	CityName           string
}

// Search returns the persons matching every criterion of q, in register
// order, at most MaxSearchResults+1 of them (one more than the contract's cap,
// so the caller can tell that there are too many).
//
// Matching, modelled on the contract's descriptions of the fields:
//   - Names are compared case-insensitively as words: a name splits into words
//     at spaces and hyphens ("Kari-Anne" is "kari" and "anne"), and every word
//     of the query must be the start of some word of the name. GivenName
//     "Kari" finds "Kari-Anne" and "Kari Marie"; FamilyName "Hans" finds
//     "Hansen" and "Hanssen". FullName matches its words against all of given,
//     middle and family name in any order, and only its first three words
//     count (as the contract says). MiddleName never matches a person without
//     one. Letters are not folded: "Odegard" does not find "Ødegård".
//   - BirthDate is exact; a year or year-month matches the whole period.
//   - MunicipalityNumber and PostalCode are exact and CityName matches like a
//     name, all on the current residential address; StreetAddress matches the
//     street name like a name, and a house number and letter in it exactly.
//   - Only current values count: old names and old addresses are not
//     searchable (the contract: "historic information will not be
//     searchable").
//   - Persons without a current residential address (emigrated, D-number
//     holders) never match address criteria, and neither do persons with a
//     strictly confidential address: they are found by name and birth date,
//     never by where they live, and carry no address.
//   - Deceased and emigrated persons are found like everyone else.
func (p *Population) Search(q SearchQuery) []Person {
	cq := p.compile(q)
	p.mu.RLock()
	defer p.mu.RUnlock()
	var hits []int32
	if !cq.impossible {
		for i := range p.cores {
			c := &p.cores[i]
			var ok bool
			if c.flags&fOverride != 0 {
				ok = cq.matchOverride(c, p.overrides[int32(i)])
			} else {
				ok = cq.matchCore(c)
			}
			if ok {
				hits = append(hits, int32(i))
				if len(hits) > MaxSearchResults {
					break
				}
			}
		}
	}
	out := make([]Person, 0, len(hits))
	for _, i := range hits {
		out = append(out, p.exportLocked(i))
	}
	return out
}

// compiledQuery is a query turned into lookups over the catalog's tables, so
// that a million cores are checked with a few array reads each.
type compiledQuery struct {
	impossible bool // some criterion cannot match anyone

	given, middle, family, full []string // query words per field
	givenMask                   []uint8  // per given name: which given words it matches
	middleMask, familyMask      []uint8  // per family-table name
	fullGiven, fullFamily       []uint8  // per name: which FullName words it matches

	birth              bool
	birthFrom, birthTo uint16

	gender uint16 // 0 any, else the required fFemale bit value | 1<<15 marker

	address  bool   // any address criterion
	placeOK  []bool // per place; nil means any
	street   []string
	streetOK []uint8 // per street: which street words it matches
	house    int     // 0 any
	letter   string  // "" any

	// For overrides, the raw criteria.
	muni, postal string
	city         []string
}

const genderSet = 1 << 15

// maxWords bounds the words per field so that a uint8 mask holds them.
const maxWords = 8

func queryWords(s string, limit int) []string {
	w := tokens(s)
	if len(w) > limit {
		w = w[:limit]
	}
	return w
}

// wordMask sets bit j when query word j starts some word of name.
func wordMask(query, name []string) uint8 {
	var m uint8
	for j, q := range query {
		for _, n := range name {
			if strings.HasPrefix(n, q) {
				m |= 1 << j
				break
			}
		}
	}
	return m
}

func all(words []string) uint8 { return uint8(1<<len(words) - 1) }

func masks(query []string, table [][]string) []uint8 {
	if len(query) == 0 {
		return nil
	}
	m := make([]uint8, len(table))
	for i, name := range table {
		m[i] = wordMask(query, name)
	}
	return m
}

func (p *Population) compile(q SearchQuery) *compiledQuery {
	cat := p.cat
	cq := &compiledQuery{
		given:  queryWords(q.GivenName, maxWords),
		middle: queryWords(q.MiddleName, maxWords),
		family: queryWords(q.FamilyName, maxWords),
		full:   queryWords(q.FullName, 3),
	}
	cq.givenMask = masks(cq.given, cat.givenTokens)
	cq.middleMask = masks(cq.middle, cat.familyTokens)
	cq.familyMask = masks(cq.family, cat.familyTokens)
	cq.fullGiven = masks(cq.full, cat.givenTokens)
	cq.fullFamily = masks(cq.full, cat.familyTokens)

	if s := strings.TrimSpace(q.BirthDate); s != "" {
		from, to, ok := birthRange(s)
		if !ok {
			cq.impossible = true
		}
		cq.birth, cq.birthFrom, cq.birthTo = true, from, to
	}
	switch strings.ToLower(strings.TrimSpace(q.Gender)) {
	case "":
	case "female":
		cq.gender = genderSet | fFemale
	case "male":
		cq.gender = genderSet
	default:
		cq.impossible = true
	}

	cq.muni, cq.postal = strings.TrimSpace(q.MunicipalityNumber), strings.TrimSpace(q.PostalCode)
	cq.city = queryWords(q.CityName, maxWords)
	if cq.muni != "" || cq.postal != "" || len(cq.city) > 0 {
		cq.address = true
		cq.placeOK = make([]bool, len(cat.places))
		for i, pl := range cat.places {
			cq.placeOK[i] = cq.placeMatches(municipalities[pl.muni].number, pl.code, cat.cityTokens[i])
		}
	}
	if s := strings.TrimSpace(q.StreetAddress); s != "" {
		cq.address = true
		cq.street, cq.house, cq.letter = parseStreetQuery(s)
		cq.streetOK = masks(cq.street, cat.streetTokens)
	}
	return cq
}

func (cq *compiledQuery) placeMatches(muni, postal string, city []string) bool {
	return (cq.muni == "" || cq.muni == muni) &&
		(cq.postal == "" || cq.postal == postal) &&
		(len(cq.city) == 0 || wordMask(cq.city, city) == all(cq.city))
}

// birthRange turns YYYY, YYYY-MM or YYYY-MM-DD into the days it covers.
func birthRange(s string) (from, to uint16, ok bool) {
	var start, stop time.Time
	switch len(s) {
	case 4:
		y, err := strconv.Atoi(s)
		if err != nil {
			return 0, 0, false
		}
		start = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		stop = start.AddDate(1, 0, -1)
	case 7:
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return 0, 0, false
		}
		start, stop = t, t.AddDate(0, 1, -1)
	case 10:
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return 0, 0, false
		}
		start, stop = t, t
	default:
		return 0, 0, false
	}
	if stop.Before(epoch) || start.After(latestBD) {
		return 0, 0, false
	}
	if start.Before(epoch) {
		start = epoch
	}
	if stop.After(latestBD) {
		stop = latestBD
	}
	return dayOf(start), dayOf(stop), true
}

// parseStreetQuery splits "Storgata 5B" or "kongens gate 12 b" into street
// words, house number and letter.
func parseStreetQuery(s string) (words []string, house int, letter string) {
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == ',' || r == '.' }) {
		switch {
		case house == 0 && f[0] >= '0' && f[0] <= '9':
			digits := strings.TrimRightFunc(f, unicode.IsLetter)
			n, err := strconv.Atoi(digits)
			if err != nil || n <= 0 {
				// Not a house number after all; as a word it can only miss.
				words = append(words, f)
				continue
			}
			house = n
			if rest := f[len(digits):]; rest != "" {
				letter = strings.ToUpper(rest)
			}
		case house > 0 && letter == "" && len([]rune(f)) == 1 && unicode.IsLetter([]rune(f)[0]):
			letter = strings.ToUpper(f)
		default:
			words = append(words, f)
		}
	}
	if len(words) > maxWords {
		words = words[:maxWords]
	}
	return words, house, letter
}

func (cq *compiledQuery) matchBirthGender(c *core) bool {
	if cq.birth && (c.birth < cq.birthFrom || c.birth > cq.birthTo) {
		return false
	}
	if cq.gender != 0 && cq.gender&fFemale != c.flags&fFemale {
		return false
	}
	return true
}

func (cq *compiledQuery) matchCore(c *core) bool {
	if !cq.matchBirthGender(c) {
		return false
	}
	if cq.givenMask != nil {
		m := cq.givenMask[c.given]
		if c.given2 != noName {
			m |= cq.givenMask[c.given2]
		}
		if m != all(cq.given) {
			return false
		}
	}
	if cq.middleMask != nil && (c.middle == noName || cq.middleMask[c.middle] != all(cq.middle)) {
		return false
	}
	if cq.familyMask != nil && cq.familyMask[c.family] != all(cq.family) {
		return false
	}
	if cq.fullGiven != nil {
		m := cq.fullGiven[c.given] | cq.fullFamily[c.family]
		if c.given2 != noName {
			m |= cq.fullGiven[c.given2]
		}
		if c.middle != noName {
			m |= cq.fullFamily[c.middle]
		}
		if m != all(cq.full) {
			return false
		}
	}
	if cq.address {
		if c.flags&(fDNumber|fEmigrated|fStrict) != 0 {
			return false
		}
		if cq.placeOK != nil && !cq.placeOK[c.place] {
			return false
		}
		if cq.streetOK != nil && cq.streetOK[c.street] != all(cq.street) {
			return false
		}
		if cq.house != 0 && int(c.house) != cq.house {
			return false
		}
		if cq.letter != "" && (c.letter == 0 || string(rune('A'+c.letter-1)) != cq.letter) {
			return false
		}
	}
	return true
}

func (cq *compiledQuery) matchOverride(c *core, o *override) bool {
	if !cq.matchBirthGender(c) {
		return false
	}
	if len(cq.given) > 0 && wordMask(cq.given, o.given) != all(cq.given) {
		return false
	}
	if len(cq.middle) > 0 && wordMask(cq.middle, o.middle) != all(cq.middle) {
		return false
	}
	if len(cq.family) > 0 && wordMask(cq.family, o.family) != all(cq.family) {
		return false
	}
	if len(cq.full) > 0 && wordMask(cq.full, o.given)|wordMask(cq.full, o.middle)|wordMask(cq.full, o.family) != all(cq.full) {
		return false
	}
	if cq.address {
		a := o.address
		if a == nil || o.strict {
			return false
		}
		if !cq.placeMatches(a.MunicipalityNumber, a.PostalCode, tokens(a.City)) {
			return false
		}
		if len(cq.street) > 0 && wordMask(cq.street, tokens(a.StreetName)) != all(cq.street) {
			return false
		}
		if cq.house != 0 && a.HouseNumber != cq.house {
			return false
		}
		if cq.letter != "" && a.HouseLetter != cq.letter {
			return false
		}
	}
	return true
}
