//go:build unix

package pipe

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// firstBlock returns the first block of data cut by o.
func firstBlock(t *testing.T, data []byte, o Options) *Block {
	t.Helper()
	s, err := NewStream(bytes.NewReader(data), o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Next()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Release(); s.Close() })
	return b
}

// TestCatFile runs a job that reads {} = /dev/fd/3 twice (a retry), and
// checks that the temp file has no name in its directory.
func TestCatFile(t *testing.T) {
	dir := t.TempDir()
	b := firstBlock(t, []byte("H\n1\n2\n3\n"), Options{BlockSize: 4, RecEnd: "\n", Header: ":"})
	f, err := CatFile(b, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b.Release()
	assertEmptyDir(t, dir)
	for attempt := range 2 {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("sh", "-c", `cat "$1"; cat <&3`, "sh", CatPath)
		cmd.ExtraFiles = []*os.File{f}
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if want := "H\n1\n2\nH\n1\n2\n"; string(out) != want {
			t.Errorf("attempt %d: got %q, want %q", attempt+1, out, want)
		}
	}
}

// runFifoJob starts sh -c script with {} as $1 in its own process group,
// its stdout a file (so that a grandchild holding it does not delay Wait),
// and returns a channel closed when sh has ended and a function that
// returns its output then.
func runFifoJob(t *testing.T, script, path string) (<-chan struct{}, func() string) {
	t.Helper()
	out, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Close() })
	cmd := exec.Command("sh", "-c", script, "sh", path)
	cmd.Stdout = out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // grandchildren too
		<-done
	})
	return done, func() string {
		<-done
		b, err := os.ReadFile(out.Name())
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
}

func TestFifo(t *testing.T) {
	big := lines(4096) // 256 KiB, more than a pipe holds
	tests := []struct {
		name   string
		script string
		want   func(n int64, err error, out string) string // "" when right
	}{
		{"reads it", `cat "$1"; echo end`, func(n int64, err error, out string) string {
			if err != nil || n != int64(len(big)) || out != string(big)+"end\n" {
				return "want the whole block fed and read"
			}
			return ""
		}},
		{"never opens it", `exit 0`, func(n int64, err error, out string) string {
			if !errors.Is(err, ErrNoReader) {
				return "want ErrNoReader"
			}
			return ""
		}},
		{"stops reading", `head -c 10 "$1" >/dev/null`, func(n int64, err error, out string) string {
			if !errors.Is(err, syscall.EPIPE) && !errors.Is(err, os.ErrDeadlineExceeded) {
				return "want EPIPE or an abandoned write"
			}
			return ""
		}},
		{"grandchild holds it", `exec 3<"$1"; sleep 1000 <&3 & exit 0`, func(n int64, err error, out string) string {
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				return "want an abandoned write"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			b := firstBlock(t, big, Options{BlockSize: int64(len(big)), RecEnd: "\n"})
			ff, err := NewFifo(dir)
			if err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Stat(ff.Path()); err != nil || fi.Mode()&os.ModeNamedPipe == 0 || fi.Mode().Perm() != 0o600 {
				t.Fatalf("fifo: %v, %v", fi, err)
			}
			if fi, err := os.Stat(filepath.Dir(ff.Path())); err != nil || fi.Mode().Perm() != 0o700 {
				t.Fatalf("fifo dir: %v, %v", fi, err)
			}
			done, output := runFifoJob(t, tt.script, ff.Path())
			n, err := ff.Feed(b, done)
			out := output()
			if msg := tt.want(n, err, out); msg != "" {
				t.Errorf("Feed: %d, %v; output %d bytes: %s", n, err, len(out), msg)
			}
			if err := ff.Close(); err != nil {
				t.Fatal(err)
			}
			assertEmptyDir(t, dir)
		})
	}
}

// TestFifoRetry feeds the same block through the same Fifo twice.
func TestFifoRetry(t *testing.T) {
	b := firstBlock(t, []byte("a\nb\n"), Options{BlockSize: 10, RecEnd: "\n"})
	ff, err := NewFifo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ff.Close()
	for attempt := range 2 {
		done, output := runFifoJob(t, `cat "$1"`, ff.Path())
		if _, err := ff.Feed(b, done); err != nil {
			t.Fatalf("attempt %d: %v", attempt+1, err)
		}
		if out := output(); out != "a\nb\n" {
			t.Errorf("attempt %d: got %q", attempt+1, out)
		}
	}
}
