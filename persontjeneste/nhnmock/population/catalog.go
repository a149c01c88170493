package population

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode"
)

// noName marks an absent second given name or middle name in a core.
const noName = math.MaxUint16

// picker draws an entry index with probability proportional to its weight.
type picker struct {
	index []uint16
	cum   []uint32
}

func (p *picker) add(index, weight int) {
	total := uint32(0)
	if n := len(p.cum); n > 0 {
		total = p.cum[n-1]
	}
	p.index = append(p.index, uint16(index))
	p.cum = append(p.cum, total+uint32(weight))
}

func (p *picker) pick(r *rng) uint16 {
	x := uint32(r.intn(int(p.cum[len(p.cum)-1])))
	i := sort.Search(len(p.cum), func(i int) bool { return p.cum[i] > x })
	return p.index[i]
}

// place is one postal code in a municipality, the unit a core's address
// points to.
type place struct {
	muni int // index into municipalities
	code string
	city string
}

// originNames are an origin's names as indexes into the catalog's tables.
type originNames struct {
	female, male, family picker
}

// catalog is the name and address tables in the indexed form cores refer
// to, with the search tokens of every entry precomputed. It is built once by
// New and read-only afterwards.
type catalog struct {
	given  []string
	family []string

	givenTokens  [][]string
	familyTokens [][]string
	streetTokens [][]string
	cityTokens   [][]string

	norFemale, norMale, norFamily picker
	origins                       []originNames
	originPick                    picker
	familyOrigin                  []int8 // -1 for Norwegian names, else index into origins

	places     []place
	muniPlaces [][]uint8
	muniPick   picker
}

func newCatalog() (*catalog, error) {
	c := &catalog{}
	addGiven := func(name string) int {
		c.given = append(c.given, name)
		c.givenTokens = append(c.givenTokens, tokens(name))
		return len(c.given) - 1
	}
	addFamily := func(name string, origin int) int {
		c.family = append(c.family, name)
		c.familyTokens = append(c.familyTokens, tokens(name))
		c.familyOrigin = append(c.familyOrigin, int8(origin))
		return len(c.family) - 1
	}
	for _, n := range norwegianFemale {
		c.norFemale.add(addGiven(n.name), n.w)
	}
	for _, n := range norwegianMale {
		c.norMale.add(addGiven(n.name), n.w)
	}
	for _, n := range norwegianFamily {
		c.norFamily.add(addFamily(n.name, -1), n.w)
	}
	for oi, o := range origins {
		var on originNames
		for _, n := range o.female {
			on.female.add(addGiven(n), 1)
		}
		for _, n := range o.male {
			on.male.add(addGiven(n), 1)
		}
		for _, n := range o.family {
			on.family.add(addFamily(n, oi), 1)
		}
		c.origins = append(c.origins, on)
		c.originPick.add(oi, o.w)
	}
	for mi, m := range municipalities {
		var idx []uint8
		for _, pp := range m.postal {
			c.places = append(c.places, place{muni: mi, code: pp.code, city: pp.city})
			c.cityTokens = append(c.cityTokens, tokens(pp.city))
			idx = append(idx, uint8(len(c.places)-1))
		}
		c.muniPlaces = append(c.muniPlaces, idx)
		c.muniPick.add(mi, m.w)
	}
	for _, s := range streets {
		c.streetTokens = append(c.streetTokens, tokens(s))
	}
	// Cores store these indexes in uint8 and uint16 fields.
	if len(c.places) > math.MaxUint8+1 || len(streets) > math.MaxUint8+1 {
		return nil, fmt.Errorf("population tables: %d places, %d streets exceed a byte", len(c.places), len(streets))
	}
	if len(c.given) >= noName || len(c.family) >= noName {
		return nil, fmt.Errorf("population tables: %d given, %d family names exceed 16 bits", len(c.given), len(c.family))
	}
	return c, nil
}

// tokens splits a name, street or city into lower-case words at white
// space and hyphens: "Kari-Anne" is "kari" and "anne".
func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-'
	})
}

// asciiFold spells a name the way it is typed into an e-mail address.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'æ':
			b.WriteString("ae")
		case 'ø', 'ö', 'ó':
			b.WriteByte('o')
		case 'å', 'á', 'ą', 'ä':
			b.WriteByte('a')
		case 'é', 'ę':
			b.WriteByte('e')
		case 'ü':
			b.WriteByte('u')
		case 'í':
			b.WriteByte('i')
		case 'ł':
			b.WriteByte('l')
		case 'ń':
			b.WriteByte('n')
		case 'ś':
			b.WriteByte('s')
		case 'ć':
			b.WriteByte('c')
		case 'ź', 'ż':
			b.WriteByte('z')
		default:
			if r >= 'a' && r <= 'z' {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
