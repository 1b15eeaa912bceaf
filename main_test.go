//go:build unix

package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gopool/gopool/cmd"
	"github.com/gopool/gopool/internal/testenv"
)

var update = flag.Bool("u", false, "update testscript files with the output they produce")

func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) != "gopool" { // the test runner, not gopool itself
		testenv.UnignoreSignals()
	}
	testscript.Main(m, map[string]func(){
		"gopool": func() { os.Exit(int(cmd.Main(version, commit))) },
	})
}

// TestScript runs the CLI end to end: each testdata/script/*.txtar runs the
// real gopool binary (this test binary, re-executed as gopool).
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Cmds:                scriptCmds,
		Setup: func(env *testscript.Env) error {
			env.Setenv("GOPOOL_JOBS", "")
			// A -race binary sleeps 1s at exit to catch late races; gopool
			// is this binary, run once or more by every script.
			env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			setupSpawn(env)
			setupLab(env)
			return nil
		},
	})
}

// scriptCmds are the extra commands of gopool's scripts.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	// waitfile FILE...: wait (up to 20s) until each file exists and is not
	// empty.
	"waitfile": func(ts *testscript.TestScript, neg bool, args []string) {
		deadline := time.Now().Add(20 * time.Second)
		for _, f := range args {
			for {
				if fi, err := os.Stat(ts.MkAbs(f)); err == nil && fi.Size() > 0 {
					break
				}
				if time.Now().After(deadline) {
					ts.Fatalf("waitfile: %s did not appear within 20s", f)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
	},
	// exitcode N PROG [ARG...]: run PROG as exec would (its stdout and
	// stderr are the script's) and check that it exits with status N.
	"exitcode": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) < 2 {
			ts.Fatalf("usage: exitcode N PROG [ARG...]")
		}
		want, err := strconv.Atoi(args[0])
		if err != nil {
			ts.Fatalf("exitcode: bad status %q", args[0])
		}
		got := 0
		if err := ts.Exec(args[1], args[2:]...); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				ts.Fatalf("exitcode: %v", err)
			}
			got = ee.ExitCode()
		}
		if got != want {
			ts.Fatalf("%s exited %d, want %d", args[1], got, want)
		}
	},
	// publicbin VAR: copy gopool (this test binary) into a new directory
	// that every user may read and run, removed when the script ends, and
	// set VAR to that directory (for tests that run gopool as another
	// user).
	"publicbin": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 1 {
			ts.Fatalf("usage: publicbin VAR")
		}
		exe, err := os.Executable()
		ts.Check(err)
		dir, err := os.MkdirTemp("", "gopool-public-")
		ts.Check(err)
		ts.Defer(func() { os.RemoveAll(dir) })
		ts.Check(os.Chmod(dir, 0o755))
		b, err := os.ReadFile(exe)
		ts.Check(err)
		ts.Check(os.WriteFile(filepath.Join(dir, "gopool"), b, 0o755))
		ts.Setenv(args[0], dir)
	},
	// signal SIG PIDFILE: send SIG (INT, TERM, QUIT, HUP, KILL, TSTP, CONT, ABRT) to the
	// pid written in PIDFILE.
	"signal": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: signal SIG PIDFILE")
		}
		sigs := map[string]syscall.Signal{"INT": syscall.SIGINT, "TERM": syscall.SIGTERM, "HUP": syscall.SIGHUP,
			"KILL": syscall.SIGKILL, "TSTP": syscall.SIGTSTP, "CONT": syscall.SIGCONT, "QUIT": syscall.SIGQUIT, "ABRT": syscall.SIGABRT}
		sig, ok := sigs[args[0]]
		if !ok {
			ts.Fatalf("signal: unknown signal %s", args[0])
		}
		ts.Check(syscall.Kill(readPid(ts, args[1]), sig))
	},
	// spawn NAME PROG [ARG...]: start PROG in the background with stdin
	// /dev/null, stdout and stderr in the files NAME.stdout and NAME.stderr,
	// and its pid in NAME.pid. The script's environment as it is now is
	// passed on. A process still running when the script ends gets SIGTERM,
	// then SIGKILL.
	"spawn": cmdSpawn,
	// await NAME CODE [WITHIN]: wait until the process started by spawn NAME
	// has exited, at most WITHIN (a Go duration, default 20s) from now, and
	// check that its exit status is CODE (128+N when killed by signal N).
	"await": cmdAwait,
	// procstate PIDFILE STATES: wait (up to 10s) until the state letter in
	// /proc/PID/stat (R, S, T...) of each pid in PIDFILE is one of STATES;
	// with !, until it is none of them. Linux only.
	"procstate": cmdProcState,
	// mounttmpfs DIR SIZE: mount a tmpfs of SIZE (1m) on DIR, created if
	// needed, and unmount it when the script ends. The script is skipped
	// when the mount fails (not Linux, not root, no CAP_SYS_ADMIN).
	"mounttmpfs": cmdMountTmpfs,
	// junit FILE WANT: FILE is a whole JUnit report that validates against
	// the schema (with xmllint, when installed), and its cases, one field
	// a line, are the text of WANT (ci_test.go).
	"junit": cmdJUnit,
	// gone PIDFILE...: each pid in the files (one per line) is not running,
	// waiting up to 10s for the kernel to reap it. With !, each is running.
	// sshlab N [MAXSESSIONS...]: start N sshd on loopback, host1..hostN;
	// $SSH is the ssh command that reaches them (remote_test.go).
	"sshlab": cmdSSHLab,
	// sshhost crash|refuse|hang|resume|start HOST: make a lab host fail.
	"sshhost": cmdSSHHost,
	"gone": func(ts *testscript.TestScript, neg bool, args []string) {
		for _, f := range args {
			for _, pid := range readPids(ts, f) {
				deadline := time.Now().Add(10 * time.Second)
				for alive(pid) != neg {
					if time.Now().After(deadline) {
						if neg {
							ts.Fatalf("process %d (from %s) is not running", pid, f)
						}
						ts.Fatalf("process %d (from %s) is still running", pid, f)
					}
					time.Sleep(10 * time.Millisecond)
				}
			}
		}
	},
}

