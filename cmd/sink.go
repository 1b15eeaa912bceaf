package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/gopool/gopool/output"
	"github.com/gopool/gopool/output/spool"
)

// bufferMem is how much of each job's stdout and stderr stays in memory
// before it spills to a temp file.
const bufferMem = 64 << 10

// sink is where jobs' output goes, chosen once from the settings (newSink):
// whole blocks (plain, --tag, --json), blocks whose head job streams live
// (map), lines as they come (--line-buffer), or command lines (--dry-run).
// The executor and the collector call it without knowing which it is.
type sink interface {
	// open returns the writers of one attempt of j, on j's goroutine.
	open(j *job) (stdout, stderr io.Writer)
	// retry drops what j's failed attempt wrote, before the next one.
	retry(j *job)
	// finish is called once j's last attempt ended, on j's goroutine;
	// note is gopool's own message about the job (why it could not
	// start), nil if none.
	finish(j *job, note error)
	// print writes j in output order, on the pool's goroutine.
	print(j *job) error
	// close releases what the sink holds; call it once the run is over.
	close()
}

// newSink chooses the sink for set. Plain output in map mode streams the
// head job's stdout while it runs; tags, JSON, retries, the progress bar,
// a joblog on gopool's own streams and the CI reports need the whole block
// first. --ci-groups folds each block, and --junit tees --line-buffer's
// streams (report.go).
func newSink(set *settings, streams *Streams, bar *progress) sink {
	if !set.dryRun {
		if s, ok := newParitySink(set, streams, bar); ok {
			return s
		}
	}
	tagOf := func(j *job) (string, bool) {
		switch {
		case set.tagString != nil:
			return set.tagString.ExpandString(j.args, j.seq, j.slot), true
		case set.tag:
			return strings.Join(j.args, "\t"), true
		}
		return "", false
	}
	term := terminal{bar: bar, outTTY: streams.OutTTY}
	switch {
	case set.dryRun:
		return &drySink{out: streams.Out, err: streams.Err, exp: set.expander(), term: term}
	case set.lineBuffer:
		stdout, stderr := streams.Out, streams.Err
		if bar != nil {
			// Live lines clear the bar; the next tick redraws it.
			stderr = bar.writer(stderr)
			if streams.OutTTY || bar.plain {
				stdout = bar.writer(stdout)
			}
		}
		return teeLines(set, &lineSink{lines: [2]*output.Lines{output.NewLines(stdout), output.NewLines(stderr)},
			tagOf: tagOf, err: streams.Err, term: term})
	}
	b := &blockSink{
		tmpDir: set.tmpDir,
		printer: output.NewPrinter(output.Config{Stdout: streams.Out, Stderr: streams.Err,
			Tag: set.tag || set.tagString != nil, JSON: set.json}),
		tagOf: tagOf,
		json:  set.json,
		term:  term,
	}
	if set.mode != modeMap {
		return withFolds(set, streams, b)
	}
	if set.tag || set.tagString != nil || set.json || set.retries > 1 || bar != nil || set.joblogOnStream() ||
		keepsBlocks(set, streams) {
		return withFolds(set, streams, b)
	}
	return &headSink{blockSink: b, head: output.NewHead(streams.Out)}
}

// terminal is what printing needs to know of the progress bar: a block
// that reaches the bar's terminal is printed with the bar cleared.
type terminal struct {
	bar    *progress // nil without a bar
	outTTY bool      // stdout is the bar's terminal too
}

// around runs print, with the bar cleared first when toTerminal. Plain
// progress lines go to a log, which may be stdout too: every block is
// printed under the meter's lock, so a line never lands inside one.
func (t terminal) around(toTerminal bool, print func() error) error {
	if t.bar == nil || (!toTerminal && !t.bar.plain) {
		return print()
	}
	return t.bar.around(print)
}

// size is the length of c; nil has none.
func size(c spool.Content) int64 {
	if c == nil {
		return 0
	}
	return c.Len()
}

// noteLine is gopool's own line about job seq.
func noteLine(seq int64, note error) string {
	return fmt.Sprintf("gopool: job %d: %v\n", seq, note)
}

// blockSink prints each job as one block: stdout, then stderr, raw,
// tagged or as JSON.
type blockSink struct {
	tmpDir  string
	printer *output.Printer
	tagOf   func(j *job) (string, bool)
	json    bool
	term    terminal
}

func (s *blockSink) open(j *job) (io.Writer, io.Writer) {
	o := &j.out
	o.bufs = [2]*spool.Buffer{spool.NewBuffer(s.tmpDir, bufferMem), spool.NewBuffer(s.tmpDir, bufferMem)}
	return o.bufs[0], o.bufs[1]
}

