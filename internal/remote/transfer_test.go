package remote

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSplitDotSlash(t *testing.T) {
	tests := []struct{ in, base, rel string }{
		{"a/b.txt", ".", "a/b.txt"},
		{"./a/b.txt", ".", "a/b.txt"},
		{"/tmp/x/./sub/f", "/tmp/x", "sub/f"},
		{"/./abs/f", "/", "abs/f"},
		{"/abs/f", "/", "abs/f"},
		{"rel/./f", "rel", "f"},
	}
	for _, tc := range tests {
		base, rel := splitDotSlash(tc.in)
		if base != tc.base || rel != tc.rel {
			t.Errorf("splitDotSlash(%q) = %q, %q; want %q, %q", tc.in, base, rel, tc.base, tc.rel)
		}
	}
}

func TestSafeRel(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"a/b", true}, {"a", true}, {"", false}, {".", false}, {"..", false},
		{"a/../../b", false}, {"/abs", false}, {"a/./b", true},
	}
	for _, tc := range tests {
		if got := safeRel(tc.in); got != tc.want {
			t.Errorf("safeRel(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestWorkdir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	sub := filepath.Join(home, "proj", "x")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	c, err := New(Config{Logins: []Login{{Raw: "h", Host: "h"}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ wd, want string }{
		{"", ""},
		{"/srv/work", "/srv/work"},
		{"rel", "rel"},
		{".", "proj/x"},
		{"...", c.runDir},
	}
	for _, tc := range tests {
		c.cfg.Workdir = tc.wd
		if got := c.workdir(); got != tc.want {
			t.Errorf("workdir %q: got %q, want %q", tc.wd, got, tc.want)
		}
	}
	t.Chdir(home)
	c.cfg.Workdir = "."
	if got := c.workdir(); got != "" {
		t.Errorf("workdir . at home: got %q, want the login directory", got)
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Error("no logins: got no error")
	}
	if _, err := New(Config{Logins: []Login{{Raw: "h", Host: "h"}}, EnvNames: []string{"A-B"}}); err == nil {
		t.Error("bad --env name: got no error")
	}
}
