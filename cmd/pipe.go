package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/gopool/gopool/internal/input"
	"github.com/gopool/gopool/internal/pipe"
	"github.com/gopool/gopool/runner"
)

// pipeOptions are the flags of pipe mode: --pipe, --pipepart and their
// family (GNU parallel's names and meanings; see docs/guide.md).
//
// -N (records per block), -L and -l (lines per record) and --header (the
// blocks' header) are parity's flags (parity_flags.go), read here under
// --pipe.
type pipeOptions struct {
	pipe, part            bool
	block                 string
	recend, recstart      string
	regexp, rrs           bool
	roundRobin, cat, fifo bool
	tee                   bool
}

// on reports whether pipe mode is asked for.
func (p *pipeOptions) on() bool { return p.pipe || p.part }

// pipeAliases are the other names of pipe mode's flags, GNU parallel's:
// hidden, bound to the same values.
var pipeAliases = map[string]string{
	"spreadstdin": "pipe", "pipe-part": "pipepart", "block-size": "block",
	"remove-rec-sep": "rrs", "round": "round-robin",
}

// addFlags adds pipe mode's flags to f.
func (p *pipeOptions) addFlags(f *pflag.FlagSet) {
	f.BoolVar(&p.pipe, "pipe", false, "cut stdin (or -a FILE) into blocks of whole records; each block is the stdin of one job, {#} its number (also --spreadstdin)")
	f.BoolVar(&p.pipe, "spreadstdin", false, "--pipe")
	f.BoolVar(&p.part, "pipepart", false, "like --pipe, for a file (-a FILE): each job gets its byte range of the file, which never passes through gopool (also --pipe-part)")
	f.BoolVar(&p.part, "pipe-part", false, "--pipepart")
	f.StringVar(&p.block, "block", "", "blocks of about `SIZE` bytes (K M G: 1024s, k m g: 1000s; -N: N blocks per job slot); default 1M, -10 with --pipepart (also --block-size)")
	f.StringVar(&p.block, "block-size", "", "--block")
	f.StringVar(&p.recend, "recend", "", "records end with `STR`, C escapes allowed (default \\n; -0 and -d set it too)")
	f.StringVar(&p.recstart, "recstart", "", "records start with `STR`, C escapes allowed")
	f.BoolVar(&p.regexp, "regexp", false, "--recend and --recstart are regular expressions (Go's RE2 syntax)")
	f.BoolVar(&p.rrs, "rrs", false, "remove the record separators from each block (also --remove-rec-sep)")
	f.BoolVar(&p.rrs, "remove-rec-sep", false, "--rrs")
	f.BoolVar(&p.roundRobin, "round-robin", false, "with --pipe: start -j jobs and feed each many blocks, the header once (also --round)")
	f.BoolVar(&p.roundRobin, "round", false, "--round-robin")
	f.BoolVar(&p.cat, "cat", false, "with --pipe: {} is a file holding the block (/dev/fd/3), not stdin")
	f.BoolVar(&p.fifo, "fifo", false, "with --pipe: {} is a named pipe the block is written to, not stdin")
	f.BoolVar(&p.tee, "tee", false, "with --pipe: all the input goes to every job; one job per ::: value, all at once")
	for alias := range pipeAliases {
		_ = f.MarkHidden(alias)
	}
}

// pipeFeed says how a block reaches its job.
type pipeFeed int

const (
	feedStdin pipeFeed = iota // on the job's stdin
	feedCat                   // in a file, {} = /dev/fd/3 (--cat)
	feedFifo                  // through a named pipe, {} (--fifo)
)

// pipeSettings are pipe mode's flags checked: what the run reads and how
// it cuts and feeds it.
type pipeSettings struct {
	opt  pipe.Options // Warn is set when the run opens its input
	part bool         // --pipepart: file ranges
	file string       // the data: -a FILE or :::: FILE; "" for stdin
	feed pipeFeed
	rr   bool // --round-robin
	tee  bool // --tee: the records are the ::: values
	// stdinBuf is the pipe buffer asked for on each job's stdin.
	stdinBuf int
}

// changedAny reports whether the flag name or one of its aliases was
// given.
func (o *runOptions) changedAny(name string) bool {
	if o.changed[name] {
		return true
	}
	for alias, n := range pipeAliases {
		if n == name && o.changed[alias] {
			return true
		}
	}
	return false
}

