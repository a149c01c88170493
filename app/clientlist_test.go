package app

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"resepsjon/register"
)

func TestAppendPageMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		page register.Page
	}{
		{"empty", register.Page{}},
		{"no results, a total", register.Page{Results: []register.ClientSummary{}, Total: 3}},
		{"plain", register.Page{Total: 2, Results: []register.ClientSummary{
			{ID: 1, NIN: "14838512345", GivenName: "Kari", FamilyName: "Nordmann", BirthDate: "1985-03-14", Phone: "912 34 567", City: "Oslo", AddressProtection: "None", Version: 1},
			{ID: 1 << 40, GivenName: "Åse Marit", MiddleName: "Ødegård", FamilyName: "Bråten", AddressProtection: "StrictlyConfidential", Status: "Deceased", DeathDate: "2024-01-31", Version: 7},
		}}},
		{"characters JSON and HTML escape", register.Page{Total: 1, Results: []register.ClientSummary{
			{ID: 2, GivenName: "\"quoted\" \\ back", MiddleName: "<script>&amp;</script>", FamilyName: "tab\tnew\nline\rcr\bbs\fff\x00\x1f\x7f",
				City: "line\u2028para\u2029end", Phone: "bad \xff\xfe utf8 \xe2\x82", Status: "emoji 🦷 ok"},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(tt.page)
			if err != nil {
				t.Fatal(err)
			}
			if tt.page.Results == nil {
				// The list always answers an array, never null.
				want = bytes.Replace(want, []byte(`"results":null`), []byte(`"results":[]`), 1)
			}
			if got := appendPage(nil, tt.page); !bytes.Equal(got, want) {
				t.Errorf("appendPage =\n%s\nencoding/json =\n%s", got, want)
			}
		})
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "Kari", "Bråten", "<>&", "\u2028\u2029", "\xff", "\x00\x1f\"\\", "🦷\xe2\x82"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got := appendJSONString([]byte("x"), s)
		if !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json %s", s, got, want)
		}
		if !utf8.Valid(got) {
			t.Fatalf("appendJSONString(%q) is not valid UTF-8: %q", s, got)
		}
	})
}

// BenchmarkListPageEncoding compares writing a full page of the list (50
// rows) by hand with encoding/json, and with encoding the full records the
// list answered before.
func BenchmarkListPageEncoding(b *testing.B) {
	full := make([]register.Client, 50)
	page := register.Page{Total: 1600, Results: make([]register.ClientSummary, 50)}
	for i := range full {
		full[i] = register.Client{ID: int64(i + 1), NIN: "14838512345", NINType: register.NINTypeSynthetic, GivenName: "Kari", MiddleName: "Marit",
			FamilyName: "Jacobsen", BirthDate: "1985-03-14", Gender: "Female", AddressProtection: "None", StreetAddress: "Storgata 12 B",
			PostalCode: "0184", City: "Oslo", MunicipalityNumber: "0301", Phone: "912 34 567", Version: 3}
		page.Results[i] = full[i].Summary()
	}
	b.Run("by-hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			appendPage(make([]byte, 0, 64+256*len(page.Results)), page)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(page); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("full-records-encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(struct {
				Results []register.Client `json:"results"`
				Total   int               `json:"total"`
			}{full, 1600}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
