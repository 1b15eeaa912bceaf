package pipe

import (
	"strings"
	"testing"
)

func TestParseBlockSize(t *testing.T) {
	tests := []struct {
		in      string
		size    int64
		perSlot int
		err     string
	}{
		{in: "1", size: 1},
		{in: "1048576", size: 1048576},
		{in: "1k", size: 1000},
		{in: "1K", size: 1024},
		{in: "1m", size: 1000000},
		{in: "1M", size: 1 << 20},
		{in: "1.5M", size: 1572864},
		{in: "1.5k", size: 1500},
		{in: "0.5K", size: 512},
		{in: ".5K", size: 512},
		{in: "2g", size: 2e9},
		{in: "2G", size: 2 << 30},
		{in: "1t", size: 1e12},
		{in: "1T", size: 1 << 40},
		{in: "1P", size: 1 << 50},
		{in: "1e", size: 1e18},
		{in: "+10", size: 10},
		{in: " 10 ", size: 10},
		{in: "1.9", size: 1},
		{in: "-1", perSlot: 1},
		{in: "-10", perSlot: 10},
		{in: "-2k", perSlot: 2000},
		{in: "0", err: "zero"},
		{in: "0.0001", err: "zero"},
		{in: "-0", err: "zero"},
		{in: "", err: "want a number"},
		{in: "M", err: "want a number"},
		{in: "abc", err: "want a number"},
		{in: "1b", err: "want a number"},
		{in: "1kb", err: "want a number"},
		{in: "1e3", err: "want a number"},
		{in: "1..2", err: "want a number"},
		{in: "0x10", err: "want a number"},
		{in: "NaN", err: "want a number"},
		{in: "Inf", err: "want a number"},
		{in: "-Inf", err: "want a number"},
		{in: "1_000", err: "want a number"},
		{in: "8E", err: "too large"},
		{in: "99999999999999999999", err: "too large"},
		{in: "-1.5", err: "whole number"},
		{in: "-3G", err: "too many"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			size, perSlot, err := ParseBlockSize(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %d, %d, %v; want an error with %q", size, perSlot, err, tt.err)
				}
				if !strings.Contains(err.Error(), "block size") {
					t.Errorf("error %q does not say what is wrong", err)
				}
				return
			}
			if err != nil || size != tt.size || perSlot != tt.perSlot {
				t.Fatalf("got %d, %d, %v; want %d, %d", size, perSlot, err, tt.size, tt.perSlot)
			}
		})
	}
}

func TestBlockFor(t *testing.T) {
	tests := []struct {
		name           string
		size           int64
		perSlot, slots int
		want           int64
	}{
		{"GNU -1 -j2 of 21 bytes", 21, 1, 2, 11},
		{"GNU -2 -j2 of 21 bytes", 21, 2, 2, 6},
		{"GNU -10 -j2 of 21 bytes", 21, 10, 2, 2},
		{"exact division rounds up", 20, 1, 2, 11},
		{"empty", 0, 10, 4, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := BlockFor(tt.size, tt.perSlot, tt.slots)
			if err != nil || got != tt.want {
				t.Fatalf("got %d, %v; want %d", got, err, tt.want)
			}
		})
	}
	if _, err := BlockFor(10, 0, 1); err == nil {
		t.Error("BlockFor with 0 blocks per slot: got no error")
	}
}

func TestGrownBlock(t *testing.T) {
	// GNU parallel's sequences, from its warnings.
	for _, seq := range [][]int64{{10, 14, 20, 27, 37, 50, 66}, {5, 8, 12, 17}, {3, 5, 8}} {
		for i := 0; i+1 < len(seq); i++ {
			if got, err := grownBlock(seq[i]); err != nil || got != seq[i+1] {
				t.Errorf("grownBlock(%d): got %d, %v; want %d", seq[i], got, err, seq[i+1])
			}
		}
	}
	if _, err := grownBlock(1 << 62); err == nil {
		t.Error("grownBlock(1<<62): got no error")
	}
}

func TestSeparators(t *testing.T) {
	tests := []struct {
		name                 string
		end, start           string
		endSet, startSet, re bool
		wantEnd, wantStart   string
		err                  bool
	}{
		{name: "defaults", wantEnd: "\n"},
		{name: "recstart alone empties recend", start: ">", startSet: true, wantStart: ">"},
		{name: "both", end: `\n`, start: ">", endSet: true, startSet: true, wantEnd: "\n", wantStart: ">"},
		{name: "escapes", end: `\0\t\r\\\x41`, endSet: true, wantEnd: "\x00\t\r\\A"},
		{name: "empty recend", end: "", endSet: true, wantEnd: ""},
		{name: "regexp kept", end: `\d+\n`, start: `S\d`, endSet: true, startSet: true, re: true,
			wantEnd: `\d+\n`, wantStart: `S\d`},
		{name: "regexp default recend", re: true, wantEnd: "\n"},
		{name: "bad escape", end: `\q`, endSet: true, err: true},
		{name: "bad recstart escape", start: `a\`, startSet: true, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end, start, err := Separators(tt.end, tt.start, tt.endSet, tt.startSet, tt.re)
			if tt.err {
				if err == nil {
					t.Fatalf("got %q, %q; want an error", end, start)
				}
				return
			}
			if err != nil || end != tt.wantEnd || start != tt.wantStart {
				t.Fatalf("got %q, %q, %v; want %q, %q", end, start, err, tt.wantEnd, tt.wantStart)
			}
		})
	}
}

func TestOptionsErrors(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"no block size", Options{}, "must be positive"},
		{"per slot on a stream", Options{PerSlot: 2}, "input's size"},
		{"bad recend regexp", Options{BlockSize: 10, RecEnd: "(", Regexp: true}, "--recend"},
		{"bad recstart regexp", Options{BlockSize: 10, RecStart: "a)(b", Regexp: true}, "--recstart"},
		{"bad header", Options{BlockSize: 10, Header: "a)|(b"}, "--header"},
		{"negative -N", Options{BlockSize: 10, Records: -1}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewStream(strings.NewReader(""), tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}
