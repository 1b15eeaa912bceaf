package cmd

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/gopool/gopool/internal/input"
)

// paritySettings are the settings of parityOptions.
type paritySettings struct {
	verbose bool // -t, -v
	ungroup bool // -u
	files   bool // --files
	results *resultsSpec
	// batch is the budget and cost of -X, -m and --xargs, for the records
	// too long alone; nil without them.
	batch    *input.Batch
	exitLong bool // -x
	// needTotal: the number of jobs must be known before the first starts
	// ({##}, {0#}, --halt N%).
	needTotal bool
}

// maxArgStrlen is the longest single argument Linux takes (MAX_ARG_STRLEN,
// 32 pages): a word that joins values, and a script, must fit it.
const maxArgStrlen = 128 << 10

// checkParity reads the input and template options of parityOptions into
// s, before the template is parsed: s.input and s.tmplOpt are set.
func (o *runOptions) checkParity(s *settings) error {
	p := &o.parity
	in := &s.input
	if o.mode == modeSubmit && p.keepOrder {
		s.mode = modeMap
	}
	repl, lines, err := o.recordsPerJob(in)
	if err != nil {
		return err
	}
	pipeMode := o.pipe.on() // --header is about blocks there (pipe.go)
	in.EOF = p.eof
	in.Header = o.changed["header"] && p.header != "0" && !pipeMode
	in.Shuffle = p.shuf
	if p.trim != "" {
		t, err := input.ParseTrim(p.trim)
		if err != nil {
			return usageErr("bad --trim: %w", err)
		}
		in.Trim = t
	}
	if p.header == "0" && o.changed["header"] && !pipeMode {
		cols := map[string]int{}
		for i, src := range in.Sources {
			if !src.IsValues {
				cols[src.Path] = i + 1
			}
		}
		s.tmplOpt.Columns = cols
	}

	batched := p.batchX || p.batchM || p.xargs
	switch {
	case p.batchX && (p.batchM || p.xargs), p.batchM && p.xargs:
		return usageErr("-X, -m and --xargs cannot be used together")
	case batched && in.NoArgs:
		return usageErr("-X, -m and --xargs put many records in one job: not with -n 0")
	}
	// The word around {} is repeated for each record with -X (and -s
	// alone), -N and -L; -m, --xargs and -n join the records in it.
	s.tmplOpt.Context = !p.batchM && !p.xargs && (batched || repl && p.maxRepl > 0 || lines && p.maxLines > 0)
	s.tmplOpt.Quote = p.quote
	s.tmplOpt.Plus = p.plus
	if p.plus {
		s.tmplOpt.Slots = s.workers
	}
	if p.quote && o.shell {
		return usageErr("-q runs the words as they are and --shell under a shell: give one of them")
	}
	s.verbose = p.verbose
	s.ungroup = p.ungroup
	s.files = p.files
	s.exitLong = p.exitLong
	return nil
}

// recordsPerJob sets how many records make one job: -n, -N, -L and -l
// (lines are about blocks in pipe mode: pipe.go). repl and lines report
// -N and -L, which repeat the word around {} for each record.
func (o *runOptions) recordsPerJob(in *input.Config) (repl, lines bool, err error) {
	p := &o.parity
	maxArgs := o.maxArgs
	repl, lines, linesJ := o.changed["max-replace-args"], o.changed["lines"], o.changed["max-lines"]
	pipeMode := o.pipe.on() // -N, -L, -l and --header are about blocks there (pipe.go)
	if pipeMode {
		repl, lines, linesJ, maxArgs = false, false, false, 1
	}
	if repl {
		maxArgs = p.maxRepl
	}
	switch {
	case lines && linesJ:
		return false, false, usageErr("-L and -l (--max-lines) cannot be used together")
	case (lines || linesJ) && (o.changed["max-args"] || repl):
		return false, false, usageErr("-L or -l (--max-lines) and -n or -N cannot be used together")
	case lines:
		maxArgs = p.maxLines
		in.Continue = true
	case linesJ:
		maxArgs = max(p.maxLinesJ, 1)
		in.Continue = true
	}
	if maxArgs < 0 {
		return false, false, usageErr("bad -n %d: must be 0 or more", maxArgs)
	}
	if maxArgs == 0 {
		in.NoArgs, maxArgs = true, 1
	}
	in.MaxArgs = maxArgs
	return repl, lines, nil
}

