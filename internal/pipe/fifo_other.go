//go:build !unix

package pipe

import (
	"errors"
	"fmt"
)

// ErrNoReader is returned by Fifo.Feed when the job never opened {}.
var ErrNoReader = errors.New("--fifo: the job never opened {}")

// Fifo is the named pipe of --fifo, not supported off Unix.
type Fifo struct{}

// NewFifo fails: named pipes need Unix.
func NewFifo(string) (*Fifo, error) {
	return nil, fmt.Errorf("--fifo: %w here", errors.ErrUnsupported)
}

// Path returns "".
func (*Fifo) Path() string { return "" }

// Feed fails off Unix.
func (*Fifo) Feed(*Block, <-chan struct{}) (int64, error) {
	return 0, fmt.Errorf("--fifo: %w here", errors.ErrUnsupported)
}

// Close does nothing.
func (*Fifo) Close() error { return nil }
