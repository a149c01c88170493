package persontjeneste

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// contractPath is NHN's published contract, kept outside the repository.
const contractPath = "../../shared/persontjenesten/openapi.yaml"

// contract validates requests and responses against the OpenAPI document.
type contract struct {
	doc    *openapi3.T
	router routers.Router
}

// loadContract returns nil, saying so in the test log, when the contract file
// is absent; tests then run without the contract checks. Under CI=true the
// file must be present and its absence fails the test.
func loadContract(t testing.TB) *contract {
	t.Helper()
	if _, err := os.Stat(contractPath); errors.Is(err, fs.ErrNotExist) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("contract %s is absent; it is required under CI=true", contractPath)
		}
		t.Logf("contract %s is absent: request/response validation against NHN's OpenAPI is skipped", contractPath)
		return nil
	}
	doc, err := openapi3.NewLoader().LoadFromFile(contractPath)
	if err != nil {
		t.Fatalf("load contract: %v", err)
	}
	// The contract's single server has an empty URL, which the router
	// refuses; without servers it matches paths on any host. Its examples are
	// not all valid against its own enums, so they are not validated.
	doc.Servers = nil
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		t.Fatalf("contract router: %v", err)
	}
	return &contract{doc: doc, router: router}
}

func contractOptions() *openapi3filter.Options {
	// The HelseID security requirement is the transport's business, not this package's.
	return &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
}

// checkRequest validates r, whose body has already been read into body.
func (c *contract) checkRequest(r *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	clone := r.Clone(context.Background())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := c.router.FindRoute(clone)
	if err != nil {
		return nil, err
	}
	in := &openapi3filter.RequestValidationInput{Request: clone, PathParams: params, Route: route, Options: contractOptions()}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return nil, err
	}
	return in, nil
}

// checkResponse validates an answer to the request in.
func (c *contract) checkResponse(in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) error {
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header, Options: contractOptions()}
	out.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(context.Background(), out)
}

// checkSchema validates a JSON document against a named component schema.
func (c *contract) checkSchema(name string, data []byte) error {
	ref := c.doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return errors.New("no schema " + name)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	return ref.Value.VisitJSON(v)
}

// TestContractCheckerRejects shows the contract checks used by the client
// tests are not vacuous: requests and responses that break the contract fail.
func TestContractCheckerRejects(t *testing.T) {
	c := loadContract(t)
	if c == nil {
		t.Skip("contract absent; see log")
	}
	const base = "http://127.0.0.1:9/api/legal-basis"
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name        string
		method, url string
		contentType string
		apiVersion  string
		body        string
		wantOK      bool
	}{
		{"valid get-by-nin", http.MethodPost, base + "/person/get-by-nin?informationParts=Name", form, "2", "nin=05898540032", true},
		{"missing api-version", http.MethodPost, base + "/person/get-by-nin?informationParts=Name", form, "", "nin=05898540032", false},
		{"unknown information part", http.MethodPost, base + "/person/get-by-nin?informationParts=Navn", form, "2", "nin=05898540032", false},
		{"no information parts", http.MethodPost, base + "/person/get-by-nin", form, "2", "nin=05898540032", false},
		{"nin too long", http.MethodPost, base + "/person/get-by-nin?informationParts=Name", form, "2", "nin=0589854003200", false},
		{"bulk without nins", http.MethodPost, base + "/person/bulk-by-nin?informationParts=Name", form, "2", "nin=05898540032", false},
		{"includeHistory not boolean", http.MethodGet, base + "/person/abc?informationParts=Name&includeHistory=ja", "", "2", "", false},
		{"search postal code of three digits", http.MethodPost, base + "/search/person?informationParts=Name", form, "2", "FamilyName=Testesen&PostalCode=015", false},
		{"event sequence zero", http.MethodGet, base + "/event?sequenceNumber=0", "", "2", "", false},
		{"unknown path", http.MethodGet, base + "/people", "", "2", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := http.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			if tt.apiVersion != "" {
				r.Header.Set("api-version", tt.apiVersion)
			}
			_, err = c.checkRequest(r, []byte(tt.body))
			if (err == nil) != tt.wantOK {
				t.Errorf("checkRequest error = %v, want ok %v", err, tt.wantOK)
			}
		})
	}

	r, _ := http.NewRequest(http.MethodGet, base+"/event/latest", nil)
	r.Header.Set("api-version", "2")
	in, err := c.checkRequest(r, nil)
	if err != nil {
		t.Fatalf("latest event request: %v", err)
	}
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	if err := c.checkResponse(in, 200, jsonHeader, []byte(`{"sequenceNumber":"7","personId":"x","eventType":"ChangeInName"}`)); err != nil {
		t.Errorf("valid event response refused: %v", err)
	}
	if err := c.checkResponse(in, 200, jsonHeader, []byte(`{"sequenceNumber":7}`)); err == nil {
		t.Error("event with a numeric sequenceNumber accepted; the contract has a string")
	}
	if err := c.checkSchema("Person", []byte(`{"name":[{"isValid":true,"givenName":"A","nickname":"B"}]}`)); err == nil {
		t.Error("person with an unknown name property accepted; the contract forbids additional properties")
	}
}

// TestFixturesMatchContract keeps the Person fixtures honest.
func TestFixturesMatchContract(t *testing.T) {
	c := loadContract(t)
	if c == nil {
		t.Skip("contract absent; see log")
	}
	for name, js := range personFixtures() {
		if err := c.checkSchema("Person", []byte(js)); err != nil {
			t.Errorf("fixture %q does not match the Person schema: %v", name, err)
		}
	}
}

// TestPartsMatchContract compares the information parts with the
// contract's InformationPart enum.
func TestPartsMatchContract(t *testing.T) {
	c := loadContract(t)
	if c == nil {
		t.Skip("contract absent; see log")
	}
	var enum []InformationPart
	for _, v := range c.doc.Components.Schemas["InformationPart"].Value.Enum {
		enum = append(enum, InformationPart(v.(string)))
	}
	if !slices.Equal(enum, AllInformationParts()) {
		t.Errorf("AllInformationParts() = %v, contract enum = %v", AllInformationParts(), enum)
	}
	for _, p := range DefaultInformationParts() {
		if !slices.Contains(enum, p) {
			t.Errorf("default part %q is not in the contract", p)
		}
	}
}

// TestSearchFieldsMatchContract checks SearchQuery mirrors the contract's
// search form fields, no more and no fewer.
func TestSearchFieldsMatchContract(t *testing.T) {
	c := loadContract(t)
	if c == nil {
		t.Skip("contract absent; see log")
	}
	var want []string
	for name := range c.doc.Components.Schemas["_api_no_legal_basis_search_person_post_request"].Value.Properties {
		want = append(want, name)
	}
	full := SearchQuery{GivenName: "a", MiddleName: "b", FamilyName: "c", FullName: "d", BirthDate: "e", Gender: "f",
		StreetAddress: "g", PostalCode: "h", CityName: "i", MunicipalityNumber: "j"}
	var got []string
	for k := range full.form() {
		got = append(got, k)
	}
	sort.Strings(want)
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("search form fields = %v, contract = %v", got, want)
	}
}
