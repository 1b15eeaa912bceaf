//go:build unix

package main

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gopool/gopool/internal/remote/sshlab"
)

// labKey is the key of a script's *labs in Env.Values.
type labKey struct{}

// labs holds the sshd lab a script started, and the hung hosts to resume.
type labs struct {
	t      testscript.T
	lab    *sshlab.Lab
	resume map[string]func()
}

func setupLab(env *testscript.Env) {
	env.Values[labKey{}] = &labs{t: env.T(), resume: map[string]func(){}}
}

// labT is the testing.TB that sshlab needs, on a script: a failure fails
// the script, cleanups run when it ends, a skip skips it. The embedded
// TB is nil: sshlab calls only the methods below.
type labT struct {
	testing.TB
	ts *testscript.TestScript
	t  testscript.T
}

func (l labT) Helper()                   {}
func (l labT) Cleanup(f func())          { l.ts.Defer(f) }
func (l labT) Fatalf(f string, a ...any) { l.ts.Fatalf(f, a...) }
func (l labT) Skipf(f string, a ...any)  { l.t.Skip(fmt.Sprintf(f, a...)) }
func (l labT) Logf(f string, a ...any)   { l.ts.Logf(f, a...) }

// cmdSSHLab is "sshlab N [MAXSESSIONS...]": start N sshd instances on
// loopback (host1...hostN), MaxSessions by host (64 when not given), as
// children of the test, stopped when the script ends. It sets SSHCFG to
// the lab's ssh_config and SSH to "ssh -F $SSHCFG", for --ssh. The script
// is skipped, saying why, when sshd cannot be had.
func cmdSSHLab(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: sshlab N [MAXSESSIONS...]")
	}
	l := ts.Value(labKey{}).(*labs)
	if l.lab != nil {
		ts.Fatalf("sshlab: already started")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 {
		ts.Fatalf("sshlab: bad number of hosts %q", args[0])
	}
	opt := sshlab.Options{Hosts: n}
	for _, a := range args[1:] {
		m, err := strconv.Atoi(a)
		if err != nil {
			ts.Fatalf("sshlab: bad MaxSessions %q", a)
		}
		opt.MaxSessions = append(opt.MaxSessions, m)
	}
	l.lab = sshlab.Start(labT{ts: ts, t: l.t}, opt)
	ts.Setenv("SSHCFG", l.lab.ConfigFile)
	ts.Setenv("SSH", "ssh -F "+l.lab.ConfigFile)
	ts.Defer(func() {
		for _, resume := range l.resume {
			resume()
		}
	})
}

// cmdSSHHost is "sshhost OP HOST": crash (kill the host's sshd and all
// under it, sessions included), refuse (kill its listener only), hang
// (SIGSTOP the servers of its open connections), resume (after hang), or
// start (again after crash or refuse).
func cmdSSHHost(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: sshhost crash|refuse|hang|resume|start HOST")
	}
	l := ts.Value(labKey{}).(*labs)
	if l.lab == nil {
		ts.Fatalf("sshhost: no sshlab")
	}
	var h *sshlab.Host
	for _, x := range l.lab.Hosts {
		if x.Name == args[1] {
			h = x
		}
	}
	if h == nil {
		ts.Fatalf("sshhost: no host %s", args[1])
	}
	switch args[0] {
	case "crash":
		h.Crash()
	case "refuse":
		h.Refuse()
	case "hang":
		l.resume[h.Name] = h.Hang()
	case "resume":
		if r := l.resume[h.Name]; r != nil {
			r()
			delete(l.resume, h.Name)
		}
	case "start":
		h.Start()
	default:
		ts.Fatalf("sshhost: unknown operation %s", args[0])
	}
}
