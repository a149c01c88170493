package nhnmock

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// contractPath is NHN's contract, kept beside the repository (never copied into it).
const contractPath = "../../../shared/persontjenesten/openapi.yaml"

const contractSkip = "../shared/persontjenesten/openapi.yaml not found: contract tests need the shared folder beside the repo"

// skipWithoutContract skips a test that needs the contract when it is
// absent, except under CI=true, where the file must be present and its
// absence fails the test.
func skipWithoutContract(t testing.TB) {
	t.Helper()
	_, err := loadContract()
	switch {
	case errors.Is(err, errNoContract) && os.Getenv("CI") == "true":
		t.Fatal(contractSkip + " (required under CI=true)")
	case errors.Is(err, errNoContract):
		t.Skip(contractSkip)
	case err != nil:
		t.Fatalf("load contract: %v", err)
	}
}

type contract struct {
	router routers.Router
}

// errNoContract means the contract file is absent.
var errNoContract = errors.New("contract absent")

// loadContract parses the contract once per test binary; parsing 10,000 lines
// of YAML for every test would dominate the run time.
var loadContract = sync.OnceValues(func() (*contract, error) {
	if _, err := os.Stat(contractPath); errors.Is(err, fs.ErrNotExist) {
		return nil, errNoContract
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(contractPath)
	if err != nil {
		return nil, err
	}
	// Match paths only: the contract's server URL is "".
	doc.Servers = nil
	// ASP.NET Core serves ProblemDetails as application/problem+json while the
	// generated contract lists application/json; accept the same schema under
	// both media types, so the body is still validated against ProblemDetails.
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				if mt := r.Value.Content["application/json"]; mt != nil && mt.Schema != nil &&
					strings.HasSuffix(mt.Schema.Ref, "/ProblemDetails") {
					r.Value.Content["application/problem+json"] = mt
				}
			}
		}
	}
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, err
	}
	return &contract{router: router}, nil
})

// contractTransport validates every Persontjenesten response a test receives
// against the contract and, with requests set, every request sent as well
// (for the app's own client; hand-made negative requests break it on purpose).
type contractTransport struct {
	t         testing.TB
	base      http.RoundTripper
	requests  bool
	validated atomic.Int64 // responses
	requested atomic.Int64 // requests
}

func (c *contractTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(req.URL.Path, "/api/") {
		return c.base.RoundTrip(req)
	}
	ct, cerr := loadContract()
	if cerr != nil {
		if !errors.Is(cerr, errNoContract) || os.Getenv("CI") == "true" {
			c.t.Errorf("load contract: %v", cerr)
		}
		return c.base.RoundTrip(req)
	}
	route, params, ferr := ct.router.FindRoute(req)
	if ferr != nil {
		if c.requests {
			c.t.Errorf("contract: %s %s is not a route of the contract: %v", req.Method, req.URL.Path, ferr)
		}
		// Paths outside the contract (negative tests) have nothing to validate against.
		return c.base.RoundTrip(req)
	}
	reqIn := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	if c.requests {
		var reqBody []byte
		if req.Body != nil && req.Body != http.NoBody {
			b, err := io.ReadAll(req.Body)
			req.Body.Close()
			if err != nil {
				return nil, err
			}
			reqBody = b
		}
		clone := req.Clone(req.Context())
		clone.Body = io.NopCloser(bytes.NewReader(reqBody))
		if verr := openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
			Request: clone, PathParams: params, Route: route, Options: reqIn.Options,
		}); verr != nil {
			c.t.Errorf("contract: request %s %s does not validate: %v", req.Method, req.URL.Path, verr)
		}
		c.requested.Add(1)
		out := req.Clone(req.Context())
		out.Body = io.NopCloser(bytes.NewReader(reqBody))
		out.ContentLength = int64(len(reqBody))
		if len(reqBody) == 0 {
			out.Body = http.NoBody
		}
		req = out
		reqIn.Request = out
	}
	res, err := c.base.RoundTrip(req)
	if err != nil {
		return res, err
	}
	body, rerr := io.ReadAll(res.Body)
	res.Body.Close()
	if rerr != nil {
		return nil, rerr
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqIn,
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
	}
	if verr := openapi3filter.ValidateResponse(context.Background(), in); verr != nil {
		c.t.Errorf("contract: %s %s -> %d does not validate: %v\nbody: %.600s", req.Method, req.URL.Path, res.StatusCode, verr, body)
	}
	c.validated.Add(1)
	return res, nil
}

// TestContractLoads makes the contract's absence visible instead of silently
// validating nothing, and checks that validation actually runs.
func TestContractLoads(t *testing.T) {
	skipWithoutContract(t)
	e := newEnv(t, nil)
	tok := e.token(singleClientID, ScopeLegalBasis, nil)
	r := e.api(apiReq{method: http.MethodGet, path: "/api/legal-basis/event/latest", token: tok})
	if r.status != http.StatusOK {
		t.Fatalf("event/latest: %d %s", r.status, r.body)
	}
	r = e.api(apiReq{method: http.MethodPost, path: "/api/legal-basis/person/get-by-nin", token: tok,
		query: partsQuery("Name"), form: map[string][]string{"nin": {"00000000000"}}})
	wantProblem(t, r, http.StatusNotFound, "not found")
	if n := e.client.Transport.(*contractTransport).validated.Load(); n != 2 {
		t.Fatalf("validated %d responses, want 2", n)
	}
}
