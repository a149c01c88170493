package nhnmock

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestLatencyNoticesCancelledPost: a caller that gives up during the
// injected latency is noticed at once, for POSTs with a body too (net/http
// watches the connection only after the body has been read).
func TestLatencyNoticesCancelledPost(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Faults.Latency = 20 * time.Second })
	body := url.Values{"nin": {"01010112345"}}.Encode()
	for i, path := range []string{pathToken, pathGetByNIN} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
				"Content-Length: %d\r\n\r\n%s", path, e.srv.Listener.Addr(), len(body), body)
			// The caller gives up before the latency is over: its end of
			// the connection closes (the mock reads end of file), and it
			// waits for the mock to close the other end, which the server
			// does once the handler has returned.
			if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
				t.Fatal(err)
			}
			_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second)) // half the injected latency
			_, _ = io.Copy(io.Discard, conn)
			conn.Close()
			if got, want := e.mock.Counters().Errors["fault_latency_cancelled"], int64(i+1); got < want {
				t.Fatalf("the mock did not notice the cancelled POST %s during its latency: counters %+v",
					path, e.mock.Counters().Errors)
			}
		})
	}
}

// TestLatencyKeepsTheBody: with latency the body read ahead is still the
// body the handlers parse, and a body over the limit is still refused.
func TestLatencyKeepsTheBody(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Faults.Latency = time.Millisecond })
	tok := e.token(singleClientID, ScopeLegalBasis, nil)
	nin := e.pop.SampleNINs(1)[0]
	r := e.api(apiReq{method: http.MethodPost, path: pathGetByNIN, token: tok, query: partsQuery("Name"),
		form: url.Values{"nin": {nin}}})
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"givenName"`) {
		t.Fatalf("get-by-nin under latency: %d %s", r.status, r.body)
	}
	big := url.Values{"nin": {strings.Repeat("1", maxFormBytes+10)}}
	r = e.api(apiReq{method: http.MethodPost, path: pathGetByNIN, token: tok, query: partsQuery("Name"), form: big})
	wantProblem(t, r, http.StatusRequestEntityTooLarge, "too large")
	if n := e.mock.Counters().Errors["fault_latency_cancelled"]; n != 0 {
		t.Errorf("fault_latency_cancelled = %d for answered requests", n)
	}
}
