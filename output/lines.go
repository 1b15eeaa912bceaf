package output

import (
	"bytes"
	"errors"
	"io"
	"sync"
)

var errLineWriterClosed = errors.New("output: write to a closed line writer")

// LineWriter is a job's live stream for --line-buffer: complete lines are
// written to the shared destination at once, each in one piece (with the
// tag when set); a last partial line is written by Close.
//
// The complete lines of one Write go out in a single Write of the
// destination. A partial line is held in memory until its newline comes,
// however long it is: a line is never cut.
type LineWriter struct {
	l      *Lines
	tag    string
	tagged bool
	part   []byte // the start of a line whose newline has not come yet
	buf    []byte // assembles tagged lines; reused
	closed bool
}

// Lines is the shared destination of LineWriters; it serialises their
// writes with a mutex. Safe for concurrent use.
type Lines struct {
	mu sync.Mutex
	w  io.Writer
}

// NewLines returns a destination writing to w.
func NewLines(w io.Writer) *Lines { return &Lines{w: w} }

// Writer returns a LineWriter for one job's stream. When tagged is set,
// each line is prefixed with tag and a TAB (even when tag is empty).
func (l *Lines) Writer(tag string, tagged bool) *LineWriter {
	return &LineWriter{l: l, tag: tag, tagged: tagged}
}

// write writes p in one call under the mutex.
func (l *Lines) write(p []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.w.Write(p)
	return err
}

// Write implements io.Writer.
func (w *LineWriter) Write(p []byte) (int, error) {
	if w.closed {
		return 0, errLineWriterClosed
	}
	last := bytes.LastIndexByte(p, '\n')
	if last < 0 {
		w.part = append(w.part, p...)
		return len(p), nil
	}
	lines, rest := p[:last+1], p[last+1:]
	out := lines
	if w.tagged || len(w.part) > 0 {
		out = w.assemble(lines)
	}
	if err := w.l.write(out); err != nil {
		return 0, err
	}
	w.part = append(w.part[:0], rest...)
	return len(p), nil
}

// assemble returns the held partial line and lines, tagged when set, in
// w.buf.
func (w *LineWriter) assemble(lines []byte) []byte {
	b := w.buf[:0]
	if !w.tagged {
		b = append(append(b, w.part...), lines...)
		w.buf = b
		return b
	}
	first := true
	for len(lines) > 0 {
		i := bytes.IndexByte(lines, '\n')
		b = append(b, w.tag...)
		b = append(b, '\t')
		if first {
			b = append(b, w.part...)
			first = false
		}
		b = append(b, lines[:i+1]...)
		lines = lines[i+1:]
	}
	w.buf = b
	return b
}

// Close flushes a last partial line.
func (w *LineWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	var err error
	if len(w.part) > 0 {
		out := w.part
		if w.tagged {
			out = append(append(append(w.buf[:0], w.tag...), '\t'), w.part...)
		}
		err = w.l.write(out)
	}
	w.part, w.buf = nil, nil
	return err
}
