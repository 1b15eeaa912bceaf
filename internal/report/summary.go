package report

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The summary shows at most maxFailed failed jobs (the lowest job
// numbers) and maxSlowest slowest jobs, in tableWidth columns.
const (
	maxFailed  = 10
	maxSlowest = 5
	tableWidth = 80
	// maxResult bounds the RESULT column, in runes.
	maxResult = 28
)

// Summary collects finished jobs for the table that --summary prints on
// stderr at the end of a run. It keeps only the jobs it may show, so its
// memory does not grow with the run. The zero value is ready to use; Add
// and Table are called from one goroutine at a time.
type Summary struct {
	failed  []row // the failed jobs with the lowest numbers, by number
	slowest []row // the jobs that ran longest, longest first

	done, nFailed, timedOut, stopped, notStarted int
}

// row is a job as the table shows it.
type row struct {
	seq      int64
	result   string
	duration time.Duration
	command  string // on one line, at most tableWidth runes
}

// Add counts j and keeps it if the table may show it.
func (s *Summary) Add(j *Job) {
	st := j.Status()
	if st == NotStarted {
		s.notStarted++
		return
	}
	s.done++
	cmd := j.Command
	if cmd == "" {
		cmd = j.title()
	}
	r := row{seq: j.Seq, duration: max(j.Duration, 0)}
	switch st {
	case Failed:
		s.nFailed++
		if j.TimedOut {
			s.timedOut++
		}
		r.result = j.shortResult()
		if len(s.failed) < maxFailed || j.Seq < s.failed[len(s.failed)-1].seq {
			r.command = oneLine(cmd, tableWidth)
			s.failed = insertRow(s.failed, r, maxFailed, func(a, b row) bool { return a.seq < b.seq })
		}
	case Stopped:
		s.stopped++
	}
	if len(s.slowest) < maxSlowest || slower(r, s.slowest[len(s.slowest)-1]) {
		if r.command == "" {
			r.command = oneLine(cmd, tableWidth)
		}
		s.slowest = insertRow(s.slowest, r, maxSlowest, slower)
	}
}

// slower orders rows by duration, longest first, then by job number.
func slower(a, b row) bool {
	if a.duration != b.duration {
		return a.duration > b.duration
	}
	return a.seq < b.seq
}

// insertRow inserts r into rows sorted by less, keeping at most n rows.
func insertRow(rows []row, r row, n int, less func(a, b row) bool) []row {
	i := len(rows)
	for i > 0 && less(r, rows[i-1]) {
		i--
	}
	if i >= n {
		return rows
	}
	rows = append(rows, row{})
	copy(rows[i+1:], rows[i:])
	rows[i] = r
	if len(rows) > n {
		rows = rows[:n]
	}
	return rows
}

// Failed is the number of failed jobs added.
func (s *Summary) Failed() int { return s.nFailed }

// Table renders the summary in at most 80 columns, ending in a newline:
// the failed jobs (at most 10, the lowest job numbers), the slowest jobs
// (at most 5), and the totals with the wall time of the run. Commands
// are cut with "…" to fit; sections without rows are left out.
//
//	Failed jobs (2 of 40):
//	  JOB  RESULT              TIME  COMMAND
//	    3  exit 2              1.2s  ./test.sh unit
//	   17  timed out after 2s  2.0s  ./test.sh integration
//	Slowest jobs:
//	  JOB  TIME  COMMAND
//	   17  2.0s  ./test.sh integration
//	   ...
//	Total: 40 done, 2 failed, 1 timed out, wall time 5.1s
//
// The totals wrap at 80 columns when the counts are long.
func (s *Summary) Table(wall time.Duration) string {
	var b strings.Builder
	if len(s.failed) > 0 {
		more := ""
		if s.nFailed > len(s.failed) {
			more = fmt.Sprintf(", the first %d shown", len(s.failed))
		}
		fmt.Fprintf(&b, "Failed jobs (%d of %d%s):\n", s.nFailed, s.done, more)
		writeTable(&b, s.failed, true)
	}
	if len(s.slowest) > 0 {
		b.WriteString("Slowest jobs:\n")
		writeTable(&b, s.slowest, false)
	}
	parts := []string{fmt.Sprintf("%d done", s.done), fmt.Sprintf("%d failed", s.nFailed),
		fmt.Sprintf("%d timed out", s.timedOut)}
	if s.stopped > 0 {
		parts = append(parts, fmt.Sprintf("%d stopped", s.stopped))
	}
	if s.notStarted > 0 {
		parts = append(parts, fmt.Sprintf("%d not started", s.notStarted))
	}
	parts = append(parts, "wall time "+shortDuration(wall))
	writeWrapped(&b, "Total: ", parts)
	return b.String()
}

// writeWrapped writes prefix and parts joined by ", ", wrapped at
// tableWidth with continuation lines indented under the first part.
func writeWrapped(b *strings.Builder, prefix string, parts []string) {
	indent := strings.Repeat(" ", len(prefix))
	b.WriteString(prefix)
	col := len(prefix)
	for i, p := range parts {
		sep := ""
		if i < len(parts)-1 {
			sep = ","
		}
		if i > 0 {
			if col+1+len(p)+len(sep) > tableWidth {
				b.WriteString("\n" + indent)
				col = len(indent)
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(p + sep)
		col += len(p) + len(sep)
	}
	b.WriteByte('\n')
}

// writeTable writes rows under a header, two spaces in, columns two
// spaces apart: JOB and TIME right-aligned, RESULT (when withResult) and
// COMMAND left-aligned, COMMAND cut to what is left of the line.
func writeTable(b *strings.Builder, rows []row, withResult bool) {
	jobW, resW, timeW := len("JOB"), len("RESULT"), len("TIME")
	cells := make([][3]string, len(rows))
	for i, r := range rows {
		c := [3]string{fmt.Sprint(r.seq), oneLine(r.result, maxResult), shortDuration(r.duration)}
		cells[i] = c
		jobW = max(jobW, len(c[0]))
		resW = max(resW, utf8.RuneCountInString(c[1]))
		timeW = max(timeW, len(c[2]))
	}
	used := 2 + jobW + 2 + timeW + 2
	if withResult {
		used += resW + 2
	}
	cmdW := max(tableWidth-used, 10)
	line := func(job, result, tm, cmd string) {
		b.WriteString("  " + pad(job, jobW, true) + "  ")
		if withResult {
			b.WriteString(pad(result, resW, false) + "  ")
		}
		b.WriteString(pad(tm, timeW, true) + "  " + oneLine(cmd, cmdW))
		b.WriteString("\n")
	}
	line("JOB", "RESULT", "TIME", "COMMAND")
	for i, c := range cells {
		line(c[0], c[1], c[2], rows[i].command)
	}
}

// pad pads s with spaces to w runes, on the left when right is set.
func pad(s string, w int, right bool) string {
	n := w - utf8.RuneCountInString(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// shortDuration formats d for a table: "0.3s", "12.5s", "3m05s", "2h07m".
func shortDuration(d time.Duration) string {
	d = max(d, 0)
	if tenths := (d + 50*time.Millisecond) / (100 * time.Millisecond); tenths < 600 {
		return fmt.Sprintf("%d.%ds", tenths/10, tenths%10)
	}
	if secs := (d + time.Second/2) / time.Second; secs < 3600 {
		return fmt.Sprintf("%dm%02ds", secs/60, secs%60)
	}
	mins := (d + time.Minute/2) / time.Minute
	return fmt.Sprintf("%dh%02dm", mins/60, mins%60)
}
