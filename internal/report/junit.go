package report

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/gopool/gopool/output/spool"
)

// DefaultOutputLimit is the default of JUnitOptions.OutputLimit
// (--junit-output-limit): 64 KiB of each stream of each job.
const DefaultOutputLimit = 64 << 10

// MaxOutputLimit bounds JUnitOptions.OutputLimit: what is kept of a job's
// two streams is held in memory while its case is written (about three
// times the limit at most).
const MaxOutputLimit = 64 << 20

// The <failure> or <error> element of a job repeats the end of its output
// (stderr's, or stdout's when stderr is empty), at most failureLines lines
// and failureBytes bytes: some CI systems (GitLab) show only that element.
const (
	failureLines = 20
	failureBytes = 4 << 10
)

// spoolMem is how much of the written cases stays in memory before the
// rest goes to the spool's temporary file.
const spoolMem = 256 << 10

var (
	errFinished = errors.New("junit report: already finished")
	errClosed   = errors.New("junit report: closed")
)

// JUnitOptions says how a JUnit report is written.
type JUnitOptions struct {
	// OutputLimit is how many bytes of each of a job's stdout and stderr
	// the report keeps (--junit-output-limit); 0 keeps none. Longer output
	// keeps its first and last OutputLimit/2 bytes with a note between
	// them. Pass DefaultOutputLimit for the default; at most
	// MaxOutputLimit.
	OutputLimit int64
	// Name is the testsuite's name; empty means "gopool".
	Name string
	// Hostname is the testsuite's hostname; empty means os.Hostname().
	Hostname string
	// TempDir is where the cases wait for Finish, in an unlinked file;
	// empty means os.TempDir().
	TempDir string
	// Start is when the run started: the testsuite's timestamp, and the
	// start of its time. Zero means when NewJUnit is called.
	Start time.Time
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// JUnit writes a JUnit XML report: one <testsuites> holding one
// <testsuite> with one <testcase> per job, in the order of Add.
//
// A case is written to a private temporary file as soon as it is added
// (unlinked at once, as spool.Buffer does), so memory does not grow with
// the number of jobs. Finish writes the report: a temporary file in the
// destination's directory, synced and renamed over the destination, so the
// destination is always either absent, its previous content, or a whole
// report. A run that ends early (Ctrl-C, SIGTERM, --halt) calls Finish
// too and gets a whole report of the jobs added so far.
//
// A job's testcase: name is Job.Name (or "job SEQ"), classname
// Job.Template (or "gopool"), time its duration in seconds. By Job.Status:
//   - Failed: <failure type="exit|signal|timeout|start" message="exit
//     code 2"> whose text repeats the message and the last lines of
//     stderr (or of stdout when stderr is empty).
//   - Stopped (gopool stopped it while it ran): <error type="stopped"
//     message="stopped by gopool (SIGINT)">, text as for a failure. An
//     error, not a skip: the job ran, and has no result.
//   - NotStarted (the run stopped first): <skipped message="not started
//     (SIGINT)"/>.
//
// Then <system-out> and <system-err>, omitted when empty, each with at
// most OutputLimit bytes of the stream, escaped whatever the bytes (the
// control characters that XML 1.0 forbids as the text \xNN, bytes that are
// not UTF-8 as U+FFFD, CR as &#xD;), with a line
// "[gopool: N of M bytes cut here (--junit-output-limit L)]" where the
// middle was cut. The testsuite has tests, failures, errors, skipped,
// time (wall time of the run in seconds), timestamp (UTC, ISO 8601
// without a zone, as the JUnit schema wants) and hostname.
//
// Add, Finish and Close may be called from any goroutine; they take turns.
// Close releases the temporary file without writing the report (defer it
// after NewJUnit; after Finish it does nothing).
type JUnit struct {
	mu    sync.Mutex
	path  string
	opt   JUnitOptions
	cases *spool.Buffer // the cases written so far
	bw    *bufio.Writer // writes to cases

	out, errs clipper

	tests, failures, errors, skipped int

	state state
	err   error // the first failure of the spool
}

// state is where a JUnit is in its life.
type state int

const (
	open     state = iota
	finished       // Finish was called
	closed         // Close was called first
)

// NewJUnit returns a JUnit report that Finish writes to path. It checks
// at once that the report can be written there: path is not a directory
// or a device, and its directory takes new files.
func NewJUnit(path string, opt JUnitOptions) (*JUnit, error) {
	if path == "" {
		return nil, errors.New("junit report: empty file name")
	}
	if opt.OutputLimit < 0 || opt.OutputLimit > MaxOutputLimit {
		return nil, fmt.Errorf("junit report %s: output limit %s out of range 0 to %s",
			path, FormatSize(opt.OutputLimit), FormatSize(MaxOutputLimit))
	}
	if err := checkDest(path); err != nil {
		return nil, fmt.Errorf("junit report %s: %w", path, err)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Start.IsZero() {
		opt.Start = opt.Now()
	}
	if opt.Name == "" {
		opt.Name = "gopool"
	}
	if opt.Hostname == "" {
		h, err := os.Hostname()
		if err != nil {
			h = "localhost"
		}
		opt.Hostname = h
	}
	cases := spool.NewBuffer(opt.TempDir, spoolMem)
	return &JUnit{path: path, opt: opt, cases: cases, bw: bufio.NewWriterSize(cases, 64<<10)}, nil
}

// checkDest checks that a report can replace path.
func checkDest(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return errors.New("is a directory")
	case err == nil && !fi.Mode().IsRegular():
		return errors.New("not a regular file (the report is written to a temporary file and renamed)")
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	dest, err := resolve(path)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(dest), tempPattern(dest))
	if err != nil {
		return err
	}
	return errors.Join(f.Close(), os.Remove(f.Name()))
}

// resolve follows path when it is a symbolic link, so that the report
// replaces the link's target, not the link.
func resolve(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	return filepath.EvalSymlinks(path)
}

func tempPattern(dest string) string { return "." + filepath.Base(dest) + ".*.tmp" }

// Add writes j's testcase, reading j.Stdout and j.Stderr to their end.
// It returns an error only when the report can no longer be written (the
// temporary file failed: a full disk); Finish then returns that error too.
// A read error of a job's stream is noted in the stream's element instead.
func (w *JUnit) Add(j *Job) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	if w.err != nil {
		return w.err
	}
	limit := w.opt.OutputLimit
	out := w.out.read(j.Stdout, limit)
	errs := w.errs.read(j.Stderr, limit)
	status := j.Status()
	w.tests++
	switch status {
	case Failed:
		w.failures++
	case Stopped:
		w.errors++
	case NotStarted:
		w.skipped++
	}

	bw := w.bw
	bw.WriteString(`    <testcase name="`)
	writeXMLString(bw, j.title(), true)
	bw.WriteString(`" classname="`)
	tmpl := j.Template
	if tmpl == "" {
		tmpl = "gopool"
	}
	writeXMLString(bw, tmpl, true)
	bw.WriteString(`" time="`)
	bw.WriteString(seconds(j.Duration))
	bw.WriteByte('"')
	if status == Passed && !out.has() && !errs.has() {
		bw.WriteString("/>\n")
		return w.check()
	}
	bw.WriteByte('>')
	switch status {
	case Failed:
		w.outcome("failure", failureType(j), j, out, errs)
	case Stopped:
		w.outcome("error", "stopped", j, out, errs)
	case NotStarted:
		bw.WriteString("\n      <skipped message=\"")
		writeXMLString(bw, j.Result(), true)
		bw.WriteString(`"/>`)
	}
	w.stream("system-out", "stdout", out)
	w.stream("system-err", "stderr", errs)
	bw.WriteString("\n    </testcase>\n")
	return w.check()
}

