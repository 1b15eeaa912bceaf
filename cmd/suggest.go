package cmd

import (
	"strings"

	"github.com/spf13/cobra"
)

// unknownCommand returns the usage error of a command line whose first
// word names no subcommand, with cobra's suggestions on one line ("gopool
// mapp": did you mean map?), or nil when the first word is a subcommand or
// a flag.
func unknownCommand(root *cobra.Command, args []string) error {
	// Cobra's hidden __complete commands are added as it runs.
	if len(args) == 0 || strings.HasPrefix(args[0], "-") || strings.HasPrefix(args[0], "__") {
		return nil
	}
	root.InitDefaultHelpCmd()
	if c, _, err := root.Find(args); err == nil && c != root {
		return nil
	}
	if s := root.SuggestionsFor(args[0]); len(s) > 0 {
		return usageErr("unknown command %q: did you mean %s?", args[0], strings.Join(s, " or "))
	}
	return usageErr("unknown command %q (see gopool --help: map, submit, version, completion)", args[0])
}

// normalizeArgs rewrites the flags of map and submit that GNU parallel
// reads with an optional value (normalizeOptional).
func normalizeArgs(root *cobra.Command, args []string) []string {
	if len(args) == 0 || (args[0] != "map" && args[0] != "submit") {
		return args
	}
	c, _, err := root.Find(args[:1])
	if err != nil {
		return args
	}
	return append([]string{args[0]}, normalizeOptional(c, args[1:])...)
}
