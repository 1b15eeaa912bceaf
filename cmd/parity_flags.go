package cmd

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// parityOptions are the flags of map and submit that GNU parallel scripts
// use (issue 13): its aliases and no-ops, and the options added for them.
type parityOptions struct {
	keepOrder bool // -k: submit prints in input order, as map
	ungroup   bool // -u: output passes straight through
	verbose   bool // -t, -v: print each command on stderr before it runs
	noop      bool // --will-cite, --group: accepted, nothing to do
	bar       bool // --bar, --eta: the progress bar

	batchX    bool   // -X: as many records as fit, the word around {} repeated
	batchM    bool   // -m: as many records as fit, joined in the word
	xargs     bool   // --xargs: as many as fit, not spread over the slots
	maxChars  string // -s: the most bytes of a command line
	exitLong  bool   // -x: a command line over -s stops the run
	maxRepl   int    // -N: records per job, {} repeated per record
	maxLines  int    // -L: lines per job, continued at a trailing blank, {} repeated
	maxLinesJ int    // -l, --max-lines: the same, the records joined in {}
	eof       string // -E, -e, --eof: a line that ends the input

	header     string // --header: the first line names the columns
	plus       bool   // --plus: more replacement strings
	argSep     string // --arg-sep
	argFileSep string // --arg-file-sep
	trim       string // --trim
	shuf       bool   // --shuf
	quote      bool   // -q: run the words as they are
	results    string // --results: output into files
	files      bool   // --files: stdout into files, their names printed
}

// addParityFlags adds the flags of o.parity and GNU parallel's aliases of
// the flags newRunCmdWith adds (hidden: the help shows one name each, and
// docs/migrating.md lists them all).
func addParityFlags(f *pflag.FlagSet, o *runOptions) {
	p := &o.parity
	f.BoolVarP(&p.keepOrder, "keep-order", "k", false, "print in input order (submit then prints as map does; map always does)")
	f.BoolVarP(&p.ungroup, "ungroup", "u", false, "pass output straight through as jobs print it: no grouping, lines of jobs may mix")
	f.BoolVarP(&p.verbose, "verbose", "t", false, "print each command on stderr before it runs")
	f.BoolVarP(&p.verbose, "print-commands", "v", false, "as -t (GNU parallel's -v prints on stdout)")
	f.BoolVarP(&p.batchX, "context-replace", "X", false, "put as many records in one command as fit (-s, or the OS limit), spread over the job slots; the word around {} is repeated for each")
	f.BoolVarP(&p.batchM, "multiple", "m", false, "as -X, but several records in one word are joined with spaces")
	f.BoolVar(&p.xargs, "xargs", false, "as -m, but the last command is not spread over the job slots")
	f.StringVarP(&p.maxChars, "max-chars", "s", "", "at most `N` bytes per command line (K, M suffixes): -X, -m and --xargs fill command lines up to it (default: the OS's limit)")
	f.BoolVarP(&p.exitLong, "exit", "x", false, "stop the run (exit 255) when one record alone is over -s, instead of failing its job")
	f.IntVarP(&p.maxRepl, "max-replace-args", "N", 0, "put `N` records in one job: {1}..{N} are the records, {} repeats its word for each; 0: one job per record with no argument; with --pipe: N records per block")
	f.IntVarP(&p.maxLines, "lines", "L", 0, "put `N` input lines in one job, {} repeated for each; a line ending in a blank goes on to the next (xargs -L); with --pipe: N lines make one record")
	f.IntVar(&p.maxLinesJ, "max-lines", 0, "as -L `N`, the lines joined in the word of {}; -l[N] and --max-lines[=N] take N optional (1); with --pipe: as -L")
	f.StringVarP(&p.eof, "eof", "E", "", "a line equal to `STR` ends its input source (also -e)")
	f.StringVar(&p.header, "header", "", "the first line of each source names its columns ({name}); `STR` is any value but 0, as GNU parallel's : or a regexp; 0 names the columns after their :::: files; with --pipe: a header (: the first line, N lines, or a regexp) put before every block")
	f.BoolVar(&p.plus, "plus", false, "more replacement strings: {+/} {+.} {..} {##} {0#} {:-x} {%.gz} {/a/b}... (see the help)")
	f.StringVar(&p.argSep, "arg-sep", "", "use `STR` instead of ::: before values")
	f.StringVar(&p.argFileSep, "arg-file-sep", "", "use `STR` instead of :::: before files")
	f.StringVar(&p.trim, "trim", "", "remove blanks around each record or column: `HOW` is n (none), l, r or lr; --colsep implies lr")
	f.BoolVar(&p.shuf, "shuf", false, "run the jobs in random order (the input is read whole first)")
	f.BoolVarP(&p.quote, "quote", "q", false, "run the words of the template as they are: never split, never under a shell")
	f.StringVar(&p.results, "results", "", "save each job's output in files under `DIR` (DIR/1/VALUE/stdout, stderr, seq), or in one file DIR.csv, .tsv or .json; a template such as out_{} names each job's file")
	f.BoolVar(&p.files, "files", false, "save each job's stdout in a file in --tmpdir and print the file's name instead")

	// Accepted for GNU parallel's scripts; nothing to do.
	f.BoolVar(&p.noop, "will-cite", false, "accepted for GNU parallel's scripts; gopool asks for no citation")
	f.BoolVar(&p.noop, "group", false, "accepted for GNU parallel's scripts: output is grouped by default")
	f.BoolVar(&p.bar, "bar", false, "a progress bar on stderr: --progress=always")
	f.BoolVar(&p.bar, "eta", false, "a progress bar with the time left: --progress=always")
	// GNU parallel's other names of gopool's flags.
	alias := func(name, short, of string) {
		orig := f.Lookup(of)
		fl := f.VarPF(orig.Value, name, short, "alias of --"+of)
		fl.NoOptDefVal = orig.NoOptDefVal
		fl.Hidden = true
	}
	alias("max-procs", "P", "jobs")
	alias("lb", "", "line-buffer")
	alias("jl", "", "joblog")
	alias("xapply", "", "link")
	alias("dryrun", "", "dry-run")
	alias("dr", "", "dry-run")
	alias("halt-on-error", "", "halt")
	alias("res", "", "results")
	alias("eof-str", "e", "eof")
	for _, name := range []string{"will-cite", "group", "eta"} {
		f.Lookup(name).Hidden = true
	}
}

