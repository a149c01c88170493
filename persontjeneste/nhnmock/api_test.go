package nhnmock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/nhnmock/population"
)

const pathGetByNIN = "/api/legal-basis/person/get-by-nin"

// getByNIN is a valid get-by-nin call for the person with nin.
func getByNIN(tok, nin string, parts ...string) apiReq {
	if len(parts) == 0 {
		parts = []string{"Name"}
	}
	return apiReq{method: http.MethodPost, path: pathGetByNIN, token: tok, query: partsQuery(parts...),
		form: url.Values{"nin": {nin}}}
}

// modProof builds a get-by-nin request whose DPoP proof claims mod changes.
func modProof(mod func(e *env, tok string, c map[string]any)) func(e *env, tok, nin string) apiReq {
	return func(e *env, tok, nin string) apiReq {
		r := getByNIN(tok, nin)
		r.proofMod = func(c map[string]any) { mod(e, tok, c) }
		return r
	}
}

// TestAPIRefusals has one case per rule Persontjenesten checks on a call,
// each answered with its status, ProblemDetails and (for 401) the DPoP
// challenge's error code.
func TestAPIRefusals(t *testing.T) {
	other := newECKey(t)
	tests := []struct {
		name   string
		req    func(e *env, tok, nin string) apiReq
		status int
		code   string // WWW-Authenticate error for 401/403
		detail string
	}{
		{"no Authorization", func(e *env, tok, nin string) apiReq {
			r := getByNIN("", nin)
			return r
		}, http.StatusUnauthorized, "", "access token is required"},
		{"Bearer instead of DPoP", func(e *env, tok, nin string) apiReq {
			r := getByNIN(tok, nin)
			r.scheme = "Bearer"
			return r
		}, http.StatusUnauthorized, "invalid_token", "not Bearer"},
		{"token with wrong signature", func(e *env, tok, nin string) apiReq {
			forged := signJWT(e.t, other, typAccessToken, false, nil, e.accessTokenClaims(tok))
			return getByNIN(forged, nin)
		}, http.StatusUnauthorized, "invalid_token", "signature is invalid"},
		{"token that is no JWT", func(e *env, tok, nin string) apiReq {
			return getByNIN("opaque-token", nin)
		}, http.StatusUnauthorized, "invalid_token", "not a JWT"},
		{"expired token", func(e *env, tok, nin string) apiReq {
			e.clock.Advance(301 * time.Second)
			return getByNIN(tok, nin)
		}, http.StatusUnauthorized, "invalid_token", "expired"},
		{"no DPoP proof", func(e *env, tok, nin string) apiReq {
			r := getByNIN(tok, nin)
			r.proof = strp("")
			return r
		}, http.StatusUnauthorized, "invalid_dpop_proof", "exactly one DPoP header"},
		{"proof with wrong htm", modProof(func(e *env, tok string, c map[string]any) { c["htm"] = http.MethodGet }), http.StatusUnauthorized, "invalid_dpop_proof", "htm"},
		{"proof with wrong htu", modProof(func(e *env, tok string, c map[string]any) { c["htu"] = e.base + "/api/legal-basis/person/bulk-by-nin" }), http.StatusUnauthorized, "invalid_dpop_proof", "htu"},
		{"proof htu with the query", modProof(func(e *env, tok string, c map[string]any) {
			c["htu"] = e.base + pathGetByNIN + "?informationParts=Name"
		}), http.StatusUnauthorized, "invalid_dpop_proof", "htu"},
		{"proof with stale iat", modProof(func(e *env, tok string, c map[string]any) { c["iat"] = e.clock.Now().Add(-61 * time.Second).Unix() }), http.StatusUnauthorized, "invalid_dpop_proof", "iat"},
		{"proof with future iat", modProof(func(e *env, tok string, c map[string]any) { c["iat"] = e.clock.Now().Add(61 * time.Second).Unix() }), http.StatusUnauthorized, "invalid_dpop_proof", "iat"},
		{"replayed proof jti", func(e *env, tok, nin string) apiReq {
			p := e.makeProof(e.proofKey, e.proofClaims(http.MethodPost, e.base+pathGetByNIN, e.currentNonce(), tok))
			first := getByNIN(tok, nin)
			first.proof = &p
			if r := e.api(first); r.status != http.StatusOK {
				e.t.Fatalf("first use of the proof: %d %s", r.status, r.body)
			}
			second := getByNIN(tok, nin)
			second.proof = &p
			return second
		}, http.StatusUnauthorized, "invalid_dpop_proof", "already been used"},
		{"proof without ath", modProof(func(e *env, tok string, c map[string]any) { delete(c, "ath") }), http.StatusUnauthorized, "invalid_dpop_proof", "no ath"},
		{"ath mismatch", modProof(func(e *env, tok string, c map[string]any) { c["ath"] = accessTokenHash(tok + "x") }), http.StatusUnauthorized, "invalid_dpop_proof", "ath does not match"},
		{"private key in the proof jwk", func(e *env, tok, nin string) apiReq {
			priv := jose.JSONWebKey{Key: e.proofKey.priv, Algorithm: string(jose.ES256)}
			p := signJWT(e.t, e.proofKey, typDPoP, false, map[jose.HeaderKey]any{"jwk": priv},
				e.proofClaims(http.MethodPost, e.base+pathGetByNIN, e.currentNonce(), tok))
			r := getByNIN(tok, nin)
			r.proof = &p
			return r
		}, http.StatusUnauthorized, "invalid_dpop_proof", "private key material"},
		{"proof key is not cnf.jkt", func(e *env, tok, nin string) apiReq {
			r := getByNIN(tok, nin)
			r.proofKey = other
			return r
		}, http.StatusUnauthorized, "invalid_token", "key binding"},
		{"proof with a nonce the server never gave", modProof(func(e *env, tok string, c map[string]any) { c["nonce"] = "made-up" }), http.StatusUnauthorized, "use_dpop_nonce", "not the current server nonce"},
		{"missing api-version", func(e *env, tok, nin string) apiReq {
			r := getByNIN(tok, nin)
			r.apiVersion = strp("")
			return r
		}, http.StatusBadRequest, "", "API version is required"},
		{"unsupported api-version", func(e *env, tok, nin string) apiReq {
			r := getByNIN(tok, nin)
			r.apiVersion = strp("9")
			return r
		}, http.StatusBadRequest, "", "does not support the API version"},
		{"missing informationParts", func(e *env, tok, nin string) apiReq {
			r := getByNIN(tok, nin)
			r.query = nil
			return r
		}, http.StatusBadRequest, "", "informationParts field is required"},
		{"unknown information part", func(e *env, tok, nin string) apiReq {
			return getByNIN(tok, nin, "Navn")
		}, http.StatusBadRequest, "", "not a valid InformationPart"},
		{"includeHistory not boolean", func(e *env, tok, nin string) apiReq {
			r := getByNIN(tok, nin)
			r.query.Set("includeHistory", "ja")
			return r
		}, http.StatusBadRequest, "", "true or false"},
		{"no nin", func(e *env, tok, nin string) apiReq {
			r := getByNIN(tok, nin)
			r.form = url.Values{}
			return r
		}, http.StatusBadRequest, "", "nin field is required"},
		{"nin with letters", func(e *env, tok, nin string) apiReq {
			return getByNIN(tok, "0589854003x")
		}, http.StatusBadRequest, "", "digits only"},
		{"JSON body", func(e *env, tok, nin string) apiReq {
			r := getByNIN(tok, nin)
			r.ctype = "application/json"
			return r
		}, http.StatusUnsupportedMediaType, "", "x-www-form-urlencoded"},
		{"unknown person", func(e *env, tok, nin string) apiReq {
			return getByNIN(tok, "00000000000")
		}, http.StatusNotFound, "", "not found"},
		{"wrong method", func(e *env, tok, nin string) apiReq {
			r := getByNIN(tok, nin)
			r.method, r.form = http.MethodGet, nil
			return r
		}, http.StatusMethodNotAllowed, "", "Use POST"},
		{"unknown route", func(e *env, tok, nin string) apiReq {
			return apiReq{method: http.MethodGet, path: "/api/legal-basis/people", token: tok}
		}, http.StatusNotFound, "", "No such Persontjenesten route"},
		{"bulk with too many nins", func(e *env, tok, nin string) apiReq {
			nins := make([]string, 101)
			for i := range nins {
				nins[i] = nin
			}
			return apiReq{method: http.MethodPost, path: "/api/legal-basis/person/bulk-by-nin", token: tok,
				query: partsQuery("Name"), form: url.Values{"nins": nins}}
		}, http.StatusBadRequest, "", "At most 100"},
		{"event sequence number zero", func(e *env, tok, nin string) apiReq {
			return apiReq{method: http.MethodGet, path: "/api/legal-basis/event", token: tok, query: url.Values{"sequenceNumber": {"0"}}}
		}, http.StatusBadRequest, "", "at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			tok := e.token(singleClientID, ScopeLegalBasis, nil)
			nin := e.pop.SampleNINs(1)[0]
			r := e.api(tt.req(e, tok, nin))
			if tt.status == http.StatusUnauthorized {
				wantChallenge(t, r, tt.code, tt.detail)
				if tt.code == "use_dpop_nonce" && r.header.Get("DPoP-Nonce") == "" {
					t.Error("use_dpop_nonce without DPoP-Nonce")
				}
				return
			}
			wantProblem(t, r, tt.status, tt.detail)
		})
	}
}

