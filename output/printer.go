package output

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gopool/gopool/output/spool"
)

// Job is a finished job as the Printer sees it.
type Job struct {
	// Seq is the job number, 1 for the first job ("seq" in JSON).
	Seq int64
	// Input is the job's records or arguments ("input").
	Input []string
	// Argv is the command that ran ("argv").
	Argv []string
	// ExitCode is the exit status, -1 when a signal ended the job
	// ("exit_code").
	ExitCode int
	// Signal is the number of the signal that ended the job, 0 if none
	// ("signal").
	Signal int
	// TimedOut is true when the job was stopped by its timeout
	// ("timed_out").
	TimedOut bool
	// Start is when the job started ("start"); Duration how long it ran
	// ("duration_s", in seconds).
	Start    time.Time
	Duration time.Duration
	// Stdout and Stderr hold the job's output; nil means none. Print
	// reads them but does not close them.
	Stdout spool.Content
	Stderr spool.Content
	// Tag prefixes each output line followed by a TAB when Config.Tag is
	// set (the caller expands --tagstring or joins the input).
	Tag string
}

// Config says how the Printer writes.
type Config struct {
	// Stdout and Stderr are gopool's own streams.
	Stdout, Stderr io.Writer
	// Tag prefixes every line of output with Job.Tag and a TAB.
	Tag bool
	// JSON writes one JSON object per job on Stdout instead of raw output:
	// {"seq","input","argv","exit_code","signal","timed_out","start"
	// (RFC 3339),"duration_s","stdout","stderr"}; output that is not valid
	// UTF-8 goes in "stdout_base64" / "stderr_base64" instead.
	JSON bool
}

// Printer writes finished jobs. Print is called from one goroutine at a
// time.
//
// In tag mode the last line of a block gets the tag but no newline is
// added, as with GNU parallel --tag. In JSON mode "start" is RFC 3339 with
// nanoseconds in the time's own location, and strings of Input and Argv
// that are not valid UTF-8 have their bad bytes replaced by U+FFFD (the
// output itself is never altered: it goes to the *_base64 field instead).
// Output is streamed from the buffers: a job that printed 1 GiB does not
// need 1 GiB of memory.
type Printer struct {
	cfg  Config
	bw   *bufio.Writer // reset to the destination of each block
	buf  []byte        // read scratch for spilled output
	tmp  []byte        // scratch for small JSON pieces
	werr error         // the write error seen while streaming
}

// NewPrinter returns a Printer.
func NewPrinter(cfg Config) *Printer {
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	return &Printer{cfg: cfg}
}

// Print writes one job: its stdout block to Config.Stdout, then its stderr
// block to Config.Stderr (or one JSON line). A write error (EPIPE when the
// reader went away, a read error of a spilled buffer) is returned; the
// caller stops the run.
func (p *Printer) Print(j *Job) error {
	p.werr = nil
	if p.cfg.JSON {
		return p.printJSON(j)
	}
	if err := p.block(j, j.Stdout, p.cfg.Stdout, "stdout"); err != nil {
		return err
	}
	return p.block(j, j.Stderr, p.cfg.Stderr, "stderr")
}

// block writes one stream of a job, raw or tagged.
func (p *Printer) block(j *Job, b spool.Content, w io.Writer, name string) error {
	if b == nil || (b.Len() == 0 && b.Err() == nil) {
		return nil
	}
	if !p.cfg.Tag {
		if _, err := p.copyTo(w, b); err != nil {
			return p.streamError(j, name, b, err)
		}
		return nil
	}
	bw := p.writer(w)
	atStart := true
	err := b.Chunks(&p.buf, func(c []byte) error {
		for len(c) > 0 {
			if atStart {
				bw.WriteString(j.Tag)
				bw.WriteByte('\t')
				atStart = false
			}
			i := bytes.IndexByte(c, '\n')
			if i < 0 {
				bw.Write(c)
				break
			}
			bw.Write(c[:i+1])
			c = c[i+1:]
			atStart = true
		}
		return p.checkWrite(name)
	})
	if err == nil {
		err = p.flush(name)
	}
	if err != nil {
		return p.streamError(j, name, b, err)
	}
	return nil
}

