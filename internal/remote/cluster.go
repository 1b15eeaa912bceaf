package remote

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gopool/gopool/runner"
)

// Defaults of Config.
const (
	DefaultHostTimeout       = 60 * time.Second
	DefaultSessionsPerMaster = 8
	DefaultProbeTimeout      = 30 * time.Second
	defaultBackoff           = time.Second
	maxBackoff               = 30 * time.Second
)

// Config is how a Cluster reaches its hosts; cmd fills it from the
// options. The zero value (with Logins) works: ssh from PATH, connection
// sharing on, one slot per remote core.
type Config struct {
	// Logins are the hosts, from ParseLogins / ParseLoginFile. A login
	// that appears twice is two hosts.
	Logins []Login
	// SSH is the ssh command split into words (ParseSSH); nil means ssh.
	SSH []string
	// NoControlMaster turns connection sharing off: every job logs in.
	NoControlMaster bool
	// SessionsPerMaster is how many jobs share one master connection; a
	// host with more slots gets more masters. 0 means 8 (sshd's
	// MaxSessions is 10 by default, and the master's own session counts).
	SessionsPerMaster int
	// Slots gives a host's slots from its core count (-j per host); nil
	// means one slot per core. A login's "N/" wins over it.
	Slots func(cores int) int
	// EnvNames are the --env variables sent to each job, from the job's
	// runner.Spec.Env (or gopool's environment when it is nil).
	EnvNames []string
	// Workdir is --workdir: "" is the login directory, "..." a fresh
	// directory per run under ~/.gopool/tmp (removed at Close), "." the
	// local working directory relative to $HOME, else a remote path.
	Workdir string
	// Basefiles are sent to each host once, before its first job
	// (--basefile); with Cleanup they are removed at Close.
	Basefiles []string
	// Cleanup removes a job's transferred and returned files after it,
	// and the basefiles at Close (--cleanup).
	Cleanup bool
	// HostTimeout is how long Acquire waits while no host is usable
	// before it fails; 0 means 60s.
	HostTimeout time.Duration
	// ProbeTimeout bounds a host's login and probe; 0 means 30s.
	ProbeTimeout time.Duration
	// SSHDelay is the least time between two ssh starts (--sshdelay).
	SSHDelay time.Duration
	// FilterHosts probes every host in Start and drops those that fail
	// (--filter-hosts).
	FilterHosts bool
	// Backoff is the first wait before a set-aside host is probed again;
	// it doubles up to 30s. 0 means 1s.
	Backoff time.Duration
	// Stderr receives one line when a host is set aside and when it comes
	// back; nil discards them.
	Stderr io.Writer
}

// ErrNoHosts is in Acquire's error when no host has been usable for
// Config.HostTimeout.
var ErrNoHosts = errors.New("no usable host")

// Cluster is the set of hosts of a run. Start probes them; Acquire hands
// out job slots, spread over the hosts with free slots; Close closes the
// shared connections.
//
// Lifecycle and goroutines: Start starts one goroutine per host, which
// logs in, probes and, while the host is set aside, probes again with
// backoff; each master connection has one goroutine that waits for it.
// Close stops them all and waits for them. A Cluster is safe for
// concurrent use.
type Cluster struct {
	cfg     Config
	ssh     []string
	nonce   string
	sockDir string
	runDir  string // the remote "..." workdir, relative to home
	stderr  io.Writer

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	hosts   []*Host
	changed chan struct{} // closed and replaced at every state change
	next    int           // round robin start
	closed  bool
	ready   chan struct{} // closed when every host has had its first probe

	delayMu sync.Mutex
	nextSSH time.Time

	noRsync bool // tests: transfers go the tar way
}

// hostState is where a host is in its life.
type hostState int

const (
	probing hostState = iota // logging in for the first time
	up                       // usable
	down                     // set aside, probed again with backoff
	dropped                  // removed by --filter-hosts, or closed
)

