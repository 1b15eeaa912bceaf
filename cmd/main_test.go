package cmd

import (
	"os"
	"testing"
)

// TestMain runs the tests outside of any CI system's environment: the
// defaults of --ci-groups and --progress come from it, and the tests
// expect a plain run whether or not they run in GitHub Actions.
func TestMain(m *testing.M) {
	for _, k := range []string{"GITHUB_ACTIONS", "GITLAB_CI", "CI"} {
		os.Unsetenv(k)
	}
	os.Exit(m.Run())
}
