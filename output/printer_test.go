package output

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/gopool/gopool/output/spool"
)

// newFilled returns a Buffer with memLimit holding s.
func newFilled(t testing.TB, memLimit int, s string) *spool.Buffer {
	t.Helper()
	b := spool.NewBuffer(t.TempDir(), memLimit)
	if _, err := io.WriteString(b, s); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestPrintPlainAndTag(t *testing.T) {
	tests := []struct {
		name       string
		tag        bool
		memLimit   int
		stdout     string
		stderr     string
		wantStdout string
		wantStderr string
	}{
		{name: "plain", stdout: "x\ny\n", stderr: "e\n", wantStdout: "x\ny\n", wantStderr: "e\n"},
		{name: "plain empty", wantStdout: "", wantStderr: ""},
		{name: "plain spilled", memLimit: 3, stdout: "hello\nworld", stderr: "err", wantStdout: "hello\nworld", wantStderr: "err"},
		// As GNU parallel --tag -k: printf 'x\ny' gives "a\tx\na\ty".
		{name: "tag no trailing newline", tag: true, stdout: "x\ny", wantStdout: "a\tx\na\ty"},
		{name: "tag trailing newline", tag: true, stdout: "x\n\ny\n", stderr: "e1\ne2", wantStdout: "a\tx\na\t\na\ty\n", wantStderr: "a\te1\na\te2"},
		{name: "tag empty", tag: true, wantStdout: "", wantStderr: ""},
		{name: "tag only newline", tag: true, stdout: "\n", wantStdout: "a\t\n"},
		{name: "tag spilled across chunks", tag: true, memLimit: 4, stdout: "line one\nline two\nthree", wantStdout: "a\tline one\na\tline two\na\tthree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			memLimit := tt.memLimit
			if memLimit == 0 {
				memLimit = 1024
			}
			var stdout, stderr bytes.Buffer
			p := NewPrinter(Config{Stdout: &stdout, Stderr: &stderr, Tag: tt.tag})
			j := &Job{Seq: 1, Tag: "a", Stdout: newFilled(t, memLimit, tt.stdout), Stderr: newFilled(t, memLimit, tt.stderr)}
			if err := p.Print(j); err != nil {
				t.Fatal(err)
			}
			if got := stdout.String(); got != tt.wantStdout {
				t.Errorf("got stdout %q, want %q", got, tt.wantStdout)
			}
			if got := stderr.String(); got != tt.wantStderr {
				t.Errorf("got stderr %q, want %q", got, tt.wantStderr)
			}
		})
	}
}

