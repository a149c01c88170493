package app_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestMethodNotAllowed: a method the API does not offer on a path it knows
// answers 405 method_not_allowed with the Allow header, in the usual JSON
// error shape and the request's language; an unknown path stays 404.
func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	h := newPTHarness(t)
	cases := []struct {
		method, path string
		allow        []string // nil: 404 route_not_found
	}{
		{http.MethodPatch, "/api/clients/1", []string{"GET", "PUT", "DELETE"}},
		{http.MethodPost, "/api/clients/1", []string{"GET", "PUT", "DELETE"}},
		{http.MethodDelete, "/api/clients", []string{"GET", "POST"}},
		{http.MethodHead, "/api/clients", []string{"GET", "POST"}},
		{http.MethodHead, "/api/app", []string{"GET"}},
		{http.MethodOptions, "/api/clients/7", []string{"GET", "PUT", "DELETE"}},
		{http.MethodGet, "/api/launch", []string{"POST"}},
		{http.MethodPost, "/api/health", []string{"GET"}},
		{http.MethodGet, "/api/persontjenesten/refresh", []string{"POST"}},
		{http.MethodPost, "/api/persontjenesten/settings", []string{"PUT"}},
		{http.MethodDelete, "/api/persontjenesten/status", []string{"GET"}},
		{http.MethodGet, "/api/clients/1/persontjenesten/update", []string{"POST"}},
		{http.MethodPatch, "/api/nothing", nil},
		{http.MethodGet, "/api/clients/1/nothing", nil},
		{http.MethodHead, "/api/nothing", nil},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := h.do(tc.method, tc.path, nil)
			if tc.allow == nil {
				if r.status != http.StatusNotFound {
					t.Fatalf("status %d, want 404: %s", r.status, r.body)
				}
				if v := r.header.Get("Allow"); v != "" {
					t.Errorf("Allow %q on an unknown path", v)
				}
				if tc.method != http.MethodHead {
					if e := r.apiError(t); e.Code != "route_not_found" {
						t.Errorf("code %q", e.Code)
					}
				}
				return
			}
			if r.status != http.StatusMethodNotAllowed {
				t.Fatalf("status %d, want 405: %s", r.status, r.body)
			}
			var got []string
			for _, m := range strings.Split(r.header.Get("Allow"), ",") {
				got = append(got, strings.TrimSpace(m))
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.allow))
			if !slices.Equal(got, want) {
				t.Errorf("Allow %q, want %v", r.header.Get("Allow"), want)
			}
			if tc.method == http.MethodHead {
				if len(r.body) != 0 {
					t.Errorf("HEAD answered with a body: %q", r.body)
				}
				return
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if e := r.apiError(t); e.Code != "method_not_allowed" || e.Message == "" {
				t.Errorf("error %+v", e)
			}
		})
	}

	// The message follows Accept-Language.
	nb := h.do(http.MethodPatch, "/api/clients", nil).apiError(t)
	en := h.do(http.MethodPatch, "/api/clients", nil, func(r *http.Request) { r.Header.Set("Accept-Language", "en") }).apiError(t)
	if nb.Message == en.Message || !strings.Contains(nb.Message, "forespørsel") || !strings.Contains(en.Message, "request") {
		t.Errorf("messages nb %q, en %q", nb.Message, en.Message)
	}

	// Outside the API (the UI's files) the code and shape are the same.
	if r := h.do(http.MethodPost, "/index.html", nil); r.status != http.StatusMethodNotAllowed ||
		!strings.Contains(r.header.Get("Allow"), "GET") || r.apiError(t).Code != "method_not_allowed" {
		t.Errorf("POST /index.html: %d, Allow %q: %s", r.status, r.header.Get("Allow"), r.body)
	}

	// Without a session the answer is still 401: the API tells nothing
	// about its routes to a stranger.
	if r := h.do(http.MethodPatch, "/api/clients/1", nil, noAuth); r.status != http.StatusUnauthorized || r.header.Get("Allow") != "" {
		t.Errorf("PATCH without a session: %d, Allow %q", r.status, r.header.Get("Allow"))
	}

	// A wrong method does nothing: the client is still there after a POST
	// and a PATCH to its address.
	c := validClient(t)
	created := h.do(http.MethodPost, "/api/clients", c)
	if created.status != http.StatusCreated {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	var stored struct {
		ID      int64 `json:"id"`
		Version int64 `json:"version"`
	}
	created.decode(t, &stored)
	path := "/api/clients/" + strconv.FormatInt(stored.ID, 10)
	for _, m := range []string{http.MethodPost, http.MethodPatch} {
		if r := h.do(m, path, map[string]string{"givenName": "Endret"}); r.status != http.StatusMethodNotAllowed {
			t.Fatalf("%s %s: %d", m, path, r.status)
		}
	}
	if r := h.do(http.MethodGet, path, nil); r.status != http.StatusOK || !strings.Contains(string(r.body), `"version":`+strconv.FormatInt(stored.Version, 10)) {
		t.Fatalf("client after refused methods: %d %s", r.status, r.body)
	}
}