// Host is one login of a Cluster.
type Host struct {
	c     *Cluster
	login Login
	index int

	// Guarded by c.mu.
	state     hostState
	slots     int
	free      []int
	gen       int
	masters   []*master
	info      probeInfo
	reason    string
	downSince time.Time     // when it last stopped being usable
	wake      chan struct{} // closed when it is set aside

	aliveOnce sync.Once // keepsAlive asks ssh -G once
	alive     bool
}

// Login returns the host's login as the user wrote it (":" for the local
// machine): the joblog's Host column and GOPOOL_SSHLOGIN.
func (h *Host) Login() string { return h.login.Raw }

// Name returns the host name alone (GOPOOL_HOST).
func (h *Host) Name() string { return h.login.Host }

// Local reports whether the host is the local machine (":"): its jobs are
// run by the caller's local launcher, not through ssh.
func (h *Host) Local() bool { return h.login.Local() }

// Slots returns the host's number of slots, 0 while it is not known yet.
func (h *Host) Slots() int {
	h.c.mu.Lock()
	defer h.c.mu.Unlock()
	return h.slots
}

// probeInfo is what the probe learnt of a host.
type probeInfo struct {
	cores               int
	setsid, perl, rsync bool
	tar                 bool
	home, tmp           string
}

// master is one ControlMaster connection: a local ssh whose first session
// holds the probe and then waits for its stdin to close.
type master struct {
	sock  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{}
}

// New checks cfg and makes a Cluster; nothing is started yet.
func New(cfg Config) (*Cluster, error) {
	if len(cfg.Logins) == 0 {
		return nil, errors.New("no --sshlogin")
	}
	if cfg.SessionsPerMaster <= 0 {
		cfg.SessionsPerMaster = DefaultSessionsPerMaster
	}
	if cfg.HostTimeout <= 0 {
		cfg.HostTimeout = DefaultHostTimeout
	}
	if cfg.ProbeTimeout <= 0 {
		cfg.ProbeTimeout = DefaultProbeTimeout
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = defaultBackoff
	}
	for _, name := range cfg.EnvNames {
		if !validName(name) {
			return nil, fmt.Errorf("--env %q: not a variable name", name)
		}
	}
	c := &Cluster{cfg: cfg, ssh: cfg.SSH, stderr: cfg.Stderr, changed: make(chan struct{}), ready: make(chan struct{})}
	if len(c.ssh) == 0 {
		c.ssh = []string{"ssh"}
	}
	if c.stderr == nil {
		c.stderr = io.Discard
	}
	// The runtime's generator (ChaCha8, seeded by the OS) is enough for a
	// nonce that a job's own output cannot guess.
	c.nonce = fmt.Sprintf("%016x", rand.Uint64())
	c.runDir = ".gopool/tmp/run-" + c.nonce
	for i, l := range cfg.Logins {
		c.hosts = append(c.hosts, &Host{c: c, login: l, index: i, wake: make(chan struct{})})
	}
	return c, nil
}

// validName reports whether s can be a shell variable name.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '_' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || i > 0 && ch >= '0' && ch <= '9' {
			continue
		}
		return false
	}
	return true
}

// Hosts returns the hosts, in the order of the logins (--onall pins a
// job to each with AcquireOn). Hosts dropped by FilterHosts are left out.
func (c *Cluster) Hosts() []*Host {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*Host
	for _, h := range c.hosts {
		if h.state != dropped {
			out = append(out, h)
		}
	}
	return out
}

// Start makes the socket directory and logs in to every host. It returns
// at once, the hosts coming up in the background, unless FilterHosts is
// set: then it waits for every host's first probe, drops those that
// failed, and fails if none is left.
func (c *Cluster) Start(ctx context.Context) error {
	if !c.cfg.NoControlMaster {
		dir, err := socketDir()
		if err != nil {
			return err
		}
		c.sockDir = dir
	}
	c.ctx, c.cancel = context.WithCancel(context.WithoutCancel(ctx))
	c.mu.Lock()
	for _, h := range c.hosts {
		h.downSince = time.Now()
	}
	c.mu.Unlock()
	first := make(chan struct{}, len(c.hosts))
	for _, h := range c.hosts {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			h.life(first)
		}()
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		for range c.hosts {
			select {
			case <-first:
			case <-c.ctx.Done():
				return
			}
		}
		close(c.ready)
	}()
	if !c.cfg.FilterHosts {
		return nil
	}
	select {
	case <-c.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	left := 0
	var why []string
	for _, h := range c.hosts {
		if h.state == up {
			left++
			continue
		}
		why = append(why, h.login.Raw+": "+h.reason)
		h.state = dropped
		h.closeMastersLocked()
	}
	if left == 0 {
		return fmt.Errorf("--filter-hosts: %w: %s", ErrNoHosts, strings.Join(why, "; "))
	}
	return nil
}

