//go:build unix

// Package sshlab starts real OpenSSH servers on loopback for tests: two or
// three hosts with generated keys and a private ssh_config, so that a test
// can run `ssh -F CONFIG hostN ...` without touching the user's ssh setup.
// The servers are children of the test process and are reaped at cleanup.
//
// A test that cannot have sshd (not installed, no ssh-keygen, not allowed
// to create sshd's privilege separation directory) is skipped with the
// reason.
package sshlab

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Options configures a Lab. The zero value gives two hosts.
type Options struct {
	// Hosts is the number of sshd instances; 0 means 2.
	Hosts int
	// MaxSessions is each host's sshd MaxSessions, by host index; a host
	// past the end of the slice (or a 0) gets 64.
	MaxSessions []int
}

// Lab is a set of running sshd instances and the files to reach them.
type Lab struct {
	// Dir is the lab's private directory (mode 0700): keys, configs, logs.
	Dir string
	// ConfigFile is the ssh_config that names the hosts host1, host2...
	ConfigFile string
	// Hosts are the servers, Hosts[0] named host1.
	Hosts []*Host

	t    testing.TB
	sshd string
}

// Host is one sshd instance, known to ssh as Name.
type Host struct {
	// Name is the host's name in the lab's ssh_config (host1, host2...).
	Name string
	// Port is the loopback port the server listens on.
	Port int

	lab     *Lab
	index   int
	cfgFile string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has been reaped
}

// sshdPath is where Debian's openssh-server installs the server.
const sshdPath = "/usr/sbin/sshd"

// Start starts a lab, or skips the test saying why it cannot. The servers
// are stopped and reaped by t.Cleanup.
func Start(t testing.TB, opt Options) *Lab {
	t.Helper()
	sshd, err := exec.LookPath(sshdPath)
	if err != nil {
		if sshd, err = exec.LookPath("sshd"); err != nil {
			t.Skipf("sshlab: no sshd (install openssh-server): %v", err)
		}
	}
	for _, tool := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("sshlab: no %s (install openssh-client): %v", tool, err)
		}
	}
	if err := privsepDir(); err != nil {
		t.Skipf("sshlab: %v", err)
	}
	if opt.Hosts <= 0 {
		opt.Hosts = 2
	}
	dir, err := os.MkdirTemp("", "sshlab-")
	if err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	l := &Lab{Dir: dir, ConfigFile: filepath.Join(dir, "ssh_config"), t: t, sshd: sshd}
	for _, name := range []string{"host_ed25519", "id_ed25519"} {
		out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sshlab", "-f", filepath.Join(dir, name)).CombinedOutput()
		if err != nil {
			t.Fatalf("sshlab: ssh-keygen: %v: %s", err, out)
		}
	}
	pub, err := os.ReadFile(filepath.Join(dir, "id_ed25519.pub"))
	if err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600); err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	penalties := l.knowsOption("PerSourcePenalties no")
	for i := range opt.Hosts {
		h := &Host{Name: "host" + strconv.Itoa(i+1), lab: l, index: i}
		h.cfgFile = filepath.Join(dir, "sshd_"+h.Name+".conf")
		maxSessions := 64
		if i < len(opt.MaxSessions) && opt.MaxSessions[i] > 0 {
			maxSessions = opt.MaxSessions[i]
		}
		l.Hosts = append(l.Hosts, h)
		t.Cleanup(h.kill)
		if err := h.startFresh(maxSessions, penalties); err != nil {
			t.Fatalf("sshlab: %s: %v", h.Name, err)
		}
	}
	if err := l.writeClientFiles(); err != nil {
		t.Fatalf("sshlab: %v", err)
	}
	return l
}

// privsepDir makes sure sshd's privilege separation directory exists.
func privsepDir() error {
	const dir = "/run/sshd"
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create sshd's %s (run as root, or create it): %w", dir, err)
	}
	return nil
}

// knowsOption reports whether this sshd accepts the config line opt
// (PerSourcePenalties is OpenSSH 9.8+; without it, killed sessions lock
// the test client out).
func (l *Lab) knowsOption(opt string) bool {
	cfg := filepath.Join(l.Dir, "probe.conf")
	text := fmt.Sprintf("HostKey %s\n%s\n", filepath.Join(l.Dir, "host_ed25519"), opt)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		return false
	}
	return exec.Command(l.sshd, "-t", "-f", cfg).Run() == nil
}

