package tmpl

// Size is what a template adds to a command line besides its values, in
// bytes, counted the way GNU parallel counts -s (--max-chars) for -X, -m
// and --xargs: each word with a byte for its end.
type Size struct {
	// Fixed is the bytes that do not depend on the number of values.
	Fixed int64
	// PerValue is what each value adds besides its own length: the end of
	// its word and, with Options.Context, the text of the word around {}
	// repeated.
	PerValue int64
	// Joined reports that a word holds all the values joined with spaces:
	// it is one argument of the OS (at most 128 KiB on Linux).
	Joined bool
	// Script reports that the values reach a shell script through the
	// environment, one variable each, and that the script (one argument
	// of the OS) refers to each: ScriptFixed is its size without them.
	Script      bool
	ScriptFixed int64
}

// Size returns what the template adds to a command line besides its
// values.
func (t *Template) Size() Size {
	var sz Size
	lit := func(ps []part) (n int64) {
		for _, p := range ps {
			switch p.kind {
			case kLit, kConst:
				n += int64(len(p.lit))
			case kCtx:
				// counted per value by perCtx
			case kSeq, kSlot:
				n += 4
			}
		}
		return n
	}
	perCtx := func(ps []part) (n int64) {
		for _, p := range ps {
			if p.kind == kCtx {
				n += lit(p.sub) + 1
			}
		}
		return n
	}
	if t.shell || t.sc != nil {
		sz.Script = true
		sz.ScriptFixed = lit(t.sc.parts)
		if ctx := perCtx(t.sc.parts); ctx > 0 {
			sz.PerValue += ctx
		} else {
			sz.PerValue++
		}
	}
	if t.shell {
		sz.Fixed = int64(len(t.shellPath)) + 4 + sz.ScriptFixed
		return sz
	}
	for i, w := range t.words {
		switch {
		case t.sc != nil && i == t.shWord:
			sz.Fixed += sz.ScriptFixed + 1
		case w.all && t.context:
			sz.PerValue += lit(w.parts) + 1
		case w.all && len(w.parts) == 1:
			sz.PerValue++
		case w.all:
			sz.Fixed += lit(w.parts) + 1
			sz.PerValue++ // the space between values
			sz.Joined = true
		default:
			sz.Fixed += lit(w.parts) + 1
		}
	}
	if !t.hasRepl {
		sz.PerValue++
	}
	return sz
}
