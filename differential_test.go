//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// diffCase is one command line run by both gopool map and GNU parallel -k.
type diffCase struct {
	name  string
	args  []string // after "map" / "parallel -k --will-cite"
	stdin string
	files map[string]string // written to the working directory first
	// sub is the subcommand of gopool ("" is map); GNU parallel gets -k
	// either way, so submit's cases must keep their order (-k, -j 1).
	sub string
	// outFiles are files (globs) the run leaves in its working directory
	// that must be the same, names and contents: each tool runs in a
	// directory of its own.
	outFiles []string
	// exitDiffers says why the exit status is not GNU parallel's (a
	// difference docs/differences.md explains); "" means it must be.
	exitDiffers string
}

// differentialCases mean the same to gopool and GNU parallel: their
// templates hold no word that a shell would read differently from the word
// itself (GNU parallel joins the words into one shell line, gopool runs
// them directly; see docs/differences.md).
func differentialCases() []diffCase {
	// GNU parallel stops the run (exit 255) at a command line over about
	// 64 KiB; gopool takes longer records (see docs/differences.md).
	long := strings.Repeat("0123456789abcdef", 60000/16)
	seq := func(n int) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			b.WriteString(strings.Repeat("x", i%7))
			b.WriteString("\n")
		}
		return b.String()
	}
	return []diffCase{
		{name: "record", args: []string{"echo", "{}", ":::", "a", "b c", "it's", `"q"`, "$HOME", "*"}},
		{name: "path modifiers", args: []string{"echo", "{}", "{.}", "{/}", "{//}", "{/.}", ":::",
			"/d.x/a.tar.gz", "b.c", "plain", "dir/sub/f", "./rel.txt", "/top"}},
		{name: "job number", args: []string{"echo", "{#}", "{}", ":::", "a", "b", "c", "d"}},
		{name: "columns of sources", args: []string{"echo", "{1}", "{2}", "{2/.}", "{1//}", "{2.}", "{1/}",
			":::", "/p/f.c", "q/r.s", ":::", "/x/y.z", "w"}},
		{name: "words around replacement strings", args: []string{"echo", "pre{}post", "{.}.out", "{#}-{}",
			":::", "f.txt", "g"}},
		{name: "append when no replacement string", args: []string{"echo", "x", ":::", "1", "2 3"}},
		{name: "append several sources", args: []string{"echo", "x", ":::", "a", "b", ":::", "1", "2"}},
		{name: "replace string -I", args: []string{"-I", "@@", "echo", "@@", "{}", ":::", "v", "w"}},
		{name: "cross product", args: []string{"echo", "{1}-{2}-{3}", ":::", "a", "b", ":::", "1", "2", "3", ":::", "x", "y"}},
		{name: "cross product with file", args: []string{"echo", "{1}", "{2}", "::::", "f.txt", ":::", "p", "q"},
			files: map[string]string{"f.txt": "1\n2\n3\n"}},
		{name: "arg files", args: []string{"-a", "f.txt", "-a", "-", "echo"}, stdin: "a\nb\n",
			files: map[string]string{"f.txt": "1\n2\n"}},
		{name: "link", args: []string{"--link", "echo", "{1}", "{2}", ":::", "a", "b", "c", "d", ":::", "1", "2"}},
		{name: "link three", args: []string{"--link", "echo", ":::", "a", "b", "c", ":::", "1", "2", "3", ":::", "x"}},
		{name: "stdin lines", args: []string{"echo"}, stdin: "a\nb b\n\nc"},
		{name: "stdin long record", args: []string{"echo", "{}"}, stdin: "short\n" + long + "\nend\n"},
		{name: "stdin bytes", args: []string{"echo", "{}"}, stdin: "caf\xe9\n\xff\xfe\x01\nw\tx\n"},
		{name: "null", args: []string{"-0", "echo", "[{}]"}, stdin: "a b\x00c\nd\x00\x00e"},
		{name: "delimiter", args: []string{"-d", ",", "echo", "[{}]"}, stdin: "a,b c,,d"},
		{name: "delimiter escape", args: []string{"-d", `\t`, "echo", "[{}]"}, stdin: "a\tb\tc"},
		{name: "delimiter multi", args: []string{"-d", "::", "echo", "[{}]"}, stdin: "a::b:c::d"},
		{name: "no run if empty", args: []string{"-r", "echo", "x{}x"}, stdin: "a\n\n  \t\nb\n\n"},
		{name: "max args", args: []string{"-n", "2", "echo", ":::", "1", "2", "3", "4", "5"}},
		{name: "max args braces", args: []string{"-n", "3", "echo", "{}", ":::", "1", "2", "3", "4", "5", "6", "7"}},
		{name: "max args columns", args: []string{"-n", "2", "echo", "{2}", "{1}", ":::", "1", "2", "3", "4"}},
		{name: "max args stdin", args: []string{"-n", "3", "echo"}, stdin: seq(10)},
		{name: "colsep", args: []string{"--colsep", ",", "echo", "{2}", "{1}"}, stdin: "a,b\nc,d\n"},
		{name: "colsep regexp appended", args: []string{"--colsep", "[,;]+", "echo"}, stdin: "a,b;;c\nd\n"},
		{name: "tag", args: []string{"--tag", "echo", "{}", "x", ":::", "a", "b c"}},
		{name: "tagstring", args: []string{"--tagstring", "{#}:{.}", "echo", "{}", ":::", "a.x", "b"}},
		{name: "tag multiline", args: []string{"--tag", "seq", "{}", ":::", "1", "3"}},
		{name: "commands from stdin", args: nil, stdin: "echo a\necho b c | tr b B\nprintf '%s\\n' 'x y'\n"},
		{name: "commands from file", args: []string{"::::", "cmds"},
			files: map[string]string{"cmds": "echo one\necho two && echo three\n"}},
		{name: "commands from values", args: []string{":::", "echo a", "echo b; echo c"}},
		{name: "ok", args: []string{"true", ":::", "1", "2"}},
		{name: "four failed", args: []string{"false", ":::", "1", "2", "3", "4"}},
		{name: "three failed", args: []string{"test", "{}", "-lt", "3", ":::", "1", "2", "3", "4", "5"}},
		{name: "100 failed", args: []string{"-j", "8", "false"}, stdin: seq(100)},
		{name: "101 failed", args: []string{"-j", "8", "false"}, stdin: seq(101)},
		{name: "150 failed", args: []string{"-j", "8", "false"}, stdin: seq(150)},
		{name: "missing command", args: []string{"no-such-command-xyz", ":::", "1", "2"}},
	}
}

