package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gopool/gopool/runner"
)

// fakeRun is what a fake job does: print, then wait until release is
// closed (when it is not nil) or the job is stopped, then exit.
type fakeRun struct {
	stdout, stderr string
	exit           int
	release        <-chan struct{}
	notFound       bool // the job cannot start
}

// fakeLauncher runs jobs with no process: behave says what each does,
// from the job's argv and its attempt number (1 for the first). It records
// the order in which jobs start and end.
type fakeLauncher struct {
	behave func(argv []string, attempt int) fakeRun

	mu        sync.Mutex
	attempts  map[string]int
	started   []string // the name (last argument) of each start
	ended     []string // the name of each job that ended
	endedCh   map[string]chan struct{}
	startedCh map[string]chan struct{}
}

func newFake(behave func(argv []string, attempt int) fakeRun) *fakeLauncher {
	return &fakeLauncher{behave: behave, attempts: map[string]int{},
		endedCh: map[string]chan struct{}{}, startedCh: map[string]chan struct{}{}}
}

// startOf returns a channel closed once the job named name started.
func (f *fakeLauncher) startOf(name string) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return chanOf(f.startedCh, name)
}

// chanOf returns the channel of name in m, made if needed.
func chanOf(m map[string]chan struct{}, name string) chan struct{} {
	c, ok := m[name]
	if !ok {
		c = make(chan struct{})
		m[name] = c
	}
	return c
}

// endOf returns a channel closed once the job named name (its last
// argument) ended.
func (f *fakeLauncher) endOf(name string) <-chan struct{} { return f.endCh(name) }

func (f *fakeLauncher) endCh(name string) chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return chanOf(f.endedCh, name)
}

func (f *fakeLauncher) start(ctx context.Context, spec runner.Spec) (process, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("not started: %w", err)
	}
	name := spec.Argv[len(spec.Argv)-1]
	f.mu.Lock()
	f.attempts[name]++
	attempt := f.attempts[name]
	f.started = append(f.started, name)
	if c := chanOf(f.startedCh, name); attempt == 1 {
		close(c)
	}
	f.mu.Unlock()
	run := f.behave(spec.Argv, attempt)
	if run.notFound {
		return nil, fmt.Errorf("%q: command not found: %w", spec.Argv[0], exec.ErrNotFound)
	}
	p := &fakeProc{done: make(chan struct{}), kill: make(chan struct{})}
	end := f.endCh(name)
	go func() {
		defer close(p.done)
		io.WriteString(spec.Stdout, run.stdout)
		io.WriteString(spec.Stderr, run.stderr)
		p.res = runner.Result{ExitCode: run.exit, Start: time.Now()}
		if run.release != nil {
			select {
			case <-run.release:
			case <-ctx.Done():
				p.res = runner.Result{ExitCode: -1, Signal: syscall.SIGTERM, Stopped: true}
			case <-p.kill:
				p.res = runner.Result{ExitCode: -1, Signal: syscall.SIGKILL, Stopped: true}
			}
		}
		f.mu.Lock()
		f.ended = append(f.ended, name)
		f.mu.Unlock()
		select {
		case <-end:
		default:
			close(end)
		}
	}()
	return p, nil
}

type fakeProc struct {
	done     chan struct{}
	kill     chan struct{}
	killOnce sync.Once
	res      runner.Result
}

func (p *fakeProc) Signal(syscall.Signal) error { return nil }
func (p *fakeProc) Kill()                       { p.killOnce.Do(func() { close(p.kill) }) }
func (p *fakeProc) Wait() runner.Result         { <-p.done; return p.res }

// runFake runs the command line args of m with the fake launcher and
// returns stdout, stderr and the exit code.
func runFake(t *testing.T, m mode, f *fakeLauncher, args ...string) (string, string, ExitCode) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runFakeTo(t, m, f, &stdout, &stderr, args...)
	return stdout.String(), stderr.String(), code
}

// runFakeTo is runFake with gopool's stdout and stderr going to the given
// writers.
func runFakeTo(t *testing.T, m mode, f *fakeLauncher, stdout, stderr io.Writer, args ...string) ExitCode {
	t.Helper()
	set, err := parseRun(t, m, args...)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- runJobs(context.Background(), &Streams{In: strings.NewReader(""), Out: stdout, Err: stderr}, set, f)
	}()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the run did not end within 20s")
	}
	return exitCodeOf(err)
}

// lineWatcher is gopool's stdout in a test: it keeps what is printed and
// closes printed(line) once that line was printed.
type lineWatcher struct {
	mu    sync.Mutex
	b     strings.Builder
	lines map[string]chan struct{}
}

func newLineWatcher() *lineWatcher { return &lineWatcher{lines: map[string]chan struct{}{}} }

func (w *lineWatcher) ch(line string) chan struct{} {
	c, ok := w.lines[line]
	if !ok {
		c = make(chan struct{})
		w.lines[line] = c
	}
	return c
}

// printed returns a channel closed once line (without its newline) was
// printed.
func (w *lineWatcher) printed(line string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ch(line)
}

func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	for _, l := range strings.Split(strings.TrimSuffix(string(p), "\n"), "\n") {
		c := w.ch(l)
		select {
		case <-c:
		default:
			close(c)
		}
	}
	return len(p), nil
}

