package runner

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
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

// pipeSizer is a Stdin that records the buffer size of the pipe the
// runner feeds it through.
type pipeSizer struct{ size int }

func (p *pipeSizer) Read([]byte) (int, error) { return 0, io.EOF }

func (p *pipeSizer) WriteTo(w io.Writer) (int64, error) {
	f, ok := w.(*os.File)
	if !ok {
		return 0, nil
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	err = rc.Control(func(fd uintptr) { p.size, _ = unix.FcntlInt(fd, unix.F_GETPIPE_SZ, 0) })
	return 0, err
}

// TestStdinBuffer checks that the pipe of a fed stdin gets the buffer
// Spec.StdinBuffer asks for, and the system's default without it.
func TestStdinBuffer(t *testing.T) {
	tests := []struct {
		name string
		ask  int
		want int
	}{
		{"default", 0, 64 << 10},
		{"256 KiB", 256 << 10, 256 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &pipeSizer{}
			res := Run(context.Background(), Spec{Argv: []string{self(t), "exit", "0"}, Stdin: in, StdinBuffer: tt.ask})
			if res.Failed() {
				t.Fatalf("got %+v, want success", res)
			}
			if in.size != tt.want {
				t.Errorf("got a pipe of %d bytes, want %d", in.size, tt.want)
			}
		})
	}
}
