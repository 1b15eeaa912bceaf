package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.xml")

// The report as encoding/xml reads it.
type xSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Time     string   `xml:"time,attr"`
	Suites   []xSuite `xml:"testsuite"`
}

type xSuite struct {
	Name      string  `xml:"name,attr"`
	Tests     int     `xml:"tests,attr"`
	Failures  int     `xml:"failures,attr"`
	Errors    int     `xml:"errors,attr"`
	Skipped   int     `xml:"skipped,attr"`
	Time      string  `xml:"time,attr"`
	Timestamp string  `xml:"timestamp,attr"`
	Hostname  string  `xml:"hostname,attr"`
	Cases     []xCase `xml:"testcase"`
}

type xCase struct {
	Name      string    `xml:"name,attr"`
	Classname string    `xml:"classname,attr"`
	Time      string    `xml:"time,attr"`
	Failure   *xOutcome `xml:"failure"`
	Error     *xOutcome `xml:"error"`
	Skipped   *xOutcome `xml:"skipped"`
	SystemOut *string   `xml:"system-out"`
	SystemErr *string   `xml:"system-err"`
}

type xOutcome struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

var (
	t0    = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	fixed = JUnitOptions{OutputLimit: DefaultOutputLimit, Hostname: "ci-host", Start: t0,
		Now: func() time.Time { return t0.Add(12500 * time.Millisecond) }}
)

