package remote

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseLogins(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Login
	}{
		{"host", "node1", []Login{{Raw: "node1", Host: "node1"}}},
		{"user and port", "alice@node1:2222", []Login{{Raw: "alice@node1:2222", User: "alice", Host: "node1", Port: 2222}}},
		{"slots", "4/node1", []Login{{Raw: "node1", Host: "node1", Slots: 4}}},
		{"local", ":", []Login{{Raw: ":", Host: ":"}}},
		{"local with slots", "2/:", []Login{{Raw: ":", Host: ":", Slots: 2}}},
		{"comma separated", "a,b", []Login{{Raw: "a", Host: "a"}, {Raw: "b", Host: "b"}}},
		{"trailing doubled comma is literal", ",a,,", []Login{{Raw: "a,", Host: "a,"}}},
		{"escaped comma", `we\,ird`, []Login{{Raw: "we,ird", Host: "we,ird"}}},
		{"doubled comma", "we,,ird,b", []Login{{Raw: "we,ird", Host: "we,ird"}, {Raw: "b", Host: "b"}}},
		{"range", "node[1-3,7]", []Login{
			{Raw: "node1", Host: "node1"}, {Raw: "node2", Host: "node2"},
			{Raw: "node3", Host: "node3"}, {Raw: "node7", Host: "node7"},
		}},
		{"range keeps width", "2/u@n[08-10]:22", []Login{
			{Raw: "u@n08:22", User: "u", Host: "n08", Port: 22, Slots: 2},
			{Raw: "u@n09:22", User: "u", Host: "n09", Port: 22, Slots: 2},
			{Raw: "u@n10:22", User: "u", Host: "n10", Port: 22, Slots: 2},
		}},
		{"two ranges", "r[1-2]c[a,b]", []Login{
			{Raw: "r1ca", Host: "r1ca"}, {Raw: "r1cb", Host: "r1cb"},
			{Raw: "r2ca", Host: "r2ca"}, {Raw: "r2cb", Host: "r2cb"},
		}},
		{"range then more", "n[1-2],m", []Login{{Raw: "n1", Host: "n1"}, {Raw: "n2", Host: "n2"}, {Raw: "m", Host: "m"}}},
		{"ipv6 with port", "[::1]:2222", []Login{{Raw: "[::1]:2222", Host: "::1", Port: 2222}}},
		{"bare ipv6", "fe80::1", []Login{{Raw: "fe80::1", Host: "fe80::1"}}},
		{"ipv6 in brackets", "[::1]", []Login{{Raw: "::1", Host: "::1"}}},
		{"spaces around", " a , b ", []Login{{Raw: "a", Host: "a"}, {Raw: "b", Host: "b"}}},
		{"empty", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseLogins(tc.in)
			if err != nil {
				t.Fatalf("ParseLogins(%q): %v", tc.in, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseLogins(%q):\ngot  %+v\nwant %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseLoginsErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"zero slots", "0/a", "positive number"},
		{"bad slots", "x/a", "positive number"},
		{"bad port", "a:99999", "bad port"},
		{"port not a number", "a:ssh", "bad port"},
		{"empty user", "@a", "empty user"},
		{"dash host", "-oProxyCommand=x", "starts with -"},
		{"space", "ssh -p 2 a", "no spaces"},
		{"unclosed range", "n[1-2", "without ]"},
		{"reversed range", "n[3-1]", "bad range"},
		{"huge range", "n[1-99999999]", "more than"},
		{"empty range", "n[]", "empty range"},
		{"empty host", "u@:22", "empty host"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseLogins(tc.in)
			if err == nil {
				t.Fatalf("ParseLogins(%q) = %+v, want an error", tc.in, got)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseLogins(%q): got error %q, want it to mention %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestParseLoginFile(t *testing.T) {
	in := "# hosts\n\n2/a\n  b,c  \n# c2\n:\n"
	got, err := ParseLoginFile(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Login{{Raw: "a", Host: "a", Slots: 2}, {Raw: "b", Host: "b"}, {Raw: "c", Host: "c"}, {Raw: ":", Host: ":"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	_, err = ParseLoginFile(strings.NewReader("a\n0/b\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("got error %v, want one naming line 2", err)
	}
}

func TestParseSSH(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		wantErr  string
	}{
		{"empty", "", []string{"ssh"}, ""},
		{"plain", "ssh", []string{"ssh"}, ""},
		{"args", "ssh -F cfg -o 'ProxyJump bastion'", []string{"ssh", "-F", "cfg", "-o", "ProxyJump bastion"}, ""},
		{"double quotes", `ssh -F "my cfg"`, []string{"ssh", "-F", "my cfg"}, ""},
		{"variable stays literal", "ssh -F $HOME/cfg", []string{"ssh", "-F", "$HOME/cfg"}, ""},
		{"pipe refused", "ssh | tee", nil, "shell syntax"},
		{"unclosed quote", "ssh 'a", nil, "bad --ssh"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSSH(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseSSH(%q) = %q, %v; want error with %q", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseSSH(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