// TestAPIForbidden covers the 403 answers: a token without the route's scope,
// and an organisation without an access agreement.
func TestAPIForbidden(t *testing.T) {
	t.Run("missing scope", func(t *testing.T) {
		e := newEnv(t, nil)
		tok := e.token(noLegalBasisClientID, ScopeNoLegalBasis, nil)
		r := e.api(getByNIN(tok, e.pop.SampleNINs(1)[0]))
		wantProblem(t, r, http.StatusForbidden, ScopeLegalBasis)
		if h := r.header.Get("WWW-Authenticate"); !strings.Contains(h, `error="insufficient_scope"`) {
			t.Errorf("WWW-Authenticate %q, want insufficient_scope", h)
		}
		// The same token is good for the route its scope grants.
		nb := getByNIN(tok, e.pop.SampleNINs(1)[0])
		nb.path = "/api/no-legal-basis/person/get-by-nin"
		if r := e.api(nb); r.status != http.StatusOK {
			t.Errorf("no-legal-basis route with its scope: %d %s", r.status, r.body)
		}
	})
	t.Run("no access agreement", func(t *testing.T) {
		e := newEnv(t, nil)
		e.primeNonce()
		r := e.tokenRequest(tokenReq{clientID: multiClientID, claims: func(c map[string]any) {
			c["authorization_details"] = multiTenantDetails(orgNoAgreement, "")
		}})
		if r.status != http.StatusOK {
			t.Fatalf("token for a delegated organisation: %d %s", r.status, r.body)
		}
		tok, _ := r.json(t)["access_token"].(string)
		res := e.api(getByNIN(tok, e.pop.SampleNINs(1)[0]))
		wantProblem(t, res, http.StatusForbidden, "no access agreement")
		if c := e.mock.Counters(); c.Errors["no_agreement"] != 1 {
			t.Errorf("no_agreement counted %d times", c.Errors["no_agreement"])
		}
		// Once the agreement is in place, the same token works.
		e.mock.SetAgreement(orgNoAgreement, true)
		if res := e.api(getByNIN(tok, e.pop.SampleNINs(1)[0])); res.status != http.StatusOK {
			t.Errorf("after the agreement: %d %s", res.status, res.body)
		}
	})
}

