package tmpl

import "strings"

// apply returns s changed by a replacement string modifier, the way GNU
// parallel does it. For the modifiers without --plus the result is always
// s itself, a part of it or a constant, so it costs no allocation.
//
// The modifiers of --plus (applyPlus) may allocate.
func apply(m mod, s string) string {
	switch m.op {
	case opNone:
		return s
	case opNoExt:
		return noExt(s)
	case opBase:
		return base(s)
	case opDir:
		return dir(s)
	case opBaseNoExt:
		return noExt(base(s))
	}
	return applyPlus(m, s)
}

// noExt removes the extension of the last path element: the last '.' and
// what follows, unless a '/' follows it (GNU parallel's s:\.[^/.]*$::).
// So "a.b.c" gives "a.b", ".bashrc" gives "" and "a.b/c" stays.
func noExt(s string) string {
	i := strings.LastIndexByte(s, '.')
	if i < 0 || strings.IndexByte(s[i:], '/') >= 0 {
		return s
	}
	return s[:i]
}

// base removes everything up to the last '/' (GNU parallel's s:^.*/::), so
// "a/" gives "".
func base(s string) string {
	return s[strings.LastIndexByte(s, '/')+1:]
}

// dir is Perl's File::Basename::dirname, which GNU parallel uses for {//}:
// "a" and "a/" give ".", "a/b/" gives "a", "/" and "//" give "/".
func dir(s string) string {
	s = trimSlashes(s)
	d, b := fileparse(s)
	d = trimSlashes(d)
	if b == "" {
		d, _ = fileparse(d)
		d = trimSlashes(d)
	}
	return d
}

// trimSlashes removes trailing slashes but keeps the first byte (Perl's
// s{(.)/*\z}{$1}s).
func trimSlashes(s string) string {
	i := len(s)
	for i > 1 && s[i-1] == '/' {
		i--
	}
	return s[:i]
}

// fileparse splits s after its last '/' into directory and name, the
// directory "./" when there is none (Perl's File::Basename::fileparse).
func fileparse(s string) (string, string) {
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		return "./", s
	}
	return s[:i+1], s[i+1:]
}