func (s *blockSink) retry(j *job) {
	for _, b := range j.out.bufs {
		b.Close()
	}
}

func (s *blockSink) finish(j *job, note error) {
	o := &j.out
	if note != nil {
		if o.bufs[1] == nil {
			s.open(j)
		}
		_, _ = io.WriteString(o.bufs[1], noteLine(j.seq, note))
	}
	o.stdout, o.stderr = o.bufs[0], o.bufs[1]
	o.bufs = [2]*spool.Buffer{}
}

func (s *blockSink) print(j *job) error {
	defer j.out.release()
	o := &j.out
	toTerminal := size(o.stderr) > 0 || (s.term.outTTY && (size(o.stdout) > 0 || s.json))
	return s.term.around(toTerminal, func() error { return s.printJob(j) })
}

// printJob writes j's block with the printer.
func (s *blockSink) printJob(j *job) error {
	o := &j.out
	tag, _ := s.tagOf(j)
	return s.printer.Print(&output.Job{
		Seq: j.seq, Input: j.args, Argv: j.argv,
		ExitCode: j.res.ExitCode, Signal: int(j.res.Signal), TimedOut: j.res.TimedOut,
		Start: j.res.Start, Duration: j.res.Duration,
		Stdout: o.stdout, Stderr: o.stderr, Tag: tag,
	})
}

func (s *blockSink) close() {}

// headSink is a blockSink whose head job (every earlier job printed)
// streams its stdout while it runs (map mode, plain output).
type headSink struct {
	*blockSink
	head *output.Head
}

func (s *headSink) open(j *job) (io.Writer, io.Writer) {
	_, stderr := s.blockSink.open(j)
	o := &j.out
	o.live = output.NewLive(o.bufs[0])
	s.head.Start(j.seq, o.live)
	return o.live, stderr
}

func (s *headSink) finish(j *job, note error) {
	o := &j.out
	if o.live != nil {
		s.head.Finish(j.seq)
		o.bufs[0], o.streamed, o.streamErr = o.live.Buffer(), o.live.Written(), o.live.Err()
		o.live = nil
	}
	s.blockSink.finish(j, note)
}

func (s *headSink) print(j *job) error {
	if err := j.out.streamErr; err != nil {
		j.out.release()
		return err
	}
	defer s.head.Advance(j.seq)
	return s.blockSink.print(j)
}

// lineSink prints lines as they come (--line-buffer): lines of different
// jobs may interleave, never inside a line.
type lineSink struct {
	lines [2]*output.Lines
	tagOf func(j *job) (string, bool)
	err   io.Writer // gopool's stderr, for notes
	term  terminal
}

func (s *lineSink) open(j *job) (io.Writer, io.Writer) {
	o := &j.out
	if o.lines[0] == nil {
		tag, tagged := s.tagOf(j)
		o.lines = [2]*output.LineWriter{s.lines[0].Writer(tag, tagged), s.lines[1].Writer(tag, tagged)}
	}
	return o.lines[0], o.lines[1]
}

// retry keeps the writers: the failed attempt's lines are out already.
func (s *lineSink) retry(*job) {}

func (s *lineSink) finish(j *job, note error) {
	o := &j.out
	for _, w := range o.lines {
		if w != nil {
			w.Close()
		}
	}
	if note != nil {
		o.note = noteLine(j.seq, note)
	}
}

// print writes gopool's note about j, if any: its lines are out already.
func (s *lineSink) print(j *job) error {
	if j.out.note == "" {
		return nil
	}
	return s.term.around(true, func() error {
		_, err := io.WriteString(s.err, j.out.note)
		return err
	})
}

func (s *lineSink) close() {}

// drySink prints each job's command, quoted for a shell (--dry-run).
type drySink struct {
	out, err io.Writer
	exp      expander
	term     terminal
}

func (s *drySink) open(*job) (io.Writer, io.Writer) { return nil, nil }
func (s *drySink) retry(*job)                       {}
func (s *drySink) close()                           {}

func (s *drySink) finish(j *job, note error) {
	if note != nil {
		j.out.note = noteLine(j.seq, note)
	}
}

func (s *drySink) print(j *job) error {
	if j.out.note != "" {
		return s.term.around(true, func() error {
			_, err := io.WriteString(s.err, j.out.note)
			return err
		})
	}
	return s.term.around(s.term.outTTY, func() error {
		_, err := fmt.Fprintln(s.out, s.exp.command(j.args, j.seq, j.slot, j.argv))
		return err
	})
}