// startFresh writes the host's sshd config on a free port and starts it.
// A port taken between choosing and binding is retried with another.
func (h *Host) startFresh(maxSessions int, penalties bool) error {
	var last error
	for range 5 {
		port, err := freePort()
		if err != nil {
			return err
		}
		h.Port = port
		if err := h.writeConfig(maxSessions, penalties); err != nil {
			return err
		}
		if last = h.start(); last == nil {
			return nil
		}
	}
	return last
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (h *Host) writeConfig(maxSessions int, penalties bool) error {
	d := h.lab.Dir
	var b strings.Builder
	fmt.Fprintf(&b, "Port %d\nListenAddress 127.0.0.1\n", h.Port)
	fmt.Fprintf(&b, "HostKey %s\n", filepath.Join(d, "host_ed25519"))
	fmt.Fprintf(&b, "PidFile none\n")
	fmt.Fprintf(&b, "AuthorizedKeysFile %s\n", filepath.Join(d, "authorized_keys"))
	b.WriteString("PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n")
	b.WriteString("StrictModes no\nPermitRootLogin prohibit-password\n")
	// bash reads ~/.bashrc at each login unless SHLVL is set.
	b.WriteString("SetEnv SHLVL=1\n")
	fmt.Fprintf(&b, "MaxSessions %d\n", maxSessions)
	b.WriteString("MaxStartups 100:30:200\nLogLevel ERROR\n")
	if penalties {
		b.WriteString("PerSourcePenalties no\n")
	}
	return os.WriteFile(h.cfgFile, []byte(b.String()), 0o600)
}

// writeClientFiles writes known_hosts and ssh_config for every host.
func (l *Lab) writeClientFiles() error {
	hostPub, err := os.ReadFile(filepath.Join(l.Dir, "host_ed25519.pub"))
	if err != nil {
		return err
	}
	fields := strings.Fields(string(hostPub))
	if len(fields) < 2 {
		return fmt.Errorf("bad host key %q", hostPub)
	}
	var names []string
	for _, h := range l.Hosts {
		names = append(names, fmt.Sprintf("[127.0.0.1]:%d", h.Port))
	}
	known := strings.Join(names, ",") + " " + fields[0] + " " + fields[1] + "\n"
	if err := os.WriteFile(filepath.Join(l.Dir, "known_hosts"), []byte(known), 0o600); err != nil {
		return err
	}
	me := "root"
	if u, err := user.Current(); err == nil {
		me = u.Username
	}
	var b strings.Builder
	for _, h := range l.Hosts {
		fmt.Fprintf(&b, "Host %s\n  HostName 127.0.0.1\n  Port %d\n", h.Name, h.Port)
	}
	fmt.Fprintf(&b, "Host *\n  User %s\n  IdentityFile %s\n  IdentitiesOnly yes\n  IdentityAgent none\n", me, filepath.Join(l.Dir, "id_ed25519"))
	fmt.Fprintf(&b, "  UserKnownHostsFile %s\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n", filepath.Join(l.Dir, "known_hosts"))
	b.WriteString("  BatchMode yes\n  ConnectTimeout 5\n  ServerAliveInterval 1\n  ServerAliveCountMax 2\n")
	return os.WriteFile(l.ConfigFile, []byte(b.String()), 0o600)
}

// SSH returns the ssh command that uses the lab's config: ssh -F CONFIG.
func (l *Lab) SSH() []string { return []string{"ssh", "-F", l.ConfigFile} }

// SSHCommand returns SSH as one --ssh value.
func (l *Lab) SSHCommand() string { return "ssh -F '" + l.ConfigFile + "'" }

// start starts the host's listener and waits until it answers with an SSH
// banner.
func (h *Host) start() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cmd != nil {
		return errors.New("already running")
	}
	logf, err := os.OpenFile(filepath.Join(h.lab.Dir, "sshd_"+h.Name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(h.lab.sshd, "-D", "-e", "-f", h.cfgFile)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start sshd: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	h.cmd, h.done = cmd, done
	deadline := time.Now().Add(10 * time.Second)
	for {
		if banner(h.Port) {
			return nil
		}
		select {
		case <-done:
			h.cmd = nil
			log, _ := os.ReadFile(logf.Name())
			return fmt.Errorf("sshd exited at start: %s", bytes.TrimSpace(log))
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("sshd did not answer within 10s")
		}
	}
}

// banner reports whether an SSH server answers on port.
func banner(port int) bool {
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "SSH-")
}

// Start starts the host's listener again after Refuse or Crash, on the same
// port.
func (h *Host) Start() {
	h.lab.t.Helper()
	if err := h.start(); err != nil {
		h.lab.t.Fatalf("sshlab: restart %s: %v", h.Name, err)
	}
}

// Refuse stops the listener only: new connections are refused, sessions
// already open go on.
func (h *Host) Refuse() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cmd == nil {
		return
	}
	_ = h.cmd.Process.Kill()
	<-h.done
	h.cmd = nil
}

// Crash kills the listener, every process under it (the per-connection
// servers, which leave its process group, and the sessions' processes),
// as if the machine had died.
func (h *Host) Crash() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cmd == nil {
		return
	}
	pids := descendants(h.cmd.Process.Pid)
	_ = h.cmd.Process.Kill()
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	<-h.done
	h.cmd = nil
}

// Hang stops (SIGSTOP) the per-connection servers of the open connections,
// so that they neither answer nor close: a hung machine. The listener
// goes on accepting. resume continues them.
func (h *Host) Hang() (resume func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cmd == nil {
		return func() {}
	}
	var stopped []int
	for _, pid := range descendants(h.cmd.Process.Pid) {
		if comm(pid) == "sshd" && syscall.Kill(pid, syscall.SIGSTOP) == nil {
			stopped = append(stopped, pid)
		}
	}
	return func() {
		for _, pid := range stopped {
			_ = syscall.Kill(pid, syscall.SIGCONT)
		}
	}
}

// Connections returns the pids of the per-connection servers (the direct
// children of the listener).
func (h *Host) Connections() []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cmd == nil {
		return nil
	}
	return children(h.cmd.Process.Pid)
}

// kill stops everything under the host at cleanup.
func (h *Host) kill() { h.Crash() }
