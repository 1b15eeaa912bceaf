//go:build unix

package runner

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// deadline bounds every wait of the tests; it is only reached when a test
// fails.
const deadline = 20 * time.Second

// self is the test binary, which acts as the child (see helper).
func self(t testing.TB) string {
	t.Helper()
	p, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// watchBuffer is a writer that can be waited on for some text.
type watchBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{}
}

func newWatchBuffer() *watchBuffer { return &watchBuffer{changed: make(chan struct{}, 1)} }

func (w *watchBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case w.changed <- struct{}{}:
	default:
	}
	return w.b.Write(p)
}

func (w *watchBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// waitFor waits until the buffer holds s.
func (w *watchBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	timeout := time.After(deadline)
	for !strings.Contains(w.String(), s) {
		select {
		case <-w.changed:
		case <-timeout:
			t.Fatalf("output %q: no %q after %v", w.String(), s, deadline)
		}
	}
}

// runAsync runs spec in a goroutine; the Result arrives on the channel.
func runAsync(ctx context.Context, spec Spec) <-chan Result {
	c := make(chan Result, 1)
	go func() { c <- Run(ctx, spec) }()
	return c
}

// startAsync starts spec and waits for it in a goroutine; the Result
// arrives on the channel.
func startAsync(t *testing.T, ctx context.Context, spec Spec) (*Process, <-chan Result) {
	t.Helper()
	p, err := Start(ctx, spec)
	if err != nil {
		t.Fatalf("got Start error %v, want none", err)
	}
	c := make(chan Result, 1)
	go func() { c <- p.Wait() }()
	return p, c
}

// await waits for the Result of runAsync.
func await(t *testing.T, c <-chan Result) Result {
	t.Helper()
	select {
	case res := <-c:
		return res
	case <-time.After(deadline):
		t.Fatalf("Run did not return after %v", deadline)
		return Result{}
	}
}

// readPidFile waits for name to appear and returns the pid in it.
func readPidFile(t *testing.T, name string) int {
	t.Helper()
	until := time.Now().Add(deadline)
	for interval := time.Millisecond; ; interval = min(2*interval, 50*time.Millisecond) {
		b, err := os.ReadFile(name)
		if err == nil {
			pid, err := strconv.Atoi(string(b))
			if err != nil {
				t.Fatalf("pid file %s: %v", name, err)
			}
			return pid
		}
		if time.Now().After(until) {
			t.Fatalf("no pid file %s after %v", name, deadline)
		}
		time.Sleep(interval)
	}
}

// pidOrResult waits for the pid file name or the result of Run, whichever
// comes first. When Run is done first, pid is what the file holds, 0 if
// there is none.
func pidOrResult(t *testing.T, name string, c <-chan Result) (pid int, res Result, done bool) {
	t.Helper()
	timeout := time.After(deadline)
	for interval := time.Millisecond; ; interval = min(2*interval, 50*time.Millisecond) {
		if _, err := os.Stat(name); err == nil {
			return readPidFile(t, name), Result{}, false
		}
		select {
		case res := <-c:
			if _, err := os.Stat(name); err == nil {
				pid = readPidFile(t, name)
			}
			return pid, res, true
		case <-timeout:
			t.Fatalf("no pid file %s after %v", name, deadline)
		case <-time.After(interval):
		}
	}
}

// processGone reports whether pid has exited: it does not exist any more
// or is a zombie that its new parent has not reaped yet.
func processGone(pid int) bool {
	if syscall.Kill(pid, 0) == syscall.ESRCH {
		return true
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return errors.Is(err, os.ErrNotExist) && syscall.Kill(pid, 0) == syscall.ESRCH
	}
	// pid (comm) state ...: comm may hold spaces, the state follows the
	// last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && (s[i+2] == 'Z' || s[i+2] == 'X')
}

// assertGone fails unless pid exits within the deadline (reaping by init
// takes a moment), and kills it so that a failing test leaves nothing.
func assertGone(t *testing.T, pid int) {
	t.Helper()
	until := time.Now().Add(deadline)
	for interval := time.Millisecond; !processGone(pid); interval = min(2*interval, 50*time.Millisecond) {
		if time.Now().After(until) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("process %d still alive after %v, want it gone", pid, deadline)
		}
		time.Sleep(interval)
	}
}

