package population

import (
	"cmp"
	"crypto/cipher"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"resepsjon/nin"
)

// Size limits and defaults.
const (
	// DefaultSize is the demo population when Config.Size is 0.
	DefaultSize = 3000
	// MaxSize bounds Config.Size; a million is the benchmark target.
	MaxSize = 5_000_000
	// EdgeCaseMinSize is the smallest population that carries every edge case.
	EdgeCaseMinSize = 50
	// MaxSearchResults is the contract's cap on search answers; Search
	// returns one more match when there are more, so a caller can tell
	// "exactly 100" from "too many".
	MaxSearchResults = 100
	// FirstEventSequence is the sequence number of the first event in the
	// feed. Unchanged persons carry sequence numbers below it: the events that
	// produced them lie before the feed's retention window.
	FirstEventSequence int64 = 1_000_000
)

// Edge case names, the keys of EdgeCases.
const (
	EdgeDeceased             = "deceased"
	EdgeEmigrated            = "emigrated"
	EdgeStrictlyConfidential = "strictly_confidential"
	EdgeConfidential         = "confidential"
	EdgeFormerDNumber        = "former_dnumber" // value: the old D-number
	EdgeRenamed              = "renamed"
	EdgeDNumber              = "dnumber" // a person whose current number is a D-number
)

// edgeIndexes are the fixed positions of the edge cases, the same for every
// seed, all below EdgeCaseMinSize.
var edgeIndexes = []struct {
	name  string
	index int32
}{
	{EdgeDeceased, 7},
	{EdgeEmigrated, 13},
	{EdgeStrictlyConfidential, 19},
	{EdgeConfidential, 23},
	{EdgeFormerDNumber, 29},
	{EdgeRenamed, 31},
	{EdgeDNumber, 37},
}

// Errors callers decide on with errors.Is.
var (
	// ErrConfig is a Config New cannot generate from.
	ErrConfig = errors.New("population: invalid configuration")
	// ErrNotFound is an identity number no person has.
	ErrNotFound = errors.New("population: no such person")
	// ErrDeceased is a change to a person who has died.
	ErrDeceased = errors.New("population: person is deceased")
	// ErrInvalid is a change with invalid data (an empty name, a death date
	// before birth or in the future).
	ErrInvalid = errors.New("population: invalid change")
)

// Config configures New. The population depends only on Seed and Size; Now
// stamps changes made afterwards (nil means time.Now).
type Config struct {
	Seed int64
	Size int
	Now  func() time.Time
}

// Core flags.
const (
	fFemale uint16 = 1 << iota
	fDNumber
	fKRR
	fDeceased
	fEmigrated
	fConfidential
	fStrict
	fPostal
	fOverride // the person has changed: the override holds the truth
	fEdge     // an edge case: its generated history ends early to leave room for the edge's own
)

// core is everything generated per person, packed: the rest of a Person is
// derived from it (and the per-person detail stream) on demand. 24 bytes.
type core struct {
	nin    uint64 // current identity number as a number
	birth  uint16 // days since 1900-01-01
	given  uint16 // index into catalog.given
	given2 uint16 // second given name, or noName
	middle uint16 // index into catalog.family, or noName
	family uint16 // index into catalog.family
	place  uint8  // index into catalog.places
	street uint8  // index into streets
	house  uint8
	letter uint8 // 0 none, 1 = 'A'
	flags  uint16
}

// Population is a deterministic synthetic population register. It is safe
// for concurrent use.
type Population struct {
	seed  int64
	now   func() time.Time
	cat   *catalog
	ids   cipher.Block
	cores []core
	byNIN []int32 // indexes ordered by core.nin
	edges map[string]string

	mu        sync.RWMutex
	overrides map[int32]*override
	historic  map[uint64]int32 // former identity numbers
	events    []Event
}

// Reference dates. Generation never looks at the clock, so a population is
// the same whenever it is made (a demo database stays consistent with it).
var (
	epoch      = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	refDate    = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	earliestBD = time.Date(1925, 1, 1, 0, 0, 0, 0, time.UTC)
	latestBD   = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
)

func dayOf(t time.Time) uint16 { return uint16(t.Sub(epoch).Hours() / 24) }
func dateOf(day uint16) time.Time {
	return epoch.AddDate(0, 0, int(day))
}

