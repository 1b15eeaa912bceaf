//go:build !unix

package cmd

// procHeadroom is -1: no process limit is known.
func procHeadroom() int { return -1 }
