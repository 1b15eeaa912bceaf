// Command mangen writes gopool's man pages into docs/man, generated from the
// command tree with cobra's doc package. Run it from the repository root
// after changing a command, a flag or a help text:
//
//	go run ./internal/mangen
//
// A page's date changes only when some page's content does, so running it on
// an unchanged tree changes nothing. TestManPagesUpToDate fails when the
// pages in docs/man are stale.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/gopool/gopool/cmd"
)

func main() {
	dir := flag.String("dir", "docs/man", "write the pages into `DIR`")
	flag.Parse()
	changed, err := write(*dir, time.Now())
	if err != nil {
		fmt.Fprintf(os.Stderr, "mangen: %v\n", err)
		os.Exit(1)
	}
	for _, name := range changed {
		fmt.Println(filepath.Join(*dir, name))
	}
}

// dateLayout is how cobra dates a page in its .TH line.
const dateLayout = "Jan 2006"

// thDate finds the date in the .TH line of a page cobra generated.
var thDate = regexp.MustCompile(`(?m)^\.TH "[^"]*" "[^"]*" "([^"]*)"`)

// pageDate is the date of the page in dir/gopool.1, or false when there is
// none.
func pageDate(dir string) (time.Time, bool) {
	b, err := os.ReadFile(filepath.Join(dir, "gopool.1"))
	if err != nil {
		return time.Time{}, false
	}
	m := thDate.FindSubmatch(b)
	if m == nil {
		return time.Time{}, false
	}
	d, err := time.Parse(dateLayout, string(m[1]))
	return d, err == nil
}

// write brings the pages in dir up to date and returns the names of the
// files it wrote or removed. The pages keep their date when none changed.
func write(dir string, now time.Time) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	date, ok := pageDate(dir)
	if !ok {
		date = now
	}
	want, err := pages(date)
	if err != nil {
		return nil, err
	}
	stale, err := diff(dir, want)
	if err != nil {
		return nil, err
	}
	if len(stale) == 0 {
		return nil, nil
	}
	if want, err = pages(now); err != nil {
		return nil, err
	}
	if stale, err = diff(dir, want); err != nil {
		return nil, err
	}
	for _, name := range stale {
		path := filepath.Join(dir, name)
		b, ok := want[name]
		if !ok {
			err = os.Remove(path)
		} else {
			err = os.WriteFile(path, b, 0o644)
		}
		if err != nil {
			return nil, err
		}
	}
	return stale, nil
}

// diff lists the pages whose file in dir differs from want, and the *.1
// files in dir that want does not have, sorted by name.
func diff(dir string, want map[string][]byte) ([]string, error) {
	var stale []string
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		if !bytes.Equal(got, b) {
			stale = append(stale, name)
		}
	}
	have, err := filepath.Glob(filepath.Join(dir, "*.1"))
	if err != nil {
		return nil, err
	}
	for _, p := range have {
		if _, ok := want[filepath.Base(p)]; !ok {
			stale = append(stale, filepath.Base(p))
		}
	}
	slices.Sort(stale)
	return stale, nil
}

// pages renders the man page of every command, dated date, by file name
// (gopool.1, gopool-map.1, ...).
func pages(date time.Time) (map[string][]byte, error) {
	streams := &cmd.Streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}
	root := cmd.NewRootCmd(streams, cmd.BuildInfo{})
	root.DisableAutoGenTag = true
	out := make(map[string][]byte)
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
				continue
			}
			if err := walk(sub); err != nil {
				return err
			}
		}
		header := &doc.GenManHeader{Section: "1", Date: &date, Source: "gopool", Manual: "gopool manual"}
		var b bytes.Buffer
		if err := doc.GenMan(c, header, &b); err != nil {
			return fmt.Errorf("man page of %q: %w", c.CommandPath(), err)
		}
		page := b.Bytes()
		if c == root {
			var err error
			if page, err = insertBefore(page, ".SH SEE ALSO\n", rootSections); err != nil {
				return err
			}
			if page, err = appendToSeeAlso(page, `, \fBparallel(1)\fP, \fBxargs(1)\fP`); err != nil {
				return err
			}
		}
		out[strings.ReplaceAll(c.CommandPath(), " ", "-")+".1"] = page
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("got %d man pages (%s), want one per command", len(out), slices.Sorted(maps.Keys(out)))
	}
	return out, nil
}

// insertBefore inserts text before the line mark of page.
func insertBefore(page []byte, mark, text string) ([]byte, error) {
	i := bytes.Index(page, []byte(mark))
	if i < 0 || (i > 0 && page[i-1] != '\n') {
		return nil, fmt.Errorf("gopool.1: no %q line to insert before", strings.TrimSpace(mark))
	}
	return slices.Concat(page[:i], []byte(text), page[i:]), nil
}

// appendToSeeAlso appends text to the line of references after SEE ALSO.
func appendToSeeAlso(page []byte, text string) ([]byte, error) {
	const mark = "\n.SH SEE ALSO\n"
	i := bytes.Index(page, []byte(mark))
	if i < 0 {
		return nil, fmt.Errorf("gopool.1: no SEE ALSO section")
	}
	i += len(mark)
	j := bytes.IndexByte(page[i:], '\n')
	if j <= 0 {
		return nil, fmt.Errorf("gopool.1: no references after SEE ALSO")
	}
	return slices.Concat(page[:i+j], []byte(text), page[i+j:]), nil
}

// rootSections are the sections of gopool.1 that have no place in cobra's
// help: exit status, environment and files. docs/exit-codes.md and
// docs/configuration.md say the same at length.
const rootSections = `.SH EXIT STATUS
.TP
.B 0
Every job succeeded.
.TP
.B 1\-100
That many jobs failed.
.TP
.B 101
More than 100 jobs failed.
.TP
.B 1\-255 with \-\-halt
The exit code of the job that triggered the halt (128+N for a job ended by signal N).
.TP
.B 130, 143
gopool was stopped by SIGINT or SIGTERM; its jobs were stopped with \-\-termseq.
.TP
.B 141
gopool's standard output was closed early (gopool ... | head \-1).
.TP
.B 255
gopool itself could not run: a bad flag, a bad template, an unreadable input file. Nothing was run.
.PP
A job that could not start counts as failed with 127 (command not found) or 126 (not executable).
.SH ENVIRONMENT
.TP
.B GOPOOL_JOBS
The number of jobs at once when \-j is not given: N, N% of the cores, or 0 for no limit.
\-j on the command line wins.
.TP
.B NO_COLOR
When set and not empty, gopool writes no colour or other terminal escape codes except to redraw
the progress bar. gopool does not colour its output today; this is a promise for the future.
.TP
.B TMPDIR
Where a job's output beyond its in\-memory buffer spills, unless \-\-tmpdir is given.
.TP
.B GOPOOL_SEQ, GOPOOL_SLOT
Set in each job's environment: its job number (1, 2, ...) and its job slot (1..j).
.SH SIGNALS
SIGINT and SIGTERM stop the running jobs with \-\-termseq (their whole process groups) and make
gopool exit 130 or 143; a second one sends SIGKILL at once. SIGHUP starts nothing new and lets the
running jobs finish. SIGTSTP and SIGCONT reach the jobs.
`
