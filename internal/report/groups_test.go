package report

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

func testFolder(kind Groups) *Folder {
	f := NewFolder(kind)
	f.token = func() string { return "TOKEN123" }
	f.now = func() time.Time { return t0.Add(time.Hour) }
	return f
}

// fold prints one job's block the way cmd does: Begin, the output through
// a LineEnd, Terminate, End.
func fold(t *testing.T, f *Folder, j *Job, output string) string {
	t.Helper()
	var b bytes.Buffer
	fd, err := f.Begin(&b, j)
	if err != nil {
		t.Fatal(err)
	}
	le := NewLineEnd(&b)
	if _, err := io.WriteString(le, output); err != nil {
		t.Fatal(err)
	}
	if f.kind != GroupsNone {
		if err := le.Terminate(); err != nil {
			t.Fatal(err)
		}
	}
	if err := fd.End(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestFolder(t *testing.T) {
	started := func(j Job) *Job { j.Start, j.Duration = t0, 2500*time.Millisecond; return &j }
	tests := []struct {
		name   string
		kind   Groups
		job    *Job
		output string
		want   string
	}{
		{
			name: "none writes no markers", kind: GroupsNone, job: started(Job{Seq: 1, Name: "a", ExitCode: 1}),
			output: "out", want: "out",
		},
		{
			name: "github passed", kind: GroupsGitHub, job: started(Job{Seq: 1, Name: "a b"}),
			output: "out\nerr\n",
			want:   "::group::a b\n::stop-commands::TOKEN123\nout\nerr\n::TOKEN123::\n::endgroup::\n",
		},
		{
			name: "github output that tries to end the group", kind: GroupsGitHub, job: started(Job{Seq: 3, Name: "t", ExitCode: 2}),
			output: "line\n::endgroup::\n::error::fake\n::stop-commands::x\nlast",
			want: "::group::t\n::stop-commands::TOKEN123\n" +
				"line\n::endgroup::\n::error::fake\n::stop-commands::x\nlast\n" +
				"::TOKEN123::\n::endgroup::\n::error::job 3 (t) failed: exit code 2\n",
		},
		{
			name: "github title escaped", kind: GroupsGitHub, job: started(Job{Seq: 4, Name: "100% \x1b[1mdone\r\n", Signal: 9, ExitCode: -1}),
			want: "::group::100%25 \\x1b[1mdone\\r\\n\n::stop-commands::TOKEN123\n::TOKEN123::\n::endgroup::\n" +
				"::error::job 4 (100%25 \\x1b[1mdone\\r\\n) failed: killed by signal 9 (SIGKILL)\n",
		},
		{
			name: "github timeout", kind: GroupsGitHub, job: started(Job{Seq: 5, Name: "slow", TimedOut: true, Timeout: 2 * time.Second, ExitCode: -1, Signal: 15}),
			output: "started\n",
			want: "::group::slow\n::stop-commands::TOKEN123\nstarted\n::TOKEN123::\n::endgroup::\n" +
				"::error::job 5 (slow) failed: timed out after 2s\n",
		},
		{
			name: "github stopped is not an error", kind: GroupsGitHub, job: started(Job{Seq: 6, Name: "s", Stopped: "SIGINT", ExitCode: -1, Signal: 15}),
			want: "::group::s\n::stop-commands::TOKEN123\n::TOKEN123::\n::endgroup::\n",
		},
		{
			name: "github no name", kind: GroupsGitHub, job: started(Job{Seq: 7, ExitCode: 1}),
			want: "::group::job 7\n::stop-commands::TOKEN123\n::TOKEN123::\n::endgroup::\n::error::job 7 (job 7) failed: exit code 1\n",
		},
		{
			name: "gitlab passed", kind: GroupsGitLab, job: started(Job{Seq: 1, Name: "a b"}),
			output: "out\n",
			want: "\x1b[0Ksection_start:1714979289:gopool-job-1[collapsed=true]\r\x1b[0Ka b\n" +
				"out\n" +
				"\x1b[0Ksection_end:1714979291:gopool-job-1\r\x1b[0K\n",
		},
		{
			name: "gitlab failed is open and marked", kind: GroupsGitLab, job: started(Job{Seq: 12, Name: "unit", ExitCode: 2}),
			output: "FAIL",
			want: "\x1b[0Ksection_start:1714979289:gopool-job-12[collapsed=false]\r\x1b[0Kunit\n" +
				"FAIL\n" +
				"\x1b[0Ksection_end:1714979291:gopool-job-12\r\x1b[0K\n" +
				"\x1b[31;1mjob 12 (unit) failed: exit code 2\x1b[0m\n",
		},
		{
			name: "gitlab title with control characters", kind: GroupsGitLab, job: started(Job{Seq: 2, Name: "a\r\x1b[0Kb\n"}),
			want: "\x1b[0Ksection_start:1714979289:gopool-job-2[collapsed=true]\r\x1b[0Ka\\r\\x1b[0Kb\\n\n" +
				"\x1b[0Ksection_end:1714979291:gopool-job-2\r\x1b[0K\n",
		},
		{
			name: "gitlab output with its own sections passes as is", kind: GroupsGitLab, job: started(Job{Seq: 3, Name: "n"}),
			output: "\x1b[0Ksection_start:1:inner\r\x1b[0Kinner\nx\n\x1b[0Ksection_end:2:inner\r\x1b[0K\n",
			want: "\x1b[0Ksection_start:1714979289:gopool-job-3[collapsed=true]\r\x1b[0Kn\n" +
				"\x1b[0Ksection_start:1:inner\r\x1b[0Kinner\nx\n\x1b[0Ksection_end:2:inner\r\x1b[0K\n" +
				"\x1b[0Ksection_end:1714979291:gopool-job-3\r\x1b[0K\n",
		},
		{
			name: "gitlab job without a start uses the clock", kind: GroupsGitLab, job: &Job{Seq: 4, Name: "q", NotStarted: true, Stopped: "SIGTERM"},
			want: "\x1b[0Ksection_start:1714982889:gopool-job-4[collapsed=true]\r\x1b[0Kq\n" +
				"\x1b[0Ksection_end:1714982889:gopool-job-4\r\x1b[0K\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fold(t, testFolder(tt.kind), tt.job, tt.output); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestFolderRandomToken(t *testing.T) {
	f := NewFolder(GroupsGitHub)
	var a, b bytes.Buffer
	fa, _ := f.Begin(&a, &Job{Seq: 1})
	fb, _ := f.Begin(&b, &Job{Seq: 2})
	if fa.token == fb.token || len(fa.token) < 20 {
		t.Errorf("got tokens %q and %q, want two different random tokens", fa.token, fb.token)
	}
}

func TestEscapeData(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"100%", "100%25"},
		{"a\r\nb", "a%0D%0Ab"},
		{"%0A", "%250A"},
		{"::x::", "::x::"},
	}
	for _, tt := range tests {
		if got := escapeData(tt.in); got != tt.want {
			t.Errorf("escapeData(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseGroups(t *testing.T) {
	tests := []struct {
		in      string
		want    Groups
		wantErr bool
	}{
		{in: "github", want: GroupsGitHub},
		{in: "gitlab", want: GroupsGitLab},
		{in: "none", want: GroupsNone},
		{in: "GitHub", wantErr: true},
		{in: "", wantErr: true},
		{in: "travis", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseGroups(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseGroups(%q): got %v, %v, want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("%v.String(): got %q, want %q", got, got.String(), tt.in)
		}
	}
}

func TestDefaultGroups(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Groups
	}{
		{name: "github", env: map[string]string{"GITHUB_ACTIONS": "true", "CI": "true"}, want: GroupsGitHub},
		{name: "gitlab", env: map[string]string{"GITLAB_CI": "true", "CI": "true"}, want: GroupsGitLab},
		{name: "both: github wins", env: map[string]string{"GITHUB_ACTIONS": "true", "GITLAB_CI": "true"}, want: GroupsGitHub},
		{name: "other CI", env: map[string]string{"CI": "true"}, want: GroupsNone},
		{name: "not true", env: map[string]string{"GITHUB_ACTIONS": "1", "GITLAB_CI": "yes"}, want: GroupsNone},
		{name: "nothing", want: GroupsNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DefaultGroups(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLineEnd(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{name: "nothing written", want: ""},
		{name: "ends a line", writes: []string{"a\n"}, want: "a\n"},
		{name: "mid line", writes: []string{"a\n", "b"}, want: "a\nb\n"},
		{name: "empty write keeps state", writes: []string{"a", ""}, want: "a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			le := NewLineEnd(&b)
			for _, w := range tt.writes {
				le.Write([]byte(w))
			}
			if err := le.Terminate(); err != nil {
				t.Fatal(err)
			}
			le.Terminate() // a second call adds nothing
			if got := b.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

type errWriter struct{ err error }

func (e errWriter) Write([]byte) (int, error) { return 0, e.err }

func TestFolderWriteErrors(t *testing.T) {
	boom := errors.New("boom")
	f := testFolder(GroupsGitHub)
	if _, err := f.Begin(errWriter{boom}, &Job{Seq: 1}); !errors.Is(err, boom) {
		t.Errorf("Begin: got %v, want boom", err)
	}
	fd, _ := f.Begin(io.Discard, &Job{Seq: 1})
	if err := fd.End(errWriter{boom}); !errors.Is(err, boom) {
		t.Errorf("End: got %v, want boom", err)
	}
	le := NewLineEnd(errWriter{boom})
	le.mid = true
	if err := le.Terminate(); !errors.Is(err, boom) {
		t.Errorf("Terminate: got %v, want boom", err)
	}
}
