package cmd

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/gopool/gopool/internal/report"
	"github.com/gopool/gopool/output"
)

// ciOptions are the flags of the reports for CI: --junit,
// --junit-output-limit, --ci-groups and --summary.
type ciOptions struct {
	junit       string
	outputLimit string
	groups      string
	summary     bool
}

// ciSettings are ciOptions checked. The zero value is no report at all.
type ciSettings struct {
	junit       string // --junit FILE; "" for none
	outputLimit int64  // --junit-output-limit in bytes, with --junit
	template    string // with --junit: the command template, the JUnit classname; "" for command lines
	groups      report.Groups
	// groupsGiven: --ci-groups was given; else the CI system that runs
	// gopool decides (see foldsFor).
	groupsGiven bool
	summary     bool
}

// addFlags defines the flags of o on f.
func (o *ciOptions) addFlags(f *pflag.FlagSet) {
	f.StringVar(&o.junit, "junit", "", "write a JUnit XML report of the jobs to `FILE`, also when the run stops early")
	f.StringVar(&o.outputLimit, "junit-output-limit", report.FormatSize(report.DefaultOutputLimit),
		"keep at most `SIZE` of each job's stdout and of its stderr in the --junit report (0: none; K, M units)")
	f.StringVar(&o.groups, "ci-groups", "", "fold each job's output block in the log of CI `SYSTEM`: github, gitlab or none "+
		"(default: github when $GITHUB_ACTIONS=true, gitlab when $GITLAB_CI=true, else none)")
	f.BoolVar(&o.summary, "summary", false, "at the end of a run with failures, a table of the failed and the slowest jobs on stderr")
}

// check validates o into settings; template is the command template's
// words, changed the flags given. Errors are usage errors.
func (o *ciOptions) check(template []string, changed map[string]bool, dryRun bool) (ciSettings, error) {
	s := ciSettings{junit: o.junit, summary: o.summary}
	if o.junit != "" {
		if dryRun {
			return s, usageErr("--junit and --dry-run cannot be used together: a dry run has no results to report")
		}
		n, err := report.ParseSize(o.outputLimit)
		if err != nil {
			return s, usageErr("bad --junit-output-limit: %w", err)
		}
		if n > report.MaxOutputLimit {
			return s, usageErr("bad --junit-output-limit %s: at most %s", o.outputLimit, report.FormatSize(report.MaxOutputLimit))
		}
		s.outputLimit = n
		s.template = strings.Join(template, " ")
	} else if changed["junit-output-limit"] {
		return s, usageErr("--junit-output-limit needs --junit FILE")
	}
	if changed["ci-groups"] {
		g, err := report.ParseGroups(o.groups)
		if err != nil {
			return s, usageErr("%w", err)
		}
		s.groups, s.groupsGiven = g, true
	}
	return s, nil
}

// foldsFor is the fold markers the run writes: none with --line-buffer,
// --json or --dry-run, whose output is not one block per job. Without
// --ci-groups, those of the CI system that runs gopool, when stdout goes
// to its log: not when it goes to a file or a device such as /dev/null,
// since with folds a job's stderr is printed on stdout inside its fold.
func foldsFor(set *settings, streams *Streams) report.Groups {
	switch {
	case set.lineBuffer, set.json, set.dryRun:
		return report.GroupsNone
	case set.ci.groupsGiven:
		return set.ci.groups
	case !toLog(streams.Out, streams.OutTTY):
		return report.GroupsNone
	}
	return streams.CISystem
}

// toLog reports whether w may be a CI log: a pipe, a socket, a terminal,
// or a writer that is no file (tests). A regular file or another device
// is not.
func toLog(w io.Writer, tty bool) bool {
	f, ok := w.(*os.File)
	if !ok || tty {
		return true
	}
	fi, err := f.Stat()
	if err != nil {
		return true
	}
	return fi.Mode()&(os.ModeNamedPipe|os.ModeSocket) != 0
}