// check records and returns the spool's first write error.
func (w *JUnit) check() error {
	if _, err := w.bw.Write(nil); err != nil {
		w.err = fmt.Errorf("junit report %s: %w", w.path, err)
	}
	return w.err
}

// outcome writes <failure> or <error>: the message, and as text the
// message again and the last lines of stderr (or stdout).
func (w *JUnit) outcome(elem, typ string, j *Job, out, errs clipped) {
	bw := w.bw
	msg := j.Result()
	bw.WriteString("\n      <" + elem + ` type="` + typ + `" message="`)
	writeXMLString(bw, msg, true)
	bw.WriteString(`">`)
	writeXMLString(bw, msg, false)
	src, name := errs, "stderr"
	if len(errs.end()) == 0 {
		src, name = out, "stdout"
	}
	if tail := lastLines(src.end(), failureLines, failureBytes); len(tail) > 0 {
		bw.WriteString("\nlast lines of " + name + ":\n")
		writeXML(bw, tail, false)
	}
	bw.WriteString("</" + elem + ">")
}

// stream writes <system-out> or <system-err> when there is anything.
func (w *JUnit) stream(elem, name string, c clipped) {
	if !c.has() {
		return
	}
	bw := w.bw
	bw.WriteString("\n      <" + elem + ">")
	writeXML(bw, c.head, false)
	if c.cut {
		fmt.Fprintf(bw, "\n[gopool: %d of %d bytes cut here (--junit-output-limit %s)]\n",
			c.total-c.kept(), c.total, FormatSize(w.opt.OutputLimit))
		writeXML(bw, c.tail, false)
	}
	if c.err != nil {
		bw.WriteString("\n[gopool: could not read the rest of " + name + ": ")
		writeXMLString(bw, c.err.Error(), false)
		bw.WriteString("]\n")
	}
	bw.WriteString("</" + elem + ">")
}

