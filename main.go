// Command gopool runs commands in parallel on a bounded pool of child
// processes, like Python's multiprocessing.Pool for the shell.
package main

import (
	"os"

	"github.com/gopool/gopool/cmd"
)

// version and commit are set by the release build (-X main.version=...).
var (
	version = ""
	commit  = ""
)

func main() {
	os.Exit(int(cmd.Main(version, commit)))
}
