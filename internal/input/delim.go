package input

import (
	"errors"
	"fmt"
	"strings"
)

// ParseDelimiter turns the argument of -d into the delimiter bytes. It knows
// C-style escapes: \n \t \r \0 \\ \a \b \f \v, \xHH and octal \NNN. An empty
// result is an error.
func ParseDelimiter(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(s) {
			return "", fmt.Errorf("delimiter %q: trailing backslash", s)
		}
		switch e := s[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\':
			b.WriteByte('\\')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case 'x':
			v, n := 0, 0
			for ; n < 2 && i+1 < len(s); n++ {
				d, ok := hexDigit(s[i+1])
				if !ok {
					break
				}
				v = v<<4 | d
				i++
			}
			if n == 0 {
				return "", fmt.Errorf("delimiter %q: \\x needs hex digits", s)
			}
			b.WriteByte(byte(v))
		case '0', '1', '2', '3', '4', '5', '6', '7':
			// \0 alone is NUL; otherwise up to three octal digits.
			v := int(e - '0')
			for n := 1; n < 3 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7'; n++ {
				v = v<<3 | int(s[i+1]-'0')
				i++
			}
			if v > 0xff {
				return "", fmt.Errorf("delimiter %q: octal escape out of range", s)
			}
			b.WriteByte(byte(v))
		default:
			return "", fmt.Errorf("delimiter %q: unknown escape \\%c", s, e)
		}
	}
	if b.Len() == 0 {
		return "", errors.New("empty delimiter")
	}
	return b.String(), nil
}

// hexDigit returns the value of the hex digit c.
func hexDigit(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}
