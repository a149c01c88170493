package lookup

import (
	"context"

	"resepsjon/register"
)

// Activated reports whether the practice can fetch persons from
// Persontjenesten now (both activation checks passed).
func (s *Service) Activated(ctx context.Context) bool {
	st, err := s.conn.Load(ctx)
	return err == nil && st.Activated()
}

// PersonByNIN fetches the person with this identity number into a client
// draft (not saved) with the practice's information parts; audited like
// every lookup. The patient portal uses it when approving a request for a
// person who is not yet a client.
func (s *Service) PersonByNIN(ctx context.Context, number string) (register.Client, error) {
	d, err := s.Lookup(ctx, "", number)
	if err != nil {
		return register.Client{}, err
	}
	return d.Client, nil
}