func TestPrintTagLongSpilled(t *testing.T) {
	var in, want strings.Builder
	for i := range 20000 {
		line := strings.Repeat("x", i%50)
		in.WriteString(line + "\n")
		want.WriteString("t\t" + line + "\n")
	}
	in.WriteString("end")
	want.WriteString("t\tend")
	var out bytes.Buffer
	p := NewPrinter(Config{Stdout: &out, Tag: true})
	if err := p.Print(&Job{Tag: "t", Stdout: newFilled(t, 100, in.String())}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != want.String() {
		t.Errorf("got %d bytes, want %d", len(got), want.Len())
	}
}

func TestPrintNilBuffers(t *testing.T) {
	var out bytes.Buffer
	for _, cfg := range []Config{{Stdout: &out}, {Stdout: &out, Tag: true}, {Stdout: &out, JSON: true}} {
		if err := NewPrinter(cfg).Print(&Job{Seq: 3}); err != nil {
			t.Errorf("%+v: got %v, want nil", cfg, err)
		}
	}
}

// jsonJob is the JSON form of a job, as a reader would decode it.
type jsonJob struct {
	Seq          int64     `json:"seq"`
	Input        []string  `json:"input"`
	Argv         []string  `json:"argv"`
	ExitCode     int       `json:"exit_code"`
	Signal       int       `json:"signal"`
	TimedOut     bool      `json:"timed_out"`
	Start        time.Time `json:"start"`
	DurationS    float64   `json:"duration_s"`
	Stdout       *string   `json:"stdout"`
	Stderr       *string   `json:"stderr"`
	StdoutBase64 *string   `json:"stdout_base64"`
	StderrBase64 *string   `json:"stderr_base64"`
}

func TestPrintJSON(t *testing.T) {
	euroAtChunk := strings.Repeat("a", copyBufSize-1) + "€" + "tail"
	tests := []struct {
		name        string
		memLimit    int
		stdout      string
		stderr      string
		wantBase64  bool // stdout goes to stdout_base64
		wantErrB64  bool
		wantKeyList string
	}{
		{name: "empty", wantKeyList: "seq input argv exit_code signal timed_out start duration_s stdout stderr"},
		{name: "text", stdout: "héllo \"quoted\" \\ back\n\ttab\x01\x1f\x7f", stderr: "warn\r\n"},
		{name: "not utf-8", stdout: "ok\xff\xfe", wantBase64: true, wantKeyList: "seq input argv exit_code signal timed_out start duration_s stdout_base64 stderr"},
		{name: "truncated rune at end", stdout: "abc\xe2\x82", wantBase64: true},
		{name: "not utf-8 stderr spilled", memLimit: 2, stderr: "\x80abc", wantErrB64: true},
		{name: "rune across memory and file", memLimit: 5, stdout: "abcd€ef"},
		{name: "rune across read chunks", memLimit: 0, stdout: euroAtChunk},
		{name: "invalid across read chunks", memLimit: 0, stdout: euroAtChunk[:copyBufSize] + "x", wantBase64: true},
		{name: "large spilled", memLimit: 10, stdout: strings.Repeat("line\n", 100000)},
		{name: "html stays", stdout: "<a>&</a>"},
		{name: "line separators", stdout: "a\u2028b\u2029c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			p := NewPrinter(Config{Stdout: &out, Stderr: io.Discard, JSON: true})
			start := time.Date(2025, 11, 25, 12, 0, 0, 123456789, time.UTC)
			j := &Job{
				Seq: 7, Input: []string{"in put", "x\xffy"}, Argv: []string{"echo", "a\"b"},
				ExitCode: 2, Signal: 9, TimedOut: true, Start: start, Duration: 1500 * time.Millisecond,
				Stdout: newFilled(t, tt.memLimit, tt.stdout), Stderr: newFilled(t, tt.memLimit, tt.stderr),
			}
			if err := p.Print(j); err != nil {
				t.Fatal(err)
			}
			line := out.String()
			if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\n") {
				t.Fatalf("got %d newlines, want one line ending in a newline", strings.Count(line, "\n"))
			}
			if tt.wantKeyList != "" {
				if got := keys(t, line); got != tt.wantKeyList {
					t.Errorf("got keys %q, want %q", got, tt.wantKeyList)
				}
			}
			var got jsonJob
			if err := json.Unmarshal([]byte(line), &got); err != nil {
				t.Fatalf("decode: %v in %.200q", err, line)
			}
			wantInput := []string{"in put", "x\uFFFDy"}
			if got.Seq != 7 || got.ExitCode != 2 || got.Signal != 9 || !got.TimedOut || got.DurationS != 1.5 ||
				!got.Start.Equal(start) || strings.Join(got.Input, "|") != strings.Join(wantInput, "|") ||
				strings.Join(got.Argv, "|") != "echo|a\"b" {
				t.Errorf("got %+v, want the job's fields", got)
			}
			checkStream(t, "stdout", got.Stdout, got.StdoutBase64, tt.stdout, tt.wantBase64)
			checkStream(t, "stderr", got.Stderr, got.StderrBase64, tt.stderr, tt.wantErrB64)
		})
	}
}

// checkStream checks that exactly one of text and b64 is set, as wanted,
// and that it carries want.
func checkStream(t *testing.T, name string, text, b64 *string, want string, wantBase64 bool) {
	t.Helper()
	switch {
	case wantBase64 && (b64 == nil || text != nil):
		t.Errorf("%s: got text %v and base64 %v, want base64 only", name, text != nil, b64 != nil)
	case !wantBase64 && (text == nil || b64 != nil):
		t.Errorf("%s: got text %v and base64 %v, want text only", name, text != nil, b64 != nil)
	case wantBase64:
		dec, err := base64.StdEncoding.DecodeString(*b64)
		if err != nil || string(dec) != want {
			t.Errorf("%s: got %.80q (%v), want %.80q", name, dec, err, want)
		}
	default:
		if *text != want {
			t.Errorf("%s: got %.80q, want %.80q", name, *text, want)
		}
	}
}

// keys returns the top-level keys of a JSON object in order.
func keys(t *testing.T, line string) string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	var names []string
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tok.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return strings.Join(names, " ")
}

func TestUTF8CheckSplits(t *testing.T) {
	inputs := []string{"", "a", "é", "€uro", "a😀b", "\xff", "ab\xe2\x82", "\xe2\x82\xac\xe2", "\xed\xa0\x80", "x\xc0\xafy", "😀😀"}
	for _, in := range inputs {
		want := utf8.ValidString(in)
		for cut1 := 0; cut1 <= len(in); cut1++ {
			for cut2 := cut1; cut2 <= len(in); cut2++ {
				var c utf8Check
				c.write([]byte(in[:cut1]))
				c.write([]byte(in[cut1:cut2]))
				c.write([]byte(in[cut2:]))
				if got := c.valid(); got != want {
					t.Errorf("%q cut at %d, %d: got valid %v, want %v", in, cut1, cut2, got, want)
				}
			}
		}
	}
}

