package persontjeneste

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"resepsjon/persontjeneste/helseid"
)

// Limits from the contract and sensible defaults.
const (
	// MaxBulk is the most identifiers one bulk call may carry.
	MaxBulk = 100

	defaultAPIVersion    = "2"
	defaultTimeout       = 15 * time.Second
	defaultMaxAttempts   = 3
	defaultBaseDelay     = 200 * time.Millisecond
	defaultMaxDelay      = 3 * time.Second
	defaultMaxRetryAfter = 10 * time.Second
	// BulkConcurrency is how many bulk calls BulkByNIN and BulkByID run
	// at once.
	BulkConcurrency   = 4
	maxResponseBytes  = 32 << 20 // a bulk answer of 100 persons with every part stays well below this
	maxNINLength      = 12
	maxPersonIDLength = 64
)

// RetryPolicy bounds the retries of failed calls. Only unavailability (5xx,
// network errors, timeouts) and 429 are retried; the calls are all reads, so
// repeating them is safe.
type RetryPolicy struct {
	MaxAttempts int           // attempts in total, the first included; default 3
	BaseDelay   time.Duration // first backoff; default 200 ms, doubled per attempt, jittered
	MaxDelay    time.Duration // backoff cap; default 3 s
	// MaxRetryAfter is the longest Retry-After (on 429) that is waited out;
	// a longer one is returned at once as *RateLimitedError so the user is
	// told to wait instead of the screen hanging. Default 10 s.
	MaxRetryAfter time.Duration
	// Sleep waits d or until ctx is done; nil means a real timer. Tests
	// replace it to observe delays without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Config configures a Client.
type Config struct {
	BaseURL string       // e.g. https://et.persontjenesten.test.nhn.no
	HTTP    *http.Client // its Transport adds DPoP proof and access token
	// APIVersion is sent as the "api-version" header; default "2".
	APIVersion string
	// LegalBasis selects the /api/legal-basis/ routes (health practices with
	// a legal basis; the app's default) instead of /api/no-legal-basis/.
	LegalBasis bool
	// Timeout bounds each HTTP attempt, applied through its context; default 15 s.
	Timeout time.Duration
	Retry   RetryPolicy
	Logger  *slog.Logger // nil discards
}

// Client calls Persontjenesten. It is safe for concurrent use.
type Client struct {
	baseURL    string
	prefix     string
	http       *http.Client
	apiVersion string
	timeout    time.Duration
	retry      RetryPolicy
	log        *slog.Logger
	now        func() time.Time
}

// New checks cfg, fills in defaults and returns a Client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.BaseURL))
	if err != nil {
		return nil, fmt.Errorf("persontjeneste config: base URL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("persontjeneste config: base URL %q must be an absolute http(s) URL", cfg.BaseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("persontjeneste config: base URL %q must not have a query or fragment", cfg.BaseURL)
	}
	if cfg.HTTP == nil {
		return nil, errors.New("persontjeneste config: an HTTP client (with the HelseID transport) is required")
	}
	c := &Client{
		baseURL:    strings.TrimRight(u.String(), "/"),
		prefix:     "/api/no-legal-basis",
		http:       cfg.HTTP,
		apiVersion: cfg.APIVersion,
		timeout:    cfg.Timeout,
		retry:      cfg.Retry,
		log:        cfg.Logger,
		now:        time.Now,
	}
	if cfg.LegalBasis {
		c.prefix = "/api/legal-basis"
	}
	if c.apiVersion == "" {
		c.apiVersion = defaultAPIVersion
	}
	if c.timeout <= 0 {
		c.timeout = defaultTimeout
	}
	if c.retry.MaxAttempts <= 0 {
		c.retry.MaxAttempts = defaultMaxAttempts
	}
	if c.retry.BaseDelay <= 0 {
		c.retry.BaseDelay = defaultBaseDelay
	}
	if c.retry.MaxDelay <= 0 {
		c.retry.MaxDelay = defaultMaxDelay
	}
	if c.retry.MaxRetryAfter <= 0 {
		c.retry.MaxRetryAfter = defaultMaxRetryAfter
	}
	if c.retry.Sleep == nil {
		c.retry.Sleep = sleep
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// GetByNIN fetches the person with a fødselsnummer, D-number or alternate
// number; historic numbers are accepted, so a D-number that became a
// fødselsnummer still finds the person. Empty parts means
// DefaultInformationParts.
func (c *Client) GetByNIN(ctx context.Context, nin string, parts []InformationPart, includeHistory bool) (Person, error) {
	const op = "get person by identity number"
	nin = strings.TrimSpace(nin)
	if nin == "" || len(nin) > maxNINLength {
		return Person{}, fmt.Errorf("%s: %w", op, &InvalidQueryError{Detail: "identity number must be 1 to 12 characters"})
	}
	q, err := partsQuery(parts, includeHistory)
	if err != nil {
		return Person{}, fmt.Errorf("%s: %w", op, err)
	}
	var p Person
	err = c.do(ctx, call{op: op, method: http.MethodPost, path: "/person/get-by-nin", query: q, form: url.Values{"nin": {nin}}}, &p)
	return p, err
}

// GetByID fetches the person with Persontjenesten's person id.
func (c *Client) GetByID(ctx context.Context, id string, parts []InformationPart, includeHistory bool) (Person, error) {
	const op = "get person by id"
	if id == "" || len(id) > maxPersonIDLength {
		return Person{}, fmt.Errorf("%s: %w", op, &InvalidQueryError{Detail: "person id must be 1 to 64 characters"})
	}
	q, err := partsQuery(parts, includeHistory)
	if err != nil {
		return Person{}, fmt.Errorf("%s: %w", op, err)
	}
	var p Person
	err = c.do(ctx, call{op: op, method: http.MethodGet, path: "/person/" + url.PathEscape(id), query: q}, &p)
	return p, err
}

// BulkByNIN fetches many persons by identity number, in calls of at most
// MaxBulk with bounded concurrency. The contract answers only the persons it
// found (no error for unknown numbers), so the result may be shorter than
// nins; it keeps the order of the calls' answers. Match persons back to
// input with Person.HasNIN, or by person id.
func (c *Client) BulkByNIN(ctx context.Context, nins []string, parts []InformationPart) ([]Person, error) {
	return c.bulk(ctx, "bulk get persons by identity number", "/person/bulk-by-nin", "nins", maxNINLength, nins, parts)
}

// BulkByID fetches many persons by person id; see BulkByNIN.
func (c *Client) BulkByID(ctx context.Context, ids []string, parts []InformationPart) ([]Person, error) {
	return c.bulk(ctx, "bulk get persons by id", "/person/bulk-by-id", "personIds", maxPersonIDLength, ids, parts)
}

// EachBulkByNIN fetches persons by identity number in calls of at most
// MaxBulk, at most limit calls at a time, and hands each call's numbers and
// answer to fn as it arrives; fn runs in the call's goroutine, so calls of
// fn may overlap. The first error, of a call or of fn, cancels the calls
// not yet done and is returned. "Oppdater alle" applies each answer as it
// comes this way.
func (c *Client) EachBulkByNIN(ctx context.Context, nins []string, parts []InformationPart, limit int,
	fn func(ctx context.Context, nins []string, persons []Person) error) error {
	return c.eachBulk(ctx, "bulk get persons by identity number", "/person/bulk-by-nin", "nins", maxNINLength, nins, parts, limit,
		func(ctx context.Context, _ int, chunk []string, persons []Person) error {
			return fn(ctx, chunk, persons)
		})
}

// Search finds at most 100 persons matching q on current register data. q
// is checked with ValidateSearch first, so a query the API would refuse
// fails with a *SearchRuleError without a call.
func (c *Client) Search(ctx context.Context, q SearchQuery, parts []InformationPart) ([]Person, error) {
	const op = "search persons"
	q = q.trimmed()
	if err := ValidateSearch(q); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	query, err := partsQuery(parts, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var res PersonSearchResult
	if err := c.do(ctx, call{op: op, method: http.MethodPost, path: "/search/person", query: query, form: q.form()}, &res); err != nil {
		return nil, err
	}
	return res.Results, nil
}

// Events lists up to 1000 change events starting at fromSequence (that event
// included when it exists); fromSequence < 1 starts at the beginning.
// eventTypes filters by EventType; empty means all. A sequence number past
// the newest event may be answered with ErrNotFound.
func (c *Client) Events(ctx context.Context, fromSequence int64, eventTypes []string) ([]EventDocument, error) {
	q := url.Values{}
	if fromSequence >= 1 {
		q.Set("sequenceNumber", strconv.FormatInt(fromSequence, 10))
	}
	for _, t := range eventTypes {
		q.Add("eventTypes", t)
	}
	var res EventDocumentSearchResult
	if err := c.do(ctx, call{op: "list events", method: http.MethodGet, path: "/event", query: q}, &res); err != nil {
		return nil, err
	}
	return res.Results, nil
}

// LatestEvent returns the newest change event. It is the app's cheap access
// check: ErrUnauthorized or ErrNoAccess mean access is not (yet) in place.
func (c *Client) LatestEvent(ctx context.Context) (EventDocument, error) {
	var ev EventDocument
	err := c.do(ctx, call{op: "get latest event", method: http.MethodGet, path: "/event/latest"}, &ev)
	return ev, err
}

// Sequence parses the event's sequence number.
func (e EventDocument) Sequence() (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(e.SequenceNumber), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("event sequence number: %w", err)
	}
	return n, nil
}

// bulk collects the answers of eachBulk in the order of the calls.
func (c *Client) bulk(ctx context.Context, op, path, key string, maxLen int, values []string, parts []InformationPart) ([]Person, error) {
	results := make([][]Person, (len(values)+MaxBulk-1)/MaxBulk)
	err := c.eachBulk(ctx, op, path, key, maxLen, values, parts, BulkConcurrency,
		func(_ context.Context, i int, _ []string, persons []Person) error {
			results[i] = persons
			return nil
		})
	if err != nil {
		return nil, err
	}
	var out []Person
	for _, r := range results {
		out = append(out, r...)
	}
	return out, nil
}

// eachBulk is the one place bulk calls are split and run concurrently
// (errgroup with SetLimit). It refuses, without a call, values the contract
// does not allow: empty or longer than maxLen (12 for identity numbers, 64
// for person ids).
func (c *Client) eachBulk(ctx context.Context, op, path, key string, maxLen int, values []string, parts []InformationPart, limit int,
	fn func(ctx context.Context, i int, chunk []string, persons []Person) error) error {
	if len(values) == 0 {
		return nil
	}
	q, err := partsQuery(parts, false)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for _, v := range values {
		if v == "" || len(v) > maxLen {
			return fmt.Errorf("%s: %w", op, &InvalidQueryError{Detail: "identifiers must be 1 to " + strconv.Itoa(maxLen) + " characters"})
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(limit, 1))
	for lo := 0; lo < len(values); lo += MaxBulk {
		if gctx.Err() != nil {
			break // a call failed: the rest would be thrown away
		}
		hi := min(lo+MaxBulk, len(values))
		chunk := values[lo:hi]
		g.Go(func() error {
			var persons []Person
			err := c.do(gctx, call{op: op, method: http.MethodPost, path: path, query: q, form: url.Values{key: chunk}}, &persons)
			if err != nil {
				return fmt.Errorf("items %d-%d: %w", lo+1, hi, err)
			}
			return fn(gctx, lo/MaxBulk, chunk, persons)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// partsQuery builds the informationParts (repeated key) and includeHistory
// query parameters.
func partsQuery(parts []InformationPart, includeHistory bool) (url.Values, error) {
	if len(parts) == 0 {
		parts = DefaultInformationParts()
	}
	q := url.Values{}
	for _, p := range parts {
		if !ValidInformationPart(p) {
			return nil, &InvalidQueryError{Detail: fmt.Sprintf("unknown information part %q", p)}
		}
		q.Add("informationParts", string(p))
	}
	if includeHistory {
		q.Set("includeHistory", "true")
	}
	return q, nil
}

// call describes one API request; the request itself is rebuilt per attempt
// so that bodies are always replayable.
type call struct {
	op     string // what is being done, for errors and logs; never carries identity numbers
	method string
	path   string // below the legal-basis prefix
	query  url.Values
	form   url.Values // nil for requests without a body
}

// do runs c with bounded, jittered retries and decodes a 2xx JSON answer into out.
func (c *Client) do(ctx context.Context, cl call, out any) error {
	for attempt := 1; ; attempt++ {
		err := c.attempt(ctx, cl, out)
		if err == nil {
			return nil
		}
		delay, retry := c.retryDelay(err, attempt)
		if !retry || attempt >= c.retry.MaxAttempts || ctx.Err() != nil {
			return fmt.Errorf("%s: %w", cl.op, err)
		}
		if deadline, ok := ctx.Deadline(); ok && c.now().Add(delay).After(deadline) {
			// Waiting would only end in the caller's deadline; report the real cause now.
			return fmt.Errorf("%s: %w", cl.op, err)
		}
		c.log.LogAttrs(ctx, slog.LevelWarn, "persontjenesten call failed, retrying",
			slog.String("op", cl.op), slog.Int("attempt", attempt), slog.Duration("delay", delay), slog.String("error", err.Error()))
		if serr := c.retry.Sleep(ctx, delay); serr != nil {
			return fmt.Errorf("%s: %w (last error: %w)", cl.op, serr, err)
		}
	}
}

// retryDelay decides whether err is worth another attempt and after how long.
func (c *Client) retryDelay(err error, attempt int) (time.Duration, bool) {
	var rl *RateLimitedError
	switch {
	case errors.As(err, &rl):
		if rl.RetryAfter > c.retry.MaxRetryAfter {
			return 0, false
		}
		if rl.RetryAfter > 0 {
			return rl.RetryAfter, true
		}
		return c.backoff(attempt), true
	case errors.Is(err, ErrUnavailable):
		return c.backoff(attempt), true
	default:
		return 0, false
	}
}

// backoff is exponential with "equal jitter": half the step fixed, half
// random, so concurrent bulk calls do not retry in lockstep.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retry.MaxDelay
	if shift := attempt - 1; shift < 30 {
		if step := c.retry.BaseDelay << shift; step > 0 && step < d {
			d = step
		}
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(d-half)+1))
}

// attempt performs one HTTP round trip under its own timeout.
func (c *Client) attempt(ctx context.Context, cl call, out any) error {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := c.newRequest(actx, cl)
	if err != nil {
		return err
	}
	start := c.now()
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return c.transportError(ctx, fmt.Errorf("read response: %w", err))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "persontjenesten call",
		slog.String("op", cl.op), slog.Int("status", resp.StatusCode), slog.Duration("took", c.now().Sub(start)))
	if len(body) > maxResponseBytes {
		return fmt.Errorf("response larger than %d bytes", maxResponseBytes)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return errorForStatus(resp.StatusCode, decodeProblem(resp.Header.Get("Content-Type"), body),
			parseRetryAfter(resp.Header.Get("Retry-After"), c.now()), helseid.ChallengeError(resp.Header))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}

// transportError classifies a failed round trip: the caller giving up is
// reported as such; HelseID refusing the token request (no delegation, an
// unknown client or key, a scope the client lacks) means the access token is
// not to be had, which no retry changes; everything else (including the
// attempt's own timeout and HelseID being down) means the service is
// unavailable. The cause stays in the chain, so helseid.IsNoDelegation and
// its siblings work on the returned error.
func (c *Client) transportError(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return ctx.Err()
	}
	var refused *helseid.TokenError
	if errors.As(err, &refused) {
		return fmt.Errorf("%w: %w", ErrUnauthorized, err)
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

func (c *Client) newRequest(ctx context.Context, cl call) (*http.Request, error) {
	u := c.baseURL + c.prefix + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	var body io.Reader
	if cl.form != nil {
		body = bytes.NewReader([]byte(cl.form.Encode()))
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("api-version", c.apiVersion)
	req.Header.Set("Accept", "application/json")
	if cl.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req, nil
}

// decodeProblem reads a ProblemDetails body; nil when the body is not one.
func decodeProblem(contentType string, body []byte) *ProblemDetails {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(contentType); err == nil &&
		mt != "application/json" && mt != "application/problem+json" {
		return nil
	}
	var p ProblemDetails
	if err := json.Unmarshal(body, &p); err != nil {
		return nil
	}
	if p == (ProblemDetails{}) {
		return nil
	}
	return &p
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
