package nhnmock

import (
	"context"
	"sync"
	"testing"
	"time"

	"resepsjon/persontjeneste"
	"resepsjon/persontjeneste/nhnmock/population"
)

// benchLatency is the mock's answer delay in BenchmarkFetchPersons: a
// plausible round trip to NHN.
const benchLatency = 50 * time.Millisecond

// benchPersons is how many persons BenchmarkFetchPersons fetches in bulk.
const benchPersons = 10_000

// benchSingles is how many persons the one-call-per-person comparison
// fetches; its time for benchPersons is extrapolated (all of them would take
// minutes at benchLatency).
const benchSingles = 200

// singleConcurrency bounds the one-call-per-person comparison like the bulk
// calls are bounded (persontjeneste's bulkConcurrency).
const singleConcurrency = 4

// BenchmarkFetchPersons fetches 10,000 persons through the app's
// Persontjenesten client against the mock answering after 50 ms: with
// BulkByNIN (100 per call, bounded concurrency), and for comparison with one
// get-by-nin per person at the same concurrency. Both report
// s/10k-persons; the token is fetched before the timer starts.
func BenchmarkFetchPersons(b *testing.B) {
	pop, err := population.New(population.Config{Seed: 3, Size: 2 * benchPersons})
	if err != nil {
		b.Fatal(err)
	}
	e := newEnv(b, func(c *Config) {
		c.Population = pop
		c.TokenLifetime = time.Hour
		c.Faults.Latency = benchLatency
	})
	a := e.newApp(appOptions{timeout: 30 * time.Second})
	nins := pop.SampleNINs(benchPersons)
	if len(nins) != benchPersons {
		b.Fatalf("%d identity numbers, want %d", len(nins), benchPersons)
	}
	ctx := context.Background()
	parts := []persontjeneste.InformationPart{"Name", "Birth", "ResidentialAddress"}
	if _, err := a.client.GetByNIN(ctx, nins[0], parts, false); err != nil { // the token
		b.Fatal(err)
	}

	b.Run("bulk-by-nin", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			persons, err := a.client.BulkByNIN(ctx, nins, parts)
			if err != nil {
				b.Fatal(err)
			}
			if len(persons) != len(nins) {
				b.Fatalf("%d persons, want %d", len(persons), len(nins))
			}
			b.ReportMetric(time.Since(t0).Seconds(), "s/10k-persons")
		}
	})
	b.Run("get-by-nin-each", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			sem := make(chan struct{}, singleConcurrency)
			var wg sync.WaitGroup
			errs := make([]error, benchSingles)
			for i, nin := range nins[:benchSingles] {
				sem <- struct{}{}
				wg.Go(func() {
					defer func() { <-sem }()
					_, errs[i] = a.client.GetByNIN(ctx, nin, parts, false)
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					b.Fatal(err)
				}
			}
			perPerson := time.Since(t0) / benchSingles
			b.ReportMetric((perPerson * benchPersons).Seconds(), "s/10k-persons")
		}
	})
}