// normalizeOptional rewrites GNU parallel's -l[N] and --max-lines[=N],
// whose N is optional, as --max-lines=N: "-l", "-l 3", "-l3", "--max-lines
// 3" (the next word is taken only when it is a number). With them 0 means
// 1, as in GNU parallel (-L 0 is a job per line with no argument). Words from the first that is not a flag (the template) on are
// left as they are.
func normalizeOptional(c *cobra.Command, args []string) []string {
	f := c.Flags()
	out := make([]string, 0, len(args))
	one := func(n string) string {
		if strings.Trim(n, "0") == "" {
			return "1"
		}
		return n
	}
	number := func(s string) bool {
		if s == "" {
			return false
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--" || !strings.HasPrefix(a, "-") || a == "-":
			return append(out, args[i:]...)
		case a == "-l" || a == "--max-lines":
			n := "1"
			if i+1 < len(args) && number(args[i+1]) {
				n = args[i+1]
				i++
			}
			out = append(out, "--max-lines="+one(n))
			continue
		case strings.HasPrefix(a, "-l") && number(a[2:]):
			out = append(out, "--max-lines="+one(a[2:]))
			continue
		case strings.HasPrefix(a, "--max-lines=") && number(a[len("--max-lines="):]):
			out = append(out, "--max-lines="+one(a[len("--max-lines="):]))
			continue
		}
		out = append(out, a)
		// A flag that takes the next word as its value: keep the pair.
		var fl *pflag.Flag
		if name, ok := strings.CutPrefix(a, "--"); ok {
			if !strings.Contains(name, "=") {
				fl = f.Lookup(name)
			}
		} else if len(a) == 2 {
			fl = f.ShorthandLookup(a[1:])
		}
		if fl != nil && fl.NoOptDefVal == "" && fl.Value.Type() != "bool" && i+1 < len(args) {
			out = append(out, args[i+1])
			i++
		}
	}
	return out
}
