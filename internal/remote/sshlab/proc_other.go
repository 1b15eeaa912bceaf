//go:build unix && !linux

package sshlab

import "syscall"

// children is not known without /proc: the lab's Crash and Hang reach the
// listener only.
func children(pid int) []int { return nil }

func descendants(pid int) []int { return nil }

func comm(pid int) string { return "" }

// Alive reports whether pid is a live process (a zombie counts as live
// here).
func Alive(pid int) bool { return syscall.Kill(pid, 0) == nil }
