package runner

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// sysProcAttr puts the child in a process group of its own (pgid = pid) and
// has the kernel SIGKILL it when gopool dies, even by SIGKILL.
//
// The parent-death signal fires when the thread that forked the child
// exits, not the process (prctl(2); golang/go#27505). That is reliable here:
// the Go runtime never ends an idle OS thread; it only ends one when a
// goroutine locked to it (runtime.LockOSThread) exits without unlocking,
// and Run never locks the thread around cmd.Start. A caller of Run that
// locks its goroutine's thread and lets that goroutine exit while the job
// runs would kill the job; gopool's pool does not lock threads. The child
// also checks, right after its prctl, that its parent did not die before
// the prctl took effect (syscall's forkAndExecInChild compares the parent
// pid), so there is no window at start either.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// hasLiveMember reports whether a process of group pgid is not a zombie,
// from /proc/PID/stat. It reads every process's stat file, so it is only
// used to poll a group that outlived its leader; if /proc cannot be read it
// reports true.
func hasLiveMember(pgid int) bool {
	proc, err := os.Open("/proc")
	if err != nil {
		return true
	}
	defer proc.Close()
	names, err := proc.Readdirnames(-1)
	if err != nil {
		return true
	}
	buf := make([]byte, 512)
	for _, name := range names {
		if name[0] < '0' || name[0] > '9' {
			continue
		}
		state, pg, ok := readStat(name, buf)
		if ok && pg == pgid && state != 'Z' && state != 'X' {
			return true
		}
	}
	return false
}

// readStat reads the state and process group of process pid (a decimal
// string) from /proc/PID/stat: "pid (comm) state ppid pgrp ...", where comm
// may hold spaces and parentheses.
func readStat(pid string, buf []byte) (state byte, pgrp int, ok bool) {
	f, err := os.Open("/proc/" + pid + "/stat")
	if err != nil {
		return 0, 0, false
	}
	n, _ := f.Read(buf)
	f.Close()
	b := buf[:n]
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, false
	}
	fields := bytes.Fields(b[i+1:])
	if len(fields) < 3 || len(fields[0]) != 1 {
		return 0, 0, false
	}
	pg, err := strconv.Atoi(string(fields[2]))
	if err != nil {
		return 0, 0, false
	}
	return fields[0][0], pg, true
}
