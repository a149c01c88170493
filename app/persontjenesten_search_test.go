package app_test

import (
	"net/http"
	"slices"
	"testing"
	"unicode"

	"resepsjon/lookup"
	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/nhnmock/population"
	"resepsjon/register"
)

// searchRaw runs a search and returns the matches as the JSON objects the
// UI receives, so a missing or filled key is seen as it is sent.
func (h *ptHarness) searchRaw(body any) []map[string]any {
	h.t.Helper()
	r := h.do(http.MethodPost, "/api/persontjenesten/search", body)
	if r.status != http.StatusOK {
		h.t.Fatalf("search %v: %d %s", body, r.status, r.body)
	}
	var out struct {
		Results []map[string]any `json:"results"`
	}
	r.decode(h.t, &out)
	return out.Results
}

// TestPersontjenestenSearchHidesProtectedAddress: a person with a protected
// address (Confidential or StrictlyConfidential) is listed without postal
// code and city, whether found by name or by identity number.
func TestPersontjenestenSearchHidesProtectedAddress(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	h.activate()
	edges := h.pop.EdgeCases()
	for _, edge := range []string{population.EdgeConfidential, population.EdgeStrictlyConfidential} {
		t.Run(edge, func(t *testing.T) {
			number := edges[edge]
			p, c := h.registerPerson(number)
			if c.AddressProtection == register.AddressProtectionNone {
				t.Fatalf("edge case %s has no address protection: %+v", edge, c)
			}
			if edge == population.EdgeConfidential && (c.City == "" || c.PostalCode == "") {
				// The register keeps a Confidential address; only the list hides it.
				t.Fatalf("the Confidential person has no address in the register: %+v", c)
			}
			for _, body := range []map[string]string{
				{"nin": number},
				{"familyName": c.FamilyName, "birthDate": c.BirthDate},
			} {
				results := h.searchRaw(body)
				i := slices.IndexFunc(results, func(m map[string]any) bool { return m["personId"] == p.ID })
				if i < 0 {
					t.Fatalf("search %v did not find the person", body)
				}
				m := results[i]
				badges, _ := m["badges"].([]any)
				if !slices.Contains(badges, any(persontjeneste.BadgeAddressProtected)) {
					t.Errorf("search %v: badges %v lack %s", body, badges, persontjeneste.BadgeAddressProtected)
				}
				for _, key := range []string{"city", "postalCode"} {
					if v, ok := m[key]; !ok || v != "" {
						t.Errorf("search %v: %s = %v, want it blank in the list", body, key, v)
					}
				}
			}
		})
	}
	// An ordinary person still shows postal code and city.
	for _, n := range h.pop.SampleNINs(50) {
		_, c := h.registerPerson(n)
		if c.City == "" || c.AddressProtection != register.AddressProtectionNone {
			continue
		}
		results := h.searchRaw(map[string]string{"nin": n})
		if len(results) != 1 || results[0]["city"] != c.City || results[0]["postalCode"] != c.PostalCode {
			t.Errorf("ordinary person: match %v, want city %s postal code %s", results, c.City, c.PostalCode)
		}
		break
	}
}

// TestPersontjenestenSearchByStreet: a street address with at least three
// letters narrows a name search as birth date or municipality number do; a
// shorter one is refused locally, before any call.
func TestPersontjenestenSearchByStreet(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	h.activate()
	var want register.Client
	for _, n := range h.pop.SampleNINs(50) {
		if _, c := h.registerPerson(n); c.StreetAddress != "" && c.AddressProtection == register.AddressProtectionNone {
			want = c
			break
		}
	}
	if want.NIN == "" {
		t.Fatal("no person with a street address among the samples")
	}
	// The rule counts the street's letters, not its length.
	letters := 0
	for _, r := range want.StreetAddress {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 3 {
		t.Fatalf("chosen street %q has fewer than three letters", want.StreetAddress)
	}
	results := h.search(map[string]string{"familyName": want.FamilyName, "streetAddress": want.StreetAddress})
	if !slices.ContainsFunc(results, func(m lookup.Match) bool { return m.PersonID == want.PersonID }) {
		t.Fatalf("search by %s, %s did not find the person: %+v", want.FamilyName, want.StreetAddress, results)
	}
	for _, m := range results {
		if m.FamilyName != want.FamilyName {
			t.Errorf("street search matched another family name: %+v", m)
		}
	}

	calls := h.mock.Counters().APICalls["legal-basis search"]
	for _, tc := range []struct{ street, code string }{
		{"Ås 4", "search.street_address"},
		{"12", "search.street_address"},
		{"Tenkt gate 3, 2. etg", "search.street_address"},
	} {
		r := h.do(http.MethodPost, "/api/persontjenesten/search", map[string]string{"familyName": want.FamilyName, "streetAddress": tc.street})
		if e := r.apiError(t); r.status != http.StatusBadRequest || e.FieldCodes["streetAddress"] != tc.code || e.Fields["streetAddress"] == "" {
			t.Errorf("street %q: %d %s, want 400 with streetAddress %s", tc.street, r.status, r.body, tc.code)
		}
	}
	if after := h.mock.Counters().APICalls["legal-basis search"]; after != calls {
		t.Errorf("invalid street searches reached the API (%d -> %d)", calls, after)
	}
}