func TestRunExit(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantSig  syscall.Signal
	}{
		{"success", []string{"exit", "0"}, 0, 0},
		{"status 3", []string{"exit", "3"}, 3, 0},
		{"status 255", []string{"exit", "255"}, 255, 0},
		{"killed by SIGKILL", []string{"kill-self", "9"}, -1, syscall.SIGKILL},
		{"killed by SIGTERM", []string{"kill-self", "15"}, -1, syscall.SIGTERM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before := time.Now()
			res := Run(context.Background(), Spec{Argv: append([]string{self(t)}, tt.args...)})
			if res.ExitCode != tt.wantCode || res.Signal != tt.wantSig {
				t.Errorf("got exit %d signal %v, want exit %d signal %v", res.ExitCode, res.Signal, tt.wantCode, tt.wantSig)
			}
			if res.Err != nil || res.TimedOut || res.Stopped {
				t.Errorf("got Err %v TimedOut %v Stopped %v, want nil false false", res.Err, res.TimedOut, res.Stopped)
			}
			if res.Failed() != (tt.wantCode != 0) {
				t.Errorf("got Failed() %v, want %v", res.Failed(), tt.wantCode != 0)
			}
			if res.Start.Before(before) || res.Duration <= 0 {
				t.Errorf("got Start %v Duration %v, want Start after %v and Duration > 0", res.Start, res.Duration, before)
			}
		})
	}
}

func TestRunStartFailure(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	noExec := write("noexec", "#!/bin/sh\n", 0o644)
	badInterp := write("badinterp", "#!/gopool/no/such/interpreter\n", 0o755)
	huge := strings.Repeat("x", 200<<10)

	tests := []struct {
		name     string
		spec     Spec
		wantCode int
		wantErr  string
		wantIs   error
	}{
		{"empty argv", Spec{}, 127, "empty command", nil},
		{"not in PATH", Spec{Argv: []string{"gopool-no-such-command"}}, 127,
			`"gopool-no-such-command": command not found`, exec.ErrNotFound},
		{"missing path", Spec{Argv: []string{"./gopool-no-such-file"}, Dir: dir}, 127,
			`"./gopool-no-such-file": command not found`, os.ErrNotExist},
		{"missing resolved path", Spec{Argv: []string{"x"}, Path: filepath.Join(dir, "nope")}, 127,
			`"x": command not found`, os.ErrNotExist},
		{"not executable", Spec{Argv: []string{noExec}}, 126, "permission denied", os.ErrPermission},
		{"not executable, relative", Spec{Argv: []string{"./noexec"}, Dir: dir}, 126,
			`"./noexec": permission denied`, os.ErrPermission},
		{"not executable, resolved", Spec{Argv: []string{"noexec"}, Path: noExec}, 126,
			`"noexec": permission denied`, os.ErrPermission},
		{"directory", Spec{Argv: []string{dir}}, 126, "is a directory", syscall.EISDIR},
		{"directory, resolved", Spec{Argv: []string{"d"}, Path: dir}, 126, `"d": is a directory`, syscall.EISDIR},
		{"bad interpreter", Spec{Argv: []string{badInterp}}, 126, "bad interpreter", os.ErrNotExist},
		{"bad dir", Spec{Argv: []string{self(t), "exit", "0"}, Dir: filepath.Join(dir, "nodir")}, 126,
			"chdir", os.ErrNotExist},
		{"argument list too long", Spec{Argv: []string{self(t), "echo", huge}}, 126,
			"argument list too long (", syscall.E2BIG},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Start(context.Background(), tt.spec)
			started := p != nil
			res := StartFailed(err, time.Now())
			if res.ExitCode != tt.wantCode {
				t.Errorf("got exit %d, want %d", res.ExitCode, tt.wantCode)
			}
			if res.Err == nil || !strings.Contains(res.Err.Error(), tt.wantErr) {
				t.Errorf("got Err %v, want it to contain %q", res.Err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(res.Err, tt.wantIs) {
				t.Errorf("got Err %v, want errors.Is %v", res.Err, tt.wantIs)
			}
			if started || !res.Failed() {
				t.Errorf("got started %v Failed() %v, want false true", started, res.Failed())
			}
		})
	}
}

