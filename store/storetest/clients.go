// Package storetest generates synthetic clients for tests, benchmarks and
// load programs. Every person is made up: names are drawn from lists of common
// Norwegian names, and identity numbers are synthetic (Tenor-style, month+80),
// so they can never be a real person's number.
package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"resepsjon/nin"
	"resepsjon/register"
)

// Name lists, most frequent first: pickZipf draws early entries more often,
// as in a real register where a few family names are very common.
var (
	familyNames = []string{
		"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
		"Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
		"Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
		"Lund", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
		"Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen",
		"Mathisen", "Lie", "Amundsen", "Nguyen", "Rasmussen", "Lunde", "Solheim", "Berge",
		"Moe", "Nygård", "Bakke", "Kristensen", "Fredriksen", "Holm", "Lien", "Hauge",
		"Christensen", "Andresen", "Nielsen", "Knudsen", "Evensen", "Sæther", "Aas", "Myhre",
		"Hanssen", "Haugland", "Thomassen", "Sivertsen", "Simonsen", "Danielsen", "Berntsen",
		"Sandvik", "Rønning", "Arnesen", "Antonsen", "Næss", "Vik", "Haug", "Ellingsen",
		"Thorsen", "Edvardsen", "Birkeland", "Isaksen", "Gulbrandsen", "Ruud", "Aasen", "Strøm",
		"Myklebust", "Tangen", "Ødegård", "Eliassen", "Helland", "Bøe", "Jenssen", "Aune",
		"Mikkelsen", "Tveit", "Brekke", "Abrahamsen", "Madsen", "Nordmann", "Østby", "Åsen",
		"Øvre", "Ås", "Ærø", "Zahl", "Ørnes", "Åmodt", "Ølstad", "Bråten", "Sæbø", "Grønli",
		"Løkken", "Høyland", "Kvåle", "Nordby", "Nordli", "Fjær", "Berg-Hansen", "Lie-Nielsen",
	}
	maleNames = []string{
		"Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Thomas",
		"Hans", "Geir", "Tor", "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "John",
		"Anders", "Rune", "Trond", "Tore", "Jon", "Harald", "Olav", "Ola", "Espen", "Kristian",
		"Håkon", "Magnus", "Even", "Sindre", "Jørgen", "Øyvind", "Ståle", "Pål", "Åsmund",
		"Ivar", "Kåre", "Emil", "Jonas", "Aksel", "Filip", "Oskar", "Henrik", "Sander",
		"Mathias", "Tobias", "Johannes", "Elias", "Ådne", "Bård", "Sigurd", "Torbjørn",
	}
	femaleNames = []string{
		"Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg",
		"Hilde", "Anna", "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth",
		"Kristin", "Tone", "Hege", "Silje", "Ingeborg", "Turid", "Åse", "Sølvi", "Gørill",
		"Mette", "Nora", "Emma", "Sara", "Sofie", "Olivia", "Ella", "Maja", "Ingvild", "Tuva",
		"Frøydis", "Ragnhild", "Siri", "Synnøve", "Åshild", "Bodil", "Gro", "Signe",
	}
	streets = []string{
		"Storgata", "Kirkeveien", "Skolegata", "Fjordveien", "Bjørkeveien", "Granveien",
		"Sjøgata", "Løvåsveien", "Øvre Slottsgate", "Åsveien", "Bakkegata", "Nedre Vollgate",
		"Kongens gate", "Jernbanegata", "Måkeveien", "Ringveien", "Prestegårdsveien",
	}
	places = []struct{ postal, city, municipality string }{
		{"0150", "Oslo", "0301"}, {"0560", "Oslo", "0301"}, {"5003", "Bergen", "4601"},
		{"7010", "Trondheim", "5001"}, {"4006", "Stavanger", "1103"}, {"9008", "Tromsø", "5501"},
		{"2317", "Hamar", "3403"}, {"1530", "Moss", "3103"}, {"3015", "Drammen", "3005"},
		{"8006", "Bodø", "1804"}, {"6002", "Ålesund", "1508"}, {"4610", "Kristiansand", "4204"},
		{"2815", "Gjøvik", "3407"}, {"1606", "Fredrikstad", "3107"}, {"3111", "Tønsberg", "3905"},
	}
)

// Clients returns n synthetic clients, the same for the same seed. They are
// not stored (ID, Version and times are zero) and their identity numbers are
// unique: synthetic fødselsnumre, some synthetic D-numbers, a few clients
// without one. Names include æ, ø, å, hyphenated given names and middle
// names; phone numbers come in the ways people write them.
func Clients(seed int64, n int) []register.Client {
	g := generator{
		rnd:  rand.New(rand.NewPCG(uint64(seed), 0x5eed_c11e)),
		used: make(map[string]bool, n),
	}
	out := make([]register.Client, n)
	for i := range out {
		out[i] = g.client(i)
	}
	return out
}

type generator struct {
	rnd  *rand.Rand
	used map[string]bool
}

