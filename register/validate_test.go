package register

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"resepsjon/nin"
)

// testToday is the date validate is told it is; every test number and date
// below is relative to it.
const testToday = "2025-06-15"

// Synthetic identity numbers (Skatteetaten style, month+80) and one plain
// fødselsnummer built from the mod-11 rules; test data only.
const (
	synthFemale1985 = "05898597468" // NHN's documentation example: 1985-09-05, female
	synthDFemale    = "71819910086" // synthetic D-number: 1999-01-31, female
	plainMale1990   = "01019012561" // fødselsnummer: 1990-01-01, male
)

func validClient() Client {
	return Client{
		GivenName:          "Kari-Anne",
		MiddleName:         "Nordby",
		FamilyName:         "Ødegård",
		Gender:             GenderFemale,
		Status:             "Resident",
		AddressProtection:  AddressProtectionNone,
		StreetAddress:      "Storgata 1",
		PostalCode:         "0150",
		City:               "Oslo",
		MunicipalityNumber: "0301",
		Phone:              "+47 912 34 567",
		Email:              "kari@eksempel.no",
		Notes:              "Foretrekker morgentimer.\nRing før kl. 10.",
	}
}

func futureNIN(t *testing.T) string {
	t.Helper()
	for ind := 500; ind < 1000; ind++ {
		s, err := nin.Generate(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), ind, nin.KindNational, true)
		if err == nil {
			return s
		}
		if !errors.Is(err, nin.ErrNoValidCheckDigit) {
			t.Fatal(err)
		}
	}
	t.Fatal("no number for 2030")
	return ""
}

