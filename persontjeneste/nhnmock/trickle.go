package nhnmock

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"
)

// trickleFamilies are the new family names of the trickle's name changes
// (synthetic, common Norwegian surnames).
var trickleFamilies = []string{"Lien", "Berg", "Haugen", "Dahl", "Strand", "Moen", "Solberg", "Bakke"}

// Trickle makes a slow stream of changes among the persons with these
// identity numbers, one every interval, until ctx ends: mostly moves, now
// and then a new family name. The demo runs it so that the change feed has
// something to show; tests never do. Each change is an ordinary event.
func (m *Mock) Trickle(ctx context.Context, nins []string, every time.Duration, log *slog.Logger) {
	if len(nins) == 0 || every <= 0 {
		return
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := rand.New(rand.NewPCG(uint64(len(nins)), uint64(every)))
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		nin := nins[r.IntN(len(nins))]
		var err error
		if r.IntN(4) == 0 {
			if p, ok := m.pop.ByNIN(nin); ok {
				n := p.CurrentName()
				_, err = m.pop.Rename(nin, n.GivenName, n.MiddleName, trickleFamilies[r.IntN(len(trickleFamilies))])
			}
		} else {
			_, err = m.pop.MoveRandom(nin)
		}
		if err != nil {
			log.Debug("mock trickle: change skipped", "err", err)
		}
	}
}