func (g *generator) client(i int) register.Client {
	r := g.rnd
	male := r.IntN(2) == 0
	birth := time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(94*365))
	c := register.Client{
		GivenName:         g.givenName(male),
		FamilyName:        pickZipf(r, familyNames),
		BirthDate:         birth.Format(time.DateOnly),
		Status:            "Resident",
		AddressProtection: register.AddressProtectionNone,
	}
	if male {
		c.Gender = "Male"
	} else {
		c.Gender = "Female"
	}
	if r.IntN(4) == 0 {
		c.MiddleName = pickZipf(r, familyNames)
	}
	switch k := r.IntN(100); {
	case k < 3: // no identity number known
	case k < 8:
		c.NIN, c.NINType = g.nin(birth, male, nin.KindD), register.NINTypeSyntheticD
	default:
		c.NIN, c.NINType = g.nin(birth, male, nin.KindNational), register.NINTypeSynthetic
	}
	c.Phone = g.phone()
	if c.Phone != "" && r.IntN(2) == 0 {
		c.Email = strings.ToLower(ascii(c.GivenName)+"."+ascii(c.FamilyName)) + fmt.Sprintf("%d@example.com", i)
	}
	switch k := r.IntN(1000); {
	case k < 5:
		c.AddressProtection = register.AddressProtectionStrictlyConfidential
	case k < 15:
		c.AddressProtection = register.AddressProtectionConfidential
	}
	if c.AddressProtection != register.AddressProtectionStrictlyConfidential {
		p := places[r.IntN(len(places))]
		c.StreetAddress = fmt.Sprintf("%s %d", streets[r.IntN(len(streets))], 1+r.IntN(120))
		if r.IntN(5) == 0 {
			c.StreetAddress += string(rune('A' + r.IntN(4)))
		}
		c.PostalCode, c.City, c.MunicipalityNumber = p.postal, p.city, p.municipality
	}
	switch k := r.IntN(100); {
	case k < 2:
		// A fixed "today" keeps the output the same on every run.
		today := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		death := birth.AddDate(0, 0, r.IntN(int(today.Sub(birth).Hours()/24)+1))
		c.Status, c.DeathDate = "Deceased", death.Format(time.DateOnly)
	case k < 3:
		c.Status = "Emigrated"
	}
	if r.IntN(3) == 0 && c.NIN != "" {
		c.PersonID = fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Uint64()&(1<<48-1))
		fetched := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(300*24)) * time.Hour)
		seq := int64(1000 + r.IntN(1_000_000))
		c.FetchedAt, c.SequenceNumber = &fetched, &seq
	}
	if r.IntN(20) == 0 {
		c.Notes = "Foretrekker timer før kl. 10.\nTrenger tolk (syntetisk merknad)."
	}
	return c
}

// givenName is one name, sometimes two joined by a hyphen ("Ola-Kristian").
func (g *generator) givenName(male bool) string {
	names := femaleNames
	if male {
		names = maleNames
	}
	first := pickZipf(g.rnd, names)
	if g.rnd.IntN(10) == 0 {
		if second := pickZipf(g.rnd, names); second != first {
			return first + "-" + second
		}
	}
	return first
}

// nin returns an unused synthetic identity number for the birth date whose
// individual number has the gender's parity (odd: male), or "" when the date
// has run out of numbers.
func (g *generator) nin(birth time.Time, male bool, kind nin.Kind) string {
	lo, hi := 0, 499
	if birth.Year() >= 2000 {
		lo, hi = 500, 999
	}
	start := lo + g.rnd.IntN(hi-lo+1)
	for k := 0; k <= hi-lo; k++ {
		ind := lo + (start-lo+k)%(hi-lo+1)
		if (ind%2 == 1) != male {
			continue
		}
		s, err := nin.Generate(birth, ind, kind, true)
		if errors.Is(err, nin.ErrNoValidCheckDigit) {
			continue
		}
		if err != nil {
			panic(fmt.Sprintf("storetest: generate identity number: %v", err)) // a bug in the ranges above
		}
		if !g.used[s] {
			g.used[s] = true
			return s
		}
	}
	return ""
}

// phone is a mobile or landline number written one of the usual ways, a
// foreign number now and then, or "" for about one client in ten.
func (g *generator) phone() string {
	r := g.rnd
	k := r.IntN(100)
	if k < 10 {
		return ""
	}
	if k < 12 {
		return fmt.Sprintf("+46 70 %03d %02d %02d", r.IntN(1000), r.IntN(100), r.IntN(100))
	}
	first := []int{4, 9, 9, 9, 2, 5, 7}[r.IntN(7)]
	d := fmt.Sprintf("%d%07d", first, r.IntN(10_000_000))
	switch r.IntN(4) {
	case 0:
		return d
	case 1:
		return d[:3] + " " + d[3:5] + " " + d[5:]
	case 2:
		return "+47 " + d[:3] + " " + d[3:5] + " " + d[5:]
	default:
		return "+47" + d
	}
}

// pickZipf draws from list with weight 1/(i+4) for entry i.
func pickZipf(r *rand.Rand, list []string) string {
	total := 0.0
	for i := range list {
		total += 1 / float64(i+4)
	}
	x := r.Float64() * total
	for i, s := range list {
		x -= 1 / float64(i+4)
		if x < 0 {
			return s
		}
	}
	return list[len(list)-1]
}

// ascii replaces the Norwegian letters for e-mail addresses.
func ascii(s string) string {
	return strings.NewReplacer("æ", "ae", "ø", "o", "å", "a", "Æ", "Ae", "Ø", "O", "Å", "A", "-", "").Replace(s)
}
