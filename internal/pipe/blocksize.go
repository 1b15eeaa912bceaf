package pipe

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseBlockSize parses the argument of --block: a number of bytes with an
// optional fraction and unit, GNU parallel's way: K, M, G, T, P, E are
// powers of 1024 and k, m, g, t, p, e powers of 1000 ("1.5M" is 1572864,
// "1k" is 1000). A negative size -n asks for n blocks per job slot: it
// returns perSlot = n and size 0 (see [BlockFor]). Zero, junk, a size
// that does not fit in an int64 and a fractional count of blocks per slot
// are errors.
func ParseBlockSize(s string) (size int64, perSlot int, err error) {
	t := strings.TrimSpace(s)
	neg := false
	switch {
	case strings.HasPrefix(t, "-"):
		neg, t = true, t[1:]
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	}
	mult := int64(1)
	if n := len(t); n > 0 {
		if m, ok := unitMultiplier(t[n-1]); ok {
			mult, t = m, t[:n-1]
		}
	}
	if !isDecimal(t) {
		return 0, 0, fmt.Errorf("block size %q: want a number with an optional unit (K M G T P E in 1024s, k m g t p e in 1000s)", s)
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, 0, fmt.Errorf("block size %q: bad number", s)
	}
	v := f * float64(mult)
	if v >= math.MaxInt64/2 {
		return 0, 0, fmt.Errorf("block size %q: too large", s)
	}
	n := int64(v) // rounds toward zero
	if n == 0 {
		return 0, 0, fmt.Errorf("block size %q: must not be zero", s)
	}
	if neg {
		if v != math.Trunc(v) {
			return 0, 0, fmt.Errorf("block size %q: a negative size is a whole number of blocks per job slot", s)
		}
		if n > math.MaxInt32 {
			return 0, 0, fmt.Errorf("block size %q: too many blocks per job slot", s)
		}
		return 0, int(n), nil
	}
	return n, 0, nil
}

// unitMultiplier returns the value of a --block unit letter.
func unitMultiplier(c byte) (int64, bool) {
	const units = "kmgtpe"
	i := strings.IndexByte(units, c|0x20)
	if i < 0 {
		return 0, false
	}
	base := int64(1000)
	if c >= 'A' && c <= 'Z' {
		base = 1024
	}
	m := int64(1)
	for range i + 1 {
		m *= base
	}
	return m, true
}

// isDecimal reports whether s is digits with at most one '.', and at least
// one digit.
func isDecimal(s string) bool {
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// BlockFor turns a negative --block (perSlot blocks per job slot) into a
// size for an input of size bytes and slots job slots, as GNU parallel
// does: size/(slots*perSlot) + 1, so that there are at most about
// slots*perSlot blocks. For --pipepart GNU counts the whole file, header
// included.
func BlockFor(size int64, perSlot, slots int) (int64, error) {
	if perSlot <= 0 || slots <= 0 {
		return 0, errors.New("block size: blocks per slot and slots must be positive")
	}
	if size < 0 {
		size = 0
	}
	return size/(int64(slots)*int64(perSlot)) + 1, nil
}

// grownBlock returns the block size that follows bs when a record does not
// fit: ceil(bs*1.3)+1, GNU parallel's rule (10, 14, 20, 27, ...).
func grownBlock(bs int64) (int64, error) {
	if bs > (math.MaxInt64/2-10)/13*10 {
		return 0, fmt.Errorf("a record is longer than %d bytes: block size too large", bs)
	}
	return (bs*13+9)/10 + 1, nil
}

// growWarning is GNU parallel's warning text when the block grows.
func growWarning(from, to int64) string {
	return fmt.Sprintf("A record was longer than %d. Increasing to --blocksize %d.", from, to)
}
