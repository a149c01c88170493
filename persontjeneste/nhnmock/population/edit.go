package population

// Edit changes the record of the person with this identity number (current
// or historic) to what edit leaves it as, for tests that need a record the
// generator never makes (every field set, every field changed). The record
// gets a new sequence number and an event of eventType. The numbers the
// person is found by stay as they were: a new identity number in the
// record is what lookups answer with, but the old one still finds the
// person (NewNumber also moves the index).
func (p *Population) Edit(ninStr, eventType string, edit func(*Person)) (Event, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, ok := p.indexOfNIN(ninStr)
	if !ok {
		return Event{}, ErrNotFound
	}
	o := p.overrideLocked(i)
	edit(&o.person)
	return p.recordLocked(i, o, eventType), nil
}
