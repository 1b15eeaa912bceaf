//go:build unix

package runner

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary act as a fake child (see helper), the way
// os/exec's tests do, so that the tests need no system tools.
const helperEnv = "GO_RUNNER_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		os.Exit(helper(os.Args[1:]))
	}
	// Inherited by the children the tests start; the race detector would
	// otherwise sleep 1s in every child that exits 0.
	os.Setenv(helperEnv, "1")
	os.Setenv("GORACE", "atexit_sleep_ms=0")
	os.Exit(m.Run())
}

// forever is long enough for a helper that waits to be stopped.
const forever = time.Hour

// helper runs the fake child named by args[0] and returns its exit code:
//
//	exit N                   exit with status N
//	kill-self SIGNUM         die by signal SIGNUM
//	echo ARG...              print each ARG on a line
//	outerr                   print out1 (stdout), err1 (stderr), out2 (stdout)
//	cat                      copy stdin to stdout
//	env NAME                 print $NAME
//	pwd                      print the working directory
//	ids                      print the pid and the process group id
//	hang [READY]             get ready (see ready), then wait
//	ignore-term [READY]      the same, but print "got TERM" on SIGTERM
//	spawn PIDFILE MODE OUT THEN
//	                         start a grandchild "MODE fd3" with stdout and
//	                         stderr inherited (OUT=inherit) or /dev/null
//	                         (OUT=detach), write its pid to PIDFILE once it
//	                         is ready, print "spawned", then THEN: exit
//	                         (status 0) or hang. SIGTERM is held until the
//	                         grandchild is started.
//	run-job PIDFILE          runner.Run a "hang pidfile PIDFILE" grandchild
func helper(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "helper: no mode")
		return 2
	}
	switch mode, args := args[0], args[1:]; mode {
	case "exit":
		n, _ := strconv.Atoi(args[0])
		return n
	case "kill-self":
		n, _ := strconv.Atoi(args[0])
		syscall.Kill(os.Getpid(), syscall.Signal(n))
		time.Sleep(forever)
	case "echo":
		for _, a := range args {
			fmt.Println(a)
		}
	case "outerr":
		os.Stdout.WriteString("out1\n")
		os.Stderr.WriteString("err1\n")
		os.Stdout.WriteString("out2\n")
	case "cat":
		io.Copy(os.Stdout, os.Stdin)
	case "env":
		fmt.Println(os.Getenv(args[0]))
	case "pwd":
		wd, _ := os.Getwd()
		fmt.Println(wd)
	case "ids":
		fmt.Println(os.Getpid(), syscall.Getpgrp())
	case "hang":
		ready(args)
		time.Sleep(forever)
	case "ignore-term":
		term := make(chan os.Signal, 1)
		signal.Notify(term, syscall.SIGTERM)
		go func() {
			for range term {
				fmt.Println("got TERM")
			}
		}()
		ready(args)
		time.Sleep(forever)
	case "spawn":
		return spawn(args[0], args[1], args[2], args[3])
	case "run-job":
		res := Run(context.Background(), Spec{Argv: []string{os.Args[0], "hang", "pidfile", args[0]}})
		fmt.Println(res.ExitCode)
	default:
		fmt.Fprintf(os.Stderr, "helper: unknown mode %q\n", mode)
		return 2
	}
	return 0
}

// ready tells the test that the helper is set up. With args "fd3" it
// writes to fd 3 and closes it; with "pidfile NAME" it writes its pid to
// NAME; in any other case it prints "ready".
func ready(args []string) {
	switch {
	case len(args) == 1 && args[0] == "fd3":
		f := os.NewFile(3, "ready")
		f.WriteString("ready\n")
		f.Close()
	case len(args) == 2 && args[0] == "pidfile":
		writePidFile(args[1], os.Getpid())
	default:
		fmt.Println("ready")
	}
}

func spawn(pidFile, mode, out, then string) int {
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	gc := exec.Command(os.Args[0], mode, "fd3")
	gc.ExtraFiles = []*os.File{w}
	if out == "inherit" {
		gc.Stdout, gc.Stderr = os.Stdout, os.Stderr
	}
	if err := gc.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	w.Close()
	io.Copy(io.Discard, r) // until the grandchild is ready or dead
	writePidFile(pidFile, gc.Process.Pid)
	fmt.Println("spawned")
	if then == "exit" {
		return 0
	}
	signal.Reset(syscall.SIGTERM)
	select {
	case <-term:
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
	default:
	}
	time.Sleep(forever)
	return 0
}

// writePidFile writes pid to name atomically, so that a reader never sees
// a partial pid.
func writePidFile(name string, pid int) {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(pid)), 0o600); err != nil {
		panic(err)
	}
	if err := os.Rename(tmp, name); err != nil {
		panic(err)
	}
}