// withFolds returns b, or b with each job's block in fold markers when
// the run folds its output (--ci-groups).
func withFolds(set *settings, streams *Streams, b *blockSink) sink {
	g := foldsFor(set, streams)
	if g == report.GroupsNone {
		return b
	}
	out := report.NewLineEnd(streams.Out)
	errs := &lineStart{out: out}
	b.printer = output.NewPrinter(output.Config{Stdout: out, Stderr: errs, Tag: set.tag || set.tagString != nil})
	return &foldSink{blockSink: b, folder: report.NewFolder(g), out: out, errs: errs}
}

// keepsBlocks reports whether the reports need each job's output whole
// in its buffers: a JUnit report reads it, and folds go around it, so the
// head job of map does not stream live.
func keepsBlocks(set *settings, streams *Streams) bool {
	return set.ci.junit != "" || foldsFor(set, streams) != report.GroupsNone
}

// foldSink is a blockSink that prints each job's block inside the fold
// markers of a CI system (--ci-groups), all on stdout: the job's stdout,
// then its stderr. A CI log reads stdout and stderr from two pipes and
// may interleave them anyhow; with both in one stream, the fold holds the
// job's whole block, in order.
type foldSink struct {
	*blockSink
	folder *report.Folder
	out    *report.LineEnd // gopool's stdout
	errs   *lineStart      // the printer's stderr: out again
}

func (s *foldSink) print(j *job) error {
	defer j.out.release()
	return s.term.around(s.term.outTTY, func() error {
		fd, err := s.folder.Begin(s.out, &j.ci.report)
		if err == nil {
			s.errs.started = false
			err = s.printJob(j)
		}
		if err == nil {
			err = s.out.Terminate()
		}
		if err == nil {
			err = fd.End(s.out)
		}
		return err
	})
}

// lineStart is a job's stderr inside its fold, written to the same
// stream as its stdout: its first write starts a line, so that stderr
// does not run on from a last line of stdout that has no newline.
type lineStart struct {
	out     *report.LineEnd
	started bool // reset for each job
}

func (w *lineStart) Write(p []byte) (int, error) {
	if !w.started {
		if err := w.out.Terminate(); err != nil {
			return 0, err
		}
		w.started = true
	}
	return w.out.Write(p)
}

// teeLines returns l, or with --junit l whose jobs' streams are also kept
// for the report (--line-buffer prints lines as they come and keeps
// nothing): their first and last --junit-output-limit/2 bytes.
func teeLines(set *settings, l *lineSink) sink {
	if set.ci.junit == "" || set.ci.outputLimit == 0 {
		return l
	}
	return &teeSink{lineSink: l, limit: set.ci.outputLimit}
}

// teeSink is a lineSink that also keeps the ends of each job's streams
// for the JUnit report.
type teeSink struct {
	*lineSink
	limit int64
}

func (s *teeSink) open(j *job) (io.Writer, io.Writer) {
	stdout, stderr := s.lineSink.open(j)
	k := s.kept(j)
	// The keeper first: it never fails, and a failed write of the line
	// writer stops the job's copier.
	return io.MultiWriter(k[0], stdout), io.MultiWriter(k[1], stderr)
}

// kept returns j's keepers, made on first use.
func (s *teeSink) kept(j *job) *[2]*keptEnds {
	k := &j.ci.kept
	if k[0] == nil {
		k[0], k[1] = newKeptEnds(s.limit), newKeptEnds(s.limit)
	}
	return k
}

// retry forgets the failed attempt: the report has the last one only, as
// the joblog does.
func (s *teeSink) retry(j *job) {
	s.lineSink.retry(j)
	j.ci.kept = [2]*keptEnds{}
}

func (s *teeSink) finish(j *job, note error) {
	s.lineSink.finish(j, note)
	if note != nil {
		_, _ = io.WriteString(s.kept(j)[1], noteLine(j.seq, note))
	}
}

// jobCI is what the CI reports keep of one job.
type jobCI struct {
	// report is the job as the reports see it, without its streams; set
	// by the collector before the job is printed (the folds read it).
	report report.Job
	// kept holds the ends of the job's stdout and stderr with
	// --line-buffer and --junit; nil otherwise.
	kept [2]*keptEnds
}

