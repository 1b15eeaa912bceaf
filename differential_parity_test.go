//go:build unix

package main

// parityDiffCases are the differential cases of the template and command
// line side of GNU parallel parity (issue 13).
func parityDiffCases() []diffCase {
	return []diffCase{}
}
