package pipe

import (
	"errors"
	"fmt"
)

// ErrNoReader is returned by Fifo.Feed when the job never opened {}.
var ErrNoReader = errors.New("--fifo: the job never opened {}")

// Fifo is the named pipe of --fifo, not supported on Windows.
type Fifo struct{}

// NewFifo fails: Windows has no named pipes in the file system.
func NewFifo(string) (*Fifo, error) {
	return nil, fmt.Errorf("--fifo: %w on Windows", errors.ErrUnsupported)
}

// Path returns "".
func (*Fifo) Path() string { return "" }

// Feed fails on Windows.
func (*Fifo) Feed(*Block, <-chan struct{}) (int64, error) {
	return 0, fmt.Errorf("--fifo: %w on Windows", errors.ErrUnsupported)
}

// Close does nothing.
func (*Fifo) Close() error { return nil }
