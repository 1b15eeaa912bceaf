package cmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/gopool/gopool/internal/input"
	"github.com/gopool/gopool/internal/remote"
	"github.com/gopool/gopool/internal/tmpl"
	"github.com/gopool/gopool/runner"
)

// remoteOptions are the flags of remote hosts: -S and its family, GNU
// parallel's names and meanings (docs/remote.md).
type remoteOptions struct {
	logins        []string // -S, each comma-separated
	loginFiles    []string // --sshloginfile
	ssh           string
	noMaster      bool
	master        bool // -M: accepted, connection sharing is the default
	env           []string
	workdir       string
	basefiles     []string
	cleanup       bool
	trc           []string
	transferFiles []string
	transfer      bool
	returns       []string
	hostTimeout   string
	sshDelay      string
	filterHosts   bool
	onall         bool
	nonall        bool
}

// addFlags adds the remote flags to f; GNU parallel's short names (--slf,
// --tf, --wd, --bf) are hidden aliases.
func (o *remoteOptions) addFlags(f *pflag.FlagSet) {
	f.StringArrayVarP(&o.logins, "sshlogin", "S", nil, "run jobs over ssh on `LOGIN`: [N/][user@]HOST[:PORT], comma-separated, repeatable; : is this machine, N/ its slots")
	f.StringArrayVar(&o.loginFiles, "sshloginfile", nil, "read -S logins from `FILE`, one a line, # comments (also --slf)")
	f.StringVar(&o.ssh, "ssh", "", "the ssh `COMMAND`, split into words, never run by a shell (default ssh)")
	f.BoolVar(&o.noMaster, "no-controlmaster", false, "log in for every job instead of sharing one connection per host")
	f.BoolVarP(&o.master, "controlmaster", "M", false, "share connections (the default; accepted for GNU parallel)")
	f.StringArrayVar(&o.env, "env", nil, "send variable `NAME` to remote jobs (repeatable)")
	f.StringVar(&o.workdir, "workdir", "", "remote working `DIR`: ... a fresh one per run, . this directory relative to $HOME (also --wd)")
	f.StringArrayVar(&o.basefiles, "basefile", nil, "send `FILE` to each host once, before its first job (also --bf)")
	f.BoolVar(&o.cleanup, "cleanup", false, "remove transferred and returned files from the hosts after each job")
	f.StringArrayVar(&o.transferFiles, "transferfile", nil, "send `FILE` (templated: {}.dat) to the host before each job (also --tf)")
	f.BoolVar(&o.transfer, "transfer", false, "send each job's input file to its host: --transferfile {}")
	f.StringArrayVar(&o.returns, "return", nil, "bring `FILE` (templated: {}.out) back from the host after each job")
	f.StringArrayVar(&o.trc, "trc", nil, "--transfer --return `FILE` --cleanup")
	f.StringVar(&o.hostTimeout, "host-timeout", "60s", "fail the jobs left once no host has been usable for `D`")
	f.StringVar(&o.sshDelay, "sshdelay", "", "wait `D` between two ssh starts")
	f.BoolVar(&o.filterHosts, "filter-hosts", false, "log in to every host first and leave out those that fail")
	f.BoolVar(&o.onall, "onall", false, "run every job on every host")
	f.BoolVar(&o.nonall, "nonall", false, "run the command, with no input, once on every host")
	// GNU parallel's short names: the same flag under another name,
	// hidden (the help shows one name each).
	for alias, of := range map[string]string{"slf": "sshloginfile", "wd": "workdir", "bf": "basefile", "tf": "transferfile"} {
		f.VarPF(f.Lookup(of).Value, alias, "", "alias of --"+of).Hidden = true
	}
}

// remoteSettings are the remote flags checked: the cluster's Config and
// what each job moves. nil settings mean no remote host.
type remoteSettings struct {
	cfg       remote.Config
	transfer  []fileTemplate // --transferfile, --transfer, --trc
	returns   []fileTemplate // --return, --trc
	onall     bool           // every job on every host
	nonall    bool           // one job with no input on every host
	maxPlaces int            // how often a job not started is placed again
}

// fileTemplate is a file name of --transferfile or --return. One that is
// the record's replacement string alone ({}) stands for each argument of
// the job (-n 2 sends two files).
type fileTemplate struct {
	t    *tmpl.Template
	each bool
}

