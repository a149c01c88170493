package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"resepsjon/register"
)

// decodeJSON reads exactly one JSON object into v. Unknown fields, wrong
// types and trailing data are refused, so a typo in a script is not silently
// ignored.
//
// Invalid UTF-8 and escaped lone surrogates ("\ud800") are refused too:
// the decoder would silently turn them into U+FFFD and store that.
func decodeJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return newError(http.StatusRequestEntityTooLarge, "too_large")
		}
		return invalidJSON(err)
	}
	if !utf8.Valid(body) {
		return invalidJSON(errors.New("the body is not valid UTF-8"))
	}
	if err := checkSurrogates(body); err != nil {
		return invalidJSON(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalidJSON(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return invalidJSON(errors.New("unexpected data after the JSON object"))
	}
	return nil
}

// checkSurrogates refuses \u escapes of UTF-16 surrogates that do not come
// as a high one followed by a low one. Outside strings a backslash is
// invalid JSON anyway, so the whole body is scanned.
func checkSurrogates(body []byte) error {
	hex4 := func(i int) (rune, bool) {
		if i+6 > len(body) || body[i] != '\\' || body[i+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(body[i+2:i+6]), 16, 16)
		return rune(n), err == nil
	}
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		r, ok := hex4(i)
		if !ok {
			i++ // another escape: skip the escaped character
			continue
		}
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			if lo, ok := hex4(i + 6); ok && lo >= 0xDC00 && lo <= 0xDFFF {
				i += 11
				continue
			}
			return fmt.Errorf("a lone surrogate escape at offset %d", i)
		case r >= 0xDC00 && r <= 0xDFFF:
			return fmt.Errorf("a lone surrogate escape at offset %d", i)
		}
		i += 5
	}
	return nil
}

func invalidJSON(err error) error {
	e := newError(http.StatusBadRequest, "invalid_json")
	// The decoder's text names the field or position; it never contains
	// values, so it is safe to return and helps script authors.
	e.Fields = map[string]string{"body": err.Error()}
	return e
}

func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, register.ErrNotFound
	}
	return id, nil
}

func queryInt(c echo.Context, name string, def, min, max int) (int, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < min || n > max {
		return 0, &register.ValidationError{Fields: map[string]string{name: "range"}}
	}
	return n, nil
}

func (s *Server) listClients(c echo.Context) error {
	limit, err := queryInt(c, "limit", 50, 1, 200)
	if err != nil {
		return err
	}
	offset, err := queryInt(c, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	q := c.QueryParam("q")
	if len(q) > 200 {
		return &register.ValidationError{Fields: map[string]string{"q": "too_long"}}
	}
	page, err := s.cfg.Clients.SearchClients(c.Request().Context(), register.Query{Q: q, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, appendPage(make([]byte, 0, 64+256*len(page.Results)), page))
}

// listClientsAhead is GET /api/clients/ahead?limit=: the first page of
// every one-character search (register.AheadSearches), which the client
// list asks for when it opens: {"answers":[{"q":"a","results":[…],"total":N},…]}.
func (s *Server) listClientsAhead(c echo.Context) error {
	limit, err := queryInt(c, "limit", 50, 1, 200)
	if err != nil {
		return err
	}
	var qs []register.Query
	for _, r := range register.AheadSearches {
		qs = append(qs, register.Query{Q: string(r), Limit: limit})
	}
	pages, err := s.cfg.Clients.SearchClientsAhead(c.Request().Context(), qs)
	if err != nil {
		return err
	}
	n := 0
	for _, p := range pages {
		n += len(p.Results)
	}
	return c.JSONBlob(http.StatusOK, appendAhead(make([]byte, 0, 64+256*n), qs, pages))
}

func (s *Server) createClient(c echo.Context) error {
	var in register.Client
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := register.Validate(&in); err != nil {
		return err
	}
	s.lookup.FetchedContact(&in)
	out, err := s.cfg.Clients.CreateClient(c.Request().Context(), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/clients/"+strconv.FormatInt(out.ID, 10))
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) getClient(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	out, err := s.cfg.Clients.GetClient(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) updateClient(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in register.Client
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Version <= 0 {
		return &register.ValidationError{Fields: map[string]string{"version": "required"}}
	}
	if err := register.Validate(&in); err != nil {
		return err
	}
	in.ID = id
	s.lookup.FetchedContact(&in)
	out, err := s.cfg.Clients.UpdateClient(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) deleteClient(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	version, err := queryInt(c, "version", 0, 1, 1<<31-1)
	if err != nil {
		return err
	}
	if version == 0 {
		return &register.ValidationError{Fields: map[string]string{"version": "required"}}
	}
	if err := s.cfg.Clients.DeleteClient(c.Request().Context(), id, int64(version)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
