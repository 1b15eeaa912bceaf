package cmd

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopool/gopool/internal/report"
	"github.com/gopool/gopool/runner"
)

// TestCISettings checks the CI flags against the settings they give.
func TestCISettings(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want ciSettings
	}{
		{"none", nil, ciSettings{}},
		{"junit", []string{"--junit", "j.xml", "--", "echo", "a b", "{}"},
			ciSettings{junit: "j.xml", outputLimit: 64 << 10, template: "echo a b {}"}},
		{"junit command lines", []string{"--junit", "j.xml"}, ciSettings{junit: "j.xml", outputLimit: 64 << 10}},
		{"output limit", []string{"--junit", "j.xml", "--junit-output-limit", "1M"},
			ciSettings{junit: "j.xml", outputLimit: 1 << 20}},
		{"output limit 0", []string{"--junit", "j.xml", "--junit-output-limit", "0"}, ciSettings{junit: "j.xml"}},
		{"summary", []string{"--summary"}, ciSettings{summary: true}},
		{"groups", []string{"--ci-groups", "gitlab"}, ciSettings{groups: report.GroupsGitLab, groupsGiven: true}},
		{"groups none", []string{"--ci-groups", "none"}, ciSettings{groupsGiven: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseRunFlags(t, tt.args...)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if s.ci != tt.want {
				t.Errorf("got %+v, want %+v", s.ci, tt.want)
			}
		})
	}
}

func TestCISettingsErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad groups", []string{"--ci-groups", "jenkins"}, `bad --ci-groups "jenkins": want github, gitlab or none`},
		{"bad limit", []string{"--junit", "j.xml", "--junit-output-limit", "lots"}, `bad --junit-output-limit: bad size "lots": unknown unit "lots" (want K, M or G)`},
		{"limit too large", []string{"--junit", "j.xml", "--junit-output-limit", "1G"}, "bad --junit-output-limit 1G: at most 64MiB"},
		{"limit without junit", []string{"--junit-output-limit", "1K"}, "--junit-output-limit needs --junit FILE"},
		{"dry run", []string{"--junit", "j.xml", "--dry-run"}, "--junit and --dry-run cannot be used together: a dry run has no results to report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseRunFlags(t, tt.args...)
			if err == nil || err.Error() != tt.want || exitCodeOf(err) != ExitCannotRun {
				t.Fatalf("got error %v (exit %d), want %q (exit 255)", err, exitCodeOf(err), tt.want)
			}
		})
	}
}

