package tmpl

import "strings"

// groupContexts makes, in the parts of a shell script, each unquoted
// replacement string of all the arguments ({}, {.}) and the rest of its
// shell word a context (kCtx) that the script repeats once for each
// argument, as -X does: x{}y with a and b gives x"$A1"y x"$A2"y, two
// words. The word ends at a blank or an operator (; & | < > ( )). A word
// with a quote, a backslash or a backquote, or with a replacement string
// that is not unquoted, is left as it is: its arguments are joined with
// spaces, as -m does.
func groupContexts(parts []part) []part {
	var out []part
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if p.kind != kArg || p.n != 0 || p.place.q != qUnquoted || p.place.arith {
			out = append(out, p)
			continue
		}
		// The left side: from the end of out back to a boundary.
		left, keep, head, ok := leftContext(out)
		if !ok {
			out = append(out, p)
			continue
		}
		right, next, rest, ok := rightContext(parts, i+1)
		if !ok {
			out = append(out, p)
			continue
		}
		sub := append(append(left, p), right...)
		if len(sub) == 1 {
			// A word of its own is one word for each argument already.
			out = append(out, p)
			continue
		}
		if keep > 0 {
			out[keep-1].lit = head
		}
		out = append(out[:keep], part{kind: kCtx, sub: sub})
		if rest != "" {
			out = append(out, part{lit: rest})
		}
		i = next - 1
	}
	return out
}

// isBoundary reports whether c ends an unquoted shell word.
func isBoundary(c byte) bool {
	return strings.IndexByte(" \t\r\n;&|<>()", c) >= 0
}

// spoilsContext reports whether s holds quoting that a context cannot be
// cut out of.
func spoilsContext(s string) bool {
	return strings.ContainsAny(s, "'\"\\`")
}

// leftContext returns the parts at the end of out that belong to the word
// of the replacement string that follows them, and the length of out to
// keep before them; out[keep-1], a literal, is then cut at the boundary
// and becomes head. ok is false when the word cannot be a context.
func leftContext(out []part) (ctx []part, keep int, head string, ok bool) {
	j := len(out) - 1
	for ; j >= 0; j-- {
		p := out[j]
		if p.kind != kLit {
			if p.kind == kCtx || p.place.q != qUnquoted || p.place.arith {
				return nil, 0, "", false
			}
			ctx = append([]part{p}, ctx...)
			continue
		}
		k := len(p.lit) - 1
		for k >= 0 && !isBoundary(p.lit[k]) {
			k--
		}
		stretch := p.lit[k+1:]
		if spoilsContext(stretch) {
			return nil, 0, "", false
		}
		if stretch != "" {
			ctx = append([]part{{lit: stretch}}, ctx...)
		}
		if k >= 0 {
			return ctx, j + 1, p.lit[:k+1], true
		}
	}
	return ctx, 0, "", true
}

// rightContext returns the parts from parts[i] on that belong to the word
// of the replacement string before them, the index of the first part after
// them, and the rest of a literal cut at the boundary.
func rightContext(parts []part, i int) (ctx []part, next int, rest string, ok bool) {
	for ; i < len(parts); i++ {
		p := parts[i]
		if p.kind != kLit {
			if p.place.q != qUnquoted || p.place.arith {
				return nil, 0, "", false
			}
			ctx = append(ctx, p)
			continue
		}
		k := 0
		for k < len(p.lit) && !isBoundary(p.lit[k]) {
			k++
		}
		stretch := p.lit[:k]
		if spoilsContext(stretch) {
			return nil, 0, "", false
		}
		if stretch != "" {
			ctx = append(ctx, part{lit: stretch})
		}
		if k < len(p.lit) {
			return ctx, i + 1, p.lit[k:], true
		}
	}
	return ctx, i, "", true
}