// Ready waits until every host has had its first login and probe (each
// bounded by Config.ProbeTimeout) and returns the number of slots on the
// hosts that are up: a size for the pool. Jobs may be started before.
func (c *Cluster) Ready(ctx context.Context) (int, error) {
	select {
	case <-c.ready:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, h := range c.hosts {
		if h.state == up {
			n += h.slots
		}
	}
	return n, nil
}

// socketDir makes the private directory for the masters' sockets, with a
// path short enough for a Unix socket name.
func socketDir() (string, error) {
	base := os.TempDir()
	if len(base) > 40 || strings.ContainsAny(base, " %\"'") {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "gopool-ssh-")
	if err != nil {
		return "", fmt.Errorf("control socket directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", fmt.Errorf("control socket directory: %w", err)
	}
	return dir, nil
}

// broadcastLocked wakes every Acquire.
func (c *Cluster) broadcastLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Slot is one job place on a host, from Acquire. Start a job on it, then
// Release it.
type Slot struct {
	host  *Host
	index int
	gen   int
}

// Host returns the slot's host.
func (s *Slot) Host() *Host { return s.host }

// Index returns the slot's number on its host, from 0.
func (s *Slot) Index() int { return s.index }

// Release gives the slot back.
func (s *Slot) Release() {
	c := s.host.c
	c.mu.Lock()
	defer c.mu.Unlock()
	h := s.host
	if h.gen == s.gen && h.state == up {
		h.free = append(h.free, s.index)
	}
	c.broadcastLocked()
}

// Acquire waits for a free slot and returns it. It prefers hosts for which
// avoid (which may be nil) returns false, and among them the one with the
// most free slots; it takes an avoided host only when every usable host is
// avoided. It fails when ctx is done, or with ErrNoHosts when no host has
// been usable for Config.HostTimeout.
func (c *Cluster) Acquire(ctx context.Context, avoid func(*Host) bool) (*Slot, error) {
	return c.acquire(ctx, func(h *Host) int {
		if avoid != nil && avoid(h) {
			return 1
		}
		return 2
	})
}

// AcquireOn waits for a free slot on h alone (--onall, --nonall).
func (c *Cluster) AcquireOn(ctx context.Context, h *Host) (*Slot, error) {
	return c.acquire(ctx, func(x *Host) int {
		if x == h {
			return 2
		}
		return 0
	})
}

// acquire takes a free slot on the usable host of highest rank (0 is
// never), most free slots first, round robin among equals; it waits while
// a better-ranked usable host is full.
func (c *Cluster) acquire(ctx context.Context, rank func(*Host) int) (*Slot, error) {
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, errors.New("cluster closed")
		}
		bestUp := 0 // best rank among usable hosts, full or not
		var pick *Host
		pickRank := 0
		n := len(c.hosts)
		for k := range n {
			h := c.hosts[(c.next+k)%n]
			r := rank(h)
			if h.state != up || r == 0 {
				continue
			}
			bestUp = max(bestUp, r)
			if len(h.free) == 0 {
				continue
			}
			if pick == nil || r > pickRank || r == pickRank && len(h.free) > len(pick.free) {
				pick, pickRank = h, r
			}
		}
		if pick != nil && pickRank == bestUp {
			idx := pick.free[0]
			pick.free = pick.free[1:]
			c.next = (pick.index + 1) % n
			s := &Slot{host: pick, index: idx, gen: pick.gen}
			c.mu.Unlock()
			return s, nil
		}
		changed := c.changed
		var timeout <-chan time.Time
		if bestUp == 0 && !c.anyProbingLocked(rank) {
			left := c.downForLocked(rank)
			if left <= 0 {
				err := fmt.Errorf("%w for %v: %s", ErrNoHosts, c.cfg.HostTimeout, c.reasonsLocked(rank))
				c.mu.Unlock()
				return nil, err
			}
			t := time.NewTimer(left)
			defer t.Stop()
			timeout = t.C
		}
		c.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-changed:
		case <-timeout:
		}
	}
}

