package cmd

import (
	"bufio"
	"bytes"
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
// format. Each row goes to the file with one write(2) as its job ends, so a
// crash (even SIGKILL) of gopool loses no finished job. write is called
// from one goroutine (the pool's emit goroutine).
type joblog struct {
	f    *os.File
	path string
	buf  []byte
}

// joblogRow is one finished job as the joblog records it.
type joblogRow struct {
	seq      int64
	start    time.Time
	runtime  time.Duration
	receive  int64 // bytes of output
	exitCode int
	signal   int
	command  string
}

// openJoblog opens path for the joblog: truncated, or appended to with
// appendTo (--joblog +FILE, --resume). The header is written when the file
// is empty. A torn last line (gopool killed in the middle of a write) is
// cut off before appending.
func openJoblog(path string, appendTo bool) (*joblog, error) {
	flag := os.O_WRONLY | os.O_CREATE
	if !appendTo {
		flag |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open joblog: %w", err)
	}
	size, err := f.Seek(0, io.SeekEnd)
	if err == nil && size > 0 {
		err = cutTornLine(f, path, size)
		size, _ = f.Seek(0, io.SeekEnd)
	}
	if err == nil && size == 0 {
		_, err = f.WriteString(joblogHeader)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("joblog %s: %w", path, err)
	}
	return &joblog{f: f, path: path}, nil
}

// cutTornLine truncates f (of size bytes) after its last newline.
func cutTornLine(f *os.File, path string, size int64) error {
	r, err := os.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	const chunk = 4096
	end := size
	buf := make([]byte, chunk)
	for end > 0 {
		off := max(end-chunk, 0)
		n, err := r.ReadAt(buf[:end-off], off)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			if off+int64(i)+1 == size {
				return nil
			}
			return f.Truncate(off + int64(i) + 1)
		}
		end = off
	}
	return f.Truncate(0)
}

// write appends one row with a single write.
func (l *joblog) write(r *joblogRow) error {
	b := l.buf[:0]
	b = strconv.AppendInt(b, r.seq, 10)
	b = append(b, "\t:\t"...)
	b = appendSeconds(b, float64(r.start.UnixNano())/1e9, 0)
	b = append(b, '\t')
	b = appendSeconds(b, r.runtime.Seconds(), 10)
	b = append(b, "\t0\t"...)
	b = strconv.AppendInt(b, r.receive, 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(r.exitCode), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(r.signal), 10)
	b = append(b, '\t')
	b = append(b, joblogCommand(r.command)...)
	b = append(b, '\n')
	l.buf = b
	if _, err := l.f.Write(b); err != nil {
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

// close closes the joblog; closing it again does nothing.
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
// row of a number wins (--resume-failed appends a new one). A missing file
// is an empty log. The header and a torn last line (no newline) are
// skipped; any other line that is not a joblog row is an error.
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
		if err != nil {
			if errors.Is(err, io.EOF) {
				return jobs, nil // a torn last line, if any, is dropped
			}
			return nil, fmt.Errorf("read joblog %s: %w", path, err)
		}
		line = strings.TrimSuffix(line, "\n")
		if n == 1 && strings.HasPrefix(line, "Seq\t") {
			continue
		}
		f := strings.SplitN(line, "\t", 9)
		if len(f) != 9 {
			return nil, fmt.Errorf("joblog %s line %d: not a joblog row (want 9 TAB-separated fields)", path, n)
		}
		seq, err1 := strconv.ParseInt(f[0], 10, 64)
		exit, err2 := strconv.Atoi(strings.TrimSpace(f[6]))
		sig, err3 := strconv.Atoi(strings.TrimSpace(f[7]))
		if err1 != nil || err2 != nil || err3 != nil || seq < 1 {
			return nil, fmt.Errorf("joblog %s line %d: bad Seq, Exitval or Signal", path, n)
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
