package cmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gopool/gopool/output"
	"github.com/gopool/gopool/output/spool"
)

// newParitySink chooses the sink of -u, --files and --results, whose output
// does not go to stdout as blocks; ok is false for the other sinks.
func newParitySink(set *settings, streams *Streams, bar *progress) (sink, bool) {
	term := terminal{bar: bar, outTTY: streams.OutTTY}
	switch {
	case set.ungroup:
		return &ungroupSink{out: streams.Out, err: streams.Err, term: term}, true
	case set.files:
		return &filesSink{blockSink: plainBlockSink(set, streams, term, true), dir: set.tmpDir}, true
	case set.results != nil && set.results.table != "":
		return &tableSink{blockSink: plainBlockSink(set, streams, term, false), spec: set.results,
			exp: set.expander(), stdout: streams.Out}, true
	case set.results != nil:
		return &resultsSink{spec: set.results, err: streams.Err, term: term}, true
	}
	return nil, false
}

// plainBlockSink is a blockSink that keeps whole blocks (no live head
// job), tagged when tags is set.
func plainBlockSink(set *settings, streams *Streams, term terminal, tags bool) *blockSink {
	tagged := tags && (set.tag || set.tagString != nil)
	b := &blockSink{
		tmpDir:  set.tmpDir,
		printer: output.NewPrinter(output.Config{Stdout: streams.Out, Stderr: streams.Err, Tag: tagged}),
		tagOf: func(j *job) (string, bool) {
			switch {
			case !tagged:
				return "", false
			case set.tagString != nil:
				return set.tagString.ExpandString(j.args, j.seq, j.slot), true
			}
			return strings.Join(j.args, "\t"), true
		},
		term: term,
	}
	return b
}

// ungroupSink passes each job's output straight through (-u): the job
// writes to gopool's own stdout and stderr (the same descriptors, when
// they are files), with no grouping and no order, as GNU parallel's
// --ungroup.
type ungroupSink struct {
	out, err io.Writer
	term     terminal
}

func (s *ungroupSink) open(j *job) (io.Writer, io.Writer) { return s.out, s.err }
func (s *ungroupSink) retry(*job)                         {}
func (s *ungroupSink) close()                             {}

func (s *ungroupSink) finish(j *job, note error) {
	if note != nil {
		j.out.note = noteLine(j.seq, note)
	}
}

func (s *ungroupSink) print(j *job) error {
	if j.out.note == "" {
		return nil
	}
	return s.term.around(true, func() error {
		_, err := io.WriteString(s.err, j.out.note)
		return err
	})
}

// filesSink saves each job's stdout in a file of its own in --tmpdir,
// kept after the run, and prints the file's name (--files); stderr is
// printed as usual.
type filesSink struct {
	*blockSink
	dir  string
	fail firstError // a file that could not be made or written
}

func (s *filesSink) open(j *job) (io.Writer, io.Writer) {
	_, stderr := s.blockSink.open(j)
	o := &j.out
	if o.bufs[0] != nil {
		o.bufs[0].Close()
	}
	f, err := os.CreateTemp(cmpDir(s.dir), "gopool*.par")
	if err != nil {
		o.bufs[0] = spool.NewBuffer(s.dir, bufferMem)
		s.fail.set(fmt.Errorf("--files: %w", err))
		return io.Discard, stderr
	}
	o.file = f
	return f, stderr
}

func (s *filesSink) retry(j *job) {
	if f := j.out.file; f != nil {
		_ = f.Truncate(0)
		_, _ = f.Seek(0, io.SeekStart)
	}
	if b := j.out.bufs[1]; b != nil {
		b.Close()
		j.out.bufs[1] = spool.NewBuffer(s.dir, bufferMem)
	}
}

func (s *filesSink) finish(j *job, note error) {
	o := &j.out
	name := spool.NewBuffer(s.dir, bufferMem)
	if f := o.file; f != nil {
		if err := f.Close(); err != nil {
			s.fail.set(fmt.Errorf("--files: %w", err))
		}
		path := f.Name()
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		fmt.Fprintln(name, path)
		o.file = nil
	}
	o.bufs[0] = name
	s.blockSink.finish(j, note)
}

func (s *filesSink) print(j *job) error {
	if err := s.fail.get(); err != nil {
		j.out.release()
		return err
	}
	return s.blockSink.print(j)
}