// downForLocked returns how long until every wanted host has been unusable
// for HostTimeout (<= 0: they have).
func (c *Cluster) downForLocked(rank func(*Host) int) time.Duration {
	left := time.Duration(-1 << 63)
	for _, h := range c.hosts {
		if rank(h) > 0 && h.state != dropped {
			left = max(left, c.cfg.HostTimeout-time.Since(h.downSince))
		}
	}
	return left
}

// anyProbingLocked reports whether a wanted host is still in its first
// probe: the host timeout runs only once each has had its chance.
func (c *Cluster) anyProbingLocked(rank func(*Host) int) bool {
	for _, h := range c.hosts {
		if h.state == probing && rank(h) > 0 {
			return true
		}
	}
	return false
}

func (c *Cluster) reasonsLocked(rank func(*Host) int) string {
	var why []string
	for _, h := range c.hosts {
		if rank(h) > 0 && h.state != dropped {
			why = append(why, h.login.Raw+": "+h.reason)
		}
	}
	return strings.Join(why, "; ")
}

// throttle waits so that ssh starts are SSHDelay apart.
func (c *Cluster) throttle(ctx context.Context) error {
	if c.cfg.SSHDelay <= 0 {
		return nil
	}
	c.delayMu.Lock()
	at := time.Now()
	if c.nextSSH.After(at) {
		at = c.nextSSH
	}
	c.nextSSH = at.Add(c.cfg.SSHDelay)
	c.delayMu.Unlock()
	t := time.NewTimer(time.Until(at))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// life logs in to h, and again with backoff whenever it is set aside,
// until the cluster closes. It sends on first after the first attempt.
func (h *Host) life(first chan<- struct{}) {
	c := h.c
	if h.Local() {
		c.mu.Lock()
		h.state = up
		h.slots = h.login.Slots
		if h.slots == 0 {
			h.slots = runtime.NumCPU()
			if c.cfg.Slots != nil {
				h.slots = max(1, c.cfg.Slots(h.slots))
			}
		}
		h.resetFreeLocked()
		c.broadcastLocked()
		c.mu.Unlock()
		first <- struct{}{}
		return
	}
	backoff := c.cfg.Backoff
	firstDone := false
	for {
		err := h.connect(c.ctx)
		c.mu.Lock()
		if c.closed || h.state == dropped {
			c.mu.Unlock()
			if !firstDone {
				first <- struct{}{}
			}
			return
		}
		wasDown := h.state == down
		if err == nil {
			h.state = up
			h.reason = ""
			backoff = c.cfg.Backoff
			if wasDown {
				fmt.Fprintf(c.stderr, "gopool: host %s is back\n", h.login.Raw)
			}
		} else {
			h.reason = err.Error()
			if h.state == probing || h.state == up {
				fmt.Fprintf(c.stderr, "gopool: host %s set aside: %v\n", h.login.Raw, err)
			}
			if h.state == up {
				h.downSince = time.Now()
			}
			h.state = down
		}
		c.broadcastLocked()
		wake := h.wake
		state := h.state
		c.mu.Unlock()
		if !firstDone {
			first <- struct{}{}
			firstDone = true
		}
		if state == up {
			// Wait until set aside, then wait the backoff.
			select {
			case <-c.ctx.Done():
				return
			case <-wake:
			}
		}
		t := time.NewTimer(backoff)
		select {
		case <-c.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// setAside takes h out of placement after a job failed to start or was
// lost there, or its master died: one line on stderr, then probes again
// with backoff. gen is the generation the failure belongs to; a failure
// of an older generation is ignored.
func (h *Host) setAside(gen int, why string) {
	c := h.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || h.gen != gen || h.state != up {
		return
	}
	h.state = down
	h.downSince = time.Now()
	h.reason = why
	h.free = nil
	fmt.Fprintf(c.stderr, "gopool: host %s set aside: %s\n", h.login.Raw, why)
	h.closeMastersLocked()
	close(h.wake)
	h.wake = make(chan struct{})
	c.broadcastLocked()
}

func (h *Host) resetFreeLocked() {
	h.free = h.free[:0]
	for i := range h.slots {
		h.free = append(h.free, i)
	}
}

// connect logs in and probes h; with connection sharing, it starts the
// host's masters. On success the host has fresh slots of a new generation.
func (h *Host) connect(ctx context.Context) error {
	c := h.c
	c.mu.Lock()
	h.closeMastersLocked()
	h.gen++
	gen := h.gen
	c.mu.Unlock()

	pctx, cancel := context.WithTimeout(ctx, c.cfg.ProbeTimeout)
	defer cancel()
	m, info, err := h.startMaster(pctx, gen, 0)
	if err != nil {
		return err
	}
	slots := h.login.Slots
	if slots == 0 {
		slots = max(1, info.cores)
		if c.cfg.Slots != nil {
			slots = max(1, c.cfg.Slots(slots))
		}
	}
	masters := []*master{m}
	if m != nil {
		need := (slots + c.cfg.SessionsPerMaster - 1) / c.cfg.SessionsPerMaster
		type res struct {
			m   *master
			err error
		}
		ch := make(chan res, need)
		for k := 1; k < need; k++ {
			go func() {
				m, _, err := h.startMaster(pctx, gen, k)
				ch <- res{m, err}
			}()
		}
		for k := 1; k < need; k++ {
			r := <-ch
			if r.err != nil {
				err = r.err
			}
			if r.m != nil {
				masters = append(masters, r.m)
			}
		}
		if err != nil {
			for _, m := range masters {
				m.close(h)
			}
			return err
		}
	}
	c.mu.Lock()
	if c.closed || h.gen != gen || h.state == dropped {
		c.mu.Unlock()
		for _, m := range masters {
			if m != nil {
				m.close(h)
			}
		}
		return errors.New("closed")
	}
	if m != nil {
		h.masters = masters
	}
	h.info = info
	h.slots = slots
	c.mu.Unlock()

	if len(c.cfg.Basefiles) > 0 {
		if _, err := h.send(pctx, h.masterFor(0, gen), c.cfg.Basefiles); err != nil {
			return fmt.Errorf("basefiles: %w", err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if h.gen != gen {
		return errors.New("closed")
	}
	h.resetFreeLocked()
	if m != nil {
		for _, m := range masters {
			c.wg.Add(1)
			go func() {
				defer c.wg.Done()
				select {
				case <-m.done:
					h.setAside(gen, "connection closed")
				case <-c.ctx.Done():
				}
			}()
		}
	}
	return nil
}

// closeMastersLocked lets h's masters go: their first session's stdin
// closes, and each ends once the jobs still running over it have (a dead
// connection ends at once).
func (h *Host) closeMastersLocked() {
	for _, m := range h.masters {
		m.stdin.Close()
	}
	h.masters = nil
}

// masterFor returns the master that slot index uses, nil without
// connection sharing.
func (h *Host) masterFor(index, gen int) *master {
	h.c.mu.Lock()
	defer h.c.mu.Unlock()
	if len(h.masters) == 0 || h.gen != gen {
		return nil
	}
	return h.masters[index%len(h.masters)]
}

// sshArgs returns the ssh command for one session: through m, or a login
// of its own when m is nil.
func (h *Host) sshArgs(m *master, command string) []string {
	c := h.c
	args := append([]string(nil), c.ssh...)
	args = append(args, "-T")
	if m != nil {
		args = append(args, "-o", "ControlMaster=no", "-o", "ControlPath="+m.sock)
	} else {
		args = append(args, "-o", "ControlMaster=no", "-o", "ControlPath=none")
	}
	return append(args, h.target(command)...)
}

// target returns [-l user] [-p port] host command.
func (h *Host) target(command string) []string {
	var args []string
	if h.login.User != "" {
		args = append(args, "-l", h.login.User)
	}
	if h.login.Port != 0 {
		args = append(args, "-p", strconv.Itoa(h.login.Port))
	}
	return append(args, h.login.Host, command)
}

// startMaster logs in with the probe script as the first session. With
// connection sharing the ssh becomes master number k of generation gen
// and stays; without, it ends after the probe and m is nil.
func (h *Host) startMaster(ctx context.Context, gen, k int) (*master, probeInfo, error) {
	c := h.c
	if err := c.throttle(ctx); err != nil {
		return nil, probeInfo{}, err
	}
	args := append([]string(nil), c.ssh...)
	args = append(args, "-T")
	var sock string
	if !c.cfg.NoControlMaster {
		sock = filepath.Join(c.sockDir, fmt.Sprintf("%d.%d.%d", h.index, gen, k))
		args = append(args, "-o", "ControlMaster=yes", "-o", "ControlPersist=no", "-o", "ControlPath="+sock)
	} else {
		args = append(args, "-o", "ControlMaster=no", "-o", "ControlPath=none")
	}
	if !h.keepsAlive() {
		args = append(args, "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3")
	}
	args = append(args, h.target(remoteCommand)...)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.SysProcAttr = sshSysProcAttr()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, probeInfo{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, probeInfo{}, err
	}
	var errBuf tailBuffer
	cmd.Stderr = &errBuf
	if err := cmd.Start(); err != nil {
		return nil, probeInfo{}, fmt.Errorf("start %q: %w", args[0], err)
	}
	m := &master{sock: sock, cmd: cmd, stdin: stdin, done: make(chan struct{})}
	if _, err := io.WriteString(stdin, probeScript(c.nonce)); err != nil {
		_ = cmd.Process.Kill()
	}
	infoCh := make(chan probeInfo, 1)
	go func() {
		info, ok := readProbe(stdout, c.nonce)
		if ok {
			infoCh <- info
		}
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		close(m.done)
	}()
	fail := func(what string) (*master, probeInfo, error) {
		_ = cmd.Process.Kill()
		<-m.done
		msg := lastLine(errBuf.bytes())
		if msg == "" {
			msg = fmt.Sprintf("ssh exited with %d", cmd.ProcessState.ExitCode())
		}
		return nil, probeInfo{}, fmt.Errorf("%s: %s", what, msg)
	}
	select {
	case info := <-infoCh:
		if sock == "" {
			stdin.Close()
			<-m.done
			return nil, info, nil
		}
		return m, info, nil
	case <-m.done:
		return fail("login failed")
	case <-ctx.Done():
		return fail("login timed out")
	}
}

// keepsAlive reports whether the user's ssh configuration for h sends
// keepalives (ServerAliveInterval), from ssh -G. Without them a hung host
// would hold its jobs until TCP gives up, so gopool sets its own. When
// ssh -G fails, the user's configuration is left alone.
func (h *Host) keepsAlive() bool {
	h.aliveOnce.Do(func() { h.alive = h.configKeepsAlive() })
	return h.alive
}

// configKeepsAlive is keepsAlive's answer, from ssh -G.
func (h *Host) configKeepsAlive() bool {
	args := append(append([]string(nil), h.c.ssh...), "-G")
	args = append(args, h.target("")...)
	args = args[:len(args)-1]
	out, err := exec.Command(args[0], args[1:]...).Output()
	if err != nil {
		return true
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "serveraliveinterval "); ok {
			return strings.TrimSpace(v) != "0"
		}
	}
	return true
}

// readProbe reads the probe's key=value lines up to the probe marker.
func readProbe(r io.Reader, nonce string) (probeInfo, bool) {
	var info probeInfo
	marker := strings.TrimSuffix(probeMarker(nonce), "\n")
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if line == marker {
			return info, true
		}
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "cores":
			info.cores, _ = strconv.Atoi(strings.TrimSpace(v))
		case "setsid":
			info.setsid = true
		case "perl":
			info.perl = true
		case "rsync":
			info.rsync = true
		case "tar":
			info.tar = true
		case "home":
			info.home = v
		case "tmp":
			info.tmp = v
		}
	}
	return info, false
}

// close ends the master: its first session's stdin closes, then ssh -O
// exit; it is killed if still there after a while.
func (m *master) close(h *Host) {
	m.stdin.Close()
	// With no job left on it, the master ends as its first session
	// does: give it a moment before asking.
	t := time.NewTimer(200 * time.Millisecond)
	select {
	case <-m.done:
		t.Stop()
		return
	case <-t.C:
	}
	args := append(append([]string(nil), h.c.ssh...), "-o", "ControlPath="+m.sock, "-O", "exit")
	args = append(args, h.target("")...)
	args = args[:len(args)-1]
	cmd := exec.Command(args[0], args[1:]...)
	cmd.SysProcAttr = sshSysProcAttr()
	_ = cmd.Run()
	t = time.NewTimer(5 * time.Second)
	defer t.Stop()
	select {
	case <-m.done:
	case <-t.C:
		_ = m.cmd.Process.Kill()
		<-m.done
	}
}

// Close stops probing, closes every master and removes the socket
// directory; with Cleanup it first removes the basefiles and the "..."
// workdir. Jobs should have ended.
func (c *Cluster) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	hosts := append([]*Host(nil), c.hosts...)
	c.mu.Unlock()
	if c.cfg.Cleanup {
		var wg sync.WaitGroup
		for _, h := range hosts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h.cleanupRun()
			}()
		}
		wg.Wait()
	}
	c.mu.Lock()
	c.closed = true
	var wg sync.WaitGroup
	for _, h := range c.hosts {
		h.state = dropped
		for _, m := range h.masters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m.close(h)
			}()
		}
		h.masters = nil
	}
	c.broadcastLocked()
	c.mu.Unlock()
	wg.Wait()
	if c.cancel != nil {
		c.cancel()
	}
	c.wg.Wait()
	if c.sockDir != "" {
		return os.RemoveAll(c.sockDir)
	}
	return nil
}

