package store

import (
	"encoding/binary"

	"resepsjon/register"
)

// A packed row is a client's list columns (register.ClientSummary) in one
// string, as the search index keeps them in memory: the id and the version
// as varints, then each text column as its length (a varint) and its bytes.
// One string per client instead of ten keeps the garbage collector's work
// and the memory small, and unpacking a page allocates nothing per client:
// the texts of a summary are substrings of its packed row.

// packRow packs the list columns of c.
func packRow(c *register.ClientSummary) string {
	fields := [...]string{c.NIN, c.GivenName, c.MiddleName, c.FamilyName, c.BirthDate,
		c.Phone, c.City, c.AddressProtection, c.Status, c.DeathDate}
	n := 2 * binary.MaxVarintLen64
	for _, f := range fields {
		n += binary.MaxVarintLen64 + len(f)
	}
	b := make([]byte, 0, n)
	b = binary.AppendVarint(b, c.ID)
	b = binary.AppendVarint(b, c.Version)
	for _, f := range fields {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return string(b)
}

// rowReader reads a packed row front to back. A row is only ever written by
// packRow, so a short or malformed row is a bug: it reads as empty fields.
type rowReader struct {
	s string
	i int
}

func (r *rowReader) uvarint() uint64 {
	var v uint64
	for shift := uint(0); r.i < len(r.s) && shift < 64; shift += 7 {
		b := r.s[r.i]
		r.i++
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			break
		}
	}
	return v
}

func (r *rowReader) varint() int64 {
	u := r.uvarint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (r *rowReader) text() string {
	n := int(min(r.uvarint(), uint64(len(r.s)-r.i)))
	t := r.s[r.i : r.i+n]
	r.i += n
	return t
}

// unpackRow reads a row written by packRow into c.
func unpackRow(row string, c *register.ClientSummary) {
	r := rowReader{s: row}
	c.ID = r.varint()
	c.Version = r.varint()
	c.NIN = r.text()
	c.GivenName = r.text()
	c.MiddleName = r.text()
	c.FamilyName = r.text()
	c.BirthDate = r.text()
	c.Phone = r.text()
	c.City = r.text()
	c.AddressProtection = r.text()
	c.Status = r.text()
	c.DeathDate = r.text()
}

// rowNames returns the given, middle and family name of a packed row.
func rowNames(row string) (given, middle, family string) {
	r := rowReader{s: row}
	r.varint()
	r.varint()
	r.text() // nin
	return r.text(), r.text(), r.text()
}
