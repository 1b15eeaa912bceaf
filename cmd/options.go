package cmd

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gopool/gopool/internal/input"
	"github.com/gopool/gopool/internal/tmpl"
	"github.com/gopool/gopool/runner"
)

type mode int

const (
	modeMap mode = iota
	modeSubmit
)

// runOptions are the flags and arguments of map and submit.
type runOptions struct {
	mode mode

	jobs         string
	argFiles     []string
	null         bool
	delimiter    string
	link         bool
	maxArgs      int
	colsep       string
	noRunIfEmpty bool

	replace   string
	shell     bool
	shellPath string

	tag        bool
	tagString  string
	lineBuffer bool
	dryRun     bool
	tty        bool
	tmpDir     string

	timeout string
	termSeq string

	joblog       string
	resume       bool
	resumeFailed bool
	retries      int
	halt         string
	failFast     bool
	delay        string
	json         bool
	progress     string
	// progressInterval is --progress-interval: how often plain progress
	// prints a line.
	progressInterval string
	ci               ciOptions     // --junit, --ci-groups, --summary (report.go)
	pipe             pipeOptions   // --pipe, --pipepart and their family (pipe.go)
	remote           remoteOptions // -S and its family (remote.go)

	parity parityOptions // GNU parallel's options (parity_flags.go)

	// Positional: the template words and the ::: / :::: groups.
	template []string
	sources  []input.SourceSpec

	// changed holds the names of the flags given on the command line.
	changed map[string]bool
}

// settings are runOptions checked and turned into values: the only
// configuration a run reads.
type settings struct {
	mode    mode
	workers int
	input   input.Config
	tmpl    *tmpl.Template // nil: each record is a command line
	tmplOpt tmpl.Options
	timeout time.Duration
	termSeq runner.TermSeq

	tag        bool           // --tag: lines prefixed with the record
	tagString  *tmpl.Template // --tagstring; nil for none
	lineBuffer bool
	json       bool
	dryRun     bool
	tty        bool
	tmpDir     string

	joblog       string // path of --joblog; "" for none
	joblogAppend bool   // --joblog +FILE, or resuming
	resume       resumeMode
	retries      int
	halt         haltPolicy
	delay        time.Duration
	progress     progressMode

	progressEvery time.Duration   // --progress-interval
	ci            ciSettings      // --junit, --ci-groups, --summary (report.go)
	pipe          *pipeSettings   // pipe mode (pipe.go); nil without --pipe
	remote        *remoteSettings // -S and its family; nil for none (remote.go)

	paritySettings
}

// resumeMode says which jobs of an earlier joblog are skipped.
type resumeMode int

const (
	resumeNone   resumeMode = iota
	resumeAll               // --resume: every logged job
	resumeFailed            // --resume-failed: logged jobs that succeeded
)

// splitPositional separates the template words from the input groups
// (::: or --arg-sep, :::: or --arg-file-sep, and their + forms).
func (o *runOptions) splitPositional(args []string) error {
	var err error
	o.template, o.sources, err = input.SplitPositional(args, o.parity.argSep, o.parity.argFileSep)
	if err != nil {
		return usageErr("%w", err)
	}
	return nil
}

// joblogOnStream reports whether the joblog goes to gopool's stdout or
// stderr (--joblog -).
func (s *settings) joblogOnStream() bool {
	switch s.joblog {
	case "-", "/dev/stdout", "/dev/stderr":
		return true
	}
	return false
}

// expander expands the settings' command template.
func (s *settings) expander() expander { return expander{tmpl: s.tmpl, opt: s.tmplOpt} }

// launcher is what runs the jobs of these settings.
func (s *settings) launcher() launcher {
	if s.dryRun {
		return dryLauncher{}
	}
	return localLauncher{}
}

