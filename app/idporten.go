package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"resepsjon/idporten"
	"resepsjon/register"
)

// The ID-porten settings under Pasientportal: issuer, client id, level of
// assurance, and the client's key (generate, import, remove) whose public
// half the practice registers with ID-porten.

func (s *Server) idportenRoutes(api *echo.Group) {
	if s.cfg.Portal.IDPorten == nil {
		return
	}
	api.GET("/portal/idporten", s.getIDPorten)
	api.PUT("/portal/idporten", s.putIDPorten)
	api.POST("/portal/idporten/key", s.postIDPortenKey)
	api.DELETE("/portal/idporten/key", s.deleteIDPortenKey)
}

func (s *Server) getIDPorten(c echo.Context) error {
	st, err := s.cfg.Portal.IDPorten.Load(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

type idportenBody struct {
	Issuer   *string `json:"issuer"`
	ClientID *string `json:"clientId"`
	Level    *string `json:"level"`
	AskName  *bool   `json:"askName"`
}

func (s *Server) putIDPorten(c echo.Context) error {
	var in idportenBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	st, err := s.cfg.Portal.IDPorten.Update(c.Request().Context(),
		idporten.Change{Issuer: in.Issuer, ClientID: in.ClientID, Level: in.Level, AskName: in.AskName})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// postIDPortenKey makes a new key ({"generate": true}) or imports one
// ({"import": "<JWK or PEM>"}); either replaces the key in use.
func (s *Server) postIDPortenKey(c echo.Context) error {
	var in struct {
		Generate bool    `json:"generate"`
		Import   *string `json:"import"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	svc := s.cfg.Portal.IDPorten
	switch {
	case in.Generate && in.Import == nil:
		st, err := svc.GenerateKey(ctx)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, st)
	case in.Import != nil && !in.Generate:
		st, err := svc.ImportKey(ctx, []byte(*in.Import))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, st)
	default:
		return &register.ValidationError{Fields: map[string]string{"key": register.CodeRequired}}
	}
}

func (s *Server) deleteIDPortenKey(c echo.Context) error {
	st, err := s.cfg.Portal.IDPorten.RemoveKey(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