// reports are the reports of a run for CI: the JUnit file (--junit) and
// the summary table (--summary). The collector hands them every job it
// emits, in output order, on the pool's goroutine. A nil *reports has no
// report on; its methods do nothing.
type reports struct {
	junit     *report.JUnit   // nil without --junit
	summary   *report.Summary // nil without --summary
	start     time.Time
	tagString func(j *job) string // nil without --tagstring
	template  string
	exp       expander
	timeout   time.Duration
	halt      haltPolicy
}

// newReports returns the reports of set on these streams, nil when none
// is on (the folds need only the job's report, which add makes too). The
// JUnit file is checked at once: an error is a usage error.
func newReports(set *settings, streams *Streams) (*reports, error) {
	if set.ci.junit == "" && !set.ci.summary && foldsFor(set, streams) == report.GroupsNone {
		return nil, nil
	}
	r := &reports{start: time.Now(), template: set.ci.template, exp: set.expander(),
		timeout: set.timeout, halt: set.halt}
	if set.tagString != nil {
		r.tagString = func(j *job) string { return set.tagString.ExpandString(j.args, j.seq, j.slot) }
	}
	if set.ci.summary {
		r.summary = &report.Summary{}
	}
	if set.ci.junit != "" {
		w, err := report.NewJUnit(set.ci.junit, report.JUnitOptions{OutputLimit: set.ci.outputLimit,
			TempDir: set.tmpDir, Start: r.start})
		if err != nil {
			return nil, usageErr("%w", err)
		}
		r.junit = w
	}
	return r, nil
}

// add builds j's report into j.ci.report and adds it to the reports, with
// its output while the sink still holds it. An error means the JUnit
// report can no longer be written.
func (r *reports) add(j *job, ctl *control) error {
	if r == nil {
		return nil
	}
	rj := &j.ci.report
	*rj = r.job(j, ctl)
	if r.summary != nil {
		r.summary.Add(rj)
	}
	if r.junit == nil {
		return nil
	}
	switch k := j.ci.kept; {
	case k[0] != nil:
		rj.Stdout, rj.Stderr = k[0].reader(), k[1].reader()
	default:
		rj.Stdout, rj.Stderr = reader(j.out.stdout), reader(j.out.stderr)
	}
	err := r.junit.Add(rj)
	rj.Stdout, rj.Stderr = nil, nil
	j.ci.kept = [2]*keptEnds{}
	return err
}

// reader is a reader of c; nil for none.
func reader(c interface{ Reader() io.Reader }) io.Reader {
	if c == nil {
		return nil
	}
	return c.Reader()
}

// job is j as the reports see it, its streams left out.
func (r *reports) job(j *job, ctl *control) report.Job {
	res := j.res
	rj := report.Job{
		Seq:      j.seq,
		Name:     strings.Join(j.args, " "),
		Template: r.template,
		Command:  r.exp.command(j.args, j.seq, j.slot, j.argv),
		Start:    res.Start,
		Duration: res.Duration,
		ExitCode: res.ExitCode,
		Signal:   int(res.Signal),
		TimedOut: res.TimedOut,
		Timeout:  r.timeout,
	}
	if r.tagString != nil {
		rj.Name = r.tagString(j)
	}
	switch {
	case res.Stopped && res.Err != nil:
		rj.NotStarted = true
		rj.Stopped = stopReason(ctl, r.halt)
	case res.Stopped && !res.TimedOut:
		rj.Stopped = stopReason(ctl, r.halt)
	case res.Err != nil:
		rj.StartErr = res.Err.Error()
	}
	return rj
}

// stopReason says why gopool stopped the run's jobs: the signal, a closed
// stdout, --halt, or gopool's own error.
func stopReason(ctl *control, halt haltPolicy) string {
	switch code := ctl.stopCode(); code {
	case 0:
	case ExitInterrupted:
		return "SIGINT"
	case ExitTerminated:
		return "SIGTERM"
	case ExitQuit:
		return "SIGQUIT"
	case ExitBrokenPipe:
		return "stdout closed"
	default:
		return fmt.Sprintf("exit %d", code)
	}
	if ctl.halting() {
		return "--halt " + halt.String()
	}
	if _, err := ctl.result(); err != nil {
		return "error: " + firstLine(err.Error())
	}
	return "run stopped"
}

