package nin

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// The vectors below were computed by hand (and cross-checked with a separate
// script) from the mod-11 rules; none belongs to a real person's birth date
// and individual number combination knowingly: they are test data only.
func TestParseValid(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		digits    string
		kind      Kind
		synthetic bool
		birth     time.Time
		male      bool
		typ       string
	}{
		{"NHN docs synthetic example", "05898597468", "05898597468", KindNational, true, day(1985, 9, 5), false, "SyntheticNationalIdentityNumber"},
		{"fødselsnummer 1900s", "01019012561", "01019012561", KindNational, false, day(1990, 1, 1), true, "NationalIdentityNumber"},
		{"formatted 6+5", "010190 12561", "01019012561", KindNational, false, day(1990, 1, 1), true, "NationalIdentityNumber"},
		{"surrounding white space", " \t010190 12561\n", "01019012561", KindNational, false, day(1990, 1, 1), true, "NationalIdentityNumber"},
		{"spaces anywhere between digits", "0101 9012 561", "01019012561", KindNational, false, day(1990, 1, 1), true, "NationalIdentityNumber"},
		{"2000s individual 500-999", "15060551232", "15060551232", KindNational, false, day(2005, 6, 15), false, "NationalIdentityNumber"},
		{"1800s individual 500-749", "31127060064", "31127060064", KindNational, false, day(1870, 12, 31), false, "NationalIdentityNumber"},
		{"1940-1999 individual 900-999", "28025595183", "28025595183", KindNational, false, day(1955, 2, 28), true, "NationalIdentityNumber"},
		{"leap day 2000", "29020050088", "29020050088", KindNational, false, day(2000, 2, 29), false, "NationalIdentityNumber"},
		{"D-number", "45018512568", "45018512568", KindD, false, day(1985, 1, 5), true, "DNumber"},
		{"H-number", "01427012316", "01427012316", KindH, false, day(1970, 2, 1), true, "HNumber"},
		{"synthetic 2000s", "10891056708", "10891056708", KindNational, true, day(2010, 9, 10), true, "SyntheticNationalIdentityNumber"},
		{"synthetic D-number", "71819910086", "71819910086", KindD, true, day(1999, 1, 31), false, "SyntheticDNumber"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := Number{Digits: tt.digits, Kind: tt.kind, Synthetic: tt.synthetic, BirthDate: tt.birth, Male: tt.male}
			if n != want {
				t.Fatalf("Parse = %#v, want %#v", n, want)
			}
			if got := n.Type(); got != tt.typ {
				t.Errorf("Type = %q, want %q", got, tt.typ)
			}
			if got := n.String(); got != tt.digits {
				t.Errorf("String = %q, want %q", got, tt.digits)
			}
			if n.BirthDate.Location() != time.UTC {
				t.Errorf("BirthDate location = %v, want UTC", n.BirthDate.Location())
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrLength},
		{"only spaces", "   ", ErrLength},
		{"too short", "0101901256", ErrLength},
		{"too long", "010190125610", ErrLength},
		{"far too long", strings.Repeat("1", 1000), ErrLength},
		{"letter", "0101901256x", ErrNotDigits},
		{"hyphen", "010190-12561", ErrNotDigits},
		{"tab between digits", "010190\t12561", ErrNotDigits},
		{"full-width digits", "０１０１９０１２５６１", ErrNotDigits},
		{"first check digit wrong", "01019012571", ErrChecksum},
		{"second check digit wrong", "01019012562", ErrChecksum},
		{"swapped digits", "10019012561", ErrChecksum},
		{"NHN example mistyped", "05898597469", ErrChecksum},
		{"31 April", "31049012392", ErrDate},
		{"29 February in a common year", "29029912392", ErrDate},
		{"month 00", "01009012571", ErrDate},
		{"month 13", "01139012328", ErrDate},
		{"month 93 (synthetic 13)", "01939012393", ErrDate},
		{"day 00", "00019012360", ErrDate},
		{"day 32", "32019012351", ErrDate},
		{"day 72 (D-number day 32)", "72019012345", ErrDate},
		{"D and H at once", "41429012366", ErrDate},
		{"individual 800 with year 50", "01015080082", ErrIndividual},
		{"individual 600 with year 45", "01014560013", ErrIndividual},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse = %#v, %v; want %v", n, err, tt.want)
			}
			if n != (Number{}) {
				t.Errorf("Parse returned a number with an error: %#v", n)
			}
			// Errors end up in logs; they must never carry the number.
			if len(tt.in) >= 6 && strings.Contains(err.Error(), strings.TrimSpace(tt.in)[:6]) {
				t.Errorf("error %q contains the input", err)
			}
		})
	}
}