// writer returns the Printer's buffered writer, reset to w.
func (p *Printer) writer(w io.Writer) *bufio.Writer {
	if p.bw == nil {
		p.bw = bufio.NewWriterSize(w, copyBufSize)
	} else {
		p.bw.Reset(w)
	}
	p.werr = nil
	return p.bw
}

// checkWrite records and returns the buffered writer's sticky error (an
// empty Write reports it).
func (p *Printer) checkWrite(name string) error {
	if p.werr == nil {
		if _, err := p.bw.Write(nil); err != nil {
			p.werr = fmt.Errorf("write %s: %w", name, err)
		}
	}
	return p.werr
}

func (p *Printer) flush(name string) error {
	if err := p.bw.Flush(); err != nil {
		p.werr = fmt.Errorf("write %s: %w", name, err)
		return p.werr
	}
	return nil
}

// streamError labels err: write errors are returned as is ("write stdout:
// broken pipe"), read and spill errors name the job and stream.
func (p *Printer) streamError(j *Job, name string, b spool.Content, err error) error {
	if p.werr != nil {
		return p.werr
	}
	if b.Err() != nil || spool.IsReadError(err) {
		return fmt.Errorf("job %d %s: %w", j.Seq, name, err)
	}
	return fmt.Errorf("write %s: %w", name, err)
}

// printJSON writes one JSON object on one line.
func (p *Printer) printJSON(j *Job) error {
	bw := p.writer(p.cfg.Stdout)
	t := p.tmp[:0]
	t = append(t, `{"seq":`...)
	t = strconv.AppendInt(t, j.Seq, 10)
	t = append(t, `,"input":`...)
	t = appendStrings(t, j.Input)
	t = append(t, `,"argv":`...)
	t = appendStrings(t, j.Argv)
	t = append(t, `,"exit_code":`...)
	t = strconv.AppendInt(t, int64(j.ExitCode), 10)
	t = append(t, `,"signal":`...)
	t = strconv.AppendInt(t, int64(j.Signal), 10)
	t = append(t, `,"timed_out":`...)
	t = strconv.AppendBool(t, j.TimedOut)
	t = append(t, `,"start":"`...)
	t = j.Start.AppendFormat(t, time.RFC3339Nano)
	t = append(t, `","duration_s":`...)
	t = strconv.AppendFloat(t, j.Duration.Seconds(), 'f', -1, 64)
	p.tmp = t
	bw.Write(t)
	if err := p.jsonStream(j, j.Stdout, "stdout"); err != nil {
		return err
	}
	if err := p.jsonStream(j, j.Stderr, "stderr"); err != nil {
		return err
	}
	bw.WriteString("}\n")
	return p.flush("stdout")
}

// jsonStream writes `,"name":"..."` or `,"name_base64":"..."`, streaming
// the content.
func (p *Printer) jsonStream(j *Job, b spool.Content, name string) error {
	bw := p.bw
	if b == nil || (b.Len() == 0 && b.Err() == nil) {
		writeKey(bw, name, "")
		bw.WriteString(`""`)
		return nil
	}
	var check utf8Check
	err := b.Chunks(&p.buf, func(c []byte) error {
		check.write(c)
		if !check.ok {
			return errInvalidUTF8
		}
		return nil
	})
	if err != nil && err != errInvalidUTF8 {
		return p.streamError(j, name, b, err)
	}
	if check.valid() {
		writeKey(bw, name, "")
		bw.WriteByte('"')
		err = b.Chunks(&p.buf, func(c []byte) error {
			writeJSONBytes(bw, c)
			return p.checkWrite("stdout")
		})
	} else {
		writeKey(bw, name, "_base64")
		bw.WriteByte('"')
		enc := base64.NewEncoder(base64.StdEncoding, bw)
		err = b.Chunks(&p.buf, func(c []byte) error {
			enc.Write(c)
			return p.checkWrite("stdout")
		})
		if err == nil {
			enc.Close()
			err = p.checkWrite("stdout")
		}
	}
	if err != nil {
		return p.streamError(j, name, b, err)
	}
	bw.WriteByte('"')
	return nil
}

