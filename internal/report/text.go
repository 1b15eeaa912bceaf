package report

import (
	"bufio"
	"strings"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// replacement is U+FFFD in UTF-8.
const replacement = "\uFFFD"

// writeXML writes p escaped for XML 1.0 character data, or for an
// attribute value in double quotes when attr is set, whatever the bytes:
//
//   - <, & and > become &lt; &amp; &gt; (so "]]>" is harmless too); in
//     attributes " and ' become &quot; &apos;.
//   - CR becomes &#xD; so that a parser does not turn it into LF; in
//     attributes TAB and LF become &#x9; and &#xA; too.
//   - The other C0 control characters, which XML 1.0 forbids even as
//     character references, become the visible text \xNN (ESC is \x1b,
//     NUL is \x00): the reader sees what was there.
//   - Each byte that is not part of valid UTF-8 becomes U+FFFD, as do
//     U+FFFE and U+FFFF, which XML 1.0 forbids.
//
// Everything else, DEL and C1 controls included (XML 1.0 allows them),
// is copied as is.
func writeXML(w *bufio.Writer, p []byte, attr bool) {
	start := 0
	for i := 0; i < len(p); {
		c := p[i]
		var esc string
		size := 1
		switch {
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(p[i:])
			size = n
			if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
				esc = replacement
			}
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '&':
			esc = "&amp;"
		case c == '\r':
			esc = "&#xD;"
		case attr && c == '"':
			esc = "&quot;"
		case attr && c == '\'':
			esc = "&apos;"
		case attr && c == '\t':
			esc = "&#x9;"
		case attr && c == '\n':
			esc = "&#xA;"
		case c < 0x20 && c != '\t' && c != '\n':
			w.Write(p[start:i])
			w.WriteString(`\x`)
			w.WriteByte(hexDigits[c>>4])
			w.WriteByte(hexDigits[c&0xf])
			i++
			start = i
			continue
		}
		if esc != "" {
			w.Write(p[start:i])
			w.WriteString(esc)
			start = i + size
		}
		i += size
	}
	w.Write(p[start:])
}

// writeXMLString is writeXML for a string.
func writeXMLString(w *bufio.Writer, s string, attr bool) {
	writeXML(w, []byte(s), attr)
}

// oneLine makes s fit on one line of at most max runes for a log or a
// table: control characters become Go escapes (\t, \n, \r, \x1b,
// \u009b), bytes that are not valid UTF-8 become U+FFFD, and a longer
// string is cut with "…" (which counts as one rune).
func oneLine(s string, max int) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var piece string
		switch {
		case r == utf8.RuneError && size == 1:
			piece = replacement
		case r == '\t':
			piece = `\t`
		case r == '\n':
			piece = `\n`
		case r == '\r':
			piece = `\r`
		case r < 0x20 || r == 0x7f:
			piece = `\x` + string(hexDigits[r>>4]) + string(hexDigits[r&0xf])
		case r >= 0x80 && r < 0xa0:
			piece = `\u00` + string(hexDigits[r>>4]) + string(hexDigits[r&0xf])
		default:
			piece = s[i : i+size]
		}
		w := utf8.RuneCountInString(piece)
		if n+w > max || (n+w == max && i+size < len(s)) {
			if max > 0 {
				b.WriteString("…")
			}
			return b.String()
		}
		b.WriteString(piece)
		n += w
		i += size
	}
	return b.String()
}

// incompleteTail returns where a rune cut by the end of p starts, or
// len(p) when p does not end inside a rune.
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

// continuationPrefix is the number of UTF-8 continuation bytes (at most
// three) that p starts with: the end of a rune cut by the start of p.
func continuationPrefix(p []byte) int {
	n := 0
	for n < len(p) && n < utf8.UTFMax-1 && !utf8.RuneStart(p[n]) {
		n++
	}
	return n
}

// lastLines returns the end of p: at most maxLines lines and maxBytes
// bytes, not counting a final newline, starting at a rune boundary.
func lastLines(p []byte, maxLines, maxBytes int) []byte {
	if len(p) > 0 && p[len(p)-1] == '\n' {
		p = p[:len(p)-1]
	}
	if len(p) > maxBytes {
		p = p[len(p)-maxBytes:]
		p = p[continuationPrefix(p):]
	}
	lines := 0
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '\n' {
			lines++
			if lines == maxLines {
				return p[i+1:]
			}
		}
	}
	return p
}
