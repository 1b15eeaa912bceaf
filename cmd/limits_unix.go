//go:build unix

package cmd

import (
	"bytes"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// procHeadroom is how many more processes this user may start under a
// finite `ulimit -u` (RLIMIT_NPROC counts every process and thread of the
// user), or -1 when there is no such limit: unlimited, or root, whom the
// limit does not bind. It reads /proc only when the limit is finite.
func procHeadroom() int {
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NPROC, &rl); err != nil || rl.Cur == unix.RLIM_INFINITY || os.Geteuid() == 0 {
		return -1
	}
	used, ok := userTasks(os.Getuid())
	if !ok {
		return -1
	}
	return int(rl.Cur) - used
}

// userTasks counts the threads of the processes of uid, from /proc.
func userTasks(uid int) (int, bool) {
	dir, err := os.Open("/proc")
	if err != nil {
		return 0, false
	}
	defer dir.Close()
	names, err := dir.Readdirnames(-1)
	if err != nil {
		return 0, false
	}
	n := 0
	for _, name := range names {
		if name[0] < '0' || name[0] > '9' {
			continue
		}
		fi, err := os.Stat("/proc/" + name)
		if err != nil {
			continue
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != uid {
			continue
		}
		n += threads(name)
	}
	return n, true
}

// threads reads the number of threads of process pid from
// /proc/PID/status; 1 when it cannot.
func threads(pid string) int {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 1
	}
	i := bytes.Index(b, []byte("\nThreads:"))
	if i < 0 {
		return 1
	}
	f := bytes.Fields(b[i+len("\nThreads:"):])
	if len(f) == 0 {
		return 1
	}
	t, err := strconv.Atoi(string(f[0]))
	if err != nil || t < 1 {
		return 1
	}
	return t
}
