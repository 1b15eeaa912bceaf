//go:build !unix

package report

// signalName is the name of signal n ("SIGKILL"), "" when it has none.
// Outside Unix only the numbers that POSIX fixes are known.
func signalName(n int) string {
	switch n {
	case 1:
		return "SIGHUP"
	case 2:
		return "SIGINT"
	case 3:
		return "SIGQUIT"
	case 6:
		return "SIGABRT"
	case 9:
		return "SIGKILL"
	case 14:
		return "SIGALRM"
	case 15:
		return "SIGTERM"
	}
	return ""
}