// TestFoldsFor checks where folds are written: only around blocks, and by
// default (from the CI system, Streams.CISystem) only when stdout may be
// the CI log.
func TestFoldsFor(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	gitlab := report.GroupsGitLab // the CI system
	tests := []struct {
		name string
		args []string
		out  io.Writer
		want report.Groups
	}{
		{"flag, pipe", []string{"--ci-groups", "github"}, pw, report.GroupsGitHub},
		{"flag, file", []string{"--ci-groups", "github"}, file, report.GroupsGitHub},
		{"flag none", []string{"--ci-groups", "none"}, pw, report.GroupsNone},
		{"default, pipe", nil, pw, gitlab},
		{"default, not a file", nil, &bytes.Buffer{}, gitlab},
		{"default, file", nil, file, report.GroupsNone},
		{"default, /dev/null", nil, devNull, report.GroupsNone},
		{"line-buffer", []string{"--line-buffer"}, pw, report.GroupsNone},
		{"json", []string{"--json"}, pw, report.GroupsNone},
		{"dry run", []string{"--dry-run"}, pw, report.GroupsNone},
		{"tag", []string{"--tag"}, pw, gitlab},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := parseRunFlags(t, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if got := foldsFor(set, &Streams{Out: tt.out, CISystem: gitlab}); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestReportJob checks how a finished job and the way the run ended
// become the reports' job.
func TestReportJob(t *testing.T) {
	start := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	notFound := errors.New(`"nope": command not found`)
	tests := []struct {
		name   string
		args   []string // extra flags
		res    runner.Result
		ctl    func(c *control)
		want   report.Job
		result string
	}{
		{"passed", nil, runner.Result{Start: start, Duration: time.Second}, nil,
			report.Job{Start: start, Duration: time.Second}, "passed"},
		{"tagstring", []string{"--tagstring", "t-{}"}, runner.Result{}, nil,
			report.Job{Name: "t-a b"}, "passed"},
		{"exit", nil, runner.Result{ExitCode: 2}, nil, report.Job{ExitCode: 2}, "exit code 2"},
		{"signal", nil, runner.Result{ExitCode: -1, Signal: syscall.SIGSEGV}, nil,
			report.Job{ExitCode: -1, Signal: 11}, "killed by signal 11 (SIGSEGV)"},
		{"timeout", []string{"--timeout", "2"}, runner.Result{ExitCode: -1, Signal: syscall.SIGTERM, TimedOut: true, Stopped: true},
			func(c *control) { c.Stop(ExitInterrupted) },
			report.Job{ExitCode: -1, Signal: 15, TimedOut: true, Timeout: 2 * time.Second}, "timed out after 2s"},
		{"start error", nil, runner.Result{ExitCode: 127, Err: notFound}, nil,
			report.Job{ExitCode: 127, StartErr: notFound.Error()}, `could not start (exit code 127): "nope": command not found`},
		{"SIGINT", nil, runner.Result{ExitCode: -1, Signal: syscall.SIGTERM, Stopped: true},
			func(c *control) { c.Stop(ExitInterrupted) },
			report.Job{ExitCode: -1, Signal: 15, Stopped: "SIGINT"}, "stopped by gopool (SIGINT)"},
		{"SIGTERM not started", nil, runner.Result{ExitCode: -1, Stopped: true, Err: context.Canceled},
			func(c *control) { c.Stop(ExitTerminated) },
			report.Job{ExitCode: -1, Stopped: "SIGTERM", NotStarted: true}, "not started (SIGTERM)"},
		{"SIGQUIT", nil, runner.Result{ExitCode: -1, Signal: syscall.SIGKILL, Stopped: true},
			func(c *control) { c.Stop(ExitQuit) },
			report.Job{ExitCode: -1, Signal: 9, Stopped: "SIGQUIT"}, "stopped by gopool (SIGQUIT)"},
		{"stdout closed", nil, runner.Result{ExitCode: -1, Signal: syscall.SIGTERM, Stopped: true},
			func(c *control) { c.Stop(ExitBrokenPipe) },
			report.Job{ExitCode: -1, Signal: 15, Stopped: "stdout closed"}, "stopped by gopool (stdout closed)"},
		{"halt now", []string{"--halt", "now,fail=1"}, runner.Result{ExitCode: -1, Signal: syscall.SIGTERM, Stopped: true},
			func(c *control) { c.Halt(true) },
			report.Job{ExitCode: -1, Signal: 15, Stopped: "--halt now,fail=1"}, "stopped by gopool (--halt now,fail=1)"},
		{"gopool failed", nil, runner.Result{ExitCode: -1, Signal: syscall.SIGTERM, Stopped: true},
			func(c *control) { c.Fail(errors.New("write stdout: device full")) },
			report.Job{ExitCode: -1, Signal: 15, Stopped: "error: write stdout: device full"},
			"stopped by gopool (error: write stdout: device full)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			junit := filepath.Join(t.TempDir(), "j.xml")
			set, err := parseRunFlags(t, append(append([]string{"--junit", junit}, tt.args...), "--", "run", "{}")...)
			if err != nil {
				t.Fatal(err)
			}
			r, err := newReports(set, &Streams{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.close()
			ctl := newControl(context.Background(), newProcs(nil))
			defer ctl.close()
			if tt.ctl != nil {
				tt.ctl(ctl)
			}
			j := &job{seq: 3, args: []string{"a b"}, argv: []string{"run", "a b"}, res: tt.res}
			if err := r.add(j, ctl); err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.Seq, want.Template, want.Command = 3, "run {}", "run 'a b'"
			if want.Name == "" {
				want.Name = "a b"
			}
			if got := j.ci.report; got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			if got := j.ci.report.Result(); got != tt.result {
				t.Errorf("got result %q, want %q", got, tt.result)
			}
		})
	}
}

// TestKeptEnds checks that keptEnds reads as the whole stream would at
// every offset it keeps, however the stream was written, and fails in the
// middle it left out.
func TestKeptEnds(t *testing.T) {
	stream := []byte(strings.Repeat("0123456789abcdefghijklmnopqrstuvwxyz", 6)) // 216 bytes
	for _, limit := range []int64{1, 2, 7, 64, 300} {
		for _, n := range []int{0, 1, 3, 7, 63, 64, 65, 216} {
			for _, chunk := range []int{1, 5, 1000} {
				t.Run(fmt.Sprintf("limit %d, %d bytes by %d", limit, n, chunk), func(t *testing.T) {
					k := newKeptEnds(limit)
					src := stream[:n]
					for p := src; len(p) > 0; {
						c := min(chunk, len(p))
						if m, err := k.Write(p[:c]); m != c || err != nil {
							t.Fatalf("got Write %d, %v, want %d, nil", m, err, c)
						}
						p = p[c:]
					}
					if k.Size() != int64(n) {
						t.Fatalf("got size %d, want %d", k.Size(), n)
					}
					headN, tailN := limit/2, limit-limit/2
					for at := int64(0); at < int64(n); at++ {
						var b [1]byte
						_, err := k.ReadAt(b[:], at)
						kept := at < headN || at >= int64(n)-tailN
						switch {
						case kept && (err != nil || b[0] != src[at]):
							t.Fatalf("byte %d: got %q, %v, want %q", at, b[0], err, src[at])
						case !kept && err == nil:
							t.Fatalf("byte %d: got %q, want an error: it was not kept", at, b[0])
						}
					}
					// The reads of the report: the head, and the tail.
					if int64(n) <= limit {
						got, _ := io.ReadAll(k.reader())
						if !bytes.Equal(got, src) {
							t.Errorf("got %q, want %q", got, src)
						}
						return
					}
					tail := make([]byte, tailN)
					if m, err := k.ReadAt(tail, int64(n)-tailN); int64(m) != tailN || (err != nil && err != io.EOF) {
						t.Errorf("got tail read %d, %v", m, err)
					}
					if !bytes.Equal(tail, src[int64(n)-tailN:]) {
						t.Errorf("got tail %q, want %q", tail, src[int64(n)-tailN:])
					}
				})
			}
		}
	}
}

// The JUnit report as encoding/xml reads it.
type junitSuites struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suite    struct {
		Cases []junitCase `xml:"testcase"`
	} `xml:"testsuite"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitOutcome `xml:"failure"`
	Error     *junitOutcome `xml:"error"`
	Skipped   *junitOutcome `xml:"skipped"`
	SystemOut string        `xml:"system-out"`
	SystemErr string        `xml:"system-err"`
}

type junitOutcome struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
}

// String is one line per case: name, outcome, output.
func (c junitCase) String() string {
	out := "passed"
	switch {
	case c.Failure != nil:
		out = "failure " + c.Failure.Type + ": " + c.Failure.Message
	case c.Error != nil:
		out = "error " + c.Error.Type + ": " + c.Error.Message
	case c.Skipped != nil:
		out = "skipped: " + c.Skipped.Message
	}
	return fmt.Sprintf("%s [%s] %s out=%q err=%q", c.Name, c.Classname, out, c.SystemOut, c.SystemErr)
}

func readJUnit(t *testing.T, path string) (junitSuites, []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s junitSuites
	if err := xml.Unmarshal(data, &s); err != nil {
		t.Fatalf("parse %s: %v\n%s", path, err, data)
	}
	var cases []string
	for _, c := range s.Suite.Cases {
		cases = append(cases, c.String())
	}
	return s, cases
}

// TestOrchestrationJUnit checks that the report has every job's output in
// each way of printing: map, whose head job streams its stdout when there
// is no report; submit; --line-buffer, whose lines are kept on the side;
// --retries, whose failed attempts are left out; and a stdout that failed.
func TestOrchestrationJUnit(t *testing.T) {
	behave := func(argv []string, attempt int) fakeRun {
		switch name := argv[len(argv)-1]; name {
		case "fail":
			return fakeRun{stdout: "out fail\n", stderr: "err fail\n", exit: 3}
		case "flaky":
			if attempt == 1 {
				return fakeRun{stdout: "attempt 1\n", exit: 1}
			}
			return fakeRun{stdout: fmt.Sprintf("attempt %d\n", attempt)}
		case "missing":
			return fakeRun{notFound: true}
		default:
			return fakeRun{stdout: "out " + name + "\n"}
		}
	}
	okCase := `ok [job {}] passed out="out ok\n" err=""`
	failCase := `fail [job {}] failure exit: exit code 3 out="out fail\n" err="err fail\n"`
	missingCase := `missing [job {}] failure start: could not start (exit code 126): "job": command not found: ` +
		`executable file not found in $PATH out="" err="gopool: job 3: \"job\": command not found: executable file not found in $PATH\n"`
	tests := []struct {
		name  string
		mode  mode
		args  []string
		names []string
		want  []string
		code  ExitCode
	}{
		{"map", modeMap, nil, []string{"ok", "fail", "missing"}, []string{okCase, failCase, missingCase}, 2},
		{"submit", modeSubmit, nil, []string{"ok", "fail", "missing"}, []string{okCase, failCase, missingCase}, 2},
		{"line-buffer", modeMap, []string{"--line-buffer"}, []string{"ok", "fail", "missing"}, []string{okCase, failCase, missingCase}, 2},
		{"retries", modeMap, []string{"--retries", "2"}, []string{"ok", "flaky"},
			[]string{okCase, `flaky [job {}] passed out="attempt 2\n" err=""`}, 0},
		{"retries line-buffer", modeMap, []string{"--retries", "2", "--line-buffer"}, []string{"ok", "flaky"},
			[]string{okCase, `flaky [job {}] passed out="attempt 2\n" err=""`}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "junit.xml")
			args := append([]string{"-j", "1", "--junit", path}, tt.args...)
			args = append(append(args, "--", "job", "{}", ":::"), tt.names...)
			_, _, code := runFake(t, tt.mode, newFake(behave), args...)
			if code != tt.code {
				t.Errorf("got exit %d, want %d", code, tt.code)
			}
			s, got := readJUnit(t, path)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got cases\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if s.Tests != len(tt.want) || s.Failures != int(tt.code) {
				t.Errorf("got tests=%d failures=%d, want %d and %d", s.Tests, s.Failures, len(tt.want), tt.code)
			}
		})
	}

	// A run whose stdout fails still reports every job, with its output.
	t.Run("stdout failed", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "junit.xml")
		set, err := parseRun(t, modeMap, "-j", "1", "--junit", path, "--", "job", "{}", ":::", "ok")
		if err != nil {
			t.Fatal(err)
		}
		err = runJobs(context.Background(), &Streams{In: strings.NewReader(""), Out: failingWriter{}, Err: io.Discard},
			set, newFake(behave))
		if exitCodeOf(err) != ExitCannotRun {
			t.Errorf("got %v, want exit 255", err)
		}
		if _, got := readJUnit(t, path); len(got) != 1 || got[0] != okCase {
			t.Errorf("got cases %q, want %q", got, okCase)
		}
	})
}

// TestJUnitCutSame checks that a --line-buffer report, which keeps only
// the ends of each stream, cuts a long output exactly as the report of
// whole blocks does.
func TestJUnitCutSame(t *testing.T) {
	long := strings.Repeat("0123456789", 30) + "\n"
	f := func() *fakeLauncher {
		return newFake(func([]string, int) fakeRun { return fakeRun{stdout: long, stderr: "e" + long} })
	}
	dir := t.TempDir()
	var reports []string
	for _, lb := range []string{"--line-buffer=false", "--line-buffer"} {
		path := filepath.Join(dir, lb+".xml")
		if _, _, code := runFake(t, modeMap, f(), lb, "--junit", path, "--junit-output-limit", "33", "--", "job", ":::", "x"); code != 0 {
			t.Fatalf("%s: got exit %d, want 0", lb, code)
		}
		_, cases := readJUnit(t, path)
		reports = append(reports, strings.Join(cases, "\n"))
	}
	if reports[0] != reports[1] {
		t.Errorf("got with --line-buffer\n%s\nwant as with blocks\n%s", reports[1], reports[0])
	}
	if !strings.Contains(reports[0], "[gopool: 268 of 301 bytes cut here (--junit-output-limit 33)]") {
		t.Errorf("got %s, want stdout cut to 33 bytes", reports[0])
	}
}

// TestJUnitFinishError checks that a report that cannot be written at the
// end fails a run that went well (exit 255), and that a report that
// cannot be written at the start is a usage error: nothing runs.
func TestJUnitFinishError(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	f := newFake(func([]string, int) fakeRun {
		os.RemoveAll(dir) // the report's directory is gone by the end
		return fakeRun{stdout: "ok\n"}
	})
	run := func(f *fakeLauncher, args ...string) error {
		set, err := parseRun(t, modeMap, args...)
		if err != nil {
			t.Fatal(err)
		}
		return runJobs(context.Background(), &Streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}, set, f)
	}
	path := filepath.Join(dir, "j.xml")
	err := run(f, "--junit", path, "--", "job", ":::", "a")
	if want := "junit report " + path + ": open "; exitCodeOf(err) != ExitCannotRun || !strings.HasPrefix(fmt.Sprint(err), want) {
		t.Errorf("got %v, want exit 255 and %q...", err, want)
	}

	f = newFake(func([]string, int) fakeRun { return fakeRun{} })
	dir = t.TempDir()
	err = run(f, "--junit", dir, "--", "job", ":::", "a")
	if want := "junit report " + dir + ": is a directory"; exitCodeOf(err) != ExitCannotRun || fmt.Sprint(err) != want {
		t.Errorf("got %v, want exit 255 and %q", err, want)
	}
	if len(f.started) != 0 {
		t.Errorf("got %v started, want none", f.started)
	}
}

// TestOrchestrationFolds checks the GitHub fold of each job byte for byte
// (the stop-commands token is random: the same in both of its lines), with
// the job's stderr inside the fold on stdout, and a line started for it.
func TestOrchestrationFolds(t *testing.T) {
	f := newFake(func(argv []string, _ int) fakeRun {
		if argv[len(argv)-1] == "bad" {
			return fakeRun{stdout: "no newline", stderr: "::endgroup::\n", exit: 2}
		}
		return fakeRun{stdout: "fine\n"}
	})
	stdout, stderr, code := runFake(t, modeMap, f, "--ci-groups", "github", "--tagstring", "T {}", "--", "job", ":::", "ok", "bad")
	token := regexp.MustCompile(`::stop-commands::([a-z0-9]{26})\n`)
	tokens := token.FindAllStringSubmatch(stdout, -1)
	if len(tokens) != 2 || tokens[0][1] == tokens[1][1] {
		t.Fatalf("got stdout %q, want two folds with two tokens", stdout)
	}
	want := "::group::T ok\n::stop-commands::" + tokens[0][1] + "\nT ok\tfine\n::" + tokens[0][1] + "::\n::endgroup::\n" +
		"::group::T bad\n::stop-commands::" + tokens[1][1] + "\nT bad\tno newline\nT bad\t::endgroup::\n::" + tokens[1][1] + "::\n" +
		"::endgroup::\n::error::job 2 (T bad) failed: exit code 2\n"
	if stdout != want {
		t.Errorf("got stdout\n%q\nwant\n%q", stdout, want)
	}
	if code != 1 || !strings.HasPrefix(stderr, "gopool: 1 of 2 jobs failed") {
		t.Errorf("got exit %d, stderr %q, want 1 and the summary line only", code, stderr)
	}
}

// TestOrchestrationSummary checks that --summary prints its table after
// the summary line when jobs failed, and nothing when none did.
func TestOrchestrationSummary(t *testing.T) {
	f := newFake(func(argv []string, _ int) fakeRun {
		if argv[len(argv)-1] == "bad" {
			return fakeRun{exit: 2}
		}
		return fakeRun{}
	})
	_, stderr, code := runFake(t, modeMap, f, "--summary", "-j", "1", "--", "job", ":::", "ok", "bad")
	want := regexp.MustCompile(`^gopool: 1 of 2 jobs failed; first: job 2 job bad exited 2
Failed jobs \(1 of 2\):
  JOB  RESULT  TIME  COMMAND
    2  exit 2  0\.0s  job bad
Slowest jobs:
  JOB  TIME  COMMAND
    [12]  0\.0s  job (ok|bad)
    [12]  0\.0s  job (ok|bad)
Total: 2 done, 1 failed, 0 timed out, wall time [0-9.]+s
$`)
	if code != 1 || !want.MatchString(stderr) {
		t.Errorf("got exit %d, stderr\n%s\nwant 1 and\n%s", code, stderr, want)
	}
	_, stderr, _ = runFake(t, modeMap, f, "--summary", "--", "job", ":::", "ok")
	if stderr != "" {
		t.Errorf("got stderr %q, want nothing: no job failed", stderr)
	}
}
