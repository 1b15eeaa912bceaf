package cmd

import (
	"os"
	"testing"

	"github.com/gopool/gopool/internal/watchdog"
)

// TestMain lets the test binary serve as the watchdog of the runs the tests
// start (the watchdog is the running binary, started again). The tests run
// outside of any CI system's environment: the defaults of --ci-groups and
// --progress come from it, and the tests expect a plain run whether or not
// they run in GitHub Actions.
func TestMain(m *testing.M) {
	if watchdog.Is() {
		os.Exit(watchdog.Serve(os.Stdin))
	}
	for _, k := range []string{"GITHUB_ACTIONS", "GITLAB_CI", "CI"} {
		os.Unsetenv(k)
	}
	os.Exit(m.Run())
}