// failWriter fails every write with err after accepting ok bytes.
type failWriter struct {
	ok  int
	err error
}

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) <= w.ok {
		w.ok -= len(p)
		return len(p), nil
	}
	n := w.ok
	w.ok = 0
	return n, w.err
}

func TestPrintWriteError(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		memLimit int
		wantMsg  string
	}{
		{name: "plain", wantMsg: "write stdout: broken pipe"},
		{name: "plain spilled", memLimit: 10, wantMsg: "write stdout: broken pipe"},
		{name: "tag", cfg: Config{Tag: true}, wantMsg: "write stdout: broken pipe"},
		{name: "tag spilled", cfg: Config{Tag: true}, memLimit: 10, wantMsg: "write stdout: broken pipe"},
		{name: "json", cfg: Config{JSON: true}, wantMsg: "write stdout: broken pipe"},
		{name: "json spilled", cfg: Config{JSON: true}, memLimit: 10, wantMsg: "write stdout: broken pipe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			cfg.Stdout = &failWriter{ok: 100, err: syscall.EPIPE}
			cfg.Stderr = io.Discard
			big := strings.Repeat("some output\n", 20000)
			err := NewPrinter(cfg).Print(&Job{Seq: 4, Tag: "t", Stdout: newFilled(t, tt.memLimit, big)})
			if err == nil || err.Error() != tt.wantMsg || !errors.Is(err, syscall.EPIPE) {
				t.Errorf("got %v, want %q wrapping EPIPE", err, tt.wantMsg)
			}
		})
	}
}

// brokenContent is stored content that cannot be read: err, when set, is
// the content's own error (a spill that failed); else reads fail with
// readErr.
type brokenContent struct {
	err, readErr error
}

func (c brokenContent) Len() int64 { return 5 }
func (c brokenContent) Err() error { return c.err }
func (c brokenContent) Reader() io.Reader {
	return iotest.ErrReader(cmp.Or(c.err, c.readErr))
}
func (c brokenContent) WriteTo(io.Writer) (int64, error) { return 0, cmp.Or(c.err, c.readErr) }
func (c brokenContent) Chunks(_ *[]byte, _ func([]byte) error) error {
	return cmp.Or(c.err, c.readErr)
}
func (c brokenContent) Close() error { return nil }

func TestPrintReadError(t *testing.T) {
	for _, cfg := range []Config{{}, {Tag: true}, {JSON: true}} {
		b := brokenContent{readErr: &spool.ReadError{Err: syscall.EIO}}
		err := NewPrinter(Config{Stdout: io.Discard, Tag: cfg.Tag, JSON: cfg.JSON}).Print(&Job{Seq: 5, Stdout: b})
		want := "job 5 stdout: read spilled output: input/output error"
		if err == nil || err.Error() != want {
			t.Errorf("tag %v json %v: got %v, want %q", cfg.Tag, cfg.JSON, err, want)
		}
	}
}

func TestPrintSpillError(t *testing.T) {
	b := brokenContent{err: fmt.Errorf("spill to temp file: %w", syscall.ENOSPC)}
	for _, cfg := range []Config{{}, {Tag: true}, {JSON: true}} {
		err := NewPrinter(Config{Stdout: io.Discard, Tag: cfg.Tag, JSON: cfg.JSON}).Print(&Job{Seq: 6, Stderr: b})
		want := "job 6 stderr: spill to temp file: no space left on device"
		if err == nil || err.Error() != want {
			t.Errorf("tag %v json %v: got %v, want %q", cfg.Tag, cfg.JSON, err, want)
		}
	}
}

func BenchmarkPrintTag(b *testing.B) {
	out := strings.Repeat("a line of output of average length\n", 1000)
	buf := newFilled(b, 1<<20, out)
	p := NewPrinter(Config{Stdout: io.Discard, Stderr: io.Discard, Tag: true})
	j := &Job{Seq: 1, Tag: "input-value", Stdout: buf}
	b.ReportAllocs()
	b.SetBytes(int64(len(out)))
	for b.Loop() {
		if err := p.Print(j); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrintJSON(b *testing.B) {
	out := strings.Repeat("a line of \"output\" of average length\n", 1000)
	buf := newFilled(b, 1<<20, out)
	p := NewPrinter(Config{Stdout: io.Discard, Stderr: io.Discard, JSON: true})
	j := &Job{Seq: 1, Input: []string{"x"}, Argv: []string{"echo", "x"}, Stdout: buf}
	b.ReportAllocs()
	b.SetBytes(int64(len(out)))
	for b.Loop() {
		if err := p.Print(j); err != nil {
			b.Fatal(err)
		}
	}
}