func TestValidate(t *testing.T) {
	future := futureNIN(t)
	tests := []struct {
		name string
		mod  func(c *Client)
		want map[string]string            // nil: valid
		post func(t *testing.T, c Client) // checks of what Validate changed
	}{
		{
			name: "full valid client unchanged",
			mod:  func(c *Client) {},
			post: func(t *testing.T, c Client) {
				if c != validClient() {
					t.Errorf("client changed: %+v", c)
				}
			},
		},
		{
			name: "only the names",
			mod:  func(c *Client) { *c = Client{GivenName: "Ola", FamilyName: "Nordmann", NINType: NINTypeD} },
			post: func(t *testing.T, c Client) {
				want := Client{GivenName: "Ola", FamilyName: "Nordmann", AddressProtection: AddressProtectionNone}
				if c != want {
					t.Errorf("got %+v, want %+v", c, want)
				}
			},
		},
		{
			name: "surrounding white space trimmed, inner text kept exactly",
			mod: func(c *Client) {
				c.GivenName = "  ola  ÅSE\u00a0"
				c.FamilyName = "\tvan der Berg-A\u030ar\n"
				c.City = " Oslo "
				c.Notes = "\n  første linje\n\tandre linje  \n"
				c.NIN = " 058985 97468 "
				c.Email = " kari@eksempel.no "
			},
			post: func(t *testing.T, c Client) {
				if c.GivenName != "ola  ÅSE" || c.FamilyName != "van der Berg-A\u030ar" || c.City != "Oslo" ||
					c.Notes != "første linje\n\tandre linje" || c.Email != "kari@eksempel.no" {
					t.Errorf("trimmed wrongly: %q %q %q %q %q", c.GivenName, c.FamilyName, c.City, c.Notes, c.Email)
				}
			},
		},
		{
			name: "nin fills type, birth date and gender",
			mod: func(c *Client) {
				c.NIN = "058985 97468"
				c.NINType = NINTypeD
				c.Gender = ""
			},
			post: func(t *testing.T, c Client) {
				if c.NIN != synthFemale1985 || c.NINType != NINTypeSynthetic || c.BirthDate != "1985-09-05" || c.Gender != GenderFemale {
					t.Errorf("got nin %q type %q birth %q gender %q", c.NIN, c.NINType, c.BirthDate, c.Gender)
				}
			},
		},
		{
			name: "nin with matching birth date and an explicit gender",
			mod: func(c *Client) {
				c.NIN = plainMale1990
				c.BirthDate = "1990-01-01"
				c.Gender = GenderUnknown
			},
			post: func(t *testing.T, c Client) {
				if c.NINType != NINTypeNational || c.Gender != GenderUnknown {
					t.Errorf("got type %q gender %q", c.NINType, c.Gender)
				}
			},
		},
		{
			name: "gender and birth date from a male number",
			mod: func(c *Client) {
				c.NIN = plainMale1990
				c.Gender = ""
			},
			post: func(t *testing.T, c Client) {
				if c.Gender != GenderMale || c.BirthDate != "1990-01-01" {
					t.Errorf("got gender %q birth %q", c.Gender, c.BirthDate)
				}
			},
		},
		{
			name: "synthetic D-number type",
			mod:  func(c *Client) { c.NIN = synthDFemale },
			post: func(t *testing.T, c Client) {
				if c.NINType != NINTypeSyntheticD || c.BirthDate != "1999-01-31" {
					t.Errorf("got type %q birth %q", c.NINType, c.BirthDate)
				}
			},
		},
		{
			name: "empty nin clears ninType",
			mod:  func(c *Client) { c.NINType = NINTypeNational },
			post: func(t *testing.T, c Client) {
				if c.NINType != "" {
					t.Errorf("ninType = %q", c.NINType)
				}
			},
		},
		{
			name: "nin check digits wrong, typed value kept",
			mod:  func(c *Client) { c.NIN = "058985 97469"; c.NINType = NINTypeD },
			want: map[string]string{"nin": "nin.checksum"},
			post: func(t *testing.T, c Client) {
				if c.NIN != "058985 97469" || c.BirthDate != "" {
					t.Errorf("nin %q birth %q", c.NIN, c.BirthDate)
				}
			},
		},
		{name: "nin too short", mod: func(c *Client) { c.NIN = "0589859746" }, want: map[string]string{"nin": "nin.length"}},
		{name: "nin with letters", mod: func(c *Client) { c.NIN = "05898597A68" }, want: map[string]string{"nin": "nin.digits"}},
		{name: "nin with a control character", mod: func(c *Client) { c.NIN = "058985\x0097468" }, want: map[string]string{"nin": "control_chars"}},
		{name: "nin 31 April", mod: func(c *Client) { c.NIN = "31049012392" }, want: map[string]string{"nin": "nin.date"}},
		{name: "nin individual outside century", mod: func(c *Client) { c.NIN = "01015080082" }, want: map[string]string{"nin": "nin.individual"}},
		{
			name: "nin born in the future",
			mod:  func(c *Client) { c.NIN = future },
			want: map[string]string{"nin": "nin.date"},
			post: func(t *testing.T, c Client) {
				if c.BirthDate != "" || c.NINType != "" {
					t.Errorf("birth %q type %q filled from a rejected number", c.BirthDate, c.NINType)
				}
			},
		},
		{
			name: "birth date differs from nin",
			mod:  func(c *Client) { c.NIN = synthFemale1985; c.BirthDate = "1985-09-06" },
			want: map[string]string{"birthDate": "birth_date_mismatch"},
		},
		{
			name: "names required",
			mod:  func(c *Client) { c.GivenName = " "; c.FamilyName = "" },
			want: map[string]string{"givenName": "required", "familyName": "required"},
		},
		{
			name: "names of 100 characters fit, in bytes they are longer",
			mod: func(c *Client) {
				c.GivenName = strings.Repeat("å", 100)
				c.MiddleName = strings.Repeat("ø", 100)
				c.FamilyName = strings.Repeat("æ", 100)
			},
			post: func(t *testing.T, c Client) {
				if utf8.RuneCountInString(c.FamilyName) != 100 {
					t.Errorf("family name changed")
				}
			},
		},
		{
			name: "names too long",
			mod: func(c *Client) {
				c.GivenName = strings.Repeat("a", 101)
				c.MiddleName = strings.Repeat("b", 101)
				c.FamilyName = strings.Repeat("æ", 101)
			},
			want: map[string]string{"givenName": "too_long", "middleName": "too_long", "familyName": "too_long"},
		},
		{
			name: "control characters in single-line fields",
			mod: func(c *Client) {
				c.GivenName = "Kari\nAnne"
				c.MiddleName = "No\u0085rdby"
				c.FamilyName = "Øde\x7fgård"
				c.StreetAddress = "Storgata\t1"
				c.City = "Os\x1blo"
				c.Phone = "912\x00345678"
				c.Email = "kari\x01@eksempel.no"
				c.Gender = "Fe\x00male"
			},
			want: map[string]string{
				"givenName": "control_chars", "middleName": "control_chars", "familyName": "control_chars",
				"streetAddress": "control_chars", "city": "control_chars", "phone": "control_chars",
				"email": "control_chars", "gender": "control_chars",
			},
		},
		{
			name: "invalid UTF-8",
			mod:  func(c *Client) { c.FamilyName = "Ødeg\xe5rd"; c.Notes = "ok\xff" },
			want: map[string]string{"familyName": "control_chars", "notes": "control_chars"},
		},
		{
			name: "notes keep line breaks and tabs; 10000 characters fit",
			mod:  func(c *Client) { c.Notes = "a\r\nb\tc\n" + strings.Repeat("ø", 9993) },
			post: func(t *testing.T, c Client) {
				if utf8.RuneCountInString(c.Notes) != 10000 {
					t.Errorf("notes length %d", utf8.RuneCountInString(c.Notes))
				}
			},
		},
		{name: "notes too long", mod: func(c *Client) { c.Notes = strings.Repeat("x", 10001) }, want: map[string]string{"notes": "too_long"}},
		{name: "notes with other control characters", mod: func(c *Client) { c.Notes = "a\x0cb" }, want: map[string]string{"notes": "control_chars"}},
		{
			name: "other text fields limited to 200 characters",
			mod: func(c *Client) {
				c.StreetAddress = strings.Repeat("s", 201)
				c.City = strings.Repeat("c", 200)
				c.PostalAddress = strings.Repeat("p", 201)
				c.PersonID = strings.Repeat("1", 201)
			},
			want: map[string]string{"streetAddress": "too_long", "postalAddress": "too_long", "personId": "too_long"},
		},
		{name: "birth date today", mod: func(c *Client) { c.BirthDate = testToday }},
		{name: "birth date tomorrow", mod: func(c *Client) { c.BirthDate = "2025-06-16" }, want: map[string]string{"birthDate": "date"}},
		{name: "birth date 30 February", mod: func(c *Client) { c.BirthDate = "2000-02-30" }, want: map[string]string{"birthDate": "date"}},
		{name: "birth date 29 February 1900", mod: func(c *Client) { c.BirthDate = "1900-02-29" }, want: map[string]string{"birthDate": "date"}},
		{name: "birth date 29 February 2000", mod: func(c *Client) { c.BirthDate = "2000-02-29" }},
		{name: "birth date without leading zeros", mod: func(c *Client) { c.BirthDate = "1990-1-1" }, want: map[string]string{"birthDate": "date"}},
		{name: "birth date dd.mm.yyyy", mod: func(c *Client) { c.BirthDate = "01.01.1990" }, want: map[string]string{"birthDate": "date"}},
		{name: "birth date year 0", mod: func(c *Client) { c.BirthDate = "0000-01-01" }, want: map[string]string{"birthDate": "date"}},
		{name: "death on birth date", mod: func(c *Client) { c.BirthDate = "1990-01-01"; c.DeathDate = "1990-01-01"; c.Status = "Deceased" }},
		{
			name: "death before birth",
			mod:  func(c *Client) { c.BirthDate = "1990-01-02"; c.DeathDate = "1990-01-01" },
			want: map[string]string{"deathDate": "death_before_birth"},
		},
		{
			name: "death before birth taken from nin",
			mod:  func(c *Client) { c.NIN = plainMale1990; c.DeathDate = "1989-12-31" },
			want: map[string]string{"deathDate": "death_before_birth"},
		},
		{name: "death in the future", mod: func(c *Client) { c.DeathDate = "2025-06-16" }, want: map[string]string{"deathDate": "date"}},
		{name: "death date not a date", mod: func(c *Client) { c.DeathDate = "2020-13-01" }, want: map[string]string{"deathDate": "date"}},
		{name: "death date without birth date", mod: func(c *Client) { c.DeathDate = "2020-12-01" }},
		{name: "gender case matters", mod: func(c *Client) { c.Gender = "female" }, want: map[string]string{"gender": "invalid"}},
		{name: "status from Persontjenesten", mod: func(c *Client) { c.Status = "RegisteredAtBirth" }},
		{name: "status unknown", mod: func(c *Client) { c.Status = "Bosatt" }, want: map[string]string{"status": "invalid"}},
		{
			name: "address protection empty becomes None",
			mod:  func(c *Client) { c.AddressProtection = "" },
			post: func(t *testing.T, c Client) {
				if c.AddressProtection != AddressProtectionNone {
					t.Errorf("addressProtection = %q", c.AddressProtection)
				}
			},
		},
		{name: "address protection confidential", mod: func(c *Client) { c.AddressProtection = AddressProtectionConfidential }},
		{name: "address protection client address", mod: func(c *Client) { c.AddressProtection = AddressProtectionClientAddress }},
		{name: "address protection unknown", mod: func(c *Client) { c.AddressProtection = "Secret" }, want: map[string]string{"addressProtection": "invalid"}},
		{
			name: "strictly confidential refuses every address field",
			mod: func(c *Client) {
				c.AddressProtection = AddressProtectionStrictlyConfidential
				c.PostalAddress = "Postboks 1"
			},
			want: map[string]string{
				"streetAddress": "address_protected", "postalCode": "address_protected", "city": "address_protected",
				"municipalityNumber": "address_protected", "postalAddress": "address_protected",
			},
		},
		{
			name: "strictly confidential without address",
			mod: func(c *Client) {
				c.AddressProtection = AddressProtectionStrictlyConfidential
				c.StreetAddress, c.PostalCode, c.City, c.MunicipalityNumber, c.PostalAddress = "", " ", "", "", ""
			},
		},
		{name: "postal code 3 digits", mod: func(c *Client) { c.PostalCode = "150" }, want: map[string]string{"postalCode": "postal_code"}},
		{name: "postal code letter O", mod: func(c *Client) { c.PostalCode = "O150" }, want: map[string]string{"postalCode": "postal_code"}},
		{name: "postal code 5 digits", mod: func(c *Client) { c.PostalCode = "01500" }, want: map[string]string{"postalCode": "postal_code"}},
		{name: "municipality 3 digits", mod: func(c *Client) { c.MunicipalityNumber = "301" }, want: map[string]string{"municipalityNumber": "municipality"}},
		{name: "phone 8 digits with hyphens", mod: func(c *Client) { c.Phone = "912-34-567" }},
		{name: "phone 15 digits", mod: func(c *Client) { c.Phone = "+123 456 789 012 345" }},
		{name: "phone 7 digits", mod: func(c *Client) { c.Phone = "1234567" }, want: map[string]string{"phone": "phone"}},
		{name: "phone 16 digits", mod: func(c *Client) { c.Phone = "1234567890123456" }, want: map[string]string{"phone": "phone"}},
		{name: "phone with parentheses", mod: func(c *Client) { c.Phone = "+47 (912) 34567" }, want: map[string]string{"phone": "phone"}},
		{name: "phone with plus inside", mod: func(c *Client) { c.Phone = "47+91234567" }, want: map[string]string{"phone": "phone"}},
		{name: "phone with two pluses", mod: func(c *Client) { c.Phone = "++4791234567" }, want: map[string]string{"phone": "phone"}},
		{name: "email with non-ASCII", mod: func(c *Client) { c.Email = "åse@nørge.no" }},
		{name: "email without dot in domain", mod: func(c *Client) { c.Email = "kari@localhost" }, want: map[string]string{"email": "email"}},
		{name: "email without local part", mod: func(c *Client) { c.Email = "@eksempel.no" }, want: map[string]string{"email": "email"}},
		{name: "email without domain", mod: func(c *Client) { c.Email = "kari@" }, want: map[string]string{"email": "email"}},
		{name: "email with two @", mod: func(c *Client) { c.Email = "kari@x@eksempel.no" }, want: map[string]string{"email": "email"}},
		{name: "email with a space", mod: func(c *Client) { c.Email = "kari @eksempel.no" }, want: map[string]string{"email": "email"}},
		{name: "email domain ends with dot", mod: func(c *Client) { c.Email = "kari@eksempel." }, want: map[string]string{"email": "email"}},
		{name: "email domain starts with dot", mod: func(c *Client) { c.Email = "kari@.no" }, want: map[string]string{"email": "email"}},
		{name: "email of 254 characters", mod: func(c *Client) { c.Email = strings.Repeat("k", 242) + "@eksempel.no" }},
		{name: "email of 255 characters", mod: func(c *Client) { c.Email = strings.Repeat("k", 243) + "@eksempel.no" }, want: map[string]string{"email": "email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validClient()
			tt.mod(&c)
			err := validate(&c, testToday)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("validate: %v %v", err, fieldsOf(err))
				}
			} else {
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("validate = %v, want a *ValidationError", err)
				}
				if !maps.Equal(ve.Fields, tt.want) {
					t.Fatalf("fields = %v, want %v", ve.Fields, tt.want)
				}
			}
			if tt.post != nil {
				tt.post(t, c)
			}
			// Whatever the outcome, a second run changes nothing more.
			again := c
			err2 := validate(&again, testToday)
			if again != c || !maps.Equal(fieldsOf(err2), fieldsOf(err)) {
				t.Errorf("second validate changed the client or the result: %+v, %v", again, fieldsOf(err2))
			}
		})
	}
}

