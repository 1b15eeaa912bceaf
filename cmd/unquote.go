package cmd

import "strings"

// unquotePrintf expands the escapes of --tagstring as GNU parallel does
// (its unquote_printf): \t, \n and \r, then octal \NNN and \N, each a pass
// of its own over the whole string, in that order. So "\\t" gives a
// backslash and a TAB, as in GNU parallel.
func unquotePrintf(s string) string {
	s = strings.ReplaceAll(s, `\t`, "\t")
	s = strings.ReplaceAll(s, `\n`, "\n")
	s = strings.ReplaceAll(s, `\r`, "\r")
	s = octalEscapes(s, 3)
	return octalEscapes(s, 1)
}

// octalEscapes replaces each backslash followed by n decimal digits with
// what Perl reads for "\" and those digits: an octal escape of the octal
// digits at their start (up to three), then the rest as they are ("\8" is
// "8").
func octalEscapes(s string, n int) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+n >= len(s) || !allDigits(s[i+1:i+1+n]) {
			b.WriteByte(s[i])
			continue
		}
		d := s[i+1 : i+1+n]
		k, v := 0, 0
		for k < len(d) && d[k] <= '7' {
			v = v*8 + int(d[k]-'0')
			k++
		}
		switch {
		case k == 0:
		case v < 256:
			b.WriteByte(byte(v))
		default:
			b.WriteString(string(rune(v)))
		}
		b.WriteString(d[k:])
		i += n
	}
	return b.String()
}

// allDigits reports whether s is only ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