func TestRunArgumentListTooLongSize(t *testing.T) {
	env := []string{"A=1"}
	argv := []string{self(t), "echo", strings.Repeat("x", 200<<10)}
	res := Run(context.Background(), Spec{Argv: argv, Env: env})
	want := len(argv[0]) + 1 + len("echo") + 1 + 200<<10 + 1 + len("A=1") + 1
	if res.Err == nil || !strings.Contains(res.Err.Error(), "("+strconv.Itoa(want)+" bytes)") {
		t.Errorf("got Err %v, want it to give the size %d bytes", res.Err, want)
	}
}

func TestRunNotStarted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p, err := Start(ctx, Spec{Argv: []string{self(t), "exit", "0"}})
	started := p != nil
	res := StartFailed(err, time.Now())
	if started || !res.Stopped || res.ExitCode != -1 || !errors.Is(res.Err, context.Canceled) {
		t.Errorf("got started %v Stopped %v exit %d Err %v, want false true -1 context.Canceled",
			started, res.Stopped, res.ExitCode, res.Err)
	}
}

func TestRunIO(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name       string
		spec       Spec
		wantStdout string
		wantStderr string
	}{
		{"echo", Spec{Argv: []string{"echo", "a b", "c"}}, "a b\nc\n", ""},
		{"stdout and stderr", Spec{Argv: []string{"outerr"}}, "out1\nout2\n", "err1\n"},
		{"stdin", Spec{Argv: []string{"cat"}, Stdin: strings.NewReader("in\nput")}, "in\nput", ""},
		{"no stdin", Spec{Argv: []string{"cat"}}, "", ""},
		{"env", Spec{Argv: []string{"env", "GOPOOL_X"}, Env: []string{helperEnv + "=1", "GORACE=atexit_sleep_ms=0", "GOPOOL_X=42"}}, "42\n", ""},
		{"dir", Spec{Argv: []string{"pwd"}, Dir: dir}, dir + "\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			tt.spec.Argv = append([]string{self(t)}, tt.spec.Argv...)
			tt.spec.Stdout, tt.spec.Stderr = &stdout, &stderr
			res := Run(context.Background(), tt.spec)
			if res.Failed() {
				t.Fatalf("got %+v, want success", res)
			}
			if stdout.String() != tt.wantStdout || stderr.String() != tt.wantStderr {
				t.Errorf("got stdout %q stderr %q, want %q %q", stdout.String(), stderr.String(), tt.wantStdout, tt.wantStderr)
			}
		})
	}
}

func TestRunSharedOutput(t *testing.T) {
	var out bytes.Buffer
	res := Run(context.Background(), Spec{Argv: []string{self(t), "outerr"}, Stdout: &out, Stderr: &out})
	if res.Failed() || out.String() != "out1\nerr1\nout2\n" {
		t.Errorf("got %q (%+v), want %q in that order", out.String(), res, "out1\nerr1\nout2\n")
	}
}

