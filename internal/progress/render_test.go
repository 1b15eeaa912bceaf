package progress

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The counts of the examples: 340 of 1000 done in 27.645s.
var (
	known  = Counts{Done: 340, Failed: 2, Total: 1000, Final: true, Elapsed: 27645 * time.Millisecond}
	stream = Counts{Done: 340, Failed: 2, Total: 1000, Elapsed: 27645 * time.Millisecond}
	start  = Counts{Total: 1000, Final: true}
	ended  = Counts{Done: 1000, Failed: 2, Total: 1000, Final: true, Ended: true, Elapsed: 81 * time.Second}
)

func TestLine(t *testing.T) {
	tests := []struct {
		name  string
		c     Counts
		width int
		want  string
	}{
		{"known at 20", known, 20, "340/1000, 2 failed"},
		{"known at 40", known, 40, " 34% 340/1000, 2 failed, eta 54s"},
		{"known at 80", known, 80, " 34% |██████████                     | 340/1000, 2 failed, 12.3 jobs/s, eta 54s"},
		{"known at 200", known, 200, " 34% |█████████████" + strings.Repeat(" ", 27) + "| 340/1000, 2 failed, 12.3 jobs/s, eta 54s"},

		{"streaming at 20", stream, 20, "340/1000+, 2 failed"},
		{"streaming at 40", stream, 40, "340/1000+, 2 failed, elapsed 27s"},
		{"streaming at 80", stream, 80, "340/1000+, 2 failed, 12.3 jobs/s, elapsed 27s"},
		{"streaming at 200", stream, 200, "340/1000+, 2 failed, 12.3 jobs/s, elapsed 27s"},

		{"nothing done at 20", start, 20, "0/1000, 0 failed"},
		{"nothing done at 40", start, 40, "  0% |               | 0/1000, 0 failed"},
		{"nothing done at 80", start, 80, "  0% |" + strings.Repeat(" ", 40) + "| 0/1000, 0 failed, 0.0 jobs/s"},
		{"nothing done at 200", start, 200, "  0% |" + strings.Repeat(" ", 40) + "| 0/1000, 0 failed, 0.0 jobs/s"},

		{"ended at 20", ended, 20, "1000/1000, 2 failed"},
		{"ended at 40", ended, 40, "100% 1000/1000, 2 failed, took 1m21s"},
		{"ended at 80", ended, 80, "100% |███████████████████████████| 1000/1000, 2 failed, 12.3 jobs/s, took 1m21s"},
		{"ended at 200", ended, 200, "100% |" + strings.Repeat("█", 40) + "| 1000/1000, 2 failed, 12.3 jobs/s, took 1m21s"},

		{"counts cut at 5", known, 5, "340/"},
		{"width 1", known, 1, ""},
		{"width 0", known, 0, ""},
		{"negative width", known, -3, ""},
		{"ended while streaming shows no plus", Counts{Done: 3, Total: 5, Ended: true, Elapsed: time.Second}, 40,
			" 60% 3/5, 0 failed, 3.0 jobs/s, took 1s"},
		{"done past the total counts as the total", Counts{Done: 7, Total: 5, Final: true, Elapsed: time.Second}, 31,
			"100% 7/7, 0 failed, 7.0 jobs/s"},
		{"streaming with nothing read", Counts{}, 40, "0/0+, 0 failed, 0.0 jobs/s, elapsed 0s"},
		{"final with no jobs", Counts{Final: true}, 40, "0/0, 0 failed, 0.0 jobs/s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.c.Line(tc.width)
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if n := utf8.RuneCountInString(got); tc.width > 0 && n > tc.width-1 {
				t.Errorf("got %d columns at width %d, want at most %d", n, tc.width, tc.width-1)
			}
			if strings.ContainsAny(got, "\r\n\x1b") {
				t.Errorf("got %q, want no control characters", got)
			}
		})
	}
}

// TestLineFits checks every width from 1 to 120 for several moments of a
// run: the line never reaches the last column.
func TestLineFits(t *testing.T) {
	moments := []Counts{known, stream, start, ended,
		{Done: 123456789, Failed: 98765, Total: 999999999, Final: true, Elapsed: 1000 * time.Hour}}
	for _, c := range moments {
		for w := 1; w <= 120; w++ {
			if got := c.Line(w); utf8.RuneCountInString(got) > w-1 {
				t.Errorf("%+v at width %d: got %q, %d columns, want at most %d", c, w, got, utf8.RuneCountInString(got), w-1)
			}
		}
	}
}

func TestPlain(t *testing.T) {
	tests := []struct {
		name string
		c    Counts
		want string
	}{
		{"known", known, "gopool: 340/1000 done, 2 failed, 12.3 jobs/s, eta 54s"},
		{"streaming", stream, "gopool: 340/1000+ done, 2 failed, 12.3 jobs/s, elapsed 27s"},
		{"nothing done", start, "gopool: 0/1000 done, 0 failed, 0.0 jobs/s"},
		{"ended", ended, "gopool: 1000/1000 done, 2 failed, 12.3 jobs/s, took 1m21s"},
		{"all done, not ended: no eta", Counts{Done: 4, Total: 4, Final: true, Elapsed: 2 * time.Second},
			"gopool: 4/4 done, 0 failed, 2.0 jobs/s"},
		{"eta under a second shows 1s", Counts{Done: 999, Total: 1000, Final: true, Elapsed: time.Second},
			"gopool: 999/1000 done, 0 failed, 999.0 jobs/s, eta 1s"},
		{"slow jobs: per minute", Counts{Done: 3, Total: 10, Final: true, Elapsed: 20 * time.Second},
			"gopool: 3/10 done, 0 failed, 9.0 jobs/min, eta 47s"},
		{"very slow jobs: per hour", Counts{Done: 2, Total: 3, Final: true, Elapsed: time.Hour},
			"gopool: 2/3 done, 0 failed, 2.0 jobs/h, eta 30m00s"},
		{"hours", Counts{Done: 1, Total: 3, Final: true, Elapsed: 3*time.Hour + 25*time.Minute},
			"gopool: 1/3 done, 0 failed, 0.3 jobs/h, eta 6h50m"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Plain(); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
