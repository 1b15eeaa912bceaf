package cmd

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	meter "github.com/gopool/gopool/internal/progress"
)

// progressMode is --progress.
type progressMode int

const (
	progressAuto   progressMode = iota // a bar when stderr is a terminal and stdout is not; plain lines in CI
	progressAlways                     // a bar, always, on stderr
	progressNever
	progressPlain // plain lines on stderr, every --progress-interval and at the end
)

func parseProgress(v string) (progressMode, error) {
	switch v {
	case "", "auto":
		return progressAuto, nil
	case "always", "true":
		return progressAlways, nil
	case "never", "false":
		return progressNever, nil
	case "plain":
		return progressPlain, nil
	}
	return 0, fmt.Errorf("bad --progress %q: want auto, always, plain or never", v)
}

// progressStyle is what the run shows: nothing, a bar or plain lines.
type progressStyle int

const (
	styleNone progressStyle = iota
	styleBar
	stylePlain
)

// style says what mode m shows on these streams.
func (m progressMode) style(s *Streams) progressStyle {
	switch m {
	case progressAlways:
		return styleBar
	case progressPlain:
		return stylePlain
	case progressAuto:
		switch {
		case s.ErrTTY && !s.OutTTY:
			return styleBar
		case s.CI && !s.ErrTTY:
			return stylePlain
		}
	}
	return styleNone
}

// progress shows the run's progress on stderr (see internal/progress):
// a bar, or plain lines for a log.
type progress struct {
	m *meter.Meter
	// plain: the lines go to a log, so all job output goes through
	// around and writer, not only what reaches the terminal.
	plain bool
}

// newProgress returns the progress the settings ask for on these
// streams, or nil for none.
func newProgress(s *Streams, set *settings) *progress {
	var opt meter.Options
	switch set.progress.style(s) {
	case styleNone:
		return nil
	case stylePlain:
		opt.Plain, opt.Interval = true, set.progressEvery
	case styleBar:
		if f, ok := s.Err.(*os.File); ok {
			opt.Width = func() int {
				w, _, err := term.GetSize(int(f.Fd()))
				if err != nil {
					return 0
				}
				return w
			}
		}
	}
	return &progress{m: meter.New(s.Err, opt), plain: opt.Plain}
}

// addTotal counts one more job read, unless the total was known ahead.
func (p *progress) addTotal() { p.m.AddTotal() }

// setTotal fixes the total when the input is counted ahead (::: values).
func (p *progress) setTotal(n int64) { p.m.SetTotal(n) }

// endInput says that the total is final.
func (p *progress) endInput() { p.m.EndInput() }

// jobDone counts a finished job.
func (p *progress) jobDone(failed bool) { p.m.JobDone(failed) }

// around runs print with the bar cleared, and redraws it after.
func (p *progress) around(print func() error) error { return p.m.Around(print) }

// writer returns w wrapped so that each write clears the bar first (for
// --line-buffer); the next tick redraws it.
func (p *progress) writer(w io.Writer) io.Writer { return p.m.Writer(w) }

// close stops the redraws and shows the final counts on their own line.
func (p *progress) close() { p.m.Close() }
