package cmd

import (
	"reflect"
	"regexp"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/gopool/gopool/internal/input"
	"github.com/gopool/gopool/internal/tmpl"
	"github.com/gopool/gopool/runner"
)

// TestSettings checks command lines against the whole settings they give.
func TestSettings(t *testing.T) {
	t.Setenv("GOPOOL_JOBS", "")
	dir := t.TempDir()
	// want returns the default settings of map, changed by edit.
	want := func(edit func(s *settings)) *settings {
		s := &settings{
			mode:     modeMap,
			workers:  runtime.NumCPU(),
			input:    input.Config{Delim: "\n", MaxArgs: 1},
			tmplOpt:  tmpl.Options{Replace: "{}", ShellPath: "/bin/sh"},
			progress: progressAuto,

			progressEvery: 10 * time.Second,
		}
		if edit != nil {
			edit(s)
		}
		return s
	}
	parse := func(words []string, opt tmpl.Options) *tmpl.Template {
		tp, err := tmpl.Parse(words, opt)
		if err != nil {
			t.Fatal(err)
		}
		return tp
	}
	tests := []struct {
		name string
		mode mode
		args []string
		want *settings
	}{
		{"defaults", modeMap, nil, want(nil)},
		{"submit", modeSubmit, nil, want(func(s *settings) { s.mode = modeSubmit })},
		{"template and values", modeMap, []string{"--", "echo", "{}", ":::", "a", "b"}, want(func(s *settings) {
			s.tmpl = parse([]string{"echo", "{}"}, s.tmplOpt)
			s.input.Sources = []input.SourceSpec{{Values: []string{"a", "b"}, IsValues: true}}
		})},
		{"arg files before groups", modeMap, []string{"-a", "f", "echo", "::::", "g", "h"}, want(func(s *settings) {
			s.tmpl = parse([]string{"echo"}, s.tmplOpt)
			s.input.Sources = []input.SourceSpec{{Path: "f"}, {Path: "g"}, {Path: "h"}}
		})},
		{"jobs, timeout, termseq", modeMap, []string{"-j", "3", "--timeout", "1.5", "--termseq", "TERM,100,KILL"}, want(func(s *settings) {
			s.workers = 3
			s.timeout = 1500 * time.Millisecond
			s.termSeq = runner.TermSeq{{Signal: syscall.SIGTERM, Wait: 100 * time.Millisecond}, {Signal: syscall.SIGKILL}}
		})},
		{"jobs 0 is no limit", modeMap, []string{"-j", "0"}, want(func(s *settings) { s.workers = 1 << 30 })},
		{"records", modeMap, []string{"-0", "-n", "2", "--colsep", ",", "-r", "--link"}, want(func(s *settings) {
			s.input = input.Config{Delim: "\x00", MaxArgs: 2, ColSep: regexp.MustCompile(","), SkipEmpty: true, Link: true}
		})},
		{"delimiter escape", modeMap, []string{"-d", `\t`}, want(func(s *settings) { s.input.Delim = "\t" })},
		{"replace and shell", modeMap, []string{"-I", "@@", "--shell", "--shell-path", "/bin/bash", "echo @@"}, want(func(s *settings) {
			s.tmplOpt = tmpl.Options{Replace: "@@", Shell: true, ShellPath: "/bin/bash"}
			s.tmpl = parse([]string{"echo @@"}, s.tmplOpt)
		})},
		{"output", modeMap, []string{"--tag", "--line-buffer", "--tmpdir", dir}, want(func(s *settings) {
			s.tag, s.lineBuffer, s.tmpDir = true, true, dir
		})},
		{"tagstring", modeMap, []string{"--tagstring", "{#}:{}"}, want(func(s *settings) {
			tp, err := tmpl.ParseString("{#}:{}", s.tmplOpt)
			if err != nil {
				t.Fatal(err)
			}
			s.tagString = tp
		})},
		{"dry run, json", modeMap, []string{"--dry-run", "--json"}, want(func(s *settings) { s.dryRun, s.json = true, true })},
		{"progress plain", modeMap, []string{"--progress=plain", "--progress-interval", "2.5"}, want(func(s *settings) {
			s.progress, s.progressEvery = progressPlain, 2500*time.Millisecond
		})},
		{"job control", modeMap, []string{"--joblog", "+jl", "--resume-failed", "--retries", "2", "--halt", "now,fail=2",
			"--delay", "20ms", "--progress=never"}, want(func(s *settings) {
			s.joblog, s.joblogAppend, s.resume = "jl", true, resumeFailed
			s.retries = 2
			s.halt = haltPolicy{when: haltNow, kind: haltFail, n: 2}
			s.delay = 20 * time.Millisecond
			s.progress = progressNever
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRun(t, tt.mode, tt.args...)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got settings\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// TestCheckKeepsOptions checks that check reads its options and does not
// change them.
func TestCheckKeepsOptions(t *testing.T) {
	o := &runOptions{mode: modeMap, maxArgs: 1, shellPath: "/bin/sh", progress: "auto",
		template: []string{"echo"}, changed: map[string]bool{}}
	before := *o
	before.changed = map[string]bool{}
	if _, err := o.check(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*o, before) {
		t.Errorf("got options %+v after check, want them unchanged: %+v", *o, before)
	}
}

func TestSettingsErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"empty -I", []string{"-I", ""}, "bad --replace: must not be empty"},
		{"empty -d", []string{"-d", ""}, "bad --delimiter: must not be empty"},
		{"empty --tmpdir", []string{"--tmpdir", ""}, "bad --tmpdir: must not be empty"},
		{"-n -1", []string{"-n", "-1"}, "bad -n -1: must be 0 or more"},
		{"-0 and -d", []string{"-0", "-d", ","}, "-0 and -d cannot be used together"},
		{"bad colsep", []string{"--colsep", "("}, "bad --colsep \"(\": error parsing regexp: missing closing ): `(`"},
		{"no files after ::::", []string{"echo", "::::"}, ":::: needs at least one file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseRunFlags(t, tt.args...)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got error %v, want %q", err, tt.want)
			}
			if code := exitCodeOf(err); code != ExitCannotRun {
				t.Errorf("got exit code %d, want %d", code, ExitCannotRun)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{"1.5", 1500 * time.Millisecond, ""},
		{"0", 0, ""},
		{"500ms", 500 * time.Millisecond, ""},
		{"2m", 2 * time.Minute, ""},
		{"2562047h", 2562047 * time.Hour, ""},
		{"NaN", 0, "not a number"},
		{"-1", 0, "negative duration"},
		{"-1s", 0, "negative duration"},
		{"Inf", 0, "too long (at most 2562047h)"},
		{"-Inf", 0, "negative duration"},
		{"1e400", 0, "too long (at most 2562047h)"},
		{"9223372037", 0, "too long (at most 2562047h)"},
		{"9999999999h", 0, "too long (at most 2562047h)"},
		{"1h99999999999m", 0, "too long (at most 2562047h)"},
		{"soon", 0, "want seconds (1.5) or a duration (500ms, 2m)"},
		{"", 0, "want seconds (1.5) or a duration (500ms, 2m)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuration(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("got (%v, %v), want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got (%v, %v), want %v", got, err, tt.want)
			}
		})
	}
}
