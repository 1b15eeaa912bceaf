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
)

// Streams are the standard streams of a command, injected for tests.
type Streams struct {
	In       io.Reader
	Out, Err io.Writer
	// ErrTTY reports whether Err is a terminal and OutTTY whether Out is
	// (for --progress=auto).
	ErrTTY, OutTTY bool
}

// BuildInfo is the version stamped into the binary.
type BuildInfo struct {
	Version, Commit string
}

// String renders the version line: "gopool VERSION (commit C, GOVERSION)".
func (b BuildInfo) String() string {
	v, c := b.Version, b.Commit
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && c == "" {
				c = s.Value
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if c == "" {
		c = "unknown"
	}
	return fmt.Sprintf("gopool %s (commit %s, %s %s/%s)", v, c, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// Main runs gopool with os.Args and returns the exit code. Only main calls
// os.Exit.
func Main(version, commit string) ExitCode {
	streams := &Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		ErrTTY: isTerminal(os.Stderr), OutTTY: isTerminal(os.Stdout)}
	return Execute(streams, BuildInfo{version, commit}, os.Args[1:])
}

// Execute runs the command line args and returns the exit code; errors are
// printed as one line on streams.Err.
func Execute(streams *Streams, build BuildInfo, args []string) ExitCode {
	root := NewRootCmd(streams, build)
	root.SetArgs(args)
	err := root.Execute()
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

// NewRootCmd builds the command tree.
func NewRootCmd(streams *Streams, build BuildInfo) *cobra.Command {
	root := &cobra.Command{
		Use:   "gopool",
		Short: "Run commands in parallel on a bounded pool of processes",
		Long: `gopool runs many commands in parallel on a bounded pool of child processes,
the way Python's multiprocessing.Pool runs functions.

  gopool map     prints each job's output in input order   (Pool.map)
  gopool submit  prints each job's output as it finishes   (submit + as_completed)

Records come from ::: values, :::: files, -a files or stdin; each becomes one
job of the command template, with {} replaced by the record.`,
		Example: `  # Compress every log file, 4 at a time, output in input order
  ls *.log | gopool map -j 4 -- gzip -k {}

  # Square numbers like Pool(4).map(f, range(5))
  gopool map -j 4 -- sh -c 'echo $(( $1 * $1 ))' _ {} ::: 0 1 2 3 4

  # Print results as they complete, tagged with their input
  gopool submit --tag -- curl -sI {} :::: urls.txt`,
		Version:       build.String(),
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
	root.AddCommand(
		newRunCmd(streams, modeMap),
		newRunCmd(streams, modeSubmit),
		newVersionCmd(streams, build),
	)
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