// TestAPIReturnsOnlyRequestedParts: the answer holds the requested parts and,
// without includeHistory, only current values.
func TestAPIReturnsOnlyRequestedParts(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.token(singleClientID, ScopeLegalBasis, nil)
	renamed := e.pop.EdgeCases()[population.EdgeRenamed]
	r := e.api(getByNIN(tok, renamed, "Name", "Birth"))
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var p map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"birth", "id", "name", "sequenceNumber"}; !slices.Equal(keys, want) {
		t.Errorf("answer members %v, want %v", keys, want)
	}
	var names []population.Name
	if err := json.Unmarshal(p["name"], &names); err != nil || len(names) != 1 || !names[0].IsValid {
		t.Errorf("names without history = %s", p["name"])
	}

	hist := getByNIN(tok, renamed, "Name")
	hist.query.Set("includeHistory", "true")
	r = e.api(hist)
	var withHistory population.Person
	if err := json.Unmarshal(r.body, &withHistory); err != nil {
		t.Fatal(err)
	}
	if len(withHistory.Name) < 2 {
		t.Errorf("renamed person with history has %d names, want the old one too", len(withHistory.Name))
	}
}

// TestAPIRoutes calls every route once with a valid request (responses are
// validated against the contract by the env's transport).
func TestAPIRoutes(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.token(singleClientID, ScopeLegalBasis, nil)
	nins := e.pop.SampleNINs(3)
	person, _ := e.pop.ByNIN(nins[0])
	parts := population.Parts()
	for _, tc := range []struct {
		name string
		req  apiReq
		n    int // persons expected in a list answer, -1 for an object
	}{
		{"get-by-nin", getByNIN(tok, nins[0], parts...), -1},
		{"person/{id}", apiReq{method: http.MethodGet, path: "/api/legal-basis/person/" + person.ID, token: tok, query: partsQuery(parts...)}, -1},
		{"bulk-by-nin", apiReq{method: http.MethodPost, path: "/api/legal-basis/person/bulk-by-nin", token: tok,
			query: partsQuery("Name"), form: url.Values{"nins": append(nins, "00000000000")}}, 3},
		{"bulk-by-id", apiReq{method: http.MethodPost, path: "/api/legal-basis/person/bulk-by-id", token: tok,
			query: partsQuery("Name"), form: url.Values{"personIds": {person.ID, person.ID}}}, 1},
		{"event", apiReq{method: http.MethodGet, path: "/api/legal-basis/event", token: tok}, -1},
		{"event/latest", apiReq{method: http.MethodGet, path: "/api/legal-basis/event/latest", token: tok}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.api(tc.req)
			if r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if tc.n >= 0 {
				var list []population.Person
				if err := json.Unmarshal(r.body, &list); err != nil || len(list) != tc.n {
					t.Errorf("%d persons (%v), want %d", len(list), err, tc.n)
				}
			}
		})
	}
}