// writeReport writes jobs to a report in a new directory and returns its
// path.
func writeReport(t *testing.T, opt JUnitOptions, jobs ...*Job) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.xml")
	w, err := NewJUnit(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, j := range jobs {
		if err := w.Add(j); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	return path
}

func parseReport(t *testing.T, path string) xSuites {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s xSuites
	if err := xml.Unmarshal(data, &s); err != nil {
		t.Fatalf("parse %s: %v\n%s", path, err, data)
	}
	if len(s.Suites) != 1 {
		t.Fatalf("got %d testsuites, want 1", len(s.Suites))
	}
	return s
}

func str(s string) *string { return &s }

// scenarios are the reports that the parse and schema tests both check.
func scenarios() []struct {
	name string
	opt  JUnitOptions
	jobs func() []*Job
	want []xCase
} {
	binary := "a\x00b\x1b[31mred\x1b[0m \xff\xfe ]]> <tag> & \"q\" \r\n"
	long := strings.Repeat("0123456789", 100) // 1000 bytes
	small := fixed
	small.OutputLimit = 64
	none := fixed
	none.OutputLimit = 0
	return []struct {
		name string
		opt  JUnitOptions
		jobs func() []*Job
		want []xCase
	}{
		{name: "zero jobs", opt: fixed, jobs: func() []*Job { return nil }},
		{
			name: "passed with and without output", opt: fixed,
			jobs: func() []*Job {
				return []*Job{
					{Seq: 1, Name: "a", Template: "echo {}", Duration: 1250 * time.Millisecond, Stdout: strings.NewReader("a\n")},
					{Seq: 2, Name: "b", Template: "echo {}", Duration: time.Millisecond},
				}
			},
			want: []xCase{
				{Name: "a", Classname: "echo {}", Time: "1.250", SystemOut: str("a\n")},
				{Name: "b", Classname: "echo {}", Time: "0.001"},
			},
		},
		{
			name: "failure exit code", opt: fixed,
			jobs: func() []*Job {
				return []*Job{{Seq: 3, Name: "unit", Template: "./test.sh {}", ExitCode: 2, Duration: 2 * time.Second,
					Stdout: strings.NewReader("running\n"), Stderr: strings.NewReader("l1\nFAIL: x\n")}}
			},
			want: []xCase{{Name: "unit", Classname: "./test.sh {}", Time: "2.000",
				Failure:   &xOutcome{Type: "exit", Message: "exit code 2", Text: "exit code 2\nlast lines of stderr:\nl1\nFAIL: x"},
				SystemOut: str("running\n"), SystemErr: str("l1\nFAIL: x\n")}},
		},
		{
			name: "failure tail from stdout when stderr is empty", opt: fixed,
			jobs: func() []*Job {
				return []*Job{{Seq: 1, Name: "n", ExitCode: 1, Stdout: strings.NewReader("--- FAIL: TestX\n")}}
			},
			want: []xCase{{Name: "n", Classname: "gopool", Time: "0.000",
				Failure:   &xOutcome{Type: "exit", Message: "exit code 1", Text: "exit code 1\nlast lines of stdout:\n--- FAIL: TestX"},
				SystemOut: str("--- FAIL: TestX\n")}},
		},
		{
			name: "timeout", opt: fixed,
			jobs: func() []*Job {
				return []*Job{{Seq: 4, Name: "slow", Template: "sleep {}", ExitCode: -1, Signal: 15, TimedOut: true,
					Timeout: 2 * time.Second, Stopped: "SIGINT", Duration: 2003 * time.Millisecond}}
			},
			want: []xCase{{Name: "slow", Classname: "sleep {}", Time: "2.003",
				Failure: &xOutcome{Type: "timeout", Message: "timed out after 2s", Text: "timed out after 2s"}}},
		},
		{
			name: "signal", opt: fixed,
			jobs: func() []*Job {
				return []*Job{{Seq: 5, Name: "crash", ExitCode: -1, Signal: 9, Duration: time.Second}}
			},
			want: []xCase{{Name: "crash", Classname: "gopool", Time: "1.000",
				Failure: &xOutcome{Type: "signal", Message: "killed by signal 9 (SIGKILL)", Text: "killed by signal 9 (SIGKILL)"}}},
		},
		{
			name: "could not start", opt: fixed,
			jobs: func() []*Job {
				return []*Job{{Seq: 6, ExitCode: 127, StartErr: `"nope": command not found`,
					Stderr: strings.NewReader("gopool: job 6: \"nope\": command not found\n")}}
			},
			want: []xCase{{Name: "job 6", Classname: "gopool", Time: "0.000",
				Failure: &xOutcome{Type: "start", Message: `could not start (exit code 127): "nope": command not found`,
					Text: "could not start (exit code 127): \"nope\": command not found\nlast lines of stderr:\ngopool: job 6: \"nope\": command not found"},
				SystemErr: str("gopool: job 6: \"nope\": command not found\n")}},
		},
		{
			name: "stopped and not started", opt: fixed,
			jobs: func() []*Job {
				return []*Job{
					{Seq: 7, Name: "running", ExitCode: -1, Signal: 15, Stopped: "SIGINT", Duration: 500 * time.Millisecond,
						Stdout: strings.NewReader("half")},
					{Seq: 8, Name: "queued", ExitCode: -1, Stopped: "SIGINT", NotStarted: true},
					{Seq: 9, Name: "halted", ExitCode: -1, Signal: 15, Stopped: "--halt now,fail=1"},
				}
			},
			want: []xCase{
				{Name: "running", Classname: "gopool", Time: "0.500",
					Error:     &xOutcome{Type: "stopped", Message: "stopped by gopool (SIGINT)", Text: "stopped by gopool (SIGINT)\nlast lines of stdout:\nhalf"},
					SystemOut: str("half")},
				{Name: "queued", Classname: "gopool", Time: "0.000", Skipped: &xOutcome{Message: "not started (SIGINT)"}},
				{Name: "halted", Classname: "gopool", Time: "0.000",
					Error: &xOutcome{Type: "stopped", Message: "stopped by gopool (--halt now,fail=1)", Text: "stopped by gopool (--halt now,fail=1)"}},
			},
		},
		{
			name: "binary output", opt: fixed,
			jobs: func() []*Job {
				return []*Job{{Seq: 1, Name: "bin", Stdout: strings.NewReader(binary), Stderr: onlyReader{strings.NewReader("\x00")}}}
			},
			want: []xCase{{Name: "bin", Classname: "gopool", Time: "0.000",
				SystemOut: str("a\\x00b\\x1b[31mred\\x1b[0m \uFFFD\uFFFD ]]> <tag> & \"q\" \r\n"),
				SystemErr: str(`\x00`)}},
		},
		{
			name: "name with markup", opt: fixed,
			jobs: func() []*Job {
				return []*Job{{Seq: 1, Name: `a<b&c"d'e` + "\t\x01", Template: `sh -c 'echo "{}" && x < y'`}}
			},
			want: []xCase{{Name: "a<b&c\"d'e\t\\x01", Classname: `sh -c 'echo "{}" && x < y'`, Time: "0.000"}},
		},
		{
			name: "output over the limit", opt: small,
			jobs: func() []*Job {
				return []*Job{
					{Seq: 1, Name: "seek", Stdout: strings.NewReader(long)},
					{Seq: 2, Name: "stream", Stdout: onlyReader{strings.NewReader(long)}},
				}
			},
			want: []xCase{
				{Name: "seek", Classname: "gopool", Time: "0.000",
					SystemOut: str(long[:32] + "\n[gopool: 936 of 1000 bytes cut here (--junit-output-limit 64)]\n" + long[968:])},
				{Name: "stream", Classname: "gopool", Time: "0.000",
					SystemOut: str(long[:32] + "\n[gopool: 936 of 1000 bytes cut here (--junit-output-limit 64)]\n" + long[968:])},
			},
		},
		{
			name: "limit zero keeps no output", opt: none,
			jobs: func() []*Job {
				return []*Job{{Seq: 1, Name: "quiet", ExitCode: 1, Stdout: strings.NewReader("x"), Stderr: strings.NewReader("y")}}
			},
			want: []xCase{{Name: "quiet", Classname: "gopool", Time: "0.000",
				Failure: &xOutcome{Type: "exit", Message: "exit code 1", Text: "exit code 1"}}},
		},
		{
			name: "read error noted", opt: fixed,
			jobs: func() []*Job {
				return []*Job{{Seq: 1, Name: "r", Stdout: &failingReader{data: []byte("abc"), err: errors.New("read spilled output: EIO")}}}
			},
			want: []xCase{{Name: "r", Classname: "gopool", Time: "0.000",
				SystemOut: str("abc\n[gopool: could not read the rest of stdout: read spilled output: EIO]\n")}},
		},
	}
}

func TestJUnitCases(t *testing.T) {
	for _, sc := range scenarios() {
		t.Run(sc.name, func(t *testing.T) {
			jobs := sc.jobs()
			s := parseReport(t, writeReport(t, sc.opt, jobs...))
			suite := s.Suites[0]
			var failures, errs, skipped int
			for _, c := range sc.want {
				switch {
				case c.Failure != nil:
					failures++
				case c.Error != nil:
					errs++
				case c.Skipped != nil:
					skipped++
				}
			}
			if suite.Tests != len(sc.want) || suite.Failures != failures || suite.Errors != errs || suite.Skipped != skipped {
				t.Errorf("got tests=%d failures=%d errors=%d skipped=%d, want %d %d %d %d",
					suite.Tests, suite.Failures, suite.Errors, suite.Skipped, len(sc.want), failures, errs, skipped)
			}
			if s.Tests != suite.Tests || s.Failures != suite.Failures || s.Errors != suite.Errors || s.Skipped != suite.Skipped {
				t.Errorf("testsuites counts %+v differ from testsuite's", s)
			}
			if suite.Name != "gopool" || suite.Hostname != "ci-host" || suite.Timestamp != "2024-05-06T07:08:09" ||
				suite.Time != "12.500" || s.Time != "12.500" {
				t.Errorf("got name=%q hostname=%q timestamp=%q time=%q, want gopool ci-host 2024-05-06T07:08:09 12.500",
					suite.Name, suite.Hostname, suite.Timestamp, suite.Time)
			}
			if len(suite.Cases) != len(sc.want) {
				t.Fatalf("got %d cases, want %d", len(suite.Cases), len(sc.want))
			}
			for i, want := range sc.want {
				if got := suite.Cases[i]; !equalCase(got, want) {
					t.Errorf("case %d:\ngot  %s\nwant %s", i, showCase(got), showCase(want))
				}
			}
		})
	}
}

func equalCase(a, b xCase) bool {
	eqO := func(x, y *xOutcome) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqS := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Name == b.Name && a.Classname == b.Classname && a.Time == b.Time &&
		eqO(a.Failure, b.Failure) && eqO(a.Error, b.Error) && eqO(a.Skipped, b.Skipped) &&
		eqS(a.SystemOut, b.SystemOut) && eqS(a.SystemErr, b.SystemErr)
}

func showCase(c xCase) string {
	var b strings.Builder
	b.WriteString("{name=" + quote(c.Name) + " classname=" + quote(c.Classname) + " time=" + c.Time)
	for _, o := range []struct {
		n string
		o *xOutcome
	}{{"failure", c.Failure}, {"error", c.Error}, {"skipped", c.Skipped}} {
		if o.o != nil {
			b.WriteString(" " + o.n + "={type=" + quote(o.o.Type) + " message=" + quote(o.o.Message) + " text=" + quote(o.o.Text) + "}")
		}
	}
	if c.SystemOut != nil {
		b.WriteString(" out=" + quote(*c.SystemOut))
	}
	if c.SystemErr != nil {
		b.WriteString(" err=" + quote(*c.SystemErr))
	}
	return b.String() + "}"
}

func quote(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\n", `\n`), "\r", `\r`) }

// TestJUnitSchema validates every scenario's report against
// testdata/junit.xsd with xmllint.
func TestJUnitSchema(t *testing.T) {
	xmllint := lookXmllint(t)
	for _, sc := range scenarios() {
		t.Run(sc.name, func(t *testing.T) {
			validate(t, xmllint, writeReport(t, sc.opt, sc.jobs()...))
		})
	}
}

func lookXmllint(t *testing.T) string {
	t.Helper()
	p, err := lookPathXmllint()
	if err != nil {
		t.Skip("xmllint not found (Debian: apt-get install libxml2-utils): schema validation skipped")
	}
	return p
}

func lookPathXmllint() (string, error) { return exec.LookPath("xmllint") }

func validate(t *testing.T, xmllint, path string) {
	t.Helper()
	out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit.xsd"), path).CombinedOutput()
	if err != nil {
		data, _ := os.ReadFile(path)
		t.Fatalf("xmllint: %v\n%s\nreport:\n%s", err, out, data)
	}
}

// TestJUnitGolden pins the exact bytes of a small report: a pass, a
// failure, a timeout, a stopped job and a job that never started.
func TestJUnitGolden(t *testing.T) {
	path := writeReport(t, fixed,
		&Job{Seq: 1, Name: "lint", Template: "make {}", Command: "make lint", Duration: 800 * time.Millisecond,
			Stdout: strings.NewReader("ok\n")},
		&Job{Seq: 2, Name: "unit", Template: "make {}", Command: "make unit", ExitCode: 2, Duration: 3210 * time.Millisecond,
			Stdout: strings.NewReader("=== RUN TestParse\n--- FAIL: TestParse\n"), Stderr: strings.NewReader("make: *** [unit] Error 2\n")},
		&Job{Seq: 3, Name: "e2e", Template: "make {}", Command: "make e2e", ExitCode: -1, Signal: 15, TimedOut: true,
			Timeout: 5 * time.Second, Duration: 5002 * time.Millisecond, Stdout: strings.NewReader("starting server\x1b[0m\n")},
		&Job{Seq: 4, Name: "bench", Template: "make {}", ExitCode: -1, Signal: 15, Stopped: "SIGTERM", Duration: 1500 * time.Millisecond},
		&Job{Seq: 5, Name: "docs", Template: "make {}", ExitCode: -1, Stopped: "SIGTERM", NotStarted: true},
	)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.golden.xml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestJUnitGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestJUnitReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xml")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := NewJUnit(path, fixed)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(&Job{Seq: 1, Name: "a"}); err != nil {
		t.Fatal(err)
	}
	// Before Finish the old report is untouched.
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("before Finish: got %q, want %q", data, "old")
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	if got := parseReport(t, path); got.Tests != 1 {
		t.Errorf("got %d tests, want 1", got.Tests)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
		t.Errorf("got mode %v (%v), want the old file's 0600", fi.Mode(), err)
	}
	assertNoTemp(t, dir)

	if err := w.Finish(); err == nil {
		t.Error("second Finish: got nil, want an error")
	}
	if err := w.Add(&Job{Seq: 2}); err == nil {
		t.Error("Add after Finish: got nil, want an error")
	}
	if err := w.Close(); err != nil {
		t.Errorf("Close after Finish: got %v, want nil", err)
	}
}

func TestJUnitNewFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	path := writeReport(t, fixed)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("got %v (%v), want 0644", fi.Mode(), err)
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestJUnitCloseWritesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xml")
	w, err := NewJUnit(path, fixed)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(&Job{Seq: 1}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want no report", err)
	}
	if err := w.Finish(); err == nil {
		t.Error("Finish after Close: got nil, want an error")
	}
	if err := w.Add(&Job{Seq: 2}); err == nil {
		t.Error("Add after Close: got nil, want an error")
	}
	assertNoTemp(t, dir)
}