func TestRunFileOutput(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res := Run(context.Background(), Spec{Argv: []string{self(t), "outerr"}, Stdout: f, Stderr: f})
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() || string(b) != "out1\nerr1\nout2\n" {
		t.Errorf("got %q (%+v), want %q", b, res, "out1\nerr1\nout2\n")
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRunWriteError(t *testing.T) {
	// The copy stops and the pipe closes: the child gets EPIPE or SIGPIPE
	// instead of blocking on a full pipe. Run must return.
	big := strings.Repeat("x", 100<<10)
	res := await(t, runAsync(context.Background(), Spec{Argv: []string{self(t), "echo", big}, Stdout: failWriter{}}))
	if res.Err != nil || res.Signal != syscall.SIGPIPE {
		t.Errorf("got Err %v signal %v, want nil (the writer keeps its own error) and SIGPIPE", res.Err, res.Signal)
	}
}

func TestStartPid(t *testing.T) {
	var out bytes.Buffer
	p, err := Start(context.Background(), Spec{Argv: []string{self(t), "ids"}, Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	got := p.Pid()
	res := p.Wait()
	want := strconv.Itoa(got) + " " + strconv.Itoa(got) + "\n"
	if res.Failed() || got <= 0 || out.String() != want {
		t.Errorf("got Pid() %d, child says pid pgid %q, want %q", got, out.String(), want)
	}
	if again := p.Wait(); again != res {
		t.Errorf("got a second Wait %+v, want the same Result %+v", again, res)
	}
	if err := p.Signal(syscall.SIGTERM); !errors.Is(err, os.ErrProcessDone) {
		t.Errorf("got Signal after Wait %v, want os.ErrProcessDone", err)
	}
}

func TestRunStop(t *testing.T) {
	fast := TermSeq{{syscall.SIGTERM, 100 * time.Millisecond}, {syscall.SIGKILL, 0}}
	tests := []struct {
		name      string
		mode      string
		timeout   time.Duration
		seq       TermSeq
		cancel    bool // cancel ctx once the child is ready
		kill      bool // Kill once the child is ready
		wantTO    bool
		wantSig   syscall.Signal
		minElapse time.Duration
	}{
		{name: "timeout", mode: "hang", timeout: 50 * time.Millisecond, wantTO: true, wantSig: syscall.SIGTERM, minElapse: 50 * time.Millisecond},
		{name: "cancel", mode: "hang", cancel: true, wantSig: syscall.SIGTERM},
		{name: "kill", mode: "hang", kill: true, wantSig: syscall.SIGKILL},
		{name: "cancel, TERM ignored", mode: "ignore-term", seq: fast, cancel: true, wantSig: syscall.SIGKILL, minElapse: 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			out := newWatchBuffer()
			begin := time.Now()
			p, c := startAsync(t, ctx, Spec{Argv: []string{self(t), tt.mode}, Stdout: out, Timeout: tt.timeout, TermSeq: tt.seq})
			if tt.cancel || tt.kill {
				out.waitFor(t, "ready")
				begin = time.Now()
			}
			if tt.cancel {
				cancel()
			}
			if tt.kill {
				p.Kill()
			}
			res := await(t, c)
			elapsed := time.Since(begin)
			if res.TimedOut != tt.wantTO || !res.Stopped || res.Signal != tt.wantSig || res.ExitCode != -1 {
				t.Errorf("got TimedOut %v Stopped %v signal %v exit %d, want %v true %v -1",
					res.TimedOut, res.Stopped, res.Signal, res.ExitCode, tt.wantTO, tt.wantSig)
			}
			if elapsed < tt.minElapse {
				t.Errorf("got Run returning after %v, want at least %v", elapsed, tt.minElapse)
			}
			if !res.Failed() {
				t.Errorf("got Failed() false, want true")
			}
		})
	}
}

func TestRunKillSkipsWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := newWatchBuffer()
	seq := TermSeq{{syscall.SIGTERM, time.Minute}, {syscall.SIGKILL, 0}}
	p, c := startAsync(t, ctx, Spec{Argv: []string{self(t), "ignore-term"}, Stdout: out, TermSeq: seq})
	out.waitFor(t, "ready")
	cancel()
	out.waitFor(t, "got TERM") // now in the TERM step's wait
	begin := time.Now()
	p.Kill()
	res := await(t, c)
	if elapsed := time.Since(begin); elapsed > 5*time.Second {
		t.Errorf("got Run returning %v after Kill, want well under the 1m TERM wait", elapsed)
	}
	if res.Signal != syscall.SIGKILL || !res.Stopped {
		t.Errorf("got signal %v Stopped %v, want SIGKILL true", res.Signal, res.Stopped)
	}
}

// TestRunGroupStopped checks that stopping a job stops its grandchildren:
// the helper "spawn" starts one in its group and the test checks that its
// pid is gone afterwards.
func TestRunGroupStopped(t *testing.T) {
	fast := TermSeq{{syscall.SIGTERM, 200 * time.Millisecond}, {syscall.SIGKILL, 0}}
	tests := []struct {
		name    string
		gcMode  string
		timeout time.Duration
		cancel  bool
		kill    bool
		wantTO  bool
	}{
		{name: "timeout", gcMode: "hang", timeout: 300 * time.Millisecond, wantTO: true},
		{name: "cancel", gcMode: "hang", cancel: true},
		{name: "cancel, grandchild ignores TERM", gcMode: "ignore-term", cancel: true},
		{name: "kill", gcMode: "ignore-term", kill: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pidFile := filepath.Join(t.TempDir(), "pid")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p, c := startAsync(t, ctx, Spec{
				Argv:    []string{self(t), "spawn", pidFile, tt.gcMode, "inherit", "hang"},
				Stdout:  &bytes.Buffer{},
				Timeout: tt.timeout,
				TermSeq: fast,
			})
			pid, res, done := pidOrResult(t, pidFile, c)
			if done && pid == 0 {
				t.Skipf("the timeout fired before the child started a grandchild (%+v)", res)
			}
			if tt.cancel {
				cancel()
			}
			if tt.kill {
				p.Kill()
			}
			if !done {
				res = await(t, c)
			}
			if res.TimedOut != tt.wantTO || !res.Stopped {
				t.Errorf("got TimedOut %v Stopped %v, want %v true", res.TimedOut, res.Stopped, tt.wantTO)
			}
			assertGone(t, pid)
		})
	}
}

func TestRunWaitDelay(t *testing.T) {
	const delay = 200 * time.Millisecond
	// The grandchild holds stdout: Run waits delay, then stops the group
	// with TERM. The grandchild dies at once, long before the TERM step's
	// wait is over.
	seq := TermSeq{{syscall.SIGTERM, time.Minute}, {syscall.SIGKILL, 0}}
	const maxElapsed = 15 * time.Second
	pidFile := filepath.Join(t.TempDir(), "pid")
	var out watchBuffer
	begin := time.Now()
	res := await(t, runAsync(context.Background(), Spec{
		Argv:      []string{self(t), "spawn", pidFile, "hang", "inherit", "exit"},
		Stdout:    &out,
		WaitDelay: delay,
		TermSeq:   seq,
	}))
	elapsed := time.Since(begin)
	if elapsed < delay || elapsed > maxElapsed {
		t.Errorf("got Run returning after %v, want between %v and %v", elapsed, delay, maxElapsed)
	}
	if res.Failed() || res.Stopped || out.String() != "spawned\n" {
		t.Errorf("got %+v output %q, want success, not stopped, %q", res, out.String(), "spawned\n")
	}
	assertGone(t, readPidFile(t, pidFile))
}

func TestRunDaemonSurvives(t *testing.T) {
	// A grandchild that leaves the pipes alone outlives a child that exits
	// by itself: daemons are the user's business.
	pidFile := filepath.Join(t.TempDir(), "pid")
	var out bytes.Buffer
	res := await(t, runAsync(context.Background(), Spec{
		Argv:   []string{self(t), "spawn", pidFile, "hang", "detach", "exit"},
		Stdout: &out,
	}))
	pid := readPidFile(t, pidFile)
	alive := !processGone(pid)
	syscall.Kill(pid, syscall.SIGKILL)
	if res.Failed() || out.String() != "spawned\n" || !alive {
		t.Errorf("got %+v output %q grandchild alive %v, want success, %q, true", res, out.String(), alive, "spawned\n")
	}
	assertGone(t, pid)
}

func TestSignalGroup(t *testing.T) {
	out := newWatchBuffer()
	p, c := startAsync(t, context.Background(), Spec{Argv: []string{self(t), "hang"}, Stdout: out})
	pid := p.Pid()
	out.waitFor(t, "ready")
	if err := SignalGroup(pid, syscall.SIGTERM); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	res := await(t, c)
	if res.Signal != syscall.SIGTERM || res.Stopped {
		t.Errorf("got signal %v Stopped %v, want SIGTERM false", res.Signal, res.Stopped)
	}
	for _, bad := range []int{-3, 0, 1} {
		if err := SignalGroup(bad, 0); err == nil {
			t.Errorf("SignalGroup(%d): got nil, want an error", bad)
		}
	}
}

func TestResolver(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	exe := filepath.Join(dir, "gopool-test-cmd")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var r Resolver
	tests := []struct {
		name     string
		cmd      string
		wantPath string
		wantErr  string
	}{
		{"in PATH", "gopool-test-cmd", exe, ""},
		{"with a slash", "./x/y", "./x/y", ""},
		{"not found", "gopool-no-such-cmd", "", `"gopool-no-such-cmd": command not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Look(tt.cmd)
			if got != tt.wantPath || (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
				t.Errorf("got %q, %v; want %q, %q", got, err, tt.wantPath, tt.wantErr)
			}
		})
	}
	if _, err := r.Look("gopool-no-such-cmd"); !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("got %v, want errors.Is exec.ErrNotFound", err)
	}
	if err := os.Remove(exe); err != nil {
		t.Fatal(err)
	}
	if got, err := r.Look("gopool-test-cmd"); got != exe || err != nil {
		t.Errorf("after removal: got %q, %v; want the remembered %q, nil", got, err, exe)
	}
}

func BenchmarkRunTrue(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if res := Run(context.Background(), Spec{Argv: []string{"true"}, Path: "/bin/true"}); res.Failed() {
			b.Fatalf("got %+v", res)
		}
	}
}

// BenchmarkRunTrueStoppable is Run as gopool calls it: a cancellable ctx
// and buffered output.
func BenchmarkRunTrueStoppable(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		res := Run(ctx, Spec{Argv: []string{"true"}, Path: "/bin/true", Stdout: &out, Stderr: &out})
		if res.Failed() {
			b.Fatalf("got %+v", res)
		}
	}
}

func BenchmarkExecTrue(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if err := exec.Command("/bin/true").Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExecTrueStoppable is BenchmarkRunTrueStoppable's os/exec
// equivalent: a cancellable ctx and buffered output.
func BenchmarkExecTrueStoppable(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		cmd := exec.CommandContext(ctx, "/bin/true")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolverLook(b *testing.B) {
	var r Resolver
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Look("sh"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRunStdinFeed checks the pipe the runner feeds a Stdin reader through:
// every byte reaches a child that reads, a child that stops reading ends
// the feed without failing the job, and a grandchild that holds the pipe
// without reading cannot hold the job past WaitDelay.
func TestRunStdinFeed(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 1<<18) // 4 MiB: more than a pipe holds, even grown to 1 MiB
	pidFile := filepath.Join(t.TempDir(), "pid")
	tests := []struct {
		name     string
		argv     []string
		wantOut  string
		wantSent int64 // -1: any amount below len(big)
	}{
		{"read all", []string{"cat"}, big, int64(len(big))},
		{"read nothing", []string{"exit", "0"}, "", -1},
		{"grandchild holds stdin", []string{"spawn", pidFile, "hang", "inherit", "exit"}, "spawned\n", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			res := await(t, runAsync(context.Background(), Spec{
				Argv:      append([]string{self(t)}, tt.argv...),
				Stdin:     strings.NewReader(big),
				Stdout:    &out,
				WaitDelay: 200 * time.Millisecond,
			}))
			if res.Failed() || out.String() != tt.wantOut {
				t.Errorf("got %+v and %d bytes of output, want success and %d bytes", res, out.Len(), len(tt.wantOut))
			}
			switch {
			case tt.wantSent >= 0 && res.Sent != tt.wantSent:
				t.Errorf("got Sent %d, want %d", res.Sent, tt.wantSent)
			case tt.wantSent < 0 && res.Sent >= int64(len(big)):
				t.Errorf("got Sent %d, want less than %d", res.Sent, len(big))
			}
		})
	}
	assertGone(t, readPidFile(t, pidFile))
}