// check validates the options into settings; every error is a usage error
// (exit 255). It does not change o.
func (o *runOptions) check() (*settings, error) {
	s := &settings{mode: o.mode, tag: o.tag, lineBuffer: o.lineBuffer, json: o.json,
		dryRun: o.dryRun, tty: o.tty, tmpDir: o.tmpDir}
	for _, name := range []string{"replace", "delimiter", "tmpdir"} {
		if o.changed[name] && o.flagValue(name) == "" {
			return nil, usageErr("bad --%s: must not be empty", name)
		}
	}
	var err error
	if s.workers, err = parseJobs(o.jobs); err != nil {
		return nil, usageErr("%w", err)
	}
	if o.tty {
		s.workers = 1 // one job has the terminal at a time
	}
	if s.input, err = o.checkInput(); err != nil {
		return nil, err
	}
	s.tmplOpt = tmpl.Options{Replace: cmp.Or(o.replace, "{}"), Shell: o.shell, ShellPath: o.shellPath}
	if err := o.checkParity(s); err != nil {
		return nil, err
	}
	if err := o.checkTemplate(s); err != nil {
		return nil, err
	}
	if err := o.checkJobControl(s); err != nil {
		return nil, err
	}
	if s.ci, err = o.ci.check(o.template, o.changed, o.dryRun); err != nil {
		return nil, err
	}
	if err := o.finishParity(s); err != nil {
		return nil, err
	}
	if err := o.checkPipe(s); err != nil {
		return nil, err
	}
	if err := o.checkRemote(s); err != nil {
		return nil, err
	}
	return s, nil
}

// checkInput reads the input flags: sources, delimiters, columns.
func (o *runOptions) checkInput() (input.Config, error) {
	delim := "\n"
	var err error
	switch {
	case o.null && o.delimiter != "":
		return input.Config{}, usageErr("-0 and -d cannot be used together")
	case o.null:
		delim = "\x00"
	case o.delimiter != "":
		if delim, err = input.ParseDelimiter(o.delimiter); err != nil {
			return input.Config{}, usageErr("bad -d %q: %w", o.delimiter, err)
		}
	}
	var colsep *regexp.Regexp
	if o.colsep != "" {
		if colsep, err = regexp.Compile(o.colsep); err != nil {
			return input.Config{}, usageErr("bad --colsep %q: %w", o.colsep, err)
		}
	}
	var sources []input.SourceSpec
	for _, f := range o.argFiles {
		sources = append(sources, input.SourceSpec{Path: f})
	}
	sources = append(sources, o.sources...)
	return input.Config{
		Sources: sources, Delim: delim, Link: o.link, MaxArgs: o.maxArgs,
		ColSep: colsep, SkipEmpty: o.noRunIfEmpty,
	}, nil
}

// checkTemplate reads the template, --tmpdir, --tagstring, --timeout and
// --termseq.
func (o *runOptions) checkTemplate(s *settings) error {
	var err error
	if len(o.template) > 0 {
		if s.tmpl, err = tmpl.Parse(o.template, s.tmplOpt); err != nil {
			return usageErr("bad template: %w", err)
		}
	}
	if o.tmpDir != "" {
		if fi, err := os.Stat(o.tmpDir); err != nil || !fi.IsDir() {
			return usageErr("bad --tmpdir %q: not a directory", o.tmpDir)
		}
	}
	if o.tagString != "" {
		if s.tagString, err = tmpl.ParseString(unquotePrintf(o.tagString), s.tmplOpt); err != nil {
			return usageErr("bad --tagstring: %w", err)
		}
	}
	if o.timeout != "" {
		if s.timeout, err = parseDuration(o.timeout); err != nil {
			return usageErr("bad --timeout %q: %w", o.timeout, err)
		}
	}
	if o.termSeq != "" {
		if s.termSeq, err = runner.ParseTermSeq(o.termSeq); err != nil {
			return usageErr("%w", err)
		}
	}
	return nil
}

// checkRemote reads -S and its family, and what they rule out.
func (o *runOptions) checkRemote(s *settings) error {
	var err error
	hasSources := len(o.argFiles)+len(o.sources) > 0
	if s.remote, err = o.remote.check(o.jobs, s.tmplOpt, s.tmpl != nil, hasSources); err != nil {
		return err
	}
	switch {
	case s.remote == nil:
		return nil
	case o.tty:
		return usageErr("--tty cannot be used with -S: remote jobs get no terminal")
	case s.pipe != nil:
		return usageErr("--pipe and --pipepart cannot be used with -S: remote jobs read no input")
	}
	if s.remote.nonall {
		s.input.Sources = []input.SourceSpec{{IsValues: true}} // no input: stdin is not read
	}
	return nil
}

// flagValue is the value of a string flag that may not be empty.
func (o *runOptions) flagValue(name string) string {
	switch name {
	case "replace":
		return o.replace
	case "delimiter":
		return o.delimiter
	case "tmpdir":
		return o.tmpDir
	}
	panic("cmd: flagValue of unknown flag " + name)
}