// check reads the remote flags into settings; nil without -S, --slf,
// --onall or --nonall. jobs is -j, the slots of a host from its cores.
func (o *remoteOptions) check(jobs string, topt tmpl.Options, hasTemplate, hasSources bool) (*remoteSettings, error) {
	logins, err := o.readLogins()
	if err != nil {
		return nil, err
	}
	if o.onall && o.nonall {
		return nil, usageErr("--onall and --nonall cannot be used together")
	}
	if o.nonall && (hasSources || !hasTemplate) {
		return nil, usageErr("--nonall runs a command with no input: give a command and no ::: or :::: (use --onall)")
	}
	if len(logins) == 0 {
		if len(o.logins)+len(o.loginFiles) > 0 {
			return nil, usageErr("-S/--sshloginfile: no host given")
		}
		if !o.onall && !o.nonall {
			return nil, nil // no remote host: the other remote flags do nothing
		}
		logins = []remote.Login{{Raw: ":", Host: ":"}} // GNU's default sshlogin
	}
	ssh, err := remote.ParseSSH(o.ssh)
	if err != nil {
		return nil, usageErr("%w", err)
	}
	for _, name := range o.env {
		if name == "_" {
			return nil, usageErr("--env _ (GNU's env_parallel) is not supported: name each variable")
		}
	}
	s := &remoteSettings{onall: o.onall, nonall: o.nonall, maxPlaces: 100}
	replace := cmp.Or(topt.Replace, "{}")
	s.cfg = remote.Config{
		Logins: logins, SSH: ssh, NoControlMaster: o.noMaster, EnvNames: o.env,
		Workdir: o.workdir, Basefiles: o.basefiles, Cleanup: o.cleanup || len(o.trc) > 0,
		FilterHosts: o.filterHosts,
	}
	if s.cfg.Slots, err = slotsPerHost(jobs); err != nil {
		return nil, usageErr("%w", err)
	}
	if s.cfg.HostTimeout, err = parseDuration(o.hostTimeout); err != nil || s.cfg.HostTimeout <= 0 {
		return nil, usageErr("bad --host-timeout %q: want a duration above 0 (60s, 5m)", o.hostTimeout)
	}
	if o.sshDelay != "" {
		if s.cfg.SSHDelay, err = parseDuration(o.sshDelay); err != nil {
			return nil, usageErr("bad --sshdelay %q: %w", o.sshDelay, err)
		}
	}
	files := o.transferFiles
	if o.transfer || len(o.trc) > 0 {
		files = append(files, replace)
	}
	if s.transfer, err = fileTemplates("--transferfile", files, topt, replace); err != nil {
		return nil, err
	}
	if s.returns, err = fileTemplates("--return", append(append([]string(nil), o.returns...), o.trc...), topt, replace); err != nil {
		return nil, err
	}
	if _, err := remote.New(s.cfg); err != nil { // checks the --env names
		return nil, usageErr("%w", err)
	}
	return s, nil
}

// readLogins gathers the logins of -S and --sshloginfile, in order.
func (o *remoteOptions) readLogins() ([]remote.Login, error) {
	var logins []remote.Login
	for _, v := range o.logins {
		l, err := remote.ParseLogins(v)
		if err != nil {
			return nil, usageErr("%w", err)
		}
		logins = append(logins, l...)
	}
	for _, path := range o.loginFiles {
		f, err := os.Open(path)
		if err != nil {
			return nil, usageErr("--sshloginfile: %w", err)
		}
		l, err := remote.ParseLoginFile(f)
		f.Close()
		if err != nil {
			return nil, usageErr("--sshloginfile %s: %w", path, err)
		}
		logins = append(logins, l...)
	}
	return logins, nil
}

// fileTemplates parses the file names of --transferfile or --return.
func fileTemplates(flag string, files []string, topt tmpl.Options, replace string) ([]fileTemplate, error) {
	var out []fileTemplate
	seen := map[string]bool{}
	for _, f := range files {
		if f == "" {
			return nil, usageErr("bad %s: empty file name", flag)
		}
		if seen[f] {
			continue // --transfer --trc F: {} once
		}
		seen[f] = true
		t, err := tmpl.ParseString(f, topt)
		if err != nil {
			return nil, usageErr("bad %s %q: %w", flag, f, err)
		}
		out = append(out, fileTemplate{t: t, each: f == replace})
	}
	return out, nil
}

