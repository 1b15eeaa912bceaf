package input

import (
	"errors"
	"io"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// FuzzSplitValues checks the cutting of ::: values against its definition:
// the values joined, each followed by the delimiter, then cut as a file is.
func FuzzSplitValues(f *testing.F) {
	f.Add("1 done", " ")
	f.Add("a,b,|,c|,|", ",")
	f.Add("a|a", "aa")
	f.Add("a\nb|c", "\n")
	f.Add("", "\n")
	f.Add("|", "\x00")
	f.Fuzz(func(t *testing.T, joined, delim string) {
		if delim == "" {
			return
		}
		var vals []string
		if joined != "" {
			vals = strings.Split(joined, "|")
		}
		var b strings.Builder
		for _, v := range vals {
			b.WriteString(v + delim)
		}
		want := wantSplit(b.String(), delim)
		got := splitValues(slices.Clone(vals), delim)
		if !slices.Equal(got, want) {
			t.Fatalf("values %q at %q: got %q, want %q", vals, delim, got, want)
		}
		fromFile, err := splitAll(strings.NewReader(b.String()), delim)
		if err != nil || !slices.Equal(fromFile, want) {
			t.Fatalf("values %q at %q: the splitter gives %q, %v, want %q", vals, delim, fromFile, err, want)
		}
	})
}

// FuzzColumns checks the literal fast path of --colsep against the regexp
// engine, and trimming against the strings package.
func FuzzColumns(f *testing.F) {
	f.Add("a,b,,c", ",")
	f.Add(" a % c %%b ", "%")
	f.Add("", "\t")
	f.Add("aaa", "aa")
	f.Add("\v x \r", "x")
	f.Fuzz(func(t *testing.T, v, sep string) {
		if sep == "" {
			return
		}
		re, err := regexp.Compile(regexp.QuoteMeta(sep))
		if err != nil {
			return
		}
		c := newColumns(re)
		if c.lit != sep {
			t.Fatalf("separator %q: got literal %q, want it whole", sep, c.lit)
		}
		got := c.appendSplit(nil, v)
		if want := re.Split(v, -1); !slices.Equal(got, want) {
			t.Fatalf("split %q at %q: got %q, want %q", v, sep, got, want)
		}
		const ws = " \t\n\v\f\r"
		for _, tc := range []struct {
			trim Trim
			want string
		}{
			{TrimNone, v},
			{TrimLeft, strings.TrimLeft(v, ws)},
			{TrimRight, strings.TrimRight(v, ws)},
			{TrimBoth, strings.Trim(v, ws)},
		} {
			if got := tc.trim.apply(v); got != tc.want {
				t.Fatalf("trim %d of %q: got %q, want %q", tc.trim, v, got, tc.want)
			}
		}
	})
}

// FuzzStream runs whole streams over two ::: groups cut from in, with
// options picked by the bits of opts. It must not panic, Count must be the
// number of records that Next yields, and batches must hold the same args.
func FuzzStream(f *testing.F) {
	f.Add("a b|c", "\n", "", uint16(0))
	f.Add("a ,b,END,c|x,y", ",", "END", uint16(0b1_0001_0110))
	f.Add("h,1,2|k,3", ",", "", uint16(0b0_1000_1000))
	f.Add("||", "\n", "", uint16(0b10_0000_0001))
	f.Add("1 2 3|a", " ", "3", uint16(0b100_0010_0100))
	f.Fuzz(func(t *testing.T, in, delim, eof string, opts uint16) {
		if delim == "" {
			return
		}
		groups := strings.Split(in, "|")
		var srcs []SourceSpec
		for i, g := range groups {
			var v []string
			if g != "" {
				v = strings.Split(g, " ")
			}
			srcs = append(srcs, SourceSpec{Values: v, IsValues: true, Linked: i > 0 && opts&(1<<10) != 0})
		}
		cfg := Config{
			Sources:  srcs,
			Delim:    delim,
			EOF:      eof,
			Link:     opts&1 != 0,
			MaxArgs:  int(opts>>1) & 3,
			Continue: opts&(1<<3) != 0,
			Header:   opts&(1<<4) != 0,
			NoArgs:   opts&(1<<5) != 0,
			Trim:     Trim(opts>>6) % 5,
			Shuffle:  opts&(1<<9) != 0,
			Rand:     rand.New(rand.NewPCG(1, 2)),
		}
		if opts&(1<<8) != 0 {
			cfg.ColSep = regexp.MustCompile(",")
		}
		s, err := Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		want, ok := s.Count()
		if !ok {
			t.Fatalf("got Count not known, want it known for ::: groups")
		}
		var got int64
		for {
			rec, err := s.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.NoArgs && len(rec.Args) != 0 {
				t.Fatalf("got args %q with NoArgs, want none", rec.Args)
			}
			got++
			if got > 1<<16 {
				t.Fatal("got more than 65536 records from a few bytes")
			}
		}
		if got != want {
			t.Errorf("got %d records, Count said %d", got, want)
		}
		if cfg.NoArgs {
			return
		}
		// Batches hold the same args in the same order.
		one := cfg
		one.MaxArgs = 1
		one.Rand = rand.New(rand.NewPCG(1, 2))
		var all []string
		for _, r := range collect(t, one) {
			all = append(all, r...)
		}
		batched := cfg
		batched.Rand = rand.New(rand.NewPCG(1, 2))
		budget := int64(opts>>11) * 3
		batched.Batch = &Batch{Budget: budget, Cost: argLen, Slots: int(opts>>14) + 1}
		var flat []string
		for _, r := range collect(t, batched) {
			flat = append(flat, r...)
		}
		if !slices.Equal(flat, all) {
			t.Errorf("got batched args %q, want %q", flat, all)
		}
	})
}
