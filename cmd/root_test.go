package cmd

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildInfoFormat(t *testing.T) {
	vcs := func(rev, modified string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}}
	}
	tests := []struct {
		name  string
		build BuildInfo
		info  *debug.BuildInfo
		want  string
	}{
		{"release build with -X", BuildInfo{"1.2.3", "abc123"}, vcs("fff", "true"),
			"gopool 1.2.3 (commit abc123, go1.99 linux/amd64)"},
		{"no build info", BuildInfo{}, nil,
			"gopool (devel) (commit unknown, go1.99 linux/amd64)"},
		{"go build in a clean checkout", BuildInfo{}, vcs("b4502f5", "false"),
			"gopool (devel) (commit b4502f5, go1.99 linux/amd64)"},
		{"go build in a modified checkout", BuildInfo{}, vcs("b4502f5", "true"),
			"gopool (devel) (commit b4502f5, modified, go1.99 linux/amd64)"},
		{"go build with a pseudo-version that says dirty",
			BuildInfo{}, &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261125131200-b4502f5abcde+dirty"},
				Settings: vcs("b4502f5abcde", "true").Settings},
			"gopool v0.0.0-20261125131200-b4502f5abcde+dirty (commit b4502f5abcde, go1.99 linux/amd64)"},
		{"go install module@version", BuildInfo{}, &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}},
			"gopool v1.4.0 (commit unknown, go1.99 linux/amd64)"},
		{"-X version only takes the commit from vcs", BuildInfo{Version: "2.0.0"}, vcs("cafe", "false"),
			"gopool 2.0.0 (commit cafe, go1.99 linux/amd64)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.build.format(tc.info, "go1.99", "linux/amd64"); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"command", []string{"version"}},
		{"flag", []string{"--version"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Execute(&Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, BuildInfo{"1.2.3", "abc123"}, tc.args)
			want := "gopool 1.2.3 (commit abc123, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
			if code != ExitOK || out.String() != want || errb.Len() != 0 {
				t.Errorf("got exit %d, stdout %q, stderr %q; want exit 0, stdout %q, no stderr", code, out.String(), errb.String(), want)
			}
		})
	}
}

// TestCompletionScripts checks that every shell gets a script that names
// gopool; TestScript's completion.txtar loads the bash one in bash.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(shell, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Execute(&Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, BuildInfo{}, []string{"completion", shell})
			if code != ExitOK || errb.Len() != 0 {
				t.Fatalf("got exit %d, stderr %q; want 0 and none", code, errb.String())
			}
			if !strings.Contains(out.String(), "gopool") || out.Len() < 1000 {
				t.Errorf("got a %d-byte script without gopool in it: %.200q", out.Len(), out.String())
			}
		})
	}
}

// TestLdflagsVersion builds gopool the way the release does and checks
// that -X main.version and -X main.commit reach `gopool version`.
func TestLdflagsVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gopool; skipped with -short")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "gopool")
	build := exec.Command(gobin, "build", "-trimpath", "-o", bin,
		"-ldflags", "-s -w -X main.version=9.8.7 -X main.commit=deadbeef", "..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("gopool version: %v", err)
	}
	want := "gopool 9.8.7 (commit deadbeef, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	if string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// TestGoInstallVersion installs gopool the way `go install
// github.com/gopool/gopool@v1.2.3` does, from a module proxy (a file://
// one holding this checkout as v1.2.3), with no -X stamp, and checks that
// `gopool version` reports v1.2.3 from the build info. The dependencies
// come from the module cache, as the test binary was built with them;
// GOSUMDB=off as the checksum database may be out of reach (go install
// m@v checks dependencies against it, not against the module's go.sum).
func TestGoInstallVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gopool; skipped with -short")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	const mod, version = "github.com/gopool/gopool", "v1.2.3"
	proxy := t.TempDir()
	dir := filepath.Join(proxy, filepath.FromSlash(mod), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": []byte(`{"Version":"` + version + `","Time":"2026-11-29T00:00:00Z"}`),
		version + ".mod":  gomod,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeModuleZip(t, filepath.Join(dir, version+".zip"), "..", mod+"@"+version)

	bin := t.TempDir()
	install := exec.Command(gobin, "install", mod+"@"+version)
	install.Env = append(os.Environ(), "GOBIN="+bin, "GOPROXY=file://"+filepath.ToSlash(proxy),
		"GOSUMDB=off", "GOFLAGS=", "CGO_ENABLED=0")
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(bin, "gopool"), "version").Output()
	if err != nil {
		t.Fatalf("gopool version: %v", err)
	}
	want := "gopool " + version + " (commit unknown, " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	if string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// writeModuleZip writes the module in root as a module zip: every file
// under prefix/, leaving out hidden files and directories and what a
// release build leaves behind.
func writeModuleZip(t *testing.T, name, root, prefix string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), ".") || rel == "dist" || rel == "completions" || rel == "manpages" || rel == "gopool" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		w, err := zw.Create(prefix + "/" + rel)
		if err != nil {
			return err
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(w, src)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}
