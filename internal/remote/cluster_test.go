//go:build unix

package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gopool/gopool/internal/remote/sshlab"
	"github.com/gopool/gopool/runner"
)

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// labCluster starts a Cluster over the lab's hosts; slots is each host's
// slot count ("N/").
func labCluster(t *testing.T, lab *sshlab.Lab, slots int, cfg Config) (*Cluster, *syncBuffer) {
	t.Helper()
	for _, h := range lab.Hosts {
		cfg.Logins = append(cfg.Logins, Login{Raw: h.Name, Host: h.Name, Slots: slots})
	}
	cfg.SSH = lab.SSH()
	log := &syncBuffer{}
	cfg.Stderr = log
	if cfg.Backoff == 0 {
		cfg.Backoff = 100 * time.Millisecond
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c, log
}

// waitFor waits (generously) until cond holds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 30s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// job is one finished remote job.
type job struct {
	host           string
	stdout, stderr string
	res            runner.Result
	sent, recv     int64
}

// runJob acquires a slot, runs j there and releases the slot.
func runJob(t *testing.T, ctx context.Context, c *Cluster, j Job) job {
	t.Helper()
	s, err := c.Acquire(ctx, nil)
	if err != nil {
		t.Fatalf("Acquire: %v", err)
	}
	defer s.Release()
	var out, errb syncBuffer
	j.Spec.Stdout, j.Spec.Stderr = &out, &errb
	p, err := s.StartJob(ctx, j)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	res := p.Wait()
	sent, recv := p.Transferred()
	return job{host: s.Host().Login(), stdout: out.String(), stderr: errb.String(), res: res, sent: sent, recv: recv}
}

func TestRemoteSpreadAndEnv(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 2})
	c, _ := labCluster(t, lab, 2, Config{})
	const n = 12
	var wg sync.WaitGroup
	jobs := make([]job, n)
	// Each job holds its slot until all four slots are taken, so the
	// spread does not depend on timing.
	dir := t.TempDir()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			spec := runner.Spec{
				Argv: []string{"sh", "-c", `printf '%s %s %s' "$GOPOOL_HOST" "$GOPOOL_SSHLOGIN" "$GOPOOL_SEQ"`},
				Env:  []string{fmt.Sprintf("GOPOOL_SEQ=%d", i+1)},
			}
			if i < 4 {
				spec.Argv = []string{"sh", "-c", `touch "$1/$GOPOOL_SEQ"; while [ $(ls "$1" | wc -l) -lt 4 ]; do sleep 0.01; done; printf '%s %s %s' "$GOPOOL_HOST" "$GOPOOL_SSHLOGIN" "$GOPOOL_SEQ"`, "sh", dir}
			}
			jobs[i] = runJob(t, context.Background(), c, Job{Spec: spec})
		}()
	}
	wg.Wait()
	perHost := map[string]int{}
	for i, j := range jobs {
		if j.res.Err != nil || j.res.ExitCode != 0 {
			t.Fatalf("job %d: %+v, stderr %q", i+1, j.res, j.stderr)
		}
		if want := fmt.Sprintf("%s %s %d", j.host, j.host, i+1); j.stdout != want {
			t.Errorf("job %d: got %q, want %q", i+1, j.stdout, want)
		}
		perHost[j.host]++
	}
	if perHost["host1"] == 0 || perHost["host2"] == 0 {
		t.Errorf("got jobs per host %v, want both hosts used", perHost)
	}
}

