// Package cmd is gopool's command line: cobra commands that wire input,
// template, pool, runner and output together.
package cmd

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gopool/gopool/internal/report"
	"github.com/gopool/gopool/internal/watchdog"
)

// Streams are the standard streams of a command, injected for tests.
type Streams struct {
	In       io.Reader
	Out, Err io.Writer
	// ErrTTY reports whether Err is a terminal and OutTTY whether Out is
	// (for --progress=auto).
	ErrTTY, OutTTY bool
	// CI reports that the CI environment variable is set: --progress=auto
	// prints plain progress lines when Err is not a terminal.
	CI bool
	// CISystem is the CI system gopool runs under, from GITHUB_ACTIONS=true
	// or GITLAB_CI=true: the default of --ci-groups (report.go).
	CISystem report.Groups
}

// BuildInfo is the version stamped into the binary by the release build
// (-X main.version=... -X main.commit=...). Empty fields are filled from
// the Go build info: `go install ...@v1.2.3` records the module version,
// and a plain `go build` in a Git checkout records the commit.
type BuildInfo struct {
	Version, Commit string
}

// String renders the version line:
// "gopool VERSION (commit COMMIT, GOVERSION GOOS/GOARCH)".
func (b BuildInfo) String() string {
	info, _ := debug.ReadBuildInfo() // nil when there is none
	return b.format(info, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
}

// format is String with the build info and platform given; info may be nil.
func (b BuildInfo) format(info *debug.BuildInfo, goVersion, platform string) string {
	v, c := b.Version, b.Commit
	if info != nil {
		if v == "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		var rev string
		modified := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if c == "" && rev != "" {
			c = rev
			// Say the checkout had changes, unless the version does.
			if modified && !strings.HasSuffix(v, "+dirty") {
				c += ", modified"
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if c == "" {
		c = "unknown"
	}
	return fmt.Sprintf("gopool %s (commit %s, %s %s)", v, c, goVersion, platform)
}

// Main runs gopool with os.Args and returns the exit code. Only main calls
// os.Exit.
func Main(version, commit string) ExitCode {
	if watchdog.Is() {
		return ExitCode(watchdog.Serve(os.Stdin))
	}
	streams := &Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		ErrTTY: isTerminal(os.Stderr), OutTTY: isTerminal(os.Stdout), CI: os.Getenv("CI") != "",
		CISystem: report.DefaultGroups(os.Getenv)}
	return Execute(streams, BuildInfo{version, commit}, os.Args[1:])
}

// Execute runs the command line args and returns the exit code; errors are
// printed as one line on streams.Err.
func Execute(streams *Streams, build BuildInfo, args []string) ExitCode {
	root := rootFor(streams, build, args)
	root.SetArgs(normalizeArgs(root, args))
	err := unknownCommand(root, args)
	if err == nil {
		err = root.Execute()
	}
	code := exitCodeOf(err)
	if err != nil {
		var msg string
		if e, ok := err.(*ExitError); !ok || e.Err != nil {
			msg = err.Error()
		}
		if msg != "" {
			fmt.Fprintf(streams.Err, "gopool: %s\n", firstLine(msg))
		}
	}
	return code
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// rootFor builds what running args needs: for map and submit, which most
// runs are, only that command (a run's startup is part of its cost); for
// anything else (help, version, completion) the whole tree.
func rootFor(streams *Streams, build BuildInfo, args []string) *cobra.Command {
	if len(args) == 0 || (args[0] != "map" && args[0] != "submit") {
		return NewRootCmd(streams, build)
	}
	m := modeMap
	if args[0] == "submit" {
		m = modeSubmit
	}
	root := newRoot(streams, "")
	root.AddCommand(newRunCmd(streams, m))
	return root
}

// NewRootCmd builds the command tree.
func NewRootCmd(streams *Streams, build BuildInfo) *cobra.Command {
	root := newRoot(streams, build.String())
	root.AddCommand(
		newRunCmd(streams, modeMap),
		newRunCmd(streams, modeSubmit),
		newVersionCmd(streams, build),
	)
	// Cobra adds "completion" lazily in Execute; adding it now puts it in
	// the tree the man pages are generated from.
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		// Without a Run, cobra prints help and exits 0 for an unknown
		// shell; with one, it is an error like any bad argument.
		c.Example = "  source <(gopool completion bash)\n  gopool completion zsh > \"${fpath[1]}/_gopool\"\n" +
			"  gopool completion fish > ~/.config/fish/completions/gopool.fish"
		c.RunE = func(*cobra.Command, []string) error {
			return usageErr("completion: name a shell: bash, zsh, fish or powershell")
		}
	}
	return root
}

// newRoot is the root command with no subcommands; version, when not
// empty, gives it --version.
func newRoot(streams *Streams, version string) *cobra.Command {
	root := &cobra.Command{
		Use:   "gopool",
		Short: "Run commands in parallel on a bounded pool of processes",
		Long: `gopool runs many commands in parallel on a bounded pool of child processes,
the way Python's multiprocessing.Pool runs functions.

    gopool map     prints each job's output in input order   (Pool.map)
    gopool submit  prints each job's output as it finishes   (submit + as_completed)

Records come from ::: values, :::: files, -a files or stdin; each becomes one
job of the command template, with {} replaced by the record.

"gopool help map" lists every flag: -j, --timeout, --retries, --halt,
--joblog and --resume, --json, --progress (a bar on stderr), --tag,
--line-buffer, --dry-run and more.

GOPOOL_JOBS sets the default -j. Shell completion: gopool completion --help.`,
		Example: `  # Compress every log file, 4 at a time, output in input order
  ls *.log | gopool map -j 4 -- gzip -k {}

  # Square numbers like Pool(4).map(f, range(5))
  gopool map -j 4 -- sh -c 'echo $(( $1 * $1 ))' _ {} ::: 0 1 2 3 4

  # Print results as they complete, tagged with their input
  gopool submit --tag -- curl -sI {} :::: urls.txt`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &ExitError{Code: ExitCannotRun, Err: err}
	})
	return root
}

func newVersionCmd(streams *Streams, build BuildInfo) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print gopool's version, commit and Go version",
		Example: "  gopool version\n  gopool --version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(streams.Out, build.String())
			return err
		},
	}
}
