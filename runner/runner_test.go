package runner

import (
	"errors"
	"reflect"
	"syscall"
	"testing"
	"time"
)

func TestParseTermSeq(t *testing.T) {
	const (
		term = syscall.SIGTERM
		kill = syscall.SIGKILL
		intr = syscall.SIGINT
	)
	tests := []struct {
		name string
		in   string
		want TermSeq
	}{
		{"default", "TERM,2s,KILL", TermSeq{{term, 2 * time.Second}, {kill, 0}}},
		{"GNU parallel milliseconds", "TERM,200,TERM,100,KILL,25",
			TermSeq{{term, 200 * time.Millisecond}, {term, 100 * time.Millisecond}, {kill, 25 * time.Millisecond}}},
		{"KILL appended", "SIGTERM,2000", TermSeq{{term, 2 * time.Second}, {kill, 0}}},
		{"lower case", "int,500ms,kill", TermSeq{{intr, 500 * time.Millisecond}, {kill, 0}}},
		{"numbers", "15,1s,9", TermSeq{{term, time.Second}, {kill, 0}}},
		{"no wait", "TERM,KILL", TermSeq{{term, 0}, {kill, 0}}},
		{"zero wait then a number", "TERM,0,15", TermSeq{{term, 0}, {term, 0}, {kill, 0}}},
		{"only KILL", "KILL", TermSeq{{kill, 0}}},
		{"spaces", " TERM , 1.5s , KILL ", TermSeq{{term, 1500 * time.Millisecond}, {kill, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTermSeq(tt.in)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseTermSeq(%q): got %v, %v; want %v, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseTermSeqErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", `bad --termseq "": empty element`},
		{"unknown signal", "TERM,x", `bad --termseq "TERM,x": unknown signal "x"`},
		{"empty element", "TERM,,KILL", `bad --termseq "TERM,,KILL": empty element`},
		{"negative wait", "TERM,-1s", `bad --termseq "TERM,-1s": negative wait "-1s"`},
		{"bad wait", "TERM,2x", `bad --termseq "TERM,2x": bad wait "2x" (want milliseconds or a duration like 2s)`},
		{"two waits", "TERM,1s,2s", `bad --termseq "TERM,1s,2s": unknown signal "2s"`},
		{"signal 0", "0", `bad --termseq "0": unknown signal "0"`},
		{"signal out of range", "TERM,1,99", `bad --termseq "TERM,1,99": unknown signal "99"`},
		{"huge wait", "TERM,99999999999999999", `bad --termseq "TERM,99999999999999999": wait "99999999999999999" is too long`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTermSeq(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParseTermSeq(%q): got %v, %v; want error %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestResultFailed(t *testing.T) {
	tests := []struct {
		name string
		res  Result
		want bool
	}{
		{"success", Result{}, false},
		{"exit code", Result{ExitCode: 1}, true},
		{"signal", Result{ExitCode: -1, Signal: syscall.SIGKILL}, true},
		{"timed out, exited 0", Result{TimedOut: true}, true},
		{"start failure", Result{ExitCode: 127, Err: errors.New("x")}, true},
		{"stopped, exited 0", Result{Stopped: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.res.Failed(); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func BenchmarkParseTermSeq(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseTermSeq("TERM,200,TERM,100,KILL,25"); err != nil {
			b.Fatal(err)
		}
	}
}
