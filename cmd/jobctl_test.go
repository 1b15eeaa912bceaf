package cmd

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// parseRunFlags parses args as the command line of map (flags, then the
// template and input groups) and checks them.
func parseRunFlags(t *testing.T, args ...string) (*settings, error) {
	t.Helper()
	return parseRun(t, modeMap, args...)
}

// parseRun parses args as the command line of m and checks them.
func parseRun(t *testing.T, m mode, args ...string) (*settings, error) {
	t.Helper()
	o := &runOptions{mode: m}
	c := newRunCmdWith(&Streams{}, o)
	if err := c.Flags().Parse(args); err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	return o.settle(c.Flags(), c.Flags().Args())
}

func TestJobControlFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		check   func(*settings) bool
		wantErr string
	}{
		{"defaults", nil, func(s *settings) bool {
			return s.halt.when == haltNever && s.joblog == "" && s.retries == 0 && s.delay == 0 && s.progress == progressAuto
		}, ""},
		{"joblog truncates", []string{"--joblog", "x"}, func(s *settings) bool { return s.joblog == "x" && !s.joblogAppend }, ""},
		{"joblog +appends", []string{"--joblog", "+x"}, func(s *settings) bool { return s.joblog == "x" && s.joblogAppend }, ""},
		{"resume appends", []string{"--joblog", "x", "--resume"}, func(s *settings) bool { return s.resume == resumeAll && s.joblogAppend }, ""},
		{"resume-failed", []string{"--joblog", "x", "--resume-failed"}, func(s *settings) bool { return s.resume == resumeFailed }, ""},
		{"resume needs joblog", []string{"--resume"}, nil, "--resume and --resume-failed need --joblog FILE"},
		{"resume twice", []string{"--joblog", "x", "--resume", "--resume-failed"}, nil, "cannot be used together"},
		{"retries", []string{"--retries", "3"}, func(s *settings) bool { return s.retries == 3 }, ""},
		{"fail-fast", []string{"--fail-fast"}, func(s *settings) bool {
			return s.halt == haltPolicy{when: haltNow, kind: haltFail, n: 1}
		}, ""},
		{"delay seconds", []string{"--delay", "1.5"}, func(s *settings) bool { return s.delay == 1500*time.Millisecond }, ""},
		{"delay duration", []string{"--delay", "20ms"}, func(s *settings) bool { return s.delay == 20*time.Millisecond }, ""},
		{"progress bare", []string{"--progress"}, func(s *settings) bool { return s.progress == progressAlways }, ""},
		{"progress never", []string{"--progress=never"}, func(s *settings) bool { return s.progress == progressNever }, ""},
		{"progress plain", []string{"--progress=plain"}, func(s *settings) bool {
			return s.progress == progressPlain && s.progressEvery == 10*time.Second
		}, ""},
		{"progress interval", []string{"--progress-interval", "2.5"}, func(s *settings) bool { return s.progressEvery == 2500*time.Millisecond }, ""},
		{"progress interval 0", []string{"--progress-interval", "0"}, nil, "bad --progress-interval"},
		{"progress interval bad", []string{"--progress-interval", "soon"}, nil, "bad --progress-interval"},
		{"json and line-buffer", []string{"--json", "--line-buffer"}, nil, "cannot be used together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseRunFlags(t, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				if code := exitCodeOf(err); code != ExitCannotRun {
					t.Errorf("got exit code %d, want %d", code, ExitCannotRun)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if !tt.check(s) {
				t.Errorf("settings %+v do not match", s)
			}
		})
	}
}

