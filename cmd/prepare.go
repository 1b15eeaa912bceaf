package cmd

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/gopool/gopool/internal/input"
)

// records are the records a source turns into jobs: the input stream, or
// the records read ahead when the number of jobs must be known first.
type records interface {
	Next() (input.Record, error)
}

// readAhead holds every record of a stream, read before the first job.
type readAhead struct {
	recs []input.Record
	err  error // the read error after the last record, or io.EOF
}

func (r *readAhead) Next() (input.Record, error) {
	if len(r.recs) == 0 {
		return input.Record{}, r.err
	}
	rec := r.recs[0]
	r.recs[0] = input.Record{}
	r.recs = r.recs[1:]
	return rec, nil
}

// prepare finishes the settings with what only the input can tell, before
// the first job: the column names of --header ({name} in the template,
// --tagstring and --results) and the number of jobs ({##}, {0#}, --halt
// N%), for which every record is read first, as GNU parallel does. It
// returns the number of jobs, -1 when it is not known; src then reads the
// records read ahead. A read error is returned.
func prepare(set *settings, stream *input.Stream, src *source) (int64, error) {
	if set.input.Header {
		names, err := stream.Header()
		if err != nil {
			return -1, err
		}
		if set.tmplOpt.Columns == nil {
			set.tmplOpt.Columns = input.Columns(names)
		}
		if set.results != nil {
			set.results.names = names
		}
		if err := set.parseAgain(); err != nil {
			return -1, err
		}
	}
	if !set.needTotal {
		return -1, nil
	}
	ahead := &readAhead{}
	var total int64
	for {
		rec, err := stream.Next()
		if err != nil {
			ahead.err = err
			break
		}
		if !src.commands || !blank(rec.Args) {
			total++
		}
		ahead.recs = append(ahead.recs, rec)
	}
	if !errors.Is(ahead.err, io.EOF) {
		return -1, ahead.err
	}
	src.stream = ahead
	set.tmplOpt.Total = total
	if err := set.parseAgain(); err != nil {
		return -1, err
	}
	return total, nil
}

// parseAgain parses the template, --tagstring and a --results template
// again with the template options, once the input has told them more.
func (s *settings) parseAgain() error {
	var err error
	if s.tmpl != nil {
		if s.tmpl, err = s.tmpl.Reparse(s.tmplOpt); err != nil {
			return fmt.Errorf("bad template: %w", err)
		}
	}
	if s.tagString != nil {
		if s.tagString, err = s.tagString.Reparse(s.tmplOpt); err != nil {
			return fmt.Errorf("bad --tagstring: %w", err)
		}
	}
	if r := s.results; r != nil && r.name != nil {
		if r.name, err = r.name.Reparse(s.tmplOpt); err != nil {
			return fmt.Errorf("bad --results: %w", err)
		}
	}
	return nil
}

// emptyWarning is the line gopool prints when some input sources are
// empty, "" when none is or there is only one source: an empty source
// among others stands for one empty value, as in GNU parallel; when all
// are empty nothing runs.
func emptyWarning(sources []input.SourceSpec, empty []int) string {
	if len(empty) == 0 || len(sources) < 2 {
		return ""
	}
	var names []string
	for _, i := range empty {
		switch {
		case i >= len(sources):
		case sources[i].IsValues:
			names = append(names, fmt.Sprintf("::: group %d", i+1))
		case sources[i].Path == "-":
			names = append(names, "stdin")
		default:
			names = append(names, sources[i].Path)
		}
	}
	what := "it stands for one empty value"
	if len(empty) > 1 {
		what = "each stands for one empty value"
	}
	if len(empty) == len(sources) {
		what = "no job runs"
	}
	return fmt.Sprintf("gopool: warning: empty input: %s (%s)", strings.Join(names, ", "), what)
}

// echoer prints each command on stderr before it runs (-t, -v), one line
// at a time, clear of the progress bar.
type echoer struct {
	mu   sync.Mutex
	w    io.Writer
	term terminal
}

// newEchoer returns the echoer of set, nil without -t or -v.
func newEchoer(set *settings, streams *Streams, bar *progress) *echoer {
	if !set.verbose || set.dryRun {
		return nil
	}
	return &echoer{w: streams.Err, term: terminal{bar: bar, outTTY: streams.OutTTY}}
}

// show prints one command line.
func (e *echoer) show(line string) {
	if e == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_ = e.term.around(true, func() error {
		_, err := io.WriteString(e.w, line+"\n")
		return err
	})
}

// prepareSource prepares the run (prepare) and gives src what the settings
// ask of it: the template parsed again, the budget of -X, and the warning
// about empty input sources once the first record is read. It returns the
// number of jobs, -1 when it is not known ahead.
func prepareSource(set *settings, stream *input.Stream, src *source, stderr io.Writer) (int64, error) {
	total, err := prepare(set, stream, src)
	if err != nil {
		return -1, err
	}
	src.exp = set.expander()
	src.batch, src.stopLong = set.batch, set.exitLong
	src.first = func() {
		if w := emptyWarning(set.input.Sources, stream.Empty()); w != "" {
			fmt.Fprintln(stderr, w)
		}
	}
	return total, nil
}