// checkPipe reads pipe mode's flags into s.pipe (nil without --pipe or
// --pipepart). It runs last in check: it reads the settings made before
// it, and --tee sets the number of job slots.
func (o *runOptions) checkPipe(s *settings) error {
	p := &o.pipe
	if !p.on() {
		for _, name := range []string{"block", "recend", "recstart", "regexp", "rrs", "round-robin", "cat", "fifo", "tee"} {
			if o.changedAny(name) {
				return usageErr("%s needs --pipe or --pipepart", flagName(name))
			}
		}
		return nil
	}
	ps := &pipeSettings{part: p.part, rr: p.roundRobin, tee: p.tee}
	if err := o.checkPipeCombos(s); err != nil {
		return err
	}
	switch {
	case p.cat:
		ps.feed = feedCat
	case p.fifo:
		ps.feed = feedFifo
	}
	opt, err := o.pipeOptions(s)
	if err != nil {
		return err
	}
	// Compile the rules now, so that a bad regular expression is a usage
	// error before anything runs.
	probe := opt
	probe.BlockSize, probe.PerSlot = 1, 0
	if _, err := pipe.NewStream(strings.NewReader(""), probe); err != nil {
		return usageErr("%w", err)
	}
	ps.opt = opt
	if err := o.pipeData(s, ps); err != nil {
		return err
	}
	ps.stdinBuf = stdinBuffer(s.workers, opt.BlockSize)
	s.pipe = ps
	return nil
}

// pipeOptions reads how the input is cut into blocks: the records per
// block (-N, -L), the header, the block size and the record separators.
func (o *runOptions) pipeOptions(s *settings) (opt pipe.Options, err error) {
	p := &o.pipe
	opt = pipe.Options{Regexp: p.regexp, RemoveSeps: p.rrs, SkipBlank: o.noRunIfEmpty, TempDir: o.tmpDir, Slots: s.workers}
	switch {
	case o.changed["max-replace-args"]:
		opt.Records = int64(o.parity.maxRepl)
	case o.changed["max-args"]:
		opt.Records = int64(o.maxArgs) // GNU parallel: -n is -N under --pipe
	}
	switch {
	case o.changed["lines"]:
		opt.Lines = int64(o.parity.maxLines)
	case o.changed["max-lines"]:
		opt.Lines = int64(max(o.parity.maxLinesJ, 1))
	}
	if o.changed["header"] {
		opt.Header = o.parity.header
	}
	block := p.block
	if !o.changedAny("block") {
		block = "1M"
		if p.part {
			block = "-10" // GNU parallel's default for --pipepart: ten blocks per slot
		}
	}
	if opt.BlockSize, opt.PerSlot, err = pipe.ParseBlockSize(block); err != nil {
		return opt, usageErr("bad --block: %w", err)
	}
	opt.RecEnd, opt.RecStart, err = pipe.Separators(p.recend, p.recstart, o.changed["recend"], o.changed["recstart"], p.regexp)
	if err != nil {
		return opt, usageErr("%w", err)
	}
	if d, ok := o.pipeDelim(); ok { // -0 and -d set the record end (GNU parallel ignores them)
		opt.RecEnd = d
		if p.regexp {
			opt.RecEnd = regexp.QuoteMeta(d)
		}
	}
	return opt, nil
}

// stdinBuffer is the buffer asked for on each job's stdin pipe: 1 MiB, so
// that a block goes in a few writes, for blocks that need it and up to 16
// jobs at once (a user's pipe buffers are limited, to 64 MiB by default,
// past which every new pipe of the user gets a small buffer).
func stdinBuffer(workers int, block int64) int {
	if workers > 16 || (block > 0 && block <= 64<<10) {
		return 0
	}
	return 1 << 20
}

