package remote

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gopool/gopool/runner"
)

// The wrapper's protocol. Every marker carries the run's nonce, so that a
// job printing marker text with another nonce is left alone.
//
//	start: "##gopool:NONCE:start##\n" first on stdout and on stderr, before
//	       the job starts; whatever comes before it (login noise, ssh's own
//	       errors) is not the job's output.
//	exit:  "\n##gopool:NONCE:exit:STATUS##\n" on stderr when the job's
//	       leader has been reaped; STATUS is sh's $? (128+N for signal N).
//	probe: "##gopool:NONCE:probe##\n" on stdout after the probe's lines.
//
// The lifeline is the wrapper's stdin after the script: a line SEQ runs the
// termination sequence, a signal name (TERM, KILL, STOP, CONT...) sends
// that signal to the job's process group, EOF runs the termination
// sequence. TSTP, TTIN and TTOU are sent as STOP: the job's group is
// orphaned (its session is its own), and the kernel discards those three
// for an orphaned group. gopool writes lifeline lines only after it has seen the start
// marker: by then sh has read the whole script, so no line can be taken
// for script text (dash reads its input in blocks).
const (
	markerOpen  = "##gopool:"
	markerClose = "##"
)

func startMarker(nonce string) string { return markerOpen + nonce + ":start" + markerClose + "\n" }

func exitPrefix(nonce string) string { return "\n" + markerOpen + nonce + ":exit:" }

func probeMarker(nonce string) string { return markerOpen + nonce + ":probe" + markerClose + "\n" }

// remoteCommand is the only command the remote login shell ever parses.
const remoteCommand = "exec /bin/sh -s"

// shQuote quotes s as one POSIX sh word: every byte but ' stands for itself
// inside single quotes, newlines and NUL-free binary included.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// groupTool says how the wrapper puts the job in a process group of its
// own: the setsid command when the host has it, perl's setsid otherwise,
// else the shell's job control (set -m).
type groupTool int

const (
	groupSetsid groupTool = iota
	groupPerl
	groupJobControl
)

// jobScript is what the wrapper needs to run one job.
type jobScript struct {
	nonce string
	argv  []string
	env   [][2]string // name, value; names already checked
	dir   string      // remote working directory; "" is the login directory
	seq   runner.TermSeq
	group groupTool
}

// pollInterval is how often the remote termination sequence checks
// whether the job's group is gone.
const pollInterval = 50 * time.Millisecond

// signalNames are the signals the lifeline carries, by name: the numbers
// differ between systems, the names do not.
var signalNames = map[syscall.Signal]string{
	syscall.SIGHUP: "HUP", syscall.SIGINT: "INT", syscall.SIGQUIT: "QUIT",
	syscall.SIGKILL: "KILL", syscall.SIGTERM: "TERM", syscall.SIGALRM: "ALRM",
	syscall.SIGPIPE: "PIPE", syscall.SIGABRT: "ABRT",
}

// signalName returns the name of sig for the lifeline.
func signalName(sig syscall.Signal) (string, bool) {
	if n, ok := signalNames[sig]; ok {
		return n, true
	}
	return unixSignalName(sig)
}

// seqWords writes the termination sequence as sh words: signal name,
// number of polls to wait.
func seqWords(seq runner.TermSeq) (string, error) {
	if len(seq) == 0 {
		seq = runner.DefaultTermSeq
	}
	var w []string
	for _, st := range seq {
		name, ok := signalName(st.Signal)
		if !ok {
			return "", fmt.Errorf("signal %d cannot be sent to a remote job", int(st.Signal))
		}
		polls := int((st.Wait + pollInterval - 1) / pollInterval)
		w = append(w, name, strconv.Itoa(polls))
	}
	return strings.Join(w, " "), nil
}

