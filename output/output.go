// Package output turns finished jobs into gopool's output: one block per
// job (stdout, then stderr), optional tags, JSON Lines, and live lines with
// LineBuffer. It knows nothing of processes or scheduling: it is handed
// finished jobs in the order they must be printed.
//
// Memory stays bounded however much jobs print: a Buffer keeps a small
// amount in memory and spills the rest to a private temporary file (mode
// 0600, unlinked at once, so nothing is left behind on any exit path, SIGKILL
// included). A Spill keeps the output of finished jobs that wait for an
// earlier one in a bounded number of open files.
package output

import (
	"io"
	"time"
)

// Buffer holds one stream of one job. Write may be called from one
// goroutine at a time; after the writer is done, the Buffer can be read any
// number of times. A Buffer must be closed to release its file.
type Buffer struct {
	// implementation defined
}

// NewBuffer returns a Buffer that keeps up to memLimit bytes in memory and
// spills to a temporary file in dir ("" means os.TempDir()) beyond that.
func NewBuffer(dir string, memLimit int) *Buffer {
	panic("output: not implemented")
}

// Write appends p. A failed spill (full disk) returns an error that says
// so ("spill to temp file: no space left on device"); the Buffer then
// reports that error from Err and from every read.
func (b *Buffer) Write(p []byte) (int, error) { panic("output: not implemented") }

// Len is the number of bytes written.
func (b *Buffer) Len() int64 { panic("output: not implemented") }

// Err is the first write error, if any.
func (b *Buffer) Err() error { panic("output: not implemented") }

// Reader returns a reader over the whole content, from the start.
func (b *Buffer) Reader() io.Reader { panic("output: not implemented") }

// WriteTo copies the whole content to w.
func (b *Buffer) WriteTo(w io.Writer) (int64, error) { panic("output: not implemented") }

// Close releases memory and the temporary file.
func (b *Buffer) Close() error { panic("output: not implemented") }

// Spill parks finished jobs' buffers that must wait for an earlier job, so
// that the number of open files stays bounded however far ahead the run
// gets. It is used from one goroutine.
type Spill struct {
	// implementation defined
}

// NewSpill returns a Spill that writes to one temporary file in dir and
// keeps at most memBudget bytes of small buffers in memory.
func NewSpill(dir string, memBudget int) *Spill { panic("output: not implemented") }

// Park moves b's content out of its own temporary file (which is closed)
// into the Spill's shared file, or keeps it in memory while the budget
// allows. b stays readable through Reader and WriteTo until closed.
func (s *Spill) Park(b *Buffer) error { panic("output: not implemented") }

// Close releases the Spill's file.
func (s *Spill) Close() error { panic("output: not implemented") }

// Job is a finished job as the Printer sees it.
type Job struct {
	Seq      int64
	Input    []string
	Argv     []string
	ExitCode int
	Signal   int
	TimedOut bool
	Start    time.Time
	Duration time.Duration
	Stdout   *Buffer
	Stderr   *Buffer
	// Tag prefixes each output line followed by a TAB when Config.Tag is
	// set (the caller expands --tagstring or joins the input).
	Tag string
}

// Config says how the Printer writes.
type Config struct {
	// Stdout and Stderr are gopool's own streams.
	Stdout, Stderr io.Writer
	// Tag prefixes every line of output with Job.Tag and a TAB.
	Tag bool
	// JSON writes one JSON object per job on Stdout instead of raw output:
	// {"seq","input","argv","exit_code","signal","timed_out","start"
	// (RFC 3339),"duration_s","stdout","stderr"}; output that is not valid
	// UTF-8 goes in "stdout_base64" / "stderr_base64" instead.
	JSON bool
}

// Printer writes finished jobs. Print is called from one goroutine at a
// time.
type Printer struct {
	// implementation defined
}

// NewPrinter returns a Printer.
func NewPrinter(cfg Config) *Printer { panic("output: not implemented") }

// Print writes one job: its stdout block to Config.Stdout, then its stderr
// block to Config.Stderr (or one JSON line). A write error (EPIPE when the
// reader went away, a read error of a spilled buffer) is returned; the
// caller stops the run.
func (p *Printer) Print(j *Job) error { panic("output: not implemented") }

// LineWriter is a job's live stream for --line-buffer: complete lines are
// written to the shared destination at once, each in one piece (with the
// tag when set); a last partial line is written by Close.
type LineWriter struct {
	// implementation defined
}

// Lines is the shared destination of LineWriters; it serialises their
// writes with a mutex. Safe for concurrent use.
type Lines struct {
	// implementation defined
}

// NewLines returns a destination writing to w.
func NewLines(w io.Writer) *Lines { panic("output: not implemented") }

// Writer returns a LineWriter for one job's stream, prefixing lines with
// tag+"\t" when tag is not empty... (tagged reports whether to prefix).
func (l *Lines) Writer(tag string, tagged bool) *LineWriter { panic("output: not implemented") }

// Write implements io.Writer.
func (w *LineWriter) Write(p []byte) (int, error) { panic("output: not implemented") }

// Close flushes a last partial line.
func (w *LineWriter) Close() error { panic("output: not implemented") }
