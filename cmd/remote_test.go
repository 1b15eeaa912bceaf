package cmd

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gopool/gopool/internal/input"
	"github.com/gopool/gopool/internal/remote"
)

// TestRemoteSettings checks remote command lines against what they set.
func TestRemoteSettings(t *testing.T) {
	t.Setenv("GOPOOL_JOBS", "")
	slf := filepath.Join(t.TempDir(), "hosts")
	if err := os.WriteFile(slf, []byte("# two hosts\n3/node1\n\nalice@node2:2222\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hosts := func(s *remoteSettings) []string {
		var out []string
		for _, l := range s.cfg.Logins {
			out = append(out, l.Raw)
		}
		return out
	}
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, s *settings)
	}{
		{"no -S: no remote", []string{"--env", "X", "--trc", "{}.out", "echo"}, func(t *testing.T, s *settings) {
			if s.remote != nil {
				t.Errorf("got remote settings %+v, want none", s.remote)
			}
		}},
		{"logins from -S and --slf", []string{"-S", "node[1-2]", "-S", ":", "--slf", slf, "echo"}, func(t *testing.T, s *settings) {
			if got, want := hosts(s.remote), []string{"node1", "node2", ":", "node1", "alice@node2:2222"}; !reflect.DeepEqual(got, want) {
				t.Errorf("got logins %q, want %q", got, want)
			}
			if got := s.remote.cfg.Logins[3].Slots; got != 3 {
				t.Errorf("got slots %d for 3/node1, want 3", got)
			}
			if !s.remote.local() {
				t.Error("local: got false with : among the logins, want true")
			}
		}},
		{"--ssh, --env, --wd, --bf, timeouts", []string{"-S", "n", "--ssh", "ssh -F 'my cfg'", "--env", "A", "--env", "B",
			"--wd", "...", "--bf", "x", "--basefile", "y", "--host-timeout", "5s", "--sshdelay", "0.2", "--no-controlmaster", "-M", "echo"},
			func(t *testing.T, s *settings) {
				c := s.remote.cfg
				if want := []string{"ssh", "-F", "my cfg"}; !reflect.DeepEqual(c.SSH, want) {
					t.Errorf("got SSH %q, want %q", c.SSH, want)
				}
				if want := []string{"A", "B"}; !reflect.DeepEqual(c.EnvNames, want) {
					t.Errorf("got EnvNames %q, want %q", c.EnvNames, want)
				}
				if want := []string{"x", "y"}; !reflect.DeepEqual(c.Basefiles, want) {
					t.Errorf("got Basefiles %q, want %q", c.Basefiles, want)
				}
				if c.Workdir != "..." || c.HostTimeout != 5*time.Second || c.SSHDelay != 200*time.Millisecond || !c.NoControlMaster {
					t.Errorf("got Workdir %q HostTimeout %v SSHDelay %v NoControlMaster %v, want ... 5s 200ms true",
						c.Workdir, c.HostTimeout, c.SSHDelay, c.NoControlMaster)
				}
				if s.remote.local() {
					t.Error("local: got true without :, want false")
				}
			}},
		{"--trc is transfer, return, cleanup", []string{"-S", "n", "--trc", "{}.out", "--transfer", "echo"}, func(t *testing.T, s *settings) {
			j := &job{seq: 1, args: []string{"a.txt", "b.txt"}}
			if got, want := files(s.remote.transfer, j, "n"), []string{"a.txt", "b.txt"}; !reflect.DeepEqual(got, want) {
				t.Errorf("got transfers %q, want %q", got, want)
			}
			if got, want := files(s.remote.returns, j, "n"), []string{"a.txt b.txt.out"}; !reflect.DeepEqual(got, want) {
				t.Errorf("got returns %q, want %q", got, want)
			}
			if !s.remote.cfg.Cleanup {
				t.Error("got Cleanup false, want true")
			}
		}},
		{"--tf and --return templates with {host}", []string{"-S", "n", "--tf", "{.}.dat", "--return", "{host}-{#}.out", "echo"}, func(t *testing.T, s *settings) {
			j := &job{seq: 7, args: []string{"d/a.txt"}}
			if got, want := files(s.remote.transfer, j, "n1"), []string{"d/a.dat"}; !reflect.DeepEqual(got, want) {
				t.Errorf("got transfers %q, want %q", got, want)
			}
			if got, want := files(s.remote.returns, j, "n1"), []string{"n1-7.out"}; !reflect.DeepEqual(got, want) {
				t.Errorf("got returns %q, want %q", got, want)
			}
		}},
		{"-j per host", []string{"-S", "n", "-j", "3", "echo"}, func(t *testing.T, s *settings) {
			if got := s.remote.cfg.Slots(16); got != 3 {
				t.Errorf("got %d slots on 16 cores, want 3", got)
			}
		}},
		{"-j N% per host", []string{"-S", "n", "-j", "50%", "echo"}, func(t *testing.T, s *settings) {
			if got := s.remote.cfg.Slots(16); got != 8 {
				t.Errorf("got %d slots on 16 cores, want 8", got)
			}
		}},
		{"no -j: one slot a core", []string{"-S", "n", "echo"}, func(t *testing.T, s *settings) {
			if s.remote.cfg.Slots != nil {
				t.Error("got a Slots function, want nil (one slot a core)")
			}
		}},
		{"--onall without -S is this machine", []string{"--onall", "echo", ":::", "a"}, func(t *testing.T, s *settings) {
			if got, want := hosts(s.remote), []string{":"}; !reflect.DeepEqual(got, want) || !s.remote.onall {
				t.Errorf("got logins %q onall %v, want %q true", got, s.remote.onall, want)
			}
		}},
		{"--nonall reads no input", []string{"-S", "n", "--nonall", "uptime"}, func(t *testing.T, s *settings) {
			if want := []input.SourceSpec{{IsValues: true}}; !reflect.DeepEqual(s.input.Sources, want) || !s.remote.nonall {
				t.Errorf("got sources %+v nonall %v, want %+v true", s.input.Sources, s.remote.nonall, want)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseRunFlags(t, tt.args...)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			tt.check(t, s)
		})
	}
}

func TestRemoteSettingsErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad login", []string{"-S", "0/node1", "echo"}, `bad --sshlogin "0/node1": slots "0": want a positive number before /`},
		{"login with a space", []string{"-S", "ssh -p 2 n", "echo"}, "a login has no spaces"},
		{"no host", []string{"-S", ",", "echo"}, "-S/--sshloginfile: no host given"},
		{"missing --slf", []string{"--slf", "/nonexistent/hosts", "echo"}, "--sshloginfile: open /nonexistent/hosts"},
		{"shell syntax in --ssh", []string{"-S", "n", "--ssh", "ssh; rm x", "echo"}, "bad --ssh"},
		{"bad --env", []string{"-S", "n", "--env", "A-B", "echo"}, `--env "A-B": not a variable name`},
		{"--env _", []string{"-S", "n", "--env", "_", "echo"}, "--env _ (GNU's env_parallel) is not supported"},
		{"bad --host-timeout", []string{"-S", "n", "--host-timeout", "0", "echo"}, `bad --host-timeout "0"`},
		{"bad --sshdelay", []string{"-S", "n", "--sshdelay", "x", "echo"}, `bad --sshdelay "x"`},
		{"bad -j", []string{"-S", "n", "-j", "-1", "echo"}, `bad -j "-1"`},
		{"--onall and --nonall", []string{"-S", "n", "--onall", "--nonall", "echo"}, "--onall and --nonall cannot be used together"},
		{"--nonall with input", []string{"-S", "n", "--nonall", "echo", ":::", "a"}, "--nonall runs a command with no input"},
		{"--nonall without a command", []string{"-S", "n", "--nonall"}, "--nonall runs a command with no input"},
		{"--tty", []string{"-S", "n", "--tty", "echo"}, "--tty cannot be used with -S"},
		{"--pipe", []string{"-S", "n", "--pipe", "cat"}, "--pipe and --pipepart cannot be used with -S"},
		{"empty --return", []string{"-S", "n", "--return", "", "echo"}, "bad --return: empty file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseRunFlags(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one holding %q", err, tt.want)
			}
			if code := exitCodeOf(err); code != ExitCannotRun {
				t.Errorf("got exit code %d, want %d", code, ExitCannotRun)
			}
		})
	}
}

func TestFanOut(t *testing.T) {
	h1, h2 := &remote.Host{}, &remote.Host{}
	f := &fanOut{hosts: []*remote.Host{h1, h2}}
	type got struct {
		h    *remote.Host
		args string
	}
	var out []got
	for _, rec := range []string{"a", "b"} {
		f.record(input.Record{Args: []string{rec}})
		for {
			h, r, ok := f.next()
			if !ok {
				break
			}
			out = append(out, got{h, strings.Join(r.Args, " ")})
		}
	}
	if want := []got{{h1, "a"}, {h2, "a"}, {h1, "b"}, {h2, "b"}}; !reflect.DeepEqual(out, want) {
		t.Errorf("got %v, want %v", out, want)
	}
	n := &fanOut{hosts: []*remote.Host{h1, h2}, nonall: true}
	var count int
	for {
		_, r, ok := n.next()
		if !ok {
			break
		}
		if r.Args != nil {
			t.Errorf("--nonall: got args %q, want none", r.Args)
		}
		count++
	}
	if count != 2 {
		t.Errorf("--nonall: got %d jobs, want one per host (2)", count)
	}
	var none *fanOut
	if _, _, ok := none.next(); ok {
		t.Error("nil fanOut: got a job, want none")
	}
}