// New generates the population for cfg.
func New(cfg Config) (*Population, error) {
	size := cfg.Size
	if size == 0 {
		size = DefaultSize
	}
	if size < 1 || size > MaxSize {
		return nil, fmt.Errorf("%w: size %d not in 1..%d", ErrConfig, cfg.Size, MaxSize)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	cat, err := newCatalog()
	if err != nil {
		return nil, fmt.Errorf("new population: %w", err)
	}
	ids, err := newIDCipher(cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("new population: %w", err)
	}
	p := &Population{
		seed:      cfg.Seed,
		now:       now,
		cat:       cat,
		ids:       ids,
		cores:     make([]core, size),
		edges:     map[string]string{},
		overrides: map[int32]*override{},
		historic:  map[uint64]int32{},
	}
	g := generator{p: p, used: make([]uint64, (int(dayOf(latestBD))+1)*1000/64+1)}
	forced := map[int32]string{}
	if size >= EdgeCaseMinSize {
		for _, e := range edgeIndexes {
			forced[e.index] = e.name
		}
	}
	for i := range p.cores {
		if err := g.generate(int32(i), forced[int32(i)]); err != nil {
			return nil, fmt.Errorf("new population: person %d: %w", i, err)
		}
	}
	if size >= EdgeCaseMinSize {
		if err := p.applyEdgeCases(&g); err != nil {
			return nil, fmt.Errorf("new population: %w", err)
		}
	}
	p.byNIN = make([]int32, size)
	for i := range p.byNIN {
		p.byNIN[i] = int32(i)
	}
	slices.SortFunc(p.byNIN, func(a, b int32) int { return cmp.Compare(p.cores[a].nin, p.cores[b].nin) })
	return p, nil
}

// generator holds what is needed only while generating: the identity
// numbers handed out so far, as a bit per (birth day, individual number).
type generator struct {
	p    *Population
	used []uint64
}

func (g *generator) take(day uint16, individual int) bool {
	k := int(day)*1000 + individual
	if g.used[k/64]&(1<<(k%64)) != 0 {
		return false
	}
	g.used[k/64] |= 1 << (k % 64)
	return true
}

// individualRanges are the individual numbers (the century digits) that fit
// a birth year.
func individualRanges(year int) [][2]int {
	switch {
	case year >= 2000:
		return [][2]int{{500, 999}}
	case year >= 1940:
		return [][2]int{{0, 499}, {900, 999}}
	default:
		return [][2]int{{0, 499}}
	}
}

// number hands out an unused synthetic identity number for a birth day,
// gender and kind, starting at a random individual number.
func (g *generator) number(r *rng, day uint16, male bool, kind nin.Kind) (uint64, error) {
	birth := dateOf(day)
	ranges := individualRanges(birth.Year())
	total := 0
	for _, rg := range ranges {
		total += rg[1] - rg[0] + 1
	}
	start := r.intn(total)
	for k := range total {
		pos := (start + k) % total
		individual := 0
		for _, rg := range ranges {
			if n := rg[1] - rg[0] + 1; pos < n {
				individual = rg[0] + pos
				break
			} else {
				pos -= n
			}
		}
		if (individual%2 == 1) != male {
			continue
		}
		k := int(day)*1000 + individual
		if g.used[k/64]&(1<<(k%64)) != 0 {
			continue
		}
		s, err := nin.Generate(birth, individual, kind, true)
		if errors.Is(err, nin.ErrNoValidCheckDigit) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("identity number for %s: %w", birth.Format(time.DateOnly), err)
		}
		g.take(day, individual)
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("identity number %q: %w", s, err)
		}
		return v, nil
	}
	return 0, fmt.Errorf("no identity number left for %s", birth.Format(time.DateOnly))
}

