//go:build !unix

package sshlab

import "testing"

// Options configures a Lab.
type Options struct {
	Hosts       int
	MaxSessions []int
}

// Lab is a set of running sshd instances; this platform has none.
type Lab struct {
	Dir        string
	ConfigFile string
	Hosts      []*Host
}

// Host is one sshd instance.
type Host struct {
	Name string
	Port int
}

// Start skips the test: the lab needs a Unix sshd.
func Start(t testing.TB, opt Options) *Lab {
	t.Skip("sshlab: needs a Unix system with OpenSSH's sshd")
	return nil
}

// SSH returns the ssh command that uses the lab's config.
func (l *Lab) SSH() []string { return []string{"ssh", "-F", l.ConfigFile} }

// SSHCommand returns SSH as one --ssh value.
func (l *Lab) SSHCommand() string { return "ssh -F '" + l.ConfigFile + "'" }

// Start does nothing here.
func (h *Host) Start() {}

// Refuse does nothing here.
func (h *Host) Refuse() {}

// Crash does nothing here.
func (h *Host) Crash() {}

// Hang does nothing here.
func (h *Host) Hang() (resume func()) { return func() {} }

// Connections returns nothing here.
func (h *Host) Connections() []int { return nil }

// Alive reports false here.
func Alive(pid int) bool { return false }