// checkPipeCombos rejects the flags that do not go together in pipe mode.
func (o *runOptions) checkPipeCombos(s *settings) error {
	p := &o.pipe
	mode := "--pipe"
	if p.part {
		mode = "--pipepart"
	}
	bad := func(format string, a ...any) error { return usageErr(format, a...) }
	switch {
	case len(o.template) == 0:
		return bad("%s needs a command: the template that each block is fed to", mode)
	case p.cat && p.fifo:
		return bad("--cat and --fifo cannot be used together")
	case p.part && (o.changed["max-replace-args"] || o.changed["max-args"] || o.changed["lines"] || o.changed["max-lines"]):
		return bad("--pipepart cuts by size: -N, -n, -L and -l do not apply (use --pipe)")
	case p.part && (p.rrs || o.noRunIfEmpty):
		return bad("--pipepart sends ranges of the file: --rrs and -r do not apply (use --pipe)")
	case o.parity.maxRepl < 0 || o.parity.maxLines < 0 || o.parity.maxLinesJ < 0:
		return bad("bad -N, -L or -l: must not be negative")
	case o.changed["max-replace-args"] && o.changed["max-args"]:
		return bad("-n and -N cannot be used together")
	case o.changed["lines"] && o.changed["max-lines"]:
		return bad("-L and -l (--max-lines) cannot be used together")
	case s.needTotal:
		return bad("{##}, {0#} and --halt N%% need the number of jobs ahead: not in pipe mode")
	case o.changed["recend"] && (o.null || o.delimiter != ""):
		return bad("-0, -d and --recend all set the record end: give one")
	case p.roundRobin && p.tee:
		return bad("--round-robin and --tee cannot be used together")
	case (p.roundRobin || p.tee) && (p.cat || p.fifo):
		return bad("--round-robin and --tee feed the jobs' stdin: not with --cat or --fifo")
	case (p.roundRobin || p.tee) && s.retries > 1:
		return bad("--round-robin and --tee feed each block once: not with --retries")
	case p.roundRobin && s.resume != resumeNone:
		return bad("--round-robin numbers jobs, not blocks: not with --resume")
	case p.fifo && s.resume != resumeNone:
		return bad("--fifo names a new pipe in each run's command: not with --resume (use --cat)")
	}
	return nil
}

// pipeDelim is the record end that -0 or -d give, if one does.
func (o *runOptions) pipeDelim() (string, bool) {
	switch {
	case o.null:
		return "\x00", true
	case o.delimiter != "":
		d, err := input.ParseDelimiter(o.delimiter)
		return d, err == nil // check reported a bad -d already
	}
	return "", false
}

// pipeData finds where pipe mode's data comes from: stdin, or one file
// (-a FILE, :::: FILE); with --tee the sources are the records and stdin
// the data.
func (o *runOptions) pipeData(s *settings, ps *pipeSettings) error {
	if ps.tee {
		return o.teeJobs(s)
	}
	var files []string
	for _, src := range s.input.Sources {
		if src.IsValues {
			return usageErr("--pipe reads its data from stdin or one file (-a FILE): ::: values need --tee")
		}
		files = append(files, src.Path)
	}
	switch {
	case len(files) > 1:
		return usageErr("--pipe reads one input: give one file (-a FILE), or none for stdin")
	case len(files) == 1 && files[0] != "-":
		ps.file = files[0]
	case ps.part:
		return usageErr("--pipepart needs a file: -a FILE or :::: FILE")
	}
	return nil
}

// teeJobs checks the sources of --tee, which are its jobs, and gives every
// job a slot: each must read the input as it comes.
func (o *runOptions) teeJobs(s *settings) error {
	if len(s.input.Sources) == 0 {
		return usageErr("--tee needs ::: values: one job per value, each fed all the input")
	}
	for _, src := range s.input.Sources {
		if !src.IsValues && src.Path == "-" {
			return usageErr("--tee feeds stdin to every job: its values cannot come from stdin too")
		}
	}
	in, err := input.Open(s.input)
	if err != nil {
		return usageErr("%w", err)
	}
	defer in.Close()
	n, ok := in.Count()
	if !ok {
		return usageErr("--tee: cannot count the jobs of its sources ahead")
	}
	if o.changed["jobs"] && int64(s.workers) < n {
		return usageErr("--tee runs every job at once: -j %d is fewer than its %d jobs (try -j 0)", s.workers, n)
	}
	s.workers = int(max(1, min(n, 1<<30)))
	return nil
}

// flagName is how an error names a flag.
func flagName(name string) string { return "--" + name }