// generate makes the core of the person at index. force names an edge case
// planned for this index; the core is then shaped to suit it.
func (g *generator) generate(index int32, force string) error {
	cat := g.p.cat
	r := newRNG(g.p.seed, streamCore, uint64(index))
	c := &g.p.cores[index]
	female := r.next()&1 == 0
	dnum := r.chance(40)
	switch force {
	case EdgeFormerDNumber, EdgeDNumber:
		dnum = true
	case "":
	default:
		dnum = false
	}
	var day int
	if dnum {
		day = r.between(int(dayOf(time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC))), int(dayOf(time.Date(2004, 12, 31, 0, 0, 0, 0, time.UTC))))
	} else {
		day = r.between(int(dayOf(earliestBD)), int(dayOf(latestBD)))
	}
	if force != "" {
		c.flags |= fEdge
		if day > int(dayOf(time.Date(2000, 12, 31, 0, 0, 0, 0, time.UTC))) {
			day -= 30 * 365 // edge cases are adults: they move, emigrate, marry
		}
	}
	c.birth = uint16(day)
	c.given2, c.middle = noName, noName
	if dnum {
		c.flags |= fDNumber
		o := &cat.origins[cat.originPick.pick(&r)]
		if female {
			c.given = o.female.pick(&r)
		} else {
			c.given = o.male.pick(&r)
		}
		c.family = o.family.pick(&r)
	} else {
		names := &cat.norMale
		if female {
			names = &cat.norFemale
		}
		c.given = names.pick(&r)
		if r.chance(200) {
			if g2 := names.pick(&r); g2 != c.given {
				c.given2 = g2
			}
		}
		c.family = cat.norFamily.pick(&r)
		if r.chance(120) {
			if m := cat.norFamily.pick(&r); m != c.family {
				c.middle = m
			}
		}
	}
	if female {
		c.flags |= fFemale
	}
	mi := cat.muniPick.pick(&r)
	pl := cat.muniPlaces[mi]
	c.place = pl[r.intn(len(pl))]
	c.street = uint8(r.intn(len(streets)))
	c.house = uint8(r.between(1, 120))
	if r.chance(150) {
		c.letter = uint8(r.between(1, 4))
	}
	age := refDate.Year() - dateOf(c.birth).Year()
	krr, deceased, emigrated := r.chance(820), r.chance(10), r.chance(5)
	confidential, strict, postal := r.chance(3), r.chance(1), r.chance(30)
	if dnum {
		if r.chance(400) {
			c.flags |= fKRR
		}
	} else if force == "" {
		switch {
		case deceased && age >= 1:
			c.flags |= fDeceased
		case emigrated && age >= 18:
			c.flags |= fEmigrated
		case strict:
			c.flags |= fStrict
		case confidential:
			c.flags |= fConfidential
		}
		if krr && age >= 15 && c.flags&fDeceased == 0 {
			c.flags |= fKRR
		}
		if postal && c.flags&(fEmigrated|fStrict) == 0 {
			c.flags |= fPostal
		}
	} else if krr {
		c.flags |= fKRR
	}
	kind := nin.KindNational
	if dnum {
		kind = nin.KindD
	}
	v, err := g.number(&r, c.birth, !female, kind)
	if err != nil {
		return err
	}
	c.nin = v
	return nil
}

// Size returns the number of persons.
func (p *Population) Size() int { return len(p.cores) }

// EdgeCases returns the edge cases by name (the Edge* constants) with the
// identity number to look each up by: the current number, except for
// former_dnumber whose value is the old D-number. Populations smaller than
// EdgeCaseMinSize have none. Edge cases sit at fixed positions (persons 7,
// 13, 19, 23, 29, 31 and 37) for every seed.
func (p *Population) EdgeCases() map[string]string {
	return maps.Clone(p.edges)
}

// SampleNINs returns n current identity numbers spread evenly over the
// population (all of them when n exceeds the size).
func (p *Population) SampleNINs(n int) []string {
	if n <= 0 {
		return nil
	}
	size := len(p.cores)
	n = min(n, size)
	out := make([]string, 0, n)
	p.mu.RLock()
	defer p.mu.RUnlock()
	for k := range n {
		out = append(out, formatNIN(p.cores[k*size/n].nin))
	}
	return out
}

func formatNIN(v uint64) string {
	return fmt.Sprintf("%011d", v)
}

// parseNIN reads 11 digits; anything else is no identity number.
func parseNIN(s string) (uint64, bool) {
	if len(s) != 11 {
		return 0, false
	}
	var v uint64
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + uint64(s[i]-'0')
	}
	return v, true
}

// indexOfNIN finds a person by current or historic identity number.
// Callers hold p.mu.
func (p *Population) indexOfNIN(s string) (int32, bool) {
	v, ok := parseNIN(s)
	if !ok {
		return 0, false
	}
	i, found := slices.BinarySearchFunc(p.byNIN, v, func(idx int32, v uint64) int { return cmp.Compare(p.cores[idx].nin, v) })
	if found {
		return p.byNIN[i], true
	}
	idx, ok := p.historic[v]
	return idx, ok
}

// ByNIN returns the person with this current or historic identity number
// (11 digits).
func (p *Population) ByNIN(s string) (Person, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	i, ok := p.indexOfNIN(s)
	if !ok {
		return Person{}, false
	}
	return p.exportLocked(i), true
}

// ByID returns the person with this person id.
func (p *Population) ByID(id string) (Person, bool) {
	i, ok := p.indexOfID(id)
	if !ok {
		return Person{}, false
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.exportLocked(i), true
}

// exportLocked returns the person as lookups hand it out: a copy, without
// any address when the address is strictly confidential (the API never
// discloses one). Callers hold p.mu.
func (p *Population) exportLocked(i int32) Person {
	var person Person
	if p.cores[i].flags&fOverride != 0 {
		person = p.overrides[i].person.clone()
	} else {
		person = p.basePerson(i)
	}
	if protectionLevel(person) == protStrict {
		person.ResidentialAddress = nil
		person.PostalAddress = nil
		person.PreferredContactAddress = nil
	}
	return person
}