// script returns the wrapper for one job.
func (j *jobScript) script() (string, error) {
	seq, err := seqWords(j.seq)
	if err != nil {
		return "", err
	}
	if len(j.argv) == 0 {
		return "", fmt.Errorf("empty command")
	}
	var b strings.Builder
	// One compound command: sh reads all of it before running any of it.
	b.WriteString("{\n")
	fmt.Fprintf(&b, "__n=%s\n", j.nonce)
	b.WriteString("printf '%s\\n' \"##gopool:$__n:start##\"\n")
	b.WriteString("printf '%s\\n' \"##gopool:$__n:start##\" >&2\n")
	// The lifeline moves to fd 3 here: an async list's stdin is /dev/null.
	b.WriteString("exec 3<&0 </dev/null\n")
	// __k signals the job's group; right after the job was forked, the
	// group may not exist yet (setsid has not run): the job's process
	// itself is signalled then.
	b.WriteString(`__k() { kill -s "$1" -- "-$__p" 2>/dev/null || kill -s "$1" "$__p" 2>/dev/null; }
__seq() {
	set -- ` + seq + `
	while [ $# -ge 2 ]; do
		__k "$1" || return 0
		[ "$1" = KILL ] && return 0
		case $1 in STOP|TSTP|TTIN|TTOU|CONT) ;; *) __k CONT ;; esac
		__i=$2
		while [ "$__i" -gt 0 ] && __k 0; do sleep 0.05; __i=$((__i - 1)); done
		__k 0 || return 0
		shift 2
	done
	__k KILL
	return 0
}
`)
	for _, kv := range j.env {
		fmt.Fprintf(&b, "%s=%s; export %s\n", kv[0], shQuote(kv[1]), kv[0])
	}
	if j.dir != "" {
		q := shQuote(j.dir)
		fmt.Fprintf(&b, "mkdir -p -- %s 2>/dev/null; cd -- %s || { printf '\\n%%s\\n' \"##gopool:$__n:exit:1##\" >&2; exit 1; }\n", q, q)
	}
	b.WriteString("set --")
	for _, a := range j.argv {
		b.WriteString(" ")
		b.WriteString(shQuote(a))
	}
	b.WriteString("\n")
	switch j.group {
	case groupSetsid:
		b.WriteString("setsid \"$@\" 3<&- &\n")
	case groupPerl:
		b.WriteString("perl -e 'use POSIX; POSIX::setsid(); exec {$ARGV[0]} @ARGV or exit 127' -- \"$@\" 3<&- &\n")
	default:
		b.WriteString("set -m\n\"$@\" 3<&- &\n")
	}
	b.WriteString("__p=$!\n")
	b.WriteString(`(
	while IFS= read -r __l; do
		case $__l in
		SEQ) __seq & ;;
		TSTP|TTIN|TTOU) __k STOP ;;
		[A-Z]*) __k "$__l" ;;
		esac
	done
	__seq
) <&3 >/dev/null 2>&1 &
__r=$!
exec 3<&-
wait "$__p"
__s=$?
printf '\n%s\n' "##gopool:$__n:exit:$__s##" >&2
kill -s 0 -- "-$__p" 2>/dev/null || kill "$__r" 2>/dev/null
exit 0
}
`)
	return b.String(), nil
}

// probeScript returns the script a new connection runs first: it prints
// what gopool needs to know of the host, then the probe marker, then
// holds the session open until its stdin closes (for a ControlMaster,
// whose first session this is).
func probeScript(nonce string) string {
	return `{
printf 'cores=%s\n' "$( (nproc || getconf _NPROCESSORS_ONLN || sysctl -n hw.ncpu) 2>/dev/null | head -n 1)"
command -v setsid >/dev/null 2>&1 && echo setsid=1
command -v perl >/dev/null 2>&1 && echo perl=1
command -v rsync >/dev/null 2>&1 && echo rsync=1
command -v tar >/dev/null 2>&1 && echo tar=1
printf 'home=%s\n' "$HOME"
printf 'tmp=%s\n' "${TMPDIR:-/tmp}"
printf '%s\n' "##gopool:` + nonce + `:probe##"
while read -r __l; do :; done
exit 0
}
`
}