// slotsPerHost reads -j (or GOPOOL_JOBS) as the slots of one remote host
// with a given number of cores: N, N% of its cores, 0 for 64; nil (one
// slot a core) when neither is set.
func slotsPerHost(v string) (func(cores int) int, error) {
	if v == "" {
		v = os.Getenv("GOPOOL_JOBS")
	}
	if v == "" {
		return nil, nil
	}
	if p, ok := strings.CutSuffix(v, "%"); ok {
		n, err := strconv.ParseFloat(p, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bad -j %q: want N, N%% or 0", v)
		}
		return func(cores int) int { return max(1, int(float64(cores)*n/100)) }, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("bad -j %q: want N, N%% or 0", v)
	}
	if n == 0 {
		n = 64 // "no limit" on a remote host: what its sshd takes at once
	}
	return func(int) int { return n }, nil
}

// files expands the file names of j on host; empty names are left out.
func files(ts []fileTemplate, j *job, host string) []string {
	var out []string
	for _, ft := range ts {
		if ft.each {
			for _, a := range j.args {
				if a != "" {
					out = append(out, a)
				}
			}
			continue
		}
		if f := ft.t.WithHost(host).ExpandString(j.args, j.seq, j.slot); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// hostLog is the writer of the cluster's lines (a host set aside or
// back): gopool's stderr, through the progress bar once there is one.
type hostLog struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *hostLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *hostLog) set(w io.Writer) {
	l.mu.Lock()
	l.w = w
	l.mu.Unlock()
}

// startCluster logs in to the hosts of s in the background (with
// --filter-hosts, it waits for them and leaves out those that failed).
// Its error ends the run before anything runs.
func startCluster(ctx context.Context, s *remoteSettings, log *hostLog) (*remote.Cluster, error) {
	cfg := s.cfg
	cfg.Stderr = log
	c, err := remote.New(cfg)
	if err != nil {
		return nil, usageErr("%w", err)
	}
	if err := c.Start(ctx); err != nil {
		c.Close()
		return nil, &ExitError{Code: ExitCannotRun, Err: err}
	}
	return c, nil
}

// poolSize is the number of jobs the pool runs at once over the
// cluster: the slots of every host that came up (waiting for each host's
// first login), plus the N/ of those that did not, since they may come
// back; at least 1.
func poolSize(ctx context.Context, c *remote.Cluster, s *remoteSettings) (int, error) {
	known := 0
	for _, l := range s.cfg.Logins {
		if l.Slots == 0 && !l.Local() {
			known = -1
			break
		}
		n := l.Slots
		if n == 0 {
			n = runtime.NumCPU()
			if s.cfg.Slots != nil {
				n = max(1, s.cfg.Slots(n))
			}
		}
		known += n
	}
	if known > 0 {
		return known, nil // every host's slots are known: no need to wait
	}
	if _, err := c.Ready(ctx); err != nil {
		return 0, err
	}
	n := 0
	hosts := c.Hosts()
	for i, h := range hosts {
		if k := h.Slots(); k > 0 {
			n += k
		} else if i < len(s.cfg.Logins) {
			n += s.cfg.Logins[i].Slots
		}
	}
	return max(1, n), nil
}

// remoteRun runs each attempt of a job on a slot of the cluster: it takes
// a slot (on the job's own host with --onall), runs the job there (with
// the local launcher on ":"), and gives the slot back. It places a job
// again when it did not start (the host is at fault: no retry is used)
// or when its host was lost mid-job (once, even with --retries 0).
type remoteRun struct {
	cluster *remote.Cluster
	set     *remoteSettings
	procs   *procs
	log     *hostLog
	// turn lets one job at a time wait for a slot, in the order they
	// came (a channel's waiters are served first come, first served): in
	// map mode the earliest jobs start first.
	turn chan struct{}

	// outage holds, by wanted host (nil: any host), that no host has
	// been usable for --host-timeout and one job said so; the first job
	// that gets a slot there again clears it.
	outage sync.Map
}

// remoteJob is what a job keeps of its remote attempts.
type remoteJob struct {
	host   *remote.Host         // where the last attempt ran; nil: not placed
	pin    *remote.Host         // --onall, --nonall: the job's own host
	failed map[*remote.Host]int // where attempts failed: --retries prefers others
	sent   int64                // bytes of files sent before the job
	recv   int64                // bytes of files brought back after it
}

// hostName is what {host} stands for in j's command: "" (the local
// machine) until j is placed.
func (j *job) hostName() string {
	if j.remote.host == nil {
		return ""
	}
	return j.remote.host.Name()
}

// hostLogin is j's joblog Host: the login of the host that ran its last
// attempt, ":" for this machine.
func (j *job) hostLogin() string {
	if j.remote.host == nil {
		return ":"
	}
	return j.remote.host.Login()
}

// attempt runs one attempt of j (one --retries try) somewhere on the
// cluster, placing it again as long as it did not start, and once if its
// host was lost; the output of those placements is dropped.
func (r *remoteRun) attempt(ctx context.Context, e *executor, j *job, spec runner.Spec) runner.Result {
	lostOnce := false
	for placed := 1; ; placed++ {
		slot, err := r.acquire(ctx, j)
		if err != nil {
			j.markStarted()
			return r.noSlot(ctx, err, j.remote.pin)
		}
		r.outage.Delete(j.remote.pin)
		res, dropped := r.run(ctx, e, j, spec, slot)
		slot.Release()
		switch {
		case res.Stopped || !dropped:
		case errors.Is(res.Err, remote.ErrNotStarted) && placed < r.set.maxPlaces:
			e.sink.retry(j)
			spec.Stdout, spec.Stderr = e.sink.open(j)
			continue
		case errors.Is(res.Err, remote.ErrLost) && !lostOnce:
			lostOnce = true
			j.remote.avoid(slot.Host())
			e.sink.retry(j)
			spec.Stdout, spec.Stderr = e.sink.open(j)
			continue
		}
		if res.Failed() && !res.Stopped {
			j.remote.avoid(slot.Host())
		}
		return res
	}
}

// avoid marks h as a host where the job failed.
func (rj *remoteJob) avoid(h *remote.Host) {
	if rj.failed == nil {
		rj.failed = map[*remote.Host]int{}
	}
	rj.failed[h]++
}

// acquire takes a slot for j: on its own host (--onall), else on the
// host with the most free slots among those where j has not failed.
func (r *remoteRun) acquire(ctx context.Context, j *job) (*remote.Slot, error) {
	if j.remote.pin != nil {
		return r.cluster.AcquireOn(ctx, j.remote.pin)
	}
	select {
	case r.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-r.turn }()
	return r.cluster.Acquire(ctx, func(h *remote.Host) bool { return j.remote.failed[h] > 0 })
}

// noSlot is the result of a job that got no slot: stopped with the run,
// or failed (exit 255) because no host has been usable for
// --host-timeout. Only the first job of an outage says why: the others
// fail quietly.
func (r *remoteRun) noSlot(ctx context.Context, err error, pin *remote.Host) runner.Result {
	now := time.Now()
	switch {
	case ctx.Err() != nil:
		return runner.Result{ExitCode: -1, Stopped: true, Start: now, Err: ctx.Err()}
	case !errors.Is(err, remote.ErrNoHosts):
		return runner.Result{ExitCode: 255, Start: now, Err: err}
	case !r.loadOrStoreOutage(pin):
		return runner.Result{ExitCode: 255, Start: now,
			Err: fmt.Errorf("%w (the jobs left fail too, unless a host comes back)", err)}
	}
	return runner.Result{ExitCode: 255, Start: now}
}

// loadOrStoreOutage marks an outage of pin (nil: of every host) and
// reports whether it was marked already.
func (r *remoteRun) loadOrStoreOutage(pin *remote.Host) bool {
	_, loaded := r.outage.LoadOrStore(pin, true)
	return loaded
}

// run runs j once on slot. dropped reports an attempt whose output is not
// the job's (it did not start, or its host was lost).
func (r *remoteRun) run(ctx context.Context, e *executor, j *job, spec runner.Spec, slot *remote.Slot) (res runner.Result, dropped bool) {
	h := slot.Host()
	j.remote.host, j.remote.sent, j.remote.recv = h, 0, 0
	exp := e.exp.on(h.Name())
	if exp.tmpl != nil && exp.tmpl.UsesHost() {
		argv, err := exp.argv(j.args, j.seq, j.slot)
		if err != nil {
			j.markStarted()
			return runner.StartFailed(err, time.Now()), false
		}
		j.argv, spec.Argv, spec.Path = argv, argv, ""
		spec.Env = exp.env(spec.Env, j.args) // the last of a name wins
	}
	if h.Local() {
		spec.Env = append(spec.Env, "GOPOOL_HOST="+h.Name(), "GOPOOL_SSHLOGIN="+h.Login())
		p, err := r.procs.start(ctx, spec)
		j.markStarted()
		if err != nil {
			return runner.StartFailed(err, time.Now()), false
		}
		return p.Wait(), false
	}
	l := &slotLauncher{slot: slot, job: remote.Job{
		Transfer: files(r.set.transfer, j, h.Name()),
		Return:   files(r.set.returns, j, h.Name()),
		Env:      exp.env(nil, j.args),
	}}
	p, err := r.procs.startWith(ctx, spec, l)
	j.markStarted()
	if err != nil {
		return runner.StartFailed(err, time.Now()), false
	}
	res = p.Wait()
	// Like its output, the joblog counts the files of the last attempt.
	j.remote.sent, j.remote.recv = l.p.Transferred()
	return res, errors.Is(res.Err, remote.ErrNotStarted) || errors.Is(res.Err, remote.ErrLost)
}

// slotLauncher starts one job on a remote slot, for procs to track.
type slotLauncher struct {
	slot *remote.Slot
	job  remote.Job
	p    *remote.Process // set by start
}

func (l *slotLauncher) start(ctx context.Context, spec runner.Spec) (process, error) {
	l.job.Spec = spec
	p, err := l.slot.StartJob(ctx, l.job)
	if err != nil {
		return nil, err
	}
	l.p = p
	return p, nil
}

// fanOut hands each record's job to every host (--onall, --nonall),
// pinned to it: the hosts in the order of -S, each with a job number of
// its own. With --nonall, the one record has no arguments.
type fanOut struct {
	hosts  []*remote.Host
	nonall bool // the empty record is still to come
	rec    input.Record
	left   []*remote.Host
}

// next returns the host and the record of the next job, and false when
// the current record has been given to every host. A nil *fanOut has
// none.
func (f *fanOut) next() (*remote.Host, input.Record, bool) {
	if f == nil {
		return nil, input.Record{}, false
	}
	if f.nonall {
		f.nonall = false
		f.record(input.Record{})
	}
	if len(f.left) == 0 {
		return nil, input.Record{}, false
	}
	h := f.left[0]
	f.left = f.left[1:]
	return h, f.rec, true
}

// record starts handing out a new record.
func (f *fanOut) record(rec input.Record) {
	f.rec, f.left = rec, f.hosts
}

// local reports whether jobs may run on this machine: no -S, or ":"
// among the logins.
func (s *remoteSettings) local() bool {
	if s == nil {
		return true
	}
	for _, l := range s.cfg.Logins {
		if l.Local() {
			return true
		}
	}
	return false
}

// newRemoteRun starts the cluster of set's hosts, or returns nil when the
// run has none (no -S, or --dry-run, which contacts no host). Its error
// ends the run before anything runs. Call close once the jobs have ended.
func newRemoteRun(ctx context.Context, set *settings, stderr io.Writer) (*remoteRun, error) {
	if set.remote == nil || set.dryRun {
		return nil, nil
	}
	log := &hostLog{w: stderr}
	c, err := startCluster(ctx, set.remote, log)
	if err != nil {
		return nil, err
	}
	return &remoteRun{cluster: c, set: set.remote, log: log, turn: make(chan struct{}, 1)}, nil
}

// wire connects r to the run: local jobs start through procs, and the
// hosts' lines go through the progress bar, if any. It returns the pool
// size, once the hosts have had their first login (see poolSize); a run
// stopped meanwhile gets 1.
func (r *remoteRun) wire(ctx context.Context, procs *procs, bar *progress) int {
	r.procs = procs
	if bar != nil {
		r.log.set(bar.writer(r.log.w))
	}
	n, err := poolSize(ctx, r.cluster, r.set)
	if err != nil {
		return 1
	}
	return n
}

// fanOut returns the --onall/--nonall fan-out over the hosts, nil for
// none.
func (r *remoteRun) fanOut() *fanOut {
	if r == nil || !r.set.onall && !r.set.nonall {
		return nil
	}
	return &fanOut{hosts: r.cluster.Hosts(), nonall: r.set.nonall}
}

// close closes the cluster: its connections, and with --cleanup the
// basefiles and the "..." workdir.
func (r *remoteRun) close() {
	if r != nil {
		_ = r.cluster.Close()
	}
}