// finishParity completes s once the template is parsed: the batches of -X,
// -m and --xargs, the output options and their conflicts.
func (o *runOptions) finishParity(s *settings) error {
	p := &o.parity
	if s.tmpl != nil {
		s.needTotal = s.tmpl.NeedsTotal()
	}
	if s.tagString != nil && s.tagString.NeedsTotal() {
		s.needTotal = true
	}
	if s.halt.pct {
		s.needTotal = true
	}
	if p.batchX || p.batchM || p.xargs || p.maxChars != "" {
		if err := o.checkBatch(s); err != nil {
			return err
		}
	}
	if !p.batchX && !p.batchM && !p.xargs {
		// -s alone batches nothing (GNU parallel 20221122): it is the
		// limit of each command line.
		s.input.Batch = nil
	}
	if p.bar && !o.changed["progress"] {
		s.progress = progressAlways
	}
	var with []string
	for _, f := range []struct {
		on   bool
		name string
	}{{o.tag, "--tag"}, {o.tagString != "", "--tagstring"}, {o.json, "--json"}, {o.lineBuffer, "--line-buffer"},
		{p.results != "", "--results"}, {p.files, "--files"}} {
		if f.on {
			with = append(with, f.name)
		}
	}
	switch {
	case p.ungroup && len(with) > 0:
		return usageErr("-u (--ungroup) passes output straight through: not with %s", with[0])
	case p.results != "" && (o.json || p.files || o.lineBuffer):
		return usageErr("--results cannot be used with --json, --files or --line-buffer")
	case p.files && (o.json || o.lineBuffer):
		return usageErr("--files cannot be used with --json or --line-buffer")
	}
	if p.results != "" {
		r, err := parseResults(p.results, s.tmplOpt)
		if err != nil {
			return usageErr("bad --results %q: %w", p.results, err)
		}
		s.results = r
	}
	return nil
}

// checkBatch sets the batches of -X, -m and --xargs: as many records as
// fit -s, or the OS's limit, less what the template itself takes.
func (o *runOptions) checkBatch(s *settings) error {
	p := &o.parity
	if s.tmpl == nil {
		return usageErr("-X, -m, --xargs and -s need a command template")
	}
	if s.input.NoArgs {
		return nil
	}
	b := &input.Batch{Slots: s.workers}
	if p.xargs {
		b.Slots = 1
	}
	if o.changed["max-args"] || o.changed["max-replace-args"] {
		b.Max = s.input.MaxArgs
	}
	sz := s.tmpl.Size()
	per := sz.PerValue
	if p.maxChars != "" {
		n, err := parseCount(p.maxChars)
		if err != nil || n < 1 {
			return usageErr("bad -s %q: want a number of bytes (K, M suffixes allowed)", p.maxChars)
		}
		b.Budget = n - sz.Fixed
	} else {
		// The OS's limit, with what GNU parallel's count leaves out: each
		// argument's pointer and, for a script, the variable that carries
		// each value and the script's reference to it.
		b.Budget = argMax() - environSize() - sz.Fixed - 4096
		per += 8
		if sz.Script {
			per += int64(len("GOPOOL_ARG_1234567=")) + 1 + 8
		}
	}
	if sz.Joined {
		b.Budget = min(b.Budget, maxArgStrlen-sz.Fixed-1)
	}
	if sz.Script {
		// The script refers to each value ("${GOPOOL_ARG_N}" and the word
		// around it): it must stay one argument the OS takes.
		room := maxArgStrlen - sz.ScriptFixed - 64
		most := max(1, int(room/(24+sz.PerValue)))
		if b.Max == 0 || b.Max > most {
			b.Max = most
		}
	}
	if b.Budget < 1 {
		return usageErr("-s %s leaves no room for the values: the template alone takes %d bytes", p.maxChars, sz.Fixed)
	}
	b.Cost = func(args []string) int64 {
		var n int64
		for _, a := range args {
			n += int64(len(a)) + per
		}
		return n
	}
	s.input.Batch = b
	s.batch = b
	return nil
}

// parseCount reads a count with GNU parallel's unit suffixes: k, m, g, t
// (powers of 1000) and K, M, G, T (powers of 1024).
func parseCount(v string) (int64, error) {
	mult := int64(1)
	if v != "" {
		i := strings.IndexByte("kmgtKMGT", v[len(v)-1])
		if i >= 0 {
			base := int64(1000)
			if i >= 4 {
				base, i = 1024, i-4
			}
			for range i + 1 {
				mult *= base
			}
			v = v[:len(v)-1]
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("bad count %q", v)
	}
	return n * mult, nil
}

// environSize is the bytes the environment takes in a new process's
// arguments: each variable, its NUL and its pointer.
func environSize() int64 {
	var n int64
	for _, e := range os.Environ() {
		n += int64(len(e)) + 1 + 8
	}
	return n
}
