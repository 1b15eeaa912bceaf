//go:build unix

package watchdog

import (
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startGroup starts `sleep 300` in a process group of its own.
func startGroup(t *testing.T) *exec.Cmd {
	t.Helper()
	c := exec.Command("sleep", "300")
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	return c
}

// waitSignaled waits for c to end and reports the signal that ended it.
func waitSignaled(t *testing.T, c *exec.Cmd) syscall.Signal {
	t.Helper()
	done := make(chan struct{})
	go func() { c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the process did not end within 20s")
	}
	ws := c.ProcessState.Sys().(syscall.WaitStatus)
	return ws.Signal()
}

func TestServe(t *testing.T) {
	kept, removed := startGroup(t), startGroup(t)
	input := fmt.Sprintf("+%d\n+%d\n-%d\n+1\n+x\n-\n+%d", kept.Process.Pid, removed.Process.Pid,
		removed.Process.Pid, removed.Process.Pid) // the last line is torn: dropped
	if code := Serve(strings.NewReader(input)); code != 0 {
		t.Errorf("got exit %d, want 0", code)
	}
	if sig := waitSignaled(t, kept); sig != syscall.SIGKILL {
		t.Errorf("registered group: got signal %v, want SIGKILL", sig)
	}
	if err := syscall.Kill(removed.Process.Pid, 0); err != nil {
		t.Errorf("removed group: got %v, want it still running", err)
	}
}

// TestNilWatchdog checks that a nil Watchdog does nothing.
func TestNilWatchdog(t *testing.T) {
	var d *Watchdog
	d.Add(12345)
	d.Remove(12345)
	if err := d.Close(); err != nil {
		t.Errorf("got %v, want nil", err)
	}
}
