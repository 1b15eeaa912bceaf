package cmd

import (
	"os"
	"testing"

	"github.com/gopool/gopool/internal/testenv"
	"github.com/gopool/gopool/internal/watchdog"
)

// TestMain lets the test binary serve as the watchdog of the runs the tests
// start (the watchdog is the running binary, started again).
func TestMain(m *testing.M) {
	if watchdog.Is() {
		os.Exit(watchdog.Serve(os.Stdin))
	}
	testenv.UnignoreSignals()
	os.Exit(m.Run())
}
