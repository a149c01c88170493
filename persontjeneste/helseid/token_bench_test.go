package helseid

import (
	"context"
	"sync"
	"testing"
)

// BenchmarkTokenConcurrentCallers has 20 goroutines make 10,000 Token calls
// between them on a fresh client, within one token lifetime (the clock does
// not move), against a loopback token endpoint. One op is the whole batch;
// token-requests reports how many token acquisitions the batch caused, which
// must be exactly one.
func BenchmarkTokenConcurrentCallers(b *testing.B) {
	const callers, calls = 20, 10_000
	clock := newFakeClock()
	key, err := GenerateKey(AlgES256)
	if err != nil {
		b.Fatal(err)
	}
	f := newFakeHelseID(b, key, clock.Now)
	var fetches int64
	b.ReportAllocs()
	for b.Loop() {
		c, err := NewTokenClient(f.config(key))
		if err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, callers)
		for w := range callers {
			n := calls / callers
			if w < calls%callers {
				n++
			}
			wg.Go(func() {
				for range n {
					if _, err := c.Token(context.Background()); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatalf("Token: %v", err)
		}
		fetches = c.Stats().Fetches
		if fetches != 1 {
			b.Fatalf("%d token acquisitions for %d calls in one lifetime, want 1", fetches, calls)
		}
	}
	b.ReportMetric(float64(fetches), "token-requests")
}