// has reports whether c has anything to show.
func (c clipped) has() bool { return c.kept() > 0 || c.err != nil }

func failureType(j *Job) string {
	switch {
	case j.TimedOut:
		return "timeout"
	case j.StartErr != "":
		return "start"
	case j.Signal != 0:
		return "signal"
	}
	return "exit"
}

// seconds formats d in seconds with millisecond precision ("1.250").
func seconds(d time.Duration) string {
	return strconv.FormatFloat(max(d, 0).Seconds(), 'f', 3, 64)
}

// Finish writes the report with the cases added so far and releases the
// temporary file. It can be called once; Add fails after it. On error the
// destination is left as it was and no temporary file remains.
func (w *JUnit) Finish() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	w.state = finished
	err := w.err
	if err == nil {
		if err = w.write(); err != nil {
			err = fmt.Errorf("junit report %s: %w", w.path, err)
		}
	}
	if rerr := w.release(); rerr != nil && err == nil {
		err = fmt.Errorf("junit report %s: %w", w.path, rerr)
	}
	return err
}

// usable says why w can no longer be used, if it cannot.
func (w *JUnit) usable() error {
	switch w.state {
	case finished:
		return errFinished
	case closed:
		return errClosed
	}
	return nil
}

// Close releases the temporary file without writing the report; after
// Finish it does nothing.
func (w *JUnit) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.state != open {
		return nil
	}
	w.state = closed
	return w.release()
}

func (w *JUnit) release() error {
	if w.cases == nil {
		return nil
	}
	err := w.cases.Close()
	w.cases, w.bw = nil, nil
	return err
}

// write writes the report atomically.
func (w *JUnit) write() (err error) {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	dest, err := resolve(w.path)
	if err != nil {
		return err
	}
	perm := fs.FileMode(0o644)
	if fi, err := os.Stat(dest); err == nil {
		if !fi.Mode().IsRegular() {
			return errors.New("not a regular file")
		}
		perm = fi.Mode().Perm()
	}
	dir := filepath.Dir(dest)
	f, err := os.CreateTemp(dir, tempPattern(dest))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	fw := bufio.NewWriter(f)
	w.header(fw)
	if err := fw.Flush(); err != nil {
		return err
	}
	// The spool goes to the file with copy_file_range when it spilled.
	if _, err := w.cases.WriteTo(f); err != nil {
		return err
	}
	fw.WriteString("  </testsuite>\n</testsuites>\n")
	if err := fw.Flush(); err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), dest); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// header writes the XML declaration and the opening tags.
func (w *JUnit) header(bw *bufio.Writer) {
	wall := seconds(w.opt.Now().Sub(w.opt.Start))
	counts := func() {
		fmt.Fprintf(bw, ` tests="%d" failures="%d" errors="%d" skipped="%d" time="%s"`,
			w.tests, w.failures, w.errors, w.skipped, wall)
	}
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	bw.WriteString(`<testsuites name="`)
	writeXMLString(bw, w.opt.Name, true)
	bw.WriteByte('"')
	counts()
	bw.WriteString(">\n  <testsuite name=\"")
	writeXMLString(bw, w.opt.Name, true)
	bw.WriteByte('"')
	counts()
	bw.WriteString(` timestamp="` + w.opt.Start.UTC().Format("2006-01-02T15:04:05") + `" hostname="`)
	writeXMLString(bw, w.opt.Hostname, true)
	bw.WriteString("\">\n")
}
