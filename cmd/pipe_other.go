//go:build !unix

package cmd

import "io"

// readerGone reports false: without poll(2), a feed waiting for input
// learns that its job is gone when it next writes.
func readerGone(io.Writer) bool { return false }

// fifoDirPrefix starts the name of a run's --fifo directory.
func fifoDirPrefix() string { return "gopool-fifos-" }

// removeStaleFifoDirs does nothing: --fifo needs Unix.
func removeStaleFifoDirs(string) {}