// checkJobControl reads the joblog, resume, retry, halt, delay, JSON and
// progress flags into s.
func (o *runOptions) checkJobControl(s *settings) error {
	var err error
	if o.retries < 0 {
		return usageErr("bad --retries %d: must be 0 or more", o.retries)
	}
	s.retries = o.retries
	halt := o.halt
	if o.failFast {
		if halt != "" && halt != "now,fail=1" {
			return usageErr("--fail-fast and --halt %s cannot be used together", halt)
		}
		halt = "now,fail=1"
	}
	if s.halt, err = parseHalt(halt); err != nil {
		return usageErr("%w", err)
	}
	if o.delay != "" {
		if s.delay, err = parseDuration(o.delay); err != nil {
			return usageErr("bad --delay %q: %w", o.delay, err)
		}
	}
	s.joblog = o.joblog
	if p, ok := strings.CutPrefix(o.joblog, "+"); ok {
		s.joblog, s.joblogAppend = p, true
	}
	if o.joblog != "" && s.joblog == "" {
		return usageErr("bad --joblog %q: want a file name", o.joblog)
	}
	switch {
	case o.resume && o.resumeFailed:
		return usageErr("--resume and --resume-failed cannot be used together")
	case o.resume:
		s.resume = resumeAll
	case o.resumeFailed:
		s.resume = resumeFailed
	}
	if s.resume != resumeNone {
		if s.joblog == "" {
			return usageErr("--resume and --resume-failed need --joblog FILE")
		}
		if s.joblogOnStream() {
			return usageErr("--resume and --resume-failed need a joblog file to read, not %s", s.joblog)
		}
		s.joblogAppend = true
	}
	if o.json && o.lineBuffer {
		return usageErr("--json and --line-buffer cannot be used together")
	}
	if s.progress, err = parseProgress(o.progress); err != nil {
		return usageErr("%w", err)
	}
	if o.progressInterval != "" {
		if s.progressEvery, err = parseDuration(o.progressInterval); err != nil || s.progressEvery <= 0 {
			return usageErr("bad --progress-interval %q: want a duration above 0 (10s, 1m, 2.5)", o.progressInterval)
		}
	}
	return nil
}

// parseJobs reads -j: N, N% of the cores, +N and -N (the cores plus or
// minus N, at least 1), 0 for no limit; empty means GOPOOL_JOBS or else the
// number of cores.
func parseJobs(v string) (int, error) {
	if v == "" {
		v = os.Getenv("GOPOOL_JOBS")
	}
	if v == "" {
		return runtime.NumCPU(), nil
	}
	if v[0] == '+' || v[0] == '-' {
		n, err := strconv.Atoi(v[1:])
		if err != nil || n < 0 || v[1] == '+' || v[1] == '-' {
			return 0, fmt.Errorf("bad -j %q: want N, N%%, +N, -N or 0", v)
		}
		if v[0] == '-' {
			n = -n
		}
		return max(1, runtime.NumCPU()+n), nil
	}
	if p, ok := strings.CutSuffix(v, "%"); ok {
		n, err := strconv.ParseFloat(p, 64)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("bad -j %q: want N, N%% or 0", v)
		}
		return max(1, int(float64(runtime.NumCPU())*n/100)), nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad -j %q: want N, N%% or 0", v)
	}
	if n == 0 {
		return 1 << 30, nil
	}
	return n, nil
}

// parseDuration reads plain seconds ("1.5") or a Go duration ("500ms").
// NaN, infinities and durations past time.Duration's range (about 292
// years) are errors.
func parseDuration(v string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case math.IsNaN(f):
			return 0, fmt.Errorf("not a number")
		case f < 0:
			return 0, fmt.Errorf("negative duration")
		case f*float64(time.Second) >= math.MaxInt64:
			return 0, fmt.Errorf("too long (at most %dh)", math.MaxInt64/int64(time.Hour))
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		if overflows(v) {
			return 0, fmt.Errorf("too long (at most %dh)", math.MaxInt64/int64(time.Hour))
		}
		return 0, fmt.Errorf("want seconds (1.5) or a duration (500ms, 2m)")
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration")
	}
	return d, nil
}

// overflows reports whether v is a well-formed Go duration whose value is
// too big for time.Duration ("9999999999h"): with every number made 1, it
// parses.
func overflows(v string) bool {
	var small strings.Builder
	inNumber := false
	for _, r := range v {
		digit := r >= '0' && r <= '9' || r == '.'
		if digit && !inNumber {
			small.WriteByte('1')
		} else if !digit {
			small.WriteRune(r)
		}
		inNumber = digit
	}
	_, err := time.ParseDuration(small.String())
	return err == nil
}