func TestParseHalt(t *testing.T) {
	tests := []struct {
		in   string
		want haltPolicy
		err  bool
	}{
		{"", haltPolicy{}, false},
		{"never", haltPolicy{}, false},
		{"0", haltPolicy{}, false},
		{"1", haltPolicy{haltSoon, haltFail, 1, false}, false},
		{"2", haltPolicy{haltNow, haltFail, 1, false}, false},
		{"-1", haltPolicy{haltSoon, haltSuccess, 1, false}, false},
		{"-2", haltPolicy{haltNow, haltSuccess, 1, false}, false},
		{"10%", haltPolicy{haltSoon, haltFail, 10, true}, false},
		{"soon,fail=3", haltPolicy{haltSoon, haltFail, 3, false}, false},
		{"now,success=2", haltPolicy{haltNow, haltSuccess, 2, false}, false},
		{"now,done=50%", haltPolicy{haltNow, haltDone, 50, true}, false},
		{"later,fail=1", haltPolicy{}, true},
		{"now", haltPolicy{}, true},
		{"now,fail", haltPolicy{}, true},
		{"now,oops=1", haltPolicy{}, true},
		{"now,fail=0", haltPolicy{}, true},
		{"now,fail=x", haltPolicy{}, true},
		{"now,fail=101%", haltPolicy{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseHalt(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("parseHalt(%q): got error %v, want error %v", tt.in, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("parseHalt(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestHaltReached(t *testing.T) {
	tests := []struct {
		name         string
		h            haltPolicy
		count, total int64
		want         bool
	}{
		{"count below", haltPolicy{n: 2}, 1, 10, false},
		{"count at", haltPolicy{n: 2}, 2, 10, true},
		{"pct below", haltPolicy{n: 50, pct: true}, 1, 3, false},
		{"pct at", haltPolicy{n: 50, pct: true}, 2, 4, true},
		{"pct zero count", haltPolicy{n: 50, pct: true}, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.h.reached(tt.count, tt.total); got != tt.want {
				t.Errorf("reached(%d, %d) = %v, want %v", tt.count, tt.total, got, tt.want)
			}
		})
	}
}

func TestJoblogRowFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jl")
	l, err := openJoblog(path, false, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1700000000, 123456789)
	rows := []joblogRow{
		{seq: 1, start: start, runtime: 1234567 * time.Microsecond, receive: 12, command: "echo 'a b'"},
		{seq: 2, start: start, runtime: 5 * time.Millisecond, exitCode: -1, signal: 15, command: "sh -c 'x\ny'"},
	}
	for i := range rows {
		if err := l.write(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.close(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := joblogHeader +
		"1\t:\t1700000000.123\t     1.235\t0\t12\t0\t0\techo 'a b'\n" +
		"2\t:\t1700000000.123\t     0.005\t0\t0\t-1\t15\tsh -c 'x\x00y'\n"
	if string(got) != want {
		t.Errorf("got joblog\n%q\nwant\n%q", got, want)
	}
}

func TestJoblogTornLine(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"complete", joblogHeader + "1\t:\t1.000\t 0.001\t0\t0\t0\t0\ta\n", joblogHeader + "1\t:\t1.000\t 0.001\t0\t0\t0\t0\ta\n"},
		// A torn row is ended, not cut: another run may be appending.
		{"torn row", joblogHeader + "1\t:\t1.000\t 0.001\t0\t0\t0\t0\ta\n2\t:\t1.0", joblogHeader + "1\t:\t1.000\t 0.001\t0\t0\t0\t0\ta\n2\t:\t1.0\n"},
		{"torn header", "Seq\tHo", "Seq\tHo\n"},
		{"empty", "", joblogHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "jl")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			jobs, err := readJoblog(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(jobs) > 1 {
				t.Errorf("got %d jobs, want at most 1", len(jobs))
			}
			l, err := openJoblog(path, true, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			l.close()
			if got, _ := os.ReadFile(path); string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			// The torn row stays readable as a skipped line.
			if _, err := readJoblog(path); err != nil {
				t.Errorf("read after open: %v", err)
			}
		})
	}
}

func TestReadJoblog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jl")
	content := joblogHeader +
		"1\t:\t1.000\t 0.001\t0\t0\t0\t0\techo a\tb\n" +
		"2\t:\t1.000\t 0.001\t0\t0\t3\t0\techo b\n" +
		"3\t:\t1.000\t 0.001\t0\t0\t-1\t15\techo c\n" +
		"2\t:\t1.000\t 0.001\t0\t0\t0\t0\techo b\n" +
		"4\t:\t1.000\t 0.001\t0\t0\t0\t0\techo d\n" +
		"Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n" +
		"4\t:\t1.000\t 0.001\t0\t0\t-1\t2\techo d\n" +
		"5\t:\t1.0\n"
	os.WriteFile(path, []byte(content), 0o644)
	got, err := readJoblog(path)
	if err != nil {
		t.Fatal(err)
	}
	// Jobs 3 and 4 were stopped by gopool: not done. Job 5's row is torn.
	want := map[int64]loggedJob{1: {"echo a\tb", true}, 2: {"echo b", true}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("job %d: got %+v, want %+v", k, got[k], v)
		}
	}
	os.WriteFile(path, []byte(joblogHeader+"x\ty\n"), 0o644)
	if _, err := readJoblog(path); err == nil || !strings.Contains(err.Error(), "line 2: not a joblog row") {
		t.Errorf("got error %v, want a bad row on line 2", err)
	}
	if got, err := readJoblog(filepath.Join(t.TempDir(), "missing")); err != nil || len(got) != 0 {
		t.Errorf("missing joblog: got %v, %v; want an empty log", got, err)
	}
}

// jsonJob is one line of --json.
type jsonJob struct {
	Seq          int64    `json:"seq"`
	Input        []string `json:"input"`
	Argv         []string `json:"argv"`
	ExitCode     int      `json:"exit_code"`
	Signal       int      `json:"signal"`
	TimedOut     bool     `json:"timed_out"`
	Start        string   `json:"start"`
	DurationS    float64  `json:"duration_s"`
	Stdout       *string  `json:"stdout"`
	Stderr       *string  `json:"stderr"`
	StdoutBase64 *string  `json:"stdout_base64"`
}

func TestJSONOutput(t *testing.T) {
	var out, errb bytes.Buffer
	code := Execute(&Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, BuildInfo{},
		[]string{"map", "-j", "3", "--json", "--", "sh", "-c", `printf "$1"; [ "$1" != fail ]`, "_", "{}",
			":::", `hello "world"\n`, `\377\376binary`, "fail"})
	if code != 1 {
		t.Fatalf("got exit code %d, want 1 (stderr %q)", code, errb.String())
	}
	dec := json.NewDecoder(&out)
	var jobs []jsonJob
	for dec.More() {
		var j jsonJob
		if err := dec.Decode(&j); err != nil {
			t.Fatalf("decode: %v", err)
		}
		jobs = append(jobs, j)
	}
	if len(jobs) != 3 {
		t.Fatalf("got %d JSON objects, want 3", len(jobs))
	}
	for i, j := range jobs {
		if j.Seq != int64(i+1) {
			t.Errorf("object %d: got seq %d, want %d", i, j.Seq, i+1)
		}
		if _, err := time.Parse(time.RFC3339Nano, j.Start); err != nil {
			t.Errorf("job %d: start %q is not RFC 3339: %v", j.Seq, j.Start, err)
		}
		if j.Stderr == nil || *j.Stderr != "" {
			t.Errorf("job %d: got stderr %v, want empty", j.Seq, j.Stderr)
		}
	}
	if j := jobs[0]; j.Stdout == nil || *j.Stdout != "hello \"world\"\n" || j.ExitCode != 0 {
		t.Errorf("job 1: got stdout %v exit %d, want %q exit 0", j.Stdout, j.ExitCode, "hello \"world\"\n")
	}
	if j := jobs[1]; j.StdoutBase64 == nil || j.Stdout != nil {
		t.Errorf("job 2: got stdout %v stdout_base64 %v, want only stdout_base64", j.Stdout, j.StdoutBase64)
	} else if b, err := base64.StdEncoding.DecodeString(*j.StdoutBase64); err != nil || string(b) != "\xff\xfebinary" {
		t.Errorf("job 2: stdout_base64 decodes to %q (%v), want %q", b, err, "\xff\xfebinary")
	}
	if j := jobs[2]; j.ExitCode != 1 || len(j.Input) != 1 || j.Input[0] != "fail" || j.Argv[0] != "sh" {
		t.Errorf("job 3: got exit %d input %q argv %q, want exit 1 input [fail]", j.ExitCode, j.Input, j.Argv)
	}
}

// TestProgressStyle: what each --progress shows, by where stdout and
// stderr go and whether $CI is set.
func TestProgressStyle(t *testing.T) {
	tests := []struct {
		name           string
		mode           progressMode
		errTTY, outTTY bool
		ci             bool
		want           progressStyle
	}{
		{"auto: stderr a terminal, stdout a file", progressAuto, true, false, false, styleBar},
		{"auto: both terminals", progressAuto, true, true, false, styleNone},
		{"auto: no terminal", progressAuto, false, false, false, styleNone},
		{"auto in CI: no terminal", progressAuto, false, false, true, stylePlain},
		{"auto in CI: stderr a terminal", progressAuto, true, false, true, styleBar},
		{"auto in CI: stdout a terminal only", progressAuto, false, true, true, stylePlain},
		{"always", progressAlways, false, false, false, styleBar},
		{"plain on a terminal", progressPlain, true, false, false, stylePlain},
		{"never in CI", progressNever, false, false, true, styleNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.mode.style(&Streams{ErrTTY: tc.errTTY, OutTTY: tc.outTTY, CI: tc.ci}); got != tc.want {
				t.Errorf("got style %d, want %d", got, tc.want)
			}
		})
	}
}
