package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"resepsjon/lookup"
	"resepsjon/register"
)

// searchBody is POST /api/persontjenesten/search: an identity number, or
// name fields with something that narrows the search.
type searchBody struct {
	NIN                string `json:"nin"`
	GivenName          string `json:"givenName"`
	MiddleName         string `json:"middleName"`
	FamilyName         string `json:"familyName"`
	FullName           string `json:"fullName"`
	BirthDate          string `json:"birthDate"`
	PostalCode         string `json:"postalCode"`
	MunicipalityNumber string `json:"municipalityNumber"`
	StreetAddress      string `json:"streetAddress"`
	CityName           string `json:"cityName"`
	Gender             string `json:"gender"`
}

func (s *Server) postPersontjenestenSearch(c echo.Context) error {
	var in searchBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	results, err := s.lookup.Search(c.Request().Context(), lookup.Request(in))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, SearchAnswer{Results: results, Total: len(results)})
}

// SearchAnswer is POST /api/persontjenesten/search's answer.
type SearchAnswer struct {
	Results []lookup.Match `json:"results"`
	Total   int            `json:"total"`
}

// LookupAnswer is POST /api/persontjenesten/lookup's answer: the draft for
// "Legg til klient" (not saved), the client already registered with the
// number, if any, and the person's badges.
type LookupAnswer struct {
	Draft            register.Client `json:"draft"`
	ExistingClientID *int64          `json:"existingClientId"`
	Badges           []string        `json:"badges"`
}

// UpdateAnswer is POST /api/clients/{id}/persontjenesten/update's answer:
// the client with Persontjenesten's changes applied (not saved), the
// changes, and the phone and e-mail changed in Resepsjon since the last
// fetch, whose register value is only offered (old: the practice's, new:
// the register's).
type UpdateAnswer struct {
	Draft   register.Client `json:"draft"`
	Changes []lookup.Change `json:"changes"`
	Kept    []lookup.Change `json:"kept"`
}

type lookupBody struct {
	PersonID string `json:"personId"`
	NIN      string `json:"nin"`
}

func (s *Server) postPersontjenestenLookup(c echo.Context) error {
	var in lookupBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	d, err := s.lookup.Lookup(c.Request().Context(), in.PersonID, in.NIN)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, LookupAnswer{Draft: d.Client, ExistingClientID: d.ExistingClientID, Badges: d.Badges})
}

func (s *Server) postClientUpdateFromPersontjenesten(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := s.lookup.Update(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, UpdateAnswer{Draft: r.Client, Changes: r.Changes, Kept: r.Kept})
}