// open opens pipe mode's input: the records of the run are its blocks, a
// round robin's jobs, or --tee's values. stdin is gopool's; warnings of
// the splitter (a record longer than the block) go to stderr.
func (ps *pipeSettings) open(set *settings, stdin io.Reader, stderr io.Writer) (fedRecords, error) {
	data, closeData, err := ps.openData(stdin)
	if err != nil {
		return nil, err
	}
	opt := ps.opt
	var warnMu sync.Mutex
	opt.Warn = func(msg string) {
		warnMu.Lock()
		defer warnMu.Unlock()
		fmt.Fprintf(stderr, "gopool: warning: %s\n", msg)
	}
	if ps.tee {
		in := set.input
		stream, err := input.Open(in)
		if err != nil {
			closeData()
			return nil, err
		}
		t := newTeeRecords(stream, data, closeData)
		t.t.stdinBuf = ps.stdinBuf
		return t, nil
	}
	var sp pipe.Splitter
	if ps.part {
		f, ok := data.(*os.File)
		if !ok {
			closeData()
			return nil, errors.New("--pipepart needs a file: -a FILE or :::: FILE")
		}
		sp, err = pipe.NewPart(f, opt)
	} else {
		sp, err = pipe.Open(data, opt)
	}
	if err != nil {
		closeData()
		if ps.part {
			return nil, fmt.Errorf("--pipepart: %w", err)
		}
		return nil, err
	}
	if ps.rr {
		rr := newRoundRobin(sp, closeData)
		rr.stdinBuf = ps.stdinBuf
		return rr, nil
	}
	r := &blockRecords{sp: sp, closeData: closeData, feed: ps.feed, tmpDir: set.tmpDir, stdinBuf: ps.stdinBuf}
	return r, nil
}

// openData opens the data of the run: the file, or stdin (a pipe gets a
// larger buffer where the system allows).
func (ps *pipeSettings) openData(stdin io.Reader) (io.Reader, func(), error) {
	if ps.file == "" {
		if f, ok := stdin.(*os.File); ok {
			growPipe(f)
		}
		return stdin, func() {}, nil
	}
	f, err := os.Open(ps.file)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// blockRecords are the blocks of --pipe and --pipepart, one job each. next
// is called by the source, one call at a time; close may come while a next
// is blocked reading the input (the run was stopped): the splitter is then
// closed by that next when it returns.
type blockRecords struct {
	sp        pipe.Splitter
	closeData func()
	feed      pipeFeed
	tmpDir    string
	stdinBuf  int     // the jobs' stdin pipe buffer
	fifos     fifoDir // --fifo's private directory

	last *blockFeed // the feed of the record Next returned last

	mu     sync.Mutex
	busy   bool // a Next is reading
	closed bool
}

// Next returns the record of the next block's job: no argument, or
// --cat's and --fifo's {}.
func (r *blockRecords) Next() (input.Record, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return input.Record{}, io.EOF
	}
	r.busy = true
	r.mu.Unlock()
	b, err := r.sp.Next()
	r.mu.Lock()
	r.busy = false
	closed := r.closed
	r.mu.Unlock()
	if closed {
		if b != nil {
			b.Release()
		}
		r.shut()
		return input.Record{}, io.EOF
	}
	if err != nil {
		return input.Record{}, err
	}
	var rec input.Record
	f := &blockFeed{b: b, how: r.feed, tmpDir: r.tmpDir, stdinBuf: r.stdinBuf}
	switch r.feed {
	case feedCat:
		rec.Args = []string{pipe.CatPath}
	case feedFifo:
		dir, err := r.fifos.get(r.tmpDir)
		if err == nil {
			f.fifo, err = pipe.NewFifo(dir)
		}
		if err != nil {
			b.Release()
			return input.Record{}, err
		}
		rec.Args = []string{f.fifo.Path()}
	}
	r.last = f
	return rec, nil
}

// input is what the job of the record Next returned last is fed.
func (r *blockRecords) input() jobInput {
	f := r.last
	r.last = nil
	if f == nil {
		return nil
	}
	return f
}

// close ends the input: at once, or when a next that is reading returns.
// It removes --fifo's directory.
func (r *blockRecords) close() error {
	r.mu.Lock()
	r.closed = true
	busy := r.busy
	r.mu.Unlock()
	if !busy {
		r.shut()
	}
	return r.fifos.remove()
}

// shut closes the splitter and the data.
func (r *blockRecords) shut() {
	_ = r.sp.Close()
	r.closeData()
}

// fifoDir is the private directory of one run's --fifo pipes, made on
// first use and removed at the end of the run with every pipe in it.
type fifoDir struct {
	mu  sync.Mutex
	dir string
}

func (d *fifoDir) get(tmpDir string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dir == "" {
		removeStaleFifoDirs(tmpDir)
		dir, err := os.MkdirTemp(tmpDir, fifoDirPrefix())
		if err != nil {
			return "", fmt.Errorf("--fifo: %w", err)
		}
		d.dir = dir
	}
	return d.dir, nil
}

func (d *fifoDir) remove() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dir == "" {
		return nil
	}
	err := os.RemoveAll(d.dir)
	d.dir = ""
	return err
}

