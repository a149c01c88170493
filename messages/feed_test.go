package messages

import "testing"

// TestAreasDoNotOverlap: no code is in two areas' tables (the later one
// would silently win).
func TestAreasDoNotOverlap(t *testing.T) {
	if len(catalogue) != len(coreTexts)+len(feedTexts) {
		for code := range feedTexts {
			if _, dup := coreTexts[code]; dup {
				t.Errorf("%s is in two areas", code)
			}
		}
	}
}
