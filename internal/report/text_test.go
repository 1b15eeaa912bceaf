package report

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func xmlText(p []byte, attr bool) string {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	writeXML(w, p, attr)
	w.Flush()
	return b.String()
}

func TestWriteXML(t *testing.T) {
	tests := []struct {
		name string
		in   string
		attr bool
		want string
	}{
		{name: "plain", in: "hello, world\n", want: "hello, world\n"},
		{name: "markup", in: `<a href="x">&amp;</a> ]]>`, want: `&lt;a href="x"&gt;&amp;amp;&lt;/a&gt; ]]&gt;`},
		{name: "quotes in text stay", in: `"it's"`, want: `"it's"`},
		{name: "quotes in attribute", in: `a<b&c"d'e`, attr: true, want: `a&lt;b&amp;c&quot;d&apos;e`},
		{name: "tab and newline in text", in: "a\tb\nc", want: "a\tb\nc"},
		{name: "tab and newline in attribute", in: "a\tb\nc", attr: true, want: "a&#x9;b&#xA;c"},
		{name: "CR kept as reference", in: "a\r\nb", want: "a&#xD;\nb"},
		{name: "NUL and ESC", in: "a\x00b\x1b[31mred\x1b[0m", want: `a\x00b\x1b[31mred\x1b[0m`},
		{name: "all forbidden C0", in: "\x01\x08\x0b\x0c\x0e\x1f", want: `\x01\x08\x0b\x0c\x0e\x1f`},
		{name: "DEL and C1 allowed", in: "\x7f\u0085\u009b", want: "\x7f\u0085\u009b"},
		{name: "invalid UTF-8", in: "a\xffb\xc3", want: "a\uFFFDb\uFFFD"},
		{name: "truncated rune then ASCII", in: "\xe2\x82x", want: "\uFFFD\uFFFDx"},
		{name: "surrogate encoded", in: "\xed\xa0\x80", want: "\uFFFD\uFFFD\uFFFD"},
		{name: "noncharacters FFFE FFFF", in: "\uFFFE\uFFFF", want: "\uFFFD\uFFFD"},
		{name: "valid multibyte", in: "é€𝄞", want: "é€𝄞"},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := xmlText([]byte(tt.in), tt.attr); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzWriteXML checks that whatever the bytes, the escaped text is valid
// UTF-8 that encoding/xml reads back, as text and as an attribute.
func FuzzWriteXML(f *testing.F) {
	for _, s := range []string{"", "a\x00b", "]]>", "\xff\xfe", "\r\n", "<&\"'>", "\uFFFE", "\xed\xa0\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		text, attr := xmlText(p, false), xmlText(p, true)
		if !utf8.ValidString(text) || !utf8.ValidString(attr) {
			t.Fatalf("invalid UTF-8: %q %q", text, attr)
		}
		doc := `<r a="` + attr + `">` + text + `</r>`
		var v struct {
			A    string `xml:"a,attr"`
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		if v.A != v.Text {
			t.Fatalf("attribute %q and text %q differ", v.A, v.Text)
		}
		if utf8.Valid(p) && !bytes.ContainsFunc(p, func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
		}) && v.Text != string(p) {
			t.Fatalf("valid text %q came back as %q", p, v.Text)
		}
	})
}

func TestOneLine(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{name: "fits", in: "abc", max: 3, want: "abc"},
		{name: "cut", in: "abcdef", max: 4, want: "abc…"},
		{name: "controls", in: "a\tb\nc\r\x1b\x7f\u009b", max: 80, want: `a\tb\nc\r\x1b\x7f\u009b`},
		{name: "escape not split", in: "ab\x1bcd", max: 4, want: "ab…"},
		{name: "invalid UTF-8", in: "a\xffb", max: 10, want: "a\uFFFDb"},
		{name: "runes counted", in: "éééé", max: 3, want: "éé…"},
		{name: "zero", in: "abc", max: 0, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := oneLine(tt.in, tt.max); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLastLines(t *testing.T) {
	tests := []struct {
		name            string
		in              string
		lines, maxBytes int
		want            string
	}{
		{name: "all", in: "a\nb\n", lines: 5, maxBytes: 100, want: "a\nb"},
		{name: "last two lines", in: "1\n2\n3\n4\n", lines: 2, maxBytes: 100, want: "3\n4"},
		{name: "no final newline", in: "1\n2\n3", lines: 2, maxBytes: 100, want: "2\n3"},
		{name: "bytes bound", in: "abcdefgh", lines: 5, maxBytes: 3, want: "fgh"},
		{name: "bytes bound at rune boundary", in: "aéé", lines: 5, maxBytes: 3, want: "é"},
		{name: "empty", in: "", lines: 5, maxBytes: 100, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(lastLines([]byte(tt.in), tt.lines, tt.maxBytes)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// onlyReader hides every method but Read, so the clipper streams.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// TestClipper checks head and tail against a direct computation for many
// sizes and limits, streamed in small reads and read at offsets.
func TestClipper(t *testing.T) {
	var c clipper
	for _, limit := range []int64{1, 2, 7, 64} {
		for size := 0; size <= 3*int(limit)+5; size++ {
			data := make([]byte, size)
			for i := range data {
				data[i] = 'a' + byte(i%26)
			}
			wantHead, wantTail, wantCut := data, []byte(nil), false
			if int64(size) > limit {
				wantHead, wantTail, wantCut = data[:limit/2], data[int64(size)-(limit-limit/2):], true
			}
			for _, kind := range []string{"stream", "readerAt"} {
				var r io.Reader = bytes.NewReader(data)
				if kind == "stream" {
					r = onlyReader{io.LimitReader(&chunky{r: bytes.NewReader(data), n: 3}, int64(size))}
				}
				got := c.read(r, limit)
				if got.err != nil || got.cut != wantCut || got.total != int64(size) ||
					!bytes.Equal(got.head, wantHead) || !bytes.Equal(got.tail, wantTail) {
					t.Fatalf("%s limit %d size %d: got head %q tail %q cut %v total %d err %v, want %q %q %v %d",
						kind, limit, size, got.head, got.tail, got.cut, got.total, got.err, wantHead, wantTail, wantCut, size)
				}
			}
		}
	}
}

// chunky returns at most n bytes per Read.
type chunky struct {
	r io.Reader
	n int
}

func (c *chunky) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

func TestClipperRuneBoundaries(t *testing.T) {
	var c clipper
	// 9 runes of 2 bytes; limit 9: head 4 bytes, tail 5 bytes, the tail's
	// first byte is the end of a rune and is dropped.
	s := strings.Repeat("é", 9)
	for _, r := range []io.Reader{strings.NewReader(s), onlyReader{strings.NewReader(s)}} {
		got := c.read(r, 9)
		if string(got.head) != "éé" || string(got.tail) != "éé" || got.total != 18 || !got.cut {
			t.Errorf("got head %q tail %q total %d cut %v, want %q %q 18 true", got.head, got.tail, got.total, got.cut, "éé", "éé")
		}
	}
	// Head cut inside a rune: limit 6 over "aé..." keeps "aé" (3 bytes).
	got := c.read(strings.NewReader("aéééééé"), 6)
	if string(got.head) != "aé" {
		t.Errorf("got head %q, want %q", got.head, "aé")
	}
}

// failingReader returns data, then an error.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestClipperReadError(t *testing.T) {
	boom := errors.New("boom")
	var c clipper
	got := c.read(&failingReader{data: []byte("abc"), err: boom}, 10)
	if string(got.head) != "abc" || !errors.Is(got.err, boom) {
		t.Errorf("short: got head %q err %v, want %q boom", got.head, got.err, "abc")
	}
	got = c.read(&failingReader{data: []byte("0123456789abcdef"), err: boom}, 4)
	if string(got.head) != "01" || string(got.tail) != "ef" || !got.cut || !errors.Is(got.err, boom) {
		t.Errorf("long: got head %q tail %q cut %v err %v, want 01 ef true boom", got.head, got.tail, got.cut, got.err)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{in: "0", want: 0},
		{in: "65536", want: 65536},
		{in: "64K", want: 64 << 10},
		{in: "64k", want: 64 << 10},
		{in: "64KiB", want: 64 << 10},
		{in: "64kb", want: 64 << 10},
		{in: "1M", want: 1 << 20},
		{in: "2GiB", want: 2 << 30},
		{in: " 10 B ", want: 10},
		{in: "", wantErr: true},
		{in: "K", wantErr: true},
		{in: "-1", wantErr: true},
		{in: "1.5M", wantErr: true},
		{in: "1T", wantErr: true},
		{in: "99999999999G", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Errorf("got %d, want an error", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %d, %v, want %d", got, err, tt.want)
			}
		})
	}
}

func TestFormatSize(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0"}, {1000, "1000"}, {1024, "1KiB"}, {64 << 10, "64KiB"}, {1 << 20, "1MiB"}, {3 << 30, "3GiB"}, {1536, "1536"},
	}
	for _, tt := range tests {
		if got := FormatSize(tt.in); got != tt.want {
			t.Errorf("FormatSize(%d): got %q, want %q", tt.in, got, tt.want)
		}
		if n, err := ParseSize(tt.want); err != nil || n != tt.in {
			t.Errorf("ParseSize(%q): got %d, %v, want %d", tt.want, n, err, tt.in)
		}
	}
}