// writeKey writes `,"name suffix":`.
func writeKey(w *bufio.Writer, name, suffix string) {
	w.WriteString(`,"`)
	w.WriteString(name)
	w.WriteString(suffix)
	w.WriteString(`":`)
}

// utf8Check validates UTF-8 given in pieces that may split a rune.
type utf8Check struct {
	carry [utf8.UTFMax]byte
	n     int
	ok    bool
	init  bool
}

func (c *utf8Check) write(p []byte) {
	if !c.init {
		c.ok, c.init = true, true
	}
	if !c.ok {
		return
	}
	if c.n > 0 {
		for c.n < utf8.UTFMax && len(p) > 0 && !utf8.FullRune(c.carry[:c.n]) {
			c.carry[c.n] = p[0]
			c.n++
			p = p[1:]
		}
		if !utf8.FullRune(c.carry[:c.n]) {
			return
		}
		if r, size := utf8.DecodeRune(c.carry[:c.n]); r == utf8.RuneError && size <= 1 || size != c.n {
			c.ok = false
			return
		}
		c.n = 0
	}
	cut := incompleteTail(p)
	if !utf8.Valid(p[:cut]) {
		c.ok = false
		return
	}
	c.n = copy(c.carry[:], p[cut:])
}

// valid reports whether everything written was valid UTF-8.
func (c *utf8Check) valid() bool { return (c.ok || !c.init) && c.n == 0 }

// incompleteTail returns where a rune cut by the end of p starts, or
// len(p).
func incompleteTail(p []byte) int {
	for i := len(p) - 1; i >= 0 && i >= len(p)-(utf8.UTFMax-1); i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				return i
			}
			break
		}
	}
	return len(p)
}

var errInvalidUTF8 = errors.New("output: invalid UTF-8")

const hexDigits = "0123456789abcdef"

// writeJSONBytes writes valid UTF-8 escaped for a JSON string. Only ASCII
// bytes need escaping, so p may end in the middle of a rune.
func writeJSONBytes(w *bufio.Writer, p []byte) {
	start := 0
	for i, c := range p {
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		w.Write(p[start:i])
		switch c {
		case '"', '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		case '\n':
			w.WriteString(`\n`)
		case '\r':
			w.WriteString(`\r`)
		case '\t':
			w.WriteString(`\t`)
		default:
			w.WriteString(`\u00`)
			w.WriteByte(hexDigits[c>>4])
			w.WriteByte(hexDigits[c&0xf])
		}
		start = i + 1
	}
	w.Write(p[start:])
}

// appendStrings appends a JSON array of strings; bytes that are not valid
// UTF-8 become U+FFFD, as with encoding/json.
func appendStrings(t []byte, ss []string) []byte {
	t = append(t, '[')
	for i, s := range ss {
		if i > 0 {
			t = append(t, ',')
		}
		t = appendString(t, s)
	}
	return append(t, ']')
}

func appendString(t []byte, s string) []byte {
	t = append(t, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				t = append(t, '\\', c)
			case c == '\n':
				t = append(t, '\\', 'n')
			case c == '\r':
				t = append(t, '\\', 'r')
			case c == '\t':
				t = append(t, '\\', 't')
			case c < 0x20:
				t = append(t, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				t = append(t, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			t = append(t, `\ufffd`...)
		} else {
			t = append(t, s[i:i+size]...)
		}
		i += size
	}
	return append(t, '"')
}

// copyBufSize is the size of the Printer's buffered writer, and of the
// pieces spilled output is read in.
const copyBufSize = spool.ChunkSize

// copyTo writes b to w raw: through the kernel when w is a file or a pipe,
// else in chunks through the Printer's scratch buffer.
func (p *Printer) copyTo(w io.Writer, b spool.Content) (int64, error) {
	if _, ok := w.(*os.File); ok {
		return b.WriteTo(w)
	}
	var n int64
	err := b.Chunks(&p.buf, func(c []byte) error {
		m, err := w.Write(c)
		n += int64(m)
		return err
	})
	return n, err
}
