package smtptest

import (
	"net"
	"runtime"
	"testing"
	"time"
)

// TestStopRightAfterStart: a server stopped at once refuses connections,
// also when its serving goroutine had not run yet (on one processor it runs
// only when the test's goroutine waits), and serves again after Restart.
func TestStopRightAfterStart(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for i := range 20 {
		s, err := Start(Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Stop()
		if c, err := net.DialTimeout("tcp", s.Addr, time.Second); err == nil {
			c.Close()
			t.Fatalf("round %d: a connection was taken after Stop", i)
		}
		if err := s.Restart(); err != nil {
			t.Fatal(err)
		}
		c, err := net.DialTimeout("tcp", s.Addr, time.Second)
		if err != nil {
			t.Fatalf("round %d: after Restart: %v", i, err)
		}
		c.Close()
		s.Close()
	}
}