// alive reports whether pid runs and is not a zombie.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // not Linux: kill -0 is all we have
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

func readPids(ts *testscript.TestScript, file string) []int {
	var pids []int
	for _, l := range strings.Fields(ts.ReadFile(file)) {
		pid, err := strconv.Atoi(l)
		if err != nil || pid <= 1 {
			ts.Fatalf("bad pid %q in %s", l, file)
		}
		pids = append(pids, pid)
	}
	if len(pids) == 0 {
		ts.Fatalf("no pid in %s", file)
	}
	return pids
}

func readPid(ts *testscript.TestScript, file string) int {
	return readPids(ts, file)[0]
}

// spawnKey is the key of the script's *spawned in Env.Values.
type spawnKey struct{}

// spawned holds a script's processes started by spawn, and the names of
// the variables of its environment.
type spawned struct {
	t       testscript.T
	envKeys []string
	procs   map[string]*spawnedProc
}

// spawnedProc is one process started by spawn; err is set before done is
// closed.
type spawnedProc struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func setupSpawn(env *testscript.Env) {
	sp := &spawned{t: env.T(), procs: make(map[string]*spawnedProc)}
	for _, kv := range env.Vars {
		if k, _, ok := strings.Cut(kv, "="); ok {
			sp.envKeys = append(sp.envKeys, k)
		}
	}
	env.Values[spawnKey{}] = sp
	// A process still running when the script ends (it failed) gets SIGCONT
	// and SIGTERM, so that gopool stops its jobs' groups, then SIGKILL.
	env.Defer(func() {
		for _, p := range sp.procs {
			_ = p.cmd.Process.Signal(syscall.SIGCONT)
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.done:
			case <-time.After(5 * time.Second):
				_ = p.cmd.Process.Kill()
				<-p.done
			}
		}
	})
}