// tailBuffer keeps the last 4 KiB written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 8192 {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-4096:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.buf...)
}

// jobEnv returns the variables a job gets: the --env names with their
// values from env (gopool's environment when nil), GOPOOL_SEQ and
// GOPOOL_SLOT from env, the extra NAME=value entries (Job.Env) as they
// are, GOPOOL_HOST and GOPOOL_SSHLOGIN.
func (h *Host) jobEnv(env, extra []string) ([][2]string, error) {
	if env == nil {
		env = os.Environ()
	}
	get := func(name string) (string, bool) {
		for i := len(env) - 1; i >= 0; i-- {
			if k, v, ok := strings.Cut(env[i], "="); ok && k == name {
				return v, true
			}
		}
		return "", false
	}
	var out [][2]string
	for _, name := range append(append([]string(nil), h.c.cfg.EnvNames...), "GOPOOL_SEQ", "GOPOOL_SLOT") {
		if v, ok := get(name); ok {
			out = append(out, [2]string{name, v})
		}
	}
	for _, kv := range extra {
		name, v, ok := strings.Cut(kv, "=")
		if !ok || !validName(name) {
			return nil, fmt.Errorf("job variable %q: not NAME=value", kv)
		}
		out = append(out, [2]string{name, v})
	}
	return append(out, [2]string{"GOPOOL_HOST", h.login.Host}, [2]string{"GOPOOL_SSHLOGIN", h.login.Raw}), nil
}

