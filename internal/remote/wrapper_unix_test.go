//go:build unix

package remote

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gopool/gopool/runner"
)

// localShells are the shells the wrapper is run under locally: the
// wrapper must work under any POSIX sh.
func localShells(t *testing.T) []string {
	var out []string
	for _, sh := range []string{"dash", "bash", "sh"} {
		if p, err := exec.LookPath(sh); err == nil {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		t.Skip("no sh")
	}
	return out
}

// runLocal runs job under shell -s, the way sshd would run the wrapper.
func runLocal(t *testing.T, ctx context.Context, shell string, js jobScript, spec runner.Spec) (*Process, runner.Result) {
	t.Helper()
	if js.nonce == "" {
		js.nonce = "testnonce"
	}
	script, err := js.script()
	if err != nil {
		t.Fatal(err)
	}
	spec.Argv = js.argv
	p, err := startProcess(ctx, procConfig{argv: []string{shell, "-s"}, script: script, nonce: js.nonce, login: "local", spec: spec})
	if err != nil {
		t.Fatal(err)
	}
	return p, p.Wait()
}

func TestWrapperArgvAndEnv(t *testing.T) {
	torture := []string{"'", `"`, "$(touch /tmp/gopool-pwned)", "a\nb", "", "*", "`id`", `\`, "-n", "$HOME", "; exit 3", "é ü"}
	for _, sh := range localShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			var out, errb bytes.Buffer
			js := jobScript{
				argv:  append([]string{"printf", "[%s]\\n"}, torture...),
				env:   [][2]string{{"V1", "line1\nline2 'q' $x"}, {"V2", ""}},
				group: groupSetsid,
			}
			_, res := runLocal(t, context.Background(), sh, js, runner.Spec{Stdout: &out, Stderr: &errb})
			if res.Err != nil || res.ExitCode != 0 {
				t.Fatalf("got %+v, stderr %q", res, errb.String())
			}
			var want strings.Builder
			for _, a := range torture {
				want.WriteString("[" + a + "]\n")
			}
			if out.String() != want.String() {
				t.Errorf("got stdout %q, want %q", out.String(), want.String())
			}
			if errb.Len() != 0 {
				t.Errorf("got stderr %q, want none", errb.String())
			}
			out.Reset()
			js.argv = []string{"sh", "-c", `printf '%s|%s|%s' "$V1" "${V2-unset}" "$1"`, "sh", "x y"}
			_, res = runLocal(t, context.Background(), sh, js, runner.Spec{Stdout: &out, Stderr: &errb})
			if want := "line1\nline2 'q' $x||x y"; out.String() != want || res.ExitCode != 0 {
				t.Errorf("env: got %q (%+v), want %q", out.String(), res, want)
			}
		})
	}
	if _, err := os.Stat("/tmp/gopool-pwned"); err == nil {
		t.Error("a value was run as a command")
	}
}

func TestWrapperExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		argv     []string
		wantCode int
		wantSig  syscall.Signal
	}{
		{"zero", []string{"true"}, 0, 0},
		{"three", []string{"sh", "-c", "exit 3"}, 3, 0},
		{"255 is the job's", []string{"sh", "-c", "exit 255"}, 255, 0},
		{"signal", []string{"sh", "-c", "kill -s KILL $$"}, -1, syscall.SIGKILL},
		{"TERM", []string{"sh", "-c", "kill -s TERM $$"}, -1, syscall.SIGTERM},
		{"not found", []string{"/nonexistent/cmd"}, 127, 0},
	}
	for _, sh := range localShells(t) {
		for _, group := range []groupTool{groupSetsid, groupJobControl} {
			for _, tc := range tests {
				var errb bytes.Buffer
				_, res := runLocal(t, context.Background(), sh, jobScript{argv: tc.argv, group: group}, runner.Spec{Stderr: &errb})
				if res.Err != nil || res.ExitCode != tc.wantCode || res.Signal != tc.wantSig {
					t.Errorf("%s, %s, group %d: got code %d signal %v err %v, want %d %v (stderr %q)",
						filepath.Base(sh), tc.name, group, res.ExitCode, res.Signal, res.Err, tc.wantCode, tc.wantSig, errb.String())
				}
				// The wrapper's shell says nothing of how the job
				// ended ("Terminated"): that is not the job's output.
				if tc.wantSig != 0 && errb.Len() != 0 {
					t.Errorf("%s, %s, group %d: got stderr %q, want none", filepath.Base(sh), tc.name, group, errb.String())
				}
			}
		}
	}
}

func TestWrapperMarkerTextFromJob(t *testing.T) {
	// A job that prints marker text with another nonce keeps it.
	other := "\n##gopool:othernonce:exit:0##\n##gopool:othernonce:start##\n"
	var out, errb bytes.Buffer
	_, res := runLocal(t, context.Background(), "/bin/sh", jobScript{argv: []string{"sh", "-c", `printf "$1"; printf "$1" >&2`, "sh", other}}, runner.Spec{Stdout: &out, Stderr: &errb})
	if res.Err != nil || res.ExitCode != 0 {
		t.Fatalf("got %+v", res)
	}
	if out.String() != other || errb.String() != other {
		t.Errorf("got stdout %q stderr %q, want both %q", out.String(), errb.String(), other)
	}
}

// waitGone waits (generously) until pid is gone or a zombie.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still running", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// alive reports whether pid runs (a zombie does not count).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: trust kill -0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || (s[i+2] != 'Z' && s[i+2] != 'X')
}

// grandchildJob is a job whose grandchild writes its pid to file and
// ignores SIGTERM, then a line on stdout says it is ready.
func grandchildJob(file string) []string {
	return []string{"sh", "-c", `sh -c 'trap "" TERM; echo $$ > "$1"; exec sleep 1000' _ "$1" & while [ ! -s "$1" ]; do sleep 0.01; done; echo ready; wait`, "sh", file}
}

// readyWriter closes ready when "ready" has been written.
type readyWriter struct {
	ready chan struct{}
	mu    sync.Mutex
	buf   bytes.Buffer
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), "ready")
	n, err := w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), "ready") {
		close(w.ready)
	}
	return n, err
}

func readPid(t *testing.T, file string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// waitGonePidFile waits until the pid in file is gone; a missing file
// (the job was stopped before its grandchild started) is fine.
func waitGonePidFile(t *testing.T, file string) {
	t.Helper()
	if _, err := os.Stat(file); err != nil {
		return
	}
	if pid := readPid(t, file); pid > 0 {
		waitGone(t, pid)
	}
}

func TestWrapperStop(t *testing.T) {
	seq := runner.TermSeq{{Signal: syscall.SIGTERM, Wait: 100 * time.Millisecond}, {Signal: syscall.SIGKILL}}
	for _, how := range []string{"cancel", "timeout", "kill", "signal"} {
		t.Run(how, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "pid")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			out := &readyWriter{ready: make(chan struct{})}
			spec := runner.Spec{Stdout: out, TermSeq: seq}
			if how == "timeout" {
				spec.Timeout = 2 * time.Second
			}
			script, err := (&jobScript{nonce: "n", argv: grandchildJob(file), seq: seq}).script()
			if err != nil {
				t.Fatal(err)
			}
			p, err := startProcess(ctx, procConfig{argv: []string{"/bin/sh", "-s"}, script: script, nonce: "n", login: "local", spec: spec})
			if err != nil {
				t.Fatal(err)
			}
			select {
			case <-out.ready:
			case <-p.done: // a timeout before ready, on a slow machine
			}
			switch how {
			case "cancel":
				cancel()
			case "kill":
				p.Kill()
			case "signal":
				if err := p.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
			res := p.Wait()
			wantStopped := how != "signal"
			if res.Err != nil || res.Stopped != wantStopped || res.TimedOut != (how == "timeout") || res.Signal == 0 {
				t.Errorf("got %+v, want a job stopped by a signal", res)
			}
			waitGonePidFile(t, file)
		})
	}
}

func TestWrapperLifelineEOF(t *testing.T) {
	// The ssh (here the sh itself) goes away: the wrapper's stdin closes
	// and it stops the job's group.
	file := filepath.Join(t.TempDir(), "pid")
	seq := runner.TermSeq{{Signal: syscall.SIGTERM, Wait: 100 * time.Millisecond}, {Signal: syscall.SIGKILL}}
	script, err := (&jobScript{nonce: "n", argv: grandchildJob(file), seq: seq, group: groupSetsid}).script()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", "-s")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &readyWriter{ready: make(chan struct{})}
	cmd.Stdout = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := stdin.Write([]byte(script)); err != nil {
		t.Fatal(err)
	}
	<-out.ready
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	waitGone(t, readPid(t, file))
}

func TestWrapperBadSignal(t *testing.T) {
	_, err := (&jobScript{nonce: "n", argv: []string{"true"}, seq: runner.TermSeq{{Signal: syscall.Signal(99)}}}).script()
	if err == nil {
		t.Error("got no error for signal 99")
	}
}

func TestStartOnStdoutMarker(t *testing.T) {
	// The job's stdout can reach gopool before its stderr does: once any
	// of the job's output has been seen, the job has started, and a stop
	// goes down the lifeline (the remote termination sequence, which a
	// Kill can cut short) instead of killing the ssh. Here the wrapper
	// stand-in writes its stderr marker only after a lifeline line came.
	script := `{
printf '%s\n' "##gopool:n:start##"
echo ready
read -r l
printf 'lifeline %s\n' "$l"
printf '%s\n' "##gopool:n:start##" >&2
printf '\n%s\n' "##gopool:n:exit:0##" >&2
exit 0
}
`
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &readyWriter{ready: make(chan struct{})}
	p, err := startProcess(ctx, procConfig{argv: []string{"/bin/sh", "-s"}, script: script, nonce: "n", login: "local",
		spec: runner.Spec{Stdout: out}})
	if err != nil {
		t.Fatal(err)
	}
	<-out.ready
	cancel()
	res := p.Wait()
	out.mu.Lock()
	got := out.buf.String()
	out.mu.Unlock()
	if got != "ready\nlifeline SEQ\n" || !res.Stopped || res.Err != nil {
		t.Errorf("got output %q, %+v; want the stop sent down the lifeline (SEQ) and the job's exit", got, res)
	}
}