// TestMockSearchRules sends every case of persontjeneste.SearchRuleCases to
// the mock's search endpoint: the accepted ones get 200, the refused ones a
// 400 ProblemDetails naming the rule. The same table drives the client's
// validation (persontjeneste.TestValidateSearch).
func TestMockSearchRules(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.token(singleClientID, ScopeLegalBasis, nil)
	for _, tc := range persontjeneste.SearchRuleCases() {
		t.Run(tc.Name, func(t *testing.T) {
			form := searchForm(tc.Query)
			r := e.api(apiReq{method: http.MethodPost, path: "/api/legal-basis/search/person", token: tok,
				query: partsQuery("Name"), form: form})
			if tc.WantRule == "" {
				if r.status != http.StatusOK {
					t.Fatalf("accepted query answered %d: %s", r.status, r.body)
				}
				return
			}
			p := wantProblem(t, r, http.StatusBadRequest, "")
			errs, _ := p["errors"].(map[string]any)
			text, _ := json.Marshal(errs)
			if !strings.Contains(string(text), tc.WantRule) {
				t.Errorf("errors %s do not name rule %q", text, tc.WantRule)
			}
		})
	}
}

// searchForm is the search/person form for q, including empty-looking values
// (the mock must trim as the client does).
func searchForm(q persontjeneste.SearchQuery) url.Values {
	f := url.Values{}
	for k, v := range map[string]string{
		"GivenName": q.GivenName, "MiddleName": q.MiddleName, "FamilyName": q.FamilyName, "FullName": q.FullName,
		"BirthDate": q.BirthDate, "Gender": q.Gender, "StreetAddress": q.StreetAddress, "PostalCode": q.PostalCode,
		"CityName": q.CityName, "MunicipalityNumber": q.MunicipalityNumber,
	} {
		if v != "" {
			f.Set(k, v)
		}
	}
	return f
}

// TestMockSearchFindsAndCaps: a search finds the person it names, and a broad
// search in a large population stops at 100 results.
func TestMockSearchFindsAndCaps(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.token(singleClientID, ScopeLegalBasis, nil)
	p, _ := e.pop.ByNIN(e.pop.SampleNINs(5)[2])
	name := p.CurrentName()
	birth := p.Birth[0].BirthDate.Format(time.DateOnly)
	r := e.api(apiReq{method: http.MethodPost, path: "/api/legal-basis/search/person", token: tok, query: partsQuery("Name"),
		form: url.Values{"FamilyName": {name.FamilyName}, "BirthDate": {birth}}})
	var res population.PersonSearchResult
	if err := json.Unmarshal(r.body, &res); err != nil || r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if !slices.ContainsFunc(res.Results, func(q population.Person) bool { return q.ID == p.ID }) {
		t.Errorf("search for family name and birth date did not find the person")
	}

	big, err := population.New(population.Config{Seed: 3, Size: 20000, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t, func(c *Config) { c.Population = big })
	tok2 := e2.token(singleClientID, ScopeLegalBasis, nil)
	// The most common family name in the most populous municipality.
	form := url.Values{"FamilyName": {"Hansen"}, "MunicipalityNumber": {"0301"}}
	r = e2.api(apiReq{method: http.MethodPost, path: "/api/legal-basis/search/person", token: tok2, query: partsQuery("Name"),
		form: form})
	res = population.PersonSearchResult{}
	if err := json.Unmarshal(r.body, &res); err != nil || r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	all := big.Search(population.SearchQuery{FamilyName: "Hansen", MunicipalityNumber: "0301"})
	if len(all) <= 100 {
		t.Fatalf("the query matches only %d persons; the cap is not exercised", len(all))
	}
	if len(res.Results) != 100 {
		t.Errorf("%d results, want the cap of 100", len(res.Results))
	}
}
