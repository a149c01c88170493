package nhnmock

import (
	"bufio"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"resepsjon/persontjeneste/nhnmock/population"
)

// BenchmarkMockStartup1M measures generating a population of a million
// persons and building the mock on it, as `resepsjon mock` does at start. It
// reports the Go heap the population keeps (after a GC) and the test
// process's resident set afterwards.
func BenchmarkMockStartup1M(b *testing.B) {
	const size = 1_000_000
	b.ReportAllocs()
	var heap, rss float64
	for b.Loop() {
		pop, err := population.New(population.Config{Seed: 1, Size: size})
		if err != nil {
			b.Fatal(err)
		}
		m, err := New(Config{Population: pop})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if pop.Size() != size || m == nil {
			b.Fatalf("population of %d", pop.Size())
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = float64(ms.HeapAlloc) / (1 << 20)
		rss = float64(selfRSSKiB()) / 1024
		runtime.KeepAlive(pop)
		runtime.KeepAlive(m)
		b.StartTimer()
	}
	b.ReportMetric(heap, "MiB-heap")
	b.ReportMetric(rss, "MiB-rss")
}

// selfRSSKiB is this process's VmRSS (Linux), 0 elsewhere.
func selfRSSKiB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			v, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return v
		}
	}
	return 0
}

// BenchmarkPopulationLookup measures the mock's in-memory lookups on 100k
// persons: by identity number, by person id, and a name search.
func BenchmarkPopulationLookup(b *testing.B) {
	pop, err := population.New(population.Config{Seed: 2, Size: 100_000})
	if err != nil {
		b.Fatal(err)
	}
	nins := pop.SampleNINs(1000)
	ids := make([]string, len(nins))
	names := make([]string, len(nins))
	for i, n := range nins {
		p, ok := pop.ByNIN(n)
		if !ok {
			b.Fatalf("sample %s not found", n)
		}
		ids[i] = p.ID
		if len(p.Name) > 0 {
			names[i] = p.Name[0].FamilyName
		}
	}
	b.Run("by-nin", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, ok := pop.ByNIN(nins[i%len(nins)]); !ok {
				b.Fatal("not found")
			}
			i++
		}
	})
	b.Run("by-id", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, ok := pop.ByID(ids[i%len(ids)]); !ok {
				b.Fatal("not found")
			}
			i++
		}
	})
	b.Run("search-family-name", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if len(pop.Search(population.SearchQuery{FamilyName: names[i%len(names)]})) == 0 {
				b.Fatal("no match")
			}
			i++
		}
	})
}

// BenchmarkGetByNINHTTP is one Persontjenesten get-by-nin call to the mock
// over loopback HTTP with a cached access token: a fresh DPoP proof per call
// (ES256), token and proof verification, the lookup and the JSON answer. It
// is the baseline the app's own lookup overhead is compared with.
func BenchmarkGetByNINHTTP(b *testing.B) {
	pop, err := population.New(population.Config{Seed: 2, Size: 100_000})
	if err != nil {
		b.Fatal(err)
	}
	e := newEnv(b, func(c *Config) {
		c.Population = pop
		c.TokenLifetime = time.Hour
	})
	tok := e.token(singleClientID, ScopeLegalBasis, e.proofKey)
	nins := pop.SampleNINs(1000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := e.api(getByNIN(tok, nins[i%len(nins)], "Name", "Birth", "ResidentialAddress"))
		if r.status != http.StatusOK {
			b.Fatalf("get-by-nin: %d %s", r.status, r.body)
		}
		i++
	}
}