func (w *lineWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestOrchestrationOrder checks map's input order and submit's completion
// order with jobs that finish in reverse. In map, job i ends once job i+1
// has ended; in submit, once job i+1 has been printed.
func TestOrchestrationOrder(t *testing.T) {
	names := []string{"1", "2", "3", "4", "5"}
	tests := []struct {
		mode mode
		want string
	}{
		{modeMap, "out 1\nout 2\nout 3\nout 4\nout 5\n"},
		{modeSubmit, "out 5\nout 4\nout 3\nout 2\nout 1\n"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.mode), func(t *testing.T) {
			stdout := newLineWatcher()
			var f *fakeLauncher
			f = newFake(func(argv []string, _ int) fakeRun {
				name := argv[len(argv)-1]
				i := slices.Index(names, name)
				r := fakeRun{stdout: "out " + name + "\n"}
				switch {
				case i+1 == len(names):
				case tt.mode == modeMap:
					r.release = f.endOf(names[i+1])
				default:
					r.release = stdout.printed("out " + names[i+1])
				}
				return r
			})
			var stderr bytes.Buffer
			code := runFakeTo(t, tt.mode, f, stdout, &stderr, append([]string{"-j", "5", "--", "job", ":::"}, names...)...)
			if got := stdout.String(); got != tt.want || stderr.Len() != 0 || code != ExitOK {
				t.Errorf("got stdout %q stderr %q exit %d, want %q, nothing, 0", got, stderr.String(), code, tt.want)
			}
			if want := []string{"5", "4", "3", "2", "1"}; !slices.Equal(f.ended, want) {
				t.Errorf("got jobs ending in order %v, want %v", f.ended, want)
			}
		})
	}
}

// TestOrchestrationHaltNow checks --halt now,fail=1: job 2 fails once job
// 1 runs; job 1 is stopped, job 3 never starts, and the exit code is job
// 2's.
func TestOrchestrationHaltNow(t *testing.T) {
	never := make(chan struct{})
	var f *fakeLauncher
	f = newFake(func(argv []string, _ int) fakeRun {
		switch argv[len(argv)-1] {
		case "1":
			return fakeRun{stdout: "one\n", release: never}
		case "2":
			return fakeRun{stderr: "two failed\n", exit: 4, release: f.startOf("1")}
		}
		return fakeRun{stdout: "three\n"}
	})
	stdout, stderr, code := runFake(t, modeMap, f, "-j", "2", "--halt", "now,fail=1", "--", "job", ":::", "1", "2", "3")
	if code != 4 {
		t.Errorf("got exit %d, want 4", code)
	}
	if stdout != "one\n" {
		t.Errorf("got stdout %q, want job 1's output only", stdout)
	}
	wantErr := "two failed\ngopool: 1 of 2 jobs failed (1 stopped by --halt); first: job 2 job 2 exited 4; " +
		"halted (--halt now,fail=1) after job 2, no new jobs started\n"
	if stderr != wantErr {
		t.Errorf("got stderr %q, want %q", stderr, wantErr)
	}
	if slices.Contains(f.started, "3") {
		t.Errorf("got started %v, want job 3 never started", f.started)
	}
}

// TestOrchestrationRetries checks --retries 3: a job that fails twice is
// run a third time (three attempts in all, as in GNU parallel), only its
// last attempt's output is printed, and a start failure is retried like
// any failure.
func TestOrchestrationRetries(t *testing.T) {
	f := newFake(func(argv []string, attempt int) fakeRun {
		name := argv[len(argv)-1]
		switch {
		case name == "flaky" && attempt < 3:
			return fakeRun{stdout: fmt.Sprintf("attempt %d\n", attempt), exit: 1}
		case name == "flaky":
			return fakeRun{stdout: fmt.Sprintf("attempt %d\n", attempt)}
		case name == "missing":
			return fakeRun{notFound: true}
		}
		return fakeRun{stdout: "ok\n"}
	})
	stdout, stderr, code := runFake(t, modeMap, f, "-j", "1", "--retries", "3", "--", "job", ":::", "flaky", "missing", "fine")
	if stdout != "attempt 3\nok\n" {
		t.Errorf("got stdout %q, want the last attempt of flaky, then ok", stdout)
	}
	if !strings.Contains(stderr, "gopool: job 2: \"job\": command not found") || code != 1 {
		t.Errorf("got stderr %q exit %d, want job 2 not found and exit 1", stderr, code)
	}
	if got := f.attempts; got["flaky"] != 3 || got["missing"] != 3 || got["fine"] != 1 {
		t.Errorf("got attempts %v, want flaky 3, missing 3, fine 1", got)
	}
}

// TestOrchestrationFail checks that a failure of gopool's own (a write
// error of stdout) stops the run with exit 255 and the error, and that
// nothing new starts.
func TestOrchestrationFail(t *testing.T) {
	f := newFake(func(argv []string, _ int) fakeRun { return fakeRun{stdout: "x\n"} })
	set, err := parseRun(t, modeSubmit, "-j", "1", "--", "job", ":::", "1", "2", "3")
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	err = runJobs(context.Background(), &Streams{In: strings.NewReader(""), Out: failingWriter{}, Err: &stderr}, set, f)
	var e *ExitError
	if !errors.As(err, &e) || e.Code != ExitCannotRun || e.Err == nil || !strings.Contains(e.Err.Error(), "device full") {
		t.Errorf("got %v, want exit 255 with the write error", err)
	}
	if len(f.started) > 2 {
		t.Errorf("got %v started, want the run stopped after the first failed write", f.started)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("device full") }

// TestCleanups checks that a deferred run sees what is added after the
// defer, and undoes it last first.
func TestCleanups(t *testing.T) {
	var got []int
	func() {
		var undo cleanups
		defer undo.run()
		for i := range 3 {
			undo.add(func() { got = append(got, i) })
		}
	}()
	if want := []int{2, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