func fieldsOf(err error) map[string]string {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Fields
	}
	return nil
}

// TestValidateToday checks the exported entry point against the real clock:
// a birth date years ahead is always in the future.
func TestValidateToday(t *testing.T) {
	c := validClient()
	c.BirthDate = time.Now().AddDate(2, 0, 0).Format(time.DateOnly)
	if got := fieldsOf(Validate(&c)); got["birthDate"] != CodeDate {
		t.Errorf("Validate fields = %v, want birthDate: date", got)
	}
	c.BirthDate = time.Now().AddDate(-2, 0, 0).Format(time.DateOnly)
	if err := Validate(&c); err != nil {
		t.Errorf("Validate: %v %v", err, fieldsOf(err))
	}
}

func TestMessages(t *testing.T) {
	codes := []string{
		"nin.length", "nin.digits", "nin.checksum", "nin.date", "nin.individual",
		"org.length", "org.digits", "org.checksum",
		CodeRequired, CodeTooLong, CodeControlChars, CodeDate, CodeBirthDateMismatch, CodeDeathBeforeBirth,
		CodeInvalid, CodeAddressProtected, CodePostalCode, CodeMunicipality, CodePhone, CodeEmail,
		CodeNoVisibleText, CodeBidiControl,
	}
	const genericNB, genericEN = "Sjekk dette feltet.", "Check this field."
	seenNB, seenEN := map[string]string{}, map[string]string{}
	for _, code := range codes {
		nb, en := MessageNB(code), MessageEN(code)
		if nb == genericNB || en == genericEN || nb == "" || en == "" {
			t.Errorf("code %q has no own message: %q / %q", code, nb, en)
		}
		if prev, dup := seenNB[nb]; dup {
			t.Errorf("codes %q and %q share the text %q", prev, code, nb)
		}
		if prev, dup := seenEN[en]; dup {
			t.Errorf("codes %q and %q share the text %q", prev, code, en)
		}
		seenNB[nb], seenEN[en] = code, code
	}
	if got := MessageNB("nin.checksum"); got != "Kontrollsifrene stemmer ikke. Sjekk at fødselsnummeret er skrevet riktig." {
		t.Errorf("MessageNB(nin.checksum) = %q", got)
	}
	if got := MessageEN("nin.checksum"); got != "The check digits do not match. Check that the number is typed correctly." {
		t.Errorf("MessageEN(nin.checksum) = %q", got)
	}
	for _, code := range []string{"", "no.such.code"} {
		if MessageNB(code) != genericNB || MessageEN(code) != genericEN {
			t.Errorf("unknown code %q: %q / %q", code, MessageNB(code), MessageEN(code))
		}
	}
}