func cmdSpawn(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: spawn NAME PROG [ARG...]")
	}
	sp := ts.Value(spawnKey{}).(*spawned)
	name := args[0]
	if _, dup := sp.procs[name]; dup {
		ts.Fatalf("spawn: %s is already used", name)
	}
	path, err := lookPath(args[1], ts.Getenv("PATH"))
	ts.Check(err)
	cmd := exec.Command(path, args[2:]...)
	cmd.Dir = ts.MkAbs(".")
	for _, k := range sp.envKeys {
		cmd.Env = append(cmd.Env, k+"="+ts.Getenv(k))
	}
	cmd.Env = append(cmd.Env, "PWD="+cmd.Dir)
	stdout, err := os.Create(ts.MkAbs(name + ".stdout"))
	ts.Check(err)
	defer stdout.Close()
	stderr, err := os.Create(ts.MkAbs(name + ".stderr"))
	ts.Check(err)
	defer stderr.Close()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	ts.Check(cmd.Start())
	p := &spawnedProc{cmd: cmd, done: make(chan struct{})}
	sp.procs[name] = p
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	ts.Check(os.WriteFile(ts.MkAbs(name+".pid"), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o666))
}

func cmdAwait(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: await NAME CODE [WITHIN]")
	}
	sp := ts.Value(spawnKey{}).(*spawned)
	p, ok := sp.procs[args[0]]
	if !ok {
		ts.Fatalf("await: nothing spawned as %s", args[0])
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	within := 20 * time.Second
	if len(args) == 3 {
		within, err = time.ParseDuration(args[2])
		ts.Check(err)
	}
	start := time.Now()
	select {
	case <-p.done:
	case <-time.After(within):
		ts.Fatalf("await: %s still running after %v", args[0], within)
	}
	ts.Logf("%s exited after %v: %v", args[0], time.Since(start).Round(time.Millisecond), p.cmd.ProcessState)
	delete(sp.procs, args[0])
	got := p.cmd.ProcessState.ExitCode()
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		got = 128 + int(ws.Signal())
	}
	var ee *exec.ExitError
	if p.err != nil && !errors.As(p.err, &ee) {
		ts.Fatalf("await: %s: %v", args[0], p.err)
	}
	if got != want {
		ts.Fatalf("await: %s exit status: got %d, want %d", args[0], got, want)
	}
}

// lookPath finds prog in path (a PATH list), like exec.LookPath with the
// script's PATH.
func lookPath(prog, path string) (string, error) {
	if strings.Contains(prog, "/") {
		return prog, nil
	}
	for _, dir := range filepath.SplitList(path) {
		p := filepath.Join(dir, prog)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", errors.New("spawn: " + prog + ": not found in $PATH")
}

func cmdProcState(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: procstate PIDFILE STATES")
	}
	for _, pid := range readPids(ts, args[0]) {
		deadline := time.Now().Add(10 * time.Second)
		for {
			b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
			ts.Check(err)
			st := string(b)
			i := strings.LastIndexByte(st, ')')
			if i < 0 || i+2 >= len(st) {
				ts.Fatalf("procstate: bad /proc/%d/stat %q", pid, st)
			}
			state := st[i+2 : i+3]
			if strings.Contains(args[1], state) != neg {
				break
			}
			if time.Now().After(deadline) {
				ts.Fatalf("procstate: process %d is in state %s after 10s", pid, state)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

func cmdMountTmpfs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mounttmpfs DIR SIZE")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o777))
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+args[1], "tmpfs", dir).CombinedOutput()
	if err != nil {
		ts.Value(spawnKey{}).(*spawned).t.Skip("cannot mount a tmpfs: ", strings.TrimSpace(string(out)), " ", err)
	}
	ts.Defer(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			ts.Logf("umount %s: %v: %s", dir, err, out)
		}
	})
}
