package progress

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Counts is one moment of a run as the meter shows it.
type Counts struct {
	Done, Failed int64 // jobs finished, and how many of them failed
	Total        int64 // jobs known so far; less than Done counts as Done
	// Final says that Total will not grow: the input was counted ahead
	// or has ended. Without it the line shows counts, no percentage and
	// no ETA.
	Final bool
	// Ended says that the run is over: the line shows the time taken
	// instead of an ETA.
	Ended   bool
	Elapsed time.Duration // since the run started
}

const (
	barMin = 10 // narrower than this, the bar is left out
	barMax = 40
	barOn  = "█"
	barOff = " "
)

// Line renders c as one terminal line of at most width-1 columns (so the
// cursor never wraps), without a carriage return or escape codes. The
// richest layout that fits wins: the bar with the rate, the bar without
// it; then, without the bar, with the rate, without it, without the
// percentage, without the time; the counts are cut last. Every rune of
// the line is one column wide. With a final total (80 columns):
//
//	34% |██████████                     | 340/1000, 2 failed, 12.3 jobs/s, eta 54s
//
// and while the input streams:
//
//	340/1000+, 2 failed, 12.3 jobs/s, elapsed 27s
func (c Counts) Line(width int) string {
	avail := width - 1
	if avail <= 0 {
		return ""
	}
	total := max(c.Total, c.Done)
	counts := fmt.Sprintf("%d/%d", c.Done, total)
	if !c.Final && !c.Ended {
		counts += "+"
	}
	failed := fmt.Sprintf("%d failed", c.Failed)
	rate := formatRate(c.Done, c.Elapsed)
	when := c.when()
	known := (c.Final || c.Ended) && total > 0
	pct := ""
	if known {
		pct = fmt.Sprintf("%3d%%", c.Done*100/total)
	}

	// Layouts from the richest to the barest; the first that fits wins.
	// The percentage and the bar come first, the parts after them.
	type layout struct {
		pct, bar bool
		parts    []string
	}
	var layouts []layout
	if known {
		layouts = append(layouts,
			layout{true, true, []string{counts, failed, rate, when}},
			layout{true, true, []string{counts, failed, when}},
			layout{true, false, []string{counts, failed, rate, when}},
			layout{true, false, []string{counts, failed, when}},
		)
	}
	layouts = append(layouts,
		layout{false, false, []string{counts, failed, rate, when}},
		layout{false, false, []string{counts, failed, when}},
		layout{false, false, []string{counts, failed}},
	)
	for _, l := range layouts {
		text := join(l.parts)
		if l.pct {
			text = pct + " " + text
		}
		n := utf8.RuneCountInString(text)
		if !l.bar {
			if n <= avail {
				return text
			}
			continue
		}
		// pct + " |" + bar + "|" + text[len(pct):] is 3 columns more than text
		w := min(avail-n-3, barMax)
		if w < barMin {
			continue
		}
		on := int(c.Done * int64(w) / total)
		return pct + " |" + strings.Repeat(barOn, on) + strings.Repeat(barOff, w-on) + "|" + text[len(pct):]
	}
	return truncate(counts, avail)
}

// Plain renders c as one line for a log, without a newline:
// "gopool: 340/1000 done, 2 failed, 12.3 jobs/s, eta 54s".
func (c Counts) Plain() string {
	total := max(c.Total, c.Done)
	plus := ""
	if !c.Final && !c.Ended {
		plus = "+"
	}
	return "gopool: " + join([]string{
		fmt.Sprintf("%d/%d%s done", c.Done, total, plus),
		fmt.Sprintf("%d failed", c.Failed),
		formatRate(c.Done, c.Elapsed),
		c.when(),
	})
}

// when is the time part: the time taken once the run ended, the ETA
// while the total is final, else the time elapsed. The ETA is never 0s
// while jobs remain; it is left out before any job is done and once all
// are.
func (c Counts) when() string {
	total := max(c.Total, c.Done)
	switch {
	case c.Ended:
		return "took " + formatDuration(c.Elapsed)
	case !c.Final:
		return "elapsed " + formatDuration(c.Elapsed)
	case c.Done == 0, c.Done == total:
		return "" // nothing to go by, or nothing left
	}
	left := time.Duration(float64(c.Elapsed) / float64(c.Done) * float64(total-c.Done))
	return "eta " + formatDuration(max(left.Round(time.Second), time.Second))
}

// join joins the non-empty parts with ", ".
func join(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p)
	}
	return b.String()
}

// formatRate is jobs per second, or per minute or hour when slower.
func formatRate(done int64, elapsed time.Duration) string {
	if done <= 0 || elapsed <= 0 {
		return "0.0 jobs/s"
	}
	r := float64(done) / elapsed.Seconds()
	switch {
	case r >= 1:
		return fmt.Sprintf("%.1f jobs/s", r)
	case r*60 >= 1:
		return fmt.Sprintf("%.1f jobs/min", r*60)
	}
	return fmt.Sprintf("%.1f jobs/h", r*3600)
}

// formatDuration is d in whole seconds: 54s, 2m05s, 1h02m.
func formatDuration(d time.Duration) string {
	s := int64(max(d, 0) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