func TestRemoteQuotingAndEnv(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 1})
	t.Setenv("GOPOOL_TEST_V", "x")
	c, _ := labCluster(t, lab, 1, Config{EnvNames: []string{"MYVAR", "EMPTY", "UNSET_VAR"}})
	torture := []string{"'", `"`, "$(touch /tmp/gopool-remote-pwned)", "a\nb", "", "*", "`id`", `\`, "; exit 3", "$HOME"}
	j := runJob(t, context.Background(), c, Job{Spec: runner.Spec{Argv: append([]string{"printf", "[%s]\\n"}, torture...)}})
	var want strings.Builder
	for _, a := range torture {
		want.WriteString("[" + a + "]\n")
	}
	if j.res.Err != nil || j.stdout != want.String() || j.stderr != "" {
		t.Errorf("got %+v stdout %q stderr %q, want stdout %q", j.res, j.stdout, j.stderr, want.String())
	}
	if _, err := os.Stat("/tmp/gopool-remote-pwned"); err == nil {
		t.Error("a value was run as a command")
	}
	j = runJob(t, context.Background(), c, Job{Spec: runner.Spec{
		Argv: []string{"sh", "-c", `printf '%s|%s|%s' "$MYVAR" "${EMPTY-unset}" "${UNSET_VAR-unset}"`},
		Env:  []string{"MYVAR=one\ntwo 'three' $four", "EMPTY="},
	}})
	if want := "one\ntwo 'three' $four||unset"; j.stdout != want {
		t.Errorf("env: got %q (%+v, stderr %q), want %q", j.stdout, j.res, j.stderr, want)
	}
	// A one-word shell template arrives as sh -c SCRIPT: it runs under
	// the remote sh.
	j = runJob(t, context.Background(), c, Job{Spec: runner.Spec{Argv: []string{"/bin/sh", "-c", "echo a | tr a b; exit 7"}}})
	if j.stdout != "b\n" || j.res.ExitCode != 7 || j.res.Err != nil {
		t.Errorf("shell template: got %q %+v, want %q and exit 7", j.stdout, j.res, "b\n")
	}
	// A remote exit 255 is the job's own, not a connection failure.
	j = runJob(t, context.Background(), c, Job{Spec: runner.Spec{Argv: []string{"sh", "-c", "echo oops >&2; exit 255"}}})
	if j.res.ExitCode != 255 || j.res.Err != nil || j.stderr != "oops\n" {
		t.Errorf("exit 255: got %+v stderr %q, want exit 255, no error", j.res, j.stderr)
	}
	// Marker text with another nonce is the job's output.
	other := "##gopool:0000000000000000:start##\n\n##gopool:0000000000000000:exit:0##\n"
	j = runJob(t, context.Background(), c, Job{Spec: runner.Spec{Argv: []string{"sh", "-c", `printf "$1"; printf "$1" >&2`, "sh", other}}})
	if j.stdout != other || j.stderr != other {
		t.Errorf("marker text: got stdout %q stderr %q, want both %q", j.stdout, j.stderr, other)
	}
}

// startGrandchildJob starts a job whose grandchild ignores SIGTERM and
// writes its pid to a file; it returns once the job said ready.
func startGrandchildJob(t *testing.T, ctx context.Context, c *Cluster, spec runner.Spec) (*Process, *Slot, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "pid")
	s, err := c.Acquire(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := &readyWriter{ready: make(chan struct{})}
	spec.Argv = grandchildJob(file)
	spec.Stdout = out
	if spec.TermSeq == nil {
		spec.TermSeq = runner.TermSeq{{Signal: syscall.SIGTERM, Wait: 200 * time.Millisecond}, {Signal: syscall.SIGKILL}}
	}
	p, err := s.Start(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-out.ready:
	case <-p.done:
		// Stopped before it was ready (a timeout on a slow machine): if
		// the grandchild got to write its pid, it must be gone too.
	case <-time.After(60 * time.Second):
		t.Fatal("job did not start in 60s")
	}
	return p, s, file
}

func TestRemoteStop(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 1})
	c, _ := labCluster(t, lab, 4, Config{})
	for _, how := range []string{"cancel", "timeout", "kill", "kill during termseq", "sigterm"} {
		t.Run(how, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			spec := runner.Spec{}
			if how == "timeout" {
				spec.Timeout = 2 * time.Second
			}
			if how == "kill during termseq" {
				spec.TermSeq = runner.TermSeq{{Signal: syscall.SIGTERM, Wait: time.Hour}, {Signal: syscall.SIGKILL}}
			}
			p, s, file := startGrandchildJob(t, ctx, c, spec)
			defer s.Release()
			switch how {
			case "cancel":
				cancel()
			case "kill":
				p.Kill()
			case "kill during termseq":
				cancel()
				p.Kill()
			case "sigterm":
				if err := p.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
				if err := p.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
			res := p.Wait()
			if res.Err != nil || res.Signal == 0 || res.Stopped != (how != "sigterm") || res.TimedOut != (how == "timeout") {
				t.Errorf("got %+v, want the job ended by a signal", res)
			}
			waitGonePidFile(t, file)
		})
	}
}

func TestRemoteLocalSSHDies(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 1})
	for _, mux := range []bool{true, false} {
		t.Run(fmt.Sprintf("controlmaster=%v", mux), func(t *testing.T) {
			c, _ := labCluster(t, lab, 2, Config{NoControlMaster: !mux})
			p, s, file := startGrandchildJob(t, context.Background(), c, runner.Spec{})
			defer s.Release()
			p.mu.Lock()
			cmd := p.cmd
			p.mu.Unlock()
			// kill -9 of the local ssh, as when gopool and its ssh are
			// killed.
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			res := p.Wait()
			if !errors.Is(res.Err, ErrLost) {
				t.Errorf("got %+v, want ErrLost", res)
			}
			waitGone(t, readPid(t, file))
		})
	}
}

func TestRemoteHostDownAtStart(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 2})
	lab.Hosts[1].Refuse()
	c, log := labCluster(t, lab, 2, Config{HostTimeout: time.Hour})
	if n, err := c.Ready(context.Background()); err != nil || n != 2 {
		t.Errorf("Ready: got %d, %v; want 2 slots (host1's)", n, err)
	}
	for i := range 6 {
		j := runJob(t, context.Background(), c, Job{Spec: runner.Spec{Argv: []string{"true"}}})
		if j.res.Err != nil || j.host != "host1" {
			t.Errorf("job %d: got %+v on %s, want a success on host1", i, j.res, j.host)
		}
	}
	if !strings.Contains(log.String(), "host host2 set aside") {
		t.Errorf("got stderr %q, want a line saying host2 was set aside", log.String())
	}
	// It comes back once it answers again.
	lab.Hosts[1].Start()
	s, err := c.AcquireOn(context.Background(), c.Hosts()[1])
	if err != nil {
		t.Fatal(err)
	}
	s.Release()
	if !strings.Contains(log.String(), "host host2 is back") {
		t.Errorf("got stderr %q, want a line saying host2 is back", log.String())
	}
}

func TestRemoteNotStartedSetsAside(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 2})
	c, log := labCluster(t, lab, 1, Config{NoControlMaster: true})
	// Wait until both are up, then host1 refuses.
	for _, h := range c.Hosts() {
		s, err := c.AcquireOn(context.Background(), h)
		if err != nil {
			t.Fatal(err)
		}
		s.Release()
	}
	lab.Hosts[0].Refuse()
	s, err := c.AcquireOn(context.Background(), c.Hosts()[0])
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Start(context.Background(), runner.Spec{Argv: []string{"true"}})
	if err != nil {
		t.Fatal(err)
	}
	res := p.Wait()
	s.Release()
	if !errors.Is(res.Err, ErrNotStarted) || res.ExitCode != 255 {
		t.Fatalf("got %+v, want ErrNotStarted", res)
	}
	if !strings.Contains(res.Err.Error(), "refused") {
		t.Errorf("got error %q, want ssh's reason in it", res.Err)
	}
	// The job is placed again: host1 is set aside, so it goes to host2.
	j := runJob(t, context.Background(), c, Job{Spec: runner.Spec{Argv: []string{"true"}}})
	if j.host != "host2" || j.res.Err != nil {
		t.Errorf("got %+v on %s, want a success on host2", j.res, j.host)
	}
	if !strings.Contains(log.String(), "host host1 set aside: job not started") {
		t.Errorf("got stderr %q", log.String())
	}
}

func TestRemoteHostCrashMidRun(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 2})
	c, _ := labCluster(t, lab, 1, Config{})
	s, err := c.AcquireOn(context.Background(), c.Hosts()[0])
	if err != nil {
		t.Fatal(err)
	}
	out := &readyWriter{ready: make(chan struct{})}
	p, err := s.Start(context.Background(), runner.Spec{Argv: []string{"sh", "-c", "echo ready; exec sleep 1000"}, Stdout: out})
	if err != nil {
		t.Fatal(err)
	}
	<-out.ready
	lab.Hosts[0].Crash()
	res := p.Wait()
	s.Release()
	if !errors.Is(res.Err, ErrLost) {
		t.Fatalf("got %+v, want ErrLost", res)
	}
	j := runJob(t, context.Background(), c, Job{Spec: runner.Spec{Argv: []string{"true"}}})
	if j.host != "host2" || j.res.Err != nil {
		t.Errorf("next job: got %+v on %s, want a success on host2", j.res, j.host)
	}
}

func TestRemoteHungHost(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 1})
	c, _ := labCluster(t, lab, 1, Config{})
	s, err := c.Acquire(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := &readyWriter{ready: make(chan struct{})}
	p, err := s.Start(context.Background(), runner.Spec{Argv: []string{"sh", "-c", "echo ready; exec sleep 1000"}, Stdout: out})
	if err != nil {
		t.Fatal(err)
	}
	<-out.ready
	resume := lab.Hosts[0].Hang()
	defer resume()
	start := time.Now()
	res := p.Wait()
	s.Release()
	if !errors.Is(res.Err, ErrLost) {
		t.Fatalf("got %+v, want ErrLost", res)
	}
	// ServerAliveInterval 1 × (CountMax 2 + 1): a bound, not a timing.
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("hung host noticed after %v", d)
	}
}

func TestRemoteManySessions(t *testing.T) {
	// 12 slots on a host whose sshd allows 10 sessions per connection:
	// two masters, and no multiplexing error in any job's output.
	lab := sshlab.Start(t, sshlab.Options{Hosts: 1, MaxSessions: []int{10}})
	c, _ := labCluster(t, lab, 12, Config{})
	dir := t.TempDir()
	var wg sync.WaitGroup
	jobs := make([]job, 12)
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// All 12 run at once: each waits until all have started.
			jobs[i] = runJob(t, context.Background(), c, Job{Spec: runner.Spec{
				Argv: []string{"sh", "-c", `touch "$1/$2"; while [ $(ls "$1" | wc -l) -lt 12 ]; do sleep 0.01; done; echo ok`, "sh", dir, fmt.Sprint(i)},
			}})
		}()
	}
	wg.Wait()
	for i, j := range jobs {
		if j.res.Err != nil || j.res.ExitCode != 0 || j.stdout != "ok\n" || j.stderr != "" {
			t.Errorf("job %d: got %+v stdout %q stderr %q", i, j.res, j.stdout, j.stderr)
		}
	}
	if n := len(c.Hosts()[0].masters); n != 2 {
		t.Errorf("got %d masters, want 2", n)
	}
}

func TestRemoteHostTimeout(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 2})
	lab.Hosts[0].Refuse()
	c, log := labCluster(t, lab, 1, Config{HostTimeout: 500 * time.Millisecond})
	// host2 is fine: a job pinned to host1 (--onall) fails all the same.
	_, err := c.AcquireOn(context.Background(), c.Hosts()[0])
	if !errors.Is(err, ErrNoHosts) || !strings.Contains(err.Error(), "host1") {
		t.Errorf("pinned to host1: got %v, want ErrNoHosts naming host1", err)
	}
	s, err := c.Acquire(context.Background(), nil)
	if err != nil || s.Host().Login() != "host2" {
		t.Fatalf("got %v, want a slot on host2", err)
	}
	s.Release()
	lab.Hosts[1].Crash()
	waitFor(t, func() bool { return strings.Contains(log.String(), "host host2 set aside") })
	_, err = c.Acquire(context.Background(), nil)
	if !errors.Is(err, ErrNoHosts) || !strings.Contains(err.Error(), "host1") || !strings.Contains(err.Error(), "host2") {
		t.Errorf("all down: got %v, want ErrNoHosts naming both hosts", err)
	}
}

func TestRemoteFilterHosts(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 2})
	lab.Hosts[0].Refuse()
	c, _ := labCluster(t, lab, 1, Config{FilterHosts: true})
	hosts := c.Hosts()
	if len(hosts) != 1 || hosts[0].Login() != "host2" {
		t.Errorf("got %d hosts, want host2 alone", len(hosts))
	}
}

func TestRemoteAvoid(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 2})
	c, _ := labCluster(t, lab, 1, Config{})
	for _, h := range c.Hosts() {
		s, err := c.AcquireOn(context.Background(), h)
		if err != nil {
			t.Fatal(err)
		}
		s.Release()
	}
	for range 3 {
		s, err := c.Acquire(context.Background(), func(h *Host) bool { return h.Login() == "host1" })
		if err != nil {
			t.Fatal(err)
		}
		if s.Host().Login() != "host2" {
			t.Errorf("got %s, want host2 (host1 avoided)", s.Host().Login())
		}
		s.Release()
	}
	// Every host avoided: one is taken all the same.
	s, err := c.Acquire(context.Background(), func(*Host) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	s.Release()
}

func TestRemoteTransferReturnCleanup(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 1})
	for _, mode := range []string{"rsync", "tar"} {
		t.Run(mode, func(t *testing.T) {
			if _, err := exec.LookPath("rsync"); err != nil && mode == "rsync" {
				t.Skip("no rsync")
			}
			testTransfer(t, lab, mode == "tar")
		})
	}
}

func testTransfer(t *testing.T, lab *sshlab.Lab, noRsync bool) {
	local := t.TempDir()
	if err := os.MkdirAll(filepath.Join(local, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(local, "sub", "in.txt")
	if err := os.WriteFile(in, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	remoteWD := t.TempDir() // the "remote" is this machine: a directory of its own
	c, _ := labCluster(t, lab, 1, Config{Workdir: remoteWD, Cleanup: true})
	c.noRsync = noRsync
	// --trc with /./: sub/in.txt lands in the workdir as sub/in.txt.
	j := runJob(t, context.Background(), c, Job{
		Spec:     runner.Spec{Argv: []string{"sh", "-c", "tr a-z A-Z < sub/in.txt > sub/in.txt.out"}},
		Transfer: []string{local + "/./sub/in.txt"},
		Return:   []string{local + "/./sub/in.txt.out"},
	})
	if j.res.Err != nil || j.res.ExitCode != 0 {
		t.Fatalf("got %+v, stderr %q", j.res, j.stderr)
	}
	got, err := os.ReadFile(filepath.Join(local, "sub", "in.txt.out"))
	if err != nil || string(got) != "HELLO\n" {
		t.Errorf("returned file: got %q, %v, want %q", got, err, "HELLO\n")
	}
	if j.sent != 6 || j.recv != 6 {
		t.Errorf("got sent %d received %d, want 6 and 6", j.sent, j.recv)
	}
	for _, f := range []string{"sub/in.txt", "sub/in.txt.out"} {
		if _, err := os.Stat(filepath.Join(remoteWD, f)); err == nil {
			t.Errorf("remote %s left after --cleanup", f)
		}
	}
	// A missing local file fails the job without blaming the host.
	j = runJob(t, context.Background(), c, Job{Spec: runner.Spec{Argv: []string{"true"}}, Transfer: []string{filepath.Join(local, "nope")}})
	if j.res.Err == nil || errors.Is(j.res.Err, ErrNotStarted) {
		t.Errorf("missing file: got %+v, want a job failure that is not ErrNotStarted", j.res)
	}
	if s, err := c.Acquire(context.Background(), nil); err != nil {
		t.Errorf("host set aside for a missing local file: %v", err)
	} else {
		s.Release()
	}
}

func TestKeepsAlive(t *testing.T) {
	lab := sshlab.Start(t, sshlab.Options{Hosts: 1})
	tests := []struct {
		name string
		ssh  []string
		want bool
	}{
		{"lab config sets ServerAliveInterval", lab.SSH(), true},
		{"no config", []string{"ssh", "-F", "/dev/null"}, false},
	}
	for _, tc := range tests {
		c, err := New(Config{Logins: []Login{{Raw: "host1", Host: "host1"}}, SSH: tc.ssh})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.hosts[0].keepsAlive(); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// procState returns the state letter of pid from /proc ("" if unknown).
func procState(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return ""
	}
	return s[i+2 : i+3]
}

func TestRemoteStopCont(t *testing.T) {
	// Ctrl-Z and fg: SIGTSTP/SIGCONT reach the remote job's group.
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc")
	}
	lab := sshlab.Start(t, sshlab.Options{Hosts: 1})
	c, _ := labCluster(t, lab, 1, Config{})
	dir := t.TempDir()
	s, err := c.Acquire(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	out := &readyWriter{ready: make(chan struct{})}
	p, err := s.Start(context.Background(), runner.Spec{
		Argv:   []string{"sh", "-c", `echo $$ > "$1/pid"; echo ready; while [ ! -e "$1/go" ]; do sleep 0.01; done`, "sh", dir},
		Stdout: out,
	})
	if err != nil {
		t.Fatal(err)
	}
	<-out.ready
	pid := readPid(t, filepath.Join(dir, "pid"))
	if err := p.Signal(syscall.SIGTSTP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return procState(pid) == "T" })
	if err := p.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return procState(pid) != "T" })
	if err := os.WriteFile(filepath.Join(dir, "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if res := p.Wait(); res.Err != nil || res.ExitCode != 0 {
		t.Errorf("got %+v, want a clean exit", res)
	}
}
