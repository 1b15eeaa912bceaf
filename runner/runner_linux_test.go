package runner

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestParentDeathKillsChild kills a gopool stand-in (the helper "run-job",
// which runs a child with Run) with SIGKILL, and checks that the kernel
// kills the child too.
func TestParentDeathKillsChild(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	parent := exec.Command(self(t), "run-job", pidFile)
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	pid := readPidFile(t, pidFile)
	if err := parent.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	if err := parent.Wait(); err == nil {
		t.Fatalf("got a parent that exited by itself, want it killed")
	}
	assertGone(t, pid)
}

func TestHasLiveMember(t *testing.T) {
	if !hasLiveMember(syscall.Getpgrp()) {
		t.Errorf("hasLiveMember(own group): got false, want true")
	}
	if hasLiveMember(1 << 30) {
		t.Errorf("hasLiveMember(no such group): got true, want false")
	}
}
