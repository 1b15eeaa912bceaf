package cmd

import "syscall"

// argMax is the room for a new process's arguments and environment: on
// Linux a quarter of the stack limit, at least 128 KiB and at most 6 MiB
// (three quarters of the 8 MiB the kernel caps it at).
func argMax() int64 {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_STACK, &rl); err != nil {
		return 2 << 20
	}
	stack := int64(rl.Cur)
	if stack < 0 { // RLIM_INFINITY
		return 6 << 20
	}
	return min(max(stack/4, 128<<10), 6<<20)
}
