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
// up to MaxPartial bytes: past that the LineWriter takes the destination
// for itself, writes the line's start and streams the rest of the line as
// it comes, and gives the destination back at the newline (or Close). The
// other jobs' lines wait meanwhile, so memory stays bounded and a line is
// never cut.
type LineWriter struct {
	l       *Lines
	tag     string
	tagged  bool
	part    []byte // the start of a line whose newline has not come yet
	buf     []byte // assembles tagged lines; reused
	holding bool   // l.mu is held: a long line is being streamed
	closed  bool
}

// MaxPartial is how much of an unfinished line a LineWriter holds in
// memory before it streams the line.
const MaxPartial = 64 << 10

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
	if w.holding {
		return w.writeHeld(p)
	}
	last := bytes.LastIndexByte(p, '\n')
	if last < 0 {
		if len(w.part)+len(p) <= MaxPartial {
			w.part = append(w.part, p...)
			return len(p), nil
		}
		// A long line: take the destination and stream it.
		w.l.mu.Lock()
		w.holding = true
		start := w.part
		if w.tagged {
			start = append(append(append(w.buf[:0], w.tag...), '\t'), w.part...)
		}
		w.part = w.part[:0]
		if _, err := w.l.w.Write(start); err != nil {
			return 0, err
		}
		return w.writeHeld(p)
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

// writeHeld writes p while the LineWriter holds the destination: up to
// the end of the long line as it is, then the destination is given back
// and the rest goes the usual way.
func (w *LineWriter) writeHeld(p []byte) (int, error) {
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		return w.l.w.Write(p)
	}
	n, err := w.l.w.Write(p[:i+1])
	w.holding = false
	w.l.mu.Unlock()
	if err != nil {
		return n, err
	}
	m, err := w.Write(p[i+1:])
	return n + m, err
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
	if w.holding {
		w.holding = false
		w.l.mu.Unlock()
	}
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
