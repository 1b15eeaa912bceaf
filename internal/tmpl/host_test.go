package tmpl

import (
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestHost(t *testing.T) {
	tests := []struct {
		name     string
		words    []string
		host     string
		args     []string
		wantArgv []string
		wantEnv  []string // the variables AppendEnv adds
		wantDry  string
	}{
		{"direct", []string{"echo", "{host}", "x{host}y", "{}"}, "node1", []string{"a"},
			[]string{"echo", "node1", "xnode1y", "a"}, nil, "echo node1 xnode1y a"},
		{"direct, no args appended", []string{"echo", "{host}"}, "node1", []string{"a"},
			[]string{"echo", "node1"}, nil, "echo node1"},
		{"no host is the local machine", []string{"echo", "{host}"}, "", []string{"a"},
			[]string{"echo", ":"}, nil, "echo :"},
		{"shell refers to the variable", []string{"echo {host} {} | cat"}, "node1", []string{"a"},
			[]string{"/bin/sh", "-c", `echo "${GOPOOL_HOST}" "${GOPOOL_ARG_1}" | cat`},
			[]string{"GOPOOL_ARG_1=a", "GOPOOL_HOST=node1"}, "echo 'node1' 'a' | cat"},
		{"shell in quotes", []string{`echo "<{host}>" '[{host}]' | cat`}, "a'b", nil,
			[]string{"/bin/sh", "-c", `echo "<${GOPOOL_HOST}>" '['"${GOPOOL_HOST}"']' | cat`},
			[]string{"GOPOOL_HOST=a'b"}, `echo "<a'b>" '[a'\''b]' | cat`},
		{"shell in a here-document", []string{"cat <<EOF\n{host}\nEOF"}, "n$1", nil,
			[]string{"/bin/sh", "-c", "cat <<EOF\n${GOPOOL_HOST}\nEOF"},
			[]string{"GOPOOL_HOST=n$1"}, "GOPOOL_HOST='n$1' /bin/sh -c 'cat <<EOF\n${GOPOOL_HOST}\nEOF'"},
		{"sh -c script word", []string{"sh", "-c", "echo {host}", "_"}, "node1", nil,
			[]string{"sh", "-c", `echo "${GOPOOL_HOST}"`, "_"}, []string{"GOPOOL_HOST=node1"}, "sh -c 'echo node1' _"},
		{"in a comment", []string{"true # {host}"}, "node1", nil,
			[]string{"/bin/sh", "-c", "true # "}, []string{"GOPOOL_HOST=node1"}, "true # "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := Parse(tc.words, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !tp.UsesHost() {
				t.Errorf("UsesHost: got false, want true")
			}
			h := tp.WithHost(tc.host)
			if got := h.Expand(tc.args, 1, 1); !reflect.DeepEqual(got, tc.wantArgv) {
				t.Errorf("Expand: got %q, want %q", got, tc.wantArgv)
			}
			if got := h.AppendEnv(nil, tc.args); !reflect.DeepEqual(got, tc.wantEnv) {
				t.Errorf("AppendEnv: got %q, want %q", got, tc.wantEnv)
			}
			if got := h.DryRun(tc.args, 1, 1); got != tc.wantDry {
				t.Errorf("DryRun: got %q, want %q", got, tc.wantDry)
			}
		})
	}
}

// TestHostRuns runs the shell forms: the host name is data, whatever it
// holds.
func TestHostRuns(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	const host = `h'"$(echo pwned)` + "`id`"
	tp, err := Parse([]string{`printf '%s|%s\n' {host} "{host}"`}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tp = tp.WithHost(host)
	argv := tp.Expand([]string{"x"}, 1, 1)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = tp.AppendEnv([]string{"PATH=/usr/bin:/bin"}, []string{"x"})
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := host + "|" + host + "\n"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
	dry := exec.Command("sh", "-c", tp.DryRun([]string{"x"}, 1, 1))
	if out, err := dry.Output(); err != nil || string(out) != host+"|"+host+"\n" {
		t.Errorf("DryRun line ran: got %q (%v), want %q", out, err, host+"|"+host+"\n")
	}
}

func TestHostUnused(t *testing.T) {
	for _, words := range [][]string{{"echo", "{}"}, {"echo {} | cat"}, {"echo", "{hostname}"}} {
		tp, err := Parse(words, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if tp.UsesHost() {
			t.Errorf("%q: UsesHost: got true, want false", words)
		}
		if tp.WithHost("node1") != tp {
			t.Errorf("%q: WithHost made a copy of a template without {host}", words)
		}
		if env := tp.AppendEnv(nil, []string{"a"}); slices.ContainsFunc(env, func(s string) bool { return strings.HasPrefix(s, hostVar) }) {
			t.Errorf("%q: AppendEnv: got %q, want no %s", words, env, hostVar)
		}
	}
	ts, err := ParseString("[{host}] {}", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ts.WithHost("n1").ExpandString([]string{"a"}, 1, 1), "[n1] a"; got != want {
		t.Errorf("text template: got %q, want %q", got, want)
	}
}
