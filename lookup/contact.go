package lookup

import (
	"slices"
	"strings"
	"sync"
	"time"

	"resepsjon/persontjeneste"
	"resepsjon/register"
)

// fetchReview is how long after a fetch a save still counts as saving that
// fetch (the receptionist looking over an import or an update before
// pressing Lagre). Only the fallback rule for clients without a fetched
// base uses it.
const fetchReview = 2 * time.Minute

// EditedAfterFetch reports whether the client may have been edited in
// Resepsjon since the register last filled it: never fetched, or saved
// again well after the last fetch. It is the approximation for what has no
// fetched base (see KeepPracticeContact) and the change feed's test of a
// client edited after a change in the population register.
func EditedAfterFetch(c register.Client) bool {
	if c.FetchedAt == nil {
		return true
	}
	return c.UpdatedAt.Sub(*c.FetchedAt) > fetchReview
}

// partFetched reports whether one of f's information parts is in parts.
func partFetched(f *persontjeneste.Field, parts []persontjeneste.InformationPart) bool {
	return slices.ContainsFunc(f.Parts, func(p persontjeneste.InformationPart) bool { return slices.Contains(parts, p) })
}

// setFetchedContact makes fresh's contact values (the register's, as
// fetched with parts) draft's base. A part not fetched leaves the base as
// it was; so does a blank from the register over a known base, since a
// blank never erases the client's value either (the value the register
// had is still the one the practice's value is compared with).
func setFetchedContact(draft *register.Client, fresh register.Client, parts []persontjeneste.InformationPart) {
	for i := range persontjeneste.Fields {
		f := &persontjeneste.Fields[i]
		if f.Fetched == nil || !partFetched(f, parts) {
			continue
		}
		base := f.Fetched(draft)
		v := strings.TrimSpace(f.Get(&fresh))
		if v == "" && *base != nil {
			continue
		}
		*base = &v
	}
}

// practiceChanged reports whether the client's value of the contact field
// f was changed in Resepsjon since the register filled it: it differs from
// the fetched base (a value cleared by the receptionist too). Without a
// base (clients saved before the base was kept, or whose fetch's base was
// not known when saved) the older rule holds: a value saved well after the
// last fetch counts as the practice's, and an empty field is filled.
func practiceChanged(old register.Client, f *persontjeneste.Field) bool {
	cur := strings.TrimSpace(f.Get(&old))
	base := *f.Fetched(&old)
	if base == nil {
		return cur != "" && EditedAfterFetch(old)
	}
	return !(cur == *base || f.Same != nil && f.Same(cur, *base))
}

// KeepPracticeContact takes out of changes the phone and e-mail whose
// value was changed in Resepsjon since the last fetch (see
// practiceChanged), puts the practice's value back into draft, and returns
// the rest and the kept ones (never nil): a three-way merge per field,
// with the register's value at the last fetch as the base. The same rule
// holds in "Oppdater via Persontjenesten", "Oppdater alle" and the change
// feed.
func KeepPracticeContact(old register.Client, draft *register.Client, changes []Change) (rest, kept []Change) {
	rest = changes[:0:0]
	kept = []Change{}
	for _, ch := range changes {
		if ch.Field.KeepWhenBlank && ch.Field.Fetched != nil && practiceChanged(old, ch.Field) {
			ch.Field.Set(draft, ch.Old)
			kept = append(kept, ch)
			continue
		}
		rest = append(rest, ch)
	}
	return rest, kept
}

// Fetches handed to the browser as drafts are remembered for a while, so
// that the save which takes one in writes the contact values as fetched,
// not as typed in the form: the form never carries the base.
const (
	fetchMemorySize = 1000
	fetchMemoryTTL  = 12 * time.Hour
)

type fetchKey struct {
	personID string
	at       int64 // FetchedAt in Unix nanoseconds
}

type fetchedContact struct {
	phone, email *string
	at           time.Time // when it was remembered
}

// fetchMemory holds the contact base of recent fetches, by person id and
// fetch time; memory only (a form left open over a restart saves without a
// base and falls back to the older rule).
type fetchMemory struct {
	mu      sync.Mutex
	entries map[fetchKey]fetchedContact
	order   []fetchKey // oldest first
}

func keyOf(c register.Client) (fetchKey, bool) {
	if c.PersonID == "" || c.FetchedAt == nil {
		return fetchKey{}, false
	}
	return fetchKey{personID: c.PersonID, at: c.FetchedAt.UnixNano()}, true
}

// remember keeps draft's contact base under its fetch.
func (m *fetchMemory) remember(draft register.Client, now time.Time) {
	k, ok := keyOf(draft)
	if !ok {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = map[fetchKey]fetchedContact{}
	}
	for len(m.order) >= fetchMemorySize || len(m.order) > 0 && now.Sub(m.entries[m.order[0]].at) > fetchMemoryTTL {
		delete(m.entries, m.order[0])
		m.order = m.order[1:]
	}
	if _, ok := m.entries[k]; !ok {
		m.order = append(m.order, k)
	}
	m.entries[k] = fetchedContact{phone: copyString(draft.FetchedPhone), email: copyString(draft.FetchedEmail), at: now}
}

// recall is the contact base of the fetch c carries; ok is false when it
// is not (or no longer) known.
func (m *fetchMemory) recall(c register.Client, now time.Time) (phone, email *string, ok bool) {
	k, ok := keyOf(c)
	if !ok {
		return nil, nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[k]
	if !ok || now.Sub(e.at) > fetchMemoryTTL {
		return nil, nil, false
	}
	return copyString(e.phone), copyString(e.email), true
}

func copyString(p *string) *string {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// FetchedContact gives a client about to be saved from the form the
// contact base of the fetch it carries (its person id and FetchedAt), as
// this service fetched it; a fetch it does not know (too old, from before
// a restart, or made up) gives no base. The store writes the base only
// when the save carries a new fetch, so an ordinary edit keeps the one
// stored (register.KeepFetchedContact).
func (s *Service) FetchedContact(c *register.Client) {
	c.FetchedPhone, c.FetchedEmail, _ = s.fetches.recall(*c, s.now())
}
