package persontjeneste

import (
	"context"
	"errors"
	"net/url"
	"testing"
)

func TestValidateSearch(t *testing.T) {
	for _, tc := range SearchRuleCases() {
		t.Run(tc.Name, func(t *testing.T) {
			err := ValidateSearch(tc.Query)
			if tc.WantRule == "" {
				if err != nil {
					t.Fatalf("ValidateSearch(%+v) = %v, want nil", tc.Query, err)
				}
				return
			}
			var sr *SearchRuleError
			if !errors.As(err, &sr) {
				t.Fatalf("ValidateSearch(%+v) = %v, want *SearchRuleError %s", tc.Query, err, tc.WantRule)
			}
			if sr.Rule != tc.WantRule {
				t.Errorf("rule = %s (field %q), want %s", sr.Rule, sr.Field, tc.WantRule)
			}
			if (sr.Field == "") != (sr.Rule == RuleNarrowingRequired) {
				t.Errorf("field = %q for rule %s", sr.Field, sr.Rule)
			}
		})
	}
}

func TestSearchRuleCasesAreFresh(t *testing.T) {
	a := SearchRuleCases()
	a[0].Query.FamilyName = "Endret"
	a[0].WantRule = "changed"
	b := SearchRuleCases()
	if b[0].Query.FamilyName == "Endret" || b[0].WantRule == "changed" {
		t.Error("SearchRuleCases shares its table between calls")
	}
	seen := map[string]bool{}
	for _, tc := range b {
		if seen[tc.Name] {
			t.Errorf("duplicate case name %q", tc.Name)
		}
		seen[tc.Name] = true
	}
}

// TestAcceptedSearchesMatchContract sends every acceptable example through
// the client, so each form body is checked against the contract.
func TestAcceptedSearchesMatchContract(t *testing.T) {
	c := loadContract(t)
	if c == nil {
		t.Skip("contract absent; see log")
	}
	f := newFakeAPI(t, c, func(int, recorded) reply { return jsonReply(`{"results":[]}`) })
	client := newTestClient(t, f, &sleeps{}, nil)
	for _, tc := range SearchRuleCases() {
		if tc.WantRule != "" {
			continue
		}
		if _, err := client.Search(context.Background(), tc.Query, []InformationPart{"Name"}); err != nil {
			t.Errorf("%s: %v", tc.Name, err)
		}
	}
}

func TestSearchForm(t *testing.T) {
	tests := []struct {
		name string
		q    SearchQuery
		want url.Values
	}{
		{"empty", SearchQuery{}, url.Values{}},
		{"trimmed and only set fields", SearchQuery{GivenName: " Åse ", BirthDate: "1985-09-05", CityName: " "}.trimmed(),
			url.Values{"GivenName": {"Åse"}, "BirthDate": {"1985-09-05"}}},
		{"every field", SearchQuery{GivenName: "a", MiddleName: "b", FamilyName: "c", FullName: "d", BirthDate: "e", Gender: "f",
			StreetAddress: "g", PostalCode: "h", CityName: "i", MunicipalityNumber: "j"},
			url.Values{"GivenName": {"a"}, "MiddleName": {"b"}, "FamilyName": {"c"}, "FullName": {"d"}, "BirthDate": {"e"}, "Gender": {"f"},
				"StreetAddress": {"g"}, "PostalCode": {"h"}, "CityName": {"i"}, "MunicipalityNumber": {"j"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.q.form(); !equalValues(got, tt.want) {
				t.Errorf("form() = %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzValidateSearch(f *testing.F) {
	for _, tc := range SearchRuleCases() {
		q := tc.Query
		f.Add(q.GivenName, q.MiddleName, q.FamilyName, q.FullName, q.BirthDate, q.Gender, q.StreetAddress, q.PostalCode, q.CityName, q.MunicipalityNumber)
	}
	f.Fuzz(func(t *testing.T, given, middle, family, full, birth, gender, street, postal, city, municipality string) {
		q := SearchQuery{given, middle, family, full, birth, gender, street, postal, city, municipality}
		err := ValidateSearch(q)
		if err != nil {
			var sr *SearchRuleError
			if !errors.As(err, &sr) || sr.Rule == "" {
				t.Fatalf("ValidateSearch(%+v) = %v, want a *SearchRuleError", q, err)
			}
			return
		}
		// What is accepted must satisfy the documented rules.
		tq := q.trimmed()
		if countLetters(tq.GivenName+tq.MiddleName+tq.FamilyName+tq.FullName) < minNameLetters {
			t.Errorf("accepted %+v with fewer than three name letters", q)
		}
		if tq.BirthDate == "" && tq.MunicipalityNumber == "" && countLetters(tq.StreetAddress) < minStreetLetters {
			t.Errorf("accepted %+v without narrowing", q)
		}
		if tq.MunicipalityNumber != "" && !fourDigits(tq.MunicipalityNumber) {
			t.Errorf("accepted municipality %q", tq.MunicipalityNumber)
		}
		if tq.PostalCode != "" && !fourDigits(tq.PostalCode) {
			t.Errorf("accepted postal code %q", tq.PostalCode)
		}
		if tq.BirthDate != "" && !validSearchDate(tq.BirthDate) {
			t.Errorf("accepted birth date %q", tq.BirthDate)
		}
		for k, v := range tq.form() {
			if len(v) != 1 || v[0] == "" {
				t.Errorf("form field %s = %q", k, v)
			}
		}
	})
}

func BenchmarkValidateSearch(b *testing.B) {
	q := SearchQuery{GivenName: "Åse", FamilyName: "Prøvesen-Lie", BirthDate: "1985-09-05", StreetAddress: "Fiktivveien 12 B", PostalCode: "0150"}
	for b.Loop() {
		if err := ValidateSearch(q); err != nil {
			b.Fatal(err)
		}
	}
}