// TestDifferentialGNUParallel runs each case with gopool map and with GNU
// parallel -k, and checks that stdout is the same byte for byte and that
// the exit status is the same.
func TestDifferentialGNUParallel(t *testing.T) {
	out, err := exec.Command("parallel", "--version").Output()
	if err != nil || !bytes.Contains(out, []byte("GNU parallel")) {
		t.Skip("GNU parallel is not installed (install the Debian package parallel): `parallel --version` does not say GNU parallel")
	}
	dir := t.TempDir()
	gopool := filepath.Join(dir, "gopool")
	build := exec.Command("go", "build", "-o", gopool, ".")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	home := filepath.Join(dir, "parallel-home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PARALLEL_HOME="+home, "PARALLEL=", "GOPOOL_JOBS=")
	cases := append(differentialCases(), inputDiffCases()...)
	cases = append(cases, parityDiffCases()...)
	cases = append(cases, pipeDiffCases()...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dirs := [2]string{t.TempDir(), t.TempDir()}
			for _, work := range dirs {
				for name, data := range c.files {
					if err := os.WriteFile(filepath.Join(work, name), []byte(data), 0o600); err != nil {
						t.Fatal(err)
					}
				}
			}
			sub := c.sub
			if sub == "" {
				sub = "map"
			}
			gotOut, gotCode := runDiff(t, dirs[0], env, gopool, append([]string{sub}, c.args...), c.stdin)
			wantOut, wantCode := runDiff(t, dirs[1], env, "parallel", append([]string{"-k", "--will-cite"}, c.args...), c.stdin)
			if !bytes.Equal(gotOut, wantOut) {
				t.Errorf("gopool %s %q: stdout\n%q\nGNU parallel -k: stdout\n%q", sub, c.args, clip(gotOut), clip(wantOut))
			}
			if gotCode != wantCode && c.exitDiffers == "" {
				t.Errorf("gopool %s %q: got exit %d, want %d (GNU parallel's)", sub, c.args, gotCode, wantCode)
			}
			for _, glob := range c.outFiles {
				got, want := readGlob(t, dirs[0], glob), readGlob(t, dirs[1], glob)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("gopool %s %q: files %s\n%q\nGNU parallel -k: files\n%q", sub, c.args, glob, got, want)
				}
			}
		})
	}
}

// readGlob returns the files under dir that match glob (a pattern of
// filepath.Match on the path relative to dir, ** for any path), by path,
// with their contents.
func readGlob(t *testing.T, dir, glob string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		ok := glob == "**" || strings.HasPrefix(rel, strings.TrimSuffix(glob, "**"))
		if !strings.HasSuffix(glob, "**") {
			ok, _ = filepath.Match(glob, rel)
		}
		if ok {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// runDiff runs name with args in dir and returns its stdout and exit code.
func runDiff(t *testing.T, dir string, env []string, name string, args []string, stdin string) ([]byte, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return stdout.Bytes(), 0
	case errors.As(err, &ee):
		return stdout.Bytes(), ee.ExitCode()
	}
	t.Fatalf("run %s %q: %v\n%s", name, args, err, stderr.Bytes())
	return nil, 0
}

// clip shortens long output for an error message.
func clip(b []byte) []byte {
	if len(b) > 2000 {
		return append(b[:2000:2000], "..."...)
	}
	return b
}