// jobInput is what a pipe-mode job is fed besides its command line: a
// block (on its stdin, in a --cat file or through a --fifo), many blocks
// (--round-robin) or all the input (--tee). The executor runs each
// attempt of the job through attempt, on the job's goroutine, and calls
// release once after the last.
type jobInput interface {
	// attempt starts the job with start, feeds it, and returns how it
	// ended.
	attempt(ctx context.Context, spec runner.Spec, start startFunc) runner.Result
	// release lets go of what the job was fed.
	release()
}

// startFunc starts one attempt of a job.
type startFunc func(spec runner.Spec) (process, error)

// waitStarted waits for a started job, or turns its start error into
// its Result.
func waitStarted(p process, err error) runner.Result {
	if err != nil {
		return runner.StartFailed(err, time.Now())
	}
	return p.Wait()
}

// releaseInput lets go of the job's input, if it has one: after its last
// attempt, or when it is dropped without running.
func (j *job) releaseInput() {
	if j.in != nil {
		j.in.release()
		j.in = nil
	}
}

// blockFeed feeds one block to one job, again for each attempt.
type blockFeed struct {
	b        *pipe.Block
	how      pipeFeed
	tmpDir   string
	stdinBuf int        // the job's stdin pipe buffer
	cat      *os.File   // --cat: made at the first attempt
	fifo     *pipe.Fifo // --fifo: made with the job
}

func (f *blockFeed) attempt(ctx context.Context, spec runner.Spec, start startFunc) runner.Result {
	switch f.how {
	case feedCat:
		return f.attemptCat(spec, start)
	case feedFifo:
		return f.attemptFifo(spec, start)
	}
	spec.Stdin = &blockReader{b: f.b} // the runner feeds it through its own pipe
	spec.StdinBuffer = f.stdinBuf
	return waitStarted(start(spec))
}

// attemptCat passes the block in an unlinked file as fd 3.
func (f *blockFeed) attemptCat(spec runner.Spec, start startFunc) runner.Result {
	size := f.b.Size()
	if f.cat == nil {
		c, err := pipe.CatFile(f.b, f.tmpDir)
		if err != nil {
			return runner.StartFailed(err, time.Now())
		}
		f.cat = c
	} else if _, err := f.cat.Seek(0, io.SeekStart); err != nil {
		return runner.StartFailed(fmt.Errorf("--cat: %w", err), time.Now())
	}
	spec.ExtraFiles = []*os.File{f.cat}
	res := waitStarted(start(spec))
	if res.Err == nil {
		res.Sent = size
	}
	return res
}

// attemptFifo writes the block into the named pipe while the job runs;
// the feed ends with the job, whether or not it opened the pipe.
func (f *blockFeed) attemptFifo(spec runner.Spec, start startFunc) runner.Result {
	p, err := start(spec)
	if err != nil {
		return waitStarted(nil, err)
	}
	done := make(chan struct{})
	fed := make(chan int64, 1)
	go func() {
		n, _ := f.fifo.Feed(f.b, done) // the job's exit status says how it went
		fed <- n
	}()
	res := p.Wait()
	close(done)
	res.Sent = <-fed
	return res
}

func (f *blockFeed) release() {
	f.b.Release()
	if f.cat != nil {
		f.cat.Close()
	}
	if f.fifo != nil {
		_ = f.fifo.Close()
	}
}

// blockReader is one attempt's read of a block: the runner feeds it to
// the job's stdin with WriteTo (sendfile for a range of a file).
type blockReader struct {
	b *pipe.Block
	r io.Reader
}

func (r *blockReader) Read(p []byte) (int, error) {
	if r.r == nil {
		r.r = r.b.Reader()
	}
	return r.r.Read(p)
}

func (r *blockReader) WriteTo(w io.Writer) (int64, error) { return r.b.WriteTo(w) }

// fedRecords are pipe mode's records: Next returns a job's arguments and
// input what that job is fed. close ends the input; it may come while a
// Next is blocked reading it (the run was stopped).
type fedRecords interface {
	records
	input() jobInput
	close() error
}

// watchDrain tells pipe mode's input (nil for none) when the run drains
// (SIGHUP, --halt soon): --round-robin and --tee then end their jobs'
// input, so that the running jobs finish.
func watchDrain(recs fedRecords, drain <-chan struct{}) {
	switch r := recs.(type) {
	case *roundRobin:
		r.drain = drain
	case *teeRecords:
		r.t.drain = drain
	}
}