// TestMessagesCoverValidate makes sure every code Validate and nin.Code can
// produce has a text of its own.
func TestMessagesCoverValidate(t *testing.T) {
	for _, err := range []error{nin.ErrLength, nin.ErrNotDigits, nin.ErrChecksum, nin.ErrDate, nin.ErrIndividual, nin.ErrOrgLength, nin.ErrOrgNotDigits, nin.ErrOrgChecksum} {
		code := nin.Code(err)
		if MessageNB(code) == MessageNB("") || MessageEN(code) == MessageEN("") {
			t.Errorf("nin code %q has no message", code)
		}
	}
}

func FuzzValidate(f *testing.F) {
	v := validClient()
	f.Add(synthFemale1985, v.GivenName, v.FamilyName, "", "", "", v.Status, "", v.StreetAddress, v.PostalCode, v.MunicipalityNumber, v.Phone, v.Email, v.Notes)
	f.Add(" 058985 97468 ", " Ola ", "Nordmann\n", "1985-09-06", "1980-01-01", "Male", "Dead", "StrictlyConfidential", "x", "12", "x", "++47", "a@b", "\x00")
	f.Add("", "", "", "2000-02-29", "2000-02-29", "Unknown", "", "Confidential", "", "", "", "91234567", "å@ø.no", "")
	f.Fuzz(func(t *testing.T, ninStr, given, family, birth, death, gender, status, prot, street, postal, municipality, phone, email, notes string) {
		c := Client{
			NIN: ninStr, GivenName: given, FamilyName: family, BirthDate: birth, DeathDate: death,
			Gender: gender, Status: status, AddressProtection: prot, StreetAddress: street,
			PostalCode: postal, MunicipalityNumber: municipality, Phone: phone, Email: email, Notes: notes,
		}
		err := validate(&c, testToday)
		first := c
		err2 := validate(&c, testToday)
		if c != first {
			t.Fatalf("second validate changed %+v into %+v", first, c)
		}
		if (err == nil) != (err2 == nil) || !maps.Equal(fieldsOf(err), fieldsOf(err2)) {
			t.Fatalf("second validate gave %v, first %v", fieldsOf(err2), fieldsOf(err))
		}
		if err != nil {
			ve := fieldsOf(err)
			if len(ve) == 0 {
				t.Fatalf("error without fields: %v", err)
			}
			for field, code := range ve {
				if MessageEN(code) == MessageEN("") {
					t.Fatalf("field %s has code %q without a message", field, code)
				}
			}
			return
		}
		if c.NIN != "" {
			n, err := nin.Parse(c.NIN)
			if err != nil || n.Digits != c.NIN || n.Type() != c.NINType || n.BirthDate.Format(time.DateOnly) != c.BirthDate {
				t.Fatalf("valid client with nin %q type %q birth %q: %v", c.NIN, c.NINType, c.BirthDate, err)
			}
		} else if c.NINType != "" {
			t.Fatalf("ninType %q without nin", c.NINType)
		}
		if c.AddressProtection == "" || c.GivenName == "" || c.FamilyName == "" {
			t.Fatalf("valid client lacks required values: %+v", c)
		}
		if c.AddressProtection == AddressProtectionStrictlyConfidential && c.StreetAddress+c.PostalCode+c.MunicipalityNumber != "" {
			t.Fatalf("strictly confidential client holds an address: %+v", c)
		}
	})
}

