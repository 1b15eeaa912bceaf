//go:build unix

package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// docExample is one "$ command" of a ```console block in docs/, with the
// stdout the docs show for it.
type docExample struct {
	file    string
	line    int
	command string
	stdout  string
	sorted  bool // the block is marked "console sorted": order may vary
	block   int  // examples of one block run in order in one directory
}

// readDocExamples collects the examples of every Markdown file in dir.
func readDocExamples(t *testing.T, paths ...string) []docExample {
	t.Helper()
	var out []docExample
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		var (
			in, sorted bool
			cur        *docExample
			n, block   int
		)
		flush := func() {
			if cur != nil {
				out = append(out, *cur)
				cur = nil
			}
		}
		for sc.Scan() {
			n++
			l := sc.Text()
			switch {
			case !in && strings.HasPrefix(l, "```console"):
				in, sorted = true, strings.Contains(l, "sorted")
				block++
			case in && l == "```":
				flush()
				in = false
			case in && strings.HasPrefix(l, "$ "):
				flush()
				cur = &docExample{file: p, line: n, command: l[2:], sorted: sorted, block: block}
			case in && cur != nil && strings.HasSuffix(cur.command, "\\") && cur.stdout == "":
				cur.command += "\n" + l
			case in && cur != nil:
				cur.stdout += l + "\n"
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestDocs runs every example in README.md and docs/*.md with the real
// gopool on PATH, in a fresh directory, and compares its stdout with the
// docs.
func TestDocs(t *testing.T) {
	files, _ := filepath.Glob("docs/*.md")
	files = append(files, "README.md")
	exs := readDocExamples(t, files...)
	if len(exs) == 0 {
		t.Fatal("no examples found in docs/")
	}
	// One script per ```console block: its commands run in order, in one
	// directory, each with its own stdout check.
	dir := t.TempDir()
	scripts := map[string]*strings.Builder{}
	var order []string
	for i, ex := range exs {
		if strings.HasPrefix(ex.command, "go ") {
			continue // the README's own build and test commands
		}
		name := fmt.Sprintf("%s-%03d.txtar", strings.TrimSuffix(filepath.Base(ex.file), ".md"), ex.block)
		b := scripts[name]
		if b == nil {
			b = &strings.Builder{}
			scripts[name] = b
			order = append(order, name)
		}
		fmt.Fprintf(b, "# %s:%d\n", ex.file, ex.line)
		fmt.Fprintf(b, "exec bash -eo pipefail cmd%d.sh\n", i)
		fmt.Fprintf(b, "cmp stdout want%d\n", i)
	}
	for i, ex := range exs {
		if strings.HasPrefix(ex.command, "go ") {
			continue
		}
		name := fmt.Sprintf("%s-%03d.txtar", strings.TrimSuffix(filepath.Base(ex.file), ".md"), ex.block)
		b := scripts[name]
		script := ex.command + "\n"
		want := ex.stdout
		if ex.sorted {
			script = "{\n" + script + "} | LC_ALL=C sort\n"
			lines := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
			slices.Sort(lines)
			if want != "" {
				want = strings.Join(lines, "\n") + "\n"
			}
		}
		fmt.Fprintf(b, "-- cmd%d.sh --\n%s-- want%d --\n%s", i, script, i, want)
	}
	for _, name := range order {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(scripts[name].String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	testscript.Run(t, testscript.Params{Dir: dir, Cmds: scriptCmds,
		Setup: func(env *testscript.Env) error {
			env.Setenv("GOPOOL_JOBS", "")
			// A race-enabled gopool would sleep 1s at exit.
			env.Setenv("GORACE", "atexit_sleep_ms=0")
			return nil
		}})
}