func TestJUnitSymlinkTarget(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.xml")
	link := filepath.Join(dir, "link.xml")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symlinks: %v", err)
	}
	w, err := NewJUnit(link, fixed)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi.Mode(), err)
	}
	parseReport(t, target)
}

func TestNewJUnitErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		opt  JUnitOptions
	}{
		{name: "empty name", path: ""},
		{name: "a directory", path: dir},
		{name: "missing directory", path: filepath.Join(dir, "no", "report.xml")},
		{name: "negative limit", path: filepath.Join(dir, "r.xml"), opt: JUnitOptions{OutputLimit: -1}},
		{name: "limit too large", path: filepath.Join(dir, "r.xml"), opt: JUnitOptions{OutputLimit: MaxOutputLimit + 1}},
	}
	if runtime.GOOS != "windows" {
		tests = append(tests, struct {
			name string
			path string
			opt  JUnitOptions
		}{name: "a device", path: os.DevNull})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewJUnit(tt.path, tt.opt)
			if err == nil {
				w.Close()
				t.Fatal("got nil, want an error")
			}
			if !strings.HasPrefix(err.Error(), "junit report") {
				t.Errorf("got %q, want it to start with \"junit report\"", err)
			}
		})
	}
}

// TestJUnitFinishFails removes the destination's directory before Finish:
// Finish reports it and leaves nothing behind.
func TestJUnitFinishFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := NewJUnit(filepath.Join(dir, "report.xml"), fixed)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(); err == nil || !strings.Contains(err.Error(), "junit report") {
		t.Errorf("got %v, want a junit report error", err)
	}
}

