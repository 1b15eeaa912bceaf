package cmd

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gopool/gopool/runner"
)

// joblogHeader is the first line of a joblog, GNU parallel's.
const joblogHeader = "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n"

// joblog writes one TAB-separated row per finished job, in GNU parallel's
// format. Each row goes out with one write(2) as its job ends, so a crash
// (even SIGKILL) of gopool loses no finished job, and with O_APPEND two
// runs appending to one joblog never tear each other's rows. write is
// called from one goroutine (the collector's).
type joblog struct {
	w    io.Writer
	f    *os.File // the file gopool opened, closed by close; nil for stdout
	path string
	buf  []byte
}

// joblogRow is one finished job as the joblog records it.
type joblogRow struct {
	seq      int64
	host     string // the login of the host that ran it; ":" is this machine
	start    time.Time
	runtime  time.Duration
	send     int64 // bytes fed to the job's input (pipe mode), and of files sent to its host
	receive  int64 // bytes of output, and of files brought back from its host
	exitCode int
	signal   int
	command  string
}

// openJoblog opens path for the joblog: truncated, or appended to with
// appendTo (--joblog +FILE, --resume). "-" and /dev/stdout are gopool's
// stdout, /dev/stderr its stderr. A pipe, a FIFO or a terminal is written
// as it is. A regular file gets the header when it is empty; a torn last
// row (gopool killed in the middle of a write) is ended with a newline
// before appending, and readJoblog skips it.
func openJoblog(path string, appendTo bool, stdout, stderr io.Writer) (*joblog, error) {
	switch path {
	case "-", "/dev/stdout":
		return newStreamJoblog(stdout, path)
	case "/dev/stderr":
		return newStreamJoblog(stderr, path)
	}
	flag := os.O_RDWR | os.O_CREATE | os.O_TRUNC
	if appendTo {
		flag = os.O_RDWR | os.O_CREATE | os.O_APPEND
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		flag = os.O_WRONLY // a FIFO, a pipe, a terminal: no reading, no truncating
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open joblog: %w", err)
	}
	l := &joblog{w: f, f: f, path: path}
	if err := l.start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("joblog %s: %w", path, err)
	}
	return l, nil
}

// newStreamJoblog is a joblog on one of gopool's own streams.
func newStreamJoblog(w io.Writer, path string) (*joblog, error) {
	if _, err := io.WriteString(w, joblogHeader); err != nil {
		return nil, fmt.Errorf("joblog %s: %w", path, err)
	}
	return &joblog{w: w, path: path}, nil
}

// start writes the header, or ends a torn last row, as the file needs.
func (l *joblog) start() error {
	fi, err := l.f.Stat()
	if err != nil {
		return err
	}
	switch {
	case !fi.Mode().IsRegular(), fi.Size() == 0:
		_, err = l.f.WriteString(joblogHeader)
		return err
	}
	last := make([]byte, 1)
	if _, err := l.f.ReadAt(last, fi.Size()-1); err != nil {
		return err
	}
	if last[0] != '\n' {
		_, err = l.f.WriteString("\n")
	}
	return err
}

// write appends one row with a single write.
func (l *joblog) write(r *joblogRow) error {
	b := l.buf[:0]
	b = strconv.AppendInt(b, r.seq, 10)
	b = append(b, '\t')
	b = append(b, cmp.Or(r.host, ":")...)
	b = append(b, '\t')
	b = appendSeconds(b, float64(r.start.UnixNano())/1e9, 0)
	b = append(b, '\t')
	b = appendSeconds(b, r.runtime.Seconds(), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, r.send, 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, r.receive, 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(r.exitCode), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(r.signal), 10)
	b = append(b, '\t')
	b = append(b, joblogCommand(r.command)...)
	b = append(b, '\n')
	l.buf = b
	if _, err := l.w.Write(b); err != nil {
		return fmt.Errorf("write joblog %s: %w", l.path, err)
	}
	return nil
}

// appendSeconds appends s with 3 decimals, right-aligned in width (GNU
// parallel's %10.3f for the runtime).
func appendSeconds(b []byte, s float64, width int) []byte {
	var tmp [32]byte
	t := strconv.AppendFloat(tmp[:0], s, 'f', 3, 64)
	for i := len(t); i < width; i++ {
		b = append(b, ' ')
	}
	return append(b, t...)
}

// joblogCommand makes a command fit on one line, as GNU parallel does:
// newlines become NUL bytes.
func joblogCommand(cmd string) string {
	if strings.IndexByte(cmd, '\n') < 0 {
		return cmd
	}
	return strings.ReplaceAll(cmd, "\n", "\x00")
}

// close closes the joblog's file; closing it again does nothing.
func (l *joblog) close() error {
	if l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	if err := f.Close(); err != nil {
		return fmt.Errorf("close joblog %s: %w", l.path, err)
	}
	return nil
}

// loggedJob is what resume needs of a job in an earlier joblog.
type loggedJob struct {
	command string
	ok      bool // exit 0, no signal
}

// readJoblog reads the jobs of an earlier run, by job number; the last
// row of a number wins (--resume-failed appends a new one). A job gopool
// stopped (Exitval -1: Ctrl-C, SIGTERM, --halt now, --timeout) did not
// finish: it is left out, so that it runs again. A missing file is an
// empty log. Header lines and torn rows (a number, then fewer than 9
// fields: gopool was killed in the middle of a write) are skipped; any
// other line that is not a joblog row is an error.
func readJoblog(path string) (map[int64]loggedJob, error) {
	jobs := make(map[int64]loggedJob)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return jobs, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read joblog: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read joblog %s: %w", path, err)
		}
		if line == "" {
			return jobs, nil
		}
		last := err != nil
		line = strings.TrimSuffix(line, "\n")
		if strings.HasPrefix(line, "Seq\t") {
			continue
		}
		f := strings.SplitN(line, "\t", 9)
		seq, err1 := strconv.ParseInt(f[0], 10, 64)
		if len(f) != 9 || last {
			if err1 == nil {
				continue // a torn row
			}
			return nil, fmt.Errorf("joblog %s line %d: not a joblog row (want 9 TAB-separated fields)", path, n)
		}
		exit, err2 := strconv.Atoi(strings.TrimSpace(f[6]))
		sig, err3 := strconv.Atoi(strings.TrimSpace(f[7]))
		if err1 != nil || err2 != nil || err3 != nil || seq < 1 {
			return nil, fmt.Errorf("joblog %s line %d: bad Seq, Exitval or Signal", path, n)
		}
		if exit == -1 {
			delete(jobs, seq) // stopped by gopool: not done
			continue
		}
		jobs[seq] = loggedJob{command: f[8], ok: exit == 0 && sig == 0}
	}
}

// joblogExit is a job's Exitval in the joblog, as GNU parallel writes it:
// -1 for a job gopool stopped, else the exit status (0 when a signal the
// job did not get from gopool ended it).
func joblogExit(res runner.Result) int {
	switch {
	case res.Stopped:
		return -1
	case res.Signal != 0:
		return 0
	}
	return res.ExitCode
}
