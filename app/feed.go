package app

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"resepsjon/messages"
	"resepsjon/register"
)

// The change feed's routes (package feed follows it): its status and the
// «Endret fra Folkeregisteret» list, on/off, poll now, and a client's last
// update from the feed.

func (s *Server) feedRoutes(api *echo.Group) {
	api.GET("/persontjenesten/feed", s.getFeed)
	api.PUT("/persontjenesten/feed", s.putFeed)
	api.POST("/persontjenesten/feed/poll", s.postFeedPoll)
	api.GET("/clients/:id/feed", s.getClientFeed)
}

// FeedError is why the change feed's last poll failed.
type FeedError struct {
	Code    string     `json:"code"`
	Service string     `json:"service,omitempty"`
	Message string     `json:"message"`
	At      *time.Time `json:"at"`
}

// FeedChange is one client the change feed updated (or could not).
type FeedChange struct {
	ClientID int64     `json:"clientId"`
	Name     string    `json:"name"`
	Time     time.Time `json:"time"`
	Outcome  string    `json:"outcome"`
	Kinds    []string  `json:"kinds"`
	Fields   []string  `json:"fields"`
}

// FeedStatus is GET /api/persontjenesten/feed: the change feed as it stands.
type FeedStatus struct {
	Enabled         bool         `json:"enabled"`
	Activated       bool         `json:"activated"`
	Running         bool         `json:"running"`
	Started         bool         `json:"started"`
	IntervalSeconds int          `json:"intervalSeconds"`
	LastRunAt       *time.Time   `json:"lastRunAt"`
	NextRunAt       *time.Time   `json:"nextRunAt"`
	EventsRead      int64        `json:"eventsRead"`
	ClientsUpdated  int64        `json:"clientsUpdated"`
	Error           *FeedError   `json:"error"`
	Changes         []FeedChange `json:"changes"`
}

// feedChangesShown is how many lines «Endret fra Folkeregisteret» shows.
const feedChangesShown = 30

func (s *Server) feedView(c echo.Context) (FeedStatus, error) {
	ctx := c.Request().Context()
	st, err := s.feed.Status(ctx)
	if err != nil {
		return FeedStatus{}, err
	}
	out := FeedStatus{Enabled: st.Enabled, Activated: st.Activated, Running: st.Running, Started: st.Started,
		IntervalSeconds: int(st.Interval / time.Second), LastRunAt: st.LastRunAt, NextRunAt: st.NextRunAt,
		EventsRead: st.EventsRead, ClientsUpdated: st.ClientsUpdated, Changes: []FeedChange{}}
	if st.ErrCode != "" {
		code := st.ErrCode
		if st.ErrService != "" {
			code += "." + st.ErrService
		}
		out.Error = &FeedError{Code: st.ErrCode, Service: st.ErrService, At: st.ErrAt,
			Message: messages.Get("feed."+code, "feed.internal", s.lang(c))}
		if !messages.Has("feed."+code) && messages.Has("feed."+st.ErrCode) {
			out.Error.Message = messages.Get("feed."+st.ErrCode, "feed.internal", s.lang(c))
		}
	}
	changes, err := s.feed.Changes(ctx, 0, feedChangesShown)
	if err != nil {
		return FeedStatus{}, err
	}
	for _, ch := range changes {
		out.Changes = append(out.Changes, changeJSON(ch))
	}
	return out, nil
}

func changeJSON(ch register.FeedChange) FeedChange {
	v := FeedChange{ClientID: ch.ClientID, Name: ch.Name, Time: ch.Time, Outcome: ch.Outcome, Kinds: ch.Kinds, Fields: ch.Fields}
	if v.Kinds == nil {
		v.Kinds = []string{}
	}
	if v.Fields == nil {
		v.Fields = []string{}
	}
	return v
}

func (s *Server) getFeed(c echo.Context) error {
	if s.feed == nil {
		return newError(http.StatusNotFound, "not_found")
	}
	v, err := s.feedView(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// putFeed turns the feed on or off: {"enabled": true|false}.
func (s *Server) putFeed(c echo.Context) error {
	if s.feed == nil {
		return newError(http.StatusNotFound, "not_found")
	}
	var body struct {
		Enabled *bool `json:"enabled"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Enabled == nil {
		return &register.ValidationError{Fields: map[string]string{"enabled": register.CodeRequired}}
	}
	if err := s.feed.SetEnabled(c.Request().Context(), *body.Enabled); err != nil {
		return err
	}
	return s.getFeed(c)
}

// postFeedPoll asks the follower to poll now; the answer comes at once,
// the poll runs in the background.
func (s *Server) postFeedPoll(c echo.Context) error {
	if s.feed == nil {
		return newError(http.StatusNotFound, "not_found")
	}
	s.feed.Wake()
	return c.JSON(http.StatusAccepted, map[string]bool{"accepted": true})
}

// getClientFeed is the client's last update from the feed, for the card's
// «Oppdatert fra Folkeregisteret»: {"updatedAt": time|null}.
func (s *Server) getClientFeed(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	out := map[string]*time.Time{"updatedAt": nil}
	if s.feed == nil {
		return c.JSON(http.StatusOK, out)
	}
	changes, err := s.feed.Changes(c.Request().Context(), id, 20)
	if err != nil {
		return err
	}
	for _, ch := range changes {
		if ch.Outcome == register.FeedUpdated {
			t := ch.Time
			out["updatedAt"] = &t
			break
		}
	}
	return c.JSON(http.StatusOK, out)
}
