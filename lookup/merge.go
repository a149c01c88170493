package lookup

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"resepsjon/persontjeneste"
	"resepsjon/register"
)

// Change is one client field that Persontjenesten's record changes.
type Change struct {
	Field *persontjeneste.Field
	Old   string
	New   string
}

// MarshalJSON writes {"field": name, "old": ..., "new": ...}.
func (c Change) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Field string `json:"field"`
		Old   string `json:"old"`
		New   string `json:"new"`
	}{c.Field.Name, c.Old, c.New})
}

// UnmarshalJSON reads what MarshalJSON writes; the field is found by name
// in the field table, and a name it lacks is an error.
func (c *Change) UnmarshalJSON(data []byte) error {
	var w struct {
		Field string `json:"field"`
		Old   string `json:"old"`
		New   string `json:"new"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	for i := range persontjeneste.Fields {
		if persontjeneste.Fields[i].Name == w.Field {
			*c = Change{Field: &persontjeneste.Fields[i], Old: w.Old, New: w.New}
			return nil
		}
	}
	return fmt.Errorf("change of unknown field %q", w.Field)
}

// NewDraft is the client Persontjenesten's record p makes, fetched with
// parts: fields of parts not fetched stay empty (see keepParts).
func NewDraft(p persontjeneste.Person, parts []persontjeneste.InformationPart, now time.Time) register.Client {
	draft := persontjeneste.ToClient(p, now)
	keepParts(&draft, register.Client{}, parts)
	setFetchedContact(&draft, draft, parts)
	return draft
}

// Refresh is what Persontjenesten's record p changes in the stored client
// old, fetched with parts: the client with the changes applied (and the
// provenance of p), and the changes (never nil). Fields the register does
// not own (notes) are kept, and so are fields whose part was not fetched.
// "Oppdater via Persontjenesten" and "Oppdater alle" both use it.
func Refresh(old register.Client, p persontjeneste.Person, parts []persontjeneste.InformationPart, now time.Time) (register.Client, []Change) {
	fresh := persontjeneste.ToClient(p, now)
	keepParts(&fresh, old, parts)
	changes := Diff(old, fresh)
	draft := old
	Apply(&draft, changes)
	draft.PersonID, draft.FetchedAt, draft.SequenceNumber = fresh.PersonID, fresh.FetchedAt, fresh.SequenceNumber
	setFetchedContact(&draft, fresh, parts)
	return draft, changes
}

// keepParts puts back old values for the fields whose information part was
// not fetched, so that leaving a part out never proposes erasing what the
// register holds. A strictly confidential address is the exception: it is
// always removed.
func keepParts(fresh *register.Client, old register.Client, parts []persontjeneste.InformationPart) {
	strict := fresh.AddressProtection == register.AddressProtectionStrictlyConfidential
	for i := range persontjeneste.Fields {
		f := &persontjeneste.Fields[i]
		if partFetched(f, parts) {
			continue
		}
		switch {
		case f.Address && strict:
			// The register's removal stands.
		case f.KeepWhenBlank:
			f.Set(fresh, "") // blank: Diff keeps the client's value
		default:
			v := f.Get(&old)
			if v == "" {
				v = f.Unset
			}
			f.Set(fresh, v)
		}
	}
	fresh.Notes = old.Notes
}

// Diff lists the register fields that differ between old and draft, in
// the field table's order (empty, not nil, when none). A blank contact detail in draft
// is no change, and neither is the same phone number written another way.
func Diff(old, draft register.Client) []Change {
	changes := []Change{}
	for i := range persontjeneste.Fields {
		f := &persontjeneste.Fields[i]
		o, n := f.Get(&old), f.Get(&draft)
		if f.KeepWhenBlank && n == "" {
			continue
		}
		if o == n || f.Same != nil && f.Same(o, n) {
			continue
		}
		changes = append(changes, Change{Field: f, Old: o, New: n})
	}
	return changes
}

// Apply sets the changed fields on c.
func Apply(c *register.Client, changes []Change) {
	for _, ch := range changes {
		ch.Field.Set(c, ch.New)
	}
}

// Kinds sorts changes into the report's groups, each once, in the order
// met. A strictly confidential address that is removed is "protected", not
// "moved".
func Kinds(changes []Change, draft register.Client) []persontjeneste.ChangeKind {
	kinds := []persontjeneste.ChangeKind{}
	strict := draft.AddressProtection == register.AddressProtectionStrictlyConfidential
	for _, ch := range changes {
		k := ch.Field.Kind
		switch {
		case k == persontjeneste.KindNone, slices.Contains(kinds, k):
		case k == persontjeneste.KindMoved && strict:
		case ch.Field.ReportIf != nil && !ch.Field.ReportIf(ch.New):
		default:
			kinds = append(kinds, k)
		}
	}
	return kinds
}
