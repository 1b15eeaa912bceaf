package cmd

import (
	"io"
	"sync"

	"github.com/gopool/gopool/output"
)

// liveHead lets the job at the head of map's output order stream its
// stdout while it runs: every earlier job has been printed, so nothing can
// come between. Jobs register when they start; emit advances the head.
type liveHead struct {
	mu      sync.Mutex
	dst     io.Writer
	head    int64 // the job number that may stream now
	running map[int64]*output.Live
}

func newLiveHead(dst io.Writer) *liveHead {
	return &liveHead{dst: dst, head: 1, running: make(map[int64]*output.Live)}
}

// start registers a running job's stream, promoting it at once when the
// job is the head.
func (h *liveHead) start(seq int64, l *output.Live) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if seq == h.head {
		_ = l.Promote(h.dst) // a write error is kept by l
		return
	}
	h.running[seq] = l
}

// finish forgets a job whose process ended.
func (h *liveHead) finish(seq int64) {
	h.mu.Lock()
	delete(h.running, seq)
	h.mu.Unlock()
}

// advance is called once job seq is printed: the next job is the head, and
// streams from now on if it is running.
func (h *liveHead) advance(seq int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.head = seq + 1
	if l := h.running[h.head]; l != nil {
		delete(h.running, h.head)
		_ = l.Promote(h.dst)
	}
}
