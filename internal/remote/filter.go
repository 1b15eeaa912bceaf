package remote

import (
	"bytes"
	"io"
	"strconv"
	"sync"
)

// maxPreStart bounds what is kept of a stream before its start marker (for
// the "not started" message).
const maxPreStart = 4096

// startGate passes a stream on to next from just after the start marker.
// What comes before it is kept (its last maxPreStart bytes) as preStart:
// ssh's errors, login noise. onStart runs once, when the marker is seen.
type startGate struct {
	marker  []byte
	next    io.Writer
	onStart func()

	started bool
	pre     []byte
}

func (g *startGate) Write(p []byte) (int, error) {
	if g.started {
		return g.next.Write(p)
	}
	g.pre = append(g.pre, p...)
	i := bytes.Index(g.pre, g.marker)
	if i < 0 {
		if len(g.pre) > 2*maxPreStart {
			g.pre = append(g.pre[:0], g.pre[len(g.pre)-maxPreStart:]...)
		}
		return len(p), nil
	}
	rest := g.pre[i+len(g.marker):]
	g.pre = g.pre[:i]
	g.started = true
	if g.onStart != nil {
		g.onStart()
	}
	if len(rest) > 0 {
		if _, err := g.next.Write(rest); err != nil {
			return len(p), err
		}
	}
	return len(p), nil
}

// preStart returns what came before the start marker (all of the stream
// if it never came), at most maxPreStart bytes of it.
func (g *startGate) preStart() []byte {
	if len(g.pre) > maxPreStart {
		return g.pre[len(g.pre)-maxPreStart:]
	}
	return g.pre
}

// maxStatusDigits bounds the status in an exit marker.
const maxStatusDigits = 3

// exitStripper removes exit markers ("\nPREFIX<digits>##\n") from a stream
// and reports their status to onExit. Bytes that may be the start of a
// marker are held back until the marker is complete or ruled out; flush
// writes what is held at the end. Text that looks like a marker but has
// another nonce, or a malformed status, passes through.
type exitStripper struct {
	prefix []byte
	next   io.Writer
	onExit func(status int)

	held []byte
}

func (s *exitStripper) Write(p []byte) (int, error) {
	s.held = append(s.held, p...)
	for {
		i := bytes.Index(s.held, s.prefix)
		if i < 0 {
			keep := partialSuffix(s.held, s.prefix)
			err := s.emit(len(s.held) - keep)
			return len(p), err
		}
		rest := s.held[i+len(s.prefix):]
		n := 0
		for n < len(rest) && n <= maxStatusDigits && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		tail := rest[n:]
		closing := markerClose + "\n"
		switch {
		case n <= maxStatusDigits && len(tail) < len(closing) && closing[:len(tail)] == string(tail):
			// Incomplete: wait for more.
			err := s.emit(i)
			return len(p), err
		case n >= 1 && n <= maxStatusDigits && bytes.HasPrefix(tail, []byte(closing)):
			status, _ := strconv.Atoi(string(rest[:n]))
			if err := s.emit(i); err != nil {
				return len(p), err
			}
			s.held = s.held[len(s.prefix)+n+len(closing):]
			if s.onExit != nil {
				s.onExit(status)
			}
		default:
			// Not a marker: pass its first byte and look again.
			if err := s.emit(i + 1); err != nil {
				return len(p), err
			}
		}
	}
}

// emit writes the first n held bytes on.
func (s *exitStripper) emit(n int) error {
	if n <= 0 {
		return nil
	}
	_, err := s.next.Write(s.held[:n])
	s.held = append(s.held[:0], s.held[n:]...)
	return err
}

// flush writes whatever is held back.
func (s *exitStripper) flush() error { return s.emit(len(s.held)) }

// partialSuffix returns the length of the longest suffix of b that is a
// proper prefix of p.
func partialSuffix(b, p []byte) int {
	for k := min(len(b), len(p)-1); k > 0; k-- {
		if bytes.Equal(b[len(b)-k:], p[:k]) {
			return k
		}
	}
	return 0
}

// lockedWriter serializes writes from the stdout and the stderr copies
// when the caller gave the same writer for both.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// sameWriter reports whether a and b are the same writer; writers whose
// type cannot be compared count as different.
func sameWriter(a, b io.Writer) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}
