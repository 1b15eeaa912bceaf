//go:build unix

package sshlab

import (
	"os/exec"
	"strings"
	"testing"
)

func TestLab(t *testing.T) {
	l := Start(t, Options{Hosts: 2})
	for _, h := range l.Hosts {
		args := append(l.SSH()[1:], h.Name, "echo", "hi")
		out, err := exec.Command(l.SSH()[0], args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v: %s", h.Name, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != "hi" {
			t.Errorf("%s: got %q, want %q", h.Name, got, "hi")
		}
	}
	h := l.Hosts[0]
	h.Refuse()
	args := append(l.SSH()[1:], h.Name, "true")
	if err := exec.Command(l.SSH()[0], args...).Run(); err == nil {
		t.Errorf("%s refused: ssh succeeded, want it to fail", h.Name)
	}
	h.Start()
	if out, err := exec.Command(l.SSH()[0], args...).CombinedOutput(); err != nil {
		t.Errorf("%s restarted: %v: %s", h.Name, err, out)
	}
}
