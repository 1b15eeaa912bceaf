package output

import (
	"io"
	"sync"
)

// Head lets the job at the head of an ordered output stream its stdout
// while it runs: every earlier job has been printed, so nothing can come
// between. Jobs register their Live when they start (Start) and forget it
// when they end (Finish); the printer calls Advance once a job is printed.
// Its methods are safe for concurrent use.
type Head struct {
	mu      sync.Mutex
	dst     io.Writer
	head    int64 // the job number that may stream now
	running map[int64]*Live
}

// NewHead returns a Head whose first job is number 1 and whose streams go
// to dst.
func NewHead(dst io.Writer) *Head {
	return &Head{dst: dst, head: 1, running: make(map[int64]*Live)}
}

// Start registers job seq's stream, promoting it at once when the job is
// the head.
func (h *Head) Start(seq int64, l *Live) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if seq == h.head {
		_ = l.Promote(h.dst) // a write error is kept by l
		return
	}
	h.running[seq] = l
}

// Finish forgets job seq, whose process ended.
func (h *Head) Finish(seq int64) {
	h.mu.Lock()
	delete(h.running, seq)
	h.mu.Unlock()
}

// Advance is called once job seq is printed: the next job is the head, and
// streams from now on if it is running.
func (h *Head) Advance(seq int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.head = seq + 1
	if l := h.running[h.head]; l != nil {
		delete(h.running, h.head)
		_ = l.Promote(h.dst)
	}
}
