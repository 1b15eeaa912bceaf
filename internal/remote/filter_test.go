package remote

import (
	"bytes"
	"strings"
	"testing"
)

func TestExitStripper(t *testing.T) {
	const nonce = "abc123"
	prefix := exitPrefix(nonce)
	marker := func(status string) string { return prefix + status + "##\n" }
	tests := []struct {
		name       string
		in         string
		want       string
		wantStatus []int
	}{
		{"plain", "hello\n", "hello\n", nil},
		{"marker at end", "err" + marker("3"), "err", []int{3}},
		{"marker after newline", "err\n" + marker("255"), "err\n", []int{255}},
		{"output after marker", "a" + marker("0") + "late\n", "alate\n", []int{0}},
		{"other nonce stays", "x\n##gopool:zzz:exit:1##\n", "x\n##gopool:zzz:exit:1##\n", nil},
		{"bad status stays", prefix + "x##\n", prefix + "x##\n", nil},
		{"too many digits stay", prefix + "12345##\n", prefix + "12345##\n", nil},
		{"no digits stay", prefix + "##\n", prefix + "##\n", nil},
		{"partial at end is flushed", "a" + prefix[:5], "a" + prefix[:5], nil},
		{"unclosed status is flushed", "a" + prefix + "12", "a" + prefix + "12", nil},
		{"two markers", marker("1") + marker("2"), "", []int{1, 2}},
	}
	for _, tc := range tests {
		for _, chunk := range []int{1, 2, 3, 7, 1 << 20} {
			var out bytes.Buffer
			var got []int
			s := &exitStripper{prefix: []byte(prefix), next: &out, onExit: func(st int) { got = append(got, st) }}
			for in := tc.in; in != ""; {
				n := min(chunk, len(in))
				if _, err := s.Write([]byte(in[:n])); err != nil {
					t.Fatal(err)
				}
				in = in[n:]
			}
			if err := s.flush(); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("%s, chunks of %d: got %q, want %q", tc.name, chunk, out.String(), tc.want)
			}
			if len(got) != len(tc.wantStatus) || (len(got) > 0 && got[len(got)-1] != tc.wantStatus[len(tc.wantStatus)-1]) {
				t.Errorf("%s, chunks of %d: got statuses %v, want %v", tc.name, chunk, got, tc.wantStatus)
			}
		}
	}
}

func TestStartGate(t *testing.T) {
	const nonce = "n1"
	tests := []struct {
		name, in, want, wantPre string
		wantStarted             bool
	}{
		{"noise then marker", "motd\n" + startMarker(nonce) + "out\n", "out\n", "motd\n", true},
		{"marker first", startMarker(nonce) + "out", "out", "", true},
		{"never started", "ssh: connect to host x: Connection refused\n", "", "ssh: connect to host x: Connection refused\n", false},
		{"other nonce is noise", strings.Replace(startMarker(nonce), nonce, "n2", 1), "", strings.Replace(startMarker(nonce), nonce, "n2", 1), false},
	}
	for _, tc := range tests {
		for _, chunk := range []int{1, 4, 1 << 20} {
			var out bytes.Buffer
			started := 0
			g := &startGate{marker: []byte(startMarker(nonce)), next: &out, onStart: func() { started++ }}
			for in := tc.in; in != ""; {
				n := min(chunk, len(in))
				if _, err := g.Write([]byte(in[:n])); err != nil {
					t.Fatal(err)
				}
				in = in[n:]
			}
			if out.String() != tc.want || string(g.preStart()) != tc.wantPre || (started == 1) != tc.wantStarted || started > 1 {
				t.Errorf("%s, chunks of %d: got out %q pre %q started %d times, want %q %q %v",
					tc.name, chunk, out.String(), g.preStart(), started, tc.want, tc.wantPre, tc.wantStarted)
			}
		}
	}
}