func TestCode(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{ErrLength, "nin.length"},
		{ErrNotDigits, "nin.digits"},
		{ErrChecksum, "nin.checksum"},
		{ErrDate, "nin.date"},
		{ErrIndividual, "nin.individual"},
		{ErrOrgLength, "org.length"},
		{ErrOrgNotDigits, "org.digits"},
		{ErrOrgChecksum, "org.checksum"},
		{errors.Join(errors.New("lookup"), ErrChecksum), "nin.checksum"},
		{errors.New("something else"), "invalid"},
	}
	for _, tt := range tests {
		if got := Code(tt.err); got != tt.want {
			t.Errorf("Code(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	// Codes of what Parse really returns, wrapped or not.
	if _, err := Parse("123"); Code(err) != "nin.length" {
		t.Errorf("Code(Parse(short)) = %q", Code(err))
	}
	if _, err := ParseOrgNumber("12"); Code(err) != "org.length" {
		t.Errorf("Code(ParseOrgNumber(short)) = %q", Code(err))
	}
}

func TestTypeNames(t *testing.T) {
	tests := []struct {
		kind      Kind
		synthetic bool
		want      string
	}{
		{KindNational, false, "NationalIdentityNumber"},
		{KindD, false, "DNumber"},
		{KindH, false, "HNumber"},
		{KindNational, true, "SyntheticNationalIdentityNumber"},
		{KindD, true, "SyntheticDNumber"},
		{KindH, true, "SyntheticHNumber"},
	}
	for _, tt := range tests {
		if got := (Number{Kind: tt.kind, Synthetic: tt.synthetic}).Type(); got != tt.want {
			t.Errorf("Type(%v, %v) = %q, want %q", tt.kind, tt.synthetic, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"05898597468", "058985 97468"},
		{"058985 97468", "058985 97468"},
		{" 05898597468 ", " 05898597468 "},
		{"0589859746", "0589859746"},
		{"0589859746x", "0589859746x"},
		{"", ""},
		{"Ødegård", "Ødegård"},
	}
	for _, tt := range tests {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		name       string
		birth      time.Time
		individual int
		kind       Kind
		synthetic  bool
		want       string
		err        error
	}{
		{"NHN docs synthetic example", day(1985, 9, 5), 974, KindNational, true, "05898597468", nil},
		{"fødselsnummer", day(1990, 1, 1), 125, KindNational, false, "01019012561", nil},
		{"D-number", day(1985, 1, 5), 125, KindD, false, "45018512568", nil},
		{"H-number", day(1970, 2, 1), 123, KindH, false, "01427012316", nil},
		{"synthetic D-number", day(1999, 1, 31), 100, KindD, true, "71819910086", nil},
		{"1800s", day(1870, 12, 31), 600, KindNational, false, "31127060064", nil},
		{"2000s", day(2005, 6, 15), 512, KindNational, false, "15060551232", nil},
		{"calendar date of a non-UTC time", time.Date(1990, 1, 1, 23, 30, 0, 0, time.FixedZone("CET", 3600)), 125, KindNational, false, "01019012561", nil},
		{"check digit 10", day(1990, 1, 1), 123, KindNational, false, "", ErrNoValidCheckDigit},
		{"individual 500 in 1990", day(1990, 1, 1), 500, KindNational, false, "", ErrIndividual},
		{"individual 100 in 2005", day(2005, 1, 1), 100, KindNational, false, "", ErrIndividual},
		{"individual 950 in 1930", day(1930, 1, 1), 950, KindNational, false, "", ErrIndividual},
		{"individual 800 in 1870", day(1870, 1, 1), 800, KindNational, false, "", ErrIndividual},
		{"negative individual", day(1990, 1, 1), -1, KindNational, false, "", ErrIndividual},
		{"individual 1000", day(2005, 1, 1), 1000, KindNational, false, "", ErrIndividual},
		{"year 1853", day(1853, 1, 1), 600, KindNational, false, "", ErrDate},
		{"year 2040", day(2040, 1, 1), 600, KindNational, false, "", ErrDate},
		{"synthetic H-number", day(1990, 1, 1), 125, KindH, true, "", ErrKind},
		{"unknown kind", day(1990, 1, 1), 125, Kind(7), false, "", ErrKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Generate(tt.birth, tt.individual, tt.kind, tt.synthetic)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("Generate = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

// TestGenerateParses generates every individual number for dates in each
// century range and kind, and checks Parse agrees on every field.
func TestGenerateParses(t *testing.T) {
	dates := []time.Time{day(1854, 1, 1), day(1899, 12, 31), day(1900, 2, 28), day(1940, 6, 30), day(1999, 12, 31), day(2000, 2, 29), day(2039, 12, 31)}
	kinds := []struct {
		kind      Kind
		synthetic bool
	}{{KindNational, false}, {KindD, false}, {KindH, false}, {KindNational, true}, {KindD, true}}
	for _, birth := range dates {
		for _, k := range kinds {
			valid, noCheck := 0, 0
			for ind := 0; ind <= 999; ind++ {
				digits, err := Generate(birth, ind, k.kind, k.synthetic)
				switch {
				case errors.Is(err, ErrIndividual):
					continue
				case errors.Is(err, ErrNoValidCheckDigit):
					noCheck++
					continue
				case err != nil:
					t.Fatalf("Generate(%v, %d, %v, %v): %v", birth, ind, k.kind, k.synthetic, err)
				}
				valid++
				n, err := Parse(digits)
				if err != nil {
					t.Fatalf("Parse(Generate(%v, %d, %v, %v)): %v", birth, ind, k.kind, k.synthetic, err)
				}
				want := Number{Digits: digits, Kind: k.kind, Synthetic: k.synthetic, BirthDate: birth, Male: ind%2 == 1}
				if n != want {
					t.Fatalf("Parse = %#v, want %#v", n, want)
				}
			}
			if valid == 0 || noCheck == 0 {
				t.Errorf("%v %v %v: %d valid, %d without check digit; want both > 0", birth, k.kind, k.synthetic, valid, noCheck)
			}
		}
	}
}

func TestParseOrgNumber(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		err  error
	}{
		{"public sector example", "974760673", "974760673", nil},
		{"grouped 3+3+3", "974 760 673", "974760673", nil},
		{"surrounding white space", "\t974760673 \n", "974760673", nil},
		{"prefix without any valid check digit", "912345670", "", ErrOrgChecksum},
		{"wrong check digit", "974760674", "", ErrOrgChecksum},
		{"swapped digits", "947760673", "", ErrOrgChecksum},
		{"too short", "97476067", "", ErrOrgLength},
		{"too long", "9747606730", "", ErrOrgLength},
		{"empty", "", "", ErrOrgLength},
		{"letters", "NO974760673", "", ErrOrgNotDigits},
		{"hyphens", "974-760-673", "", ErrOrgNotDigits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseOrgNumber(tt.in)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Fatalf("ParseOrgNumber(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

// TestOrgCheckDigitCases covers the remainders 0 (check digit 0) and 1 (no
// check digit possible) with numbers found by trying prefixes.
func TestOrgCheckDigitCases(t *testing.T) {
	var zero, ten bool
	for p := 90000000; p < 90000100 && !(zero && ten); p++ {
		prefix := strconv.Itoa(p)
		valid := 0
		for k := 0; k <= 9; k++ {
			if _, err := ParseOrgNumber(prefix + strconv.Itoa(k)); err == nil {
				valid++
				if k == 0 {
					zero = true
				}
			}
		}
		switch valid {
		case 0:
			ten = true
		case 1:
		default:
			t.Fatalf("prefix %s has %d valid check digits", prefix, valid)
		}
	}
	if !zero || !ten {
		t.Errorf("check digit 0 seen: %v, prefix without a check digit seen: %v", zero, ten)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"05898597468", "010190 12561", "45018512568", "01427012316", "71819910086", "31127060064", "29020050088", "31049012392", " 0101 9012561 ", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			if Code(err) == "invalid" {
				t.Fatalf("Parse(%q) error %v has no code", s, err)
			}
			return
		}
		if !allDigits(n.Digits, 11) {
			t.Fatalf("Digits = %q", n.Digits)
		}
		again, err := Parse(Format(n.Digits))
		if err != nil || again != n {
			t.Fatalf("Parse(Format(%q)) = %#v, %v; want %#v", n.Digits, again, err, n)
		}
		individual, _ := strconv.Atoi(n.Digits[6:9])
		gen, err := Generate(n.BirthDate, individual, n.Kind, n.Synthetic)
		if err != nil || gen != n.Digits {
			t.Fatalf("Generate(%v, %d, %v, %v) = %q, %v; want %q", n.BirthDate, individual, n.Kind, n.Synthetic, gen, err, n.Digits)
		}
	})
}

func FuzzParseOrgNumber(f *testing.F) {
	for _, s := range []string{"974760673", "974 760 673", "974760674", "", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseOrgNumber(s)
		if err != nil {
			if !strings.HasPrefix(Code(err), "org.") {
				t.Fatalf("ParseOrgNumber(%q) error %v has code %q", s, err, Code(err))
			}
			return
		}
		if !allDigits(got, 9) {
			t.Fatalf("ParseOrgNumber(%q) = %q", s, got)
		}
		again, err := ParseOrgNumber(got)
		if err != nil || again != got {
			t.Fatalf("ParseOrgNumber(%q) = %q, %v; want %q", got, again, err, got)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("058985 97468"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	birth := day(1985, 9, 5)
	for b.Loop() {
		if _, err := Generate(birth, 974, KindNational, true); err != nil {
			b.Fatal(err)
		}
	}
}
