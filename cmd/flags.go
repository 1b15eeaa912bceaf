package cmd

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newRunCmd builds the map or submit command.
func newRunCmd(streams *Streams, m mode) *cobra.Command {
	return newRunCmdWith(streams, &runOptions{mode: m})
}

// newRunCmdWith builds map or submit (after o.mode) with its flags bound
// to o.
func newRunCmdWith(streams *Streams, o *runOptions) *cobra.Command {
	m := o.mode
	c := &cobra.Command{
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			set, err := o.settle(c.Flags(), args)
			if err != nil {
				return err
			}
			return runJobs(c.Context(), streams, set, nil)
		},
	}
	describeRun(c, m)
	f := c.Flags()
	f.SetInterspersed(false)
	o.addCoreFlags(f)
	o.ci.addFlags(f)
	addParityFlags(f, o)
	o.pipe.addFlags(f)
	o.remote.addFlags(f)
	return c
}

// describeRun sets the usage, help text and examples of map or submit.
func describeRun(c *cobra.Command, m mode) {
	if m == modeMap {
		c.Use = "map [flags] [--] [TEMPLATE...] [::: VALUE...]... [:::: FILE...]..."
		c.Short = "Run a command for each record; print output in input order"
		c.Long, c.Example = mapLong+templateHelp, mapExample
		return
	}
	c.Use = "submit [flags] [--] [TEMPLATE...] [::: VALUE...]... [:::: FILE...]..."
	c.Short = "Run a command for each record; print output as jobs finish"
	c.Long, c.Example = submitLong+templateHelp, submitExample
}

// mapLong describes map in its help.
var mapLong = `map runs the command template once for each input record on a bounded pool
of processes and prints each job's output as one block, in input order, like
Python's Pool.map. A slow early job never stops later jobs from running: their
output waits on disk. The job at the head of the order streams its stdout
live (with plain output: no --tag, --json, --retries or progress bar), and
gopool stops at once when the reader of its stdout goes away.`

// mapExample is the examples in the help of map.
var mapExample = `  # One job per argument, 4 at a time, output in input order
  gopool map -j 4 -- echo {} ::: a b c

  # Records from stdin; {.} is the record without its extension
  ls *.wav | gopool map -- ffmpeg -i {} {.}.mp3

  # NUL-separated file names, safe with any name
  find . -name '*.log' -print0 | gopool map -0 -- gzip -k {}

  # Cross product of two sources: a 1, a 2, b 1, b 2
  gopool map -- echo {1} {2} ::: a b ::: 1 2

  # One word with shell syntax runs under sh -c; values stay data
  gopool map 'grep -c error {} | sed "s/^/{}: /"' ::: *.log

  # As many file names per command as fit, spread over 4 jobs (xargs -P 4)
  find . -name '*.tmp' -print0 | gopool map -0 -X -j 4 -- rm -f

  # --plus: {%.gz} drops a suffix; {##} is the number of jobs
  gopool map --plus -- echo 'job {#} of {##}: {%.gz}' ::: a.gz b.gz

  # Named columns from a header line
  gopool map --header : --colsep , -- echo {name} is {age} :::: people.csv

  # Results to a file, a progress bar on the terminal, a resumable log
  gopool map --progress --joblog jobs.log --resume -- ./fetch {} :::: urls > out.txt

  # Stop everything at the first failure; exit with its code
  gopool map --fail-fast --retries 2 -- ./test.sh {} ::: unit integration

  # In CI: a JUnit report for the CI to show, a table of failed jobs at the end
  gopool map --timeout 10m --junit junit.xml --summary -- ./test.sh {} ::: unit e2e

  # Pipe mode: stdin cut into 10 MiB blocks of whole lines, one gzip per block;
  # the blocks come out in order, so the result is one valid .gz
  gopool map --pipe --block 10M -- gzip -c < big.log > big.log.gz

  # A CSV's header line before every block of 1000 rows; {#} is the block number
  gopool map --pipe --header : -N 1000 'cat > part-{#}.csv' < data.csv

  # FASTA records (they start with >), 100 per job
  gopool map --pipe --recstart '>' -N 100 -- ./align < reads.fa

  # Each job gets its byte range of a huge file, which never passes through gopool
  gopool map --pipepart -a huge.log -- grep -c ERROR

  # On two hosts over ssh, 4 jobs each: send each file, bring the result back
  gopool map -S 4/node1,4/node2 --trc {}.gz -- gzip -k {} ::: *.log`

// submitLong describes submit in its help.
var submitLong = `submit runs the command template once for each input record on a bounded pool
of processes and prints each job's output as one block as soon as the job
finishes, like ProcessPoolExecutor.submit with as_completed. With -k it
prints in input order, as map does.`

