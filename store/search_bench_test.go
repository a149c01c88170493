package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"resepsjon/register"
	"resepsjon/store/storetest"
)

// benchDir holds databases that benchmarks share within one process. TestMain
// creates and removes it.
var benchDir string

// benchClients is the size of the register the search benchmarks run on.
const benchClients = 100_000

// benchDB opens a database with benchClients synthetic clients. The file is
// built once per process (the first call pays for it outside the timer) and
// reused by later benchmarks and -count repetitions.
func benchDB(b *testing.B) *DB {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	path := filepath.Join(benchDir, "clients-100k.db")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		tmp := path + ".build"
		os.Remove(tmp)
		db, err := Open(context.Background(), tmp, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		if err := db.ImportClients(context.Background(), storetest.Clients(1, benchClients)); err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
	} else if err != nil {
		b.Fatal(err)
	}
	db, err := Open(context.Background(), path, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// benchQuery is a typical search box entry, taken from a stored client so
// that it matches someone.
type benchQuery struct {
	name string
	q    string
}

func benchQueries(b *testing.B, db *DB) []benchQuery {
	b.Helper()
	ctx := context.Background()
	// A client with an identity number and a Norwegian phone number,
	// picked by a fixed walk so every run uses the same one.
	var c register.Client
	for id := int64(4242); ; id++ {
		got, err := db.GetClient(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		if got.NIN != "" && len(phoneKey(got.Phone)) == 8 && got.MiddleName == "" {
			c = got
			break
		}
	}
	key := phoneKey(c.Phone)
	b.Logf("client %d: %s %s", c.ID, c.GivenName, c.FamilyName)
	return []benchQuery{
		{"name-prefix", strings.ToLower(c.FamilyName[:4])},
		{"two-words", c.GivenName + " " + c.FamilyName},
		{"identity-number", c.NIN},
		{"phone", key[:3] + " " + key[3:5] + " " + key[5:]},
		// Not one of the typical queries: the most common family name's
		// prefix, a tenth of the register.
		{"broad-prefix", "hans"},
		// The first letter typed: a fifth of the register.
		{"one-letter", "h"},
	}
}

// BenchmarkSearch measures SearchClients on 100k clients for typical queries
// (first page of 50 and the total), side by side with a naive scan that
// answers the same question with LIKE '%word%' over the columns. Each
// sub-benchmark reports p50 and p99 latency besides the mean.
func BenchmarkSearch(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	for _, bq := range benchQueries(b, db) {
		// The first search with many hits loads the name-order cache
		// (BenchmarkSearchFirstBroad measures that); warm it up here.
		if _, err := db.SearchClients(ctx, register.Query{Q: bq.q}); err != nil {
			b.Fatal(err)
		}
		b.Run(bq.name+"/index", func(b *testing.B) {
			measure(b, func() int {
				page, err := db.SearchClients(ctx, register.Query{Q: bq.q})
				if err != nil {
					b.Fatal(err)
				}
				return page.Total
			})
		})
		if mq := parseQuery(bq.q); len(mq.words) > 0 {
			// Name queries are answered by the name index; the same
			// query through the search index (FTS5), as before it.
			b.Run(bq.name+"/fts", func(b *testing.B) {
				measure(b, func() int {
					page, err := db.search(ctx, mq, DefaultLimit, 0)
					if err != nil {
						b.Fatal(err)
					}
					return page.Total
				})
			})
		}
		b.Run(bq.name+"/naive", func(b *testing.B) {
			measure(b, func() int {
				total, err := naiveSearch(ctx, db, bq.q, DefaultLimit)
				if err != nil {
					b.Fatal(err)
				}
				return total
			})
		})
	}
}

// BenchmarkSearchFirstBroad is the first search with many hits after Open
// ("hans", about a tenth of the register): it also loads the name-order cache
// of every client.
func BenchmarkSearchFirstBroad(b *testing.B) {
	ctx := context.Background()
	path := benchDB(b).path
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db, err := Open(ctx, path, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		page, err := db.SearchClients(ctx, register.Query{Q: "hans"})
		b.StopTimer()
		if err != nil || page.Total <= manyHits {
			b.Fatalf("search: total %d, %v", page.Total, err)
		}
		db.Close()
		b.StartTimer()
	}
}

// measure runs fn b.N times, fails when it finds nobody, and reports the
// latency percentiles.
func measure(b *testing.B, fn func() int) {
	b.Helper()
	b.ReportAllocs()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		total := fn()
		lat = append(lat, time.Since(start))
		if total == 0 {
			b.Fatal("the query matched nobody")
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(percentile(lat, 50).Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(percentile(lat, 99).Nanoseconds())/1e3, "p99-µs")
}

// percentile returns the p-th percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)]
}

// naiveSearch is the search a first version would write: every word of q
// must occur somewhere in the client's names, identity number, phone number
// or birth date (LIKE '%word%'), the total counted and the first page read
// in name order, in one read transaction like SearchClients.
func naiveSearch(ctx context.Context, db *DB, q string, limit int) (int, error) {
	words := strings.Fields(q)
	var where []string
	var args []any
	for _, w := range words {
		where = append(where, `(given_name || ' ' || middle_name || ' ' || family_name || ' ' || nin || ' ' || phone || ' ' || birth_date) LIKE ?`)
		args = append(args, "%"+w+"%")
	}
	cond := "1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clients WHERE `+cond, args...).Scan(&total); err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE `+cond+` ORDER BY sort_key, id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int
	for rows.Next() {
		if _, err := scanClient(rows); err != nil {
			return 0, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if n == 0 && total > 0 {
		return 0, errors.New("naive search counted matches but listed none")
	}
	return total, nil
}

// BenchmarkSearchPrefixMix runs the four-letter family-name prefixes the
// load program sends (taken from the register in the same way, so they
// follow its name distribution), round-robin, through the name index and
// through the search index (FTS5), side by side.
func BenchmarkSearchPrefixMix(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	cs := storetest.Clients(1, benchClients)
	var prefixes []string
	for i := 7; i < len(cs) && len(prefixes) < 50; i += len(cs) / 97 {
		fam := []rune(strings.ToLower(cs[i].FamilyName))
		prefixes = append(prefixes, string(fam[:min(4, len(fam))]))
	}
	if _, err := db.SearchClients(ctx, register.Query{Q: prefixes[0]}); err != nil {
		b.Fatal(err)
	}
	for _, impl := range []string{"index", "fts"} {
		b.Run(impl, func(b *testing.B) {
			i := 0
			measure(b, func() int {
				mq := parseQuery(prefixes[i%len(prefixes)])
				i++
				var page register.Page
				var err error
				if impl == "index" {
					page, _, err = db.searchMemory(ctx, mq, DefaultLimit, 0)
				} else {
					page, err = db.search(ctx, mq, DefaultLimit, 0)
				}
				if err != nil {
					b.Fatal(err)
				}
				return page.Total
			})
		})
	}
}

// BenchmarkSearchFTS is every query kind through SQLite's search index
// (FTS5), the way searches are answered while the index in memory loads at
// start: the first page and the twentieth, each chosen by walkNameOrder
// ("auto"), by walking the name order and by sorting the hits. It is how
// walkFactor was chosen.
func BenchmarkSearchFTS(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	queries := append(benchQueries(b, db), benchQuery{"two-letters", "ma"})
	ways := []struct {
		name string
		walk func(total, offset, limit, size int) bool
	}{
		{"auto", walkNameOrder},
		{"walk", func(int, int, int, int) bool { return true }},
		{"sort", func(int, int, int, int) bool { return false }},
	}
	for _, bq := range queries {
		mq := parseQuery(bq.q)
		for _, page := range []int{1, 20} {
			offset := (page - 1) * DefaultLimit
			first, err := db.search(ctx, mq, DefaultLimit, offset)
			if err != nil {
				b.Fatal(err)
			}
			if first.Total <= offset {
				continue // one page of hits: page 20 is empty
			}
			for _, way := range ways {
				b.Run(fmt.Sprintf("%s/page-%d/%s", bq.name, page, way.name), func(b *testing.B) {
					b.ReportMetric(float64(first.Total), "hits")
					measure(b, func() int {
						p, err := db.searchFTS(ctx, mq, DefaultLimit, offset, way.walk)
						if err != nil {
							b.Fatal(err)
						}
						if len(p.Results) != len(first.Results) || p.Results[0].ID != first.Results[0].ID {
							b.Fatalf("%s: another page than walkNameOrder's", way.name)
						}
						return p.Total
					})
				})
			}
		}
	}
}