func BenchmarkValidate(b *testing.B) {
	base := validClient()
	base.NIN = "058985 97468"
	base.BirthDate = "1985-09-05"
	for b.Loop() {
		c := base
		if err := validate(&c, testToday); err != nil {
			b.Fatal(err)
		}
	}
}

// Names made only of invisible characters, or with bidirectional controls
// that make them show as something else, are field errors; names with such
// characters among visible letters (a soft hyphen, a zero-width joiner) and
// names in any script are not.
func TestValidateInvisibleAndBidiNames(t *testing.T) {
	tests := []struct {
		name, given, family string
		want                map[string]string
	}{
		{"zero-width space only", "\u200b", "Nordmann", map[string]string{"givenName": CodeNoVisibleText}},
		{"soft hyphen only", "Kari", "\u00ad\u00ad", map[string]string{"familyName": CodeNoVisibleText}},
		{"fillers and joiners", "\u3164\u200d\u2060", "Nordmann", map[string]string{"givenName": CodeNoVisibleText}},
		{"combining mark only", "\u0301", "Nordmann", map[string]string{"givenName": CodeNoVisibleText}},
		{"right-to-left override", "Kari\u202e", "Nordmann", map[string]string{"givenName": CodeBidiControl}},
		{"override hiding a name", "Kari", "\u202ennamdroN", map[string]string{"familyName": CodeBidiControl}},
		{"isolate", "Kari", "Nord\u2067mann\u2069", map[string]string{"familyName": CodeBidiControl}},
		{"soft hyphen inside a name", "Kari", "Nord\u00admann", nil},
		{"zero-width space after a name", "Kari", "Nordmann\u200b", nil},
		{"Arabic", "\u0645\u062d\u0645\u062f", "\u0639\u0644\u064a", nil},
		{"Sámi and NFD", "A\u030ase", "\u00c1ill\u00e1", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := validClient()
			c.GivenName, c.FamilyName = tc.given, tc.family
			err := validate(&c, testToday)
			var verr *ValidationError
			if tc.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.As(err, &verr) || !maps.Equal(verr.Fields, tc.want) {
				t.Fatalf("got %v, want fields %v", err, tc.want)
			}
			for _, code := range tc.want {
				if MessageNB(code) == MessageNB("unknown") || MessageEN(code) == MessageEN("unknown") {
					t.Errorf("no message for %s", code)
				}
			}
		})
	}
}