// finish writes the JUnit report, whatever way the run ended. An error
// fails the run (exit 255); when a signal or a closed stdout decides the
// exit code instead, the error is printed on errs, so that the missing
// report is explained.
func (r *reports) finish(ctl *control, errs io.Writer) {
	if r == nil || r.junit == nil {
		return
	}
	if err := r.junit.Finish(); err != nil {
		if ctl.stopCode() != 0 {
			fmt.Fprintf(errs, "gopool: %v\n", err)
		}
		ctl.Fail(err)
	}
}

// printSummary prints the --summary table on w when jobs failed.
func (r *reports) printSummary(w io.Writer) {
	if r == nil || r.summary == nil || r.summary.Failed() == 0 {
		return
	}
	_, _ = io.WriteString(w, r.summary.Table(time.Since(r.start)))
}

// close releases the JUnit report's temporary file if finish did not run.
func (r *reports) close() {
	if r != nil && r.junit != nil {
		_ = r.junit.Close()
	}
}

// keptEnds keeps the first and the last bytes of a stream, as many as
// the JUnit report reads of it (--junit-output-limit), and knows its
// size: it reads as the whole stream would at the offsets the report
// reads (the head and the tail). Write is called by one goroutine; the
// reads come once the writer is done.
type keptEnds struct {
	headN, tailN int64
	head         []byte
	ring         []byte // the last tailN bytes, from pos on, then up to pos
	pos          int
	n            int64
}

func newKeptEnds(limit int64) *keptEnds {
	headN := limit / 2
	return &keptEnds{headN: headN, tailN: limit - headN}
}

// Write keeps what p adds to the head and the tail.
func (k *keptEnds) Write(p []byte) (int, error) {
	n := len(p)
	if room := k.headN - int64(len(k.head)); room > 0 {
		k.head = append(k.head, p[:min(int64(len(p)), room)]...)
	}
	k.n += int64(n)
	if k.tailN == 0 {
		return n, nil
	}
	if int64(len(p)) >= k.tailN {
		k.ring = append(k.ring[:0], p[int64(len(p))-k.tailN:]...)
		k.pos = 0
		return n, nil
	}
	if int64(len(k.ring)) < k.tailN {
		room := int(k.tailN) - len(k.ring)
		k.ring = append(k.ring, p[:min(len(p), room)]...)
		p = p[min(len(p), room):]
	}
	for len(p) > 0 {
		c := copy(k.ring[k.pos:], p)
		p = p[c:]
		k.pos = (k.pos + c) % len(k.ring)
	}
	return n, nil
}

// reader reads the stream: the report reads its head and tail at
// offsets (io.SectionReader has ReadAt and Size).
func (k *keptEnds) reader() io.Reader { return io.NewSectionReader(k, 0, k.n) }

// Size is the number of bytes written.
func (k *keptEnds) Size() int64 { return k.n }

// ReadAt reads the stream at off, from the bytes it kept: the first headN
// and the last tailN. Reading a byte in between is an error.
func (k *keptEnds) ReadAt(p []byte, off int64) (int, error) {
	tail := make([]byte, 0, len(k.ring))
	tail = append(append(tail, k.ring[k.pos:]...), k.ring[:k.pos]...)
	tailStart := k.n - int64(len(tail))
	n := 0
	for n < len(p) {
		at := off + int64(n)
		var c int
		switch {
		case at >= k.n:
			return n, io.EOF
		case at >= tailStart:
			c = copy(p[n:], tail[at-tailStart:])
		case at < int64(len(k.head)):
			c = copy(p[n:], k.head[at:min(int64(len(k.head)), tailStart)])
		default:
			return n, fmt.Errorf("output byte %d of %d was not kept", at, k.n)
		}
		n += c
	}
	return n, nil
}