// TestJUnitSpoolFails gives the spool a temp dir that does not exist: the
// first case that spills fails, and so does every later call.
func TestJUnitSpoolFails(t *testing.T) {
	opt := fixed
	opt.TempDir = filepath.Join(t.TempDir(), "missing")
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xml")
	w, err := NewJUnit(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	big := strings.Repeat("x", DefaultOutputLimit)
	var addErr error
	for i := 0; i < 20 && addErr == nil; i++ {
		addErr = w.Add(&Job{Seq: int64(i), Stdout: strings.NewReader(big)})
	}
	if addErr == nil || !strings.Contains(addErr.Error(), "spill to temp file") {
		t.Fatalf("got %v, want a spill error", addErr)
	}
	if err := w.Add(&Job{Seq: 99}); err == nil {
		t.Error("Add after a spill error: got nil, want the error")
	}
	if err := w.Finish(); err == nil {
		t.Error("Finish after a spill error: got nil, want the error")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want no report", err)
	}
	assertNoTemp(t, dir)
}

// TestJUnitMemoryBounded adds many jobs with output and checks that the
// heap does not grow with them: the cases wait on disk.
func TestJUnitMemoryBounded(t *testing.T) {
	n := 5000
	if testing.Short() {
		n = 1000
	}
	opt := fixed
	opt.TempDir = t.TempDir()
	path := filepath.Join(t.TempDir(), "report.xml")
	w, err := NewJUnit(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	out := strings.Repeat("some output line\n", 60) // 1 KiB
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var before uint64
	for i := 1; i <= n; i++ {
		if i == n/10 {
			before = heap()
		}
		if err := w.Add(&Job{Seq: int64(i), Name: "job", ExitCode: i % 2, Stdout: strings.NewReader(out), Stderr: strings.NewReader(out)}); err != nil {
			t.Fatal(err)
		}
	}
	after := heap()
	// 4500 more cases hold about 10 MB of XML; the heap may not grow by
	// more than a few MB of noise.
	if after > before+4<<20 {
		t.Errorf("heap grew from %d to %d bytes over %d cases", before, after, n-n/10)
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, failures := 0, 0
	for d := xml.NewDecoder(f); ; {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "testcase":
				cases++
			case "failure":
				failures++
			}
		}
	}
	if cases != n || failures != n/2 {
		t.Errorf("got %d cases, %d failures, want %d, %d", cases, failures, n, n/2)
	}
}

func BenchmarkJUnitAdd(b *testing.B) {
	opt := fixed
	opt.TempDir = b.TempDir()
	w, err := NewJUnit(filepath.Join(b.TempDir(), "r.xml"), opt)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	out := strings.Repeat("some output line\n", 60)
	b.SetBytes(int64(len(out)))
	for i := 0; b.Loop(); i++ {
		if err := w.Add(&Job{Seq: int64(i), Name: "job", Stdout: strings.NewReader(out)}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSchemaRejects proves that testdata/junit.xsd is strict enough to
// catch what the report must never contain.
func TestSchemaRejects(t *testing.T) {
	xmllint := lookXmllint(t)
	suite := `<testsuites><testsuite name="gopool" tests="1" failures="0" errors="0" skipped="0" time="1.000" timestamp="2024-05-06T07:08:09" hostname="h">%s</testsuite></testsuites>`
	tests := []struct{ name, doc string }{
		{name: "control character", doc: strings.Replace(suite, "%s", "<testcase name=\"a\" classname=\"c\" time=\"0\"><system-out>\x1b</system-out></testcase>", 1)},
		{name: "failure after system-out", doc: strings.Replace(suite, "%s", `<testcase name="a" classname="c" time="0"><system-out>x</system-out><failure message="m"/></testcase>`, 1)},
		{name: "two outcomes", doc: strings.Replace(suite, "%s", `<testcase name="a" classname="c" time="0"><failure/><error/></testcase>`, 1)},
		{name: "no time", doc: strings.Replace(suite, "%s", `<testcase name="a" classname="c"/>`, 1)},
		{name: "timestamp with zone", doc: strings.Replace(strings.Replace(suite, "07:08:09", "07:08:09Z", 1), "%s", "", 1)},
		{name: "no hostname", doc: strings.Replace(strings.Replace(suite, ` hostname="h"`, "", 1), "%s", "", 1)},
		{name: "negative time", doc: strings.Replace(suite, "%s", `<testcase name="a" classname="c" time="-1"/>`, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.xml")
			if err := os.WriteFile(path, []byte(tt.doc), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit.xsd"), path).CombinedOutput()
			if err == nil {
				t.Errorf("xmllint accepted %s:\n%s", tt.doc, out)
			}
		})
	}
}
