//go:build unix

package cmd

import (
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// noticeWriter collects gopool's stderr and closes seen once it holds
// want.
type noticeWriter struct {
	want string
	seen chan struct{}

	mu   sync.Mutex
	b    strings.Builder
	once sync.Once
}

func (w *noticeWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if strings.Contains(w.b.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *noticeWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestOrchestrationDrain checks the SIGHUP drain with a real SIGHUP: jobs 1
// and 2 run; job 2 sends it and ends once gopool has said it drains; job 1
// ends after job 2. Both are printed, nothing new starts, and the run
// exits 0.
func TestOrchestrationDrain(t *testing.T) {
	notice := "gopool: SIGHUP: starting no new jobs; waiting for the running ones to finish\n"
	stderr := &noticeWriter{want: notice, seen: make(chan struct{})}
	var f *fakeLauncher
	f = newFake(func(argv []string, _ int) fakeRun {
		switch argv[len(argv)-1] {
		case "1":
			return fakeRun{stdout: "one\n", release: f.endOf("2")}
		case "2":
			if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
				t.Error(err)
			}
			return fakeRun{stdout: "two\n", release: stderr.seen}
		}
		return fakeRun{stdout: "later\n"}
	})
	var stdout strings.Builder
	code := runFakeTo(t, modeMap, f, &stdout, stderr, "-j", "2", "--", "job", ":::", "1", "2", "3", "4")
	if stdout.String() != "one\ntwo\n" || code != ExitOK {
		t.Errorf("got stdout %q exit %d, want one, two and 0", stdout.String(), code)
	}
	if got := stderr.String(); got != notice {
		t.Errorf("got stderr %q, want the drain notice", got)
	}
	if slices.Contains(f.started, "3") || slices.Contains(f.started, "4") {
		t.Errorf("got started %v, want only jobs 1 and 2", f.started)
	}
}