// Job is a job with the files it moves; Start is the same as StartJob
// with only Spec.
type Job struct {
	// Spec is the job; Spec.Argv runs remotely as given (a one-word shell
	// template comes as sh -c SCRIPT ...). Spec.Stdin must be nil (remote
	// jobs read no input yet); Spec.Dir and Spec.Path are ignored.
	Spec runner.Spec
	// Transfer are local files sent to the workdir before the job
	// (--transferfile, --transfer); a path with /./ lands relative to the
	// part after it.
	Transfer []string
	// Return are remote files brought back after the job (--return),
	// relative to the workdir; with /./ the part after it is the remote
	// path and the whole path (without /./) the local one.
	Return []string
	// Env are NAME=value variables set in the job's remote environment
	// as they are, besides Config.EnvNames: the values a shell template
	// passes as data (tmpl's AppendEnv).
	Env []string
}

// Start starts spec on the slot's host; see StartJob.
func (s *Slot) Start(ctx context.Context, spec runner.Spec) (*Process, error) {
	return s.StartJob(ctx, Job{Spec: spec})
}

// StartJob sends the job's files, runs it remotely, brings its files back
// and, with Config.Cleanup, removes them remotely. The error means it
// could not start at all (a local slot, Stdin set, no ssh binary); the
// other failures are in Wait's Result.
func (s *Slot) StartJob(ctx context.Context, job Job) (*Process, error) {
	h := s.host
	c := h.c
	if h.Local() {
		return nil, errors.New("local slot: run the job with the local launcher")
	}
	spec := job.Spec
	if spec.Stdin != nil {
		return nil, fmt.Errorf("%s: remote jobs take no standard input", h.login.Raw)
	}
	if len(spec.Argv) == 0 {
		return nil, errors.New("empty command")
	}
	c.mu.Lock()
	info := h.info
	c.mu.Unlock()
	group := groupJobControl
	switch {
	case info.setsid:
		group = groupSetsid
	case info.perl:
		group = groupPerl
	}
	env, err := h.jobEnv(spec.Env, job.Env)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", h.login.Raw, err)
	}
	js := jobScript{nonce: c.nonce, argv: spec.Argv, env: env, dir: c.workdir(), seq: spec.TermSeq, group: group}
	script, err := js.script()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", h.login.Raw, err)
	}
	m := h.masterFor(s.index, s.gen)
	cfg := procConfig{
		argv:         h.sshArgs(m, remoteCommand),
		script:       script,
		nonce:        c.nonce,
		login:        h.login.Raw,
		spec:         spec,
		startTimeout: c.cfg.ProbeTimeout,
		onEnd: func(o outcome, detail string) {
			switch o {
			case notStarted:
				h.setAside(s.gen, "job not started: "+detail)
			case lost:
				h.setAside(s.gen, "job lost: "+detail)
			}
		},
	}
	if c.cfg.SSHDelay > 0 || len(job.Transfer) > 0 {
		cfg.before = func(ctx context.Context) (int64, error) {
			if err := c.throttle(ctx); err != nil {
				return 0, err
			}
			if len(job.Transfer) == 0 {
				return 0, nil
			}
			return h.send(ctx, m, job.Transfer)
		}
	}
	if len(job.Return) > 0 || (c.cfg.Cleanup && len(job.Transfer) > 0) {
		cfg.after = func(ctx context.Context) int64 {
			// The job has ended: its files come back even if the run is
			// being stopped.
			ctx = context.WithoutCancel(ctx)
			n, _ := h.receive(ctx, m, job.Return)
			if c.cfg.Cleanup {
				h.remove(ctx, m, append(remotePaths(job.Transfer), remotePaths(job.Return)...))
			}
			return n
		}
	}
	return startProcess(ctx, cfg)
}

// workdir returns the remote working directory for jobs.
func (c *Cluster) workdir() string {
	switch c.cfg.Workdir {
	case "...":
		return c.runDir
	case ".":
		wd, err := os.Getwd()
		if err != nil {
			return ""
		}
		home, _ := os.UserHomeDir()
		if home != "" {
			if rel, err := filepath.Rel(home, wd); err == nil && !strings.HasPrefix(rel, "..") {
				if rel == "." {
					return ""
				}
				return filepath.ToSlash(rel)
			}
		}
		return filepath.ToSlash(wd)
	}
	return c.cfg.Workdir
}