// submitExample is the examples in the help of submit.
var submitExample = `  # Results in completion order: prints 1, then 2, then 3
  gopool submit -j 3 -- sh -c 'sleep $1; echo $1' _ {} ::: 3 2 1

  # Tag each line with its input
  gopool submit --tag -- ping -c1 {} ::: host1 host2

  # Each line of a file is a whole command line
  gopool submit -j 8 :::: commands.txt

  # Pipe mode: blocks of stdin to 4 long-lived jobs, fed as they read
  zcat big.gz | gopool submit -j 4 --pipe --round-robin -- ./load-into-db

  # The same command once on every host of a file (one login a line)
  gopool submit --slf hosts.txt --nonall -- uptime`

// addCoreFlags adds the flags of a local run: input, template, output and
// job control.
func (o *runOptions) addCoreFlags(f *pflag.FlagSet) {
	f.StringVarP(&o.jobs, "jobs", "j", "", "run N jobs at once; N% of the cores; 0 for no limit (default: cores, or $GOPOOL_JOBS)")
	f.StringArrayVarP(&o.argFiles, "arg-file", "a", nil, "read records from `FILE` (repeatable; - is stdin)")
	f.BoolVarP(&o.null, "null", "0", false, "records end at NUL, not newline")
	f.StringVarP(&o.delimiter, "delimiter", "d", "", "records end at `STR` (C escapes like \\t, \\x1f allowed)")
	f.BoolVar(&o.link, "link", false, "pair up the input sources instead of their cross product")
	f.IntVarP(&o.maxArgs, "max-args", "n", 1, "put `N` records in one job")
	f.StringVarP(&o.colsep, "colsep", "C", "", "split each record into columns {1} {2}... at `REGEX`; blanks around columns are trimmed (--trim)")
	f.BoolVarP(&o.noRunIfEmpty, "no-run-if-empty", "r", false, "skip records that are empty or only white space (with --pipe: drop blank lines from each block)")
	f.StringVarP(&o.replace, "replace", "I", "", "use `STR` instead of {} for the record")
	f.BoolVar(&o.shell, "shell", false, "always run the command under a shell")
	f.StringVar(&o.shellPath, "shell-path", "/bin/sh", "the shell for commands with shell syntax")
	f.BoolVar(&o.tag, "tag", false, "prefix each output line with the record and a TAB")
	f.StringVar(&o.tagString, "tagstring", "", "prefix each output line with `STR` (templated; \\t, \\n and \\NNN escapes) and a TAB")
	f.BoolVar(&o.lineBuffer, "line-buffer", false, "print output lines as they come; lines of jobs may interleave, never inside a line")
	f.BoolVar(&o.dryRun, "dry-run", false, "print each command, quoted for a shell, and run nothing")
	f.BoolVar(&o.tty, "tty", false, "give each job the terminal (stdin, in the foreground), one job at a time (-j 1)")
	f.StringVar(&o.tmpDir, "tmpdir", "", "where output past the memory buffer spills (default $TMPDIR or /tmp)")
	f.StringVar(&o.timeout, "timeout", "", "stop a job after `D` (1.5 = seconds, 500ms, 2m); it counts as failed")
	f.StringVar(&o.termSeq, "termseq", "", "how a job is stopped: signals and waits (default TERM,2s,KILL)")
	f.StringVar(&o.joblog, "joblog", "", "log each finished job to `FILE` (GNU parallel's format); +FILE appends")
	f.BoolVar(&o.resume, "resume", false, "skip the jobs already in the --joblog")
	f.BoolVar(&o.resumeFailed, "resume-failed", false, "skip the jobs that succeeded in the --joblog; run the failed ones again")
	f.IntVar(&o.retries, "retries", 0, "run a failed job up to `N` times in all, as GNU parallel (changed: it used to be N+1 runs); only the last attempt is printed and logged")
	f.StringVar(&o.halt, "halt", "", "stop early: `POLICY` is never, soon|now,fail|success|done=N or N% (soon: start nothing new; now: also stop running jobs); the exit status is GNU parallel's")
	f.BoolVar(&o.failFast, "fail-fast", false, "stop at the first failed job: --halt now,fail=1")
	f.StringVar(&o.delay, "delay", "", "wait `D` between job starts (1.5 = seconds, 500ms)")
	f.BoolVar(&o.json, "json", false, "print one JSON object per job (JSON Lines) instead of raw output")
	f.StringVar(&o.progress, "progress", "auto", "progress on stderr: auto (a bar when stderr is a terminal and stdout is not, plain lines when $CI is set and stderr is no terminal), always (a bar), plain (lines for a log), never")
	f.Lookup("progress").NoOptDefVal = "always"
	f.StringVar(&o.progressInterval, "progress-interval", "10s", "print a --progress=plain line every `D`")
}

// settle finishes parsing, once the flags are parsed into o: the
// positional arguments args are split into template and input groups, and
// everything is checked into settings.
func (o *runOptions) settle(flags *pflag.FlagSet, args []string) (*settings, error) {
	if err := o.splitPositional(args); err != nil {
		return nil, err
	}
	o.changed = make(map[string]bool)
	flags.Visit(func(f *pflag.Flag) { o.changed[f.Name] = true })
	return o.check()
}
