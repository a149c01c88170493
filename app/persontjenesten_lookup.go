package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"resepsjon/lookup"
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
	return c.JSON(http.StatusOK, map[string]any{"results": results, "total": len(results)})
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
	return c.JSON(http.StatusOK, map[string]any{"draft": d.Client, "existingClientId": d.ExistingClientID, "badges": d.Badges})
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
	return c.JSON(http.StatusOK, map[string]any{"draft": r.Client, "changes": r.Changes, "kept": r.Kept})
}
