// Package testenv prepares the process that runs gopool's tests.
package testenv

import (
	"os"
	"os/signal"
	"syscall"
)

// UnignoreSignals makes sure the stop signals gopool reacts to are not
// ignored in the test process, and so not in the gopool processes the
// tests start: a test run under nohup, or as a background job of a
// non-interactive shell, inherits SIGHUP, or SIGINT and SIGQUIT, ignored,
// and gopool (rightly) keeps an ignored signal ignored. Catching a signal
// un-ignores it, and a caught signal is back to its default action in a
// child after exec. The test process itself then drops those signals.
func UnignoreSignals() {
	var sigs []os.Signal
	for _, sig := range []os.Signal{syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM} {
		if signal.Ignored(sig) {
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) > 0 {
		signal.Notify(make(chan os.Signal, 1), sigs...)
	}
}
