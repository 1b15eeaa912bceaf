package input

import (
	"io"
	"math"
	"math/bits"
	"math/rand/v2"
)

// shuffleTableMax is the most records that Shuffle permutes with a table
// (4 bytes a record, uniform over all orders); more are permuted by a
// keyed bijection that needs no memory.
const shuffleTableMax = 1 << 24

// shuffled yields every combined record once, in random order. All sources
// are in memory; the order costs at most 4 bytes a record (a table up to
// shuffleTableMax records, nothing beyond).
type shuffled struct {
	link  bool
	cs    []*chain   // cross product: the loaded chains
	all   [][]string // link: the values of each source
	total int64
	pos   int64
	perm  permutation
}

// newShuffled sets up a random order over the records of the loaded
// sources all.
func newShuffled(link bool, cs []*chain, all [][]string, r *rand.Rand) *shuffled {
	if r == nil {
		r = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	s := &shuffled{link: link, cs: cs, all: all}
	if link {
		for _, v := range all {
			s.total = max(s.total, int64(len(v)))
		}
	} else {
		s.total = 1
		for _, c := range cs {
			c.load(all)
			hi, lo := bits.Mul64(uint64(s.total), uint64(c.rows))
			if hi != 0 || lo > math.MaxInt64 {
				s.total = math.MaxInt64
				continue
			}
			s.total = int64(lo)
		}
	}
	s.perm = newPermutation(s.total, r)
	return s
}

func (s *shuffled) next(vals []string) error {
	if s.pos >= s.total {
		return io.EOF
	}
	k := s.perm.at(s.pos)
	s.pos++
	if s.link {
		for i, v := range s.all {
			vals[i] = v[k%int64(len(v))]
		}
		return nil
	}
	// The last chain varies fastest, as in the cross product.
	for i := len(s.cs) - 1; i >= 0; i-- {
		c := s.cs[i]
		c.fill(vals, int(k%int64(c.rows)))
		k /= int64(c.rows)
	}
	return nil
}

// permutation is a random bijection of [0, n).
type permutation interface {
	at(i int64) int64
}

// newPermutation returns a random permutation of [0, n).
func newPermutation(n int64, r *rand.Rand) permutation {
	if n <= shuffleTableMax {
		t := make(table, n)
		for i := range t {
			t[i] = int32(i)
		}
		r.Shuffle(len(t), func(i, j int) { t[i], t[j] = t[j], t[i] })
		return t
	}
	f := &feistel{n: uint64(n)}
	b := bits.Len64(uint64(n - 1))
	f.half = uint((b + 1) / 2)
	for i := range f.keys {
		f.keys[i] = r.Uint64()
	}
	return f
}

// table is a permutation held in memory.
type table []int32

func (t table) at(i int64) int64 { return int64(t[i]) }

// feistel is a keyed bijection of [0, n): a balanced Feistel network over
// the smallest even number of bits that holds n-1, walked until it lands
// below n (which takes under four steps on average). It needs no memory.
type feistel struct {
	n    uint64
	half uint // bits in each half
	keys [4]uint64
}

func (f *feistel) at(i int64) int64 {
	x := uint64(i)
	for {
		x = f.encrypt(x)
		if x < f.n {
			return int64(x)
		}
	}
}

// encrypt is a bijection of [0, 2^(2*half)).
func (f *feistel) encrypt(x uint64) uint64 {
	mask := uint64(1)<<f.half - 1
	l, r := x>>f.half, x&mask
	for _, k := range f.keys {
		l, r = r, l^(mix(r^k)&mask)
	}
	return l<<f.half | r
}

// mix is splitmix64's finalizer: a fast, well-spread hash of x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
