package population

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// Person ids look like the contract's example: 64 lower-case hex digits,
// opaque to clients. They are two AES blocks over the person's index under a
// key derived from the seed, so an id is stable for a seed, reveals nothing,
// and maps back to its person without an index in memory (which matters at a
// million persons).

var (
	idTagFirst  = [8]byte{'p', 'e', 'r', 's', 'o', 'n', 'i', 'd'}
	idTagSecond = [8]byte{'c', 'h', 'e', 'c', 'k', 's', 'u', 'm'}
)

func newIDCipher(seed int64) (cipher.Block, error) {
	var b [8 + 24]byte
	binary.BigEndian.PutUint64(b[:8], uint64(seed))
	copy(b[8:], "resepsjon population ids")
	key := sha256.Sum256(b[:])
	block, err := aes.NewCipher(key[:16])
	if err != nil {
		return nil, fmt.Errorf("person id cipher: %w", err)
	}
	return block, nil
}

func idBlock(block cipher.Block, index uint64, tag [8]byte) [aes.BlockSize]byte {
	var in, out [aes.BlockSize]byte
	binary.BigEndian.PutUint64(in[:8], index)
	copy(in[8:], tag[:])
	block.Encrypt(out[:], in[:])
	return out
}

// personID is the id of the person at index.
func (p *Population) personID(index int32) string {
	a := idBlock(p.ids, uint64(index), idTagFirst)
	b := idBlock(p.ids, uint64(index), idTagSecond)
	var raw [2 * aes.BlockSize]byte
	copy(raw[:aes.BlockSize], a[:])
	copy(raw[aes.BlockSize:], b[:])
	return hex.EncodeToString(raw[:])
}

// indexOfID returns the index an id was made for, or false for any string
// that is not an id of this population.
func (p *Population) indexOfID(id string) (int32, bool) {
	if len(id) != 4*aes.BlockSize {
		return 0, false
	}
	var raw [2 * aes.BlockSize]byte
	if _, err := hex.Decode(raw[:], []byte(id)); err != nil {
		return 0, false
	}
	var plain [aes.BlockSize]byte
	p.ids.Decrypt(plain[:], raw[:aes.BlockSize])
	if [8]byte(plain[8:]) != idTagFirst {
		return 0, false
	}
	index := binary.BigEndian.Uint64(plain[:8])
	if index >= uint64(len(p.cores)) {
		return 0, false
	}
	// Upper-case hex decodes too; only the canonical spelling is the id.
	if p.personID(int32(index)) != id {
		return 0, false
	}
	return int32(index), true
}
