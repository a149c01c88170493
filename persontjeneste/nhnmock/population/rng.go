package population

// rng is a SplitMix64 generator (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", 2014). Every person draws from its own
// stream derived from (seed, purpose, index), so a person's data depends only
// on the seed and its position, never on generation order or on how many
// persons are generated.
type rng struct{ state uint64 }

// Streams keep draws for different purposes independent of each other.
const (
	streamCore   uint64 = 1 // the compact core made at generation
	streamDetail uint64 = 2 // details materialised on demand
	streamChange uint64 = 3 // choices made by changes (MoveRandom)
	streamSeq    uint64 = 4 // per-person sequence numbers
)

const golden = 0x9E3779B97F4A7C15

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func newRNG(seed int64, stream, index uint64) rng {
	s := mix64(uint64(seed) + golden)
	s = mix64(s ^ (stream * golden))
	s = mix64(s ^ (index + 1))
	return rng{state: s}
}

func (r *rng) next() uint64 {
	r.state += golden
	return mix64(r.state)
}

// intn returns a number in [0, n). The modulo bias is below 2^-40 for the
// small n used here, far below anything a test could notice.
func (r *rng) intn(n int) int {
	return int(r.next() % uint64(n))
}

// chance reports true with probability perMille/1000.
func (r *rng) chance(perMille int) bool {
	return r.intn(1000) < perMille
}

// between returns a number in [lo, hi]; hi < lo yields lo.
func (r *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.intn(hi-lo+1)
}