// firstError keeps the first error of a sink's jobs, for its next print
// (a job waiting in map mode keeps only what printing needs). It is safe
// for concurrent use.
type firstError struct {
	mu  sync.Mutex
	err error
}

func (f *firstError) set(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = err
	}
}

func (f *firstError) get() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// cmpDir is dir, or the default temp directory for "".
func cmpDir(dir string) string {
	if dir == "" {
		return os.TempDir()
	}
	return dir
}

// resultsSink saves each job's output in files (--results DIR, or a
// template): stdout, stderr and seq in the job's directory, or NAME,
// NAME.err and NAME.seq. Nothing goes to stdout, as in GNU parallel.
type resultsSink struct {
	spec *resultsSpec
	err  io.Writer
	term terminal
	fail firstError // a file that could not be made or written
}

func (s *resultsSink) open(j *job) (io.Writer, io.Writer) {
	o := &j.out
	if o.results != nil {
		return o.results[0], o.results[1]
	}
	paths := s.spec.paths(j)
	if err := os.MkdirAll(filepath.Dir(paths[0]), 0o777); err != nil {
		s.fail.set(fmt.Errorf("--results: %w", err))
		return io.Discard, io.Discard
	}
	var files [2]*os.File
	for i := range files {
		f, err := os.Create(paths[i])
		if err != nil {
			s.fail.set(fmt.Errorf("--results: %w", err))
			closeFiles(files[:])
			return io.Discard, io.Discard
		}
		files[i] = f
	}
	o.results = &files
	return files[0], files[1]
}

func closeFiles(fs []*os.File) {
	for _, f := range fs {
		if f != nil {
			f.Close()
		}
	}
}

// retry empties the files for the next attempt.
func (s *resultsSink) retry(j *job) {
	if r := j.out.results; r != nil {
		for _, f := range r {
			_ = f.Truncate(0)
			_, _ = f.Seek(0, io.SeekStart)
		}
	}
}

func (s *resultsSink) finish(j *job, note error) {
	o := &j.out
	if note != nil {
		o.note = noteLine(j.seq, note)
	}
	if o.results == nil {
		return
	}
	for _, f := range o.results {
		if err := f.Close(); err != nil {
			s.fail.set(fmt.Errorf("--results: %w", err))
		}
	}
	o.results = nil
	seq := s.spec.paths(j)[2]
	if err := os.WriteFile(seq, []byte(fmt.Sprint(j.seq)), 0o666); err != nil {
		s.fail.set(fmt.Errorf("--results: %w", err))
	}
}

func (s *resultsSink) close() {}

func (s *resultsSink) print(j *job) error {
	if err := s.fail.get(); err != nil {
		return err
	}
	if j.out.note == "" {
		return nil
	}
	return s.term.around(true, func() error {
		_, err := io.WriteString(s.err, j.out.note)
		return err
	})
}

// tableSink writes one row per job, with its output, to a CSV, TSV or JSON
// file (--results NAME.csv, .tsv, .json; -.csv is stdout), in output order.
type tableSink struct {
	*blockSink
	spec   *resultsSpec
	exp    expander
	stdout io.Writer

	w      io.Writer // the table, once opened
	f      *os.File  // the file to close; nil for stdout
	header bool      // the header row is written
	err    error
}

func (s *tableSink) print(j *job) error {
	defer j.out.release()
	if s.err != nil {
		return s.err
	}
	if s.w == nil {
		if s.spec.table == "-" {
			s.w = s.stdout
		} else {
			f, err := os.Create(s.spec.table)
			if err != nil {
				s.err = fmt.Errorf("--results: %w", err)
				return s.err
			}
			s.f, s.w = f, f
		}
	}
	row, err := s.spec.row(j, s.exp.command(j.args, j.seq, j.slot, j.argv), !s.header)
	if err != nil {
		s.err = fmt.Errorf("--results: %w", err)
		return s.err
	}
	s.header = true
	if _, err := io.WriteString(s.w, row); err != nil {
		s.err = err
		return err
	}
	return nil
}

func (s *tableSink) close() {
	if s.f != nil {
		s.f.Close()
	}
	s.blockSink.close()
}

// contentString reads all of c, "" for nil.
func contentString(c spool.Content) (string, error) {
	if c == nil {
		return "", nil
	}
	var b strings.Builder
	_, err := io.Copy(&b, c.Reader())
	return b.String(), err
}
