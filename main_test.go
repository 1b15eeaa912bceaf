package main

import (
	"flag"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gopool/gopool/cmd"
)

var update = flag.Bool("u", false, "update testscript files with the output they produce")

func TestMain(m *testing.M) {
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
	// signal SIG PIDFILE: send SIG (INT, TERM, HUP, KILL, TSTP, CONT) to the
	// pid written in PIDFILE.
	"signal": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: signal SIG PIDFILE")
		}
		sigs := map[string]syscall.Signal{"INT": syscall.SIGINT, "TERM": syscall.SIGTERM, "HUP": syscall.SIGHUP,
			"KILL": syscall.SIGKILL, "TSTP": syscall.SIGTSTP, "CONT": syscall.SIGCONT}
		sig, ok := sigs[args[0]]
		if !ok {
			ts.Fatalf("signal: unknown signal %s", args[0])
		}
		ts.Check(syscall.Kill(readPid(ts, args[1]), sig))
	},
	// gone PIDFILE...: each pid in the files (one per line) is not running,
	// waiting up to 10s for the kernel to reap it. With !, each is running.
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
